"""Fuzzing the generator (issue 8, part 4).

Hypothesis mutates the seed specs (``specs/*.yaml``) and the real specs of
``../shared/corpus`` (skipped, with a message, when that folder is missing): it deletes
or retargets ``$ref``s (dangling, cyclic, remote, outside the folder, not strings),
deletes their targets, changes types, drops required keys, inserts values of the wrong
type, copies and renames subtrees, and truncates or corrupts the text.  Every case must
either generate a package that imports, or stop with a :class:`SpecError` whose findings
are located one-line messages (``file:line: error: ...``, what the command line prints
with exit code 2).  Any other exception (exit code 3 on the command line) fails the test.

* ``test_fuzz_seed_specs``: the whole pipeline in-process (load -> validate -> parse ->
  names -> render -> black -> write -> import), black's output cached in memory.
* ``test_fuzz_command_line``: a few cases through ``python -m generator generate`` into a
  folder that already holds a package: after a failed run it is byte-identical.
* ``test_fuzz_corpus_specs``: the large real specs, mutated as data; load -> parse ->
  names -> render (no validation, no black: they take seconds to minutes there), and
  every rendered module must compile.

The CI run is small and deterministic (``derandomize=True``).  A long run on demand::

    OAGEN_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py

(``OAGEN_FUZZ_EXAMPLES`` sets the seed-spec examples; the command-line and corpus tests
take a tenth of it, at least 4 and 6.)
"""

from __future__ import annotations

import copy
import gc
import hashlib
import importlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cache import MemoryCache
from generator.cli import _one_line
from generator.config import client_for_spec
from generator.core import build_api, generate
from generator.diagnostics import Level, SpecError
from generator.load import load_document, load_document_bytes
from generator.render import ClientInfo, render_package
from generator.write import write_package

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "specs").glob("*.yaml"))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_SPECS = sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []

EXAMPLES = int(os.environ.get("OAGEN_FUZZ_EXAMPLES", "40"))
CLI_EXAMPLES = max(4, EXAMPLES // 10)
CORPUS_EXAMPLES = max(6, EXAMPLES // 10)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# ------------------------------------------------------------------------ mutations

Path_ = tuple[Any, ...]

WRONG_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**30, "", "x", "#/components/schemas", [], [None], [1, "a"], {}, {"a": 1},
    {"$ref": "#"}, {"type": "object"}, "\x00\n\u2028'\"{{ x }}",
]
TYPE_VALUES: list[Any] = [
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "foo", ["string", "null"],
    ["array", "object"], ["null"], [], 5, None, {"type": "string"},
]
REF_VALUES: list[Any] = [
    "#/components/schemas/Missing", "#", "#/", "#anchor", "#/paths", "#/info/title", "#/components",
    "#/components/schemas/%ZZ", "#/components/schemas/a~2b", "#/components/schemas/0", "#/paths/~1x/get",
    "https://example.invalid/x.yaml#/A", "http://127.0.0.1:9/x", "other.yaml#/A", "../outside.yaml#/A",
    "/etc/passwd#/A", "file:///etc/passwd", "", 5, None, ["#/a"], {"$ref": "#"},
]
REQUIRED_KEYS = frozenset({
    "openapi", "info", "title", "version", "paths", "responses", "name", "in", "schema", "type", "items",
    "properties", "required", "content", "description", "components", "schemas", "propertyName", "url",
    "$ref", "operationId", "enum", "securitySchemes", "requestBody", "discriminator", "mapping", "tags",
})
KEYWORDS = sorted(REQUIRED_KEYS | {
    "allOf", "oneOf", "anyOf", "not", "additionalProperties", "nullable", "default", "const", "format",
    "parameters", "servers", "security", "style", "explode", "readOnly", "writeOnly", "deprecated",
    "x-oagen-prop-ptrs", "$recursiveRef", "$dynamicRef", "$anchor", "variables", "headers", "example",
    "examples", "title", "scheme", "flows", "webhooks", "callbacks", "contentMediaType", "contentEncoding",
})
KEY_NAMES = ["", "../x", "/abs", "a/b~c", "%", "#", "Foo", "foo", "FOO", "$ref", "x-oagen-prop-ptrs", "__init__",
             "con", "a" * 300, "get", "post", "200", "default", "application/json", "{id}", "\x00\n"]
MUTATIONS = ["delete", "retarget_ref", "delete_target", "change_type", "type_keyword", "drop_required",
             "wrong_type", "copy", "rename_key"]


def all_paths(doc: Any) -> list[Path_]:
    """Paths of every node below the root (document order), iteratively."""
    out: list[Path_] = []
    stack: list[tuple[Path_, Any]] = [((), doc)]
    while stack:
        path, node = stack.pop()
        if path:
            out.append(path)
        if isinstance(node, dict):
            stack.extend(reversed([(path + (k,), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(path + (i,), v) for i, v in enumerate(node)]))
    return out


def get(doc: Any, path: Path_) -> Any:
    node = doc
    for token in path:
        node = node[token]
    return node


def exists(doc: Any, path: Path_) -> bool:
    node = doc
    for token in path:
        if isinstance(node, dict) and token in node or isinstance(node, list) and isinstance(token, int) \
                and 0 <= token < len(node):
            node = node[token]
        else:
            return False
    return True


def _copy_path(doc: Any, path: Path_) -> tuple[Any, Any]:
    """A copy of ``doc`` whose containers along ``path[:-1]`` are copies (the rest is shared);
    returns (new root, the copied parent of the last token)."""
    root = copy.copy(doc)
    node = root
    for token in path[:-1]:
        child = copy.copy(node[token])
        node[token] = child
        node = child
    return root, node


def set_at(doc: Any, path: Path_, value: Any) -> Any:
    root, parent = _copy_path(doc, path)
    if isinstance(parent, list) and isinstance(path[-1], int) and path[-1] >= len(parent):
        parent.append(value)
    else:
        parent[path[-1]] = value
    return root


def delete_at(doc: Any, path: Path_) -> Any:
    root, parent = _copy_path(doc, path)
    del parent[path[-1]]
    return root


def rename_at(doc: Any, path: Path_, new_key: str) -> Any:
    root, parent = _copy_path(doc, path)
    if isinstance(parent, dict):
        items = [(new_key if k == path[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    return root


def pointer(path: Path_) -> str:
    return "#" + "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in path)


@dataclass(frozen=True)
class Index:
    """The paths of a document, by what a mutation looks for."""

    all: tuple[Path_, ...]
    refs: tuple[Path_, ...]
    required: tuple[Path_, ...]
    dicts: tuple[Path_, ...]
    keys: tuple[Path_, ...]


def index(doc: Any) -> Index:
    paths = all_paths(doc)
    return Index(
        all=tuple(paths),
        refs=tuple(p for p in paths if p[-1] == "$ref"),
        required=tuple(p for p in paths if p[-1] in REQUIRED_KEYS),
        dicts=((),) + tuple(p for p in paths if isinstance(get(doc, p), dict)),
        keys=tuple(p for p in paths if isinstance(p[-1], str)),
    )


def mutate(data: st.DataObject, doc: dict[str, Any], paths: Index | None = None) -> dict[str, Any]:
    """One mutation of ``doc`` (a new document; ``doc`` is not changed).  ``paths`` may be the
    index of an earlier version of the document (a path that is gone makes the mutation a no-op)."""
    paths = paths or index(doc)
    kind = data.draw(st.sampled_from(MUTATIONS), label="mutation")

    def pick(candidates: tuple[Path_, ...], label: str) -> Path_ | None:
        if not candidates:
            return None
        path = candidates[data.draw(st.integers(0, len(candidates) - 1), label=label)]
        return path if exists(doc, path) else None

    if kind in ("retarget_ref", "delete_target"):
        at = pick(paths.refs, "ref")
        if at is None:
            return doc
        if kind == "retarget_ref":
            if data.draw(st.booleans(), label="to an existing node"):
                value: Any = pointer(pick(paths.all, "target") or ())
            else:
                value = data.draw(st.sampled_from(REF_VALUES), label="ref value")
            return set_at(doc, at, value)
        target = get(doc, at)
        tokens = target[2:].split("/") if isinstance(target, str) and target.startswith("#/") else []
        target_path = tuple(t.replace("~1", "/").replace("~0", "~") for t in tokens)
        return delete_at(doc, target_path) if target_path and exists(doc, target_path) else doc
    if kind == "drop_required":
        at = pick(paths.required, "required key")
        return delete_at(doc, at) if at else doc
    if kind in ("type_keyword", "wrong_type"):
        at = pick(paths.dicts, "schema" if kind == "type_keyword" else "node")
        if at is None or not isinstance(get(doc, at), dict):
            return doc
        if kind == "type_keyword":
            return set_at(doc, at + ("type",), data.draw(st.sampled_from(TYPE_VALUES), label="type"))
        key = data.draw(st.sampled_from(KEYWORDS), label="keyword")
        return set_at(doc, at + (key,), data.draw(st.sampled_from(WRONG_VALUES), label="value"))
    if kind == "copy":
        source, target = pick(paths.all, "source"), pick(paths.all, "destination")
        return set_at(doc, target, get(doc, source)) if source and target else doc
    if kind == "rename_key":
        at = pick(paths.keys, "key")
        if at is None:
            return doc
        return rename_at(doc, at, data.draw(st.sampled_from(KEY_NAMES + [str(at[-1]).swapcase()]), label="name"))
    at = pick(paths.all, "path")
    if at is None:
        return doc
    if kind == "change_type":
        return set_at(doc, at, data.draw(st.sampled_from(WRONG_VALUES), label="value"))
    return delete_at(doc, at)  # "delete"


def serialise(data: st.DataObject, doc: dict[str, Any]) -> tuple[bytes, str]:
    """The document as YAML or JSON text, sometimes truncated or corrupted; and the suffix."""
    suffix = data.draw(st.sampled_from([".yaml", ".json"]), label="format")
    if suffix == ".json":
        raw = json.dumps(doc, indent=data.draw(st.sampled_from([None, 2]), label="indent")).encode()
    else:
        raw = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120).encode()
    text_mutation = data.draw(st.sampled_from(["none", "none", "none", "truncate", "bytes"]), label="text")
    if text_mutation == "truncate":
        raw = raw[: data.draw(st.integers(0, max(0, len(raw) - 1)), label="cut at")]
    elif text_mutation == "bytes":
        at = data.draw(st.integers(0, len(raw)), label="insert at")
        junk = data.draw(st.sampled_from([b"\xff\xfe", b"\x00", b"\t:", b"{", b"]", b"&a *a", b"!!binary x",
                                          b"\n  - : :\n", b"\"", b"'"]), label="junk")
        raw = raw[:at] + junk + raw[at:]
    return raw, suffix


@lru_cache(maxsize=None)
def _seed_doc(path: Path) -> dict[str, Any]:
    return load_document(path).root


# ------------------------------------------------------------------------- checking

_counter = itertools.count()


def assert_located(err: SpecError) -> None:
    """What the command line prints for exit code 2: located one-line findings."""
    assert err.diagnostics, "SpecError without findings"
    assert any(d.level == Level.ERROR for d in err.diagnostics), err
    for d in err.diagnostics:
        line = _one_line(d.format())
        assert "\n" not in line and "\r" not in line, line
        assert d.location.file, line
        if d.level == Level.ERROR:
            assert d.location.line is not None, f"finding without a line: {line}"
            assert line.startswith(f"{d.location.file}:{d.location.line}: error: "), line
        assert "oagen bug" not in d.message, line


def import_and_forget(out: Path, name: str) -> None:
    """Import the package (``out/name``) in this process, then drop it from ``sys.modules``."""
    sys.path.insert(0, str(out))
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(name)
        importlib.import_module(f"{name}.models")
        for attr in module.__all__[:2]:
            assert isinstance(getattr(module, attr), type)
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]


def run_in_process(raw: bytes, suffix: str, work: Path, cache: MemoryCache) -> str:
    """The whole pipeline; "generated" or "spec error"; anything else raises."""
    n = next(_counter)
    name = f"fuzz_pkg_{n}"
    spec_file = work / f"spec_{n}{suffix}"
    spec_file.write_bytes(raw)
    out = work / f"out_{n}"
    try:
        try:
            doc = load_document_bytes(raw, str(spec_file))
            result = generate(doc, client_for_spec(spec_file, out / name), cache=cache)
            write_package(out / name, result.files)
        except SpecError as err:
            assert_located(err)
            assert not out.exists(), "a failed run wrote files"
            return "spec error"
        import_and_forget(out, name)
        return "generated"
    finally:
        spec_file.unlink()
        shutil.rmtree(out, ignore_errors=True)
        if n % 50 == 49:
            gc.collect()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def black_cache() -> MemoryCache:
    return MemoryCache()


OUTCOMES: dict[str, dict[str, int]] = {}


def _count(test: str, outcome: str) -> None:
    OUTCOMES.setdefault(test, {}).setdefault(outcome, 0)
    OUTCOMES[test][outcome] += 1


@pytest.fixture(scope="module", autouse=True)
def report_outcomes(request: pytest.FixtureRequest) -> Any:
    yield
    capmanager = request.config.pluginmanager.getplugin("capturemanager")
    with capmanager.global_and_fixture_disabled() if capmanager else _nullcontext():
        for test, counts in OUTCOMES.items():
            total = sum(counts.values())
            print(f"\n{test}: {total} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# ---------------------------------------------------------------------------- tests


@_settings(EXAMPLES)
@given(data=st.data())
def test_fuzz_seed_specs(data: st.DataObject, work: Path, black_cache: MemoryCache) -> None:
    seed = data.draw(st.sampled_from(SEEDS), label="seed")
    doc = _seed_doc(seed)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        doc = mutate(data, doc)
    raw, suffix = serialise(data, doc)
    _count("test_fuzz_seed_specs", run_in_process(raw, suffix, work, black_cache))


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@_settings(CLI_EXAMPLES)
@given(data=st.data())
def test_fuzz_command_line(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS), label="seed")
    doc = _seed_doc(seed)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        doc = mutate(data, doc)
    raw, suffix = serialise(data, doc)
    with tempfile.TemporaryDirectory(prefix="oagen-fuzz-") as tmp:
        root = Path(tmp)
        (root / f"spec{suffix}").write_bytes(raw)
        package = root / "out" / "pkg"
        shutil.copytree(REPO / "generated" / "dataherald", package,
                        ignore=shutil.ignore_patterns("__pycache__"))
        before = tree_digest(root / "out")
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", f"spec{suffix}", "--output", "out/pkg", "--no-cache"],
            cwd=root, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert proc.returncode in (0, 2), f"exit code {proc.returncode}: {proc.stderr}"
        assert "Traceback" not in proc.stderr
        if proc.returncode == 2:
            lines = [line for line in proc.stderr.splitlines() if line.strip()]
            assert lines and all(line.startswith(f"spec{suffix}:") for line in lines), proc.stderr
            assert any(": error: " in line for line in lines), proc.stderr
            assert tree_digest(root / "out") == before, "a failed run changed the output folder"
            _count("test_fuzz_command_line", "exit 2")
        else:
            name = f"fuzz_cli_{next(_counter)}"
            os.rename(package, root / "out" / name)
            shutil.rmtree(root / "out" / name / "__pycache__", ignore_errors=True)
            # the package imports as "pkg": rename its folder only, relative imports do the rest
            import_and_forget(root / "out", name)
            _count("test_fuzz_command_line", "exit 0")


@lru_cache(maxsize=None)
def _corpus(path: Path) -> tuple[dict[str, Any], Index]:
    doc = load_document(path).root
    return doc, index(doc)


@_settings(CORPUS_EXAMPLES)
@given(data=st.data())
def test_fuzz_corpus_specs(data: st.DataObject) -> None:
    if not CORPUS_SPECS:
        pytest.skip(f"the corpus of real specs is missing ({CORPUS}): corpus fuzzing skipped; "
                    "clone the project next to its shared/ folder to run it")
    seed = data.draw(st.sampled_from(CORPUS_SPECS), label="corpus spec")
    doc, paths = _corpus(seed)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        doc = mutate(data, doc, paths)
    raw = json.dumps(doc).encode()
    if data.draw(st.sampled_from([False, False, False, True]), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="cut at")]
    name = f"corpus-{seed.stem}.json"
    try:
        loaded = load_document_bytes(raw, name)
        client = client_for_spec(Path(name), Path("corpus_pkg"))
        api, _ = build_api(loaded, client, validate=False)
        files = render_package(api, ClientInfo("corpus_pkg", client.client_class, client.env_prefix,
                                               api.version or "0", name, "0" * 64, "0"))
    except SpecError as err:
        assert_located(err)
        _count("test_fuzz_corpus_specs", "spec error")
        return
    for rel, text in files.items():
        if rel.endswith(".py"):
            compile(text, rel, "exec")
    _count("test_fuzz_corpus_specs", "rendered")
