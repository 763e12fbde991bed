"""load_config: [tool.oagen] in a pyproject.toml, as one typed object, or a located error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.config import Config, client_for_spec, find_pyproject, load_config
from generator.diagnostics import Level, SpecError

PROJECT = """\
[project]
name = "demo"
version = "1.0"
description = "not an oagen key"

"""


def write(tmp_path: Path, body: str, *, project: bool = True) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text((PROJECT if project else "") + textwrap.dedent(body), encoding="utf-8")
    return path


def error_of(path: Path) -> tuple[str, int | None, str, str]:
    """(message, line, pointer, formatted) of the one error load_config raises."""
    with pytest.raises(SpecError) as info:
        load_config(path)
    (d,) = info.value.diagnostics
    assert d.level == Level.ERROR
    assert d.location.file == str(path)
    return d.message, d.location.line, d.location.pointer, d.format()


def line_of(path: Path, needle: str) -> int:
    """The line number of the last line starting with ``needle`` (after [project])."""
    found = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip().startswith(needle)]
    assert found, needle
    return found[-1]


# ---------------------------------------------------------------------- valid


def test_valid_configuration(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [tool.oagen]
        output = "gen"
        strict = true
        line_length = 88

        [[tool.oagen.clients]]
        name = "together"
        spec = "specs/together.yaml"
        client_class = "Together"
        version = "2.0.0"
        base_url = "https://api.example.com"
        [tool.oagen.clients.methods]
        "POST /fine-tunes/{id}/cancel" = "cancel"
        listModels = "list"
        [tool.oagen.clients.resources]
        "Fine-tuning" = "fine_tuning"

        [[tool.oagen.clients]]
        name = "acme_api"
        spec = "specs/acme.yaml"
        output = "elsewhere/acme_api"
        env_prefix = "ACME"
        templates = "my_templates"
        """,
    )
    config = load_config(path)
    assert isinstance(config, Config)
    assert (config.file, config.root, config.strict, config.line_length) == (path, tmp_path, True, 88)
    together, acme = config.clients
    assert together.name == "together"
    assert together.spec == tmp_path / "specs/together.yaml"
    assert together.output == tmp_path / "gen" / "together"
    assert (together.client_class, together.env_prefix) == ("Together", "TOGETHER")
    assert (together.version, together.base_url) == ("2.0.0", "https://api.example.com")
    assert (together.models, together.layout, together.templates) == ("pydantic", "resources", None)
    # sorted, so the generated code does not depend on the file's order
    assert together.methods == (("POST /fine-tunes/{id}/cancel", "cancel"), ("listModels", "list"))
    assert together.resources == (("Fine-tuning", "fine_tuning"),)
    assert acme.output == tmp_path / "elsewhere/acme_api"
    assert (acme.client_class, acme.env_prefix) == ("AcmeApi", "ACME")
    assert acme.templates == tmp_path / "my_templates"
    assert acme.version is None


def test_defaults_and_no_section(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.clients == () and config.strict is False and config.line_length == 100
    path = write(tmp_path, '[[tool.oagen.clients]]\nname = "x"\nspec = "x.yaml"\n')
    (client,) = load_config(path).clients
    assert client.output == tmp_path / "generated" / "x"
    assert client.client_class == "X"


def test_the_repository_configuration_loads() -> None:
    root = Path(__file__).resolve().parents[1]
    config = load_config(root / "pyproject.toml")
    assert [c.name for c in config.clients]  # at least one client


# --------------------------------------------------------------------- errors


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [tool.oagen]
        output = "gen"
        outptu = "typo"
        """,
    )
    message, line, pointer, text = error_of(path)
    assert "outptu" in message
    assert line == line_of(path, "outptu")
    assert pointer == "tool.oagen.outptu"
    assert text.startswith(f"{path}:{line}: error: ")


def test_unknown_client_key_is_located_in_its_own_table(tmp_path: Path) -> None:
    # `description` also is a [project] key, earlier in the file
    path = write(
        tmp_path,
        """
        [tool.oagen]

        [[tool.oagen.clients]]
        name = "one"
        spec = "one.yaml"

        [[tool.oagen.clients]]
        name = "two"
        spec = "two.yaml"

        description = "typo"
        """,
    )
    message, line, pointer, text = error_of(path)
    assert "'description'" in message and "[[tool.oagen.clients]]" in message
    assert pointer == "tool.oagen.clients[1].description"
    assert line == len(path.read_text().splitlines())  # the last line of the file
    assert str(path) in text


@pytest.mark.parametrize(
    ("body", "key", "pointer"),
    [
        ('[tool.oagen]\nstrict = "yes"\n', "strict", "tool.oagen.strict"),
        ('[tool.oagen]\nline_length = "100"\n', "line_length", "tool.oagen.line_length"),
        ("[tool.oagen]\nline_length = true\n", "line_length", "tool.oagen.line_length"),
        ("[tool.oagen]\noutput = 3\n", "output", "tool.oagen.output"),
        ('[tool.oagen]\nclients = "x"\n', "clients", "tool.oagen.clients"),
        ('[[tool.oagen.clients]]\nname = "a"\nspec = 1\n', "spec", "tool.oagen.clients[0].spec"),
        ('[[tool.oagen.clients]]\nname = "a"\nspec = "a.yaml"\nversion = 2\n', "version",
         "tool.oagen.clients[0].version"),
        ('[[tool.oagen.clients]]\nname = "a"\nspec = "a.yaml"\nmethods = "x"\n', "methods",
         "tool.oagen.clients[0].methods"),
        ('[[tool.oagen.clients]]\nname = "a"\nspec = "a.yaml"\n[tool.oagen.clients.methods]\nlistX = 1\n',
         "listX", "tool.oagen.clients[0].methods.listX"),
    ],
)
def test_wrong_type(tmp_path: Path, body: str, key: str, pointer: str) -> None:
    path = write(tmp_path, body)
    message, line, got_pointer, _ = error_of(path)
    assert key in message
    assert got_pointer == pointer
    assert line == line_of(path, key)


@pytest.mark.parametrize("missing", ["name", "spec"])
def test_missing_name_or_spec(tmp_path: Path, missing: str) -> None:
    keys = {"name": 'name = "a"', "spec": 'spec = "a.yaml"'}
    del keys[missing]
    path = write(tmp_path, "[[tool.oagen.clients]]\n" + "\n".join(keys.values()) + "\n")
    message, line, pointer, _ = error_of(path)
    assert repr(missing) in message
    assert pointer == "tool.oagen.clients[0]"
    assert line == line_of(path, "[[tool.oagen.clients]]")


def test_duplicate_client_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[tool.oagen.clients]]
        name = "same"
        spec = "a.yaml"

        [[tool.oagen.clients]]
        name = "same"
        spec = "b.yaml"
        """,
    )
    message, line, pointer, _ = error_of(path)
    assert "same" in message and "two clients" in message
    assert pointer == "tool.oagen.clients[1].name"
    lines = path.read_text().splitlines()
    assert lines[line - 1] == 'name = "same"'
    assert line == line_of(path, 'name = "same"')  # the second one, not the first


@pytest.mark.parametrize(
    ("key", "value"),
    [("models", "attrs"), ("models", "marshmallow"), ("layout", "flat"), ("layout", "")],
)
def test_unsupported_models_or_layout(tmp_path: Path, key: str, value: str) -> None:
    path = write(tmp_path, f'[[tool.oagen.clients]]\nname = "a"\nspec = "a.yaml"\n{key} = "{value}"\n')
    message, line, pointer, _ = error_of(path)
    assert repr(value) in message and "not supported" in message
    assert pointer == f"tool.oagen.clients[0].{key}"
    assert line == line_of(path, key)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "my-client"),
        ("name", "1client"),
        ("name", "class"),
        ("name", "ok\\n"),
        ("name", ""),
        ("client_class", "My Client"),
        ("client_class", "None"),
    ],
)
def test_names_that_are_not_identifiers(tmp_path: Path, key: str, value: str) -> None:
    base = {"name": "ok", "spec": "a.yaml", key: value}
    body = "[[tool.oagen.clients]]\n" + "".join(f'{k} = "{v}"\n' for k, v in base.items())
    path = write(tmp_path, body)
    message, _, pointer, _ = error_of(path)
    assert pointer == f"tool.oagen.clients[0].{key}"


def test_invalid_toml_has_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.oagen]\noutput = \n")
    message, line, _, _ = error_of(path)
    assert "invalid TOML" in message
    assert line == line_of(path, "output")


def test_unreadable_file(tmp_path: Path) -> None:
    message, line, _, _ = error_of(tmp_path / "missing.toml")
    assert "cannot read" in message and line is None


# -------------------------------------------------------------------- helpers


def test_find_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == path


def test_client_for_spec(tmp_path: Path) -> None:
    client = client_for_spec(Path("api.yaml"), tmp_path / "acme_api")
    assert (client.name, client.client_class, client.env_prefix) == ("acme_api", "AcmeApi", "ACME_API")
    with pytest.raises(SpecError, match="--output"):
        client_for_spec(Path("api.yaml"), tmp_path / "acme-api")
    with pytest.raises(SpecError, match="--output"):
        client_for_spec(Path("api.yaml"), tmp_path / "import")
    with pytest.raises(SpecError, match="--client-name"):
        client_for_spec(Path("api.yaml"), tmp_path / "acme", "Not A Class")
    with pytest.raises(SpecError, match="--client-name"):
        client_for_spec(Path("api.yaml"), tmp_path / "acme", "None")
