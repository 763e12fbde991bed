"""generator.bounded_re: the answers of ``re.search``, in bounded time."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import bounded_re
from generator.bounded_re import search

# Patterns over a small grammar whose searches are quick for re too, so that both
# engines can be asked; the atoms are the places where RE2's own ideas differ from
# Python's (\d \w \s and their negations, \b \B, $, case folding, non-ASCII letters).
ATOMS = ["a", "b", "A", ".", r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", "[a-c]", "[^a]", r"[\w-]", "\u00e9",
         "\u0663", "K", "\u212a", r"\n", " ", r"\b", r"\B", "^", "$", r"\A", r"\Z", "[[:alpha:]]", r"\x0b",
         "_", "x{0,2}", "[^\\W\\d]", "\u017f"]
WRAPS = ["{}*", "{}+", "{}?", "{}*?", "({})", "(?:{})", "{}{{2}}", "{}{{1,3}}", "(?i:{})", "(?s:{})", "(?m:{})",
         "(?=$){}", "{}|{}", "{}{}", "(?={})", "(?!{})", "(?<=a){}", r"({})\1", "(?P<n>{})(?P=n)"]
CHARS = ["a", "b", "A", "B", "1", "\u0663", "\u00e9", "\u00c9", "K", "k", "\u212a", "\n", " ", "\x0b", "\x1c", "_",
         "-", "!", "\u017f", "s", "S", "x"]


def patterns() -> st.SearchStrategy[str]:
    atom = st.sampled_from(ATOMS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(WRAPS), inner, inner).map(
            lambda t: t[0].format(t[1], t[2]) if t[0].count("{}") == 2 else t[0].format(t[1]))

    flags = st.sampled_from(["", "(?i)", "(?m)", "(?s)", "(?x)"])
    return st.tuples(flags, st.recursive(atom, extend, max_leaves=6)).map("".join)


def compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


pytestmark = pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(patterns().filter(compiles), st.lists(st.sampled_from(CHARS), max_size=7).map("".join))
def test_same_answer_as_re(pattern: str, subject: str) -> None:
    got = search(pattern, subject)
    if got is not None:  # None: undecided, never a wrong answer
        assert got == (re.search(pattern, subject) is not None)


@pytest.mark.parametrize(("pattern", "subject", "expected"), [
    ("^[a-z]+$", "abc\n", True),          # re's $ matches before a final newline
    ("^[a-z]+$", "abc\n\n", False),
    ("(?m)^b$", "a\nb\nc", True),
    (r"\B", "", False),                     # re: \B never matches the empty string
    (r"\b", "\u00e9", True),                # a Unicode word character
    (r"a\B", "a\u00e9", True),
    (r"\d", "\u0663", True),                # Arabic-Indic digit three
    (r"\s", "\x1c", True),
    (r"(?i)k", "\u212a", True),             # KELVIN SIGN folds to k
    (r"(?i)\u017f", "S", True),             # LATIN SMALL LETTER LONG S folds to s
    ("[[:alpha:]]", ":]", True),            # re reads a set of characters and a "]", not a POSIX class
    ("[[:alpha:]]", "b", False),
    ("a{2000}", "a" * 2000, True),          # over RE2's repeat limit: the fallback
    ("a{2000}", "a" * 1999, False),
    (r"(\w+)\s\1", "hello hello", True),     # backreference: the fallback
    (r"^(?!x)\w+$", "xyz", False),          # lookahead: the fallback
    ("^(a+)+$", "a" * 5000 + "!", False),   # catastrophic for re, linear here
    ("(x+x+)+y", "x" * 5000, False),
])
def test_examples(pattern: str, subject: str, expected: bool) -> None:
    assert search(pattern, subject) is expected
    if len(subject) < 100:
        assert (re.search(pattern, subject) is not None) is expected


def test_what_re_refuses_is_refused_the_same_way() -> None:
    with pytest.raises(re.error):
        search("(", "x")
    with pytest.raises(TypeError):
        search(5, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        search("x", 200)  # a YAML integer key against patternProperties


def test_undecided_rather_than_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    # constructs whose CPython matcher is version-dependent or buggy are not guessed
    assert search("(?a:\\W)", "\u00e9") is None
    assert search("a++", "aa") is None
    assert search("(?>a)", "a") is None
    # the backtracking fallback stops at its time budget
    with bounded_re.budget(0.0):
        assert search(r"(\w)\1", "aa") is None
    with bounded_re.budget(10.0):
        assert search(r"(\w)\1", "aa") is True
    monkeypatch.setattr(bounded_re, "SEARCH_TIMEOUT", 0.001)
    assert search("^(?=a)(a|aa)+$", "a" * 200 + "!") is None


def test_subjects_re2_cannot_encode_go_to_the_fallback() -> None:
    assert search("a.b", "a\ud800b") is True
    assert search("^[a-z]+$", "a\ud800") is False
