"""Regeneration: ``check`` statuses, incremental writes (mtimes), determinism, the cache, progress.

A tiny "shop" spec (four operations in two tags, a model, an enum) is generated into a
temporary project next to a copy of the Dataherald seed; the tests edit the shop spec
the way vendors do (an enum value added, an operation removed, a required parameter
added) and look at what ``check`` says and what ``generate`` rewrites.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__, cli
from generator.cache import FileCache, MemoryCache
from generator.config import client_for_spec
from generator.core import generate
from generator.load import load_document
from generator.progress import Progress

REPO = Path(__file__).resolve().parents[1]

SHOP = """\
openapi: 3.1.0
info: {title: Shop API, version: 1.0.0}
servers: [{url: "https://shop.example.com/v1"}]
paths:
  /orders:
    get:
      tags: [Orders]
      operationId: listOrders
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
    post:
      tags: [Orders]
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [item_id]
              properties:
                item_id: {type: string}
                note: {type: string}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /orders/{order_id}:
    get:
      tags: [Orders]
      operationId: getOrder
      parameters:
        - {name: order_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /items/{item_id}:
    delete:
      tags: [Items]
      operationId: deleteItem
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: deleted}
components:
  schemas:
    Order:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {$ref: "#/components/schemas/OrderStatus"}
        note: {type: string}
    OrderStatus:
      type: string
      enum: [pending, shipped]
"""

PYPROJECT = """\
[tool.oagen]
{extra}
[[tool.oagen.clients]]
name = "shop"
spec = "specs/shop.yaml"

[[tool.oagen.clients]]
name = "dataherald"
spec = "specs/dataherald.yaml"
client_class = "Dataherald"
"""


def add_enum_value(text: str) -> str:
    return text.replace("enum: [pending, shipped]", "enum: [pending, shipped, cancelled]")


def remove_operation(text: str) -> str:
    """Remove DELETE /items/{item_id}: the only operation of the Items tag."""
    start, end = text.index("  /items/{item_id}:"), text.index("components:")
    return text[:start] + text[end:]


def add_required_parameter(text: str) -> str:
    limit = "        - {name: limit, in: query, schema: {type: integer}}\n"
    return text.replace(limit, limit + "        - {name: customer, in: query, required: true, schema: {type: string}}\n")


def edit_all(text: str) -> str:
    return add_required_parameter(remove_operation(add_enum_value(text)))


def make_project(root: Path, extra: str = "") -> Path:
    (root / "specs").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(extra=extra))
    (root / "specs" / "shop.yaml").write_text(SHOP)
    shutil.copy(REPO / "specs" / "dataherald.yaml", root / "specs" / "dataherald.yaml")
    return root


def run(project: Path, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> tuple[int, str, str]:
    """``oagen ARGS`` in-process, in ``project``; (exit code, stdout, stderr)."""
    monkeypatch.chdir(project)
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every file under ``root``."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def age(root: Path, when: int = 1_000_000_000) -> None:
    """Date every file back, so that a rewrite cannot go unnoticed within the clock's resolution."""
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, (when, when))


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project with the shop and Dataherald clients, generated (cache in the project)."""
    root = make_project(tmp_path / "project")
    code, _, err = run(root, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    return root


# ---------------------------------------------------------------------------- check


def test_check_after_spec_edits_is_stale_with_the_exact_files(project: Path, monkeypatch, capsys):
    before = sorted(p.relative_to(project).as_posix() for p in (project / "generated" / "shop").rglob("*")
                    if p.is_file())
    spec = project / "specs" / "shop.yaml"
    spec.write_text(edit_all(SHOP))
    code, out, err = run(project, "check", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1, err
    data = json.loads(out)
    assert data["fresh"] is False
    shop, dataherald = data["clients"]
    assert dataherald == {"name": "dataherald", "output": "generated/dataherald", "status": "fresh", "files": []}
    assert shop["name"] == "shop" and shop["output"] == "generated/shop"
    assert shop["status"] == "stale"
    old_sha = hashlib.sha256(SHOP.encode()).hexdigest()[:12]
    new_sha = hashlib.sha256(spec.read_bytes()).hexdigest()[:12]
    reason = f"generated from another shop.yaml (sha256 {old_sha}..., now {new_sha}...)"
    # every file names the spec's sha256 in its header, so every file but py.typed is
    # stale; the Items resource is gone with its only operation
    expected = [
        {"path": path, "change": "modified", "reason": reason}
        for path in before
        if not path.endswith(("py.typed", "resources/items.py"))
    ] + [{"path": "generated/shop/resources/items.py", "change": "extra",
          "reason": reason + "; oagen generate would remove it"}]
    assert shop["files"] == sorted(expected, key=lambda f: f["path"])

    code, out, _ = run(project, "check", "shop", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert "shop: stale: generated/shop was generated from another version of specs/shop.yaml" in out
    assert "+        customer: str," in out  # the unified diff of the generated files is there too

    # regenerating makes it fresh again
    assert run(project, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    code, out, _ = run(project, "check", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and json.loads(out)["fresh"] is True


def test_check_reports_hand_edits(project: Path, monkeypatch, capsys):
    pkg = project / "generated" / "shop"
    models = pkg / "models" / "__init__.py"
    models.write_text(models.read_text() + "\nHAND = 1\n")
    client = pkg / "_client.py"
    client.write_text(client.read_text().split("\n", 2)[2])  # header removed
    (pkg / "notes.py").write_text("x = 1\n")
    (pkg / "py.typed").unlink()
    code, out, _ = run(project, "check", "shop", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    (shop,) = json.loads(out)["clients"]
    assert shop["status"] == "hand-edited"
    assert [(f["path"], f["change"]) for f in shop["files"]] == [
        ("generated/shop/_client.py", "modified"),
        ("generated/shop/models/__init__.py", "modified"),
        ("generated/shop/notes.py", "extra"),
        ("generated/shop/py.typed", "missing"),
    ]
    reasons = {f["path"].rsplit("/", 1)[1]: f["reason"] for f in shop["files"]}
    assert reasons["__init__.py"].startswith("edited by hand: its header names the current spec and oagen version")
    assert reasons["_client.py"] == "edited by hand: its oagen header is gone"
    assert reasons["notes.py"] == "not written by oagen generate (added by hand)"
    assert reasons["py.typed"] == "oagen generate would write it"

    code, out, _ = run(project, "check", "shop", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert "shop: hand-edited: generated/shop differs from what oagen generate writes" in out
    assert "-HAND = 1" in out  # the unified diff is still there


def test_check_header_of_another_oagen_is_stale(project: Path, monkeypatch, capsys):
    init = project / "generated" / "shop" / "__init__.py"
    init.write_text(init.read_text().replace(f"oagen {__version__} from", "oagen 0.0.1 from", 1))
    code, out, _ = run(project, "check", "shop", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert "shop: stale: generated/shop was generated by another version of oagen" in out
    assert f"generated by oagen 0.0.1, this is oagen {__version__}" in out


def test_check_missing_package_and_bad_input(project: Path, monkeypatch, capsys):
    shutil.rmtree(project / "generated" / "shop")
    code, out, _ = run(project, "check", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    statuses = {c["name"]: c["status"] for c in json.loads(out)["clients"]}
    assert statuses == {"shop": "missing", "dataherald": "fresh"}
    (project / "specs" / "shop.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    code, out, err = run(project, "check", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith("specs/shop.yaml:")


# ------------------------------------------------------------------ incremental writes


def test_nothing_changed_touches_nothing(project: Path, monkeypatch, capsys):
    generated = project / "generated"
    age(generated)
    before = snapshot(generated)
    folders = {p.name: p.stat().st_ino for p in generated.iterdir()}
    code, out, _ = run(project, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert "-> generated/shop (unchanged)" in out and "-> generated/dataherald (unchanged)" in out
    assert snapshot(generated) == before
    assert {p.name: p.stat().st_ino for p in generated.iterdir()} == folders  # no swap, no leftovers


def test_untouched_files_keep_their_mtime_when_one_spec_changes(project: Path, monkeypatch, capsys):
    generated = project / "generated"
    age(generated)
    before = snapshot(generated)
    (project / "specs" / "shop.yaml").write_text(add_enum_value(SHOP))
    code, out, _ = run(project, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    after = snapshot(generated)
    # the other client: not a byte, not an inode, not an mtime changed
    assert {k: v for k, v in after.items() if k.startswith("dataherald/")} == \
        {k: v for k, v in before.items() if k.startswith("dataherald/")}
    assert "-> generated/dataherald (unchanged)" in out
    # the edited client: every file naming the spec's sha256 is rewritten; py.typed is the same file
    assert after["shop/py.typed"] == before["shop/py.typed"]
    rewritten = {k for k in after if k.startswith("shop/") and after[k][1] != before[k][1]}
    assert rewritten == {k for k in before if k.startswith("shop/")} - {"shop/py.typed"}
    assert "-> generated/shop (20 written, 1 unchanged)" in out
    assert any("CANCELLED" in p.read_text() for p in (generated / "shop" / "models").glob("_*.py"))


def test_write_package_links_unchanged_files_and_falls_back_to_copies(tmp_path: Path, monkeypatch):
    from generator import write

    out = tmp_path / "pkg"
    files = {"a.py": "a = 1\n", "sub/b.py": "b = 1\n", "c.py": "c = 1\n"}
    assert write.write_package(out, files).written == ("a.py", "c.py", "sub/b.py")
    age(out)
    before = snapshot(out)
    report = write.write_package(out, files)
    assert (report.swapped, report.summary()) == (False, "unchanged")
    assert snapshot(out) == before

    report = write.write_package(out, {**files, "a.py": "a = 2\n"})
    assert (report.written, report.kept, report.removed) == (("a.py",), ("c.py", "sub/b.py"), ())
    after = snapshot(out)
    assert after["c.py"] == before["c.py"] and after["sub/b.py"] == before["sub/b.py"]  # same inode, same mtime
    assert after["a.py"][1] != before["a.py"][1]

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(write.os, "link", no_links)
    age(out)
    before = snapshot(out)
    report = write.write_package(out, {"c.py": "c = 1\n", "sub/b.py": "b = 1\n"})
    assert report.removed == ("a.py",) and report.summary() == "0 written, 2 unchanged, 1 removed"
    after = snapshot(out)
    assert set(after) == {"c.py", "sub/b.py"}
    assert after["c.py"][1] == before["c.py"][1]  # copied with its mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_regeneration_is_byte_identical_across_hash_seeds(tmp_path: Path):
    trees = []
    for seed in ("0", "4242"):
        root = make_project(tmp_path / f"seed{seed}")
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "-q", "--no-cache"],
            cwd=root, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "" and proc.stderr == ""  # --quiet: nothing on success
        assert not (root / ".oagen-cache").exists()  # --no-cache: not even created
        trees.append(tree_bytes(root / "generated"))
    assert trees[0] == trees[1]
    assert len(trees[0]) > 20


# ---------------------------------------------------------------------------- cache


def _generate_shop(spec: Path, cache=None):
    doc = load_document(spec)
    client = client_for_spec(spec, Path("shop"), "Shop")
    return generate(doc, client, cache=cache)


def test_cache_never_changes_output(tmp_path: Path):
    spec = tmp_path / "shop.yaml"
    spec.write_text(SHOP)
    plain = _generate_shop(spec).files
    cache = MemoryCache()
    cold = _generate_shop(spec, cache).files
    hits_before = cache.hits
    warm = _generate_shop(spec, cache).files
    assert plain == cold == warm
    assert cache.hits > hits_before  # the second run was served from the cache
    # the real Together spec, through the file-backed cache
    together = REPO / "specs" / "together.yaml"
    client = client_for_spec(together, Path("together"), "Together")
    file_cache = FileCache(tmp_path / "cache")
    outputs = [generate(load_document(together), client, cache=c).files for c in (None, file_cache, file_cache)]
    assert outputs[0] == outputs[1] == outputs[2]
    assert file_cache.hits >= 3


def test_one_operation_change_reformats_only_its_file(tmp_path: Path):
    spec = tmp_path / "shop.yaml"
    spec.write_text(SHOP)
    cache = MemoryCache()
    first = _generate_shop(spec, cache).files
    spec.write_text(add_required_parameter(SHOP))
    misses = cache.misses
    second = _generate_shop(spec, cache).files
    # one miss for the validation of the new spec, one for black on resources/orders.py
    assert cache.misses - misses == 2
    def body(text: str) -> str:  # without the two header lines, which name the spec's sha256
        return text.split("\n", 2)[2] if text.startswith("# Generated by oagen") else text

    # the code of resources/orders.py, and the package's reference page that documents it
    assert {k for k in first if body(first[k]) != body(second[k])} == {"resources/orders.py", "README.md"}
    assert second == _generate_shop(spec).files  # and the same output as without a cache


def test_corrupt_cache_is_ignored_and_rewritten(project: Path, monkeypatch, capsys):
    cache_dir = project / ".oagen-cache"
    entries = [p for p in cache_dir.rglob("*") if p.is_file() and p.name != "CACHEDIR.TAG"]
    assert {p.relative_to(cache_dir).parts[0] for p in entries} == {"black", "validate", "run", "blob"}
    expected = tree_bytes(project / "generated")
    shutil.rmtree(project / "generated")
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        if i % 3 == 0:
            entry.write_bytes(b"\x00garbage\xff")
        elif i % 3 == 1:
            entry.write_bytes(data[: len(data) // 2])  # truncated
        else:
            entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit flipped
    code, _, err = run(project, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert tree_bytes(project / "generated") == expected
    cache = FileCache(cache_dir)
    for entry in entries:  # each entry was rewritten, valid again
        namespace, _, key = entry.relative_to(cache_dir).parts
        assert cache.get(namespace, key) is not None, entry
    assert not [p for p in cache_dir.rglob("*.tmp")]  # no temporary files left behind


def test_cache_dir_from_config_and_options(tmp_path: Path, monkeypatch, capsys):
    root = make_project(tmp_path / "p", extra='cache_dir = "build/oagen-cache"')
    assert run(root, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    assert (root / "build" / "oagen-cache" / "CACHEDIR.TAG").is_file()
    assert not (root / ".oagen-cache").exists()
    other = tmp_path / "elsewhere"
    assert run(root, "check", "--cache-dir", str(other), monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    assert (other / "validate").is_dir()


# ------------------------------------------------------------------ the whole-run cache


def _no_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make loading and generating fail: what runs after this must be served by the run cache."""
    from generator import core, load

    def boom(*args, **kwargs):
        raise AssertionError("the pipeline ran")

    monkeypatch.setattr(core, "generate", boom)
    monkeypatch.setattr(load, "load_document_bytes", boom)
    monkeypatch.setattr(load, "load_document", boom)


def test_run_cache_hit_loads_nothing_and_writes_nothing(project: Path, monkeypatch, capsys):
    spec = project / "specs" / "shop.yaml"  # a validation finding, so that there are diagnostics to cache
    spec.write_text(SHOP.replace("        note: {type: string}\n    OrderStatus",
                                 "        note: {type: string, default: 5}\n    OrderStatus"))
    assert run(project, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    generated = project / "generated"
    age(generated)
    before = snapshot(generated)
    code, computed, computed_err = run(project, "generate", "--no-cache", "--verbose", monkeypatch=monkeypatch,
                                       capsys=capsys)
    assert code == 0 and ": warning: " in computed_err
    _no_pipeline(monkeypatch)
    code, out, err = run(project, "generate", "--profile", "--verbose", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert "-> generated/shop (unchanged)" in out and "-> generated/dataherald (unchanged)" in out
    assert out.count("  profile: cached ") == 2 and "load " not in out and "format " not in out
    assert snapshot(generated) == before
    # the cached summary and diagnostics are what the computed run printed
    assert [line for line in out.splitlines() if "profile:" not in line] == computed.splitlines()
    assert [line for line in err.splitlines() if " done in " not in line] == \
        [line for line in computed_err.splitlines() if " done in " not in line]
    code, out, _ = run(project, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (0, "shop: up to date\ndataherald: up to date\n")


def test_run_cache_restores_hand_edits_without_rendering(project: Path, monkeypatch, capsys):
    pkg = project / "generated" / "shop"
    expected = tree_bytes(pkg)
    age(project / "generated")
    before = snapshot(project / "generated")
    (pkg / "_version.py").write_text((pkg / "_version.py").read_text() + "\nHAND = 1\n")
    (pkg / "py.typed").unlink()
    (pkg / "notes.py").write_text("x = 1\n")
    code, uncached, _ = run(project, "check", "--no-cache", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    code, cached, _ = run(project, "check", "--format", "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and cached == uncached  # the same report, from the cache's texts
    _no_pipeline(monkeypatch)
    code, text, _ = run(project, "check", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and "-HAND = 1" in text
    code, out, err = run(project, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert f"-> generated/shop (2 written, {len(expected) - 2} unchanged, 1 removed)" in out
    assert tree_bytes(pkg) == expected
    after = snapshot(project / "generated")
    assert {k for k in after if after[k] != before.get(k)} == {"shop/_version.py", "shop/py.typed"}


def _with_ref_file(root: Path) -> None:
    """The shop spec with OrderStatus in a file of its own, pulled in by a relative $ref."""
    spec = root / "specs" / "shop.yaml"
    spec.write_text(SHOP.replace('status: {$ref: "#/components/schemas/OrderStatus"}',
                                 'status: {$ref: "./status.yaml"}'))
    (root / "specs" / "status.yaml").write_text("type: string\nenum: [pending, shipped]\n")


EDITS = {
    "spec": lambda root: (root / "specs" / "shop.yaml").write_text(
        (root / "specs" / "shop.yaml").read_text().replace("operationId: getOrder",
                                                          "operationId: getOrder\n      summary: One order.")),
    "ref file": lambda root: (root / "specs" / "status.yaml").write_text(
        "type: string\nenum: [pending, shipped, lost]\n"),
    "config": lambda root: (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text().replace('spec = "specs/shop.yaml"',
                                                      'spec = "specs/shop.yaml"\nenv_prefix = "SHOPPING"')),
    "client templates": lambda root: (root / "tpl" / "version.py.jinja").write_text(
        "{{ header }}\n\n__version__ = {{ client.version | pystr }}\nBUILD = 2\n"),
    # (the client's folder comes first, so --templates shows only where it has files of its own)
    "--templates": lambda root: (root / "cli-tpl" / "runtime" / "_extra.py").write_text("FLAVOUR = 2\n"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_any_input_change_misses_the_run_cache(what: str, tmp_path: Path, monkeypatch, capsys):
    root = make_project(tmp_path / "p")
    _with_ref_file(root)
    (root / "tpl").mkdir()
    (root / "tpl" / "version.py.jinja").write_text("{{ header }}\n\n__version__ = {{ client.version | pystr }}\n")
    (root / "cli-tpl" / "runtime").mkdir(parents=True)
    (root / "cli-tpl" / "runtime" / "_extra.py").write_text("FLAVOUR = 1\n")
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace(
        'spec = "specs/shop.yaml"', 'spec = "specs/shop.yaml"\ntemplates = "tpl"'))
    args = ("generate", "-q", "--client", "shop", "--templates", "cli-tpl")
    assert run(root, *args, monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    before = tree_bytes(root / "generated" / "shop")
    EDITS[what](root)
    code, _, err = run(root, *args, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert tree_bytes(root / "generated" / "shop") != before
    # what the cached run wrote is what the whole pipeline gives in a fresh copy of the project
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("generated", ".oagen-cache"))
    assert run(fresh, *args, "--no-cache", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    assert tree_bytes(fresh / "generated" / "shop") == tree_bytes(root / "generated" / "shop")
    # and a run with nothing changed after that is a hit again
    age(root / "generated")
    before_hit = snapshot(root / "generated")
    code, out, _ = run(root, *args[:1], "--client", "shop", "--templates", "cli-tpl", "--profile",
                       monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "profile: cached " in out and "(unchanged)" in out
    assert snapshot(root / "generated") == before_hit


def test_removed_ref_file_is_an_error_not_a_hit(tmp_path: Path, monkeypatch, capsys):
    root = make_project(tmp_path / "p")
    _with_ref_file(root)
    assert run(root, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)[0] == 0
    (root / "specs" / "status.yaml").unlink()
    code, out, err = run(root, "generate", "-q", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith("specs/shop.yaml:") and "status.yaml" in err and "file not found" in err


def test_damaged_run_entries_and_missing_blobs_are_misses(project: Path, monkeypatch, capsys):
    from generator import runcache

    cache_dir = project / ".oagen-cache"
    expected = tree_bytes(project / "generated")
    cache = FileCache(cache_dir)
    runs = sorted((cache_dir / "run").rglob("*"))
    runs = [p for p in runs if p.is_file()]
    assert len(runs) == 2  # one per client
    good = [cache.get("run", p.name) for p in runs]
    for bad in ("not json", "[]", json.dumps({"format": runcache.FORMAT}),
                json.dumps({**json.loads(good[0]), "files": {"models.py": "0" * 63}}),
                json.dumps({**json.loads(good[0]), "diagnostics": "[[1, 2]]"})):
        for p in runs:  # well-formed cache files (the checksum matches) holding a bad entry
            cache.put("run", p.name, bad)
        shutil.rmtree(project / "generated")
        code, out, err = run(project, "generate", "--profile", monkeypatch=monkeypatch, capsys=capsys)
        assert code == 0, err
        assert "profile: cached" not in out and "profile: load " in out
        assert tree_bytes(project / "generated") == expected
    # the entries are good again; without the blobs a hit cannot restore a removed package
    shutil.rmtree(cache_dir / "blob")
    shutil.rmtree(project / "generated" / "shop")
    code, out, err = run(project, "generate", "--profile", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    assert tree_bytes(project / "generated") == expected
    assert "profile: load " in out.split("dataherald:")[0]  # shop: computed again
    assert "profile: cached " in out.split("dataherald:")[1]  # dataherald: untouched, still a hit


def test_run_key_covers_every_input(tmp_path: Path, monkeypatch):
    from dataclasses import replace

    from generator import runcache

    spec = tmp_path / "shop.yaml"
    spec.write_text(SHOP)
    client = client_for_spec(spec, tmp_path / "shop", "Shop")
    monkeypatch.chdir(tmp_path)
    base = dict(strict=False, line_length=100, template_dirs=(), allow_remote_refs=False)

    def key(c=client, data=SHOP.encode(), **kw):
        return runcache.run_key(c, data, **{**base, **kw})

    first = key()
    assert key() == first  # deterministic
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    variants = [
        key(data=SHOP.encode() + b"\n"),
        key(strict=True),
        key(line_length=88),
        key(allow_remote_refs=True),
        key(template_dirs=(str(tpl),)),
        key(c=replace(client, client_class="Store")),
        key(c=replace(client, version="2.0.0")),
        key(c=replace(client, output=tmp_path / "elsewhere" / "shop")),
        key(c=replace(client, spec=Path("shop.yaml"))),
    ]
    with_tpl = key(template_dirs=(str(tpl),))
    (tpl / "version.py.jinja").write_text("x")
    variants.append(key(template_dirs=(str(tpl),)))
    assert with_tpl == variants[4]
    (tpl / "version.py.jinja").write_text("y")
    variants.append(key(template_dirs=(str(tpl),)))
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    variants.append(key())
    monkeypatch.chdir(tmp_path)
    # an installed package's version (a *.dist-info folder on sys.path) is part of the key
    site = tmp_path / "site"
    (site / "black-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    runcache.environment_fingerprint.cache_clear()
    try:
        variants.append(key())
    finally:
        monkeypatch.undo()
        runcache.environment_fingerprint.cache_clear()
    assert len({first, *variants}) == len(variants) + 1


# ------------------------------------------------------------------------- progress


def test_progress_on_a_terminal_redraws_one_line_per_client():
    stream = io.StringIO()
    with Progress(["shop", "dataherald"], stream=stream, tty=True, interval=60) as progress:
        stage = progress.start("shop")
        stage("validate")
        stage("format")
        progress.done("shop", {"load": 0.01, "validate": 0.5, "format": 0.25})
        progress.start("dataherald")("parse")
        progress.done("dataherald", {"load": 0.01})
    text = stream.getvalue()
    assert "\r[1/2] shop        validate... " in text and "\r[1/2] shop        format... " in text
    final = [line.split("\r")[-1].rstrip() for line in text.split("\n") if line.strip()]
    assert final == [
        "[1/2] shop        done in 0.76s (load 0.01s, validate 0.50s, format 0.25s)",
        "[2/2] dataherald  done in 0.01s (load 0.01s)",
    ]


def test_progress_off_a_terminal_prints_plain_lines(project: Path, monkeypatch, capsys):
    code, out, err = run(project, "generate", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert "\r" not in err
    lines = err.splitlines()
    assert [line.split(" done in ")[0] for line in lines] == ["[1/2] shop       ", "[2/2] dataherald "]
    # nothing changed since the fixture's run: both are served by the whole-run cache
    assert all("s (cached " in line and line.endswith("; cached: no input changed") for line in lines), lines
    code, out, err = run(project, "generate", "--no-cache", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    lines = err.splitlines()
    assert [line.split(" done in ")[0] for line in lines] == ["[1/2] shop       ", "[2/2] dataherald "]
    assert all("(load " in line and "format " in line and "cached" not in line for line in lines), lines
    assert out.splitlines()[0].startswith("shop: 4/4 operations generated")
    code, out, err = run(project, "generate", "--quiet", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out, err) == (0, "", "")
    spec = project / "specs" / "shop.yaml"
    spec.write_text(SHOP.replace("        note: {type: string}\n    OrderStatus", "        note: {type: string, default: 5}\n"
                                 "    OrderStatus"))
    code, out, err = run(project, "generate", "--client", "shop", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and ": warning: " not in err
    count = int(out.split(" warnings")[0].rsplit(" ", 1)[1])
    assert count >= 1
    code, out, err = run(project, "generate", "--verbose", "--client", "shop", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == count
    assert any(w.startswith("specs/shop.yaml:") and "(at #/components/schemas/Order/properties/note/default)" in w
               for w in warnings), warnings


def test_pre_commit_hook():
    import re

    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {k: hook[k] for k in ("id", "entry", "language", "pass_filenames")} == {
        "id": "oagen-check", "entry": "oagen check", "language": "python", "pass_filenames": False,
    }
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("specs/together.yaml", "generated/together/models.py", "pyproject.toml"))
    assert not any(files.search(p) for p in ("README.md", "tests/test_cli.py", "sub/pyproject.toml.bak"))
