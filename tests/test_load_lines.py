"""Line numbers of YAML nodes: generator/load.py's index (recorded while loading, queried per
pointer) gives the answers the former second pass gave (a map of every node's pointer to
its line, built from the events again), for every pointer of every document below."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
import yaml
from yaml import events as _ev

from generator.diagnostics import pointer_join
from generator.load import (
    MAX_DEPTH,
    Document,
    _Loader,
    _Source,
    _yaml_data,
    _yaml_index,
    load_document,
    split_pointer,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_MAX_REF_HOPS = 100


# ----------------------------------------------------------------------------
# The reference: the former implementation (a full map, built by a second pass)


def _join(base: str, token: str) -> str:
    if "~" in token or "/" in token:
        token = token.replace("~", "~0").replace("/", "~1")
    return f"{base}/{token}"


def reference_maps(data: bytes) -> tuple[dict[str, int], dict[str, str]]:
    """pointer -> 1-based line for every node; plus alias pointer -> anchor pointer."""
    loader = _Loader(data)
    lines: dict[str, int] = {}
    links: dict[str, str] = {}
    try:
        get_event = loader.get_event
        anchors: dict[str, str] = {}
        raw_anchor: dict[str, str] = {}
        stack: list[list[Any]] = []
        get_event()
        if isinstance(get_event(), _ev.StreamEndEvent):
            return lines, links
        while True:
            event = get_event()
            cls = event.__class__
            if cls is _ev.DocumentEndEvent:
                break
            if cls is _ev.MappingEndEvent or cls is _ev.SequenceEndEvent:
                stack.pop()
                if stack:
                    parent = stack[-1]
                    if parent[1]:
                        parent[2] = None
                    else:
                        parent[3] += 1
                continue
            line = event.start_mark.line + 1
            if not stack:
                pointer = "#"
                lines[pointer] = line
            else:
                top = stack[-1]
                if top[1]:
                    if top[2] is None:
                        if cls is _ev.ScalarEvent:
                            key = event.value
                            if event.anchor:
                                raw_anchor[event.anchor] = key
                        elif cls is _ev.AliasEvent:
                            key = raw_anchor.get(event.anchor, "")
                        else:
                            return lines, links
                        pointer = _join(top[0], key)
                        lines[pointer] = line
                        top[2] = pointer
                        continue
                    pointer = top[2]
                    if cls is _ev.ScalarEvent or cls is _ev.AliasEvent:
                        top[2] = None
                else:
                    pointer = _join(top[0], str(top[3]))
                    lines[pointer] = line
                    if cls is _ev.ScalarEvent or cls is _ev.AliasEvent:
                        top[3] += 1
            if cls is _ev.ScalarEvent:
                if event.anchor:
                    anchors[event.anchor] = pointer
                    raw_anchor[event.anchor] = event.value
            elif cls is _ev.AliasEvent:
                if event.anchor in anchors:
                    links[pointer] = anchors[event.anchor]
            else:
                if event.anchor:
                    anchors[event.anchor] = pointer
                if len(stack) > MAX_DEPTH:
                    return lines, links
                stack.append([pointer, cls is _ev.MappingStartEvent, None, 0])
        return lines, links
    finally:
        loader.dispose()


def reference_line_of(lines: dict[str, int], links: dict[str, str], pointer: str) -> int | None:
    if pointer in lines:
        return lines[pointer]
    if "%" in pointer:
        decoded = unquote(pointer)
        if decoded in lines:
            return lines[decoded]
    try:
        tokens = split_pointer(pointer)
    except ValueError:
        return lines.get("#")
    for _ in range(_MAX_REF_HOPS):
        for i in range(len(tokens), -1, -1):
            prefix = pointer_join(*tokens[:i])
            if i < len(tokens) and prefix in links:
                tokens = split_pointer(links[prefix]) + tokens[i:]
                target = pointer_join(*tokens)
                if target in lines:
                    return lines[target]
                break
            if prefix in lines:
                return lines[prefix]
        else:
            return None
    return None


# ----------------------------------------------------------------------------
# The documents

EDGE_CASES = {
    "duplicates": "a: {x: 1, y: [1, 2]}\nb: 2\na: {x: 3, z: 4}\nb: 5\nc:\n  - d: 1\n    d: 2\n",
    "anchors": (
        "base: &b {type: object, properties: {p: {type: string}, q: &s [1, 2, {r: 3}]}}\n"
        "copy: *b\n"
        "list: [*b, *s, {k: *b}, *b]\n"
        "again: &b {other: 1}\n"
        "later: *b\n"
        "scalar: &v value\n"
        "use: *v\n"
        "nested: {deep: {deeper: *b}}\n"
        "root_alias: {x: *s}\n"
    ),
    "merge keys": (
        "defaults: &d {a: 1, b: {c: 2}}\n"
        "one: {<<: *d, b: 3}\n"
        "two: {<<: [*d, {e: 5}], f: 6}\n"
        "three:\n  <<: *d\n  g: 7\n"
    ),
    "alias keys": "k: &name key\n*name : 1\nm: {*name : {x: 2}}\n",
    "anchored keys": "? &ka a\n: 1\nb: *ka\nc: {*ka : 3}\n",
    "odd keys": (
        "'a/b': {'c~d': 1, '': 2, '%41': 3, 'e%2Ff': 4}\n"
        "'x y': [0, 1, {'0': a, '01': b}]\n"
        "'#': 1\n"
        "'~': {'/': 2}\n"
    ),
    "block styles": (
        "paths:\n"
        "  /a/{id}:\n"
        "    get:\n"
        "      description: |\n        many\n        lines\n"
        "      parameters:\n"
        "        - name: id\n          in: path\n"
        "        -\n          name: q\n"
        "        - - nested\n          - list\n"
        "      summary: >\n        folded\n        text\n"
        "      tags: [a,\n        b]\n"
    ),
    "scalar root": "just text\n",
    "list root": "- a\n- {b: 1}\n- - c\n",
    "empty document": "",
    "null document": "---\n...\n",
    "comments only": "# nothing\n",
    "deep": "x: " + "[" * 300 + "]" * 300 + "\ny: " + "{a: " * 200 + "1" + "}" * 200 + "\n",
    "alias of alias": "a: &x [1]\nb: &y {k: *x}\nc: *y\nd: [*y, *x]\n",
}


def _hand_written() -> list[tuple[str, bytes]]:
    return [(name, text.encode()) for name, text in EDGE_CASES.items()]


def _files() -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted((REPO / "specs").glob("*.yaml"))]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        found += [(p.name, p.read_bytes()) for p in sorted(corpus.glob("*.yaml"))]
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        for p in sorted(seeds.glob("*.txt")):
            text = p.read_text(encoding="utf-8")
            if "````yaml" in text:
                start = text.index("````yaml")
                found.append((p.name, (text[text.index("\n", start) + 1 : text.index("\n````", start)] + "\n").encode()))
    return found


def _pointers(lines: dict[str, int], links: dict[str, str], root: Any) -> list[str]:
    """Every pointer the reference knows, below aliases, below leaves, percent-encoded,
    of every node of the loaded data (merged keys too), and some that are not pointers."""
    pointers = set(lines) | set(links)
    pointers |= {p + "/0" for p in links} | {p + "/nope/1" for p in links}
    pointers |= {p + "/missing" for p in lines}
    pointers |= {quote(p, safe="#/~") for p in lines if quote(p, safe="#/~") != p}
    pointers |= {"", "#", "#/", "/", "#nope", "nope", "#/%", "#/%2", "#/a~2b", "#//", "#/0", "#/-1"}
    stack: list[tuple[Any, str]] = [(root, "#")]
    while stack:
        node, pointer = stack.pop()
        pointers.add(pointer)
        if isinstance(node, dict):
            stack.extend((v, _join(pointer, str(k))) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(node))
    return sorted(pointers)


def _fields(index: Any) -> tuple[Any, ...]:
    return (index.lines, index.keys, index.ends, index.seqs, index.anchors, index.aliases)


@pytest.mark.parametrize("name,data", _hand_written() + _files(), ids=lambda v: v if isinstance(v, str) else "")
def test_line_of_answers_as_the_full_map_did(name: str, data: bytes) -> None:
    lines, links = reference_maps(data)
    standalone = _yaml_index(data)
    try:
        root, _, recorded = _yaml_data(data)
    except Exception:  # noqa: BLE001 - not loadable (e.g. alias keys of collections): the pass of its own
        root, recorded = None, None
    if recorded is not None:
        # loading records exactly what the pass of its own records
        assert _fields(recorded) == _fields(standalone)
    for index in (standalone, recorded):
        if index is None:
            continue
        source = _Source(name, name, data, "yaml", index)
        for pointer in _pointers(lines, links, root):
            assert source.line_of(pointer) == reference_line_of(lines, links, pointer), pointer


@pytest.mark.parametrize("text", [
    "a: 1\n? [complex, key]\n: 2\nb: 3\n",
    "a: {b: [1, {c: 2}], ? {x: 1} : 3, d: 4}\ne: 5\n",
    "a: [1, 2\n",  # broken: no line at all, as before
    "a: !!python/object:os.system x\nb: 1\n",
])
def test_documents_that_do_not_load_answer_as_before(text: str) -> None:
    data = text.encode()
    try:
        lines, links = reference_maps(data)
    except yaml.YAMLError:
        lines, links = {}, {}
    doc = Document(root={}, file="mem.yaml", source_bytes=data)
    for pointer in _pointers(lines, links, None) + ["#/a/b/1/c", "#/a/d", "#/e", "#/b"]:
        assert doc.line_of(pointer) == reference_line_of(lines, links, pointer), pointer


def test_nesting_deeper_than_the_limit_stops_the_record_there() -> None:
    depth = MAX_DEPTH + 5
    data = ("x: " + "[" * depth + "]" * depth + "\ny: 1\n").encode()
    lines, links = reference_maps(data)
    source = _Source("deep.yaml", "deep.yaml", data, "yaml")
    deep = "#/x" + "/0" * (MAX_DEPTH + 2)
    for pointer in ("#", "#/x", "#/y", deep, "#/x" + "/0" * (MAX_DEPTH - 2)):
        assert source.line_of(pointer) == reference_line_of(lines, links, pointer), pointer


def test_bundled_documents_keep_their_lines(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("Thing:\n  type: object\n  properties:\n    a: {type: string}\n")
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    T: {$ref: 'common.yaml#/Thing'}\n"
    )
    doc = load_document(tmp_path / "spec.yaml")
    assert doc.location("#/components/schemas/T/properties/a").line == 4
    assert doc.file_of("#/components/schemas/T/properties/a").endswith("common.yaml")
    assert doc.line_of("#/components/schemas/T") == 1  # bundled in place: the text is in common.yaml
    assert doc.line_of("#/components") == 4
