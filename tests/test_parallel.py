"""Validation in a forked child beside parse -> format (generator/parallel.py, core.generate).

The overlap must never change what a run gives: the same files, the same findings in
the same order, validation errors before anything else, no child left behind.  The
specs here are tiny, so the size threshold is lowered to force the fork.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from generator import core
from generator.cache import MemoryCache
from generator.config import client_for_spec
from generator.diagnostics import SpecError
from generator.load import load_document
from generator.parallel import Forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

SPEC = textwrap.dedent("""\
    openapi: 3.0.3
    info: {title: Pets, version: "1.0"}
    servers: [{url: "https://pets.example.com"}]
    paths:
      /pets/{pet_id}:
        get:
          operationId: getPet
          tags: [Pets]
          parameters:
            - {name: pet_id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Pet"}
    components:
      schemas:
        Pet:
          type: object
          required: [id]
          properties:
            id: {type: string}
            size: {type: integer, default: big}
    """)


def _children() -> set[int]:
    """The pids of this process's children (Linux: /proc), to see none is left behind."""
    path = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    if not path.exists():
        pytest.skip("no /proc children list here")
    return {int(p) for p in path.read_text().split()}


def _run(tmp_path: Path, text: str, *, overlap: bool, strict: bool = False, **kw):
    spec = tmp_path / "pets.yaml"
    spec.write_text(text)
    client = client_for_spec(spec, tmp_path / "out" / "pets_client")
    return core.generate(load_document(str(spec)), client, strict=strict, overlap=overlap, **kw)


@pytest.fixture
def always_fork(monkeypatch):
    monkeypatch.setattr(core, "OVERLAP_MIN_BYTES", 0)


def test_forked_value_exception_and_no_child_left():
    before = _children()
    assert Forked(lambda: {"a": [1, 2]}).result() == {"a": [1, 2]}
    pid_seen = Forked(os.getpid)
    assert pid_seen.pid and pid_seen.result() != os.getpid()  # it really ran in a child

    def boom() -> None:
        raise ValueError("from the child")

    with pytest.raises(ValueError, match="from the child"):
        Forked(boom).result()
    assert _children() == before


def test_forked_falls_back_to_the_parent_when_the_child_dies():
    parent = os.getpid()

    def dies_in_child() -> str:
        if os.getpid() != parent:
            os._exit(9)  # a child killed before it could answer
        return "computed in the parent"

    job = Forked(dies_in_child)
    assert job.pid
    assert job.result() == "computed in the parent"


def test_forked_unpicklable_result_is_computed_in_the_parent():
    parent = os.getpid()
    job = Forked(lambda: (lambda: "x") if os.getpid() != parent else "parent")
    assert job.result() == "parent"


def test_cancel_kills_and_reaps_the_child():
    import time

    before = _children()
    job = Forked(lambda: time.sleep(60))
    assert job.pid in _children()
    job.cancel()
    assert job.pid == 0 and _children() == before


def test_overlap_changes_nothing(tmp_path: Path, always_fork):
    serial = _run(tmp_path, SPEC, overlap=False)
    forked = _run(tmp_path, SPEC, overlap=True)
    assert forked.overlapped and not serial.overlapped
    assert forked.files == serial.files
    assert [str(d) for d in forked.diagnostics] == [str(d) for d in serial.diagnostics]
    # the bad default is found, and located, by the child
    assert any("default" in d.message and d.location.pointer.endswith("/size/default")
               for d in forked.diagnostics)


def test_overlap_strict_errors_are_validations(tmp_path: Path, always_fork):
    with pytest.raises(SpecError) as serial:
        _run(tmp_path, SPEC, overlap=False, strict=True)
    with pytest.raises(SpecError) as forked:
        _run(tmp_path, SPEC, overlap=True, strict=True)
    assert [str(d) for d in forked.value.diagnostics] == [str(d) for d in serial.value.diagnostics]


def test_validation_errors_win_over_a_later_failure(tmp_path: Path, always_fork, monkeypatch):
    """When parsing fails after validation found errors, the user sees validation's errors."""
    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(core, "render_package", broken)
    with pytest.raises(SpecError) as exc:
        _run(tmp_path, SPEC, overlap=True, strict=True)
    assert any("default" in d.message for d in exc.value.diagnostics)
    # without validation errors, the failure itself comes through
    with pytest.raises(RuntimeError, match="render failed"):
        _run(tmp_path, SPEC.replace("default: big", "default: 3"), overlap=True, strict=True)


def test_overlap_fills_and_uses_the_cache(tmp_path: Path, always_fork):
    cache = MemoryCache()
    first = _run(tmp_path, SPEC, overlap=True, cache=cache)
    assert first.overlapped
    again = _run(tmp_path, SPEC, overlap=True, cache=cache)
    assert not again.overlapped  # served by the cache: nothing to fork for
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert again.files == first.files
