"""The fast formatting path (generator/fastfmt.py) gives exactly full black's bytes.

* every generated module of the seed specs (every model style and layout) and of the
  corpus (together in both layouts and portkey always; openai with
  OAGEN_FORMAT_OPENAI=1, it takes a minute of full black) is
  rendered, then formatted both ways: ``format_source`` (the fast path) and
  ``black.format_str`` on the whole unformatted text; the bytes must be equal, and
  the fast path must have handled (not fallen back on) nearly all of them;
* tiny modules pin the awkward cases of the skeleton and its blank lines;
* random modules assembled from the shapes our templates write, with random blank
  lines and comments between them, compare the two on many combinations.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from unittest import mock

import black
import pytest

import generator.core as core
from generator import fastfmt
from generator.config import LAYOUTS, MODEL_STYLES, client_for_spec
from generator.format import black_mode, format_source
from generator.load import load_document
from generator.render import runtime_files

from corpus_support import CORPUS, require_corpus

ROOT = Path(__file__).resolve().parents[1]
MODE = black_mode(100)


def _black(text: str) -> str:
    return black.format_str(text, mode=MODE)


def _fast(text: str) -> str:
    """The fast path itself: raises fastfmt.Fallback when it would hand over to black."""
    return fastfmt.format_module(text, MODE, _black)


def _unformatted(spec: Path, tmp_path: Path, models: str = "pydantic", layout: str = "resources") -> dict[str, str]:
    """Every generated module of ``spec`` as rendered, before black."""
    client = client_for_spec(spec, tmp_path / "pkg", None, models=models, layout=layout)
    doc = load_document(spec)
    with mock.patch.object(core, "format_files", lambda files, *a, **k: files):
        result = core.generate(doc, client)
    skip = set(runtime_files())
    return {p: t for p, t in result.files.items() if p.endswith(".py") and p not in skip}


def _compare_spec(spec: Path, tmp_path: Path, models: str = "pydantic", layout: str = "resources") -> None:
    files = _unformatted(spec, tmp_path, models, layout)
    assert files
    fast_bytes = 0
    for path, text in sorted(files.items()):
        expected = _black(text)
        try:
            got = _fast(text)
            fast_bytes += len(text)
        except fastfmt.Fallback:
            got = format_source(path, text, MODE)
        assert got == expected, f"{spec.name}: {path} differs from black"
    total = sum(len(t) for t in files.values())
    # A fallback is correct (black formats the file) but slow: the fast path must
    # carry nearly everything, or this test would only compare black with black.
    assert fast_bytes >= 0.9 * total, f"{spec.name}: the fast path handled only {fast_bytes} of {total} bytes"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("models", MODEL_STYLES)
@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.stem)
def test_seed_specs_format_exactly_as_black(spec: Path, models: str, layout: str, tmp_path: Path) -> None:
    _compare_spec(spec, tmp_path, models, layout)


@pytest.mark.parametrize(("name", "layout"), [
    ("together", "resources"), ("together", "functions"), ("portkey", "resources"), ("openai", "resources"),
])
def test_corpus_formats_exactly_as_black(name: str, layout: str, tmp_path: Path) -> None:
    require_corpus()
    if name == "openai" and os.environ.get("OAGEN_FORMAT_OPENAI") != "1":
        pytest.skip("openai.yaml: set OAGEN_FORMAT_OPENAI=1 (a minute of full black on 2.8 MB)")
    _compare_spec(CORPUS / f"{name}.yaml", tmp_path, layout=layout)


# --- tiny modules ----------------------------------------------------------------------

CASES = {
    "module docstring and imports": '''"""Module doc."""
from __future__ import annotations
import datetime
x = 1
''',
    "blank lines normalised around top-level classes": '''import os
class A(Base):
    x: int
    """doc of x"""
    y: str | None = None



class B(Base):

    z: int = 1
x = 1
y = 2



z = 3
''',
    "class docstring then fields": '''class A(BaseModel):
    """A \\"quoted\\" doc with a backslash \\\\ and 'single' quotes."""
    a: str
    b: int


class B(BaseModel):
    """Only a docstring."""


class C(BaseModel):
    """Multi-line
    docstring with a "quote" inside.

      indented more
    """

    c: List[str] | None = None
''',
    "docstring whose last line is too long for the closing quotes": (
        'class A:\n    """First line.\n\n    ' + "x" * 95 + '"""\n\n    a: int\n'
    ),
    "docstring that starts and ends with quotes, empty, backslash": '''class A:
    """ "quoted" """
class B:
    """"""
    b: int
class C:
    """ends with a backslash \\\\"""
    c: int
def f():
    \'\'\'single quotes\'\'\'
    return 1
''',
    "decorators, overloads and stubs": '''from typing import overload
class R:
    @overload
    def f(self, x: int) -> int: ...
    @overload
    def f(self, x: str) -> str: ...
    def f(self, x):
        return x

    @cached_property
    def g(self) -> G:
        """Doc."""
        return G(self)
''',
    "comments between chunks": '''import os

# a comment before a class
class A:
    a: int
# a comment after a class

# another one
X = Union[A, B]
# a comment before an alias
Y = List[A]


# trailing comment at the end
''',
    "class body with a long line": '''class A(BaseModel):
    """Doc."""

    short: int
    training_type: Annotated[Union[Annotated[FullTrainingType, Tag('Full')], Annotated[LoRATrainingType, Tag('Lora')]], Discriminator(discriminator_by('type', 'type'))] | None = None
    """Doc of the long one."""
    after: str = 'x'
''',
    "nested defs and an if TYPE_CHECKING block": '''from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from ._client import Client, AsyncClient
def outer(a: int, b: str = 'x') -> int:
    def inner(c: int) -> int:
        return c
    return inner(a)
class K:
    def m(self) -> None:
        self.x = 1
    def n(self) -> None:
        pass
''',
    "__all__ longer than the line, and one-tuple and tuples": '''__all__ = ['AVeryLongNameThatIsLongEnoughToFillTheLineOnItsOwnAndThenSomeMoreCharactersToGoBeyondTheLimit', 'B', ]
__all__ = ["A", "B", ]
class M(BaseModel):
    __oagen_always_set__ = ('object', )
    __oagen_always_set__ = ('object', 'type', )
    object: Literal['x'] = 'x'
''',
    "exploded signatures and calls": '''class R:
    def create(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
    ) -> Thing:

        """Create a thing.

        Args:
          id: The id.
        """
        result: Thing = self._client.request(
            Thing,
            method='post',
            path='/things/' + path_param(id),
            options=make_request_options(
                extra_headers=extra_headers,
                timeout=timeout,
            ),

        )
        return result

    async def acreate(
        self,
        *,
        timestamp_granularities: AudioTranscriptionRequestTimestampGranularitiesOption1 | List[AudioTranscriptionRequestTimestampGranularitiesOption2Item] | NotGiven = NOT_GIVEN,
    ) -> Thing: ...
''',
    "enum with long members and unicode escapes": '''class E(OpenStrEnum):
    """Doc with \\xAB escape and \\N{bullet}."""
    A = 'a'
    B_VALUE = 'it\\'s'
    C = "say \\"hi\\""
    TRAINING_OPERATION_ERROR_CODE_RESOURCE_EXHAUSTED = 'TRAINING_OPERATION_ERROR_CODE_RESOURCE_EXHAUSTED'
    D = '\\xAB'
''',
    "wide characters near the limit": (
        "class A:\n    a: str = '" + "\u4e2d" * 46 + "'\n    b: str = '" + "\u4e2d" * 44 + "'\n"
    ),
    "lines of exactly 100 and 101 columns": (
        "x = '" + "a" * 94 + "'\nclass A:\n    y = '" + "b" * 90 + "'\n    z = '" + "c" * 91 + "'\n"
    ),
    "trailing comments and spacing black rewrites": '''class A:
    __pydantic_extra__: Dict[str, Any] = Field(init=False)  # type: ignore[assignment]
    a: int=1
    b = (1)
    c: int  # a comment
    d = x[1:2]
    e = -1
    f = f(a=-1, *args, **kwargs)
    g = not x
    h = a if b else c
    i = 2**8
    j = {'k': 'v', "w": 1}
''',
    "f-strings and bytes": '''def f(x):
    y = f"{x!r} is {x}"
    z = b'bytes'
    return rb'raw\\d'
''',
    "indentation other than four spaces, comments at each level": '''def sync(
        client: Pkg,
        *,
        name: str | NotGiven = NOT_GIVEN,
    ) -> Thing:

        """Doc.

        More.
        """
        # a comment in the body
        result = client.request(
            Thing,
            method='post',
        )
        return result
# a module comment
class A:
  x: int = 1e-05
  y = 0XFF
  # a comment in a two-space body
  def f(self):
        return 1
''',
    "statements with soft keywords and keywords first": '''class A:
    type: Literal['a'] = 'a'
    match: str
    _: int = 0
    print: int = 1
x = lambda: 0
del x
assert True
''',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tiny_modules_format_exactly_as_black(name: str) -> None:
    text = CASES[name]
    expected = _black(text)
    assert format_source("case.py", text, MODE) == expected
    try:
        assert _fast(text) == expected
    except fastfmt.Fallback:
        pass  # a fallback is black itself; test_fast_path_is_used pins where it must not happen


@pytest.mark.parametrize("name", [
    "blank lines normalised around top-level classes", "class docstring then fields",
    "decorators, overloads and stubs", "comments between chunks", "class body with a long line",
    "nested defs and an if TYPE_CHECKING block", "exploded signatures and calls",
    "__all__ longer than the line, and one-tuple and tuples", "enum with long members and unicode escapes",
])
def test_fast_path_is_used(name: str) -> None:
    """These modules are what the templates write: the fast path must not give up on them."""
    calls: list[str] = []

    def counting_black(text: str) -> str:
        calls.append(text)
        return _black(text)

    out = fastfmt.format_module(CASES[name], MODE, counting_black)
    assert out == _black(CASES[name])
    assert sum(len(c) for c in calls) < len(CASES[name]) + 200, "black sees less than the module"


def test_a_text_that_does_not_compile_is_left_to_black() -> None:
    with pytest.raises(fastfmt.Fallback):
        _fast("class A:\n    x: int = = 1\n")
    from generator.diagnostics import SpecError

    with pytest.raises(SpecError, match="does not parse"):
        format_source("bad.py", "class A:\n    x: int = = 1\n", MODE)


def test_unsupported_text_falls_back() -> None:
    for text in ("x = 1 + \\\n    2\n", "x = 1\t# tab\n", "x = 1; y = 2\n", "if x:\n    y = 1\n  # between levels\n"):
        with pytest.raises(fastfmt.Fallback):
            _fast(text)
        assert format_source("case.py", text, MODE) == _black(text)


def test_stand_in_names_never_collide() -> None:
    text = "_oagen_fmt_ = 1\nclass A:\n    _oagen_fmt_0 = 2\n    b: int\n"
    assert _fast(text) == _black(text)


# --- random modules ---------------------------------------------------------------------

_FIELDS = [
    "a: int", "b: str | None = None", "c: List[Thing] | None = None", "d: Literal['x'] = 'x'",
    "e: Dict[str, Any] = Field(default=None, alias='e-e')",
    "long_field_name: Annotated[Union[Annotated[FirstVariantModel, Tag('first')], Annotated[SecondVariantModel, Tag('second')]], Discriminator(discriminator_by('type', 'type'))] | None = None",
    "__oagen_always_set__ = ('object', )", "__oagen_always_set__ = ('object', 'type', )",
    "pass", '"""A field docstring with a \\"quote\\"."""', "ENUM_MEMBER = 'enum_member'",
    "VERY_LONG_ENUM_MEMBER_NAME_THAT_GOES_ON_AND_ON = 'very_long_enum_member_name_that_goes_on_and_on'",
]
_DOCS = [
    '"""Short doc."""', '"""Multi-line doc.\n\n    More text here.\n    """', '"""Doc ending with \\"x\\" ."""',
    '""" padded doc  """', '"""Tab\tinside and an escaped backslash \\\\"""', "'''single-quoted doc'''",
    '"""Multi-line whose last line is long.\n    ' + "w" * 96 + '"""', '"""\n    Starts on the next line.\n    """',
    "'short single'", '"""Doc with \\xAB and \\u00e9 escapes."""', '"""Ends with a quote \\""""',
]
_TOP = [
    "X = Union[A, B]", "Y = List[str]", "# a module comment", "import os", "from x import y",
    "Z = Annotated[Union[Annotated[FirstVariantModel, Tag('first')], Annotated[SecondVariantModel, Tag('second')]], Discriminator(discriminator_by('type', 'type'))]",
    "@decorator\ndef f(a: int = 1) -> int:\n    return a",
    "def g(\n    self,\n    *,\n    name: str | NotGiven = NOT_GIVEN,\n) -> None:\n    x = 1\n\n    return x",
    "if TYPE_CHECKING:\n    from a import b",
    "@dataclass\nclass D:\n    x: int",
    "class Outer:\n    class Inner:\n        a: int\n\n    b: int",
    "class S: ...",
    "class R:\n    def m(self) -> None:\n\n        x = 1\n\n\n        y = 2\n    # trailing body comment\n    def n(self): ...",
    "try:\n    import a\nexcept ImportError:\n    a = None",
    "# comment one\n# comment two\nclass After:\n    a: int",
    "x = 1  # trailing",
]


def _random_class(rng: random.Random) -> str:
    lines = [f"class C{rng.randrange(1000)}({rng.choice(['BaseModel', 'OpenStrEnum', 'A, B'])}):"]
    if rng.random() < 0.1:
        lines.append("")
    if rng.random() < 0.5:
        lines.append("    " + rng.choice(_DOCS))
    for _ in range(rng.randrange(0, 6)):
        if rng.random() < 0.2:
            lines.append("")
        if rng.random() < 0.1:
            lines.append("    # a body comment")
        lines.append("    " + rng.choice(_FIELDS))
    if not any(line.strip() and not line.strip().startswith("#") for line in lines[1:]):
        lines.append("    pass")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(60))
def test_random_modules_format_exactly_as_black(seed: int) -> None:
    rng = random.Random(seed)
    parts = ['"""Module."""'] if rng.random() < 0.5 else []
    for _ in range(rng.randrange(1, 12)):
        parts.append(_random_class(rng) if rng.random() < 0.6 else rng.choice(_TOP))
    text = "".join(part + "\n" * rng.choice([1, 1, 2, 3, 4]) for part in parts)
    expected = _black(text)
    assert format_source("random.py", text, MODE) == expected
    try:
        assert _fast(text) == expected
    except fastfmt.Fallback:
        pass
