"""The generated packages import and pass ``mypy --strict``, and their public
surface types as the README promises (checked with ``assert_type``)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["together", "dataherald", "portkey"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_module_imports(name):
    package = REPO / "generated" / name
    modules = sorted(
        ".".join(("generated",) + p.relative_to(REPO / "generated").with_suffix("").parts)
        for p in package.rglob("*.py")
    )
    assert modules
    for module in modules:
        importlib.import_module(module.removesuffix(".__init__"))


def test_mypy_strict_on_generated_packages_and_their_use(tmp_path):
    usage = tmp_path / "usage.py"
    usage.write_text(
        textwrap.dedent(
            """
            from typing_extensions import assert_type

            from generated.together import AsyncTogether, Together
            from generated.together.models import FinetuneResponseTruncated, FinetuneEventLevels
            from generated.dataherald import Dataherald
            from generated.dataherald.models import Finetuning
            from generated.portkey import Portkey
            from generated.portkey.models import FineTuningJob


            def sync_calls() -> None:
                client = Together(api_key="k")
                assert_type(client.fine_tuning.cancel(id="ft-123"), FinetuneResponseTruncated)
                dh = Dataherald()
                assert_type(dh.finetunings.cancel("ft", body_finetuning_id="ft"), Finetuning)
                pk = Portkey(api_key="a", virtual_key="b")
                assert_type(pk.fine_tuning.cancel("ftjob"), FineTuningJob)


            async def async_calls() -> None:
                client = AsyncTogether(api_key="k")
                assert_type(await client.fine_tuning.cancel(id="ft-123"), FinetuneResponseTruncated)


            def level(value: FinetuneEventLevels | None) -> str | None:
                return None if value is None else value.value
            """
        )
    )
    cmd = [
        sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
        "--explicit-package-bases",
        *[f"generated/{p}" for p in PACKAGES],
        str(usage),
    ]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "MYPYPATH": str(REPO)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
