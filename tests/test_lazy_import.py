"""The generated package imports lazily, as the official SDKs do, and nothing of its API changes.

``import pkg`` and ``pkg.Client(...)`` load the client and its runtime only (not the model layer,
``_models``, nor pydantic); a resource's module is imported when the client's attribute is first
used, the models a request needs when it runs, ``pkg.models`` on first use, and each module of
the ``models`` package when one of its names is (the layout is planned by
``generator.render.plan_model_modules``). Import state is per process, so every check of
``sys.modules`` runs in a fresh interpreter. Timings are measured in bench/ (section c), never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_python(code: str, *paths: Path) -> Any:
    """Run ``code`` in a fresh interpreter with ``paths`` first on sys.path; its last stdout line as JSON."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=paths[0], capture_output=True,
                          text=True, timeout=300, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the committed seed packages


def test_importing_the_package_and_making_a_client_loads_no_model_and_no_resource() -> None:
    seen = run_python(
        """
        import json, sys
        import httpx

        def loaded():
            return sorted(m for m in sys.modules if m.startswith("generated.together.")
                          or m == "pydantic" or m.startswith("pydantic."))

        import generated.together as pkg
        after_import = loaded()
        body = {"id": "ft-1", "status": "cancelled", "model": "m",
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
        client = pkg.Together(api_key="k", http_client=httpx.Client(transport=transport))
        async_client = pkg.AsyncTogether(api_key="k")
        after_client = loaded()
        raw = client.with_raw_response
        after_raw_wrapper = loaded()
        resource = client.fine_tuning
        cancel = resource.cancel
        after_resource = loaded()
        same = client.fine_tuning is resource
        raw_cancel = client.with_raw_response.fine_tuning.cancel
        async_resource = type(async_client.fine_tuning).__name__
        job = cancel(id="ft-1")
        after_call = loaded()
        status = pkg.models.FinetuneJobStatus("cancelled").name
        print(json.dumps({"after_import": after_import, "after_client": after_client,
                          "after_raw_wrapper": after_raw_wrapper, "after_resource": after_resource,
                          "after_call": after_call, "same": same, "async_resource": async_resource,
                          "job": [type(job).__name__, job.id, job.status.name], "status": status}))
        """,
        REPO,
    )
    for stage in ("after_import", "after_client", "after_raw_wrapper"):
        assert not [m for m in seen[stage] if m.startswith(("generated.together.models",
                                                            "generated.together.resources"))], stage
    assert "generated.together._client" in seen["after_client"]
    # the resource's module loads on first use; the models (and the model layer, pydantic) when
    # a request needs them
    assert "generated.together.resources.fine_tuning" in seen["after_resource"]
    assert not [m for m in seen["after_resource"] if m.startswith(("generated.together.models",
                                                                  "generated.together._models", "pydantic"))]
    assert {"generated.together.models", "generated.together.models._fine_tuning", "generated.together._models",
            "pydantic"} <= set(seen["after_call"])
    assert seen["job"] == ["FinetuneResponseTruncated", "ft-1", "CANCELLED"]
    assert seen["same"] is True  # the resource is made once per client
    assert seen["async_resource"] == "AsyncFineTuningResource"
    assert seen["status"] == "CANCELLED"


def test_models_resolve_every_name_lazily_and_list_them() -> None:
    seen = run_python(
        """
        import json, sys
        import generated.together.models as models

        before = sorted(m for m in sys.modules if m.startswith("generated.together.models."))
        names = list(models.__all__)
        listed = dir(models)
        resolved = {n: getattr(models, n).__name__ for n in names}
        star = {}
        exec("from generated.together.models import *", star)
        from generated.together.models import FinetuneResponseTruncated
        try:
            models.NoSuchModel
            missing = "no error"
        except AttributeError as exc:
            missing = str(exc)
        try:
            exec("from generated.together.models import NoSuchModel")
            missing_import = "no error"
        except ImportError:
            missing_import = "ImportError"
        from generated.together import models as again
        print(json.dumps({"before": before, "names": names, "listed": listed, "resolved": resolved,
                          "star": sorted(k for k in star if not k.startswith("__")), "missing": missing,
                          "missing_import": missing_import, "same_module": again is models,
                          "module": FinetuneResponseTruncated.__module__}))
        """,
        REPO,
    )
    assert seen["before"] == []  # importing ``models`` itself builds nothing
    assert len(seen["names"]) == 14 and seen["names"] == sorted(seen["names"])
    assert set(seen["names"]) <= set(seen["listed"])
    assert seen["resolved"] == {n: n for n in seen["names"]}
    assert seen["star"] == sorted(seen["names"])
    assert "has no attribute 'NoSuchModel'" in seen["missing"]
    assert seen["missing_import"] == "ImportError"
    assert seen["same_module"] is True
    # a class is named after the models package, whichever of its modules defines it
    assert seen["module"] == "generated.together.models"


def test_package_and_resources_getattr_and_dir() -> None:
    seen = run_python(
        """
        import json
        import generated.together as pkg
        import generated.together.resources as resources

        in_dir = "models" in dir(pkg)
        try:
            pkg.nothing_here
            missing = "no error"
        except AttributeError as exc:
            missing = str(exc)
        listed = set(resources.__all__) <= set(dir(resources))
        from generated.together.resources import AsyncFineTuningResourceWithRawResponse, FineTuningResource
        print(json.dumps({"in_dir": in_dir, "missing": missing, "listed": listed,
                          "names": [FineTuningResource.__name__, AsyncFineTuningResourceWithRawResponse.__name__],
                          "models": type(pkg.models).__name__}))
        """,
        REPO,
    )
    assert seen["in_dir"] and seen["listed"]
    assert "has no attribute 'nothing_here'" in seen["missing"]
    assert seen["names"] == ["FineTuningResource", "AsyncFineTuningResourceWithRawResponse"]
    assert seen["models"] == "module"


def test_models_pickle_into_a_fresh_process(tmp_path: Path) -> None:
    # pickled in one process, loaded in another where no model module was imported yet
    dumped = run_python(
        """
        import base64, json, pickle
        from generated.together.models import FinetuneJobStatus, FinetuneResponseTruncated

        job = FinetuneResponseTruncated.model_validate({"id": "ft-1", "status": "cancelled", "model": "m",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"})
        data = pickle.dumps((job, FinetuneJobStatus.RUNNING, FinetuneJobStatus("brand-new")))
        print(json.dumps({"data": base64.b64encode(data).decode(), "repr": repr(job)}))
        """,
        REPO,
    )
    loaded = run_python(
        f"""
        import base64, json, pickle
        job, status, unknown = pickle.loads(base64.b64decode({dumped["data"]!r}))
        print(json.dumps({{"repr": repr(job), "status": repr(status), "unknown": unknown.value,
                           "fields": sorted(job.model_fields_set)}}))
        """,
        REPO,
    )
    assert loaded["repr"] == dumped["repr"]
    assert loaded["repr"].startswith("FinetuneResponseTruncated(id='ft-1', status=<FinetuneJobStatus.CANCELLED")
    assert loaded["status"] == "<FinetuneJobStatus.RUNNING: 'running'>"
    assert loaded["unknown"] == "brand-new"
    assert loaded["fields"] == ["created_at", "id", "model", "status", "updated_at"]


def test_mypy_sees_the_lazy_names(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent(
        """
        from typing_extensions import assert_type

        import generated.together as together
        from generated.together.models import FinetuneJobStatus, FinetuneResponseTruncated
        from generated.together.resources import FineTuningResource, FineTuningResourceWithRawResponse
        from generated.together._response import APIResponse


        def use(client: together.Together) -> None:
            assert_type(client.fine_tuning, FineTuningResource)
            assert_type(client.with_raw_response.fine_tuning, FineTuningResourceWithRawResponse)
            assert_type(client.with_raw_response.fine_tuning.cancel(id="x"), APIResponse[FinetuneResponseTruncated])
            assert_type(together.models.FinetuneJobStatus("cancelled"), FinetuneJobStatus)
            assert_type(together.models.FinetuneResponseTruncated, type[FinetuneResponseTruncated])
        """
    ))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         "--explicit-package-bases", "generated/together", str(usage)],
        cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, "MYPYPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------ the layout of the models


def _schema(ref: str | None = None, *, items: str | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": "string"}}
    if ref:
        props["link"] = {"$ref": f"#/components/schemas/{ref}"}
    if items:
        props["items"] = {"type": "array", "items": {"$ref": f"#/components/schemas/{items}"}}
    return {"type": "object", "properties": props}


def _spec(schemas: dict[str, Any], uses: dict[str, str]) -> dict[str, Any]:
    """An OpenAPI 3.1 document: one GET operation per tag, answering the schema ``uses[tag]``."""
    paths = {
        f"/{tag}": {"get": {"operationId": f"get_{tag}", "tags": [tag], "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}}}}
        for tag, schema in uses.items()
    }  # fmt: skip
    return {"openapi": "3.1.0", "info": {"title": "Lazy", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}


def _generate(spec: dict[str, Any], out: Path, package: str) -> Any:
    from generator import core  # noqa: PLC0415
    from generator.config import client_for_spec  # noqa: PLC0415
    from generator.load import load_document  # noqa: PLC0415
    from generator.write import write_package  # noqa: PLC0415

    path = out / f"{package}.json"
    path.write_text(json.dumps(spec))
    client = client_for_spec(path, out / package, "Lazy")
    result = core.generate(load_document(path), client)
    write_package(client.output, result.files)
    return result


LAYOUT_SCHEMAS = {
    "Alpha": _schema("Shared", items="Node"),  # used by tag a; Node and Leaf are a cycle
    "Node": _schema("Leaf"),
    "Leaf": _schema(items="Node"),
    "Beta": _schema("Shared"),  # used by tag b
    "Shared": _schema("Common"),  # used by a and b
    "Common": _schema(),
    "Orphan": _schema("Stray"),  # used by no operation
    "Stray": _schema(),
    "Ring1": _schema("Ring2"),  # a cycle no operation uses, which nothing else refers to
    "Ring2": _schema("Ring1"),
}


def test_plan_groups_definitions_by_the_resources_that_reach_them(tmp_path: Path) -> None:
    from generator.render import plan_model_modules  # noqa: PLC0415

    result = _generate(_spec(LAYOUT_SCHEMAS, {"a": "Alpha", "b": "Beta"}), tmp_path, "layout")
    plan = plan_model_modules(result.api, {"a": ["Alpha"], "b": ["Beta"]})
    module_of = dict(plan.module_of)
    assert sorted(module_of) == sorted(LAYOUT_SCHEMAS)
    assert {n: module_of[n] for n in ("Alpha", "Node", "Leaf", "Beta", "Orphan", "Stray", "Ring1", "Ring2")} == {
        "Alpha": "_a", "Node": "_a", "Leaf": "_a", "Beta": "_b",
        "Orphan": "_orphan", "Stray": "_orphan", "Ring1": "_ring_1", "Ring2": "_ring_1",
    }
    assert module_of["Shared"] == module_of["Common"] and module_of["Shared"].startswith("_shared_")
    by_name = {m.name: m for m in plan.modules}
    assert by_name["_a"].imports == ((module_of["Shared"], ("Shared",)),)
    assert by_name["_a"].used_by == ("a",) and by_name[module_of["Shared"]].used_by == ("a", "b")
    assert by_name["_orphan"].used_by == ()
    # deterministic, and what the package holds
    assert plan_model_modules(result.api, {"b": ["Beta"], "a": ["Alpha"]}) == plan
    assert sorted(p for p in result.files if p.startswith("models/")) == sorted(
        ["models/__init__.py"] + [f"models/{m.name}.py" for m in plan.modules])

    seen = run_python(
        """
        import json, sys
        import httpx
        from layout import Lazy
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "x"}))
        client = Lazy(base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=transport))
        client.a.list
        before_a = sorted(m for m in sys.modules if m.startswith("layout.models."))
        client.a.list()
        after_a = sorted(m for m in sys.modules if m.startswith("layout.models."))
        from layout.models import Alpha, Ring2
        ok = Ring2.model_validate({"id": "r", "link": {"id": "s", "link": {"id": "t"}}}).link.link.id
        # annotations naming definitions of other modules resolve
        alpha = Alpha.model_validate({"id": "a", "link": {"id": "s", "link": {"id": "c"}},
                                      "items": [{"id": "n", "link": {"id": "l", "items": []}}]})
        types = [type(alpha.link).__name__, type(alpha.link.link).__name__, type(alpha.items[0].link).__name__]
        print(json.dumps({"before_a": before_a, "after_a": after_a, "ok": ok, "types": types,
                          "repr": repr(Alpha)}))
        """,
        tmp_path,
    )
    assert seen["before_a"] == []  # the models load when a request needs them
    assert seen["after_a"] == sorted(["layout.models._a", f"layout.models.{module_of['Shared']}"])
    assert seen["ok"] == "t"
    assert seen["types"] == ["Shared", "Common", "Leaf"]
    assert seen["repr"] == "<class 'layout.models.Alpha'>"


def test_a_long_chain_of_model_modules_imports_without_deep_recursion(tmp_path: Path) -> None:
    # tag t<i> uses S<i>, and S<i> refers to S<i+1>: S<i>'s users are t0..t<i>, so each S<i> has
    # its own module importing the next one's, 80 modules deep. Nested imports that deep take
    # about 600 frames, over the limit of 300 set below; the models package imports them one by one.
    depth = 80
    schemas = {f"S{i}": _schema(f"S{i + 1}" if i + 1 < depth else None) for i in range(depth)}
    result = _generate(_spec(schemas, {f"t{i}": f"S{i}" for i in range(depth)}), tmp_path, "chain")
    assert len([p for p in result.files if p.startswith("models/_") and p != "models/__init__.py"]) == depth
    seen = run_python(
        """
        import base64, importlib, json, pickle, subprocess, sys
        sys.setrecursionlimit(300)
        last = importlib.import_module("chain.models._t_0")  # directly, as unpickling does
        from chain.models import S0, S79
        value = S0.model_construct(id="a", link=S79.model_construct(id="z"))
        again = pickle.loads(pickle.dumps(value))
        print(json.dumps({"module": S0.__module__, "link": again.link.id,
                          "loaded": len([m for m in sys.modules if m.startswith("chain.models._")])}))
        """,
        tmp_path,
    )
    assert seen == {"module": "chain.models", "link": "z", "loaded": depth}


@pytest.mark.parametrize("name", ["openai"])
def test_corpus_client_builds_only_what_one_resource_reaches(corpus: dict[str, Any], name: str) -> None:
    package = corpus[name]["package"]
    seen = run_python(
        f"""
        import json, sys
        import httpx
        import {package} as pkg

        def loaded(prefix):
            return sorted(m for m in sys.modules if m.startswith(prefix))

        after_import = loaded("{package}.models") + loaded("{package}.resources")
        body = {{"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": []}}
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
        client = pkg.OpenAI(api_key="k", http_client=httpx.Client(transport=transport))
        create = client.chat.create
        models_after_access = loaded("{package}.models")
        completion = create(messages=[{{"role": "user", "content": "hi"}}], model="m")
        models_after_chat = loaded("{package}.models.")
        from {package} import models
        names = list(models.__all__)
        for n in names:
            getattr(models, n)
        print(json.dumps({{"after_import": after_import, "after_access": models_after_access,
                           "completion": type(completion).__name__, "after_chat": models_after_chat, "names": len(names),
                           "all_modules": len(loaded("{package}.models.")),
                           "resources": loaded("{package}.resources.")}}))
        """,
        corpus["_dir"],
    )
    assert seen["after_import"] == [] and seen["after_access"] == []
    assert seen["completion"] == "CreateChatCompletionResponse"
    assert seen["resources"] == [f"{package}.resources.chat"]
    assert seen["names"] == len(corpus[name]["result"].api.schemas)
    # the chat resource reaches a small part of the models
    assert 0 < len(seen["after_chat"]) < seen["all_modules"] / 4
