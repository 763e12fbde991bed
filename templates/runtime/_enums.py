"""Open enums, shared by every model style: an unknown value becomes a pseudo-member.

A server that adds a value to an enum (a new job status) must not break old clients: the
value is kept as a member named ``UNKNOWN_<value>`` (which strict response validation
reports), instead of an error.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["OpenStrEnum", "OpenIntEnum", "OpenFloatEnum"]


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
