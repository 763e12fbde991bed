"""The dataclasses model style: standard-library dataclasses and generated decoders.

``models.py`` holds one ``@dataclass(kw_only=True, eq=False, repr=False)`` per model, the
open enums and the type aliases, as the pydantic style does, plus one generated
``_decode_<Model>`` function per model: straight-line code that reads each field by its
wire name and checks or converts it (``v if v.__class__ is str else as_str(v)``).  The
runtime (``templates/styles/dataclasses/runtime/_models.py``) registers those functions,
decodes any other type expression, serialises, and reports errors and decodes leniently
by walking the dataclasses' annotations.  A generated package needs only httpx.

Every decision is made here; the template (``styles/dataclasses/models.py.jinja``) lays
the views out.  Spec strings reach the code only through ``pystr``/``pyvalue``/
``comment``/``docstring``; identifiers come from the IR's resolved names.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .. import ir
from ..escape import comment, pystr, pyvalue
from ..render import Types, _doc, _field_view, _typing_names, model_views
from . import ModelsInput, ModelStyle

# Runtime helpers the generated decoders may call (imported from ._models when used).
_PRIMITIVE_FAST = {"str": "as_str", "int": "as_int", "float": "as_float", "bool": "as_bool"}
_PRIMITIVE_CALL = {
    "none": "as_none", "any": "present", "bytes": "as_bytes", "datetime": "as_datetime",
    "date": "as_date", "time": "as_time", "uuid": "as_uuid",
}  # fmt: skip


class DataclassTypes(Types):
    """Annotations as the pydantic style writes them, except discriminated unions:
    ``Annotated[A | B, Discriminator("type", {"a": A, "b": B})]`` (the runtime's own
    ``Discriminator``), which the generic decoder dispatches on."""

    def _ann(self, t: ir.TypeRef) -> str:
        if isinstance(t, ir.UnionType) and t.discriminator is not None:
            nullable = ir.NONE in t.variants
            names: list[str] = []
            for _, ref in t.discriminator.mapping:
                name = self.name(ref)
                if name not in names:
                    names.append(name)
            mapping = ", ".join(f"{pystr(value)}: {self.name(ref)}" for value, ref in t.discriminator.mapping)
            self.typing.add("Annotated")
            text = (
                f"Annotated[{' | '.join(names)}, "
                f"Discriminator({pystr(t.discriminator.property)}, {{{mapping}}})]"
            )
            return f"{text} | None" if nullable else text
        return super()._ann(t)


# --------------------------------------------------------------------- views


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str | None  # Python expression; None when required
    doc: str


@dataclass(frozen=True)
class ModelView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    wire_names: tuple[tuple[str, str], ...]  # (attribute, pystr of the wire name) where they differ
    extra_annotation: str | None  # ClassVar[...] of typed additional properties
    decoder: tuple[str, ...]  # body lines of _decode_<name>, indented one level


@dataclass(frozen=True)
class FunctionView:
    """A generated helper: the decoder of an alias or of a union type."""

    name: str
    about: str  # a comment line (escaped)
    body: tuple[str, ...]
    table: str | None  # "name = {...}" of a discriminated union's tag table, after the function


# ------------------------------------------------------------------ code generation


class _Codegen:
    """Decoding expressions for IR types.  ``expr(t, var)`` is an expression that turns the
    raw value in the variable ``var`` into a value of ``t``, or raises ``Invalid``."""

    def __init__(self, api: ir.Api, types: Types) -> None:
        self.by_id = {d.id: d for d in api.schemas}
        self.types = types
        self.helpers: set[str] = set()
        self.functions: dict[str, FunctionView] = {}  # by name, in creation order
        self._union_names: dict[ir.UnionType, str] = {}
        self._aliases_wanted: list[str] = []  # alias ids whose decoder is used
        self._alias_names: dict[str, str] = {}
        # every model's and alias's decoder name, taken before any union function is named
        self._taken = {f"_decode_{d.name}" for d in api.schemas}

    # -- what accepts None
    def handles_none(self, t: ir.TypeRef, depth: int = 0) -> bool:
        if depth > 64:
            return False
        if isinstance(t, ir.Primitive):
            return t.kind in ("none", "any")
        if isinstance(t, ir.LiteralType):
            return None in t.values
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            if isinstance(d, ir.EnumDef):
                return d.nullable
            if isinstance(d, ir.AliasDef):
                return self.handles_none(d.type, depth + 1)
            return False
        if isinstance(t, ir.UnionType):
            return any(v == ir.NONE or self.handles_none(v, depth + 1) for v in t.variants)
        return False

    def use(self, helper: str) -> str:
        self.helpers.add(helper)
        return helper

    def expr(self, t: ir.TypeRef, var: str, owner: str, depth: int = 0) -> str:
        """The decoding expression (a conditional expression is parenthesised when nested)."""
        if isinstance(t, ir.Primitive):
            if t.kind in _PRIMITIVE_FAST:
                return f"{var} if {var}.__class__ is {t.kind} else {self.use(_PRIMITIVE_FAST[t.kind])}({var})"
            return f"{self.use(_PRIMITIVE_CALL[t.kind])}({var})"
        if isinstance(t, ir.LiteralType):
            values = [v for v in t.values if v is not None]
            call = f"{self.use('literal')}({var}, ({''.join(pyvalue(v) + ', ' for v in values)}))"
            return f"None if {var} is None else {call}" if None in t.values else call
        if isinstance(t, ir.ArrayType):
            if t.item == ir.ANY:
                return f"list({self.use('as_list')}({var}))"
            x = f"x{depth}"
            return f"[{self.expr(t.item, x, owner + '_item', depth + 1)} for {x} in {self.use('as_list')}({var})]"
        if isinstance(t, ir.MapType):
            if t.value == ir.ANY:
                return f"dict({self.use('as_dict')}({var}))"
            k, x = f"k{depth}", f"x{depth}"
            inner = self.expr(t.value, x, owner + "_value", depth + 1)
            return f"{{{k}: {inner} for {k}, {x} in {self.use('as_dict')}({var}).items()}}"
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            if isinstance(d, ir.EnumDef):
                call = f"{self.use('enum_value')}({d.name}, {var})"
                return f"None if {var} is None else {call}" if d.nullable else call
            if isinstance(d, ir.ModelDef):
                return f"_decode_{d.name}({var})"
            return f"{self.alias_function(d)}({var})"
        if isinstance(t, ir.UnionType):
            variants = [v for v in t.variants if v != ir.NONE]
            if t.discriminator is None and len(variants) == 1:
                inner = self.expr(variants[0], var, owner, depth)
                if len(variants) != len(t.variants) and not self.handles_none(variants[0]):
                    return f"None if {var} is None else {_paren(inner)}"
                return inner
            return f"{self.union_function(t, owner)}({var})"
        raise TypeError(t)

    def value_expr(self, t: ir.TypeRef, var: str, owner: str, *, nullable: bool) -> str:
        """``expr`` that also takes ``None`` when ``nullable`` (optional or nullable fields)."""
        inner = self.expr(t, var, owner)
        if nullable and not self.handles_none(t):
            return f"None if {var} is None else {_paren(inner)}"
        return inner

    def alias_function(self, d: ir.AliasDef) -> str:
        name = f"_decode_{d.name}"
        if d.id not in self._alias_names:
            self._alias_names[d.id] = name
            self._aliases_wanted.append(d.id)
        return name

    def finish_aliases(self) -> list[FunctionView]:
        """The decoders of the aliases used so far (and of those they use), in spec order."""
        done: dict[str, FunctionView] = {}
        while len(done) < len(self._aliases_wanted):
            for alias_id in list(self._aliases_wanted):
                if alias_id in done:
                    continue
                d = self.by_id[alias_id]
                assert isinstance(d, ir.AliasDef)
                body = (f"return {self.expr(d.type, 'v', d.name)}",)
                done[alias_id] = FunctionView(self._alias_names[alias_id], f"{d.name}", body, None)
        order = [d.id for d in self.by_id.values() if d.id in done]
        return [done[i] for i in order]

    def _unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.functions or name in self._taken:
            name, n = f"{base}_{n}", n + 1
        return name

    def _is_model(self, t: ir.TypeRef) -> bool:
        return isinstance(t, ir.NamedRef) and isinstance(self.by_id[t.id], ir.ModelDef)

    def union_function(self, t: ir.UnionType, owner: str) -> str:
        if t in self._union_names:
            return self._union_names[t]
        name = self._unique(f"_decode_{owner}")
        self._union_names[t] = name
        variants = [v for v in t.variants if v != ir.NONE]
        about = comment(" | ".join(self.types.ann(v) for v in variants))
        lines: list[str] = []
        if self.handles_none(t):
            lines += ["if v is None:", "    return None"]
        table: str | None = None
        if t.discriminator is not None:
            disc = t.discriminator
            table_name = name.replace("_decode_", "_", 1) + "_tags"
            entries = []
            for value, ref in disc.mapping:
                target = self.by_id[ref.id]
                if isinstance(target, ir.ModelDef):
                    fn = f"_decode_{target.name}"
                elif isinstance(target, ir.AliasDef):
                    fn = self.alias_function(target)
                else:  # an enum cannot be a variant; the parser never maps one
                    continue
                entries.append(f"{pystr(value)}: {fn}")
            table = f"{table_name} = {{{', '.join(entries)}}}"
            lines.append(f"return {self.use('by_tag')}(v, {pystr(disc.property)}, {table_name})")
            about = comment(
                " | ".join(dict.fromkeys(self.types.name(ref) for _, ref in disc.mapping))
                + f", by the tag {pystr(disc.property)}"
            )
        else:
            # In order, the first variant that decodes wins; model variants compete at the
            # place of the first one: the one that sets the most declared fields wins
            # (the first of equals), as pydantic's smart unions choose.
            variants = [v for v in t.variants if v != ir.NONE]
            models = [v for v in variants if self._is_model(v)]
            attempts: list[str] = []
            for i, variant in enumerate(variants):
                if len(models) > 1 and variant in models:
                    if variant == models[0]:
                        decoders = ", ".join(f"_decode_{self.types.name(m)}" for m in models)  # type: ignore[arg-type]
                        attempts.append(f"{self.use('best_model')}(v, ({decoders}))")
                else:
                    attempts.append(self.expr(variant, "v", f"{owner}_{i}"))
            if len(attempts) == 1:
                lines.append(f"return {attempts[0]}")
            else:
                self.use("Invalid")
                for attempt in attempts:
                    lines += ["try:", f"    return {attempt}", "except Invalid:", "    pass"]
                lines.append("raise Invalid")
        self.functions[name] = FunctionView(name, about, tuple(lines), table)
        return name

    # -- a model's decoder
    def model_decoder(self, m: ir.ModelDef) -> tuple[str, ...]:
        for helper in ("missing", "instance_of", "new_model", "decoder"):
            self.use(helper)
        lines = [
            "if data.__class__ is not dict:",
            f"    return instance_of({m.name}, data)",
        ]
        if m.fields:
            lines.append("get = data.get")
        lines.append("values: dict[str, Any] = {}")
        tags: list[tuple[str, str]] = []
        for f in m.fields:
            owner = f"{m.name}_{f.py_name}"
            key = pystr(f.py_name)
            lines.append(f"v = get({pystr(f.wire_name)}, missing)")
            tag = (
                f.required and isinstance(f.type, ir.LiteralType)
                and len(f.type.values) == 1 and f.type.values[0] is not None
            )  # fmt: skip
            if tag:
                assert isinstance(f.type, ir.LiteralType)
                tags.append((key, pyvalue(f.type.values[0])))
                lines += ["if v is not missing:", f"    values[{key}] = {self.expr(f.type, 'v', owner)}"]
            elif not f.required:
                value = self.value_expr(f.type, "v", owner, nullable=True)
                lines += ["if v is not missing:", f"    values[{key}] = {value}"]
            else:
                value = self.value_expr(f.type, "v", owner, nullable=self.types.nullable(f.type))
                lines.append(f"values[{key}] = {value}")
        lines.append("if len(values) != len(data):")
        extra = f"{self.use('extra_fields')}({m.name}, data)"
        if m.additional is not None and m.additional != ir.ANY:
            x = self.expr(m.additional, "x", f"{m.name}_extra")
            lines.append(f'    values["_extra"] = {{k: {x} for k, x in {extra}.items()}}')
        else:
            lines.append(f'    values["_extra"] = {extra}')
        for key, value in tags:
            lines += [f"if {key} not in values:", f"    values[{key}] = {value}"]
        lines.append(f"return new_model({m.name}, values)")
        return tuple(lines)


def _paren(expr: str) -> str:
    """``expr`` in parentheses when it is a conditional expression."""
    return f"({expr})" if isinstance(ast.parse(expr, mode="eval").body, ast.IfExp) else expr


def _model_view(m: ir.ModelDef, types: Types, gen: _Codegen) -> ModelView:
    fields = []
    for f in m.fields:
        view, _always = _field_view(f, types)
        fields.append(FieldView(view.name, view.annotation, view.default, view.doc))
    extra = f"ClassVar[Dict[str, {types.ann(m.additional)}]]" if m.additional is not None else None
    return ModelView(
        name=m.name,
        doc=_doc(m.description, "Deprecated." if m.deprecated else ""),
        fields=tuple(fields),
        wire_names=tuple((f.py_name, pystr(f.wire_name)) for f in m.fields if f.wire_name != f.py_name),
        extra_annotation=extra,
        decoder=gen.model_decoder(m),
    )


def render_models(inp: ModelsInput) -> dict[str, str]:
    types = DataclassTypes(inp.api, discriminated=False)
    enums, _models, aliases = model_views(inp.api, types)  # enums and aliases as the pydantic style
    gen = _Codegen(inp.api, types)
    models = [_model_view(d, types, gen) for d in inp.api.schemas if isinstance(d, ir.ModelDef)]
    alias_functions = gen.finish_aliases()
    unions = list(gen.functions.values())
    model_text = " ".join(
        [f.annotation for m in models for f in m.fields]
        + [m.extra_annotation or "" for m in models]
        + [a.annotation for a in aliases]
    )
    typing_names = _typing_names(model_text) | {"Any"}
    if any(m.extra_annotation for m in models):
        typing_names |= {"ClassVar", "Dict"}
    runtime = {"BaseModel"} | {e.base for e in enums} | gen.helpers
    if "Discriminator(" in model_text:
        runtime.add("Discriminator")
    text = inp.env.get_template("styles/dataclasses/models.py.jinja").render(
        **inp.common,
        enums=enums,
        models=models,
        aliases=aliases,
        alias_functions=alias_functions,
        unions=unions,
        typing_names=sorted(typing_names),
        uses_datetime=bool(re.search(r"\bdatetime\.", model_text)),
        uses_uuid=bool(re.search(r"\buuid\.", model_text)),
        runtime_names=sorted(runtime, key=lambda n: (not n[0].isupper(), n)),
        all_names=sorted([e.name for e in enums] + [m.name for m in models] + [a.name for a in aliases]),
    )
    return {"models.py": text}


STYLE = ModelStyle(
    name="dataclasses",
    summary="standard-library dataclasses with generated decoders (no model library)",
    requirements=("httpx>=0.27",),
    runtime_dir="styles/dataclasses/runtime",
    discriminated_unions=False,
    render_models=render_models,
)
