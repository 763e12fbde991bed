"""Base classes of the generated models (pydantic style): lenient pydantic models and open enums.

Every model style ships a ``_models.py`` with the same module-level contract, which
the rest of the runtime uses and nothing else: ``decode(tp, data)`` (raises
``DecodeError``), ``decode_json(tp, content)`` (the same from the bytes of a JSON
document), ``decode_lenient(tp, data)``, ``is_model(obj)``, ``dump_model(obj)``
(wire names, only the fields that were set), ``model_parts(obj)`` (the extra
fields' names and the declared fields' values) and ``dropped_fields(value, data)``
(unknown fields a style's models do not keep, for strict mode's report).

* Responses are read leniently: unknown fields are kept (``extra="allow"``) and
  an enum value the client does not know becomes a new member of its enum
  instead of an error, so a server that adds a job status does not break old
  clients.
* ``None`` is distinguishable from missing: ``model_fields_set`` tells which
  fields the server sent, and requests send only the fields that were set
  (``exclude_unset``), so an explicit ``None`` is sent as ``null``.
* Single-valued tag fields (``type: Literal["Full"] = "Full"``) are always sent.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Callable, ClassVar

import pydantic
from pydantic.fields import FieldInfo

from ._enums import OpenFloatEnum, OpenIntEnum, OpenStrEnum
from ._exceptions import DecodeError

__all__ = [
    "BaseModel",
    "TaggedModel",
    "DecodeError",
    "decode",
    "decode_json",
    "decode_lenient",
    "dropped_fields",
    "dump_model",
    "is_model",
    "model_parts",
    "type_adapter",
    "OpenStrEnum",
    "OpenIntEnum",
    "OpenFloatEnum",
    "construct_lenient",
    "discriminator_by",
]


# pydantic keeps an instance's set fields in a slot of pydantic.BaseModel; the runtime's
# BaseModel reads and writes that slot through a property (``BaseModel.__pydantic_fields_set__``).
_FIELDS_SET_SLOT: Any = pydantic.BaseModel.__dict__["__pydantic_fields_set__"]
_slot_get: Callable[[Any], Any] = _FIELDS_SET_SLOT.__get__
_slot_put: Callable[[Any, Any], None] = _FIELDS_SET_SLOT.__set__
_SHARED_SETS_PER_CLASS = 16


class BaseModel(pydantic.BaseModel):
    """The base of the generated models.

    Which fields were set is pydantic's ``__pydantic_fields_set__`` (``model_fields_set``),
    here a property over pydantic's slot, for the speed of decoding and nothing else.
    pydantic-core builds a set per decoded model, and the models of a class nearly always have
    the same set fields (all of them, or the same ones each time a server leaves some out):
    the setter keeps one shared, immutable copy of such a set (per class and size) instead of
    each model's own, which saves a set per model and the garbage collector's visits to it
    (about a tenth of the time to decode a list of small models). The getter gives a model its
    own mutable copy when its set is first read, and adds the tags of a :class:`TaggedModel`:
    what reads or changes the set (``model_fields_set``, assignment, ``exclude_unset``
    serialising, copies, pickling) sees what it saw before.
    """

    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
        arbitrary_types_allowed=False,
    )

    # Field names whose default (a single-valued tag) is always set: see TaggedModel.
    __oagen_always_set__: ClassVar[tuple[str, ...]] = ()
    # The shared set-field sets of this class's models, by size (each class has its own).
    __oagen_shared_sets__: ClassVar[dict[int, frozenset[str]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__oagen_shared_sets__ = {}

    if not typing.TYPE_CHECKING:  # for type checkers it stays pydantic's ``set[str]`` attribute

        def _get_fields_set(self) -> set[str]:
            fields_set = _slot_get(self)
            if fields_set.__class__ is frozenset:  # shared: the model's own copy from now on
                fields_set = set(fields_set)
                _slot_put(self, fields_set)
            tags = type(self).__oagen_always_set__
            if tags:
                fields_set.update(tags)
            return fields_set

        def _put_fields_set(self, fields_set: Any) -> None:
            if fields_set.__class__ is set:
                shared_sets = type(self).__oagen_shared_sets__
                shared = shared_sets.get(len(fields_set))
                if shared is None:  # the first set of this size: shared from now on
                    if len(shared_sets) < _SHARED_SETS_PER_CLASS:
                        shared_sets[len(fields_set)] = fields_set = frozenset(fields_set)
                elif shared == fields_set:
                    fields_set = shared
            _slot_put(self, fields_set)

        __pydantic_fields_set__ = property(_get_fields_set, _put_fields_set)
        del _get_fields_set, _put_fields_set

    def to_dict(self, *, by_alias: bool = True, exclude_unset: bool = True) -> dict[str, Any]:
        """The model as JSON-compatible data, by wire name, with only the fields that were set."""
        return self.model_dump(mode="json", by_alias=by_alias, exclude_unset=exclude_unset)

    def to_json(self, *, indent: int | None = None, exclude_unset: bool = True) -> str:
        """The model as a JSON string, by wire name, with only the fields that were set."""
        return self.model_dump_json(by_alias=True, exclude_unset=exclude_unset, indent=indent)


class TaggedModel(BaseModel):
    """A model with single-valued tag fields (``type: Literal["Full"] = "Full"``), which are
    always set and so always serialised.

    ``__oagen_always_set__`` names them; they join the set fields when the set is read (see
    :class:`BaseModel`), so decoding pays no ``model_post_init`` call per model.
    """


def discriminator_by(wire_name: str, attr_name: str) -> Callable[[Any], Any]:
    """A pydantic callable discriminator reading the tag from data or from a model."""

    def tag(value: Any) -> Any:
        if isinstance(value, dict):
            return value.get(wire_name)
        return getattr(value, attr_name, None)

    return tag


_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def type_adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    """A cached :class:`pydantic.TypeAdapter` for the type expression *tp*."""
    try:
        return _ADAPTERS[tp]
    except KeyError:
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)
        _ADAPTERS[tp] = adapter
        return adapter
    except TypeError:  # unhashable type expression: do not cache
        return pydantic.TypeAdapter(tp)


def decode(tp: Any, data: Any) -> Any:
    """``data`` (parsed JSON) validated as the type expression ``tp``; ``DecodeError`` if it does not match."""
    try:
        if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
            return tp.model_validate(data)
        return type_adapter(tp).validate_python(data)
    except pydantic.ValidationError as exc:
        raise DecodeError(str(exc), exc.error_count(), exc) from exc


def decode_json(tp: Any, content: bytes) -> Any:
    """A JSON document (bytes) decoded as ``tp``: ``DecodeError`` if it does not match,
    ``ValueError`` if it is not JSON.  (Styles that decode bytes in one pass do so here.)"""
    return decode(tp, json.loads(content))


def dropped_fields(value: Any, data: Any, path: str = "$") -> list[str]:
    """Unknown fields of ``data`` that the decoded ``value`` does not keep: none, pydantic
    models keep them (``extra="allow"``) and :func:`model_parts` reports them."""
    return []


def is_model(obj: object) -> bool:
    """Whether ``obj`` is an instance of a generated model."""
    return isinstance(obj, pydantic.BaseModel)


def dump_model(obj: Any) -> Any:
    """A model as JSON data: wire names, only the fields that were set (``None`` set is ``null``)."""
    return obj.model_dump(mode="json", by_alias=True, exclude_unset=True)


def model_parts(obj: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """The wire names of the fields a model keeps beyond its declared ones, and its declared fields' values."""
    extra = list(obj.model_extra or {})
    return extra, [(name, getattr(obj, name, None)) for name in type(obj).model_fields]


def decode_lenient(tp: Any, value: Any) -> Any:
    """``value`` as ``tp`` as far as it matches, keeping the rest (see :func:`construct_lenient`)."""
    return construct_lenient(tp, value)


def construct_lenient(tp: Any, value: Any, _depth: int = 0) -> Any:
    """Build ``tp`` from JSON data that does not fully match it, keeping everything.

    Used for responses when validation fails and strict validation is off (the
    default), as the official SDKs do: every part that validates is typed, a
    model missing a required field is still a model (the field is absent from
    ``model_fields_set`` and reading it raises ``AttributeError``), and a value
    that fits nothing is kept as the server sent it.
    """
    if _depth > 64:
        return value
    try:
        return type_adapter(tp).validate_python(value)
    except (pydantic.ValidationError, TypeError, ValueError):
        pass
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return construct_lenient(args[0], value, _depth + 1)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if isinstance(value, dict):
            for member in members:
                inner = member
                while typing.get_origin(inner) is typing.Annotated:
                    inner = typing.get_args(inner)[0]
                if isinstance(inner, type) and issubclass(inner, pydantic.BaseModel):
                    return construct_lenient(inner, value, _depth + 1)
                if typing.get_origin(inner) in (typing.Union, types.UnionType):
                    return construct_lenient(inner, value, _depth + 1)
        return value
    if origin in (list, typing.List) and isinstance(value, list):  # noqa: UP006
        item = args[0] if args else Any
        return [construct_lenient(item, v, _depth + 1) for v in value]
    if origin in (dict, typing.Dict) and isinstance(value, dict):  # noqa: UP006
        item = args[1] if len(args) == 2 else Any
        return {k: construct_lenient(item, v, _depth + 1) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel) and isinstance(value, dict):
        return _construct_model(tp, value, _depth)
    return value


_hints: dict[type, dict[str, Any]] = {}


def _field_types(cls: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The evaluated annotations of a model's fields (string annotations resolved in its module)."""
    try:
        return _hints[cls]
    except KeyError:
        pass
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:  # noqa: BLE001 - an annotation that cannot be evaluated: keep raw values
        hints = {}
    _hints[cls] = {name: _without_field_info(hints.get(name, Any)) for name in cls.model_fields}
    return _hints[cls]


def _without_field_info(tp: Any) -> Any:
    """``tp`` without ``Field(...)`` metadata (``Annotated[str, Field(alias="a-b")]``).

    A model's own ``Field`` (its alias, its default) means nothing to a bare type: pydantic
    warns when one reaches a ``TypeAdapter``.  Other metadata (a discriminator) stays.
    """
    if typing.get_origin(tp) is not typing.Annotated:
        return tp
    base, *meta = typing.get_args(tp)
    kept = [m for m in meta if not isinstance(m, FieldInfo)]
    if len(kept) == len(meta):
        return tp
    if not kept:
        return base
    args = (base, *kept)
    return typing.Annotated[args]


def _construct_model(cls: type[pydantic.BaseModel], data: dict[str, Any], depth: int) -> Any:
    by_wire: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        by_wire[info.alias or name] = name
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, raw in data.items():
        name = by_wire.get(key, key if key in cls.model_fields else "")
        if name:
            values[name] = construct_lenient(_field_types(cls).get(name, Any), raw, depth + 1)
        else:
            extra[key] = raw
    instance = cls.model_construct(_fields_set=set(values), **values)
    if extra and cls.model_config.get("extra") == "allow":
        if instance.__pydantic_extra__ is None:
            object.__setattr__(instance, "__pydantic_extra__", {})
        assert instance.__pydantic_extra__ is not None
        instance.__pydantic_extra__.update(extra)
    for name, info in cls.model_fields.items():
        if name not in values and info.is_required():
            # leave it unset: reading it raises AttributeError instead of inventing a value
            instance.__dict__.pop(name, None)
    return instance
