"""The msgspec style: models as ``msgspec.Struct`` classes, for the fastest decoding.

Templates: ``templates/styles/msgspec/models.py.jinja``; runtime:
``templates/styles/msgspec/runtime/_models.py`` (the same contract as pydantic's).

Decisions made here, from the IR:

* **Tags.**  A model becomes a msgspec tagged Struct (``tag_field``/``tag``) when it is
  a variant of a discriminated union whose tag is a required single-valued field of
  the model equal to its mapping value, and every such union agrees on the tag.  The
  tag field is then no Struct field (msgspec writes and checks it) but a read-only
  property of the same name.
* **Natively decodable types.**  msgspec refuses some unions (two untagged objects,
  an object and a map, two string-like types such as ``str | datetime``, two int-like
  types, two arrays) as well as float enums and float literals (and, before msgspec
  0.22, bool literals).  Such a type is
  annotated ``Dispatched[T, how]`` (see the runtime): type checkers see ``T``,
  msgspec sees ``Any``, and the model's ``__post_init__`` converts the value
  (``ByTag(...)`` for a discriminated union, ``FirstMatch()`` otherwise).
* **Optional fields** default to ``msgspec.UNSET`` (annotated ``... | None |
  UnsetType``): absent is ``UNSET``, ``null`` is ``None``, and encoding leaves unset
  fields out.  Wire names that differ from the attribute use ``field(name=...)``;
  msgspec refuses names with a double quote, a backslash or a control character, so
  such properties are left out of the Struct (a comment in the class names them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .. import ir
from . import ModelsInput, ModelStyle

_STRLIKE = {"bytes", "datetime", "date", "time", "uuid"}


@dataclass(frozen=True)
class StructField:
    name: str
    annotation: str
    default: str | None  # a Python expression; None when required
    wire: str | None  # pystr of the wire name when it differs from ``name``
    doc: str


@dataclass(frozen=True)
class StructView:
    name: str
    doc: str
    base: str  # "Struct" | "DispatchingStruct"
    options: tuple[tuple[str, str], ...]  # class keyword arguments (tag_field, tag)
    fields: tuple[StructField, ...]
    tag_property: tuple[str, str, str] | None  # (attribute, annotation, value expression)
    omitted: tuple[str, ...] = ()  # wire names msgspec cannot map (raw spec text)


def _walk_types(api: ir.Api) -> Iterator[ir.TypeRef]:
    """Every type reference of the API (schemas and operations), nested ones included."""
    stack: list[ir.TypeRef] = []
    for d in api.schemas:
        if isinstance(d, ir.ModelDef):
            stack.extend(f.type for f in d.fields)
            if d.additional is not None:
                stack.append(d.additional)
        elif isinstance(d, ir.AliasDef):
            stack.append(d.type)
    for op in api.operations:
        stack.extend(p.type for p in op.params)
        if op.body is not None:
            stack.append(op.body.type)
            stack.extend(f.type for f in op.body.fields)
        for t in (op.result, op.stream_result, op.pagination.item if op.pagination else None):
            if t is not None:
                stack.append(t)
    yield from ir.walk(*stack, seen=set())


def _tag_field(model: ir.ModelDef, prop: str) -> ir.Field | None:
    return next((f for f in model.fields if f.wire_name == prop), None)


def choose_tags(api: ir.Api) -> dict[str, tuple[str, str]]:
    """Model id -> (tag property, tag value) of the models that become tagged Structs."""
    by_id = {d.id: d for d in api.schemas}
    proposals: dict[str, set[tuple[str, str]]] = {}
    for t in _walk_types(api):
        if not isinstance(t, ir.UnionType) or t.discriminator is None:
            continue
        d = t.discriminator
        refs = [ref for _, ref in d.mapping]
        variants = {v for v in t.variants if v != ir.NONE}
        if len(set(refs)) != len(refs) or variants != set(refs):
            continue
        ok = True
        for value, ref in d.mapping:
            model = by_id.get(ref.id)
            f = _tag_field(model, d.property) if isinstance(model, ir.ModelDef) else None
            if not (f is not None and f.required and isinstance(f.type, ir.LiteralType)
                    and f.type.values == (value,) and isinstance(value, str)):
                ok = False
                break
        if ok:
            for value, ref in d.mapping:
                proposals.setdefault(ref.id, set()).add((d.property, value))
    return {mid: next(iter(p)) for mid, p in sorted(proposals.items()) if len(p) == 1}


class _Kinds:
    """How msgspec classifies the members of a union (to know whether it can decode it)."""

    def __init__(self, api: ir.Api, tags: dict[str, tuple[str, str]]) -> None:
        self.by_id = {d.id: d for d in api.schemas}
        self.tags = tags
        self._alias: dict[str, list[str]] = {}

    def of(self, t: ir.TypeRef, visiting: frozenset[str] = frozenset()) -> list[str]:
        if isinstance(t, ir.Primitive):
            if t.kind == "none":
                return []
            return [f"strlike:{t.kind}" if t.kind in _STRLIKE else t.kind]
        if isinstance(t, ir.LiteralType):
            out = []
            for v in t.values:
                if v is None:
                    continue
                # bool literals need msgspec 0.22; float literals are not supported at all
                out.append("str" if isinstance(v, str) else "int" if isinstance(v, int)
                           and not isinstance(v, bool) else "bad")
            return out
        if isinstance(t, ir.ArrayType):
            return ["array"]
        if isinstance(t, ir.MapType):
            return ["dict"]
        if isinstance(t, ir.NamedRef):
            d = self.by_id[t.id]
            if isinstance(d, ir.ModelDef):
                return [f"struct:{self.tags[d.id][0]}" if d.id in self.tags else "struct:"]
            if isinstance(d, ir.EnumDef):
                return [{"str": f"strlike:enum:{d.id}", "int": f"intlike:enum:{d.id}"}.get(d.value_kind, "bad")]
            if d.id in visiting:
                return ["bad"]
            if d.id not in self._alias:
                self._alias[d.id] = self.of(d.type, visiting | {d.id})
            return self._alias[d.id]
        if isinstance(t, ir.UnionType):
            out = []
            for v in dict.fromkeys(t.variants):
                out.extend(self.of(v, visiting))
            return out if native(out) else ["bad"]
        return ["bad"]


def native(kinds: list[str]) -> bool:
    """Whether msgspec decodes a union of members of these kinds itself."""
    if "bad" in kinds:
        return False
    if "any" in kinds:
        return True
    strs = {k for k in kinds if k == "str" or k.startswith("strlike:")}
    ints = {k for k in kinds if k == "int" or k.startswith("intlike:")}
    if len(strs) > 1 or len(ints) > 1 or kinds.count("array") > 1:
        return False
    objects = [k for k in kinds if k == "dict" or k.startswith("struct:")]
    if len(objects) > 1:
        fields = {k for k in objects}
        if "dict" in objects or "struct:" in fields or len(fields) != 1:
            return False
    return True


def _types_class():  # the renderer's Types, imported late (render imports this package)
    from ..render import Types, _split_top_union

    class MsgspecTypes(Types):
        """Annotations for msgspec: ``Dispatched[...]`` around what msgspec cannot decode."""

        def __init__(self, api: ir.Api, tags: dict[str, tuple[str, str]]) -> None:
            super().__init__(api, discriminated=False)
            self.kinds = _Kinds(api, tags)

        def _ann(self, t: ir.TypeRef) -> str:
            from ..escape import pystr

            if isinstance(t, ir.LiteralType) and "bad" in self.kinds.of(t):
                return self._dispatched(super()._ann(t), "FirstMatch()")
            if isinstance(t, ir.NamedRef):
                d = self.by_id[t.id]
                if isinstance(d, ir.EnumDef) and d.value_kind not in ("str", "int"):
                    return self._dispatched(super()._ann(t), "FirstMatch()")
            if isinstance(t, ir.UnionType):
                text = super()._ann(t)
                if text == "Any" or self.kinds.of(t) != ["bad"]:
                    return text
                how = "FirstMatch()"
                disc = t.discriminator
                if disc is not None and all(isinstance(self.by_id[r.id], ir.ModelDef) for _, r in disc.mapping):
                    pairs = ", ".join(f"{pystr(v)}: {self.name(r)}" for v, r in disc.mapping)
                    how = f"ByTag({pystr(disc.property)}, {{{pairs}}})"
                return self._dispatched(text, how)
            return super()._ann(t)

        def _dispatched(self, text: str, how: str) -> str:
            pieces = _split_top_union(text)
            rest = [p for p in pieces if p != "None"]
            inner = " | ".join(rest)
            out = f"Dispatched[{inner}, {how}]"
            return out + " | None" if len(rest) != len(pieces) else out

    return MsgspecTypes


def mappable(wire_name: str) -> bool:
    """Whether msgspec accepts ``wire_name`` as a renamed field (no quote, backslash or control)."""
    return not any(c in '"\\' or ord(c) < 0x20 for c in wire_name)


def _field(f: ir.Field, types: object, model_tag: tuple[str, str] | None) -> StructField | None:
    from ..escape import pystr, pyvalue
    from ..render import _doc

    ann = types.ann  # type: ignore[attr-defined]
    if model_tag is not None and f.wire_name == model_tag[0]:
        return None
    if f.required:
        annotation = ann(f.type)
        default = None
        if isinstance(f.type, ir.LiteralType) and len(f.type.values) == 1 and f.type.values[0] is not None:
            default = pyvalue(f.type.values[0])
    else:
        annotation = ann(f.type, optional=True)
        if annotation != "Any":
            annotation += " | UnsetType"
        default = "UNSET"
    doc_parts = [f.description]
    if f.has_default:
        doc_parts.append(f"Default: {pyvalue(f.default)}" if not isinstance(f.default, (dict, list)) else "")
    if f.deprecated:
        doc_parts.append("Deprecated.")
    wire = pystr(f.wire_name) if f.wire_name != f.py_name else None
    return StructField(f.py_name, annotation, default, wire, _doc(*doc_parts))


def render_models(inp: ModelsInput) -> dict[str, str]:
    from ..escape import pystr
    from ..render import _doc, _typing_names, model_views

    api = inp.api
    tags = choose_tags(api)
    types = _types_class()(api, tags)
    enums, _, aliases = model_views(api, types)
    dispatched_aliases: set[str] = set()
    for a in aliases:  # in dependency order
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", a.annotation))
        if "Dispatched" in names or names & dispatched_aliases:
            dispatched_aliases.add(a.name)
    structs: list[StructView] = []
    for d in api.schemas:
        if not isinstance(d, ir.ModelDef):
            continue
        tag = tags.get(d.id)
        fields = tuple(sf for f in d.fields
                       if mappable(f.wire_name) and (sf := _field(f, types, tag)) is not None)
        omitted = tuple(f.wire_name for f in d.fields if not mappable(f.wire_name))
        options: tuple[tuple[str, str], ...] = ()
        prop = None
        if tag is not None:
            options = (("tag_field", pystr(tag[0])), ("tag", pystr(tag[1])))
            tag_f = _tag_field(d, tag[0])
            assert tag_f is not None
            prop = (tag_f.py_name, types.ann(tag_f.type), pystr(tag[1]))
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", " ".join(f.annotation for f in fields)))
        dispatching = "Dispatched" in names or bool(names & dispatched_aliases)
        structs.append(StructView(
            d.name, _doc(d.description, "Deprecated." if d.deprecated else ""),
            "DispatchingStruct" if dispatching else "Struct", options, fields, prop, omitted,
        ))
    text_of_types = " ".join(
        [f.annotation for s in structs for f in s.fields]
        + [s.tag_property[1] for s in structs if s.tag_property]
        + [a.annotation for a in aliases]
    )
    all_text = text_of_types + " " + " ".join(f.default or "" for s in structs for f in s.fields)
    runtime_names = sorted(
        {s.base for s in structs}
        | {e.base for e in enums}
        | ({"Dispatched"} if "Dispatched[" in text_of_types else set())
        | ({"FirstMatch"} if "FirstMatch()" in text_of_types else set())
        | ({"ByTag"} if "ByTag(" in text_of_types else set())
    ) or ["Struct"]
    msgspec_names = sorted(
        ({"UNSET"} if re.search(r"\bUNSET\b", all_text) else set())
        | ({"UnsetType"} if "UnsetType" in all_text else set())
    )
    text = inp.env.get_template("styles/msgspec/models.py.jinja").render(
        **inp.common,
        enums=enums,
        structs=structs,
        aliases=aliases,
        typing_names=sorted(_typing_names(text_of_types)),
        flags={
            "datetime": "datetime." in text_of_types,
            "uuid": "uuid." in text_of_types,
            "field": any(f.wire for s in structs for f in s.fields),
        },
        msgspec_names=msgspec_names,
        runtime_names=runtime_names,
        all_names=sorted([e.name for e in enums] + [s.name for s in structs] + [a.name for a in aliases]),
    )
    return {"models.py": text}


STYLE = ModelStyle(
    name="msgspec",
    summary="msgspec Structs, for the fastest decoding",
    requirements=("httpx>=0.27", "msgspec>=0.19"),
    runtime_dir="styles/msgspec/runtime",
    discriminated_unions=False,
    render_models=render_models,
)
