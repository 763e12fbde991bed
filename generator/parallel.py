"""Run one pure computation in a forked child while the parent goes on.

``generate()`` validates the document in a child process while it parses, renders
and formats in the parent: validation only *reports* (its findings never change
what is rendered), so the two can overlap, and the parent waits for the findings
before it returns anything.  On a machine with two cores that takes validation off
the critical path of a cold run.

The child is a ``fork`` of the parent: it reads the loaded document from its copy
of the parent's memory (nothing is pickled on the way in) and sends back only the
pickled result, through a pipe, then leaves with ``os._exit``.  Anything unusual —
no ``fork`` on this platform, a child that dies, a result that cannot be pickled —
makes :meth:`Forked.result` run the function in the parent instead, so the answer
is always the one a serial run gives; an exception raised by the function in the
child is raised again in the parent.  The parent never leaves a child behind:
:meth:`Forked.cancel` kills it by its pid and reaps it.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

_CAN_FORK = hasattr(os, "fork") and sys.platform != "win32"


class Forked(Generic[T]):
    """``fn()`` computed in a forked child (or, failing that, in the parent on demand)."""

    def __init__(self, fn: Callable[[], T], *, fork: bool = True) -> None:
        self.fn = fn
        self.pid = 0
        self.fd = -1
        self.seconds = 0.0  # the child's own time for fn(), when it ran there
        if fork and _CAN_FORK:
            self._start()

    def _start(self) -> None:
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
            code = 0
            try:
                os.close(read_fd)
                import time

                t0 = time.perf_counter()
                try:
                    payload = ("ok", self.fn(), time.perf_counter() - t0)
                except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
                    payload = ("raised", exc, time.perf_counter() - t0)
                try:
                    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - the parent computes it itself
                    data = b""
                view = memoryview(data)
                while view:
                    view = view[os.write(write_fd, view):]
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid = pid
        self.fd = read_fd

    def result(self) -> T:
        """The value of ``fn()``; an exception it raised is raised here."""
        if self.pid:
            chunks = []
            try:
                while True:  # ends at EOF: the child exits after writing, or dies
                    chunk = os.read(self.fd, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except BaseException:  # interrupted while waiting: the child is not wanted any more
                self.cancel()
                raise
            self._reap()
            data = b"".join(chunks)
            if data:
                try:
                    kind, value, seconds = pickle.loads(data)
                except Exception:  # noqa: BLE001 - a torn message: compute it here
                    kind = ""
                if kind == "ok":
                    self.seconds = seconds
                    return value  # type: ignore[no-any-return]
                if kind == "raised":
                    self.seconds = seconds
                    raise value
        import time

        t0 = time.perf_counter()
        try:
            return self.fn()
        finally:
            self.seconds = time.perf_counter() - t0

    def cancel(self) -> None:
        """Stop the child (by its pid) if it still runs; the result is not wanted."""
        if self.pid:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - already gone
                pass
            self._reap()

    def _reap(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:  # pragma: no cover - reaped elsewhere
                pass
            self.pid = 0
