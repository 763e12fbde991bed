"""Support for the property test (tests/test_property.py).

* :class:`Spec` wraps one OpenAPI document: :meth:`Spec.validator` is the
  reference validator of a component schema (openapi-schema-validator's OAS 3.0
  or 3.1 dialect, with format checking, ``$ref`` resolved against the document),
  and :meth:`Spec.generation_schema` the self-contained JSON Schema draft-07
  document that hypothesis-jsonschema draws values from.
* :func:`draw_values` draws values with hypothesis, deterministically.
* :func:`json_equal` compares two JSON values with the normalisations the test
  allows (each one documented there).
* :func:`dcg_subset_spec` / :func:`run_dcg` build the second opinion: the
  pydantic v2 models datamodel-code-generator writes for the same schemas.

Values are never taken on hypothesis-jsonschema's word: the generation schema
is a *restriction* of the real one (references deeper than a bound are replaced
by ``false``, unknown keywords dropped), and every drawn value is kept only
when the reference validator accepts it against the *original* schema.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import openapi_schema_validator as osv

# Keywords that only annotate, or that hypothesis-jsonschema (drafts 04-07) does
# not know; dropping them can only widen the generation schema, and the
# reference validator filters whatever that lets through.
_DROP = frozenset({
    "discriminator", "xml", "example", "examples", "externalDocs", "deprecated", "readOnly",
    "writeOnly", "title", "description", "default", "$schema", "$id", "$anchor", "$comment",
    "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "contentMediaType",
    "contentEncoding", "contentSchema", "unevaluatedProperties", "unevaluatedItems", "nullable",
    "$defs", "definitions", "dependentSchemas", "dependentRequired",
})
# Schema-valued keywords (converted recursively).
_SUB_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
            "additionalItems")
_SUB_LIST = ("allOf", "anyOf", "oneOf")
_SUB_MAP = ("properties", "patternProperties")

INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Spec:
    """One OpenAPI document: reference validators and generation schemas of its component schemas."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.oas30 = not str(root.get("openapi", "")).startswith("3.1")
        self.components = root.get("components") or {}
        self._validator_cls = osv.OAS30Validator if self.oas30 else osv.OAS31Validator

    # -------------------------------------------------------------- reference

    def node(self, pointer: str) -> Any:
        target: Any = self.root
        for token in pointer.lstrip("#/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target[int(token)] if isinstance(target, list) else target[token]
        return target

    def validator(self, pointer: str) -> Any:
        """openapi-schema-validator's validator of the schema at ``pointer``, formats checked."""
        schema = self.node(pointer)
        wrapped = {**schema, "components": self.components} if isinstance(schema, dict) else schema
        return self._validator_cls(wrapped, format_checker=self._validator_cls.FORMAT_CHECKER)

    # ------------------------------------------------------------- generation

    def generation_schema(self, pointer: str, *, max_refs: int = 3) -> Any:
        """A self-contained draft-07 schema whose values are (mostly) valid for the one at ``pointer``.

        ``$ref`` is inlined up to ``max_refs`` references deep along any path;
        deeper ones become ``false`` (an optional property there is left out, an
        array there is empty, a union variant there is never chosen), so
        recursive schemas are handled too.  OpenAPI 3.0's ``nullable`` becomes
        ``anyOf [..., {type: null}]`` and its boolean ``exclusiveMinimum`` /
        ``exclusiveMaximum`` the draft-06 numeric form; 3.1's ``const`` and
        type arrays are already draft-07.
        """
        return self._convert(self.node(pointer), max_refs)

    def _convert(self, node: Any, budget: int) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            return True
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"]
            if not ref.startswith("#/") or budget <= 0:
                return False
            target = self._convert(self.node(ref), budget - 1)
            if self.oas30:  # 3.0: siblings of $ref are ignored
                return target
            rest = {k: v for k, v in node.items() if k != "$ref"}
            siblings = self._convert(rest, budget)
            return target if siblings is True or siblings == {} else {"allOf": [target, siblings]}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key == "prefixItems" or (key == "items" and "prefixItems" in node):
                continue
            if key in _SUB_ONE:
                if key == "items" and isinstance(value, list):
                    out[key] = [self._convert(v, budget) for v in value]
                else:
                    out[key] = self._convert(value, budget)
            elif key in _SUB_LIST:
                out[key] = [self._convert(v, budget) for v in value] if isinstance(value, list) else value
            elif key in _SUB_MAP:
                out[key] = {k: self._convert(v, budget) for k, v in (value or {}).items()}
            else:
                out[key] = copy.deepcopy(value)
        if isinstance(node.get("prefixItems"), list):  # 2020-12 tuples as draft-07 ones
            out["items"] = [self._convert(v, budget) for v in node["prefixItems"]]
            out["additionalItems"] = self._convert(node.get("items", True), budget)
        if self.oas30:
            for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
                if isinstance(out.get(key), bool):
                    if out.pop(key) and bound in out:
                        out[key] = out.pop(bound)
        # Integer formats bound the value (the reference validator checks them).
        fmt = out.get("format")
        types = out.get("type")
        if fmt in INT_BOUNDS and (types == "integer" or (isinstance(types, list) and "integer" in types)):
            lo, hi = INT_BOUNDS[fmt]
            out["minimum"] = max(out.get("minimum", lo), lo)
            out["maximum"] = min(out.get("maximum", hi), hi)
        if fmt in ("float", "double") and "type" not in out:
            out["type"] = "number"
        if self.oas30 and node.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out


# ------------------------------------------------------------------ drawing values


def custom_formats() -> dict[str, Any]:
    """Strategies for the OpenAPI formats hypothesis-jsonschema does not know but validators check."""
    from hypothesis import strategies as st  # noqa: PLC0415

    b64 = st.binary(max_size=24).map(lambda b: __import__("base64").b64encode(b).decode("ascii"))
    return {
        "uuid": st.uuids().map(str),
        "byte": b64,
        "binary": st.text(max_size=16),
        "password": st.text(max_size=16),
    }


def _hypothesis_compat() -> None:
    """hypothesis-jsonschema 0.23.1 (the latest) drives ``cu.many`` through ``more()``, which
    hypothesis 6.16x replaced by iteration (``with many(...) as m: for _ in m``).  Give the
    new class the old method, built on the new protocol, when it lacks it."""
    from hypothesis.internal.conjecture import utils as cu  # noqa: PLC0415

    if hasattr(cu.many, "more"):
        return

    def more(self: Any) -> bool:
        iterator = self.__dict__.get("_oagen_iter")
        if iterator is None:
            self.__enter__()
            iterator = self._oagen_iter = iter(self)
        if next(iterator, StopIteration) is StopIteration:
            self.__exit__(None)
            return False
        return True

    cu.many.more = more


class DrawError(Exception):
    """hypothesis-jsonschema could not turn the schema into a strategy (the reason is the message)."""


def draw_values(schema: Any, count: int) -> list[Any]:
    """Up to ``count`` distinct values drawn from ``schema``, the same ones on every run."""
    from hypothesis import HealthCheck, Phase, given, settings  # noqa: PLC0415
    from hypothesis.errors import HypothesisException  # noqa: PLC0415
    from hypothesis_jsonschema import from_schema  # noqa: PLC0415

    _hypothesis_compat()
    seen: dict[str, Any] = {}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        strategy = from_schema(schema, custom_formats=custom_formats())

        @settings(max_examples=count, derandomize=True, database=None, deadline=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)
        @given(strategy)
        def collect(value: Any) -> None:
            seen.setdefault(json.dumps(value, sort_keys=True), value)

        try:
            collect()
        except HypothesisException as exc:
            if not seen:
                raise DrawError(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        except (RecursionError, ValueError, TypeError, KeyError, AssertionError, re.error) as exc:
            # hypothesis-jsonschema's canonicaliser or resolver gave up on this schema
            raise DrawError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
    return list(seen.values())


# ---------------------------------------------------------------------- comparing


def _parse_datetime(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T").replace("Z", "+00:00"))
    except ValueError:
        return None


def json_equal(expected: Any, got: Any, *, path: str = "$") -> str | None:
    """``None`` when ``got`` is ``expected`` up to the allowed normalisations, else where they differ.

    Normalisations (each is an equality JSON already has, or a loss the wire format permits):

    * numbers compare by value, ``1 == 1.0`` (JSON has one number type; a ``number``
      field is a Python float and dumps ``1.0``) — but a boolean never equals a number
      (Python's ``True == 1`` is not JSON's);
    * an integer beyond 2**53 read into a ``number`` (float) field compares as a double:
      RFC 8259 §6 — interoperable JSON numbers are IEEE doubles;
    * two strings that are both RFC 3339 date-times compare as the same instant with the
      same UTC offset (``Z`` == ``+00:00``, ``t`` == ``T``, trailing zeros of the fraction):
      a ``date-time`` field is a ``datetime`` and dumps its canonical ISO form.
    """
    if isinstance(expected, bool) or isinstance(got, bool):
        return None if type(expected) is type(got) and expected == got else f"{path}: {expected!r} != {got!r}"
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        if expected == got:
            return None
        if isinstance(expected, int) and isinstance(got, float) and float(expected) == got:
            return None
        if isinstance(expected, float) and isinstance(got, float) and math.isclose(expected, got, rel_tol=0, abs_tol=0):
            return None
        return f"{path}: {expected!r} != {got!r}"
    if isinstance(expected, str) and isinstance(got, str):
        if expected == got:
            return None
        a, b = _parse_datetime(expected), _parse_datetime(got)
        if a is not None and b is not None and "T" in expected.upper() and a == b and a.utcoffset() == b.utcoffset():
            return None
        return f"{path}: {expected!r} != {got!r}"
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return f"{path}: {len(expected)} items != {len(got)} items"
        for i, (x, y) in enumerate(zip(expected, got)):
            diff = json_equal(x, y, path=f"{path}[{i}]")
            if diff:
                return diff
        return None
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got):
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            return f"{path}: keys missing {missing}, keys added {extra}"
        for key in expected:
            diff = json_equal(expected[key], got[key], path=f"{path}.{key}")
            if diff:
                return diff
        return None
    if expected is None and got is None:
        return None
    return f"{path}: {expected!r} != {got!r}"


# ------------------------------------------------------------------ second opinion


def refs_closure(spec: Spec, names: list[str]) -> list[str]:
    """The component schema names ``names`` reference, transitively (themselves included)."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                    todo.append(ref.split("/", 3)[3].replace("~1", "/").replace("~0", "~"))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(spec.components["schemas"][name])
    return sorted(seen)


def dcg_subset_spec(spec: Spec, names: list[str]) -> dict[str, Any]:
    """A spec with no paths and only ``names`` and what they reference among its schemas."""
    schemas = spec.components["schemas"]
    keep = refs_closure(spec, names)
    return {
        "openapi": spec.root["openapi"],
        "info": {"title": "subset", "version": "0"},
        "paths": {},
        "components": {"schemas": {name: schemas[name] for name in keep}},
    }


DCG_OPTIONS = (
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.10",
    "--disable-timestamp",
    # JSON Schema allows unknown properties unless additionalProperties says
    # otherwise; DCG's default (pydantic's extra="ignore") would drop them on
    # every round trip.  test_dcg_default_drops_unknown_properties pins that default.
    "--extra-fields", "allow",
    "--formatters", "builtin",
)


def run_dcg(spec_doc: dict[str, Any], folder: Path, module: str, extra: tuple[str, ...] = ()) -> Any:
    """Run datamodel-codegen on ``spec_doc``; import and return the models module (named ``module``)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{module}.json"
    source.write_text(json.dumps(spec_doc))
    target = folder / f"{module}.py"
    exe = Path(sys.executable).with_name("datamodel-codegen")
    proc = subprocess.run(
        [str(exe), "--input", str(source), *DCG_OPTIONS, *extra, "--output", str(target)],
        capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"datamodel-codegen failed: {proc.stderr[-3000:]}")
    spec = importlib.util.spec_from_file_location(module, target)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[module] = mod
    spec.loader.exec_module(mod)
    return mod


def dcg_class_name(schema_name: str) -> str:
    """The class name datamodel-code-generator gives a component schema (its default naming)."""
    parts = re.split(r"[^0-9A-Za-z_]+", schema_name)
    name = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if name and name[0].isdigit():
        name = f"Field{name}"
    return name


def round_trip(adapter_validate: Callable[[Any], Any], dump: Callable[[Any], Any], value: Any) -> tuple[str, str]:
    """("ok"|"rejected"|"differs"|"crash", detail) of validating ``value`` and dumping it back."""
    try:
        obj = adapter_validate(value)
    except Exception as exc:  # noqa: BLE001 - a pydantic ValidationError or anything else
        kind = "rejected" if type(exc).__name__ == "ValidationError" else "crash"
        return kind, f"{type(exc).__name__}: {str(exc)[:600]}"
    try:
        out = dump(obj)
    except Exception as exc:  # noqa: BLE001
        return "crash", f"dump: {type(exc).__name__}: {str(exc)[:600]}"
    diff = json_equal(value, out)
    return ("ok", "") if diff is None else ("differs", diff)
