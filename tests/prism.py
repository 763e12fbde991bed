"""Start and stop a Stoplight Prism mock server for tests.

No pytest in here, so the module can be used from scripts as well:

    with PrismServer(REPO / "specs" / "together.yaml") as server:
        httpx.post(server.base_url + "/fine-tunes/ft-1/cancel", ...)

The binary comes from the environment variable OAGEN_PRISM if it is set, else
from ``<repo>/.tools/prism/node_modules/.bin/prism`` (installed by ``.ci/run``).
``prism_binary()`` returns None when it cannot be found, so callers can skip or
fail with ``MISSING_MESSAGE``.

The server runs in its own process group and is stopped through that group
(SIGTERM, bounded wait, SIGKILL), never by process name.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence, Union

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BINARY = REPO / ".tools" / "prism" / "node_modules" / ".bin" / "prism"
ENV_VAR = "OAGEN_PRISM"
HOST = "127.0.0.1"

MISSING_MESSAGE = (
    f"Prism mock server not found (${ENV_VAR} if set, else {DEFAULT_BINARY}). "
    "Run .ci/run once to install it."
)


class PrismError(RuntimeError):
    """Prism did not start (or died while starting)."""


def prism_binary() -> Optional[Path]:
    """The Prism executable to use, or None when it is not installed."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        if os.sep in configured or (os.altsep and os.altsep in configured):
            candidate: Optional[Path] = Path(configured).expanduser()
        else:
            found = shutil.which(configured)
            candidate = Path(found) if found else None
    else:
        candidate = DEFAULT_BINARY
    if candidate is not None and candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    return None


def free_port(host: str = HOST) -> int:
    """A port on the loopback interface that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class PrismServer:
    """One ``prism mock`` process serving one spec on a free loopback port.

    ``args`` are extra command-line arguments placed before the spec, for
    example ``("-d", "--seed", "1")`` for repeatable dynamic responses.
    """

    def __init__(
        self,
        spec: Union[str, os.PathLike],
        args: Sequence[str] = (),
        *,
        startup_timeout: float = 120.0,
        stop_timeout: float = 10.0,
        binary: Optional[Union[str, os.PathLike]] = None,
    ) -> None:
        self.spec = Path(spec).resolve()
        self.args = tuple(args)
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.binary = Path(binary) if binary is not None else prism_binary()
        self.port: Optional[int] = None
        self.startup_seconds: Optional[float] = None
        self.log_path: Optional[Path] = None
        self._proc: Optional[subprocess.Popen] = None
        self._tmpdir: Optional[str] = None

    # -- public API ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise PrismError("Prism server is not running")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None else None

    @property
    def command(self) -> list:
        return [str(self.binary), "mock", "-h", HOST, "-p", str(self.port), *self.args, str(self.spec)]

    def start(self) -> "PrismServer":
        if self._proc is not None:
            return self
        if self.binary is None:
            raise PrismError(MISSING_MESSAGE)
        if not self.spec.is_file():
            raise PrismError(f"spec not found: {self.spec}")
        self._tmpdir = tempfile.mkdtemp(prefix="oagen-prism-")
        self.log_path = Path(self._tmpdir) / "prism.log"
        # The port is chosen before Prism binds it, so another process may take
        # it in between; if Prism then dies with EADDRINUSE, try a new port.
        for attempt in range(3):
            try:
                self._launch()
                return self
            except PrismError as exc:
                if attempt < 2 and "EADDRINUSE" in str(exc):
                    continue
                self._cleanup_tmpdir()
                raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the process group that start() created; idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None:
            self._terminate(proc)
        self.port = None
        self._cleanup_tmpdir()

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> "PrismServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.base_url if self.port is not None and self._proc else "stopped"
        return f"PrismServer({self.spec.name}, {state})"

    # -- internals ----------------------------------------------------------

    def _launch(self) -> None:
        self.port = free_port()
        env = dict(os.environ, NO_COLOR="1", FORCE_COLOR="0")
        started = time.monotonic()
        assert self.log_path is not None
        with open(self.log_path, "wb") as log:
            self._proc = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=str(self.spec.parent),
                start_new_session=True,
            )
        deadline = started + self.startup_timeout
        while True:
            if self._exited(self._proc):
                code = self._reap(self._proc)
                self._proc = None
                raise PrismError(
                    f"Prism exited with code {code} while starting on port {self.port} "
                    f"for {self.spec}; log tail:\n{self.log_tail()}"
                )
            if _port_open(HOST, self.port) and not self._exited(self._proc):
                self.startup_seconds = time.monotonic() - started
                return
            if time.monotonic() > deadline:
                proc, self._proc = self._proc, None
                self._terminate(proc)
                raise PrismError(
                    f"Prism did not accept connections on port {self.port} within "
                    f"{self.startup_timeout:.0f} s for {self.spec}; log tail:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    @staticmethod
    def _exited(proc: subprocess.Popen) -> bool:
        """True once the leader has exited, without reaping it (so its pid,
        which is also the group id, cannot be reused while we signal)."""
        if proc.returncode is not None:
            return True
        if hasattr(os, "waitid"):
            try:
                info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return True
            return info is not None
        return proc.poll() is not None

    @staticmethod
    def _reap(proc: subprocess.Popen) -> Optional[int]:
        try:
            return proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def _signal_group(self, proc: subprocess.Popen, sig: int) -> None:
        # start_new_session=True made the leader's pid the process-group id.
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _terminate(self, proc: subprocess.Popen) -> None:
        if proc.returncode is None:
            self._signal_group(proc, signal.SIGTERM)
            deadline = time.monotonic() + self.stop_timeout
            while not self._exited(proc) and time.monotonic() < deadline:
                time.sleep(0.05)
            # The leader is at most a zombie here, so the group id is still
            # ours: SIGKILL anything left in the group (the leader if it
            # ignored SIGTERM, or children it left behind), then reap.
            if proc.returncode is None:
                self._signal_group(proc, signal.SIGKILL)
        self._reap(proc)

    def _cleanup_tmpdir(self) -> None:
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None
            self.log_path = None
