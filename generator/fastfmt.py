"""black's output for a generated module, without running black on all of it.

black costs about a quarter of a millisecond per statement and per pass, and
``black.format_str`` makes two passes; a large generated module has tens of
thousands of statements, almost all of them written by our templates already in
black's style.  :func:`format_module` gives exactly ``black.format_str(text, mode)``
(the tests compare the two on every seed and corpus spec) while black sees only a
*skeleton* of the module:

1. The text is cut into logical lines (:func:`_scan`).  A line is *fast* when its
   formatted form is known without black, by rules taken from black's source for a
   deliberately small subset of Python (:func:`_check_line` and friends): one
   physical line that already fits ``line_length``, spaced exactly as black spaces
   it, using only names, numbers, strings, calls, subscripts, lists, dicts and
   binary operators, no magic trailing comma and nothing black would rewrite
   (parentheses black removes, slices, ``**``, walrus, ...); a string statement; a
   docstring; a ``def`` header, on one line or exploded one parameter per line; a
   ``class`` header; a ``# comment``.  Strings are normalised with black's own
   functions.  Anything else is *slow*: black formats it, in place, in context.
2. Fast lines are replaced by a one-line stand-in with the properties black's
   blank-line logic reads (depth, kind: plain statement, ``def``, stub ``def``,
   ``class``, docstring; the user's blank lines before it), and a run of fast
   statements of one block by a single stand-in; at module level, a run of simple
   classes, statements and comments becomes one stand-in class (the blank lines
   inside such a run follow black's rules for those few kinds of line, reproduced
   in :func:`_region_blank_lines`).
3. black formats the skeleton (small: a few statements per class or method), and the
   stand-ins are replaced by the fast lines.

Whenever something is not as expected -- a construct outside the subset, an
indentation black would change, a stand-in black moved or rewrote, a black version
other than the one these rules were read from -- :class:`Fallback` is raised and the
caller formats the whole text with black.  A text that does not compile is also left
to black, which reports it.
"""

from __future__ import annotations

import ast
import keyword
import re
import sys
from dataclasses import dataclass, field
from typing import Callable

# The black release the rules below were read from and verified against (the
# tests compare with full black on every spec).  Another version: full black.
BLACK_VERSION = "26.10.1"


class Fallback(Exception):
    """The fast path is not sure: format the whole text with black."""


_TOKEN = re.compile(
    r"""
    (?P<ws>[ ]+)
   |(?P<nl>\n)
   |(?P<comment>\#[^\n]*)
   |(?P<str>(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?
        (?:\"\"\"(?:[^"\\]+|\\[\s\S]|"(?!""))*\"\"\"
          |'''(?:[^'\\]+|\\[\s\S]|'(?!''))*'''
          |"(?:[^"\\\n]+|\\[^\n])*"
          |'(?:[^'\\\n]+|\\[^\n])*'))
   |(?P<num>(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?[jJ]?)(?![\w.]))
   |(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?!['"])
   |(?P<op>\.\.\.|->|\*\*=?|//=?|==|!=|<=|>=|<<=?|>>=?|:=|[-+*/%&|^@]=|[()\[\]{},:.;=+\-*/%<>@~&|^])
   |(?P<bad>[\s\S])
    """,
    re.VERBOSE,
)

_NESTED_FSTRINGS = sys.version_info >= (3, 12)
_KEYWORDS = frozenset(keyword.kwlist)
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_", "print", "exec"})
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(")]}")
_BINARY = frozenset({"|", "+", "-", "*", "/", "//", "%", "&", "^", "==", "!=", "<", ">", "<=", ">="})
_UNARY = frozenset({"-", "+", "~"})
# keywords that may appear inside an accepted expression (all spaced like names)
_EXPR_KEYWORDS = frozenset({"None", "True", "False", "not", "and", "or", "in", "is", "if", "else", "await"})
# after these, an operator is unary (or a star is an unpacking)
_OPERAND_EXPECTED = frozenset({"(", "[", "{", ",", "=", ":", "->", "not", "and", "or", "in", "is", "if", "else",
                               "return", "await", "raise", "from"}) | _BINARY


@dataclass
class Tok:
    kind: str  # "name", "num", "str", "op", "comment"
    text: str
    prefix: str  # the whitespace before it on its physical line ("" at a line start)
    line: int  # physical line index where it starts
    bol: bool  # first token of its physical line


@dataclass
class Logical:
    """One logical line: a statement or a compound-statement header."""

    first: int  # first physical line index
    last: int  # last physical line index
    indent: int
    toks: list[Tok]
    blank_before: int = 0
    depth: int = 0
    comment: Tok | None = None  # a trailing comment
    inner_comment: bool = False  # a comment inside its brackets: never fast


@dataclass
class Comment:
    line: int
    indent: int
    text: str
    blank_before: int = 0
    depth: int = 0


def _scan(text: str) -> list[Logical | Comment]:
    """The text as logical lines and comment lines, each with the blank lines before it."""
    items: list[Logical | Comment] = []
    line = 0
    depth = 0  # bracket depth
    cur: list[Tok] = []
    cur_first = 0
    cur_indent = 0
    bol = True
    prefix = ""
    indent = 0
    blank = 0
    line_has_code = False
    comment: Tok | None = None
    inner_comment = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "bad"
        value = m.group()
        if kind == "ws":
            prefix = value
            if bol:
                indent = len(value)
            continue
        if kind == "nl":
            if depth == 0:
                if cur:
                    items.append(Logical(cur_first, line, cur_indent, cur, blank, comment=comment,
                                         inner_comment=inner_comment))
                    blank = 0
                    cur = []
                    comment = None
                    inner_comment = False
                elif not line_has_code:
                    blank += 1
            line += 1
            bol = True
            prefix = ""
            indent = 0
            line_has_code = False
            continue
        if kind == "bad":
            raise Fallback(f"unsupported character {value!r} on line {line + 1}")
        if kind == "comment":
            if depth:
                inner_comment = True
            elif cur:
                comment = Tok("comment", value, prefix, line, bol)
            else:
                items.append(Comment(line, indent, value, blank))
                blank = 0
                line_has_code = True
            prefix = ""
            bol = False
            continue
        if not cur:
            cur_first = line
            cur_indent = indent
        line_has_code = True
        cur.append(Tok(kind, value, prefix, line, bol))
        bol = False
        prefix = ""
        if kind == "op":
            if value in _OPEN:
                depth += 1
            elif value in _CLOSE:
                depth -= 1
                if depth < 0:
                    raise Fallback("unbalanced brackets")
            elif value == ";":
                raise Fallback("semicolon")
        elif kind == "str":
            line += value.count("\n")
            if _NESTED_FSTRINGS and "f" in _prefix(value).lower() and "{" in value:
                raise Fallback("an f-string: from Python 3.12 it may nest quotes")
    if cur or depth:
        raise Fallback("text does not end with a newline")
    return items


# --- strings -------------------------------------------------------------------------


def _prefix(value: str) -> str:
    """A string token's prefix (``r``, ``b``, ``f``, ...)."""
    return value[: len(value) - len(value.lstrip("rRbBuUfF"))]


def _normalize_string(value: str, mode) -> str:
    """What black's ``visit_STRING`` makes of a string that is not a docstring."""
    if value[0] in "'\"" and "\\" not in value:
        body = value[1:-1]
        if value[0] == '"' and value[:3] != '""' + '"' and "'" not in body:
            return value  # no prefix, no escapes, double quotes already: unchanged
        if value[0] == "'" and value[:3] != "''" + "'" and '"' not in body and "'" not in body:
            return '"' + body + '"'  # normalize_string_quotes prefers double quotes
    from black.strings import normalize_string_prefix, normalize_string_quotes

    value = _unicode_escapes(value)
    value = normalize_string_prefix(value, mode)
    return normalize_string_quotes(value)


def _normalize_number(value: str) -> str:
    """black's ``normalize_numeric_literal``."""
    if value.isdigit():
        return value
    from blib2to3.pgen2 import token
    from blib2to3.pytree import Leaf

    from black.numerics import normalize_numeric_literal

    leaf = Leaf(token.NUMBER, value)
    normalize_numeric_literal(leaf)
    return leaf.value


def _unicode_escapes(value: str) -> str:
    if "\\" not in value:
        return value  # no escape sequence to normalise
    from blib2to3.pgen2 import token
    from blib2to3.pytree import Leaf

    from black.strings import normalize_unicode_escape_sequences

    leaf = Leaf(token.STRING, value)
    normalize_unicode_escape_sequences(leaf)
    return leaf.value



def _docstring(value: str, depth: int, mode) -> str:
    """black's ``LineGenerator.visit_STRING`` for a string in docstring position.

    A line-for-line port of black 26.10.1 (see BLACK_VERSION), using black's helpers.
    """
    from black.strings import (
        fix_multiline_docstring,
        get_string_prefix,
        normalize_string_prefix,
        normalize_string_quotes,
    )

    value = _unicode_escapes(value)
    prefix = get_string_prefix(value)
    if set(prefix).intersection("bBfFtT"):
        raise Fallback("bytes docstring")  # not a docstring for black: keep it simple
    if re.search(r"\\\s*\n", value):
        raise Fallback("docstring with a backslash-newline")
    if not mode.string_normalization:
        raise Fallback("string normalization off")
    docstring = normalize_string_prefix(value, mode)
    docstring = normalize_string_quotes(docstring)
    prefix = get_string_prefix(docstring)
    docstring = docstring[len(prefix):]
    quote_char = docstring[0]
    first_quote_len = 1 if docstring[1] != quote_char else 3
    quote_len = first_quote_len
    docstring = docstring[quote_len:-quote_len]
    docstring_started_empty = not docstring
    indent = " " * 4 * depth
    if "\n" in value and value[len(_prefix(value)):][:3] in ('"""', "'''"):  # is_multiline_string
        docstring = fix_multiline_docstring(docstring, indent)
    else:
        docstring = docstring.strip()
    has_trailing_backslash = False
    if docstring:
        if docstring[0] == quote_char:
            docstring = " " + docstring
        if docstring[-1] == quote_char:
            docstring += " "
        if docstring[-1] == "\\":
            backslash_count = len(docstring) - len(docstring.rstrip("\\"))
            if backslash_count % 2:
                docstring += " "
                has_trailing_backslash = True
    elif not docstring_started_empty:
        docstring = " "
    quote = quote_char * quote_len
    if quote_len == 3:
        lines = docstring.splitlines()
        last_line_length = len(lines[-1]) if docstring and not docstring.endswith("\n") else 0
        if (
            len(lines) > 1
            and last_line_length + quote_len > mode.line_length
            and len(indent) + quote_len <= mode.line_length
            and not has_trailing_backslash
        ):
            if value[-1 - quote_len] == "\n":
                out = prefix + quote + docstring + quote
            else:
                out = prefix + quote + docstring + "\n" + indent + quote
        else:
            out = prefix + quote + docstring + quote
    else:
        out = prefix + quote + docstring + quote
    out = normalize_string_prefix(out, mode)
    return normalize_string_quotes(out)


# --- one line of code ----------------------------------------------------------------


def _comment_ok(text: str) -> bool:
    """A comment black leaves exactly as it is (and that changes nothing around it)."""
    if text == "#":
        return True
    if not text.startswith("# ") or text != text.rstrip():
        return False
    body = text[2:].lstrip()
    if "\N{NO-BREAK SPACE}" in text or body.startswith(("type:", "fmt:", "yapf:")) or "fmt:" in text:
        return False
    return True


@dataclass
class _Ctx:
    kind: str  # "call", "sub", "list", "dict", "params", "bases"
    bracket: str
    annotated: bool = False  # params: the current parameter has an annotation


def _target_end(toks: list[Tok]) -> int:
    """Index after a leading dotted name (``x``, ``self.x``): a statement's simple target."""
    if not toks or toks[0].kind != "name" or toks[0].text in _KEYWORDS:
        return 0
    i = 1
    while i + 1 < len(toks) and toks[i].text == "." and toks[i + 1].kind == "name":
        i += 2
    return i


def _check_tokens(toks: list[Tok], start: str, *, magic: int = -1) -> None:
    """Raise Fallback unless black would print ``toks`` exactly with their spacing.

    The text is known to compile (:func:`format_module` checks), so only spacing and
    the constructs black rewrites matter here.  ``start`` is what the tokens are:
    "stmt" (a simple statement), "def" or "class" (a header, up to its final ``:`` and
    an optional stub ``...``).  Tokens that start a physical line (an exploded header)
    are not checked for spacing; ``magic`` is the index of the one closing bracket
    that may follow a trailing comma (the exploded parameter list).
    """
    stack: list[_Ctx] = []
    prev: Tok | None = None
    unary_next = False  # the previous token was a unary operator or an unpacking star
    target_end = _target_end(toks) if start == "stmt" else -1
    stmt_colon = False
    stmt_eq = False
    header_done = False
    n = len(toks)
    for i, t in enumerate(toks):
        v = t.text
        k = t.kind
        top = stack[-1] if stack else None
        # 1. the whitespace black puts before the token
        if header_done:
            if not (start == "def" and k == "op" and v == "..." and i == n - 1):
                raise Fallback("code after a header")
            expected = " "
        elif k == "op" and v in _CLOSE:
            if top is None or _OPEN[top.bracket] != v or prev is None:
                raise Fallback("bracket mismatch")
            if prev.kind == "op" and prev.text == "," and i != magic:
                raise Fallback("magic trailing comma")
            if top.kind == "bases" and prev.kind == "op" and prev.text == "(":
                raise Fallback("empty class parentheses")
            expected = ""
        elif prev is None:
            expected = ""
        elif k == "op" and v == ",":
            expected = ""
        elif prev.kind == "op" and prev.text in _OPEN:
            expected = ""
        elif unary_next:
            expected = ""
        elif k == "op" and v in (".", "(", ":"):
            expected = ""
        elif prev.kind == "op" and prev.text == ".":
            expected = ""
        elif k == "op" and v == "[" and _is_callable_end(prev):
            expected = ""
        elif (k == "op" and v == "=") or (prev.kind == "op" and prev.text == "="):
            ctx = top.kind if top is not None else "stmt"
            if ctx == "stmt":
                expected = " "
            elif ctx in ("call", "bases"):
                expected = ""
            elif ctx == "params":
                expected = " " if top is not None and top.annotated else ""
            else:
                raise Fallback("'=' inside brackets")
        else:
            expected = " "
        if t.bol:
            if i and magic < 0:
                raise Fallback("continuation line")
        elif t.prefix != expected:
            raise Fallback(f"spacing before {v!r}")
        # 2. what the token is, and what black might rewrite
        unary_next = False
        if k == "name":
            if v in _KEYWORDS:
                ok = (
                    v in _EXPR_KEYWORDS
                    or (i == 0 and start == "stmt" and v in ("return", "raise", "pass"))
                    or (i == 0 and start == "def" and v in ("def", "async"))
                    or (i == 1 and start == "def" and v == "def" and toks[0].text == "async")
                    or (i == 0 and start == "class" and v == "class")
                    or (v == "from" and start == "stmt" and toks[0].text == "raise" and not stack)
                )
                if not ok:
                    raise Fallback(f"keyword {v!r}")
            elif i == 0 and v in _SOFT_KEYWORDS and not (n > 1 and toks[1].text in (":", "=")):
                raise Fallback("soft keyword")
        elif k == "str":
            if "\n" in v:
                raise Fallback("multi-line string in an expression")
            if "f" in _prefix(v).lower():
                raise Fallback("f-string")
        elif k == "num":
            pass
        elif k == "op":
            if v == "...":
                if not header_done and not (stack and prev is not None and prev.kind == "op"
                                            and prev.text in ("[", "(", ",", "=")):
                    raise Fallback("ellipsis")
                if i + 1 < n and toks[i + 1].text in (".", "(", "["):
                    raise Fallback("ellipsis trailer")
            elif v in _OPEN:
                if v == "(":
                    if start == "def" and i == _def_name_index(toks) + 1 and not stack:
                        kind = "params"
                    elif start == "class" and i == 2:
                        kind = "bases"
                    elif prev is not None and _is_callable_end(prev):
                        kind = "call"
                    else:
                        raise Fallback("parentheses that are not a call")  # black may remove them
                elif v == "[":
                    kind = "sub" if prev is not None and _is_callable_end(prev) else "list"
                else:
                    kind = "dict"
                stack.append(_Ctx(kind, v))
            elif v in _CLOSE:
                stack.pop()
            elif v == ",":
                if top is None:
                    raise Fallback("statement-level comma")  # a tuple black may parenthesize
                if top.kind == "params":
                    top.annotated = False
            elif v == ".":
                if prev is not None and prev.kind == "num":
                    raise Fallback("attribute of a number")
            elif v == ":":
                if top is None:
                    if start == "stmt":
                        if i != target_end or stmt_colon or stmt_eq:
                            raise Fallback("statement-level colon")
                        stmt_colon = True
                    else:
                        header_done = True
                elif top.kind == "dict":
                    pass
                elif top.kind == "params" and prev is not None and prev.kind == "name":
                    top.annotated = True
                else:
                    raise Fallback("colon inside brackets (slice, lambda, ...)")
            elif v == "=":
                if top is None:
                    if start != "stmt" or stmt_eq or not (i == target_end or stmt_colon):
                        raise Fallback("statement-level '='")
                    stmt_eq = True
                elif top.kind in ("call", "bases"):
                    if not (prev is not None and prev.kind == "name" and i >= 2 and toks[i - 2].text in ("(", ",")):
                        raise Fallback("'=' that is not a keyword argument")
                elif top.kind != "params":
                    raise Fallback("'=' inside brackets")
            elif v == "->":
                if not (start == "def" and top is None and prev is not None and prev.text == ")"):
                    raise Fallback("arrow")
                if i + 1 < n and toks[i + 1].kind == "str":
                    raise Fallback("string return annotation")
            elif (v in ("*", "**") and top is not None and top.kind in ("call", "params")
                  and prev is not None and prev.text in ("(", ",")):
                unary_next = not (v == "*" and i + 1 < n and toks[i + 1].text == ",")
            elif v in _UNARY and (prev is None or _operand_expected(prev)):
                unary_next = True
            elif v in _BINARY and prev is not None and not _operand_expected(prev):
                pass
            else:
                raise Fallback(f"operator {v!r}")
        prev = t
    if stack:
        raise Fallback("unclosed bracket")
    if start in ("def", "class") and not header_done:
        raise Fallback("header without a colon")


def _is_callable_end(t: Tok) -> bool:
    if t.kind == "name":
        return t.text not in _KEYWORDS
    return t.kind == "op" and t.text in (")", "]")


def _operand_expected(t: Tok) -> bool:
    if t.kind == "name":
        return t.text in _KEYWORDS and t.text not in ("None", "True", "False")
    return t.kind == "op" and t.text in _OPERAND_EXPECTED


def _def_name_index(toks: list[Tok]) -> int:
    return 2 if toks[0].text == "async" else 1


def _width(s: str) -> int:
    if s.isascii():
        return len(s)
    from black.strings import str_width

    return str_width(s)


def _render(indent: str, toks: list[Tok], mode, comment: Tok | None = None) -> str:
    """One physical line: the tokens with their (checked) spacing, strings normalised."""
    parts = [indent]
    for i, t in enumerate(toks):
        if i:
            parts.append(t.prefix)
        if t.kind == "str":
            parts.append(_normalize_string(t.text, mode))
        elif t.kind == "num":
            parts.append(_normalize_number(t.text))
        else:
            parts.append(t.text)
    if comment is not None:
        parts.append("  " + comment.text)
    return "".join(parts)


# --- logical lines -------------------------------------------------------------------


@dataclass
class Fast:
    """The formatted form of one logical line, and what kind of line it is for black."""

    kind: str  # "plain", "string", "docstring", "def", "stubdef", "asyncdef", "asyncstubdef", "class"
    lines: list[str]


def _fast_line(ll: Logical, docpos: bool, mode) -> Fast | None:
    """The formatted form of a logical line when it is certain, else None."""
    toks = ll.toks
    indent = " " * (4 * ll.depth)
    first = toks[0]
    if ll.inner_comment:
        return None
    try:
        if len(toks) == 1 and first.kind == "str" and ll.comment is None:
            pfx = _prefix(first.text)
            if "f" in pfx.lower():
                return None
            if docpos:
                text = _docstring(first.text, ll.depth, mode)
                return Fast("docstring", (indent + text).split("\n"))
            return Fast("string", (indent + _normalize_string(first.text, mode)).split("\n"))
        if ll.comment is not None and not _comment_ok(ll.comment.text):
            return None
        if ll.comment is not None and ll.comment.prefix != "  ":
            return None
        if first.kind == "name" and first.text in ("def", "async"):
            return _fast_def(ll, indent, mode)
        if first.kind == "name" and first.text == "class":
            if ll.first != ll.last or ll.comment is not None:
                return None
            _check_tokens(toks, "class")
            if toks[-1].text == "...":
                return None  # a stub class: black's blank lines differ
            line = _render(indent, toks, mode)
            if _width(line) > mode.line_length:
                return None
            return Fast("class", [line])
        tup = _collection_assignment(ll, indent, mode)
        if tup is not None:
            return tup
        if ll.first != ll.last:
            return None
        if first.kind != "name" or (first.text in _KEYWORDS and first.text not in ("return", "raise", "pass")):
            return None
        _check_tokens(toks, "stmt")
        line = _render(indent, toks, mode, ll.comment)
        if _width(line) > mode.line_length:
            return None
        return Fast("plain", [line])
    except Fallback:
        return None


def _collection_assignment(ll: Logical, indent: str, mode) -> Fast | None:
    """``NAME = ('a', 'b', )`` or ``NAME = ['a', 'b', ]``: strings and a trailing comma.

    A one-tuple stays on one line, ``NAME = ("a",)`` (its comma is not magic).
    Otherwise the trailing comma is magic and black explodes the bracket, one string
    per line: ``generate_trailers_to_omit`` stops at the magic comma, so
    ``right_hand_split`` splits at the last bracket -- for a tuple (an atom with a
    comma inside keeps its visible parentheses and gets no invisible ones) the
    tuple's, for a list the invisible parentheses around it, which
    ``can_omit_invisible_parens`` drops (the list has no delimiter of its own) and
    ``_prefer_split_rhs_oop_over_rhs`` prefers to drop (a plain name before the
    ``=``); the body splits at its commas, and every line fits (checked).
    """
    toks = ll.toks
    n = len(toks)
    if (ll.comment is not None or n < 6 or toks[0].kind != "name" or toks[0].text in _KEYWORDS
            or toks[0].text in _SOFT_KEYWORDS or toks[1].text != "=" or toks[2].text not in ("(", "[")
            or toks[-1].text != _OPEN[toks[2].text] or toks[-2].text != "," or (n - 4) % 2):
        return None
    elems = []
    for i in range(3, n - 1, 2):
        t = toks[i]
        if t.kind != "str" or toks[i + 1].text != "," or "\n" in t.text or "f" in _prefix(t.text).lower():
            return None
        elems.append(_normalize_string(t.text, mode))
    opening, closing = toks[2].text, toks[-1].text
    if len(elems) == 1 and opening == "(":
        lines = [f"{indent}{toks[0].text} = ({elems[0]},)"]
    else:
        lines = [f"{indent}{toks[0].text} = {opening}"] + [f"{indent}    {e}," for e in elems] + [indent + closing]
    # An element line too long stays as it is: a lone string has nothing to split at.
    if _width(lines[0]) > mode.line_length or (len(lines) == 1 and len(elems) > 1):
        return None
    return Fast("plain", lines)


def _fast_def(ll: Logical, indent: str, mode) -> Fast | None:
    toks = ll.toks
    if ll.comment is not None:
        return None
    is_async = toks[0].text == "async"
    stub = toks[-1].text == "..."
    kind = ("async" if is_async else "") + ("stubdef" if stub else "def")
    if ll.first == ll.last:
        _check_tokens(toks, "def")
        line = _render(indent, toks, mode)
        if _width(line) > mode.line_length:
            return None
        return Fast(kind, [line])
    # Exploded: "def name(" / one parameter per line, each ending with "," / ") -> R:".
    # black's left_hand_split on the magic trailing comma gives exactly this when every
    # line fits and nothing else in the header asks for a split.
    name_i = _def_name_index(toks)
    open_i = name_i + 1
    if len(toks) <= open_i or toks[open_i].text != "(" or toks[open_i + 1].bol is not True:
        return None
    # matching ')'
    depth = 0
    close_i = -1
    for i in range(open_i, len(toks)):
        v = toks[i].text if toks[i].kind == "op" else ""
        if v in _OPEN:
            depth += 1
        elif v in _CLOSE:
            depth -= 1
            if depth == 0:
                close_i = i
                break
    if close_i < 0 or not toks[close_i].bol or toks[close_i - 1].text != ",":
        return None
    # physical lines of parameters: each starts after "(" or ",", at bracket depth 1
    lines_toks: list[list[Tok]] = [toks[: open_i + 1]]
    depth = 0
    for i in range(open_i + 1, close_i):
        t = toks[i]
        if t.bol:
            if depth != 0 or toks[i - 1].text not in ("(", ","):
                return None
            lines_toks.append([])
        if t.kind == "op" and t.text in _OPEN:
            depth += 1
        elif t.kind == "op" and t.text in _CLOSE:
            depth -= 1
        lines_toks[-1].append(t)
    for i in range(close_i + 1, len(toks)):
        if toks[i].bol:
            return None
    for lt in lines_toks[1:]:
        if lt[-1].text != "," or any(t.kind == "op" and t.text == "," for t in _top_level(lt)[:-1]):
            return None  # one parameter per line
    _check_tokens(toks, "def", magic=close_i)
    out = [_render(indent, lines_toks[0], mode)]
    inner = indent + "    "
    for lt in lines_toks[1:]:
        out.append(_render(inner, lt, mode))
    out.append(_render(indent, toks[close_i:], mode))
    if any(_width(line) > mode.line_length for line in out):
        return None
    return Fast(kind, out)


def _top_level(toks: list[Tok]) -> list[Tok]:
    """The tokens at bracket depth 0 of a token list."""
    out = []
    depth = 0
    for t in toks:
        if t.kind == "op" and t.text in _CLOSE:
            depth -= 1
        if depth == 0:
            out.append(t)
        if t.kind == "op" and t.text in _OPEN:
            depth += 1
    return out


# --- the module ----------------------------------------------------------------------


@dataclass
class _Group:
    """Consecutive lines replaced by one stand-in in the skeleton."""

    ident: str
    stand_in: list[str]  # skeleton lines (the first carries the stand-in name)
    last_name: str  # the stand-in name on the group's last skeleton line
    lines: list[str] = field(default_factory=list)  # the formatted lines
    indent: int = 0


def _opens_block(ll: Logical) -> bool:
    return ll.toks[-1].kind == "op" and ll.toks[-1].text == ":"


def _depths(items: list[Logical | Comment]) -> None:
    """Each statement's and comment's block depth.

    black indents by four spaces per level whatever the text used; fast lines are
    written that way, and the skeleton gives every slow line (its first physical line:
    the others are inside brackets or strings, where indentation means nothing) and
    every comment the indentation of its level.  A comment must sit exactly at the
    indentation of a level open around it, or the fast path gives up.
    """
    stack = [0]
    prev: Logical | None = None
    pending: list[Comment] = []
    before: list[int] = [0]
    for item in items:
        if isinstance(item, Comment):
            pending.append(item)
            continue
        ind = item.indent
        before = list(stack)
        if prev is not None and _opens_block(prev):
            if ind <= stack[-1]:
                raise Fallback("a block without an indented body")
            stack.append(ind)
        else:
            while ind < stack[-1]:
                stack.pop()
            if ind != stack[-1]:
                raise Fallback("inconsistent dedent")
        item.depth = len(stack) - 1
        for c in pending:
            c.depth = _comment_level(c, stack, before)
        pending = []
        prev = item
    for c in pending:
        c.depth = _comment_level(c, stack, stack)


def _comment_level(c: Comment, after: list[int], before: list[int]) -> int:
    if c.indent in after:
        return after.index(c.indent)
    if c.indent in before:
        return before.index(c.indent)
    raise Fallback("a comment between indentation levels")


def _reindent(line: str, depth: int) -> str:
    return " " * (4 * depth) + line.lstrip(" ")


def format_module(text: str, mode, black_format: Callable[[str], str]) -> str:
    """``black.format_str(text, mode=mode)``; ``black_format`` is called on the skeleton."""
    if (mode.preview or mode.is_pyi or mode.is_ipynb or not mode.magic_trailing_comma
            or not mode.string_normalization or mode.unstable or mode.enabled_features
            or mode.skip_source_first_line):
        raise Fallback("a black mode these rules were not written for")
    try:
        compile(text, "<generated>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise Fallback("does not compile: black reports it") from exc
    items = _scan(text)
    _depths(items)
    marker = "_oagen_fmt_"
    while marker in text:
        marker += "_"
    groups: list[_Group] = []
    skeleton: list[str] = []
    lines = text.split("\n")

    def new_group(stand_in: list[str], last_name: str, out: list[str], depth: int) -> _Group:
        g = _Group(str(len(groups)), stand_in, last_name, out, depth)
        groups.append(g)
        return g

    n = len(items)
    i = 0
    # what every logical line becomes when it is certain
    fast: list[Fast | None] = []
    p: Logical | None = None
    for item in items:
        if isinstance(item, Comment):
            fast.append(None)
            continue
        docpos = p is None or (_opens_block(p) and item.depth > p.depth)
        fast.append(_fast_line(item, docpos, mode))
        p = item

    _batch(items, fast, lines, mode, marker, black_format)

    def blanks(k: int) -> list[str]:
        return [""] * k

    def emit_slow(item: Logical | Comment) -> None:
        skeleton.extend(blanks(item.blank_before))
        if isinstance(item, Comment):
            skeleton.append(_reindent(lines[item.line], item.depth))
        else:
            skeleton.append(_reindent(lines[item.first], item.depth))
            skeleton.extend(lines[item.first + 1: item.last + 1])

    while i < n:
        item = items[i]
        f = fast[i]
        # a module-level region of simple classes, statements and comments
        if isinstance(item, Logical) and item.depth == 0 and f is not None and f.kind == "class":
            end, out = _region(items, fast, i, mode)
            if end > i:
                name = f"{marker}{len(groups)}"
                last = items[end - 1]
                stand = [f"class {name}:", f"    {name}a = 0"]
                last_name = f"{name}a"
                if end - 1 > i:
                    if isinstance(last, Logical) and last.depth == 0:  # a statement
                        stand += ["", "", f"{name}b = 0"]
                        last_name = f"{name}b"
                    else:  # the body of a class
                        stand += ["", "", f"class {name}c:", f"    {name}b = 0"]
                        last_name = f"{name}b"
                skeleton.extend(blanks(item.blank_before))
                skeleton.extend(stand)
                new_group(stand, last_name, out, 0)
                i = end
                continue
        if isinstance(item, Comment) or f is None:
            emit_slow(item)
            i += 1
            continue
        name = f"{marker}{len(groups)}"
        ind = " " * (4 * item.depth)
        if f.kind in ("plain", "string"):
            # a run of simple statements of one block, blank lines only between them
            j = i + 1
            out = list(f.lines)
            limit = 2 if item.depth == 0 else 1  # black's max_allowed
            while j < n:
                nxt = items[j]
                nf = fast[j]
                if (isinstance(nxt, Comment) or nf is None or nf.kind not in ("plain", "string")
                        or nxt.depth != item.depth):
                    break
                out.extend(blanks(min(nxt.blank_before, limit)))
                out.extend(nf.lines)
                j += 1
            stand = [f"{ind}{name} = 0"]
            i_next = j
        elif f.kind == "docstring":
            stand = [f'{ind}"""{name}"""']
            out = f.lines
            i_next = i + 1
        elif f.kind == "class":
            stand = [f"{ind}class {name}:"]
            out = f.lines
            i_next = i + 1
        else:  # def headers
            stand = [ind + ("async " if f.kind.startswith("async") else "") + f"def {name}():"
                     + (" ..." if "stub" in f.kind else "")]
            out = f.lines
            i_next = i + 1
        skeleton.extend(blanks(item.blank_before))
        skeleton.extend(stand)
        new_group(stand, name, out, item.depth)
        i = i_next
    if not groups:
        return black_format(text)
    formatted = black_format("\n".join(skeleton) + "\n")
    return _substitute(formatted, groups, marker)


def _substitute(formatted: str, groups: list[_Group], marker: str) -> str:
    out_lines = formatted.split("\n")
    result: list[str] = []
    pat = re.compile(r"^( *)(?:async def |def |class |\"\"\")?(" + re.escape(marker) + r"(\d+))")
    g_index = 0
    k = 0
    total = len(out_lines)
    while k < total:
        line = out_lines[k]
        if marker not in line:
            result.append(line)
            k += 1
            continue
        m = pat.match(line)
        if m is None or g_index >= len(groups) or m.group(3) != groups[g_index].ident:
            raise Fallback("stand-in not found where expected")
        g = groups[g_index]
        g_index += 1
        expected_first = g.stand_in[0].lstrip(" ")
        if line != " " * (4 * g.indent) + expected_first:
            raise Fallback("black changed a stand-in")
        if len(g.stand_in) == 1:
            result.extend(g.lines)
            k += 1
            continue
        # a region: up to the line holding its last stand-in name
        end = k + 1
        while end < total and g.last_name + " = 0" not in out_lines[end]:
            if out_lines[end] and marker not in out_lines[end]:
                raise Fallback("something inside a region's stand-in")
            end += 1
        if end >= total or out_lines[end].strip() != g.last_name + " = 0":
            raise Fallback("region end not found")
        result.extend(g.lines)
        k = end + 1
    if g_index != len(groups):
        raise Fallback("stand-ins missing")
    return "\n".join(result)


def _region(items: list[Logical | Comment], fast: list[Fast | None], start: int, mode) -> tuple[int, list[str]]:
    """A module-level run of simple classes, statements and comments from ``start``.

    Returns (end index, formatted lines); end == start when there is none.  The
    blank lines between the parts follow black's rules for these kinds of line (see
    :func:`_region_blank_lines`); a comment may only be followed by a statement or a
    comment, and the run never ends with a comment, so that black's handling of
    comments before a class or def never reaches into the run.
    """
    out: list[str] = []
    i = start
    n = len(items)
    kinds: list[str] = []  # of the chunks taken: "class", "plain", "comment"
    committed_end = start
    committed_len = 0
    prev_kind = ""
    while i < n:
        item = items[i]
        if isinstance(item, Comment):
            if item.depth != 0 or not _comment_ok(item.text) or not kinds:
                break
            out.extend([""] * _region_blank_lines(prev_kind, "comment", item.blank_before))
            out.append(item.text)
            kinds.append("comment")
            prev_kind = "comment"
            i += 1
            continue
        f = fast[i]
        if item.depth != 0 or f is None:
            break
        if f.kind == "class":
            if prev_kind == "comment":
                break
            body_end, body = _class_body(items, fast, i)
            if body_end == i:
                break
            if kinds:
                out.extend([""] * _region_blank_lines(prev_kind, "class", item.blank_before))
            out.extend(f.lines)
            out.extend(body)
            kinds.append("class")
            prev_kind = "class"
            i = body_end
        elif f.kind in ("plain",):
            if not kinds:
                break
            out.extend([""] * _region_blank_lines(prev_kind, "plain", item.blank_before))
            out.extend(f.lines)
            kinds.append("plain")
            prev_kind = "plain"
            i += 1
        else:
            break
        committed_end = i
        committed_len = len(out)
    return committed_end, out[:committed_len]


def _region_blank_lines(prev: str, cur: str, user: int) -> int:
    """Blank lines black puts between two module-level parts of a region.

    After a class (its body's last line is a plain statement or string, never a lone
    docstring) black always puts two; before a class, after a statement, also two
    (``_maybe_empty_lines_for_class_or_def``); otherwise the user's, at most two.
    """
    if prev == "class" or cur == "class":
        return 2
    return min(user, 2)


def _class_body(items: list[Logical | Comment], fast: list[Fast | None], start: int) -> tuple[int, list[str]]:
    """The formatted body of the class at ``start`` when every line of it is fast.

    Body lines: an optional docstring (no blank line before it; black puts exactly one
    after it), then plain statements and strings at depth 1 with at most one blank
    line between them.  Returns (index after the body, lines); (start, []) when not.
    """
    out: list[str] = []
    i = start + 1
    n = len(items)
    first = True
    after_doc = False
    while i < n:
        item = items[i]
        if isinstance(item, Comment):
            j = i
            while j < n and isinstance(items[j], Comment):
                j += 1
            if item.depth == 0 and not first and (j == n or items[j].depth == 0):
                break  # a module-level comment after the class
            return start, []
        if item.depth == 0:
            break
        f = fast[i]
        if item.depth != 1 or f is None:
            return start, []
        if first:
            if item.blank_before:
                return start, []
            if f.kind == "docstring":
                out.extend(f.lines)
                after_doc = True
                first = False
                i += 1
                continue
        if f.kind not in ("plain", "string"):
            return start, []
        if after_doc:
            out.append("")
        elif not first:
            out.extend([""] * min(item.blank_before, 1))
        out.extend(f.lines)
        after_doc = False
        first = False
        i += 1
    if first or after_doc:
        return start, []  # empty, or a docstring only
    return i, out


_COMPOUND = frozenset({"def", "class", "if", "elif", "else", "for", "while", "try", "except", "finally",
                       "with", "async", "import", "from", "match", "case"})


def _batchable(ll: Logical) -> bool:
    """A simple statement whose formatting depends only on itself and its depth."""
    first = ll.toks[0]
    if ll.comment is not None or ll.inner_comment or _opens_block(ll):
        return False
    if first.kind != "name" or first.text in _COMPOUND or first.text in _SOFT_KEYWORDS:
        return False  # a string first might be a docstring; compound statements; imports
    if first.text == "type":
        return False
    if len(ll.toks) == 1 and first.text != "pass":
        return False
    return not any(t.kind == "str" and "\n" in t.text for t in ll.toks)


def _batch(items: list[Logical | Comment], fast: list[Fast | None], lines: list[str], mode, marker: str,
           black_format: Callable[[str], str]) -> None:
    """Format the slow simple statements with black, all of one depth in one call.

    black formats a simple statement from its own leaves and its depth alone (its
    line, split or not, is ``transform_line(line)``); only the blank lines around it
    depend on its neighbours, and those are not taken from here.  The statements of
    one depth are put one after the other in a body of that depth, and black's output
    is cut back into statements: a statement's first line starts at the body's
    indentation with neither a space nor a closing bracket (its other lines are
    deeper, or close a bracket at that indentation; none holds a multi-line string).
    """
    by_depth: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        if isinstance(item, Logical) and fast[i] is None and _batchable(item):
            by_depth.setdefault(item.depth, []).append(i)
    for depth, all_idx in sorted(by_depth.items()):
        src = [" " * (4 * d) + f"class {marker}b{d}:" for d in range(depth)]
        unique: dict[str, list[int]] = {}  # the same statement twice is formatted once
        for i in all_idx:
            item = items[i]
            assert isinstance(item, Logical)
            stmt = "\n".join([_reindent(lines[item.first], depth)] + lines[item.first + 1: item.last + 1])
            unique.setdefault(stmt, []).append(i)
        idx = []
        for stmt, where in unique.items():
            src.append(stmt)
            idx.append(where)
        out = black_format("\n".join(src) + "\n").split("\n")
        indent = " " * (4 * depth)
        for d in range(depth):
            if out[d] != " " * (4 * d) + f"class {marker}b{d}:":
                raise Fallback("batch wrapper changed")
        stmts: list[list[str]] = []
        for line in out[depth:]:
            if not line:
                continue
            if not line.startswith(indent):
                raise Fallback("batch output outside its body")
            rest = line[len(indent):]
            if rest[0] != " " and rest[0] not in ")]}":
                stmts.append([line])
            elif not stmts:
                raise Fallback("batch output starts inside a statement")
            else:
                stmts[-1].append(line)
        if len(stmts) != len(idx):
            raise Fallback("batch output does not split into its statements")
        for where, st in zip(idx, stmts):
            for i in where:
                fast[i] = Fast("plain", st)
