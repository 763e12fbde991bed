"""OpenAPI parameter styles that differ from the defaults the base client applies.

The base client sends query parameters with ``style: form, explode: true``
(lists repeat the key, objects contribute their entries) and headers with
``style: simple``.  Generated methods call these helpers for every other style.
A value left out (``NOT_GIVEN``) stays left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._types import NotGiven
from ._utils import _scalar_to_str, encode_form, is_model, to_jsonable

__all__ = ["query_param", "header_param", "multipart_body"]


def _text(value: object) -> str:
    return "" if value is None else _scalar_to_str(value)


def _plain(value: object) -> Any:
    if is_model(value):
        return to_jsonable(value)
    return value


def query_param(name: str, value: object, style: str, explode: bool) -> dict[str, object]:
    """The query entries of one parameter in ``style`` (form, spaceDelimited, pipeDelimited, deepObject)."""
    if isinstance(value, NotGiven) or value is None:
        return {}
    value = _plain(value)
    if style == "deepObject" and isinstance(value, Mapping):
        out: dict[str, object] = {}
        _deep(out, name, value)
        return out
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    if isinstance(value, (list, tuple)):
        if explode and style == "form":
            return {name: [_text(v) for v in value]}
        return {name: separator.join(_text(v) for v in value)}
    if isinstance(value, Mapping):
        if explode:
            return {str(k): _text(v) for k, v in value.items()}
        return {name: separator.join(f"{k}{separator}{_text(v)}" for k, v in value.items())}
    return {name: _text(value)}


def _deep(out: dict[str, object], prefix: str, value: Mapping[Any, Any]) -> None:
    for key, item in value.items():
        item = _plain(item)
        if isinstance(item, Mapping):
            _deep(out, f"{prefix}[{key}]", item)
        elif isinstance(item, (list, tuple)):
            out[f"{prefix}[{key}]"] = [_text(v) for v in item]
        elif item is not None and not isinstance(item, NotGiven):
            out[f"{prefix}[{key}]"] = _text(item)


def header_param(value: object, explode: bool = False) -> str | NotGiven:
    """A header value in ``style: simple``: ``a,b`` for lists, ``k,v,k2,v2`` (or ``k=v,k2=v2``) for objects."""
    if isinstance(value, NotGiven):
        return value
    value = _plain(value)
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        if explode:
            return ",".join(f"{k}={_text(v)}" for k, v in value.items())
        return ",".join(f"{k},{_text(v)}" for k, v in value.items())
    return _text(value)


def _is_upload(value: object) -> bool:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, tuple) and 2 <= len(value) <= 4:
        return _is_upload(value[1])
    return callable(getattr(value, "read", None))


def multipart_body(fields: Mapping[str, object]) -> dict[str, Any]:
    """Split the fields of a multipart/form-data body into httpx's ``data`` and ``files``.

    Uploads (bytes, binary file objects, ``(filename, content[, content type])``
    tuples, and lists of them) go to ``files``; every other value is a form field.
    Fields left out (``NOT_GIVEN``) are not sent.
    """
    data: dict[str, object] = {}
    files: list[tuple[str, Any]] = []
    for name, value in fields.items():
        if isinstance(value, NotGiven):
            continue
        if (
            isinstance(value, (list, tuple))
            and value
            and all(_is_upload(v) for v in value)
            and not (isinstance(value, tuple) and _is_upload(value))
        ):
            files.extend((name, v) for v in value)
        elif _is_upload(value):
            files.append((name, value))
        else:
            data[name] = value
    if not files:
        # httpx sends ``data`` alone as urlencoded: make every field a part of its own instead.
        return {"files": [(name, (None, text)) for name, text in _form_parts(data)]}
    return {"data": data, "files": files}


def _form_parts(data: Mapping[str, object]) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for name, value in encode_form(data).items():
        if isinstance(value, list):
            parts.extend((name, v) for v in value)
        else:
            parts.append((name, value))
    return parts
