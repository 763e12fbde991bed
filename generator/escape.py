"""The escaping helpers: one per output context.  Every spec string that reaches
generated code goes through exactly one of them (they are the Jinja filters
``pystr``, ``docstring`` and ``comment``; type expressions use :func:`pystr` for
every literal value they carry).

* string literal — :func:`pystr`: ``repr`` of the ``str``: quotes, backslashes,
  newlines, NUL, U+2028 and bidi controls all come out as escapes, so the literal
  is one token on one line whatever the input.
* docstring — :func:`docstring`: backslashes doubled, every ``"`` that could close
  the string escaped, every line-break character normalised to ``\\n``, control and
  bidi characters written as ``\\x``/``\\u`` escapes: the text stays inside the
  triple quotes and the file stays plain printable text.
* comment — :func:`comment`: one line, control characters removed.
"""

from __future__ import annotations

import re
import unicodedata

# Characters some tool may treat as a line break.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _unsafe(ch: str) -> bool:
    """Control, format (bidi!), surrogate, private-use and unassigned characters."""
    if ch == "\n":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


# The characters of ASCII text that _unsafe() flags (C0 controls but "\n", and DEL): text
# that is ASCII and has none of them needs no per-character pass (most spec text).
_ASCII_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def _escape_unsafe(text: str) -> str:
    """``text`` with every character _unsafe() flags written as an escape."""
    if text.isascii() and _ASCII_UNSAFE.search(text) is None:
        return text
    return "".join(_escape_char(c) if _unsafe(c) else c for c in text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def pystr(value: object) -> str:
    """A Python string literal whose value is exactly ``str(value)``."""
    text = value if isinstance(value, str) else str(value)
    # repr leaves some format characters printable-looking; make them escapes too.
    return _escape_unsafe(repr(text))


def pyvalue(value: object) -> str:
    """A Python expression for a JSON value (None, bool, int, float, str, list, dict)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"float({pystr(repr(value))})"
        return repr(float(value))
    if isinstance(value, str):
        return pystr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pyvalue(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pystr(k)}: {pyvalue(v)}" for k, v in value.items()) + "}"
    return pystr(value)


def clean_text(value: object) -> str:
    """Spec prose as plain text: line breaks normalised, trailing blanks removed."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    text = _LINE_BREAKS.sub("\n", text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def docstring(value: object, indent: str = "") -> str:
    """The *body* of a ``\"\"\"...\"\"\"`` docstring (without the quotes).

    Continuation lines are indented with ``indent``.  The result never contains
    an unescaped ``\"`` run that could end the string, never ends with a quote or
    a backslash, and contains no control or bidi characters.
    """
    text = clean_text(value)
    text = text.replace("\\", "\\\\")
    text = _escape_unsafe(text)
    text = text.replace('"', '\\"')
    lines = text.split("\n")
    return "\n".join((indent + line if line and i else line) for i, line in enumerate(lines))


def comment(value: object) -> str:
    """One line of comment text: no line breaks, no control characters."""
    text = clean_text(value).replace("\n", " ")
    if text.isascii() and _ASCII_UNSAFE.search(text) is None:
        return text
    return "".join("?" if _unsafe(c) else c for c in text)


def markdown(value: object) -> str:
    """Spec prose for a Markdown page: one paragraph, no raw HTML, no control characters."""
    text = clean_text(value).replace("\n", " ")
    text = "".join(" " if _unsafe(c) else c for c in text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_code(value: object) -> str:
    """A value inside a Markdown code span: backticks cannot close it."""
    text = comment(value).replace("`", "'")
    return f"`{text}`"
