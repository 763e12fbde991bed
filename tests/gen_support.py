"""Helpers shared by the tests that generate packages into a temporary folder and import them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType


def import_fresh(out: Path, name: str) -> ModuleType:
    """Import package ``name`` from folder ``out``, dropping any earlier import of it first
    (a test may regenerate a package under the same name)."""
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    importlib.invalidate_caches()
    return importlib.import_module(name)
