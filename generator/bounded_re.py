"""``re.search`` with Python's semantics, in bounded time.

A spec's ``pattern`` (or ``patternProperties`` key) meets a spec's ``default``
value when the validator checks the default against its schema.  Python's ``re``
backtracks, so a hostile pair such as ``^(a+)+$`` and ``"a" * 40 + "!"`` runs for
hours.  :func:`search` answers the same question as ``re.search(pattern, subject)
is not None`` without that risk:

1. The pattern is compiled by ``re`` first, so an invalid pattern raises the same
   ``re.error`` (compiling is not the slow part: matching is).
2. Python's own parser (``re._parser``) gives its syntax tree, which is written
   out again for RE2 (``google-re2``), an automaton engine whose time is linear
   in the subject.  Every single-character test of the tree (literals under
   IGNORECASE, ``.``, ``[...]``, ``\\d``, ``\\w``, ``\\s``... under the active
   flags) becomes an explicit set of characters, computed by asking ``re``
   itself about each character that can occur, i.e. the ASCII range and the
   other characters of the subject: RE2's own, slightly different, ideas of
   ``\\d`` (ASCII only), ``\\s`` (no ``\\v``), case folding... never come into
   play.  ``$``, ``\\b`` and ``\\B`` are written so that they agree with
   Python for the subject at hand (see :func:`_at`).
3. Constructs RE2 has no automaton for (backreferences, lookaround, atomic
   groups and possessive repeats, conditionals, counted repeats beyond RE2's
   limit 1000) go to the ``regex`` module, a backtracking engine compatible
   with ``re`` that takes a timeout, on the same rewritten tree.  Each such
   search gets at most :data:`SEARCH_TIMEOUT` seconds and all of them together
   :data:`TOTAL_BUDGET` seconds per :func:`budget` scope.

When no engine can decide within those bounds, :func:`search` returns ``None``
(undecided); callers report that the value was not checked against the pattern.
"""

from __future__ import annotations

import functools
import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:  # Python 3.11+
    from re import _compiler as _sre_compile  # type: ignore[attr-defined]
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["search", "budget", "SEARCH_TIMEOUT", "TOTAL_BUDGET"]

SEARCH_TIMEOUT = 0.25
TOTAL_BUDGET = 5.0
_RE2_MAX_MEM = 64 << 20
_ASCII = "".join(map(chr, range(128)))
_CACHE = 512
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", object())  # Python 3.11+


class _Unsupported(Exception):
    """The tree has a construct that this dialect cannot express exactly."""


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.left = seconds


_budget = _Budget(TOTAL_BUDGET)


@contextmanager
def budget(seconds: float | None = None) -> Iterator[None]:
    """A fresh time budget (default :data:`TOTAL_BUDGET`) for the backtracking fallback."""
    global _budget
    saved, _budget = _budget, _Budget(TOTAL_BUDGET if seconds is None else seconds)
    try:
        yield
    finally:
        _budget = saved


def search(pattern: Any, subject: Any) -> bool | None:
    """``re.search(pattern, subject) is not None``, or None when it cannot be decided in bounds.

    Anything but two strings goes to ``re.search`` unchanged (it raises the same
    ``TypeError``; there is nothing to backtrack over).
    """
    if not isinstance(pattern, str) or not isinstance(subject, str):
        return re.search(pattern, subject) is not None
    re.compile(pattern)  # the same re.error as re.search for a bad pattern
    try:
        return _search(pattern, subject)
    except RecursionError:
        return None


def _profile(subject: str) -> tuple[frozenset[str], int]:
    """What the rewritten pattern depends on: the non-ASCII characters of the subject and
    its newlines (``end``: 0 no final newline, 1 one newline and it is final, 2 others,
    3 the empty subject)."""
    if not subject:
        return frozenset(), 3
    extra = frozenset(ch for ch in subject if ord(ch) > 127) if not subject.isascii() else frozenset()
    newlines = subject.count("\n")
    if not subject.endswith("\n"):
        end = 0  # Python's `$` can only match at the very end
    elif newlines == 1:
        end = 1  # ... or before the one, final, newline: RE2's (?m:$) exactly
    else:
        end = 2  # several lines: no RE2 equivalent
    return extra, end


def _search(pattern: str, subject: str) -> bool | None:
    extra, end = _profile(subject)
    compiled = _re2_compiled(pattern, extra, end)
    if compiled is not None:
        try:
            return compiled.search(subject) is not None
        except Exception:  # noqa: BLE001 - e.g. lone surrogates RE2 cannot encode
            pass
    fallback = _regex_compiled(pattern, extra, end)
    timeout = min(SEARCH_TIMEOUT, _budget.left)
    if fallback is None or timeout <= 0:
        return None
    start = time.perf_counter()
    try:
        return fallback.search(subject, timeout=timeout) is not None
    except TimeoutError:
        return None
    finally:
        _budget.left -= time.perf_counter() - start


@functools.lru_cache(maxsize=_CACHE)
def _re2_compiled(pattern: str, extra: frozenset[str], end: int) -> Any:
    try:
        text = _Writer(pattern, extra, end, "re2").write()
    except (_Unsupported, RecursionError):
        return None
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = _RE2_MAX_MEM
    try:
        return re2.compile(text, options)
    except Exception:  # noqa: BLE001 - too large, repeat count over 1000...
        return None


@functools.lru_cache(maxsize=_CACHE)
def _regex_compiled(pattern: str, extra: frozenset[str], end: int) -> Any:
    try:
        text = _Writer(pattern, extra, end, "regex").write()
    except (_Unsupported, RecursionError):
        return None
    import regex

    try:
        return regex.compile(text, regex.VERSION0)
    except Exception:  # noqa: BLE001
        return None


@functools.lru_cache(maxsize=_CACHE)
def _parsed(pattern: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # re.compile has already warned, as re.search would
        return _sre_parse.parse(pattern, 0)


class _Writer:
    """Writes a tree of ``re._parser`` out for RE2 or ``regex``, exactly for one subject profile."""

    def __init__(self, pattern: str, extra: frozenset[str], end: int, dialect: str) -> None:
        self.tree = _parsed(pattern)
        self.alphabet = _ASCII + "".join(sorted(extra))
        self.extra = extra
        self.end = end
        self.dialect = dialect

    def write(self) -> str:
        # RE2 and regex both parse this pattern with no flags: every flag of the
        # Python pattern is already folded into the character sets and anchors.
        return self._seq(self.tree.data, self.tree.state.flags)

    # -- character sets

    def _char(self, code: int) -> str:
        if self.dialect == "re2":
            return "\\x{%x}" % code
        return "\\U%08x" % code

    def _set(self, node: Any, flags: int) -> str:
        members = _members(node, flags, self.alphabet)
        if not members:
            return "[^\\x00-\\x{10ffff}]" if self.dialect == "re2" else "[^\\x00-\\U0010ffff]"
        codes = sorted(ord(ch) for ch in members)
        if len(codes) == 1:
            return self._char(codes[0])
        parts: list[str] = []
        start = prev = codes[0]
        for code in codes[1:] + [-2]:
            if code == prev + 1:
                prev = code
                continue
            parts.append(self._char(start) if start == prev else f"{self._char(start)}-{self._char(prev)}")
            start = prev = code
        return "[" + "".join(parts) + "]"

    # -- sequences

    def _seq(self, items: Any, flags: int) -> str:
        return "".join(self._node(op, av, flags) for op, av in items)

    def _node(self, op: Any, av: Any, flags: int) -> str:
        if op is _c.LITERAL and not flags & _c.SRE_FLAG_IGNORECASE:
            return self._char(av)
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
            return self._set((op, av), flags)
        if op is _c.BRANCH:
            return "(?:" + "|".join(self._seq(alt, flags) for alt in av[1]) + ")"
        if op is _c.SUBPATTERN:
            group, add, remove, sub = av
            if (add | remove) & _sre_parse.TYPE_FLAGS:
                # (?a:...) / (?u:...): CPython's search skips start positions with a
                # prefix set compiled under the outer flags, so re.search and
                # re.match disagree; rather than guess, leave such patterns undecided
                raise _Unsupported("scoped ASCII/UNICODE flag")
            inner = self._seq(sub, _sre_compile._combine_flags(flags, add, remove))
            return f"({inner})" if group else f"(?:{inner})"
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _POSSESSIVE):
            low, high, sub = av
            if op is _POSSESSIVE:
                # new in Python 3.11 (not in JSON Schema's ECMA-262 dialect), and 3.11's
                # matcher gets some nested cases wrong: left undecided rather than guessed
                raise _Unsupported("possessive repeat")
            body = "(?:" + self._seq(sub, flags) + ")"
            count = "{%d,}" % low if high is _c.MAXREPEAT else "{%d,%d}" % (low, high)
            return body + count + ("?" if op is _c.MIN_REPEAT else "")
        if op is _c.AT:
            return self._at(av, flags)
        if self.dialect == "re2":
            raise _Unsupported(str(op))
        # regex only: the constructs of backtracking engines, with re's semantics
        if op is _c.ASSERT or op is _c.ASSERT_NOT:
            direction, sub = av
            kind = ("=" if op is _c.ASSERT else "!") if direction == 1 else ("<=" if op is _c.ASSERT else "<!")
            return f"(?{kind}{self._seq(sub, flags)})"
        if op is _c.GROUPREF:
            if flags & _c.SRE_FLAG_IGNORECASE and self.extra:
                raise _Unsupported("case-insensitive backreference over non-ASCII text")
            return f"(?i:\\g<{av}>)" if flags & _c.SRE_FLAG_IGNORECASE else f"\\g<{av}>"
        if op is _c.GROUPREF_EXISTS:
            group, yes, no = av
            return f"(?({group}){self._seq(yes.data, flags)}|{self._seq(no.data, flags) if no else ''})"
        raise _Unsupported(str(op))

    def _at(self, code: Any, flags: int) -> str:
        multiline = bool(flags & _c.SRE_FLAG_MULTILINE)
        if code is _c.AT_BEGINNING_STRING or (code is _c.AT_BEGINNING and not multiline):
            return "\\A"
        if code is _c.AT_BEGINNING:  # after every newline, and at the start
            return "(?m:^)"
        if code is _c.AT_END_STRING:
            return "\\z" if self.dialect == "re2" else "\\Z"
        if code is _c.AT_END:
            if multiline:  # before every newline, and at the end
                return "(?m:$)"
            # Python: at the end, or before a newline that ends the subject
            if self.dialect == "regex":
                return "(?=\\n?\\Z)"
            if self.end in (0, 3):
                return "\\z"
            if self.end == 1:
                return "(?m:$)"
            raise _Unsupported("$ before the last of several newlines")
        if code is _c.AT_NON_BOUNDARY and self.end == 3:
            return self._set((_c.IN, []), flags)  # re: \B never matches the empty string
        if code in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY):
            word = _members((_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD)]), flags, self.alphabet)
            ascii_word = word == frozenset(ch for ch in self.alphabet if ch.isascii() and (ch.isalnum() or ch == "_"))
            if self.dialect == "re2" and code is _c.AT_NON_BOUNDARY and self.extra:
                # RE2 tests \B between bytes: inside a multi-byte character it matches
                raise _Unsupported("\\B over non-ASCII text")
            if not ascii_word:
                if self.dialect == "re2":
                    raise _Unsupported("\\b over non-ASCII word characters")
                # regex: spell the boundary with lookaround over the exact word set
                w = self._set((_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD)]), flags)
                if code is _c.AT_BOUNDARY:
                    return f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
                return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"
            if self.dialect == "regex":
                # regex's \b would use its own (Unicode) word set: spell it out
                w = "[0-9A-Za-z_]"
                if code is _c.AT_BOUNDARY:
                    return f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
                return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"
            return "\\b" if code is _c.AT_BOUNDARY else "\\B"
        raise _Unsupported(str(code))


def _members(node: Any, flags: int, alphabet: str) -> frozenset[str]:
    """The characters of ``alphabet`` that the one-character node matches, according to ``re``."""
    return _members_cached(_freeze(node), flags, alphabet)


def _freeze(node: Any) -> Any:
    if isinstance(node, (list, tuple)):
        return tuple(_freeze(n) for n in node)
    return node


@functools.lru_cache(maxsize=4096)
def _members_cached(node: Any, flags: int, alphabet: str) -> frozenset[str]:
    state = _sre_parse.State()
    state.flags = flags
    op, av = node
    if op is _c.IN:
        av = list(av)
    sub = _sre_parse.SubPattern(state, [(op, av)])
    matcher = _sre_compile.compile(sub, flags)
    return frozenset(ch for ch in alphabet if matcher.fullmatch(ch) is not None)
