"""Shared test fixtures.

``prism`` is a session-scoped factory: ``prism("together")`` (a name in
specs/, or a path) returns a running ``PrismServer`` whose ``base_url`` the
test talks to. Each (spec, extra args) pair is started at most once per
session; all servers are stopped when the session ends.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, Tuple, Union

import pytest

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"

# tests/ is not a package; make its helper modules importable whatever
# pytest's import mode is.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
# ... and the repository root, so that ``import generated.together`` works.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from prism import MISSING_MESSAGE, PrismError, PrismServer, prism_binary  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end test that talks to a Prism mock server")


def spec_path(spec: Union[str, os.PathLike]) -> Path:
    """``"together"`` -> specs/together.yaml; anything else is taken as a path."""
    if isinstance(spec, str) and os.sep not in spec and "." not in spec:
        return SPECS / f"{spec}.yaml"
    path = Path(spec)
    return path if path.is_absolute() else (REPO / path)


def require_prism() -> None:
    """Fail under CI=true, otherwise skip, when Prism is not installed."""
    if prism_binary() is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(MISSING_MESSAGE, pytrace=False)
        pytest.skip(MISSING_MESSAGE)


@pytest.fixture(scope="session")
def prism_servers():
    """Every Prism server started in this session, keyed by (spec, args)."""
    servers: Dict[Tuple[str, Tuple[str, ...]], Union[PrismServer, PrismError]] = {}
    yield servers
    for server in servers.values():
        if isinstance(server, PrismServer):
            server.stop()


@pytest.fixture(scope="session")
def prism(prism_servers):
    """Factory: ``prism(spec, *extra_args) -> PrismServer`` (started, cached)."""

    def get(spec: Union[str, os.PathLike], *args: str) -> PrismServer:
        require_prism()
        path = spec_path(spec).resolve()
        key = (str(path), tuple(args))
        if key not in prism_servers:
            server = PrismServer(path, args)
            try:
                prism_servers[key] = server.start()
            except PrismError as exc:
                # Remember the failure so later tests fail at once instead of
                # waiting for the start-up deadline again.
                prism_servers[key] = exc
        entry = prism_servers[key]
        if isinstance(entry, PrismError):
            pytest.fail(f"Prism could not serve {path.name}: {entry}", pytrace=False)
        return entry

    return get


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The three corpus specs generated once per session (packages corpus_together, ...)."""
    from corpus_support import build_corpus, require_corpus

    require_corpus()
    out = tmp_path_factory.mktemp("corpus")
    built = build_corpus(out)
    sys.path.insert(0, str(out))
    yield built
    sys.path.remove(str(out))
