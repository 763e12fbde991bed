"""write_package: all at once, never outside its folder, old package kept on failure."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from generator import write
from generator.diagnostics import SpecError
from generator.write import check_paths, read_tree, write_package

OLD = {"__init__.py": "old = True\n", "models.py": "class Old: ...\n", "resources/old.py": "# old\n"}
NEW = {"__init__.py": "new = True\n", "client.py": "class Client: ...\n", "resources/__init__.py": ""}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """An existing package with OLD in it (plus a stray file of the user's)."""
    out = tmp_path / "out" / "pkg"
    write_package(out, OLD)
    return out


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def test_writes_a_new_package(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "pkg"
    write_package(out, NEW)
    assert read_tree(out) == NEW
    assert siblings(out) == ["pkg"]  # no staging folder left behind


def test_replaces_an_existing_package_all_at_once(package: Path) -> None:
    (package / "stale.py").write_text("# a file the new version no longer has\n")
    write_package(package, NEW)
    assert read_tree(package) == NEW
    assert not (package / "models.py").exists()
    assert not (package / "resources" / "old.py").exists()
    assert not (package / "stale.py").exists()
    assert siblings(package) == ["pkg"]


def test_text_is_written_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    files = {"a.py": "x = 'é😀'\n", "b.txt": "no newline at end", "c.py": "a\nb\n"}
    write_package(out, files)
    assert (out / "a.py").read_bytes() == "x = 'é😀'\n".encode("utf-8")
    assert (out / "b.txt").read_bytes() == b"no newline at end"
    assert b"\r" not in (out / "c.py").read_bytes()


@pytest.mark.parametrize(
    "bad",
    [
        "../x.py",
        "/abs.py",
        "a/../../b.py",
        "a/../b.py",
        "./a.py",
        "a//b.py",
        "a/",
        "",
        "..",
        "a\\..\\b.py",
        "C:/x.py",
        "nul\x00.py",
    ],
)
def test_refuses_unsafe_paths_without_writing(package: Path, bad: str) -> None:
    with pytest.raises(SpecError, match="unsafe path"):
        write_package(package, {**NEW, bad: "boom\n"})
    assert read_tree(package) == OLD
    assert siblings(package) == ["pkg"]


def test_refuses_unsafe_paths_for_a_new_package(tmp_path: Path) -> None:
    out = tmp_path / "nothing" / "pkg"
    with pytest.raises(SpecError):
        write_package(out, {"../escape.py": "x\n"})
    assert not out.exists()
    assert not (tmp_path / "nothing").exists()


@pytest.mark.parametrize(
    "pair",
    [("Models.py", "models.py"), ("resources/A.py", "Resources/a.py"), ("ß.py", "SS.py")],
)
def test_refuses_paths_equal_once_case_folded(package: Path, pair: tuple[str, str]) -> None:
    with pytest.raises(SpecError, match="same file"):
        write_package(package, {pair[0]: "a\n", pair[1]: "b\n"})
    assert read_tree(package) == OLD
    assert siblings(package) == ["pkg"]


def test_check_paths_accepts_ordinary_paths(tmp_path: Path) -> None:
    check_paths(tmp_path, {"__init__.py": "", "resources/fine_tuning.py": "", "py.typed": "", ".x": ""})


def test_failed_write_keeps_the_old_package(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = builtins.open

    def failing_open(file, mode="r", *args, **kwargs):
        if str(file).endswith("client.py") and "w" in mode:
            raise OSError(28, "No space left on device")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(write, "open", failing_open, raising=False)
    with pytest.raises(OSError, match="No space left"):
        write_package(package, NEW)
    monkeypatch.undo()
    assert read_tree(package) == OLD
    assert siblings(package) == ["pkg"]  # the half-written staging folder is gone


def test_path_that_cannot_be_created_keeps_the_old_package(package: Path) -> None:
    # "x.py" is written as a file, then "x.py/y.py" needs it to be a folder
    with pytest.raises(OSError):
        write_package(package, {**NEW, "x.py": "x\n", "x.py/y.py": "y\n"})
    assert read_tree(package) == OLD
    assert siblings(package) == ["pkg"]


def test_failed_swap_puts_the_old_package_back(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if Path(dst) == package and Path(src).name.startswith(".pkg.new-"):
            raise OSError(13, "Permission denied")
        return real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(OSError, match="Permission denied"):
        write_package(package, NEW)
    monkeypatch.undo()
    assert read_tree(package) == OLD
    assert siblings(package) == ["pkg"]
    assert len(calls) == 3  # old aside, new in (fails), old back


def test_refuses_to_replace_a_file(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    out.write_text("not a package\n")
    with pytest.raises(SpecError, match="not a folder"):
        write_package(out, NEW)
    assert out.read_text() == "not a package\n"
    assert siblings(out) == ["pkg"]


def test_refuses_to_replace_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real"
    write_package(target, OLD)
    link = tmp_path / "pkg"
    link.symlink_to(target, target_is_directory=True)
    with pytest.raises(SpecError, match="not a folder"):
        write_package(link, NEW)
    assert link.is_symlink()
    assert read_tree(target) == OLD


def test_read_tree(tmp_path: Path) -> None:
    assert read_tree(tmp_path / "missing") is None
    out = tmp_path / "pkg"
    write_package(out, NEW)
    (out / "__pycache__").mkdir()
    (out / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\x00\xff")
    (out / "blob.bin").write_bytes(b"\xff\xfe\x00")
    assert read_tree(out) == {**NEW, "blob.bin": "<binary>"}
