"""Render the IR into the files of a client package with Jinja2.

All decisions are made here, in Python, and handed to the templates as small
"view" objects; the templates only lay text out.  Every spec string reaches a
template through one of the escaping filters of :mod:`generator.escape`
(``pystr``, ``docstring``, ``comment``); identifiers come from
:mod:`generator.names` and are never spec text.

The environment uses ``StrictUndefined`` (a missing variable is an error, not an
empty string), ``trim_blocks``, ``lstrip_blocks`` and ``keep_trailing_newline``.
User templates (``--templates DIR``) are searched before the built-in ones.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2

from . import ir, styles
from .styles import ModelsInput
from .escape import clean_text, comment, docstring, markdown, markdown_code, pystr, pyvalue
from .names import module_names, pascal, snake

def runtime_sources(template_dirs: tuple[str, ...] = (), models: str = "pydantic") -> dict[str, Path]:
    """Runtime module name -> source file.

    The shared ``templates/runtime`` modules, then the model style's own (its
    ``runtime_dir`` replaces or adds modules), then a ``runtime/<name>.py`` in a user
    template folder, which wins.
    """
    sources = {p.name: p for p in (templates_dir() / "runtime").glob("*.py") if p.name != "__init__.py"}
    style_dir = styles.get(models).runtime_dir
    if style_dir is not None:
        for p in (templates_dir() / style_dir).glob("*.py"):
            if p.name != "__init__.py":
                sources[p.name] = p
    for folder in reversed(template_dirs):
        for p in (Path(folder) / "runtime").glob("*.py"):
            if p.name != "__init__.py":
                sources[p.name] = p
    return dict(sorted(sources.items()))


def runtime_files(models: str = "pydantic") -> tuple[str, ...]:
    """The runtime modules a package of this model style ships (already formatted, never re-formatted)."""
    return tuple(runtime_sources((), models))


def templates_dir() -> Path:
    """The built-in templates: ``templates/`` of a checkout, or the copy inside the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "templates"):
        if (candidate / "models.py.jinja").is_file():
            return candidate
    raise FileNotFoundError("oagen's templates are missing from this installation")


@dataclass(frozen=True)
class ClientInfo:
    """What rendering needs to know beyond the API: from the configuration."""

    package: str  # the Python package name, e.g. "together"
    client_class: str  # "Together"; the async class is "Async" + this
    env_prefix: str  # "TOGETHER" -> TOGETHER_API_KEY, TOGETHER_BASE_URL
    version: str  # the generated package's version
    spec_name: str  # the spec's file name, for the file header
    spec_sha256: str
    oagen_version: str
    base_url: str | None = None  # overrides the spec's first server
    idempotency_header: str | None = None
    flavours: tuple[str, ...] = ("sync", "async")  # which clients to generate
    models: str = "pydantic"  # the model style (generator.styles)
    layout: str = "resources"  # "resources" (client.fine_tuning.cancel) | "functions" (api/<tag>/<op>.py)


# ------------------------------------------------------------------- type strings


class Types:
    """Turns IR types into Python annotation expressions; records the names used."""

    def __init__(self, api: ir.Api, *, discriminated: bool = True,
                 by_id: dict[str, ir.Definition] | None = None) -> None:
        self.api = api
        # pydantic's tagged unions in annotations; other styles dispatch in their own code
        self.discriminated = discriminated
        self.by_id = by_id if by_id is not None else {d.id: d for d in api.schemas}  # read-only
        self.used: set[str] = set()
        self.typing: set[str] = set()
        self.files = False  # binary values are uploads: render them as FileTypes

    def file_ann(self, t: ir.TypeRef, *, optional: bool = False) -> str:
        """Like :meth:`ann`, with every binary value accepted as an upload (``FileTypes``)."""
        self.files = True
        try:
            return self.ann(t, optional=optional)
        finally:
            self.files = False

    def name(self, ref: ir.NamedRef) -> str:
        d = self.by_id[ref.id]
        self.used.add(d.name)
        return d.name

    def nullable(self, t: ir.TypeRef) -> bool:
        if ir.is_nullable(t):
            return True
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            if isinstance(d, ir.EnumDef):
                return d.nullable
            if isinstance(d, ir.AliasDef):
                return self.nullable(d.type)
        return False

    def ann(self, t: ir.TypeRef, *, optional: bool = False) -> str:
        """Annotation for ``t``; ``optional`` adds ``| None`` (once)."""
        text = self._ann(t)
        if (optional or self._enum_null(t)) and not self._has_none(text, t):
            text = f"{text} | None" if text != "Any" else text
        return text

    def _has_none(self, text: str, t: ir.TypeRef) -> bool:
        return ir.is_nullable(t) or text == "Any" or "None" in _split_top_union(text)

    def _enum_null(self, t: ir.TypeRef) -> bool:
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            return isinstance(d, ir.EnumDef) and d.nullable
        return False

    def _ann(self, t: ir.TypeRef) -> str:
        if isinstance(t, ir.Primitive):
            if t.kind == "bytes" and self.files:
                return "FileTypes"
            if t.kind == "any":
                self.typing.add("Any")
            return {
                "str": "str", "int": "int", "float": "float", "bool": "bool", "none": "None",
                "any": "Any", "bytes": "bytes", "datetime": "datetime.datetime",
                "date": "datetime.date", "time": "datetime.time", "uuid": "uuid.UUID",
            }[t.kind]
        if isinstance(t, ir.LiteralType):
            self.typing.add("Literal")
            values = [v for v in t.values if v is not None]
            inner = f"Literal[{', '.join(pyvalue(v) for v in values)}]"
            return inner + (" | None" if None in t.values else "")
        if isinstance(t, ir.ArrayType):
            return f"List[{self.ann(t.item)}]"
        if isinstance(t, ir.MapType):
            return f"Dict[str, {self.ann(t.value)}]"
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            if self.files and isinstance(d, ir.AliasDef) and _is_file(d.type, self):
                return self._ann(d.type)
            name = self.name(t)
            if isinstance(d, ir.EnumDef) and d.nullable:
                return f"{name} | None"
            return name
        if isinstance(t, ir.UnionType):
            variants = [v for v in t.variants if v != ir.NONE]
            nullable = len(variants) != len(t.variants)
            if t.discriminator is not None and self.discriminated:
                self.typing.update({"Annotated", "Union"})
                prop = t.discriminator.property
                attr = self._attr_of(t.discriminator)
                parts = [f"Annotated[{self.name(ref)}, Tag({pystr(value)})]" for value, ref in t.discriminator.mapping]
                text = (
                    f"Annotated[Union[{', '.join(parts)}], "
                    f"Discriminator(discriminator_by({pystr(prop)}, {pystr(attr)}))]"
                )
            else:
                rendered: list[str] = []
                for v in variants:
                    r = self.ann(v)
                    for piece in _split_top_union(r):
                        if piece == "None":
                            nullable = True
                        elif piece not in rendered:
                            rendered.append(piece)
                if "Any" in rendered:
                    return "Any"
                text = " | ".join(rendered) if len(rendered) > 1 else rendered[0]
                if len(rendered) > 1 and any(p.startswith("Annotated[") for p in rendered):
                    self.typing.add("Union")
                    text = f"Union[{', '.join(rendered)}]"
            return f"{text} | None" if nullable else text
        raise TypeError(t)

    def _attr_of(self, d: ir.Discriminator) -> str:
        for _, ref in d.mapping:
            m = self.by_id[ref.id]
            if isinstance(m, ir.ModelDef):
                for f in m.fields:
                    if f.wire_name == d.property:
                        return f.py_name
        return snake(d.property) or "type"


def _split_top_union(text: str) -> list[str]:
    """Split ``A | B[C | D] | None`` at top-level bars."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


# --------------------------------------------------------------------- view objects


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str | None  # Python expression, None when required
    alias: str | None  # pystr of the wire name when it differs
    doc: str  # docstring body


@dataclass(frozen=True)
class ModelView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    always_set: tuple[str, ...]
    extra_annotation: str | None


@dataclass(frozen=True)
class EnumView:
    name: str
    base: str
    doc: str
    members: tuple[tuple[str, str], ...]  # (NAME, value expression)


@dataclass(frozen=True)
class AliasView:
    name: str
    annotation: str
    doc: str


@dataclass(frozen=True)
class ArgView:
    name: str
    annotation: str
    default: str | None
    doc: str


@dataclass(frozen=True)
class MethodView:
    name: str
    doc: str
    positional: tuple[ArgView, ...]
    keyword: tuple[ArgView, ...]
    return_annotation: str
    cast_to: str
    http_method: str
    path_expr: str
    # query entries: a "key: value" item of a dict display, or a "**query_param(...)" item
    params: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]  # (pystr wire name, value expression)
    body_kind: str  # "none" | "json_fields" | "json" | "data_fields" | "multipart_fields" | "content" | "data"
    body_fields: tuple[tuple[str, str], ...]
    file_fields: tuple[tuple[str, str], ...]
    body_arg: str
    content_type: str | None  # pystr
    deprecated: bool
    # "plain" | "stream_only" (always a Stream) | "stream_flag" (overloads on ``stream``) | "page"
    kind: str = "plain"
    return_async: str = ""  # the async method's return annotation
    stream_item: str = ""  # the event type of Stream[...] / AsyncStream[...]
    flag: str = ""  # python name of the ``stream`` argument
    page_class: str = ""  # "CursorPage" | "OffsetPage" | "PageNumberPage"
    page_item: str = ""
    page_info: str = ""  # a PageInfo(...) expression
    # The models the request needs when it runs (in cast_to, stream_item, page_item): the method
    # imports them itself, so that importing a resource module builds no model.
    runtime_imports: tuple[str, ...] = ()
    runtime_discriminator: bool = False  # whether those expressions use pydantic's Discriminator

    def keyword_for(self, flag_annotation: str, flag_default: str | None) -> tuple[ArgView, ...]:
        """The keyword arguments with the stream flag's annotation replaced (for overloads)."""
        out = []
        for a in self.keyword:
            if a.name == self.flag:
                out.append(ArgView(a.name, flag_annotation, flag_default, a.doc))
            else:
                out.append(a)
        # a keyword without default may follow ones with defaults; keep required ones first
        return tuple(sorted(out, key=lambda a: a.default is not None))


@dataclass(frozen=True)
class ResourceView:
    attr: str
    class_name: str
    doc: str
    methods: tuple[MethodView, ...]
    imports: tuple[str, ...]
    typing: tuple[str, ...]
    types_names: tuple[str, ...]
    uses_datetime: bool
    uses_uuid: bool
    uses_discriminator: bool
    uses_path_param: bool
    params_helpers: tuple[str, ...]
    streaming: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthView:
    py_name: str
    env_var: str
    location: str
    wire_name: str  # pystr
    kind: str  # "bearer" | "basic" | "raw"
    doc: str


@dataclass
class Context:
    values: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------- renderer


def _environment(extra_dirs: Iterable[Path]) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in extra_dirs]
    loaders.append(jinja2.FileSystemLoader(str(templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        {
            "pystr": pystr,
            "docstring": docstring,
            "comment": comment,
            "pyvalue": pyvalue,
            "markdown": markdown,
            "mdcode": markdown_code,
        }
    )
    return env


@lru_cache(maxsize=8)
def _cached_environment(extra: tuple[str, ...]) -> jinja2.Environment:
    return _environment([Path(p) for p in extra])


def _doc(*parts: str) -> str:
    texts = [clean_text(p) for p in parts if p and clean_text(p)]
    unique: list[str] = []
    for t in texts:
        if t not in unique:
            unique.append(t)
    return "\n\n".join(unique)


def _field_view(f: ir.Field, types: Types) -> tuple[FieldView, bool]:
    always = False
    if f.required:
        if isinstance(f.type, ir.LiteralType) and len(f.type.values) == 1 and f.type.values[0] is not None:
            annotation = types.ann(f.type)
            default: str | None = pyvalue(f.type.values[0])
            always = True
        else:
            annotation = types.ann(f.type)
            default = None
    else:
        annotation = types.ann(f.type, optional=True)
        default = "None"
    alias = pystr(f.wire_name) if f.wire_name != f.py_name else None
    doc_parts = [f.description]
    if f.has_default:
        doc_parts.append(f"Default: {pyvalue(f.default)}" if not isinstance(f.default, (dict, list)) else "")
    if f.deprecated:
        doc_parts.append("Deprecated.")
    return FieldView(f.py_name, annotation, default, alias, _doc(*doc_parts)), always


def model_views(api: ir.Api, types: Types) -> tuple[list[EnumView], list[ModelView], list[AliasView]]:
    enums, models, aliases = [], [], []
    for d in api.schemas:
        if isinstance(d, ir.EnumDef):
            base = {"str": "OpenStrEnum", "int": "OpenIntEnum", "float": "OpenFloatEnum"}[d.value_kind]
            doc = _doc(d.description, "The value may also be null." if d.nullable else "")
            enums.append(EnumView(d.name, base, doc, tuple((m.py_name, pyvalue(m.value)) for m in d.members)))
        elif isinstance(d, ir.ModelDef):
            fields, always = [], []
            for f in d.fields:
                view, is_always = _field_view(f, types)
                fields.append(view)
                if is_always:
                    always.append(f.py_name)
            extra = f"Dict[str, {types.ann(d.additional)}]" if d.additional is not None else None
            models.append(ModelView(d.name, _doc(d.description, "Deprecated." if d.deprecated else ""),
                                    tuple(fields), tuple(always), extra))
        else:
            aliases.append(AliasView(d.name, types.ann(d.type), _doc(d.description)))
    return enums, models, _order_aliases(api, aliases)


def _order_aliases(api: ir.Api, aliases: list[AliasView]) -> list[AliasView]:
    """Aliases are evaluated at import: each must come after the aliases it uses."""
    names = {a.name for a in aliases}
    deps = {a.name: {n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", a.annotation) if n in names and n != a.name}
            for a in aliases}
    by_name = {a.name: a for a in aliases}
    out: list[AliasView] = []
    done: set[str] = set()
    visiting: set[str] = set()

    # depth-first, post-order, iteratively (a chain of aliases may be thousands long)
    for a in aliases:
        if a.name in done:
            continue
        visiting.add(a.name)
        stack = [(a.name, iter(sorted(deps[a.name])))]
        while stack:
            n, pending = stack[-1]
            m = next((m for m in pending if m not in done and m not in visiting), None)
            if m is None:
                stack.pop()
                visiting.discard(n)
                done.add(n)
                out.append(by_name[n])
            else:
                visiting.add(m)
                stack.append((m, iter(sorted(deps[m]))))
    return out


def _path_expr(op: ir.Operation) -> str:
    """The request path as a concatenation of escaped literals and encoded parameters."""
    by_wire = {p.wire_name: p for p in op.params if p.location == "path"}
    pieces: list[str] = []
    for token in re.split(r"(\{[^{}]*\})", op.path):
        if not token:
            continue
        if token.startswith("{") and token.endswith("}") and token[1:-1] in by_wire:
            pieces.append(f"path_param({by_wire[token[1:-1]].py_name})")
        else:
            pieces.append(pystr(_path_literal(token)))
    return " + ".join(pieces) if pieces else '""'


def _path_literal(text: str) -> str:
    """Literal path text as a URL carries it: ASCII controls, space and ``#`` percent-encoded
    (httpx refuses controls and would end the path at ``#``); the rest httpx encodes itself."""
    return re.sub(r"[\x00-\x20\x7f#]", lambda m: f"%{ord(m.group()):02X}", text)


def method_view(op: ir.Operation, types: Types) -> MethodView:
    positional: list[ArgView] = []
    keyword_required: list[ArgView] = []
    keyword_optional: list[ArgView] = []
    arg_docs: list[tuple[str, str]] = []
    for p in op.params:
        if p.location == "path":
            positional.append(ArgView(p.py_name, types.ann(p.type), None, p.description))
        elif p.required:
            keyword_required.append(ArgView(p.py_name, types.ann(p.type), None, p.description))
        else:
            keyword_optional.append(ArgView(p.py_name, types.ann(p.type) + " | NotGiven", "NOT_GIVEN", p.description))
    body_kind, body_fields, file_fields, body_arg, content_type = "none", [], [], "", None
    body = op.body
    if body is not None:
        content_type = pystr(body.content_type)
        if body.mode == "fields":
            for f in body.fields:
                if body.encoding == "multipart" and _is_file(f.type, types):
                    ann = types.file_ann(f.type)
                else:
                    ann = types.ann(f.type)
                body_fields.append((pystr(f.wire_name), f.py_name))
                required_literal = (f.required and isinstance(f.type, ir.LiteralType) and len(f.type.values) == 1)
                if f.required and not required_literal:
                    keyword_required.append(ArgView(f.py_name, ann, None, f.description))
                elif required_literal:
                    keyword_optional.append(ArgView(f.py_name, ann, pyvalue(f.type.values[0]), f.description))  # type: ignore[union-attr]
                else:
                    keyword_optional.append(ArgView(f.py_name, ann + " | NotGiven", "NOT_GIVEN", f.description))
            body_kind = {"json": "json_fields", "multipart": "multipart_fields", "form": "data_fields"}[body.encoding]
        else:
            ann = types.ann(body.type)
            if body.encoding == "json":
                body_kind = "json"
            elif body.encoding == "form":
                body_kind, ann = "data", "Mapping[str, object]"
            elif body.encoding == "multipart":
                body_kind, ann = "data", "Mapping[str, object]"
            elif body.encoding == "text":
                body_kind, ann = "content", "str | bytes"
            else:
                body_kind, ann = "content", "bytes | IO[bytes]"
            body_arg = "body"
            if body.required:
                keyword_required.append(ArgView("body", ann, None, body.description))
            else:
                keyword_optional.append(ArgView("body", ann + " | NotGiven", "NOT_GIVEN", body.description))
    for a in positional + keyword_required + keyword_optional:
        arg_docs.append((a.name, a.doc))
    runtime: dict[str, set[str]] = {}  # names of the expressions evaluated when the request runs

    def runtime_ann(role: str, t: ir.TypeRef) -> str:
        """``types.ann(t)``, its names also recorded as ``runtime[role]``."""
        before, types.used = types.used, set()
        try:
            return types.ann(t)
        finally:
            runtime[role] = set(types.used)
            types.used = before | types.used

    if op.result_kind in ("json", "sse") and op.result is not None:
        ret = runtime_ann("cast", op.result)
        cast_to = ret
    elif op.result_kind == "text":
        ret, cast_to = "str", "str"
    elif op.result_kind == "binary":
        ret, cast_to = "bytes", "bytes"
    else:
        ret, cast_to = "None", "None"
    kind, return_async, stream_item, flag, page_class, page_item, page_info = "plain", ret, "", "", "", "", ""
    if op.result_kind == "sse":
        kind = "stream_only"
        stream_item = runtime_ann("stream", op.stream_result or ir.Primitive("str"))
        ret, return_async, cast_to = f"Stream[{stream_item}]", f"AsyncStream[{stream_item}]", stream_item
    elif op.stream_flag and op.stream_result is not None:
        kind = "stream_flag"
        stream_item = runtime_ann("stream", op.stream_result)
        flag = next(
            (f.py_name for f in (op.body.fields if op.body else ()) if f.wire_name == op.stream_flag),
            next((p.py_name for p in op.params if p.wire_name == op.stream_flag), ""),
        )
        if not flag:
            kind = "plain"
    elif op.pagination is not None:
        kind = "page"
        pg = op.pagination
        page_class = {"cursor": "CursorPage", "offset": "OffsetPage", "page": "PageNumberPage"}[pg.style]
        page_item = runtime_ann("page", pg.item)
        ret = f"Sync{page_class}[{page_item}]"
        return_async = f"AsyncPaginator[Async{page_class}[{page_item}]]"
        page_info = "PageInfo(" + ", ".join(
            f"{name}={pyvalue(value)}"
            for name, value in (
                ("style", pg.style), ("items_field", pg.items_field), ("cursor_param", pg.cursor_param),
                ("cursor_field", pg.cursor_field), ("has_more_field", pg.has_more_field),
                ("id_field", pg.id_field), ("limit_param", pg.limit_param), ("offset_param", pg.offset_param),
                ("page_param", pg.page_param), ("total_field", pg.total_field),
                ("total_pages_field", pg.total_pages_field),
            )
        ) + ")"
    # what request_body (templates/request.jinja) evaluates for each kind of method
    roles, expressions = {
        "page": (("page",), (page_item,)),
        "stream_only": (("stream",), (stream_item,)),
        "stream_flag": (("cast", "stream"), (cast_to, stream_item)),
    }.get(kind, (("cast",), (cast_to,)))
    accept = _accept(op)
    doc_lines = [op.summary, op.description]
    if op.deprecated:
        doc_lines.append("Deprecated.")
    arg_text = "\n".join(
        f"{name}: {clean_text(d)}" if d else name for name, d in arg_docs
    )
    doc = _doc(*doc_lines)
    if arg_text:
        doc = (doc + "\n\n" if doc else "") + "Args:\n" + "\n".join("  " + line for line in arg_text.split("\n"))
    doc = doc or f"{op.method.upper()} {op.path}"
    return MethodView(
        name=op.name,
        doc=doc,
        positional=tuple(positional),
        keyword=tuple(keyword_required + keyword_optional),
        return_annotation=ret,
        cast_to=cast_to,
        http_method=pystr(op.method),
        path_expr=_path_expr(op),
        params=tuple(_query_item(p, types) for p in op.params if p.location == "query"),
        headers=tuple(
            [("\"Accept\"", pystr(accept))] if accept else []
        ) + tuple(
            (pystr(p.wire_name), _header_value(p, types)) for p in op.params if p.location == "header"
        ),
        body_kind=body_kind,
        body_fields=tuple(body_fields),
        file_fields=tuple(file_fields),
        body_arg=body_arg,
        content_type=content_type,
        deprecated=op.deprecated,
        kind=kind,
        return_async=return_async or ret,
        stream_item=stream_item,
        flag=flag,
        page_class=page_class,
        page_item=page_item,
        page_info=page_info,
        runtime_imports=tuple(sorted(set().union(*(runtime.get(role, ()) for role in roles)))),
        runtime_discriminator="Discriminator(" in " ".join(expressions),
    )


def _accept(op: ir.Operation) -> str | None:
    """The Accept header of an operation that does not answer JSON (None: the JSON default)."""
    if op.result_kind in ("json", "empty"):
        return None
    kinds: list[str] = []
    for r in op.responses:
        if (r.status.startswith("2") or r.status == "default") and r.content_type and r.content_type not in kinds:
            if op.result_kind != "sse" and r.content_type.lower().startswith("text/event-stream"):
                continue
            kinds.append(r.content_type)
    return ", ".join(kinds) or None


def _structured(t: ir.TypeRef, types: Types) -> bool:
    """Whether values of ``t`` may be lists or objects (they need a parameter style)."""
    if isinstance(t, (ir.ArrayType, ir.MapType)):
        return True
    if isinstance(t, ir.NamedRef):
        d = types.by_id[t.id]
        return isinstance(d, ir.ModelDef) or (isinstance(d, ir.AliasDef) and _structured(d.type, types))
    if isinstance(t, ir.UnionType):
        return any(_structured(v, types) for v in t.variants)
    return t == ir.ANY


def _query_item(p: ir.Parameter, types: Types) -> str:
    default_style = p.style == "form" and p.explode
    if default_style or not _structured(p.type, types):
        return f"{pystr(p.wire_name)}: {p.py_name}"
    return f"**query_param({pystr(p.wire_name)}, {p.py_name}, {pystr(p.style)}, {p.explode!r})"


def _header_value(p: ir.Parameter, types: Types) -> str:
    if _structured(p.type, types):
        return f"header_param({p.py_name}, {p.explode!r})"
    return p.py_name


def _is_file(t: ir.TypeRef, types: Types, depth: int = 0) -> bool:
    """Whether ``t`` holds binary data somewhere (directly, in an array, a union or an alias)."""
    if depth > 8:
        return False
    if t == ir.Primitive("bytes"):
        return True
    if isinstance(t, ir.ArrayType):
        return _is_file(t.item, types, depth + 1)
    if isinstance(t, ir.UnionType):
        return any(_is_file(v, types, depth + 1) for v in t.variants)
    if isinstance(t, ir.NamedRef):
        d = types.by_id[t.id]
        return isinstance(d, ir.AliasDef) and _is_file(d.type, types, depth + 1)
    return False


def resource_views(api: ir.Api, *, discriminated: bool = True) -> list[ResourceView]:
    out = []
    by_id = {d.id: d for d in api.schemas}  # once: one Types per resource, not a dict per resource
    for res in api.resources:
        types = Types(api, discriminated=discriminated, by_id=by_id)
        methods = tuple(method_view(op, types) for op in res.operations if op.generated)
        text = " ".join(
            " ".join([m.return_annotation, m.cast_to] + [a.annotation for a in m.positional + m.keyword])
            for m in methods
        )
        text += " " + " ".join(m.return_async + " " + m.stream_item + " " + m.page_item for m in methods)
        types_names = {"NOT_GIVEN", "Body", "Headers", "NotGiven", "Query"}
        if "FileTypes" in text:
            types_names.add("FileTypes")
        out.append(
            ResourceView(
                attr=res.name,
                class_name=res.class_name,
                doc=_doc(res.description),
                methods=methods,
                imports=tuple(sorted(types.used)),
                typing=tuple(
                    sorted(
                        _typing_names(text)
                        | {"TYPE_CHECKING"}
                        | ({"Literal", "overload"} if any(m.kind == "stream_flag" for m in methods) else set())
                    )
                ),
                streaming=tuple(
                    sorted(
                        {"Stream", "AsyncStream"}
                        if any(m.kind in ("stream_only", "stream_flag") for m in methods)
                        else set()
                    )
                ),
                pages=tuple(
                    sorted(
                        {f"Sync{m.page_class}" for m in methods if m.page_class}
                        | {f"Async{m.page_class}" for m in methods if m.page_class}
                        | ({"AsyncPaginator"} if any(m.page_class for m in methods) else set())
                    )
                ),
                types_names=tuple(sorted(types_names)),
                uses_datetime="datetime." in text,
                uses_uuid="uuid." in text,
                uses_discriminator="Discriminator(" in text,
                uses_path_param=any("path_param(" in m.path_expr for m in methods),
                params_helpers=tuple(
                    sorted(
                        {"query_param" for m in methods for q in m.params if q.startswith("**")}
                        | {"header_param" for m in methods for _, h in m.headers if h.startswith("header_param(")}
                        | {"multipart_body" for m in methods if m.body_kind == "multipart_fields"}
                    )
                ),
            )
        )
    return out


def _typing_names(text: str) -> set[str]:
    return {n for n in ("Any", "Dict", "List", "Literal", "Union", "Annotated", "IO", "Mapping")
            if re.search(rf"\b{n}\[|\b{n}\b", text)}


# ------------------------------------------------------------------ model modules


@dataclass(frozen=True)
class ModelModule:
    """One module of the ``models`` package (``models/<name>.py``)."""

    name: str  # "_chat": the module's name inside the package
    enums: tuple[str, ...]  # the definitions it holds, by kind, in the spec's order
    models: tuple[str, ...]
    aliases: tuple[str, ...]
    # (sibling module, names): what its definitions use from the other modules
    imports: tuple[tuple[str, tuple[str, ...]], ...]
    used_by: tuple[str, ...]  # the resources whose operations use these definitions (none: no operation)

    @property
    def names(self) -> tuple[str, ...]:
        return self.enums + self.models + self.aliases


@dataclass(frozen=True)
class ModelPlan:
    """How the definitions are laid out in modules; style-neutral (any model template uses it).

    ``modules`` is sorted by name; ``module_of`` gives each definition's module, by name.
    """

    modules: tuple[ModelModule, ...]
    module_of: tuple[tuple[str, str], ...]

    def requires(self, module: ModelModule) -> tuple[str, ...]:
        """The modules ``module`` imports from (its direct dependencies), sorted."""
        return tuple(name for name, _ in module.imports)


MAX_MODULE_LABEL = 60  # longest module name made from a resource or schema name, before a hash


def _type_refs(t: ir.TypeRef, out: set[str]) -> None:
    """Add the ids of the definitions ``t`` refers to, a discriminator's mapping included."""
    for cur in ir.walk(t):
        if isinstance(cur, ir.NamedRef):
            out.add(cur.id)
        elif isinstance(cur, ir.UnionType) and cur.discriminator is not None:
            out.update(ref.id for _, ref in cur.discriminator.mapping)


def definition_dependencies(api: ir.Api) -> dict[str, tuple[str, ...]]:
    """Definition name -> the other definitions (names, sorted) its rendered code refers to."""
    by_id = {d.id: d.name for d in api.schemas}
    out: dict[str, tuple[str, ...]] = {}
    for d in api.schemas:
        ids: set[str] = set()
        if isinstance(d, ir.ModelDef):
            for f in d.fields:
                _type_refs(f.type, ids)
            if d.additional is not None:
                _type_refs(d.additional, ids)
        elif isinstance(d, ir.AliasDef):
            _type_refs(d.type, ids)
        out[d.name] = tuple(sorted({by_id[i] for i in ids if i in by_id} - {d.name}))
    return out


def plan_model_modules(api: ir.Api, roots: dict[str, Iterable[str]]) -> ModelPlan:
    """Split the definitions into modules, so that using one resource builds only its models.

    ``roots`` maps each resource (its attribute name) to the definitions its methods name.
    A definition's *users* are the resources from which it can be reached through
    :func:`definition_dependencies`; definitions with the same users share a module:
    ``_<resource>`` for one resource, ``_shared_<hash of the resources>`` for several.
    A definition no operation uses is reached from the unused definitions that nothing
    else uses (its *roots*; in a cycle without one, the first by name stands in), and
    grouped the same way: ``_<root in snake case>`` or ``_shared_<hash of the roots>``.

    So loading a resource loads exactly the definitions it can reach; a dependency's users
    always include its dependent's, so a module imports only from modules with strictly
    more users and the modules never import each other in a cycle (a cycle of definitions
    is always within one module). Deterministic: only names and the spec's order decide.
    """
    deps = definition_dependencies(api)
    order = [d.name for d in api.schemas]
    users: dict[str, set[tuple[str, str]]] = {name: set() for name in order}

    def spread(entry: tuple[str, str], start: Iterable[str], within: set[str] | None) -> None:
        stack = [n for n in start if n in users and (within is None or n in within)]
        while stack:
            n = stack.pop()
            if entry in users[n]:
                continue
            users[n].add(entry)
            stack.extend(m for m in deps[n] if within is None or m in within)

    for resource in sorted(roots):
        spread(("resource", resource), roots[resource], None)
    unused = [n for n in order if not users[n]]
    unused_set = set(unused)
    referenced = {m for n in unused for m in deps[n] if m in unused_set}
    for n in unused:
        if n not in referenced:
            spread(("schema", n), [n], unused_set)
    for n in sorted(unused):  # definitions only a cycle of unused definitions reaches
        if not users[n]:
            spread(("schema", n), [n], unused_set)

    groups: dict[frozenset[tuple[str, str]], list[str]] = {}
    for n in order:
        groups.setdefault(frozenset(users[n]), []).append(n)
    # labels: resource groups first, then schema groups, then shared ones; a taken label gets _2, _3, ...
    def label(key: frozenset[tuple[str, str]]) -> str:
        if len(key) == 1:
            kind, name = next(iter(key))
            text = name if kind == "resource" else snake(name)
            text = re.sub(r"[^a-z0-9_]", "_", text.lower()).strip("_")
            if text and len(text) <= MAX_MODULE_LABEL:
                return text
            digest = _digest(f"{kind}\0{name}")
            return f"{text[:MAX_MODULE_LABEL - 11].rstrip('_')}_{digest}" if text else f"schema_{digest}"
        return "shared_" + _digest("\n".join(f"{k}\0{n}" for k, n in sorted(key)))

    def rank(key: frozenset[tuple[str, str]]) -> tuple[int, str]:
        kinds = {k for k, _ in key}
        return (0 if kinds == {"resource"} and len(key) == 1 else 1 if len(key) == 1 else 2, label(key))

    module_of: dict[str, str] = {}
    names: dict[frozenset[tuple[str, str]], str] = {}
    taken: set[str] = set()
    for key in sorted(groups, key=rank):
        base = "_" + label(key)
        name, i = base, 1
        while name in taken:
            i += 1
            name = f"{base}_{i}"
        taken.add(name)
        names[key] = name
        for n in groups[key]:
            module_of[n] = name

    kinds = {d.name: ("enums" if isinstance(d, ir.EnumDef) else "models" if isinstance(d, ir.ModelDef) else "aliases")
             for d in api.schemas}
    modules = []
    for key, members in groups.items():
        name = names[key]
        imports: dict[str, set[str]] = {}
        for n in members:
            for m in deps[n]:
                if module_of[m] != name:
                    imports.setdefault(module_of[m], set()).add(m)
        modules.append(ModelModule(
            name=name,
            enums=tuple(n for n in members if kinds[n] == "enums"),
            models=tuple(n for n in members if kinds[n] == "models"),
            aliases=tuple(n for n in members if kinds[n] == "aliases"),
            imports=tuple((mod, tuple(sorted(ns))) for mod, ns in sorted(imports.items())),
            used_by=tuple(sorted(r for k, r in key if k == "resource")),
        ))
    return ModelPlan(tuple(sorted(modules, key=lambda m: m.name)), tuple(sorted(module_of.items())))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _example_value(annotation: str) -> str:
    """A placeholder argument of the right shape for a README example."""
    head = annotation.split(" | ")[0].strip()
    simple = {"str": '"..."', "int": "1", "float": "1.0", "bool": "True", "bytes": 'b"..."',
              "FileTypes": 'open("file.bin", "rb")', "datetime.datetime": "datetime.datetime.now()"}
    if head in simple:
        return simple[head]
    if head.startswith("List["):
        return "[...]"
    if head.startswith("Dict[") or head.startswith("Mapping["):
        return "{...}"
    if head.startswith("Literal["):
        return head[len("Literal["):].split(",")[0].rstrip("]")
    return "..."


def _example_call(resource: str, m: MethodView) -> str:
    args = [_example_value(a.annotation) for a in m.positional]
    args += [f"{a.name}={_example_value(a.annotation)}" for a in m.keyword if a.default is None]
    return f"client.{resource}.{m.name}({', '.join(args)})"


def auth_views(api: ir.Api, client: ClientInfo) -> list[AuthView]:
    out = []
    for s in api.security_schemes:
        kind = "raw"
        if s.type in ("http", "oauth2", "openIdConnect"):
            kind = "basic" if s.scheme == "basic" else "bearer"
        out.append(AuthView(s.py_name, s.env_var, s.location,
                            pystr(s.wire_name), kind, clean_text(s.description)))
    return out


def default_base_url(api: ir.Api) -> str:
    if not api.servers:
        return "http://localhost"
    url = api.servers[0].url
    return url


def group_model_views(modules: Iterable[ModelModule], all_enums: list[EnumView], all_models: list[ModelView],
                      all_aliases: list[AliasView]) -> dict[str, tuple[list[EnumView], list[ModelView], list[AliasView]]]:
    """Each module's views (the definitions it holds, in the order of the views), for
    every module in one pass over the views."""
    grouped: dict[str, tuple[list[EnumView], list[ModelView], list[AliasView]]] = {}
    holders: dict[str, list[str]] = {}
    for module in modules:
        grouped[module.name] = ([], [], [])
        for name in set(module.names):
            holders.setdefault(name, []).append(module.name)
    for kind, views in enumerate((all_enums, all_models, all_aliases)):
        for view in views:
            for module_name in holders.get(view.name, ()):
                grouped[module_name][kind].append(view)  # type: ignore[arg-type]
    return grouped


def _render_model_views(env: jinja2.Environment, common: dict[str, Any], module: ModelModule,
                        enums: list[EnumView], models: list[ModelView], aliases: list[AliasView]) -> str:
    """``models/<module>.py``: the module's definitions, in the order of the views (aliases in
    evaluation order), through ``models.py.jinja``."""
    model_text = " ".join(
        [f.annotation for m in models for f in m.fields]
        + [m.extra_annotation or "" for m in models]
        + [a.annotation for a in aliases]
    )
    return env.get_template("models.py.jinja").render(
        **common, enums=enums, models=models, aliases=aliases, module=module,
        typing_names=sorted(_typing_names(model_text)),
        model_flags={
            "datetime": "datetime." in model_text,
            "uuid": "uuid." in model_text,
            "discriminator": "Discriminator(" in model_text,
            "pydantic": sorted(
                (["Discriminator", "Tag"] if "Discriminator(" in model_text else [])
                + (["Field"] if any(f.alias for m in models for f in m.fields)
                   or any(m.extra_annotation for m in models) else [])
            ),
            "enum_bases": sorted({e.base for e in enums}),
            "model_bases": sorted({"TaggedModel" if m.always_set else "BaseModel" for m in models}) or ["BaseModel"],
        },
        all_names=sorted(module.names),
    )


def render_package(api: ir.Api, client: ClientInfo, *, template_dirs: tuple[str, ...] = (),
                   spec_root: Any = None, on_files: Callable[[dict[str, str]], None] | None = None
                   ) -> dict[str, str]:
    """All files of the package, relative path -> text (not yet formatted).

    ``spec_root`` is the loaded spec, for model styles that run a tool on the spec itself.
    ``on_files`` is called with each large group of files as soon as it is rendered (the
    models, then the operations), so that formatting can start before rendering ends.
    The models (in the client's model style), the client, the package ``__init__`` and the
    runtime are common to every layout; ``client.layout`` picks the renderer of the
    operations (see :data:`LAYOUTS`).
    """
    if client.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {client.layout!r} (known: {', '.join(LAYOUTS)})")
    env = _cached_environment(template_dirs)
    style = styles.get(client.models)
    types = Types(api, discriminated=style.discriminated_unions)
    resources = resource_views(api, discriminated=style.discriminated_unions)
    auth = auth_views(api, client)
    header = (
        f"# Generated by oagen {comment(client.oagen_version)} from {comment(client.spec_name)}. "
        f"Do not edit by hand.\n# spec sha256: {client.spec_sha256}"
    )
    common = {
        "header": header,
        "api": api,
        "client": client,
        "layout": client.layout,
        "async_class": "Async" + client.client_class,
        "flavours": list(client.flavours),
        "prefixes": ["" if f == "sync" else "Async" for f in client.flavours],
        "client_classes": [client.client_class if f == "sync" else "Async" + client.client_class
                           for f in client.flavours],
        "resources": resources,
        "auth": auth,
        "base_url": pystr(client.base_url or default_base_url(api)),
        "title": api.title,
        "style": style,
    }
    files: dict[str, str] = dict(
        style.render_models(ModelsInput(env, api, types, common, spec_root))
    )
    if on_files is not None:
        on_files(files)
    layout_files, readme = LAYOUTS[client.layout](env, common, api)
    if on_files is not None:
        on_files(layout_files)
    files.update(layout_files)
    files["_client.py"] = env.get_template("client.py.jinja").render(**common)
    files["__init__.py"] = env.get_template("package_init.py.jinja").render(**common)
    files["_version.py"] = env.get_template("version.py.jinja").render(**common)
    files["py.typed"] = ""
    files["README.md"] = env.get_template("package_readme.md.jinja").render(**common, **readme)
    for name, path in runtime_sources(template_dirs, client.models).items():
        files[name] = header + "\n" + path.read_text(encoding="utf-8")
    return files


# ------------------------------------------------------------------------ layouts
#
# A layout renders the operations: it gets the environment, the common context and the
# API, and returns its files and the extra variables of the package README (at least
# ``examples``: "resource.method" -> an example call).  Everything else (models, client,
# runtime) is shared, so a layout composes with any model style.


LayoutFiles = tuple[dict[str, str], dict[str, Any]]


def _render_resources(env: jinja2.Environment, common: dict[str, Any], api: ir.Api) -> LayoutFiles:
    """``client.fine_tuning.cancel(...)``: one class per resource in ``resources/<resource>.py``."""
    resources: list[ResourceView] = common["resources"]
    files = {f"resources/{res.attr}.py": env.get_template("resource.py.jinja").render(**common, resource=res)
             for res in resources}
    files["resources/__init__.py"] = env.get_template("resources_init.py.jinja").render(**common)
    examples = {f"{res.attr}.{m.name}": _example_call(res.attr, m) for res in resources for m in res.methods}
    return files, {"examples": examples}


@dataclass(frozen=True)
class OperationModuleView:
    """One operation of the ``functions`` layout: the module ``api/<package>/<module>.py``."""

    module: str  # the module (and file) name, from generator.names.module_names
    method: MethodView
    imports: ResourceView  # a resource view of this operation alone: what its module imports
    client_arg: str  # the name of the client parameter (``client`` unless an argument has it)
    http: str  # "POST /fine-tunes/{id}/cancel": spec text, for the docstring filter
    title: str  # the first line of the method's doc, else ``http``: spec text, for the docstring filter


@dataclass(frozen=True)
class FunctionPackageView:
    """A resource (tag) of the ``functions`` layout: the package ``api/<attr>/``."""

    attr: str
    doc: str
    operations: tuple[OperationModuleView, ...]


def function_views(api: ir.Api, *, discriminated: bool = True) -> list[FunctionPackageView]:
    """The packages and operation modules of the ``functions`` layout.

    Each operation's imports come from :func:`resource_views` of a resource holding that
    operation alone, so the method data (signatures, request, imports) is the resources
    layout's, whatever the model style.
    """
    alone = tuple(replace(res, operations=(op,)) for res in api.resources for op in res.operations if op.generated)
    singles = iter(resource_views(replace(api, resources=alone), discriminated=discriminated))
    out = []
    for res in api.resources:
        ops = [op for op in res.operations if op.generated]
        views = [next(singles) for _ in ops]
        modules = module_names([v.methods[0].name for v in views])
        operations = []
        for op, view, module in zip(ops, views, modules):
            m = view.methods[0]
            taken = {a.name for a in m.positional + m.keyword}
            client_arg = next(n for n in ("client", "client_", "api_client", "_client") if n not in taken)
            http = f"{op.method.upper()} {op.path}"
            first = m.doc.split("\n")[0]
            title = http if first == "Args:" else first
            operations.append(OperationModuleView(module, m, view, client_arg, http, title))
        out.append(FunctionPackageView(res.name, _doc(res.description), tuple(operations)))
    return out


def _function_args(m: MethodView) -> str:
    args = [_example_value(a.annotation) for a in m.positional]
    args += [f"{a.name}={_example_value(a.annotation)}" for a in m.keyword if a.default is None]
    return ", ".join(["client"] + args)


def _function_example(package: str, fp: FunctionPackageView, op: OperationModuleView, flavour: str) -> str:
    """The import and a call of one operation, for the package README."""
    m = op.method
    fn = "asyncio" if flavour == "async" else "sync"
    awaited = "await " if flavour == "async" and m.kind != "page" else ""
    return f"from {package}.api.{fp.attr} import {op.module}\n\n{awaited}{op.module}.{fn}({_function_args(m)})"


def _functions_quickstart(client: ClientInfo, fp: FunctionPackageView, op: OperationModuleView) -> str:
    """A complete program calling one operation, for the package README."""
    m = op.method
    args = _function_args(m)
    lines = [f"from {client.package} import {{cls}}", f"from {client.package}.api.{fp.attr} import {op.module}", ""]
    if "sync" in client.flavours:
        lines[0] = lines[0].format(cls=client.client_class)
        lines += [
            f"client = {client.client_class}()",
            f"result = {op.module}.sync({args})",
            f"response = {op.module}.sync_detailed({args})",
            "print(response.status_code, response.headers, response.parse())",
        ]
        return "\n".join(lines)
    cls = "Async" + client.client_class
    awaited = "" if m.kind == "page" else "await "
    lines[0] = "import asyncio\n\n" + lines[0].format(cls=cls)
    lines += [
        "",
        "async def main() -> None:",
        f"    async with {cls}() as client:",
        f"        result = {awaited}{op.module}.asyncio({args})",
        f"        response = await {op.module}.asyncio_detailed({args})",
        "        print(response.status_code, response.headers, await response.parse())",
        "",
        "",
        "asyncio.run(main())",
    ]
    return "\n".join(lines)


def _render_functions(env: jinja2.Environment, common: dict[str, Any], api: ir.Api) -> LayoutFiles:
    """``cancel.sync(client, ...)``: one module per operation in ``api/<resource>/<operation>.py``."""
    packages = function_views(api, discriminated=common["style"].discriminated_unions)
    files: dict[str, str] = {"api/__init__.py": env.get_template("functions/api_init.py.jinja").render(
        **common, packages=packages)}
    for fp in packages:
        files[f"api/{fp.attr}/__init__.py"] = env.get_template("functions/package_init.py.jinja").render(
            **common, package=fp)
        for op in fp.operations:
            files[f"api/{fp.attr}/{op.module}.py"] = env.get_template("functions/operation.py.jinja").render(
                **common, package=fp, operation=op, m=op.method, resource=op.imports)
    client: ClientInfo = common["client"]
    examples = {f"{fp.attr}.{op.method.name}": _function_example(client.package, fp, op, client.flavours[0])
                for fp in packages for op in fp.operations}
    quickstart = next((_functions_quickstart(client, fp, fp.operations[0]) for fp in packages if fp.operations), "")
    return files, {"examples": examples, "packages": packages, "quickstart": quickstart}


LAYOUTS = {"resources": _render_resources, "functions": _render_functions}
"""Layout name -> its renderer; ``generator.config.LAYOUTS`` lists the same names."""


__all__ = ["ClientInfo", "LAYOUTS", "function_views", "render_package", "templates_dir", "pascal"]
