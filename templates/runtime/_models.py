"""Base classes of the generated models: lenient pydantic models and open enums.

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

import enum
from typing import Any, Callable, ClassVar

import pydantic

__all__ = ["BaseModel", "OpenStrEnum", "OpenIntEnum", "OpenFloatEnum", "discriminator_by"]


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
        arbitrary_types_allowed=False,
    )

    # Field names whose default (a single-valued tag) is always serialised.
    __oagen_always_set__: ClassVar[tuple[str, ...]] = ()

    def model_post_init(self, context: Any, /) -> None:
        if self.__oagen_always_set__:
            self.__pydantic_fields_set__.update(self.__oagen_always_set__)

    def to_dict(self, *, by_alias: bool = True, exclude_unset: bool = True) -> dict[str, Any]:
        """The model as JSON-compatible data, by wire name, with only the fields that were set."""
        return self.model_dump(mode="json", by_alias=by_alias, exclude_unset=exclude_unset)

    def to_json(self, *, indent: int | None = None, exclude_unset: bool = True) -> str:
        """The model as a JSON string, by wire name, with only the fields that were set."""
        return self.model_dump_json(by_alias=True, exclude_unset=exclude_unset, indent=indent)


class _OpenEnumMixin:
    """``_missing_`` makes an unknown value a new pseudo-member instead of an error."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        base: type = str if issubclass(cls, str) else int if issubclass(cls, int) else float
        if isinstance(value, bool) or not isinstance(value, base):
            if not (base is float and isinstance(value, int) and not isinstance(value, bool)):
                return None
        member: Any = base.__new__(cls, value)  # type: ignore[arg-type]
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


class OpenStrEnum(_OpenEnumMixin, str, enum.Enum):
    """A str enum that accepts values it does not list."""

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(_OpenEnumMixin, int, enum.Enum):
    """An int enum that accepts values it does not list."""

    def __str__(self) -> str:
        return str(self.value)


class OpenFloatEnum(_OpenEnumMixin, float, enum.Enum):
    """A float enum that accepts values it does not list."""

    def __str__(self) -> str:
        return str(self.value)


def discriminator_by(wire_name: str, attr_name: str) -> Callable[[Any], Any]:
    """A pydantic callable discriminator reading the tag from data or from a model."""

    def tag(value: Any) -> Any:
        if isinstance(value, dict):
            return value.get(wire_name)
        return getattr(value, attr_name, None)

    return tag
