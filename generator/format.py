"""Format generated Python with black, in-process.

A file black cannot parse is a generator bug: it is reported with the file
and black's line, never swallowed.
"""

from __future__ import annotations

import black

from .diagnostics import Diagnostic, Level, Location, SpecError


def black_mode(line_length: int = 100) -> black.Mode:
    return black.Mode(
        target_versions={black.TargetVersion.PY310},
        line_length=line_length,
        string_normalization=True,
        magic_trailing_comma=True,
    )


def format_source(path: str, text: str, mode: black.Mode) -> str:
    try:
        return black.format_str(text, mode=mode)
    except black.parsing.InvalidInput as exc:  # type: ignore[attr-defined]
        line = None
        message = str(exc)
        parts = message.split(":")
        if len(parts) > 2 and parts[1].strip().isdigit():
            line = int(parts[1].strip())
        raise SpecError(
            [Diagnostic(Level.ERROR, f"oagen bug: generated code does not parse: {message}",
                        Location(path, line, ""))]
        ) from None


def format_files(files: dict[str, str], line_length: int = 100, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Format every ``.py`` file except those in ``skip`` (already formatted, e.g. the runtime)."""
    mode = black_mode(line_length)
    return {
        path: format_source(path, text, mode) if path.endswith(".py") and path not in skip else text
        for path, text in sorted(files.items())
    }
