"""The configuration: ``[tool.oagen]`` in pyproject.toml, as one typed object.

Example::

    [tool.oagen]
    output = "generated"            # where client packages go (default)

    [[tool.oagen.clients]]
    name = "together"               # the package: generated/together
    spec = "specs/together.yaml"
    client_class = "Together"       # default: the name in PascalCase
    env_prefix = "TOGETHER"         # TOGETHER_API_KEY, TOGETHER_BASE_URL
    version = "2.0.0"               # default: the spec's info.version
    [tool.oagen.clients.methods]    # "operationId" or "METHOD /path" = method name
    "POST /fine-tunes/{id}/cancel" = "cancel"
    [tool.oagen.clients.resources]  # tag = resource attribute
    "Fine-tuning" = "fine_tuning"

An unknown key is an error that names the key and the file; so is a wrong type.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from . import styles
from .diagnostics import Diagnostic, Level, Location, SpecError
from .names import env_prefix as default_env_prefix
from .names import pascal

MODEL_STYLES = styles.available()
LAYOUTS = ("resources", "functions")  # generator.render.LAYOUTS renders each
_PACKAGE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ClientConfig:
    name: str
    spec: Path
    output: Path
    client_class: str
    env_prefix: str
    version: str | None = None
    base_url: str | None = None
    models: str = "pydantic"
    layout: str = "resources"
    methods: tuple[tuple[str, str], ...] = ()
    resources: tuple[tuple[str, str], ...] = ()
    templates: Path | None = None
    # "operationId" or "METHOD /path" -> {style = "cursor"|"offset"|"page"|"none", items, cursor_param, ...}
    pagination: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    idempotency_header: str | None = None  # e.g. "Idempotency-Key": sent on retried POSTs
    sync_only: bool = False
    async_only: bool = False
    # selection: {"tags": [...], "paths": [glob, ...], "operation_ids": [...]}
    include: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # renames: schema (component) name or class name -> class name; "Class.wire_field" -> python
    # name; "Enum.MEMBER" (or "Enum.value") -> member name
    model_names: tuple[tuple[str, str], ...] = ()
    field_names: tuple[tuple[str, str], ...] = ()
    enum_member_names: tuple[tuple[str, str], ...] = ()

    @property
    def flavours(self) -> tuple[str, ...]:
        if self.sync_only:
            return ("sync",)
        if self.async_only:
            return ("async",)
        return ("sync", "async")


@dataclass(frozen=True)
class Config:
    file: Path
    root: Path
    clients: tuple[ClientConfig, ...]
    strict: bool = False
    line_length: int = 100
    cache_dir: Path | None = None  # None: <root>/.oagen-cache


_TOP_KEYS = {"output": str, "clients": list, "strict": bool, "line_length": int, "cache_dir": str}
_CLIENT_KEYS = {
    "name": str, "spec": str, "output": str, "client_class": str, "env_prefix": str,
    "version": str, "base_url": str, "models": str, "layout": str, "methods": dict,
    "resources": dict, "templates": str, "pagination": dict, "idempotency_header": str,
    "sync_only": bool, "async_only": bool, "include": dict, "exclude": dict, "model_names": dict,
    "field_names": dict, "enum_member_names": dict,
}
_SELECTION_KEYS = ("tags", "paths", "operation_ids")
_PAGINATION_KEYS = {
    "style": str, "items": str, "cursor_param": str, "cursor_field": str, "has_more_field": str,
    "id_field": str, "limit_param": str, "offset_param": str, "page_param": str, "total_field": str,
    "total_pages_field": str,
}


def _line_of(text: str, key: str, pointer: str = "") -> int | None:
    """The line of ``key = ...`` inside the table ``pointer`` names (else the table's header)."""
    start = 0
    section = re.search(r"^\s*\[\s*tool\.oagen\s*\]", text, re.M)
    if section:
        start = section.start()
    client = re.match(r"tool\.oagen\.clients\[(\d+)\]", pointer)
    if client:
        headers = list(re.finditer(r"^\s*\[\[\s*tool\.oagen\.clients\s*\]\]", text, re.M))
        if int(client.group(1)) < len(headers):
            start = headers[int(client.group(1))].start()
    m = re.compile(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', re.M).search(text, start)
    if m is None and (client or section):
        m = re.compile(r"\S").search(text, start)  # the header of the table
    return text.count("\n", 0, m.start()) + 1 if m else None


def _error(file: Path, text: str, message: str, key: str, pointer: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, Location(str(file), _line_of(text, key, pointer), pointer))])


def find_pyproject(start: Path) -> Path | None:
    for d in [start, *start.parents]:
        candidate = d / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def client_for_spec(spec: Path, output: Path, client_name: str | None = None, *,
                    models: str = "pydantic", layout: str = "resources", sync_only: bool = False,
                    async_only: bool = False) -> ClientConfig:
    """The client of a one-off ``oagen generate SPEC --output DIR/PKG``."""
    package = output.name
    if not _PACKAGE_RE.fullmatch(package) or keyword.iskeyword(package):
        raise SpecError([Diagnostic(Level.ERROR, f"--output must end in a Python package name, not {package!r}",
                                    Location(str(output)))])
    cls = client_name or pascal(package) or "Client"
    if not _PACKAGE_RE.fullmatch(cls) or keyword.iskeyword(cls):
        raise SpecError([Diagnostic(Level.ERROR, f"--client-name must be a Python identifier, not {cls!r}",
                                    Location(str(spec)))])
    for option, value, supported in (("--models", models, MODEL_STYLES), ("--layout", layout, LAYOUTS)):
        if value not in supported:
            raise SpecError([Diagnostic(Level.ERROR, f"{option} {value!r} is not supported yet (supported: "
                                        f"{', '.join(supported)})", Location(str(spec)))])
    if sync_only and async_only:
        raise SpecError([Diagnostic(Level.ERROR, "--sync-only and --async-only exclude each other",
                                    Location(str(spec)))])
    return ClientConfig(package, spec, output, cls, default_env_prefix(cls), models=models, layout=layout,
                        sync_only=sync_only, async_only=async_only)


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([Diagnostic(Level.ERROR, f"cannot read configuration: {exc.strerror}",
                                    Location(str(path)))]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SpecError([Diagnostic(Level.ERROR, f"invalid TOML: {exc}",
                                    Location(str(path), int(m.group(1)) if m else None))]) from None
    section = data.get("tool", {}).get("oagen")
    root = path.parent
    if section is None:
        return Config(path, root, ())
    if not isinstance(section, dict):
        raise _error(path, text, "[tool.oagen] must be a table", "oagen", "tool.oagen")
    for key, value in section.items():
        if key not in _TOP_KEYS:
            raise _error(path, text, f"unknown key {key!r} in [tool.oagen]", key, f"tool.oagen.{key}")
        if not isinstance(value, _TOP_KEYS[key]) or (isinstance(value, bool) and _TOP_KEYS[key] is not bool):
            raise _error(path, text, f"tool.oagen.{key} must be a {_TOP_KEYS[key].__name__}", key,
                         f"tool.oagen.{key}")
    out_root = Path(section.get("output", "generated"))
    clients: list[ClientConfig] = []
    names: set[str] = set()
    for i, raw in enumerate(section.get("clients", [])):
        where = f"tool.oagen.clients[{i}]"
        if not isinstance(raw, dict):
            raise _error(path, text, f"{where} must be a table", "clients", where)
        for key, value in raw.items():
            if key not in _CLIENT_KEYS:
                raise _error(path, text, f"unknown key {key!r} in [[tool.oagen.clients]]", key, f"{where}.{key}")
            if not isinstance(value, _CLIENT_KEYS[key]):
                raise _error(path, text, f"{where}.{key} must be a {_CLIENT_KEYS[key].__name__}", key,
                             f"{where}.{key}")
        for key in ("name", "spec"):
            if key not in raw:
                raise _error(path, text, f"{where} needs {key!r}", "clients", where)
        name = raw["name"]
        if not _PACKAGE_RE.fullmatch(name) or keyword.iskeyword(name):
            raise _error(path, text, f"{where}.name must be a Python package name, not {name!r}", "name",
                         f"{where}.name")
        if name in names:
            raise _error(path, text, f"two clients are named {name!r}", "name", f"{where}.name")
        names.add(name)
        models = raw.get("models", "pydantic")
        if models not in MODEL_STYLES:
            raise _error(path, text, f"{where}.models: {models!r} is not supported (supported: "
                         f"{', '.join(MODEL_STYLES)})", "models", f"{where}.models")
        layout = raw.get("layout", "resources")
        if layout not in LAYOUTS:
            raise _error(path, text, f"{where}.layout: {layout!r} is not supported (supported: "
                         f"{', '.join(LAYOUTS)})", "layout", f"{where}.layout")
        for table in ("methods", "resources"):
            for k, v in raw.get(table, {}).items():
                if not isinstance(v, str):
                    raise _error(path, text, f"{where}.{table}.{k} must be a string", k, f"{where}.{table}.{k}")
        for op_key, spec in raw.get("pagination", {}).items():
            where_p = f"{where}.pagination.{op_key}"
            if isinstance(spec, str) and spec == "none":
                continue
            if not isinstance(spec, dict):
                raise _error(path, text, f'{where_p} must be a table or "none"', op_key, where_p)
            for k, v in spec.items():
                if k not in _PAGINATION_KEYS:
                    raise _error(path, text, f"unknown key {k!r} in {where_p}", k, f"{where_p}.{k}")
                if not isinstance(v, str):
                    raise _error(path, text, f"{where_p}.{k} must be a string", k, f"{where_p}.{k}")
            if spec.get("style", "cursor") not in ("cursor", "offset", "page", "none"):
                raise _error(path, text, f"{where_p}.style must be cursor, offset, page or none", "style",
                             f"{where_p}.style")
        if raw.get("sync_only") and raw.get("async_only"):
            raise _error(path, text, f"{where}: sync_only and async_only exclude each other", "async_only",
                         f"{where}.async_only")
        for table in ("include", "exclude"):
            for k, v in raw.get(table, {}).items():
                if k not in _SELECTION_KEYS:
                    raise _error(path, text, f"unknown key {k!r} in {where}.{table} (known: "
                                 f"{', '.join(_SELECTION_KEYS)})", k, f"{where}.{table}.{k}")
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    raise _error(path, text, f"{where}.{table}.{k} must be a list of strings", k,
                                 f"{where}.{table}.{k}")
        for table in ("model_names", "field_names", "enum_member_names"):
            for k, v in raw.get(table, {}).items():
                if not isinstance(v, str):
                    raise _error(path, text, f"{where}.{table}.{k} must be a string", k, f"{where}.{table}.{k}")
        cls = raw.get("client_class") or pascal(name) or "Client"
        if not _PACKAGE_RE.fullmatch(cls) or keyword.iskeyword(cls):
            raise _error(path, text, f"{where}.client_class must be a Python class name, not {cls!r}",
                         "client_class", f"{where}.client_class")
        output = root / raw["output"] if "output" in raw else root / out_root / name
        clients.append(
            ClientConfig(
                name=name,
                spec=root / raw["spec"],
                output=output,
                client_class=cls,
                env_prefix=raw.get("env_prefix") or default_env_prefix(cls),
                version=raw.get("version"),
                base_url=raw.get("base_url"),
                models=models,
                layout=layout,
                methods=tuple(sorted(raw.get("methods", {}).items())),
                resources=tuple(sorted(raw.get("resources", {}).items())),
                templates=root / raw["templates"] if "templates" in raw else None,
                pagination=tuple(
                    sorted(
                        (k, (("style", "none"),) if v == "none" else tuple(sorted(v.items())))
                        for k, v in raw.get("pagination", {}).items()
                    )
                ),
                idempotency_header=raw.get("idempotency_header"),
                sync_only=bool(raw.get("sync_only", False)),
                async_only=bool(raw.get("async_only", False)),
                include=tuple(sorted((k, tuple(v)) for k, v in raw.get("include", {}).items())),
                exclude=tuple(sorted((k, tuple(v)) for k, v in raw.get("exclude", {}).items())),
                model_names=tuple(sorted(raw.get("model_names", {}).items())),
                field_names=tuple(sorted(raw.get("field_names", {}).items())),
                enum_member_names=tuple(sorted(raw.get("enum_member_names", {}).items())),
            )
        )
    cache_dir = root / section["cache_dir"] if "cache_dir" in section else None
    return Config(path, root, tuple(clients), bool(section.get("strict", False)),
                  int(section.get("line_length", 100)), cache_dir)
