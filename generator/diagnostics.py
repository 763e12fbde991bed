"""Diagnostics: every finding of every stage is data, never a bare exception.

A :class:`Diagnostic` has a level, a message and a location (file, line and a
JSON pointer into the document).  Stages collect them; the command line prints
all of them and only then decides the exit code.  A stage that cannot go on
raises :class:`SpecError`, which carries the diagnostics that stopped it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    pointer: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.pointer or '#'}" if self.pointer is not None else where


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    location: Location

    def format(self) -> str:
        """One line: ``file:line: level: message (at #/json/pointer)``."""
        loc = self.location
        where = loc.file if loc.line is None else f"{loc.file}:{loc.line}"
        pointer = loc.pointer or "#"
        message = " ".join(self.message.split())
        return f"{where}: {self.level.value}: {message} (at {pointer})"


class SpecError(Exception):
    """The document cannot be interpreted; generation stops, nothing is written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def pointer_escape(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(*tokens: object) -> str:
    return "#" + "".join("/" + pointer_escape(str(t)) for t in tokens)
