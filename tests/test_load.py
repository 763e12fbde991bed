"""Tests of generator.load: parsing, line numbers, document checks, $ref checks and bundling."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from generator.diagnostics import Level, SpecError
from generator.load import MAX_DEPTH, Document, load_document, split_pointer

SHARED = Path(__file__).resolve().parents[2] / "shared"

HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path | str, **kwargs: object) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_document(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.diagnostics, "a SpecError always carries diagnostics"
    assert all(d.level is Level.ERROR for d in info.value.diagnostics)
    return info.value


def line_containing(path: Path, needle: str, start: int = 1) -> int:
    for number, text in enumerate(path.read_text().splitlines(), 1):
        if number >= start and needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


PETS = HEAD + """paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
        - name: a/b~c
          in: query
          schema: {type: integer}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
        default:
          description: error
components:
  schemas:
    Pet:
      type: object
      properties:
        kind:
          type: string
          enum:
            - cat
            - null
        on:
          type: boolean
"""


# --------------------------------------------------------------------------- parsing


def test_line_numbers_for_keys_list_items_and_escaped_pointers(tmp_path: Path) -> None:
    path = write(tmp_path, "pets.yaml", PETS)
    doc = load_document(path)
    op = "#/paths/~1pets~1{id}/get"
    assert doc.line_of("#") == 1
    assert doc.line_of("#/openapi") == 1
    assert doc.line_of("#/paths") == 3
    assert doc.line_of("#/paths/~1pets~1{id}") == 4
    assert doc.line_of(op + "/operationId") == 6
    assert doc.line_of(op + "/parameters/0") == 8
    assert doc.line_of(op + "/parameters/0/in") == 9
    assert doc.line_of(op + "/parameters/1") == 13
    assert doc.line_of(op + "/parameters/1/schema/type") == 15
    assert doc.line_of(op + "/responses/200/content/application~1json/schema/$ref") == 22
    assert doc.line_of("#/components/schemas/Pet/properties/kind/enum/1") == 34
    # a pointer below a leaf or to a missing key gives the nearest ancestor's line
    assert doc.line_of("#/components/schemas/Pet/properties/kind/enum/7") == 32
    assert doc.line_of("#/components/schemas/Nope/x") == 26
    assert doc.file_of(op) == str(path)
    loc = doc.location(op + "/operationId")
    assert (loc.file, loc.line, loc.pointer) == (str(path), 6, op + "/operationId")


def test_keys_are_strings_and_values_keep_their_types(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "pets.yaml", PETS))
    responses = doc.root["paths"]["/pets/{id}"]["get"]["responses"]
    assert list(responses) == ["200", "default"]
    pet = doc.root["components"]["schemas"]["Pet"]
    assert pet["properties"]["kind"]["enum"] == ["cat", None]  # null as a value stays None
    assert "on" in pet["properties"]  # YAML 1.1 'on' as a key stays the text 'on'
    assert all(isinstance(k, str) for k in doc.root["paths"]["/pets/{id}"]["get"]["parameters"][1])
    assert doc.root["paths"]["/pets/{id}"]["get"]["parameters"][0]["required"] is True


def test_odd_yaml_keys_and_scalars(tmp_path: Path) -> None:
    text = HEAD + "paths: {}\nx-keys:\n  1: a\n  true: b\n  null: c\n  ~: d\n  1.5: e\nx-values: [2024-01-02, 0x10, 1_000, .inf, yes, '']\n"
    doc = load_document(write(tmp_path, "k.yaml", text))
    assert doc.root["x-keys"] == {"1": "a", "true": "b", "null": "c", "~": "d", "1.5": "e"}
    values = doc.root["x-values"]
    assert values[:3] == ["2024-01-02", 16, 1000]  # timestamps stay text
    assert values[3] == float("inf") and values[4] is True and values[5] == ""


def test_json_input_and_its_lines(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/b": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    path = write(tmp_path, "spec.json", json.dumps(spec, indent=2))
    doc = load_document(path)
    assert doc.root == spec
    text = path.read_text().splitlines()
    line = doc.line_of("#/paths/~1a~1b/get/responses/200/description")
    assert line is not None and '"description": "ok"' in text[line - 1]
    # JSON detected by content, whatever the suffix
    doc2 = load_document(write(tmp_path, "spec.txt", json.dumps(spec)))
    assert doc2.root == spec and doc2.line_of("#/paths/~1a~1b") == 1


def test_merge_keys_and_aliases_are_copied(tmp_path: Path) -> None:
    text = HEAD + (
        "paths: {}\n"
        "x-base: &base\n  type: object\n  description: base\n"
        "x-use:\n  <<: *base\n  description: own\n"
        "x-list: &l [1, 2]\n"
        "x-again: *l\n"
    )
    path = write(tmp_path, "m.yaml", text)
    doc = load_document(path)
    assert doc.root["x-use"] == {"type": "object", "description": "own"}
    assert doc.root["x-again"] == [1, 2]
    assert doc.root["x-again"] is not doc.root["x-list"]  # a tree, not a graph
    # inside an alias: the anchored node's line
    assert doc.line_of("#/x-again/1") == line_containing(path, "x-list")


def test_duplicate_keys_are_a_warning(tmp_path: Path) -> None:
    text = HEAD + "paths: {}\nx-a: 1\nx-a: 2\n"
    doc = load_document(write(tmp_path, "d.yaml", text))
    assert doc.root["x-a"] == 2
    assert [w.location.line for w in doc.warnings] == [5]
    assert "duplicate" in doc.warnings[0].message


def test_loading_is_deterministic(tmp_path: Path) -> None:
    path = write(tmp_path, "pets.yaml", PETS)
    a, b = load_document(path), load_document(path)
    assert a.root == b.root
    assert json.dumps(a.root) == json.dumps(b.root)  # same key order too


def test_resolve(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "pets.yaml", PETS))
    assert doc.resolve("#/components/schemas/Pet")["type"] == "object"
    assert doc.resolve("#/paths/~1pets~1{id}/get/parameters/0/name") == "id"
    assert doc.resolve("#/paths/~1pets~1%7Bid%7D/get/operationId") == "getPet"  # percent-encoded
    for bad in ("#/components/schemas/Nope", "#/paths/~1pets~1{id}/get/parameters/9", "other.yaml#/x", "#nope"):
        with pytest.raises(KeyError):
            doc.resolve(bad)


def test_split_pointer() -> None:
    assert split_pointer("#") == [] and split_pointer("") == []
    assert split_pointer("#/a~1b/c~0d/0") == ["a/b", "c~d", "0"]


def test_document_built_by_hand_still_has_lines() -> None:
    text = HEAD + "paths:\n  /a: {}\n"
    doc = Document(root={"openapi": "3.1.0"}, file="mem.yaml", source_bytes=text.encode())
    assert doc.line_of("#/paths/~1a") == 4 and doc.file_of("#") == "mem.yaml"


# --------------------------------------------------------------------------- refusals


def test_broken_yaml_has_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", HEAD + "paths:\n  /a:\n    get: [1, 2\n    post: {}\n")
    err = load_error(path)
    (diag,) = err.diagnostics
    assert diag.location.file == str(path)
    assert diag.location.line in (6, 7)
    assert f"{path}:{diag.location.line}: error: invalid YAML" in diag.format()


def test_broken_json_has_line(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "bad.json", '{\n  "openapi": "3.1.0",\n  "info": }\n'))
    assert err.diagnostics[0].location.line == 3
    assert "invalid JSON" in err.diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: just yaml\n", "not an OpenAPI 3.x document"),
        ("- a\n- b\n", "not an OpenAPI 3.x document"),
        ("", "empty"),
        ('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', "Swagger 2.0"),
        ('openapi: 2.0.0\ninfo: {title: t, version: "1"}\npaths: {}\n', "not an OpenAPI 3.x document"),
        ('openapi: 3.1\ninfo: {title: t, version: "1"}\npaths: {}\n', "version string"),
        ('openapi: 3.2.0\ninfo: {title: t, version: "1"}\npaths: {}\n', "unsupported OpenAPI version"),
        ('openapi: 3.0.3\ninfo: {title: t, version: "1"}\n', "without 'paths'"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("openapi: 3.1.0\nx: !!binary aGk=\n", "unsupported YAML tag"),
        ("openapi: 3.1.0\nx: !!python/object:os.system {}\n", "unsupported YAML tag"),
        ("openapi: 3.1.0\nx: &a [1, *a]\n", "recursive YAML alias"),
        ("openapi: 3.1.0\nx: *nope\n", "undefined YAML alias"),
        ("openapi: 3.1.0\n? [a, b]\n: c\n", "mapping key"),
    ],
)
def test_not_usable_documents(tmp_path: Path, text: str, expected: str) -> None:
    err = load_error(write(tmp_path, "x.yaml", text))
    assert expected in err.diagnostics[0].message


def test_swagger_message_is_specific_and_located(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "s.yaml", 'info: {title: t, version: "1"}\nswagger: "2.0"\npaths: {}\n'))
    diag = err.diagnostics[0]
    assert "not an OpenAPI 3.x document" in diag.message and "swagger2openapi" in diag.message
    assert (diag.location.line, diag.location.pointer) == (2, "#/swagger")


def test_webhooks_only_31_document_is_fine(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "w.yaml", HEAD + "webhooks:\n  ping:\n    post:\n      responses: {}\n"))
    assert "paths" not in doc.root


def test_missing_unreadable_and_oversized_files(tmp_path: Path) -> None:
    assert "file not found" in load_error(tmp_path / "nope.yaml").diagnostics[0].message
    assert "cannot read" in load_error(tmp_path).diagnostics[0].message  # a directory
    big = write(tmp_path, "big.yaml", HEAD + "paths: {}\nx: " + "a" * 5000 + "\n")
    err = load_error(big, max_bytes=1000)
    assert "oversized input" in err.diagnostics[0].message
    assert load_document(big, max_bytes=10_000).root["x"] == "a" * 5000


def test_file_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "sub/p.yaml", PETS)
    monkeypatch.chdir(tmp_path)
    doc = load_document("sub/p.yaml")
    assert doc.file == "sub/p.yaml" and doc.location("#/paths").file == "sub/p.yaml"


# --------------------------------------------------------------------------- hostile input


@pytest.mark.timeout(120)  # termination bound (pytest-timeout), not a performance measure
def test_alias_bomb_stops_with_bounded_memory(tmp_path: Path) -> None:
    lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"x-{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "bomb.yaml", HEAD + "paths: {}\n" + "\n".join(lines) + "\n")
    tracemalloc.start()
    try:
        err = load_error(path)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert "alias" in err.diagnostics[0].message
    assert err.diagnostics[0].location.line is not None


@pytest.mark.parametrize("kind", ["flow-list", "flow-map", "block-list", "json"])
def test_deep_nesting_5000_loads_without_recursion_error(tmp_path: Path, kind: str) -> None:
    n = 5000
    if kind == "json":
        text = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": ' + "[" * n + "]" * n + "}"
        path = write(tmp_path, "deep.json", text)
    else:
        deep = {"flow-list": "[" * n + "]" * n, "flow-map": "{a: " * n + "1" + "}" * n, "block-list": "- " * n + "x"}[kind]
        path = write(tmp_path, "deep.yaml", HEAD + "paths: {}\nx-deep: " + ("\n  " if kind == "block-list" else "") + deep + "\n")
    doc = load_document(path)
    node, depth = doc.root["x-deep"], 0
    while isinstance(node, (list, dict)) and node:
        node = node[0] if isinstance(node, list) else node["a"]
        depth += 1
    assert depth >= n - 1
    assert doc.line_of("#/x-deep/0/0/0") is not None


def test_too_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    n = MAX_DEPTH + 500
    err = load_error(write(tmp_path, "deep.yaml", HEAD + "paths: {}\nx-deep: " + "[" * n + "]" * n + "\n"))
    diag = err.diagnostics[0]
    assert f"nesting deeper than {MAX_DEPTH}" in diag.message
    assert len(diag.location.pointer) < 200


# --------------------------------------------------------------------------- $refs


REFS = HEAD + """paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Nope'
components:
  schemas:
    Node:
      type: object
      properties:
        next:
          $ref: '#/components/schemas/Node'
        $ref:
          type: string
      example:
        $ref: not checked, an example is data
"""


def test_dangling_ref_is_located_at_the_ref(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", REFS)
    err = load_error(path)
    (diag,) = err.diagnostics  # recursive Node is fine; the property named "$ref" and the example are not refs
    assert "dangling $ref '#/components/schemas/Nope'" in diag.message
    assert diag.location.line == line_containing(path, "#/components/schemas/Nope")
    assert diag.location.pointer == "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"


def test_refs_with_escapes_and_percent_encoding_resolve(tmp_path: Path) -> None:
    text = HEAD + """paths:
  /a/{b}:
    get:
      responses:
        '200': {description: ok}
  /c:
    get:
      responses:
        '200':
          $ref: '#/paths/~1a~1%7Bb%7D/get/responses/200'
components:
  schemas:
    A~B: {type: string}
    C:
      $ref: '#/components/schemas/A~0B'
    D:
      $ref: '#/components/schemas/C/type'
    E:
      $anchor: eee
      type: string
    F:
      $ref: '#eee'
"""
    doc = load_document(write(tmp_path, "e.yaml", text))
    assert doc.resolve("#eee") == {"$anchor": "eee", "type": "string"}


def test_all_ref_errors_are_collected(tmp_path: Path) -> None:
    text = HEAD + """paths: {}
components:
  schemas:
    A:
      $ref: 5
    B:
      $ref: 'https://example.com/schemas.yaml#/B'
    C:
      $ref: '#/components/schemas/Nope'
    D:
      $ref: 'urn:x:y'
"""
    path = write(tmp_path, "e.yaml", text)
    err = load_error(path)
    messages = [d.message for d in err.diagnostics]
    assert len(messages) == 4
    assert "$ref must be a string" in messages[0]
    assert "remote $ref" in messages[1] and "refused" in messages[1]
    assert "dangling" in messages[2]
    assert "unsupported $ref" in messages[3]
    assert [d.location.line for d in err.diagnostics] == [7, 9, 11, 13]
    assert err.diagnostics[0].location.pointer == "#/components/schemas/A/$ref"


def test_remote_refs_when_allowed_are_not_fetched_yet(tmp_path: Path) -> None:
    text = HEAD + "paths: {}\ncomponents:\n  schemas:\n    B:\n      $ref: 'https://example.com/s.yaml#/B'\n"
    err = load_error(write(tmp_path, "e.yaml", text), allow_remote_refs=True)
    assert "remote $ref fetching is not supported yet" in err.diagnostics[0].message


def test_file_refs_outside_the_folder_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "outside.yaml", "type: string\n")
    spec_dir = tmp_path / "spec"
    secret = spec_dir / "link.yaml"
    spec_dir.mkdir()
    os.symlink(tmp_path / "outside.yaml", secret)
    text = HEAD + f"""paths: {{}}
components:
  schemas:
    A:
      $ref: '../outside.yaml'
    B:
      $ref: '{tmp_path / "outside.yaml"}'
    C:
      $ref: 'link.yaml'
    D:
      $ref: 'sub/../../outside.yaml#/x'
"""
    err = load_error(write(spec_dir, "api.yaml", text))
    assert len(err.diagnostics) == 4
    assert all("outside the spec's folder" in d.message for d in err.diagnostics)
    assert [d.location.line for d in err.diagnostics] == [7, 9, 11, 13]


def test_file_refs_inside_the_folder_are_bundled(tmp_path: Path) -> None:
    write(tmp_path, "schemas/pet.yaml", "type: object\nproperties:\n  owner:\n    $ref: owner.yaml\n  tag:\n    $ref: '../common.yaml#/definitions/Tag'\n")
    write(tmp_path, "schemas/owner.yaml", "type: object\nproperties:\n  pets:\n    type: array\n    items:\n      $ref: pet.yaml\n")
    write(tmp_path, "common.yaml", "definitions:\n  Tag:\n    type: integer\nparameters:\n  Limit:\n    name: limit\n    in: query\n    schema: {type: integer}\n")
    write(tmp_path, "paths/pets.yaml", "get:\n  parameters:\n    - $ref: '../common.yaml#/parameters/Limit'\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '../schemas/pet.yaml'\n")
    text = HEAD + """paths:
  /pets:
    $ref: 'paths/pets.yaml'
components:
  schemas:
    Tag:
      type: string
    Pet:
      $ref: './schemas/pet.yaml'
"""
    root = write(tmp_path, "api.yaml", text)
    doc = load_document(root)
    schemas = doc.root["components"]["schemas"]
    # the component that was a ref to a file is replaced by the file's content
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/owner"}
    # name clash with a different 'Tag': suffixed with the file stem
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag_common"}
    assert schemas["Tag"] == {"type": "string"} and schemas["Tag_common"] == {"type": "integer"}
    # cycle pet <-> owner terminates and points back at the in-place component
    assert schemas["owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    # a path item ref is inlined; a parameter goes to components/parameters
    get = doc.root["paths"]["/pets"]["get"]
    assert get["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert doc.root["components"]["parameters"]["Limit"]["in"] == "query"
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    # every rewritten ref resolves
    for ref in ("#/components/schemas/owner", "#/components/schemas/Tag_common", "#/components/parameters/Limit"):
        doc.resolve(ref)
    # lines and files of bundled nodes come from their own files
    pets_file = str(tmp_path / "paths" / "pets.yaml")
    assert doc.file_of("#/paths/~1pets/get/responses/200") == pets_file
    assert doc.line_of("#/paths/~1pets/get/responses/200") == 5
    assert doc.location("#/components/schemas/owner/properties/pets/items").file == str(tmp_path / "schemas" / "owner.yaml")
    assert doc.line_of("#/components/schemas/owner/properties/pets/items") == 5
    assert doc.line_of("#/components/schemas/Tag_common/type") == 3
    assert doc.file_of("#/components/schemas/Tag") == str(root)
    assert doc.line_of("#/components/schemas/Tag") == line_containing(root, "Tag:")


def test_bundled_file_paths_stay_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "spec/schemas/a.yaml", "type: string\n")
    write(tmp_path, "spec/api.yaml", HEAD + "paths: {}\ncomponents:\n  schemas:\n    X:\n      type: array\n      items:\n        $ref: schemas/a.yaml\n")
    monkeypatch.chdir(tmp_path)
    doc = load_document("spec/api.yaml")
    assert doc.root["components"]["schemas"]["X"]["items"] == {"$ref": "#/components/schemas/a"}
    assert doc.file_of("#/components/schemas/a/type") == os.path.join("spec", "schemas", "a.yaml")


def test_cycles_between_files_terminate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "A:\n  type: object\n  properties:\n    b:\n      $ref: 'b.yaml#/B'\n")
    write(tmp_path, "b.yaml", "B:\n  type: object\n  properties:\n    a:\n      $ref: 'a.yaml#/A'\n    self:\n      $ref: '#/B'\n")
    write(tmp_path, "c.yaml", "$ref: c.yaml\n")
    text = HEAD + "paths: {}\ncomponents:\n  schemas:\n    X:\n      $ref: 'a.yaml#/A'\n    Y:\n      type: array\n      items:\n        $ref: c.yaml\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    schemas = doc.root["components"]["schemas"]
    assert schemas["X"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"]["properties"]["a"] == {"$ref": "#/components/schemas/X"}
    assert schemas["B"]["properties"]["self"] == {"$ref": "#/components/schemas/B"}
    assert schemas["c"] == {"$ref": "#/components/schemas/c"}


def test_errors_in_referenced_files_are_located_there(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "A:\n  type: object\n  properties:\n    b:\n      $ref: '#/Nope'\n")
    write(tmp_path, "broken.yaml", "a: [1\n")
    text = HEAD + "paths: {}\ncomponents:\n  schemas:\n    X:\n      $ref: 'a.yaml#/A'\n    Y:\n      $ref: 'missing.yaml'\n    Z:\n      $ref: 'broken.yaml'\n    W:\n      $ref: 'a.yaml#/Nothing'\n"
    err = load_error(write(tmp_path, "api.yaml", text))
    by_file = {(d.location.file, d.location.line): d.message for d in err.diagnostics}
    root = str(tmp_path / "api.yaml")
    assert "dangling $ref '#/Nope'" in by_file[(str(tmp_path / "a.yaml"), 5)]
    assert "file not found" in by_file[(root, 9)]
    assert "invalid YAML" in by_file[(root, 11)]
    assert "dangling" in by_file[(root, 13)]


# --------------------------------------------------------------------------- real documents


def seed_spec(tmp_path: Path) -> Path:
    seeds = sorted((SHARED / "seeds").glob("000_*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"seed document not found under {SHARED / 'seeds'}")
    text = seeds[0].read_text(encoding="utf-8")
    start = text.index("````yaml")
    body = text[text.index("\n", start) + 1 : text.index("\n````", start)]
    return write(tmp_path, "together.yaml", body + "\n")


def test_seed_document_loads(tmp_path: Path) -> None:
    path = seed_spec(tmp_path)
    doc = load_document(path)
    assert doc.root["openapi"].startswith("3.1")
    assert doc.root["components"]["schemas"]["FinetuneEventLevels"]["enum"][0] is None
    pointer = "#/components/schemas/TrainingMethodSFT/properties/train_on_inputs/default"
    assert doc.line_of(pointer) == line_containing(path, "default: auto")


@pytest.mark.parametrize("name", ["together", "portkey", "openai"])
def test_corpus_documents_load(name: str) -> None:
    path = SHARED / "corpus" / f"{name}.yaml"
    if not path.is_file():
        pytest.skip(f"corpus document {path} not found")
    doc = load_document(path)
    assert isinstance(doc.root["paths"], dict)
    top_level = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.rstrip() == "paths:"]
    assert doc.line_of("#/paths") == top_level[0]
