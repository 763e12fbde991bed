"""Tests of generator.validate: located findings of openapi-spec-validator and our own checks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import generator.validate as validate_module
from generator.diagnostics import Level
from generator.load import load_document
from generator.validate import validate_document

SHARED = Path(__file__).resolve().parents[2] / "shared"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_containing(path: Path, needle: str, start: int = 1) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if number >= start and needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def seed_spec(tmp_path: Path) -> Path:
    seeds = sorted((SHARED / "seeds").glob("000_*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"seed document not found under {SHARED / 'seeds'}")
    text = seeds[0].read_text(encoding="utf-8")
    start = text.index("````yaml")
    body = text[text.index("\n", start) + 1 : text.index("\n````", start)]
    return write(tmp_path, "together.yaml", body + "\n")


VALID = """openapi: 3.1.0
info:
  title: Pets
  version: "1"
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name:
          type: string
          default: rex
        kind:
          type: [string, "null"]
          enum: [cat, dog, null]
          default: null
        age:
          type: integer
          default: 3.0
"""


def test_valid_spec_has_no_findings(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "ok.yaml", VALID))
    assert validate_document(doc) == []
    assert validate_document(doc, strict=True) == []


def test_seed_train_on_inputs_default_is_reported_with_its_line(tmp_path: Path) -> None:
    path = seed_spec(tmp_path)
    doc = load_document(path)
    findings = validate_document(doc)
    pointer = "#/components/schemas/TrainingMethodSFT/properties/train_on_inputs/default"
    hits = [d for d in findings if d.location.pointer == pointer]
    assert len(hits) == 1, [d.format() for d in findings]
    (hit,) = hits
    assert hit.level is Level.WARNING
    assert "default 'auto' does not match type boolean" in hit.message
    start = line_containing(path, "train_on_inputs:")
    assert hit.location.line == line_containing(path, "default: auto", start)
    assert hit.location.file == str(path)
    assert f"{path}:{hit.location.line}: warning:" in hit.format()


def test_seed_null_in_string_enum_is_a_warning(tmp_path: Path) -> None:
    path = seed_spec(tmp_path)
    findings = validate_document(load_document(path))
    hits = [d for d in findings if d.location.pointer == "#/components/schemas/FinetuneEventLevels/enum/0"]
    assert len(hits) == 1 and hits[0].level is Level.WARNING
    assert "enum value null does not match type string" in hits[0].message
    assert hits[0].location.line == line_containing(path, "- null", line_containing(path, "FinetuneEventLevels:"))


def test_strict_makes_findings_errors(tmp_path: Path) -> None:
    doc = load_document(seed_spec(tmp_path))
    findings = validate_document(doc, strict=True)
    assert findings and all(d.level is Level.ERROR for d in findings)
    assert len(findings) == len(validate_document(doc))


SPEC_30 = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: same
      parameters:
        - name: limit
          in: query
          schema:
            $ref: '#/components/schemas/Limit'
      responses:
        '200':
          description: ok
  /b:
    get:
      operationId: same
      responses:
        '200':
          description: ok
components:
  schemas:
    Limit:
      type: integer
      default: ten
    Maybe:
      type: string
      nullable: true
      enum: [a, null]
      default: null
    Never:
      type: string
      enum: [a, null]
    Meta:
      type: object
      properties:
        x:
          type: 5
"""


def test_library_findings_are_located_where_the_text_is(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SPEC_30)
    findings = validate_document(load_document(path))
    by_pointer = {d.location.pointer: d for d in findings}
    # duplicate operationId: located at the second operationId
    dup = by_pointer["#/paths/~1b/get/operationId"]
    assert "is not unique" in dup.message and dup.location.line == 17
    # a default reached through a $ref is reported in the component, not in the parameter
    bad_default = by_pointer["#/components/schemas/Limit/default"]
    assert "default 'ten' does not match type integer" in bad_default.message
    assert bad_default.location.line == 25
    # 3.0 nullable allows null; without nullable it is reported
    assert not any(p.startswith("#/components/schemas/Maybe") for p in by_pointer)
    never = by_pointer["#/components/schemas/Never/enum/1"]
    assert "not nullable" in never.message and never.location.line == 33
    # a schema that breaks the meta-schema, located at the offending keyword's line
    meta = [d for d in findings if d.location.pointer.startswith("#/components/schemas/Meta")]
    assert meta and all(d.location.line is not None and d.location.line >= 35 for d in meta)


def test_findings_are_sorted_and_unique(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "s.yaml", SPEC_30))
    findings = validate_document(doc)
    keys = [(d.location.line or 0, d.location.pointer, d.message) for d in findings]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert validate_document(doc) == findings  # deterministic


def test_messages_are_short(tmp_path: Path) -> None:
    big = "x" * 5000
    text = SPEC_30.replace("      default: ten", f"      default: [{big}]")
    findings = validate_document(load_document(write(tmp_path, "s.yaml", text)))
    assert findings and all(len(d.message) <= 240 and "\n" not in d.message for d in findings)


def test_library_crash_becomes_one_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Exploding:
        def __init__(self, root: object) -> None:
            pass

        def iter_errors(self) -> object:
            raise TypeError("boom")

    monkeypatch.setattr(validate_module, "_validator_for", lambda version: Exploding)
    doc = load_document(write(tmp_path, "ok.yaml", VALID))
    (finding,) = validate_document(doc)
    assert "openapi-spec-validator failed" in finding.message and "boom" in finding.message
    assert finding.location.pointer == "#" and finding.level is Level.WARNING


def test_deeply_nested_schema_does_not_crash(tmp_path: Path) -> None:
    depth = 3000
    schema = "{type: array, items: " * depth + "{type: string}" + "}" * depth
    text = VALID + f"    Deep: {schema}\n"
    findings = validate_document(load_document(write(tmp_path, "deep.yaml", text)))
    assert all(d.level is Level.WARNING for d in findings)


def test_load_warnings_are_included(tmp_path: Path) -> None:
    text = VALID.replace("info:\n", "x-a: 1\nx-a: 2\ninfo:\n")
    findings = validate_document(load_document(write(tmp_path, "dup.yaml", text)))
    assert [d.location.line for d in findings if "duplicate" in d.message] == [3]


def test_pre_crawled_validators_find_exactly_what_the_library_finds():
    """validate._crawled and validate._fast_checker are speed-ups only: same findings."""
    from functools import partial

    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS31Validator
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    from generator.validate import _crawled, _fast_checker

    # the library's "jsonschema" backend (with jsonschema-rs installed it would pick that)
    openapi_v30_schema_validator = validator_for(dict(schema_v30))(dict(schema_v30))
    openapi_v31_schema_validator = validator_for(dict(schema_v31))(dict(schema_v31))

    doc_31 = {
        "openapi": "3.1.0",
        "info": {"title": "t"},  # version missing
        "paths": {"/a": {"get": {"responses": {"200": {"description": 1}}}}},
        "components": {"schemas": {"X": {"type": "nope", "properties": []}}},
    }
    doc_30 = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}}
    for library, doc in ((openapi_v31_schema_validator, doc_31), (openapi_v30_schema_validator, doc_30)):
        plain = sorted(e.message for e in library.iter_errors(doc))
        fast = sorted(e.message for e in _crawled(library).iter_errors(doc))
        assert plain and plain == fast

    for schema in ({"type": "nope"}, {"properties": []}, {"type": "string"}, {"$ref": 5}):
        def outcome(check):
            try:
                check(schema)
            except SchemaError as exc:
                return exc.message
            return None

        library_check = partial(OAS31Validator.check_schema, format_checker=OAS31Validator.FORMAT_CHECKER)
        assert outcome(library_check) == outcome(_fast_checker(library_check))


# ----------------------------------------------------------------------------
# The speed-ups (jsonschema-rs prefilter, one meta-schema validator per class, O(1)
# "seen" registries) change no finding: each spec below is validated with them and
# with the library's own code path (validate._speedups(False)), and the findings must
# be identical.  Together the specs cover every kind of finding.

EQUIVALENCE_SPECS = {
    "document-3.0": """openapi: 3.0.3
info: {title: t}
paths:
  /a:
    get:
      responses:
        '200': {description: 5}
        '999': {description: ok}
      x-ok: 1
      bogus: 1
  nopath: {}
""",
    "document-3.1": """openapi: 3.1.0
info: {title: t, version: 1}
servers: [{url: 5}]
paths:
  /a:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}}
      parameters: [{name: q, in: nowhere}]
components:
  schemas: {X: {type: string}}
  bogus: {}
""",
    "schemas-3.0": """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: same
      parameters:
        - {name: q, in: query, schema: {type: integer, default: ten}}
        - {name: q, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: same
      responses: {'200': {description: ok}}
tags: [{name: a}, {name: a}]
components:
  schemas:
    BadType: {type: 5}
    BadPattern: {type: string, pattern: '['}
    NotASchema: 5
    Extra:
      allOf: [{$ref: '#/components/schemas/Base'}]
      required: [a, missing, also_missing]
      properties: {b: {type: string}}
    Base: {type: object, properties: {a: {type: string}}}
    Defaults:
      type: object
      properties:
        short: {type: string, minLength: 5, default: abc}
        pat: {type: string, pattern: '^[a-z]+$', default: ABC}
        evil: {type: string, pattern: '^(a+)+$', default: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'}
        choice: {type: string, enum: [x, y], default: z}
        closed:
          type: object
          properties: {k: {type: integer}}
          additionalProperties: false
          default: {k: 1, zz: 2, yy: 3, xx: 4}
        viaref: {$ref: '#/components/schemas/Base', default: {a: 5}}
        nullable_ok: {type: string, nullable: true, default: null}
        not_nullable: {type: string, default: null}
        nan: {type: number, default: .nan}
        big: {type: integer, maximum: 10, default: 100000000000000000000000000000}
        intkeys: {type: object, default: {1: a}}
""",
    "schemas-3.1": """openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Nope: {type: nope, properties: []}
    TwoBad:
      type: object
      properties:
        z: {type: number, exclusiveMinimum: true}
        a: {type: number, exclusiveMinimum: true}
        m: {type: number, exclusiveMinimum: true}
    Dialect: {$schema: 'https://example.com/unknown-dialect', type: string}
    Draft7: {$schema: 'http://json-schema.org/draft-07/schema#', type: string, minLength: -1}
    Regex: {type: string, pattern: '(?P<x>a', default: a}
    Keys:
      type: object
      patternProperties: {'^x-': {type: integer}}
      additionalProperties: false
      default: {x-a: 1, b: 2, c: 3}
    Unevaluated:
      type: object
      properties: {a: {type: string}}
      unevaluatedProperties: false
      default: {a: x, b: 1, c: 2}
    Nested:
      type: object
      properties:
        inner: {$ref: '#/components/schemas/Keys'}
      default: {inner: {y: 1}}
    Look: {type: string, pattern: '^(?!x)[a-z]+$', default: xyz}
    Ints: {type: integer, enum: [1, 1.0, true]}
    Unique: {type: array, items: {type: string}, uniqueItems: true, default: [a, a]}
""",
}


@pytest.mark.parametrize("name", sorted(EQUIVALENCE_SPECS))
def test_speedups_change_no_finding(tmp_path: Path, name: str) -> None:
    doc = load_document(write(tmp_path, f"{name}.yaml", EQUIVALENCE_SPECS[name]))
    with validate_module._speedups(False):
        reference = validate_document(doc)
        reference_strict = validate_document(doc, strict=True)
    fast = validate_document(doc)
    assert reference, "the spec must have findings for the comparison to mean anything"
    assert [d.format() for d in fast] == [d.format() for d in reference]
    assert validate_document(doc, strict=True) == reference_strict


@pytest.mark.parametrize("spec", ["together.yaml", "portkey.yaml", "openai.yaml"])
def test_speedups_change_no_finding_on_the_corpus(spec: str) -> None:
    path = SHARED / "corpus" / spec
    if not path.is_file():
        pytest.skip(f"corpus spec not found: {path}")
    doc = load_document(path)
    with validate_module._speedups(False):
        reference = validate_document(doc)
    assert [d.format() for d in validate_document(doc)] == [d.format() for d in reference]


def _seed_documents() -> dict[str, str]:
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    found = {}
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        if "````yaml" in text:
            start = text.index("````yaml")
            found[seed.stem] = text[text.index("\n", start) + 1 : text.index("\n````", start)] + "\n"
    return found


def _hostile_documents(tmp_path: Path) -> dict[str, str]:
    """tests/test_hostile.py's specs: the kitchen sink of payloads (3.0 and 3.1), the
    catastrophic pattern, and each cycle / long chain / deep nesting case on its own."""
    import yaml
    import test_hostile as hostile

    found = {}
    for version in ("3.0.3", "3.1.0"):
        spec, _ = hostile.kitchen_sink(hostile.Payloads(tmp_path / "MARKER"), version)
        found[f"kitchen sink {version}"] = yaml.safe_dump(spec, allow_unicode=False, sort_keys=False, width=10**6)
        found[f"redos {version}"] = hostile._redos_spec(version)
    for case, lines in hostile.TERMINATING.items():
        name = lines[0].split(":")[0].strip()
        found[case] = (hostile.SPEC_HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
                       "          description: ok\n          content:\n            application/json:\n"
                       f"              schema: {{$ref: '#/components/schemas/{name}'}}\n"
                       "components:\n  schemas:\n" + "\n".join(lines) + "\n")
    return found


def test_speedups_change_no_finding_on_seeds_specs_and_hostile_specs(tmp_path: Path) -> None:
    documents = {f"seed {k}": v for k, v in _seed_documents().items()}
    documents.update({f"specs/{p.name}": p.read_text(encoding="utf-8")
                      for p in sorted((Path(__file__).resolve().parents[1] / "specs").glob("*.yaml"))})
    documents.update(_hostile_documents(tmp_path))
    assert not (tmp_path / "MARKER").exists()
    with_findings = 0
    for name, text in documents.items():
        doc = load_document(write(tmp_path, "spec.yaml", text))
        with validate_module._speedups(False):
            reference = [d.format() for d in validate_document(doc)]
        assert [d.format() for d in validate_document(doc)] == reference, name
        with_findings += bool(reference)
    assert with_findings >= len(documents) // 2  # the comparison means something


def test_remembering_paths_answer_as_the_librarys() -> None:
    """validate._memo_path: the paths the library's keyword validators walk answer every
    question (membership, value, keys, children, resolution, errors) as SchemaPath does."""
    from jsonschema_path import SchemaPath
    from jsonschema_path.handlers import default_handlers

    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "a": {"b": [1, "two", {"$ref": "#/c"}, {"$ref": "#/d"}, None, True], "c#d": {"e.f": 2}, "": 3, ".": 4},
        "c": {"$ref": "#/e"},
        "d": {"$ref": 5, "x": 1},
        "e": {"x": [10, 20], "y": "text", "z": {}, "0": "zero"},
        "f": {"$ref": "#/nowhere"},
        "g": [[], {}, [[{"$ref": "#/a/b/1"}]]],
    }
    document["together"] = load_document(Path(__file__).resolve().parents[1] / "specs" / "together.yaml").root
    keys: list[Any] = ["a", "b", "c", "e", "x", "y", "z", "0", 0, 1, 2, 3, 5, -1, "$ref", "missing", "c#d", "e.f",
                       "", ".", True, "components", "schemas", "paths", "properties", "allOf", "items"]

    def outcome(call: Any) -> Any:
        try:
            value = call()
        except Exception as exc:  # noqa: BLE001 - the error is part of the answer
            return ("raises", type(exc).__name__, str(exc))
        if isinstance(value, SchemaPath):
            return ("path", value.parts, value.separator)
        # a node of the document: the very same object
        return ("node", id(value)) if isinstance(value, (dict, list)) else ("value", type(value), value)

    def questions(path: Any) -> list[Any]:
        answers = [outcome(path.read_value), outcome(lambda: tuple(path.keys())), outcome(lambda: len(path)),
                   outcome(lambda: tuple(p.parts for p in path)),
                   outcome(lambda: tuple((k, p.parts) for k, p in path.items()))]
        for key in keys:
            answers += [outcome(lambda: key in path), outcome(lambda: path / key), outcome(lambda: path[key])]

        def resolved() -> Any:
            with path.resolve() as r:
                return r.contents

        answers.append(outcome(resolved))
        return answers

    fast = validate_module._memo_path()(document, "", default_handlers)
    library = SchemaPath.from_dict(document, base_uri="", handlers=default_handlers)
    queue = [(fast, library)]
    seen = 0
    while queue and seen < 2000:
        a, b = queue.pop(0)
        seen += 1
        assert type(a) is not SchemaPath and isinstance(a, SchemaPath)
        assert (a.parts, a.separator) == (b.parts, b.separator)
        assert questions(a) == questions(b), b.parts
        try:
            children = list(b.keys())
        except Exception:  # noqa: BLE001 - a leaf, or nothing there
            children = []
        for key in children[:12] + ["missing"]:
            queue.append((a / key, b / key))
    assert seen == 2000


def test_jsonschema_rs_never_accepts_what_jsonschema_rejects() -> None:
    """The prefilter's premise, on mutations of real schemas and documents: whenever
    jsonschema finds an error, jsonschema-rs finds one too (else a finding would be lost)."""
    import random

    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    spec = Path(__file__).resolve().parents[1] / "specs" / "together.yaml"
    base = load_document(spec).root
    schemas = list(base["components"]["schemas"].values())
    values: list[Any] = [5, -1, 1.5, "x", "[", "", [], [1, 1], {}, True, None, {"type": "nope"}, ["a", "a"],
                         {"$ref": 5}, "#/nowhere", {"x-a": 1}, "3.0.x"]
    rng = random.Random(1234)

    def mutate(node: Any) -> Any:
        node = copy.deepcopy(node)
        containers = [node]
        stack = [node]
        while stack:
            item = stack.pop()
            children = list(item.values()) if isinstance(item, dict) else item if isinstance(item, list) else []
            for child in children:
                if isinstance(child, (dict, list)):
                    containers.append(child)
                    stack.append(child)
        target = rng.choice(containers)
        value = copy.deepcopy(rng.choice(values))
        if isinstance(target, dict):
            keys = list(target) + ["type", "items", "properties", "required", "enum", "minimum",
                                   "exclusiveMinimum", "pattern", "format", "additionalProperties",
                                   "nullable", "allOf", "$ref", "discriminator", "x-y"]
            target[rng.choice(keys)] = value
        elif target:
            target[rng.randrange(len(target))] = value
        return node

    checked = rejected = 0
    for cls in (OAS30Validator, OAS31Validator):
        fmt = cls.FORMAT_CHECKER
        python = validate_module._meta_validator(cls, "check_openapi_schema", fmt)
        assert python.rs is not None
        for _ in range(300):
            schema = mutate(rng.choice(schemas))
            python_says = next(iter(python.python.iter_errors(schema)), None) is None
            checked += 1
            if not python_says:
                rejected += 1
                assert not python.rs.is_valid(schema), schema
    for document_schema, version in ((schema_v30, "3.0.3"), (schema_v31, "3.1.0")):
        validator = validate_module._document_validator(document_schema)
        assert validator.rs is not None
        for _ in range(150):
            document = mutate({**base, "openapi": version})
            python_says = next(iter(validator.python.iter_errors(document)), None) is None
            checked += 1
            if not python_says:
                rejected += 1
                try:
                    assert not validator.rs.is_valid(document), document
                except ValueError:
                    pass  # jsonschema-rs cannot take it: jsonschema decides
    assert rejected > checked // 4, (rejected, checked)  # the mutations do break things


def test_findings_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """jsonschema walks some sets of property names, so which of several bad properties
    its first meta-schema error names, and the order of names in some messages, changed
    with PYTHONHASHSEED; oagen makes them follow the document."""
    import os
    import subprocess
    import sys

    write(tmp_path, "s.yaml", EQUIVALENCE_SPECS["schemas-3.1"] + EQUIVALENCE_SPECS["schemas-3.0"].split(
        "components:\n  schemas:\n")[1].replace("BadType", "BadType2").replace("Base", "Base2"))
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        proc = subprocess.run([sys.executable, "-m", "generator", "validate", "s.yaml"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed,
                                   "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    (output,) = outputs
    assert "TwoBad/properties/z/exclusiveMinimum" in output  # the first in the document
    assert "Required list has not defined properties: ['missing', 'also_missing']" in output
