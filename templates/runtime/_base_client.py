"""HTTP machinery shared by every generated client.

This module is copied verbatim into every generated package.  The generated
``Client``/``AsyncClient`` classes subclass :class:`SyncAPIClient` /
:class:`AsyncAPIClient`, override :attr:`~SyncAPIClient.auth_headers` and
:meth:`~SyncAPIClient._copy_kwargs`, and call :meth:`~SyncAPIClient.request`
from their resource methods.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

import httpx
import pydantic

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    make_status_error,
)
from ._types import NOT_GIVEN, FileTypes, Headers, NotGiven, Query, RequestOptions, Timeout
from ._utils import (
    encode_form,
    encode_query,
    is_given,
    merge_headers,
    redact_headers,
    redact_url,
    request_secrets,
    scrub,
    to_jsonable,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_CONNECTION_LIMITS",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_DELAY",
    "SyncAPIClient",
    "AsyncAPIClient",
    "make_request_options",
]

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
"""600 s for reading/writing/pool acquisition, 5 s to connect."""

DEFAULT_MAX_RETRIES = 2

DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""``Retry-After`` values above this (in seconds) are ignored in favour of backoff."""

_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)

# Transport errors that retrying cannot fix.
_NOT_RETRYABLE_TRANSPORT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SelfT = TypeVar("_SelfT", bound="BaseClient[Any]")

_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def _type_adapter(cast_to: Any) -> pydantic.TypeAdapter[Any]:
    """A cached :class:`pydantic.TypeAdapter` for *cast_to*."""
    try:
        return _ADAPTERS[cast_to]
    except KeyError:
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(cast_to)
        _ADAPTERS[cast_to] = adapter
        return adapter
    except TypeError:  # unhashable type expression: do not cache
        return pydantic.TypeAdapter(cast_to)


def make_request_options(
    *,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: object | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
) -> RequestOptions:
    """Build :class:`RequestOptions` from a generated method's keyword arguments.

    Only the options that were actually given end up in the result.
    """
    options: RequestOptions = {}
    if extra_headers is not None:
        options["extra_headers"] = extra_headers
    if extra_query is not None:
        options["extra_query"] = extra_query
    if extra_body is not None:
        options["extra_body"] = extra_body
    if is_given(timeout):
        options["timeout"] = timeout
    if is_given(max_retries):
        options["max_retries"] = max_retries
    return options


@dataclass(frozen=True)
class _PreparedRequest:
    """Everything needed to (re)build the httpx request of one call."""

    method: str
    url: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    removed_headers: frozenset[str]
    content: bytes | str | None
    data: Mapping[str, Any] | None
    files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None
    timeout: Timeout
    max_retries: int


class BaseClient(Generic[_HttpxClientT]):
    """State and logic shared by :class:`SyncAPIClient` and :class:`AsyncAPIClient`."""

    _client: _HttpxClientT

    def __init__(
        self,
        *,
        client_name: str,
        version: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpxClientT | None = None,
    ) -> None:
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}")
        if not is_given(timeout):
            # A custom http_client with a non-default timeout keeps that timeout.
            if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
                timeout = http_client.timeout
            else:
                timeout = DEFAULT_TIMEOUT
        self._client_name = client_name
        self._version = version
        self._base_url = httpx.URL(str(base_url))
        self.timeout: Timeout = timeout
        self.max_retries: int = max_retries
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._log = logging.getLogger(client_name.lower())
        self._client = http_client if http_client is not None else self._make_http_client(timeout)

    def _make_http_client(self, timeout: Timeout) -> _HttpxClientT:
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------

    @property
    def base_url(self) -> httpx.URL:
        return self._base_url

    @property
    def user_agent(self) -> str:
        return f"{self._client_name}/Python {self._version}"

    @property
    def auth_headers(self) -> dict[str, str]:
        """Headers that authenticate a request; generated subclasses override this.

        It is evaluated for every attempt, so it may return refreshed tokens.
        """
        return {}

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent with every request, before per-call headers.

        ``Accept`` and ``User-Agent``, then :attr:`auth_headers`, then the
        ``default_headers`` given to the constructor (names compare
        case-insensitively; later ones win).
        """
        merged, _ = merge_headers(
            {"Accept": "application/json", "User-Agent": self.user_agent},
            self.auth_headers,
            self._custom_headers,
        )
        return merged

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def _copy_kwargs(self) -> dict[str, Any]:
        """Constructor keyword arguments that recreate this client.

        Generated subclasses extend the result with their own arguments
        (credentials and so on)::

            def _copy_kwargs(self) -> dict[str, Any]:
                return {**super()._copy_kwargs(), "api_key": self.api_key}

        ``client_name`` and ``version`` are only included when the class still
        uses the base constructor (generated subclasses pass them themselves).
        """
        kwargs: dict[str, Any] = {
            "base_url": self._base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": dict(self._custom_headers),
            "default_query": dict(self._custom_query),
            "http_client": self._client,
        }
        if type(self).__init__ in (
            BaseClient.__init__,
            SyncAPIClient.__init__,
            AsyncAPIClient.__init__,
        ):
            kwargs["client_name"] = self._client_name
            kwargs["version"] = self._version
        return kwargs

    def copy(
        self: _SelfT,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpxClientT | None = None,
        **overrides: Any,
    ) -> _SelfT:
        """A new client of the same class with some settings changed.

        The copy shares the connection pool (the ``http_client``) with this
        client unless a new ``http_client`` is given; nothing else is shared.
        ``default_headers`` and ``default_query`` are merged over the current
        ones; every other argument replaces the current value.  Extra keyword
        arguments (e.g. ``api_key``) go to the subclass constructor.

        Because the pool is shared, closing the copy closes this client's pool
        too (and vice versa).
        """
        kwargs = self._copy_kwargs()
        if base_url is not None:
            kwargs["base_url"] = base_url
        if is_given(timeout):
            kwargs["timeout"] = timeout
        if is_given(max_retries):
            kwargs["max_retries"] = max_retries
        if default_headers is not None:
            kwargs["default_headers"] = {**kwargs.get("default_headers", {}), **default_headers}
        if default_query is not None:
            kwargs["default_query"] = {**kwargs.get("default_query", {}), **default_query}
        if http_client is not None:
            kwargs["http_client"] = http_client
        kwargs.update(overrides)
        return type(self)(**kwargs)

    with_options = copy

    def __repr__(self) -> str:
        # Deliberately minimal: never include headers, query defaults or credentials.
        return (
            f"<{type(self).__name__} base_url={redact_url(self._base_url)!r} "
            f"max_retries={self.max_retries} timeout={self.timeout!r}>"
        )

    # ------------------------------------------------------------------
    # Building requests
    # ------------------------------------------------------------------

    def _build_url(self, path: str) -> tuple[str, dict[str, object]]:
        """Join *path* to the base URL; return the URL without query, and its query.

        *path* is already percent-encoded and may carry a query string of its
        own (``"/responses?beta=true"``); so may the base URL.  A key in the
        path's query replaces the same key of the base URL's.  An absolute
        ``http(s)://`` *path* is used as it is.
        """
        path, _, path_query = path.partition("?")
        if path.startswith(("http://", "https://")):
            url, query_strings = path, [path_query]
        else:
            if not path.startswith("/"):
                path = "/" + path
            base, _, base_query = str(self._base_url).partition("?")
            url, query_strings = base.rstrip("/") + path, [base_query, path_query]
        query: dict[str, object] = {}
        for query_string in query_strings:
            layer: dict[str, list[str]] = {}
            for key, value in httpx.QueryParams(query_string).multi_items():
                layer.setdefault(key, []).append(value)
            query.update(
                {key: values[0] if len(values) == 1 else values for key, values in layer.items()}
            )
        return url, query

    def _prepare(
        self,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        json_body: object,
        content: bytes | str | None,
        data: Mapping[str, object] | None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None,
        options: RequestOptions | None,
    ) -> _PreparedRequest:
        options = options or {}
        extra_body = options.get("extra_body")
        body_kinds = sum(
            (is_given(json_body), content is not None, data is not None or files is not None)
        )
        if body_kinds > 1:
            raise TypeError("pass only one of json_body, content, or data/files")

        merged_headers, removed = merge_headers(headers, options.get("extra_headers"))

        if is_given(json_body) or (extra_body is not None and body_kinds == 0):
            body = to_jsonable(json_body) if is_given(json_body) else None
            if extra_body is not None:
                extra = to_jsonable(extra_body)
                if body is None:
                    body = extra
                elif isinstance(body, dict) and isinstance(extra, dict):
                    body = {**body, **extra}
                else:
                    raise TypeError("extra_body can only be merged into a JSON object body")
            content = json.dumps(
                body, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            ).encode("utf-8")
            if not any(name.lower() == "content-type" for name in merged_headers):
                merged_headers["Content-Type"] = "application/json"
            removed.discard("content-type")
        elif extra_body is not None:
            if content is not None:
                raise TypeError("extra_body cannot be combined with a raw content body")
            if not isinstance(extra_body, Mapping):
                raise TypeError("extra_body must be a mapping for a form or multipart body")
            data = {**(data or {}), **extra_body}

        form = encode_form(data) if data is not None else None

        url, path_query = self._build_url(path)
        timeout = options.get("timeout", NOT_GIVEN)
        max_retries = options.get("max_retries", NOT_GIVEN)
        return _PreparedRequest(
            method=method.upper(),
            url=url,
            # Precedence: client defaults < query in the path < params < extra_query.
            params=encode_query(self._custom_query, path_query, params, options.get("extra_query")),
            headers=merged_headers,
            removed_headers=frozenset(removed),
            content=content,
            data=form,
            files=files,
            timeout=timeout if is_given(timeout) else self.timeout,
            max_retries=max_retries if is_given(max_retries) else self.max_retries,
        )

    def _build_request(self, prepared: _PreparedRequest) -> httpx.Request:
        headers, _ = merge_headers(self.default_headers, prepared.headers)
        for name in prepared.removed_headers:
            headers = {key: value for key, value in headers.items() if key.lower() != name}
        request = self._client.build_request(
            prepared.method,
            prepared.url,
            params=tuple(prepared.params) or None,
            headers=headers,
            content=prepared.content,
            data=prepared.data,
            files=prepared.files,
            timeout=prepared.timeout,
        )
        # Removal must also beat the http client's own defaults (e.g. User-Agent).
        for name in prepared.removed_headers:
            if name in request.headers:
                del request.headers[name]
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                "Request: %s %s headers=%s",
                request.method,
                redact_url(request.url),
                redact_headers(request.headers.multi_items()),
            )
        return request

    # ------------------------------------------------------------------
    # Retries
    # ------------------------------------------------------------------

    @staticmethod
    def _should_retry(response: httpx.Response) -> bool:
        should_retry = response.headers.get("x-should-retry", "").strip().lower()
        if should_retry == "true":
            return True
        if should_retry == "false":
            return False
        status = response.status_code
        return status in (408, 409, 429) or status >= 500

    @staticmethod
    def _retry_after(response: httpx.Response | None) -> float | None:
        """Seconds the server asked us to wait, from ``retry-after-ms``/``Retry-After``."""
        if response is None:
            return None
        headers = response.headers
        value: float | None = None
        retry_after_ms = headers.get("retry-after-ms")
        if retry_after_ms:
            try:
                value = float(retry_after_ms) / 1000.0
            except ValueError:
                value = None
        if value is None:
            retry_after = headers.get("retry-after")
            if retry_after:
                try:
                    value = float(retry_after)
                except ValueError:
                    parsed = email.utils.parsedate_tz(retry_after)
                    if parsed is not None:
                        value = email.utils.mktime_tz(parsed) - time.time()
        if value is not None and value == value and 0 < value <= MAX_RETRY_AFTER:
            return value
        return None

    def _retry_delay(self, retries_taken: int, response: httpx.Response | None) -> float:
        """How long to sleep before retry number ``retries_taken + 1``."""
        retry_after = self._retry_after(response)
        if retry_after is not None:
            return retry_after
        delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _log_retry(
        self, request: httpx.Request, delay: float, reason: str, retries_left: int
    ) -> None:
        self._log.debug(
            "Retrying %s %s in %.3f seconds (%s; %d retr%s left)",
            request.method,
            redact_url(request.url),
            delay,
            reason,
            retries_left,
            "y" if retries_left == 1 else "ies",
        )

    def _log_response(self, response: httpx.Response) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                'Response: %s %s "%d %s" request_id=%s',
                response.request.method,
                redact_url(response.request.url),
                response.status_code,
                response.reason_phrase,
                response.headers.get("x-request-id") or response.headers.get("request-id"),
            )

    # ------------------------------------------------------------------
    # Responses
    # ------------------------------------------------------------------

    def _process_response(self, cast_to: Any, response: httpx.Response) -> Any:
        """Turn a successful (and fully read) response into ``cast_to``."""
        if cast_to is None or cast_to is type(None):
            return None
        if cast_to is httpx.Response:
            return response
        if cast_to is str:
            return response.text
        if cast_to is bytes:
            return response.content

        if not response.content.strip():
            data: object = None
        else:
            try:
                data = json.loads(response.content)
            except ValueError as exc:
                raise APIResponseValidationError(
                    response,
                    response.text,
                    message=f"The response body is not valid JSON ({_describe(cast_to)} expected).",
                ) from exc
        try:
            if isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel):
                return cast_to.model_validate(data)
            return _type_adapter(cast_to).validate_python(data)
        except pydantic.ValidationError as exc:
            if data is None:
                message = f"The response body is empty ({_describe(cast_to)} expected)."
            else:
                message = (
                    f"The response body does not match {_describe(cast_to)} "
                    f"({exc.error_count()} validation error{'s' if exc.error_count() != 1 else ''})."
                )
            raise APIResponseValidationError(response, data, message=message) from exc


def _scrubbed(error: APIError) -> APIError:
    """*error* with any credential of its request removed from the message.

    Servers sometimes echo a rejected key back in the error body, which ends
    up in the message; ``error.body`` keeps the data as received.
    """
    message = scrub(error.message, request_secrets(error.request))
    if message != error.message:
        error.message = message
        error.args = (message,)
    return error


def _describe(cast_to: Any) -> str:
    name = getattr(cast_to, "__name__", None)
    if isinstance(cast_to, type) and name:
        return str(name)
    text = repr(cast_to)
    return text if len(text) <= 200 else text[:200] + "..."


# ----------------------------------------------------------------------
# Sync
# ----------------------------------------------------------------------


class SyncAPIClient(BaseClient[httpx.Client]):
    """Base class of generated synchronous clients.

    Closing (``close()`` or leaving a ``with`` block) closes the underlying
    ``httpx.Client`` -- also one passed in as ``http_client``, as the OpenAI
    SDK does: the client takes ownership of the pool it is given.  Copies made
    with :meth:`copy` share the pool, so closing one closes all of them.
    """

    def __init__(
        self,
        *,
        client_name: str,
        version: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"http_client must be an httpx.Client, got {type(http_client).__name__}"
            )
        super().__init__(
            client_name=client_name,
            version=version,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    def _make_http_client(self, timeout: Timeout) -> httpx.Client:
        return httpx.Client(
            timeout=timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=True
        )

    def _sleep(self, seconds: float) -> None:
        """Wait between retries (tests replace this)."""
        time.sleep(seconds)

    @overload
    def request(
        self,
        cast_to: None,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> None: ...

    @overload
    def request(
        self,
        cast_to: type[_T],
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> _T: ...

    @overload
    def request(
        self,
        cast_to: Any,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> Any: ...

    def request(
        self,
        cast_to: Any,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Send a request, retrying as configured, and return the parsed response.

        *cast_to* selects the result: ``None`` (nothing), ``httpx.Response``
        (the raw response), ``str`` (text), ``bytes`` (content) or any type
        pydantic can validate the JSON body against.

        Raises :class:`APIStatusError` subclasses for non-2xx responses,
        :class:`APITimeoutError`/:class:`APIConnectionError` when no response
        arrived and :class:`APIResponseValidationError` when the body does not
        match *cast_to*.
        """
        prepared = self._prepare(
            method=method,
            path=path,
            params=params,
            headers=headers,
            json_body=json_body,
            content=content,
            data=data,
            files=files,
            options=options,
        )
        retries_taken = 0
        while True:
            request = self._build_request(prepared)
            retries_left = prepared.max_retries - retries_taken
            try:
                response = self._client.send(request)
            except httpx.TransportError as exc:
                retryable = not isinstance(exc, _NOT_RETRYABLE_TRANSPORT_ERRORS)
                if retryable and retries_left > 0:
                    delay = self._retry_delay(retries_taken, None)
                    self._log_retry(request, delay, type(exc).__name__, retries_left - 1)
                    self._sleep(delay)
                    retries_taken += 1
                    continue
                self._log.debug("Request failed: %s", type(exc).__name__)
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request=request) from exc
            except httpx.RequestError as exc:  # e.g. TooManyRedirects, DecodingError
                raise APIConnectionError(request=request) from exc

            self._log_response(response)
            if response.is_success:
                return self._process_response(cast_to, response)
            if retries_left > 0 and self._should_retry(response):
                delay = self._retry_delay(retries_taken, response)
                self._log_retry(request, delay, f"status {response.status_code}", retries_left - 1)
                response.close()
                self._sleep(delay)
                retries_taken += 1
                continue
            raise _scrubbed(make_status_error(response))

    def is_closed(self) -> bool:
        return self._client.is_closed

    def close(self) -> None:
        """Close the underlying ``httpx.Client`` (see the class docstring)."""
        if hasattr(self, "_client"):
            self._client.close()

    def __enter__(self: _SyncSelfT) -> _SyncSelfT:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()


_SyncSelfT = TypeVar("_SyncSelfT", bound=SyncAPIClient)


# ----------------------------------------------------------------------
# Async
# ----------------------------------------------------------------------


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """Base class of generated asynchronous clients.

    Closing (``await close()`` or leaving an ``async with`` block) closes the
    underlying ``httpx.AsyncClient`` -- also one passed in as
    ``http_client``, as the OpenAI SDK does.  Copies made with :meth:`copy`
    share the pool, so closing one closes all of them.
    """

    def __init__(
        self,
        *,
        client_name: str,
        version: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        super().__init__(
            client_name=client_name,
            version=version,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    def _make_http_client(self, timeout: Timeout) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=True
        )

    async def _sleep(self, seconds: float) -> None:
        """Wait between retries (tests replace this)."""
        await asyncio.sleep(seconds)

    @overload
    async def request(
        self,
        cast_to: None,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> None: ...

    @overload
    async def request(
        self,
        cast_to: type[_T],
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> _T: ...

    @overload
    async def request(
        self,
        cast_to: Any,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> Any: ...

    async def request(
        self,
        cast_to: Any,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        content: bytes | str | None = None,
        data: Mapping[str, object] | None = None,
        files: Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]] | None = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Async counterpart of :meth:`SyncAPIClient.request`."""
        prepared = self._prepare(
            method=method,
            path=path,
            params=params,
            headers=headers,
            json_body=json_body,
            content=content,
            data=data,
            files=files,
            options=options,
        )
        retries_taken = 0
        while True:
            request = self._build_request(prepared)
            retries_left = prepared.max_retries - retries_taken
            try:
                response = await self._client.send(request)
            except httpx.TransportError as exc:
                retryable = not isinstance(exc, _NOT_RETRYABLE_TRANSPORT_ERRORS)
                if retryable and retries_left > 0:
                    delay = self._retry_delay(retries_taken, None)
                    self._log_retry(request, delay, type(exc).__name__, retries_left - 1)
                    await self._sleep(delay)
                    retries_taken += 1
                    continue
                self._log.debug("Request failed: %s", type(exc).__name__)
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request) from exc
                raise APIConnectionError(request=request) from exc
            except httpx.RequestError as exc:  # e.g. TooManyRedirects, DecodingError
                raise APIConnectionError(request=request) from exc

            self._log_response(response)
            if response.is_success:
                return self._process_response(cast_to, response)
            if retries_left > 0 and self._should_retry(response):
                delay = self._retry_delay(retries_taken, response)
                self._log_retry(request, delay, f"status {response.status_code}", retries_left - 1)
                await response.aclose()
                await self._sleep(delay)
                retries_taken += 1
                continue
            raise _scrubbed(make_status_error(response))

    def is_closed(self) -> bool:
        return self._client.is_closed

    async def close(self) -> None:
        """Close the underlying ``httpx.AsyncClient`` (see the class docstring)."""
        if hasattr(self, "_client"):
            await self._client.aclose()

    async def __aenter__(self: _AsyncSelfT) -> _AsyncSelfT:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        await self.close()


_AsyncSelfT = TypeVar("_AsyncSelfT", bound=AsyncAPIClient)
