"""Pagination (templates/runtime/_pagination.py and request_page), sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, Optional

import httpx
import pydantic
import pytest

from test_runtime import BASE_URL, Recorder, make_async_client, make_client, rt  # noqa: F401


class Row(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    id: str
    n: Optional[int] = None


ROWS = [{"id": f"r{i}", "n": i} for i in range(7)]


def cursor_api(
    *,
    per_page: int = 3,
    items_field: str = "data",
    cursor_param: str = "after",
    extra: Callable[[int, int], dict[str, Any]] | None = None,
    has_more: bool = True,
) -> Callable[[httpx.Request], httpx.Response]:
    """A server paging through ROWS by the id of the last row seen."""

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get(cursor_param)
        limit = int(request.url.params.get("limit", per_page))
        start = 0 if after is None else [row["id"] for row in ROWS].index(after) + 1
        rows = ROWS[start : start + limit]
        body: dict[str, Any] = {items_field: rows}
        if has_more:
            body["has_more"] = start + limit < len(ROWS)
        if extra:
            body.update(extra(start, limit))
        return httpx.Response(200, json=body)

    return handler


def offset_api(*, total: bool = False) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 3))
        body: dict[str, Any] = {"items": ROWS[offset : offset + limit]}
        if total:
            body["total"] = len(ROWS)
        return httpx.Response(200, json=body)

    return handler


def page_api(
    *, per_page: int = 3, first: int = 1, total_pages: bool = True
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", first))
        start = (page - first) * per_page
        body: dict[str, Any] = {"results": ROWS[start : start + per_page]}
        if total_pages:
            body["meta"] = {"pages": -(-len(ROWS) // per_page)}
        return httpx.Response(200, json=body)

    return handler


def ids(items: Any) -> list[str]:
    return [item.id for item in items]


# ---------------------------------------------------------------------------
# Cursor pages
# ---------------------------------------------------------------------------


def test_cursor_page_lazy_iteration(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    rec = Recorder(cursor_api())
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/rows", params={"limit": 3}
    )
    assert isinstance(page, pg.SyncCursorPage)
    assert ids(page.items) == ["r0", "r1", "r2"]
    assert page.body["has_more"] is True and page.has_more is True
    assert page.http_response.status_code == 200
    assert page.request_params == {"limit": 3}
    assert page.has_next_page() and page.next_page_params() == {"after": "r2"}
    assert page.next_cursor == "r2"
    assert len(rec.requests) == 1

    iterator = iter(page)
    assert ids([next(iterator) for _ in range(3)]) == ["r0", "r1", "r2"]
    assert len(rec.requests) == 1  # the next page is fetched only when needed
    assert next(iterator).id == "r3"
    assert len(rec.requests) == 2
    assert rec.last.url.params.multi_items() == [("limit", "3"), ("after", "r2")]
    assert ids(iterator) == ["r4", "r5", "r6"]
    assert len(rec.requests) == 3

    second = page.next_page()
    assert ids(second.items) == ["r3", "r4", "r5"] and second.request_params["after"] == "r2"
    last = second.next_page()
    assert ids(last.items) == ["r6"] and not last.has_next_page() and last.next_cursor is None
    with pytest.raises(RuntimeError, match="has_next_page"):
        last.next_page()
    assert [ids(p.items) for p in page.iter_pages()] == [
        ["r0", "r1", "r2"],
        ["r3", "r4", "r5"],
        ["r6"],
    ]
    assert "SyncCursorPage" in repr(page)


def test_cursor_from_response_field_and_custom_names(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination

    def next_cursor(start: int, limit: int) -> dict[str, Any]:
        end = min(start + limit, len(ROWS))
        return {"meta": {"next": ROWS[end - 1]["id"] if end < len(ROWS) else None}}

    rec = Recorder(
        cursor_api(
            items_field="results", cursor_param="starting_after", extra=next_cursor, has_more=False
        )
    )
    client = make_client(rt, rec)
    info = pg.PageInfo(
        items_field="results",
        cursor_param="starting_after",
        cursor_field="meta.next",
        has_more_field=None,
    )
    page = client.request_page(pg.SyncCursorPage[Row], info, method="get", path="/rows")
    assert ids(page) == [row["id"] for row in ROWS]
    assert [r.url.params.get("starting_after") for r in rec.requests] == [None, "r2", "r5"]

    # last_id style, with has_more
    def last_id(start: int, limit: int) -> dict[str, Any]:
        rows = ROWS[start : start + limit]
        return {"last_id": rows[-1]["id"] if rows else None}

    rec = Recorder(cursor_api(extra=last_id))
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncCursorPage[Row], pg.PageInfo(cursor_field="last_id"), method="get", path="/rows"
    )
    assert len(ids(page)) == 7 and len(rec.requests) == 3


def test_cursor_stops_without_progress_or_items(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    # has_more keeps saying true, but the cursor does not move: stop instead of looping
    rec = Recorder(httpx.Response(200, json={"data": [{"id": "same"}], "has_more": True}))
    client = make_client(rt, rec)
    page = client.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")
    assert ids(page) == ["same", "same"] and len(rec.requests) == 2

    # empty page (or missing data field) ends the listing
    for body in ({"data": [], "has_more": True}, {"has_more": True}, {"data": None}):
        rec = Recorder(httpx.Response(200, json=body))
        page = make_client(rt, rec).request_page(
            pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x"
        )
        assert page.items == [] and not page.has_next_page() and list(page) == []

    # items that have no id: no cursor, no next page
    rec = Recorder(httpx.Response(200, json={"data": [{"name": "x"}]}))
    page = make_client(rt, rec).request_page(
        pg.SyncCursorPage[dict], pg.PageInfo(), method="get", path="/x"
    )
    assert page.items == [{"name": "x"}] and not page.has_next_page()


def test_top_level_list_pages(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        start = 0 if after is None else int(after[1:]) + 1
        return httpx.Response(200, json=ROWS[start : start + 4])

    rec = Recorder(handler)
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncCursorPage[Row],
        pg.PageInfo(items_field=None, has_more_field=None),
        method="get",
        path="/rows",
    )
    assert len(list(page)) == 7 and len(rec.requests) == 3  # the last request finds no rows


def test_page_requests_keep_options_body_and_headers(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    rec = Recorder(cursor_api())
    client = make_client(rt, rec, idempotency_header="Idempotency-Key")
    page = client.request_page(
        pg.SyncCursorPage[Row],
        pg.PageInfo(),
        method="post",
        path="/rows/search",
        params={"after": rt.types.NOT_GIVEN, "limit": 3},
        headers={"X-Search": "1"},
        json_body={"query": "all"},
        options={
            "extra_headers": {"X-Extra": "e"},
            "extra_query": {"after": "r0", "tag": "t"},
            "timeout": 7.0,
        },
    )
    assert page.request_params == {"after": "r0", "limit": 3, "tag": "t"}
    assert ids(page.items) == ["r1", "r2", "r3"]
    assert ids(page) == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert len(rec.requests) == 2
    first, second = rec.requests
    # the cursor replaces the extra_query value; everything else is kept
    assert second.url.params.multi_items() == [("after", "r3"), ("limit", "3"), ("tag", "t")]
    for request in (first, second):
        assert request.method == "POST"
        assert request.headers["x-search"] == "1" and request.headers["x-extra"] == "e"
        assert request.content == b'{"query":"all"}'
        assert request.extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    # every page is its own logical request: its own idempotency key
    assert first.headers["idempotency-key"] != second.headers["idempotency-key"]


def test_page_errors(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    exc = rt.exceptions
    client = make_client(rt, Recorder(httpx.Response(200, json={"data": {"not": "a list"}})))
    with pytest.raises(exc.APIResponseValidationError, match="not a list"):
        client.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")
    client = make_client(
        rt,
        Recorder(httpx.Response(200, json={"data": [{"id": 1}]})),
        strict_response_validation=True,
    )
    with pytest.raises(exc.APIResponseValidationError, match="validation error"):
        client.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")
    with pytest.raises(ValueError, match="offset"):
        client.request_page(
            pg.SyncCursorPage[Row], pg.PageInfo(style="offset"), method="get", path="/x"
        )
    with pytest.raises(TypeError):
        client.request_page(pg.AsyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")

    # a failing next page raises when it is reached, after the first page's items
    rec = Recorder(
        httpx.Response(200, json={"data": [{"id": "a"}], "has_more": True}),
        httpx.Response(404, json={"error": "gone"}),
    )
    client = make_client(rt, rec)
    page = client.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")
    seen: list[str] = []
    with pytest.raises(exc.NotFoundError):
        for row in page:
            seen.append(row.id)
    assert seen == ["a"]

    # strict validation applies to page items
    body = {"data": [{"id": "a", "n": 1, "unexpected": True}]}
    strict = make_client(
        rt, Recorder(httpx.Response(200, json=body)), strict_response_validation=True
    )
    with pytest.raises(exc.APIResponseValidationError, match="unexpected"):
        strict.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")


def test_page_subclass(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination

    class RowPage(pg.SyncCursorPage[Row]):  # type: ignore[misc,name-defined]
        pass

    client = make_client(rt, Recorder(cursor_api()))
    page = client.request_page(RowPage, pg.PageInfo(), method="get", path="/rows")
    assert isinstance(page, RowPage) and isinstance(page.items[0], Row)
    assert isinstance(page.next_page(), RowPage)


# ---------------------------------------------------------------------------
# Offset and page-number pages
# ---------------------------------------------------------------------------


def test_offset_pages(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    info = pg.PageInfo(style="offset", items_field="items")
    rec = Recorder(offset_api())
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncOffsetPage[Row], info, method="get", path="/rows", params={"limit": 3}
    )
    assert page.next_page_params() == {"offset": 3}
    assert ids(page) == [row["id"] for row in ROWS]
    # 3 + 3 + 1: the short third page ends the listing without a fourth request
    assert [r.url.params.get("offset") for r in rec.requests] == [None, "3", "6"]

    # limit a multiple of the total: the empty page ends it
    rec = Recorder(offset_api())
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncOffsetPage[Row], info, method="get", path="/rows", params={"limit": 7}
    )
    assert len(list(page)) == 7 and len(rec.requests) == 2

    # ... or a total saves that request
    rec = Recorder(offset_api(total=True))
    client = make_client(rt, rec)
    info_total = pg.PageInfo(style="offset", items_field="items", total_field="total")
    page = client.request_page(
        pg.SyncOffsetPage[Row], info_total, method="get", path="/rows", params={"limit": 7}
    )
    assert len(list(page)) == 7 and len(rec.requests) == 1

    # no limit given: go on until an empty page; offset given as a string
    rec = Recorder(offset_api())
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncOffsetPage[Row], info, method="get", path="/rows", params={"offset": "2"}
    )
    assert ids(page) == [row["id"] for row in ROWS[2:]]
    assert [r.url.params.get("offset") for r in rec.requests] == ["2", "5", "7"]


def test_offset_has_more_overrides_short_page(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    rec = Recorder(
        httpx.Response(200, json={"items": [{"id": "a"}], "has_more": True}),
        httpx.Response(200, json={"items": [{"id": "b"}], "has_more": False}),
    )
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncOffsetPage[Row],
        pg.PageInfo(style="offset", items_field="items"),
        method="get",
        path="/rows",
        params={"limit": 10},
    )
    assert ids(page) == ["a", "b"]
    assert rec.last.url.params["offset"] == "1"


def test_page_number_pages(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination
    info = pg.PageInfo(style="page", items_field="results", total_pages_field="meta.pages")
    rec = Recorder(page_api())
    client = make_client(rt, rec)
    page = client.request_page(pg.SyncPageNumberPage[Row], info, method="get", path="/rows")
    assert page.next_page_params() == {"page": 2}
    assert ids(page) == [row["id"] for row in ROWS]
    assert [r.url.params.get("page") for r in rec.requests] == [None, "2", "3"]
    assert not page.next_page().next_page().has_next_page()

    # zero-based, no total: a short page (per_page known) ends it
    rec = Recorder(page_api(first=0, total_pages=False))
    client = make_client(rt, rec)
    info0 = pg.PageInfo(style="page", items_field="results", first_page=0, limit_param="per_page")
    page = client.request_page(
        pg.SyncPageNumberPage[Row], info0, method="get", path="/rows", params={"per_page": 3}
    )
    assert len(list(page)) == 7
    assert [r.url.params.get("page") for r in rec.requests] == [None, "1", "2"]

    # nothing known: the empty page ends it
    rec = Recorder(page_api(total_pages=False))
    client = make_client(rt, rec)
    page = client.request_page(
        pg.SyncPageNumberPage[Row],
        pg.PageInfo(style="page", items_field="results"),
        method="get",
        path="/r",
    )
    assert len(list(page)) == 7 and len(rec.requests) == 4

    # a total item count
    rec = Recorder(lambda request: httpx.Response(200, json={"results": ROWS[:3], "total": 3}))
    page = make_client(rt, rec).request_page(
        pg.SyncPageNumberPage[Row],
        pg.PageInfo(style="page", items_field="results", total_field="total"),
        method="get",
        path="/r",
        params={"limit": 3},
    )
    assert not page.has_next_page()


# ---------------------------------------------------------------------------
# Async
# ---------------------------------------------------------------------------


def test_async_paginator(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination

    async def main() -> None:
        rec = Recorder(cursor_api())
        client = make_async_client(rt, rec)

        def list_rows(**params: Any) -> Any:
            return client.request_page(
                pg.AsyncCursorPage[Row], pg.PageInfo(), method="get", path="/rows", params=params
            )

        paginator = list_rows(limit=3)
        assert isinstance(paginator, pg.AsyncPaginator)
        assert rec.requests == []  # nothing sent before it is awaited or iterated

        # async for directly over the paginator: every item, pages fetched lazily
        seen: list[str] = []
        async for row in list_rows(limit=3):
            seen.append(row.id)
            if row.id == "r2":
                assert len(rec.requests) == 1
        assert seen == [row["id"] for row in ROWS] and len(rec.requests) == 3

        # await: the first page
        page = await paginator
        assert isinstance(page, pg.AsyncCursorPage)
        assert ids(page.items) == ["r0", "r1", "r2"] and page.has_next_page()
        second = await page.next_page()
        assert isinstance(second, pg.AsyncCursorPage) and ids(second.items) == ["r3", "r4", "r5"]
        assert [ids(p.items) async for p in page.iter_pages()] == [
            ["r0", "r1", "r2"],
            ["r3", "r4", "r5"],
            ["r6"],
        ]
        assert [row.id async for row in second] == ["r3", "r4", "r5", "r6"]
        last = await second.next_page()
        with pytest.raises(RuntimeError):
            await last.next_page()
        # every await is a new request
        before = len(rec.requests)
        await paginator
        assert len(rec.requests) == before + 1

    asyncio.run(main())


def test_async_offset_and_page_number(rt: SimpleNamespace) -> None:  # noqa: F811
    pg = rt.pagination

    async def main() -> None:
        client = make_async_client(rt, Recorder(offset_api(total=True)))
        rows = [
            row.id
            async for row in client.request_page(
                pg.AsyncOffsetPage[Row],
                pg.PageInfo(style="offset", items_field="items", total_field="total"),
                method="get",
                path="/rows",
                params={"limit": 2},
            )
        ]
        assert rows == [row["id"] for row in ROWS]

        client = make_async_client(rt, Recorder(page_api()))
        page = await client.request_page(
            pg.AsyncPageNumberPage[Row],
            pg.PageInfo(style="page", items_field="results", total_pages_field="meta.pages"),
            method="get",
            path="/rows",
        )
        assert [row.id async for row in page] == [row["id"] for row in ROWS]

        client = make_async_client(rt, Recorder(httpx.Response(500)), max_retries=0)
        with pytest.raises(rt.exceptions.InternalServerError):
            async for _ in client.request_page(
                pg.AsyncCursorPage[Row], pg.PageInfo(), method="get", path="/rows"
            ):
                pass  # pragma: no cover
        with pytest.raises(TypeError):
            client.request_page(pg.SyncCursorPage[Row], pg.PageInfo(), method="get", path="/x")

    asyncio.run(main())


def test_page_info_defaults(rt: SimpleNamespace) -> None:  # noqa: F811
    info = rt.pagination.PageInfo()
    assert (info.style, info.items_field, info.cursor_param, info.cursor_field) == (
        "cursor",
        "data",
        "after",
        None,
    )
    assert (info.has_more_field, info.id_field, info.limit_param) == ("has_more", "id", "limit")
    assert (info.offset_param, info.page_param, info.first_page) == ("offset", "page", 1)
    assert info.total_field is None and info.total_pages_field is None
    with pytest.raises(Exception):
        info.style = "offset"  # frozen
    assert rt.base_client.PageInfo is rt.pagination.PageInfo
    assert hash(info) == hash(rt.pagination.PageInfo())
