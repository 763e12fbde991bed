"""The escaping helpers on hostile spec strings: pystr, docstring, comment."""

from __future__ import annotations

import ast
import unicodedata

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.escape import clean_text, comment, docstring, pystr, pyvalue

HOSTILE = [
    "",
    "plain",
    "'",
    '"',
    "'\"",
    '"""',
    "'''",
    '"""; import os; os.system("echo pwned"); """',
    "'''; import os; '''",
    'ends with a quote"',
    "ends with a quote'",
    "\\",
    "trailing backslash\\",
    "\\\\",
    "\\n is not a newline",
    "\\x00 \\u202e \\N{BULLET}",
    "line\nbreak",
    "carriage\rreturn",
    "windows\r\nline",
    "vertical\x0btab and form\x0cfeed",
    "next\x85line",
    "line\u2028separator",
    "paragraph\u2029separator",
    "nul\x00byte",
    "bell\x07 escape\x1b[31m delete\x7f",
    "# not a comment",
    "{{ 7 * 7 }}",
    "{% for x in y %}{{ x }}{% endfor %}",
    "{# jinja comment #}",
    "right-to-left \u202e override",
    "isolates \u2066 \u2067 \u2068 \u2069",
    "embedding \u202a \u202b \u202c \u202d",
    "zero width \u200b \u200d \ufeff",
    "emoji 😀 and flag 🇫🇷 and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "non-ASCII é ß 日本語",
    "lone \ud800 surrogate \udfff",
    "private use \ue000 and unassigned \U000e0080",
    "\n\n  leading and trailing blank lines  \n\n",
    "   ",
    "    indented first line\n        and an indented second",
    "tab\tseparated",
    '"\\"\\\\"',
]

# Characters that str.splitlines() treats as line boundaries.
LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def no_raw_unsafe(text: str, allow_newline: bool = False) -> None:
    for ch in text:
        if ch == "\n" and allow_newline:
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"), (
            f"raw {ch!r} in {text!r}"
        )


# ------------------------------------------------------------------- pystr


@pytest.mark.parametrize("text", HOSTILE)
def test_pystr_round_trips(text: str) -> None:
    literal = pystr(text)
    assert ast.literal_eval(literal) == text
    assert not (set(literal) & LINE_BREAKS)
    no_raw_unsafe(literal)
    # one token: a single string constant expression
    tree = ast.parse(literal, mode="eval")
    assert isinstance(tree.body, ast.Constant) and tree.body.value == text


def test_pystr_of_non_strings() -> None:
    assert ast.literal_eval(pystr(42)) == "42"
    assert ast.literal_eval(pystr(None)) == "None"


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_pystr_round_trips_any_text(text: str) -> None:
    literal = pystr(text)
    assert ast.literal_eval(literal) == text
    assert not (set(literal) & LINE_BREAKS)
    no_raw_unsafe(literal)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=8,
    )
)
def test_pyvalue_round_trips_json_values(value: object) -> None:
    expr = pyvalue(value)
    assert ast.literal_eval(expr) == value


def test_pyvalue_non_finite_floats() -> None:
    assert eval(pyvalue(float("inf"))) == float("inf")  # noqa: S307 - our own output
    assert eval(pyvalue(float("-inf"))) == float("-inf")  # noqa: S307
    nan = eval(pyvalue(float("nan")))  # noqa: S307
    assert nan != nan


# ---------------------------------------------------------------- docstring


def embed(text: str, indent: str = "    ") -> str:
    return 'def f():\n    """' + docstring(text, indent) + '\n    """\n'


def check_docstring(text: str) -> None:
    source = embed(text)
    no_raw_unsafe(source, allow_newline=True)
    tree = ast.parse(source)
    assert len(tree.body) == 1
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef) and func.name == "f"
    assert not func.decorator_list
    # the body is the docstring and nothing else
    assert len(func.body) == 1
    (stmt,) = func.body
    assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
    value = stmt.value.value
    assert isinstance(value, str)
    # the docstring's value is the cleaned text, continuation lines indented
    lines = value.split("\n")
    assert lines[-1] == "    "
    body = lines[:-1]
    expected = clean_text(text).split("\n")
    assert [body[0]] + [line.removeprefix("    ") for line in body[1:]] == expected


def check_tight_docstring(text: str) -> None:
    """The templates also close the quotes right after the text: ``\"\"\"{{ doc }}\"\"\"``."""
    source = 'class C:\n    """' + docstring(text, "    ") + '"""\n'
    tree = ast.parse(source)
    (cls,) = tree.body
    assert isinstance(cls, ast.ClassDef) and len(cls.body) == 1
    value = ast.get_docstring(cls, clean=False)
    assert value is not None
    first, *rest = value.split("\n")
    assert [first] + [line.removeprefix("    ") for line in rest] == clean_text(text).split("\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_stays_a_docstring(text: str) -> None:
    check_docstring(text)
    check_tight_docstring(text)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_docstring_stays_a_docstring_for_any_text(text: str) -> None:
    check_docstring(text)
    check_tight_docstring(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('"\'\\\n\r #{}%\u2028\u202e\x00ab')), max_size=40))
def test_docstring_on_quote_and_backslash_soup(text: str) -> None:
    check_docstring(text)
    check_tight_docstring(text)


def test_docstring_without_indent_at_module_level() -> None:
    text = 'line one\nline "two"\\'
    source = '"""' + docstring(text) + '\n"""\n'
    tree = ast.parse(source)
    assert len(tree.body) == 1
    assert ast.get_docstring(tree, clean=False) == 'line one\nline "two"\\\n'


# ------------------------------------------------------------------ comment


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_is_one_safe_line(text: str) -> None:
    out = comment(text)
    assert not (set(out) & LINE_BREAKS)
    assert len(out.splitlines()) <= 1
    no_raw_unsafe(out)
    # as a comment it adds no code
    tree = ast.parse(f"x = 1  # {out}\n")
    assert len(tree.body) == 1


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_comment_is_one_safe_line_for_any_text(text: str) -> None:
    out = comment(text)
    assert not (set(out) & LINE_BREAKS)
    no_raw_unsafe(out)
    assert len(ast.parse(f"x = 1  # {out}\ny = 2\n").body) == 2


# ------------------------------------------------------ through a Jinja template


@pytest.mark.parametrize("text", ["{{ 7 * 7 }}", "{% raw %}", "{% if true %}x{% endif %}", "{# c #}"])
def test_template_syntax_in_spec_text_is_not_evaluated(text: str) -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update({"pystr": pystr, "docstring": docstring, "comment": comment})
    template = env.from_string(
        'X = {{ value | pystr }}  # {{ value | comment }}\n'
        'def f():\n    """{{ value | docstring("    ") }}\n    """\n'
    )
    source = template.render(value=text)
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)  # noqa: S102 - our own output
    assert namespace["X"] == text
    assert namespace["f"].__doc__.rstrip() == text


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
@settings(max_examples=300)
def test_ascii_fast_path_is_the_per_character_pass(text: str) -> None:
    """_escape_unsafe skips the per-character pass on clean ASCII: same answers as the pass."""
    from generator.escape import _escape_char, _escape_unsafe, _unsafe

    assert _escape_unsafe(text) == "".join(_escape_char(c) if _unsafe(c) else c for c in text)
    assert comment(text) == "".join("?" if _unsafe(c) else c for c in clean_text(text).replace("\n", " "))
