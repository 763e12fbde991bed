"""Issue 6, point 5: every model style in every client layout, proven the same way.

The combinations are every style of ``generator.styles.available()`` times every layout of
``generator.config.LAYOUTS``; nothing here lists them by hand, so a new style or layout is
in the matrix (and must have its golden snapshot) from the moment it is registered.

* Golden snapshot: the seed Together client of every combination is a configured client
  (``pyproject.toml``), committed under ``generated/`` and compared byte for byte by
  ``tests/test_snapshot.py`` (and ``oagen check``); :func:`test_every_combination_has_a_golden_snapshot`
  makes sure none is missing.
* ``mypy --strict`` on each of those packages, with a usage file per combination that
  pins the cancel call's result type (``assert_type``) sync and async.
* End to end against Prism (127.0.0.1): the three seed clients generated in every
  combination make their cancel call sync and async and get the typed model back; a
  ``Prefer: code=404`` gives ``NotFoundError`` and a missing Together key
  ``AuthenticationError``.
* The Together corpus spec generated in every model style, and every module imported.
"""

from __future__ import annotations

import asyncio
import enum
import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator import styles
from generator.config import LAYOUTS, client_for_spec, load_config
from generator.core import generate
from generator.load import load_document
from generator.write import write_package

REPO = Path(__file__).resolve().parents[1]
CONFIG = load_config(REPO / "pyproject.toml")
COMBOS = [(s, layout) for s in styles.available() for layout in LAYOUTS]
SEEDS = {  # spec -> (client class, resource, operation, positional args, keyword args, result class)
    "together": ("Together", "fine_tuning", "cancel", (), {"id": "ft-123"}, "FinetuneResponseTruncated"),
    "dataherald": ("Dataherald", "finetunings", "cancel", ("ft-1",), {"body_finetuning_id": "ft-1"}, "Finetuning"),
    "portkey": ("Portkey", "fine_tuning", "cancel", ("ftjob-abc123",), {}, "FineTuningJob"),
}
CREDENTIALS = {"together": {"api_key": "tok"}, "dataherald": {}, "portkey": {"api_key": "pk", "virtual_key": "vk"}}
NOT_FOUND = {"Prefer": "code=404"}


def combo_id(combo: tuple[str, str]) -> str:
    return f"{combo[0]}-{combo[1]}"


def _configured(style: str, layout: str) -> Any:
    for c in CONFIG.clients:
        if c.spec.name == "together.yaml" and c.spec.parent.name == "specs" and (c.models, c.layout) == (style, layout):
            return c
    return None


# ------------------------------------------------------------------ golden snapshots


def test_every_combination_has_a_golden_snapshot() -> None:
    """A Together client per (style, layout) is configured and committed (test_snapshot.py
    compares it with a fresh generation)."""
    missing = [combo_id(c) for c in COMBOS if _configured(*c) is None]
    assert not missing, f"add a [[tool.oagen.clients]] for specs/together.yaml in: {missing}"
    for combo in COMBOS:
        client = _configured(*combo)
        assert (client.output / "__init__.py").is_file(), client.output


def _call_source(layout: str, pkg: str, flavour: str) -> tuple[str, str]:
    """Import lines and the expression of the Together cancel call, for a usage file."""
    if layout == "functions":
        imports = f"from generated.{pkg}.api.fine_tuning import cancel"
        call = 'cancel.sync(client, id="ft-1")' if flavour == "sync" else 'await cancel.asyncio(client, id="ft-1")'
    else:
        imports = ""
        call = 'client.fine_tuning.cancel(id="ft-1")'
        if flavour == "async":
            call = "await " + call
    return imports, call


def test_mypy_strict_on_every_combination(tmp_path: Path) -> None:
    packages, usages = [], []
    for style, layout in COMBOS:
        client = _configured(style, layout)
        if client is None:
            pytest.fail(f"no golden Together client for {style}/{layout}")
        pkg = client.output.name
        packages.append(f"generated/{pkg}")
        imports, sync_call = _call_source(layout, pkg, "sync")
        _, async_call = _call_source(layout, pkg, "async")
        usage = tmp_path / f"usage_{pkg}.py"
        usage.write_text(textwrap.dedent(f"""\
            from typing_extensions import assert_type

            from generated.{pkg} import AsyncTogether, Together
            from generated.{pkg}.models import FinetuneResponseTruncated
            {imports}


            def sync_call() -> None:
                client = Together(api_key="k")
                assert_type({sync_call}, FinetuneResponseTruncated)


            async def async_call() -> None:
                client = AsyncTogether(api_key="k")
                assert_type({async_call}, FinetuneResponseTruncated)
            """))
        usages.append(str(usage))
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
           "--explicit-package-bases", *packages, *usages]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MYPYPATH": str(REPO)})
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


# ----------------------------------------------------------------- end to end (Prism)


@pytest.fixture(scope="module")
def seed_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The three seed clients in every combination, importable as ``m_<style>_<layout>_<spec>``."""
    root = tmp_path_factory.mktemp("matrix")
    for style, layout in COMBOS:
        for spec, (cls, *_rest) in SEEDS.items():
            name = _pkg_name(style, layout, spec)
            client = client_for_spec(REPO / "specs" / f"{spec}.yaml", root / name, cls, models=style, layout=layout)
            result = generate(load_document(client.spec), client)
            write_package(root / name, result.files)
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))


def _pkg_name(style: str, layout: str, spec: str) -> str:
    return f"m_{style.replace('-', '_')}_{layout}_{spec}"


def _call(pkg: str, layout: str, client: Any, spec: str, flavour: str, **extra: Any) -> Any:
    _cls, resource, op, args, kwargs, _result = SEEDS[spec]
    if layout == "functions":
        module = importlib.import_module(f"{pkg}.api.{resource}.{op}")
        fn = module.sync if flavour == "sync" else module.asyncio
        return fn(client, *args, **kwargs, **extra)
    return getattr(getattr(client, resource), op)(*args, **kwargs, **extra)


def _value(v: Any) -> Any:
    return v.value if isinstance(v, enum.Enum) else v


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TOGETHER_API_KEY", "TOGETHER_BASE_URL", "PORTKEY_API_KEY", "PORTKEY_VIRTUAL_KEY",
                 "PORTKEY_BASE_URL", "DATAHERALD_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _check_result(spec: str, pkg: str, job: Any) -> None:
    models = importlib.import_module(f"{pkg}.models")
    assert type(job) is getattr(models, SEEDS[spec][5]), type(job)
    if spec == "together":
        assert job.id == "ft-01234567890123456789"
        assert _value(job.status) == "completed"
        assert job.created_at.year == 2023  # a datetime, parsed
    elif spec == "dataherald":
        assert _value(job.status) == "cancelled"
        assert job.base_llm.model_parameters.n_epochs == "1"
    else:
        assert job.object == "fine_tuning.job"
        assert job.integrations[0].wandb.project == "my-wandb-project"


@pytest.mark.e2e
@pytest.mark.parametrize("spec", sorted(SEEDS))
@pytest.mark.parametrize("combo", COMBOS, ids=combo_id)
def test_seed_clients_against_prism(combo: tuple[str, str], spec: str, seed_packages: Path, prism: Any,
                                    clean_env: None) -> None:
    style, layout = combo
    server = prism(spec)
    pkg = _pkg_name(style, layout, spec)
    module = importlib.import_module(pkg)
    cls_name = SEEDS[spec][0]
    Sync, Async = getattr(module, cls_name), getattr(module, "Async" + cls_name)
    creds = CREDENTIALS[spec]

    with Sync(base_url=server.base_url, max_retries=0, **creds) as client:
        _check_result(spec, pkg, _call(pkg, layout, client, spec, "sync"))
        with pytest.raises(module.NotFoundError) as info:
            _call(pkg, layout, client, spec, "sync", extra_headers=NOT_FOUND)
        assert info.value.status_code == 404

    async def main() -> Any:
        async with Async(base_url=server.base_url, max_retries=0, **creds) as aclient:
            return await _call(pkg, layout, aclient, spec, "async")

    _check_result(spec, pkg, asyncio.run(main()))

    if spec == "together":
        with pytest.raises(module.AuthenticationError):
            _call(pkg, layout, Sync(base_url=server.base_url, max_retries=0), spec, "sync")


# ------------------------------------------------------------- the Together corpus


@pytest.mark.parametrize("style", styles.available())
def test_together_corpus_in_every_style(style: str, tmp_path: Path) -> None:
    from corpus_support import require_corpus

    spec = require_corpus() / "together.yaml"
    name = f"corpus_together_{style.replace('-', '_')}"
    client = client_for_spec(spec, tmp_path / name, "Together", models=style)
    result = generate(load_document(spec), client)
    write_package(tmp_path / name, result.files)
    generated = sum(1 for op in result.api.operations if op.generated)
    assert generated == 97, generated
    code = textwrap.dedent(f"""\
        import importlib, pkgutil, sys
        sys.path.insert(0, {str(tmp_path)!r})
        pkg = importlib.import_module({name!r})
        count = 0
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(info.name)
            count += 1
        print(count)
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert int(proc.stdout.strip()) >= 10
