"""Measurements that run inside one fresh interpreter each, started by bench/run.py.

Run with the peers' virtualenv (``bench/.venv-peers/bin/python``), which has httpx, pydantic,
the official ``openai`` and ``together`` packages and what openapi-python-client's output
needs. Each subcommand prints one JSON object on its last line of stdout:

* ``import oagen DIR PKG RESOURCE ATTR`` / ``import openai``: seconds (wall and CPU) a user pays
  for the package, a client and the first access to one resource and one of its methods;
  ``import oagen-eager DIR PKG`` / ``import opc DIR PKG`` / ``import openai-eager``: for every
  module of the package (in a fresh process; ``time.perf_counter`` and ``time.process_time``);
  ``import oagen-call DIR PKG RESOURCE ATTR`` / ``import openai-call``: the same up to the first
  response: the package, a client whose ``http_client`` answers through ``httpx.MockTransport``
  (no network) and one chat completion call, decoded;
* ``call generated REPO`` / ``call together`` / ``call raw``: microseconds per ``cancel`` call
  through ``httpx.MockTransport`` (median over batches);
* ``decode generated REPO`` / ``decode together`` / ``decode together-sdk`` /
  ``decode msgspec DIR PKG``: milliseconds to decode 10,000 FineTuneEvent objects;
  ``decode style DIR PKG``: the same the way a generated client of any model style decodes a
  response (``json.loads`` + its ``_models.decode(list[FineTuneEvent], ...)``).

Only the standard library is imported before a timer starts.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import statistics
import sys
import time
import traceback


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- c. import time


def _import_all(pkg_name: str, walk: bool, oagen_layout: bool) -> tuple[int, list[str]]:
    """Import a package and its modules; return (modules imported, failures)."""
    failures: list[str] = []
    count = 0
    pkg = importlib.import_module(pkg_name)
    count += 1
    if oagen_layout:  # oagen's layout: the package, and every module of models and resources
        for sub in ("models", "resources"):
            mod = importlib.import_module(f"{pkg_name}.{sub}")
            count += 1
            for info in pkgutil.iter_modules(getattr(mod, "__path__", [])):  # models.py before 0.2: no path
                importlib.import_module(f"{pkg_name}.{sub}.{info.name}")
                count += 1
        return count, failures
    if walk:
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg_name + ".", onerror=failures.append):
            try:
                importlib.import_module(info.name)
                count += 1
            except Exception as exc:  # noqa: BLE001 - a peer's output may not import
                failures.append(f"{info.name}: {type(exc).__name__}: {exc}"[:300])
    return count, failures


def _timed(run) -> dict:  # noqa: ANN001 - a callable returning a dict of extra results
    """Wall time (``perf_counter``) and CPU time (``process_time``) of ``run()``."""
    t0, c0 = time.perf_counter(), time.process_time()
    extra = run()
    return {"ok": True, "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, **extra}


def _count(prefix: str) -> int:
    return len([m for m in sys.modules if m == prefix or m.startswith(prefix + ".")])


# The first call of section c's "-call" rows, and the completion it is answered with.
CHAT_CALL = {"messages": [{"role": "user", "content": "Say hello."}], "model": "gpt-4o"}
COMPLETION = {
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "Hello.", "refusal": None}}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}  # fmt: skip


def _completion_client(httpx):  # noqa: ANN001, ANN202 - the httpx module, imported inside the timer
    body = json.dumps(COMPLETION).encode()
    headers = {"content-type": "application/json"}
    return httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, headers=headers,
                                                                                      content=body)))


def probe_import(kind: str, args: list[str]) -> dict:
    if kind == "oagen":  # what a user pays: the package, a client, one resource and one of its methods
        directory, pkg, resource, attr = args
        sys.path.insert(0, directory)

        def run() -> dict:
            package = importlib.import_module(pkg)
            client_class = package.__all__[0]  # the sync client comes first
            client = getattr(package, client_class)(api_key="bench")
            getattr(getattr(client, resource), attr)
            return {"modules": _count(pkg), "touched": f"{client_class}(api_key=...).{resource}.{attr}"}

        return _timed(run)
    if kind == "oagen-call":  # ... up to the first response: what a lazy import defers is paid here
        directory, pkg, resource, attr = args
        sys.path.insert(0, directory)

        def run() -> dict:
            import httpx

            package = importlib.import_module(pkg)
            client = getattr(package, package.__all__[0])(api_key="bench", http_client=_completion_client(httpx))
            result = getattr(getattr(client, resource), attr)(**CHAT_CALL)
            return {"modules": _count(pkg), "returned": type(result).__name__}

        return _timed(run)
    if kind == "openai-call":

        def run() -> dict:
            import httpx
            import openai

            client = openai.OpenAI(api_key="bench", http_client=_completion_client(httpx))
            result = client.chat.completions.create(**CHAT_CALL)
            return {"modules": _count("openai"), "returned": type(result).__name__}

        return _timed(run)
    if kind in ("oagen-eager", "opc"):
        directory, pkg = args
        sys.path.insert(0, directory)
        try:
            return _timed(lambda: dict(zip(("modules", "failures"),
                                           _import_all(pkg, walk=kind == "opc", oagen_layout=kind == "oagen-eager"))))
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    if kind == "openai":  # the official SDK the same way: the package, a client, client.chat.completions

        def run() -> dict:
            import openai

            client = openai.OpenAI(api_key="bench")
            client.chat.completions.create  # noqa: B018 - the resource loads on first access
            return {"modules": _count("openai"), "touched": "openai.OpenAI(api_key=...).chat.completions.create"}

        return _timed(run)
    if kind == "openai-eager":  # the whole package

        def run() -> dict:
            import openai
            import openai.types  # noqa: F401

            count, failures = 1, []
            for name in ("openai.resources", "openai.types"):
                mod = importlib.import_module(name)
                for info in pkgutil.walk_packages(mod.__path__, prefix=name + "."):
                    try:
                        importlib.import_module(info.name)
                        count += 1
                    except Exception as exc:  # noqa: BLE001 - optional extras (numpy, ...) may be missing
                        failures.append(f"{info.name}: {type(exc).__name__}")
            return {"modules": count, "failures": failures[:20]}

        return _timed(run)
    raise SystemExit(f"unknown import probe {kind!r}")


# ---------------------------------------------------------------- d. per-call overhead


def probe_call(kind: str, args: list[str], body: bytes, batch: int, batches: int) -> dict:
    import httpx

    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    http_client = httpx.Client(transport=httpx.MockTransport(handler))
    if kind == "generated":
        sys.path.insert(0, args[0])
        from generated.together import Together

        client = Together(api_key="bench-key", base_url="http://bench.local/v1", http_client=http_client)

        def call():
            return client.fine_tuning.cancel(id="ft-bench")

        def check(r):
            return type(r).__name__, str(getattr(r.status, "value", r.status))

    elif kind == "together":
        import together

        client = together.Together(api_key="bench-key", base_url="http://bench.local", http_client=http_client)

        def call():
            return client.fine_tuning.cancel("ft-bench")

        def check(r):
            return type(r).__name__, str(r.status)

    elif kind == "raw":
        headers = {"Authorization": "Bearer bench-key", "Accept": "application/json"}
        loads = json.loads

        def call():
            response = http_client.post("http://bench.local/v1/fine-tunes/ft-bench/cancel", headers=headers)
            return loads(response.content)

        def check(r):
            return type(r).__name__, str(r["status"])

    else:
        raise SystemExit(f"unknown call probe {kind!r}")

    first = call()
    returned, status = check(first)
    for _ in range(200):  # warm up
        call()
    per_call_us = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(batch):
            call()
        per_call_us.append((time.perf_counter() - t0) / batch * 1e6)
    return {
        "ok": True,
        "us_per_call": statistics.median(per_call_us),
        "batches_us": per_call_us,
        "batch": batch,
        "returned": returned,
        "status": status,
        "requests_seen": calls["n"],
    }


# ---------------------------------------------------------------- e. decoding


_EVENT_TYPES = [
    "job_pending", "job_start", "model_downloading", "model_download_complete",
    "training_data_downloading", "training_data_download_complete", "wandb_init",
    "training_start", "checkpoint_save", "epoch_complete", "training_complete",
    "model_uploading", "model_upload_complete", "job_complete",
]  # fmt: skip


def events_json(n: int = 10_000) -> bytes:
    """``n`` FineTuneEvent objects valid for both the spec's schema and the together package."""
    events = []
    for i in range(n):
        events.append(
            {
                "object": "fine-tune-event",
                "created_at": f"2024-05-17T17:{(i // 60) % 60:02d}:{i % 60:02d}.123Z",
                "level": ("info", "warning", "error")[i % 3],
                "message": f"Training step {i} of {n}: loss {1.0 / (i + 1):.6f}",
                "type": _EVENT_TYPES[i % len(_EVENT_TYPES)],
                "param_count": 6_738_415_616,
                "token_count": 1000 * i,
                "total_steps": n,
                "wandb_url": f"https://wandb.ai/team/project/runs/run-{i % 97}",
                "step": i,
                "checkpoint_path": f"s3://bucket/ft-0123/checkpoints/step-{i}",
                "model_path": "s3://bucket/ft-0123/model",
                "training_offset": i * 8,
                "hash": f"{i * 2654435761 % 2**32:08x}",
            }
        )
    return json.dumps(events).encode()


def probe_decode(kind: str, args: list[str], runs: int) -> dict:
    data = events_json()
    if kind in ("generated", "together"):
        from pydantic import TypeAdapter

        if kind == "generated":
            sys.path.insert(0, args[0])
            from generated.together.models import FineTuneEvent as Event
        else:
            from together.types.finetune_event import FinetuneEvent as Event
        adapter = TypeAdapter(list[Event])

        def decode():
            return adapter.validate_json(data)

        how = f"pydantic.TypeAdapter(list[{Event.__module__}.{Event.__qualname__}]).validate_json"
    elif kind == "together-sdk":  # what the together client itself does with a response body
        from together._models import construct_type
        from together.types.finetune_event import FinetuneEvent as Event

        def decode():
            return construct_type(type_=list[Event], value=json.loads(data))

        how = "json.loads + together._models.construct_type (no validation)"
    elif kind == "msgspec":
        directory, pkg = args
        sys.path.insert(0, directory)
        models = importlib.import_module(f"{pkg}.models")
        Event = models.FineTuneEvent
        import msgspec

        if isinstance(Event, type) and issubclass(Event, msgspec.Struct):
            decoder = msgspec.json.Decoder(list[Event])
            decode = lambda: decoder.decode(data)  # noqa: E731
            how = "msgspec.json.Decoder(list[FineTuneEvent]).decode"
        else:
            from pydantic import TypeAdapter

            adapter = TypeAdapter(list[Event])
            decode = lambda: adapter.validate_json(data)  # noqa: E731
            how = "FineTuneEvent is not a msgspec.Struct: pydantic.TypeAdapter(...).validate_json"
    elif kind == "style":
        directory, pkg = args
        sys.path.insert(0, directory)
        models = importlib.import_module(f"{pkg}.models")
        runtime = importlib.import_module(f"{pkg}._models")
        Event = models.FineTuneEvent
        target = list[Event]

        def decode():
            return runtime.decode(target, json.loads(data))

        how = f"json.loads + {pkg}._models.decode(list[FineTuneEvent], ...)"
    else:
        raise SystemExit(f"unknown decode probe {kind!r}")

    result = decode()
    assert len(result) == 10_000, len(result)
    decode()  # warm up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        decode()
        times.append((time.perf_counter() - t0) * 1e3)
    return {
        "ok": True,
        "ms": statistics.median(times),
        "ms_min": min(times),
        "runs_ms": times,
        "how": how,
        "bytes": len(data),
        "first": type(result[0]).__name__,
    }


def main(argv: list[str]) -> None:
    what, kind, *rest = argv
    try:
        if what == "import":
            out = probe_import(kind, rest)
        elif what == "call":
            spec = json.loads(sys.stdin.read())
            out = probe_call(kind, rest[:1] if kind == "generated" else [], json.dumps(spec["body"]).encode(),
                             spec["batch"], spec["batches"])  # fmt: skip
        elif what == "decode":
            runs = int(rest.pop()) if rest and rest[-1].isdigit() else 7
            out = probe_decode(kind, rest, runs)
        else:
            raise SystemExit(f"unknown probe {what!r}")
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the bench goes on
        out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500], "traceback": traceback.format_exc()[-2000:]}
    _emit(out)


if __name__ == "__main__":
    main(sys.argv[1:])
