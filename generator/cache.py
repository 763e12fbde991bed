"""A content-hash cache: the expensive, pure steps of a run, keyed by what they depend on.

Three things are cached:

* black's output for one file, keyed by sha256(unformatted text, black's version, mode)
  (see :mod:`generator.format`);
* the validation findings of one spec, keyed by sha256(the spec's bytes and those of
  every file it references, openapi-spec-validator's version, oagen's validation code,
  the strict flag) (see :mod:`generator.core`);
* a client's whole run: its files, keyed by every input of the run (the spec and the
  files it references, the configuration, the templates, oagen's code, the installed
  packages); a run that finds its entry loads and renders nothing (see
  :mod:`generator.runcache`).

A key names everything the value depends on, so an entry never goes stale: it is either
right or unused.  The cache may therefore be deleted at any time, and it can never change
what oagen writes: a cached run and an uncached one give byte-identical output.

:class:`MemoryCache` keeps entries in a dict (tests, one-off runs);
:class:`FileCache` keeps one file per entry under a folder (``.oagen-cache/`` at the
project root by default; ``[tool.oagen] cache_dir`` or ``--cache-dir`` move it)::

    <root>/<namespace>/<key[:2]>/<key>

Each file is ``oagen-cache 1 <sha256 of the payload>\\n`` followed by the payload (UTF-8
text).  An entry that is unreadable, truncated or does not match its checksum is a
miss, and the next ``put`` replaces it.  Writes are atomic (a temporary file in the same
folder, then ``os.replace``), so concurrent runs never see half an entry.  A cache that
cannot be written (read-only disk, full disk) only makes runs slower.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Protocol

from .diagnostics import Diagnostic, Level, Location

_MAGIC = b"oagen-cache 1 "


class Cache(Protocol):
    """What :func:`generator.core.generate` needs: text values by (namespace, key)."""

    def get(self, namespace: str, key: str) -> str | None: ...

    def put(self, namespace: str, key: str, value: str) -> None: ...


def cache_key(*parts: str | bytes) -> str:
    """sha256 of the parts, each length-prefixed so that no two part lists collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}:".encode("ascii"))
        h.update(data)
    return h.hexdigest()


def dump_diagnostics(diags: list[Diagnostic]) -> str:
    """Diagnostics as JSON text, for a cache entry; :func:`load_diagnostics` reads it back."""
    return json.dumps(
        [[d.level.value, d.message, d.location.file, d.location.line, d.location.pointer] for d in diags]
    )


def load_diagnostics(text: str) -> list[Diagnostic] | None:
    """What :func:`dump_diagnostics` wrote; None for anything else (a damaged entry is a miss)."""
    try:
        return [Diagnostic(Level(level), message, Location(file, line, pointer))
                for level, message, file, line, pointer in json.loads(text)]
    except (ValueError, TypeError):
        return None


class MemoryCache:
    """Entries in a dict; counts hits and misses (for tests and the profile)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}
        self.hits = 0
        self.misses = 0

    def get(self, namespace: str, key: str) -> str | None:
        value = self.entries.get((namespace, key))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, namespace: str, key: str, value: str) -> None:
        self.entries[(namespace, key)] = value


class FileCache:
    """Entries as files under ``root``; see the module docstring for the format."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    def _path(self, namespace: str, key: str) -> Path | None:
        if not (namespace.isidentifier() and len(key) >= 8 and all(c in "0123456789abcdef" for c in key)):
            return None
        return self.root / namespace / key[:2] / key

    def get(self, namespace: str, key: str) -> str | None:
        path = self._path(namespace, key)
        value = None if path is None else _read(path)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, namespace: str, key: str, value: str) -> None:
        path = self._path(namespace, key)
        if path is None:
            return
        payload = value.encode("utf-8")
        data = _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not (self.root / "CACHEDIR.TAG").exists():
                _write_atomic(self.root / "CACHEDIR.TAG", _CACHEDIR_TAG)
            _write_atomic(path, data)
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower


_CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is oagen's cache (safe to delete). See https://bford.info/cachedir/\n"
)


def _read(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    head, sep, payload = data[len(_MAGIC):].partition(b"\n")
    if not sep or head != hashlib.sha256(payload).hexdigest().encode("ascii"):
        return None
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - the checksum matched, so this is our own bytes
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only a run that writes the cache needs it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
