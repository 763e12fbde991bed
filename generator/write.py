"""Write a generated package to disk: all at once, never outside its folder.

The core hands over ``{relative path: text}``; :func:`write_package` checks
every path (relative, no ``..``, no two paths equal once case-folded), writes
the whole tree into a temporary sibling folder and then swaps it into place
with two renames, so a crash leaves either the old package or the new one,
never a mixture.

Regeneration is incremental: a file whose bytes do not change is not rewritten
but hard-linked from the old package into the staging folder (same inode, so
same mtime; copied with its metadata where links are not possible), and when no
file changes at all nothing is touched (no staging folder, no swap).  Build
tools and editors watching the package therefore only see the files that really
changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
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


@dataclass(frozen=True)
class WriteReport:
    """What :func:`write_package` did, by relative path."""

    written: tuple[str, ...] = ()  # new or changed: written
    kept: tuple[str, ...] = ()  # unchanged: linked (or copied) from the old package
    removed: tuple[str, ...] = ()  # in the old package, not in the new one
    swapped: bool = False  # False: nothing changed, nothing was touched

    @property
    def changed(self) -> bool:
        return self.swapped

    def summary(self) -> str:
        if not self.swapped:
            return "unchanged"
        parts = [f"{len(self.written)} written"]
        if self.kept:
            parts.append(f"{len(self.kept)} unchanged")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        return ", ".join(parts)


def _ignored(rel_parts: tuple[str, ...]) -> bool:
    """Files of the old package that are not part of it: Python's bytecode caches."""
    return "__pycache__" in rel_parts or rel_parts[-1].endswith(".pyc")


def _old_files(output: Path) -> dict[str, Path]:
    """The files of the existing package (no bytecode caches), by relative path."""
    out: dict[str, Path] = {}
    if not output.is_dir() or output.is_symlink():
        return out
    for path in output.rglob("*"):
        rel = path.relative_to(output)
        if not _ignored(rel.parts) and (path.is_file() or path.is_symlink()):
            out[rel.as_posix()] = path
    return out


def _same(path: Path, data: bytes) -> bool:
    try:
        return not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _folder_mode(output: Path) -> int:
    """The mode of the package folder: the old one's, else what mkdir would give."""
    try:
        if output.is_dir() and not output.is_symlink():
            return output.stat().st_mode & 0o7777
    except OSError:  # pragma: no cover
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


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


def write_package(output: Path, files: dict[str, str]) -> WriteReport:
    """Replace the package at ``output`` by ``files`` in one step; unchanged files keep their inode."""
    check_paths(output, files)
    output = Path(output)
    encoded = {rel: text.encode("utf-8") for rel, text in files.items()}
    old_files = _old_files(output) if output.is_dir() and not output.is_symlink() else {}
    unchanged = {rel for rel, data in encoded.items() if rel in old_files and _same(old_files[rel], data)}
    removed = tuple(sorted(set(old_files) - set(encoded)))
    if output.is_dir() and not output.is_symlink() and len(unchanged) == len(encoded) and not removed:
        return WriteReport(kept=tuple(sorted(unchanged)))
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=parent))
    try:
        os.chmod(staging, _folder_mode(output))  # mkdtemp makes it private (0700)
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in unchanged:
                try:
                    os.link(old_files[rel], target)
                except OSError:  # no hard links here (some file systems): a copy with its mtime
                    shutil.copy2(old_files[rel], target)
                continue
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
    written = tuple(sorted(set(encoded) - unchanged))
    return WriteReport(written=written, kept=tuple(sorted(unchanged)), removed=removed, swapped=True)
