"""Server-sent events: a spec-compliant decoder and typed event streams.

This module is copied verbatim into every generated package.

A method that streams returns :class:`Stream` (sync) or :class:`AsyncStream`
(async).  Iterating it yields one value per event: the event's data parsed as
JSON and validated against the item type.  The stream ends at a ``[DONE]``
event or at the end of the body; an ``error`` event (or an event whose data
has a top-level ``error``) raises :class:`APIStreamError`.  The response is
closed when the stream is exhausted, closed, left by an exception or by a
``with`` block::

    with client.chat.create(..., stream=True) as stream:
        for chunk in stream:
            ...
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Generator,
    Iterable,
    Iterator,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
    DecodeError,
)
from ._utils import find_unknown_values, request_secrets, scrub

__all__ = ["ServerSentEvent", "SSEDecoder", "Stream", "AsyncStream", "DONE"]

_T = TypeVar("_T")

DONE = "[DONE]"
"""Data of the event that ends a stream."""

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event.

    ``event`` is ``None`` when the event has no ``event:`` field (the
    standard's ``"message"`` type); ``id`` is the last event ID seen so far in
    the stream (it carries over to later events, as the standard says);
    ``retry`` is the reconnection time in milliseconds given with this event.
    """

    data: str = ""
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


class SSEDecoder:
    """Incremental decoder of a ``text/event-stream`` body (WHATWG HTML, 9.2).

    Feed it bytes as they arrive; it yields complete events.  Handles CRLF,
    CR and LF line endings (also split across chunks), UTF-8 sequences split
    across chunks, a leading byte-order mark, comments, multi-line ``data``
    (joined with ``\\n``), ``event``, ``id`` and ``retry`` fields.  An event
    that is not terminated by a blank line when the body ends is discarded.
    """

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._skip_lf = False
        self._started = False
        self._data: list[str] = []
        self._event = ""
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode *chunk*; return the events it completes."""
        return self._feed_text(self._text.decode(chunk))

    def flush(self) -> list[ServerSentEvent]:
        """End of the body: an unterminated event is discarded and the state reset."""
        events = self._feed_text(self._text.decode(b"", final=True))
        self._pending = ""
        self._data = []
        self._event = ""
        self._retry = None
        return events

    def iter_bytes(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    async def aiter_bytes(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
        async for chunk in chunks:
            for event in self.feed(chunk):
                yield event
        for event in self.flush():
            yield event

    def _feed_text(self, text: str) -> list[ServerSentEvent]:
        if not text:
            return []
        if not self._started:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        if self._skip_lf:
            self._skip_lf = False
            if text.startswith("\n"):
                text = text[1:]
        buffer = self._pending + text
        lines = _LINE_END.split(buffer)
        self._pending = lines.pop()
        if buffer.endswith("\r"):
            # A CR ends the line; a LF right after it (next chunk) belongs to it.
            self._skip_lf = True
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self.decode_line(line)
            if event is not None:
                events.append(event)
        return events

    def decode_line(self, line: str) -> ServerSentEvent | None:
        """Process one line (without its line ending); return an event on a blank line."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id":
            if "\0" not in value:
                self._last_id = value
        elif field == "retry":
            if value.isascii() and value.isdigit():
                self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = ServerSentEvent(
            data="\n".join(self._data),
            event=self._event or None,
            id=self._last_id,
            retry=self._retry,
        )
        self._data = []
        self._event = ""
        self._retry = None
        return event


# ----------------------------------------------------------------------
# Typed streams
# ----------------------------------------------------------------------


class _BaseStream(Generic[_T]):
    response: httpx.Response
    """The streaming :class:`httpx.Response`."""

    def __init__(self, *, cast_to: Any, response: httpx.Response, strict: bool = False) -> None:
        self.response = response
        self._cast_to = cast_to
        self._strict = strict
        self._decoder = SSEDecoder()

    def _process(self, sse: ServerSentEvent) -> _T:
        """The value of one event, or an :class:`APIStreamError`."""
        try:
            data: object = json.loads(sse.data)
        except ValueError:
            data = sse.data
        if sse.event == "error" or (isinstance(data, dict) and data.get("error") is not None):
            raise self._error(sse, data)
        if self._cast_to is str and not isinstance(data, str):
            data = sse.data
        cast_to = self._cast_to
        # the model layer is imported on first use (see _utils.is_model)
        from ._models import decode, decode_lenient, dropped_fields

        try:
            value: Any = decode(cast_to, data)
        except DecodeError as exc:
            if not self._strict and data is not None:
                return decode_lenient(cast_to, data)  # type: ignore[no-any-return]
            raise APIResponseValidationError(
                self.response,
                data,
                message=f"A streamed event does not match {_describe(cast_to)} "
                f"({exc.error_count} validation error{'s' if exc.error_count != 1 else ''}).",
            ) from exc.cause
        if self._strict:
            unknown = dropped_fields(value, data) + find_unknown_values(value)
            if unknown:
                raise APIResponseValidationError(
                    self.response,
                    data,
                    message=f"A streamed event does not strictly match {_describe(cast_to)}: "
                    + "; ".join(unknown[:5]),
                )
        return value  # type: ignore[no-any-return]

    def _error(self, sse: ServerSentEvent, body: object) -> APIStreamError:
        message = _error_message(body)
        message = scrub(message, request_secrets(self.response.request))
        return APIStreamError(message, response=self.response, body=body, event=sse.event)

    def _transport_error(self, exc: httpx.TransportError) -> APIConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(self.response.request)
        return APIConnectionError(request=self.response.request)


def _error_message(body: object) -> str:
    error = body.get("error") if isinstance(body, dict) else body
    if isinstance(error, dict):
        message = error.get("message")
        if isinstance(message, str) and message:
            return message
    if isinstance(error, str) and error.strip():
        return error.strip()
    return "An error occurred during streaming."


def _describe(cast_to: Any) -> str:
    name = getattr(cast_to, "__name__", None)
    return str(name) if isinstance(cast_to, type) and name else repr(cast_to)[:200]


class Stream(_BaseStream[_T]):
    """A synchronous stream of server-sent events, each validated into ``_T``.

    Iterate it once (``for item in stream``).  Use it as a context manager or
    call :meth:`close` to release the connection before the end.
    """

    def __init__(self, *, cast_to: Any, response: httpx.Response, strict: bool = False) -> None:
        super().__init__(cast_to=cast_to, response=response, strict=strict)
        self._iterator = self._iterate()

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def _events(self) -> Iterator[ServerSentEvent]:
        try:
            yield from self._decoder.iter_bytes(self.response.iter_bytes())
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc

    def _iterate(self) -> Generator[_T, None, None]:
        try:
            for sse in self._events():
                if sse.data.strip() == DONE:
                    break
                yield self._process(sse)
        finally:
            self.response.close()

    def close(self) -> None:
        """Stop the stream and release the connection (safe to call twice)."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(_BaseStream[_T]):
    """An asynchronous stream of server-sent events (``async for item in stream``)."""

    def __init__(self, *, cast_to: Any, response: httpx.Response, strict: bool = False) -> None:
        super().__init__(cast_to=cast_to, response=response, strict=strict)
        self._iterator = self._iterate()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def _events(self) -> AsyncGenerator[ServerSentEvent, None]:
        try:
            async for sse in self._decoder.aiter_bytes(self.response.aiter_bytes()):
                yield sse
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc

    async def _iterate(self) -> AsyncGenerator[_T, None]:
        events = self._events()
        try:
            async for sse in events:
                if sse.data.strip() == DONE:
                    break
                yield self._process(sse)
        finally:
            await events.aclose()
            await self.response.aclose()

    async def close(self) -> None:
        """Stop the stream and release the connection (safe to call twice)."""
        await self._iterator.aclose()
        await self.response.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
