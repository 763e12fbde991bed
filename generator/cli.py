"""The command line: a thin layer over load -> generate -> write.

Exit codes:
  0  success (``check``: generated/ is fresh; ``validate``: no errors)
  1  a check failed: ``check`` found stale or hand-edited files, ``validate --strict``
     found findings, ``diff --fail-on breaking`` found a breaking change
  2  bad input: the spec or the configuration cannot be used (a located message
     is printed; nothing is written)
  3  an internal error of oagen (a bug: please report it with the spec)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TextIO, cast

from . import __version__, runcache, styles
from .cache import Cache, FileCache
from .config import LAYOUTS, ClientConfig, Config, client_for_spec, find_pyproject, load_config
from .diagnostics import Diagnostic, Level, Location, SpecError
from .escape import _escape_char, _unsafe
from .names import module_names, snake
from .progress import Progress, format_timings
from .write import WriteReport, read_tree, write_package

if TYPE_CHECKING:
    from . import ir
    from .load import Document

# The pipeline (generator.core: YAML, the validators, Jinja2, black) is imported by the
# commands that run it, not here: a generate or check served by the whole-run cache
# (generator.runcache) never needs it, and at that scale the imports are most of the time.

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _one_line(text: str) -> str:
    """``text`` safe for a terminal and one line long: line breaks, control and bidi
    characters (a spec's keys may hold any) are written as ``\\x..``/``\\u....`` escapes."""
    return "".join(_escape_char(c) if c == "\n" or _unsafe(c) else c for c in text)


def _print_diagnostics(diags: Sequence[Diagnostic], *, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for d in diags:
        print(_one_line(d.format()), file=stream)


def _load(spec: Path, args: argparse.Namespace) -> Document:
    from .load import load_document

    return load_document(spec, allow_remote_refs=getattr(args, "allow_remote_refs", False))


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def _config(args: argparse.Namespace) -> Config:
    path = Path(args.config) if args.config else find_pyproject(Path.cwd())
    if path is None:
        raise SpecError([Diagnostic(Level.ERROR, "no pyproject.toml with [tool.oagen] found here or above",
                                    _loc(Path.cwd()))])
    config = load_config(path)
    if not config.clients:
        raise SpecError([Diagnostic(Level.ERROR, "no clients configured in [tool.oagen]", _loc(path))])
    return config


def _loc(path: Path) -> Location:
    return Location(_display(path))


def _select(config: Config, names: Sequence[str]) -> list[ClientConfig]:
    if not names:
        return list(config.clients)
    known = {c.name: c for c in config.clients}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SpecError([Diagnostic(Level.ERROR, f"no configured client named {unknown[0]!r} "
                                    f"(configured: {', '.join(sorted(known))})", _loc(config.file))])
    return [known[n] for n in names]


def _with_relative_spec(client: ClientConfig) -> ClientConfig:
    return replace(client, spec=Path(_display(client.spec)))


def _cache(args: argparse.Namespace, config: Config | None) -> Cache | None:
    """The content-hash cache: ``--cache-dir``, else ``[tool.oagen] cache_dir``, else
    ``.oagen-cache/`` at the project root; none with ``--no-cache`` or outside a project."""
    if getattr(args, "no_cache", False):
        return None
    if getattr(args, "cache_dir", None):
        return FileCache(Path(args.cache_dir))
    if config is not None:
        return FileCache(config.cache_dir or config.root / ".oagen-cache")
    return None


def _project_config(args: argparse.Namespace) -> Config | None:
    """The project's configuration when there is one (one-off commands use its cache)."""
    path = Path(args.config) if args.config else find_pyproject(Path.cwd())
    if path is None:
        return None
    try:
        config = load_config(path)
    except SpecError:
        if args.config:
            raise
        return None
    return config if config.clients or config.cache_dir else None


class _CountingCache:
    """A cache that counts what each namespace had to compute (puts): for ``--profile``."""

    def __init__(self, inner: Cache) -> None:
        self.inner = inner
        self.puts: Counter[str] = Counter()

    def get(self, namespace: str, key: str) -> str | None:
        return self.inner.get(namespace, key)

    def put(self, namespace: str, key: str, value: str) -> None:
        self.puts[namespace] += 1
        self.inner.put(namespace, key, value)


@dataclass
class Outcome:
    """One client's run as the commands see it, computed or served by the whole-run cache."""

    summary: str
    diagnostics: list[Diagnostic]
    spec_sha256: str
    timings: dict[str, float]
    files: dict[str, str] | None  # None: the output folder already holds exactly these files
    hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 (cache hits)
    notes: dict[str, str] = field(default_factory=dict)  # stage -> "cached", "black on 3 files"
    cached: bool = False  # served by the whole-run cache: nothing was loaded or rendered
    overlapped: dict[str, float] = field(default_factory=dict)  # stage -> seconds waited for it

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == Level.WARNING]

    def profile(self) -> str:
        """The ``--profile`` line: seconds per stage, and which stages the cache served."""
        parts = []
        for stage, seconds in self.timings.items():
            text = f"{stage} {seconds:.2f}s"
            if stage in self.notes:
                text += f" ({self.notes[stage]})"
            parts.append(text)
        # a stage that ran beside the others counts only for the time it was waited for
        total = sum(v for k, v in self.timings.items() if k not in self.overlapped) + sum(self.overlapped.values())
        return f"{', '.join(parts)} (total {total:.2f}s)"


_CACHED_NOTE = "load, validate, parse, names, render and format: no input changed since the cached run"


def _cached_outcome(client: ClientConfig, args: argparse.Namespace, strict: bool, line_length: int,
                    cache: Cache, key: str, t0: float) -> Outcome | None:
    """The run served by the whole-run cache, or None (a miss: the pipeline runs)."""
    entry = runcache.lookup(cache, key)
    if entry is None:
        return None
    if runcache.tree_matches(client.output, entry.files):
        files = None
    else:  # the output differs from what the run gives (edited, removed): the texts are needed
        files = entry.texts(cache)
        if files is None:
            return None
    return Outcome(entry.summary, entry.diagnostics, entry.spec_sha256, {"cached": time.perf_counter() - t0},
                   files, hashes=entry.files, notes={"cached": _CACHED_NOTE}, cached=True)


# Collect the youngest generation after this many new objects rather than Python's 700.
# The pipeline builds millions of small objects that live until the end of the run (the
# document, the IR, the views); with the default every collection of the older generations
# walks all of them, which made the names pass ~2x slower per operation at 20,000 operations
# than at 1,000.  The loaded data is acyclic, so collecting less often costs no memory to
# speak of.
_GEN0_THRESHOLD = 50_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _GEN0_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _generate_one(client: ClientConfig, args: argparse.Namespace, strict: bool, line_length: int,
                  cache: Cache | None = None, progress: Callable[[str], None] | None = None) -> Outcome:
    """load -> generate for one client; served by the whole-run cache when no input changed."""
    client = _with_relative_spec(client)
    if progress is not None:
        progress("load")
    t0 = time.perf_counter()
    templates = tuple(args.templates or ()) if getattr(args, "templates", None) else ()
    remote = getattr(args, "allow_remote_refs", False)
    raw = runcache.read_spec(client.spec) if cache is not None else None
    key = ""
    if cache is not None and raw is not None:
        key = runcache.run_key(client, raw, strict=strict, line_length=line_length, template_dirs=templates,
                               allow_remote_refs=remote)
        outcome = _cached_outcome(client, args, strict, line_length, cache, key, t0)
        if outcome is not None:
            return outcome
    from .core import generate
    from .load import load_document_bytes

    counting = _CountingCache(cache) if cache is not None else None
    with _fewer_collections():
        # the bytes that were hashed are the bytes that are loaded
        doc = load_document_bytes(raw, str(client.spec), allow_remote_refs=remote) if raw is not None else _load(
            client.spec, args)
        load_time = time.perf_counter() - t0
        result = generate(doc, client, strict=strict, line_length=line_length, template_dirs=templates,
                          cache=counting, progress=progress)
    notes: dict[str, str] = {}
    if counting is not None:
        if "validate" in result.timings and not counting.puts["validate"]:
            notes["validate"] = "cached"
        black = counting.puts["black"]
        notes["format"] = f"black on {black} file{'s' if black != 1 else ''}" if black else "cached"
    for stage, waited in result.overlapped.items():
        notes[stage] = (notes[stage] + "; " if stage in notes else "") + \
            f"in a child process beside parse to format, waited for {waited:.2f}s"
    summary = result.summary(client.name)
    if cache is not None and key:
        runcache.store(cache, key, doc, result.files, summary, result.diagnostics, result.spec_sha256)
    return Outcome(summary, result.diagnostics, result.spec_sha256, {"load": load_time, **result.timings},
                   result.files, notes=notes, overlapped=dict(result.overlapped))


def cmd_generate(args: argparse.Namespace) -> int:
    if args.spec:
        if not args.output:
            raise SpecError([Diagnostic(Level.ERROR, "generate SPEC needs --output DIR/PKG", _loc(Path(args.spec)))])
        clients = [client_for_spec(Path(args.spec), Path(args.output), args.client_name, models=args.models,
                                   layout=args.layout or "resources", sync_only=args.sync_only,
                                   async_only=args.async_only)]
        strict, line_length = args.strict, 100
        cache = _cache(args, _project_config(args))
    else:
        if args.layout is not None:
            # A configured client's layout is in its configuration, where `oagen check` reads it too.
            raise SpecError([Diagnostic(Level.ERROR, "--layout applies to a one-off generation (oagen generate "
                                        "SPEC --output DIR/PKG --layout ...); for a configured client set "
                                        'layout = "..." in its [[tool.oagen.clients]] table', _loc(Path.cwd()))])
        config = _config(args)
        clients = _select(config, args.clients)
        strict, line_length = args.strict or config.strict, config.line_length
        cache = _cache(args, config)
    results: list[tuple[ClientConfig, Outcome]] = []
    with Progress([c.name for c in clients], enabled=not args.quiet) as progress:
        for client in clients:
            stage = progress.start(client.name)
            outcome = _generate_one(client, args, strict, line_length, cache, stage)
            progress.done(client.name, outcome.timings,
                          "cached: no input changed" if outcome.cached else "")
            results.append((client, outcome))
    # Everything rendered without error: only now write, one package at a time.
    for client, outcome in results:
        t0 = time.perf_counter()
        if outcome.files is None:  # a cache hit whose files are already there, byte for byte
            report = WriteReport(kept=tuple(sorted(outcome.hashes)))
            outcome.notes["write"] = "nothing to write"
        else:
            report = write_package(client.output, outcome.files)
        outcome.timings["write"] = time.perf_counter() - t0
        if args.verbose:
            _print_diagnostics(outcome.diagnostics)
        if not args.quiet:
            first, newline, rest = outcome.summary.partition("\n")
            rest = "\n".join(_one_line(line) for line in rest.split("\n"))
            print(f"{first} -> {_display(client.output)} ({report.summary()}){newline}{rest}")
            if args.profile:
                print(f"  profile: {outcome.profile()}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_document

    doc = _load(Path(args.spec), args)
    diags = validate_document(doc, strict=args.strict)
    _print_diagnostics(diags, stream=sys.stdout)
    errors = sum(1 for d in diags if d.level == Level.ERROR)
    warnings = sum(1 for d in diags if d.level == Level.WARNING)
    print(f"{doc.file}: {errors} errors, {warnings} warnings")
    return EXIT_CHECK_FAILED if errors else EXIT_OK


def diff_trees(name: str, expected: dict[str, str], actual: dict[str, str] | None) -> list[str]:
    """Unified diff lines from what is on disk (``actual``) to what generate would write."""
    import difflib

    lines: list[str] = []
    actual = actual or {}
    for rel in sorted(set(expected) | set(actual)):
        a, b = actual.get(rel), expected.get(rel)
        if a == b:
            continue
        if a is None:
            lines.append(f"missing: {name}/{rel} (oagen generate would write it)\n")
        elif b is None:
            lines.append(f"extra: {name}/{rel} (oagen generate would not write it)\n")
        lines.extend(
            difflib.unified_diff(
                (a or "").splitlines(keepends=True),
                (b or "").splitlines(keepends=True),
                fromfile=f"{name}/{rel}" if a is not None else "/dev/null",
                tofile=f"{name}/{rel} (generated)" if b is not None else "/dev/null",
            )
        )
    return lines


_HEADER_RE = re.compile(
    r"\A# Generated by oagen (?P<version>\S+) from (?P<spec>.*)\. Do not edit by hand\.\n"
    r"# spec sha256: (?P<sha>[0-9a-f]{64})\n"
)


# The package reference page (README.md) carries the same facts in Markdown.
_README_HEADER_RE = re.compile(
    r"\A# [^\n]*\n\n\*Generated by oagen (?P<version>\S+) from (?P<spec>[^\n]*)\n"
    r"\(sha256 `(?P<sha>[0-9a-f]{64})`\)\. Do not edit by hand\.\*\n"
)


@dataclass
class FileStatus:
    path: str
    change: str  # "modified" | "missing" | "extra"
    reason: str
    cause: str = "hand-edited"  # "stale" | "hand-edited": how the client's status is decided


@dataclass
class ClientStatus:
    name: str
    output: str
    status: str  # "fresh" | "stale" | "hand-edited" | "missing"
    files: list[FileStatus] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "output": self.output,
            "status": self.status,
            "files": [{"path": f.path, "change": f.change, "reason": f.reason} for f in self.files],
        }


def _header_cause(text: str, spec_sha256: str) -> tuple[str, str] | None:
    """("stale", why) when the header names another spec or oagen; None when it is current."""
    m = _HEADER_RE.match(text) or _README_HEADER_RE.match(text)
    if m is None:
        return None
    if m.group("sha") != spec_sha256:
        return "stale", (f"generated from another {m.group('spec')} (sha256 {m.group('sha')[:12]}..., "
                         f"now {spec_sha256[:12]}...)")
    if m.group("version") != __version__:
        return "stale", f"generated by oagen {m.group('version')}, this is oagen {__version__}"
    return None


def check_status(name: str, output: str, expected: dict[str, str], actual: dict[str, str] | None,
                 spec_sha256: str) -> ClientStatus:
    """Compare what is on disk (``actual``) with what generate would write (``expected``).

    A file whose header names another spec sha256 (or another oagen version) is *stale*:
    the spec changed and ``generate`` was not run.  A file whose header is current but
    whose content differs, a file without the header, a missing or an extra file is a
    *hand edit*.  The client is "stale" when any file is stale, else "hand-edited".
    """
    files: list[FileStatus] = []
    if actual is None:
        files = [FileStatus(f"{output}/{rel}", "missing", "the package does not exist; oagen generate writes it",
                            "stale") for rel in sorted(expected)]
        return ClientStatus(name, output, "missing", files)
    for rel in sorted(set(expected) | set(actual)):
        a, b = actual.get(rel), expected.get(rel)
        if a == b:
            continue
        path = f"{output}/{rel}"
        if a is None:
            files.append(FileStatus(path, "missing", "oagen generate would write it"))
            continue
        header = _header_cause(a, spec_sha256)
        if b is None:
            if header is not None:
                files.append(FileStatus(path, "extra", header[1] + "; oagen generate would remove it", "stale"))
            elif _HEADER_RE.match(a):
                files.append(FileStatus(path, "extra", "oagen generate would not write it (copied or renamed by "
                                        "hand?)"))
            else:
                files.append(FileStatus(path, "extra", "not written by oagen generate (added by hand)"))
        elif header is not None:
            files.append(FileStatus(path, "modified", header[1], "stale"))
        elif _HEADER_RE.match(a) or not _HEADER_RE.match(b):
            files.append(FileStatus(path, "modified", "edited by hand: its header names the current spec and "
                                    "oagen version, but the content differs from what oagen generate writes "
                                    "(or oagen's templates changed without a new version)"))
        else:
            files.append(FileStatus(path, "modified", "edited by hand: its oagen header is gone"))
    if not files:
        return ClientStatus(name, output, "fresh")
    stale = any(f.cause == "stale" for f in files)
    if stale:  # files missing or extra because the spec changed are part of the staleness
        for f in files:
            if f.change in ("missing", "extra") and f.cause != "stale":
                f.cause = "stale"
    return ClientStatus(name, output, "stale" if stale else "hand-edited", files)


_STATUS_TEXT = {
    "stale": "stale: {output} was generated from another version of {spec}; run oagen generate",
    "stale-oagen": "stale: {output} was generated by another version of oagen; run oagen generate",
    "hand-edited": "hand-edited: {output} differs from what oagen generate writes; run oagen generate "
                   "to restore it (or change the spec or the templates instead)",
    "missing": "missing: {output} does not exist; run oagen generate",
}


def cmd_check(args: argparse.Namespace) -> int:
    config = _config(args)
    clients = _select(config, args.clients)
    cache = _cache(args, config)
    as_json = args.format == "json"
    statuses: list[ClientStatus] = []
    with Progress([c.name for c in clients], enabled=not args.quiet and not as_json) as progress:
        progress.enabled = progress.tty  # only the live line on a terminal: the result lines follow
        for client in clients:
            stage = progress.start(client.name)
            outcome = _generate_one(client, args, args.strict or config.strict, config.line_length, cache, stage)
            progress.clear()
            if args.verbose:
                _print_diagnostics(outcome.diagnostics)
            output = Path(_display(client.output)).as_posix()
            if outcome.files is None:  # a cache hit: the folder holds exactly the run's files
                status = ClientStatus(client.name, output, "fresh")
                expected: dict[str, str] = {}
                actual: dict[str, str] | None = {}
            else:
                expected = outcome.files
                actual = read_tree(client.output)
                status = check_status(client.name, output, expected, actual, outcome.spec_sha256)
            statuses.append(status)
            if as_json:
                continue
            if status.status != "fresh":
                lines = diff_trees(output, expected, actual)
                sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
                key = status.status
                if key == "stale" and not any(f.reason.startswith("generated from another") for f in status.files):
                    key = "stale-oagen"
                print(f"{client.name}: " + _STATUS_TEXT[key].format(output=output, spec=_display(client.spec)))
                if status.status != "missing":
                    for f in status.files:
                        print(f"  {f.change:<8} {f.path}: {f.reason}")
            elif not args.quiet:
                print(f"{client.name}: up to date")
    if as_json:
        fresh = all(s.status == "fresh" for s in statuses)
        print(json.dumps({"fresh": fresh, "clients": [s.to_json() for s in statuses]}, indent=2))
    return EXIT_OK if all(s.status == "fresh" for s in statuses) else EXIT_CHECK_FAILED


# ------------------------------------------------------------------ diff


def _git_document(arg: str, args: argparse.Namespace) -> Document:
    """``git:REV:PATH`` -> the document ``git show REV:PATH`` prints."""
    rev, sep, path = arg[len("git:"):].partition(":")
    if not sep or not rev or not path:
        raise SpecError([Diagnostic(Level.ERROR, f"{arg!r}: expected git:REV:PATH, e.g. git:origin/main:specs/x.yaml",
                                    Location(arg))])
    import subprocess

    try:
        proc = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise SpecError([Diagnostic(Level.ERROR, "git is not installed (needed to read git:REV:PATH)",
                                    Location(arg))]) from None
    except subprocess.TimeoutExpired:
        raise SpecError([Diagnostic(Level.ERROR, f"git show {rev}:{path} timed out", Location(arg))]) from None
    if proc.returncode != 0:
        message = " ".join(proc.stderr.decode("utf-8", "replace").split()) or f"exit code {proc.returncode}"
        raise SpecError([Diagnostic(Level.ERROR, f"git show {rev}:{path} failed: {message}", Location(arg))])
    from .load import load_document_bytes

    return load_document_bytes(proc.stdout, f"{rev}:{path}", allow_remote_refs=args.allow_remote_refs)


def _spec_document(arg: str, args: argparse.Namespace) -> Document:
    if arg.startswith("git:"):
        return _git_document(arg, args)
    return _load(Path(arg), args)


def _spec_path(arg: str) -> Path:
    return Path(arg.split(":", 2)[2]) if arg.startswith("git:") and arg.count(":") >= 2 else Path(arg)


def _diff_client(args: argparse.Namespace) -> ClientConfig:
    """The configuration both sides are generated with: ``--client``, the configured client
    whose spec is NEW (or OLD), or the defaults for NEW's file name."""
    config = _project_config(args)
    if args.client:
        if config is None:
            raise SpecError([Diagnostic(Level.ERROR, "--client needs a pyproject.toml with [tool.oagen] clients",
                                        _loc(Path.cwd()))])
        return _select(config, [args.client])[0]
    for arg in (args.new, args.old):
        path = _spec_path(arg)
        for client in config.clients if config is not None else ():
            try:
                if client.spec.resolve() == path.resolve():
                    return client
            except OSError:  # pragma: no cover
                continue
    from .names import snake

    stem = snake(_spec_path(args.new).stem) or "client"
    try:
        return client_for_spec(_spec_path(args.new), Path(stem))
    except SpecError:
        return client_for_spec(_spec_path(args.new), Path("client"))


def cmd_diff(args: argparse.Namespace) -> int:
    from . import apidiff
    from .core import build_api

    client = _diff_client(args)
    sides = []
    apis = []
    for arg in (args.old, args.new):
        doc = _spec_document(arg, args)
        api, diags = build_api(doc, client, validate=False)
        if args.verbose:
            _print_diagnostics(diags)
        apis.append(api)
        sides.append(apidiff.Side(arg, api.title, api.version))
    changes = apidiff.diff_apis(apis[0], apis[1])
    render = {"text": apidiff.report_text, "markdown": apidiff.report_markdown, "json": apidiff.report_json}
    if not args.quiet:
        sys.stdout.write(render[args.format](sides[0], sides[1], changes))
    if args.fail_on == "breaking" and any(c.breaking for c in changes):
        return EXIT_CHECK_FAILED
    if args.fail_on == "any" and changes:
        return EXIT_CHECK_FAILED
    return EXIT_OK


def function_paths(api: ir.Api) -> dict[tuple[str, str], str]:
    """(method, path) -> the operation's module in the functions layout: ``api.<resource>.<module>``."""
    out: dict[tuple[str, str], str] = {}
    for res in api.resources:
        ops = [op for op in res.operations if op.generated]
        for op, module in zip(ops, module_names([op.name for op in ops])):
            out[(op.method, op.path)] = f"api.{res.name}.{module}"
    return out


def ops_json(api: ir.Api, client: ClientConfig) -> dict[str, object]:
    functions = function_paths(api) if client.layout == "functions" else {}
    ops = []
    for op in api.operations:
        body = None
        if op.body is not None:
            body = {
                "content_type": op.body.content_type,
                "required": op.body.required,
                "mode": op.body.mode,
                "fields": [
                    {"python_name": f.py_name, "wire_name": f.wire_name, "required": f.required}
                    for f in op.body.fields
                ],
            }
        ops.append(
            {
                "method": op.method.upper(),
                "path": op.path,
                "operation_id": op.operation_id,
                "accessor": op.accessor,
                "function": functions.get((op.method, op.path)),
                "generated": op.generated,
                "reason": op.reason,
                "params": [
                    {"python_name": p.py_name, "wire_name": p.wire_name, "in": p.location, "required": p.required}
                    for p in op.params
                ],
                "body": body,
                "streaming": op.stream_result is not None,
            }
        )
    auth = [
        {"python_name": s.py_name, "scheme": s.key, "type": s.type, "in": s.location, "wire_name": s.wire_name}
        for s in api.security_schemes
    ]
    return {
        "client": {"class": client.client_class, "async_class": "Async" + client.client_class,
                   "layout": client.layout, "auth": auth},
        "operations": ops,
    }


def cmd_ops(args: argparse.Namespace) -> int:
    spec = Path(args.spec)
    client = _configured_client_for(spec) or client_for_spec(spec, Path(args.output or "client"), args.client_name)
    if args.client_name:
        client = replace(client, client_class=args.client_name)
    from .core import build_api

    if args.layout is not None:
        if args.layout not in LAYOUTS:
            raise SpecError([Diagnostic(Level.ERROR, f"--layout {args.layout!r} is not supported (supported: "
                                        f"{', '.join(LAYOUTS)})", _loc(spec))])
        client = replace(client, layout=args.layout)
    doc = _load(spec, args)
    api, _diags = build_api(doc, client)
    data = ops_json(api, client)
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=False))
        return EXIT_OK
    operations = cast("list[dict[str, Any]]", data["operations"])
    width = max((len(f"{o['method']} {o['path']}") for o in operations), default=10)
    for o in operations:
        left = f"{o['method']} {o['path']}"
        if not o["generated"]:
            right = f"not generated: {o['reason']}"
        elif o["function"]:
            right = f"{o['function']}.{'sync' if 'sync' in client.flavours else 'asyncio'}(client, ...)"
        else:
            right = f"client.{o['accessor']}(...)"
        print(_one_line(f"{left:<{width}}  {right}"))
    return EXIT_OK


def _configured_client_for(spec: Path) -> ClientConfig | None:
    """The configured client whose spec is ``spec``, so that ops shows configured names."""
    path = find_pyproject(Path.cwd())
    if path is None:
        return None
    try:
        config = load_config(path)
    except SpecError:
        return None
    for client in config.clients:
        try:
            if client.spec.resolve() == spec.resolve():
                return client
        except OSError:  # pragma: no cover
            continue
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oagen",
        description="Generate typed Python clients from OpenAPI documents.",
        epilog="Exit codes: 0 ok; 1 check failed (stale or hand-edited output, strict findings, "
        "diff --fail-on); "
        "2 bad input (nothing written); 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"oagen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="pyproject.toml with [tool.oagen] (default: found from the current folder)")
    common.add_argument("--strict", action="store_true", help="treat validation findings as errors")
    common.add_argument("--allow-remote-refs", action="store_true", help="allow http(s) $refs (refused by default)")
    common.add_argument("-q", "--quiet", action="store_true")
    common.add_argument("-v", "--verbose", action="store_true")

    cached = argparse.ArgumentParser(add_help=False)
    cached.add_argument("--cache-dir", help="the content-hash cache (default: [tool.oagen] cache_dir, else "
                        ".oagen-cache/ at the project root); safe to delete")
    cached.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")

    g = sub.add_parser("generate", parents=[common, cached], help="generate every configured client, or one spec")
    g.add_argument("spec", nargs="?", help="a spec file for a one-off generation (needs --output)")
    g.add_argument("--output", help="DIR/PKG: the package folder; importable as PKG from DIR")
    g.add_argument("--client-name", help="the client class name (default: the package name in PascalCase)")
    g.add_argument("--models", default="pydantic",
                   help=f"model style of a one-off generation ({', '.join(styles.available())}; default pydantic)")
    g.add_argument("--layout", help="client layout of a one-off generation: resources (default; "
                   "client.fine_tuning.cancel(...)) or functions (api/<resource>/<operation>.py: "
                   "cancel.sync(client, ...))")
    flavour = g.add_mutually_exclusive_group()
    flavour.add_argument("--sync-only", action="store_true", help="generate only the sync client")
    flavour.add_argument("--async-only", action="store_true", help="generate only the async client")
    g.add_argument("--client", dest="clients", action="append", default=[], help="only this configured client")
    g.add_argument("--templates", action="append", help="a folder of templates that override the built-in ones")
    g.add_argument("--profile", action="store_true", help="print where the time goes")
    g.set_defaults(func=cmd_generate)

    v = sub.add_parser("validate", parents=[common], help="validate a spec; findings with file:line and pointer")
    v.add_argument("spec")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("check", parents=[common, cached], help="exit 1 with a diff when generated/ is stale")
    c.add_argument("clients", nargs="*", help="configured client names (default: all)")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: per client {name, output, status, files} on stdout")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("diff", parents=[common], help="what changed in the client's API between two specs",
                       description="OLD and NEW are spec files or git:REV:PATH (read with git show REV:PATH).")
    d.add_argument("old", help="the old spec: a path or git:REV:PATH")
    d.add_argument("new", help="the new spec: a path or git:REV:PATH")
    d.add_argument("--client", help="the configured client whose settings apply (default: the one whose spec "
                   "is NEW, else defaults)")
    d.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    d.add_argument("--fail-on", choices=("breaking", "any"), help="exit 1 when there is such a change")
    d.set_defaults(func=cmd_diff)

    o = sub.add_parser("ops", parents=[common], help="the map from operations to client methods")
    o.add_argument("spec")
    o.add_argument("--json", action="store_true")
    o.add_argument("--client-name")
    o.add_argument("--layout", help=f"show the calls of this layout ({', '.join(LAYOUTS)}; default: the "
                   "configured client's, else resources)")
    o.add_argument("--output", help=argparse.SUPPRESS)
    o.set_defaults(func=cmd_ops)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("oagen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``oagen diff ... | head``): not our error
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:  # pragma: no cover
            pass
        return 141
    except Exception as exc:  # an oagen bug: short message, traceback only on request
        if os.environ.get("OAGEN_DEBUG"):
            traceback.print_exc()
        print(f"oagen: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
              "(set OAGEN_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        return EXIT_INTERNAL
