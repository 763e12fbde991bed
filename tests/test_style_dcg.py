"""The ``datamodel-code-generator`` model style: models written by datamodel-code-generator
(DCG) from a document derived from the IR, the client by our templates.

* tiny inline specs: names (ours, not DCG's), aliases, optional vs required, None vs
  missing, open enums, nested models, lists and maps, discriminated and plain unions,
  recursion, formats, typed additional properties, round trips, tags always sent;
* the guards: a name DCG would change is a located error (exit 2), code that is not a
  plain models module is refused;
* the three seed clients: import, ``mypy --strict``, the cancel calls against Prism
  (sync, async, 404, raw response, strict and lenient decoding);
* the Together corpus spec: every module imports, a stream through ``httpx.MockTransport``;
* the hostile specs of test_hostile.py: no payload runs, data values survive;
* determinism across ``PYTHONHASHSEED`` values.
"""

from __future__ import annotations

import ast
import asyncio
import datetime
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import httpx
import pytest
import yaml

from generator.config import client_for_spec
from generator.core import generate
from generator.diagnostics import SpecError
from generator.load import load_document, load_document_bytes
from generator.styles import dcg_style
from generator.write import write_package
from gen_support import import_fresh

REPO = Path(__file__).resolve().parents[1]
STYLE = "datamodel-code-generator"
SEEDS = {"together": "Together", "dataherald": "Dataherald", "portkey": "Portkey"}


def _fresh_import(out: Path, name: str) -> ModuleType:
    return import_fresh(out, name)


def _build(out: Path, package: str, spec: dict[str, Any] | Path, client_class: str | None = None) -> ModuleType:
    if isinstance(spec, Path):
        doc = load_document(spec)
        spec_file = spec
    else:
        spec_file = out / f"{package}.json"
        spec_file.parent.mkdir(parents=True, exist_ok=True)
        raw = json.dumps(spec).encode()
        spec_file.write_bytes(raw)
        doc = load_document_bytes(raw, str(spec_file))
    client = client_for_spec(spec_file, out / package, client_class, models=STYLE)
    write_package(client.output, generate(doc, client).files)
    return _fresh_import(out, package)


def _api(spec: Path) -> Any:
    from generator.core import build_api

    return build_api(load_document(spec), client_for_spec(spec, spec.parent / "x"))[0]


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def _ok(ref: str) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}}


TINY = _spec(
    {
        "Pet": {
            "type": "object",
            "description": "A pet.",
            "required": ["pet-name", "kind", "class"],
            "properties": {
                "pet-name": {"type": "string", "minLength": 1},
                "class": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "nickname": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
                "born": {"type": "string", "format": "date-time"},
                "id": {"type": "string", "format": "uuid"},
                "parent": {"$ref": "#/components/schemas/Pet"},
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "size": {"type": "integer", "default": 3},
            },
        },
        "Kind": {"type": "string", "enum": ["dog", "cat", "new-kind"]},
        "Cat": {"type": "object", "required": ["type"],
                "properties": {"type": {"const": "cat"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["type"],
                "properties": {"type": {"const": "dog"}, "good": {"type": "boolean"}}},
        "Animal": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "type"},
        },
        "IdOrName": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        "Zoo": {
            "type": "object",
            "properties": {
                "animals": {"type": "array", "items": {"$ref": "#/components/schemas/Animal"}},
                "key": {"$ref": "#/components/schemas/IdOrName"},
            },
            "additionalProperties": {"type": "number"},
        },
        "Defaults": {
            "type": "object",
            "properties": {
                "names": {"type": "array", "items": {"type": "string"}, "default": ["x", "y"]},
                "level": {"type": "integer", "enum": [1, 2, 3], "default": 2},
                "owner": {"type": "object", "properties": {"n": {"type": "string"}}, "default": {"n": "q"}},
                "many": {"type": "array", "items": {"$ref": "#/components/schemas/Animal"}},
                "by_key": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Animal"}},
                "model_config": {"type": "string"},
                "schema": {"type": "string"},
                "Field": {"type": "integer"},
            },
        },
        "Page": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                           "has_more": {"type": "boolean"}},
        },
    },
    {
        "/pets": {
            "get": {
                "operationId": "listPets", "tags": ["pets"],
                "parameters": [{"name": "after", "in": "query", "schema": {"type": "string"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": _ok("#/components/schemas/Page"),
            },
            "post": {
                "operationId": "createPet", "tags": ["pets"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": _ok("#/components/schemas/Pet"),
            },
        },
        "/zoos/{id}": {
            "get": {
                "operationId": "getZoo", "tags": ["zoos"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok("#/components/schemas/Zoo"),
            },
        },
        "/animal": {
            "get": {"operationId": "getAnimal", "tags": ["zoos"], "responses": _ok("#/components/schemas/Animal")},
        },
    },
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("dcg-tiny")
    yield _build(out, "tiny_dcg", TINY, "Tiny")
    sys.path[:] = [p for p in sys.path if p != str(out)]


def _client(pkg: ModuleType, handler: Any, *, asynchronous: bool = False, **kwargs: Any) -> Any:
    http = (httpx.AsyncClient if asynchronous else httpx.Client)(transport=httpx.MockTransport(handler))
    cls = pkg.AsyncTiny if asynchronous else pkg.Tiny
    return cls(base_url="http://127.0.0.1:9", http_client=http, max_retries=0, **kwargs)


PET = {
    "pet-name": "Rex", "class": "mammal", "kind": "dog", "nickname": None, "tags": ["a"],
    "scores": {"x": 1}, "born": "2024-05-01T10:00:00Z", "id": "6f1c1a4e-8a8b-4c53-9d5e-0c0c0c0c0c0c",
    "parent": {"pet-name": "Old", "class": "mammal", "kind": "cat"}, "owner": {"name": "Ann"},
}


def test_models_carry_our_names_and_wire_aliases(tiny: ModuleType) -> None:
    m = tiny.models
    for name in ("Pet", "Kind", "Cat", "Dog", "Animal", "IdOrName", "Zoo", "Page", "PetOwner"):
        assert hasattr(m, name), name
    fields = m.Pet.model_fields
    assert fields["pet_name"].alias == "pet-name" and fields["class_"].alias == "class"
    assert {k.name for k in m.Kind} == {"DOG", "CAT", "NEW_KIND"}
    source = (Path(m.__file__)).read_text()
    assert "datamodel-code-generator" in source and "oagen_placeholder" not in source
    assert "from ._models import" in source


def test_round_trip_none_vs_missing_and_formats(tiny: ModuleType) -> None:
    pet = tiny.models.Pet.model_validate(PET)
    assert pet.to_dict() == PET
    assert pet.nickname is None and "nickname" in pet.model_fields_set
    assert isinstance(pet.born, datetime.datetime) and pet.born.tzinfo is not None
    assert isinstance(pet.id, uuid.UUID)
    assert isinstance(pet.parent, tiny.models.Pet) and pet.parent.kind is tiny.models.Kind.CAT
    assert isinstance(pet.owner, tiny.models.PetOwner)
    assert pet.size == 3 and "size" not in pet.model_fields_set  # the spec's default, not sent
    built = tiny.models.Pet(pet_name="A", class_="c", kind=tiny.models.Kind.DOG, nickname=None)
    assert built.to_dict() == {"pet-name": "A", "class": "c", "kind": "dog", "nickname": None}


def test_open_enum_and_unknown_fields_kept(tiny: ModuleType) -> None:
    data = dict(PET, kind="hamster", extra_field={"deep": [1]})
    pet = tiny.models.Pet.model_validate(data)
    assert isinstance(pet.kind, tiny.models.Kind) and pet.kind.value == "hamster"
    assert pet.model_extra == {"extra_field": {"deep": [1]}}
    assert pet.to_dict() == data


def test_unions_tags_and_typed_additional_properties(tiny: ModuleType) -> None:
    m = tiny.models
    zoo = m.Zoo.model_validate({"animals": [{"type": "cat", "lives": 9}, {"type": "dog"}], "key": 7, "area": 1.5})
    assert [type(a) for a in zoo.animals] == [m.Cat, m.Dog]
    assert zoo.key == 7 and m.Zoo.model_validate({"key": "k"}).key == "k"
    assert zoo.model_extra == {"area": 1.5}
    with pytest.raises(Exception):
        m.Zoo.model_validate({"area": "not a number"})
    # a tag is sent even when the model was built without it
    assert m.Cat(lives=1).to_dict() == {"type": "cat", "lives": 1}
    assert m.Dog().to_dict() == {"type": "dog"}


def test_calls_decode_and_send(tiny: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/animal":
            return httpx.Response(200, json={"type": "dog", "good": True})
        if request.method == "POST":
            return httpx.Response(200, json=json.loads(request.content))
        return httpx.Response(200, json={"animals": [], "key": "z"})

    m = tiny.models
    client = _client(tiny, handler)
    animal = client.zoos.list()
    assert isinstance(animal, m.Dog) and animal.good is True
    parent = m.Pet.model_validate(PET["parent"])
    pet = client.pets.create(pet_name="Rex", class_="mammal", kind=m.Kind.DOG, nickname=None, parent=parent)
    sent_body = {"pet-name": "Rex", "class": "mammal", "kind": "dog", "nickname": None, "parent": PET["parent"]}
    assert json.loads(sent[-1].content) == sent_body and pet.to_dict() == sent_body
    assert isinstance(pet.parent, m.Pet) and pet.parent.kind is m.Kind.CAT
    assert client.zoos.retrieve("z1").key == "z" and sent[-1].url.path == "/zoos/z1"

    async def main() -> Any:
        async with _client(tiny, handler, asynchronous=True) as aclient:
            return await aclient.zoos.list()

    assert isinstance(asyncio.run(main()), tiny.models.Dog)


@pytest.mark.filterwarnings("error::UserWarning")
def test_pagination_and_lenient_or_strict_decoding(tiny: ModuleType) -> None:
    pages = [
        {"data": [PET], "has_more": True},
        {"data": [dict(PET, **{"pet-name": "Two"})], "has_more": False},
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":  # a response that does not match Pet
            return httpx.Response(200, json={"pet-name": 5, "kind": "dog"})
        return httpx.Response(200, json=pages[1 if request.url.params.get("after") else 0])

    client = _client(tiny, handler)
    names = [p.pet_name for p in client.pets.list(limit=1)]
    assert names == ["Rex", "Two"]
    kwargs = {"pet_name": "Rex", "class_": "mammal", "kind": tiny.models.Kind.DOG}
    lenient = client.pets.create(**kwargs)
    assert isinstance(lenient, tiny.models.Pet) and lenient.pet_name == 5
    assert "class_" not in lenient.model_fields_set
    strict = _client(tiny, handler, strict_response_validation=True)
    with pytest.raises(tiny.APIResponseValidationError):
        strict.pets.create(**kwargs)


def test_defaults_reserved_names_and_unions_in_containers(tiny: ModuleType) -> None:
    m = tiny.models
    d = m.Defaults()
    assert d.names == ["x", "y"] and d.level is m.DefaultsLevel.VALUE_2 and d.to_dict() == {}
    assert d.owner is None  # a model's dict default is left out (it would not type-check)
    fields = m.Defaults.model_fields
    assert fields["model_config_"].alias == "model_config" and fields["schema_"].alias == "schema"
    assert fields["field"].alias == "Field"
    data = {"many": [{"type": "cat"}, {"type": "dog"}], "by_key": {"a": {"type": "dog"}},
            "model_config": "c", "schema": "s", "Field": 3}
    loaded = m.Defaults.model_validate(data)
    assert [type(a) for a in loaded.many] == [m.Cat, m.Dog] and type(loaded.by_key["a"]) is m.Dog
    assert loaded.model_config_ == "c" and loaded.to_dict() == data


# --------------------------------------------------------------------------- guards


def test_a_name_dcg_would_change_is_a_located_error(tmp_path: Path) -> None:
    spec = _spec({"TypeAliasType": {"type": "array", "items": {"type": "string"}},
                  "Holder": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/TypeAliasType"}}}})
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(spec))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(path), "--output", str(tmp_path / "out" / "pkg"),
         "--models", STYLE],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "renamed.json" in proc.stderr and "#/components/schemas/TypeAliasType" in proc.stderr
    assert "datamodel-code-generator" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("payload", [
    "__import__('os').system('true')",
    "class Evil:\n    x = print('hi')",
    "import os",
    "from antigravity import x",
    "from ._models import BaseModel",
    "def f():\n    pass",
])
def test_unexpected_code_from_dcg_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              payload: str) -> None:
    real = dcg_style.run_dcg
    monkeypatch.setattr(dcg_style, "run_dcg", lambda inp: real(inp) + "\n" + payload + "\n")
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(TINY))
    with pytest.raises(SpecError) as info:
        generate(load_document(spec), client_for_spec(spec, tmp_path / "pkg", models=STYLE))
    assert "refusing this spec" in str(info.value)


# ----------------------------------------------------------------- seed clients


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, ModuleType]]]:
    out = tmp_path_factory.mktemp("dcg-seeds")
    pkgs = {name: _build(out, f"{name}_dcg", REPO / "specs" / f"{name}.yaml", cls) for name, cls in SEEDS.items()}
    yield out, pkgs
    sys.path[:] = [p for p in sys.path if p != str(out)]


def test_seed_clients_import_and_pass_mypy_strict(seeds: tuple[Path, dict[str, ModuleType]], tmp_path: Path) -> None:
    out, pkgs = seeds
    _build(out, "tiny_dcg_typed", TINY, "Tiny")  # typed additional properties, unions, aliases
    for name in pkgs:
        for info in pkgutil.walk_packages(pkgs[name].__path__, f"{name}_dcg."):
            importlib.import_module(info.name)
    use = tmp_path / "use_dcg.py"
    use.write_text(
        "from together_dcg import Together\n"
        "from together_dcg.models import FinetuneJobStatus, FinetuneResponseTruncated\n\n\n"
        "def call(client: Together) -> FinetuneJobStatus:\n"
        "    job: FinetuneResponseTruncated = client.fine_tuning.cancel(id='x')\n"
        "    return job.status\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         *[f"{name}_dcg" for name in pkgs], "tiny_dcg_typed", str(use)],
        capture_output=True, text=True, timeout=600, cwd=out, env={**os.environ, "MYPYPATH": str(out)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


NOT_FOUND = {"Prefer": "code=404"}


def test_together_cancel_against_prism(prism: Any, seeds: tuple[Path, dict[str, ModuleType]]) -> None:
    pkg = seeds[1]["together"]
    m = importlib.import_module("together_dcg.models")
    server = prism("together")
    with pkg.Together(api_key="tok", base_url=server.base_url) as client:
        job = client.fine_tuning.cancel(id="ft-123")
        raw = client.with_raw_response.fine_tuning.cancel(id="ft-123")
        with pytest.raises(pkg.NotFoundError) as info:
            client.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)
    assert isinstance(job, m.FinetuneResponseTruncated) and job.status is m.FinetuneJobStatus.COMPLETED
    assert job.created_at == datetime.datetime(2023, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert "validation_file" not in job.model_fields_set
    assert raw.status_code == 200 and isinstance(raw.parse(), m.FinetuneResponseTruncated)
    assert info.value.status_code == 404
    strict = pkg.Together(api_key="tok", base_url=server.base_url, strict_response_validation=True)
    assert isinstance(strict.fine_tuning.cancel(id="ft-123"), m.FinetuneResponseTruncated)

    async def main() -> Any:
        async with pkg.AsyncTogether(api_key="tok", base_url=server.base_url) as aclient:
            with pytest.raises(pkg.NotFoundError):
                await aclient.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)
            return await aclient.fine_tuning.cancel(id="ft-123")

    assert asyncio.run(main()).status is m.FinetuneJobStatus.COMPLETED


def test_dataherald_and_portkey_cancel_against_prism(prism: Any, seeds: tuple[Path, dict[str, ModuleType]]) -> None:
    dh, pk = seeds[1]["dataherald"], seeds[1]["portkey"]
    dhm, pkm = importlib.import_module("dataherald_dcg.models"), importlib.import_module("portkey_dcg.models")
    server = prism("dataherald")
    job = dh.Dataherald(base_url=server.base_url).finetunings.cancel("ft-1", body_finetuning_id="ft-1",
                                                                      metadata={"by": "test"})
    assert isinstance(job, dhm.Finetuning) and job.status is dhm.FineTuningStatus.CANCELLED
    assert job.finetuning_job_id is None and "finetuning_job_id" in job.model_fields_set
    with pytest.raises(dh.NotFoundError):
        dh.Dataherald(base_url=server.base_url).finetunings.cancel("ft-1", body_finetuning_id="ft-1",
                                                                   extra_headers=NOT_FOUND)
    server = prism("portkey")

    async def main() -> Any:
        async with pk.AsyncPortkey(api_key="pk", virtual_key="vk", base_url=server.base_url) as aclient:
            return await aclient.fine_tuning.cancel("ftjob-abc123")

    pjob = asyncio.run(main())
    assert isinstance(pjob, pkm.FineTuningJob) and pjob.object == "fine_tuning.job"
    assert pjob.integrations and pjob.integrations[0].wandb.project == "my-wandb-project"
    with pytest.raises(pk.NotFoundError):
        pk.Portkey(api_key="pk", virtual_key="vk", base_url=server.base_url).fine_tuning.cancel(
            "ftjob-abc123", extra_headers=NOT_FOUND)


# ----------------------------------------------------------------------- corpus


def test_together_corpus_imports_and_streams(tmp_path: Path) -> None:
    from corpus_support import require_corpus

    spec = require_corpus() / "together.yaml"
    pkg = _build(tmp_path, "corpus_together_dcg", spec, "Together")
    try:
        for info in pkgutil.walk_packages(pkg.__path__, "corpus_together_dcg."):
            importlib.import_module(info.name)
        m = importlib.import_module("corpus_together_dcg.models")
        # DCG made up no class of its own: what it adds are aliases of discriminated unions
        ours = {d.name for d in _api(spec).schemas}
        tree = ast.parse(Path(m.__file__).read_text())
        extra = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name not in ours]
        assert not extra, [n.name for n in extra]
        events = [
            {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]},
        ]
        body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"

        def handler(request: httpx.Request) -> httpx.Response:
            assert json.loads(request.content)["stream"] is True
            return httpx.Response(200, content=body.encode(), headers={"content-type": "text/event-stream"})

        client = pkg.Together(api_key="k", base_url="http://127.0.0.1:9", max_retries=0,
                              http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        chunks = list(client.chat.create_completions(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True))
        assert len(chunks) == 1 and chunks[0].id == "c1"
        assert type(chunks[0]).__module__ == m.__name__
    finally:
        sys.path[:] = [p for p in sys.path if p != str(tmp_path)]


# ---------------------------------------------------------------------- hostile


@pytest.fixture(scope="module")
def hostile_dcg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    import test_hostile as H

    root = tmp_path_factory.mktemp("dcg-hostile")
    marker = root / "MARKER"
    payloads = H.Payloads(marker)
    out = root / "out"
    packages: dict[str, Any] = {}
    for name, (version, fmt, *style) in H.HOSTILE_SPECS.items():
        if style and style[0] != "pydantic":
            continue  # the same spec again, for another style
        spec, names = H.kitchen_sink(payloads, version)
        raw = (json.dumps(spec) if fmt == "json"
               else yaml.safe_dump(spec, allow_unicode=False, sort_keys=False, width=10**6)).encode()
        spec_file = root / f"{name}.{fmt}"
        spec_file.write_bytes(raw)
        client = client_for_spec(spec_file, out / name, models=STYLE)
        result = generate(load_document_bytes(raw, str(spec_file)), client)
        write_package(client.output, result.files)
        assert not marker.exists()
        module = _fresh_import(out, name)
        packages[name] = H.Generated(name, out, result, names, module, importlib.import_module(f"{name}.models"))
    yield H, packages
    assert not marker.exists(), "a payload ran: the marker file exists"
    sys.path[:] = [p for p in sys.path if p != str(out)]


def test_hostile_specs_no_payload_runs_and_values_survive(hostile_dcg: tuple[Any, dict[str, Any]]) -> None:
    H, packages = hostile_dcg
    for pkg in packages.values():
        marker = pkg.out.parent / "MARKER"
        H.test_generated_code_parses_imports_and_stays_printable(pkg, marker)
        H.test_calls_carry_exact_names_and_values(pkg)
        H.test_discriminator_values_round_trip(pkg)
        H.test_hostile_path_segment_and_map_of_enums(pkg)
        n = pkg.names
        Kind, Thing = pkg.cls(n.kind), pkg.cls(n.thing)
        assert [m.value for m in Kind] == list(n.kind_values)
        assert Thing.model_fields[pkg.model_field(n.thing, n.props["const"])].default == n.const_value
        p1 = Thing.model_fields[pkg.model_field(n.thing, n.props["p1"])]
        assert p1.alias == n.props["p1"] and p1.default == n.p1_default
        assert "oagen_placeholder" not in pkg.result.files["models.py"]
        assert not marker.exists()


# ------------------------------------------------------------------ determinism


def test_output_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    texts = []
    for seed in ("1", "987"):
        out = tmp_path / seed / "together_dcg"
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(REPO / "specs" / "together.yaml"),
             "--output", str(out), "--models", STYLE],
            check=True, capture_output=True, timeout=300, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        texts.append({p.name: p.read_bytes() for p in sorted(out.rglob("*.py"))})
    assert texts[0] == texts[1]
