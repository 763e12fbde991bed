"""Tests for the runtime copied into every generated package (templates/runtime).

The runtime files are copied into a throw-away package, exactly as the
generator does, and exercised against ``httpx.MockTransport``.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import datetime as dt
import email.utils
import enum
import importlib
import json
import logging
import pickle
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Literal, Optional, Union

import httpx
import pydantic
import pytest

REPO = Path(__file__).resolve().parent.parent
RUNTIME_DIR = REPO / "templates" / "runtime"
PKG = "rt_pkg"
# Every runtime module (and the package's __init__) is type-checked.
RUNTIME_MODULES = ("__init__.py", *sorted(path.name for path in RUNTIME_DIR.glob("*.py")))
BASE_URL = "https://api.example.com/v1"
SECRET = "sk-secret-123456"


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("runtime")
    pkg = root / PKG
    pkg.mkdir()
    for source in RUNTIME_DIR.glob("*.py"):
        shutil.copy(source, pkg / source.name)
    (pkg / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    try:
        modules: dict[str, ModuleType] = {
            source.stem.lstrip("_"): importlib.import_module(f"{PKG}.{source.stem}")
            for source in sorted(RUNTIME_DIR.glob("*.py"))
        }
        yield SimpleNamespace(root=root, pkg=pkg, **modules)
    finally:
        sys.path.remove(str(root))
        for name in list(sys.modules):
            if name == PKG or name.startswith(PKG + "."):
                del sys.modules[name]


Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that replays responses and records requests."""

    def __init__(self, *responses: httpx.Response | Exception | Handler) -> None:
        self.responses = list(responses) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses[min(len(self.requests), len(self.responses)) - 1]
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            return item(request)
        return httpx.Response(item.status_code, headers=item.headers, content=item.content)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def make_client(rt: SimpleNamespace, recorder: Recorder, **kwargs: Any) -> Any:
    kwargs.setdefault("base_url", BASE_URL)
    client = rt.base_client.SyncAPIClient(
        client_name="Acme",
        version="1.2.3",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )
    client.delays = []
    client._sleep = client.delays.append
    return client


def make_async_client(rt: SimpleNamespace, recorder: Recorder, **kwargs: Any) -> Any:
    kwargs.setdefault("base_url", BASE_URL)
    client = rt.base_client.AsyncAPIClient(
        client_name="Acme",
        version="1.2.3",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )
    client.delays = []

    async def fake_sleep(seconds: float) -> None:
        client.delays.append(seconds)

    client._sleep = fake_sleep
    return client


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Item(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    id: str
    display_name: Optional[str] = pydantic.Field(default=None, alias="displayName")
    count: int = 0
    color: Optional[Color] = None


class Cat(pydantic.BaseModel):
    kind: Literal["cat"]
    lives: int


class Dog(pydantic.BaseModel):
    kind: Literal["dog"]
    good: bool


# ---------------------------------------------------------------------------
# _types and _utils
# ---------------------------------------------------------------------------


def test_not_given_sentinel(rt: SimpleNamespace) -> None:
    t = rt.types
    assert not t.NOT_GIVEN
    assert repr(t.NOT_GIVEN) == "NOT_GIVEN"
    assert t.NotGiven() is t.NOT_GIVEN
    assert copy.copy(t.NOT_GIVEN) is t.NOT_GIVEN
    assert copy.deepcopy({"a": t.NOT_GIVEN})["a"] is t.NOT_GIVEN
    assert pickle.loads(pickle.dumps(t.NOT_GIVEN)) is t.NOT_GIVEN
    assert set(t.RequestOptions.__annotations__) == {
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
    }


def test_path_param(rt: SimpleNamespace) -> None:
    pp = rt.utils.path_param
    assert pp("ft/1") == "ft%2F1"
    assert pp("a b?c#d%") == "a%20b%3Fc%23d%25"
    assert pp("Az09-._~") == "Az09-._~"
    assert pp("ünï") == "%C3%BCn%C3%AF"
    assert pp(Color.RED) == "red"
    assert pp(True) == "true" and pp(False) == "false"
    assert pp(42) == "42"
    assert pp(dt.date(2024, 1, 2)) == "2024-01-02"
    assert pp("..") == "%2E%2E" and pp(".") == "%2E"
    for bad in (None, ""):
        with pytest.raises(ValueError):
            pp(bad)


def test_to_jsonable(rt: SimpleNamespace) -> None:
    tj = rt.utils.to_jsonable
    ng = rt.types.NOT_GIVEN
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert tj(
        {
            "model": Item(id="x", display_name="X"),
            "nested": {"keep": None, "drop": ng, "deeper": [{"a": ng, "b": 1}]},
            "tuple": (1, Color.BLUE),
            "when": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            "day": dt.date(2024, 1, 2),
            "at": dt.time(3, 4),
            "uid": uid,
            Color.RED: "enum key",
        }
    ) == {
        "model": {"id": "x", "displayName": "X"},
        "nested": {"keep": None, "deeper": [{"b": 1}]},
        "tuple": [1, "blue"],
        "when": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "at": "03:04:00",
        "uid": str(uid),
        "red": "enum key",
    }
    with pytest.raises(TypeError):
        tj({"blob": b"bytes"})
    with pytest.raises(TypeError):
        tj({1: "non-string key"})
    with pytest.raises(TypeError):
        tj(object())


# ---------------------------------------------------------------------------
# Building requests
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("base_url", [BASE_URL, BASE_URL + "/", httpx.URL(BASE_URL)])
def test_url_joins_base_path(rt: SimpleNamespace, base_url: Any) -> None:
    rec = Recorder()
    client = make_client(rt, rec, base_url=base_url)
    path = f"/fine-tunes/{rt.utils.path_param('ft/1')}/cancel"
    client.request(None, method="post", path=path)
    assert rec.last.method == "POST"
    assert str(rec.last.url) == "https://api.example.com/v1/fine-tunes/ft%2F1/cancel"
    assert rec.last.url.raw_path == b"/v1/fine-tunes/ft%2F1/cancel"


def test_dot_segments_do_not_escape(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec)
    client.request(None, method="get", path=f"/files/{rt.utils.path_param('..')}/content")
    assert rec.last.url.raw_path == b"/v1/files/%2E%2E/content"


def test_query_in_path_is_merged(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec, default_query={"d": "1", "beta": "false"})
    client.request(None, method="get", path="/responses?beta=true&r=1&r=2", params={"limit": 5})
    assert rec.last.url.path == "/v1/responses"
    assert rec.last.url.params.multi_items() == [
        ("d", "1"),
        ("beta", "true"),
        ("r", "1"),
        ("r", "2"),
        ("limit", "5"),
    ]


def test_query_in_base_url_is_kept(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec, base_url="https://api.example.com/openai?api-version=1&keep=yes")
    client.request(None, method="get", path="/deployments?api-version=2", params={"x": "y"})
    assert rec.last.url.path == "/openai/deployments"
    assert rec.last.url.params.multi_items() == [("api-version", "2"), ("keep", "yes"), ("x", "y")]
    client = make_client(rt, rec, base_url="https://api.example.com")
    client.request(None, method="get", path="models")
    assert str(rec.last.url) == "https://api.example.com/models"


def test_query_params_encoding_and_merging(rt: SimpleNamespace) -> None:
    ng = rt.types.NOT_GIVEN
    rec = Recorder()
    client = make_client(rt, rec, default_query={"version": "2024", "region": "eu", "gone": "x"})
    client.request(
        None,
        method="get",
        path="/things",
        params={
            "skipped": ng,
            "tags": ["a", "b"],
            "ids": (1, 2),
            "flag": True,
            "off": False,
            "color": Color.BLUE,
            "since": dt.datetime(2024, 1, 2, 3, 4, 5),
            "day": dt.date(2024, 1, 2),
            "region": "us",
            "version": ng,  # NOT_GIVEN leaves the default alone
        },
        options={"extra_query": {"region": "ap", "extra": 1, "gone": None}},
    )
    assert rec.last.url.params.multi_items() == [
        ("version", "2024"),
        ("region", "ap"),
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1"),
        ("ids", "2"),
        ("flag", "true"),
        ("off", "false"),
        ("color", "blue"),
        ("since", "2024-01-02T03:04:05"),
        ("day", "2024-01-02"),
        ("extra", "1"),
    ]


def test_default_headers_and_user_agent(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec, default_headers={"X-Team": "core"})
    assert client.default_headers == {
        "Accept": "application/json",
        "User-Agent": "Acme/Python 1.2.3",
        "X-Team": "core",
    }
    client.request(None, method="get", path="/x")
    assert rec.last.headers["user-agent"] == "Acme/Python 1.2.3"
    assert rec.last.headers["accept"] == "application/json"
    assert rec.last.headers["x-team"] == "core"
    assert "content-type" not in rec.last.headers
    # no non-standard headers are added
    assert not [name for name in rec.last.headers if name.lower().startswith(("x-stainless", "x-oagen"))]


def test_header_merging_and_removal(rt: SimpleNamespace) -> None:
    ng = rt.types.NOT_GIVEN
    rec = Recorder()
    client = make_client(rt, rec, default_headers={"X-Layer": "default", "X-Remove": "r", "X-Keep": "k"})
    client.request(
        None,
        method="get",
        path="/x",
        headers={"x-layer": "call", "X-Num": 3, "X-Bool": True, "X-Skip": ng, "X-Color": Color.RED},
        options={"extra_headers": {"X-LAYER": "extra", "X-Remove": None, "User-Agent": None, "X-Other": ng}},
    )
    headers = rec.last.headers
    assert headers.get_list("x-layer") == ["extra"]
    assert headers["x-num"] == "3"
    assert headers["x-bool"] == "true"
    assert headers["x-color"] == "red"
    assert headers["x-keep"] == "k"
    for removed in ("x-remove", "user-agent", "x-skip", "x-other"):
        assert removed not in headers
    # per-call changes do not leak into the client
    client.request(None, method="get", path="/x")
    assert rec.last.headers["x-layer"] == "default"
    assert rec.last.headers["user-agent"] == "Acme/Python 1.2.3"


def test_json_body_conversion(rt: SimpleNamespace) -> None:
    ng = rt.types.NOT_GIVEN
    rec = Recorder()
    client = make_client(rt, rec)
    item = Item(id="i1", display_name="Nice")  # count/color unset -> omitted
    client.request(
        None,
        method="post",
        path="/items",
        json_body={
            "item": item,
            "optional": ng,
            "explicit_null": None,
            "nested": {"a": ng, "b": [Color.RED, {"c": ng, "d": "é"}]},
        },
    )
    request = rec.last
    assert request.headers["content-type"] == "application/json"
    assert request.content == (
        b'{"item":{"id":"i1","displayName":"Nice"},"explicit_null":null,' b'"nested":{"b":["red",{"d":"\xc3\xa9"}]}}'
    )
    # a model as the whole body
    client.request(None, method="post", path="/items", json_body=Item(id="i2", count=0))
    assert body_of(rec.last) == {"id": "i2", "count": 0}
    # a JSON null body is still a body
    client.request(None, method="post", path="/items", json_body=None)
    assert rec.last.content == b"null"
    with pytest.raises(TypeError):
        client.request(None, method="post", path="/items", json_body={"raw": b"bytes"})


def test_extra_body(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec)
    client.request(
        None,
        method="post",
        path="/items",
        json_body={"a": 1, "b": 2},
        options={"extra_body": {"b": 3, "c": Color.BLUE}},
    )
    assert body_of(rec.last) == {"a": 1, "b": 3, "c": "blue"}
    client.request(None, method="post", path="/items", options={"extra_body": {"only": True}})
    assert body_of(rec.last) == {"only": True}
    assert rec.last.headers["content-type"] == "application/json"
    with pytest.raises(TypeError):
        client.request(None, method="post", path="/items", json_body=[1], options={"extra_body": {"x": 1}})


def test_custom_content_type_is_kept(rt: SimpleNamespace) -> None:
    rec = Recorder()
    client = make_client(rt, rec)
    client.request(
        None,
        method="patch",
        path="/items/1",
        json_body={"a": 1},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert rec.last.headers.get_list("content-type") == ["application/merge-patch+json"]


def test_content_data_and_files(rt: SimpleNamespace) -> None:
    ng = rt.types.NOT_GIVEN
    rec = Recorder()
    client = make_client(rt, rec)
    client.request(
        None, method="put", path="/blob", content=b"\x00raw", headers={"Content-Type": "application/octet-stream"}
    )
    assert rec.last.content == b"\x00raw"
    assert rec.last.headers["content-type"] == "application/octet-stream"

    client.request(None, method="post", path="/form", data={"a": "1", "flag": True, "skip": ng, "n": None})
    assert rec.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert rec.last.content == b"a=1&flag=true"

    client.request(
        None,
        method="post",
        path="/files",
        data={"purpose": "fine-tune", "meta": {"k": "v"}},
        files={"file": ("data.jsonl", b'{"x":1}\n', "application/jsonl")},
        options={"extra_body": {"extra": "yes"}},
    )
    request = rec.last
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    content = request.read()
    assert b'name="purpose"\r\n\r\nfine-tune' in content
    assert b'name="meta"\r\n\r\n{"k":"v"}' in content
    assert b'name="extra"\r\n\r\nyes' in content
    assert b'filename="data.jsonl"' in content and b'{"x":1}\n' in content

    with pytest.raises(TypeError):
        client.request(None, method="post", path="/x", json_body={"a": 1}, content=b"x")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_errors(rt: SimpleNamespace, status: int, error_name: str) -> None:
    exc_mod = rt.exceptions
    body = {"error": {"message": "nope", "code": status}}
    rec = Recorder(httpx.Response(status, json=body, headers={"x-request-id": "req_123"}))
    client = make_client(rt, rec, max_retries=0)
    with pytest.raises(exc_mod.APIStatusError) as info:
        client.request(dict, method="get", path="/items/1")
    err = info.value
    assert type(err) is getattr(exc_mod, error_name)
    assert isinstance(err, exc_mod.APIError)
    assert err.status_code == status
    assert err.body == body
    assert err.request_id == "req_123"
    assert err.headers["x-request-id"] == "req_123"
    assert err.response.status_code == status
    assert err.request is rec.last
    assert str(err) == f'Error code: {status} - {{"error": {{"message": "nope", "code": {status}}}}}'
    assert err.message == str(err)


def test_status_error_text_body_request_id_and_truncation(rt: SimpleNamespace) -> None:
    exc_mod = rt.exceptions
    rec = Recorder(
        httpx.Response(502, text="bad gateway " * 500, headers={"request-id": "r-9", "content-type": "text/plain"})
    )
    client = make_client(rt, rec, max_retries=0)
    with pytest.raises(exc_mod.InternalServerError) as info:
        client.request(dict, method="get", path="/x")
    err = info.value
    assert err.body == "bad gateway " * 500
    assert err.request_id == "r-9"
    assert str(err).startswith("Error code: 502 - bad gateway bad gateway")
    assert len(str(err)) < exc_mod.MAX_BODY_IN_MESSAGE + 100

    empty = exc_mod.make_status_error(httpx.Response(404, request=httpx.Request("GET", BASE_URL)))
    assert isinstance(empty, exc_mod.NotFoundError)
    assert empty.body is None and empty.request_id is None
    assert str(empty) == "Error code: 404"


# ---------------------------------------------------------------------------
# Retries
# ---------------------------------------------------------------------------


def test_retry_429_then_success(rt: SimpleNamespace) -> None:
    rec = Recorder(httpx.Response(429), httpx.Response(500), httpx.Response(200, json={"id": "ok"}))
    client = make_client(rt, rec)
    assert client.request(Item, method="get", path="/items/ok") == Item(id="ok")
    assert len(rec.requests) == 3
    assert len(client.delays) == 2
    assert 0.375 <= client.delays[0] <= 0.5
    assert 0.75 <= client.delays[1] <= 1.0


def test_backoff_is_capped(rt: SimpleNamespace) -> None:
    rec = Recorder(httpx.Response(503))
    client = make_client(rt, rec, max_retries=6)
    with pytest.raises(rt.exceptions.InternalServerError):
        client.request(None, method="get", path="/x")
    assert len(rec.requests) == 7
    assert 6.0 <= client.delays[-1] <= 8.0
    assert all(delay <= 8.0 for delay in client.delays)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"retry-after": "3"}, 3.0, 3.0),
        ({"retry-after": "1.5"}, 1.5, 1.5),
        ({"retry-after-ms": "250"}, 0.25, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25, 0.25),
        ({"retry-after": "HTTP-DATE"}, 8.0, 10.5),
        ({"retry-after": "120"}, 0.375, 0.5),  # above 60 s: ignored, backoff used
        ({"retry-after": "0"}, 0.375, 0.5),
        ({"retry-after": "soon"}, 0.375, 0.5),
    ],
)
def test_retry_after_headers(rt: SimpleNamespace, headers: dict[str, str], low: float, high: float) -> None:
    if headers.get("retry-after") == "HTTP-DATE":
        headers = {"retry-after": email.utils.formatdate(time.time() + 10, usegmt=True)}
    rec = Recorder(httpx.Response(429, headers=headers), httpx.Response(200, json={}))
    client = make_client(rt, rec)
    client.request(None, method="get", path="/x")
    assert len(client.delays) == 1
    assert low <= client.delays[0] <= high


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_no_retry_on_client_errors(rt: SimpleNamespace, status: int) -> None:
    rec = Recorder(httpx.Response(status, json={}))
    client = make_client(rt, rec)
    with pytest.raises(rt.exceptions.APIStatusError):
        client.request(None, method="get", path="/x")
    assert len(rec.requests) == 1
    assert client.delays == []


@pytest.mark.parametrize("status", [408, 409])
def test_retry_on_408_and_409(rt: SimpleNamespace, status: int) -> None:
    rec = Recorder(httpx.Response(status), httpx.Response(200, json={}))
    client = make_client(rt, rec)
    client.request(None, method="get", path="/x")
    assert len(rec.requests) == 2


def test_x_should_retry_header(rt: SimpleNamespace) -> None:
    rec = Recorder(httpx.Response(400, headers={"x-should-retry": "true"}), httpx.Response(200, json={}))
    client = make_client(rt, rec)
    client.request(None, method="get", path="/x")
    assert len(rec.requests) == 2

    rec = Recorder(httpx.Response(503, headers={"x-should-retry": "false"}))
    client = make_client(rt, rec)
    with pytest.raises(rt.exceptions.InternalServerError):
        client.request(None, method="get", path="/x")
    assert len(rec.requests) == 1


def test_max_retries_zero_and_per_call_override(rt: SimpleNamespace) -> None:
    rec = Recorder(httpx.Response(429))
    client = make_client(rt, rec, max_retries=0)
    with pytest.raises(rt.exceptions.RateLimitError):
        client.request(None, method="get", path="/x")
    assert len(rec.requests) == 1

    rec = Recorder(httpx.Response(429))
    client = make_client(rt, rec)  # client default: 2 retries
    with pytest.raises(rt.exceptions.RateLimitError):
        client.request(None, method="get", path="/x", options={"max_retries": 0})
    assert len(rec.requests) == 1
    with pytest.raises(rt.exceptions.RateLimitError):
        client.request(None, method="get", path="/x", options={"max_retries": 3})
    assert len(rec.requests) == 1 + 4

    with pytest.raises(ValueError):
        make_client(rt, rec, max_retries=-1)


def test_timeout_becomes_api_timeout_error_after_retries(rt: SimpleNamespace) -> None:
    exc_mod = rt.exceptions

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    rec = Recorder(timeout)
    client = make_client(rt, rec)
    with pytest.raises(exc_mod.APITimeoutError) as info:
        client.request(None, method="get", path="/slow")
    assert len(rec.requests) == 3
    assert len(client.delays) == 2
    assert isinstance(info.value, exc_mod.APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert str(info.value) == "Request timed out."
    assert info.value.request.url.path == "/v1/slow"


def test_connection_error_then_success_and_failure(rt: SimpleNamespace) -> None:
    exc_mod = rt.exceptions

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    rec = Recorder(refuse, httpx.Response(200, json={"id": "a"}))
    client = make_client(rt, rec)
    assert client.request(Item, method="get", path="/x").id == "a"
    assert len(rec.requests) == 2

    rec = Recorder(refuse)
    client = make_client(rt, rec, max_retries=1)
    with pytest.raises(exc_mod.APIConnectionError) as info:
        client.request(None, method="get", path="/x")
    assert type(info.value) is exc_mod.APIConnectionError
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(rec.requests) == 2


def test_timeout_resolution(rt: SimpleNamespace) -> None:
    base = rt.base_client
    rec = Recorder()
    client = make_client(rt, rec)
    assert client.timeout == base.DEFAULT_TIMEOUT == httpx.Timeout(600.0, connect=5.0)
    client.request(None, method="get", path="/x")
    assert rec.last.extensions["timeout"] == base.DEFAULT_TIMEOUT.as_dict()
    client.request(None, method="get", path="/x", options={"timeout": 3.0})
    assert rec.last.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    client.request(None, method="get", path="/x", options={"timeout": None})
    assert rec.last.extensions["timeout"] == httpx.Timeout(None).as_dict()
    client.request(None, method="get", path="/x", options={"timeout": rt.types.NOT_GIVEN})
    assert rec.last.extensions["timeout"] == base.DEFAULT_TIMEOUT.as_dict()

    client = make_client(rt, rec, timeout=20)
    client.request(None, method="get", path="/x")
    assert rec.last.extensions["timeout"] == httpx.Timeout(20).as_dict()

    custom = rt.base_client.SyncAPIClient(
        client_name="Acme",
        version="1",
        base_url=BASE_URL,
        http_client=httpx.Client(timeout=42, transport=httpx.MockTransport(rec)),
    )
    assert custom.timeout == httpx.Timeout(42)


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


def test_cast_to_variants(rt: SimpleNamespace) -> None:
    rec = Recorder(
        lambda request: {
            "/none": httpx.Response(200, json={"ignored": True}),
            "/text": httpx.Response(200, text="héllo"),
            "/bytes": httpx.Response(200, content=b"\x00\x01"),
            "/raw": httpx.Response(201, json={"a": 1}),
            "/model": httpx.Response(200, json={"id": "m", "displayName": "M", "extra": 1}),
            "/list": httpx.Response(200, json=[{"id": "a"}, {"id": "b", "color": "red"}]),
            "/union": httpx.Response(200, json={"kind": "dog", "good": True}),
            "/empty": httpx.Response(204),
            "/dict": httpx.Response(200, json={"a": [1, 2]}),
        }[request.url.path.removeprefix("/v1")]
    )
    client = make_client(rt, rec)
    assert client.request(None, method="get", path="/none") is None
    assert client.request(str, method="get", path="/text") == "héllo"
    assert client.request(bytes, method="get", path="/bytes") == b"\x00\x01"
    raw = client.request(httpx.Response, method="get", path="/raw")
    assert isinstance(raw, httpx.Response) and raw.status_code == 201 and raw.json() == {"a": 1}
    model = client.request(Item, method="get", path="/model")
    assert model == Item(id="m", display_name="M")
    items = client.request(list[Item], method="get", path="/list")
    assert items == [Item(id="a"), Item(id="b", color=Color.RED)]
    assert client.request(Union[Cat, Dog], method="get", path="/union") == Dog(kind="dog", good=True)
    assert client.request(Optional[Item], method="get", path="/empty") is None
    assert client.request(None, method="delete", path="/empty") is None
    assert client.request(dict[str, list[int]], method="get", path="/dict") == {"a": [1, 2]}
    assert client.request(Any, method="get", path="/dict") == {"a": [1, 2]}
    # adapters are cached by type
    assert list[Item] in rt.models._ADAPTERS


def test_validation_failures(rt: SimpleNamespace) -> None:
    exc_mod = rt.exceptions
    rec = Recorder(
        lambda request: {
            "/bad": httpx.Response(200, json={"id": 5, "count": "many"}),
            "/empty": httpx.Response(200),
            "/html": httpx.Response(200, text="<html>oops</html>"),
        }[request.url.path.removeprefix("/v1")]
    )
    # Lenient by default: a mismatching body is kept as the server sent it ...
    lenient = make_client(rt, rec)
    kept = lenient.request(Item, method="get", path="/bad")
    assert isinstance(kept, Item)
    assert kept.model_fields_set == {"id", "count"}
    assert kept.count == "many"
    # ... but an empty or non-JSON body is an error even then.
    with pytest.raises(exc_mod.APIResponseValidationError, match="empty"):
        lenient.request(Item, method="get", path="/empty")
    # With strict validation on, a mismatch raises.
    client = make_client(rt, rec, strict_response_validation=True)
    with pytest.raises(exc_mod.APIResponseValidationError) as info:
        client.request(Item, method="get", path="/bad")
    err = info.value
    assert err.body == {"id": 5, "count": "many"}
    assert err.status_code == 200 and err.response.status_code == 200
    assert isinstance(err.__cause__, pydantic.ValidationError)
    assert "Item" in str(err) and "2 validation errors" in str(err)

    with pytest.raises(exc_mod.APIResponseValidationError) as info:
        client.request(list[Item], method="get", path="/bad")
    with pytest.raises(exc_mod.APIResponseValidationError, match="empty"):
        client.request(Item, method="get", path="/empty")
    with pytest.raises(exc_mod.APIResponseValidationError, match="not valid JSON") as info:
        client.request(Item, method="get", path="/html")
    assert info.value.body == "<html>oops</html>"
    assert len(rec.requests) == 6  # validation errors are never retried


# ---------------------------------------------------------------------------
# Credentials never leak
# ---------------------------------------------------------------------------


def make_secret_client_class(rt: SimpleNamespace) -> type:
    class SecretClient(rt.base_client.SyncAPIClient):  # type: ignore[misc,name-defined]
        def __init__(self, *, api_key: str, base_url: str | httpx.URL = BASE_URL, **kwargs: Any) -> None:
            self.api_key = api_key
            super().__init__(client_name="Acme", version="9.9", base_url=base_url, **kwargs)

        @property
        def auth_headers(self) -> dict[str, str]:
            return {"Authorization": f"Bearer {self.api_key}"}

        def _copy_kwargs(self) -> dict[str, Any]:
            return {**super()._copy_kwargs(), "api_key": self.api_key}

    return SecretClient


def test_credentials_never_leak(rt: SimpleNamespace, caplog: pytest.LogCaptureFixture) -> None:
    exc_mod = rt.exceptions
    secret_client = make_secret_client_class(rt)

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        if path == "/refuse":
            raise httpx.ConnectError("refused", request=request)
        return {
            "/ok": httpx.Response(200, json={}),
            "/unauthorized": httpx.Response(401, json={"error": f"Incorrect API key provided: {SECRET}"}),
            "/flaky": httpx.Response(503, text="busy"),
            "/bad": httpx.Response(200, json={"id": 1}),
        }[path]

    rec = Recorder(handler)
    caplog.set_level(logging.DEBUG, logger="acme")
    client = secret_client(
        api_key=SECRET,
        base_url=f"https://user:{SECRET}@api.example.com/v1",
        default_query={"api_key": SECRET},
        default_headers={"X-Api-Key": SECRET, "X-Auth-Token": SECRET},
        http_client=httpx.Client(transport=httpx.MockTransport(rec)),
        strict_response_validation=True,
    )
    client._sleep = lambda seconds: None

    client.request(None, method="get", path="/ok")
    assert rec.last.headers["x-api-key"] == SECRET  # it is sent, just never shown
    plain = client.copy(base_url=BASE_URL)
    plain.request(None, method="get", path="/ok")
    assert rec.last.headers["authorization"] == f"Bearer {SECRET}"
    texts = [repr(client), str(client), repr(plain)]
    for path, error in [
        ("/unauthorized", exc_mod.AuthenticationError),
        ("/flaky", exc_mod.InternalServerError),
        ("/refuse", exc_mod.APIConnectionError),
        ("/bad", exc_mod.APIResponseValidationError),
    ]:
        with pytest.raises(error) as info:
            client.request(Item, method="get", path=path)
        texts += [str(info.value), repr(info.value), info.value.message]
    with pytest.raises(exc_mod.AuthenticationError) as info:
        plain.request(None, method="get", path="/unauthorized")  # Bearer auth only
    assert SECRET in json.dumps(info.value.body)  # the data is kept as received ...
    assert "Incorrect API key provided: <redacted>" in str(info.value)  # ... the message is scrubbed
    texts += [str(info.value), repr(info.value)]
    texts += [repr(client.copy()), repr(client.with_options(max_retries=1))]
    texts += [record.getMessage() for record in caplog.records]
    assert any("Retrying" in text for text in texts)
    assert any("<redacted>" in text for text in texts)
    assert caplog.records, "debug logging should produce records"
    assert all(record.name == "acme" for record in caplog.records)
    for text in texts:
        assert SECRET not in text, text


# ---------------------------------------------------------------------------
# copy / with_options / close
# ---------------------------------------------------------------------------


def test_copy_and_with_options(rt: SimpleNamespace) -> None:
    secret_client = make_secret_client_class(rt)
    rec = Recorder()
    http_client = httpx.Client(transport=httpx.MockTransport(rec))
    client = secret_client(
        api_key="k1", default_headers={"X-A": "1"}, default_query={"q": "1"}, http_client=http_client
    )

    other = client.copy(api_key="k2", max_retries=7, timeout=3.0, default_headers={"X-B": "2"})
    assert type(other) is secret_client
    assert other.api_key == "k2" and client.api_key == "k1"
    assert other.max_retries == 7 and client.max_retries == 2
    assert other.timeout == 3.0 and client.timeout == rt.base_client.DEFAULT_TIMEOUT
    assert other._client is client._client  # the pool is shared ...
    assert other._custom_headers == {"X-A": "1", "X-B": "2"}  # ... nothing else
    assert client._custom_headers == {"X-A": "1"}
    other._custom_query["q"] = "changed"
    assert client._custom_query == {"q": "1"}

    other.request(None, method="get", path="/x")
    assert rec.last.headers["authorization"] == "Bearer k2"
    assert rec.last.headers["x-b"] == "2"

    plain = make_client(rt, rec)
    plain_copy = plain.with_options(base_url="https://other.example.com/v2", timeout=None)
    assert type(plain_copy) is type(plain)
    assert plain_copy.base_url == httpx.URL("https://other.example.com/v2")
    assert plain_copy.timeout is None
    assert plain_copy.user_agent == "Acme/Python 1.2.3"
    plain_copy.request(None, method="get", path="/y")
    assert str(rec.last.url) == "https://other.example.com/v2/y"


def test_close_and_context_manager(rt: SimpleNamespace) -> None:
    rec = Recorder()
    with make_client(rt, rec) as client:
        client.request(None, method="get", path="/x")
        assert not client.is_closed()
    assert client.is_closed()

    own = rt.base_client.SyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL)
    assert isinstance(own._client, httpx.Client)
    own.close()
    assert own.is_closed()


def test_make_request_options(rt: SimpleNamespace) -> None:
    make = rt.base_client.make_request_options
    assert make() == {}
    assert make(extra_headers={"a": "b"}, timeout=None, max_retries=0, extra_body={"x": 1}) == {
        "extra_headers": {"a": "b"},
        "timeout": None,
        "max_retries": 0,
        "extra_body": {"x": 1},
    }


# ---------------------------------------------------------------------------
# Async client
# ---------------------------------------------------------------------------


def test_async_request_and_retries(rt: SimpleNamespace) -> None:
    ng = rt.types.NOT_GIVEN

    async def main() -> None:
        rec = Recorder(httpx.Response(429, headers={"retry-after": "2"}), httpx.Response(200, json=[{"id": "a"}]))
        async with make_async_client(rt, rec, default_headers={"X-D": "d"}) as client:
            items = await client.request(
                list[Item],
                method="post",
                path=f"/things/{rt.utils.path_param('a/b')}",
                params={"tags": ["x", "y"], "skip": ng},
                headers={"X-Call": 1},
                json_body={"item": Item(id="z"), "skip": ng},
                options={"extra_headers": {"X-D": None}, "extra_body": {"more": 1}},
            )
            assert items == [Item(id="a")]
            assert client.delays == [2.0]
            request = rec.last
            assert str(request.url) == "https://api.example.com/v1/things/a%2Fb?tags=x&tags=y"
            assert request.headers["x-call"] == "1" and "x-d" not in request.headers
            assert request.headers["user-agent"] == "Acme/Python 1.2.3"
            assert body_of(request) == {"item": {"id": "z"}, "more": 1}
            assert await client.request(str, method="get", path="/t") == '[{"id":"a"}]'
        assert client.is_closed()

    asyncio.run(main())


def test_async_errors(rt: SimpleNamespace) -> None:
    exc_mod = rt.exceptions

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async def main() -> None:
        rec = Recorder(timeout)
        client = make_async_client(rt, rec)
        with pytest.raises(exc_mod.APITimeoutError):
            await client.request(None, method="get", path="/x")
        assert len(rec.requests) == 3 and len(client.delays) == 2

        rec = Recorder(refuse)
        client = make_async_client(rt, rec, max_retries=0)
        with pytest.raises(exc_mod.APIConnectionError):
            await client.request(None, method="get", path="/x")
        assert len(rec.requests) == 1

        rec = Recorder(httpx.Response(404, json={"error": "missing"}, headers={"x-request-id": "rq"}))
        client = make_async_client(rt, rec)
        with pytest.raises(exc_mod.NotFoundError) as info:
            await client.request(Item, method="get", path="/x")
        assert info.value.request_id == "rq" and info.value.body == {"error": "missing"}
        assert len(rec.requests) == 1

        rec = Recorder(httpx.Response(500), httpx.Response(500), httpx.Response(200, json={"id": 3}))
        client = make_async_client(rt, rec, strict_response_validation=True)
        with pytest.raises(exc_mod.APIResponseValidationError):
            await client.request(Item, method="get", path="/x", options={"timeout": 1.5})
        assert rec.last.extensions["timeout"] == httpx.Timeout(1.5).as_dict()
        assert len(rec.requests) == 3

        copied = client.copy(max_retries=0)
        assert isinstance(copied, rt.base_client.AsyncAPIClient) and copied._client is client._client
        await client.close()
        assert copied.is_closed()

    asyncio.run(main())


def test_async_default_sleep_is_asyncio(rt: SimpleNamespace) -> None:
    async def main() -> float:
        client = rt.base_client.AsyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL)
        start = time.monotonic()
        await client._sleep(0.01)
        await client.close()
        return time.monotonic() - start

    assert asyncio.run(main()) >= 0.005


# ---------------------------------------------------------------------------
# Static checks of the runtime files
# ---------------------------------------------------------------------------


def test_runtime_imports_only_allowed_modules() -> None:
    allowed = set(sys.stdlib_module_names) | {"httpx", "pydantic"}
    for source in sorted(RUNTIME_DIR.glob("*.py")):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{source.name} imports {name}"


def test_runtime_passes_mypy_strict(rt: SimpleNamespace) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            # The HTTP runtime; other runtime modules have their own tests.
            *(str(rt.pkg / name) for name in RUNTIME_MODULES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=rt.root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
