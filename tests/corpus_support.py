"""Support for the conformance tests on the real specs in ../shared/corpus.

* :func:`sample` builds a JSON value that is valid for a JSON Schema: the
  schema's own examples first, then the smallest schema-valid value
  (required properties only, minimum lengths and bounds, the first enum value,
  the first ``oneOf`` variant).
* :func:`call_plan` turns one operation of the IR plus its raw OpenAPI node into
  the positional and keyword arguments of the generated method: wire names are
  mapped to the Python names the generator chose (the same map ``oagen ops``
  prints), a flattened JSON body is split into keyword arguments, file fields of
  a multipart body get bytes.
* :func:`expected_check` says what the call must return: the declared model
  class, ``bytes``, ``str``, a list, or None.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from generator import ir

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_SPECS = ("together", "portkey", "openai")
SPECS = {"together": "Together", "portkey": "Portkey", "openai": "OpenAI"}
MISSING_CORPUS = (
    f"the corpus of real specs is missing ({CORPUS}); clone the project next to its shared/ folder "
    "(CI always has it)"
)


def require_corpus() -> Path:
    if not CORPUS.is_dir():
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(MISSING_CORPUS, pytrace=False)
        pytest.skip(MISSING_CORPUS)
    return CORPUS


def build_corpus(out: Path) -> dict[str, Any]:
    """Generate every corpus spec into ``out`` as packages ``corpus_<name>`` (importable from ``out``)."""
    from generator.config import client_for_spec  # noqa: PLC0415
    from generator.core import generate  # noqa: PLC0415
    from generator.load import load_document  # noqa: PLC0415
    from generator.write import write_package  # noqa: PLC0415

    built: dict[str, Any] = {}
    for name, cls in SPECS.items():
        spec = CORPUS / f"{name}.yaml"
        client = client_for_spec(spec, out / f"corpus_{name}", cls)
        doc = load_document(spec)
        result = generate(doc, client)
        write_package(client.output, result.files)
        built[name] = {"doc": doc, "result": result, "package": f"corpus_{name}", "client": client}
    built["_dir"] = out
    return built


# ------------------------------------------------------------------------- values


class Sampler:
    """Schema-valid sample values, examples first; bounded depth, no randomness."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        import openapi_schema_validator as osv  # noqa: PLC0415

        version = str(root.get("openapi", ""))
        self._validator_cls = osv.OAS31Validator if version.startswith("3.1") else osv.OAS30WriteValidator
        self._components = root.get("components") or {}

    def valid(self, value: Any, schema: Any) -> bool:
        """Whether ``value`` is valid for ``schema`` (refs resolved against the document)."""
        if not isinstance(schema, dict):
            return True
        if isinstance(value, bytes):
            return True
        wrapped = {**schema, "components": self._components}
        try:
            validator = self._validator_cls(wrapped, format_checker=self._validator_cls.FORMAT_CHECKER)
            return not any(True for _ in validator.iter_errors(value))
        except Exception:  # noqa: BLE001 - a schema the validator cannot compile
            return True

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            target: Any = self.root
            for token in node["$ref"][2:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                target = target[int(token)] if isinstance(target, list) else target[token]
            node, seen = target, seen + 1
        return node

    @staticmethod
    def example_of(node: dict[str, Any]) -> tuple[bool, Any]:
        if "example" in node:
            return True, node["example"]
        examples = node.get("examples")
        if isinstance(examples, list) and examples:
            return True, examples[0]
        if isinstance(examples, dict) and examples:
            first = next(iter(examples.values()))
            if isinstance(first, dict) and "value" in first:
                return True, first["value"]
        return False, None

    def sample(self, node: Any, depth: int = 0, *, for_request: bool = True, use_examples: bool = True) -> Any:
        node = self.resolve(node)
        if not isinstance(node, dict) or depth > 12:
            return None if depth > 12 else "x"
        if use_examples:
            found, value = self.example_of(node)
            if found and value is not None and self.valid(value, node):
                return value
        if "const" in node:
            return node["const"]
        if isinstance(node.get("enum"), list) and node["enum"]:
            values = [v for v in node["enum"] if v is not None]
            return values[0] if values else None
        if "default" in node and node["default"] is not None and self._default_ok(node):
            return node["default"]
        for key in ("oneOf", "anyOf"):
            variants = node.get(key)
            if isinstance(variants, list) and variants:
                ordered = sorted(
                    variants,
                    key=lambda v: (self.resolve(v).get("type") == "null" if isinstance(self.resolve(v), dict) else 1),
                )
                base = {k: v for k, v in node.items() if k not in (key, "discriminator")}
                if base.get("properties") and all(
                    isinstance(v, dict) and set(v) <= {"required", "description", "title"} for v in variants
                ):
                    # oneOf/anyOf that only choose which properties are required
                    for variant in variants:
                        value = self.sample(
                            {**base, "required": list(base.get("required") or []) + list(variant.get("required") or [])},
                            depth + 1, for_request=for_request, use_examples=use_examples,
                        )
                        if self.valid(value, node):
                            return value
                first = None
                for variant in ordered:
                    value = self.sample(variant, depth + 1, for_request=for_request, use_examples=use_examples)
                    if base.get("properties") and isinstance(value, dict):
                        merged = self.sample({**base, "type": "object"}, depth + 1, for_request=for_request,
                                             use_examples=use_examples)
                        if isinstance(merged, dict):
                            value = {**merged, **value}
                    if first is None:
                        first = value
                    if depth > 6 or self.valid(value, node):
                        return value
                return first
        if isinstance(node.get("allOf"), list):
            merged: dict[str, Any] = {"properties": {}, "required": []}
            for part in node["allOf"]:
                part = self.resolve(part)
                if not isinstance(part, dict):
                    continue
                if "allOf" in part or "oneOf" in part or "anyOf" in part:
                    value = self.sample(part, depth + 1, for_request=for_request, use_examples=use_examples)
                    if not isinstance(value, dict):
                        return value
                    merged.setdefault("x-fixed", {}).update(value)
                    continue
                merged["properties"].update(part.get("properties") or {})
                merged["required"] += list(part.get("required") or [])
                for k in ("type", "enum", "format", "items", "minLength", "pattern", "minimum"):
                    if k in part and k not in merged:
                        merged[k] = part[k]
            merged["properties"].update(node.get("properties") or {})
            merged["required"] += list(node.get("required") or [])
            fixed = merged.pop("x-fixed", {})
            if not merged["properties"] and "type" in merged and merged["type"] != "object":
                return self.sample(merged, depth + 1, for_request=for_request, use_examples=use_examples)
            value = self.sample({**merged, "type": "object"}, depth + 1, for_request=for_request,
                                use_examples=use_examples)
            return {**fixed, **value} if isinstance(value, dict) else value
        types = node.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            types = non_null[0] if non_null else "null"
        if types is None:
            if "properties" in node or "additionalProperties" in node:
                types = "object"
            elif "items" in node:
                types = "array"
            else:
                return "x"
        return self._typed(types, node, depth, for_request, use_examples)

    def _default_ok(self, node: dict[str, Any]) -> bool:
        t = node.get("type")
        d = node["default"]
        if t == "boolean":
            return isinstance(d, bool)
        if t == "integer":
            return isinstance(d, int) and not isinstance(d, bool)
        if t == "number":
            return isinstance(d, (int, float)) and not isinstance(d, bool)
        if t == "string":
            return isinstance(d, str)
        return t is not None

    def _typed(self, t: str, node: dict[str, Any], depth: int, for_request: bool, use_examples: bool) -> Any:
        if t == "string":
            fmt = node.get("format")
            if fmt == "date-time":
                return "2024-01-01T00:00:00Z"
            if fmt == "date":
                return "2024-01-01"
            if fmt == "time":
                return "12:00:00"
            if fmt == "uuid":
                return "00000000-0000-4000-8000-000000000000"
            if fmt in ("email", "idn-email"):
                return "user@example.com"
            if fmt in ("uri", "url", "iri", "uri-reference"):
                return "https://example.com/x"
            if fmt in ("binary",):
                return b"oagen"
            if fmt == "byte":
                return "b2FnZW4="
            if fmt in ("ipv4",):
                return "127.0.0.1"
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                value = _from_pattern(pattern)
                if value is not None:
                    return value
            size = max(int(node.get("minLength", 1) or 1), 1)
            maximum = node.get("maxLength")
            text = ("oagen" * (size // 5 + 1))[: max(size, 5)]
            if isinstance(maximum, int):
                text = text[:maximum]
            return text
        if t == "integer":
            low = node.get("minimum", node.get("exclusiveMinimum"))
            value = 1
            if isinstance(low, (int, float)) and not isinstance(low, bool):
                value = int(low) + (1 if "exclusiveMinimum" in node and not isinstance(node["exclusiveMinimum"], bool) else 0)
                value = max(value, int(low))
            high = node.get("maximum")
            if isinstance(high, (int, float)) and not isinstance(high, bool) and value > high:
                value = int(high)
            return value
        if t == "number":
            low = node.get("minimum")
            high = node.get("maximum")
            value = 0.5
            if isinstance(low, (int, float)) and not isinstance(low, bool):
                value = float(low) if value < low else value
            if isinstance(high, (int, float)) and not isinstance(high, bool) and value > high:
                value = float(high)
            return value
        if t == "boolean":
            return True
        if t == "null":
            return None
        if t == "array":
            count = max(int(node.get("minItems", 1) or 1), 1)
            item = self.sample(node.get("items", {}), depth + 1, for_request=for_request, use_examples=use_examples)
            return [item] * count
        if t == "object":
            props = node.get("properties") or {}
            required = [r for r in node.get("required") or [] if r in props]
            out: dict[str, Any] = {}
            minimum = node.get("minProperties", 0) if isinstance(node.get("minProperties"), int) else 0
            optional = [p for p in props if p not in required]
            for name in required + optional[: max(0, minimum - len(required))]:
                prop = self.resolve(props[name])
                if for_request and isinstance(prop, dict) and prop.get("readOnly"):
                    continue
                out[name] = self.sample(props[name], depth + 1, for_request=for_request, use_examples=use_examples)
            return out
        return "x"


def _from_pattern(pattern: str) -> str | None:
    """A string matching a (simple) regular expression, or None."""
    simple = {
        r"^[a-zA-Z0-9_-]+$": "oagen",
        r"^[a-zA-Z0-9_-]{1,64}$": "oagen",
        r"^[a-zA-Z0-9-_]+$": "oagen",
    }
    if pattern in simple:
        return simple[pattern]
    try:
        from hypothesis import strategies as st  # noqa: PLC0415
        from hypothesis.errors import NonInteractiveExampleWarning  # noqa: PLC0415
        import warnings  # noqa: PLC0415
        import random  # noqa: PLC0415

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonInteractiveExampleWarning)
            state = random.getstate()
            random.seed(0)
            try:
                value = st.from_regex(pattern, fullmatch=True).example()
            finally:
                random.setstate(state)
        return value if re.fullmatch(pattern, value) else None
    except Exception:  # noqa: BLE001 - a pattern hypothesis cannot handle
        return None


# ------------------------------------------------------------------------- calls


@dataclass
class CallPlan:
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    skip: str | None = None


def _op_node(root: dict[str, Any], op: ir.Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    item = root["paths"][op.path]
    if isinstance(item, dict) and "$ref" in item:
        item = Sampler(root).resolve(item)
    return item[op.method], item


def call_plan(root: dict[str, Any], op: ir.Operation, *, use_examples: bool = True) -> CallPlan:
    sampler = Sampler(root)
    node, item = _op_node(root, op)
    raw_params: dict[tuple[str, str], dict[str, Any]] = {}
    for p in list(item.get("parameters") or []) + list(node.get("parameters") or []):
        p = sampler.resolve(p)
        if isinstance(p, dict):
            raw_params[(p.get("name"), p.get("in"))] = p
    plan = CallPlan()
    for p in op.params:
        raw = raw_params.get((p.wire_name, p.location), {})
        schema = sampler.resolve(raw.get("schema") or {})
        if raw.get("content") and not raw.get("schema"):
            media = next(iter(raw["content"].values()))
            schema = sampler.resolve(media.get("schema") or {})
        structured = isinstance(schema, dict) and (schema.get("type") in ("object", "array") or "properties" in schema)
        # Prism exits when an optional object/array header is left out: always send those.
        needed = p.required or (p.location == "header" and structured)
        if not needed:
            continue
        found, value = Sampler.example_of(raw)
        if not found or value is None or not use_examples or not sampler.valid(value, schema):
            value = sampler.sample(schema, use_examples=use_examples)
        if p.location == "path":
            value = value if value not in (None, "") else "x"
            plan.args.append(value)
        else:
            plan.kwargs[p.py_name] = value
    body = op.body
    if body is not None:
        raw_body = sampler.resolve(node.get("requestBody") or {})
        media = (raw_body.get("content") or {}).get(body.content_type) or {}
        found, value = Sampler.example_of(media)
        schema = media.get("schema") or {}
        if not found or value is None or not use_examples or not sampler.valid(value, schema):
            value = sampler.sample(schema, use_examples=use_examples)
            if not sampler.valid(value, schema):
                value = sampler.sample(schema, use_examples=False)
        if body.encoding == "multipart" and isinstance(value, dict):
            value = _files_as_bytes(sampler, schema, value)
        if body.mode == "fields":
            if not isinstance(value, dict):
                value = sampler.sample(schema, use_examples=False)
            if not isinstance(value, dict):
                value = {}
            by_wire = {f.wire_name: f for f in body.fields}
            extra: dict[str, Any] = {}
            for key, v in (value or {}).items():
                if key in by_wire:
                    plan.kwargs[by_wire[key].py_name] = v
                else:
                    extra[key] = v
            for f in body.fields:
                if f.required and f.py_name not in plan.kwargs:
                    plan.kwargs[f.py_name] = sampler.sample(
                        (sampler.resolve(schema).get("properties") or {}).get(f.wire_name, {}), use_examples=use_examples
                    )
            if extra:
                plan.kwargs["extra_body"] = extra
        elif body.required or value is not None:
            if body.encoding in ("binary",):
                value = b"oagen"
            elif body.encoding == "text":
                value = value if isinstance(value, str) else "oagen"
            plan.kwargs["body"] = value
    return plan


def _files_as_bytes(sampler: Sampler, schema: Any, value: dict[str, Any]) -> dict[str, Any]:
    schema = sampler.resolve(schema)
    props = (schema.get("properties") or {}) if isinstance(schema, dict) else {}
    out = dict(value)
    for key, prop in props.items():
        prop = sampler.resolve(prop)
        if isinstance(prop, dict) and prop.get("format") == "binary":
            out[key] = b"oagen test file"
        elif key in out and isinstance(out[key], str) and isinstance(prop, dict) and prop.get("format") == "binary":
            out[key] = out[key].encode()
    for key, v in list(out.items()):
        if isinstance(v, bytes):
            continue
    return out


def expected_check(api: ir.Api, op: ir.Operation, models: Any) -> Callable[[Any], bool]:
    """A predicate on the call's result that says it was parsed into the declared type."""
    if op.pagination is not None:
        item_ok = _type_check(api, op.pagination.item, models)
        return lambda r: hasattr(r, "has_next_page") and all(item_ok(x) for x in r.items)
    if op.result_kind == "sse":
        return lambda r: hasattr(r, "__iter__") and hasattr(r, "close")
    if op.result_kind == "empty" or op.result is None:
        return lambda r: r is None
    if op.result_kind == "binary":
        return lambda r: isinstance(r, bytes)
    if op.result_kind == "text":
        return lambda r: isinstance(r, str)
    return _type_check(api, op.result, models)


def _type_check(api: ir.Api, t: ir.TypeRef, models: Any) -> Callable[[Any], bool]:
    if isinstance(t, ir.NamedRef):
        d = api.definition(t)
        cls = getattr(models, d.name)
        if isinstance(d, ir.AliasDef):
            return _type_check(api, d.type, models)
        if isinstance(d, ir.EnumDef):
            return lambda r: isinstance(r, cls) or (r is None and d.nullable)
        return lambda r: isinstance(r, cls)
    if isinstance(t, ir.ArrayType):
        inner = _type_check(api, t.item, models)
        return lambda r: isinstance(r, list) and all(inner(x) for x in r)
    if isinstance(t, ir.MapType):
        return lambda r: isinstance(r, dict)
    if isinstance(t, ir.UnionType):
        checks = [_type_check(api, v, models) for v in t.variants]
        return lambda r: any(c(r) for c in checks)
    if isinstance(t, ir.Primitive):
        kinds: dict[str, Any] = {"str": str, "int": int, "float": (int, float), "bool": bool, "bytes": bytes}
        if t.kind == "none":
            return lambda r: r is None
        if t.kind in kinds:
            return lambda r: isinstance(r, kinds[t.kind])
        return lambda r: True
    if isinstance(t, ir.LiteralType):
        return lambda r: r in t.values
    return lambda r: True
