"""Decoding 10,000 FineTuneEvent objects in each model style, side by side in one process.

    .venv/bin/python bench/decode_styles.py [RUNS]

Generates the seed Together spec in every available model style into a temporary folder,
then times, interleaved, for each style: ``json.loads`` + ``_models.decode(list[FineTuneEvent],
...)`` (what a client does with a response) and the decode alone; plus pydantic's
``TypeAdapter.validate_json`` on the bytes and ``json.loads`` alone for reference.  CPU time
(``time.process_time``) per run, the GC on as in a client; prints the best and the median.
The data is bench/probes.py's ``events_json()``.
"""

from __future__ import annotations

import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from probes import events_json  # noqa: E402

from generator import styles  # noqa: E402


def main(runs: int) -> None:
    raw = events_json()
    variants = {}
    with tempfile.TemporaryDirectory() as tmp:
        for style in styles.available():
            pkg = "tg_" + style.replace("-", "_")
            subprocess.run(
                [sys.executable, "-m", "generator", "generate", str(REPO / "specs" / "together.yaml"),
                 "--output", f"{tmp}/{pkg}", "--client-name", "Together", "--models", style, "--no-cache", "-q"],
                check=True, timeout=600,
            )  # fmt: skip
        sys.path.insert(0, tmp)
        for style in styles.available():
            pkg = "tg_" + style.replace("-", "_")
            models = importlib.import_module(f"{pkg}.models")
            runtime = importlib.import_module(f"{pkg}._models")
            target = list[models.FineTuneEvent]  # type: ignore[name-defined]
            parsed = json.loads(raw)
            variants[f"{style}: json.loads + decode"] = lambda rt=runtime, t=target: rt.decode(t, json.loads(raw))
            variants[f"{style}: decode only"] = lambda rt=runtime, t=target, p=parsed: rt.decode(t, p)
            if style == "pydantic":
                from pydantic import TypeAdapter

                adapter = TypeAdapter(target)
                variants["pydantic: TypeAdapter.validate_json"] = lambda a=adapter: a.validate_json(raw)
        variants["json.loads alone"] = lambda: json.loads(raw)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for fn in variants.values():
            assert len(fn()) == 10_000
        for _ in range(runs):
            for name, fn in variants.items():
                t0 = time.process_time()
                fn()
                times[name].append((time.process_time() - t0) * 1e3)
    width = max(map(len, variants))
    for name, values in times.items():
        print(f"{name:{width}}  best {min(values):7.1f} ms  median {statistics.median(values):7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
