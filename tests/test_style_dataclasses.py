"""The ``dataclasses`` model style (issue 6): standard-library dataclasses, generated decoders.

* A tiny inline spec generated in the style: aliases (wire names that are not
  identifiers), optional versus required, None versus missing, open enums, nested
  models, lists and maps, discriminated and plain unions, recursive models, date-time /
  date / uuid formats, typed additionalProperties, type aliases, round trips, errors with
  paths, lenient decoding, and the generated decoders agreeing with the generic one.
* Its client through ``httpx.MockTransport``: bodies, pagination, server-sent events,
  strict and lenient responses, sync and async.
* Without pydantic: a subprocess that makes ``pydantic`` unimportable imports the tiny
  package and the Together corpus package (every module) and makes a call.
* The three seed clients generated in the style: ``mypy --strict`` with their typed
  surface, and the cancel calls against Prism (sync, async, 404, raw response).

The hostile specs run in this style too (tests/test_hostile.py, ``*_dataclasses``), and
generated/together_dataclasses is the style's golden snapshot (tests/test_snapshot.py).
"""

from __future__ import annotations

import ast
import asyncio
import datetime
import importlib
import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest
import yaml

from corpus_support import CORPUS
from generator.config import client_for_spec
from generator.core import generate
from generator.load import load_document
from generator.write import write_package

REPO = Path(__file__).resolve().parents[1]
SEEDS = {"together": "Together", "dataherald": "Dataherald", "portkey": "Portkey"}

TINY: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1.0"},
    "servers": [{"url": "https://tiny.test"}],
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Item"}}}}},
            }
        },
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["data", "has_more"],
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                                   "has_more": {"type": "boolean"}}}}}}},
            },
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Item"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Item"}}}}},
            },
        },
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}},
            }
        },
        "/events": {
            "get": {
                "operationId": "streamEvents",
                "tags": ["items"],
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {
                    "schema": {"$ref": "#/components/schemas/Item"}}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "Color": {"type": "string", "enum": ["red", "green"]},
            "Item": {
                "type": "object",
                "required": ["id", "count"],
                "properties": {
                    "id": {"type": "string"},
                    "x-request-id": {"type": "string"},
                    "class": {"type": "string"},
                    "count": {"type": "integer"},
                    "ratio": {"type": "number"},
                    "note": {"type": ["string", "null"]},
                    "when": {"type": "string", "format": "date-time"},
                    "day": {"type": "string", "format": "date"},
                    "uid": {"type": "string", "format": "uuid"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "color": {"$ref": "#/components/schemas/Color"},
                    "shape": {"$ref": "#/components/schemas/Shape"},
                    "labels": {"$ref": "#/components/schemas/Labels"},
                    "value": {"$ref": "#/components/schemas/StrOrInts"},
                    "tree": {"$ref": "#/components/schemas/Node"},
                },
            },
            "Labels": {"type": "object", "properties": {"name": {"type": "string"}},
                       "additionalProperties": {"type": "integer"}},
            # the same fields: only the discriminator's mapping tells them apart
            "Cat": {"type": "object", "required": ["kind", "name"],
                    "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["kind", "name"],
                    "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {
                        "c": "#/components/schemas/Cat", "d": "#/components/schemas/Dog"}}},
            "Circle": {"type": "object", "required": ["radius"], "properties": {"radius": {"type": "number"}}},
            "Square": {"type": "object", "required": ["side"],
                       "properties": {"side": {"type": "number"}, "unit": {"type": "string"}}},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}]},
            "Node": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
            "StrOrInts": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]},
        }
    },
}

FULL_ITEM = {
    "id": "i-1",
    "x-request-id": "req-1",
    "class": "A",
    "count": 3,
    "ratio": 0.5,
    "note": None,
    "when": "2024-05-17T17:35:45.123000Z",
    "day": "2024-05-17",
    "uid": "12345678-1234-5678-1234-567812345678",
    "tags": ["a", "b"],
    "scores": {"x": 1},
    "color": "red",
    "shape": {"side": 2.0, "unit": "cm"},
    "labels": {"name": "n", "extra-label": 7},
    "value": [1, 2],
    "tree": {"name": "root", "children": [{"name": "leaf", "children": []}]},
}


def _generate(spec: Path, out: Path, name: str, client_class: str) -> None:
    client = client_for_spec(spec, out / name, client_class, models="dataclasses")
    result = generate(load_document(spec), client)
    write_package(out / name, result.files)


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dc-tiny")
    spec = root / "tiny.yaml"
    spec.write_text(yaml.safe_dump(TINY, sort_keys=False))
    _generate(spec, root / "out", "dc_tiny", "Tiny")
    return root / "out"


@pytest.fixture(scope="module")
def tiny(tiny_dir: Path) -> Any:
    sys.path.insert(0, str(tiny_dir))
    try:
        yield importlib.import_module("dc_tiny")
    finally:
        sys.path.remove(str(tiny_dir))


@pytest.fixture(scope="module")
def m(tiny: Any) -> Any:
    return importlib.import_module("dc_tiny.models")


@pytest.fixture(scope="module")
def rt(tiny: Any) -> Any:
    return importlib.import_module("dc_tiny._models")


# ------------------------------------------------------------------ models


def test_models_are_plain_dataclasses_and_the_runtime_imports_no_model_library(tiny: Any, m: Any) -> None:
    import dataclasses

    assert dataclasses.is_dataclass(m.Item)
    assert [f.name for f in dataclasses.fields(m.Item)][:4] == ["id", "x_request_id", "class_", "count"]
    imported: set[str] = set()
    for path in Path(tiny.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"httpx"}


def test_decode_round_trip_types_and_wire_names(m: Any, rt: Any) -> None:
    item = rt.decode(m.Item, FULL_ITEM)
    assert item.x_request_id == "req-1" and item.class_ == "A"
    assert item.when == datetime.datetime(2024, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert item.day == datetime.date(2024, 5, 17)
    assert item.uid == uuid.UUID(FULL_ITEM["uid"])
    assert item.color is m.Color.RED
    assert type(item.shape) is m.Square and item.shape.unit == "cm"
    assert item.labels.name == "n" and item.labels.model_extra == {"extra-label": 7}
    assert item.value == [1, 2]
    assert type(item.tree.children[0]) is m.Node and item.tree.children[0].children == []
    assert rt.dump_model(item) == FULL_ITEM
    assert item.to_dict() == FULL_ITEM and json.loads(item.to_json()) == FULL_ITEM
    assert list(item.to_dict()) == list(FULL_ITEM)  # declaration order


def test_none_versus_missing_decoded_constructed_assigned(m: Any, rt: Any) -> None:
    item = rt.decode(m.Item, {"id": "a", "count": 1, "note": None})
    assert item.note is None and item.ratio is None
    assert item.model_fields_set == {"id", "count", "note"}
    assert item.to_dict() == {"id": "a", "count": 1, "note": None}
    built = m.Item(id="a", count=1)
    assert built.model_fields_set == {"id", "count"} and built.to_dict() == {"id": "a", "count": 1}
    assert m.Item(id="a", count=1, note=None).to_dict() == {"id": "a", "count": 1, "note": None}
    built.ratio = 2.0
    assert built.to_dict() == {"id": "a", "count": 1, "ratio": 2.0}
    del built.ratio
    assert built.ratio is None and built.to_dict() == {"id": "a", "count": 1}
    copy = built.model_copy(update={"note": "x"})
    assert copy.to_dict() == {"id": "a", "count": 1, "note": "x"} and "note" not in built.model_fields_set
    assert m.Item(id="a", count=1) == rt.decode(m.Item, {"id": "a", "count": 1})
    assert m.Item(id="a", count=1) != m.Item(id="a", count=1, note=None)
    assert repr(built) == "Item(id='a', count=1)"
    assert built.to_dict(exclude_unset=False)["ratio"] is None


def test_aliases_map_both_ways_in_requests(tiny: Any, m: Any) -> None:
    rec = Recorder(httpx.Response(200, json={"id": "a", "count": 1}))
    client = tiny.Tiny(base_url="https://tiny.test", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.items.create(id="a", count=1, x_request_id="r", class_="B", note=None,
                             shape=m.Circle(radius=1.5), color=m.Color.GREEN)
    assert json.loads(rec.requests[-1].content) == {
        "id": "a", "count": 1, "x-request-id": "r", "class": "B", "note": None,
        "shape": {"radius": 1.5}, "color": "green"}


def test_open_enums_extras_and_the_strict_report(m: Any, rt: Any, tiny: Any) -> None:
    utils = importlib.import_module("dc_tiny._utils")
    item = rt.decode(m.Item, {"id": "a", "count": 1, "color": "blue", "surprise": {"k": 1}})
    assert item.color.value == "blue" and item.color.name == "UNKNOWN_blue"
    assert item.model_extra == {"surprise": {"k": 1}}
    assert rt.model_parts(item)[0] == ["surprise"]
    assert sorted(utils.find_unknown_values(item)) == [
        "$.color: unknown Color value 'blue'", "$: unexpected field 'surprise' in Item"]
    assert item.to_dict() == {"id": "a", "count": 1, "color": "blue", "surprise": {"k": 1}}


def test_discriminated_union_dispatches_by_the_mapping(m: Any, rt: Any) -> None:
    pets = rt.decode(list[m.Pet], [{"kind": "d", "name": "rex"}, {"kind": "c", "name": "tom"}])
    assert [type(p).__name__ for p in pets] == ["Dog", "Cat"]
    assert rt.decode(m.Pet, pets[0]) is pets[0]  # an instance is accepted
    with pytest.raises(rt.DecodeError) as info:
        rt.decode(list[m.Pet], [{"kind": "d", "name": "rex"}, {"kind": "x", "name": "?"}])
    assert info.value.error_count == 1 and "$[1].kind: unknown tag 'x'" in str(info.value)
    kept = rt.decode_lenient(list[m.Pet], [{"kind": "x", "name": "?"}])
    assert kept == [{"kind": "x", "name": "?"}]


def test_plain_unions_first_match_and_models_by_fields_set(m: Any, rt: Any) -> None:
    decode_shape = lambda value: rt.decode(m.Item, {"id": "a", "count": 1, "shape": value}).shape  # noqa: E731
    assert type(decode_shape({"radius": 1})) is m.Circle
    assert type(decode_shape({"side": 2, "unit": "cm"})) is m.Square
    # both decode: the one that sets more declared fields wins, the first of equals
    assert type(decode_shape({"radius": 1, "side": 2, "unit": "cm"})) is m.Square
    assert type(decode_shape({"radius": 1, "side": 2})) is m.Circle
    assert rt.decode(m.StrOrInts, "x") == "x" and rt.decode(m.StrOrInts, [1]) == [1]
    with pytest.raises(rt.DecodeError):
        rt.decode(m.StrOrInts, [1, "x"])


def test_errors_count_and_point_at_the_bad_values(m: Any, rt: Any) -> None:
    bad = {"count": True, "ratio": "x", "when": "yesterday", "tags": ["a", 1], "tree": {"children": [{}]}}
    with pytest.raises(rt.DecodeError) as info:
        rt.decode(m.Item, bad)
    text = str(info.value)
    assert info.value.error_count == 7, text
    for where in ("$.id: missing", "$.count: expected int, got True", "$.ratio: expected float",
                  "$.when: expected an ISO 8601 date-time", "$.tags[1]: expected str, got 1",
                  "$.tree.name: missing", "$.tree.children[0].name: missing"):
        assert where in text, text
    assert rt.decode(m.Circle, {"radius": 2}).radius == 2.0 and type(rt.decode(m.Circle, {"radius": 2}).radius) is float


def test_formats_read_and_written_as_pydantic_does(rt: Any) -> None:
    utc = datetime.timezone.utc
    assert rt.as_datetime("2024-05-17T17:35:45.1234567Z") == datetime.datetime(2024, 5, 17, 17, 35, 45, 123456,
                                                                                tzinfo=utc)
    east = rt._parse_datetime("2024-05-17T17:35:45+0200")  # the fallback parser (Python 3.10 needs it)
    assert east.utcoffset() == datetime.timedelta(hours=2)
    assert rt.as_datetime("2024-05-17") == datetime.datetime(2024, 5, 17)
    for bad in ("yesterday", 1700000000, "2024-13-01T00:00:00Z"):
        with pytest.raises(rt.Invalid):
            rt.as_datetime(bad)
    assert rt.to_wire(datetime.datetime(2024, 5, 17, 1, 2, 3, tzinfo=utc)) == "2024-05-17T01:02:03Z"
    assert rt.to_wire(east) == "2024-05-17T17:35:45+02:00"
    assert rt.as_time("10:11:12Z") == datetime.time(10, 11, 12, tzinfo=utc)
    assert rt.to_wire(datetime.time(10, 11, 12, tzinfo=utc)) == "10:11:12Z"
    assert rt.as_bytes("h\u00e9") == "h\u00e9".encode() and rt.to_wire(b"h\xc3\xa9") == "h\u00e9"
    assert rt.to_wire(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"


def test_lenient_decoding_keeps_what_matches(m: Any, rt: Any) -> None:
    item = rt.decode_lenient(m.Item, {"count": "three", "tags": ["a", 1], "color": "red"})
    assert isinstance(item, m.Item) and item.count == "three" and item.tags == ["a", 1]
    assert item.color is m.Color.RED
    with pytest.raises(AttributeError):
        item.id  # noqa: B018 - missing required field stays unset
    assert "id" not in item.model_fields_set


@pytest.mark.parametrize("cls_name, samples", [
    ("Item", [FULL_ITEM, {"id": "a", "count": 1}, {"id": 1, "count": 1}, {"id": "a"}, {"id": "a", "count": 1.0},
              {"id": "a", "count": 1, "scores": {"x": "1"}}, {"id": "a", "count": 1, "value": [True]},
              {"id": "a", "count": 1, "note": 3}, {"id": "a", "count": 1, "uid": "nope"}, [], "x", None]),
    ("Labels", [{"name": "n", "x": 1}, {"x": "1"}, {}]),
    ("Node", [{"name": "a", "children": [{"name": "b"}]}, {"name": "a", "children": [{}]}, {"name": "a", "children": {}}]),
])
def test_generated_decoders_agree_with_the_generic_decoder(m: Any, rt: Any, cls_name: str, samples: list[Any]) -> None:
    cls = getattr(m, cls_name)
    generic = rt._generic_model_decoder(cls)
    generated = rt._DECODERS[cls]
    assert generated is not generic and generated.__name__ == f"_decode_{cls_name}"
    for sample in samples:
        results = []
        for fn in (generated, generic):
            try:
                results.append(("ok", fn(sample)))
            except rt.Invalid:
                results.append(("invalid", None))
        assert results[0] == results[1], sample
        with_errors: list[str] = []
        rt._lenient(cls, sample, (), with_errors)
        assert bool(with_errors) == (results[0][0] == "invalid"), (sample, with_errors)


# ------------------------------------------------------------------ the client


class Recorder:
    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request) if callable(answer) else answer


def test_client_pagination_streaming_strict_and_lenient(tiny: Any, m: Any) -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("after") is None:
            return httpx.Response(200, json={"data": [{"id": "1", "count": 1}, {"id": "2", "count": 2}], "has_more": True})
        assert request.url.params["after"] == "2"
        return httpx.Response(200, json={"data": [{"id": "3", "count": 3}], "has_more": False})

    def client(*answers: Any, **kwargs: Any) -> Any:
        return tiny.Tiny(base_url="https://tiny.test",
                         http_client=httpx.Client(transport=httpx.MockTransport(Recorder(*answers))), **kwargs)

    assert [i.id for i in client(pages).items.list(limit=2)] == ["1", "2", "3"]

    async def all_ids() -> list[str]:
        aclient = tiny.AsyncTiny(base_url="https://tiny.test",
                                 http_client=httpx.AsyncClient(transport=httpx.MockTransport(Recorder(pages))))
        return [i.id async for i in aclient.items.list(limit=2)]

    assert asyncio.run(all_ids()) == ["1", "2", "3"]
    sse = b'data: {"id": "e1", "count": 1}\n\ndata: {"id": "e2", "count": 2, "color": "blue"}\n\ndata: [DONE]\n\n'
    stream = client(httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"}))
    events = list(stream.items.stream())
    assert [type(e).__name__ for e in events] == ["Item", "Item"] and events[1].color.value == "blue"
    odd = {"id": "a", "count": "many", "surprise": 1}
    lenient = client(httpx.Response(200, json=odd)).items.retrieve("a")
    assert isinstance(lenient, m.Item) and lenient.count == "many" and lenient.model_extra == {"surprise": 1}
    with pytest.raises(tiny.APIResponseValidationError) as info:
        client(httpx.Response(200, json=odd), strict_response_validation=True).items.retrieve("a")
    assert "1 validation error" in str(info.value) and "$.count: expected int" in str(info.value.__cause__)
    with pytest.raises(tiny.APIResponseValidationError, match="does not strictly match"):
        client(httpx.Response(200, json={"id": "a", "count": 1, "x": 1}), strict_response_validation=True
               ).items.retrieve("a")
    pets = client(httpx.Response(200, json=[{"kind": "c", "name": "tom"}])).pets.list()
    assert type(pets[0]) is m.Cat


def test_packages_work_without_pydantic(tiny_dir: Path, corpus_together: Path) -> None:
    script = textwrap.dedent(
        """
        import importlib, json, pkgutil, sys
        sys.modules["pydantic"] = None  # any import of pydantic now fails
        import httpx
        import dc_tiny, corpus_together
        for pkg in (dc_tiny, corpus_together):
            for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
                importlib.import_module(mod.name)
        answer = httpx.Response(200, json={"id": "a", "count": 1, "when": "2024-01-01T00:00:00Z"})
        client = dc_tiny.Tiny(base_url="https://tiny.test",
                              http_client=httpx.Client(transport=httpx.MockTransport(lambda r: answer)))
        item = client.items.retrieve("a")
        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": {"content": "hi"}}]}
        sse = ("data: " + json.dumps({"data": chunk}) + "\\n\\ndata: [DONE]\\n\\n").encode()
        streamed = httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"})
        together = corpus_together.Together(api_key="k", base_url="https://t.test",
                                            http_client=httpx.Client(transport=httpx.MockTransport(lambda r: streamed)))
        events = list(together.chat.create_completions(messages=[{"role": "user", "content": "hi"}], model="m",
                                                     stream=True))
        print(json.dumps({"item": item.to_dict(), "event": type(events[0]).__name__,
                          "chunk": type(events[0].data).__name__, "pydantic": sys.modules["pydantic"] is None,
                          "loaded": sorted(m for m in sys.modules if m.split(".")[0] == "pydantic")}))
        """
    )
    env = {"PYTHONPATH": f"{tiny_dir}:{corpus_together}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"item": {"id": "a", "count": 1, "when": "2024-01-01T00:00:00Z"}, "event": "ChatCompletionEvent",
                   "chunk": "ChatCompletionChunk", "pydantic": True, "loaded": ["pydantic"]}


@pytest.fixture(scope="module")
def corpus_together(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = CORPUS / "together.yaml"
    if not spec.is_file():
        pytest.skip(f"the corpus spec {spec} is missing; clone the project next to its shared/ folder")
    out = tmp_path_factory.mktemp("dc-corpus")
    _generate(spec, out, "corpus_together", "Together")
    return out


# ------------------------------------------------------------------ the seed clients


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dc-seeds")
    for name, cls in SEEDS.items():
        _generate(REPO / "specs" / f"{name}.yaml", out, f"{name}_dc", cls)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))


def test_seed_clients_pass_mypy_strict_with_their_typed_surface(seeds: Path, tmp_path: Path) -> None:
    usage = seeds / "usage_dc.py"
    usage.write_text(textwrap.dedent(
        """
        from typing_extensions import assert_type

        from together_dc import AsyncTogether, Together
        from together_dc.models import FinetuneEventLevels, FinetuneResponseTruncated, LoRATrainingType
        from dataherald_dc import Dataherald
        from dataherald_dc.models import Finetuning
        from portkey_dc import Portkey
        from portkey_dc.models import FineTuningJob


        def sync_calls() -> None:
            job = Together(api_key="k").fine_tuning.cancel(id="ft-123")
            assert_type(job, FinetuneResponseTruncated)
            assert_type(job.model_fields_set, set[str])
            assert_type(Dataherald().finetunings.cancel("ft", body_finetuning_id="ft"), Finetuning)
            assert_type(Portkey(api_key="a", virtual_key="b").fine_tuning.cancel("ftjob"), FineTuningJob)
            lora = LoRATrainingType(lora_r=8, lora_alpha=16)
            assert_type(lora.lora_dropout, float | None)
            assert_type(FinetuneResponseTruncated.model_validate({}), FinetuneResponseTruncated)


        async def async_calls() -> None:
            assert_type(await AsyncTogether(api_key="k").fine_tuning.cancel(id="ft-123"), FinetuneResponseTruncated)


        def level(value: FinetuneEventLevels | None) -> str | None:
            return None if value is None else value.value
        """
    ))
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
           *[f"{name}_dc" for name in SEEDS], "usage_dc.py"]
    proc = subprocess.run(cmd, cwd=seeds, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.e2e
def test_seed_clients_against_prism(prism: Any, seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("TOGETHER_API_KEY", "TOGETHER_BASE_URL", "PORTKEY_API_KEY", "PORTKEY_VIRTUAL_KEY",
                "PORTKEY_BASE_URL", "DATAHERALD_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    together = importlib.import_module("together_dc")
    tm = importlib.import_module("together_dc.models")
    server = prism("together")
    with together.Together(api_key="tok", base_url=server.base_url) as client:
        job = client.fine_tuning.cancel(id="ft-123")
        raw = client.with_raw_response.fine_tuning.cancel(id="ft-123")
        with pytest.raises(together.NotFoundError):
            client.with_options(max_retries=0).fine_tuning.cancel(id="ft-x", extra_headers={"Prefer": "code=404"})
    assert isinstance(job, tm.FinetuneResponseTruncated) and job.status is tm.FinetuneJobStatus.COMPLETED
    assert job.created_at == datetime.datetime(2023, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert job.events == [] and "validation_file" not in job.model_fields_set
    assert raw.status_code == 200 and isinstance(raw.parse(), tm.FinetuneResponseTruncated)

    async def acancel() -> Any:
        async with together.AsyncTogether(api_key="tok", base_url=server.base_url) as aclient:
            return await aclient.fine_tuning.cancel(id="ft-123")

    assert asyncio.run(acancel()).id == job.id
    with pytest.raises(together.AuthenticationError):
        together.Together(base_url=server.base_url).fine_tuning.cancel(id="ft-123")

    dataherald = importlib.import_module("dataherald_dc")
    dm = importlib.import_module("dataherald_dc.models")
    server = prism("dataherald")
    ft = dataherald.Dataherald(base_url=server.base_url).finetunings.cancel(
        "ft-1", body_finetuning_id="ft-1", metadata={"by": "test"})
    assert isinstance(ft, dm.Finetuning) and ft.status is dm.FineTuningStatus.CANCELLED
    assert ft.base_llm.model_parameters.n_epochs == "1"
    assert ft.finetuning_job_id is None and "finetuning_job_id" in ft.model_fields_set
    with pytest.raises(dataherald.NotFoundError):
        dataherald.Dataherald(base_url=server.base_url).finetunings.cancel(
            "ft-1", body_finetuning_id="ft-1", extra_headers={"Prefer": "code=404"})

    portkey = importlib.import_module("portkey_dc")
    pm = importlib.import_module("portkey_dc.models")
    server = prism("portkey")
    pk = portkey.Portkey(api_key="pk", virtual_key="vk", base_url=server.base_url).fine_tuning.cancel("ftjob-abc123")
    assert isinstance(pk, pm.FineTuningJob) and pk.object == "fine_tuning.job"
    assert pk.integrations and pk.integrations[0].wandb.project == "my-wandb-project"

    async def apk() -> Any:
        async with portkey.AsyncPortkey(api_key="pk", virtual_key="vk", base_url=server.base_url) as aclient:
            return await aclient.fine_tuning.cancel("ftjob-abc123")

    assert asyncio.run(apk()).id == pk.id
