"""Base class, decoding and serialising of the generated models (dataclasses style).

The models are standard-library dataclasses: this module needs nothing but the standard
library.  It provides the module-level contract the rest of the runtime uses
(``decode(tp, data)`` raising ``DecodeError``, ``decode_lenient(tp, data)``,
``is_model(obj)``, ``dump_model(obj)`` and ``model_parts(obj)``), the open enum bases,
and the small helpers the generated ``_decode_<Model>`` functions of ``models.py`` call.

Semantics (the same as the pydantic style):

* A field is *set* when the server sent it (or it was passed to the constructor, or
  assigned later).  The set fields are the declared fields in the instance's
  ``__dict__``: an optional field that was not set is absent from it, and reading it gives
  the class attribute, ``None``.  ``model_fields_set`` lists them; serialising sends only
  them, so an explicit ``None`` is sent as ``null`` and an unset field is not sent.
* Single-valued tag fields (``type: Literal["Full"] = "Full"``) are always set.
* Wire names that are not identifiers are mapped both ways (``__oagen_wire__``).
* Unknown fields of a response are kept (``model_extra``, a dict by wire name) and sent
  back when the model is serialised; an enum value the client does not know becomes a
  pseudo-member of its enum instead of an error.
* Decoding is strict about JSON types (a ``str`` field does not take a number, an ``int``
  field does not take ``1.0``, ``"1"`` or ``true``; a ``float`` field takes an integer),
  so that a union can try its variants in order and keep the first that decodes.
  Discriminated unions dispatch on their tag (``Discriminator`` in the annotation).
* ``decode`` raises :class:`DecodeError` with every problem and where it is
  (``$.events[3].created_at: expected an ISO 8601 date-time, got 'yesterday'``);
  ``decode_lenient`` keeps what matches and the rest as the server sent it.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import re
import types
import typing
import uuid
from typing import Any, Callable, ClassVar, Mapping, TypeVar

from ._enums import OpenFloatEnum, OpenIntEnum, OpenStrEnum
from ._exceptions import DecodeError

__all__ = [
    "BaseModel",
    "DecodeError",
    "Discriminator",
    "Invalid",
    "OpenFloatEnum",
    "OpenIntEnum",
    "OpenStrEnum",
    "as_bool",
    "as_bytes",
    "as_date",
    "as_datetime",
    "as_dict",
    "as_float",
    "as_int",
    "as_list",
    "as_none",
    "as_str",
    "as_time",
    "as_uuid",
    "best_model",
    "by_tag",
    "decode",
    "decode_json",
    "decode_lenient",
    "dropped_fields",
    "decoder",
    "dump_model",
    "enum_value",
    "extra_fields",
    "instance_of",
    "is_model",
    "literal",
    "missing",
    "model_parts",
    "new_model",
    "present",
    "to_wire",
]

_M = TypeVar("_M", bound="BaseModel")
_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)
_F = TypeVar("_F", bound=Callable[..., Any])

# The key under which a model keeps the fields it does not declare (no field name starts
# with an underscore, so it cannot clash with one).
_EXTRA = "_extra"
_GIVEN = "_given"


class _Missing:
    """The value of a key the data does not have (``data.get(wire, missing)``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


missing: Any = _Missing()


class Invalid(Exception):
    """Raised by the generated decoders at the first value that does not match.

    It carries nothing: :func:`decode` then walks the data again to report every problem
    with its path (the fast path stays fast).
    """

    __slots__ = ()


# --------------------------------------------------------------------------- models


@dataclasses.dataclass(frozen=True)
class _FieldInfo:
    attr: str
    wire: str
    kind: str  # "required" | "optional" | "tag"
    default: Any  # the tag's value for "tag" fields


class _ModelInfo:
    """What the generic code needs to know about a model class, built once per class."""

    def __init__(self, cls: type) -> None:
        wire = getattr(cls, "__oagen_wire__", {})
        fields: list[_FieldInfo] = []
        for f in dataclasses.fields(cls):
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                kind, default = "required", None
            elif f.default is None:
                kind, default = "optional", None
            else:
                kind, default = "tag", f.default
            fields.append(_FieldInfo(f.name, wire.get(f.name, f.name), kind, default))
        self.cls = cls
        self.fields = tuple(fields)
        self.names = frozenset(f.attr for f in fields)
        self.wires = frozenset(f.wire for f in fields)
        self.optional = tuple(f.attr for f in fields if f.kind == "optional")
        self._hints: dict[str, Any] | None = None

    def hints(self) -> dict[str, Any]:
        """The evaluated annotations (with ``Annotated`` metadata), resolved on first use."""
        if self._hints is None:
            self._hints = typing.get_type_hints(self.cls, include_extras=True)
        return self._hints

    def field_type(self, attr: str) -> Any:
        return self.hints().get(attr, Any)

    def extra_type(self) -> Any:
        """The type of one additional property (``Any`` when they are not typed)."""
        hint = self.hints().get("__oagen_extra__")
        if typing.get_origin(hint) is ClassVar:
            (hint,) = typing.get_args(hint)
        args = typing.get_args(hint)
        return args[1] if len(args) == 2 else Any


_INFO: dict[type, _ModelInfo] = {}


def _info(cls: type) -> _ModelInfo:
    try:
        return _INFO[cls]
    except KeyError:
        info = _INFO[cls] = _ModelInfo(cls)
        return info


class BaseModel:
    """The base of every generated dataclass (``@dataclass(kw_only=True, eq=False, repr=False)``).

    Not frozen and without slots, on purpose: the instance ``__dict__`` holds exactly the
    fields that were set, so assigning a field marks it set, ``del obj.field`` unsets it,
    and decoding builds an object by handing it its finished ``__dict__``.
    """

    # declared field name -> wire name, for the fields whose names differ
    __oagen_wire__: ClassVar[dict[str, str]] = {}

    def __new__(cls: type[_M], *args: Any, **kwargs: Any) -> _M:
        # Remember which keywords the constructor got: ``__post_init__`` then drops the
        # optional fields that were not given, so ``Model(x=None)`` sends null and
        # ``Model()`` does not send x.
        self = object.__new__(cls)
        if kwargs:
            self.__dict__[_GIVEN] = kwargs
        return self

    def __post_init__(self) -> None:
        values = self.__dict__
        given = values.pop(_GIVEN, ())
        for name in _info(type(self)).optional:
            if name not in given:
                del values[name]

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the fields that were set (sent by the server, given or assigned)."""
        names = _info(type(self)).names
        return {name for name in self.__dict__ if name in names}

    @property
    def model_extra(self) -> dict[str, Any]:
        """The fields the model does not declare, by wire name (kept and sent back)."""
        extra: dict[str, Any] = self.__dict__.setdefault(_EXTRA, {})
        return extra

    @classmethod
    def model_validate(cls: type[_M], data: Any) -> _M:
        """``data`` (parsed JSON, by wire name) decoded as this model; ``DecodeError`` if it does not match."""
        result: _M = decode(cls, data)
        return result

    def model_copy(self: _M, *, update: dict[str, Any] | None = None) -> _M:
        """A shallow copy; the fields in ``update`` (by attribute name) are set in it."""
        values = dict(self.__dict__)
        if _EXTRA in values:
            values[_EXTRA] = dict(values[_EXTRA])
        values.update(update or {})
        return new_model(type(self), values)

    def to_dict(self, *, by_alias: bool = True, exclude_unset: bool = True) -> dict[str, Any]:
        """The model as JSON-compatible data, by wire name, with only the fields that were set."""
        return _dump(self, by_alias, exclude_unset)

    def to_json(self, *, indent: int | None = None, exclude_unset: bool = True) -> str:
        """The model as a JSON string, by wire name, with only the fields that were set."""
        return json.dumps(
            _dump(self, True, exclude_unset),
            indent=indent,
            ensure_ascii=False,
            separators=None if indent is not None else (",", ":"),
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.__dict__, other.__dict__
        return mine == theirs or _without_empty_extra(mine) == _without_empty_extra(theirs)

    __hash__ = None  # type: ignore[assignment]  # mutable, as pydantic's models

    def __repr__(self) -> str:
        values = self.__dict__
        parts = [
            f"{f.attr}={values[f.attr]!r}" for f in _info(type(self)).fields if f.attr in values
        ]
        if values.get(_EXTRA):
            parts.append(f"model_extra={values[_EXTRA]!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _without_empty_extra(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not (k == _EXTRA and not v)}


@dataclasses.dataclass(frozen=True, init=False)
class Discriminator:
    """``Annotated`` metadata of a discriminated union: the tag's wire name and tag -> class."""

    property: str
    mapping: tuple[tuple[str, type], ...]

    def __init__(self, property: str, mapping: dict[str, type]) -> None:
        object.__setattr__(self, "property", property)
        object.__setattr__(self, "mapping", tuple(mapping.items()))


# ------------------------------------------------------------------------ open enums


# ---------------------------------------------- helpers of the generated decoders
#
# Each takes a value and returns it decoded, or raises Invalid.  The generated code
# inlines the common case (``v if v.__class__ is str else as_str(v)``) and calls these
# for the rest; the generic decoder below uses the same functions, so both agree.


def as_str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise Invalid


def as_int(v: Any) -> int:
    if isinstance(v, int) and v.__class__ is not bool:
        return v
    raise Invalid


def as_float(v: Any) -> float:
    if isinstance(v, float):
        return v
    if isinstance(v, int) and v.__class__ is not bool:
        return float(v)
    raise Invalid


def as_bool(v: Any) -> bool:
    if v is True or v is False:
        return v
    raise Invalid


def as_none(v: Any) -> Any:
    if v is None:
        return None
    raise Invalid


def present(v: Any) -> Any:
    """A value of type ``Any``: anything but a missing key."""
    if v is missing:
        raise Invalid
    return v


def as_list(v: Any) -> list[Any]:
    if v.__class__ is list:
        return v
    if isinstance(v, (list, tuple)):
        return list(v)
    raise Invalid


def as_dict(v: Any) -> dict[str, Any]:
    if v.__class__ is dict:
        return v
    if isinstance(v, dict):
        return dict(v)
    raise Invalid


def literal(v: Any, allowed: tuple[Any, ...]) -> Any:
    """One of ``allowed`` (the allowed value itself), compared with its JSON type."""
    for a in allowed:
        if v == a and (v.__class__ is a.__class__ or (isinstance(v, str) and isinstance(a, str))):
            return a
    raise Invalid


def enum_value(cls: type[_E], v: Any) -> _E:
    """A member of ``cls``; an unknown value of the right type becomes a pseudo-member."""
    if v.__class__ is bool:
        raise Invalid
    try:
        member = cls._value2member_map_.get(v)
    except TypeError:  # unhashable
        raise Invalid from None
    if member is not None:
        return member  # type: ignore[return-value]
    try:
        return cls(v)
    except ValueError:
        raise Invalid from None


_ISO_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?)?"
)


def _parse_datetime(text: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    # What fromisoformat refuses before Python 3.11 (Z, other fraction lengths, +HHMM).
    match = _ISO_DATETIME.fullmatch(text)
    if match is None:
        raise Invalid
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    tz: datetime.tzinfo | None = None
    if zulu:
        tz = datetime.timezone.utc
    elif sign:
        offset = datetime.timedelta(hours=int(off_h), minutes=int(off_m or 0))
        tz = datetime.timezone(-offset if sign == "-" else offset)
    try:
        return datetime.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0")[:6].ljust(6, "0")), tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        raise Invalid from None


def as_datetime(v: Any) -> datetime.datetime:
    """An ISO 8601 date-time (``Z`` is UTC); a date alone is midnight, as pydantic reads it."""
    if isinstance(v, datetime.datetime):
        return v
    if isinstance(v, str):
        return _parse_datetime(v)
    raise Invalid


def as_date(v: Any) -> datetime.date:
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        return v
    if isinstance(v, str):
        try:
            return datetime.date.fromisoformat(v)
        except ValueError:
            raise Invalid from None
    raise Invalid


def as_time(v: Any) -> datetime.time:
    if isinstance(v, datetime.time):
        return v
    if isinstance(v, str):
        if v.endswith(("Z", "z")):  # what fromisoformat refuses before Python 3.11
            v = v[:-1] + "+00:00"
        try:
            return datetime.time.fromisoformat(v)
        except ValueError:
            raise Invalid from None
    raise Invalid


def as_uuid(v: Any) -> uuid.UUID:
    if isinstance(v, uuid.UUID):
        return v
    if isinstance(v, str):
        try:
            return uuid.UUID(v)
        except ValueError:
            raise Invalid from None
    raise Invalid


def as_bytes(v: Any) -> bytes:
    """Bytes, or a string (its UTF-8 encoding), as pydantic reads them."""
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8")
    raise Invalid


def instance_of(cls: type[_T], v: Any) -> _T:
    """Data that is not a JSON object is accepted as a model only when it already is one."""
    if isinstance(v, cls):
        return v
    raise Invalid


def new_model(cls: type[_M], values: dict[str, Any]) -> _M:
    """An instance of ``cls`` whose set fields are ``values`` (without calling ``__init__``)."""
    obj = object.__new__(cls)
    obj.__dict__ = values
    return obj


def by_tag(v: Any, prop: str, table: Mapping[str, Callable[[Any], Any]]) -> Any:
    """A discriminated union's value: the decoder of the variant ``v[prop]`` names."""
    if v.__class__ is dict:
        tag: Any = v.get(prop)
        try:
            decode_variant = table[tag]
        except (KeyError, TypeError):  # unknown or unhashable tag
            raise Invalid from None
        return decode_variant(v)
    decode_self = _DECODERS.get(type(v))
    if decode_self is not None and decode_self in table.values():
        return v
    raise Invalid


def best_model(v: Any, decoders: tuple[Callable[[Any], Any], ...]) -> Any:
    """The union's model variants that decode ``v``: the one that sets the most declared
    fields wins, the first of equals (pydantic's smart unions choose so)."""
    best: Any = None
    best_count = -1
    for decode_one in decoders:
        try:
            obj = decode_one(v)
        except Invalid:
            continue
        values = obj.__dict__
        count = len(values) - (_EXTRA in values)
        if count > best_count:
            best, best_count = obj, count
    if best_count < 0:
        raise Invalid
    return best


def extra_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are none of the fields of ``cls`` (by wire name)."""
    wires = _info(cls).wires
    return {k: x for k, x in data.items() if k not in wires}


_DECODERS: dict[type, Callable[[Any], Any]] = {}


def decoder(cls: type) -> Callable[[_F], _F]:
    """Register the generated decoder of a model class (a decorator)."""

    def register(fn: _F) -> _F:
        _DECODERS[cls] = fn
        return fn

    return register


# ------------------------------------------------------------- the generic decoder
#
# decode(tp, data) takes any type expression: a model class (its generated decoder),
# List[...], Dict[str, ...], unions, Literal, Annotated[..., Discriminator(...)], enums,
# primitives.  Compiled once per expression into a function raising Invalid.

_Decode = Callable[[Any], Any]

_PRIMITIVES: dict[Any, _Decode] = {
    str: as_str,
    int: as_int,
    float: as_float,
    bool: as_bool,
    bytes: as_bytes,
    datetime.datetime: as_datetime,
    datetime.date: as_date,
    datetime.time: as_time,
    uuid.UUID: as_uuid,
    type(None): as_none,
    None: as_none,
}

_UNION_ORIGINS = (typing.Union, types.UnionType)
_compiled: dict[Any, _Decode] = {}


def _identity(v: Any) -> Any:
    return v


def _strict(tp: Any) -> _Decode:
    """The strict decoder of the type expression ``tp`` (cached)."""
    try:
        return _compiled[tp]
    except KeyError:
        pass
    except TypeError:  # unhashable expression
        return _build(tp)
    fn = _compiled[tp] = _build(tp)
    return fn


def _discriminator(tp: Any) -> Discriminator | None:
    for meta in getattr(tp, "__metadata__", ()):
        if isinstance(meta, Discriminator):
            return meta
    return None


def _build(tp: Any) -> _Decode:
    if tp is Any or tp is object:
        return present
    try:
        return _PRIMITIVES[tp]
    except (KeyError, TypeError):
        pass
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        disc = _discriminator(tp)
        if disc is None:
            return _strict(args[0])
        table = {tag: _lazy_model(cls) for tag, cls in disc.mapping}
        prop = disc.property

        def tagged(v: Any) -> Any:
            return by_tag(v, prop, table)

        return tagged
    if origin in _UNION_ORIGINS:
        # the first that decodes; model variants compete at the place of the first one
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        members: list[_Decode] = []
        for a in args:
            if len(models) > 1 and a in models:
                if a is models[0]:
                    decoders = tuple(_lazy_model(m) for m in models)
                    members.append(lambda v: best_model(v, decoders))
            else:
                members.append(_strict(a))

        def union(v: Any) -> Any:
            for member in members:
                try:
                    return member(v)
                except Invalid:
                    pass
            raise Invalid

        return union
    if origin is typing.Literal:
        allowed = tuple(args)
        return lambda v: literal(v, allowed)
    if origin is list:
        item = _strict(args[0]) if args else present
        return lambda v: [item(x) for x in as_list(v)]
    if origin is dict:
        value = _strict(args[1]) if len(args) == 2 else present
        return lambda v: {k: value(x) for k, x in as_dict(v).items()}
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return _lazy_model(tp)
        if issubclass(tp, enum.Enum):
            return lambda v: enum_value(tp, v)
        if tp is list or tp is dict:
            return lambda v: as_list(v)[:] if tp is list else dict(as_dict(v))
        return lambda v: instance_of(tp, v)
    raise TypeError(f"cannot decode the type expression {tp!r}")


def _lazy_model(cls: type) -> _Decode:
    """The generated decoder of ``cls`` (looked up when first called if not registered yet)."""
    registered = _DECODERS.get(cls)
    if registered is not None:
        return registered

    def model(v: Any) -> Any:
        fn = _DECODERS.get(cls)
        if fn is None:
            fn = _DECODERS[cls] = _generic_model_decoder(cls)
        return fn(v)

    return model


def _generic_model_decoder(cls: type) -> _Decode:
    """A model decoder built from the dataclass (for a model class with no generated one)."""
    info = _info(cls)

    def model(data: Any) -> Any:
        if data.__class__ is not dict:
            return instance_of(cls, data)
        values: dict[str, Any] = {}
        for f in info.fields:
            v = data.get(f.wire, missing)
            if v is missing:
                if f.kind == "required":
                    raise Invalid
                continue
            values[f.attr] = _strict(info.field_type(f.attr))(v)
        if len(values) != len(data):
            extra = _strict(info.extra_type())
            values[_EXTRA] = {k: extra(x) for k, x in extra_fields(cls, data).items()}
        for f in info.fields:
            if f.kind == "tag" and f.attr not in values:
                values[f.attr] = f.default
        return new_model(cls, values)

    return model


# -------------------------------------------------- error reports and lenient decoding

_Path = tuple[Any, ...]


def _where(path: _Path) -> str:
    text = "$"
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{part!r}]"
    return text


def _describe(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    disc = _discriminator(tp)
    if disc is not None:
        return f"{_describe(typing.get_args(tp)[0])} (by {disc.property!r})"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _describe(args[0])
    if origin in _UNION_ORIGINS:
        return " | ".join(_describe(a) for a in args)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if args:
        name = getattr(origin, "__name__", str(origin))
        return f"{name}[{', '.join(_describe(a) for a in args)}]"
    return "None" if tp is None else str(tp).replace("typing.", "")


def _got(v: Any) -> str:
    text = repr(v)
    if len(text) > 60:
        text = text[:57] + "..."
    if v is None or isinstance(v, (str, int, float)):
        return text
    return f"{type(v).__name__} {text}"


_EXPECTED = {
    datetime.datetime: "an ISO 8601 date-time",
    datetime.date: "an ISO 8601 date",
    datetime.time: "an ISO 8601 time",
    uuid.UUID: "a UUID",
}


def _lenient(tp: Any, v: Any, path: _Path, errors: list[str]) -> Any:
    """``v`` as ``tp`` as far as it matches; what does not match is kept and reported."""
    try:
        return _strict(tp)(v)
    except Invalid:
        pass
    count = len(errors)
    result = _lenient_parts(tp, v, path, errors)
    if len(errors) == count:  # the parts matched, the whole did not: report the whole
        errors.append(f"{_where(path)}: expected {_describe(tp)}, got {_got(v)}")
    return result


def _lenient_parts(tp: Any, v: Any, path: _Path, errors: list[str]) -> Any:
    if len(path) > 64:
        errors.append(f"{_where(path)}: nested too deeply")
        return v
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        disc = _discriminator(tp)
        if disc is None:
            return _lenient(args[0], v, path, errors)
        if isinstance(v, dict):
            tag = v.get(disc.property, missing)
            for value, cls in disc.mapping:
                if tag is not missing and tag == value and type(tag) is type(value):
                    return _lenient(cls, v, path, errors)
            if tag is missing:
                errors.append(
                    f"{_where(path + (disc.property,))}: missing (the tag of {_describe(tp)})"
                )
            else:
                errors.append(
                    f"{_where(path + (disc.property,))}: unknown tag {_got(tag)} of {_describe(tp)} "
                    f"(known: {', '.join(repr(t) for t, _ in disc.mapping)})"
                )
            return v
        errors.append(f"{_where(path)}: expected {_describe(tp)}, got {_got(v)}")
        return v
    if origin in _UNION_ORIGINS:
        members = [a for a in args if a is not type(None)]
        if len(members) == 1:  # an optional value that is not None: report inside it
            return _lenient(members[0], v, path, errors)
        errors.append(f"{_where(path)}: expected {_describe(tp)}, got {_got(v)}")
        if isinstance(v, dict):  # keep it as the first model variant, as far as it goes
            for member in args:
                inner = member
                while (
                    typing.get_origin(inner) is typing.Annotated and _discriminator(inner) is None
                ):
                    inner = typing.get_args(inner)[0]
                if (isinstance(inner, type) and issubclass(inner, BaseModel)) or (
                    typing.get_origin(inner) in _UNION_ORIGINS + (typing.Annotated,)
                ):
                    return _lenient(inner, v, path, [])
        return v
    if origin is list and isinstance(v, (list, tuple)):
        item = args[0] if args else Any
        return [_lenient(item, x, path + (i,), errors) for i, x in enumerate(v)]
    if origin is dict and isinstance(v, dict):
        value_type = args[1] if len(args) == 2 else Any
        return {k: _lenient(value_type, x, path + (k,), errors) for k, x in v.items()}
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(v, dict):
        return _lenient_model(tp, v, path, errors)
    if v is missing:
        errors.append(f"{_where(path)}: missing")
        return v
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        expected = f"a value of {tp.__name__}"
    else:
        expected = _EXPECTED.get(tp, "") or _describe(tp)
    errors.append(f"{_where(path)}: expected {expected}, got {_got(v)}")
    return v


def _lenient_model(cls: type[_M], data: dict[str, Any], path: _Path, errors: list[str]) -> _M:
    info = _info(cls)
    values: dict[str, Any] = {}
    for f in info.fields:
        v = data.get(f.wire, missing)
        if v is missing:
            if f.kind == "required":
                # left unset: reading it raises AttributeError instead of inventing a value
                errors.append(f"{_where(path + (f.wire,))}: missing (required by {cls.__name__})")
            continue
        values[f.attr] = _lenient(info.field_type(f.attr), v, path + (f.wire,), errors)
    if any(k not in info.wires for k in data):
        extra = info.extra_type()
        values[_EXTRA] = {
            k: _lenient(extra, x, path + (k,), errors)
            for k, x in data.items()
            if k not in info.wires
        }
    for f in info.fields:
        if f.kind == "tag" and f.attr not in values:
            values[f.attr] = f.default
    return new_model(cls, values)


# ------------------------------------------------------------------ serialising


def to_wire(v: Any) -> Any:
    """A value as JSON data: models by wire name with their set fields, enums by value,
    dates and times in ISO 8601 (UTC as ``Z``, as pydantic writes them), UUIDs as strings,
    bytes as UTF-8 text."""
    cls = v.__class__
    if cls is str or cls is int or cls is float or cls is bool or v is None:
        return v
    if cls is list or cls is tuple:
        return [to_wire(x) for x in v]
    if cls is dict:
        return {_key(k): to_wire(x) for k, x in v.items()}
    if isinstance(v, BaseModel):
        return _dump(v, True, True)
    if isinstance(v, enum.Enum):
        return to_wire(v.value)
    if isinstance(v, (str, int, float)):
        return v
    if isinstance(v, (datetime.datetime, datetime.time)):
        text = v.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8")
    if isinstance(v, (list, tuple, set, frozenset)):
        return [to_wire(x) for x in v]
    if isinstance(v, dict):
        return {_key(k): to_wire(x) for k, x in v.items()}
    raise TypeError(f"{type(v).__name__} is not JSON serialisable")


def _key(k: Any) -> str:
    if isinstance(k, enum.Enum):
        k = k.value
    if not isinstance(k, str):
        raise TypeError(f"JSON object keys must be strings, not {type(k).__name__}")
    return k


def _dump(obj: BaseModel, by_alias: bool, exclude_unset: bool) -> dict[str, Any]:
    values = obj.__dict__
    out: dict[str, Any] = {}
    for f in _info(type(obj)).fields:
        if f.attr in values:
            out[f.wire if by_alias else f.attr] = to_wire(values[f.attr])
        elif not exclude_unset and f.kind != "required":
            out[f.wire if by_alias else f.attr] = None
    for key, value in values.get(_EXTRA, {}).items():
        out[key] = to_wire(value)
    return out


# -------------------------------------------------------- the runtime's contract


def decode_json(tp: Any, content: bytes) -> Any:
    """A JSON document (bytes) decoded as ``tp``: ``DecodeError`` if it does not match,
    ``ValueError`` if it is not JSON."""
    return decode(tp, json.loads(content))


def dropped_fields(value: Any, data: Any, path: str = "$") -> list[str]:
    """Unknown fields of ``data`` that the decoded ``value`` does not keep: none, these
    models keep them (``extra``) and :func:`model_parts` reports them."""
    return []


def decode(tp: Any, data: Any) -> Any:
    """``data`` (parsed JSON) decoded as the type expression ``tp``; ``DecodeError`` if it does not match."""
    try:
        fn = _DECODERS.get(tp) if isinstance(tp, type) else None
        return (fn or _strict(tp))(data)
    except Invalid:
        pass
    errors: list[str] = []
    _lenient(tp, data, (), errors)
    count = len(errors)
    shown = errors[:10] + ([f"... and {count - 10} more"] if count > 10 else [])
    noun = "error" if count == 1 else "errors"
    message = f"{count} validation {noun} for {_describe(tp)}\n" + "\n".join(shown)
    raise DecodeError(message, count)


def decode_lenient(tp: Any, value: Any) -> Any:
    """``value`` as ``tp`` as far as it matches, keeping the rest as it is.

    Used for responses when validation fails and strict validation is off (the default),
    as the official SDKs do: every part that decodes is typed, a model missing a required
    field is still a model (the field is not in ``model_fields_set`` and reading it raises
    ``AttributeError``), and a value that fits nothing is kept as the server sent it.
    """
    return _lenient(tp, value, (), [])


def is_model(obj: object) -> bool:
    """Whether ``obj`` is an instance of a generated model."""
    return isinstance(obj, BaseModel)


def dump_model(obj: Any) -> Any:
    """A model as JSON data: wire names, only the fields that were set (``None`` set is ``null``)."""
    return _dump(obj, True, True)


def model_parts(obj: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """The wire names of the fields a model keeps beyond its declared ones, and its declared fields' values."""
    extra = list(obj.__dict__.get(_EXTRA, {}))
    return extra, [(f.attr, getattr(obj, f.attr, None)) for f in _info(type(obj)).fields]
