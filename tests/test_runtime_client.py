"""Client-level features of the runtime: idempotency keys, logging, strict
response validation and the transport (headers, pool, TLS, redirects)."""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import ssl
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace
from typing import Any, Optional

import httpx
import pydantic
import pytest

from test_runtime import (  # noqa: F401  (rt is a fixture)
    BASE_URL,
    RUNTIME_DIR,
    SECRET,
    Recorder,
    make_async_client,
    make_client,
    make_secret_client_class,
    rt,
)
from test_runtime_response import async_demo_client, demo, demo_client  # noqa: F401

KEY_RE = re.compile(r"^oagen-retry-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


# ---------------------------------------------------------------------------
# Idempotency keys
# ---------------------------------------------------------------------------


def test_idempotency_key_reused_across_retries(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder(httpx.Response(500), httpx.Response(429), httpx.Response(200, json={}))
    client = make_client(rt, rec, idempotency_header="Idempotency-Key")
    assert client.idempotency_header == "Idempotency-Key"
    client.request(None, method="post", path="/jobs", json_body={"a": 1})
    keys = [request.headers["idempotency-key"] for request in rec.requests]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert KEY_RE.match(keys[0]), keys[0]
    assert "stainless" not in keys[0]

    # a new logical request gets a new key
    client.request(None, method="post", path="/jobs")
    assert rec.last.headers["idempotency-key"] != keys[0]
    assert KEY_RE.match(rec.last.headers["idempotency-key"])


def test_idempotency_key_methods_and_overrides(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder()
    client = make_client(rt, rec, idempotency_header="Idempotency-Key")
    for method in ("put", "patch", "delete"):
        client.request(None, method=method, path="/x")
        assert KEY_RE.match(rec.last.headers["idempotency-key"])
    client.request(None, method="get", path="/x")
    assert "idempotency-key" not in rec.last.headers

    # the caller's own value wins, by any spelling or layer
    client.request(None, method="post", path="/x", headers={"idempotency-key": "mine"})
    assert rec.last.headers.get_list("idempotency-key") == ["mine"]
    client.request(None, method="post", path="/x", options={"extra_headers": {"IDEMPOTENCY-KEY": "extra"}})
    assert rec.last.headers.get_list("idempotency-key") == ["extra"]
    client.request(None, method="post", path="/x", options={"extra_headers": {"Idempotency-Key": None}})
    assert "idempotency-key" not in rec.last.headers
    with_default = client.copy(default_headers={"Idempotency-Key": "fixed"})
    assert with_default.idempotency_header == "Idempotency-Key"
    with_default.request(None, method="post", path="/x")
    assert rec.last.headers.get_list("idempotency-key") == ["fixed"]

    # off by default
    plain = make_client(rt, rec)
    assert plain.idempotency_header is None
    plain.request(None, method="post", path="/x")
    assert not [name for name in rec.last.headers if "idempotency" in name.lower()]


def test_idempotency_key_async_and_demo(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    async def main() -> None:
        rec = Recorder(httpx.Response(503), httpx.Response(200, json={}))
        client = make_async_client(rt, rec, idempotency_header="X-Idempotency-Key")
        await client.request(None, method="post", path="/x")
        keys = [request.headers["x-idempotency-key"] for request in rec.requests]
        assert len(keys) == 2 and keys[0] == keys[1] and KEY_RE.match(keys[0])

        rec = Recorder(httpx.Response(409), httpx.Response(200, json={"id": "ft-1"}))
        await async_demo_client(demo, rec).fine_tuning.cancel("ft-1")
        assert rec.requests[0].headers["idempotency-key"] == rec.requests[1].headers["idempotency-key"]

    asyncio.run(main())
    rec = Recorder(httpx.Response(502), httpx.Response(200, json={"id": "ft-1"}))
    client = demo_client(demo, rec)
    client.fine_tuning.cancel("ft-1")
    assert rec.requests[0].headers["idempotency-key"] == rec.requests[1].headers["idempotency-key"]
    assert client.copy().idempotency_header == "Idempotency-Key"


# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------


@pytest.fixture
def fresh_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("logco")
    saved = (logger.level, list(logger.handlers))
    logger.handlers = []
    logger.setLevel(logging.NOTSET)
    yield logger
    logger.setLevel(saved[0])
    logger.handlers = saved[1]


def make_log_client(rt: SimpleNamespace, rec: Recorder, **kwargs: Any) -> Any:  # noqa: F811
    secret_client = make_secret_client_class(rt)

    class LogClient(secret_client):  # type: ignore[misc,valid-type]
        def __init__(self, **kwargs: Any) -> None:
            self.api_key = kwargs.pop("api_key", SECRET)
            rt.base_client.SyncAPIClient.__init__(
                self, client_name="LogCo", version="1.0", log_env_var="LOGCO_LOG", **kwargs
            )

    client = LogClient(base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kwargs)
    client._sleep = lambda seconds: None
    return client


@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), ("INFO", logging.INFO)])
def test_log_env_var_configures_logger_once(
    rt: SimpleNamespace,  # noqa: F811
    fresh_logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    level: int,
) -> None:
    monkeypatch.setenv("LOGCO_LOG", value)
    rec = Recorder()
    make_log_client(rt, rec)
    make_log_client(rt, rec).copy(max_retries=1)
    assert fresh_logger.level == level
    handlers = [h for h in fresh_logger.handlers if isinstance(h, logging.StreamHandler)]
    assert len(handlers) == 1  # not one per client
    assert handlers[0].formatter is not None
    assert "%(name)s" in (handlers[0].formatter._fmt or "")


@pytest.mark.parametrize("value", ["", "warning", "verbose"])
def test_log_env_var_other_values_do_nothing(
    rt: SimpleNamespace,  # noqa: F811
    fresh_logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
) -> None:
    monkeypatch.setenv("LOGCO_LOG", value)
    make_log_client(rt, Recorder())
    assert fresh_logger.level == logging.NOTSET and fresh_logger.handlers == []


def test_logging_output_is_redacted(
    rt: SimpleNamespace,  # noqa: F811
    fresh_logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOGCO_LOG", "debug")
    rec = Recorder(httpx.Response(503), httpx.Response(200, json={}, headers={"x-request-id": "rq-1"}))
    client = make_log_client(
        rt,
        rec,
        default_headers={"X-Api-Key": SECRET},
        default_query={"api_key": SECRET},
    )
    client.request(None, method="get", path="/things")
    err = capsys.readouterr().err
    assert "Request: GET https://api.example.com/v1/things?api_key=<redacted>" in err
    assert "'authorization': '<redacted>'" in err and "'x-api-key': '<redacted>'" in err
    assert "Retrying GET" in err
    assert 'HTTP Response: GET https://api.example.com/v1/things?api_key=<redacted> "200 OK"' in err
    assert "request_id=rq-1" in err
    assert "logco" in err
    assert SECRET not in err

    # info shows responses and retries, not request headers
    monkeypatch.setenv("LOGCO_LOG", "info")
    client = make_log_client(rt, Recorder(httpx.Response(429), httpx.Response(200, json={})))
    client.request(None, method="get", path="/things")
    err = capsys.readouterr().err
    assert "HTTP Response" in err and "Retrying" in err and "Request: GET" not in err
    assert SECRET not in err


def test_logging_async_client(
    rt: SimpleNamespace,  # noqa: F811
    fresh_logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGCO_LOG", "info")

    async def main() -> None:
        client = rt.base_client.AsyncAPIClient(
            client_name="LogCo",
            version="1",
            base_url=BASE_URL,
            log_env_var="LOGCO_LOG",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(Recorder())),
        )
        await client.close()

    asyncio.run(main())
    assert fresh_logger.level == logging.INFO and len(fresh_logger.handlers) == 1


# ---------------------------------------------------------------------------
# Strict response validation
# ---------------------------------------------------------------------------


class Status(str, enum.Enum):
    ACTIVE = "active"


def open_models(rt: SimpleNamespace) -> tuple[type, type]:  # noqa: F811
    models = rt.models

    class OpenStatus(models.OpenStrEnum):  # type: ignore[misc,name-defined]
        ACTIVE = "active"

    class Inner(models.BaseModel):  # type: ignore[misc,name-defined]
        status: Optional[OpenStatus] = None

    class Outer(models.BaseModel):  # type: ignore[misc,name-defined]
        id: str
        inner: Optional[Inner] = None
        tags: list[OpenStatus] = []
        by_name: dict[str, Inner] = {}

    return OpenStatus, Outer


def test_strict_response_validation(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions
    open_status, outer = open_models(rt)
    bodies = {
        "/ok": {"id": "1", "inner": {"status": "active"}, "tags": ["active"]},
        "/extra": {"id": "1", "surprise": 1},
        "/nested-extra": {"id": "1", "by_name": {"k": {"status": "active", "new": True}}},
        "/enum": {"id": "1", "inner": {"status": "paused"}},
        "/enum-list": {"id": "1", "tags": ["active", "archived"]},
    }
    rec = Recorder(lambda request: httpx.Response(200, json=bodies[request.url.path.removeprefix("/v1")]))
    lenient = make_client(rt, rec)
    assert lenient.strict_response_validation is False
    # lenient by default: everything parses
    assert lenient.request(outer, method="get", path="/extra").model_extra == {"surprise": 1}
    assert lenient.request(outer, method="get", path="/enum").inner.status.value == "paused"
    assert lenient.request(outer, method="get", path="/enum-list").tags[1].name == "UNKNOWN_archived"

    strict = lenient.copy(strict_response_validation=True)
    assert strict.strict_response_validation is True and strict._client is lenient._client
    assert strict.request(outer, method="get", path="/ok").inner.status is open_status.ACTIVE
    expectations = {
        "/extra": "$: unexpected field 'surprise' in Outer",
        "/nested-extra": "$.by_name['k']: unexpected field 'new' in Inner",
        "/enum": "$.inner.status: unknown OpenStatus value 'paused'",
        "/enum-list": "$.tags[1]: unknown OpenStatus value 'archived'",
    }
    for path, message in expectations.items():
        with pytest.raises(exc.APIResponseValidationError) as info:
            strict.request(outer, method="get", path=path)
        assert message in str(info.value), str(info.value)
        assert info.value.body == bodies[path] and info.value.status_code == 200
    # lists and unions of models are walked too
    with pytest.raises(exc.APIResponseValidationError):
        strict.request(list[outer], method="get", path="/extra".replace("/extra", "/extra"))  # type: ignore[valid-type]
    assert len(strict.copy().request(dict, method="get", path="/extra")) == 2  # dicts have no schema
    assert strict.copy().strict_response_validation is True

    direct = rt.base_client.SyncAPIClient(
        client_name="Acme",
        version="1",
        base_url=BASE_URL,
        strict_response_validation=True,
        http_client=httpx.Client(transport=httpx.MockTransport(rec)),
    )
    with pytest.raises(exc.APIResponseValidationError):
        direct.request(outer, method="get", path="/enum")


def test_strict_response_validation_async_and_raw(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    exc = rt.exceptions
    body = {"id": "ft-1", "status": "paused"}

    async def main() -> None:
        client = async_demo_client(demo, Recorder(httpx.Response(200, json=body)), strict_response_validation=True)
        with pytest.raises(exc.APIResponseValidationError, match="paused"):
            await client.fine_tuning.cancel("ft-1")
        raw = await client.with_raw_response.fine_tuning.cancel("ft-1")
        assert raw.status_code == 200
        with pytest.raises(exc.APIResponseValidationError):
            await raw.parse()
        lenient = async_demo_client(demo, Recorder(httpx.Response(200, json=body)))
        assert (await lenient.fine_tuning.cancel("ft-1")).status.name == "UNKNOWN_paused"

    asyncio.run(main())
    client = demo_client(demo, Recorder(httpx.Response(200, json=body)), strict_response_validation=True)
    with pytest.raises(exc.APIResponseValidationError):
        client.fine_tuning.cancel("ft-1")
    with pytest.raises(exc.APIResponseValidationError):
        client.copy(strict_response_validation=False).copy(strict_response_validation=True).fine_tuning.cancel("x")
    assert client.copy(strict_response_validation=False).fine_tuning.cancel("x").id == "ft-1"


def test_find_unknown_values(rt: SimpleNamespace) -> None:  # noqa: F811
    find = rt.utils.find_unknown_values
    open_status, outer = open_models(rt)

    class Closed(pydantic.BaseModel):  # extra="ignore": nothing to report
        id: str

    assert find(Closed.model_validate({"id": "1", "x": 2})) == []
    assert find([{"a": open_status("new")}, (open_status.ACTIVE,)]) == ["$[0]['a']: unknown OpenStatus value 'new'"]
    assert find(Status.ACTIVE) == [] and find(None) == [] and find("UNKNOWN_x") == []


# ---------------------------------------------------------------------------
# Transport: headers, pool, TLS, redirects
# ---------------------------------------------------------------------------


def test_async_default_headers_user_agent_and_context_manager(rt: SimpleNamespace) -> None:  # noqa: F811
    async def main() -> None:
        rec = Recorder()
        async with make_async_client(rt, rec, default_headers={"X-Team": "core"}) as client:
            await client.request(None, method="get", path="/x")
            assert not client.is_closed()
        assert client.is_closed() and client._client.is_closed
        headers = rec.last.headers
        assert headers["user-agent"] == "Acme/Python 1.2.3"
        assert headers["accept"] == "application/json" and headers["x-team"] == "core"

        own = rt.base_client.AsyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL)
        async with own:
            assert isinstance(own._client, httpx.AsyncClient)
        assert own.is_closed()

    asyncio.run(main())


def test_http_client_is_used_and_closed(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder()
    http_client = httpx.Client(
        transport=httpx.MockTransport(rec), headers={"X-From-Pool": "yes"}, follow_redirects=False
    )
    with rt.base_client.SyncAPIClient(
        client_name="Acme", version="2.0", base_url=BASE_URL, http_client=http_client
    ) as client:
        assert client._client is http_client
        client.request(None, method="get", path="/x")
    assert http_client.is_closed
    assert rec.last.headers["x-from-pool"] == "yes"  # the configured client's headers are kept
    assert rec.last.headers["user-agent"] == "Acme/Python 2.0"  # ... ours win on conflicts
    with pytest.raises(TypeError):
        rt.base_client.SyncAPIClient(
            client_name="Acme", version="1", base_url=BASE_URL, http_client=httpx.AsyncClient()
        )


def test_tls_verification_stays_on(rt: SimpleNamespace) -> None:  # noqa: F811
    client = rt.base_client.SyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL)
    try:
        context = client._client._transport._pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert client._client.follow_redirects is True
    finally:
        client.close()
    for source in RUNTIME_DIR.glob("*.py"):
        text = source.read_text()
        assert "verify=False" not in text and "CERT_NONE" not in text, source.name


def redirecting(target: str, status: int = 307) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.com" and request.url.path == "/v1/start":
            return httpx.Response(status, headers={"location": target})
        return httpx.Response(200, json={"at": str(request.url)})

    return handler


def secret_client_following(rt: SimpleNamespace, rec: Recorder, **kwargs: Any) -> Any:  # noqa: F811
    secret_client = make_secret_client_class(rt)
    return secret_client(
        api_key=SECRET,
        default_headers={"X-Api-Key": SECRET, "X-Team": "core"},
        http_client=httpx.Client(transport=httpx.MockTransport(rec), follow_redirects=True),
        **kwargs,
    )


def test_cross_origin_redirect_drops_credentials(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder(redirecting("https://elsewhere.example.net/landing?x=1"))
    client = secret_client_following(rt, rec, idempotency_header="Idempotency-Key")
    result = client.request(dict, method="post", path="/start", json_body={"a": 1})
    assert result == {"at": "https://elsewhere.example.net/landing?x=1"}
    first, second = rec.requests
    assert first.headers["authorization"] == f"Bearer {SECRET}"
    assert first.headers["x-api-key"] == SECRET
    assert second.url.host == "elsewhere.example.net"
    for name in ("authorization", "x-api-key", "idempotency-key", "cookie"):
        assert name not in second.headers, name
    assert second.headers["x-team"] == "core" and second.headers["host"] == "elsewhere.example.net"
    assert second.method == "POST" and second.read() == b'{"a":1}'  # 307 keeps method and body


def test_same_origin_redirect_keeps_credentials(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder(redirecting("/v1/moved"))
    client = secret_client_following(rt, rec)
    client.request(None, method="get", path="/start")
    assert rec.last.url == httpx.URL("https://api.example.com/v1/moved")
    assert rec.last.headers["authorization"] == f"Bearer {SECRET}"
    assert rec.last.headers["x-api-key"] == SECRET

    # other port or scheme downgrade: another origin
    for target in ("https://api.example.com:8443/v1/x", "http://api.example.com/v1/x"):
        rec = Recorder(redirecting(target))
        secret_client_following(rt, rec).request(None, method="get", path="/start")
        assert "authorization" not in rec.last.headers and "x-api-key" not in rec.last.headers


def test_redirect_method_changes_and_limits(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions
    rec = Recorder(redirecting("https://api.example.com/v1/other", status=303))
    client = secret_client_following(rt, rec)
    client.request(None, method="post", path="/start", json_body={"a": 1})
    assert rec.last.method == "GET" and rec.last.content == b""
    assert "content-type" not in rec.last.headers and "content-length" not in rec.last.headers

    loop = Recorder(lambda request: httpx.Response(302, headers={"location": "/v1/start"}))
    with pytest.raises(exc.APIConnectionError) as info:
        secret_client_following(rt, loop).request(None, method="get", path="/start")
    assert isinstance(info.value.__cause__, httpx.TooManyRedirects)
    assert len(loop.requests) == 21  # max_redirects (20) + 1, and not retried

    bad = Recorder(redirecting("ftp://files.example.com/x"))
    with pytest.raises(exc.APIConnectionError):
        secret_client_following(rt, bad).request(None, method="get", path="/start")
    assert len(bad.requests) == 1

    # a client configured not to follow redirects gets the 3xx as an error
    rec = Recorder(redirecting("https://elsewhere.example.net/"))
    client = make_client(rt, rec, max_retries=0)
    with pytest.raises(exc.APIStatusError) as status_info:
        client.request(None, method="get", path="/start")
    assert status_info.value.status_code == 307 and len(rec.requests) == 1


def test_redirect_does_not_reapply_http_client_auth(rt: SimpleNamespace) -> None:  # noqa: F811
    rec = Recorder(redirecting("https://elsewhere.example.net/landing"))
    http_client = httpx.Client(
        transport=httpx.MockTransport(rec), follow_redirects=True, auth=httpx.BasicAuth("u", SECRET)
    )
    client = rt.base_client.SyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL, http_client=http_client)
    client.request(None, method="get", path="/start")
    assert rec.requests[0].headers["authorization"].startswith("Basic ")
    assert "authorization" not in rec.last.headers

    rec = Recorder(redirecting("/v1/same-origin"))
    http_client = httpx.Client(
        transport=httpx.MockTransport(rec), follow_redirects=True, auth=httpx.BasicAuth("u", SECRET)
    )
    client = rt.base_client.SyncAPIClient(client_name="Acme", version="1", base_url=BASE_URL, http_client=http_client)
    client.request(None, method="get", path="/start")
    assert rec.last.headers["authorization"] == rec.requests[0].headers["authorization"]


def test_redirect_history_and_raw_request(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    rec = Recorder(redirecting("https://api.example.com/v1/final"))
    client = secret_client_following(rt, rec)
    response = client.request(httpx.Response, method="get", path="/start")
    assert [r.status_code for r in response.history] == [307]
    assert response.request.url.path == "/v1/final"


def test_async_cross_origin_redirect(rt: SimpleNamespace) -> None:  # noqa: F811
    async def main() -> None:
        rec = Recorder(redirecting("https://elsewhere.example.net/landing"))
        client = rt.base_client.AsyncAPIClient(
            client_name="Acme",
            version="1",
            base_url=BASE_URL,
            default_headers={"Authorization": f"Bearer {SECRET}", "X-Auth-Token": SECRET, "X-Team": "t"},
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec), follow_redirects=True),
        )
        assert await client.request(dict, method="get", path="/start") == {
            "at": "https://elsewhere.example.net/landing"
        }
        assert "authorization" not in rec.last.headers and "x-auth-token" not in rec.last.headers
        assert rec.last.headers["x-team"] == "t"

        loop = Recorder(lambda request: httpx.Response(301, headers={"location": "/v1/start"}))
        client = make_async_client(rt, loop)
        client._client = httpx.AsyncClient(transport=httpx.MockTransport(loop), follow_redirects=True, max_redirects=3)
        with pytest.raises(rt.exceptions.APIConnectionError):
            await client.request(None, method="get", path="/start")
        assert len(loop.requests) == 4

    asyncio.run(main())
