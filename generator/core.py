"""The pure core: a loaded document and a client configuration in, files out.

``generate()`` touches no disk.  Loading (``generator.load``) and writing
(``generator.write``) sit on either side of it; ``check`` and the tests use it
as it is.

    load -> validate -> parse -> names -> render -> format

Two optional hooks keep the expensive steps cheap without giving up purity:
``cache`` (a :class:`generator.cache.Cache`: ``get``/``put`` of text by key; the
file-backed one is built by the command line) remembers validation findings per
spec and black's output per file, and ``progress`` is called with the name of each
stage as it starts.  Neither changes the result.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import __version__, ir
from .cache import Cache, cache_key, dump_diagnostics, load_diagnostics
from .config import ClientConfig
from .diagnostics import Diagnostic, Level, SpecError
from .format import Prefetch, format_files
from .load import Document
from . import paging
from . import select as selection
from .names import resolve_names, words
from .parallel import Forked
from .parse import ParseOptions, parse_api
from .render import ClientInfo, render_package, runtime_files
from .validate import validate_document


@dataclass
class Result:
    files: dict[str, str]
    api: ir.Api
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    spec_sha256: str = ""
    # stages that ran in a child process beside the others -> seconds the parent waited for them
    overlapped: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == Level.WARNING]

    def summary(self, name: str) -> str:
        ops = self.api.operations
        generated = sum(1 for op in ops if op.generated)
        models = sum(1 for d in self.api.schemas if isinstance(d, ir.ModelDef))
        enums = sum(1 for d in self.api.schemas if isinstance(d, ir.EnumDef))
        aliases = sum(1 for d in self.api.schemas if isinstance(d, ir.AliasDef))
        text = (
            f"{name}: {generated}/{len(ops)} operations generated, {models} models, {enums} enums, "
            f"{aliases} type aliases, {len(self.warnings)} warnings"
        )
        skipped = [op for op in ops if not op.generated]
        for op in skipped:
            text += f"\n  not generated: {op.method.upper()} {op.path}: {op.reason}"
        return text


def parse_options(client: ClientConfig) -> ParseOptions:
    return ParseOptions(
        method_names=client.methods,
        resource_names=client.resources,
        client_words=tuple(w.lower() for w in words(client.client_class)),
        env_prefix=client.env_prefix,
    )


Progress = Callable[[str], None]


def _no_progress(stage: str) -> None:
    return None


@lru_cache(maxsize=1)
def _validator_fingerprint() -> str:
    """What validation findings depend on besides the spec: the validators and our code.

    (Versions from the installed metadata: importing the validators costs more than a
    cached run.)
    """
    from importlib import metadata

    from . import validate

    versions = []
    for dist in validate.LIBRARIES:
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions.append(f"{dist} ?")
    code = b"".join(Path(f).read_bytes() for f in validate.code_files())
    return cache_key(*versions, __version__, code)


def _validation_key(doc: Document, strict: bool) -> str:
    sources = sorted({(src.display, src.data) for src, _ in doc._origins.values()})
    parts: list[str | bytes] = [_validator_fingerprint(), str(strict), doc.file, doc.source_bytes]
    for display, data in sources:
        parts += [display, data]
    return cache_key(*parts)


def validate_cached(doc: Document, *, strict: bool, cache: Cache | None = None) -> list[Diagnostic]:
    """``validate_document``, its findings remembered per spec content when there is a cache."""
    return _Validation(doc, strict, cache, overlap=False).result()


def build_api(doc: Document, client: ClientConfig, *, strict: bool = False,
              timings: dict[str, float] | None = None, cache: Cache | None = None,
              progress: Progress | None = None, validate: bool = True) -> tuple[ir.Api, list[Diagnostic]]:
    """validate -> parse -> names.  Raises SpecError when strict and the spec has findings.

    ``validate=False`` skips validation (``oagen diff``: without ``strict`` its findings
    are warnings only, and parsing copes with whatever it reports).
    """
    timings = timings if timings is not None else {}
    progress = progress or _no_progress
    diagnostics: list[Diagnostic] = []
    if validate:
        progress("validate")
        t0 = time.perf_counter()
        diagnostics = validate_cached(doc, strict=strict, cache=cache)
        timings["validate"] = time.perf_counter() - t0
    _raise_errors(diagnostics)
    api, parse_diags = _parse_and_name(doc, client, strict, timings, progress)
    return api, diagnostics + parse_diags


def _parse_and_name(doc: Document, client: ClientConfig, strict: bool, timings: dict[str, float],
                    progress: Progress) -> tuple[ir.Api, list[Diagnostic]]:
    """parse -> names (and pagination, selection, renames)."""
    progress("parse")
    t0 = time.perf_counter()
    api, parse_diags = parse_api(doc.root, file=doc.file, locate=doc.location, options=parse_options(client))
    timings["parse"] = time.perf_counter() - t0
    if strict and parse_diags:
        raise SpecError([replace(d, level=Level.ERROR) for d in parse_diags])
    progress("names")
    t0 = time.perf_counter()
    api = paging.apply(api, {key: dict(spec) for key, spec in client.pagination})
    api = selection.select(api, client.include, client.exclude)
    api = selection.rename(api, client.model_names, client.field_names, client.enum_member_names)
    api = resolve_names(api, client.client_class)
    timings["names"] = time.perf_counter() - t0
    return api, parse_diags


def _raise_errors(diagnostics: list[Diagnostic]) -> None:
    """Validation's findings stop the run when one of them is an error."""
    if any(d.level == Level.ERROR for d in diagnostics):
        raise SpecError(diagnostics) from None


# A spec at least this large is validated in a forked child while the parent parses,
# renders and formats (generator/parallel.py); a smaller one costs less to validate
# than a fork saves.
OVERLAP_MIN_BYTES = 200_000


class _Validation:
    """The findings of validation: from the cache, or computed (in a child when it pays)."""

    def __init__(self, doc: Document, strict: bool, cache: Cache | None, overlap: bool) -> None:
        self.cache = cache
        self.key = _validation_key(doc, strict) if cache is not None else ""
        self.findings: list[Diagnostic] | None = None
        if cache is not None:
            text = cache.get("validate", self.key)
            self.findings = load_diagnostics(text) if text is not None else None
        self.forked: Forked[list[Diagnostic]] | None = None
        self.overlapped = False
        self.seconds = 0.0  # the child's own time, when it ran in one
        if self.findings is None:
            fork = overlap and len(doc.source_bytes) >= OVERLAP_MIN_BYTES
            self.forked = Forked(lambda: validate_document(doc, strict=strict), fork=fork)
            self.overlapped = bool(self.forked.pid)

    def result(self) -> list[Diagnostic]:
        if self.findings is None:
            assert self.forked is not None
            self.findings = self.forked.result()
            self.seconds = self.forked.seconds
            if self.cache is not None:
                self.cache.put("validate", self.key, dump_diagnostics(self.findings))
        return self.findings

    def cancel(self) -> None:
        if self.forked is not None:
            self.forked.cancel()


def generate(doc: Document, client: ClientConfig, *, strict: bool = False, line_length: int = 100,
             template_dirs: tuple[str, ...] = (), cache: Cache | None = None,
             progress: Progress | None = None, overlap: bool = True) -> Result:
    """Everything ``oagen generate`` would write for one client, as ``{relative path: text}``."""
    timings: dict[str, float] = {}
    progress = progress or _no_progress
    # Validation only reports: on a large spec it runs in a forked child while this process
    # parses, renders and formats; its findings are awaited before anything is returned, and
    # its errors come first, exactly as in a serial run.
    progress("validate")
    t0 = time.perf_counter()
    validation = _Validation(doc, strict, cache, overlap)
    if not validation.overlapped:
        diagnostics = validation.result()
        timings["validate"] = time.perf_counter() - t0
        _raise_errors(diagnostics)
    else:
        timings["validate"] = 0.0  # filled in below: the child's own time
    try:
        result = _generate_validated(doc, client, strict=strict, line_length=line_length,
                                     template_dirs=template_dirs, cache=cache, progress=progress, timings=timings)
    except (KeyboardInterrupt, SystemExit):
        validation.cancel()
        raise
    except BaseException:
        if validation.overlapped:
            _raise_errors(validation.result())  # what a serial run would have said
        raise
    if validation.overlapped:
        t0 = time.perf_counter()
        diagnostics = validation.result()
        timings["validate"] = validation.seconds
        _raise_errors(diagnostics)
        result.overlapped = {"validate": time.perf_counter() - t0}
    result.diagnostics = diagnostics + result.diagnostics
    return result


def _generate_validated(doc: Document, client: ClientConfig, *, strict: bool, line_length: int,
                        template_dirs: tuple[str, ...], cache: Cache | None, progress: Progress,
                        timings: dict[str, float]) -> Result:
    """parse -> names -> render -> format; the diagnostics are parsing's only."""
    api, diagnostics = _parse_and_name(doc, client, strict, timings, progress)
    spec_sha256 = hashlib.sha256(doc.source_bytes).hexdigest()
    info = ClientInfo(
        package=client.name,
        client_class=client.client_class,
        env_prefix=client.env_prefix,
        version=client.version or api.version or "0.0.0",
        spec_name=Path(doc.file).name,
        spec_sha256=spec_sha256,
        oagen_version=__version__,
        base_url=client.base_url,
        idempotency_header=client.idempotency_header,
        flavours=client.flavours,
        models=client.models,
        layout=client.layout,
    )
    if client.templates is not None:
        template_dirs = (str(client.templates),) + template_dirs
    progress("render")
    t0 = time.perf_counter()
    skip = frozenset(runtime_files(client.models))
    # black starts on the models in worker processes while the operations are rendered
    with Prefetch(line_length, skip, cache=cache, volatile=(spec_sha256,)) as prefetch:
        files = render_package(api, info, template_dirs=template_dirs, spec_root=doc.root,
                               on_files=prefetch.submit)
        timings["render"] = time.perf_counter() - t0
        progress("format")
        t0 = time.perf_counter()
        files = format_files(files, line_length, skip=skip, cache=cache, volatile=(spec_sha256,), prefetch=prefetch)
    timings["format"] = time.perf_counter() - t0
    return Result(files, api, diagnostics, timings, spec_sha256)
