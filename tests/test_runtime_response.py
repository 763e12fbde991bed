"""Raw and streamed response access (templates/runtime/_response.py).

A small hand-written resource and client, in exactly the shape the generator
renders, is written into the throw-away runtime package and exercised against
``httpx.MockTransport``; test_runtime_typing.py type-checks the same source.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import textwrap
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pytest

from test_runtime import PKG, Recorder, rt  # noqa: F401  (rt is a fixture)

DEMO_SOURCE = textwrap.dedent('''
    """A hand-written client in the shape of a generated one (tests only)."""

    from __future__ import annotations

    import builtins
    from functools import cached_property
    from typing import Any, Literal, Mapping, overload

    import httpx

    from ._base_client import (
        DEFAULT_MAX_RETRIES,
        AsyncAPIClient,
        SyncAPIClient,
        make_request_options,
    )
    from ._models import BaseModel, OpenStrEnum
    from ._pagination import AsyncCursorPage, AsyncPaginator, PageInfo, SyncCursorPage
    from ._response import (
        async_to_raw_response_wrapper,
        async_to_streamed_response_wrapper,
        to_raw_response_wrapper,
        to_streamed_response_wrapper,
    )
    from ._streaming import AsyncStream, Stream
    from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query
    from ._utils import path_param

    BASE_URL = "https://api.example.com/v1"


    class JobStatus(OpenStrEnum):
        RUNNING = "running"
        CANCELLED = "cancelled"


    class Job(BaseModel):
        id: str
        status: JobStatus | None = None


    class JobEvent(BaseModel):
        type: str
        message: str | None = None


    JOBS_PAGE = PageInfo(style="cursor", items_field="data", cursor_param="after")


    # A resource with a ``list`` method must spell the builtin ``builtins.list``
    # inside its class body (there ``list`` is the method).
    class FineTuningResource:
        def __init__(self, client: Demo) -> None:
            self._client = client

        @cached_property
        def with_raw_response(self) -> FineTuningResourceWithRawResponse:
            return FineTuningResourceWithRawResponse(self)

        @cached_property
        def with_streaming_response(self) -> FineTuningResourceWithStreamingResponse:
            return FineTuningResourceWithStreamingResponse(self)

        def cancel(
            self,
            id: str,
            *,
            extra_headers: Headers | None = None,
            extra_query: Query | None = None,
            extra_body: Body | None = None,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int | NotGiven = NOT_GIVEN,
        ) -> Job:
            result: Job = self._client.request(
                Job,
                method="post",
                path="/fine-tunes/" + path_param(id) + "/cancel",
                options=make_request_options(
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    extra_body=extra_body,
                    timeout=timeout,
                    max_retries=max_retries,
                ),
            )
            return result

        def list(
            self,
            *,
            after: str | NotGiven = NOT_GIVEN,
            limit: int | NotGiven = NOT_GIVEN,
            extra_headers: Headers | None = None,
            extra_query: Query | None = None,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int | NotGiven = NOT_GIVEN,
        ) -> SyncCursorPage[Job]:
            return self._client.request_page(
                SyncCursorPage[Job],
                JOBS_PAGE,
                method="get",
                path="/fine-tunes",
                params={"after": after, "limit": limit},
                options=make_request_options(
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    timeout=timeout,
                    max_retries=max_retries,
                ),
            )

        @overload
        def events(
            self, id: str, *, stream: Literal[False] = False, extra_headers: Headers | None = None
        ) -> builtins.list[JobEvent]: ...

        @overload
        def events(
            self, id: str, *, stream: Literal[True], extra_headers: Headers | None = None
        ) -> Stream[JobEvent]: ...

        def events(
            self, id: str, *, stream: bool = False, extra_headers: Headers | None = None
        ) -> builtins.list[JobEvent] | Stream[JobEvent]:
            result: builtins.list[JobEvent] | Stream[JobEvent] = self._client.request(
                builtins.list[JobEvent],
                method="get",
                path="/fine-tunes/" + path_param(id) + "/events",
                params={"stream": stream},
                options=make_request_options(extra_headers=extra_headers),
                stream=stream,
                stream_cls=Stream[JobEvent],
            )
            return result

        def delete(self, id: str) -> None:
            self._client.request(None, method="delete", path="/fine-tunes/" + path_param(id))


    class FineTuningResourceWithRawResponse:
        def __init__(self, resource: FineTuningResource) -> None:
            self.cancel = to_raw_response_wrapper(resource.cancel)
            self.list = to_raw_response_wrapper(resource.list)
            self.events = to_raw_response_wrapper(resource.events)
            self.delete = to_raw_response_wrapper(resource.delete)


    class FineTuningResourceWithStreamingResponse:
        def __init__(self, resource: FineTuningResource) -> None:
            self.cancel = to_streamed_response_wrapper(resource.cancel)
            self.list = to_streamed_response_wrapper(resource.list)
            self.events = to_streamed_response_wrapper(resource.events)
            self.delete = to_streamed_response_wrapper(resource.delete)


    class AsyncFineTuningResource:
        def __init__(self, client: AsyncDemo) -> None:
            self._client = client

        @cached_property
        def with_raw_response(self) -> AsyncFineTuningResourceWithRawResponse:
            return AsyncFineTuningResourceWithRawResponse(self)

        @cached_property
        def with_streaming_response(self) -> AsyncFineTuningResourceWithStreamingResponse:
            return AsyncFineTuningResourceWithStreamingResponse(self)

        async def cancel(
            self,
            id: str,
            *,
            extra_headers: Headers | None = None,
            extra_query: Query | None = None,
            extra_body: Body | None = None,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int | NotGiven = NOT_GIVEN,
        ) -> Job:
            result: Job = await self._client.request(
                Job,
                method="post",
                path="/fine-tunes/" + path_param(id) + "/cancel",
                options=make_request_options(
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    extra_body=extra_body,
                    timeout=timeout,
                    max_retries=max_retries,
                ),
            )
            return result

        def list(
            self,
            *,
            after: str | NotGiven = NOT_GIVEN,
            limit: int | NotGiven = NOT_GIVEN,
            extra_headers: Headers | None = None,
            extra_query: Query | None = None,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int | NotGiven = NOT_GIVEN,
        ) -> AsyncPaginator[AsyncCursorPage[Job]]:
            return self._client.request_page(
                AsyncCursorPage[Job],
                JOBS_PAGE,
                method="get",
                path="/fine-tunes",
                params={"after": after, "limit": limit},
                options=make_request_options(
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    timeout=timeout,
                    max_retries=max_retries,
                ),
            )

        @overload
        async def events(
            self, id: str, *, stream: Literal[False] = False, extra_headers: Headers | None = None
        ) -> builtins.list[JobEvent]: ...

        @overload
        async def events(
            self, id: str, *, stream: Literal[True], extra_headers: Headers | None = None
        ) -> AsyncStream[JobEvent]: ...

        async def events(
            self, id: str, *, stream: bool = False, extra_headers: Headers | None = None
        ) -> builtins.list[JobEvent] | AsyncStream[JobEvent]:
            result: builtins.list[JobEvent] | AsyncStream[JobEvent] = await self._client.request(
                builtins.list[JobEvent],
                method="get",
                path="/fine-tunes/" + path_param(id) + "/events",
                params={"stream": stream},
                options=make_request_options(extra_headers=extra_headers),
                stream=stream,
                stream_cls=AsyncStream[JobEvent],
            )
            return result

        async def delete(self, id: str) -> None:
            await self._client.request(None, method="delete", path="/fine-tunes/" + path_param(id))


    class AsyncFineTuningResourceWithRawResponse:
        def __init__(self, resource: AsyncFineTuningResource) -> None:
            self.cancel = async_to_raw_response_wrapper(resource.cancel)
            self.list = async_to_raw_response_wrapper(resource.list)
            self.events = async_to_raw_response_wrapper(resource.events)
            self.delete = async_to_raw_response_wrapper(resource.delete)


    class AsyncFineTuningResourceWithStreamingResponse:
        def __init__(self, resource: AsyncFineTuningResource) -> None:
            self.cancel = async_to_streamed_response_wrapper(resource.cancel)
            self.list = async_to_streamed_response_wrapper(resource.list)
            self.events = async_to_streamed_response_wrapper(resource.events)
            self.delete = async_to_streamed_response_wrapper(resource.delete)


    class Demo(SyncAPIClient):
        fine_tuning: FineTuningResource
        with_raw_response: DemoWithRawResponse
        with_streaming_response: DemoWithStreamedResponse

        def __init__(
            self,
            *,
            api_key: str = "sk-demo-key-123456",
            base_url: str | httpx.URL = BASE_URL,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int = DEFAULT_MAX_RETRIES,
            default_headers: Mapping[str, str] | None = None,
            default_query: Mapping[str, object] | None = None,
            http_client: httpx.Client | None = None,
            strict_response_validation: bool = False,
        ) -> None:
            self.api_key = api_key
            super().__init__(
                client_name="Demo",
                version="0.0.1",
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                default_headers=default_headers,
                default_query=default_query,
                http_client=http_client,
                idempotency_header="Idempotency-Key",
                log_env_var="DEMO_LOG",
                strict_response_validation=strict_response_validation,
            )
            self.fine_tuning = FineTuningResource(self)
            self.with_raw_response = DemoWithRawResponse(self)
            self.with_streaming_response = DemoWithStreamedResponse(self)

        @property
        def auth_headers(self) -> dict[str, str]:
            return {"Authorization": f"Bearer {self.api_key}"}

        def _copy_kwargs(self) -> dict[str, Any]:
            return {**super()._copy_kwargs(), "api_key": self.api_key}


    class DemoWithRawResponse:
        def __init__(self, client: Demo) -> None:
            self.fine_tuning = FineTuningResourceWithRawResponse(client.fine_tuning)


    class DemoWithStreamedResponse:
        def __init__(self, client: Demo) -> None:
            self.fine_tuning = FineTuningResourceWithStreamingResponse(client.fine_tuning)


    class AsyncDemo(AsyncAPIClient):
        fine_tuning: AsyncFineTuningResource
        with_raw_response: AsyncDemoWithRawResponse
        with_streaming_response: AsyncDemoWithStreamedResponse

        def __init__(
            self,
            *,
            api_key: str = "sk-demo-key-123456",
            base_url: str | httpx.URL = BASE_URL,
            timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
            max_retries: int = DEFAULT_MAX_RETRIES,
            default_headers: Mapping[str, str] | None = None,
            default_query: Mapping[str, object] | None = None,
            http_client: httpx.AsyncClient | None = None,
            strict_response_validation: bool = False,
        ) -> None:
            self.api_key = api_key
            super().__init__(
                client_name="Demo",
                version="0.0.1",
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                default_headers=default_headers,
                default_query=default_query,
                http_client=http_client,
                idempotency_header="Idempotency-Key",
                log_env_var="DEMO_LOG",
                strict_response_validation=strict_response_validation,
            )
            self.fine_tuning = AsyncFineTuningResource(self)
            self.with_raw_response = AsyncDemoWithRawResponse(self)
            self.with_streaming_response = AsyncDemoWithStreamedResponse(self)

        @property
        def auth_headers(self) -> dict[str, str]:
            return {"Authorization": f"Bearer {self.api_key}"}

        def _copy_kwargs(self) -> dict[str, Any]:
            return {**super()._copy_kwargs(), "api_key": self.api_key}


    class AsyncDemoWithRawResponse:
        def __init__(self, client: AsyncDemo) -> None:
            self.fine_tuning = AsyncFineTuningResourceWithRawResponse(client.fine_tuning)


    class AsyncDemoWithStreamedResponse:
        def __init__(self, client: AsyncDemo) -> None:
            self.fine_tuning = AsyncFineTuningResourceWithStreamingResponse(client.fine_tuning)
    ''')


def load_demo(pkg_dir: Any) -> ModuleType:
    """Write the demo client into the runtime package and import it."""
    (pkg_dir / "demo.py").write_text(DEMO_SOURCE)
    return importlib.import_module(f"{PKG}.demo")


@pytest.fixture(scope="module")
def demo(rt: SimpleNamespace) -> ModuleType:  # noqa: F811
    return load_demo(rt.pkg)


def demo_client(demo: ModuleType, recorder: Recorder, **kwargs: Any) -> Any:
    client = demo.Demo(http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **kwargs)
    client.delays = []
    client._sleep = client.delays.append
    return client


def async_demo_client(demo: ModuleType, recorder: Recorder, **kwargs: Any) -> Any:
    client = demo.AsyncDemo(http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)), **kwargs)
    client.delays = []

    async def fake_sleep(seconds: float) -> None:
        client.delays.append(seconds)

    client._sleep = fake_sleep
    return client


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that records how much of it was read and whether it was closed."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.served = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


JOB = {"id": "ft-1", "status": "cancelled"}


# ---------------------------------------------------------------------------
# Raw responses
# ---------------------------------------------------------------------------


def test_raw_response_sync(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    rec = Recorder(
        httpx.Response(503),
        httpx.Response(200, json=JOB, headers={"x-request-id": "req-1", "x-custom": "yes"}),
    )
    client = demo_client(demo, rec)
    response = client.with_raw_response.fine_tuning.cancel("ft/1", extra_headers={"X-Call": "1"})
    assert isinstance(response, rt.response.APIResponse)
    assert response.status_code == 200
    assert response.headers["x-custom"] == "yes"
    assert response.request_id == "req-1"
    assert response.retries_taken == 1
    assert isinstance(response.http_request, httpx.Request)
    assert response.http_request is rec.last
    assert response.http_request.headers["x-call"] == "1"
    assert response.http_request.url.raw_path == b"/v1/fine-tunes/ft%2F1/cancel"
    assert isinstance(response.http_response, httpx.Response)
    assert response.is_closed  # raw mode reads the body before returning
    assert json.loads(response.read()) == JOB
    assert response.json() == JOB
    assert json.loads(response.text()) == JOB
    assert b"".join(response.iter_bytes()) == response.read()
    assert "".join(response.iter_text()) == response.text()
    assert list(response.iter_lines()) == [response.text()]
    job = response.parse()
    assert job == demo.Job(id="ft-1", status=demo.JobStatus.CANCELLED)
    assert response.parse() is job  # cached
    assert "200" in repr(response) and "POST" in repr(response)
    response.close()
    # The resource-level accessor works the same way and is cached.
    resource = client.fine_tuning
    assert resource.with_raw_response is resource.with_raw_response
    assert resource.with_raw_response.cancel("ft-1").parse().id == "ft-1"
    # The plain call is unaffected by the wrappers.
    assert client.fine_tuning.cancel("ft-1") == job
    assert client.with_raw_response.fine_tuning.cancel.__name__ == "cancel"


def test_raw_response_errors_still_raise(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    exc = rt.exceptions
    rec = Recorder(httpx.Response(404, json={"error": "nope"}))
    client = demo_client(demo, rec)
    with pytest.raises(exc.NotFoundError) as info:
        client.with_raw_response.fine_tuning.cancel("ft-1")
    assert info.value.body == {"error": "nope"}
    with pytest.raises(exc.NotFoundError):
        with client.with_streaming_response.fine_tuning.cancel("ft-1"):
            pass  # pragma: no cover
    # validation errors surface at parse() time
    rec = Recorder(httpx.Response(200, json={"status": 5}))
    client = demo_client(demo, rec, strict_response_validation=True)
    response = client.with_raw_response.fine_tuning.cancel("ft-1")
    assert response.json() == {"status": 5}
    with pytest.raises(exc.APIResponseValidationError):
        response.parse()
    # and the mode never leaks out of the wrapper, even after an error
    assert rt.response.get_response_mode() is None


def test_raw_response_none_and_stream(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    rec = Recorder(
        lambda request: (
            httpx.Response(204)
            if request.method == "DELETE"
            else httpx.Response(
                200,
                content=b'data: {"type": "a"}\n\ndata: [DONE]\n\n',
                headers={"content-type": "text/event-stream"},
            )
        )
    )
    client = demo_client(demo, rec)
    response = client.with_raw_response.fine_tuning.delete("ft-1")
    assert response.status_code == 204 and response.parse() is None
    response = client.with_raw_response.fine_tuning.events("ft-1", stream=True)
    stream = response.parse()
    assert isinstance(stream, rt.streaming.Stream)
    assert [event.type for event in stream] == ["a"]
    assert rec.last.url.params["stream"] == "true"


def test_streamed_response_does_not_read_until_asked(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    bodies: list[TrackedStream] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = TrackedStream([b'{"id": "ft-1",', b' "status": "running"}'])
        bodies.append(body)
        return httpx.Response(200, stream=body, headers={"x-request-id": "r"})

    client = demo_client(demo, Recorder(handler))
    manager = client.with_streaming_response.fine_tuning.cancel("ft-1")
    assert bodies == []  # nothing is sent before the block is entered
    with manager as response:
        assert isinstance(response, rt.response.APIResponse)
        assert response.status_code == 200 and response.request_id == "r"
        assert bodies[0].served == 0 and not response.is_closed
        job = response.parse()
        assert job.status == demo.JobStatus.RUNNING
        assert bodies[0].served == 2
    assert response.is_closed and bodies[0].closed

    # left unread: closed on exit without reading
    with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
        assert bodies[1].served == 0
    assert bodies[1].served == 0 and bodies[1].closed

    # chunks, on demand
    with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
        chunks = list(response.iter_bytes())
    assert chunks == [b'{"id": "ft-1",', b' "status": "running"}'] and bodies[2].closed

    # an exception in the block still closes the response
    with pytest.raises(RuntimeError):
        with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
            raise RuntimeError("boom")
    assert bodies[3].closed and bodies[3].served == 0
    assert rt.response.get_response_mode() is None


def test_streamed_response_lines_and_text(demo: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=TrackedStream([b"line one\nline ", b"two\r\nthree"]))

    client = demo_client(demo, Recorder(handler))
    with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
        assert list(response.iter_lines()) == ["line one", "line two", "three"]
    with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
        assert "".join(response.iter_text()) == "line one\nline two\r\nthree"
    with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
        assert response.text() == "line one\nline two\r\nthree"


def test_streamed_response_with_sse_stream(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    body = TrackedStream([b'data: {"type": "a"}\n\n', b'data: {"type": "b"}\n\n', b"data: [DONE]\n\n"])
    client = demo_client(demo, Recorder(lambda request: httpx.Response(200, stream=body)))
    with client.with_streaming_response.fine_tuning.events("ft-1", stream=True) as response:
        assert body.served == 0
        stream = response.parse()
        assert next(iter(stream)).type == "a"
        assert body.served == 1
    assert body.closed


def test_raw_and_streamed_pages(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("after") == "ft-2":
            return httpx.Response(200, json={"data": [{"id": "ft-3"}], "has_more": False})
        return httpx.Response(200, json={"data": [{"id": "ft-1"}, {"id": "ft-2"}], "has_more": True})

    rec = Recorder(handler)
    client = demo_client(demo, rec)
    response = client.with_raw_response.fine_tuning.list(limit=2)
    assert response.status_code == 200 and len(rec.requests) == 1
    page = response.parse()
    assert isinstance(page, rt.pagination.SyncCursorPage)
    assert [job.id for job in page.items] == ["ft-1", "ft-2"]
    assert [job.id for job in page] == ["ft-1", "ft-2", "ft-3"]  # next pages: plain requests
    assert rec.last.url.params.multi_items() == [("after", "ft-2"), ("limit", "2")]

    with client.with_streaming_response.fine_tuning.list() as response:
        page = response.parse()
        assert page.has_next_page() and page.next_page().items[0].id == "ft-3"


# ---------------------------------------------------------------------------
# Async
# ---------------------------------------------------------------------------


def test_async_raw_response(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    async def main() -> None:
        rec = Recorder(httpx.Response(429), httpx.Response(200, json=JOB, headers={"x-a": "b"}))
        client = async_demo_client(demo, rec)
        response = await client.with_raw_response.fine_tuning.cancel("ft-1")
        assert isinstance(response, rt.response.AsyncAPIResponse)
        assert response.status_code == 200 and response.headers["x-a"] == "b"
        assert response.retries_taken == 1 and client.delays
        assert response.http_request is rec.last
        assert await response.json() == JOB
        assert json.loads(await response.text()) == JOB
        assert b"".join([chunk async for chunk in response.iter_bytes()]) == await response.read()
        assert [line async for line in response.iter_lines()] == [await response.text()]
        assert "".join([text async for text in response.iter_text()]) == await response.text()
        job = await response.parse()
        assert job.id == "ft-1" and await response.parse() is job
        await response.close()
        assert (await client.fine_tuning.with_raw_response.cancel("ft-1")).status_code == 200

        with pytest.raises(rt.exceptions.NotFoundError):
            await async_demo_client(demo, Recorder(httpx.Response(404))).with_raw_response.fine_tuning.cancel("x")
        deleted = await async_demo_client(demo, Recorder(httpx.Response(204))).with_raw_response.fine_tuning.delete("x")
        assert await deleted.parse() is None
        assert rt.response.get_response_mode() is None

    asyncio.run(main())


def test_async_streamed_response(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    async def main() -> None:
        bodies: list[TrackedStream] = []

        def handler(request: httpx.Request) -> httpx.Response:
            bodies.append(TrackedStream([b'{"id": "ft-1"', b"}"]))
            return httpx.Response(200, stream=bodies[-1])

        client = async_demo_client(demo, Recorder(handler))
        manager = client.with_streaming_response.fine_tuning.cancel("ft-1")
        assert bodies == []
        async with manager as response:
            assert isinstance(response, rt.response.AsyncAPIResponse)
            assert bodies[0].served == 0
            assert (await response.parse()).id == "ft-1"
        assert bodies[0].closed and response.is_closed

        async with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
            chunks = [chunk async for chunk in response.iter_bytes()]
        assert chunks == [b'{"id": "ft-1"', b"}"] and bodies[1].closed

        with pytest.raises(KeyError):
            async with client.with_streaming_response.fine_tuning.cancel("ft-1"):
                raise KeyError("boom")
        assert bodies[2].closed and bodies[2].served == 0
        assert rt.response.get_response_mode() is None

    asyncio.run(main())


def test_async_raw_and_streamed_pages_and_streams(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            return httpx.Response(200, content=b'data: {"type": "x"}\n\ndata: [DONE]\n\n')
        if request.url.params.get("after") == "ft-2":
            return httpx.Response(200, json={"data": [{"id": "ft-3"}], "has_more": False})
        return httpx.Response(200, json={"data": [{"id": "ft-1"}, {"id": "ft-2"}], "has_more": True})

    async def main() -> None:
        rec = Recorder(handler)
        client = async_demo_client(demo, rec)
        response = await client.with_raw_response.fine_tuning.list()
        assert isinstance(response, rt.response.AsyncAPIResponse)
        page = await response.parse()
        assert isinstance(page, rt.pagination.AsyncCursorPage)
        assert [job.id async for job in page] == ["ft-1", "ft-2", "ft-3"]

        async with client.with_streaming_response.fine_tuning.list() as response:
            page = await response.parse()
            assert [job.id for job in page.items] == ["ft-1", "ft-2"]

        response = await client.with_raw_response.fine_tuning.events("ft-1", stream=True)
        stream = await response.parse()
        assert isinstance(stream, rt.streaming.AsyncStream)
        assert [event.type async for event in stream] == ["x"]

    asyncio.run(main())


def test_wrapper_of_a_method_that_sends_nothing(rt: SimpleNamespace) -> None:  # noqa: F811
    wrapped = rt.response.to_raw_response_wrapper(lambda: 1)
    with pytest.raises(RuntimeError, match="did not send a request"):
        wrapped()
    with pytest.raises(RuntimeError):
        with rt.response.to_streamed_response_wrapper(lambda: None)():
            pass  # pragma: no cover

    async def nothing() -> None:
        return None

    with pytest.raises(RuntimeError):
        asyncio.run(rt.response.async_to_raw_response_wrapper(nothing)())
    assert rt.response.get_response_mode() is None


def test_only_the_first_request_is_captured(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    rec = Recorder(httpx.Response(200, json=JOB))
    client = demo_client(demo, rec)

    def two_calls() -> Any:
        first = client.fine_tuning.cancel("ft-1")
        second = client.fine_tuning.cancel("ft-2")  # a plain call: parsed
        assert isinstance(second, demo.Job)
        return first

    response = rt.response.to_raw_response_wrapper(two_calls)()
    assert isinstance(response, rt.response.APIResponse)
    assert response.http_request.url.path.endswith("/ft-1/cancel")


def test_streamed_response_closed_when_the_method_fails_after_sending(
    rt: SimpleNamespace, demo: ModuleType  # noqa: F811
) -> None:
    body = TrackedStream([b"{}"])
    client = demo_client(demo, Recorder(lambda request: httpx.Response(200, stream=body)))

    def send_then_fail() -> None:
        client.fine_tuning.cancel("ft-1")
        raise ValueError("after the request")

    with pytest.raises(ValueError):
        with rt.response.to_streamed_response_wrapper(send_then_fail)():
            pass  # pragma: no cover
    assert body.closed and body.served == 0


def test_wrappers_are_context_safe_across_tasks(demo: ModuleType) -> None:
    """A raw call in one task does not turn a concurrent plain call into a raw one."""

    async def main() -> None:
        async def handler_delay(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0)
            return httpx.Response(200, json=JOB)

        client = demo.AsyncDemo(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler_delay)))
        raw, plain = await asyncio.gather(
            client.with_raw_response.fine_tuning.cancel("ft-1"), client.fine_tuning.cancel("ft-1")
        )
        assert raw.status_code == 200
        assert isinstance(plain, demo.Job)

    asyncio.run(main())
