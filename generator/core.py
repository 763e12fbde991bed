"""The pure core: a loaded document and a client configuration in, files out.

``generate()`` touches no disk.  Loading (``generator.load``) and writing
(``generator.write``) sit on either side of it; ``check`` and the tests use it
as it is.

    load -> validate -> parse -> names -> render -> format
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, ir
from .config import ClientConfig
from .diagnostics import Diagnostic, Level, SpecError
from .format import format_files
from .load import Document
from .names import resolve_names, words
from .parse import ParseOptions, parse_api
from .render import RUNTIME_FILES, ClientInfo, render_package
from .validate import validate_document


@dataclass
class Result:
    files: dict[str, str]
    api: ir.Api
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)

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


def build_api(doc: Document, client: ClientConfig, *, strict: bool = False,
              timings: dict[str, float] | None = None) -> tuple[ir.Api, list[Diagnostic]]:
    """validate -> parse -> names.  Raises SpecError when strict and the spec has findings."""
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    diagnostics = validate_document(doc, strict=strict)
    timings["validate"] = time.perf_counter() - t0
    errors = [d for d in diagnostics if d.level == Level.ERROR]
    if errors:
        raise SpecError(diagnostics)
    t0 = time.perf_counter()
    api, parse_diags = parse_api(doc.root, file=doc.file, locate=doc.location, options=parse_options(client))
    timings["parse"] = time.perf_counter() - t0
    if strict and parse_diags:
        raise SpecError([replace(d, level=Level.ERROR) for d in parse_diags])
    t0 = time.perf_counter()
    api = resolve_names(api, client.client_class)
    timings["names"] = time.perf_counter() - t0
    return api, diagnostics + parse_diags


def generate(doc: Document, client: ClientConfig, *, strict: bool = False, line_length: int = 100,
             template_dirs: tuple[str, ...] = ()) -> Result:
    """Everything ``oagen generate`` would write for one client, as ``{relative path: text}``."""
    timings: dict[str, float] = {}
    api, diagnostics = build_api(doc, client, strict=strict, timings=timings)
    info = ClientInfo(
        package=client.name,
        client_class=client.client_class,
        env_prefix=client.env_prefix,
        version=client.version or api.version or "0.0.0",
        spec_name=Path(doc.file).name,
        spec_sha256=hashlib.sha256(doc.source_bytes).hexdigest(),
        oagen_version=__version__,
        base_url=client.base_url,
    )
    if client.templates is not None:
        template_dirs = (str(client.templates),) + template_dirs
    t0 = time.perf_counter()
    files = render_package(api, info, template_dirs=template_dirs)
    timings["render"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = format_files(files, line_length, skip=frozenset(RUNTIME_FILES))
    timings["format"] = time.perf_counter() - t0
    return Result(files, api, diagnostics, timings)
