"""Selection, renames and client flavours from the configuration (generator/select.py)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Shop, version: "1"}
    paths:
      /pets:
        get:
          operationId: listPets
          tags: [pets]
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
      /pets/{id}:
        delete:
          operationId: deletePet
          tags: [pets]
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses: {"204": {description: gone}}
      /admin/stats:
        get:
          operationId: getStats
          tags: [admin]
          responses: {"200": {description: ok}}
    components:
      schemas:
        Pet:
          type: object
          required: [id, kind]
          properties:
            id: {type: string}
            kind: {$ref: "#/components/schemas/PetKind"}
            class: {type: string}
        PetKind:
          type: string
          enum: [dog, cat]
    """
)


def project(tmp_path: Path, client_extra: str) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "shop.yaml").write_text(SPEC)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.oagen]\n\n[[tool.oagen.clients]]\nname = "shop"\nspec = "specs/shop.yaml"\n' + client_extra
    )
    return tmp_path


def oagen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def load(root: Path, module: str) -> object:
    sys.path.insert(0, str(root / "generated"))
    try:
        for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[name]
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(root / "generated"))


def test_include_and_exclude_show_in_ops_and_summary(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.oagen.clients.include]\ntags = ["pets"]\n'
                             '[tool.oagen.clients.exclude]\noperation_ids = ["deletePet"]\n')
    proc = oagen(root, "generate")
    assert proc.returncode == 0, proc.stderr
    assert "1/3 operations generated" in proc.stdout
    assert "excluded by configuration" in proc.stdout
    ops = oagen(root, "ops", "specs/shop.yaml")
    lines = {line.split()[1]: line for line in ops.stdout.splitlines()}
    assert "client.pets.list(...)" in lines["/pets"]
    assert "not generated: excluded by configuration" in lines["/pets/{id}"]
    resources = load(root, "shop.resources")
    assert hasattr(resources, "PetsResource")
    assert not hasattr(resources, "AdminResource")


def test_renames_of_models_fields_and_enum_members(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        '[tool.oagen.clients.model_names]\nPet = "Animal"\n'
        '[tool.oagen.clients.field_names]\n"Pet.class" = "pet_class"\n'
        '[tool.oagen.clients.enum_member_names]\n"PetKind.dog" = "CANINE"\n',
    )
    proc = oagen(root, "generate")
    assert proc.returncode == 0, proc.stderr
    models = load(root, "shop.models")
    animal = models.Animal.model_validate({"id": "1", "kind": "dog", "class": "mammal"})
    assert animal.pet_class == "mammal" and animal.to_dict()["class"] == "mammal"
    assert models.PetKind.CANINE.value == "dog" and animal.kind is models.PetKind.CANINE
    assert not hasattr(models, "Pet")


def test_a_rename_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.oagen.clients.model_names]\nNope = "Other"\n')
    proc = oagen(root, "generate")
    assert proc.returncode == 2
    assert "model_names" in proc.stderr and "Nope" in proc.stderr
    assert not (root / "generated").exists()


@pytest.mark.parametrize("flag, present, absent", [("sync_only", "Shop", "AsyncShop"),
                                                    ("async_only", "AsyncShop", "Shop")])
def test_sync_only_and_async_only(tmp_path: Path, flag: str, present: str, absent: str) -> None:
    root = project(tmp_path, f"{flag} = true\n")
    proc = oagen(root, "generate")
    assert proc.returncode == 0, proc.stderr
    package = load(root, "shop")
    assert hasattr(package, present) and not hasattr(package, absent)
    assert present in package.__all__ and absent not in package.__all__


def test_unsupported_styles_are_refused_with_a_message(tmp_path: Path) -> None:
    root = project(tmp_path, 'models = "attrs"\n')
    proc = oagen(root, "generate")
    assert proc.returncode == 2 and "attrs" in proc.stderr and "not supported" in proc.stderr
    assert "msgspec" in proc.stderr  # the message lists the supported styles
