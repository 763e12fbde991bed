"""Server-sent events (templates/runtime/_streaming.py), sync and async."""

from __future__ import annotations

import asyncio
import gc
import random
from collections.abc import AsyncIterator, Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pydantic
import pytest

from test_runtime import Recorder, make_async_client, make_client, rt  # noqa: F401
from test_runtime_response import TrackedStream, demo  # noqa: F401  (fixtures)


class Chunk(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    index: int
    text: str = ""


def sse(*events: str) -> list[bytes]:
    return [event.encode() for event in events]


def decode(rt: SimpleNamespace, *chunks: bytes) -> list[Any]:
    return list(rt.streaming.SSEDecoder().iter_bytes(chunks))


# ---------------------------------------------------------------------------
# Decoder
# ---------------------------------------------------------------------------


def test_decoder_fields(rt: SimpleNamespace) -> None:  # noqa: F811
    event_cls = rt.streaming.ServerSentEvent
    events = decode(
        rt,
        b": a comment\n"
        b"event: update\n"
        b"id: 1\n"
        b"retry: 1500\n"
        b"data: first line\n"
        b"data:second line\n"
        b"data:  two spaces\n"
        b"unknown: ignored\n"
        b"\n"
        b"data\n"  # a field name alone: empty value
        b"\n"
        b"event: no-data\n"
        b"\n"  # no data: not dispatched, and the event name is reset
        b'data: {"a": 1}\n'
        b"id: bad\x00id\n"  # ignored (contains NUL)
        b"retry: 12a\n"  # ignored (not digits)
        b"\n",
    )
    assert events == [
        event_cls(data="first line\nsecond line\n two spaces", event="update", id="1", retry=1500),
        event_cls(data="", event=None, id="1", retry=None),  # the id carries over
        event_cls(data='{"a": 1}', event=None, id="1", retry=None),
    ]
    assert events[2].json() == {"a": 1}


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_decoder_line_endings(rt: SimpleNamespace, newline: bytes) -> None:  # noqa: F811
    body = newline.join([b"data: a", b"data: b", b"", b"event: e", b"data: c", b"", b""])
    whole = decode(rt, body)
    assert [(e.event, e.data) for e in whole] == [(None, "a\nb"), ("e", "c")]
    # fed byte by byte (a CRLF split between chunks, too) the result is the same
    assert decode(rt, *[body[i : i + 1] for i in range(len(body))]) == whole


def test_decoder_crlf_split_across_chunks(rt: SimpleNamespace) -> None:  # noqa: F811
    events = decode(rt, b"data: a\r", b"\n\r", b"\ndata: b\r\n", b"\r\n")
    assert [e.data for e in events] == ["a", "b"]
    # a lone CR at the end of a chunk followed by a new line that starts with text
    events = decode(rt, b"data: a\r", b"\r", b"data: b\r\r")
    assert [e.data for e in events] == ["a", "b"]


def test_decoder_utf8_split_and_bom(rt: SimpleNamespace) -> None:  # noqa: F811
    body = "\ufeffdata: héllo wörld ✓ 😀\n\n".encode()
    for _ in range(20):
        cuts = sorted(random.sample(range(1, len(body)), 5))
        chunks = [body[i:j] for i, j in zip([0, *cuts], [*cuts, len(body)])]
        assert [e.data for e in decode(rt, *chunks)] == ["héllo wörld ✓ 😀"]
    # only a leading BOM is removed
    assert [e.data for e in decode(rt, b"data: \xef\xbb\xbfx\n\n")] == ["\ufeffx"]


def test_decoder_discards_unterminated_event(rt: SimpleNamespace) -> None:  # noqa: F811
    assert [e.data for e in decode(rt, b"data: done\n\ndata: partial\n")] == ["done"]
    assert [e.data for e in decode(rt, b"data: done\n\ndata: no newline")] == ["done"]


def test_decoder_async(rt: SimpleNamespace) -> None:  # noqa: F811
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in (b"data: 1\r", b"\n\r\ndata: 2\n", b"\n"):
            yield chunk

    async def main() -> list[str]:
        return [e.data async for e in rt.streaming.SSEDecoder().aiter_bytes(chunks())]

    assert asyncio.run(main()) == ["1", "2"]


# ---------------------------------------------------------------------------
# Sync streams
# ---------------------------------------------------------------------------


def stream_client(rt: SimpleNamespace, body: Any, **kwargs: Any) -> tuple[Any, Recorder]:
    def handler(request: httpx.Request) -> httpx.Response:
        stream = body() if callable(body) else body
        return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})

    rec = Recorder(handler)
    return make_client(rt, rec, **kwargs), rec


def open_stream(client: Any, rt: SimpleNamespace, item: Any = Chunk, **kwargs: Any) -> Any:
    return client.request(
        None, method="post", path="/stream", stream=True, stream_cls=rt.streaming.Stream[item], **kwargs
    )


def test_stream_yields_typed_items_until_done(rt: SimpleNamespace) -> None:  # noqa: F811
    body = TrackedStream(
        sse(
            'data: {"index": 0, "text": "he"}\n\n',
            ": keep-alive\n\n",
            'data: {"index": 1,\ndata: "text": "llo"}\n\n',
            "data: [DONE]\n\n",
            'data: {"index": 99}\n\n',
        )
    )
    client, rec = stream_client(rt, body)
    stream = open_stream(client, rt)
    assert isinstance(stream, rt.streaming.Stream)
    assert body.served == 0  # nothing read yet
    assert isinstance(stream.response, httpx.Response)
    items = list(stream)
    assert items == [Chunk(index=0, text="he"), Chunk(index=1, text="llo")]
    assert body.served == 4  # stopped at [DONE], the rest is never read
    assert body.closed and stream.response.is_closed
    assert list(stream) == []  # a stream is iterated once
    assert len(rec.requests) == 1


def test_stream_ends_at_end_of_body_and_closes(rt: SimpleNamespace) -> None:  # noqa: F811
    body = TrackedStream(sse('data: {"index": 0}\n\n', 'data: {"index": 1}\n\n'))
    client, _ = stream_client(rt, body)
    assert [item.index for item in open_stream(client, rt)] == [0, 1]
    assert body.closed


def test_stream_str_and_any_items(rt: SimpleNamespace) -> None:  # noqa: F811
    chunks = sse("data: plain text\n\n", 'data: "json string"\n\n', "data: 42\n\n", "data: [DONE]\n\n")
    client, _ = stream_client(rt, lambda: TrackedStream(chunks))
    assert list(open_stream(client, rt, str)) == ["plain text", "json string", "42"]
    no_cls = client.request(None, method="get", path="/s", stream=True)
    assert isinstance(no_cls, rt.streaming.Stream)
    assert list(no_cls) == ["plain text", "json string", 42]


def test_stream_error_event_raises(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions
    body = TrackedStream(
        sse(
            'data: {"index": 0}\n\n',
            'event: error\ndata: {"error": {"message": "overloaded", "type": "server"}}\n\n',
            'data: {"index": 1}\n\n',
        )
    )
    client, _ = stream_client(rt, body)
    stream = open_stream(client, rt)
    assert next(stream) == Chunk(index=0)
    with pytest.raises(exc.APIStreamError) as info:
        next(stream)
    err = info.value
    assert isinstance(err, exc.APIError)
    assert str(err) == "overloaded"
    assert err.body == {"error": {"message": "overloaded", "type": "server"}}
    assert err.event == "error"
    assert err.response is stream.response and err.request is stream.response.request
    assert body.closed  # closed by the exception


def test_stream_error_object_raises(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions
    chunks = sse('data: {"index": 0, "error": null}\n\n', 'data: {"error": "quota exceeded"}\n\n')
    client, _ = stream_client(rt, lambda: TrackedStream(chunks))
    stream = open_stream(client, rt)
    assert next(stream).index == 0  # "error": null is not an error
    with pytest.raises(exc.APIStreamError, match="quota exceeded") as info:
        next(stream)
    assert info.value.event is None and info.value.body == {"error": "quota exceeded"}

    client, _ = stream_client(rt, lambda: TrackedStream(sse("event: error\ndata: boom\n\n")))
    with pytest.raises(exc.APIStreamError, match="boom"):
        list(open_stream(client, rt))
    client, _ = stream_client(rt, lambda: TrackedStream(sse("event: error\ndata: {}\n\n")))
    with pytest.raises(exc.APIStreamError, match="An error occurred during streaming"):
        list(open_stream(client, rt))


def test_stream_validation_error_closes(rt: SimpleNamespace) -> None:  # noqa: F811
    body = TrackedStream(sse('data: {"index": "not a number"}\n\n', 'data: {"index": 1}\n\n'))
    client, _ = stream_client(rt, body, strict_response_validation=True)
    with pytest.raises(rt.exceptions.APIResponseValidationError) as info:
        list(open_stream(client, rt))
    assert info.value.body == {"index": "not a number"}
    assert body.closed


def test_stream_closed_early(rt: SimpleNamespace) -> None:  # noqa: F811
    chunks = sse(*[f'data: {{"index": {i}}}\n\n' for i in range(5)])
    bodies: list[TrackedStream] = []

    def make() -> TrackedStream:
        bodies.append(TrackedStream(chunks))
        return bodies[-1]

    client, _ = stream_client(rt, make)

    # close()
    stream = open_stream(client, rt)
    assert next(stream).index == 0
    stream.close()
    assert bodies[0].closed and bodies[0].served == 1
    assert list(stream) == []
    stream.close()  # idempotent

    # context manager, left early
    with open_stream(client, rt) as stream:
        for item in stream:
            if item.index == 1:
                break
        assert not bodies[1].closed
    assert bodies[1].closed and bodies[1].served == 2

    # an exception in the loop body, inside a with block
    with pytest.raises(ZeroDivisionError):
        with open_stream(client, rt) as stream:
            for item in stream:
                1 / 0
    assert bodies[2].closed

    # closed before iterating at all
    with open_stream(client, rt):
        pass
    assert bodies[3].closed and bodies[3].served == 0

    # `break` out of a for loop over a stream nobody else references
    for item in open_stream(client, rt):
        break
    gc.collect()
    assert bodies[4].closed and bodies[4].served == 1


def test_stream_transport_error_mid_stream(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions

    class Broken(TrackedStream):
        def __init__(self, error: Exception) -> None:
            super().__init__([b'data: {"index": 0}\n\n'])
            self.error = error

        def __iter__(self) -> Iterator[bytes]:
            yield from super().__iter__()
            raise self.error

    for error, expected in [
        (httpx.ReadTimeout("slow"), exc.APITimeoutError),
        (httpx.RemoteProtocolError("cut"), exc.APIConnectionError),
    ]:
        body = Broken(error)
        client, rec = stream_client(rt, body)
        stream = open_stream(client, rt)
        assert next(stream).index == 0
        with pytest.raises(expected) as info:
            next(stream)
        assert info.value.__cause__ is error
        assert len(rec.requests) == 1  # no retry once the body is streaming
        assert body.closed


def test_stream_retries_before_streaming_and_raises_status_errors(
    rt: SimpleNamespace,  # noqa: F811
) -> None:
    exc = rt.exceptions

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    ok = TrackedStream(sse('data: {"index": 7}\n\n'))
    rec = Recorder(
        refuse,
        lambda request: httpx.Response(503, stream=TrackedStream([b"busy"])),
        lambda request: httpx.Response(200, stream=ok),
    )
    client = make_client(rt, rec)
    assert [item.index for item in open_stream(client, rt)] == [7]
    assert len(rec.requests) == 3 and len(client.delays) == 2

    error_body = TrackedStream([b'{"error": {"message": ', b'"bad"}}'])
    rec = Recorder(lambda request: httpx.Response(400, stream=error_body, headers={"content-type": "application/json"}))
    client = make_client(rt, rec)
    with pytest.raises(exc.BadRequestError) as info:
        open_stream(client, rt)
    assert info.value.body == {"error": {"message": "bad"}}  # the error body is read ...
    assert error_body.closed  # ... and the response closed


def test_stream_strict_validation(rt: SimpleNamespace) -> None:  # noqa: F811
    chunks = sse('data: {"index": 0}\n\n', 'data: {"index": 1, "surprise": true}\n\n')
    client, _ = stream_client(rt, lambda: TrackedStream(chunks))
    assert [item.index for item in open_stream(client, rt)] == [0, 1]
    strict = client.copy(strict_response_validation=True)
    stream = open_stream(strict, rt)
    assert next(stream).index == 0
    with pytest.raises(rt.exceptions.APIResponseValidationError, match="surprise"):
        next(stream)


def test_stream_subclass_and_demo_method(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    class ChunkStream(rt.streaming.Stream[Chunk]):  # type: ignore[misc,name-defined]
        pass

    chunks = sse('data: {"index": 3}\n\n', "data: [DONE]\n\n")
    client, _ = stream_client(rt, lambda: TrackedStream(chunks))
    stream = client.request(None, method="get", path="/s", stream=True, stream_cls=ChunkStream)
    assert isinstance(stream, ChunkStream) and list(stream) == [Chunk(index=3)]
    with pytest.raises(TypeError):
        client.request(None, method="get", path="/s", stream=True, stream_cls=list[int])

    events = sse('data: {"type": "started"}\n\n', 'data: {"type": "done"}\n\n', "data: [DONE]\n\n")
    rec = Recorder(lambda request: httpx.Response(200, stream=TrackedStream(events)))
    client = demo.Demo(http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    with client.fine_tuning.events("ft-1", stream=True) as stream:
        assert [event.type for event in stream] == ["started", "done"]
    assert rec.last.url.params["stream"] == "true"
    rec.responses = [httpx.Response(200, json=[{"type": "started"}])]
    assert client.fine_tuning.events("ft-1") == [demo.JobEvent(type="started")]


# ---------------------------------------------------------------------------
# Async streams
# ---------------------------------------------------------------------------


def async_stream_client(rt: SimpleNamespace, make: Any, **kwargs: Any) -> tuple[Any, Recorder]:
    rec = Recorder(lambda request: httpx.Response(200, stream=make()))
    return make_async_client(rt, rec, **kwargs), rec


async def open_async_stream(client: Any, rt: SimpleNamespace, item: Any = Chunk) -> Any:
    return await client.request(
        None, method="post", path="/stream", stream=True, stream_cls=rt.streaming.AsyncStream[item]
    )


def test_async_stream(rt: SimpleNamespace) -> None:  # noqa: F811
    exc = rt.exceptions
    chunks = sse(
        'data: {"index": 0}\n\n',
        'data: {"index": 1}\r\n\r\n',
        "data: [DONE]\n\n",
        'data: {"index": 2}\n\n',
    )

    async def main() -> None:
        bodies: list[TrackedStream] = []

        def make() -> TrackedStream:
            bodies.append(TrackedStream(chunks))
            return bodies[-1]

        client, rec = async_stream_client(rt, make)
        stream = await open_async_stream(client, rt)
        assert isinstance(stream, rt.streaming.AsyncStream)
        assert bodies[0].served == 0
        assert [item.index async for item in stream] == [0, 1]
        assert bodies[0].closed and bodies[0].served == 3

        # __anext__, close(), idempotent close
        stream = await open_async_stream(client, rt)
        assert (await stream.__anext__()).index == 0
        await stream.close()
        assert bodies[1].closed
        await stream.aclose()

        # async with, left early
        async with await open_async_stream(client, rt) as stream:
            async for item in stream:
                break
        assert bodies[2].closed and bodies[2].served == 1

        # exception in the block
        with pytest.raises(ZeroDivisionError):
            async with await open_async_stream(client, rt) as stream:
                async for item in stream:
                    1 / 0
        assert bodies[3].closed

        # str items
        stream = await open_async_stream(client, rt, str)
        assert [item async for item in stream] == ['{"index": 0}', '{"index": 1}']

        # error events
        err_client, _ = async_stream_client(
            rt, lambda: TrackedStream(sse('event: error\ndata: {"error": {"message": "nope"}}\n\n'))
        )
        stream = await open_async_stream(err_client, rt)
        with pytest.raises(exc.APIStreamError, match="nope"):
            async for item in stream:
                pass
        assert stream.response.is_closed

        # status errors and strict validation
        bad = make_async_client(rt, Recorder(httpx.Response(401, json={"error": "key"})))
        with pytest.raises(exc.AuthenticationError):
            await open_async_stream(bad, rt)
        strict_client, _ = async_stream_client(
            rt, lambda: TrackedStream(sse('data: {"index": 0, "x": 1}\n\n')), strict_response_validation=True
        )
        stream = await open_async_stream(strict_client, rt)
        with pytest.raises(exc.APIResponseValidationError):
            await stream.__anext__()

    asyncio.run(main())


def test_async_stream_transport_error_and_demo(rt: SimpleNamespace, demo: ModuleType) -> None:  # noqa: F811
    exc = rt.exceptions

    class Broken(TrackedStream):
        async def __aiter__(self) -> Any:
            yield b'data: {"index": 0}\n\n'
            raise httpx.ReadTimeout("slow")

    async def main() -> None:
        body = Broken([])
        client, rec = async_stream_client(rt, lambda: body)
        stream = await open_async_stream(client, rt)
        with pytest.raises(exc.APITimeoutError):
            async for item in stream:
                assert item.index == 0
        assert body.closed and len(rec.requests) == 1

        events = sse('data: {"type": "started"}\n\n', "data: [DONE]\n\n")
        rec = Recorder(lambda request: httpx.Response(200, stream=TrackedStream(events)))
        demo_client = demo.AsyncDemo(http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)))
        async with await demo_client.fine_tuning.events("ft-1", stream=True) as stream:
            assert [event.type async for event in stream] == ["started"]

    asyncio.run(main())
