"""black's output for a generated module, without running black on all of it.

black costs about a quarter of a millisecond per statement and per pass, and
``black.format_str`` makes two passes; a large generated module has tens of
thousands of statements, almost all of them written by our templates already in
black's style.  :func:`format_module` gives exactly ``black.format_str(text, mode)``
(the tests compare the two on every seed and corpus spec, on tiny cases for each
rule and on random modules) while black sees only what the rules cannot decide:

1. The text is cut into logical lines (:func:`_scan`).  A line is *fast* when its
   formatted form is known without black, by rules taken from black's source
   (black 26.10.1: linegen.py, lines.py, brackets.py) for a deliberately small subset
   of Python, each rule's docstring saying which of black's steps it follows:
   a line that fits, spaced exactly as black spaces it (:func:`_check_tokens`: names,
   numbers, strings, calls, subscripts, lists, dicts, binary operators; nothing black
   would rewrite); docstrings and strings; ``def`` and ``class`` headers, also too
   long (:func:`_left_hand_split`, :func:`_long_class`, :func:`_def_tail`) or exploded
   one parameter per line; statements ending with an exploded bracket, as the
   templates write calls and displays (:func:`_exploded`); one-line statements too
   long, split as ``right_hand_split``/``delimiter_split`` would
   (:func:`_split_statement`, :func:`_split_inside`); imports, decorators, simple
   block headers.  Strings are normalised with black's own functions.
2. Slow simple statements, and *holes* -- elements of an exploded bracket the rules
   refuse (a parameter too long for its line...), which black formats one by one
   whatever their neighbours (:class:`_Hole`) -- go to black in one call per depth
   (:func:`_batch`).
3. When every line is known and every comment sits at module level, the blank lines
   between them come from a line-for-line port of black's ``EmptyLineTracker``
   (:class:`_EmptyLines`) and black is not called again (:func:`_assemble`).
   Otherwise black formats a *skeleton*: known lines are replaced by one-line
   stand-ins with the properties black's blank-line logic reads (depth, kind: plain
   statement, import, ``def``, stub ``def``, ``class``, docstring; the user's blank
   lines before it), a run of such statements of one block by one stand-in, a
   module-level run of simple classes by one class (:func:`_region`), and the
   stand-ins are replaced by the known lines afterwards.

Whenever something is not as expected -- a construct outside the subset, an
indentation black would change, a stand-in black moved or rewrote, a black version
or mode other than the one these rules were read from -- :class:`Fallback` is raised
and the caller formats the whole text with black.  A text that does not compile is
also left to black, which reports it.
"""

from __future__ import annotations

import gc
import keyword
import re
import sys
import warnings
from dataclasses import dataclass, field
from typing import Callable

# The black release the rules below were read from and verified against (the
# tests compare with full black on every spec).  Another version: full black.
BLACK_VERSION = "26.10.1"


class Fallback(Exception):
    """The fast path is not sure: format the whole text with black."""

    index = -1  # set by _check_tokens: the token it gave up at


# One token and the spaces before it; the group that matched says what it is.
_TOKEN = re.compile(
    r"""
    ([ ]*)
    (?:(\n)
      |(\#[^\n]*)
      |((?:[rR][bBfF]?|[bBfF][rR]?|[uU])?
        (?:\"\"\"(?:[^"\\]+|\\[\s\S]|"(?!""))*\"\"\"
          |'''(?:[^'\\]+|\\[\s\S]|'(?!''))*'''
          |"(?:[^"\\\n]+|\\[^\n])*"
          |'(?:[^'\\\n]+|\\[^\n])*'))
      |((?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?[jJ]?)(?![\w.]))
      |([A-Za-z_][A-Za-z0-9_]*)(?!['"])
      |(\.\.\.|->|\*\*=?|//=?|==|!=|<=|>=|<<=?|>>=?|:=|[-+*/%&|^@]=|[()\[\]{},:.;=+\-*/%<>@~&|^])
      |([\s\S]))
    """,
    re.VERBOSE,
)
_NL, _COMMENT, _STR, _NUM, _NAME, _OP, _BAD = range(2, 9)
_KIND = {_STR: "str", _NUM: "num", _NAME: "name", _OP: "op"}

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


@dataclass(slots=True)
class Tok:
    kind: str  # "name", "num", "str", "op", "comment"
    text: str
    prefix: str  # the spaces before it on its physical line (its indentation at a line start)
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
    blank = 0
    line_has_code = False
    comment: Tok | None = None
    inner_comment = False
    kinds = _KIND
    opening = _OPEN
    closing = _CLOSE
    for m in _TOKEN.finditer(text):
        g = m.lastindex or _BAD
        if g == _NL:
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
            line_has_code = False
            continue
        prefix = m.group(1)
        value = m.group(g)
        if g == _COMMENT:
            if depth:
                inner_comment = True
            elif cur:
                comment = Tok("comment", value, prefix, bol)
            else:
                items.append(Comment(line, len(prefix) if bol else 0, value, blank))
                blank = 0
                line_has_code = True
            bol = False
            continue
        if g == _BAD:
            raise Fallback(f"unsupported character {value!r} on line {line + 1}")
        if not cur:
            cur_first = line
            cur_indent = len(prefix) if bol else 0
        line_has_code = True
        cur.append(Tok(kinds[g], value, prefix, bol))
        bol = False
        if g == _OP:
            if value in opening:
                depth += 1
            elif value in closing:
                depth -= 1
                if depth < 0:
                    raise Fallback("unbalanced brackets")
            elif value == ";":
                raise Fallback("semicolon")
        elif g == _STR:
            if "\n" in value:
                line += value.count("\n")
            if _NESTED_FSTRINGS and "{" in value and "f" in _prefix(value).lower() and not _fstring_whole(value):
                raise Fallback("an f-string that may nest quotes (Python 3.12+)")
    if cur or depth:
        raise Fallback("text does not end with a newline")
    return items


# --- strings -------------------------------------------------------------------------


def _fstring_whole(value: str) -> bool:
    """An f-string token of :data:`_TOKEN` that is the whole f-string, on Python 3.12+.

    From Python 3.12 (PEP 701) a replacement field may hold the f-string's own quote,
    which ends the regular expression's token early: its fields are then unbalanced.
    A one-line f-string whose fields balance and hold no such quote is whole.
    """
    body = value[len(_prefix(value)):]
    quote = body[0]
    if body[:3] == quote * 3:
        return False  # triple-quoted: not worth the trouble
    body = body[1:-1]
    depth = 0
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == "{":
            if depth == 0 and body[i + 1: i + 2] == "{":
                i += 2
                continue
            depth += 1
        elif c == "}":
            if depth == 0:
                if body[i + 1: i + 2] == "}":
                    i += 2
                    continue
                return False
            depth -= 1
        elif depth and c == quote:
            return False
        i += 1
    return depth == 0


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
    kind: str  # "call", "sub", "list", "dict", "params", "bases", "paren"
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


def _check_tokens(toks: list[Tok], start: str, *, magic: frozenset[int] | set[int] = frozenset(),
                  holes: dict[int, int] | None = None) -> None:
    """Raise Fallback unless black would print ``toks`` exactly with their spacing.

    The text is known to compile (:func:`format_module` checks), so only spacing and
    the constructs black rewrites matter here.  ``start`` is what the tokens are:
    "stmt" (a simple statement), "def" or "class" (a header, up to its final ``:`` and
    an optional stub ``...``).  Tokens that start a physical line (an exploded header)
    are not checked for spacing; ``magic`` holds the indices of the closing brackets
    that may follow a trailing comma (exploded brackets, whose layout the caller checks);
    ``holes`` maps the first index of an element black formats on its own (a
    :class:`_Hole`) to the index after it: those tokens are not checked.
    """
    stack: list[_Ctx] = []
    prev: Tok | None = None
    unary_next = False  # the previous token was a unary operator or an unpacking star
    target_end = _target_end(toks) if start == "stmt" else -1
    stmt_colon = False
    stmt_eq = False
    header_done = False
    n = len(toks)
    skip_until = 0
    i = 0
    try:
        for i, t in enumerate(toks):
            if i < skip_until:
                continue
            if holes and i in holes:
                skip_until = holes[i]
                prev = toks[skip_until - 1]
                unary_next = False
                continue
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
                if prev.kind == "op" and prev.text == "," and i not in magic:
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
            elif k == "op" and v == "(" and prev.kind == "name" and prev.text in ("not", "and", "or"):
                expected = " "  # parentheses of their own after a logical keyword
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
                if i and not magic:
                    raise Fallback("continuation line")
            elif i and t.prefix != expected:
                raise Fallback(f"spacing before {v!r}")
            # 2. what the token is, and what black might rewrite
            unary_next = False
            if k == "name":
                if v in _KEYWORDS:
                    ok = (
                        v in _EXPR_KEYWORDS
                        or (i == 0 and start == "stmt" and v in ("return", "raise", "pass", "break", "continue"))
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
                        elif prev is not None and prev.kind == "name" and prev.text in ("not", "and", "or"):
                            # ``not (a and b)``: black makes parentheses invisible only right
                            # after a statement's keyword or ``=`` (normalize_invisible_parens),
                            # around annotations, ``await``, ``with``, ``del``, ``for``: never here
                            kind = "paren"
                        else:
                            raise Fallback("parentheses that are not a call")  # black may remove them
                    elif v == "[":
                        kind = "sub" if prev is not None and _is_callable_end(prev) else "list"
                    else:
                        kind = "dict"
                    stack.append(_Ctx(kind, v))
                elif v in _CLOSE:
                    if stack.pop().kind == "paren" and i + 1 < n and toks[i + 1].text in ("(", "[", "."):
                        raise Fallback("a trailer after parentheses")
                elif v == ",":
                    if top is None:
                        raise Fallback("statement-level comma")  # a tuple black may parenthesize
                    if top.kind == "paren":
                        raise Fallback("a tuple in parentheses")
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
    except Fallback as exc:
        exc.index = i  # where it gave up: a caller may hand that element to black
        raise
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

    kind: str  # "plain", "string", "docstring", "def", "stubdef", "asyncdef", "asyncstubdef", "class",
    # "import", "decorator", "header" (a block opener other than def and class)
    lines: list[str]
    holes: dict[int, _Hole] = field(default_factory=dict)  # line index -> element black formats (_batch)


@dataclass
class _Hole:
    """An element of an exploded bracket that needs black (too long for its line).

    black formats each element line of an exploded bracket on its own: the bracket's
    body is cut at its commas (``delimiter_split``) and every piece goes through
    ``transform_line`` with only its own leaves, its depth and ``inside_brackets``.
    The same element alone in a wrapper of the same bracket kind, one level up
    (``NAME(``, ``NAME = {``, ``NAME = [``, ``def NAME(`` ... ``): ...``), with its
    comma, is a body of one element: ``should_split_line`` is false for it as for a
    piece of ``delimiter_split`` (its highest delimiter is not a comma), so black
    gives the same lines (:func:`_batch`).
    """

    depth: int  # the element's depth (black's)
    text: str  # its source, one physical line, with its comma
    kind: str  # "call", "dict", "list" or "param"
    lines: list[str] | None = None


def _source(toks: list[Tok]) -> str:
    """Tokens of one physical line as in the source, without the indentation."""
    return "".join((t.prefix if k else "") + t.text for k, t in enumerate(toks))


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
        if first.kind == "name" and first.text in ("import", "from"):
            return _fast_import(ll, indent, mode)
        if first.kind == "op" and first.text == "@":
            return _fast_decorator(ll, indent, mode)
        if first.kind == "name" and first.text in ("if", "elif", "else", "while", "for", "try", "finally"):
            return _fast_header(ll, indent, mode)
        if first.kind == "name" and first.text == "class":
            if ll.first != ll.last or ll.comment is not None:
                return None
            _check_tokens(toks, "class")
            if toks[-1].text == "...":
                return None  # a stub class: black's blank lines differ
            line = _render(indent, toks, mode)
            if _width(line) > mode.line_length:
                return _long_class(toks, indent, mode)
            return Fast("class", [line])
        tup = _collection_assignment(ll, indent, mode)
        if tup is not None:
            return tup
        if ll.first != ll.last:
            return _exploded(ll, indent, mode)
        if first.kind != "name" or (first.text in _KEYWORDS
                                    and first.text not in ("return", "raise", "pass", "break", "continue")):
            return None
        _check_tokens(toks, "stmt")
        line = _render(indent, toks, mode, ll.comment)
        if _width(line) > mode.line_length:
            return _split_statement(ll, indent, mode)
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


def _callee_end(toks: list[Tok], i: int, end: int) -> int:
    """Index after a callee ``NAME``, ``NAME.NAME...`` or ``NAME().NAME...`` at ``toks[i:end]``; ``i`` if none.

    None of them holds a delimiter for black (a dot after a name is none; after a
    closing bracket it is, so ``NAME()`` must be followed by an attribute).
    """
    if i >= end or toks[i].kind != "name" or toks[i].text in _KEYWORDS:
        return i
    j = i + 1
    if j + 2 < end and toks[j].text == "(" and toks[j + 1].text == ")" and toks[j + 2].text == ".":
        j += 2
    while (j + 1 < end and toks[j].kind == "op" and toks[j].text == "." and toks[j + 1].kind == "name"
           and toks[j + 1].text not in _KEYWORDS):
        j += 2
    return j


def _exploded(ll: Logical, indent: str, mode) -> Fast | None:
    """A statement ending with an exploded bracket, as the templates write calls.

    ``[return] [await] CALLEE(``, ``TARGET[: ANN] = [await] CALLEE(``, or ``return {``
    / ``TARGET[: ANN] = {`` (a dict or list display), then one element per line, each
    ending with a comma, and the closing bracket alone on the last line.  An element
    is either one line (no magic comma in it) or itself ``[NAME=] CALLEE(``,
    ``KEY: {`` ... exploded the same way, its closing bracket followed by its comma.

    What black does with it (black 26.10.1, linegen.py): the line has a magic trailing
    comma, so ``generate_trailers_to_omit`` yields nothing (it stops at the last
    closing bracket, which follows a comma and holds more than one sequence element)
    and ``right_hand_split`` runs without omits.  For an assignment or a return, the
    value sits in invisible parentheses (``normalize_invisible_parens``: ``=``, ``:``
    and ``return`` are in its ``parens_after``); ``can_omit_invisible_parens`` holds
    (the value's own depth has no delimiter: a callee's dots follow names) and
    ``_prefer_split_rhs_oop_over_rhs`` prefers the split at the real bracket (the
    split is not after ``=``, or the target has no bracket, or the head that keeps
    the ``=`` fits).  So the head is the first line; the body is one line inside
    brackets, which ``delimiter_split`` cuts at its commas (its highest delimiter:
    nothing here is a comprehension) -- or, with a single element, is that element;
    each element line is then formatted on its own: as it is when it fits and has
    no magic comma, else (delimiter_split finds nothing but the trailing comma,
    ``rhs`` again) head / elements / closing bracket with its comma.  Every line is
    checked to fit; the spacing is checked token by token (:func:`_check_tokens`).
    """
    toks = ll.toks
    n = len(toks)
    if ll.comment is not None:
        return None
    h = 1
    while h < n and not toks[h].bol:
        h += 1
    o = h - 1  # the opening bracket ending the first line
    opener = toks[o]
    if (h >= n or opener.kind != "op" or opener.text not in _OPEN or toks[-1].text != _OPEN[opener.text]
            or not toks[-1].bol):
        return None
    # the statement's form, up to the opening bracket
    i = 0
    awaited = bare = annotated = False
    if toks[0].text == "return":
        i = 1
    elif toks[0].text != "await":
        eq = -1
        depth = 0
        for k in range(o):
            v = toks[k].text if toks[k].kind == "op" else ""
            if v in _OPEN:
                depth += 1
            elif v in _CLOSE:
                depth -= 1
            elif v == "=" and depth == 0:
                eq = k
                break
        if eq < 0:
            bare = True
        else:
            t_end = _target_end(toks)
            if t_end == 0 or (t_end != eq and toks[t_end].text != ":"):
                return None
            annotated = t_end != eq
            i = eq + 1
    else:
        bare = True
    value = i  # where the value starts
    if i < o and toks[i].text == "await":
        awaited = True
        i += 1
    c = _callee_end(toks, i, o)
    if opener.text == "(":
        if c == i or c != o:
            return None
    elif c != i or i != o or bare or awaited:
        return None

    # the layout: lines, lists of lines of elements already laid out, and
    # (first, comma, level, kind) for each other one-line element
    first_line = _render(indent, toks[:h], mode)
    segs: list[str | list[str] | tuple[int, int, int, str]] = [first_line]
    base = indent  # the first line's indentation; the elements' is one level deeper per bracket
    depth0 = ll.depth
    if (_width(first_line) > mode.line_length and annotated
            and _width(_render(indent, toks[:value], mode) + " ") <= mode.line_length - 1
            and not any(t.kind == "op" and t.text in _CLOSE for t in toks[value:o])):
        # ``x: ANN = CALLEE(`` too long while ``x: ANN = `` fits in one column less: the
        # split at the real bracket is not preferred (its head does not fit, no bracket
        # closes after ``=``), so the value's invisible parentheses become visible and
        # the value, one level deeper, is split as above (at its last bracket, which
        # follows a magic comma)
        base = indent + "    "
        depth0 += 1
        segs = [_render(indent, toks[:value], mode) + " (", _render(base, toks[value:h], mode)]
    magic: set[int] = set()
    done: dict[int, int] = {}  # token ranges of the elements laid out here

    def frame(i: int, level: int, kind: str) -> int:
        """The elements from ``toks[i]`` (after an exploded opening bracket); the closing bracket's index."""
        ind = base + "    " * level
        first = True
        while True:
            if not toks[i].bol or (toks[i].kind == "op" and toks[i].text in _CLOSE):
                raise Fallback("an empty exploded bracket")
            j = i
            depth = 0
            while True:
                t = toks[j]
                if j > i and t.bol:
                    raise Fallback("a line break inside an element")
                if t.kind == "op":
                    if t.text in _OPEN:
                        if j + 1 < n and toks[j + 1].bol:  # a nested exploded bracket
                            if depth:
                                raise Fallback("an exploded bracket inside a one-line one")
                            _element_head(toks, i, j, kind)
                            segs.append(_render(ind, toks[i: j + 1], mode))
                            close = frame(j + 1, level + 1, "call" if t.text == "(" else "dict" if t.text == "{"
                                          else "list")
                            if close + 1 < n and toks[close + 1].text == ",":
                                segs.append(_render(ind, toks[close: close + 2], mode))
                                j = close + 1
                                break
                            if first and close + 1 < n and toks[close + 1].bol and toks[close + 1].text in _CLOSE:
                                # the only element, without a comma: this bracket is not magic,
                                # the element's own magic comma splits it (see above)
                                segs.append(ind + toks[close].text)
                                return close + 1
                            raise Fallback("something after a nested exploded bracket")
                        depth += 1
                    elif t.text in _CLOSE:
                        if depth == 0:
                            raise Fallback("an exploded bracket without a magic trailing comma")
                        depth -= 1
                    elif t.text == "," and depth == 0:
                        if any("\n" in x.text for x in toks[i:j]):
                            raise Fallback("a multi-line string in an element")
                        tup = _string_tuple_item(toks, i, j, ind, mode) if kind == "dict" else None
                        if tup is not None:
                            segs.append(tup)
                            done[i] = j
                        else:
                            segs.append((i, j, level, kind))
                        break
                j += 1
            nxt = j + 1  # toks[j] is the element's comma
            if nxt >= n or not toks[nxt].bol:
                raise Fallback("two elements on one line")
            if toks[nxt].kind == "op" and toks[nxt].text in _CLOSE:
                magic.add(nxt)
                return nxt
            i = nxt
            first = False

    try:
        close = frame(h, 1, "call" if opener.text == "(" else "dict" if opener.text == "{" else "list")
        if close != n - 1:
            return None
        segs.append(base + toks[close].text)
        if base != indent:
            segs.append(indent + ")")
    except Fallback:
        return None
    if any(isinstance(seg, str) and _width(seg) > mode.line_length for seg in segs):
        return None  # a head too long would be split further
    flats = [seg for seg in segs if isinstance(seg, tuple)]
    skip = _check_with_holes(toks, "stmt", magic, flats, done)
    if skip is None:
        return None
    lines: list[str] = []
    holes: dict[int, _Hole] = {}
    for seg in segs:
        if isinstance(seg, str):
            lines.append(seg)
            continue
        if isinstance(seg, list):
            lines.extend(seg)
            continue
        i, j, level, kind = seg
        if i not in skip:
            line = _render(base + "    " * level, toks[i: j + 1], mode)
            if _width(line) <= mode.line_length:
                lines.append(line)
                continue
            if _splittable(toks[i:j]):
                try:
                    lines.extend(_split_inside(toks[i:j], depth0 + level, True, False, mode))
                    continue
                except Fallback:
                    pass
        holes[len(lines)] = _Hole(depth0 + level, _source(toks[i: j + 1]), kind)
        lines.append("")
    return Fast("plain", lines, holes)


def _check_with_holes(toks: list[Tok], start: str, magic: set[int],
                      elements: list[tuple[int, int, int, str]], done: dict[int, int] | None = None,
                      ) -> dict[int, int] | None:
    """:func:`_check_tokens`, handing to black (as holes) the one-line elements it gives up at.

    ``elements`` are (first index, comma index, ...) of one-line elements of exploded
    brackets: black formats each on its own (see :class:`_Hole`), so one the checks
    refuse (an inner magic comma, a construct outside the subset) need not make the
    whole statement slow.  ``done`` are ranges the caller laid out itself (not checked).
    Returns the holes' token ranges (first -> comma), or None.
    """
    skip: dict[int, int] = {}
    while True:
        try:
            _check_tokens(toks, start, magic=magic, holes={**done, **skip} if done else skip)
            return skip
        except Fallback as exc:
            at = exc.index
            hit = next((e for e in elements if e[0] <= at < e[1]), None)
            if hit is None or hit[0] in skip:
                return None
            skip[hit[0]] = hit[1]


def _string_tuple_item(toks: list[Tok], i: int, j: int, ind: str, mode) -> list[str] | None:
    """A dict item ``KEY: ('a', 'b', ),`` (``toks[i:j]``, its comma at ``j``): the tuple explodes.

    The tuple's trailing comma is magic (two elements or more: not a one-sequence),
    and a dict value gets no invisible parentheses (outside preview), so black's
    ``rhs`` on the item line (``delimiter_split`` finds no delimiter but the excluded
    trailing comma) splits at the tuple's own parentheses, whose body is split at
    its commas: ``KEY: (``, one string per line, ``),``.  A string line too long stays.
    A one-tuple's comma is not magic (``is_one_sequence_between``): ``KEY: ('a',),``
    on one line when it fits.
    """
    n = j - i
    if (n < 6 or toks[i].kind not in ("str", "name") or toks[i + 1].text != ":" or toks[i + 2].text != "("
            or toks[j - 1].text != ")" or toks[j - 2].text != "," or (n - 4) % 2):
        return None
    if toks[i].kind == "name" and toks[i].text in _KEYWORDS:
        return None
    elems = []
    for k in range(i + 3, j - 1, 2):
        t = toks[k]
        if t.kind != "str" or toks[k + 1].text != "," or "\n" in t.text or "f" in _prefix(t.text).lower():
            return None
        elems.append(_normalize_string(t.text, mode))
    key = _normalize_string(toks[i].text, mode) if toks[i].kind == "str" else toks[i].text
    if len(elems) == 1:
        line = f"{ind}{key}: ({elems[0]},),"
        return [line] if _width(line) <= mode.line_length else None
    head = f"{ind}{key}: ("
    if _width(head) > mode.line_length:
        return None
    return [head] + [f"{ind}    {e}," for e in elems] + [ind + "),"]


def _element_head(toks: list[Tok], i: int, j: int, kind: str) -> None:
    """``toks[i:j]`` may come before an element's exploded bracket ``toks[j]``: no delimiter in it."""
    k = i
    if kind == "call" and j - k >= 2 and toks[k].kind == "name" and toks[k + 1].text == "=":
        k += 2
    elif kind == "call" and toks[k].text in ("*", "**"):
        k += 1
    elif kind == "dict":
        if not (j - k >= 2 and toks[k].kind in ("str", "name") and toks[k + 1].text == ":"):
            raise Fallback("a dict element without a simple key")
        k += 2
    c = _callee_end(toks, k, j)
    if toks[j].text == "(":
        if c == k or c != j:
            raise Fallback("an exploded call on something other than a callee")
    elif c != k or k != j:
        raise Fallback("a display after something")


def _matching(toks: list[Tok], open_i: int) -> int:
    """Index of the bracket closing ``toks[open_i]``."""
    depth = 0
    for i in range(open_i, len(toks)):
        t = toks[i]
        if t.kind == "op":
            if t.text in _OPEN:
                depth += 1
            elif t.text in _CLOSE:
                depth -= 1
                if depth == 0:
                    return i
    raise Fallback("unclosed bracket")


def _left_hand_split(toks: list[Tok], indent: str, mode) -> list[str] | None:
    """A one-line ``def`` too long for the line, checked by :func:`_check_tokens`.

    black's ``transform_line`` gives a ``def`` to ``left_hand_split`` (no magic comma
    or string in its return annotation: ``should_split_funcdef_with_rhs`` is false):
    head ``def name(``, body the parameters, tail ``) -> R:`` (the annotation's
    invisible parentheses print nothing), each formatted on its own.  The body, one
    level deeper, gets a trailing comma when it has no comma at all
    (``_ensure_trailing_comma``: a def, a parenthesis, no comma); it stays on one line
    when it fits (no magic comma; ``should_split_line`` needs one, or an atom), else
    ``delimiter_split`` puts one parameter per line and adds the trailing comma.  Every
    line must fit (a long head or tail would be split further).
    """
    open_i = _def_name_index(toks) + 1
    if toks[open_i].text != "(":
        return None
    close_i = _matching(toks, open_i)
    if close_i == open_i + 1:
        return None  # no parameters: an empty body is not split that way
    body = toks[open_i + 1: close_i]
    inner = indent + "    "
    lines = [_render(indent, toks[: open_i + 1], mode)]
    params = _split_top_level(body)
    if len(params) == 1:
        if any(t.kind == "op" and t.text == "," for t in body):
            return None  # a comma in an annotation or a default: no trailing comma added
        lines.append(_render(inner, body, mode) + ",")
    else:
        one = _render(inner, body, mode)
        if _width(one) <= mode.line_length:
            lines.append(one)
        else:
            lines.extend(_render(inner, p, mode) + "," for p in params)
    tail = _def_tail(toks[close_i:], indent, len(indent) // 4, mode)
    if tail is None:
        return None
    lines.extend(tail)
    if any(_width(line) > mode.line_length for line in lines):
        return None
    return lines


def _split_top_level(toks: list[Tok]) -> list[list[Tok]]:
    """``toks`` cut at their commas outside brackets (the commas dropped)."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.kind == "op":
            if t.text in _OPEN:
                depth += 1
            elif t.text in _CLOSE:
                depth -= 1
            elif t.text == "," and depth == 0:
                parts.append([])
                continue
        parts[-1].append(t)
    return parts


def _fast_import(ll: Logical, indent: str, mode) -> Fast | None:
    """``import a.b as c``, ``from ..x import a, b as c``, or its exploded form ``import (`` ... ``)``.

    black rebuilds the spacing of an import from its tokens; the names after
    ``import`` sit in invisible parentheses (``_normalize_import_from``).  On one line
    when it fits and the source has no parentheses.  Exploded when the source is (an
    import's trailing comma is always magic: ``has_magic_trailing_comma``), or when a
    ``from`` import does not fit: ``right_hand_split`` at the (then visible)
    parentheses, the body always gets a trailing comma (``_ensure_trailing_comma``)
    and, with two names or more, is split at its commas (``should_split_line``).
    """
    toks = ll.toks
    n = len(toks)
    if ll.comment is not None:
        return None

    def name(i: int) -> bool:
        return i < n and toks[i].kind == "name" and toks[i].text not in _KEYWORDS

    def dotted(i: int) -> int:  # index after a dotted name at i, or i
        if not name(i):
            return i
        i += 1
        while i + 1 < n and toks[i].text == "." and name(i + 1):
            i += 2
        return i

    def aliases(i: int, end: int, exploded: bool) -> list[str] | None:
        """``a [as b], ...`` in ``toks[i:end]``; exploded: one per line, each with its comma."""
        out = []
        while i < end:
            if exploded and not toks[i].bol:
                return None
            j = dotted(i) if toks[0].text == "import" else (i + 1 if name(i) else i)
            if j == i:
                return None
            item = "".join(t.text for t in toks[i:j])
            if j + 1 < end and toks[j].text == "as" and name(j + 1):
                item += " as " + toks[j + 1].text
                j += 2
            out.append(item)
            if j < end:
                if toks[j].text != ",":
                    return None
                j += 1
            elif exploded:
                return None
            i = j
        return out

    if toks[0].text == "import":
        if ll.first != ll.last:
            return None
        names = aliases(1, n, False)
        if not names:
            return None
        line = indent + "import " + ", ".join(names)
        return Fast("import", [line]) if _width(line) <= mode.line_length else None
    if toks[0].text != "from":
        return None
    i = 1
    dots = ""
    while i < n and toks[i].text in (".", "..."):
        dots += toks[i].text
        i += 1
    j = dotted(i)
    if (j == i and not dots) or j >= n or toks[j].text != "import":
        return None
    head = indent + "from " + dots + "".join(t.text for t in toks[i:j]) + " import"
    k = j + 1
    if k < n and toks[k].text == "(":
        if toks[-1].text != ")" or not toks[-1].bol or toks[-2].text != "," or ll.first == ll.last:
            return None
        names = aliases(k + 1, n - 1, True)
        if not names:
            return None
        lines = [head + " ("] + [f"{indent}    {a}," for a in names] + [indent + ")"]
    else:
        if ll.first != ll.last:
            return None
        if k + 1 == n and toks[k].text == "*":
            names = ["*"]
        else:
            names = aliases(k, n, False)
            if not names:
                return None
        lines = [head + " " + ", ".join(names)]
        if _width(lines[0]) > mode.line_length:
            if names == ["*"]:
                return None
            lines = [head + " ("] + [f"{indent}    {a}," for a in names] + [indent + ")"]
    # a name line too long stays as it is: ``A as B`` has no delimiter and no bracket
    if _width(lines[0]) > mode.line_length:
        return None
    return Fast("import", lines)


def _fast_decorator(ll: Logical, indent: str, mode) -> Fast | None:
    """``@name``, ``@a.b`` or ``@a.b(args)`` on one line that fits: black keeps it."""
    toks = ll.toks
    n = len(toks)
    if ll.first != ll.last or ll.comment is not None or n < 2 or toks[1].prefix:
        return None
    c = _callee_end(toks, 1, n)
    if c == 1 or (c != n and (toks[c].text != "(" or _matching(toks, c) != n - 1)):
        return None
    _check_tokens(toks[1:], "stmt")
    line = indent + "@" + _render("", toks[1:], mode)
    return Fast("decorator", [line]) if _width(line) <= mode.line_length else None


def _fast_header(ll: Logical, indent: str, mode) -> Fast | None:
    """``if/elif/while EXPR:``, ``for NAME in EXPR:``, ``else:``, ``try:``, ``finally:`` on one line.

    black wraps the expressions in invisible parentheses (``normalize_invisible_parens``),
    which print nothing; the line is kept when it fits (the comment included).
    """
    toks = ll.toks
    n = len(toks)
    first = toks[0].text
    if ll.first != ll.last or toks[-1].text != ":" or toks[-1].prefix:
        return None
    if first in ("else", "try", "finally"):
        if n != 2:
            return None
    elif first in ("if", "elif", "while", "for"):
        if n < 3 or toks[1].prefix != " ":
            return None
        if first == "for":
            # ``for a, b in EXPR:``: names and commas, then the iterable
            k = 1
            while k + 1 < n and toks[k].kind == "name" and toks[k].text not in _KEYWORDS and toks[k + 1].text == ",":
                if toks[k + 1].prefix or toks[k + 2].prefix != " ":
                    return None
                k += 2
            if not (k + 2 < n - 1 and toks[k].kind == "name" and toks[k].text not in _KEYWORDS
                    and toks[k + 1].text == "in" and toks[k + 1].prefix == " " and toks[k + 2].prefix == " "):
                return None
            _check_tokens(toks[k + 2: -1], "stmt")
        else:
            _check_tokens(toks[1:-1], "stmt")
        if toks[1].text in _SOFT_KEYWORDS:
            return None
    else:
        return None
    line = _render(indent, toks, mode, ll.comment)
    return Fast("header", [line]) if _width(line) <= mode.line_length else None


def _long_class(toks: list[Tok], indent: str, mode) -> Fast | None:
    """``class NAME(BASES):`` too long for the line (tokens checked by :func:`_check_tokens`).

    Not a def: ``right_hand_split`` (no magic comma: the empty omit comes first), at the
    last bracket pair, the bases' (a class statement has no invisible parentheses),
    taken at once when the head fits and at the end of the omit loop (no other pair)
    when not; the bases get no trailing comma (not a def, not an import) and stay on
    one line when they fit; the tail is ``):``.
    """
    n = len(toks)
    if n < 6 or toks[2].text != "(" or _matching(toks, 2) != n - 2:
        return None
    lines = [_render(indent, toks[:3], mode), _render(indent + "    ", toks[3: n - 2], mode), indent + "):"]
    # A head too long stays so: the omit loop has no other bracket to try, and the
    # head alone has no closing bracket to split at.
    if any(_width(line) > mode.line_length for line in lines[1:]):
        return None
    return Fast("class", lines)


# --- splitting a line too long, as black's linegen does, for a small subset ---------

_COMMA_PRIORITY = 18  # black.brackets: COMMA_PRIORITY; MATH_PRIORITIES for "|" and "+"
_SPLIT_OPS = {"|": 9, "+": 5}


def _splittable(toks: list[Tok]) -> bool:
    """Tokens the split rules below know everything black does with.

    Names (no keyword but None/True/False), numbers, strings (never two in a row:
    implicit concatenation is a delimiter of its own), brackets (calls, subscripts,
    displays: :func:`_check_tokens` allows no other parentheses), commas, dots after
    a name, ``=`` and ``:`` (keyword arguments, dict items, the statement's own),
    binary ``|`` and ``+``, and ``*``/``**`` unpacking right after ``(`` or ``,``.
    Nothing black wraps in invisible parentheses (a ternary, a lambda...).
    """
    prev: Tok | None = None
    for t in toks:
        k = t.kind
        if k == "name":
            if t.text in _KEYWORDS and t.text not in ("None", "True", "False"):
                return False
        elif k == "str":
            if prev is not None and prev.kind == "str":
                return False
        elif k == "op":
            v = t.text
            if v in ("*", "**"):
                if prev is None or prev.text not in ("(", ","):
                    return False
            elif v == ".":
                if prev is None or prev.kind != "name":
                    return False  # after a bracket a dot is a delimiter (DOT_PRIORITY)
            elif v not in _OPEN and v not in _CLOSE and v not in (",", "=", ":", "|", "+"):
                return False
        elif k != "num":
            return False
        prev = t
    return True


def _delimiters(toks: list[Tok]) -> list[tuple[int, int]]:
    """black's delimiters at depth 0 of a line of :func:`_splittable` tokens: (index, priority).

    A comma is split after (its own index); ``|`` and ``+`` before (black stores the
    priority on the leaf before them: the index here is the operator's).  A unary
    ``+`` (after an operator) is no delimiter.
    """
    out = []
    depth = 0
    prev: Tok | None = None
    for i, t in enumerate(toks):
        if t.kind == "op":
            v = t.text
            if v in _OPEN:
                depth += 1
            elif v in _CLOSE:
                depth -= 1
            elif depth == 0:
                if v == ",":
                    out.append((i, _COMMA_PRIORITY))
                elif v in _SPLIT_OPS and prev is not None and not _operand_expected(prev):
                    out.append((i, _SPLIT_OPS[v]))
        prev = t
    return out


def _is_display(toks: list[Tok], o: int) -> bool:
    """``toks[o]`` opens a list, dict or set display (an atom), not a call or subscript."""
    return toks[o].text == "{" or (toks[o].text == "[" and (o == 0 or not _is_callable_end(toks[o - 1])))


def _split_inside(toks: list[Tok], depth: int, comma: bool, force: bool, mode) -> list[str]:
    """black's ``transform_line`` for a line inside brackets: ``toks`` then, with ``comma``, a comma.

    As it is when it fits (unless ``force``: ``should_split_rhs``).  Else
    ``delimiter_split`` at the highest delimiter (the last leaf, the comma, excluded):
    at commas every piece keeps or gets its comma (``_safe_add_trailing_comma``: the
    target versions allow a trailing comma after unpacking); at ``|`` or ``+`` the
    pieces start with the operator.  Without delimiter and bracket the line stays as
    it is; without delimiter, ``right_hand_split`` at the last bracket, which must
    close the line (the omit loop takes its first try, no omission, when the head
    fits: checked): head, body one level deeper (split at once when the bracket is a
    display and the body has a comma: ``should_split_line``), and the closing bracket.
    """
    ind = "    " * depth
    line = ind + _render("", toks, mode) + ("," if comma else "")
    if not force and _width(line) <= mode.line_length:
        return [line]
    delims = _delimiters(toks)
    if delims:
        top = max(p for _, p in delims)
        cuts = [i for i, p in delims if p == top]
        out: list[str] = []
        if top == _COMMA_PRIORITY:
            start = 0
            for c in cuts + [len(toks)]:
                if c > start:
                    out.extend(_split_inside(toks[start:c], depth, True, False, mode))
                start = c + 1
            return out
        starts = [0] + cuts
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else len(toks)
            out.extend(_split_inside(toks[a:b], depth, comma and b == len(toks), False, mode))
        return out
    if not any(t.kind == "op" and t.text in _OPEN for t in toks):
        return [line]  # nothing to split at: black leaves it
    last = toks[-1]
    if last.kind != "op" or last.text not in _CLOSE:
        raise Fallback("a line not ending with its bracket")
    o = _opening(toks, len(toks) - 1)
    body = toks[o + 1: -1]
    head = ind + _render("", toks[: o + 1], mode)
    if not body or _width(head) > mode.line_length:
        raise Fallback("an empty body or a head too long")
    force_body = _is_display(toks, o) and any(p == _COMMA_PRIORITY for _, p in _delimiters(body))
    tail = ind + last.text + ("," if comma else "")
    if _width(tail) > mode.line_length:
        raise Fallback("a tail too long")
    return [head] + _split_inside(body, depth + 1, False, force_body, mode) + [tail]


def _opening(toks: list[Tok], close_i: int) -> int:
    """Index of the bracket ``toks[close_i]`` closes."""
    depth = 0
    for i in range(close_i, -1, -1):
        t = toks[i]
        if t.kind == "op":
            if t.text in _CLOSE:
                depth += 1
            elif t.text in _OPEN:
                depth -= 1
                if depth == 0:
                    return i
    raise Fallback("unopened bracket")


def _can_omit_parens(body: list[Tok]) -> bool:
    """black's ``can_omit_invisible_parens`` for the value (or annotation) of a statement.

    No delimiter: the parentheses are useless (True); more than one of the highest
    priority: they read better (False).  Exactly one: False when the value neither
    starts nor ends with a bracket that could take the split (``_can_omit_opening_paren``
    and ``_can_omit_closing_paren`` are not ported: unsure otherwise).
    """
    delims = _delimiters(body)
    if not delims:
        return True
    top = max(p for _, p in delims)
    if sum(1 for _, p in delims if p == top) > 1:
        return False
    first, last = body[0], body[-1]
    if first.kind == "op" and first.text in _OPEN:
        raise Fallback("a value starting with a bracket")
    if last.kind == "op" and (last.text in (")", "}") or (last.text == "]" and _is_display(body, _opening(body, len(body) - 1)))):
        raise Fallback("a value ending with a bracket")
    return False


def _split_statement(ll: Logical, indent: str, mode) -> Fast | None:
    """A one-line ``X = VALUE``, ``x: ANN = VALUE``, ``x: ANN`` or ``return VALUE`` too long.

    black (``right_hand_split`` via ``_maybe_split_omitting_optional_parens``): the value
    (else the annotation) sits in invisible parentheses.  When they can be omitted
    (:func:`_can_omit_parens`) and the value ends with a bracket, the split at that
    bracket is preferred (``_prefer_split_rhs_oop_over_rhs``: always for a return, an
    annotation alone or a plain target; for an annotated target when the head up to
    ``=`` does not fit in one column less, when a bracket closes between ``=`` and the
    split, or when the head of the split fits); else the parentheses become visible
    around the value.  A value without a bracket: for an annotated target either the
    value goes in parentheses (the head up to ``=`` fits in one column less) or the
    annotation's parentheses take the split; for a plain target a single token too
    long stays where it is (CannotSplit: ``can_be_split`` is false), else parentheses.
    The lines inside brackets follow :func:`_split_inside`; every head and tail fits.
    """
    toks = ll.toks
    n = len(toks)
    if ll.comment is not None or not _splittable(toks[1:] if toks[0].text == "return" else toks):
        return None
    depth = ll.depth
    ll_ = mode.line_length

    def r(part: list[Tok]) -> str:
        return _render("", part, mode)

    ann: list[Tok] | None = None
    value: list[Tok] | None = None
    if toks[0].text == "return":
        if n < 2:
            return None
        prefix = "return "
        value = toks[1:]
    else:
        t_end = _target_end(toks)
        if t_end == 0 or t_end >= n:
            return None
        target = r(toks[:t_end])
        if toks[t_end].text == "=":
            value = toks[t_end + 1:]
            prefix = target + " = "
        elif toks[t_end].text == ":":
            eq = next((k for k in range(t_end + 1, n) if toks[k].text == "=" and toks[k].kind == "op"
                       and _depth_at(toks, k) == 0), -1)
            if eq < 0:
                ann = toks[t_end + 1:]
                prefix = target + ": "
            else:
                ann = toks[t_end + 1: eq]
                value = toks[eq + 1:]
                prefix = target + ": " + r(ann) + " = "
        else:
            return None
    body = value if value is not None else ann
    assert body is not None
    inner = depth + 1
    try:
        if not _can_omit_parens(body):
            lines = [indent + prefix + "("] + _split_inside(body, inner, False, False, mode) + [indent + ")"]
        elif body[-1].kind == "op" and body[-1].text in _CLOSE:
            o = _opening(body, len(body) - 1)
            oop_head = indent + prefix + r(body[: o + 1])
            if value is None or ann is None:
                prefer = True
            elif _width(indent + prefix) > ll_ - 1:
                prefer = True
            elif any(t.kind == "op" and t.text in _CLOSE for t in body[:o]):
                prefer = True
            else:
                prefer = _width(oop_head) <= ll_
            if prefer:
                inside = body[o + 1: -1]
                if not inside or _width(oop_head) > ll_:
                    return None
                force = _is_display(body, o) and any(p == _COMMA_PRIORITY for _, p in _delimiters(inside))
                lines = [oop_head] + _split_inside(inside, inner, False, force, mode) + [indent + body[-1].text]
            else:
                lines = [indent + prefix + "("] + _split_inside(body, inner, False, False, mode) + [indent + ")"]
        elif any(t.kind == "op" and t.text in _OPEN for t in body):
            return None  # a bracket that does not end the value
        elif ann is not None and value is not None:
            if _width(indent + prefix) <= ll_ - 1:
                lines = [indent + prefix + "(", "    " * inner + r(value), indent + ")"]
            else:
                # the annotation's parentheses take the split
                tail = " = " + r(value)
                if not _can_omit_parens(ann):
                    lines = ([indent + target + ": ("] + _split_inside(ann, inner, False, False, mode)
                             + [indent + ")" + tail])
                elif ann[-1].kind == "op" and ann[-1].text in _CLOSE:
                    o = _opening(ann, len(ann) - 1)
                    inside = ann[o + 1: -1]
                    if not inside:
                        return None
                    force = _is_display(ann, o) and any(p == _COMMA_PRIORITY for _, p in _delimiters(inside))
                    lines = ([indent + target + ": " + r(ann[: o + 1])] + _split_inside(inside, inner, False, force, mode)
                             + [indent + ann[-1].text + tail])
                else:
                    return None
        elif value is not None:
            if len(value) == 1 and _width("    " * inner + r(value)) > ll_:
                return None  # black leaves the line as it is: the plain path refused it already
            lines = [indent + prefix + "(", "    " * inner + r(value), indent + ")"]
        else:
            return None
    except Fallback:
        return None
    if _width(lines[0]) > ll_ or _width(lines[-1]) > ll_:
        return None
    return Fast("plain", lines)


def _depth_at(toks: list[Tok], k: int) -> int:
    """The bracket depth before ``toks[k]``."""
    depth = 0
    for t in toks[:k]:
        if t.kind == "op":
            if t.text in _OPEN:
                depth += 1
            elif t.text in _CLOSE:
                depth -= 1
    return depth


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
            lines = _left_hand_split(toks, indent, mode)
            return None if lines is None else Fast(kind, lines)
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
    starts = [0]
    depth = 0
    for i in range(open_i + 1, close_i):
        t = toks[i]
        if t.bol:
            if depth != 0 or toks[i - 1].text not in ("(", ","):
                return None
            lines_toks.append([])
            starts.append(i)
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
    out = [_render(indent, lines_toks[0], mode)]
    inner = indent + "    "
    holes: dict[int, _Hole] = {}
    skip: dict[int, int] = {}
    for lt, start in zip(lines_toks[1:], starts[1:]):
        line = _render(inner, lt, mode)
        if _width(line) > mode.line_length and not any("\n" in t.text for t in lt):
            split = _split_parameter(lt, inner, ll.depth + 1, mode)
            if split is not None:
                out.extend(split)
                continue
            holes[len(out)] = _Hole(ll.depth + 1, _source(lt), "param")  # a parameter black must split
            skip[start] = start + len(lt) - 1
            line = ""
        out.append(line)
    _check_tokens(toks, "def", magic={close_i}, holes=skip)
    tail = _def_tail(toks[close_i:], indent, ll.depth, mode)
    if tail is None:
        return None
    out.extend(tail)
    if any(_width(line) > mode.line_length for line in out):
        return None
    return Fast(kind, out, holes)


def _split_parameter(toks: list[Tok], indent: str, depth: int, mode) -> list[str] | None:
    """``name: A | B = DEFAULT,`` (a parameter line with its comma) too long for the line.

    A parameter's annotation holding a top-level operator (an ``expr`` node) gets
    invisible parentheses (``visit_tname``), so ``delimiter_split`` finds nothing
    outside them but the excluded comma, and ``right_hand_split`` takes them as the
    last bracket pair (the default is a single token); ``can_omit_invisible_parens``
    refuses to drop them (:func:`_can_omit_parens`): ``name: (``, the annotation one
    level deeper (:func:`_split_inside`), ``) = DEFAULT,``.
    """
    n = len(toks)
    if n < 6 or toks[0].kind != "name" or toks[1].text != ":" or toks[-1].text != ",":
        return None
    end = n - 1
    tail = "),"
    if toks[n - 3].text == "=" and toks[n - 2].kind in ("name", "num", "str") and "\n" not in toks[n - 2].text:
        end = n - 3
        tail = ") = " + _render("", toks[n - 2: n - 1], mode) + ","
    ann = toks[2:end]
    if not ann or not _splittable(ann) or not any(p == _SPLIT_OPS["|"] for _, p in _delimiters(ann)):
        return None
    try:
        if _can_omit_parens(ann):
            return None
        inner = _split_inside(ann, depth + 1, False, False, mode)
    except Fallback:
        return None
    head = indent + toks[0].text + ": ("
    if _width(head) > mode.line_length or _width(indent + tail) > mode.line_length:
        return None
    return [head] + inner + [indent + tail]


def _def_tail(toks: list[Tok], indent: str, depth: int, mode) -> list[str] | None:
    """The last line(s) of a split ``def``: ``) -> R:`` (tokens checked), split when too long.

    That tail is a line of its own (not inside brackets, its brackets not tracked)
    given to ``right_hand_split``: the last bracket pair is the invisible parentheses
    around the return annotation (``visit_funcdef``); with a delimiter they cannot be
    omitted (:func:`_can_omit_parens`), so they become visible: ``) -> (``, the
    annotation one level deeper (:func:`_split_inside`), ``):``.
    """
    line = _render(indent, toks, mode)
    if _width(line) <= mode.line_length:
        return [line]
    stub = toks[-1].text == "..."
    end = len(toks) - (2 if stub else 1)
    if len(toks) < 4 or toks[1].text != "->" or toks[end].text != ":":
        return None
    ret = toks[2:end]
    if not _splittable(ret):
        return None
    try:
        if _can_omit_parens(ret):
            return None
        inner = _split_inside(ret, depth + 1, False, False, mode)
    except Fallback:
        return None
    return [indent + ") -> ("] + inner + [indent + "):" + (" ..." if stub else "")]


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


# A one-line logical line's fast form, by (its text, depth, docstring position, line
# length): the same line is formatted once per process (generated modules repeat
# many lines: parameters, fields, imports).  Fast objects are not modified
# once made (those with holes, which _batch fills, are not kept).
_FAST_MEMO: dict[tuple[str, int, bool, int], Fast | None] = {}
_MEMO_LIMIT = 300_000
_MISSING = object()


def _supports_trailing_commas(version) -> bool:
    """The rules assume black may add a trailing comma after ``*args``/``**kwargs`` (Python 3.6+)."""
    from black.mode import VERSION_TO_FEATURES, Feature

    features = VERSION_TO_FEATURES.get(version, set())
    return Feature.TRAILING_COMMA_IN_CALL in features and Feature.TRAILING_COMMA_IN_DEF in features


def format_module(text: str, mode, black_format: Callable[[str], str]) -> str:
    """``black.format_str(text, mode=mode)``; ``black_format`` is called on the skeleton.

    The cyclic garbage collector is paused meanwhile: the tokens and lines made here
    hold no cycles and are freed by reference counting, while each collection the
    many allocations would trigger walks every object of the process.
    """
    if not gc.isenabled():
        return _format_module(text, mode, black_format)
    gc.disable()
    try:
        return _format_module(text, mode, black_format)
    finally:
        gc.enable()


def _format_module(text: str, mode, black_format: Callable[[str], str]) -> str:
    if (mode.preview or mode.is_pyi or mode.is_ipynb or not mode.magic_trailing_comma
            or not mode.string_normalization or mode.unstable or mode.enabled_features
            or mode.skip_source_first_line):
        raise Fallback("a black mode these rules were not written for")
    if not mode.target_versions or not all(
            _supports_trailing_commas(v) for v in mode.target_versions):
        raise Fallback("target versions these rules were not written for")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # a code object is cheaper than an AST (no Python objects for its nodes)
            compile(text, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise Fallback("does not compile: black reports it") from exc
    lines = text.split("\n")
    items = _scan(text)
    _depths(items)
    marker = "_oagen_fmt_"
    while marker in text:
        marker += "_"
    groups: list[_Group] = []
    skeleton: list[str] = []

    def new_group(stand_in: list[str], last_name: str, out: list[str], depth: int) -> _Group:
        g = _Group(str(len(groups)), stand_in, last_name, out, depth)
        groups.append(g)
        return g

    n = len(items)
    i = 0
    # what every logical line becomes when it is certain
    fast: list[Fast | None] = []
    memo = _FAST_MEMO
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    p: Logical | None = None
    for item in items:
        if isinstance(item, Comment):
            fast.append(None)
            continue
        docpos = p is None or (_opens_block(p) and item.depth > p.depth)
        if item.first == item.last:
            key = (lines[item.first], item.depth, docpos, mode.line_length)
            f = memo.get(key, _MISSING)
            if f is _MISSING:
                f = _fast_line(item, docpos, mode)
                if f is None or not f.holes:
                    memo[key] = f
            fast.append(f)  # type: ignore[arg-type]
        else:
            fast.append(_fast_line(item, docpos, mode))
        p = item

    _batch(items, fast, lines, mode, marker, black_format)
    whole = _assemble(items, fast)
    if whole is not None:
        return whole

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
        if isinstance(item, Comment) or f is None or f.kind in ("decorator", "header"):
            emit_slow(item)
            i += 1
            continue
        name = f"{marker}{len(groups)}"
        ind = " " * (4 * item.depth)
        if f.kind in ("plain", "string", "import"):
            # a run of simple statements (or of imports) of one block, blank lines only
            # between them: black keeps the user's there, up to its max_allowed (no rule
            # of _EmptyLines applies between two such lines of one depth)
            run = ("import",) if f.kind == "import" else ("plain", "string")
            j = i + 1
            out = list(f.lines)
            limit = 2 if item.depth == 0 else 1  # black's max_allowed
            while j < n:
                nxt = items[j]
                nf = fast[j]
                if (isinstance(nxt, Comment) or nf is None or nf.kind not in run
                        or nxt.depth != item.depth):
                    break
                out.extend(blanks(min(nxt.blank_before, limit)))
                out.extend(nf.lines)
                j += 1
            stand = [f"{ind}import {name}" if f.kind == "import" else f"{ind}{name} = 0"]
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
    pat = re.compile(r"^( *)(?:async def |def |class |import |\"\"\")?(" + re.escape(marker) + r"(\d+))")
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
    if first.kind != "name" or first.text in _COMPOUND:
        return False  # a string first might be a docstring; compound statements; imports
    if first.text in _SOFT_KEYWORDS and not (len(ll.toks) > 1 and ll.toks[1].text in (":", "=")):
        return False  # ``type X = ...``, ``match x:``...; ``type: int = 1`` is an annotated assignment
    if len(ll.toks) == 1 and first.text != "pass":
        return False
    return not any(t.kind == "str" and "\n" in t.text for t in ll.toks)


def _batch(items: list[Logical | Comment], fast: list[Fast | None], lines: list[str], mode, marker: str,
           black_format: Callable[[str], str]) -> None:
    """Format the slow simple statements and the holes with black, all of one depth in one call.

    black formats a simple statement from its own leaves and its depth alone (its
    line, split or not, is ``transform_line(line)``); only the blank lines around it
    depend on its neighbours, and those are not taken from here.  The statements of
    one depth are put one after the other in a body of that depth, and black's output
    is cut back into statements: a statement's first line starts at the body's
    indentation with neither a space nor a closing bracket (its other lines are
    deeper, or close a bracket at that indentation; none holds a multi-line string).
    A hole (:class:`_Hole`) goes in as its wrapper statement, one level above the
    element, and its lines are the wrapper's without its first and last.
    """
    by_depth: dict[int, dict[str, list[int | _Hole]]] = {}
    for i, item in enumerate(items):
        if not isinstance(item, Logical):
            continue
        f = fast[i]
        if f is None:
            if _batchable(item):
                stmt = "\n".join([_reindent(lines[item.first], item.depth)] + lines[item.first + 1: item.last + 1])
                by_depth.setdefault(item.depth, {}).setdefault(stmt, []).append(i)
        else:
            for hole in f.holes.values():
                head, tail = _hole_wrapper(hole, marker)
                ind = " " * (4 * (hole.depth - 1))
                stmt = f"{ind}{head}\n{ind}    {hole.text}\n{ind}{tail}"
                by_depth.setdefault(hole.depth - 1, {}).setdefault(stmt, []).append(hole)
    for depth, unique in sorted(by_depth.items()):
        src = [" " * (4 * d) + f"class {marker}b{d}:" for d in range(depth)]
        src.extend(unique)
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
        if len(stmts) != len(unique):
            raise Fallback("batch output does not split into its statements")
        for where, st in zip(unique.values(), stmts):
            for x in where:
                if isinstance(x, _Hole):
                    head, tail = _hole_wrapper(x, marker)
                    if len(st) < 3 or st[0] != indent + head or st[-1] != indent + tail:
                        raise Fallback("a hole's wrapper changed")
                    x.lines = st[1:-1]
                else:
                    fast[x] = Fast("plain", st)
    for f in fast:
        if f is not None and f.holes:
            filled: list[str] = []
            for k, line in enumerate(f.lines):
                gap = f.holes.get(k)
                if gap is None:
                    filled.append(line)
                elif gap.lines is None:
                    raise Fallback("a hole left unfilled")
                else:
                    filled.extend(gap.lines)
            f.lines = filled
            f.holes = {}


def _hole_wrapper(hole: _Hole, marker: str) -> tuple[str, str]:
    """The first and last lines of a hole's wrapper statement (see :class:`_Hole`)."""
    name = f"{marker}h"
    if hole.kind == "call":
        return f"{name}(", ")"
    if hole.kind == "dict":
        return f"{name} = {{", "}"
    if hole.kind == "list":
        return f"{name} = [", "]"
    return f"def {name}(", "): ..."

# --- blank lines without black ---------------------------------------------------------


@dataclass
class _BLine:
    """What black's ``EmptyLineTracker`` reads of a line (``black.lines.Line``'s properties)."""

    depth: int
    user_before: int  # the blank lines before it in the source
    kind: str  # a Fast kind, or "comment"
    first: str = ""  # the first token's text
    is_decorator: bool = False
    is_def: bool = False
    is_stub_def: bool = False
    is_class: bool = False
    is_comment: bool = False
    is_docstring: bool = False
    is_import: bool = False
    opens_block: bool = False  # its last leaf is a colon


@dataclass
class _Block:
    """black's ``LinesBlock``: a line and the blank lines before and after it."""

    previous: _Block | None
    line: _BLine
    before: int
    after: int


def _bline(item: Logical | Comment, f: Fast | None) -> _BLine:
    if isinstance(item, Comment):
        return _BLine(item.depth, item.blank_before, "comment", is_comment=True)
    assert f is not None
    k = f.kind
    is_def = k in ("def", "stubdef", "asyncdef", "asyncstubdef")
    return _BLine(
        item.depth, item.blank_before, k, first=item.toks[0].text, is_decorator=k == "decorator", is_def=is_def,
        is_stub_def=is_def and "stub" in k, is_class=k == "class", is_docstring=k == "docstring",
        is_import=k == "import", opens_block=k in ("def", "asyncdef", "class", "header"),
    )


class _EmptyLines:
    """black's ``EmptyLineTracker`` (lines.py, black 26.10.1), line for line, for what it
    meets here: no ``.pyi``, no preview feature, no ``# fmt: off``, no form feed; every
    line is one of the kinds of :class:`_BLine`.
    """

    def __init__(self) -> None:
        self.previous_line: _BLine | None = None
        self.previous_block: _Block | None = None
        self.previous_defs: list[_BLine] = []
        self.semantic_leading_comment: _Block | None = None

    def maybe_empty_lines(self, current_line: _BLine) -> _Block:
        before, after = self._maybe_empty_lines(current_line)
        previous_after = self.previous_block.after if self.previous_block else 0
        before = max(0, before - previous_after)
        if self._line_is_module_docstring(current_line):
            before = 1
        block = _Block(self.previous_block, current_line, before, after)
        if current_line.is_comment:
            if self.previous_line is None or (
                not self.previous_line.is_decorator
                and (not self.previous_line.is_comment or before)
                and (self.semantic_leading_comment is None or before)
            ):
                self.semantic_leading_comment = block
        elif not current_line.is_decorator or before:
            self.semantic_leading_comment = None
        self.previous_line = current_line
        self.previous_block = block
        return block

    def _line_is_module_docstring(self, current_line: _BLine) -> bool:
        previous_block = self.previous_block
        if not previous_block:
            return False
        if (
            not previous_block.line.is_docstring  # a docstring line has a single leaf
            or previous_block.line.depth != 0
            or current_line.is_class
            or current_line.is_def
        ):
            return False
        while previous_block := previous_block.previous:
            if not previous_block.line.is_comment:
                return False
        return True

    def _maybe_empty_lines(self, current_line: _BLine) -> tuple[int, int]:
        max_allowed = 1
        if current_line.depth == 0:
            max_allowed = 2
        before = min(current_line.user_before, max_allowed)
        user_had_newline = bool(before)
        depth = current_line.depth
        previous_def = None
        while self.previous_defs and self.previous_defs[-1].depth >= depth:
            previous_def = self.previous_defs.pop()
        if current_line.is_def or current_line.is_class:
            self.previous_defs.append(current_line)
        if self.previous_line is None:
            return 0, 0
        if current_line.is_docstring:
            if self.previous_line.is_class:
                return 0, 1
            if self.previous_line.opens_block and self.previous_line.is_def:
                return 0, 0
        if previous_def is not None:
            if depth:
                before = 1
            elif (
                not depth
                and previous_def.depth
                and current_line.opens_block
                and current_line.first not in ("with", "try", "for", "while", "if", "match")
            ):
                before = 1
            else:
                before = 2
        if current_line.is_decorator or current_line.is_def or current_line.is_class:
            return self._maybe_empty_lines_for_class_or_def(current_line, before, user_had_newline)
        if (
            self.previous_line.is_import
            and self.previous_line.depth == 0
            and current_line.depth == 0
            and not current_line.is_import
        ):
            return 1, 0
        if (
            self.previous_line.is_import
            and not current_line.is_import
            and depth == self.previous_line.depth
        ):
            return (before or 1), 0
        return before, 0

    def _maybe_empty_lines_for_class_or_def(
        self, current_line: _BLine, before: int, user_had_newline: bool
    ) -> tuple[int, int]:
        assert self.previous_line is not None
        if self.previous_line.is_decorator:
            return 0, 0
        if self.previous_line.depth < current_line.depth and (
            self.previous_line.is_class or self.previous_line.is_def
        ):
            return 1 if user_had_newline else 0, 0
        comment_to_add_newlines: _Block | None = None
        if (
            self.previous_line.is_comment
            and self.previous_line.depth == current_line.depth
            and before == 0
        ):
            slc = self.semantic_leading_comment
            if (
                slc is not None
                and slc.previous is not None
                and not slc.previous.line.is_class
                and not slc.previous.line.opens_block
                and slc.before <= 1
            ):
                comment_to_add_newlines = slc
            else:
                return 0, 0
        newlines = 1 if current_line.depth else 2
        if self.previous_line.is_stub_def and not user_had_newline:
            newlines = 0  # Preview.blank_line_after_stub_method is off
        if comment_to_add_newlines is not None:
            previous_block = comment_to_add_newlines.previous
            if previous_block is not None:
                comment_to_add_newlines.before = (
                    max(comment_to_add_newlines.before, newlines) - previous_block.after
                )
                newlines = 0
        return newlines, 0


def _assemble(items: list[Logical | Comment], fast: list[Fast | None]) -> str | None:
    """The module from its formatted lines, with black's blank lines, when every line is known.

    Every logical line must be fast (or batched) and every comment a module-level one
    (at column 0, before a module-level statement or the end): its depth is then 0
    for black too (the tokenizer gives deeper blocks only the comment lines indented
    at least as deep).  Each logical line is then one ``Line`` of black's, in order,
    and :class:`_EmptyLines` decides the blank lines between them.
    """
    if not any(isinstance(item, Logical) for item in items):
        return None
    n = len(items)
    for i, item in enumerate(items):
        if isinstance(item, Comment):
            if item.indent != 0 or not _comment_ok(item.text):
                return None
            j = i + 1
            while j < n and isinstance(items[j], Comment):
                j += 1
            if j < n and items[j].depth != 0:
                return None
        elif fast[i] is None:
            return None
    tracker = _EmptyLines()
    blocks: list[tuple[_Block, list[str]]] = []
    for item, f in zip(items, fast):
        block = tracker.maybe_empty_lines(_bline(item, f))
        blocks.append((block, [item.text] if isinstance(item, Comment) else f.lines))  # type: ignore[union-attr]
    blocks[-1][0].after = 0
    out: list[str] = []
    for block, lines in blocks:
        out.extend([""] * block.before)
        out.extend(lines)
        out.extend([""] * block.after)
    return "\n".join(out) + "\n"
