"""generated/ is the golden record: regenerating every configured client in
memory must give exactly the committed files (same list, same text)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.config import load_config
from generator.core import generate
from generator.load import load_document
from generator.write import read_tree

REPO = Path(__file__).resolve().parents[1]
CONFIG = load_config(REPO / "pyproject.toml")


def _relative(client):
    from dataclasses import replace

    return replace(client, spec=client.spec.relative_to(REPO))


@pytest.mark.parametrize("client", CONFIG.clients, ids=lambda c: c.name)
def test_generated_tree_is_fresh(client, monkeypatch):
    monkeypatch.chdir(REPO)
    client = _relative(client)
    result = generate(load_document(client.spec), client, line_length=CONFIG.line_length)
    on_disk = read_tree(client.output)
    assert on_disk is not None, f"{client.output} is missing: run `oagen generate`"
    assert sorted(on_disk) == sorted(result.files), "file lists differ"
    diffs = []
    for rel in sorted(result.files):
        if on_disk[rel] != result.files[rel]:
            diffs.extend(
                difflib.unified_diff(
                    on_disk[rel].splitlines(keepends=True),
                    result.files[rel].splitlines(keepends=True),
                    f"committed/{rel}",
                    f"regenerated/{rel}",
                )
            )
    assert not diffs, "generated/ is stale; run `oagen generate`:\n" + "".join(diffs[:200])


def test_every_configured_client_is_committed():
    for client in CONFIG.clients:
        assert (client.output / "__init__.py").is_file(), client.name
        assert (client.output / "py.typed").is_file(), client.name
