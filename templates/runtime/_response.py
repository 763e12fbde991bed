"""Raw and streamed access to the HTTP response of any generated method.

This module is copied verbatim into every generated package.

Generated resources expose two views of every method::

    response = client.with_raw_response.fine_tuning.cancel("ft-1")
    response.status_code, response.headers, response.http_request
    job = response.parse()  # what client.fine_tuning.cancel("ft-1") returns

    with client.with_streaming_response.files.content("file-1") as response:
        for chunk in response.iter_bytes():  # the body is read only now
            ...
    # the response is closed here

Both work by wrapping the ordinary method: while the wrapped method runs, a
:class:`contextvars.ContextVar` tells the base client's ``request`` to return
an :class:`APIResponse` instead of the parsed value (``"raw"``), or to also
leave the body unread (``"stream"``).  The first request the method sends is
captured, so the wrapper returns its response whatever the method does with
the value (methods returning ``None`` need not return it).  Non-2xx responses
still raise the typed errors.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx

__all__ = [
    "ResponseMode",
    "get_response_mode",
    "capture_response",
    "APIResponse",
    "AsyncAPIResponse",
    "to_raw_response_wrapper",
    "async_to_raw_response_wrapper",
    "to_streamed_response_wrapper",
    "async_to_streamed_response_wrapper",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")

ResponseMode = Literal["raw", "stream"]
"""``"raw"``: return an :class:`APIResponse` with the body read; ``"stream"``: unread."""


class _Capture:
    """What a wrapper asked for, and the response of the first request sent for it."""

    __slots__ = ("mode", "response")

    def __init__(self, mode: ResponseMode) -> None:
        self.mode: ResponseMode = mode
        self.response: _BaseAPIResponse[Any] | None = None


_CAPTURE: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar(
    "oagen_response_capture", default=None
)

_UNSET: Any = object()


def get_response_mode() -> ResponseMode | None:
    """The mode a wrapper asked for, or ``None`` for a plain call.

    Only the first request sent under a wrapper is affected; once a response
    has been captured, further requests are plain.
    """
    capture = _CAPTURE.get()
    if capture is None or capture.response is not None:
        return None
    return capture.mode


def capture_response(response: _BaseAPIResponse[Any]) -> None:
    """Hand *response* to the wrapper that asked for it (the base client calls this)."""
    capture = _CAPTURE.get()
    if capture is not None and capture.response is None:
        capture.response = response


def _captured(capture: _Capture, result: object, func: Callable[..., object]) -> Any:
    if capture.response is not None:
        return capture.response
    if isinstance(result, _BaseAPIResponse):
        return result
    name = getattr(func, "__qualname__", repr(func))
    raise RuntimeError(f"{name} did not send a request, so there is no response to return")


class _BaseAPIResponse(Generic[_R]):
    """What the sync and async responses have in common."""

    http_response: httpx.Response
    """The underlying :class:`httpx.Response` (of the last attempt, after redirects)."""

    retries_taken: int
    """How many times the request was retried before this response arrived."""

    def __init__(
        self,
        *,
        raw: httpx.Response,
        parser: Callable[[httpx.Response], _R],
        retries_taken: int = 0,
        stream: bool = False,
    ) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._parser = parser
        self._is_stream = stream
        self._parsed: Any = _UNSET

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        """The :class:`httpx.Request` that produced this response."""
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def reason_phrase(self) -> str:
        return self.http_response.reason_phrase

    @property
    def request_id(self) -> str | None:
        headers = self.http_response.headers
        value: str | None = headers.get("x-request-id") or headers.get("request-id")
        return value

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [{self.status_code} {self.reason_phrase}] "
            f"{self.method} {self.url.path}>"
        )


class APIResponse(_BaseAPIResponse[_R]):
    """A response of a synchronous client, with the parsed value on demand."""

    def parse(self) -> _R:
        """The value the method returns normally (parsed once, then cached).

        Reads the body first unless the method returns a stream (whose events
        are read as you iterate it).  Raises like the plain call would, e.g.
        :class:`APIResponseValidationError`.
        """
        if self._parsed is _UNSET:
            if not self._is_stream:
                self.http_response.read()
            self._parsed = self._parser(self.http_response)
        return cast(_R, self._parsed)

    def read(self) -> bytes:
        """The whole body (read now if it was not yet)."""
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        return json.loads(self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The (decoded) body in chunks, without keeping it in memory."""
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        yield from self.http_response.iter_lines()

    def close(self) -> None:
        """Release the connection (a streamed body that was not read is discarded)."""
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_R]):
    """A response of an asynchronous client, with the parsed value on demand."""

    async def parse(self) -> _R:
        """The value the method returns normally (parsed once, then cached)."""
        if self._parsed is _UNSET:
            if not self._is_stream:
                await self.http_response.aread()
            self._parsed = self._parser(self.http_response)
        return cast(_R, self._parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        return json.loads(await self.read())

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        async for line in self.http_response.aiter_lines():
            yield line

    async def close(self) -> None:
        await self.http_response.aclose()


# ----------------------------------------------------------------------
# Wrappers
# ----------------------------------------------------------------------


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """Wrap a sync method so that it returns an :class:`APIResponse` of its result.

    The body is read before the call returns; ``.parse()`` gives the result.
    """

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        capture = _Capture("raw")
        token = _CAPTURE.set(capture)
        try:
            result = func(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return cast(APIResponse[_R], _captured(capture, result, func))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    """Wrap an async method so that it returns an :class:`AsyncAPIResponse` of its result."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_R]:
        capture = _Capture("raw")
        token = _CAPTURE.set(capture)
        try:
            result = await func(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return cast(AsyncAPIResponse[_R], _captured(capture, result, func))

    return wrapped


class _StreamedResponseContext(AbstractContextManager[APIResponse[_R]]):
    """Sends the request on ``__enter__``; closes the response on ``__exit__``."""

    def __init__(self, send: Callable[[], object], func: Callable[..., object]) -> None:
        self._send = send
        self._func = func
        self._response: APIResponse[_R] | None = None

    def __enter__(self) -> APIResponse[_R]:
        capture = _Capture("stream")
        token = _CAPTURE.set(capture)
        try:
            result = self._send()
        except BaseException:
            if capture.response is not None:  # the method failed after the request
                capture.response.http_response.close()
            raise
        finally:
            _CAPTURE.reset(token)
        self._response = cast(APIResponse[_R], _captured(capture, result, self._func))
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class _AsyncStreamedResponseContext(AbstractAsyncContextManager[AsyncAPIResponse[_R]]):
    def __init__(self, send: Callable[[], Awaitable[object]], func: Callable[..., object]) -> None:
        self._send = send
        self._func = func
        self._response: AsyncAPIResponse[_R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[_R]:
        capture = _Capture("stream")
        token = _CAPTURE.set(capture)
        try:
            result = await self._send()
        except BaseException:
            if capture.response is not None:  # the method failed after the request
                await capture.response.http_response.aclose()
            raise
        finally:
            _CAPTURE.reset(token)
        self._response = cast(AsyncAPIResponse[_R], _captured(capture, result, self._func))
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(
    func: Callable[_P, _R],
) -> Callable[_P, AbstractContextManager[APIResponse[_R]]]:
    """Wrap a sync method so that it returns a context manager of an unread response.

    The request is sent when the ``with`` block is entered; the body is read
    only when asked (``read()``, ``iter_bytes()``, ``parse()`` ...); the
    response is closed when the block is left.
    """

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AbstractContextManager[APIResponse[_R]]:
        return _StreamedResponseContext(lambda: func(*args, **kwargs), func)

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AbstractAsyncContextManager[AsyncAPIResponse[_R]]]:
    """Async counterpart of :func:`to_streamed_response_wrapper` (``async with``)."""

    @functools.wraps(func)
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AbstractAsyncContextManager[AsyncAPIResponse[_R]]:
        async def send() -> object:
            return await func(*args, **kwargs)

        return _AsyncStreamedResponseContext(send, func)

    return wrapped
