"""Progress of ``oagen generate`` and ``oagen check``: one line per client, on stderr.

On a terminal the current client's line is redrawn in place (``\\r``) with its
stage and the time spent so far, ten times a second, and is then replaced by a
final line with the time of each stage.  Elsewhere (CI logs, pipes) only the final
lines are printed, one per client.  Nothing at all is printed when disabled
(``--quiet``).  No dependency: a few dozen lines do what a progress library would.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import Callable, Sequence, TextIO

STAGES = ("load", "validate", "parse", "names", "render", "format")


def format_timings(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())


class Progress:
    """``with Progress(names) as p: stage = p.start(name); ...; p.done(name, timings)``."""

    def __init__(self, names: Sequence[str], *, stream: TextIO | None = None, enabled: bool = True,
                 tty: bool | None = None, interval: float = 0.1) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty and enabled
        self.total = len(names)
        self.index = 0
        self.width = max((len(n) for n in names), default=0)
        self.interval = interval
        self._name = ""
        self._stage = ""
        self._started = 0.0
        self._shown = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- public

    def start(self, name: str) -> Callable[[str], None]:
        """A client begins; returns the callback that announces each of its stages."""
        self.index += 1
        with self._lock:
            self._name, self._stage, self._started = name, "load", time.perf_counter()
        if self.tty:
            self._draw()
            if self._thread is None:
                self._thread = threading.Thread(target=self._tick, name="oagen-progress", daemon=True)
                self._thread.start()
        return self.stage

    def stage(self, stage: str) -> None:
        with self._lock:
            self._stage = stage
        if self.tty:
            self._draw()

    def done(self, name: str, timings: dict[str, float], note: str = "") -> None:
        """The client's final line: total time and the time of each stage."""
        if not self.enabled:
            return
        total = sum(timings.values())
        text = f"{self._prefix(name)}done in {total:.2f}s ({format_timings(timings)})"
        if note:
            text += f"; {note}"
        with self._lock:
            self._stage = ""
            self._clear()
            self.stream.write(text + "\n")
            self.stream.flush()

    def clear(self) -> None:
        """The current client is finished and its line goes away (``check`` prints its own)."""
        with self._lock:
            self._stage = ""
            self._clear()

    def fail(self) -> None:
        """The current client failed: leave its line as it is, the error follows."""
        with self._lock:
            self._stage = ""
            if self.tty and self._shown:
                self.stream.write("\n")
                self.stream.flush()
                self._shown = 0

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            self._clear()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.fail()
        self.close()

    # --------------------------------------------------------------- private

    def _prefix(self, name: str) -> str:
        counter = f"[{self.index}/{self.total}] " if self.total > 1 else ""
        return f"{counter}{name:<{self.width}}  "

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if not self._stage:
                return
            elapsed = time.perf_counter() - self._started
            text = f"{self._prefix(self._name)}{self._stage}... {elapsed:.1f}s"
            columns = shutil.get_terminal_size((80, 24)).columns
            text = text[: max(columns - 1, 10)]
            pad = max(self._shown - len(text), 0)
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._shown = len(text)

    def _clear(self) -> None:
        if self.tty and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
