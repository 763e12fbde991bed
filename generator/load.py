"""Load an OpenAPI document: parse, check its shape, check and bundle its ``$ref``s.

The result is a :class:`Document`: the whole document as plain Python data
(``dict``/``list``/``str``/``int``/``float``/``bool``/``None``, every mapping key
a ``str``) plus what is needed to point back at the source text
(:meth:`Document.line_of`, :meth:`Document.file_of`).

Design notes

* YAML is read from the event stream of PyYAML's C parser (``CSafeLoader``,
  falling back to ``SafeLoader``) by one iterative loop, not by PyYAML's
  composer: libyaml's own composer recurses on the C stack and crashes the
  interpreter on deeply nested input, and knows nothing of alias bombs.  The
  loop bounds nesting depth (:data:`MAX_DEPTH`) and the number of nodes that
  aliases expand to (:data:`MAX_ALIAS_NODES`) before building anything big,
  keeps mapping keys as their source text (``200:`` -> ``"200"``, ``on:`` ->
  ``"on"``), keeps timestamps as strings and copies aliased nodes so that the
  result is a tree, never a graph.  Only safe tags are accepted.
* Line numbers: while reading YAML the loop also records the line of each
  key and list item, the text of each key and where each mapping/list ends
  (:class:`_YamlIndex`); :meth:`Document.line_of` walks a pointer's tokens
  through that record, so only the nodes asked about are located (findings are
  few) and the text is parsed once.  JSON gets a small tokenizer's map on the
  first call.
* ``$ref``s are checked once over the whole document with an explicit stack.
  Local refs must resolve; remote refs are refused; relative file refs inside
  the spec's folder are loaded with the same limits and bundled into the root
  document (``components/<section>/<Name>``), their nested refs rewritten.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from yaml import events as _ev
from yaml.nodes import ScalarNode

from generator.diagnostics import Diagnostic, Level, Location, SpecError, pointer_escape, pointer_join

__all__ = [
    "Document",
    "load_document",
    "split_pointer",
    "ref_tokens",
    "is_index",
    "MAX_DEPTH",
    "MAX_ALIAS_NODES",
    "NAME_MAPS",
    "LITERAL_KEYS",
]

_Loader: type = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

MAX_DEPTH = 10_000
"""Deepest nesting of lists/mappings accepted, in any file."""
MAX_ALIAS_NODES = 1_000_000
"""Nodes that YAML aliases may expand to, per file (billion-laughs guard)."""
MAX_FILES = 1_000
"""Files that ``$ref``s may pull in."""
MAX_BUNDLED_NODES = 2_000_000
"""Nodes that may be copied from other files while bundling."""
_MAX_REF_HOPS = 100

# Mappings whose keys are names chosen by the author (not OpenAPI / JSON Schema
# keywords): a "$ref" or "example" key directly inside them is a name.
NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
        "dependentRequired", "schemas", "responses", "parameters", "examples",
        "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems",
        "paths", "webhooks", "content", "encoding", "variables", "mapping", "scopes",
    }
)
# Keywords whose value is literal data (never walked for $refs).
LITERAL_KEYS = frozenset({"example", "default", "enum", "const", "value"})

_COMPONENT_SECTIONS = frozenset(
    {
        "schemas", "responses", "parameters", "examples", "requestBodies", "headers",
        "securitySchemes", "links", "callbacks", "pathItems",
    }
)
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP, _MERGE_TAG, _VALUE_TAG = (
    _TAG + t for t in ("map", "seq", "timestamp", "merge", "value")
)
_VERSION_RE = re.compile(r"^3\.(\d+)\.\d+(?:-[0-9A-Za-z.-]+)?$")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+')
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# ----------------------------------------------------------------------------
# JSON pointers


def split_pointer(pointer: str) -> list[str]:
    """``"#/a/b~1c/0"`` -> ``["a", "b/c", "0"]`` (RFC 6901, no percent-decoding).

    ``""``, ``"#"`` and ``"/"``-less forms give ``[]``; a leading ``#`` is optional.
    """
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def ref_tokens(fragment: str) -> list[str]:
    """Tokens of a ``$ref`` fragment (``"#/components/schemas/A%20B"``).

    The fragment is a URI fragment: percent-decoded first, then read as a JSON
    pointer.  Raises ``ValueError`` when it is not a pointer (e.g. ``"#anchor"``).
    """
    return split_pointer(unquote(fragment))


_INDEX_RE = re.compile(r"0|[1-9][0-9]*")


def is_index(token: str) -> bool:
    """Whether a pointer token addresses a list item (RFC 6901: no sign, no leading zero)."""
    return _INDEX_RE.fullmatch(token) is not None


def _join(base: str, token: str) -> str:
    if "~" in token or "/" in token:
        token = token.replace("~", "~0").replace("/", "~1")
    return f"{base}/{token}"


def _walk_pointer(root: Any, tokens: list[str], follow_refs: bool = True) -> Any:
    """The node at ``tokens`` below ``root``; ``KeyError`` when there is none.

    When ``follow_refs`` and a token is missing from a mapping that is a local
    ``{"$ref": "#/..."}``, the reference is followed (as the validators do).
    """
    node = root
    for token in tokens:
        hops = 0
        while True:
            if isinstance(node, dict):
                if token in node:
                    node = node[token]
                    break
                ref = node.get("$ref")
                if follow_refs and isinstance(ref, str) and ref.startswith("#/") and hops < _MAX_REF_HOPS:
                    hops += 1
                    try:
                        node = _walk_pointer(root, ref_tokens(ref), follow_refs=False)
                    except (KeyError, ValueError):
                        raise KeyError(token) from None
                    continue
                raise KeyError(token)
            if isinstance(node, list):
                if is_index(token) and int(token) < len(node):
                    node = node[int(token)]
                    break
                raise KeyError(token)
            raise KeyError(token)
    return node


# ----------------------------------------------------------------------------
# Sources (one per file read) and their lazy line maps


class _BuildError(Exception):
    def __init__(self, message: str, line: int | None, pointer: str = "#") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.pointer = pointer


class _Source:
    """One file that was read: where it is, its bytes, and (lazily) its lines."""

    __slots__ = ("display", "abspath", "data", "kind", "_index")

    def __init__(self, display: str, abspath: str, data: bytes, kind: str, index: _YamlIndex | None = None) -> None:
        self.display = display
        self.abspath = abspath
        self.data = data
        self.kind = kind  # "json" or "yaml": how ``data`` was parsed
        # where each node is: recorded while parsing YAML, else built on the first line_of
        self._index: Any = index  # a _YamlIndex or a _JsonIndex

    def _get_index(self) -> Any:
        if self._index is None:
            try:
                if self.kind == "json":
                    self._index = _JsonIndex(_json_lines(self.data))
                else:
                    self._index = _yaml_index(self.data)
            except Exception:  # noqa: BLE001 - line numbers are best effort
                self._index = _JsonIndex({})
        return self._index

    def line_of(self, pointer: str) -> int | None:
        """1-based line of the node at ``pointer`` in this file, else of its nearest
        ancestor; through a YAML alias, of the anchored node's text."""
        index = self._get_index()
        try:
            tokens: list[str] | None = split_pointer(pointer)
        except ValueError:
            tokens = None
        if tokens is not None and pointer == pointer_join(*tokens):
            found = index.line(tokens)
            if found is not None:
                return found
        if "%" in pointer:
            decoded = unquote(pointer)
            try:
                decoded_tokens = split_pointer(decoded)
            except ValueError:
                decoded_tokens = None
            if decoded_tokens is not None and decoded == pointer_join(*decoded_tokens):
                found = index.line(decoded_tokens)
                if found is not None:
                    return found
        if tokens is None:
            return index.line([])
        for _ in range(_MAX_REF_HOPS):
            trail = index.trail(tokens)
            for i in range(len(tokens), -1, -1):
                if i < len(tokens):
                    anchored = index.link_at(trail[i])
                    if anchored is not None:
                        # inside a YAML alias: look at the anchored node instead
                        tokens = anchored + tokens[i:]
                        found = index.line(tokens)
                        if found is not None:
                            return found
                        break
                found = index.line_at(trail[i])
                if found is not None:
                    return found
            else:
                return None
        return None


class _JsonIndex:
    """Lines of a JSON text by pointer (``_json_lines``), as :class:`_YamlIndex` answers."""

    __slots__ = ("lines",)

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines

    def trail(self, tokens: list[str]) -> list[str]:
        return [pointer_join(*tokens[:i]) for i in range(len(tokens) + 1)]

    def line_at(self, pointer: str) -> int | None:
        return self.lines.get(pointer)

    def link_at(self, pointer: str) -> None:
        return None

    def line(self, tokens: list[str]) -> int | None:
        return self.lines.get(pointer_join(*tokens))


class _YamlIndex:
    """Where the nodes of a YAML text are, recorded from its event stream.

    Events are numbered in stream order from the root node's.  Recorded: the line of
    every event that starts a pointer (the root, mapping keys, list items), the text of
    every mapping key, where every mapping or list ends, which are lists, anchors of
    value nodes and aliases in value position.  A pointer's line is looked up by
    walking the pointer's tokens through that record (the children of a node are
    listed once, on first use), so nothing is computed for nodes never asked about.

    The answers are those of a map from the pointer of every node (``#`` for the root;
    a mapping key's pointer, at the key's line, for the key and its value; a list item's
    at its own line) to its line, where the last node in the text wins when duplicate
    keys give two nodes one pointer, and of a map from the pointer of every alias in
    value position to the pointer of the value node its anchor last named before it.
    """

    __slots__ = ("lines", "keys", "ends", "seqs", "anchors", "aliases", "_kids", "_anchored")

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}  # root, key or list item event -> its 0-based line
        self.keys: dict[int, str] = {}  # mapping key event -> the key's text
        self.ends: dict[int, int] = {}  # mapping/list start event -> its end event
        self.seqs: set[int] = set()  # list start events
        self.anchors: dict[int, str] = {}  # value node event with an anchor -> its name
        self.aliases: dict[int, str] = {}  # alias event in value position -> the name
        self._kids: dict[int, Any] = {}
        self._anchored: dict[str, list[int]] | None = None

    def close(self, open_: list[tuple[int, bool]], end: int) -> None:
        """The text was read only up to event ``end``: the open (start event, is a
        mapping) collections end there."""
        for start, is_map in open_:
            self.ends[start] = end
            if not is_map:
                self.seqs.add(start)

    def _children(self, node: int) -> Any:
        """A list's item events; a mapping's (key -> its key events, key events in order)."""
        kids = self._kids.get(node)
        if kids is None:
            end = self.ends.get(node)
            if end is None:
                return None
            ends = self.ends
            child = node + 1
            if node in self.seqs:
                items: list[int] = []
                while child < end:
                    items.append(child)
                    child = ends.get(child, child) + 1
                kids = items
            else:
                keys = self.keys
                by_key: dict[str, list[int]] = {}
                order: list[int] = []
                while child < end:
                    order.append(child)
                    by_key.setdefault(keys[child], []).append(child)
                    child = ends.get(child + 1, child + 1) + 1
                kids = (by_key, order)
            self._kids[node] = kids
        return kids

    def trail(self, tokens: list[str]) -> list[list[tuple[int, int]]]:
        """For each prefix of ``tokens`` (shortest first): the (pointer event, node event)
        of every node there, in stream order."""
        found: list[tuple[int, int]] = [(0, 0)] if 0 in self.lines else []
        trail = [found]
        for token in tokens:
            step: list[tuple[int, int]] = []
            for _, node in found:
                kids = self._children(node)
                if kids is None:
                    continue
                if type(kids) is list:
                    if is_index(token) and int(token) < len(kids):
                        item = kids[int(token)]
                        step.append((item, item))
                else:
                    step.extend((key, key + 1) for key in kids[0].get(token, ()))
            found = step
            trail.append(found)
        return trail

    def line_at(self, found: list[tuple[int, int]]) -> int | None:
        if not found:
            return None
        return self.lines[max(at for at, _ in found)] + 1

    def line(self, tokens: list[str]) -> int | None:
        return self.line_at(self.trail(tokens)[-1])

    def link_at(self, found: list[tuple[int, int]]) -> list[str] | None:
        """The pointer tokens of the node the last alias among ``found`` stands for."""
        best: int | None = None
        for _, node in found:
            name = self.aliases.get(node)
            if name is not None and (best is None or node > best) and self._anchor_before(name, node) is not None:
                best = node
        if best is None:
            return None
        anchor = self._anchor_before(self.aliases[best], best)
        assert anchor is not None
        return self._tokens_of(anchor)

    def _anchor_before(self, name: str, node: int) -> int | None:
        if self._anchored is None:
            self._anchored = {}
            for at, anchor in sorted(self.anchors.items()):
                self._anchored.setdefault(anchor, []).append(at)
        positions = self._anchored.get(name, [])
        i = bisect_left(positions, node)
        return positions[i - 1] if i else None

    def _tokens_of(self, target: int) -> list[str]:
        tokens: list[str] = []
        node = 0
        while node != target:
            kids = self._children(node)
            if type(kids) is list:
                i = bisect_right(kids, target) - 1
                tokens.append(str(i))
                node = kids[i]
            else:
                order = kids[1]
                key = order[bisect_right(order, target) - 1]
                tokens.append(self.keys[key])
                node = key + 1
        return tokens


def _detect_kind(path: str, data: bytes) -> str:
    if path.lower().endswith(".json"):
        return "json"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if head.startswith(b"{") else "yaml"


# ----------------------------------------------------------------------------
# YAML: data from the event stream


class _Frame:
    __slots__ = ("container", "is_map", "key", "anchor", "size", "merges", "token", "start")

    def __init__(self, container: Any, is_map: bool, anchor: str | None, token: str | None, start: int) -> None:
        self.container = container
        self.is_map = is_map
        self.key: Any = _NOKEY
        self.anchor = anchor
        self.size = 1
        self.merges: list[dict[str, Any]] | None = None
        self.token = token  # key/index under which this node sits in its parent
        self.start = start  # its start event's number in the line index


_NOKEY = object()
_MERGE = object()


_MAX_ERROR_TOKENS = 32


def _stack_pointer(stack: list[_Frame], extra: str | None = None) -> str:
    """Best-effort pointer of the node being read (an ancestor when very deep)."""
    if len(stack) > _MAX_ERROR_TOKENS:
        return pointer_join(*[f.token for f in stack[1:_MAX_ERROR_TOKENS] if f.token is not None])
    tokens = [f.token for f in stack[1:] if f.token is not None]
    if stack and stack[-1].is_map and isinstance(stack[-1].key, str):
        tokens.append(stack[-1].key)
    elif stack and not stack[-1].is_map:
        tokens.append(str(len(stack[-1].container)))
    if extra is not None:
        tokens.append(extra)
    return pointer_join(*tokens)


def _copy_tree(node: Any) -> Any:
    """Deep copy of plain containers, iteratively (no recursion limit)."""
    if not isinstance(node, (dict, list)):
        return node
    top: Any = {} if isinstance(node, dict) else []
    stack: list[tuple[Any, Any]] = [(node, top)]
    while stack:
        src, dst = stack.pop()
        if isinstance(src, dict):
            for k, v in src.items():
                if isinstance(v, (dict, list)):
                    c: Any = {} if isinstance(v, dict) else []
                    stack.append((v, c))
                    v = c
                dst[k] = v
        else:
            for v in src:
                if isinstance(v, (dict, list)):
                    c = {} if isinstance(v, dict) else []
                    stack.append((v, c))
                    v = c
                dst.append(v)
    return top


def _count_nodes(node: Any) -> int:
    count, stack = 0, [node]
    while stack:
        n = stack.pop()
        count += 1
        if isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return count


def _yaml_data(data: bytes) -> tuple[Any, list[tuple[str, int | None, str]], _YamlIndex]:
    """Parse one YAML document into plain data.

    Returns ``(value, notes, index)`` where notes are ``(message, line, pointer)``
    warnings (duplicate keys) and index says where each node is (recorded on the way,
    as :func:`_yaml_index` does).  Raises :class:`_BuildError`.
    """
    loader = _Loader(data)
    notes: list[tuple[str, int | None, str]] = []
    stack: list[_Frame] = []
    index = _YamlIndex()
    index_lines, index_keys, index_ends = index.lines, index.keys, index.ends
    index_anchors, index_aliases, index_seqs = index.anchors, index.aliases, index.seqs
    at = -1  # number of the current event in the index
    try:
        get_event = loader.get_event
        resolve = loader.resolve
        anchors: dict[str, tuple[Any, int, str | None]] = {}
        open_anchors: set[str] = set()
        plain: dict[str, Any] = {}  # plain scalar text -> its value
        alias_nodes = 0
        root: Any = None
        ScalarEvent, AliasEvent = _ev.ScalarEvent, _ev.AliasEvent
        MappingStartEvent, SequenceStartEvent = _ev.MappingStartEvent, _ev.SequenceStartEvent
        MappingEndEvent, SequenceEndEvent = _ev.MappingEndEvent, _ev.SequenceEndEvent

        get_event()  # StreamStartEvent
        event = get_event()
        if isinstance(event, _ev.StreamEndEvent):
            return None, notes, index
        while True:
            event = get_event()
            cls = event.__class__
            at += 1
            top: Any = stack[-1] if stack else None
            if cls is ScalarEvent:
                text = event.value
                if top is not None and top.is_map and top.key is _NOKEY:  # a mapping key
                    index_keys[at] = text
                    index_lines[at] = event.start_mark.line
                    if text == "<<" and event.implicit[0] and event.tag is None:
                        top.key = _MERGE
                    else:
                        top.key = text
                    if event.anchor:
                        anchors[event.anchor] = (text, 1, text)
                    continue
                tag = event.tag
                if tag is None and event.implicit[0]:
                    # a plain scalar's value depends on its text only: build each text once
                    value = plain.get(text, _NOKEY)
                    if value is _NOKEY:
                        try:
                            value = _scalar(loader, resolve, event)
                        except _BuildError as exc:
                            exc.pointer = _stack_pointer(stack)
                            raise
                        plain[text] = value
                elif tag is None:
                    value = text  # quoted or block scalar: a string
                else:
                    try:
                        value = _scalar(loader, resolve, event)
                    except _BuildError as exc:
                        exc.pointer = _stack_pointer(stack)
                        raise
                size = 1
                if top is None or not top.is_map:
                    index_lines[at] = event.start_mark.line
                if event.anchor:
                    anchors[event.anchor] = (value, 1, text)
                    index_anchors[at] = event.anchor
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                line = event.start_mark.line + 1
                if top is not None and top.is_map and top.key is _NOKEY:
                    raise _BuildError(
                        "a mapping or list used as a mapping key is not supported", line, _stack_pointer(stack)
                    )
                if len(stack) >= MAX_DEPTH:
                    raise _BuildError(
                        f"nesting deeper than {MAX_DEPTH} levels", line, _stack_pointer(stack)
                    )
                is_map = cls is MappingStartEvent
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    raise _BuildError(f"unsupported YAML tag {event.tag!r}", line, _stack_pointer(stack))
                if top is None:
                    token = None
                    index_lines[at] = line - 1
                elif top.is_map:
                    token = top.key if isinstance(top.key, str) else "<<"
                else:
                    token = str(len(top.container))
                    index_lines[at] = line - 1
                stack.append(_Frame({} if is_map else [], is_map, event.anchor, token, at))
                if event.anchor:
                    open_anchors.add(event.anchor)
                    index_anchors[at] = event.anchor
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                index_ends[frame.start] = at
                if not frame.is_map:
                    index_seqs.add(frame.start)
                value, size = frame.container, frame.size
                if frame.merges:
                    merged: dict[str, Any] = {}
                    for m in reversed(frame.merges):
                        merged.update(m)
                    merged.update(value)
                    value = merged
                if frame.anchor:
                    anchors[frame.anchor] = (value, size, None)
                    open_anchors.discard(frame.anchor)
                top = stack[-1] if stack else None
            elif cls is AliasEvent:
                name = event.anchor
                line = event.start_mark.line + 1
                if name in open_anchors:
                    raise _BuildError(f"recursive YAML alias '*{name}'", line, _stack_pointer(stack))
                if name not in anchors:
                    raise _BuildError(f"undefined YAML alias '*{name}'", line, _stack_pointer(stack))
                target, size, raw = anchors[name]
                if top is not None and top.is_map and top.key is _NOKEY:  # a mapping key
                    if raw is None:
                        raise _BuildError(
                            "a mapping or list used as a mapping key is not supported", line, _stack_pointer(stack)
                        )
                    top.key = raw
                    index_keys[at] = raw
                    index_lines[at] = line - 1
                    continue
                if top is None or not top.is_map:
                    index_lines[at] = line - 1
                index_aliases[at] = name
                alias_nodes += size
                if alias_nodes > MAX_ALIAS_NODES:
                    raise _BuildError(
                        f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes (alias bomb?); "
                        "refusing to expand them",
                        line,
                        _stack_pointer(stack),
                    )
                value = _copy_tree(target)
            elif cls is _ev.DocumentEndEvent:
                break
            else:  # pragma: no cover - the parser emits nothing else here
                raise _BuildError(f"unexpected YAML event {cls.__name__}", None, _stack_pointer(stack))

            if top is None:
                root = value
                continue
            top.size += size
            if top.is_map:
                key = top.key
                top.key = _NOKEY
                if key is _MERGE:
                    parts = value if isinstance(value, list) else [value]
                    if not all(isinstance(p, dict) for p in parts):
                        raise _BuildError(
                            "YAML merge key '<<' needs a mapping or a list of mappings",
                            None,
                            _stack_pointer(stack, "<<"),
                        )
                    top.merges = (top.merges or []) + parts
                    continue
                if key in top.container:
                    notes.append((f"duplicate mapping key {key!r}; the last one wins", None, _stack_pointer(stack, key)))
                top.container[key] = value
            else:
                top.container.append(value)

        event = get_event()
        if not isinstance(event, _ev.StreamEndEvent):
            raise _BuildError(
                "the file holds more than one YAML document", event.start_mark.line + 1, "#"
            )
        return root, notes, index
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        text = " ".join(p for p in (exc.context, exc.problem) if p)
        raise _BuildError(f"invalid YAML: {text}", line, _stack_pointer(stack) if stack else "#") from None
    except yaml.reader.ReaderError as exc:
        line = data[: exc.position].count(b"\n") + 1 if isinstance(exc.position, int) else None
        if isinstance(exc.character, bytes) or "UTF" in str(exc.reason):
            message = f"invalid YAML: the file is not valid UTF-8/UTF-16 text ({exc.reason})"
        else:
            message = f"invalid YAML: {exc.reason} (character {exc.character!r})"
        raise _BuildError(message, line, "#") from None
    except yaml.YAMLError as exc:
        raise _BuildError(f"invalid YAML: {' '.join(str(exc).split())}", None, "#") from None
    finally:
        loader.dispose()


def _scalar(loader: Any, resolve: Any, event: Any) -> Any:
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        if tag is not None or not event.implicit[0]:
            return value  # quoted, block or "!"-tagged scalar: a string
        tag = resolve(ScalarNode, value, (True, False))
    if tag == _STR or tag == _TIMESTAMP or tag == _MERGE_TAG or tag == _VALUE_TAG:
        return value  # timestamps stay text: the document is plain JSON-like data
    constructor = {
        _NULL: loader.construct_yaml_null,
        _BOOL: loader.construct_yaml_bool,
        _INT: loader.construct_yaml_int,
        _FLOAT: loader.construct_yaml_float,
    }.get(tag)
    line = event.start_mark.line + 1
    if constructor is None:
        raise _BuildError(f"unsupported YAML tag {tag!r}", line)
    try:
        return constructor(ScalarNode(tag, value, event.start_mark, event.end_mark))
    except (ValueError, KeyError, yaml.YAMLError):
        raise _BuildError(f"invalid value {value!r} for YAML tag {tag!r}", line) from None


# ----------------------------------------------------------------------------
# Line maps (lazy)


def _yaml_index(data: bytes) -> _YamlIndex:
    """The :class:`_YamlIndex` of a YAML text, in a pass of its own (a :class:`Document`
    made by hand; loading records it while building the data).  A complex key, or
    nesting deeper than :data:`MAX_DEPTH`, ends the record there."""
    loader = _Loader(data)
    index = _YamlIndex()
    try:
        get_event = loader.get_event
        lines, keys, ends, anchors, aliases = index.lines, index.keys, index.ends, index.anchors, index.aliases
        raw_anchor: dict[str, str] = {}
        # frame: [start event, is_map, expecting a key]
        stack: list[list[Any]] = []
        get_event()
        if isinstance(get_event(), _ev.StreamEndEvent):
            return index
        at = -1
        while True:
            event = get_event()
            cls = event.__class__
            at += 1
            if cls is _ev.DocumentEndEvent:
                break
            if cls is _ev.MappingEndEvent or cls is _ev.SequenceEndEvent:
                start, is_map, _ = stack.pop()
                ends[start] = at
                if not is_map:
                    index.seqs.add(start)
                if stack:
                    stack[-1][2] = True
                continue
            top = stack[-1] if stack else None
            if top is not None and top[1] and top[2]:  # a mapping key
                if cls is _ev.ScalarEvent:
                    keys[at] = event.value
                    if event.anchor:
                        raw_anchor[event.anchor] = event.value
                elif cls is _ev.AliasEvent:
                    keys[at] = raw_anchor.get(event.anchor, "")
                else:  # complex key: rejected when loading
                    index.close([(f[0], f[1]) for f in stack], at)
                    return index
                lines[at] = event.start_mark.line
                top[2] = False
                continue
            if top is None or not top[1]:  # the root or a list item
                lines[at] = event.start_mark.line
            else:
                top[2] = True
            if cls is _ev.ScalarEvent:
                if event.anchor:
                    anchors[at] = event.anchor
                    raw_anchor[event.anchor] = event.value
            elif cls is _ev.AliasEvent:
                aliases[at] = event.anchor
            else:  # collection start
                if event.anchor:
                    anchors[at] = event.anchor
                if len(stack) > MAX_DEPTH:
                    index.close([(f[0], f[1]) for f in stack], at + 1)
                    return index
                stack.append([at, cls is _ev.MappingStartEvent, True])
        return index
    finally:
        loader.dispose()


def _json_lines(data: bytes) -> dict[str, int]:
    """pointer -> 1-based line for a JSON text, with a small iterative tokenizer."""
    text = data.decode("utf-8-sig")
    lines: dict[str, int] = {}
    # frame: [pointer, is_obj, expecting_key, pending_child_pointer, index]
    stack: list[list[Any]] = []
    line, last = 1, 0
    for m in _JSON_TOKEN.finditer(text):
        start = m.start()
        line += text.count("\n", last, start)
        last = start
        tok = m.group()
        first = tok[0]
        if first in ":,":
            if first == "," and stack:
                top = stack[-1]
                if top[1]:
                    top[2] = True
                else:
                    top[4] += 1
            continue
        if first in "]}":
            if stack:
                stack.pop()
            continue
        if not stack:
            pointer = "#"
            lines[pointer] = line
        else:
            top = stack[-1]
            if top[1]:
                if top[2]:  # an object key
                    pointer = _join(top[0], json.loads(tok))
                    lines[pointer] = line
                    top[3] = pointer
                    top[2] = False
                    continue
                pointer = top[3]
            else:
                pointer = _join(top[0], str(top[4]))
                lines[pointer] = line
        if first == "{":
            stack.append([pointer, True, True, None, 0])
        elif first == "[":
            stack.append([pointer, False, False, None, 0])
    return lines


# ----------------------------------------------------------------------------
# Reading files


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """Raises ``_BuildError`` with a human message (no line)."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise _BuildError("file not found", None) from None
    except OSError as exc:
        raise _BuildError(f"cannot read file: {exc.strerror or exc}", None) from None
    if size > max_bytes:
        raise _BuildError(f"oversized input: {size} bytes is more than the limit of {max_bytes} bytes", None)
    try:
        with open(path, "rb") as fh:
            # read() preallocates its argument: ask for what stat announced, then
            # go on in chunks in case the file grew or is not a regular file
            chunks = [fh.read(size + 1)]
            total = len(chunks[0])
            while total <= max_bytes and len(chunks[-1]) > 0 and total > size:
                chunk = fh.read(min(2**20, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise _BuildError(f"cannot read file: {exc.strerror or exc}", None) from None
    if len(data) > max_bytes:
        raise _BuildError(f"oversized input: more than the limit of {max_bytes} bytes", None)
    return data


def _parse(display: str, data: bytes) -> tuple[Any, str, list[tuple[str, int | None, str]], _YamlIndex | None]:
    """Parse bytes as JSON or YAML -> ``(value, kind, notes, index)``; raises ``_BuildError``."""
    kind = _detect_kind(display, data)
    if kind == "json":
        try:
            return json.loads(data.decode("utf-8-sig")), "json", [], None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _BuildError(f"invalid JSON: not UTF-8 text ({exc.reason})", line) from None
        except RecursionError:
            pass  # nesting deeper than the json module allows: the YAML reader is iterative
        except json.JSONDecodeError as exc:
            if display.lower().endswith(".json"):
                raise _BuildError(f"invalid JSON: {exc.msg}", exc.lineno) from None
            # "{" at the start of a non-.json file: may be YAML flow style
    value, notes, index = _yaml_data(data)
    return value, "yaml", notes, index


# ----------------------------------------------------------------------------
# The document


@dataclass
class Document:
    """A loaded OpenAPI document and the way back to its source text."""

    root: dict[str, Any]
    file: str
    source_bytes: bytes
    warnings: list[Diagnostic] = field(default_factory=list)
    """Findings of loading that do not stop generation (e.g. duplicate keys)."""
    _source: _Source | None = field(default=None, repr=False, compare=False)
    _origins: dict[str, tuple[_Source, str]] = field(default_factory=dict, repr=False, compare=False)
    _anchors: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    ref_files: dict[str, tuple[str, bytes | None]] = field(default_factory=dict, repr=False, compare=False)
    """Every file a ``$ref`` named, by absolute path: (its real path, the bytes read; None for
    the root document itself).  What the document depends on besides ``source_bytes``."""

    def __post_init__(self) -> None:
        if self._source is None:
            self._source = _Source(
                self.file, os.path.abspath(self.file), self.source_bytes, _detect_kind(self.file, self.source_bytes)
            )

    def _locate(self, pointer: str) -> tuple[_Source, str]:
        """The source file holding ``pointer`` and the pointer inside that file."""
        assert self._source is not None
        if self._origins:
            try:
                tokens = split_pointer(pointer)
            except ValueError:
                return self._source, pointer
            for i in range(len(tokens), 0, -1):
                prefix = pointer_join(*tokens[:i])
                origin = self._origins.get(prefix)
                if origin is not None:
                    source, base = origin
                    rest = "".join("/" + pointer_escape(t) for t in tokens[i:])
                    return source, (base if base != "#" else "#") + rest
        return self._source, pointer

    def line_of(self, pointer: str) -> int | None:
        """1-based line of the node at ``pointer`` (or of its nearest ancestor that has one)."""
        source, inner = self._locate(pointer)
        return source.line_of(inner)

    def file_of(self, pointer: str) -> str:
        """The file the node at ``pointer`` comes from (the root file unless bundled)."""
        return self._locate(pointer)[0].display

    def location(self, pointer: str) -> Location:
        source, inner = self._locate(pointer)
        return Location(source.display, source.line_of(inner), pointer)

    def resolve(self, ref: str) -> Any:
        """The node a local ``$ref`` (``"#/components/schemas/X"`` or ``"#anchor"``) points at."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise KeyError(ref)
        if ref != "#" and not ref.startswith("#/"):
            target = self._anchors.get(unquote(ref[1:]))
            if target is None:
                raise KeyError(ref)
            ref = target
        try:
            return _walk_pointer(self.root, ref_tokens(ref))
        except ValueError:
            raise KeyError(ref) from None


# ----------------------------------------------------------------------------
# Walking the structure for $refs


@dataclass
class _RefSite:
    holder: dict[str, Any]  # the mapping holding "$ref"
    parent: Any  # its container (dict or list) and key in it, for in-place bundling
    key: Any
    root_pointer: str  # where ``holder`` is in the root document
    source: _Source  # the file whose text holds this $ref
    source_pointer: str  # where ``holder`` is in that file


def _walk_structure(
    node: Any,
    root_pointer: str,
    source: _Source,
    source_pointer: str,
    sites: list[_RefSite],
    anchors: dict[str, str] | None,
    errors: list[Diagnostic],
    base_depth: int = 0,
) -> None:
    """Collect every ``$ref`` below ``node`` (document order), iteratively.

    Literal data (``example``, ``default``, ``enum``, ``const``, ``value``,
    list-valued ``examples``, ``x-*`` extensions) is not walked; ``$ref`` inside
    author-named mappings (``properties``...) is a name, not a reference.
    """
    # item: (node, parent, key, root_ptr, is_names_map, depth); the pointer in the source
    # file has the same tokens after source_pointer
    stack: list[tuple[Any, Any, Any, str, bool, int]] = [(node, None, None, root_pointer, False, base_depth)]
    base = len(root_pointer)
    while stack:
        n, parent, key, rp, names, depth = stack.pop()
        if depth > MAX_DEPTH:
            sp = source_pointer + rp[base:]
            errors.append(
                Diagnostic(Level.ERROR, f"nesting deeper than {MAX_DEPTH} levels", Location(source.display, source.line_of(sp), sp))
            )
            return
        children: list[tuple[Any, Any, Any, str, bool, int]] = []
        if isinstance(n, dict):
            if not names:
                if "$ref" in n:
                    sites.append(_RefSite(n, parent, key, rp, source, source_pointer + rp[base:]))
                if anchors is not None and isinstance(n.get("$anchor"), str):
                    anchors.setdefault(n["$anchor"], rp)
            for k, v in n.items():
                if not isinstance(v, (dict, list)):
                    continue
                if not names:
                    if k in LITERAL_KEYS or k.startswith("x-") or k == "$ref":
                        continue
                    if k == "examples" and isinstance(v, list):
                        continue
                child_names = (not names) and isinstance(v, dict) and k in NAME_MAPS
                children.append((v, n, k, _join(rp, k), child_names, depth + 1))
        elif isinstance(n, list):
            for i, v in enumerate(n):
                if isinstance(v, (dict, list)):
                    children.append((v, n, i, f"{rp}/{i}", False, depth + 1))
        stack.extend(reversed(children))


def _ref_context(tokens: list[str]) -> tuple[str, str]:
    """Where a bundled node goes: ``("inline", "")`` or ``("component", section)``."""
    n = len(tokens)
    if n == 3 and tokens[0] == "components" and tokens[1] in _COMPONENT_SECTIONS:
        return "inline", ""
    if n == 2 and tokens[0] in ("paths", "webhooks"):
        return "inline", ""
    if n >= 3 and tokens[-3] == "callbacks" and (n == 4 and tokens[0] == "components" or n >= 4 and tokens[-4] in _METHODS):
        return "inline", ""  # a path item inside a callback
    if n >= 2 and tokens[-2] == "parameters" and is_index(tokens[-1]):
        return "component", "parameters"
    if n >= 3 and tokens[-2] == "responses" and tokens[-3] in _METHODS:
        return "component", "responses"
    if n >= 2 and tokens[-1] == "requestBody" and tokens[-2] in _METHODS:
        return "component", "requestBodies"
    if n >= 3 and tokens[-3] != "properties":
        if tokens[-2] == "headers":
            return "component", "headers"
        if tokens[-2] == "examples":
            return "component", "examples"
        if tokens[-2] == "links":
            return "component", "links"
        if tokens[-2] == "callbacks" and tokens[-3] in _METHODS:
            return "component", "callbacks"
    return "component", "schemas"


class _Bundler:
    """Checks every ``$ref``; loads and bundles relative file refs."""

    def __init__(self, doc: Document, allow_remote_refs: bool, max_bytes: int) -> None:
        self.doc = doc
        self.allow_remote_refs = allow_remote_refs
        self.max_bytes = max_bytes
        assert doc._source is not None
        self.root_source = doc._source
        self.root_real = os.path.realpath(self.root_source.abspath)
        self.folder_real = os.path.dirname(self.root_real)
        self.files: dict[str, tuple[_Source, Any]] = {}
        self.done: dict[tuple[str, tuple[str, ...]], str] = {}
        self.errors: list[Diagnostic] = []
        self.copied_nodes = 0

    def error(self, site: _RefSite, message: str) -> None:
        sp = site.source_pointer + "/$ref"
        self.errors.append(Diagnostic(Level.ERROR, message, Location(site.source.display, site.source.line_of(sp), sp)))

    def run(self) -> None:
        doc = self.doc
        sites: list[_RefSite] = []
        _walk_structure(doc.root, "#", self.root_source, "#", sites, doc._anchors, self.errors)
        if self.errors:
            return
        # whole components that are a ref to another file are bundled in place first,
        # so that every other ref to the same node reuses their name
        sites.sort(key=lambda s: 0 if s.root_pointer.startswith("#/components/") and len(s.holder) == 1 else 1)
        local: list[_RefSite] = []
        queue = sites
        while queue:
            pending: list[_RefSite] = []
            for site in queue:
                self.handle(site, local, pending)
            queue = pending
        for site in local:  # checked after bundling: in-place bundling may add their targets
            self.check_local(site)

    def check_local(self, site: _RefSite) -> None:
        ref = site.holder["$ref"]
        if ref == "#" or ref.startswith("#/"):
            try:
                _walk_pointer(self.doc.root, ref_tokens(ref))
            except (KeyError, ValueError):
                self.error(site, f"dangling $ref {ref!r}: nothing at that pointer")
        elif unquote(ref[1:]) not in self.doc._anchors:
            self.error(site, f"dangling $ref {ref!r}: no schema has that $anchor")

    def handle(self, site: _RefSite, local: list[_RefSite], pending: list[_RefSite]) -> None:
        ref = site.holder.get("$ref")
        if not isinstance(ref, str):
            self.error(site, f"$ref must be a string, not {type(ref).__name__} {_short(ref)}")
            return
        if ref == "":
            self.error(site, "empty $ref")
            return
        from_root = site.source is self.root_source
        if ref.startswith("#"):
            if from_root:
                local.append(site)
            else:
                self.bundle(site, site.source.abspath, ref, pending, local)
            return
        try:
            parts = urlsplit(ref)
        except ValueError:
            self.error(site, f"invalid $ref {ref!r}")
            return
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            if self.allow_remote_refs:
                self.error(site, f"remote $ref {ref!r}: remote $ref fetching is not supported yet")
            else:
                self.error(
                    site,
                    f"remote $ref {ref!r} refused: only local ('#/...') and relative file refs are allowed "
                    "(remote refs need allow_remote_refs)",
                )
            return
        if scheme:
            self.error(site, f"unsupported $ref {ref!r}: only local ('#/...') and relative file refs are allowed")
            return
        path_part, _, fragment = ref.partition("#")
        self.bundle(site, unquote(path_part), "#" + fragment, pending, local)

    def load_file(self, site: _RefSite, rel: str) -> tuple[str, _Source, Any] | None:
        """Resolve ``rel`` against the referencing file; check and load it."""
        base_abs = os.path.dirname(site.source.abspath)
        target_abs = os.path.normpath(os.path.join(base_abs, rel))
        real = os.path.realpath(target_abs)
        if real == self.root_real:
            self.doc.ref_files[target_abs] = (real, None)
            return real, self.root_source, self.doc.root
        if os.path.commonpath([self.folder_real, real]) != self.folder_real:
            self.error(site, f"$ref {site.holder['$ref']!r} points outside the spec's folder; refused")
            return None
        if real in self.files:
            source, data = self.files[real]
            self.doc.ref_files[target_abs] = (real, source.data)
            return real, source, data
        if len(self.files) >= MAX_FILES:
            self.error(site, f"more than {MAX_FILES} files referenced; refused")
            return None
        if os.path.isabs(rel):
            display = rel
        else:
            display = os.path.normpath(os.path.join(os.path.dirname(site.source.display), rel))
        try:
            raw = _read_bytes(target_abs, self.max_bytes)
            data, kind, notes, index = _parse(display, raw)
        except _BuildError as exc:
            where = f"{display}:{exc.line}" if exc.line else display
            self.error(site, f"cannot load $ref {site.holder['$ref']!r}: {where}: {exc.message}")
            return None
        source = _Source(display, target_abs, raw, kind, index)
        for message, line, pointer in notes:
            self.doc.warnings.append(
                Diagnostic(Level.WARNING, message, Location(display, line or source.line_of(pointer), pointer))
            )
        self.files[real] = (source, data)
        self.doc.ref_files[target_abs] = (real, raw)
        return real, source, data

    def bundle(self, site: _RefSite, rel_or_abs: str, fragment: str, pending: list[_RefSite], local: list[_RefSite]) -> None:
        ref = site.holder["$ref"]
        if rel_or_abs == site.source.abspath:
            real, source, data = os.path.realpath(rel_or_abs), site.source, None
            data = self.files.get(real, (None, None))[1]
        else:
            loaded = self.load_file(site, rel_or_abs)
            if loaded is None:
                return
            real, source, data = loaded
        if fragment not in ("#", "") and not fragment.startswith("#/"):
            self.error(site, f"$ref {ref!r}: anchors ('#name') in other files are not supported")
            return
        tokens = ref_tokens(fragment)
        if source is self.root_source:  # a ref back into the root document
            site.holder["$ref"] = pointer_join(*tokens)
            local.append(site)
            return
        key = (real, tuple(tokens))
        target_ref = self.done.get(key)
        if target_ref is not None:
            site.holder["$ref"] = target_ref
            return
        try:
            node = _walk_pointer(data, tokens)
        except KeyError:
            self.error(site, f"dangling $ref {ref!r}: nothing at {pointer_join(*tokens)} in {source.display}")
            return
        self.copied_nodes += _count_nodes(node)
        if self.copied_nodes > MAX_BUNDLED_NODES:
            self.error(site, f"bundling $refs copies more than {MAX_BUNDLED_NODES} nodes; refused")
            return
        copy = _copy_tree(node)
        site_tokens = split_pointer(site.root_pointer)
        mode, section = _ref_context(site_tokens)
        if mode == "inline" and len(site.holder) == 1 and site.parent is not None:
            site.parent[site.key] = copy
            local_ref = site.root_pointer
        else:
            mode = "component"
            components = self.doc.root.setdefault("components", {})
            if not isinstance(components, dict):
                self.error(site, "cannot bundle $ref: 'components' is not a mapping")
                return
            bucket = components.setdefault(section, {})
            if not isinstance(bucket, dict):
                self.error(site, f"cannot bundle $ref: 'components/{section}' is not a mapping")
                return
            stem = _NAME_UNSAFE.sub("_", Path(source.display).stem) or "file"
            base = _NAME_UNSAFE.sub("_", tokens[-1]) if tokens else stem
            name = _unique_name(bucket, base or stem, stem)
            bucket[name] = copy
            local_ref = pointer_join("components", section, name)
            site.holder["$ref"] = local_ref
        self.done[key] = local_ref
        ext_pointer = pointer_join(*tokens)
        self.doc._origins[local_ref] = (source, ext_pointer)
        nested: list[_RefSite] = []
        parent, pkey = (site.parent, site.key) if mode == "inline" else (bucket, name)
        depth = len(site_tokens) if mode == "inline" else 3
        _walk_structure(copy, local_ref, source, ext_pointer, nested, None, self.errors, depth)
        if nested and nested[0].holder is copy:
            nested[0].parent, nested[0].key = parent, pkey
        pending.extend(nested)


def _unique_name(bucket: dict[str, Any], base: str, stem: str) -> str:
    if base not in bucket:
        return base
    first = f"{base}_{stem}" if stem != base else base
    if first not in bucket:
        return first
    n = 2
    while f"{first}_{n}" in bucket:
        n += 1
    return f"{first}_{n}"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------
# Entry point


def _fail(file: str, message: str, line: int | None = None, pointer: str = "#") -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, Location(file, line, pointer))])


def load_document(
    path: str | Path, *, allow_remote_refs: bool = False, max_bytes: int = 64 * 2**20
) -> Document:
    """Read, parse and check an OpenAPI 3.0/3.1 document; bundle its file ``$ref``s.

    Raises :class:`SpecError` (never another exception for bad input) when the
    document cannot be used.
    """
    file = str(path)
    try:
        raw = _read_bytes(file, max_bytes)
    except _BuildError as exc:
        raise _fail(file, exc.message, exc.line, exc.pointer) from None
    return load_document_bytes(raw, file, allow_remote_refs=allow_remote_refs, max_bytes=max_bytes)


def load_document_bytes(
    raw: bytes, name: str, *, allow_remote_refs: bool = False, max_bytes: int = 64 * 2**20
) -> Document:
    """:func:`load_document` of bytes read elsewhere (e.g. ``git show``); ``name`` is shown
    in messages and relative file ``$ref``s are resolved against it."""
    file = name
    if len(raw) > max_bytes:
        raise _fail(file, f"oversized input: {len(raw)} bytes is more than the limit of {max_bytes} bytes")
    try:
        data, kind, notes, index = _parse(file, raw)
    except _BuildError as exc:
        raise _fail(file, exc.message, exc.line, exc.pointer) from None

    source = _Source(file, os.path.abspath(file), raw, kind, index)
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        raise _fail(file, f"not an OpenAPI 3.x document: the document is {what}", source.line_of("#") or 1)
    doc = Document(root=data, file=file, source_bytes=raw, _source=source)
    for message, line, pointer in notes:
        doc.warnings.append(Diagnostic(Level.WARNING, message, Location(file, line or doc.line_of(pointer), pointer)))

    def fail(message: str, pointer: str) -> SpecError:
        return _fail(file, message, doc.line_of(pointer), pointer)

    if "swagger" in data and "openapi" not in data:
        raise fail(
            f"not an OpenAPI 3.x document: this is Swagger {data['swagger']!s} (OpenAPI 2); "
            "convert it to OpenAPI 3 first (e.g. with swagger2openapi)",
            "#/swagger",
        )
    if "openapi" not in data:
        raise fail("not an OpenAPI 3.x document: no 'openapi' version field", "#")
    version = data["openapi"]
    match = _VERSION_RE.match(version) if isinstance(version, str) else None
    if not isinstance(version, str):
        raise fail(
            f"not an OpenAPI 3.x document: 'openapi' must be a version string like '3.1.0' "
            f"(got {_short(version)}; quote it)",
            "#/openapi",
        )
    if match is None:
        raise fail(f"not an OpenAPI 3.x document: unsupported 'openapi' version {version!r}", "#/openapi")
    minor = int(match.group(1))
    if minor not in (0, 1):
        raise fail(f"unsupported OpenAPI version {version!r}: oagen reads 3.0.x and 3.1.x", "#/openapi")
    if minor == 0 and "paths" not in data:
        raise fail("OpenAPI 3.0 document without 'paths' (only 3.1 allows webhooks-only documents)", "#")

    bundler = _Bundler(doc, allow_remote_refs, max_bytes)
    bundler.run()
    if bundler.errors:
        errors = sorted(
            bundler.errors,
            key=lambda d: (d.location.file != file, d.location.file, d.location.line or 0, d.location.pointer, d.message),
        )
        raise SpecError(errors)
    return doc
