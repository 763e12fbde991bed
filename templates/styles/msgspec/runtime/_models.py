"""Base classes of the generated models (msgspec style): msgspec Structs and open enums.

The module-level contract the rest of the runtime uses is the same in every model style:
``decode(tp, data)`` (raises ``DecodeError``), ``decode_json(tp, content)``,
``decode_lenient(tp, data)``, ``is_model(obj)``, ``dump_model(obj)``,
``model_parts(obj)`` and ``dropped_fields(value, data)``.

* Models are :class:`msgspec.Struct` classes (keyword-only, mutable).  A field that
  may be absent defaults to :data:`msgspec.UNSET`: reading a field the server did not
  send gives ``UNSET`` (pydantic's style gives ``None``), an explicit ``null`` gives
  ``None``.  Encoding leaves ``UNSET`` fields out, so a request sends exactly the
  fields that were set, an explicit ``None`` as ``null``.
* Responses are read leniently: an enum value the client does not know becomes a
  new member of its enum (msgspec calls the enum's ``_missing_``), unknown fields are
  ignored (msgspec does not keep them; strict mode reports them, see
  :func:`dropped_fields`), and a response that does not match its type is kept as far
  as it matches (:func:`decode_lenient`).
* Discriminated unions whose tag is a single-valued field of every variant are
  msgspec tagged unions (``tag_field``/``tag``).  What msgspec cannot decode itself
  (unions of several untagged objects, of several string-like types, float enums and
  float literals) is annotated ``Dispatched[T, how]``: type checkers see ``T``,
  msgspec sees ``Any``, and the model's ``__post_init__`` converts the value
  (``FirstMatch()``: the variant that matches best; ``ByTag(...)``: by the tag value).
"""

from __future__ import annotations

import enum
import threading
import types
import typing
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET, UnsetType

from ._enums import OpenFloatEnum, OpenIntEnum, OpenStrEnum
from ._exceptions import DecodeError

__all__ = [
    "Struct",
    "DispatchingStruct",
    "Dispatched",
    "FirstMatch",
    "ByTag",
    "UNSET",
    "UnsetType",
    "DecodeError",
    "decode",
    "decode_json",
    "decode_lenient",
    "dropped_fields",
    "dump_model",
    "is_model",
    "model_parts",
    "OpenStrEnum",
    "OpenIntEnum",
    "OpenFloatEnum",
]


class Struct(msgspec.Struct, kw_only=True, repr_omit_defaults=True):
    """The base of every generated model."""

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-compatible data, by wire name, without the fields that are unset."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    def to_json(self) -> str:
        """The model as a JSON string, by wire name, without the fields that are unset."""
        return msgspec.json.encode(self).decode("utf-8")


class _Lenient(threading.local):
    active = False


_lenient_state = _Lenient()


class DispatchingStruct(Struct, kw_only=True):
    """A model with ``Dispatched`` fields: ``__post_init__`` converts their raw values.

    A separate base: msgspec calls ``__post_init__`` only for classes that define it,
    so models without such fields do not pay for the call when they are decoded.
    """

    def __post_init__(self) -> None:
        if not _lenient_state.active:
            _resolve_fields(self)


# ---------------------------------------------------------------- dispatched types


class FirstMatch:
    """Dispatch a union by trying its variants: exact matches first, then lax ones;
    among objects, the variant that declares the most of the keys sent wins."""

    def __repr__(self) -> str:
        return "FirstMatch()"


class ByTag:
    """Dispatch a union by the value of the tag property ``prop`` (``mapping``: value -> type)."""

    def __init__(self, prop: str, mapping: dict[str, Any]) -> None:
        self.prop = prop
        self.mapping = mapping

    def __repr__(self) -> str:
        return f"ByTag({self.prop!r}, {self.mapping!r})"


class _Dispatch:
    """The ``Annotated`` metadata msgspec ignores and :func:`_convert` acts on."""

    __slots__ = ("tp", "how")

    def __init__(self, tp: Any, how: Any) -> None:
        self.tp = tp
        self.how = how

    def __repr__(self) -> str:
        return f"Dispatched[{self.tp!r}, {self.how!r}]"


if TYPE_CHECKING:
    from typing import Annotated as Dispatched
else:

    class Dispatched:
        """``Dispatched[T, how]``: ``T`` for type checkers, ``Any`` for msgspec, converted after."""

        def __class_getitem__(cls, params: Any) -> Any:
            tp, how = params
            return typing.Annotated[Any, _Dispatch(tp, how)]


_UNION_ORIGINS = (typing.Union, types.UnionType)


def _has_dispatch(tp: Any, _depth: int = 0) -> bool:
    """Whether a type expression holds a ``Dispatched`` part outside of model classes."""
    if _depth > 32:
        return False
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        meta = getattr(tp, "__metadata__", ())
        if any(isinstance(m, _Dispatch) for m in meta):
            return True
    return any(_has_dispatch(a, _depth + 1) for a in typing.get_args(tp) if not isinstance(a, str))


_decoders: dict[Any, msgspec.json.Decoder[Any] | None] = {}


def _decoder(tp: Any) -> msgspec.json.Decoder[Any] | None:
    """A cached lax JSON decoder for ``tp``, or None when msgspec cannot decode it alone."""
    try:
        return _decoders[tp]
    except KeyError:
        hashable = True
    except TypeError:  # an unhashable type expression: not cached
        hashable = False
    decoder: msgspec.json.Decoder[Any] | None = None
    if not _has_dispatch(tp):
        try:
            decoder = msgspec.json.Decoder(tp, strict=False)
        except TypeError:
            decoder = None
    if hashable:
        _decoders[tp] = decoder
    return decoder


def _convert(tp: Any, value: Any) -> Any:
    """``value`` (parsed JSON) as ``tp``; ``msgspec.ValidationError`` if it does not match."""
    if _decoder(tp) is not None:
        return msgspec.convert(value, tp, strict=False)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        dispatch = next((m for m in tp.__metadata__ if isinstance(m, _Dispatch)), None)
        if dispatch is None:
            return _convert(args[0], value)
        return _dispatch(dispatch, value)
    if origin in _UNION_ORIGINS:
        members = tuple(a for a in args if a is not type(None) and a is not UnsetType)
        if value is None and len(members) != len(args):
            return None
        if len(members) == 1:
            return _convert(members[0], value)
        return _first_match(members, value)
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            raise msgspec.ValidationError(f"Expected `array`, got `{type(value).__name__}`")
        item = args[0] if args else Any
        return [_convert(item, v) for v in value]
    if origin in (dict, typing.Dict):  # noqa: UP006
        if not isinstance(value, dict):
            raise msgspec.ValidationError(f"Expected `object`, got `{type(value).__name__}`")
        item = args[1] if len(args) == 2 else Any
        return {k: _convert(item, v) for k, v in value.items()}
    if origin is typing.Literal:
        for choice in args:
            if value == choice and type(value) is type(choice):
                return value
        raise msgspec.ValidationError(f"Invalid value {value!r}")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            raise msgspec.ValidationError(f"Invalid enum value {value!r}") from None
    return msgspec.convert(value, tp, strict=False)


def _dispatch(dispatch: _Dispatch, value: Any) -> Any:
    if value is None or value is UNSET:
        return value
    how = dispatch.how
    if isinstance(how, ByTag) and isinstance(value, dict):
        tag = value.get(how.prop)
        target = how.mapping.get(tag) if isinstance(tag, str) else None
        if target is not None:
            return _convert(target, value)
    if typing.get_origin(dispatch.tp) in _UNION_ORIGINS:
        return _first_match(typing.get_args(dispatch.tp), value)
    return _convert(dispatch.tp, value)


def _matched_keys(result: Any, value: Any) -> int:
    if isinstance(result, msgspec.Struct) and isinstance(value, dict):
        names = _struct_info(type(result)).by_wire
        return sum(1 for key in value if key in names)
    return 0


def _first_match(members: tuple[Any, ...], value: Any) -> Any:
    """The best match of ``value`` among ``members``: exact (strict) conversions before
    lax ones; among objects, the one declaring the most keys of ``value``, then the first."""
    if value is None and type(None) in members:
        return None
    candidates = [m for m in members if m is not type(None) and m is not UnsetType]
    errors: list[str] = []
    for strict in (True, False):
        found = False
        best: Any = None
        best_keys = -1
        for member in candidates:
            try:
                if strict and _decoder(member) is not None:
                    result = msgspec.convert(value, member, strict=True)
                else:
                    result = _convert(member, value)
            except (msgspec.ValidationError, TypeError) as exc:
                if not strict:
                    errors.append(str(exc))
                continue
            keys = _matched_keys(result, value)
            if keys > best_keys:
                found, best, best_keys = True, result, keys
            if not isinstance(value, dict):
                break
        if found:
            return best
    detail = "; ".join(dict.fromkeys(errors))
    raise msgspec.ValidationError(f"The value matches none of the union's variants ({detail})")


class _StructInfo:
    __slots__ = ("by_wire", "dispatched", "tag_field", "fields")

    def __init__(self, cls: type[msgspec.Struct]) -> None:
        fields = msgspec.structs.fields(cls)
        self.fields = fields
        self.by_wire = {f.encode_name: f.name for f in fields}
        self.dispatched = [(f.name, f.encode_name, f.type) for f in fields if _has_dispatch(f.type)]
        config = cls.__struct_config__
        self.tag_field = config.tag_field if config.tag is not None else None


_infos: dict[type, _StructInfo] = {}


def _struct_info(cls: type[msgspec.Struct]) -> _StructInfo:
    try:
        return _infos[cls]
    except KeyError:
        info = _infos[cls] = _StructInfo(cls)
        return info


def _resolve_fields(obj: msgspec.Struct) -> None:
    for name, wire, tp in _struct_info(type(obj)).dispatched:
        value = getattr(obj, name)
        if value is UNSET:
            continue
        try:
            converted = _convert(tp, value)  # models passed to a constructor are kept as they are
        except msgspec.ValidationError as exc:
            # msgspec turns a ValueError raised in __post_init__ into a ValidationError and
            # appends the path of this object; the field is named here
            raise ValueError(f"{exc} - in field `{wire}`") from None
        setattr(obj, name, converted)


# ------------------------------------------------------------------------- enums


# ---------------------------------------------------------------------- contract


def decode(tp: Any, data: Any) -> Any:
    """``data`` (parsed JSON) as the type expression ``tp``; ``DecodeError`` if it does not match.

    msgspec stops at the first mismatch, so ``error_count`` is always 1.
    """
    try:
        return _convert(tp, data)
    except msgspec.ValidationError as exc:
        raise DecodeError(str(exc), 1, exc) from exc


def decode_json(tp: Any, content: bytes) -> Any:
    """A JSON document (bytes) decoded as ``tp`` in one pass when msgspec can.

    Raises ``DecodeError`` when the document does not match ``tp`` and ``ValueError``
    when it is not JSON.
    """
    decoder = _decoder(tp)
    if decoder is None:
        try:
            data = msgspec.json.decode(content)
        except msgspec.DecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from None
        return decode(tp, data)
    try:
        return decoder.decode(content)
    except msgspec.ValidationError as exc:
        raise DecodeError(str(exc), 1, exc) from exc
    except msgspec.DecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None


def is_model(obj: object) -> bool:
    """Whether ``obj`` is an instance of a generated model."""
    return isinstance(obj, msgspec.Struct)


def dump_model(obj: Any) -> Any:
    """A model as JSON data: wire names, unset fields left out (``None`` is ``null``)."""
    return msgspec.to_builtins(obj)


def model_parts(obj: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """The extra fields a model keeps (none: msgspec drops them, see :func:`dropped_fields`)
    and its declared fields' values."""
    return [], [(f.name, getattr(obj, f.name, UNSET)) for f in _struct_info(type(obj)).fields]


def dropped_fields(value: Any, data: Any, path: str = "$") -> list[str]:
    """Where the parsed JSON ``data`` has object fields that the decoded ``value`` dropped.

    Strict mode reports them (the pydantic style keeps unknown fields in the model and
    reports them through :func:`model_parts` instead), as ``"<path>: unexpected field
    'name' in Model"``.
    """
    found: list[str] = []
    _walk_dropped(value, data, path, found, 0)
    return found


def _walk_dropped(value: Any, data: Any, path: str, found: list[str], depth: int) -> None:
    if depth > 256:
        return
    if isinstance(value, msgspec.Struct):
        if not isinstance(data, dict):
            return
        info = _struct_info(type(value))
        for key in data:
            if key not in info.by_wire and key != info.tag_field:
                found.append(f"{path}: unexpected field {key!r} in {type(value).__name__}")
        for wire, name in info.by_wire.items():
            if wire in data:
                item = getattr(value, name, UNSET)
                _walk_dropped(item, data[wire], f"{path}.{name}", found, depth + 1)
    elif isinstance(value, (list, tuple)) and isinstance(data, list):
        for index, (item, raw) in enumerate(zip(value, data)):
            _walk_dropped(item, raw, f"{path}[{index}]", found, depth + 1)
    elif isinstance(value, dict) and isinstance(data, dict):
        for key, item in value.items():
            if key in data:
                _walk_dropped(item, data[key], f"{path}[{key!r}]", found, depth + 1)


# ---------------------------------------------------------------------- lenient


def decode_lenient(tp: Any, value: Any) -> Any:
    """``value`` as ``tp`` as far as it matches, keeping the rest.

    Used for responses when decoding fails and strict validation is off (the default):
    every part that matches is typed, a model missing a required field is still a
    model (the field reads ``UNSET``), and a value that fits nothing is kept as the
    server sent it.
    """
    return _lenient(tp, value, 0)


def _lenient(tp: Any, value: Any, depth: int) -> Any:
    if depth > 64:
        return value
    try:
        return _convert(tp, value)
    except (msgspec.ValidationError, TypeError, ValueError):
        pass
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        dispatch = next((m for m in tp.__metadata__ if isinstance(m, _Dispatch)), None)
        if dispatch is None:
            return _lenient(args[0], value, depth + 1)
        how = dispatch.how
        if isinstance(how, ByTag) and isinstance(value, dict):
            tag = value.get(how.prop)
            target = how.mapping.get(tag) if isinstance(tag, str) else None
            if target is not None:
                return _lenient(target, value, depth + 1)
        return _lenient(dispatch.tp, value, depth + 1)
    if origin in _UNION_ORIGINS:
        if isinstance(value, dict):
            member = _lenient_member(args, value)
            if member is not None:
                return _lenient(member, value, depth + 1)
        return value
    if origin in (list, typing.List) and isinstance(value, list):  # noqa: UP006
        item = args[0] if args else Any
        return [_lenient(item, v, depth + 1) for v in value]
    if origin in (dict, typing.Dict) and isinstance(value, dict):  # noqa: UP006
        item = args[1] if len(args) == 2 else Any
        return {k: _lenient(item, v, depth + 1) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct) and isinstance(value, dict):
        return _construct(tp, value, depth)
    return value


def _lenient_member(members: tuple[Any, ...], value: dict[str, Any]) -> Any:
    """The union member a JSON object is most likely meant as: a tagged model whose tag it
    carries, else the model (or nested union) declaring the most of its keys."""
    best: Any = None
    best_keys = -1
    for member in members:
        inner = member
        while typing.get_origin(inner) is typing.Annotated:
            inner = typing.get_args(inner)[0]
        if isinstance(inner, type) and issubclass(inner, msgspec.Struct):
            config = inner.__struct_config__
            if config.tag is not None and config.tag_field is not None:
                if value.get(config.tag_field) == config.tag:
                    return inner
                if config.tag_field in value:
                    continue
            keys = sum(1 for key in value if key in _struct_info(inner).by_wire)
            if keys > best_keys:
                best, best_keys = inner, keys
        elif best is None and (
            typing.get_origin(inner) in _UNION_ORIGINS
            or (typing.get_origin(member) is typing.Annotated)
        ):
            best = member
    return best


def _construct(cls: type[msgspec.Struct], data: dict[str, Any], depth: int) -> Any:
    values: dict[str, Any] = {}
    for f in _struct_info(cls).fields:
        if f.encode_name in data:
            values[f.name] = _lenient(f.type, data[f.encode_name], depth + 1)
        elif f.required:
            values[f.name] = UNSET  # reading it gives UNSET instead of an invented value
    previous, _lenient_state.active = _lenient_state.active, True
    try:
        return cls(**values)
    finally:
        _lenient_state.active = previous
