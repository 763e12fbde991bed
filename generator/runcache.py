"""The whole-run cache: a client's finished files, keyed by every input of the run.

When nothing a client's output depends on has changed since a run that was cached,
``oagen generate`` and ``oagen check`` need neither to load, validate, parse, render nor
format: they hash the inputs, find the entry and compare its files with the output folder.
That costs the interpreter's start-up, a few small imports, one sha256 over the spec and a
read of the output: well under a second, even for a 3 MB spec whose cold run takes a minute.

The key (:func:`run_key`) is sha256 of everything the output depends on that can be known
before the spec is parsed:

* the spec's bytes, its path as given, its real path and the current folder (the paths
  show in messages, and relative ``$ref``s are resolved against them);
* the client's whole configuration (``repr`` of the :class:`ClientConfig`), ``--strict``,
  the line length, ``--allow-remote-refs``;
* every file of the built-in templates and of every template folder in use (the client's
  ``templates`` and each ``--templates``), names and bytes;
* oagen's version and the bytes of its own code (every file of this package and its
  subpackages, such as the model styles);
* the interpreter's version and the installed distributions with their versions (the
  ``*.dist-info`` names of every folder on ``sys.path``): black, Jinja2, PyYAML and the
  validators are among them, so an upgrade of any of them is a miss.

The files a spec pulls in through ``$ref`` are only known once it is parsed, so the entry
lists them (absolute path, real path, sha256 of the bytes that were read) and a lookup
reads and hashes each again: an entry whose referenced files changed is a miss, and the run
that follows replaces it.  Those files are determined by the spec's bytes and their own,
so an entry whose files all match was made from exactly these inputs.

The entry (namespace ``run``) holds the list of output files with the sha256 of each, the
one-line summary, the diagnostics and the spec's sha256; the file texts are kept once each
under namespace ``blob``, keyed by their sha256.  A hit whose files already match the
output folder reads no blob at all; otherwise the blobs are read and checked against their
sha256, and a missing or damaged one makes the lookup a miss.  A damaged entry is a miss.

This module imports nothing heavy (no YAML, Jinja2, black or validators): it is the whole
cost of a run that finds its entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cache import Cache, cache_key, dump_diagnostics, load_diagnostics
from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .config import ClientConfig
    from .load import Document

FORMAT = "oagen-run 1"
RUN, BLOB = "run", "blob"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------ the key


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of oagen's own code: every file of this package and its subpackages."""
    return cache_key(__version__, tree_digest(Path(__file__).resolve().parent))


@lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """The interpreter and the installed distributions: a version change of any is a miss.

    (The names of the ``*.dist-info`` / ``*.egg-info`` entries of every folder on
    ``sys.path`` carry each distribution's version; listing them costs far less than
    ``importlib.metadata`` or importing the packages.)
    """
    parts: list[str | bytes] = [sys.version, sys.implementation.cache_tag or ""]
    for entry in sys.path:
        folder = entry or os.curdir
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info", ".pth")))
        except OSError:  # not a folder (a zip file) or gone
            names = []
        parts += [entry, "\n".join(names)]
    return cache_key(*parts)


def builtin_templates_dir() -> Path | None:
    """The built-in templates (the same search as :func:`generator.render.templates_dir`)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "templates"):
        if (candidate / "models.py.jinja").is_file():
            return candidate
    return None


def tree_digest(folder: Path | None) -> str:
    """sha256 of the relative paths and bytes of every file under ``folder`` (bytecode aside)."""
    if folder is None or not os.path.isdir(folder):
        return "missing"
    parts: list[str | bytes] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(dirpath, name)
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = b"\x00unreadable"
            parts += [os.path.relpath(path, folder).replace(os.sep, "/"), data]
    return cache_key(*parts)


def run_key(client: ClientConfig, spec_bytes: bytes, *, strict: bool, line_length: int,
            template_dirs: tuple[str, ...] = (), allow_remote_refs: bool = False) -> str:
    """The key of one client's run: see the module docstring for what it covers."""
    spec = str(client.spec)
    parts: list[str | bytes] = [
        FORMAT, code_fingerprint(), environment_fingerprint(), os.getcwd(), spec, os.path.realpath(spec),
        repr(client), f"strict={strict} line_length={line_length} remote={allow_remote_refs}",
        tree_digest(builtin_templates_dir()),
    ]
    folders = ((str(client.templates),) if client.templates is not None else ()) + tuple(template_dirs)
    for folder in folders:
        parts += [folder, tree_digest(Path(folder))]
    parts.append(spec_bytes)
    return cache_key(*parts)


def read_spec(path: Path, max_bytes: int = 64 * 2**20) -> bytes | None:
    """The spec's bytes for the key; None when it cannot be read or is too big (loading says why)."""
    try:
        if os.stat(path).st_size > max_bytes:
            return None
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError:
        return None
    return data if len(data) <= max_bytes else None


# -------------------------------------------------------------------- the entry


@dataclass
class CachedRun:
    """A cached client run: its files by sha256, and what the command line prints."""

    files: dict[str, str]  # relative path -> sha256 of the UTF-8 text
    summary: str
    diagnostics: list[Diagnostic]
    spec_sha256: str

    def texts(self, cache: Cache) -> dict[str, str] | None:
        """The files' texts from the cache; None when any is missing or damaged."""
        out: dict[str, str] = {}
        for rel, digest in self.files.items():
            text = cache.get(BLOB, digest)
            if text is None or sha256(text.encode("utf-8")) != digest:
                return None
            out[rel] = text
        return out


def _refs_unchanged(refs: list[Any]) -> bool:
    for abspath, real, digest in refs:
        if os.path.realpath(abspath) != real:
            return False
        if digest is None:  # the root spec itself, whose bytes are in the key
            continue
        try:
            data = Path(abspath).read_bytes()
        except OSError:
            return False
        if sha256(data) != digest:
            return False
    return True


def lookup(cache: Cache, key: str) -> CachedRun | None:
    """The entry for ``key`` when there is one, undamaged, and its ``$ref``'d files are unchanged."""
    text = cache.get(RUN, key)
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return None
        files, refs = data["files"], data["refs"]
        if not (isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) and len(v) == 64
                                                for k, v in files.items())):
            return None
        if not (isinstance(refs, list) and all(isinstance(r, list) and len(r) == 3 for r in refs)):
            return None
        diagnostics = load_diagnostics(data["diagnostics"])
        summary, spec_sha256 = data["summary"], data["spec_sha256"]
        if diagnostics is None or not isinstance(summary, str) or not isinstance(spec_sha256, str):
            return None
        if not _refs_unchanged(refs):
            return None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # not what we wrote: a miss
    return CachedRun(files, summary, diagnostics, spec_sha256)


def store(cache: Cache, key: str, doc: Document, files: dict[str, str], summary: str,
          diagnostics: list[Diagnostic], spec_sha256: str) -> None:
    """Remember a finished run: every file's text (once per content) and the entry."""
    hashes: dict[str, str] = {}
    for rel, text in files.items():
        digest = sha256(text.encode("utf-8"))
        hashes[rel] = digest
        cache.put(BLOB, digest, text)
    refs = [[abspath, real, None if data is None else sha256(data)]
            for abspath, (real, data) in sorted(doc.ref_files.items())]
    entry = {
        "format": FORMAT,
        "refs": refs,
        "files": hashes,
        "summary": summary,
        "diagnostics": dump_diagnostics(diagnostics),
        "spec_sha256": spec_sha256,
    }
    cache.put(RUN, key, json.dumps(entry, sort_keys=True))


# ------------------------------------------------------------ the output folder


def tree_matches(output: Path, files: dict[str, str]) -> bool:
    """True when ``output`` holds exactly ``files`` (by sha256) as regular files, bytecode aside.

    Anything unusual (a symbolic link, an unreadable file) is "no": the caller then takes
    the ordinary path, which knows how to handle it.
    """
    try:
        if not stat.S_ISDIR(os.lstat(output).st_mode):
            return False
    except OSError:
        return False
    seen = 0
    for dirpath, dirnames, filenames in os.walk(output):
        for d in dirnames:
            if d != "__pycache__" and os.path.islink(os.path.join(dirpath, d)):
                return False
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.endswith(".pyc"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, output).replace(os.sep, "/")
            digest = files.get(rel)
            if digest is None:
                return False
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    return False
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                return False
            if sha256(data) != digest:
                return False
            seen += 1
    return seen == len(files)
