"""Parse an OpenAPI 3.0 / 3.1 document into the IR (:mod:`generator.ir`).

This is the only module that knows OpenAPI: version differences (``nullable``
versus type arrays, ``const``, ``exclusiveMinimum`` forms) end here.  It renders
nothing and touches no files; what it cannot interpret it reports as a
:class:`~generator.diagnostics.Diagnostic` and goes on.

Naming of inline schemas: an inline object or enum is named after its parent
(``TrainingMethodSFT`` + ``train_on_inputs`` -> ``TrainingMethodSFTTrainOnInputs``),
array items add ``Item``, map values ``Value``, union variants their ``title``, their
discriminator value, or their index (``Option1``).  Names are candidates; the
collision pass in :mod:`generator.names` makes them unique.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from . import ir
from .diagnostics import Diagnostic, Level, Location, pointer_escape
from .names import (
    RESERVED_FIELD_NAMES,
    RESERVED_PARAM_NAMES,
    RESERVED_RESOURCE_NAMES,
    attr_name,
    class_name,
    pascal,
    singular,
    snake,
    words,
)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Verbs that read as method names on their own when they end a path.
PATH_VERBS = frozenset(
    {
        "cancel", "pause", "resume", "start", "stop", "restart", "download", "upload",
        "search", "export", "import", "validate", "run", "submit", "complete", "approve",
        "reject", "archive", "unarchive", "activate", "deactivate", "enable", "disable",
        "retry", "estimate", "verify", "refresh", "reset", "revoke", "rotate", "test",
    }
)


# First words of an operationId that make it a method name ("cancelFineTuningJob");
# an operationId starting with anything else ("chat-completions") is named from its path.
API_VERBS = frozenset(
    {
        "create", "list", "get", "retrieve", "update", "delete", "remove", "cancel", "pause", "resume",
        "start", "stop", "restart", "download", "upload", "search", "export", "import", "validate",
        "run", "submit", "complete", "approve", "reject", "archive", "unarchive", "activate",
        "deactivate", "enable", "disable", "retry", "estimate", "verify", "refresh", "reset",
        "revoke", "rotate", "test", "add", "set", "put", "patch", "post", "modify", "replace",
        "upsert", "send", "check", "compute", "generate", "query", "fetch", "assign", "unassign",
        "invite", "accept", "decline", "close", "open", "execute", "count", "copy", "move", "rename",
        "publish", "unpublish", "deploy", "undeploy", "scale", "attach", "detach", "link", "unlink",
        "register", "unregister", "subscribe", "unsubscribe", "transcribe", "translate", "embed",
        "classify", "moderate", "rerank", "tokenize", "detokenize", "evaluate", "score", "grade",
        "finalize", "compact", "stream", "batch", "bulk", "edit", "save", "load", "read", "write",
    }
)

# Words that add nothing to a method name: listPaginatedFineTuningJobs -> list.
FILLER_WORDS = frozenset({"paginated", "all"})


# Bounds of schema nesting (see Parser.schema_type).
MAX_INLINE_NESTING = 32
_DEFER_COMPONENTS_AT = 64
_MAX_DEPTH = _DEFER_COMPONENTS_AT + MAX_INLINE_NESTING + 4


@dataclass(frozen=True)
class ParseOptions:
    """What the configuration can change about parsing."""

    # operationId or "METHOD /path" -> method name / resource name overrides
    method_names: tuple[tuple[str, str], ...] = ()
    resource_names: tuple[tuple[str, str], ...] = ()
    client_words: tuple[str, ...] = ()  # words of the client name, stripped from auth kwarg names
    env_prefix: str = "API"  # credentials fall back to ENV_PREFIX + "_" + KWARG


def _ptr(*tokens: object) -> str:
    return "#" + "".join("/" + pointer_escape(str(t)) for t in tokens)


def _child(pointer: str, *tokens: object) -> str:
    return pointer + "".join("/" + pointer_escape(str(t)) for t in tokens)


def _decode_pointer(ref: str) -> list[str]:
    """Tokens of one of the parser's own pointers (``_ptr``: JSON pointer, no percent-encoding)."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    body = ref[1:]
    if body in ("", "/"):
        return [] if body == "" else [""]
    return [t.replace("~1", "/").replace("~0", "~") for t in body.split("/")[1:]]


def _decode_ref(ref: str) -> list[str]:
    """Tokens of a ``$ref`` (a URI fragment: percent-decoded first, then a JSON pointer).

    Raises ``KeyError`` for what is not a local pointer (``"#anchor"``, another file).
    """
    if not ref.startswith("#"):
        raise KeyError(ref)
    body = unquote(ref[1:])
    if body and not body.startswith("/"):
        raise KeyError(ref)
    return [t.replace("~1", "/").replace("~0", "~") for t in body.split("/")[1:]]


def _canonical_ref(ref: str) -> str:
    """A local ``$ref`` as the parser's own pointer: ``#/a/b%20c`` and ``#/a/b c`` are one id."""
    return _ptr(*_decode_ref(ref))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (a spec may hold anything anywhere)."""
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


class _PropPointers(dict):  # type: ignore[type-arg]
    """Where each property of a flattened ``allOf`` comes from (set by the parser only)."""


def _prop_ptrs(node: dict[str, Any]) -> dict[str, str]:
    """The property pointers of a flattened ``allOf``; a spec's own ``x-oagen-prop-ptrs`` is ignored."""
    value = node.get("x-oagen-prop-ptrs")
    return value if isinstance(value, _PropPointers) else {}


class Parser:
    def __init__(self, root: dict[str, Any], *, file: str = "<spec>",
                 locate: Callable[[str], Location] | None = None,
                 options: ParseOptions | None = None) -> None:
        self.root = root
        self.file = file
        self.locate = locate or (lambda p: Location(file, None, p))
        self.options = options or ParseOptions()
        self.diagnostics: list[Diagnostic] = []
        self.defs: dict[str, ir.Definition] = {}
        self.building: set[str] = set()
        self.component_order: list[str] = []
        self.version_31 = str(root.get("openapi", "")).startswith("3.1")
        self._nesting = 0  # schema_type levels inside the current component (or operation)
        self._depth = 0  # schema_type levels in all
        self.deferred: list[str] = []  # components whose definition waits (too deep)

    # ----------------------------------------------------------------- helpers
    def warn(self, message: str, pointer: str) -> None:
        diagnostic = Diagnostic(Level.WARNING, message, self.locate(pointer))
        if diagnostic not in self.diagnostics:  # a node may be looked at more than once
            self.diagnostics.append(diagnostic)

    def resolve(self, ref: str) -> Any:
        """The node a local ``$ref`` (a URI fragment) points at; ``KeyError`` when none."""
        return self._at(_decode_ref(ref), ref)

    def _at(self, tokens: list[str], ref: str) -> Any:
        node: Any = self.root
        for token in tokens:
            if isinstance(node, dict):
                node = node[token]
            elif isinstance(node, list):
                node = node[int(token)]
            else:
                raise KeyError(ref)
        return node

    def deref(self, node: Any, pointer: str, depth: int = 0) -> tuple[Any, str]:
        """Follow ``$ref`` chains (bounded) to the node and its pointer."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            seen += 1
            if seen > 64:
                if pointer:  # "" is a probe: the pass that builds the IR reports it
                    self.warn("too many chained $refs", pointer)
                return {}, pointer
            try:
                node, pointer = self.resolve(ref), _canonical_ref(ref)
            except (KeyError, ValueError, IndexError):
                if pointer:
                    self.warn(f"unresolvable $ref {ref!r}", pointer)
                return {}, pointer
        return node, pointer

    # ------------------------------------------------------------------ schemas
    def is_component(self, pointer: str) -> bool:
        parts = _decode_pointer(pointer)
        return len(parts) == 3 and parts[0] == "components" and parts[1] == "schemas"

    def schema_type(self, node: Any, pointer: str, hint: str) -> ir.TypeRef:
        """The type of the schema ``node`` found at ``pointer``.

        Nesting is bounded: an inline schema more than :data:`MAX_INLINE_NESTING` levels
        inside its component (or operation) is any value (the annotation would nest as
        deep), and component definitions started inside one another beyond
        :data:`_DEFER_COMPONENTS_AT` levels wait for :meth:`parse`'s loop over the
        components, so that no document exhausts the stack.
        """
        if self._nesting >= MAX_INLINE_NESTING or self._depth >= _MAX_DEPTH:
            self.warn(f"schema nested more than {MAX_INLINE_NESTING} levels deep; treated as any value", pointer)
            return ir.ANY
        self._nesting += 1
        self._depth += 1
        try:
            return self._schema_type(node, pointer, hint)
        finally:
            self._nesting -= 1
            self._depth -= 1

    def _schema_type(self, node: Any, pointer: str, hint: str) -> ir.TypeRef:
        if node is True or node is None:
            return ir.ANY
        if node is False or not isinstance(node, dict):
            if node is not False:
                self.warn("schema is not an object; treated as any value", pointer)
            return ir.ANY
        dynamic = node.get("$recursiveRef", node.get("$dynamicRef"))
        if isinstance(dynamic, str) and "$ref" not in node:
            # 2019-09 $recursiveRef / 2020-12 $dynamicRef: the enclosing component schema
            # (the one carrying $recursiveAnchor / $dynamicAnchor), recursively.
            parts = _decode_pointer(pointer) if pointer.startswith("#") else []
            if len(parts) >= 3 and parts[0] == "components" and parts[1] == "schemas":
                return self.component(_ptr("components", "schemas", parts[2]))
            self.warn(f"cannot resolve {dynamic!r} outside a component schema; treated as any value", pointer)
            return ir.ANY
        if isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            target, target_ptr = self.deref(node, pointer)
            if not target and target_ptr == pointer:
                return ir.ANY
            if self.is_component(target_ptr):
                t: ir.TypeRef = self.component(target_ptr)
                # A model has no place for its own `nullable`: it goes on every reference.
                # (An enum keeps it in EnumDef.nullable, an alias in its type.)
                if self._kind(target) == "model" and self._nullable(target):
                    t = ir.make_nullable(t)
            else:
                last = _decode_pointer(target_ptr)[-1:] or ["Schema"]
                t = self.schema_type(target, target_ptr, hint or class_name(last[0]))
            if node.get("nullable") is True or (
                isinstance(node.get("type"), list) and "null" in node["type"]
            ):
                t = ir.make_nullable(t)
            del ref
            return t
        return self._inline_type(node, pointer, hint)

    def component(self, pointer: str) -> ir.NamedRef:
        """Define the component schema at ``pointer`` (once) and refer to it."""
        if pointer in self.defs or pointer in self.building:
            return ir.NamedRef(pointer)
        if self._depth >= _DEFER_COMPONENTS_AT:
            self.deferred.append(pointer)  # defined later, from the top (see schema_type)
            return ir.NamedRef(pointer)
        nesting, self._nesting = self._nesting, 0
        try:
            return self._component(pointer)
        finally:
            self._nesting = nesting

    def _component(self, pointer: str) -> ir.NamedRef:
        name = class_name(_decode_pointer(pointer)[-1])
        node, _ = self.deref(self._at(_decode_pointer(pointer), pointer), pointer)
        if not isinstance(node, dict):  # true/false (3.1), or not a schema at all
            if node is not True and node is not False and node is not None:
                self.warn("schema is not an object; treated as any value", pointer)
            self._add(ir.AliasDef(pointer, name, ir.ANY, "", False, pointer))
            return ir.NamedRef(pointer)
        kind = self._kind(node)
        if kind == "model":
            return self.model(node, pointer, name)
        if kind == "enum":
            return self.enum(node, pointer, name)
        self.building.add(pointer)
        try:
            t = self._inline_type(node, pointer, name, top=True)
        finally:
            self.building.discard(pointer)
        # An alias to exactly itself cannot be expressed: fall back to any.
        if t == ir.NamedRef(pointer):
            t = ir.ANY
        self._add(ir.AliasDef(pointer, name, t, self._doc(node), bool(node.get("deprecated")), pointer))
        return ir.NamedRef(pointer)

    def _add(self, definition: ir.Definition) -> None:
        self.defs[definition.id] = definition

    @staticmethod
    def _doc(node: dict[str, Any]) -> str:
        title, desc = _text(node.get("title")), _text(node.get("description"))
        return desc or title

    def _types_of(self, node: dict[str, Any]) -> list[str]:
        t = node.get("type")
        if isinstance(t, str):
            return [t]
        if isinstance(t, list):
            return [x for x in t if isinstance(x, str)]
        return []

    def _nullable(self, node: dict[str, Any]) -> bool:
        return (
            node.get("nullable") is True
            or "null" in self._types_of(node)
            or (isinstance(node.get("enum"), list) and None in node["enum"])
        )

    def _kind(self, node: Any) -> str:
        """'model' | 'enum' | 'other' for a (dereferenced) schema node."""
        if not isinstance(node, dict):
            return "other"
        if self._union_nodes(node):
            return "other"
        enum = node.get("enum")
        if isinstance(enum, list):
            values = [v for v in enum if v is not None]
            kinds = {type(v) for v in values}
            if len(values) > 1 and len(kinds) == 1 and kinds <= {str, int, float}:
                return "enum"
            return "other"
        if isinstance(node.get("properties"), dict) and node["properties"]:
            return "model"
        all_of = node.get("allOf")
        if isinstance(all_of, list) and all_of:
            if self._single_structural(node) is not None:
                return "other"
            merged = self._merge_all_of(node, "")  # a probe: reports nothing
            if merged.get("properties"):
                return "model"
        return "other"

    _STRUCTURAL = frozenset(
        {"$ref", "properties", "type", "items", "allOf", "oneOf", "anyOf", "enum", "const",
         "additionalProperties", "patternProperties", "format"}
    )

    def _single_structural(self, node: dict[str, Any]) -> int | None:
        """The index of the one ``allOf`` part that carries a type, when the others only
        annotate it (``nullable``, ``description``, ``default``...) and the node has no
        properties of its own: ``allOf: [{$ref: X}, {nullable: true}]`` is just ``X | None``."""
        if node.get("properties"):
            return None
        parts = _list(node.get("allOf"))
        structural = [
            i for i, part in enumerate(parts)
            if not isinstance(part, dict) or (set(part) & self._STRUCTURAL and part.get("type") != "null")
        ]
        return structural[0] if len(structural) == 1 else None

    def _union_nodes(self, node: dict[str, Any]) -> list[Any]:
        for key in ("oneOf", "anyOf"):
            variants = node.get(key)
            if isinstance(variants, list) and variants:
                # oneOf lists that only restate `required` sets constrain, not type.
                if all(isinstance(v, dict) and set(v) <= {"required", "description", "title"}
                       for v in variants):
                    return []
                return variants
        return []

    def _merge_all_of(self, node: dict[str, Any], pointer: str, depth: int = 0) -> dict[str, Any]:
        """Flatten ``allOf`` into one object schema (properties, required, additional)."""
        props: dict[str, Any] = {}
        prop_ptrs: dict[str, str] = {}
        required: list[str] = []
        merged: dict[str, Any] = {}
        if depth > 32:
            return {"properties": {}}
        for i, part in enumerate(_list(node.get("allOf"))):
            sub, sub_ptr = self.deref(part, _child(pointer, "allOf", i) if pointer else "")
            if not isinstance(sub, dict):
                continue
            if "allOf" in sub:
                sub = self._merge_all_of(sub, sub_ptr, depth + 1)
            for k, v in _dict(sub.get("properties")).items():
                props[k] = v
                prop_ptrs[k] = _prop_ptrs(sub).get(k) or _child(sub_ptr, "properties", k)
            for r in _list(sub.get("required")):
                if r not in required:
                    required.append(r)
            for key in ("additionalProperties", "description", "title", "discriminator"):
                if key in sub and key not in merged:
                    merged[key] = sub[key]
        for k, v in _dict(node.get("properties")).items():
            props[k] = v
            prop_ptrs[k] = _child(pointer, "properties", k)
        for r in _list(node.get("required")):
            if r not in required:
                required.append(r)
        out = {k: v for k, v in node.items() if k not in ("allOf", "properties", "required")}
        for k, v in merged.items():
            out.setdefault(k, v)
        out["properties"] = props
        out["required"] = required
        out["x-oagen-prop-ptrs"] = _PropPointers(prop_ptrs)
        out.setdefault("type", "object")
        return out

    def model(self, node: dict[str, Any], pointer: str, name: str) -> ir.NamedRef:
        if pointer in self.defs or pointer in self.building:
            return ir.NamedRef(pointer)
        self.building.add(pointer)
        try:
            if "allOf" in node:
                node = self._merge_all_of(node, pointer)
            prop_ptrs = _prop_ptrs(node)
            required = [r for r in _list(node.get("required")) if isinstance(r, str)]
            fields = []
            for wire, prop in _dict(node.get("properties")).items():
                wire = str(wire)
                pptr = prop_ptrs.get(wire) or _child(pointer, "properties", wire)
                ftype = self.schema_type(prop, pptr, name + pascal(wire))
                resolved, resolved_ptr = self.deref(prop, pptr)
                resolved = resolved if isinstance(resolved, dict) else {}
                has_default = isinstance(prop, dict) and "default" in prop or "default" in resolved
                default = (prop.get("default") if isinstance(prop, dict) and "default" in prop
                           else resolved.get("default"))
                if has_default and not self.value_fits(ftype, default):
                    self.warn(
                        f"default {default!r} of property {wire!r} does not match its type; "
                        "it is ignored",
                        _child(pptr if isinstance(prop, dict) and "default" in prop else resolved_ptr,
                               "default"),
                    )
                    has_default, default = False, None
                doc = self._doc(prop) if isinstance(prop, dict) else ""
                fields.append(
                    ir.Field(
                        wire_name=wire,
                        py_name=attr_name(wire, "field", RESERVED_FIELD_NAMES),
                        type=ftype,
                        required=wire in required,
                        description=doc or self._doc(resolved),
                        has_default=has_default,
                        default=default,
                        read_only=bool(resolved.get("readOnly") or (isinstance(prop, dict) and prop.get("readOnly"))),
                        write_only=bool(resolved.get("writeOnly") or (isinstance(prop, dict) and prop.get("writeOnly"))),
                        deprecated=bool(resolved.get("deprecated") or (isinstance(prop, dict) and prop.get("deprecated"))),
                    )
                )
            additional: ir.TypeRef | None = None
            ap = node.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                additional = self.schema_type(ap, _child(pointer, "additionalProperties"), name + "Value")
            self._add(
                ir.ModelDef(
                    id=pointer,
                    name=name,
                    fields=tuple(fields),
                    description=self._doc(node),
                    additional=additional,
                    deprecated=bool(node.get("deprecated")),
                    pointer=pointer,
                )
            )
        finally:
            self.building.discard(pointer)
        return ir.NamedRef(pointer)

    def enum(self, node: dict[str, Any], pointer: str, name: str) -> ir.NamedRef:
        if pointer in self.defs:
            return ir.NamedRef(pointer)
        from .names import enum_member_name

        values = [v for v in node["enum"] if v is not None]
        seen: list[Any] = []
        for v in values:
            if v not in seen:
                seen.append(v)
        kind = {str: "str", int: "int", float: "float"}[type(seen[0])]
        members = tuple(ir.EnumMember(enum_member_name(v), v) for v in seen)
        declared = self._types_of(node)
        nullable = None in node["enum"] or node.get("nullable") is True or "null" in declared
        self._add(
            ir.EnumDef(pointer, name, members, kind, nullable, self._doc(node),
                       bool(node.get("deprecated")), pointer)
        )
        return ir.NamedRef(pointer)

    def _primitive(self, type_name: str, node: dict[str, Any]) -> ir.TypeRef:
        fmt = node.get("format")
        if type_name == "string":
            if node.get("contentEncoding") == "base64":
                return ir.Primitive("str")
            return ir.Primitive(
                {
                    "date-time": "datetime",
                    "date": "date",
                    "time": "time",
                    "uuid": "uuid",
                    "binary": "bytes",
                }.get(fmt if isinstance(fmt, str) else "", "str")
            )
        if type_name == "integer":
            return ir.Primitive("int")
        if type_name == "number":
            return ir.Primitive("float")
        if type_name == "boolean":
            return ir.Primitive("bool")
        if type_name == "null":
            return ir.NONE
        if type_name == "array":
            items = node.get("items")
            return ir.ArrayType(ir.ANY if items is None else self.schema_type(items, "", ""))
        if type_name == "object":
            return ir.MapType(ir.ANY)
        return ir.ANY

    def _inline_type(self, node: dict[str, Any], pointer: str, hint: str, top: bool = False) -> ir.TypeRef:
        nullable = self._nullable(node)
        t = self._inline_type_inner(node, pointer, hint, top)
        return ir.make_nullable(t) if nullable else t

    def _inline_type_inner(self, node: dict[str, Any], pointer: str, hint: str, top: bool) -> ir.TypeRef:
        hint = hint or "Schema"
        if "const" in node:
            value = node["const"]
            if value is None or isinstance(value, (str, int, float, bool)):
                return ir.LiteralType((value,)) if value is not None else ir.NONE
            return ir.ANY
        variants = self._union_nodes(node)
        if variants:
            return self.union(node, variants, pointer, hint)
        enum = node.get("enum")
        if isinstance(enum, list) and enum:
            values = [v for v in enum if v is not None]
            if not values:
                return ir.NONE
            if not all(isinstance(v, (str, int, float, bool)) for v in values):
                return ir.ANY
            if self._kind(node) == "enum" and not top:
                return self.enum(node, pointer, hint)
            uniq: list[Any] = []
            for v in values:
                if v not in uniq:
                    uniq.append(v)
            return ir.LiteralType(tuple(uniq))
        all_of = node.get("allOf")
        if isinstance(all_of, list) and all_of:
            single = self._single_structural(node)
            if single is not None:
                t = self.schema_type(all_of[single], _child(pointer, "allOf", single), hint)
                trivial_nullable = any(
                    isinstance(part, dict) and self._nullable(part)
                    for i, part in enumerate(all_of) if i != single
                )
                return ir.make_nullable(t) if trivial_nullable else t
            if not top and self._kind(node) == "model":
                return self.model(node, pointer, hint)
            merged = self._merge_all_of(node, pointer)
            if merged.get("properties"):
                return self.model(node, pointer, hint)
            node = merged
        props = node.get("properties")
        if isinstance(props, dict) and props and not top:
            return self.model(node, pointer, hint)
        types = self._types_of(node)
        non_null = [t for t in types if t != "null"]
        if not non_null:
            if isinstance(props, dict) or "additionalProperties" in node:
                non_null = ["object"]
            elif "items" in node:
                non_null = ["array"]
            elif types:  # only "null"
                return ir.NONE
            else:
                return ir.ANY
        out: list[ir.TypeRef] = []
        for type_name in non_null:
            if type_name == "array":
                items = node.get("items")
                item_hint = hint + "Item"
                if isinstance(items, dict):
                    out.append(ir.ArrayType(self.schema_type(items, _child(pointer, "items"), item_hint)))
                else:
                    out.append(ir.ArrayType(ir.ANY))
            elif type_name == "object":
                ap = node.get("additionalProperties")
                if isinstance(props, dict) and props:  # top-level alias of an object: model
                    out.append(self.model(node, pointer, hint))
                elif isinstance(ap, dict) and ap:
                    out.append(ir.MapType(self.schema_type(ap, _child(pointer, "additionalProperties"), hint + "Value")))
                else:
                    out.append(ir.MapType(ir.ANY))
            else:
                out.append(self._primitive(type_name, node))
        return out[0] if len(out) == 1 else ir.UnionType(tuple(out))

    def union(self, node: dict[str, Any], variants: list[Any], pointer: str, hint: str) -> ir.TypeRef:
        key = "oneOf" if node.get("oneOf") else "anyOf"
        disc_values = self._variant_tags(variants, pointer, key)
        types: list[ir.TypeRef] = []
        for i, v in enumerate(variants):
            vptr = _child(pointer, key, i)
            vhint = hint + self._variant_suffix(v, i, disc_values[i] if disc_values else None)
            t = self.schema_type(v, vptr, vhint)
            members = t.variants if isinstance(t, ir.UnionType) and t.discriminator is None else (t,)
            for m in members:
                if m not in types:
                    types.append(m)
        if ir.ANY in types:
            return ir.ANY
        nullable = ir.NONE in types
        types = [t for t in types if t != ir.NONE]
        # Sibling properties beside oneOf: the object itself, oneOf only constrains.
        if not types:
            return ir.NONE
        disc = self.discriminator(node, variants, types, pointer)
        t: ir.TypeRef = types[0] if len(types) == 1 else ir.UnionType(tuple(types), disc)
        if nullable:
            t = ir.make_nullable(t)
        return t

    def _variant_suffix(self, node: Any, index: int, tag: str | None) -> str:
        if isinstance(node, dict) and "$ref" not in node:
            title = node.get("title")
            if isinstance(title, str) and pascal(title):
                return pascal(title)
            if tag is not None and pascal(tag):
                return pascal(tag)
            props = node.get("properties")
            if isinstance(props, dict) and len(props) == 1:
                return pascal(str(next(iter(props))))
        return f"Option{index + 1}"

    def _tag_of(self, node: Any, prop: str) -> list[Any] | None:
        """Single discriminating value(s) of ``prop`` in a variant schema, or None."""
        node, ptr = self.deref(node, "")
        if not isinstance(node, dict):
            return None
        if "allOf" in node:
            node = self._merge_all_of(node, ptr)
        p = _dict(node.get("properties")).get(prop)
        p, _ = self.deref(p, "")
        if not isinstance(p, dict):
            return None
        if "const" in p and isinstance(p["const"], str):
            return [p["const"]]
        enum = p.get("enum")
        if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
            return [enum[0]]
        return None

    def _variant_tags(self, variants: list[Any], pointer: str, key: str) -> list[str] | None:
        prop = self._infer_property(variants)
        if prop is None:
            return None
        tags = [self._tag_of(v, prop) for v in variants]
        return [t[0] for t in tags]  # type: ignore[index]

    def _tag_values(self, node: Any, prop: str) -> list[str]:
        """Every string value ``prop`` may take in a variant (its const or enum), or []."""
        node, ptr = self.deref(node, "")
        if not isinstance(node, dict):
            return []
        if "allOf" in node:
            node = self._merge_all_of(node, ptr)
        p = (node.get("properties") or {}).get(prop) if isinstance(node.get("properties"), dict) else None
        p, _ = self.deref(p, "")
        if not isinstance(p, dict):
            return []
        if isinstance(p.get("const"), str):
            return [p["const"]]
        enum = p.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(e, str) for e in enum):
            return list(dict.fromkeys(enum))
        return []

    def _infer_property(self, variants: list[Any]) -> str | None:
        objects = []
        for v in variants:
            node, ptr = self.deref(v, "")
            if not isinstance(node, dict):
                return None
            if "allOf" in node:
                node = self._merge_all_of(node, ptr)
            if not isinstance(node.get("properties"), dict):
                return None
            objects.append(node)
        if len(objects) < 2:
            return None
        # Only a property every variant requires can tell them apart: a value without it
        # would match no tag.
        candidates = sorted(
            set.intersection(
                *(set(map(str, o["properties"])) & {str(r) for r in o.get("required") or []} for o in objects)
            )
        )
        candidates.sort(key=lambda c: (c != "type", c != "object", c))
        for c in candidates:
            tags = [self._tag_of(v, c) for v in variants]
            if all(tags) and len({t[0] for t in tags if t}) == len(tags):
                return c
        return None

    def discriminator(self, node: dict[str, Any], variants: list[Any], types: list[ir.TypeRef],
                      pointer: str) -> ir.Discriminator | None:
        if not all(isinstance(t, ir.NamedRef) and isinstance(self.defs.get(t.id), (ir.ModelDef, type(None)))
                   for t in types):
            return None
        if len(types) != len(variants):
            return None
        declared = node.get("discriminator")
        if isinstance(declared, dict) and isinstance(declared.get("propertyName"), str):
            prop = declared["propertyName"]
            mapping: list[tuple[str, ir.NamedRef]] = []
            explicit = declared.get("mapping") if isinstance(declared.get("mapping"), dict) else {}
            by_target: dict[str, ir.NamedRef] = {t.id: t for t in types if isinstance(t, ir.NamedRef)}
            for value, target in explicit.items():
                target_ptr = str(target) if str(target).startswith("#") else _ptr("components", "schemas", target)
                try:
                    target_ptr = _canonical_ref(target_ptr)
                except KeyError:
                    pass
                if target_ptr in by_target:
                    mapping.append((str(value), by_target[target_ptr]))
                else:
                    self.warn(f"discriminator mapping {value!r} -> {target!r} is not one of the variants",
                              _child(pointer, "discriminator", "mapping", str(value)))
            mapped = {ref.id for _, ref in mapping}
            for v, t in zip(variants, types):
                assert isinstance(t, ir.NamedRef)
                if t.id in mapped:
                    continue
                values = self._tag_values(v, prop)
                if values:
                    mapping.extend((value, t) for value in values)
                elif self.is_component(t.id):
                    mapping.append((_decode_pointer(t.id)[-1], t))
                else:
                    self.warn("discriminator value of a variant cannot be determined; plain union used",
                              _child(pointer, "discriminator"))
                    return None
            if len({v for v, _ in mapping}) != len(mapping):
                return None
            return ir.Discriminator(prop, tuple(mapping))
        prop = self._infer_property(variants)
        if prop is None:
            return None
        mapping = []
        for v, t in zip(variants, types):
            tag = self._tag_of(v, prop)
            assert tag and isinstance(t, ir.NamedRef)
            mapping.append((tag[0], t))
        return ir.Discriminator(prop, tuple(mapping), inferred=True)

    # -------------------------------------------------------------- value checks
    def value_fits(self, t: ir.TypeRef, value: Any, depth: int = 0) -> bool:
        """Whether a JSON value (a default) is valid for type ``t`` (shallow, lenient)."""
        if depth > 16:
            return True
        if isinstance(t, ir.Primitive):
            k = t.kind
            if k == "any":
                return True
            if k == "none":
                return value is None
            if k == "bool":
                return isinstance(value, bool)
            if k == "int":
                return isinstance(value, int) and not isinstance(value, bool)
            if k == "float":
                return isinstance(value, (int, float)) and not isinstance(value, bool)
            return isinstance(value, str)
        if isinstance(t, ir.LiteralType):
            return value in t.values
        if isinstance(t, ir.ArrayType):
            return isinstance(value, list)
        if isinstance(t, ir.MapType):
            return isinstance(value, dict)
        if isinstance(t, ir.UnionType):
            return any(self.value_fits(v, value, depth + 1) for v in t.variants)
        if isinstance(t, ir.NamedRef):
            d = self.defs.get(t.id)
            if d is None:
                return True
            if isinstance(d, ir.EnumDef):
                return (value is None and d.nullable) or any(m.value == value for m in d.members)
            if isinstance(d, ir.AliasDef):
                return self.value_fits(d.type, value, depth + 1)
            return isinstance(value, dict)
        return True

    # --------------------------------------------------------------- operations
    def parse(self) -> ir.Api:
        info = self.root.get("info") if isinstance(self.root.get("info"), dict) else {}
        components = self.root.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        schemas = schemas if isinstance(schemas, dict) else {}
        for name in schemas:
            self.component(_ptr("components", "schemas", name))
        component_ids = [_ptr("components", "schemas", n) for n in schemas]
        security_schemes = self.security_schemes()
        operations = self.operations()
        while self.deferred:  # (the loop above has defined them all; this is a safety net)
            self.component(self.deferred.pop())
        comp = [self.defs[i] for i in component_ids if i in self.defs]
        component_set = set(component_ids)
        inline = sorted((d for k, d in self.defs.items() if k not in component_set), key=lambda d: d.id)
        raw_servers = self.root.get("servers")
        servers = tuple(
            ir.Server(url, _text(s.get("description")))
            for i, s in enumerate(raw_servers if isinstance(raw_servers, list) else [])
            if isinstance(s, dict) and isinstance(s.get("url"), str)
            for url in [self._server_url(s, _ptr("servers", i))]
            if url is not None
        )
        return ir.Api(
            title=_text(info.get("title")),
            version=str(info.get("version", "")),
            description=_text(info.get("description")),
            servers=servers,
            security_schemes=security_schemes,
            schemas=tuple(self._importable_aliases(comp + inline)),
            operations=tuple(operations),
        )

    def _importable_aliases(self, defs: list[ir.Definition]) -> list[ir.Definition]:
        """Type aliases are evaluated when ``models.py`` is imported, so none may refer to
        itself (directly or through other aliases: ``A = List[B]``, ``B = List[A]``) and
        none may nest too deep (typing recurses through ``List[List[...]]``).  A reference
        that closes a cycle becomes any value; so does an alias nested, through the aliases
        it names, more than :data:`MAX_INLINE_NESTING` levels deep.  Iterative: chains of
        aliases may be thousands long."""
        aliases = {d.id: d for d in defs if isinstance(d, ir.AliasDef)}
        if not aliases:
            return defs
        types: dict[str, ir.TypeRef] = {i: d.type for i, d in aliases.items()}

        def refs(t: ir.TypeRef) -> list[str]:
            if isinstance(t, ir.NamedRef):
                return [t.id] if t.id in aliases else []
            if isinstance(t, ir.ArrayType):
                return refs(t.item)
            if isinstance(t, ir.MapType):
                return refs(t.value)
            if isinstance(t, ir.UnionType):
                return [i for v in t.variants for i in refs(v)]
            return []

        def without(t: ir.TypeRef, target: str) -> ir.TypeRef:
            if isinstance(t, ir.NamedRef):
                return ir.ANY if t.id == target else t
            if isinstance(t, ir.ArrayType):
                return replace(t, item=without(t.item, target))
            if isinstance(t, ir.MapType):
                return replace(t, value=without(t.value, target))
            if isinstance(t, ir.UnionType):
                return replace(t, variants=tuple(without(v, target) for v in t.variants))
            return t

        depth: dict[str, int] = {}

        def nesting(t: ir.TypeRef) -> int:
            if isinstance(t, ir.NamedRef):
                return 1 + depth.get(t.id, 0) if t.id in aliases else 0
            if isinstance(t, ir.ArrayType):
                return 1 + nesting(t.item)
            if isinstance(t, ir.MapType):
                return 1 + nesting(t.value)
            if isinstance(t, ir.UnionType):
                return 1 + max((nesting(v) for v in t.variants), default=0)
            return 0

        state: dict[str, int] = {}  # 1: on the path being followed, 2: done
        for start in aliases:
            if start in state:
                continue
            state[start] = 1
            stack = [(start, iter(sorted(set(refs(types[start])))))]
            while stack:
                current, pending = stack[-1]
                nxt = next(pending, None)
                if nxt is None:
                    stack.pop()
                    state[current] = 2
                    depth[current] = nesting(types[current])
                    if depth[current] > MAX_INLINE_NESTING:
                        self.warn(f"type alias nested more than {MAX_INLINE_NESTING} levels deep (through "
                                  "other aliases); treated as any value", aliases[current].pointer)
                        types[current], depth[current] = ir.ANY, 0
                elif state.get(nxt) == 1:
                    self.warn(f"type alias refers to itself through {nxt!r}; that reference is any value",
                              aliases[current].pointer)
                    types[current] = without(types[current], nxt)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(sorted(set(refs(types[nxt]))))))
        return [replace(d, type=types[d.id]) if d.id in aliases and types[d.id] != d.type else d for d in defs]

    def _server_url(self, server: dict[str, Any], pointer: str) -> str | None:
        """A server's URL with its variables' defaults filled in, or None (with a warning)
        when that is not a valid http(s) URL: only a valid URL may become the client's
        default base URL."""
        variables = server.get("variables") if isinstance(server.get("variables"), dict) else {}

        def default(m: re.Match[str]) -> str:
            var = variables.get(m.group(1))
            value = var.get("default") if isinstance(var, dict) else None
            return value if isinstance(value, str) else m.group(0)

        url = re.sub(r"\{([^{}]*)\}", default, server["url"])
        if _valid_url(url):
            return url
        self.warn(f"server URL {url!r} is not a valid http(s) URL; it is not used as the base URL",
                  _child(pointer, "url"))
        return None

    def security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        raw = _dict(_dict(self.root.get("components")).get("securitySchemes"))
        out: list[ir.SecurityScheme] = []
        taken: set[str] = set()
        client_words = {w.lower() for w in self.options.client_words}
        entries = [(k, self.deref(v, _ptr("components", "securitySchemes", k))[0]) for k, v in raw.items()]
        entries = [(k, v) for k, v in entries if isinstance(v, dict)]
        for key, s in entries:
            stype = str(s.get("type", ""))
            location, wire, scheme = "header", "Authorization", ""
            if stype == "http":
                scheme = str(s.get("scheme", "bearer")).lower()
            elif stype == "apiKey":
                location = str(s.get("in", "header"))
                wire = str(s.get("name", key))
            elif stype in ("oauth2", "openIdConnect"):
                scheme = "bearer"
            else:
                continue
            if len(entries) == 1 or (stype in ("http", "oauth2", "openIdConnect") and "api_key" not in taken
                                     and scheme == "bearer"):
                base = "api_key"
            else:
                ws = [w.lower() for w in words(wire if stype == "apiKey" else key)]
                ws = [w for w in ws if w not in client_words and w != "x"] or [w.lower() for w in words(key)]
                base = attr_name("_".join(ws), "credential", RESERVED_PARAM_NAMES)
            name, n = base, 2
            while name in taken:
                name, n = f"{base}{n}", n + 1
            taken.add(name)
            out.append(ir.SecurityScheme(key, name, stype, scheme, location, wire,
                                         f"{self.options.env_prefix}_{name.upper()}",
                                         _text(s.get("description"))))
        # bearer "api_key" first, then the spec's order
        return tuple(out)

    def _security(self, node: Any) -> tuple[tuple[str, ...], ...]:
        if not isinstance(node, list):
            return ()
        return tuple(tuple(str(k) for k in req) for req in node if isinstance(req, dict))

    def operations(self) -> list[ir.Operation]:
        paths = self.root.get("paths") or {}
        out: list[ir.Operation] = []
        global_security = self._security(self.root.get("security"))
        if not isinstance(paths, dict):
            return out
        for path, item in paths.items():
            item_ptr = _ptr("paths", path)
            item, _ = self.deref(item, item_ptr)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                out.append(self.operation(str(path), method, op, item, _child(item_ptr, method), global_security))
        return out

    def _resource(self, op: dict[str, Any], path: str) -> tuple[str, str]:
        tags = op.get("tags")
        tag = str(tags[0]) if isinstance(tags, list) and tags else ""
        for key, value in self.options.resource_names:
            if key == tag:
                return attr_name(value, "resource", RESERVED_RESOURCE_NAMES), tag
        if not tag:
            statics = [s for s in path.split("/") if s and not s.startswith("{")]
            tag = statics[0].split("?")[0] if statics else "default"
        return attr_name(tag, "resource", RESERVED_RESOURCE_NAMES), tag

    def _method_names(self, method: str, path: str, op_id: str | None, tag: str,
                      result: ir.TypeRef | None) -> tuple[str, str]:
        key = op_id or f"{method.upper()} {path}"
        for k, v in self.options.method_names:
            if k == key or k == f"{method.upper()} {path}":
                name = attr_name(v, "call")
                return name, name
        segments = [s for s in path.split("?")[0].split("/") if s]
        first_param = next((i for i, s in enumerate(segments) if s.startswith("{")), len(segments))
        vocab = {singular(w.lower()) for w in words(tag)}
        for s in segments[:first_param]:
            vocab |= {singular(w.lower()) for w in words(s)}
        is_item = bool(segments) and segments[-1].startswith("{")
        tokens = [w.lower() for w in words(op_id)] if op_id else []
        if tokens and tokens[0] in API_VERBS:
            full = attr_name(op_id or "", "call", RESERVED_PARAM_NAMES)
            rest = [t for t in tokens[1:] if singular(t) not in vocab and t not in FILLER_WORDS]
            verb = tokens[0]
            if verb == "get" and not rest:
                verb = "retrieve" if is_item or method != "get" else "list"
            short = attr_name("_".join([verb] + rest), "call", RESERVED_PARAM_NAMES)
            return short, full
        # No operationId, or one that does not start with a verb ("chat-completions"):
        # name the call from its method and path; the operationId stays the long form.
        full = attr_name(op_id or (method + "_" + "_".join(s for s in segments if not s.startswith("{"))), "call",
                         RESERVED_PARAM_NAMES)
        tail_start = first_param if first_param < len(segments) else 1
        tail = [s for s in segments[tail_start:] if not s.startswith("{")]
        if not tail:
            if is_item:
                verb = {"get": "retrieve", "put": "update", "patch": "update", "delete": "delete",
                        "post": "update"}.get(method, method)
            else:
                verb = {"get": "list", "post": "create", "put": "update", "patch": "update",
                        "delete": "delete"}.get(method, method)
            return attr_name(verb, "call"), full
        tail_words = [w.lower() for seg in tail for w in words(seg)]
        if not tail_words:
            return attr_name(method, "call"), full
        tag_vocab = {singular(w.lower()) for w in words(tag)}
        nouns = [w for w in tail_words if singular(w) not in tag_vocab]
        last = tail_words[-1]
        if last in PATH_VERBS or tail_words[0] in PATH_VERBS:
            name = "_".join(tail_words)  # an action: cancel, estimate_price
        elif method == "post":
            name = "_".join(["create"] + nouns)
        elif method == "get":
            plural = last.endswith("s") and not last.endswith("ss")
            name = "_".join(["list" if plural else "retrieve"] + nouns)
        else:
            verb = {"put": "update", "patch": "update", "delete": "delete"}.get(method, method)
            name = "_".join([verb] + nouns)
        return attr_name(name, "call"), full

    def operation(self, path: str, method: str, op: dict[str, Any], item: dict[str, Any],
                  pointer: str, global_security: tuple[tuple[str, ...], ...]) -> ir.Operation:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        hint = class_name(op_id) if op_id else class_name(method + "_" + path.replace("{", "").replace("}", ""))
        params = self.parameters(op, item, pointer, hint)
        body = self.request_body(op.get("requestBody"), _child(pointer, "requestBody"), hint)
        responses = self.responses(op.get("responses"), _child(pointer, "responses"), hint)
        result, kind, stream_result = self._result(responses)
        resource, tag = self._resource(op, path)
        name, full = self._method_names(method, path, op_id, tag, result)
        generated, reason = True, None
        statuses = {r.status for r in responses}
        if statuses and statuses <= {"101"}:
            generated, reason = False, "WebSocket upgrade (101 Switching Protocols): not a request/response call"
        security = self._security(op["security"]) if "security" in op else global_security
        tags = tuple(str(t) for t in _list(op.get("tags")) if isinstance(t, (str, int)))
        return ir.Operation(
            method=method,
            path=path,
            operation_id=op_id,
            resource=resource,
            name=name,
            full_name=full,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            params=params,
            body=body,
            responses=tuple(responses),
            result=result,
            result_kind=kind,
            stream_result=stream_result,
            deprecated=bool(op.get("deprecated")),
            tags=tags,
            security=security,
            generated=generated,
            reason=reason,
            pointer=pointer,
        )

    def parameters(self, op: dict[str, Any], item: dict[str, Any], pointer: str, hint: str) -> tuple[ir.Parameter, ...]:
        merged: dict[tuple[str, str], tuple[Any, str]] = {}
        for owner, owner_ptr in ((item, pointer.rsplit("/", 1)[0]), (op, pointer)):
            for i, raw in enumerate(_list(owner.get("parameters"))):
                p, pptr = self.deref(raw, _child(owner_ptr, "parameters", i))
                if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                    continue
                loc = p.get("in")
                if loc not in ("path", "query", "header", "cookie"):
                    self.warn(f"parameter location {loc!r} is not supported", pptr)
                    continue
                merged[(p["name"], loc)] = (p, pptr)
        out = []
        for (wire, loc), (p, pptr) in merged.items():
            schema = p.get("schema")
            sptr = _child(pptr, "schema")
            if schema is None and isinstance(p.get("content"), dict) and p["content"]:
                media = next(iter(p["content"]))
                schema = _dict(p["content"][media]).get("schema")
                sptr = _child(pptr, "content", media, "schema")
            t = self.schema_type(schema, sptr, hint + pascal(wire)) if schema is not None else ir.Primitive("str")
            style = p.get("style") or ("form" if loc in ("query", "cookie") else "simple")
            explode = p.get("explode", style == "form")
            out.append(
                ir.Parameter(
                    wire_name=wire,
                    py_name=attr_name(wire, "param", RESERVED_PARAM_NAMES),
                    location=loc,
                    required=bool(p.get("required")) or loc == "path",
                    type=t,
                    description=_text(p.get("description")),
                    style=str(style),
                    explode=bool(explode),
                    deprecated=bool(p.get("deprecated")),
                )
            )
        return tuple(out)

    @staticmethod
    def _pick_media(content: dict[str, Any]) -> str | None:
        keys = [str(k) for k in content]

        def rank(ct: str) -> tuple[int, int]:
            c = ct.lower().split(";")[0].strip()
            order = (
                0 if c == "application/json" else
                1 if c.endswith("+json") or c.endswith("/json") else
                2 if c == "multipart/form-data" else
                3 if c == "application/x-www-form-urlencoded" else
                4 if c == "text/event-stream" else
                5 if c.startswith("text/") else
                6
            )
            return order, keys.index(ct)

        return min(keys, key=rank) if keys else None

    def request_body(self, raw: Any, pointer: str, hint: str) -> ir.RequestBody | None:
        if raw is None:
            return None
        body, bptr = self.deref(raw, pointer)
        if not isinstance(body, dict):
            return None
        content = body.get("content") if isinstance(body.get("content"), dict) else {}
        media = self._pick_media(content)
        if media is None:
            return None
        multipart = next((m for m in content if str(m).lower().startswith("multipart/form-data")), None)
        if multipart is not None and media != multipart and _is_json(media.lower()):
            # JSON cannot carry files: when the schema has binary fields, send multipart.
            schema = (content[media] or {}).get("schema") if isinstance(content[media], dict) else None
            if self._has_binary(schema):
                media = str(multipart)
        c = media.lower().split(";")[0].strip()
        mt = content[media] if isinstance(content[media], dict) else {}
        schema = mt.get("schema")
        sptr = _child(bptr, "content", media, "schema")
        encoding = (
            "json" if c == "application/json" or c.endswith("+json") or c.endswith("/json") else
            "multipart" if c == "multipart/form-data" else
            "form" if c == "application/x-www-form-urlencoded" else
            "text" if c.startswith("text/") else
            "binary"
        )
        if schema is None:
            t: ir.TypeRef = ir.Primitive("bytes") if encoding in ("binary",) else (
                ir.Primitive("str") if encoding == "text" else ir.ANY)
        else:
            t = self.schema_type(schema, sptr, hint + "Body")
        if encoding == "binary" and t in (ir.Primitive("str"), ir.ANY):
            t = ir.Primitive("bytes")
        required = bool(body.get("required"))
        fields: tuple[ir.Field, ...] = ()
        mode = "body"
        # a $ref to a nullable model is `Model | None`: flatten the model all the same
        solid = [v for v in t.variants if v != ir.NONE] if isinstance(t, ir.UnionType) else [t]
        target = self.defs.get(solid[0].id) if len(solid) == 1 and isinstance(solid[0], ir.NamedRef) else None
        if encoding in ("json", "multipart", "form") and isinstance(target, ir.ModelDef) and target.fields:
            mode = "fields"
            fields = tuple(
                replace(f, py_name=attr_name(f.wire_name, "field", RESERVED_PARAM_NAMES))
                for f in target.fields
                if not f.read_only
            )
        return ir.RequestBody(media, required, mode, t, fields, self._doc(body), encoding)

    def _has_binary(self, schema: Any, depth: int = 0) -> bool:
        node, _ = self.deref(schema, "")
        if not isinstance(node, dict) or depth > 6:
            return False
        if node.get("format") == "binary" or node.get("contentMediaType") == "application/octet-stream":
            return True
        for key in ("oneOf", "anyOf", "allOf"):
            if any(self._has_binary(v, depth + 1) for v in _list(node.get(key))):
                return True
        if isinstance(node.get("items"), dict) and self._has_binary(node["items"], depth + 1):
            return True
        return any(self._has_binary(v, depth + 1) for v in _dict(node.get("properties")).values())

    def responses(self, raw: Any, pointer: str, hint: str) -> list[ir.Response]:
        """One :class:`ir.Response` per status and media type (a status without content: one, untyped)."""
        out: list[ir.Response] = []
        if not isinstance(raw, dict):
            return out
        for status, resp in raw.items():
            status = str(status)
            rptr = _child(pointer, status)
            resp, rptr2 = self.deref(resp, rptr)
            if not isinstance(resp, dict):
                continue
            content = resp.get("content") if isinstance(resp.get("content"), dict) else {}
            description = _text(resp.get("description"))
            if not content:
                out.append(ir.Response(status, None, None, description))
                continue
            ordered = sorted(content, key=lambda m: self._media_rank(str(m), [str(k) for k in content]))
            for media in ordered:
                mt = content[media] if isinstance(content[media], dict) else {}
                schema = mt.get("schema")
                c = str(media).lower().split(";")[0].strip()
                t: ir.TypeRef | None
                if schema is not None and (_is_json(c) or c == "text/event-stream"):
                    suffix = "Response" if status.startswith("2") else f"Error{status}"
                    if status.startswith("2") and status != "200":
                        suffix = f"Response{status}"
                    if c == "text/event-stream":
                        suffix = "Event" if suffix == "Response" else suffix + "Event"
                    t = self.schema_type(schema, _child(rptr2, "content", media, "schema"), hint + suffix)
                elif c == "text/event-stream":
                    t = ir.Primitive("str")
                elif c.startswith("text/"):
                    t = ir.Primitive("str")
                elif schema is None and _is_json(c):
                    t = ir.ANY
                else:
                    t = ir.Primitive("bytes")
                out.append(ir.Response(status, str(media), t, description))
        return out

    @staticmethod
    def _media_rank(ct: str, keys: list[str]) -> tuple[int, int]:
        c = ct.lower().split(";")[0].strip()
        order = (
            0 if c == "application/json" else
            1 if _is_json(c) else
            2 if c == "multipart/form-data" else
            3 if c == "application/x-www-form-urlencoded" else
            4 if c == "text/event-stream" else
            5 if c.startswith("text/") else
            6
        )
        return order, keys.index(ct)

    def _result(self, responses: list[ir.Response]) -> tuple[ir.TypeRef | None, str, ir.TypeRef | None]:
        """(result type, result kind, server-sent event type) of a successful call."""
        ok = [r for r in responses if r.status.startswith("2") or r.status.upper() == "2XX"]
        if not ok:
            ok = [r for r in responses if r.status == "default"]
        if not ok:
            return None, "empty", None
        ok.sort(key=lambda r: r.status)
        sse = [r for r in ok if (r.content_type or "").lower().startswith("text/event-stream")]
        stream_type = (sse[0].type or ir.Primitive("str")) if sse else None
        plain = [r for r in ok if r not in sse]
        with_body = [r for r in plain if r.content_type is not None]
        if not with_body:
            if sse and not plain:
                return stream_type, "sse", stream_type
            return None, "empty", stream_type
        main = with_body[0]
        c = (main.content_type or "").lower().split(";")[0].strip()
        if _is_json(c):
            types: list[ir.TypeRef] = []
            for r in with_body:
                if _is_json((r.content_type or "").lower()) and r.type is not None and r.type not in types:
                    types.append(r.type)
            t: ir.TypeRef = types[0] if len(types) == 1 else ir.UnionType(tuple(types))
            if any(r.content_type is None for r in plain):
                t = ir.make_nullable(t)
            return t, "json", stream_type
        if c.startswith("text/"):
            return ir.Primitive("str"), "text", stream_type
        return ir.Primitive("bytes"), "binary", stream_type


# Characters a URL never holds as they are (RFC 3986): controls, space, and "<>\\^`{|}.
_URL_FORBIDDEN = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')


def _valid_url(url: str) -> bool:
    """An absolute http(s) URL with a host, or a path (``/v1``: relative to the spec's host)."""
    if not url or _URL_FORBIDDEN.search(url):
        return False
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Zs", "Cs", "Co", "Cn") for c in url):
        return False  # no invisible or bidi characters in what the client connects to
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    if parts.scheme or parts.netloc:
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    return url.startswith("/")


def _is_json(content_type: str) -> bool:
    c = content_type.lower().split(";")[0].strip()
    return c == "application/json" or c.endswith("+json") or c.endswith("/json")


def parse_api(root: dict[str, Any], *, file: str = "<spec>", locate: Callable[[str], Location] | None = None,
              options: ParseOptions | None = None) -> tuple[ir.Api, list[Diagnostic]]:
    parser = Parser(root, file=file, locate=locate, options=options)
    api = parser.parse()
    return api, parser.diagnostics

