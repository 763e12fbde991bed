"""User templates: one small file overrides one aspect of every generated module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

GOOGLE_STYLE = '''{% macro method_docstring(m) %}
        """{{ m.doc.split("\\n")[0] | docstring("        ") }}

        Calls {{ m.http_method | comment }} on the API (custom docstring template).
        """
{%- endmacro %}
'''


def test_overriding_the_method_docstring_changes_every_method_and_nothing_else(tmp_path: Path) -> None:
    custom = tmp_path / "my_templates"
    custom.mkdir()
    (custom / "method_docstring.jinja").write_text(GOOGLE_STYLE)
    out = tmp_path / "out"
    for templates, package in ((None, "plain"), (custom, "custom")):
        args = [sys.executable, "-m", "generator", "generate", "specs/together.yaml", "--output",
                str(out / package), "--client-name", "Together", "--no-cache", "-q"]
        if templates is not None:
            args += ["--templates", str(templates)]
        proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=120,
                              env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        assert proc.returncode == 0, proc.stderr
    plain = (out / "plain" / "resources" / "fine_tuning.py").read_text()
    custom_text = (out / "custom" / "resources" / "fine_tuning.py").read_text()
    tree = ast.parse(custom_text)
    docs = [ast.get_docstring(node) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "cancel"]
    assert len(docs) == 2 and all("custom docstring template" in (d or "") for d in docs)
    assert "custom docstring template" not in plain
    # the other templates are untouched
    plain_models = {p.name: p.read_text() for p in (out / "plain" / "models").glob("*.py")}
    assert plain_models and plain_models == {p.name: p.read_text() for p in (out / "custom" / "models").glob("*.py")}
    assert (out / "plain" / "_client.py").read_text() == (out / "custom" / "_client.py").read_text()
