"""The ``functions`` layout: one module per operation (``api/<resource>/<operation>.py``).

* A "zoo" spec with every kind of operation (path, query and header parameters, JSON
  object and non-object bodies, form and multipart bodies, a binary download, a
  stream-only and a stream-flag operation, a cursor-paginated list, an empty answer) is
  generated in both layouts from one configuration; every call is made through both,
  sync and async, over ``httpx.MockTransport``, and must send the same request and give
  the same result.
* The seed Together client in the functions layout (both flavours, ``--sync-only``,
  ``--async-only``): ``cancel.sync`` / ``asyncio`` / ``*_detailed`` /
  ``*_streaming_response``, per-call options, and ``mypy --strict`` with ``assert_type``.
* Names: operation modules are identifiers, never Windows device names, unique, and the
  client argument gives way to a parameter called ``client``.
* Configuration and CLI: ``layout = "functions"``, ``--layout``, ``oagen ops``,
  include/exclude and renames.
* End to end against Prism (127.0.0.1) for the three seed specs, including the
  package README's example program.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

from generator.names import module_names

REPO = Path(__file__).resolve().parents[1]

ZOO = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Zoo, version: "1.0"}
    servers: [{url: "https://zoo.test/v1"}]
    security: [{bearer: []}]
    paths:
      /animals:
        get:
          operationId: listAnimals
          tags: [animals]
          parameters:
            - {name: after, in: query, schema: {type: string}}
            - {name: limit, in: query, schema: {type: integer}}
            - {name: tags, in: query, schema: {type: array, items: {type: string}}}
          responses:
            "200":
              description: a page
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/AnimalList"}
        post:
          operationId: createAnimal
          summary: Create an animal
          tags: [animals]
          parameters:
            - {name: X-Trace, in: header, schema: {type: string}}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    tags: {type: array, items: {type: string}}
          responses:
            "201":
              description: created
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Animal"}
      /animals/{animal_id}:
        get:
          operationId: retrieveAnimal
          tags: [animals]
          parameters: [{name: animal_id, in: path, required: true, schema: {type: string}}]
          responses:
            "200":
              description: one
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Animal"}
        delete:
          operationId: deleteAnimal
          tags: [animals]
          parameters: [{name: animal_id, in: path, required: true, schema: {type: string}}]
          responses: {"204": {description: gone}}
      /animals/{animal_id}/photo:
        post:
          operationId: uploadPhoto
          tags: [animals]
          parameters: [{name: animal_id, in: path, required: true, schema: {type: string}}]
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [file]
                  properties:
                    file: {type: string, format: binary}
                    caption: {type: string}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Animal"}
        get:
          operationId: downloadPhoto
          tags: [animals]
          parameters: [{name: animal_id, in: path, required: true, schema: {type: string}}]
          responses:
            "200":
              description: the photo
              content:
                application/octet-stream:
                  schema: {type: string, format: binary}
      /animals/{animal_id}/feed:
        post:
          operationId: feedAnimal
          tags: [animals]
          parameters: [{name: animal_id, in: path, required: true, schema: {type: string}}]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [food]
                  properties:
                    food: {type: string}
                    stream: {type: boolean}
          responses:
            "200":
              description: fed
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Animal"}
                text/event-stream:
                  schema: {$ref: "#/components/schemas/Chunk"}
      /events:
        get:
          operationId: streamEvents
          tags: [events]
          responses:
            "200":
              description: events
              content:
                text/event-stream:
                  schema: {$ref: "#/components/schemas/Chunk"}
      /notes:
        put:
          operationId: replaceNotes
          tags: [notes]
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: array, items: {type: string}}
          responses: {"204": {description: replaced}}
      /login:
        post:
          operationId: login
          tags: [auth]
          requestBody:
            required: true
            content:
              application/x-www-form-urlencoded:
                schema:
                  type: object
                  required: [username]
                  properties:
                    username: {type: string}
                    password: {type: string}
          responses:
            "200":
              description: ok
              content:
                text/plain:
                  schema: {type: string}
      /aux:
        get:
          operationId: aux
          tags: [misc]
          parameters: [{name: client, in: query, required: true, schema: {type: string}}]
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {type: object, properties: {ok: {type: boolean}}}
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
      schemas:
        Animal:
          type: object
          required: [id, name]
          properties:
            id: {type: string}
            name: {type: string}
            tags: {type: array, items: {type: string}}
        AnimalList:
          type: object
          required: [data, has_more]
          properties:
            data: {type: array, items: {$ref: "#/components/schemas/Animal"}}
            has_more: {type: boolean}
            last_id: {type: string}
        Chunk:
          type: object
          properties:
            text: {type: string}
    """
)

ZOO_METHODS = """
[tool.oagen.clients.methods]
feedAnimal = "feed"
login = "login"
aux = "aux"
"""
ZOO_CLIENTS = """
[[tool.oagen.clients]]
name = "zoo_res"
spec = "specs/zoo.yaml"
client_class = "Zoo"
idempotency_header = "Idempotency-Key"
""" + ZOO_METHODS + """
[[tool.oagen.clients]]
name = "zoo_fun"
spec = "specs/zoo.yaml"
client_class = "Zoo"
idempotency_header = "Idempotency-Key"
layout = "functions"
""" + ZOO_METHODS

SEEDS = {"together": "Together", "dataherald": "Dataherald", "portkey": "Portkey"}


def oagen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def fresh_import(root: Path, module: str) -> Any:
    """Import ``module`` from ``root`` (a folder of packages), forgetting earlier imports of its package."""
    top = module.split(".")[0]
    for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(root))


# ---------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zoo spec generated in both layouts from one configuration: generated/zoo_res, generated/zoo_fun."""
    root = tmp_path_factory.mktemp("zoo")
    (root / "specs").mkdir()
    (root / "specs" / "zoo.yaml").write_text(ZOO)
    (root / "pyproject.toml").write_text("[tool.oagen]\n" + ZOO_CLIENTS)
    proc = oagen(root, "generate", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three seed specs in the functions layout (fn_together, ...), and Together sync-only/async-only."""
    out = tmp_path_factory.mktemp("seeds")
    runs = [(name, f"fn_{name}", cls, ()) for name, cls in SEEDS.items()]
    runs += [("together", "fn_together_sync", "Together", ("--sync-only",)),
             ("together", "fn_together_async", "Together", ("--async-only",))]
    for spec, package, cls, extra in runs:
        proc = oagen(REPO, "generate", f"specs/{spec}.yaml", "--output", str(out / package), "--client-name", cls,
                     "--layout", "functions", "--no-cache", "-q", *extra)
        assert proc.returncode == 0, proc.stderr
    return out


class Recorder:
    """A MockTransport handler: records requests, answers with ``answer(request)``."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.answer(request)


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events) + b"data: [DONE]\n\n"


def zoo_answer(request: httpx.Request) -> httpx.Response:
    path, method = request.url.path, request.method
    animal = {"id": "a1", "name": "Rex", "tags": ["dog"]}
    if path == "/v1/animals" and method == "GET":
        if request.url.params.get("after") == "a2":
            return httpx.Response(200, json={"data": [{"id": "a3", "name": "C"}], "has_more": False})
        return httpx.Response(200, json={"data": [{"id": "a1", "name": "A"}, {"id": "a2", "name": "B"}],
                                         "has_more": True, "last_id": "a2"})
    if path == "/v1/animals" and method == "POST":
        return httpx.Response(201, json={**animal, **json.loads(request.content)})
    if path.endswith("/photo") and method == "GET":
        return httpx.Response(200, content=b"\x89PNG-bytes", headers={"content-type": "application/octet-stream"})
    if path.endswith("/feed"):
        if json.loads(request.content).get("stream"):
            return httpx.Response(200, content=sse({"text": "munch"}, {"text": "done"}),
                                  headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=animal)
    if path == "/v1/events":
        return httpx.Response(200, content=sse({"text": "e1"}), headers={"content-type": "text/event-stream"})
    if method in ("DELETE", "PUT"):
        return httpx.Response(204)
    if path == "/v1/login":
        return httpx.Response(200, text="welcome", headers={"content-type": "text/plain"})
    if path == "/v1/aux":
        return httpx.Response(200, json={"ok": True})
    return httpx.Response(200, json=animal)


# Every zoo operation, as (resource, method/module, positional args, keyword args).
ZOO_CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("animals", "list", (), {"limit": 2, "tags": ["dog", "cat"]}),
    ("animals", "create", (), {"name": "Rex", "tags": ["dog"], "x_trace": "t-1",
                               "extra_headers": {"X-Extra": "1"}, "extra_query": {"debug": True},
                               "extra_body": {"note": "n"}, "timeout": 5.0, "max_retries": 0}),
    ("animals", "retrieve", ("a 1/2",), {}),
    ("animals", "delete", ("a1",), {}),
    ("animals", "upload_photo", ("a1",), {"file": ("rex.png", b"\x89PNG", "image/png"), "caption": "hi"}),
    ("animals", "download_photo", ("a1",), {}),
    ("animals", "feed", ("a1",), {"food": "meat"}),
    ("animals", "feed", ("a1",), {"food": "meat", "stream": True}),
    ("events", "stream", (), {}),
    ("notes", "replace", (), {"body": ["a", "b"]}),
    ("auth", "login", (), {"username": "u", "password": "p"}),
    ("misc", "aux", (), {"client": "web"}),
]


def normalised(request: httpx.Request) -> tuple[Any, ...]:
    """What a request sends, with its random parts (multipart boundary, idempotency key) made stable."""
    headers = dict(request.headers)
    content = request.content
    boundary = re.search(r"boundary=([^;]+)", headers.get("content-type", ""))
    if boundary:
        content = content.replace(boundary.group(1).encode(), b"BOUNDARY")
        headers["content-type"] = headers["content-type"].replace(boundary.group(1), "BOUNDARY")
    key = headers.pop("idempotency-key", None)
    assert key is None or key.startswith("oagen-retry-")
    headers.pop("content-length", None)
    return request.method, str(request.url), sorted(headers.items()), content, key is not None


def result_of(value: Any) -> Any:
    """A comparable form of what a call returned (models, pages, streams, bytes, text, None)."""
    if hasattr(value, "to_dict"):
        return ("model", type(value).__name__, value.to_dict())
    if type(value).__name__ == "SyncCursorPage":
        return ("page", [result_of(item) for item in value])
    if type(value).__name__ == "Stream":
        return ("stream", [result_of(event) for event in value])
    return value


async def async_result_of(value: Any) -> Any:
    if type(value).__name__ == "AsyncPaginator":
        return ("page", [result_of(item) async for item in value])
    if type(value).__name__ == "AsyncStream":
        return ("stream", [result_of(event) async for event in value])
    return result_of(value)


def zoo_clients(root: Path, package: str, rec: Recorder) -> tuple[Any, Any, Any]:
    pkg = fresh_import(root / "generated", package)
    kwargs = {"api_key": "sk-zoo", "base_url": "https://zoo.test/v1"}
    client = pkg.Zoo(http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kwargs)
    aclient = pkg.AsyncZoo(http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)), **kwargs)
    return pkg, client, aclient


def zoo_module(root: Path, resource: str, method: str) -> Any:
    module = module_names([method])[0]
    sys.path.insert(0, str(root / "generated"))
    try:
        return importlib.import_module(f"zoo_fun.api.{resource}.{module}")
    finally:
        sys.path.remove(str(root / "generated"))


# ------------------------------------------------------------- the two layouts agree


def test_every_zoo_operation_sends_and_returns_the_same_in_both_layouts_sync(zoo: Path) -> None:
    res_rec, fun_rec = Recorder(zoo_answer), Recorder(zoo_answer)
    _, res_client, _ = zoo_clients(zoo, "zoo_res", res_rec)
    _, fun_client, _ = zoo_clients(zoo, "zoo_fun", fun_rec)
    for resource, method, args, kwargs in ZOO_CALLS:
        expected = result_of(getattr(getattr(res_client, resource), method)(*args, **kwargs))
        module = zoo_module(zoo, resource, method)
        got = result_of(module.sync(fun_client, *args, **kwargs))
        assert got == expected, (resource, method)
        assert got is not None or method in ("delete", "replace")
    assert len(res_rec.requests) == len(fun_rec.requests) == len(ZOO_CALLS) + 1  # the list fetched 2 pages
    for a, b in zip(res_rec.requests, fun_rec.requests):
        assert normalised(a) == normalised(b)
    create = fun_rec.requests[2]
    assert create.headers["x-trace"] == "t-1" and create.headers["x-extra"] == "1"
    assert create.url.params["debug"] == "true"
    assert json.loads(create.content) == {"name": "Rex", "tags": ["dog"], "note": "n"}
    assert create.headers["idempotency-key"].startswith("oagen-retry-")
    assert create.headers["authorization"] == "Bearer sk-zoo"
    assert fun_rec.requests[3].url.raw_path == b"/v1/animals/a%201%2F2"
    assert fun_rec.requests[5].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert fun_rec.requests[-1].url.params["client"] == "web"


def test_every_zoo_operation_sends_and_returns_the_same_in_both_layouts_async(zoo: Path) -> None:
    res_rec, fun_rec = Recorder(zoo_answer), Recorder(zoo_answer)
    _, _, res_client = zoo_clients(zoo, "zoo_res", res_rec)
    _, _, fun_client = zoo_clients(zoo, "zoo_fun", fun_rec)

    async def main() -> None:
        for resource, method, args, kwargs in ZOO_CALLS:
            res_call = getattr(getattr(res_client, resource), method)(*args, **kwargs)
            module = zoo_module(zoo, resource, method)
            fun_call = module.asyncio(fun_client, *args, **kwargs)
            if method == "list":  # not a coroutine: an AsyncPaginator, iterated without await
                expected, got = await async_result_of(res_call), await async_result_of(fun_call)
            else:
                expected, got = await async_result_of(await res_call), await async_result_of(await fun_call)
            assert got == expected, (resource, method)
        first_page = await zoo_module(zoo, "animals", "list").asyncio(fun_client, limit=2)
        assert [a.id for a in first_page.items] == ["a1", "a2"] and first_page.has_next_page()

    asyncio.run(main())
    assert len(res_rec.requests) + 1 == len(fun_rec.requests)
    for a, b in zip(res_rec.requests, fun_rec.requests):
        assert normalised(a) == normalised(b)


def test_raw_and_streamed_responses_match_the_resource_wrappers(zoo: Path) -> None:
    rec = Recorder(zoo_answer)
    _, client, aclient = zoo_clients(zoo, "zoo_fun", rec)
    retrieve = zoo_module(zoo, "animals", "retrieve")
    raw = retrieve.sync_detailed(client, "a1")
    assert raw.status_code == 200 and raw.http_request.url.path == "/v1/animals/a1"
    assert raw.parse().name == "Rex"
    download = zoo_module(zoo, "animals", "download_photo")
    with download.sync_streaming_response(client, "a1") as response:
        assert b"".join(response.iter_bytes()) == b"\x89PNG-bytes"
    assert response.is_closed
    feed = zoo_module(zoo, "animals", "feed")
    with feed.sync_streaming_response(client, "a1", food="x", stream=True) as response:
        assert [c.text for c in response.parse()] == ["munch", "done"]
    pages = zoo_module(zoo, "animals", "list").sync_detailed(client, limit=2)
    assert [a.id for a in pages.parse()] == ["a1", "a2", "a3"]

    async def main() -> None:
        araw = await retrieve.asyncio_detailed(aclient, "a1")
        assert araw.status_code == 200 and (await araw.parse()).id == "a1"
        async with download.asyncio_streaming_response(aclient, "a1") as aresponse:
            assert b"".join([chunk async for chunk in aresponse.iter_bytes()]) == b"\x89PNG-bytes"
        apage = await zoo_module(zoo, "animals", "list").asyncio_detailed(aclient, limit=2)
        assert [a.id for a in (await apage.parse()).items] == ["a1", "a2"]

    asyncio.run(main())


def test_functions_client_has_no_resource_attributes_and_shares_the_runtime(zoo: Path) -> None:
    rec = Recorder(zoo_answer)
    pkg, client, _ = zoo_clients(zoo, "zoo_fun", rec)
    for attr in ("animals", "events", "with_raw_response", "with_streaming_response"):
        assert not hasattr(client, attr)
    assert not (zoo / "generated" / "zoo_fun" / "resources").exists()
    assert not (zoo / "generated" / "zoo_res" / "api").exists()
    copy = client.with_options(max_retries=0, timeout=3.0)
    assert isinstance(copy, pkg.Zoo) and copy.max_retries == 0 and copy.api_key == "sk-zoo"
    zoo_module(zoo, "animals", "retrieve").sync(copy, "a1")
    assert rec.requests[-1].extensions["timeout"]["read"] == 3.0
    modules = {p.relative_to(zoo / "generated" / "zoo_fun").as_posix()
               for p in (zoo / "generated" / "zoo_fun" / "api").rglob("*.py")}
    assert modules == {
        "api/__init__.py", "api/animals/__init__.py", "api/events/__init__.py", "api/notes/__init__.py",
        "api/auth/__init__.py", "api/misc/__init__.py",
        "api/animals/list.py", "api/animals/create.py", "api/animals/retrieve.py", "api/animals/delete.py",
        "api/animals/upload_photo.py", "api/animals/download_photo.py", "api/animals/feed.py",
        "api/events/stream.py", "api/notes/replace.py", "api/auth/login.py", "api/misc/aux_.py",
    }
    animals = fresh_import(zoo / "generated", "zoo_fun.api.animals")
    assert animals.__all__ == ["list", "create", "retrieve", "delete", "download_photo", "upload_photo", "feed"]
    assert animals.retrieve.sync.__module__ == "zoo_fun.api.animals.retrieve"
    # the same models module serves both layouts
    def models(pkg: str) -> dict[str, str]:
        root = zoo / "generated" / pkg
        files = [root / "models.py"] if (root / "models.py").exists() else sorted((root / "models").rglob("*.py"))
        assert files
        return {str(f.relative_to(root)): f.read_text().split("\n", 2)[2] for f in files}

    assert models("zoo_fun") == models("zoo_res")


def test_the_client_argument_gives_way_to_a_parameter_named_client(zoo: Path) -> None:
    source = (zoo / "generated" / "zoo_fun" / "api" / "misc" / "aux_.py").read_text()
    assert re.search(r"def sync\(\n    client_: Zoo,\n    \*,\n    client: str,", source)
    rec = Recorder(zoo_answer)
    _, client, _ = zoo_clients(zoo, "zoo_fun", rec)
    module = zoo_module(zoo, "misc", "aux")
    assert module.sync(client_=client, client="kw").ok is True
    assert rec.requests[-1].url.params["client"] == "kw"


CLASHING = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Clash, version: "1"}
    paths:
      /things:
        get:
          operationId: listThings
          tags: [things]
          parameters:
            - {name: client, in: query, schema: {type: string}}
            - {name: sync, in: query, schema: {type: string}}
            - {name: asyncio, in: query, schema: {type: string}}
            - {name: result, in: query, schema: {type: string}}
            - {name: httpx, in: query, schema: {type: string}}
            - {name: query_param, in: query, style: form, explode: false,
               schema: {type: array, items: {type: string}}}
            - {name: multipart_body, in: query, schema: {type: string}}
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {type: object}}}
    """
)


@pytest.mark.parametrize("layout", ["resources", "functions"])
def test_parameters_named_like_what_a_body_calls_do_not_shadow_it(tmp_path: Path, layout: str) -> None:
    (tmp_path / "clash.yaml").write_text(CLASHING)
    proc = oagen(tmp_path, "generate", "clash.yaml", "--output", f"gen/clash_{layout}", "--layout", layout,
                 "--client-name", "Clash",
                 "--no-cache", "-q")
    assert proc.returncode == 0, proc.stderr
    pkg = fresh_import(tmp_path / "gen", f"clash_{layout}")
    rec = Recorder(lambda r: httpx.Response(200, json={}))
    client = pkg.Clash(base_url="https://c.test", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    kwargs = {"client": "c", "sync": "s", "asyncio": "a", "result": "r", "httpx": "h",
              "query_param_": ["x", "y"], "multipart_body_": "m"}
    if layout == "resources":
        client.things.list(**kwargs)
    else:
        module = importlib.import_module(f"clash_{layout}.api.things.list")
        module.sync(client, **kwargs)
        module.sync_detailed(client, **kwargs)
    assert rec.requests[-1].url.params.multi_items() == [
        ("client", "c"), ("sync", "s"), ("asyncio", "a"), ("result", "r"), ("httpx", "h"),
        ("query_param", "x,y"), ("multipart_body", "m")]


def test_zoo_check_is_fresh_and_ops_shows_the_function_paths(zoo: Path) -> None:
    proc = oagen(zoo, "check", "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # ops resolves the configured client of the spec: the first one (resources) unless --layout says
    ops = oagen(zoo, "ops", "specs/zoo.yaml", "--layout", "functions")
    assert ops.returncode == 0, ops.stderr
    lines = {" ".join(line.split()[:2]): line.split()[2] for line in ops.stdout.splitlines()}
    assert lines["GET /aux"] == "api.misc.aux_.sync(client,"
    assert lines["POST /animals/{animal_id}/feed"] == "api.animals.feed.sync(client,"
    data = json.loads(oagen(zoo, "ops", "specs/zoo.yaml", "--layout", "functions", "--json").stdout)
    assert data["client"]["layout"] == "functions"
    functions = {(o["method"], o["path"]): o["function"] for o in data["operations"]}
    assert functions[("GET", "/animals")] == "api.animals.list"
    plain = json.loads(oagen(zoo, "ops", "specs/zoo.yaml", "--json").stdout)
    assert plain["client"]["layout"] == "resources"
    assert all(o["function"] is None for o in plain["operations"])


# ----------------------------------------------------------------- seed Together client


JOB = {"id": "ft-1", "status": "cancelled", "created_at": "2024-01-01T00:00:00Z",
       "updated_at": "2024-01-01T00:00:00Z"}


def test_together_cancel_sync_and_async_through_mock_transport(seeds: Path) -> None:
    cancel = fresh_import(seeds, "fn_together.api.fine_tuning.cancel")
    pkg = sys.modules["fn_together"]
    models = importlib.import_module("fn_together.models")  # (the function imports it when it runs)
    rec = Recorder(lambda r: httpx.Response(200, json=JOB, headers={"x-request-id": "req-1"}))
    client = pkg.Together(api_key="sk-t", base_url="https://api.test/v1",
                          http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    job = cancel.sync(client, id="ft-1")
    assert isinstance(job, models.FinetuneResponseTruncated) and job.status is models.FinetuneJobStatus.CANCELLED
    sent = rec.requests[-1]
    assert (sent.method, str(sent.url)) == ("POST", "https://api.test/v1/fine-tunes/ft-1/cancel")
    assert sent.headers["authorization"] == "Bearer sk-t"
    assert sent.headers["user-agent"].startswith("Together/Python ")
    assert cancel.sync(client, "ft-2").id == "ft-1" and rec.requests[-1].url.path.endswith("/ft-2/cancel")
    cancel.sync(client, id="ft-1", extra_headers={"X-A": "1"}, extra_query={"q": "v"}, extra_body={"b": 1},
                timeout=7.0, max_retries=0)
    sent = rec.requests[-1]
    assert sent.headers["x-a"] == "1" and sent.url.params["q"] == "v" and json.loads(sent.content) == {"b": 1}
    assert sent.extensions["timeout"]["read"] == 7.0
    raw = cancel.sync_detailed(client, id="ft-1")
    assert isinstance(raw, pkg.APIResponse) and raw.status_code == 200 and raw.request_id == "req-1"
    assert raw.parse().id == "ft-1"
    with cancel.sync_streaming_response(client, id="ft-1") as streamed:
        assert json.loads(b"".join(streamed.iter_bytes())) == JOB
    assert streamed.is_closed

    async def main() -> None:
        async with pkg.AsyncTogether(api_key="sk-t", base_url="https://api.test/v1",
                                     http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec))) as aclient:
            ajob = await cancel.asyncio(aclient, id="ft-1")
            assert isinstance(ajob, models.FinetuneResponseTruncated)
            araw = await cancel.asyncio_detailed(aclient, id="ft-1")
            assert isinstance(araw, pkg.AsyncAPIResponse) and (await araw.parse()).id == "ft-1"
            async with cancel.asyncio_streaming_response(aclient, id="ft-1") as astreamed:
                assert (await astreamed.parse()).status is models.FinetuneJobStatus.CANCELLED

    asyncio.run(main())


def test_together_errors_and_retries_are_the_clients(seeds: Path) -> None:
    cancel = fresh_import(seeds, "fn_together.api.fine_tuning.cancel")
    pkg = sys.modules["fn_together"]
    answers = iter([httpx.Response(503), httpx.Response(404, json={"error": {"message": "no"}})])
    rec = Recorder(lambda r: next(answers))
    client = pkg.Together(api_key="k", base_url="https://api.test",
                          http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client._sleep = lambda seconds: None
    with pytest.raises(pkg.NotFoundError) as info:
        cancel.sync(client, id="ft-1")
    assert info.value.status_code == 404 and len(rec.requests) == 2


@pytest.mark.parametrize("package, present, absent", [
    ("fn_together_sync", ("sync", "sync_detailed", "sync_streaming_response"), ("asyncio", "AsyncTogether")),
    ("fn_together_async", ("asyncio", "asyncio_detailed", "asyncio_streaming_response"), ("sync", "Together")),
])
def test_sync_only_and_async_only(seeds: Path, package: str, present: tuple[str, ...],
                                  absent: tuple[str, ...]) -> None:
    cancel = fresh_import(seeds, f"{package}.api.fine_tuning.cancel")
    pkg = sys.modules[package]
    for name in present:
        assert hasattr(cancel, name) and name in cancel.__all__
    assert not hasattr(cancel, absent[0]) and absent[0] not in cancel.__all__
    assert not hasattr(pkg, absent[1])
    source = (seeds / package / "api" / "fine_tuning" / "cancel.py").read_text()
    used = set(re.findall(r"\b(?:Async)?Together\b", source))
    assert used == {"AsyncTogether" if absent[1] == "Together" else "Together"}
    rec = Recorder(lambda r: httpx.Response(200, json=JOB))
    if package.endswith("_sync"):
        client = pkg.Together(api_key="k", base_url="https://api.test",
                              http_client=httpx.Client(transport=httpx.MockTransport(rec)))
        assert cancel.sync(client, id="ft-1").id == "ft-1"
    else:
        async def main() -> str:
            async with pkg.AsyncTogether(api_key="k", base_url="https://api.test",
                                         http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec))) as c:
                return str((await cancel.asyncio(c, id="ft-1")).id)

        assert asyncio.run(main()) == "ft-1"
    readme = (seeds / package / "README.md").read_text()
    assert "## Call an operation" in readme and "with_raw_response" not in readme


TYPING_USAGE = '''
from typing import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager

from typing_extensions import assert_type

from fn_together import APIResponse, AsyncAPIResponse, AsyncTogether, Together
from fn_together.api.fine_tuning import cancel
from fn_together.models import FinetuneResponseTruncated
from fn_together_sync.api.fine_tuning import cancel as cancel_sync_only
from fn_together_sync import Together as TogetherSyncOnly
from fn_together_sync.models import FinetuneResponseTruncated as SyncOnlyJob
from fn_together_async.api.fine_tuning import cancel as cancel_async_only
from fn_together_async import AsyncTogether as TogetherAsyncOnly
from fn_together_async.models import FinetuneResponseTruncated as AsyncOnlyJob
from zoo_fun import APIResponse as ZooResponse
from zoo_fun import AsyncCursorPage, AsyncPaginator, AsyncStream, AsyncZoo, Stream, SyncCursorPage, Zoo
from zoo_fun.api.animals import feed, list as list_animals, upload_photo
from zoo_fun.api.events import stream
from zoo_fun.models import Animal, Chunk


def sync_calls(client: Together, zoo: Zoo) -> None:
    assert_type(cancel.sync(client, id="ft-1"), FinetuneResponseTruncated)
    assert_type(cancel.sync_detailed(client, id="ft-1"), APIResponse[FinetuneResponseTruncated])
    assert_type(cancel.sync_streaming_response(client, id="ft-1"),
                AbstractContextManager[APIResponse[FinetuneResponseTruncated]])
    assert_type(cancel_sync_only.sync(TogetherSyncOnly(), "ft-1"), SyncOnlyJob)
    assert_type(feed.sync(zoo, "a1", food="x"), Animal)
    assert_type(feed.sync(zoo, "a1", food="x", stream=True), Stream[Chunk])
    assert_type(feed.sync_detailed(zoo, "a1", food="x", stream=True), ZooResponse[Stream[Chunk]])
    assert_type(stream.sync(zoo), Stream[Chunk])
    assert_type(list_animals.sync(zoo, limit=2), SyncCursorPage[Animal])
    assert_type(upload_photo.sync(zoo, "a1", file=b"png"), Animal)


async def async_calls(client: AsyncTogether, zoo: AsyncZoo) -> None:
    assert_type(await cancel.asyncio(client, id="ft-1"), FinetuneResponseTruncated)
    assert_type(await cancel.asyncio_detailed(client, id="ft-1"), AsyncAPIResponse[FinetuneResponseTruncated])
    assert_type(cancel.asyncio_streaming_response(client, id="ft-1"),
                AbstractAsyncContextManager[AsyncAPIResponse[FinetuneResponseTruncated]])
    assert_type(await cancel_async_only.asyncio(TogetherAsyncOnly(), "ft-1"), AsyncOnlyJob)
    assert_type(await feed.asyncio(zoo, "a1", food="x", stream=True), AsyncStream[Chunk])
    assert_type(list_animals.asyncio(zoo), AsyncPaginator[AsyncCursorPage[Animal]])


def wrong_client(client: AsyncTogether) -> None:
    cancel.sync(client, id="ft-1")  # E: an async client passed to sync
'''


def test_mypy_strict_on_functions_packages_and_their_use(seeds: Path, zoo: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "pkgs"
    root.mkdir()
    for package in ("fn_together", "fn_together_sync", "fn_together_async"):
        shutil.copytree(seeds / package, root / package)
    shutil.copytree(zoo / "generated" / "zoo_fun", root / "zoo_fun")
    (root / "usage.py").write_text(TYPING_USAGE)
    cmd = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
           "fn_together", "fn_together_sync", "fn_together_async", "zoo_fun", "usage.py"]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MYPYPATH": str(root)})
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    # exactly one error: the deliberate one (a sync function given the async client)
    assert len(errors) == 1 and "usage.py" in errors[0] and 'incompatible type "AsyncTogether"' in errors[0], \
        proc.stdout + proc.stderr


# ------------------------------------------------------------------ names, config, CLI


def test_module_names_are_safe_unique_identifiers() -> None:
    assert module_names(["cancel", "aux", "aux_", "con", "LPT1", "list"]) == \
        ["cancel", "aux_", "aux_2", "con_", "LPT1_", "list"]
    assert module_names(["create", "Create"]) == ["create", "Create2"]
    assert "__init__" not in module_names(["__init__"])


def test_renames_include_and_exclude_in_the_functions_layout(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "zoo.yaml").write_text(ZOO)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.oagen]

        [[tool.oagen.clients]]
        name = "zoo_sel"
        spec = "specs/zoo.yaml"
        layout = "functions"
        async_only = true
        [tool.oagen.clients.methods]
        listAnimals = "browse"
        [tool.oagen.clients.include]
        tags = ["animals", "events"]
        [tool.oagen.clients.exclude]
        operation_ids = ["deleteAnimal"]
        [tool.oagen.clients.model_names]
        Animal = "Beast"
        """))
    proc = oagen(tmp_path, "generate", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    api = tmp_path / "generated" / "zoo_sel" / "api"
    assert sorted(p.name for p in api.iterdir()) == ["__init__.py", "animals", "events"]
    animals = sorted(p.name for p in (api / "animals").iterdir())
    assert "browse.py" in animals and "list.py" not in animals and "delete.py" not in animals
    source = (api / "animals" / "browse.py").read_text()
    assert "AsyncCursorPage[Beast]" in source and "def sync" not in source
    ops = oagen(tmp_path, "ops", "specs/zoo.yaml")
    lines = {" ".join(line.split()[:2]): " ".join(line.split()[2:]) for line in ops.stdout.splitlines()}
    assert lines["GET /animals"] == "api.animals.browse.asyncio(client, ...)"
    assert lines["DELETE /animals/{animal_id}"] == "not generated: excluded by configuration"
    assert lines["PUT /notes"] == "not generated: excluded by configuration"
    browse = fresh_import(tmp_path / "generated", "zoo_sel.api.animals.browse")
    pkg = sys.modules["zoo_sel"]

    async def main() -> list[str]:
        rec = Recorder(zoo_answer)
        async with pkg.AsyncZooSel(api_key="k", base_url="https://zoo.test/v1",
                                   http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec))) as client:
            return [type(b).__name__ + ":" + b.id async for b in browse.asyncio(client)]

    assert asyncio.run(main()) == ["Beast:a1", "Beast:a2", "Beast:a3"]


def test_every_written_file_stays_inside_the_output_folder(zoo: Path, seeds: Path) -> None:
    for folder in [zoo / "generated" / "zoo_fun", *(seeds / f"fn_{name}" for name in SEEDS)]:
        for path in folder.rglob("*"):
            assert path.resolve().is_relative_to(folder.resolve())
            if path.suffix == ".py":
                assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) for part in
                           path.relative_to(folder).with_suffix("").parts)


def test_layout_option_needs_a_spec_and_unknown_layouts_are_refused(tmp_path: Path) -> None:
    proc = oagen(REPO, "generate", "--layout", "functions", "-q")
    assert proc.returncode == 2 and "--layout applies to a one-off generation" in proc.stderr
    proc = oagen(REPO, "generate", "specs/together.yaml", "--output", str(tmp_path / "x"), "--layout", "flat")
    assert proc.returncode == 2 and "'flat' is not supported" in proc.stderr and "functions" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_config_layouts_are_the_renderers() -> None:
    from generator import config, render

    assert config.LAYOUTS == tuple(render.LAYOUTS)


CUSTOM_DOCSTRING = '''{% macro method_docstring(m) %}
        """{{ m.doc.split("\\n")[0] | docstring("        ") }}

        Calls {{ m.http_method | comment }} on the API (custom docstring template).
        """
{%- endmacro %}
'''


def test_a_custom_method_docstring_serves_the_functions_too(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "method_docstring.jinja").write_text(CUSTOM_DOCSTRING)
    proc = oagen(REPO, "generate", "specs/together.yaml", "--output", str(tmp_path / "custom"), "--client-name",
                 "Together", "--layout", "functions", "--templates", str(tmp_path / "tpl"), "--no-cache", "-q")
    assert proc.returncode == 0, proc.stderr
    cancel = fresh_import(tmp_path, "custom.api.fine_tuning.cancel")
    for function in (cancel.sync, cancel.asyncio):
        assert inspect.getdoc(function) == "Cancel job\n\nCalls 'post' on the API (custom docstring template)."


def test_the_functions_layout_is_deterministic(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}" / "zoo"
        (tmp_path / "zoo.yaml").write_text(ZOO)
        proc = subprocess.run([sys.executable, "-m", "generator", "generate", "zoo.yaml", "--output", str(out),
                               "--layout", "functions", "--no-cache", "-q"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300,
                              env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and len(trees[0]) > 30


def test_the_readme_excerpt_is_what_oagen_writes(seeds: Path) -> None:
    readme = (REPO / "README.md").read_text()
    excerpt = readme.split("<!-- functions-layout-excerpt -->\n```python\n", 1)[1].split("```", 1)[0]
    assert excerpt.startswith("def sync(") and excerpt in (seeds / "fn_together" / "api" / "fine_tuning" /
                                                          "cancel.py").read_text()


def test_hostile_spec_in_the_functions_layout(tmp_path: Path) -> None:
    """test_hostile's kitchen-sink spec (break-out payloads in every string) in the functions layout."""
    import ast

    import test_hostile as hostile
    from generator.config import client_for_spec
    from generator.core import generate
    from generator.load import load_document_bytes
    from generator.write import write_package

    marker = tmp_path / "MARKER"
    spec, _ = hostile.kitchen_sink(hostile.Payloads(marker), "3.1.0")
    raw = json.dumps(spec).encode("utf-8")
    spec_file = tmp_path / "hostile_fn.json"
    spec_file.write_bytes(raw)
    out = tmp_path / "out"
    result = generate(load_document_bytes(raw, str(spec_file)),
                      client_for_spec(spec_file, out / "hostile_fn", layout="functions"))
    write_package(out / "hostile_fn", result.files)
    api_files = [rel for rel in result.files if rel.startswith("api/")]
    assert len(api_files) > len(result.api.resources) + 1
    for rel in api_files:
        text = result.files[rel]
        compile(ast.parse(text, rel), rel, "exec")
        assert all(c == "\n" or c.isprintable() for c in text), rel
    fresh_import(out, "hostile_fn")
    sys.path.insert(0, str(out))
    try:
        for rel in sorted(api_files):
            importlib.import_module("hostile_fn." + rel.removesuffix(".py").removesuffix("/__init__").replace("/", "."))
    finally:
        sys.path.remove(str(out))
    assert not marker.exists(), "a payload ran"


# ------------------------------------------------------------------ end to end (Prism)


def readme_program(readme: str) -> str:
    """The example program of the package README's "Call an operation" section."""
    section = readme.split("## Call an operation", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_functions_against_prism(name: str, seeds: Path, prism: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = prism(name)
    assert server.base_url.startswith("http://127.0.0.1:")
    package = f"fn_{name}"
    pkg = fresh_import(seeds, package)
    cls = SEEDS[name]
    credentials = {"together": {"api_key": "tok"}, "dataherald": {},
                   "portkey": {"api_key": "pk", "virtual_key": "vk"}}[name]
    resource = {"together": "fine_tuning", "dataherald": "finetunings", "portkey": "fine_tuning"}[name]
    cancel = importlib.import_module(f"{package}.api.{resource}.cancel")
    args: tuple[Any, ...] = ("ft-1",)
    kwargs: dict[str, Any] = {"body_finetuning_id": "ft-1"} if name == "dataherald" else {}
    expected = {"together": "FinetuneResponseTruncated", "dataherald": "Finetuning", "portkey": "FineTuningJob"}[name]
    with getattr(pkg, cls)(base_url=server.base_url, **credentials) as client:
        job = cancel.sync(client, *args, **kwargs)
        assert type(job).__name__ == expected and job.id
        raw = cancel.sync_detailed(client, *args, **kwargs)
        assert raw.status_code == 200 and type(raw.parse()).__name__ == expected
        with pytest.raises(pkg.NotFoundError):
            cancel.sync(client, *args, extra_headers={"Prefer": "code=404"}, max_retries=0, **kwargs)

    async def main() -> str:
        async with getattr(pkg, "Async" + cls)(base_url=server.base_url, **credentials) as aclient:
            ajob = await cancel.asyncio(aclient, *args, **kwargs)
            async with cancel.asyncio_streaming_response(aclient, *args, **kwargs) as response:
                assert response.status_code == 200 and type(await response.parse()).__name__ == expected
            return type(ajob).__name__

    assert asyncio.run(main()) == expected
    if name == "together":
        monkeypatch.delenv("TOGETHER_API_KEY", raising=False)
        with pytest.raises(pkg.AuthenticationError):
            cancel.sync(pkg.Together(base_url=server.base_url), id="ft-1")
    # the package README's example program runs as written (credentials and base URL from the environment)
    prefix = cls.upper()
    monkeypatch.setenv(f"{prefix}_BASE_URL", server.base_url)
    for keyword, value in credentials.items():
        monkeypatch.setenv(f"{prefix}_{keyword.upper()}", value)
    program = readme_program((seeds / package / "README.md").read_text())
    printed: list[tuple[Any, ...]] = []
    sys.path.insert(0, str(seeds))
    try:
        exec(compile(program, f"{package}/README.md", "exec"), {"print": lambda *a: printed.append(a)})
    finally:
        sys.path.remove(str(seeds))
    assert printed and printed[0][0] == 200 and type(printed[0][2]).__name__ == expected
