"""The command line: exit codes, located one-line messages, nothing written on bad input."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def oagen(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of this project's config, specs and generated/ in a temporary folder."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "specs", root / "specs")
    shutil.copytree(REPO / "generated", root / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return root


BAD_INPUTS = {
    "broken_yaml": ("openapi: 3.1.0\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a: [\n", 7),
    "dangling_ref": (
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema:\n                $ref: '#/components/schemas/Nope'\n",
        12,
    ),
    "not_openapi": ("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_spec_exits_2_with_located_message_and_writes_nothing(project: Path, case: str):
    text, line = BAD_INPUTS[case]
    (project / "specs" / "together.yaml").write_text(text)
    before = tree_digest(project / "generated")
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"specs/together.yaml:{line}:"), lines[0]
    assert tree_digest(project / "generated") == before


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_spec_one_off_writes_nothing(tmp_path: Path, case: str):
    text, line = BAD_INPUTS[case]
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    proc = oagen("generate", str(spec), "--output", str(tmp_path / "out" / "pkg"))
    assert proc.returncode == 2
    assert f"bad.yaml:{line}:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_check_passes_on_the_committed_tree():
    proc = oagen("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_reports_a_hand_edit_with_a_diff_and_writes_nothing(project: Path):
    target = project / "generated" / "together" / "_client.py"
    target.write_text(target.read_text() + "# edited by hand\n")
    before = tree_digest(project / "generated")
    proc = oagen("check", cwd=project)
    assert proc.returncode == 1
    assert "-# edited by hand" in proc.stdout
    assert "together/_client.py" in proc.stdout
    assert tree_digest(project / "generated") == before


def test_check_reports_a_missing_file(project: Path):
    (project / "generated" / "portkey" / "py.typed").unlink()
    proc = oagen("check", "portkey", cwd=project)
    assert proc.returncode == 1
    assert "py.typed" in proc.stdout


def test_generate_then_check_roundtrip(project: Path):
    shutil.rmtree(project / "generated")
    proc = oagen("generate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "together: 1/1 operations generated" in proc.stdout
    assert tree_digest(project / "generated") == tree_digest(REPO / "generated")
    assert oagen("check", cwd=project).returncode == 0


def test_ops_json_maps_together_cancel():
    proc = oagen("ops", "specs/together.yaml", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["client"] == {
        "class": "Together",
        "async_class": "AsyncTogether",
        "layout": "resources",
        "auth": [
            {"python_name": "api_key", "scheme": "bearerAuth", "type": "http", "in": "header",
             "wire_name": "Authorization"}
        ],
    }
    (op,) = data["operations"]
    assert op == {
        "method": "POST",
        "path": "/fine-tunes/{id}/cancel",
        "operation_id": None,
        "accessor": "fine_tuning.cancel",
        "function": None,  # the module of the functions layout (oagen ops --layout functions)
        "generated": True,
        "reason": None,
        "params": [{"python_name": "id", "wire_name": "id", "in": "path", "required": True}],
        "body": None,
        "streaming": False,
    }


def test_ops_json_dataherald_collision_and_portkey_auth():
    data = json.loads(oagen("ops", "specs/dataherald.yaml", "--json").stdout)
    (op,) = data["operations"]
    assert op["accessor"] == "finetunings.cancel"
    assert op["params"][0]["python_name"] == "finetuning_id"
    assert op["body"]["mode"] == "fields"
    fields = {f["wire_name"]: f for f in op["body"]["fields"]}
    assert fields["finetuning_id"]["python_name"] == "body_finetuning_id"
    assert fields["finetuning_id"]["required"] is True
    assert fields["metadata"]["required"] is False
    data = json.loads(oagen("ops", "specs/portkey.yaml", "--json").stdout)
    assert [a["python_name"] for a in data["client"]["auth"]] == ["api_key", "virtual_key"]
    assert [a["wire_name"] for a in data["client"]["auth"]] == ["x-portkey-api-key", "x-portkey-virtual-key"]
    assert data["operations"][0]["accessor"] == "fine_tuning.cancel"


def test_ops_text_table():
    proc = oagen("ops", "specs/together.yaml")
    assert proc.returncode == 0
    assert "POST /fine-tunes/{id}/cancel  client.fine_tuning.cancel(...)" in proc.stdout


def test_validate_reports_train_on_inputs_default_with_line():
    proc = oagen("validate", "specs/together.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (REPO / "specs" / "together.yaml").read_text().splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.strip() == "default: auto")
    hits = [ln for ln in proc.stdout.splitlines() if "train_on_inputs" in ln and "auto" in ln]
    assert hits, proc.stdout
    assert any(h.startswith(f"specs/together.yaml:{line}:") or f"together.yaml:{line - 1}:" in h
               or f"together.yaml:{line}:" in h for h in hits), hits
    strict = oagen("validate", "specs/together.yaml", "--strict")
    assert strict.returncode != 0
    assert "error" in strict.stdout


def test_unknown_config_key_is_named(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.oagen]\noutptu = "x"\n')
    proc = oagen("generate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "outptu" in proc.stderr and "pyproject.toml:2" in proc.stderr


def test_generate_one_off_summary(tmp_path: Path):
    proc = oagen("generate", "specs/portkey.yaml", "--output", str(tmp_path / "pk" / "portkey_client"),
                 "--client-name", "Portkey")
    assert proc.returncode == 0, proc.stderr
    assert "1/1 operations generated" in proc.stdout
    assert (tmp_path / "pk" / "portkey_client" / "_client.py").is_file()
    probe = subprocess.run(
        [sys.executable, "-c", "import portkey_client; print(portkey_client.Portkey.__name__)"],
        cwd=tmp_path / "pk", capture_output=True, text=True, timeout=60,
    )
    assert probe.stdout.strip() == "Portkey", probe.stderr
