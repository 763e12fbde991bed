"""Support for the property test (tests/test_property.py).

* :class:`Spec` wraps one OpenAPI document: :meth:`Spec.validator` is the reference
  validator of a schema (openapi-schema-validator's OAS 3.0 or 3.1 dialect, formats
  checked, ``$ref`` resolved against the document), :meth:`Spec.generation_schema` the
  self-contained draft-07 schema hypothesis-jsonschema draws values from.
* :func:`draw_values` draws values with hypothesis, deterministically.
* :func:`generate_package` generates a spec's models in-process (no black).
* :func:`json_diffs` compares two JSON values with the normalisations the round trip
  allows (each documented there); :func:`round_trip` validates, dumps back, compares.
* :func:`dcg_subset_spec` / :func:`run_dcg` build the second opinion: the pydantic v2
  models datamodel-code-generator writes for the same schemas.

Values are never taken on hypothesis-jsonschema's word: the generation schema is mostly
a restriction of the real one (deep references cut, sizes bounded) but also drops what
hypothesis-jsonschema does not know, so every drawn value is kept only when the
reference validator accepts it against the *original* schema.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

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

# What the unknown properties of the top-level object are drawn from.
TOP_EXTRA: Any = {"type": ["string", "integer", "boolean", "null"]}
# Nested arrays are drawn with at most this many items (when their minItems allows).
MAX_ITEMS = 3
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Spec:
    """One OpenAPI document: reference validators and generation schemas of its component schemas."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.oas30 = not str(root.get("openapi", "")).startswith("3.1")
        self.components = root.get("components") or {}
        self._validator_cls = osv.OAS30Validator if self.oas30 else osv.OAS31Validator
        self._leaves: dict[str, bool] = {}

    # -------------------------------------------------------------- reference

    def node(self, pointer: str) -> Any:
        target: Any = self.root
        for token in pointer.lstrip("#/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target[int(token)] if isinstance(target, list) else target[token]
        return target

    def explicitly_nullable(self, pointer: str) -> bool:
        """Whether the schema itself says ``null`` is a value (3.0 ``nullable``, a 3.1 type array)."""
        node = self.node(pointer)
        if not isinstance(node, dict):
            return False
        types = node.get("type")
        return (self.oas30 and node.get("nullable") is True) or (isinstance(types, list) and "null" in types)

    def validator(self, pointer: str) -> Any:
        """openapi-schema-validator's validator of the schema at ``pointer``, formats checked."""
        schema = self.node(pointer)
        wrapped = {**schema, "components": self.components} if isinstance(schema, dict) else schema
        return self._validator_cls(wrapped, format_checker=self._validator_cls.FORMAT_CHECKER)

    # ------------------------------------------------------------- generation

    def generation_schema(self, pointer: str, *, max_refs: int = 3) -> Any:
        """A self-contained draft-07 schema whose values are (mostly) valid for the one at ``pointer``.

        It is a restriction of the real schema, so that drawing stays fast and finite:

        * ``$ref`` is inlined up to ``max_refs`` references deep along any path (a
          reference to a schema that references nothing, such as an enum, does not count);
          deeper ones become ``false`` (an optional property there is left out, an array
          there is empty, a union variant there is never chosen): recursive schemas work;
        * unknown properties (allowed unless ``additionalProperties`` says otherwise) are
          drawn only on the top-level object, and only with scalar values: on nested
          objects hypothesis-jsonschema's object strategy rejects most of its own draws
          (about 15 times slower), and one level already exercises "unknown fields are
          kept"; nested arrays get at most ``MAX_ITEMS`` items;
        * the readings every generator shares, where JSON Schema alone would allow more
          (each pinned in tests/test_property.py): ``properties``/``required`` without
          ``type`` mean an object and ``items`` without ``type`` an array
          (test_keywords_without_type_are_read_as_that_type), ``{"$recursiveRef": "#"}``
          (a 2019-09 keyword that 2020-12 ignores) means the enclosing component
          (test_recursive_ref_is_read_as_the_enclosing_schema);
        * OpenAPI 3.0's ``nullable`` becomes ``anyOf [..., {type: null}]`` and its boolean
          ``exclusiveMinimum``/``exclusiveMaximum`` the numeric form; 3.1's
          ``prefixItems`` becomes draft-07's ``items`` array; ``int32``/``int64`` bound
          the integer; annotations and keywords hypothesis-jsonschema does not know are
          dropped (the reference validator still checks them).
        """
        home = "/".join(pointer.split("/")[:4])
        return self._convert(self.node(pointer), max_refs, merged=False, top=True, home=home)

    def _is_leaf(self, ref: str) -> bool:
        """Whether the schema ``ref`` names references nothing (inlining it costs no depth)."""
        leaf = self._leaves.get(ref)
        if leaf is None:
            text = json.dumps(self.node(ref))
            leaf = self._leaves[ref] = '"$ref"' not in text and '"$recursiveRef"' not in text
        return leaf

    def _convert(self, node: Any, budget: int, *, merged: bool = False, top: bool = False, home: str = "") -> Any:
        """``merged``: the value is also checked by sibling schemas (an ``allOf`` member, or
        below one through ``anyOf``/``oneOf``/``$ref``) that may declare more properties, so
        unknown properties must not be restricted here.  ``top``: the tested value itself
        (not a part of it).  ``home``: the component the node is in."""
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            return True
        if node.get("$recursiveRef") == "#" and home and "$ref" not in node:
            node = {**{k: v for k, v in node.items() if k != "$recursiveRef"}, "$ref": home}
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return False
            cost = 0 if self._is_leaf(ref) else 1
            if budget < cost:
                return False
            there = "/".join(ref.split("/")[:4]) if ref.startswith("#/components/schemas/") else home
            rest = {k: v for k, v in node.items() if k != "$ref"}
            if self.oas30 or not rest:  # 3.0: siblings of $ref are ignored
                return self._convert(self.node(ref), budget - cost, merged=merged, top=top, home=there)
            target = self._convert(self.node(ref), budget - cost, merged=True, top=top, home=there)
            siblings = self._convert(rest, budget, merged=True, top=top, home=home)
            return {"allOf": [target, siblings]}
        sub = lambda v: self._convert(v, budget, home=home)  # noqa: E731 - a part of the value
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key == "prefixItems" or (key == "items" and "prefixItems" in node):
                continue
            if key == "not":
                out[key] = self._convert(value, budget, merged=True, home=home)
            elif key in _SUB_ONE:
                out[key] = [sub(v) for v in value] if isinstance(value, list) else sub(value)
            elif key in _SUB_LIST:
                inner = merged or key == "allOf" or "properties" in node or "type" in node
                out[key] = [self._convert(v, budget, merged=inner, top=top, home=home) for v in value] \
                    if isinstance(value, list) else value
            elif key in _SUB_MAP:
                out[key] = {k: sub(v) for k, v in (value or {}).items()}
            else:
                out[key] = copy.deepcopy(value)
        if isinstance(node.get("prefixItems"), list):  # 2020-12 tuples as draft-07 ones
            out["items"] = [sub(v) for v in node["prefixItems"]]
            out["additionalItems"] = sub(node.get("items", True))
        if "items" in out and not top and out.get("minItems", 0) <= MAX_ITEMS:
            out["maxItems"] = min(out.get("maxItems", MAX_ITEMS), MAX_ITEMS)
        if self.oas30:
            for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
                if isinstance(out.get(key), bool):
                    if out.pop(key) and bound in out:
                        out[key] = out.pop(bound)
        if "type" not in out:
            if any(k in out for k in ("properties", "required", "additionalProperties")):
                out["type"] = "object"
            elif any(k in out for k in ("items", "minItems", "maxItems")):
                out["type"] = "array"
        fmt = out.get("format")
        types = out.get("type")
        if fmt in INT_BOUNDS and (types == "integer" or (isinstance(types, list) and "integer" in types)):
            lo, hi = INT_BOUNDS[fmt]
            out["minimum"] = max(out.get("minimum", lo), lo)
            out["maximum"] = min(out.get("maximum", hi), hi)
        if "additionalProperties" not in out and not merged and not any(k in out for k in _SUB_LIST) \
                and _is_object_schema(out):
            out["additionalProperties"] = TOP_EXTRA if top else False
        if self.oas30 and node.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out


def _is_object_schema(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return types == "object" or (isinstance(types, list) and "object" in types) or (
        types is None and "properties" in schema)


# ------------------------------------------------------------------ drawing values


def custom_formats() -> dict[str, Any]:
    """Strategies for the OpenAPI formats hypothesis-jsonschema does not know but validators check."""
    from hypothesis import strategies as st  # noqa: PLC0415

    b64 = st.binary(max_size=24).map(lambda b: __import__("base64").b64encode(b).decode("ascii"))
    return {
        # RFC 9562 UUIDs are case-insensitive: upper case is a valid value too
        "uuid": st.tuples(st.uuids(), st.booleans()).map(lambda t: str(t[0]).upper() if t[1] else str(t[0])),
        "byte": b64,
        "binary": st.text(max_size=16),
        "password": st.text(max_size=16),
    }


def _hypothesis_compat() -> None:
    """hypothesis-jsonschema 0.23.1 (the latest release) drives hypothesis's internal
    ``cu.many`` through ``many.more()``, which recent hypothesis (6.170 here) replaced by
    iteration (``with many(...) as m: for _ in m``): every object schema then fails with
    ``AttributeError: 'many' object has no attribute 'more'``.  Give the new class the old
    method, built on the new protocol, when it lacks it (a no-op with an older hypothesis)."""
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

    cu.many.more = more  # type: ignore[attr-defined]


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


# ----------------------------------------------------------------- oagen's models


def is_model_file(path: str) -> bool:
    """Whether ``<package>.models`` needs the file: the ``models`` package and the runtime modules
    it imports (``_models.py``, the open enums' ``_enums.py`` and ``_exceptions.py``)."""
    return path in ("_models.py", "_enums.py", "_exceptions.py") or path.startswith("models/")


def _unformatted(files: dict[str, str], *args: Any, **kwargs: Any) -> dict[str, str]:
    return files


def generate_package(spec_path: Path, out: Path, package: str, client_class: str, *,
                     cache: Any = None) -> Any:
    """Generate ``spec_path`` in-process, write its models into ``out/package`` (importable as
    ``package.models`` once ``out`` is on sys.path), return the document and the
    :class:`generator.core.Result`.

    Everything ``oagen generate`` does except black: black preserves the AST (it checks
    that it does), so the unformatted package behaves exactly as the formatted one, and
    formatting the OpenAI models alone takes a minute on a cold cache.  ``cache`` serves
    only what does not depend on formatting (the validation findings).
    """
    from unittest import mock  # noqa: PLC0415

    import generator.core as core  # noqa: PLC0415
    from generator.config import client_for_spec  # noqa: PLC0415
    from generator.load import load_document  # noqa: PLC0415
    from generator.write import write_package  # noqa: PLC0415

    client = client_for_spec(spec_path, out / package, client_class)
    doc = load_document(spec_path)
    with mock.patch.object(core, "format_files", _unformatted):
        result = core.generate(doc, client, cache=_ValidationOnly(cache) if cache is not None else None)
    # Only ``models`` is imported: the package's __init__ (which imports the client and
    # every resource) is left out, so that this test depends on the models alone.
    files = {path: text for path, text in result.files.items() if is_model_file(path)}
    files["__init__.py"] = '"""The models of a generated package (the property test imports nothing else)."""\n'
    write_package(client.output, files)
    return doc, result


class _ValidationOnly:
    """A view of a cache that serves and stores validation findings only."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def get(self, namespace: str, key: str) -> str | None:
        return self.cache.get(namespace, key) if namespace == "validate" else None

    def put(self, namespace: str, key: str, value: str) -> None:
        if namespace == "validate":
            self.cache.put(namespace, key, value)


def import_fresh(module: str) -> Any:
    """Import ``module`` (a package generated in this session)."""
    importlib.invalidate_caches()
    return importlib.import_module(module)


# ---------------------------------------------------------------------- comparing


_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\d)[Tt](\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)")


def _parse_datetime(text: str) -> dt.datetime | None:
    """An RFC 3339 date-time, its fraction cut to microseconds; None for anything else."""
    m = _RFC3339.fullmatch(text)
    if m is None:
        return None
    date, time_, frac, offset = m.groups()
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return dt.datetime.fromisoformat(f"{date}T{time_}.{(frac or '0')[:6].ljust(6, '0')}{offset}")
    except ValueError:
        return None


def _same_uuid(a: str, b: str) -> bool:
    import uuid  # noqa: PLC0415

    try:
        return uuid.UUID(a) == uuid.UUID(b) and b == b.lower() and len(a) == len(b)
    except ValueError:
        return False


@dataclass(frozen=True)
class Diff:
    """Where two JSON values differ: the JSON path, and the two parts there."""

    path: str
    expected: Any
    got: Any
    what: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.what or f'{self.expected!r} != {self.got!r}'}"


def json_diffs(expected: Any, got: Any, path: str = "$") -> Iterator[Diff]:
    """Every place where ``got`` is not ``expected`` up to the allowed normalisations.

    Normalisations (each is an equality JSON already has):

    * numbers compare by value, ``1 == 1.0``: JSON has one number type, and a ``number``
      field is a Python float that dumps ``1.0``; an integer read into a float field
      compares as the double it becomes (RFC 8259 §6: interoperable JSON numbers are IEEE
      doubles).  A boolean never equals a number (Python's ``True == 1`` is not JSON's);
    * a UUID compares case-insensitively (RFC 9562 §4: "case insensitive on input"; a
      ``uuid`` field is a ``uuid.UUID`` and dumps lower case);
    * two strings that are the same RFC 3339 date-time compare equal when they name the
      same instant with the same UTC offset (``Z`` == ``+00:00``, ``t`` == ``T``, trailing
      zeros of the fraction) to the microsecond: a ``date-time`` field is a ``datetime``,
      which dumps its canonical ISO form and keeps 6 digits of the fraction (Python's
      resolution; RFC 3339 allows any number).
    """
    if isinstance(expected, bool) or isinstance(got, bool):
        if not (type(expected) is type(got) and expected == got):
            yield Diff(path, expected, got)
        return
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        if not (expected == got or (isinstance(expected, int) and isinstance(got, float) and float(expected) == got)):
            yield Diff(path, expected, got)
        return
    if isinstance(expected, str) and isinstance(got, str):
        if expected == got or _same_uuid(expected, got):
            return
        a, b = _parse_datetime(expected), _parse_datetime(got)
        if not (a is not None and b is not None and a == b and a.utcoffset() == b.utcoffset()):
            yield Diff(path, expected, got)
        return
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            yield Diff(path, expected, got, f"{len(expected)} items != {len(got)} items")
            return
        for i, (x, y) in enumerate(zip(expected, got)):
            yield from json_diffs(x, y, f"{path}[{i}]")
        return
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got):
            missing = sorted(set(expected) - set(got))
            added = sorted(set(got) - set(expected))
            yield Diff(path, expected, got, f"keys missing {missing}, keys added {added}")
        for key in expected:
            if key in got:
                yield from json_diffs(expected[key], got[key], f"{path}.{key}")
        return
    if not (expected is None and got is None):
        yield Diff(path, expected, got)


def json_diff(expected: Any, got: Any) -> Diff | None:
    """The first of :func:`json_diffs`, or None when the values are the same JSON."""
    return next(json_diffs(expected, got), None)


@dataclass(frozen=True)
class Outcome:
    """What validating a value and dumping it back gave."""

    kind: str  # "ok" | "rejected" (a ValidationError) | "differs" (dumped back otherwise) | "crash"
    detail: str = ""
    errors: tuple[dict[str, Any], ...] = ()  # pydantic's errors() when rejected
    diffs: tuple[Diff, ...] = ()  # when differs
    title: str = ""  # pydantic's name of the type that rejected it (``union[A,B]``, a class name)

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def __str__(self) -> str:
        return self.kind + (f": {self.detail}" if self.detail else "")


def round_trip(validate: Callable[[Any], Any], dump: Callable[[Any], Any], value: Any) -> Outcome:
    """Validate ``value``, dump the result back, compare with :func:`json_diff`."""
    import pydantic  # noqa: PLC0415

    try:
        obj = validate(value)
    except pydantic.ValidationError as exc:
        errors: tuple[dict[str, Any], ...] = tuple(dict(e) for e in exc.errors(include_url=False))
        return Outcome("rejected", str(exc)[:1500], errors=errors, title=exc.title)
    except Exception as exc:  # noqa: BLE001 - anything else is a crash, reported as such
        return Outcome("crash", f"{type(exc).__name__}: {str(exc)[:1500]}")
    try:
        out = dump(obj)
    except Exception as exc:  # noqa: BLE001
        return Outcome("crash", f"dump: {type(exc).__name__}: {str(exc)[:1500]}")
    diffs = tuple(json_diffs(value, out))
    return Outcome("differs", "; ".join(map(str, diffs))[:1500], diffs=diffs) if diffs else Outcome("ok")


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


def probe_name(index: int) -> str:
    return f"OagenProbe{index}Z"


def dcg_subset_spec(spec: Spec, pointers: list[str]) -> dict[str, Any]:
    """A spec with no paths whose schemas are ``probe_name(i)`` (a copy of the schema at
    ``pointers[i]``, which may be nested in a component) and the component schemas they
    reference, transitively.

    Copies give every tested schema a class name datamodel-code-generator keeps as it is
    (it names the inline parts of ``Probe16`` ``Probe161``, ``Probe162``...: the names end in
    a letter so that no probe is named like that);
    component names are made identifiers (``RL.SampleBody`` -> ``RL_SampleBody``: DCG
    turns dotted names into modules) and references rewritten to match.
    """
    schemas = spec.components["schemas"]
    roots = sorted({p.split("/")[3].replace("~1", "/").replace("~0", "~") for p in pointers})
    keep = refs_closure(spec, roots)
    renamed: dict[str, str] = {}
    for name in keep:
        new = re.sub(r"[^0-9A-Za-z_]", "_", name)
        while new in renamed.values():
            new += "_"
        renamed[name] = new

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                head, _, tail = ref[len("#/components/schemas/"):].partition("/")
                name = head.replace("~1", "/").replace("~0", "~")
                out["$ref"] = f"#/components/schemas/{renamed[name]}" + (f"/{tail}" if tail else "")
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    components = {probe_name(i): rewrite(copy.deepcopy(spec.node(p))) for i, p in enumerate(pointers)}
    components.update({renamed[name]: rewrite(schemas[name]) for name in keep})
    return {
        "openapi": spec.root["openapi"],
        "info": {"title": "subset", "version": "0"},
        "paths": {},
        "components": {"schemas": components},
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
    # Without it, DCG drops OpenAPI 3.0's ``nullable: true`` on required fields
    # (``expires_at: int``): test_dcg_default_ignores_nullable_on_required_fields pins that.
    "--strict-nullable",
    "--formatters", "builtin",
)


DCG_DEFAULTS = ("--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel",
                "--disable-timestamp", "--formatters", "builtin")


def run_dcg(spec_doc: dict[str, Any], folder: Path, module: str, options: tuple[str, ...] = DCG_OPTIONS) -> Any:
    """Run datamodel-codegen on ``spec_doc``; import and return the models module (named ``module``)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{module}.json"
    source.write_text(json.dumps(spec_doc))
    target = folder / f"{module}.py"
    exe = Path(sys.executable).with_name("datamodel-codegen")
    proc = subprocess.run(
        [str(exe), "--input", str(source), *options, "--output", str(target)],
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
