"""Shared types for the generated client runtime.

This module is copied verbatim into every generated package.  It depends only
on the standard library and httpx.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Literal, Tuple, TypeAlias, TypedDict, Union

import httpx

__all__ = [
    "NotGiven",
    "NOT_GIVEN",
    "Headers",
    "Query",
    "Body",
    "Timeout",
    "FileContent",
    "FileTypes",
    "RequestOptions",
]


class NotGiven:
    """Sentinel for "the caller did not pass this argument".

    It lets the generated methods distinguish between an argument that was left
    out (nothing is sent) and an explicit ``None`` (``null`` is sent)::

        def create(self, *, suffix: str | None | NotGiven = NOT_GIVEN) -> ...: ...

    There is exactly one instance, :data:`NOT_GIVEN`.  It is falsy.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        # Pickles by reference to the module-level singleton.
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
"""The single :class:`NotGiven` instance."""

# ---------------------------------------------------------------------------
# Aliases used in the signatures of generated methods.
# ---------------------------------------------------------------------------

Headers: TypeAlias = Mapping[str, Union[str, NotGiven, None]]
"""Extra request headers.

``NOT_GIVEN`` values are ignored; a ``None`` value removes the header
(including a default header such as ``User-Agent``).
"""

Query: TypeAlias = Mapping[str, object]
"""Extra query parameters (``NOT_GIVEN`` values are ignored, ``None`` removes)."""

Body: TypeAlias = object
"""An extra JSON body; when it is a mapping it is merged into the request body."""

Timeout: TypeAlias = Union[float, httpx.Timeout, None]
"""A timeout in seconds, an :class:`httpx.Timeout`, or ``None`` for no timeout."""

FileContent: TypeAlias = Union[bytes, IO[bytes]]

FileTypes: TypeAlias = Union[
    # file content
    FileContent,
    # (filename, file content)
    Tuple[Union[str, None], FileContent],
    # (filename, file content, content type)
    Tuple[Union[str, None], FileContent, Union[str, None]],
]
"""A file for a multipart upload, in any of the shapes httpx accepts."""


class RequestOptions(TypedDict, total=False):
    """Per-call options accepted by every generated method.

    Every key is optional.  ``extra_headers``/``extra_query`` of ``None`` and
    ``extra_body`` of ``None`` mean "nothing extra"; ``timeout`` and
    ``max_retries`` of ``NOT_GIVEN`` mean "use the client's setting" (while a
    ``timeout`` of ``None`` disables the timeout).
    """

    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body
    timeout: Timeout | NotGiven
    max_retries: int | NotGiven
