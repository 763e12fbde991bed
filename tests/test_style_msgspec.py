"""The msgspec model style (``models = "msgspec"``): Structs, UNSET, tagged unions, Dispatched.

1. A small spec with every model feature, generated in the msgspec style: wire names,
   optional versus required, ``null`` versus absent, open enums, nested and recursive
   models, lists and maps, native tagged unions, unions msgspec cannot decode itself
   (``Dispatched``), float enums, date-time and uuid, round trips, lenient and strict
   decoding, streaming and pagination through ``httpx.MockTransport``.
2. The three seed clients in this style: import, ``mypy --strict``, the cancel calls
   against Prism (127.0.0.1), sync and async, typed errors, raw responses, strict and
   lenient decoding; the package works with pydantic unimportable.
3. The Together corpus spec in this style: every module imports, msgspec builds a
   decoder for every model.
4. The hostile specs of ``test_hostile.py`` in this style: no payload runs, and names
   and values survive exactly.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import httpx
import msgspec
import pytest
import yaml

from generator.config import client_for_spec
from generator.escape import comment
from generator.styles.msgspec_style import mappable
from generator.core import generate
from generator.load import load_document, load_document_bytes
from generator.write import write_package
from gen_support import import_fresh

REPO = Path(__file__).resolve().parents[1]


def _generate(spec_file: Path, out: Path, name: str, client_class: str | None = None) -> Any:
    client = client_for_spec(spec_file, out / name, client_class, models="msgspec")
    result = generate(load_document(spec_file), client)
    write_package(out / name, result.files)
    return result


def _import_fresh(out: Path, name: str) -> ModuleType:
    return import_fresh(out, name)


# ---------------------------------------------------------------- 1. the small spec

THING_PROPS: dict[str, Any] = {
    "id": {"type": "string"},
    "kind": {"$ref": "#/components/schemas/Kind"},
    "wire-name": {"type": "integer"},
    "opt": {"type": "string"},
    "nul": {"type": ["string", "null"]},
    "when": {"type": "string", "format": "date-time"},
    "uid": {"type": "string", "format": "uuid"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
    "level": {"$ref": "#/components/schemas/Level"},
    "ratio": {"$ref": "#/components/schemas/Ratio"},
    "child": {"$ref": "#/components/schemas/Thing"},
    "pet": {"$ref": "#/components/schemas/Pet"},
    "shape": {"$ref": "#/components/schemas/Shape"},
    "animal": {"$ref": "#/components/schemas/Animal"},
    "stamp": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "uuid"}]},
    "flag": {"const": True},
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shapes", "version": "1.0.0"},
    "servers": [{"url": "https://api.shapes.test/v1"}],
    "paths": {
        "/things/{id}": {"get": {"operationId": "getThing", "tags": ["things"],
                                 "parameters": [{"name": "id", "in": "path", "required": True,
                                                 "schema": {"type": "string"}}],
                                 "responses": {"200": {"description": "ok", "content": {"application/json": {
                                     "schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
        "/things": {
            "post": {"operationId": "createThing", "tags": ["things"],
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Thing"}}}},
                     "responses": {"200": {"description": "ok", "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Thing"}}}}}},
            "get": {"operationId": "listThings", "tags": ["things"],
                    "parameters": [{"name": "after", "in": "query", "schema": {"type": "string"}},
                                   {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["data", "has_more"],
                        "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                                       "has_more": {"type": "boolean"}}}}}}}},
        },
        "/events": {"get": {"operationId": "streamEvents", "tags": ["things"],
                            "responses": {"200": {"description": "events", "content": {"text/event-stream": {
                                "schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
        "/shapes": {"get": {"operationId": "getShape", "tags": ["things"],
                            "responses": {"200": {"description": "ok", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Shape"}}}}}}},
    },
    "components": {"schemas": {
        "Kind": {"type": "string", "enum": ["a", "b"]},
        "Level": {"type": "integer", "enum": [1, 2]},
        "Ratio": {"type": "number", "enum": [0.5, 1.5]},
        "Thing": {"type": "object", "required": ["id", "kind", "wire-name"], "properties": THING_PROPS},
        "Dog": {"type": "object", "required": ["pet_type"],
                "properties": {"pet_type": {"const": "dog"}, "bark": {"type": "string"}}},
        "Cat": {"type": "object", "required": ["pet_type"],
                "properties": {"pet_type": {"const": "cat"}, "meow": {"type": "string"}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "pet_type",
                                  "mapping": {"dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"}}},
        "Circle": {"type": "object", "required": ["radius"], "properties": {"radius": {"type": "number"}}},
        "Square": {"type": "object", "required": ["side"],
                   "properties": {"side": {"type": "number"}, "label": {"type": "string"}}},
        "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}]},
        # a discriminator whose tag is a plain string field: not a msgspec tag, dispatched by value
        "Bird": {"type": "object", "required": ["kind_tag"],
                 "properties": {"kind_tag": {"type": "string"}, "wings": {"type": "integer"}}},
        "Fish": {"type": "object", "required": ["kind_tag"],
                 "properties": {"kind_tag": {"type": "string"}, "fins": {"type": "integer"}}},
        "Animal": {"oneOf": [{"$ref": "#/components/schemas/Bird"}, {"$ref": "#/components/schemas/Fish"}],
                   "discriminator": {"propertyName": "kind_tag",
                                     "mapping": {"bird": "#/components/schemas/Bird",
                                                 "fish": "#/components/schemas/Fish"}}},
    }},
}

FULL = {
    "id": "t1", "kind": "a", "wire-name": 3, "opt": "o", "nul": None,
    "when": "2024-05-17T17:35:45.123000Z", "uid": "12345678-1234-5678-1234-567812345678",
    "tags": ["x", "y"], "meta": {"k": 1}, "level": 2, "ratio": 1.5,
    "child": {"id": "t2", "kind": "b", "wire-name": 4, "child": {"id": "t3", "kind": "a", "wire-name": 5}},
    "pet": {"pet_type": "cat", "meow": "purr"},
    "shape": {"side": 2.0, "label": "sq"},
    "animal": {"kind_tag": "fish", "fins": 4},
    "stamp": "12345678-1234-5678-1234-567812345678",
    "flag": True,
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("msgspec-shapes")
    spec_file = root / "shapes.json"
    spec_file.write_text(json.dumps(SPEC))
    _generate(spec_file, root / "out", "shapes_msgspec", "Shapes")
    module = _import_fresh(root / "out", "shapes_msgspec")
    yield module
    sys.path.remove(str(root / "out"))


def _client(pkg: ModuleType, handler: Callable[[httpx.Request], httpx.Response], **kw: Any) -> Any:
    return pkg.Shapes(base_url="https://api.shapes.test/v1", max_retries=0,
                      http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kw)


def test_models_are_structs_with_the_chosen_shapes(shapes: ModuleType) -> None:
    m = shapes.models
    assert issubclass(m.Thing, msgspec.Struct)
    # native tags: Dog and Cat are tagged Structs (the tag is a property), Bird and Fish are not
    assert (m.Dog.__struct_config__.tag_field, m.Dog.__struct_config__.tag) == ("pet_type", "dog")
    assert "pet_type" not in m.Dog.__struct_fields__ and m.Dog().pet_type == "dog"
    assert m.Bird.__struct_config__.tag is None and "kind_tag" in m.Bird.__struct_fields__
    text = Path(m.__file__).read_text()
    assert "pydantic" not in text
    assert "Dispatched[Circle | Square, FirstMatch()]" in text
    assert 'Dispatched[Bird | Fish, ByTag("kind_tag", {"bird": Bird, "fish": Fish})]' in text
    assert "Dispatched[Ratio, FirstMatch()]" in text  # msgspec cannot decode float enums
    assert "Dispatched[Literal[True], FirstMatch()]" in text  # bool literals: only msgspec >= 0.22
    assert "wire_name: int = Field(name=\"wire-name\")" in text
    # the whole model graph is decodable by msgspec (no TypeError for unions it refuses)
    msgspec.json.Decoder(list[m.Thing])


def test_full_round_trip_and_typed_values(shapes: ModuleType) -> None:
    m, models = shapes.models, shapes._models
    thing = models.decode_json(m.Thing, json.dumps(FULL).encode())
    assert thing == models.decode(m.Thing, FULL)
    assert thing.wire_name == 3 and thing.kind is m.Kind.A and thing.level is m.Level(2)
    assert isinstance(thing.ratio, m.Ratio) and thing.ratio.value == 1.5
    assert thing.when == datetime.datetime(2024, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert thing.uid == uuid.UUID(FULL["uid"])
    assert isinstance(thing.child, m.Thing) and isinstance(thing.child.child, m.Thing)
    assert thing.child.child.child is msgspec.UNSET
    assert isinstance(thing.pet, m.Cat) and thing.pet.meow == "purr"
    assert isinstance(thing.shape, m.Square) and thing.shape.label == "sq"
    assert isinstance(thing.animal, m.Fish) and thing.animal.fins == 4
    assert thing.stamp == uuid.UUID(FULL["stamp"]) and thing.flag is True
    with pytest.raises(models.DecodeError, match="in field `flag`"):
        models.decode(m.Thing, {**FULL, "flag": 1})
    assert models.dump_model(thing) == FULL
    assert json.loads(thing.to_json()) == FULL and thing.to_dict() == FULL


def test_absent_reads_unset_null_reads_none_and_only_set_fields_are_sent(shapes: ModuleType) -> None:
    m, models = shapes.models, shapes._models
    thing = models.decode(m.Thing, {"id": "t", "kind": "a", "wire-name": 1, "nul": None})
    assert thing.opt is msgspec.UNSET and thing.nul is None
    assert models.dump_model(thing) == {"id": "t", "kind": "a", "wire-name": 1, "nul": None}
    made = m.Thing(id="t", kind=m.Kind.B, wire_name=2, opt=None)
    assert made.to_dict() == {"id": "t", "kind": "b", "wire-name": 2, "opt": None}
    assert "UNSET" not in repr(made)


def test_unions_dispatch_by_shape_and_by_tag(shapes: ModuleType) -> None:
    m, models = shapes.models, shapes._models
    base = {"id": "t", "kind": "a", "wire-name": 1}
    assert isinstance(models.decode(m.Thing, {**base, "shape": {"radius": 1}}).shape, m.Circle)
    # the variant declaring most of the keys sent wins (Square has "side" and "label")
    assert isinstance(models.decode(m.Thing, {**base, "shape": {"side": 1, "label": "l"}}).shape, m.Square)
    assert isinstance(models.decode(m.Thing, {**base, "animal": {"kind_tag": "bird", "fins": 1}}).animal, m.Bird)
    assert isinstance(models.decode(m.Thing, {**base, "pet": {"pet_type": "dog"}}).pet, m.Dog)
    assert isinstance(models.decode(m.Thing, {**base, "stamp": "2024-01-01T00:00:00Z"}).stamp, datetime.datetime)
    # models passed to a constructor stay as they are
    assert m.Thing(id="t", kind=m.Kind.A, wire_name=1, shape=m.Circle(radius=1.0)).shape == m.Circle(radius=1.0)
    with pytest.raises(models.DecodeError) as info:
        models.decode(m.Thing, {**base, "shape": {"radius": "wide"}})
    assert isinstance(info.value.cause, msgspec.ValidationError)
    assert "in field `shape`" in str(info.value)
    with pytest.raises(models.DecodeError, match=r"\$.pet"):
        models.decode(m.Thing, {**base, "pet": {"pet_type": "parrot"}})


def test_open_enums_keep_unknown_values_and_strict_mode_reports_them(shapes: ModuleType) -> None:
    m, models = shapes.models, shapes._models
    data = {"id": "t", "kind": "zebra", "wire-name": 1, "level": 7, "ratio": 9.5, "surprise": 1}
    thing = models.decode(m.Thing, data)
    assert thing.kind.value == "zebra" and thing.kind.name == "UNKNOWN_zebra" and isinstance(thing.kind, m.Kind)
    assert thing.level.value == 7 and thing.ratio.value == 9.5
    assert models.dump_model(thing) == {k: v for k, v in data.items() if k != "surprise"}
    assert models.dropped_fields(thing, data) == ["$: unexpected field 'surprise' in Thing"]
    body = json.dumps(data).encode()
    lenient = _client(shapes, lambda r: httpx.Response(200, content=body)).things.retrieve("t")
    assert lenient.kind.value == "zebra"
    with pytest.raises(shapes.APIResponseValidationError) as info:
        _client(shapes, lambda r: httpx.Response(200, content=body),
                strict_response_validation=True).things.retrieve("t")
    message = str(info.value)
    assert "unexpected field 'surprise' in Thing" in message and "unknown Kind value 'zebra'" in message


def test_lenient_decoding_keeps_what_matches(shapes: ModuleType) -> None:
    m, models = shapes.models, shapes._models
    data = {"kind": "a", "wire-name": "not a number", "child": {"id": "c", "kind": "b", "wire-name": 2},
            "shape": {"radius": "wide"}}
    with pytest.raises(models.DecodeError):
        models.decode(m.Thing, data)
    thing = models.decode_lenient(m.Thing, data)
    assert isinstance(thing, m.Thing) and thing.id is msgspec.UNSET  # a missing required field
    assert thing.wire_name == "not a number" and isinstance(thing.child, m.Thing)
    assert isinstance(thing.shape, m.Circle) and thing.shape.radius == "wide"
    body = json.dumps(data).encode()
    got = _client(shapes, lambda r: httpx.Response(200, content=body)).things.retrieve("t")
    assert isinstance(got, m.Thing) and got.child.id == "c"
    with pytest.raises(shapes.APIResponseValidationError) as info:
        _client(shapes, lambda r: httpx.Response(200, content=body),
                strict_response_validation=True).things.retrieve("t")
    assert isinstance(info.value.__cause__, msgspec.ValidationError)


def test_calls_send_wire_names_and_decode_unions_streams_and_pages(shapes: ModuleType) -> None:
    m = shapes.models
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/events"):
            events = [{"pet_type": "dog", "bark": "woof"}, {"pet_type": "cat"}]
            body = "".join(f"data: {json.dumps(e)}\n\n" for e in events).encode()
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        if request.url.path.endswith("/shapes"):
            return httpx.Response(200, json={"radius": 2})
        if request.method == "GET" and request.url.path.endswith("/things"):
            after = request.url.params.get("after")
            items = [{**FULL, "id": "a1"}, {**FULL, "id": "a2"}] if after is None else [{**FULL, "id": "a3"}]
            return httpx.Response(200, json={"data": items, "has_more": after is None})
        return httpx.Response(200, content=request.content)

    client = _client(shapes, handler)
    made = client.things.create(id="n", kind=m.Kind.B, wire_name=5, opt=None,
                                      pet=m.Dog(bark="w"), shape=m.Circle(radius=1.0))
    assert json.loads(seen[-1].content) == {"id": "n", "kind": "b", "wire-name": 5, "opt": None,
                                             "pet": {"pet_type": "dog", "bark": "w"}, "shape": {"radius": 1.0}}
    assert isinstance(made, m.Thing) and isinstance(made.pet, m.Dog) and isinstance(made.shape, m.Circle)
    assert isinstance(client.things.get_shape(), m.Circle)
    pets = list(client.things.stream())
    assert [type(p) for p in pets] == [m.Dog, m.Cat] and pets[0].bark == "woof"
    assert [t.id for t in client.things.list_things(limit=2)] == ["a1", "a2", "a3"]

    async def main() -> tuple[list[Any], list[str]]:
        aclient = shapes.AsyncShapes(base_url="https://api.shapes.test/v1",
                                     http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        stream = await aclient.things.stream()
        return [p async for p in stream], [t.id async for t in aclient.things.list_things(limit=2)]

    apets, aids = asyncio.run(main())
    assert [type(p) for p in apets] == [m.Dog, m.Cat] and aids == ["a1", "a2", "a3"]


def test_shapes_package_passes_mypy_strict(shapes: ModuleType, tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent("""
        from typing_extensions import assert_type
        from msgspec import UnsetType
        from shapes_msgspec import Shapes
        from shapes_msgspec.models import Bird, Circle, Fish, Kind, Square, Thing

        def use(client: Shapes) -> None:
            thing = client.things.retrieve("t")
            assert_type(thing, Thing)
            assert_type(thing.shape, Circle | Square | None | UnsetType)
            assert_type(thing.animal, Bird | Fish | None | UnsetType)
            assert_type(thing.kind, Kind)
    """))
    package_dir = Path(shapes.__file__).parent
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         "shapes_msgspec", str(usage)],
        cwd=package_dir.parent, capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "MYPYPATH": str(package_dir.parent)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------ 2. the seed clients

SEEDS = {"together": "Together", "dataherald": "Dataherald", "portkey": "Portkey"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("msgspec-seeds")
    packages = {}
    for name, cls in SEEDS.items():
        _generate(REPO / "specs" / f"{name}.yaml", out, f"{name}_ms", cls)
        packages[name] = _import_fresh(out, f"{name}_ms")
    yield packages
    sys.path.remove(str(out))


def test_committed_golden_client_is_this_style() -> None:
    text = (REPO / "generated" / "together_msgspec" / "models.py").read_text()
    assert "class FineTuneEvent(Struct, kw_only=True):" in text
    assert "import pydantic" not in text and "from pydantic" not in text


def test_seed_packages_pass_mypy_strict(seeds: dict[str, ModuleType], tmp_path: Path) -> None:
    out = Path(seeds["together"].__file__).parent.parent
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent("""
        from typing_extensions import assert_type
        from together_ms import AsyncTogether, Together
        from together_ms.models import FinetuneResponseTruncated
        from dataherald_ms import Dataherald
        from dataherald_ms.models import Finetuning
        from portkey_ms import Portkey
        from portkey_ms.models import FineTuningJob

        def calls() -> None:
            assert_type(Together(api_key="k").fine_tuning.cancel(id="x"), FinetuneResponseTruncated)
            assert_type(Dataherald().finetunings.cancel("f", body_finetuning_id="f"), Finetuning)
            assert_type(Portkey(api_key="a", virtual_key="b").fine_tuning.cancel("j"), FineTuningJob)

        async def acalls() -> None:
            assert_type(await AsyncTogether(api_key="k").fine_tuning.cancel(id="x"), FinetuneResponseTruncated)
    """))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         "together_ms", "dataherald_ms", "portkey_ms", str(usage)],
        cwd=out, capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "MYPYPATH": str(out)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_seed_package_needs_no_pydantic(seeds: dict[str, ModuleType]) -> None:
    out = Path(seeds["together"].__file__).parent.parent
    script = textwrap.dedent("""
        import sys
        sys.modules["pydantic"] = None  # any import of pydantic now raises ImportError
        import httpx, json
        import together_ms, together_ms.models, together_ms.resources
        import dataherald_ms, portkey_ms
        body = {"id": "ft-1", "status": "running", "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z", "training_type": {"type": "Lora", "lora_r": 8,
                "lora_alpha": 16}}
        client = together_ms.Together(api_key="k", http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body))))
        job = client.fine_tuning.cancel(id="ft-1")
        assert type(job.training_type).__name__ == "LoRATrainingType", job
        assert not any(m == "pydantic" or m.startswith("pydantic.") for m in sys.modules if sys.modules[m])
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stdout + proc.stderr


NOT_FOUND = {"Prefer": "code=404"}


@pytest.mark.e2e
def test_together_against_prism(prism: Any, seeds: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("TOGETHER_API_KEY", "TOGETHER_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    pkg = seeds["together"]
    server = prism("together")
    with pkg.Together(api_key="tok", base_url=server.base_url) as client:
        job = client.fine_tuning.cancel(id="ft-123")
        raw = client.with_raw_response.fine_tuning.cancel(id="ft-123")
        with pytest.raises(pkg.NotFoundError) as info:
            client.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)
    assert isinstance(job, pkg.models.FinetuneResponseTruncated)
    assert job.status is pkg.models.FinetuneJobStatus.COMPLETED
    assert job.created_at == datetime.datetime(2023, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert job.events == [] and job.validation_file is msgspec.UNSET
    assert raw.status_code == 200 and raw.parse() == job
    assert info.value.status_code == 404
    strict = pkg.Together(api_key="tok", base_url=server.base_url, strict_response_validation=True)
    assert strict.fine_tuning.cancel(id="ft-123") == job

    async def main() -> Any:
        async with pkg.AsyncTogether(api_key="tok", base_url=server.base_url) as aclient:
            with pytest.raises(pkg.NotFoundError):
                await aclient.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)
            return await aclient.fine_tuning.cancel(id="ft-123")

    assert asyncio.run(main()) == job


@pytest.mark.e2e
def test_dataherald_and_portkey_against_prism(prism: Any, seeds: dict[str, ModuleType],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PORTKEY_API_KEY", "PORTKEY_VIRTUAL_KEY", "PORTKEY_BASE_URL", "DATAHERALD_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    dh, pk = seeds["dataherald"], seeds["portkey"]
    dh_server, pk_server = prism("dataherald"), prism("portkey")
    job = dh.Dataherald(base_url=dh_server.base_url).finetunings.cancel(
        "ft-1", body_finetuning_id="ft-1", metadata={"by": "test"})
    assert isinstance(job, dh.models.Finetuning) and job.status is dh.models.FineTuningStatus.CANCELLED
    assert job.base_llm.model_parameters.n_epochs == "1"
    assert job.finetuning_job_id is None  # sent as null: None, not UNSET
    with pytest.raises(dh.NotFoundError):
        dh.Dataherald(base_url=dh_server.base_url).finetunings.cancel(
            "ft-1", body_finetuning_id="ft-1", extra_headers=NOT_FOUND)
    pjob = pk.Portkey(api_key="pk", virtual_key="vk", base_url=pk_server.base_url).fine_tuning.cancel("ftjob-abc123")
    assert isinstance(pjob, pk.models.FineTuningJob) and pjob.object == "fine_tuning.job"
    assert pjob.integrations and pjob.integrations[0].wandb.project == "my-wandb-project"
    with pytest.raises(pk.NotFoundError):
        pk.Portkey(api_key="pk", virtual_key="vk", base_url=pk_server.base_url).fine_tuning.cancel(
            "ftjob-abc123", extra_headers=NOT_FOUND)

    async def main() -> tuple[Any, Any]:
        async with dh.AsyncDataherald(base_url=dh_server.base_url) as a, pk.AsyncPortkey(
                api_key="pk", virtual_key="vk", base_url=pk_server.base_url) as b:
            return (await a.finetunings.cancel("ft-1", body_finetuning_id="ft-1"),
                    await b.fine_tuning.cancel("ftjob-abc123"))

    ajob, apjob = asyncio.run(main())
    assert ajob.status is dh.models.FineTuningStatus.CANCELLED and apjob.id == pjob.id


# ------------------------------------------------------------- 3. the Together corpus


def test_together_corpus_imports_and_every_model_decodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_support import CORPUS, require_corpus

    from generator import core

    require_corpus()
    # black is what takes the time here, and formatting does not change what is imported
    monkeypatch.setattr(core, "format_files", lambda files, *args, **kwargs: files)
    _generate(CORPUS / "together.yaml", tmp_path, "corpus_together_ms", "Together")
    pkg = _import_fresh(tmp_path, "corpus_together_ms")
    try:
        for path in sorted((tmp_path / "corpus_together_ms").rglob("*.py")):
            parts = path.relative_to(tmp_path).with_suffix("").parts
            importlib.import_module(".".join(parts).removesuffix(".__init__"))
        models = pkg.models
        structs = [getattr(models, n) for n in models.__all__
                   if isinstance(getattr(models, n), type) and issubclass(getattr(models, n), msgspec.Struct)]
        assert len(structs) > 200
        for cls in structs:
            msgspec.json.Decoder(cls)
        # a streamed chat completion: the event union is dispatched at the top level
        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "finish_reason": None, "delta": {"role": "assistant", "content": "Hi"}}]}
        body = f"data: {json.dumps({'data': chunk})}\n\n".encode()
        client = pkg.Together(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(
            lambda r: httpx.Response(200, content=body, headers={"content-type": "text/event-stream"}))))
        events = list(client.chat.create_completions(messages=[{"role": "user", "content": "Hi"}],
                                                     model="m", stream=True))
        assert len(events) == 1 and isinstance(events[0], models.ChatCompletionEvent)
        assert events[0].data.choices[0].delta.content == "Hi"
    finally:
        sys.path.remove(str(tmp_path))


# ------------------------------------------------------------------ 4. hostile specs


def test_hostile_specs_in_the_msgspec_style(tmp_path_factory: pytest.TempPathFactory) -> None:
    import test_hostile as th

    root = tmp_path_factory.mktemp("msgspec-hostile")
    marker = root / "MARKER"
    payloads = th.Payloads(marker)
    out = root / "out"
    try:
        for name, (version, fmt, *style) in th.HOSTILE_SPECS.items():
            if style and style[0] != "pydantic":
                continue  # the same spec again, for another style
            spec, n = th.kitchen_sink(payloads, version)
            raw = (json.dumps(spec) if fmt == "json" else
                   yaml.safe_dump(spec, allow_unicode=False, sort_keys=False, width=10**6)).encode("utf-8")
            spec_file = root / f"{name}.{fmt}"
            spec_file.write_bytes(raw)
            pkg_name = name + "_ms"
            result = generate(load_document_bytes(raw, str(spec_file)),
                              client_for_spec(spec_file, out / pkg_name, models="msgspec"))
            write_package(out / pkg_name, result.files)
            module = _import_fresh(out, pkg_name)
            gen = th.Generated(pkg_name, out, result, n, module, importlib.import_module(f"{pkg_name}.models"))
            for res in gen.api.resources:
                importlib.import_module(f"{pkg_name}.resources.{res.name}")
            assert not marker.exists()
            # enum values, the const default and wire names survive exactly, both ways; a
            # property msgspec cannot map (quote, backslash, control character) is left out
            Kind, Thing = gen.cls(n.kind), gen.cls(n.thing)
            assert [k.value for k in Kind] == list(n.kind_values)
            nested_cls = gen.field_cls(n.thing, n.props["nested"])
            canned = {n.props["p1"]: th.Payloads.value("p1r"), "kind": n.kind_values[1],
                      n.props["const"]: n.const_value, n.props["nested"]: {n.props["inner"]: 8},
                      n.props["arr"]: [n.kind_values[2]], n.props["nul"]: None}
            omitted = sorted(k for k in canned if not mappable(k))
            assert omitted, "the kitchen sink has property names msgspec cannot map"
            for wire in omitted:
                assert comment(wire) in result.files["models.py"]
            expected = {k: v for k, v in canned.items() if mappable(k)}
            op = gen.op("post", n.path1)
            rec = th.Recorder(httpx.Response(200, json={**canned, th.Payloads.value("unknown"): 1}))
            nested_value = (nested_cls(**{_inner_field(gen, n): 7}) if mappable(n.props["inner"])
                            else {n.props["inner"]: 7})
            result_obj = gen.method(gen.client(rec), op)(
                th.Payloads.value("pv"), **{
                    gen.param(op, n.q1): "q", gen.param(op, n.q2): ["a"], gen.param(op, n.h1): "h",
                    gen.field(op, n.props["p1"]): th.Payloads.value("p1v"),
                    gen.field(op, "kind"): Kind(n.kind_values[0]),
                    gen.field(op, n.props["nested"]): nested_value,
                })
            sent = json.loads(rec.last.content)
            assert sent[n.props["p1"]] == th.Payloads.value("p1v") and sent["kind"] == n.kind_values[0]
            assert sent[n.props["nested"]] == {n.props["inner"]: 7}
            assert isinstance(result_obj, Thing) and result_obj.to_dict() == expected
            # discriminator values round trip
            dog = {n.dprop: n.dog_value, n.woof: th.Payloads.value("woof")}
            rec = th.Recorder(httpx.Response(200, json=dog))
            pet = gen.method(gen.client(rec), gen.op("get", "/pets"))()
            tag_field = gen.cls(n.dog).__struct_config__.tag_field  # a tag may be any string
            assert isinstance(pet, gen.cls(n.dog))
            assert pet.to_dict() == {k: v for k, v in dog.items() if mappable(k) or k == tag_field}
        assert not marker.exists()
    finally:
        sys.path[:] = [p for p in sys.path if p != str(out)]


def _inner_field(gen: Any, n: Any) -> str:
    """The attribute of the Thing's nested inline model that carries the ``inner`` property."""
    from generator import ir

    d = gen.schema(n.thing)
    t = next(f.type for f in d.fields if f.wire_name == n.props["nested"])
    nested = next(x for x in gen.api.schemas if x.id == t.id)
    assert isinstance(nested, ir.ModelDef)
    return next(f.py_name for f in nested.fields if f.wire_name == n.props["inner"])
