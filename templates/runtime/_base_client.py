"""HTTP machinery shared by every generated client.

This module is copied verbatim into every generated package.  The generated
``Client``/``AsyncClient`` classes subclass :class:`SyncAPIClient` /
:class:`AsyncAPIClient`, override :attr:`~SyncAPIClient.auth_headers` and
:meth:`~SyncAPIClient._copy_kwargs`, and call :meth:`~SyncAPIClient.request` (or
:meth:`~SyncAPIClient.request_page` for paginated lists) from their resource
methods.
"""

from __future__ import annotations

import email.utils
import inspect
import json
import logging
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, overload
from urllib.parse import unquote_plus

import httpx

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    DecodeError,
    make_status_error,
)
from ._pagination import AsyncPaginator, BaseAsyncPage, BasePage, BaseSyncPage, PageInfo, page_items
from ._response import APIResponse, AsyncAPIResponse, capture_response, get_response_mode
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, FileTypes, Headers, NotGiven, Query, RequestOptions, Timeout
from ._utils import (
    encode_form,
    encode_query,
    find_unknown_values,
    generic_argument,
    is_given,
    is_sensitive_name,
    merge_headers,
    REDACTED,
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
    "configure_logging",
    "IDEMPOTENCY_KEY_PREFIX",
    "LOG_FORMAT",
    "PageInfo",
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

IDEMPOTENCY_KEY_PREFIX = "oagen-retry-"
"""Prefix of generated idempotency keys (``oagen-retry-<uuid4>``)."""

LOG_FORMAT = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"
_LOG_HANDLER_NAME = "oagen-client-log"
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SelfT = TypeVar("_SelfT", bound="BaseClient[Any]")
_StreamT = TypeVar("_StreamT", bound=Stream[Any])
_AsyncStreamT = TypeVar("_AsyncStreamT", bound=AsyncStream[Any])
_SyncPageT = TypeVar("_SyncPageT", bound=BaseSyncPage[Any])
_AsyncPageT = TypeVar("_AsyncPageT", bound=BaseAsyncPage[Any])


def configure_logging(logger: logging.Logger, env_var: str) -> None:
    """Apply ``<env_var>=debug|info`` to *logger*.

    Sets the level and adds one :class:`logging.StreamHandler` (to stderr) the
    first time; later calls (every client constructed) only update the level.
    Any other value (or an unset variable) leaves the logger alone.
    """
    level = _LOG_LEVELS.get(os.environ.get(env_var, "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(handler.get_name() == _LOG_HANDLER_NAME for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.set_name(_LOG_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)


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
    idempotency_key: str | None = None


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port
    if port is None:
        port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port


def _keeps_credentials(old: httpx.URL, new: httpx.URL) -> bool:
    """Same origin, or the same host upgraded from http:80 to https:443."""
    if _origin(old) == _origin(new):
        return True
    return _origin(old) == ("http", new.host, 80) and _origin(new) == ("https", old.host, 443)


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
        idempotency_header: str | None = None,
        log_env_var: str | None = None,
        strict_response_validation: bool = False,
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
        self._idempotency_header = idempotency_header or None
        self._log_env_var = log_env_var
        self._strict_response_validation = bool(strict_response_validation)
        self._log = logging.getLogger(client_name.lower())
        if log_env_var:
            configure_logging(self._log, log_env_var)
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
        # The version comes from the spec: a header value is one line of printable ASCII.
        text = f"{self._client_name}/Python {self._version}"
        return "".join(c if " " <= c <= "~" else "?" for c in text)

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

    @property
    def idempotency_header(self) -> str | None:
        """The header that carries an idempotency key on non-GET requests, if any."""
        return self._idempotency_header

    @property
    def strict_response_validation(self) -> bool:
        """Whether undeclared fields and unknown enum values in responses are errors."""
        return self._strict_response_validation

    def _copy_kwargs(self) -> dict[str, Any]:
        """Constructor keyword arguments that recreate this client.

        Generated subclasses extend the result with their own arguments
        (credentials and so on)::

            def _copy_kwargs(self) -> dict[str, Any]:
                return {**super()._copy_kwargs(), "api_key": self.api_key}

        ``client_name``, ``version``, ``idempotency_header`` and ``log_env_var``
        are fixed by generated subclasses (they pass them themselves), so they
        are only included when the class still uses the base constructor or
        names them as parameters.  ``strict_response_validation`` is included
        when the constructor accepts it (by name or ``**kwargs``).
        """
        kwargs: dict[str, Any] = {
            "base_url": self._base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": dict(self._custom_headers),
            "default_query": dict(self._custom_query),
            "http_client": self._client,
        }
        init = type(self).__init__
        base_init = init in (BaseClient.__init__, SyncAPIClient.__init__, AsyncAPIClient.__init__)
        parameters = inspect.signature(init).parameters
        var_keyword = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        if base_init:
            kwargs["client_name"] = self._client_name
            kwargs["version"] = self._version
        if base_init or "idempotency_header" in parameters:
            kwargs["idempotency_header"] = self._idempotency_header
        if base_init or "log_env_var" in parameters:
            kwargs["log_env_var"] = self._log_env_var
        if base_init or var_keyword or "strict_response_validation" in parameters:
            kwargs["strict_response_validation"] = self._strict_response_validation
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
        strict_response_validation: bool | NotGiven = NOT_GIVEN,
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
        if is_given(strict_response_validation):
            kwargs["strict_response_validation"] = strict_response_validation
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
        method = method.upper()
        idempotency_key = None
        if self._idempotency_header and method != "GET":
            # One key per logical request, reused by each of its retries.
            idempotency_key = f"{IDEMPOTENCY_KEY_PREFIX}{uuid.uuid4()}"
        return _PreparedRequest(
            method=method,
            url=url,
            # Precedence: client defaults < query in the path < params < extra_query.
            params=encode_query(self.default_query, path_query, params, options.get("extra_query")),
            headers=merged_headers,
            removed_headers=frozenset(removed),
            content=content,
            data=form,
            files=files,
            timeout=timeout if is_given(timeout) else self.timeout,
            max_retries=max_retries if is_given(max_retries) else self.max_retries,
            idempotency_key=idempotency_key,
        )

    def _build_request(self, prepared: _PreparedRequest) -> httpx.Request:
        idempotency: dict[str, str] = {}
        if prepared.idempotency_key is not None and self._idempotency_header:
            idempotency[self._idempotency_header] = prepared.idempotency_key
        # Any header the caller set (defaults, per-call, extra) wins over the key.
        headers, _ = merge_headers(idempotency, self.default_headers, prepared.headers)
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
                self._log_url(request.url),
                self._log_headers(request.headers.multi_items()),
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
        self._log.info(
            "Retrying %s %s in %.3f seconds (%s; %d retr%s left)",
            request.method,
            self._log_url(request.url),
            delay,
            reason,
            retries_left,
            "y" if retries_left == 1 else "ies",
        )

    def _log_response(self, response: httpx.Response) -> None:
        if self._log.isEnabledFor(logging.INFO):
            self._log.info(
                'HTTP Response: %s %s "%d %s" request_id=%s',
                response.request.method,
                self._log_url(response.request.url),
                response.status_code,
                response.reason_phrase,
                response.headers.get("x-request-id") or response.headers.get("request-id"),
            )

    # ------------------------------------------------------------------
    # Redirects
    # ------------------------------------------------------------------

    def _follows_redirects(self) -> bool:
        return bool(self._client.follow_redirects)

    def _max_redirects(self) -> int:
        return int(self._client.max_redirects)

    def _log_url(self, url: httpx.URL | str) -> str:
        """*url* safe to log: credential-like query values and this client's credential
        query parameters (whatever their names: the spec names them) are redacted."""
        text = redact_url(url)
        names = {name for name in self.default_query if name not in self._custom_query}
        if not names or "?" not in text:
            return text
        base, _, query = text.partition("?")
        parts = []
        for part in query.split("&"):
            key, sep, _ = part.partition("=")
            if sep and unquote_plus(key) in names:
                part = f"{key}={REDACTED}"
            parts.append(part)
        return base + "?" + "&".join(parts)

    def _log_headers(self, items: Any) -> dict[str, str]:
        """Headers safe to log: credential-like ones and this client's credential headers."""
        credentials = self._credential_header_names()
        return {
            name: REDACTED if name.lower() in credentials else value
            for name, value in redact_headers(items).items()
        }

    def _credential_header_names(self) -> set[str]:
        return {name.lower() for name in self.auth_headers} | {"authorization", "cookie"}

    def _redirect_request(self, request: httpx.Request, response: httpx.Response) -> httpx.Request:
        """The request that follows *response*'s redirect.

        Like httpx, but on a redirect to another origin every credential
        header is dropped: ``Authorization``, the headers of
        :attr:`auth_headers`, and any header whose name looks like one
        (``X-Api-Key``, ``X-Auth-Token`` ...).  Cookies come from the cookie
        jar, for the new URL only.
        """
        method = request.method
        status = response.status_code
        if status in (302, 303) and method != "HEAD":
            method = "GET"
        if status == 301 and method == "POST":
            method = "GET"

        location = response.headers["location"]
        try:
            url = httpx.URL(location)
        except httpx.InvalidURL as exc:
            raise httpx.RemoteProtocolError(
                f"Invalid URL in location header: {exc}.", request=request
            ) from None
        if url.scheme and not url.host:
            url = url.copy_with(host=request.url.host)
        if url.is_relative_url:
            url = request.url.join(url)
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(
                f"Refusing to follow a redirect to a {url.scheme!r} URL.", request=request
            )

        headers = httpx.Headers(request.headers)
        if not _keeps_credentials(request.url, url):
            credentials = self._credential_header_names()
            for name in list(headers.keys()):
                if name.lower() in credentials or is_sensitive_name(name):
                    del headers[name]
        headers["Host"] = url.netloc.decode("ascii")
        headers.pop("Cookie", None)
        stream: httpx.SyncByteStream | httpx.AsyncByteStream | None = request.stream
        if method != request.method and method == "GET":
            for name in ("Content-Length", "Transfer-Encoding", "Content-Type"):
                headers.pop(name, None)
            stream = None
        self._log.debug(
            "Redirect %d: %s %s -> %s %s",
            status,
            request.method,
            self._log_url(request.url),
            method,
            self._log_url(url),
        )
        return httpx.Request(
            method,
            url,
            headers=headers,
            cookies=httpx.Cookies(self._client.cookies),
            stream=stream,
            extensions=request.extensions,
        )

    # ------------------------------------------------------------------
    # Responses
    # ------------------------------------------------------------------

    def _decode_json(self, cast_to: Any, response: httpx.Response) -> object:
        """The JSON body of a read response (``None`` when empty)."""
        if not response.content.strip():
            return None
        try:
            data: object = json.loads(response.content)
        except ValueError as exc:
            raise APIResponseValidationError(
                response,
                response.text,
                message=f"The response body is not valid JSON ({_describe(cast_to)} expected).",
            ) from exc
        return data

    def _validate(self, cast_to: Any, data: object, response: httpx.Response) -> Any:
        """*data* validated as *cast_to* (and checked strictly when configured)."""
        # the model layer is imported on first use (see _utils.is_model)
        from ._models import decode, decode_lenient, dropped_fields

        try:
            result: Any = decode(cast_to, data)
        except DecodeError as exc:
            if data is not None and not self._strict_response_validation:
                # Lenient by default, as the official SDKs: keep what the server sent.
                self._log.debug(
                    "response does not match %s (%d errors); kept leniently",
                    _describe(cast_to),
                    exc.error_count,
                )
                return decode_lenient(cast_to, data)
            if data is None:
                message = f"The response body is empty ({_describe(cast_to)} expected)."
            else:
                message = (
                    f"The response body does not match {_describe(cast_to)} "
                    f"({exc.error_count} validation error{'s' if exc.error_count != 1 else ''})."
                )
            raise APIResponseValidationError(response, data, message=message) from exc.cause
        if self._strict_response_validation:
            unknown = dropped_fields(result, data) + find_unknown_values(result)
            if unknown:
                more = f" (and {len(unknown) - 5} more)" if len(unknown) > 5 else ""
                raise APIResponseValidationError(
                    response,
                    data,
                    message=f"The response does not strictly match {_describe(cast_to)}: "
                    + "; ".join(unknown[:5])
                    + more,
                )
        return result

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
        if not self._strict_response_validation and response.content.strip():
            # One pass from bytes where the model style can (msgspec); a body that does not
            # match goes the general way below, which reports it or keeps it leniently.
            from ._models import decode_json

            try:
                return decode_json(cast_to, response.content)
            except (DecodeError, ValueError):
                pass
        return self._validate(cast_to, self._decode_json(cast_to, response), response)

    def _make_page(
        self,
        page_cls: type[BasePage[Any]],
        item_type: Any,
        info: PageInfo,
        response: httpx.Response,
        params: Mapping[str, object],
        fetch: Callable[[dict[str, object]], object],
    ) -> Any:
        """Build a page of *page_cls* from a read response."""
        body = self._decode_json(page_cls, response)
        raw_items = page_items(body, info)
        if raw_items is None:
            where = f"field {info.items_field!r}" if info.items_field else "body"
            raise APIResponseValidationError(
                response, body, message=f"The response {where} is not a list of items."
            )
        items = self._validate(list[item_type], raw_items, response)
        return page_cls(
            items=items,
            raw_items=raw_items,
            body=body,
            info=info,
            params=params,
            response=response,
            fetch=fetch,
        )


def _page_request_params(
    params: Mapping[str, object] | None, options: RequestOptions | None
) -> dict[str, object]:
    """The query a page was requested with: *params* overlaid with ``extra_query``."""
    merged: dict[str, object] = {}
    for layer in (params, (options or {}).get("extra_query")):
        for key, value in (layer or {}).items():
            if value is None or isinstance(value, NotGiven):
                merged.pop(key, None)
            else:
                merged[key] = value
    return merged


def _next_page_request(
    params: Mapping[str, object] | None,
    options: RequestOptions | None,
    next_params: Mapping[str, object],
) -> tuple[dict[str, object], RequestOptions | None]:
    """*params* and *options* for the next page: the page parameters replaced."""
    new_params = {**(params or {}), **next_params}
    if options and options.get("extra_query"):
        new_options: RequestOptions = {**options}
        extra_query = options.get("extra_query") or {}
        new_options["extra_query"] = {
            key: value for key, value in extra_query.items() if key not in next_params
        }
        return new_params, new_options
    return new_params, options


def _check_page_class(page_cls: type[BasePage[Any]], info: PageInfo) -> None:
    if page_cls.style != info.style:
        raise ValueError(
            f"{page_cls.__name__} reads {page_cls.style!r} pages, but the PageInfo "
            f"says {info.style!r}"
        )


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
        idempotency_header: str | None = None,
        log_env_var: str | None = None,
        strict_response_validation: bool = False,
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
            idempotency_header=idempotency_header,
            log_env_var=log_env_var,
            strict_response_validation=strict_response_validation,
        )

    def _make_http_client(self, timeout: Timeout) -> httpx.Client:
        # Redirects are followed by the client itself (see _redirect_request).
        return httpx.Client(
            timeout=timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=True
        )

    def _sleep(self, seconds: float) -> None:
        """Wait between retries (tests replace this)."""
        time.sleep(seconds)

    # -- sending ---------------------------------------------------------

    def _send_once(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        """Send *request*, following redirects as the http client is configured to."""
        history: list[httpx.Response] = []
        while True:
            if history:
                # Like httpx: the client's ``auth`` applies to the first request only;
                # a redirect carries the headers _redirect_request kept.
                response = self._client.send(
                    request, stream=stream, follow_redirects=False, auth=None
                )
            else:
                response = self._client.send(request, stream=stream, follow_redirects=False)
            if not (self._follows_redirects() and response.has_redirect_location):
                if history:
                    response.history = history
                return response
            try:
                if len(history) >= self._max_redirects():
                    raise httpx.TooManyRedirects(
                        "Exceeded maximum allowed redirects.", request=request
                    )
                next_request = self._redirect_request(request, response)
            finally:
                response.close()
            history.append(response)
            request = next_request

    def _send_with_retries(
        self, prepared: _PreparedRequest, *, stream: bool
    ) -> tuple[httpx.Response, int]:
        """A successful response (body unread when *stream*) and the retries it took."""
        retries_taken = 0
        while True:
            request = self._build_request(prepared)
            retries_left = prepared.max_retries - retries_taken
            try:
                response = self._send_once(request, stream=stream)
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
                return response, retries_taken
            if retries_left > 0 and self._should_retry(response):
                delay = self._retry_delay(retries_taken, response)
                self._log_retry(request, delay, f"status {response.status_code}", retries_left - 1)
                response.close()
                self._sleep(delay)
                retries_taken += 1
                continue
            if stream:
                try:
                    response.read()
                except httpx.HTTPError:
                    pass
                finally:
                    response.close()
            raise _scrubbed(make_status_error(response))

    def _send_request(
        self,
        prepared: _PreparedRequest,
        parser: Callable[[httpx.Response], Any],
        *,
        stream: bool = False,
    ) -> Any:
        """Send, then parse -- or hand out an :class:`APIResponse` under a wrapper."""
        mode = get_response_mode()
        response, retries_taken = self._send_with_retries(
            prepared, stream=stream or mode == "stream"
        )
        if mode is not None:
            api_response = APIResponse(
                raw=response, parser=parser, retries_taken=retries_taken, stream=stream
            )
            capture_response(api_response)
            return api_response
        return parser(response)

    # -- public ----------------------------------------------------------

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
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...

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
        stream: Literal[False] = False,
        stream_cls: type[Stream[Any]] | None = None,
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
        stream: Literal[False] = False,
        stream_cls: type[Stream[Any]] | None = None,
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
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
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
        stream: bool = False,
        stream_cls: type[Stream[Any]] | None = None,
    ) -> Any:
        """Send a request, retrying as configured, and return the parsed response.

        *cast_to* selects the result: ``None`` (nothing), ``httpx.Response``
        (the raw response), ``str`` (text), ``bytes`` (content) or any type
        the generated models can decode the JSON body into.

        With ``stream=True`` the body is not read: the result is
        ``stream_cls`` (e.g. ``Stream[Chunk]``) over the response's
        server-sent events, and retries stop once the response has arrived.

        Under :func:`to_raw_response_wrapper` / :func:`to_streamed_response_wrapper`
        the result is an :class:`APIResponse` whose ``parse()`` gives the above.

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
        if stream:
            stream_type, item_type = generic_argument(stream_cls or Stream, Stream)
            strict = self._strict_response_validation

            def make_stream(response: httpx.Response) -> Any:
                return stream_type(cast_to=item_type, response=response, strict=strict)

            return self._send_request(prepared, make_stream, stream=True)
        return self._send_request(
            prepared, lambda response: self._process_response(cast_to, response)
        )

    def request_page(
        self,
        page: type[_SyncPageT],
        info: PageInfo,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> _SyncPageT:
        """Fetch one page of a list endpoint as *page* (e.g. ``SyncCursorPage[Item]``).

        The page remembers the request, so ``next_page()`` and iteration fetch
        the following pages with the page parameters of *info* replaced (and
        the same headers, body and per-call options).
        """
        page_cls, item_type = generic_argument(page, BaseSyncPage)
        _check_page_class(page_cls, info)
        prepared = self._prepare(
            method=method,
            path=path,
            params=params,
            headers=headers,
            json_body=json_body,
            content=None,
            data=None,
            files=None,
            options=options,
        )

        def fetch_next(next_params: dict[str, object]) -> _SyncPageT:
            new_params, new_options = _next_page_request(params, options, next_params)
            return self.request_page(
                page,
                info,
                method=method,
                path=path,
                params=new_params,
                headers=headers,
                json_body=json_body,
                options=new_options,
            )

        def parse(response: httpx.Response) -> Any:
            page_params = _page_request_params(params, options)
            return self._make_page(page_cls, item_type, info, response, page_params, fetch_next)

        result: _SyncPageT = self._send_request(prepared, parse)
        return result

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
        idempotency_header: str | None = None,
        log_env_var: str | None = None,
        strict_response_validation: bool = False,
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
            idempotency_header=idempotency_header,
            log_env_var=log_env_var,
            strict_response_validation=strict_response_validation,
        )

    def _make_http_client(self, timeout: Timeout) -> httpx.AsyncClient:
        # Redirects are followed by the client itself (see _redirect_request).
        return httpx.AsyncClient(
            timeout=timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=True
        )

    async def _sleep(self, seconds: float) -> None:
        """Wait between retries (tests replace this)."""
        import asyncio  # here: importing it costs a sync-only program import time for nothing

        await asyncio.sleep(seconds)

    # -- sending ---------------------------------------------------------

    async def _send_once(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        history: list[httpx.Response] = []
        while True:
            if history:
                response = await self._client.send(
                    request, stream=stream, follow_redirects=False, auth=None
                )
            else:
                response = await self._client.send(request, stream=stream, follow_redirects=False)
            if not (self._follows_redirects() and response.has_redirect_location):
                if history:
                    response.history = history
                return response
            try:
                if len(history) >= self._max_redirects():
                    raise httpx.TooManyRedirects(
                        "Exceeded maximum allowed redirects.", request=request
                    )
                next_request = self._redirect_request(request, response)
            finally:
                await response.aclose()
            history.append(response)
            request = next_request

    async def _send_with_retries(
        self, prepared: _PreparedRequest, *, stream: bool
    ) -> tuple[httpx.Response, int]:
        retries_taken = 0
        while True:
            request = self._build_request(prepared)
            retries_left = prepared.max_retries - retries_taken
            try:
                response = await self._send_once(request, stream=stream)
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
                return response, retries_taken
            if retries_left > 0 and self._should_retry(response):
                delay = self._retry_delay(retries_taken, response)
                self._log_retry(request, delay, f"status {response.status_code}", retries_left - 1)
                await response.aclose()
                await self._sleep(delay)
                retries_taken += 1
                continue
            if stream:
                try:
                    await response.aread()
                except httpx.HTTPError:
                    pass
                finally:
                    await response.aclose()
            raise _scrubbed(make_status_error(response))

    async def _send_request(
        self,
        prepared: _PreparedRequest,
        parser: Callable[[httpx.Response], Any],
        *,
        stream: bool = False,
    ) -> Any:
        mode = get_response_mode()
        response, retries_taken = await self._send_with_retries(
            prepared, stream=stream or mode == "stream"
        )
        if mode is not None:
            async_response = AsyncAPIResponse(
                raw=response, parser=parser, retries_taken=retries_taken, stream=stream
            )
            capture_response(async_response)
            return async_response
        return parser(response)

    # -- public ----------------------------------------------------------

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
        stream: Literal[True],
        stream_cls: type[_AsyncStreamT],
    ) -> _AsyncStreamT: ...

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
        stream: Literal[False] = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
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
        stream: Literal[False] = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
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
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
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
        stream: bool = False,
        stream_cls: type[AsyncStream[Any]] | None = None,
    ) -> Any:
        """Async counterpart of :meth:`SyncAPIClient.request` (streams are :class:`AsyncStream`)."""
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
        if stream:
            stream_type, item_type = generic_argument(stream_cls or AsyncStream, AsyncStream)
            strict = self._strict_response_validation

            def make_stream(response: httpx.Response) -> Any:
                return stream_type(cast_to=item_type, response=response, strict=strict)

            return await self._send_request(prepared, make_stream, stream=True)
        return await self._send_request(
            prepared, lambda response: self._process_response(cast_to, response)
        )

    def request_page(
        self,
        page: type[_AsyncPageT],
        info: PageInfo,
        *,
        method: str,
        path: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> AsyncPaginator[_AsyncPageT]:
        """Async counterpart of :meth:`SyncAPIClient.request_page`.

        Not a coroutine: the result is an :class:`AsyncPaginator`, to be
        awaited (the first page) or iterated with ``async for`` (all items).
        No request is sent before that.
        """
        page_cls, item_type = generic_argument(page, BaseAsyncPage)
        _check_page_class(page_cls, info)

        def fetch_next(next_params: dict[str, object]) -> Awaitable[_AsyncPageT]:
            new_params, new_options = _next_page_request(params, options, next_params)
            return self.request_page(
                page,
                info,
                method=method,
                path=path,
                params=new_params,
                headers=headers,
                json_body=json_body,
                options=new_options,
            )

        def parse(response: httpx.Response) -> Any:
            page_params = _page_request_params(params, options)
            return self._make_page(page_cls, item_type, info, response, page_params, fetch_next)

        async def fetch() -> _AsyncPageT:
            prepared = self._prepare(
                method=method,
                path=path,
                params=params,
                headers=headers,
                json_body=json_body,
                content=None,
                data=None,
                files=None,
                options=options,
            )
            result: _AsyncPageT = await self._send_request(prepared, parse)
            return result

        return AsyncPaginator(fetch)

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
