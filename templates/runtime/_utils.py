"""Helpers for encoding request data.

This module is copied verbatim into every generated package.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import enum
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard, TypeVar, get_args, get_origin
from urllib.parse import quote, unquote_plus

import httpx

from ._types import NotGiven

__all__ = [
    "is_given",
    "is_model",
    "path_param",
    "to_jsonable",
    "encode_query",
    "encode_form",
    "header_value",
    "merge_headers",
    "is_sensitive_name",
    "redact_headers",
    "redact_url",
    "request_secrets",
    "scrub",
    "REDACTED",
    "find_unknown_values",
    "generic_argument",
]

_T = TypeVar("_T")


def is_given(value: _T | NotGiven) -> TypeGuard[_T]:
    """``True`` unless *value* is ``NOT_GIVEN``."""
    return not isinstance(value, NotGiven)


# Values that are never generated models, whatever the model style (the concrete
# types first: ``isinstance`` tries them in order, and the ``Mapping`` ABC is the slowest).
_PLAIN = (
    str,
    int,
    float,
    dict,
    list,
    tuple,
    set,
    frozenset,
    bytes,
    bytearray,
    enum.Enum,
    _dt.date,
    _dt.time,
    uuid.UUID,
    decimal.Decimal,
    NotGiven,
    Mapping,
)


def is_model(obj: object) -> bool:
    """Whether *obj* is a generated model (the model style's ``_models.is_model``).

    The model layer (``_models``, which imports the models' library: pydantic, msgspec)
    is imported here on first use, not with the package: plain values are answered
    without it, so a program that never touches a model never loads it.
    """
    if obj is None or isinstance(obj, _PLAIN):
        return False
    from ._models import is_model as style_is_model

    return style_is_model(obj)


# ---------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------


def _scalar_to_str(value: object) -> str:
    """Render a scalar as it appears in a path, query string, header or form."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        raise TypeError("bytes cannot be used as a text parameter value; decode it first")
    return str(value)


def path_param(value: object) -> str:
    """Percent-encode *value* as one path segment.

    Enum members use their ``.value``, booleans become ``true``/``false`` and
    dates use ``isoformat()``.  Everything but RFC 3986 unreserved characters
    is percent-encoded, so ``"a/b"`` becomes ``"a%2Fb"``; the dot segments
    ``"."`` and ``".."`` are encoded too, so a value can never walk up the URL.

    Raises :class:`ValueError` for ``None`` and for an empty string, which
    would otherwise address a different endpoint.
    """
    if value is None or isinstance(value, NotGiven):
        raise ValueError(f"a path parameter cannot be {value!r}")
    text = _scalar_to_str(value)
    if text == "":
        raise ValueError("a path parameter cannot be an empty string")
    if text in (".", ".."):
        return "%2E" * len(text)
    return quote(text, safe="")


# ---------------------------------------------------------------------------
# JSON bodies
# ---------------------------------------------------------------------------


def to_jsonable(obj: object) -> Any:
    """Convert *obj* into plain JSON data (dict, list, str, int, float, bool, None).

    * generated models: by wire name, only the fields that were set (``_models.dump_model``)
    * mappings: converted recursively; entries whose value is ``NOT_GIVEN`` are
      dropped; keys must be strings (or enum members with string values)
    * lists, tuples, sets: converted recursively into lists
    * enum members: their ``.value``, converted recursively
    * ``datetime``/``date``/``time``: ``isoformat()``
    * ``UUID`` and ``Decimal``: ``str()``
    * dataclass instances: their fields, as a mapping

    ``bytes`` and any other type raise :class:`TypeError`.
    """
    if isinstance(obj, enum.Enum):
        return to_jsonable(obj.value)
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    if is_model(obj):
        from ._models import dump_model

        return dump_model(obj)
    if isinstance(obj, Mapping):
        result: dict[str, Any] = {}
        for key, value in obj.items():
            if isinstance(value, NotGiven):
                continue
            if isinstance(key, enum.Enum):
                key = key.value
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}")
            result[key] = to_jsonable(value)
        return result
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in obj]
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, (uuid.UUID, decimal.Decimal)):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    if isinstance(obj, (bytes, bytearray, memoryview)):
        raise TypeError(
            "bytes are not JSON serializable; send them as a file or encode them (e.g. base64) first"
        )
    if isinstance(obj, NotGiven):
        raise TypeError("NOT_GIVEN cannot be serialized; leave the argument out instead")
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


# ---------------------------------------------------------------------------
# Query strings and forms
# ---------------------------------------------------------------------------


def _merge_layers(layers: Iterable[Mapping[str, object] | None]) -> dict[str, object]:
    """Merge mappings left to right: ``NOT_GIVEN`` is ignored, ``None`` deletes."""
    merged: dict[str, object] = {}
    for layer in layers:
        if not layer:
            continue
        for key, value in layer.items():
            if isinstance(value, NotGiven):
                continue
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
    return merged


def encode_query(*layers: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """Merge query parameter mappings and render them as ``(key, value)`` pairs.

    Later layers win key by key.  ``NOT_GIVEN`` values are ignored and ``None``
    removes the key (a query string cannot express ``null``).  Values are
    rendered with OpenAPI's default ``style: form, explode: true``: a list or
    tuple repeats the key, a mapping (or generated model) contributes its
    entries as separate keys; booleans become ``true``/``false``, enum members
    their value and dates ``isoformat()``.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in _merge_layers(layers).items():
        _add_query_value(pairs, key, value)
    return pairs


def _add_query_value(pairs: list[tuple[str, str]], key: str, value: object) -> None:
    if value is None or isinstance(value, NotGiven):
        return
    if is_model(value):
        value = to_jsonable(value)
    if isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            _add_query_value(pairs, str(sub_key), sub_value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            if item is not None and not isinstance(item, NotGiven):
                pairs.append((key, _scalar_to_str(item)))
    else:
        pairs.append((key, _scalar_to_str(value)))


def encode_form(data: Mapping[str, object]) -> dict[str, str | list[str]]:
    """Render form fields (urlencoded or multipart) as strings.

    ``NOT_GIVEN`` and ``None`` fields are left out; lists repeat the field;
    mappings and generated models are sent as JSON text (OpenAPI's default
    for object properties of a multipart body).
    """
    result: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if value is None or isinstance(value, NotGiven):
            continue
        if isinstance(value, Mapping) or is_model(value):
            result[key] = json.dumps(to_jsonable(value), separators=(",", ":"), ensure_ascii=False)
        elif isinstance(value, (list, tuple, set, frozenset)):
            result[key] = [
                (
                    json.dumps(to_jsonable(item), separators=(",", ":"), ensure_ascii=False)
                    if isinstance(item, Mapping) or is_model(item)
                    else _scalar_to_str(item)
                )
                for item in value
                if item is not None and not isinstance(item, NotGiven)
            ]
        else:
            result[key] = _scalar_to_str(value)
    return result


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------


def header_value(value: object) -> str:
    """Render a header value (lists use OpenAPI's ``simple`` style: ``a,b``)."""
    if isinstance(value, (list, tuple)):
        return ",".join(_scalar_to_str(item) for item in value)
    return _scalar_to_str(value)


def merge_headers(*layers: Mapping[str, object] | None) -> tuple[dict[str, str], set[str]]:
    """Merge header mappings case-insensitively, later layers winning.

    ``NOT_GIVEN`` values are ignored and ``None`` removes the header.  Returns
    the merged headers (with the spelling of the layer that set them last) and
    the lower-cased names of headers that were removed and not set again.
    """
    merged: dict[str, tuple[str, str]] = {}
    removed: set[str] = set()
    for layer in layers:
        if not layer:
            continue
        for name, value in layer.items():
            if isinstance(value, NotGiven):
                continue
            lower = name.lower()
            if value is None:
                merged.pop(lower, None)
                removed.add(lower)
            else:
                merged[lower] = (name, header_value(value))
                removed.discard(lower)
    return {name: value for name, value in merged.values()}, removed


# ---------------------------------------------------------------------------
# Redaction (for logs and reprs)
# ---------------------------------------------------------------------------

_SENSITIVE_RE = re.compile(
    r"auth|key|token|secret|password|passwd|cookie|credential|signature|session", re.I
)

REDACTED = "<redacted>"


def is_sensitive_name(name: str) -> bool:
    """Whether a header or query parameter name may carry a credential."""
    return _SENSITIVE_RE.search(name) is not None


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    """A copy of *headers* safe to log: credential-like values are replaced."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {name: (REDACTED if is_sensitive_name(name) else value) for name, value in items}


def redact_url(url: httpx.URL | str) -> str:
    """*url* as a string safe to log.

    Any userinfo (``user:password@``) and the values of credential-like query
    parameters (``api_key=...``) are replaced by ``<redacted>``.
    """
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        netloc = parsed.netloc.decode("ascii")
        query = parsed.query.decode("ascii")
    except Exception:  # noqa: BLE001 - an unparsable URL is not logged at all
        return REDACTED
    text = f"{parsed.scheme}://" if parsed.scheme else ""
    if parsed.userinfo:
        text += f"{REDACTED}@"
    text += netloc + parsed.raw_path.partition(b"?")[0].decode("ascii")
    if query:
        parts = []
        for part in query.split("&"):
            key, sep, _ = part.partition("=")
            if sep and is_sensitive_name(unquote_plus(key)):
                part = f"{key}={REDACTED}"
            parts.append(part)
        text += "?" + "&".join(parts)
    return text


def request_secrets(request: httpx.Request) -> list[str]:
    """Credential values a request carries (sensitive headers and query values).

    For ``Authorization: Bearer <token>`` both the full value and the token are
    returned.  Longest first, so :func:`scrub` replaces whole values first.
    """
    secrets: set[str] = set()
    for name, value in request.headers.multi_items():
        if is_sensitive_name(name):
            secrets.add(value)
            scheme, _, credential = value.partition(" ")
            if credential and scheme.isalpha():
                secrets.add(credential.strip())
    for name, value in request.url.params.multi_items():
        if is_sensitive_name(name):
            secrets.add(value)
    if request.url.userinfo:
        secrets.update(part for part in (request.url.username, request.url.password) if part)
    return sorted((secret for secret in secrets if len(secret) >= 6), key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """*text* with every occurrence of each secret replaced by ``<redacted>``."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------


def find_unknown_values(value: object, path: str = "$") -> list[str]:
    """Where *value* (a validated response) carries data its types do not declare.

    Reports fields a generated model keeps as extras (see ``_models.model_parts``) and enum
    members created for values the enum does not list (whose name starts with
    ``UNKNOWN_``, as :class:`OpenStrEnum` makes them), each as
    ``"<path>: <what>"``.  Models, lists, tuples, sets and dict values are
    walked recursively.
    """
    found: list[str] = []
    _walk_unknown(value, path, found)
    return found


def _walk_unknown(value: object, path: str, found: list[str]) -> None:
    if isinstance(value, enum.Enum):
        if value.name.startswith("UNKNOWN_"):
            found.append(f"{path}: unknown {type(value).__name__} value {value.value!r}")
        return
    if is_model(value):
        from ._models import model_parts

        extra, fields = model_parts(value)
        for name in extra:
            found.append(f"{path}: unexpected field {name!r} in {type(value).__name__}")
        for name, item in fields:
            _walk_unknown(item, f"{path}.{name}", found)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _walk_unknown(item, f"{path}[{key!r}]", found)
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk_unknown(item, f"{path}[{index}]", found)
        return
    if isinstance(value, (set, frozenset)):
        for item in value:
            _walk_unknown(item, f"{path}[*]", found)


def generic_argument(tp: Any, base: type) -> tuple[type, Any]:
    """Split ``Base[X]`` (or a subclass of ``Base[X]``) into its class and ``X``.

    ``tp`` is a parametrised generic such as ``Stream[Chunk]`` or a class that
    derives from one (``class ChunkStream(Stream[Chunk])``).  Returns the class
    to instantiate and the type argument (``Any`` when there is none).
    """
    origin = get_origin(tp) or tp
    if not isinstance(origin, type) or not issubclass(origin, base):
        raise TypeError(f"expected {base.__name__}[...] or a subclass, got {tp!r}")
    args = get_args(tp)
    if args:
        return origin, args[0]
    for klass in origin.__mro__:
        for parent in getattr(klass, "__orig_bases__", ()):
            parent_origin = get_origin(parent)
            if isinstance(parent_origin, type) and issubclass(parent_origin, base):
                parent_args = get_args(parent)
                if parent_args and not isinstance(parent_args[0], TypeVar):
                    return origin, parent_args[0]
    return origin, Any
