"""Conformance on the real, complete specs of ../shared/corpus (Together, Portkey, OpenAI).

Each spec is generated once per session into a temporary folder (packages
``corpus_together``, ``corpus_portkey``, ``corpus_openai``), then:

* the summary counts hold: every operation is generated except the ones that
  cannot be request/response methods, which are listed with their reason;
* every module of every package imports (no dangling import);
* the Together package passes ``mypy --strict``;
* every generated operation is called against a Prism mock server of its spec,
  once against Prism's example responses and once in dynamic mode
  (``-d --seed N``: random schema-valid bodies), with arguments synthesised from
  the spec (examples first, then schema-valid values), and must answer 2xx with
  a response parsed into the declared type.  The counts are printed.

Prism's own limits are worked around, not hidden: it is served a copy of the
spec without hop-by-hop response-header declarations (it would mock
``Transfer-Encoding: string``), optional object/array headers are always sent,
base_url is its root.  What still cannot pass is listed in PRISM_LIMITS with
the reason (and in the README).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from corpus_support import CORPUS, SPECS, call_plan, expected_check

# Operations that cannot be request/response methods, with the reason the summary gives.
NOT_GENERATED = {
    "together": {
        "GET /audio/speech/websocket": "WebSocket upgrade",
        "GET /realtime": "WebSocket upgrade",
    },
    "portkey": {},
    "openai": {},
}

# (spec, "METHOD /path", mode) -> (why Prism cannot answer it with a 2xx, text the failure must show).
# Everything else must pass; a listed call that fails differently fails the test.
_FAKER_CRASH = (
    "Prism's random-body generator (json-schema-faker) crashes on the recursive Response schema "
    "($recursiveRef) and answers 500; static mode serves the example and passes",
    "json-schema-faker",
)
PRISM_LIMITS: dict[tuple[str, str, str], tuple[str, str]] = {
    ("together", "GET /deployments/storage/{filename}", mode): (
        "the operation declares only a 307 redirect to a signed download URL; Prism answers it "
        "without a Location header, so there is nothing to follow (a real server's redirect is "
        "followed, credentials dropped)",
        "Error code: 307",
    )
    for mode in ("static", "dynamic")
}
PRISM_LIMITS.update(
    {
        ("openai", key, "dynamic"): _FAKER_CRASH
        for key in (
            "POST /responses",
            "GET /responses/{response_id}",
            "POST /responses/{response_id}/cancel",
            "POST /responses?beta=true",
            "GET /responses/{response_id}?beta=true",
            "POST /responses/{response_id}/cancel?beta=true",
        )
    }
)

HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
              "te", "trailer", "upgrade"}


def _sanitised_copy(name: str, folder: Path) -> Path:
    """The spec as JSON without hop-by-hop response-header declarations (Prism mocks them)."""
    target = folder / f"{name}.prism.json"
    if target.exists():
        return target
    data = yaml.load((CORPUS / f"{name}.yaml").read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "responses" and isinstance(value, dict):
                    for response in value.values():
                        headers = response.get("headers") if isinstance(response, dict) else None
                        if isinstance(headers, dict):
                            for header in [h for h in headers if str(h).lower() in HOP_BY_HOP]:
                                del headers[header]
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    target.write_text(json.dumps(data, default=str))
    return target


@pytest.mark.parametrize("name", list(SPECS))
def test_summary_counts(corpus: dict[str, Any], name: str) -> None:
    result = corpus[name]["result"]
    ops = result.api.operations
    skipped = {f"{op.method.upper()} {op.path}": op.reason for op in ops if not op.generated}
    print("\n" + result.summary(name))
    assert set(skipped) == set(NOT_GENERATED[name])
    for key, reason in skipped.items():
        assert NOT_GENERATED[name][key] in (reason or "")
    expected = {"together": 99, "portkey": 231, "openai": 288}[name]
    assert len(ops) == expected
    assert sum(op.generated for op in ops) == expected - len(NOT_GENERATED[name])
    assert f"{expected - len(NOT_GENERATED[name])}/{expected} operations generated" in result.summary(name)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_module_imports(corpus: dict[str, Any], name: str) -> None:
    package = corpus[name]["package"]
    root = corpus["_dir"] / package
    modules = sorted(
        ".".join((package,) + p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in root.rglob("*.py")
    )
    for module in modules:
        importlib.import_module(module)
    models = importlib.import_module(f"{package}.models")
    # Every schema of the spec has its model, enum or alias: nothing dropped.
    names = {d.name for d in corpus[name]["result"].api.schemas}
    assert names <= set(models.__all__)
    for exported in models.__all__:
        assert hasattr(models, exported)


def test_together_corpus_package_passes_mypy_strict(corpus: dict[str, Any], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         "corpus_together"],
        cwd=corpus["_dir"], capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def _run_conformance(corpus: dict[str, Any], prism: Any, name: str, mode: tuple[str, ...]) -> None:
    entry = corpus[name]
    api, doc = entry["result"].api, entry["doc"]
    package = importlib.import_module(entry["package"])
    models = importlib.import_module(f"{entry['package']}.models")
    client_cls = getattr(package, SPECS[name])
    spec_copy = _sanitised_copy(name, corpus["_dir"])
    server = prism(spec_copy, *mode)
    credentials = {s.py_name: "test-credential" for s in api.security_schemes}
    client = client_cls(base_url=server.base_url, max_retries=0, timeout=60, **credentials)
    generated = [op for op in api.operations if op.generated]
    ok, failures, limited = 0, [], []
    for op in generated:
        key = f"{op.method.upper()} {op.path}"
        plan = call_plan(doc.root, op)
        method = getattr(getattr(client, op.resource), op.name)
        try:
            result = method(*plan.args, **plan.kwargs)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            outcome = f"{type(exc).__name__}: {str(exc)[:300]}"
        else:
            outcome = "" if expected_check(api, op, models)(result) else f"unexpected result type {type(result)}"
        label = "dynamic" if mode else "static"
        limit = PRISM_LIMITS.get((name, key, label))
        if not outcome:
            ok += 1
        elif limit is not None and limit[1] in outcome:
            limited.append(key)
        else:
            failures.append(f"{key} -> {op.accessor}: {outcome}")
    label = "dynamic" if mode else "static"
    print(f"\n{name} ({label}): called ok {ok} / generated {len(generated)} / in spec {len(api.operations)}; "
          f"Prism limits: {len(limited)}")
    assert not failures, "\n".join(failures)
    assert ok + len(limited) == len(generated)


@pytest.mark.e2e
@pytest.mark.parametrize("name", list(SPECS))
def test_every_operation_against_prism_examples(corpus: dict[str, Any], prism: Any, name: str) -> None:
    _run_conformance(corpus, prism, name, ())


@pytest.mark.e2e
@pytest.mark.parametrize("name", list(SPECS))
def test_every_operation_against_prism_dynamic(corpus: dict[str, Any], prism: Any, name: str) -> None:
    _run_conformance(corpus, prism, name, ("-d", "--seed", os.environ.get("OAGEN_PRISM_SEED", "7")))
