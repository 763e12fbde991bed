"""Write a generated package to disk: all at once, never outside its folder.

The core hands over ``{relative path: text}``; :func:`write_package` checks
every path (relative, no ``..``, no two paths equal once case-folded), writes
the whole tree into a temporary sibling folder and then swaps it into place
with two renames, so a crash leaves either the old package or the new one,
never a mixture.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, Level, Location, SpecError


def _fail(output: Path, message: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, Location(str(output)))])


def check_paths(output: Path, files: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for rel in files:
        p = PurePosixPath(rel)
        if (
            not rel
            or p.is_absolute()
            or "\\" in rel
            or any(part in ("", ".", "..") for part in rel.split("/"))
            or ":" in rel
            or "\x00" in rel
        ):
            raise _fail(output, f"oagen bug: refusing to write unsafe path {rel!r}")
        key = rel.casefold()
        if key in seen:
            raise _fail(output, f"oagen bug: {rel!r} and {seen[key]!r} would be the same file")
        seen[key] = rel


def read_tree(output: Path) -> dict[str, str] | None:
    """The files of an existing package (text), or None when it does not exist."""
    if not output.is_dir():
        return None
    out: dict[str, str] = {}
    for path in sorted(output.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            rel = path.relative_to(output).as_posix()
            try:
                out[rel] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                out[rel] = "<binary>"
    return out


def write_package(output: Path, files: dict[str, str]) -> None:
    """Replace the package at ``output`` by ``files`` in one step."""
    check_paths(output, files)
    output = Path(output)
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=parent))
    try:
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        old = None
        if output.exists() or output.is_symlink():
            if output.is_symlink() or not output.is_dir():
                raise _fail(output, "output exists and is not a folder; refusing to replace it")
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=parent))
            old.rmdir()
            os.rename(output, old)
        try:
            os.rename(staging, output)
        except OSError:
            if old is not None:
                os.rename(old, output)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
