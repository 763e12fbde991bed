"""Exceptions raised by the generated client.

This module is copied verbatim into every generated package.

Messages never contain request headers (they carry credentials); the
response body is included, truncated to :data:`MAX_BODY_IN_MESSAGE` characters.
"""

from __future__ import annotations

import json
from typing import Literal

import httpx

__all__ = [
    "DecodeError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIStreamError",
    "make_status_error",
    "MAX_BODY_IN_MESSAGE",
]

MAX_BODY_IN_MESSAGE = 1000
"""Longest excerpt of a response body that goes into an exception message."""


class DecodeError(Exception):
    """Data that does not match the type it was decoded as (raised by ``_models.decode``).

    ``cause`` is the model library's own error where there is one (pydantic's
    ``ValidationError``, msgspec's ``ValidationError``), else this error itself; the
    client's :class:`APIResponseValidationError` carries it as its ``__cause__``.
    """

    def __init__(
        self, message: str, error_count: int = 1, cause: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self.error_count = error_count
        self.cause: BaseException = cause if cause is not None else self


class APIError(Exception):
    """Base class of every error raised by the client.

    ``request`` is the :class:`httpx.Request` that failed; ``body`` is the
    decoded response body when there is one (parsed JSON, or text).
    """

    message: str
    request: httpx.Request
    body: object | None

    def __init__(self, message: str, request: httpx.Request, *, body: object | None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body

    def __str__(self) -> str:
        return self.message


class APIConnectionError(APIError):
    """The request could not be sent or no response was received.

    The underlying httpx exception is available as ``__cause__``.
    """

    def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request timed out (after all retries)."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the declared type."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, response: httpx.Response, body: object | None, *, message: str | None = None
    ) -> None:
        super().__init__(
            message or "Data returned by the API is invalid for the expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The API answered with a non-success status code (after all retries)."""

    response: httpx.Response
    status_code: int
    headers: httpx.Headers
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = response.headers.get("x-request-id") or response.headers.get("request-id")


class BadRequestError(APIStatusError):
    status_code: Literal[400] = 400


class AuthenticationError(APIStatusError):
    status_code: Literal[401] = 401


class PermissionDeniedError(APIStatusError):
    status_code: Literal[403] = 403


class NotFoundError(APIStatusError):
    status_code: Literal[404] = 404


class ConflictError(APIStatusError):
    status_code: Literal[409] = 409


class UnprocessableEntityError(APIStatusError):
    status_code: Literal[422] = 422


class RateLimitError(APIStatusError):
    status_code: Literal[429] = 429


class InternalServerError(APIStatusError):
    """Any status code >= 500."""


class APIStreamError(APIError):
    """The server reported an error in the middle of a server-sent event stream.

    Raised for an event named ``error`` and for an event whose data is an
    object with a top-level ``error`` key.  ``body`` is the event's data
    (parsed JSON, or text), ``event`` the event name, ``response`` the
    streaming response (status 2xx: the error arrived after the headers).
    """

    response: httpx.Response
    event: str | None
    request_id: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        event: str | None = None,
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.event = event
        self.request_id = response.headers.get("x-request-id") or response.headers.get("request-id")


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _decode_body(response: httpx.Response) -> object | None:
    """The response body: parsed JSON for JSON responses, else text; ``None`` when empty."""
    try:
        text = response.text
    except httpx.ResponseNotRead:
        return None
    if not text.strip():
        return None
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type or not content_type:
        try:
            parsed: object = json.loads(text)
        except ValueError:
            pass
        else:
            return parsed
    return text


def _excerpt(body: object) -> str:
    if isinstance(body, str):
        text = body.strip()
    else:
        try:
            text = json.dumps(body, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(body)
    if len(text) > MAX_BODY_IN_MESSAGE:
        text = (
            f"{text[:MAX_BODY_IN_MESSAGE]}... ({len(text) - MAX_BODY_IN_MESSAGE} more characters)"
        )
    return text


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the :class:`APIStatusError` subclass matching ``response.status_code``.

    The response body must already have been read (as the client does).
    """
    body = _decode_body(response)
    message = f"Error code: {response.status_code}"
    if body is not None:
        message = f"{message} - {_excerpt(body)}"
    error_cls = _STATUS_ERRORS.get(response.status_code)
    if error_cls is None:
        error_cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return error_cls(message, response=response, body=body)
