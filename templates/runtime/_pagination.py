"""Paginated list responses: cursor, offset/limit and page-number styles.

This module is copied verbatim into every generated package.

A generated list method returns a page (sync) or an :class:`AsyncPaginator`
(async).  Iterating a page yields every item of every following page, each
page fetched only when the previous one is used up::

    for job in client.fine_tuning.list(limit=20):       # all jobs, lazily
        ...
    page = client.fine_tuning.list(limit=20)
    page.items                                          # this page only
    while page.has_next_page():
        page = page.next_page()

    async for job in async_client.fine_tuning.list():   # no await needed
        ...
    page = await async_client.fine_tuning.list()        # the first page

How a page is read and how the next one is requested is described by a
:class:`PageInfo` that the generated method passes to the client's
``request_page``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

import httpx

__all__ = [
    "PageStyle",
    "PageInfo",
    "BasePage",
    "BaseSyncPage",
    "BaseAsyncPage",
    "SyncCursorPage",
    "AsyncCursorPage",
    "SyncOffsetPage",
    "AsyncOffsetPage",
    "SyncPageNumberPage",
    "AsyncPageNumberPage",
    "AsyncPaginator",
]

_T = TypeVar("_T")
_SyncPageT = TypeVar("_SyncPageT", bound="BaseSyncPage[Any]")
_AsyncPageT = TypeVar("_AsyncPageT", bound="BaseAsyncPage[Any]")
_AsyncPageT_co = TypeVar("_AsyncPageT_co", bound="BaseAsyncPage[Any]", covariant=True)

PageStyle = Literal["cursor", "offset", "page"]


@dataclass(frozen=True)
class PageInfo:
    """How one list endpoint paginates.

    Field names are wire names; a dotted name (``"meta.next_cursor"``) reads a
    nested field of the response.

    * ``style``: ``"cursor"``, ``"offset"`` or ``"page"``; must match the page
      class (``SyncCursorPage`` ... ``AsyncPageNumberPage``).
    * ``items_field``: the response field holding the list of items; ``None``
      when the response body is the list itself.  A missing or ``null`` field
      is an empty page.
    * ``has_more_field``: a boolean response field; ``false`` ends the listing
      in every style, ``true`` keeps going.  Ignored when absent from the
      response.

    Cursor style:

    * ``cursor_param``: the query parameter that takes the cursor (``after``).
    * ``cursor_field``: the response field holding the next cursor
      (``last_id``, ``next_cursor`` ...); ``None`` to use the ``id_field`` of
      the last item instead.  A missing/empty cursor ends the listing.

    Offset style: ``offset_param`` and ``limit_param`` are the query
    parameters; the listing ends at an empty page, at a page shorter than the
    requested limit (unless ``has_more`` says otherwise), or when
    ``total_field`` (the total number of items) is reached.

    Page-number style: ``page_param`` is the query parameter, counted from
    ``first_page``; the listing ends at an empty page, when the page number
    reaches ``total_pages_field``, when ``total_field`` items are reached, or
    at a page shorter than ``limit_param``'s value.
    """

    style: PageStyle = "cursor"
    items_field: str | None = "data"
    cursor_param: str = "after"
    cursor_field: str | None = None
    has_more_field: str | None = "has_more"
    id_field: str = "id"
    limit_param: str | None = "limit"
    offset_param: str = "offset"
    page_param: str = "page"
    first_page: int = 1
    total_field: str | None = None
    total_pages_field: str | None = None


_MISSING: Any = object()


def dig(body: object, dotted: str | None) -> Any:
    """The value at *dotted* (``"a.b"``) inside *body*, or ``None``."""
    if dotted is None:
        return body
    value = body
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def page_items(body: object, info: PageInfo) -> list[Any] | None:
    """The raw item list of a page body (``[]`` when absent), ``None`` when not a list."""
    raw = dig(body, info.items_field)
    if raw is None:
        return []
    return raw if isinstance(raw, list) else None


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (str, float)):
        try:
            return int(value)
        except ValueError:
            return None
    return None


class BasePage(Generic[_T]):
    """One page of a list response.

    * ``items``: this page's items, validated;
    * ``body``: the whole decoded JSON body (for fields such as ``total``);
    * ``http_response``: the :class:`httpx.Response` of this page;
    * ``page_info``: how the endpoint paginates;
    * ``request_params``: the query parameters this page was requested with.
    """

    style: ClassVar[PageStyle]

    items: list[_T]
    body: Any
    http_response: httpx.Response
    page_info: PageInfo
    request_params: dict[str, object]

    def __init__(
        self,
        *,
        items: list[_T],
        raw_items: list[Any],
        body: Any,
        info: PageInfo,
        params: Mapping[str, object],
        response: httpx.Response,
        fetch: Callable[[dict[str, object]], object] | None = None,
    ) -> None:
        self.items = items
        self.body = body
        self.http_response = response
        self.page_info = info
        self.request_params = dict(params)
        self._raw_items = raw_items
        self._fetch = fetch

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} items={len(self.items)} "
            f"has_next_page={self.has_next_page()}>"
        )

    @property
    def has_more(self) -> bool | None:
        """The ``has_more_field`` of the response, when present."""
        value = dig(self.body, self.page_info.has_more_field)
        if self.page_info.has_more_field is None or not isinstance(value, bool):
            return None
        return value

    def next_page_params(self) -> dict[str, object] | None:
        """The query parameters that fetch the next page; ``None`` on the last page."""
        if not self._raw_items or self.has_more is False:
            return None
        return self._next_params()

    def _next_params(self) -> dict[str, object] | None:
        raise NotImplementedError

    def has_next_page(self) -> bool:
        return self.next_page_params() is not None

    def _fetch_next(self) -> object:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError(
                "There is no next page; check has_next_page() before calling next_page()."
            )
        if self._fetch is None:
            raise RuntimeError("This page is not bound to a client.")
        return self._fetch(params)

    # -- helpers for the styles ------------------------------------------

    def _param(self, name: str | None) -> object:
        return None if name is None else self.request_params.get(name)

    def _cursor_next(self) -> dict[str, object] | None:
        info = self.page_info
        if info.cursor_field is not None:
            cursor = dig(self.body, info.cursor_field)
        else:
            last = self._raw_items[-1]
            cursor = last.get(info.id_field) if isinstance(last, Mapping) else None
        if cursor is None or cursor == "" or isinstance(cursor, (dict, list, bool)):
            return None
        current = self._param(info.cursor_param)
        if current is not None and str(cursor) == str(current):
            return None  # no progress: stop rather than loop forever
        return {info.cursor_param: cursor}

    def _offset_next(self) -> dict[str, object] | None:
        info = self.page_info
        offset = _as_int(self._param(info.offset_param)) or 0
        count = len(self._raw_items)
        limit = _as_int(self._param(info.limit_param))
        if self.has_more is None and limit is not None and count < limit:
            return None
        total = _as_int(dig(self.body, info.total_field)) if info.total_field else None
        if total is not None and offset + count >= total:
            return None
        return {info.offset_param: offset + count}

    def _page_number_next(self) -> dict[str, object] | None:
        info = self.page_info
        page = _as_int(self._param(info.page_param))
        if page is None:
            page = info.first_page
        count = len(self._raw_items)
        limit = _as_int(self._param(info.limit_param))
        total_pages = (
            _as_int(dig(self.body, info.total_pages_field)) if info.total_pages_field else None
        )
        if total_pages is not None and page - info.first_page + 1 >= total_pages:
            return None
        total = _as_int(dig(self.body, info.total_field)) if info.total_field else None
        if total is not None and limit:
            if (page - info.first_page + 1) * limit >= total:
                return None
        if self.has_more is None and total_pages is None and limit is not None and count < limit:
            return None
        return {info.page_param: page + 1}


class BaseSyncPage(BasePage[_T]):
    """A page of a synchronous client: ``for item in page`` walks all pages."""

    def next_page(self: _SyncPageT) -> _SyncPageT:
        """Fetch the next page (raises :class:`RuntimeError` on the last page)."""
        return cast(_SyncPageT, self._fetch_next())

    def iter_pages(self: _SyncPageT) -> Iterator[_SyncPageT]:
        """This page, then each following page, fetched as you go."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.items


class BaseAsyncPage(BasePage[_T]):
    """A page of an asynchronous client: ``async for item in page`` walks all pages."""

    async def next_page(self: _AsyncPageT) -> _AsyncPageT:
        """Fetch the next page (raises :class:`RuntimeError` on the last page)."""
        return await cast(Awaitable[_AsyncPageT], self._fetch_next())

    async def iter_pages(self: _AsyncPageT) -> AsyncIterator[_AsyncPageT]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class SyncCursorPage(BaseSyncPage[_T]):
    """Cursor pagination (``?after=<cursor>``), e.g. ``data``/``has_more``/``last_id``."""

    style: ClassVar[PageStyle] = "cursor"

    @property
    def next_cursor(self) -> object:
        params = self.next_page_params()
        return None if params is None else params[self.page_info.cursor_param]

    def _next_params(self) -> dict[str, object] | None:
        return self._cursor_next()


class AsyncCursorPage(BaseAsyncPage[_T]):
    style: ClassVar[PageStyle] = "cursor"

    @property
    def next_cursor(self) -> object:
        params = self.next_page_params()
        return None if params is None else params[self.page_info.cursor_param]

    def _next_params(self) -> dict[str, object] | None:
        return self._cursor_next()


class SyncOffsetPage(BaseSyncPage[_T]):
    """Offset/limit pagination (``?offset=40&limit=20``)."""

    style: ClassVar[PageStyle] = "offset"

    def _next_params(self) -> dict[str, object] | None:
        return self._offset_next()


class AsyncOffsetPage(BaseAsyncPage[_T]):
    style: ClassVar[PageStyle] = "offset"

    def _next_params(self) -> dict[str, object] | None:
        return self._offset_next()


class SyncPageNumberPage(BaseSyncPage[_T]):
    """Page-number pagination (``?page=3``), optionally with a total page count."""

    style: ClassVar[PageStyle] = "page"

    def _next_params(self) -> dict[str, object] | None:
        return self._page_number_next()


class AsyncPageNumberPage(BaseAsyncPage[_T]):
    style: ClassVar[PageStyle] = "page"

    def _next_params(self) -> dict[str, object] | None:
        return self._page_number_next()


class AsyncPaginator(Generic[_AsyncPageT_co]):
    """What an async list method returns: await it for the first page, or
    ``async for`` over it for every item of every page.

    Each ``await`` (and each ``async for``) sends a new request.
    """

    def __init__(self, fetch: Callable[[], Awaitable[_AsyncPageT_co]]) -> None:
        self._fetch_page = fetch

    def __await__(self) -> Generator[Any, None, _AsyncPageT_co]:
        return self._fetch_page().__await__()

    async def __aiter__(self: AsyncPaginator[BaseAsyncPage[_T]]) -> AsyncIterator[_T]:
        page = await self
        async for item in page:
            yield item
