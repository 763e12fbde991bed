"""The ``datamodel-code-generator`` model style: the models are written by
datamodel-code-generator (DCG), the client by our templates against them.

DCG runs in-process (its ``generate()`` returns the module as a string: no file is
written).  The naming problem (our templates import the names :mod:`generator.names`
resolved, including the names we synthesise for inline schemas; DCG names classes its
own way) is solved by not letting DCG name anything: it gets an OpenAPI 3.1 document
*derived from the IR* in which every definition of the API is a component under the
name we resolved, every reference a ``$ref`` to such a component, every property
mapped to our field name (DCG's scoped ``aliases``) and every enum member to our
member name (``x-enum-varnames``).  Because the IR is already normalised (OpenAPI 3.0
and 3.1 differences, ``allOf`` flattening, inline schemas hoisted and named,
discriminators inferred), DCG sees one simple dialect.

After generation the output is checked, never trusted:

* it must parse, and contain nothing but imports, classes, annotated fields, enum
  members, docstrings, ``TypeAliasType`` aliases and ``model_rebuild()`` calls whose
  calls are the few DCG writes (``Field``, ``ConfigDict``, ...): a spec string that
  escaped a literal would show up as some other node, and the spec is refused;
* every definition name the client may import exists, and every model field carries
  the name we resolved; otherwise the spec is refused with a located error
  (:class:`~generator.diagnostics.SpecError`, exit 2) instead of a broken package.

Two rewrites, both located by the syntax tree (never by searching the text): the
imports of our runtime base classes, which DCG only accepts as absolute module paths,
become relative (``from ._models import BaseModel``), and the bases of DCG's enums
(``str, Enum``) become our open enums (``OpenStrEnum``), so an unknown value is kept.
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import tokenize
import warnings
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..diagnostics import Diagnostic, Level, Location, SpecError
from ..escape import docstring, pystr
from ..names import class_name
from . import ModelsInput, ModelStyle

# DCG's --base-class takes an absolute import path; this placeholder package is
# rewritten to the generated package's own runtime (a relative import) afterwards.
_PLACEHOLDER = "oagen_placeholder_runtime"
_BASE = f"{_PLACEHOLDER}._models.BaseModel"
_TAGGED = f"{_PLACEHOLDER}._dcg_models.AutoTaggedModel"
_OPEN_ENUM = {"str": "OpenStrEnum", "int": "OpenIntEnum", "float": "OpenFloatEnum"}
_REF = "#/components/schemas/"


# --------------------------------------------------------------- IR -> OpenAPI 3.1


def _primitive(kind: str) -> dict[str, Any]:
    return {
        "str": {"type": "string"},
        "int": {"type": "integer"},
        "float": {"type": "number"},
        "bool": {"type": "boolean"},
        "none": {"type": "null"},
        "any": {},
        "bytes": {"type": "string", "format": "binary"},
        "datetime": {"type": "string", "format": "date-time"},
        "date": {"type": "string", "format": "date"},
        "time": {"type": "string", "format": "time"},
        "uuid": {"type": "string", "format": "uuid"},
    }[kind]


class _Schemas:
    """IR types as JSON Schema (OpenAPI 3.1 dialect), references by our resolved names."""

    def __init__(self, api: ir.Api) -> None:
        self.by_id = {d.id: d for d in api.schemas}

    def ref(self, ref: ir.NamedRef) -> dict[str, Any]:
        d = self.by_id[ref.id]
        target = {"$ref": _REF + d.name}
        if isinstance(d, ir.EnumDef) and d.nullable:
            return {"anyOf": [target, {"type": "null"}]}
        return target

    def has_model(self, t: ir.TypeRef, depth: int = 0) -> bool:
        """Whether values of ``t`` may be models."""
        if depth > 16:
            return True
        if isinstance(t, ir.ArrayType):
            return self.has_model(t.item, depth + 1)
        if isinstance(t, ir.MapType):
            return self.has_model(t.value, depth + 1)
        if isinstance(t, ir.UnionType):
            return any(self.has_model(v, depth + 1) for v in t.variants)
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            return isinstance(d, ir.ModelDef) or (isinstance(d, ir.AliasDef) and self.has_model(d.type, depth + 1))
        return False

    def of(self, t: ir.TypeRef) -> dict[str, Any]:
        if isinstance(t, ir.Primitive):
            return dict(_primitive(t.kind))
        if isinstance(t, ir.LiteralType):
            values = [v for v in t.values if v is not None]
            # the extension makes DCG write ``Literal[...]`` where it would make up an enum
            # class (and a name for it) for a union of constants
            inner: dict[str, Any] = {"enum": values, "x-enum-field-as-literal": True}
            return {"anyOf": [inner, {"type": "null"}]} if None in t.values else inner
        if isinstance(t, ir.ArrayType):
            return {"type": "array", "items": self.of(t.item)}
        if isinstance(t, ir.MapType):
            return {"type": "object", "additionalProperties": self.of(t.value)}
        if isinstance(t, ir.NamedRef):
            return self.ref(t)
        if isinstance(t, ir.UnionType):
            variants = [v for v in t.variants if v != ir.NONE]
            nullable = len(variants) != len(t.variants)
            if t.discriminator is not None:
                d = t.discriminator
                union: dict[str, Any] = {
                    "oneOf": [{"$ref": _REF + self.by_id[r.id].name} for _, r in d.mapping],
                    "discriminator": {
                        "propertyName": d.property,
                        "mapping": {value: _REF + self.by_id[r.id].name for value, r in d.mapping},
                    },
                }
            elif len(variants) == 1:
                union = self.of(variants[0])
            else:
                union = {"anyOf": [self.of(v) for v in variants]}
            return {"anyOf": [union, {"type": "null"}]} if nullable else union
        raise TypeError(t)


def _description(*parts: str) -> str:
    from ..render import _doc

    return _doc(*parts)


@dataclass(frozen=True)
class DcgInput:
    """What DCG is given: the document, our field names and the models with tags."""

    document: dict[str, Any]
    aliases: dict[str, str]
    tagged: tuple[str, ...]
    names: frozenset[str]  # every definition's name


def dcg_input(api: ir.Api) -> DcgInput:
    """The OpenAPI 3.1 document DCG generates from, derived from the IR."""
    schemas = _Schemas(api)
    components: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    tagged: list[str] = []
    for d in api.schemas:
        if isinstance(d, ir.ModelDef):
            props: dict[str, Any] = {}
            required: list[str] = []
            tags = False
            for f in d.fields:
                schema = schemas.of(f.type)
                single = isinstance(f.type, ir.LiteralType) and len(f.type.values) == 1
                if f.required and single and f.type.values[0] is not None:  # type: ignore[union-attr]
                    # a tag: DCG writes ``Literal["x"] = "x"`` (use_one_literal_as_default)
                    tags = True
                elif f.has_default and not (isinstance(f.default, (dict, list)) and schemas.has_model(f.type)):
                    # (a model's default as a dict literal would not type-check: left out)
                    schema["default"] = f.default
                text = _description(f.description, "Deprecated." if f.deprecated else "")
                if text:
                    schema["description"] = text
                props[f.wire_name] = schema
                if f.required:
                    required.append(f.wire_name)
                if f.py_name != f.wire_name:
                    aliases[f"{d.name}.{f.wire_name}"] = f.py_name
            node: dict[str, Any] = {"type": "object", "properties": props}
            if required:
                node["required"] = required
            if d.additional is not None:
                node["additionalProperties"] = schemas.of(d.additional)
            if tags:
                tagged.append(d.name)
        elif isinstance(d, ir.EnumDef):
            node = {
                "type": {"str": "string", "int": "integer", "float": "number"}.get(d.value_kind, "string"),
                "enum": [m.value for m in d.members],
                "x-enum-varnames": [m.py_name for m in d.members],
            }
        else:
            node = schemas.of(d.type)
        text = _description(d.description, "Deprecated." if d.deprecated else "")
        if text:
            node["description"] = text
        components[d.name] = node
    document = {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": components},
    }
    return DcgInput(document, aliases, tuple(tagged), frozenset(components))


# ------------------------------------------------------------------------- running


def dcg_version() -> str:
    from importlib import metadata

    return metadata.version("datamodel-code-generator")


@dataclass(frozen=True)
class _ClassNames:
    ours: frozenset[str]

    def __call__(self, name: str) -> str:
        return name if name in self.ours else class_name(name)


def run_dcg(inp: DcgInput) -> str:
    """DCG's module text for ``inp`` (in memory: ``output=None``)."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import DatetimeClassType, PythonVersion

    with warnings.catch_warnings():
        # DCG announces future changes of its defaults as warnings; the options are explicit
        warnings.simplefilter("ignore")
        out = generate(
            json.dumps(inp.document, sort_keys=False),
            input_file_type=InputFileType.OpenAPI,
            output=None,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_310,
            base_class=_BASE,
            base_class_map={name: _TAGGED for name in inp.tagged} or None,
            aliases=inp.aliases or None,
            # our names are final identifiers already: DCG must not re-case them (its
            # default camel-cases ``Name_1a2b3c4d`` to ``Name1a2b3c4d``); the few names DCG
            # makes up itself (the alias of a discriminated union of array items, named
            # after the property) get our class-name rules
            custom_class_name_generator=_ClassNames(inp.names),
            use_annotated=True,
            use_standard_collections=True,
            use_union_operator=True,
            field_constraints=True,
            use_subclass_enum=True,
            set_default_enum_member=True,
            use_specialized_enum=False,
            use_one_literal_as_default=True,
            use_type_alias=True,
            use_schema_description=True,
            use_field_description=True,
            use_double_quotes=True,
            output_datetime_class=DatetimeClassType.Datetime,
            disable_timestamp=True,
            custom_file_header="",
            formatters=[],
        )
    if not isinstance(out, str):  # pragma: no cover - one module is asked for
        raise TypeError(f"datamodel-code-generator returned {type(out).__name__}, not one module")
    return out


# ---------------------------------------------------------------- checking the output

# The calls DCG writes into a models module with the options above.
_CALLS = frozenset({"Field", "ConfigDict", "TypeAliasType", "float"})
_NODES = (
    ast.Module, ast.ImportFrom, ast.alias, ast.ClassDef, ast.AnnAssign, ast.Assign, ast.Expr,
    ast.Name, ast.Load, ast.Store, ast.Attribute, ast.Subscript, ast.Tuple, ast.List, ast.Dict,
    ast.Constant, ast.BinOp, ast.BitOr, ast.Call, ast.keyword, ast.UnaryOp, ast.USub, ast.Pass,
)


# The modules it imports from (importing runs a module: no other one is accepted).
_MODULES = frozenset({"__future__", "typing", "typing_extensions", "pydantic", "datetime", "enum", "uuid"})


def _bad_node(tree: ast.Module) -> str | None:
    """Why ``tree`` is not a plain models module (None when it is)."""
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            return f"a {type(node).__name__} node at line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or not (module in _MODULES or module.startswith(_PLACEHOLDER + ".")):
                return f"an import at line {node.lineno}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _CALLS:
                continue
            if isinstance(func, ast.Attribute) and func.attr == "model_rebuild" and not node.args:
                continue
            return f"a call at line {node.lineno}"
    for stmt in tree.body:
        if isinstance(stmt, ast.Expr) and not (
            isinstance(stmt.value, ast.Call) or isinstance(stmt.value, ast.Constant)
        ):
            return f"an expression statement at line {stmt.lineno}"
    return None


def _error(inp: ModelsInput, message: str, pointer: str = "") -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, Location(inp.common["client"].spec_name, None, pointer))])


def _rewrite(text: str, tree: ast.Module, enum_kinds: dict[str, str]) -> str:
    """DCG's enum bases -> our open enums; the import block rebuilt.

    Edits are located by the syntax tree, never by searching the text.  The import
    block is rebuilt from the parsed imports: the placeholder runtime imports become
    relative ones (``from ._models import BaseModel``), imports nothing uses any more
    (``Enum``) go, and so does DCG's leading comment (the file has our header).
    """
    lines = text.split("\n")
    open_bases: set[str] = set()
    for stmt in reversed(tree.body):  # bottom-up: earlier positions stay valid
        if isinstance(stmt, ast.ClassDef) and enum_kinds.get(stmt.name) in _OPEN_ENUM and stmt.bases:
            first, last = stmt.bases[0], stmt.bases[-1]
            if first.lineno != last.end_lineno:
                raise ValueError(f"enum {stmt.name}: bases over several lines")
            base = _OPEN_ENUM[enum_kinds[stmt.name]]
            open_bases.add(base)
            row = lines[first.lineno - 1]
            lines[first.lineno - 1] = row[:first.col_offset] + base + row[last.end_col_offset or 0:]
    tree = ast.parse("\n".join(lines))
    head = 0
    while head < len(tree.body) and isinstance(tree.body[head], (ast.Import, ast.ImportFrom)):
        head += 1
    used = {n.id for stmt in tree.body[head:] for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    used |= {n.value.id for stmt in tree.body[head:] for n in ast.walk(stmt)
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    future: list[str] = []
    absolute: dict[str, set[str]] = {}
    plain: set[str] = set()
    runtime: dict[str, set[str]] = {"_models": set(open_bases)} if open_bases else {}
    for stmt in tree.body[:head]:
        if isinstance(stmt, ast.Import):
            plain.update(ast.unparse(a) for a in stmt.names if (a.asname or a.name).split(".")[0] in used)
            continue
        assert isinstance(stmt, ast.ImportFrom)
        names = {ast.unparse(a) for a in stmt.names if (a.asname or a.name) in used}
        module = stmt.module or ""
        if module == "__future__":
            future.append(ast.unparse(stmt))
        elif module.startswith(_PLACEHOLDER + "."):
            runtime.setdefault(module[len(_PLACEHOLDER) + 1:], set()).update(names)
        elif names:
            absolute.setdefault(("." * stmt.level) + module, set()).update(names)
    block = future + [""] if future else []
    block += [f"import {n}" for n in sorted(plain)]
    block += [f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(absolute.items())]
    block += [""] + [f"from .{m} import {', '.join(sorted(n))}" for m, n in sorted(runtime.items()) if n]
    rest = lines[(tree.body[head - 1].end_lineno or 0) if head else 0:] if tree.body else []
    while rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join(block + ["", ""] + rest)


def _reescape(code: str, tree: ast.Module) -> str:
    """Every string literal DCG wrote, written again by our escaping helpers.

    DCG escapes quotes, backslashes and line feeds, but leaves U+2028, bidi controls
    and other invisible characters raw inside literals and docstrings.  Each string
    token is evaluated (its value is what DCG meant) and replaced: docstrings by
    :func:`~generator.escape.docstring`, every other literal by
    :func:`~generator.escape.pystr`, so the values stay exact and the file printable.
    """
    docs = {(n.value.lineno, n.value.col_offset) for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
    lines = code.split("\n")
    edits = []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type != tokenize.STRING:
            continue
        value = ast.literal_eval(tok.string)
        if not isinstance(value, str):
            raise ValueError(f"a non-text literal at line {tok.start[0]}")
        if tok.start in docs:
            indent = " " * tok.start[1]
            text = '"""' + docstring(inspect.cleandoc(value), indent) + '"""'
        else:
            text = pystr(value)
        edits.append((tok.start, tok.end, text))
    for (line, col), (end_line, end_col), text in reversed(edits):
        lines[line - 1:end_line] = (lines[line - 1][:col] + text + lines[end_line - 1][end_col:]).split("\n")
    return "\n".join(lines)


def _definitions(tree: ast.Module) -> dict[str, ast.stmt]:
    out: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            out[stmt.name] = stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            out[stmt.target.id] = stmt
    return out


def _check(inp: ModelsInput, tree: ast.Module) -> None:
    """Every definition exists under our name, every field and enum member under our name."""
    defined = _definitions(tree)
    for d in inp.api.schemas:
        node = defined.get(d.name)
        if node is None:
            raise _error(inp, f"datamodel-code-generator did not define {d.name!r} for this schema "
                              "(it renamed or dropped it); the client would not import", d.pointer or d.id)
        if isinstance(d, ir.ModelDef):
            if not isinstance(node, ast.ClassDef):
                raise _error(inp, f"datamodel-code-generator wrote {d.name!r} as an alias, not a model class",
                             d.pointer or d.id)
            fields = {s.target.id for s in node.body
                      if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
            missing = [f.py_name for f in d.fields if f.py_name not in fields]
            if missing:
                raise _error(inp, f"datamodel-code-generator named field(s) of {d.name!r} differently: "
                                  f"{', '.join(missing)} missing", d.pointer or d.id)
        elif isinstance(d, ir.EnumDef):
            members = {t.id for s in getattr(node, "body", ()) if isinstance(s, ast.Assign)
                       for t in s.targets if isinstance(t, ast.Name)}
            missing = [m.py_name for m in d.members if m.py_name not in members]
            if missing:
                raise _error(inp, f"datamodel-code-generator named member(s) of enum {d.name!r} differently: "
                                  f"{', '.join(missing)} missing", d.pointer or d.id)


def render_models(inp: ModelsInput) -> dict[str, str]:
    source = dcg_input(inp.api)
    try:
        code = run_dcg(source)
    except Exception as exc:  # noqa: BLE001 - DCG's own errors: reported, located at the schemas
        raise _error(inp, f"datamodel-code-generator failed on this spec's schemas: "
                          f"{type(exc).__name__}: {exc}", "#/components/schemas") from exc
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise _error(inp, f"datamodel-code-generator wrote invalid Python (line {exc.lineno}): "
                          "refusing this spec", "#/components/schemas") from exc
    why = _bad_node(tree)
    if why is not None:
        raise _error(inp, f"datamodel-code-generator wrote unexpected code ({why}), possibly from a spec "
                          "string: refusing this spec", "#/components/schemas")
    enum_kinds = {d.name: d.value_kind for d in inp.api.schemas if isinstance(d, ir.EnumDef)}
    try:
        code = _rewrite(code, tree, enum_kinds)
        code = _reescape(code, ast.parse(code))
        tree = ast.parse(code)
    except (ValueError, SyntaxError) as exc:
        raise _error(inp, f"datamodel-code-generator wrote code oagen cannot adapt ({exc}): "
                          "refusing this spec", "#/components/schemas") from exc
    _check(inp, tree)
    text = inp.env.get_template("styles/datamodel-code-generator/models.py.jinja").render(
        **inp.common, code=code.strip("\n"), dcg_version=dcg_version(),
    )
    return {"models.py": text}


STYLE = ModelStyle(
    name="datamodel-code-generator",
    summary="pydantic v2 models written by datamodel-code-generator from the same spec",
    requirements=("httpx>=0.27", "pydantic>=2.7", "typing-extensions>=4.6"),
    runtime_dir="styles/datamodel-code-generator/runtime",
    discriminated_unions=True,
    render_models=render_models,
)
