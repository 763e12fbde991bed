"""Format generated Python with black, in-process.

A file black cannot parse is a generator bug: it is reported with the file
and black's line, never swallowed.

With a cache (:mod:`generator.cache`), black's output is kept per file, keyed by
sha256(the unformatted text, black's version, black's mode).  Every generated file
starts with a header naming the spec's sha256, so that a spec edit would change
every file's text and miss the cache for all of them; the ``volatile`` strings (the
sha256) are therefore replaced by a placeholder of the same length before black
sees the text and put back afterwards, with or without a cache, so that an edit
that changes one operation reformats only the files it really changes.  Black
never reflows comments or string contents, so the placeholder cannot change the
output; a text where the swap would not be exactly reversible is formatted as it is.

black runs through :mod:`generator.fastfmt`: the same output, but black formats only a
skeleton of each module (the statements it must decide), which makes a cold run of a
large spec several times faster.
"""

from __future__ import annotations

import concurrent.futures
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from . import fastfmt
from .cache import Cache, cache_key
from .diagnostics import Diagnostic, Level, Location, SpecError

if TYPE_CHECKING:
    import black

# black is imported on first use: a run served from the cache does not pay for it.
_TARGET = "PY310"
_STRING_NORMALIZATION = True
_MAGIC_TRAILING_COMMA = True


def black_mode(line_length: int = 100) -> black.Mode:
    import black

    return black.Mode(
        target_versions={getattr(black.TargetVersion, _TARGET)},
        line_length=line_length,
        string_normalization=_STRING_NORMALIZATION,
        magic_trailing_comma=_MAGIC_TRAILING_COMMA,
    )


@lru_cache(maxsize=1)
def _black_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("black")
    except metadata.PackageNotFoundError:  # pragma: no cover - not installed as a distribution
        import black

        return str(getattr(black, "__version__", "unknown"))


def _mode_key(line_length: int) -> str:
    """Everything of :func:`black_mode` that changes black's output, without importing black."""
    return f"{_TARGET} {line_length} {_STRING_NORMALIZATION} {_MAGIC_TRAILING_COMMA}"


def format_source(path: str, text: str, mode: black.Mode) -> str:
    """``black.format_str(text, mode=mode)``, through :mod:`generator.fastfmt` when it can.

    The fast path gives the same bytes (tests/test_format_fast.py compares the two on
    every seed and corpus spec) while black sees only the statements it must decide;
    whenever the fast path is unsure it says so and black formats the whole text.
    """
    if _black_version() == fastfmt.BLACK_VERSION:
        try:
            return fastfmt.format_module(text, mode, lambda part: _black(part, mode))
        except fastfmt.Fallback:
            pass
    return full_black(path, text, mode)


def _black(text: str, mode: black.Mode) -> str:
    """black on a skeleton or a batch of the fast path: any failure there means 'unsure'."""
    import black

    try:
        return black.format_str(text, mode=mode)
    except black.parsing.InvalidInput as exc:
        raise fastfmt.Fallback(f"black rejected a skeleton: {exc}") from None


def full_black(path: str, text: str, mode: black.Mode) -> str:
    """``black.format_str`` on the whole text; a text black cannot parse is reported."""
    import black

    try:
        return black.format_str(text, mode=mode)
    except black.parsing.InvalidInput as exc:
        line = None
        message = str(exc)
        parts = message.split(":")
        if len(parts) > 2 and parts[1].strip().isdigit():
            line = int(parts[1].strip())
        raise SpecError(
            [Diagnostic(Level.ERROR, f"oagen bug: generated code does not parse: {message}",
                        Location(path, line, ""))]
        ) from None


def _mask(text: str, volatile: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each volatile string replaced by a same-length placeholder, when reversible."""
    swaps: list[tuple[str, str]] = []
    for i, value in enumerate(volatile):
        if not value or value not in text:
            continue
        placeholder = (str(i) * len(value))[: len(value)]
        masked = text.replace(value, placeholder)
        if masked.replace(placeholder, value) != text or masked.count(placeholder) != text.count(value):
            continue  # the placeholder is already there, or would merge with its neighbours
        swaps.append((value, placeholder))
        text = masked
    return text, swaps


def _unmask(text: str, swaps: list[tuple[str, str]]) -> str:
    for value, placeholder in reversed(swaps):
        text = text.replace(placeholder, value)
    return text


class _Formatter:
    """black with a cache; the mode is built (and black imported) on the first miss."""

    def __init__(self, line_length: int, cache: Cache | None, volatile: tuple[str, ...]) -> None:
        self.line_length = line_length
        self.cache = cache
        self.volatile = volatile
        self._mode: black.Mode | None = None

    @property
    def mode(self) -> black.Mode:
        if self._mode is None:
            self._mode = black_mode(self.line_length)
        return self._mode

    def __call__(self, path: str, text: str) -> str:
        masked, swaps = _mask(text, self.volatile)
        counts = [masked.count(p) for _, p in swaps]
        cache = self.cache
        key = cache_key("black", _black_version(), _mode_key(self.line_length), masked) if cache else ""
        out = cache.get("black", key) if cache is not None else None
        if out is None:
            out = format_source(path, masked, self.mode)
            if [out.count(p) for _, p in swaps] != counts:  # pragma: no cover - black keeps comments
                return format_source(path, text, self.mode)
            if cache is not None:
                cache.put("black", key, out)
        return _unmask(out, swaps)


def format_files(files: dict[str, str], line_length: int = 100, skip: frozenset[str] = frozenset(), *,
                 cache: Cache | None = None, volatile: tuple[str, ...] = (),
                 prefetch: Prefetch | None = None) -> dict[str, str]:
    """Format every ``.py`` file except those in ``skip`` (already formatted, e.g. the runtime).

    ``cache`` keeps black's output per file; ``volatile`` are strings (the spec's sha256)
    kept out of the cache key; ``prefetch`` (made with the same arguments) has already
    started formatting files handed to it while they were rendered.  None of them ever
    changes the result.
    """
    if prefetch is not None:
        fmt = prefetch.fmt
        prefetch.submit(files)
        prefetch.join()
    else:
        fmt = _Formatter(line_length, cache, volatile)
        with Prefetch(line_length, skip, cache=cache, volatile=volatile, formatter=fmt) as pool:
            pool.submit(files)
            pool.join()
    return {
        path: fmt(path, text) if path.endswith(".py") and path not in skip else text
        for path, text in sorted(files.items())
    }


# Below this much unformatted code, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 400_000


def _format_worker(job: tuple[str, str, int]) -> tuple[str, str]:
    path, text, line_length = job
    return path, format_source(path, text, black_mode(line_length))


class Prefetch:
    """Format files in worker processes (one per core) as they are handed over.

    ``generate()`` hands over each group of files as soon as it is rendered, so black
    runs in the workers while the rest is still being rendered.  Only the (memory or
    file) cache is filled here; :func:`format_files` reads every result back through
    the same formatter, so the output is the same as a serial run.  The workers start
    once the files handed over add up to :data:`PARALLEL_MIN_BYTES` (small clients are
    formatted in-process); a platform without worker processes formats serially.
    """

    def __init__(self, line_length: int = 100, skip: frozenset[str] = frozenset(), *,
                 cache: Cache | None = None, volatile: tuple[str, ...] = (),
                 formatter: _Formatter | None = None) -> None:
        self.fmt = formatter or _Formatter(line_length, cache, volatile)
        self.skip = skip
        self.workers = min(os.cpu_count() or 1, 8)
        self.pending: list[tuple[str, str, int]] = []
        self.pending_bytes = 0
        self.keys: dict[str, str] = {}
        self.seen: set[tuple[str, str]] = set()
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.futures: list[concurrent.futures.Future[tuple[str, str]]] = []
        self.broken = self.workers < 2

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, files: dict[str, str]) -> None:
        """Queue the cache misses among ``files`` (other files are ignored)."""
        if self.broken:
            return
        fmt = self.fmt
        for path, text in files.items():
            if not path.endswith(".py") or path in self.skip or (path, text) in self.seen:
                continue
            self.seen.add((path, text))
            self.pending.append((path, text, fmt.line_length))
            self.pending_bytes += len(text)
        if self.pool is None and self.pending_bytes < PARALLEL_MIN_BYTES:
            return  # the cache is not asked yet: a small client never asks it twice
        self._dispatch()

    def _dispatch(self) -> None:
        if self.pool is None:
            import multiprocessing

            if self.fmt.cache is None:
                from .cache import MemoryCache

                self.fmt.cache = MemoryCache()
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            if method == "fork":
                self.fmt.mode  # noqa: B018 - imports black once, here: the forked workers inherit it
            try:
                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context(method))
            except OSError:  # pragma: no cover - no worker processes here: format serially
                self.broken = True
                return
        fmt = self.fmt
        assert fmt.cache is not None
        jobs = []
        for path, text, line_length in self.pending:
            masked, _ = _mask(text, fmt.volatile)
            key = cache_key("black", _black_version(), _mode_key(line_length), masked)
            if fmt.cache.get("black", key) is None:
                self.keys[path] = key
                jobs.append((path, masked, line_length))
        jobs.sort(key=lambda job: -len(job[1]))  # biggest first: balances the workers
        try:
            for job in jobs:
                self.futures.append(self.pool.submit(_format_worker, job))
        except (OSError, concurrent.futures.process.BrokenProcessPool):  # pragma: no cover
            self.broken = True
        self.pending = []

    def join(self) -> None:
        """Wait for the workers and put their results in the cache."""
        cache = self.fmt.cache
        try:
            for future in self.futures:
                try:
                    path, out = future.result()
                except (OSError, concurrent.futures.process.BrokenProcessPool):  # pragma: no cover
                    continue  # the serial path formats it
                assert cache is not None
                cache.put("black", self.keys[path], out)
        finally:
            self.futures = []
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
