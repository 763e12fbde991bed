"""oagen's benchmark (issue 7): oagen side by side with its peers, in one run, with ratios.

    .venv/bin/python bench/run.py [--quick] [--only a,b,...] [--repeat N] [--json out.json]

Sections (see bench/README.md):

a. cold generation of together.yaml, portkey.yaml, openai.yaml: oagen vs openapi-python-client
   vs datamodel-code-generator, wall time and peak memory of each tool run as a subprocess;
b. regeneration into an existing output: nothing changed, and one operation changed;
c. import time of the generated OpenAI client (the package, a client, one resource) vs the official
   ``openai`` used the same way; every module eagerly vs openapi-python-client's output and ``openai``;
d. per-call overhead of the Together ``cancel`` call through ``httpx.MockTransport`` vs the
   ``together`` package vs raw httpx + json;
e. decoding 10,000 FineTuneEvent objects: oagen's models vs the ``together`` package's;
f. scaling on synthetic specs of 1,000, 5,000 and 20,000 operations (bench/synth.py).

Peers are installed into the git-ignored ``bench/.venv-peers``; everything written goes to the
git-ignored ``bench/.work``. The corpus is read from ``../shared/corpus``, never copied.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WORK = BENCH / ".work"
LOGS = WORK / "logs"
PEERS = BENCH / ".venv-peers"
PEERS_BIN = PEERS / "bin"
PEERS_PY = PEERS_BIN / "python"
PROBES = BENCH / "probes.py"

CORPUS_SPECS = ("together", "portkey", "openai")
SECTIONS = "abcdef"
OPC_PIN = "openapi-python-client==0.29.1"
# ruff: openapi-python-client's default post-generation hooks (`ruff check --fix`, `ruff format`)
# run when ruff is on PATH, as they would for a user; python-dateutil: what its output imports.
PEER_REQUIREMENTS = [OPC_PIN, "datamodel-code-generator", "openai", "together", "ruff", "python-dateutil"]
PEER_DISTS = ["openapi-python-client", "datamodel-code-generator", "openai", "together", "ruff",
              "httpx", "pydantic", "pydantic-core", "msgspec"]  # fmt: skip
STAMP = PEERS / "oagen-bench-requirements.json"

SCALE_FULL = (1000, 5000, 20000)
SCALE_QUICK = (1000, 5000)
STEP_TIMEOUT = 3600.0  # seconds; one tool run longer than this is stopped and reported


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running and measuring


def measure(cmd: list[str], label: str, *, cwd: Path = WORK, env: dict | None = None,
            stdin: str | None = None, timeout: float = STEP_TIMEOUT) -> dict:  # fmt: skip
    """Run ``cmd`` as a child process: wall time, peak RSS (MiB) of it and its descendants, exit code.

    Peak memory is ``ru_maxrss`` from ``os.wait4`` on the child, which the kernel keeps as the
    largest RSS of the child and any descendant it waited for. stdout and stderr go to
    ``bench/.work/logs/<label>.out|.err``.
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
    out_path, err_path = LOGS / f"{safe}.out", LOGS / f"{safe}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
        timed_out = threading.Event()

        def _stop() -> None:  # only the process group this call started
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, _stop)
        timer.start()
        try:
            if stdin is not None:
                proc.stdin.write(stdin.encode())
                proc.stdin.close()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    return {
        "wall_s": wall,
        "peak_mib": usage.ru_maxrss / 1024.0,
        "rc": proc.returncode,
        "timed_out": timed_out.is_set(),
        "stdout": stdout,
        "stderr": stderr,
        "log": str(out_path.relative_to(REPO)),
    }


def best_of(runs: list[dict]) -> dict:
    """The run with the smallest wall time, with every run's times kept."""
    best = dict(min(runs, key=lambda r: r["wall_s"]))
    best["runs_s"] = [round(r["wall_s"], 3) for r in runs]
    best["runs_peak_mib"] = [round(r["peak_mib"], 1) for r in runs]
    return best


def strip(run: dict) -> dict:
    """A run without its captured output (for the JSON)."""
    return {k: v for k, v in run.items() if k not in ("stdout", "stderr")}


def probe(args: list[str], label: str, stdin: str | None = None, env: dict | None = None) -> dict:
    run = measure([str(PEERS_PY), str(PROBES), *args], label, stdin=stdin, env=env, timeout=900)
    lines = [ln for ln in run["stdout"].splitlines() if ln.startswith("{")]
    if run["rc"] != 0 or not lines:
        tail = (run["stderr"] or run["stdout"]).strip().splitlines()[-3:]
        return {"ok": False, "error": f"exit {run['rc']}: " + " | ".join(tail)}
    return json.loads(lines[-1])


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


# ---------------------------------------------------------------- oagen


class Oagen:
    """How to run oagen, and which options this version of it has."""

    def __init__(self) -> None:
        exe = Path(sys.executable).parent / "oagen"
        self.cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "generator"]
        help_run = subprocess.run([*self.cmd, "generate", "--help"], capture_output=True, text=True, cwd=REPO)
        if help_run.returncode != 0:
            sys.exit(f"bench: `oagen generate --help` failed:\n{help_run.stderr}")
        self.help = help_run.stdout
        flags = set(re.findall(r"--[a-z][a-z0-9-]*", self.help))
        self.no_cache = "--no-cache" in flags
        self.cache_flag = "--cache" in flags
        self.cache_dir = "--cache-dir" in flags
        # the msgspec style is there once `--models` exists and its help names msgspec
        self.models = "--models" in flags and "msgspec" in self.help
        self.profile = "--profile" in flags

    def generate(self, spec: Path, out: Path, *, cold: bool, extra: list[str] = ()) -> list[str]:
        cmd = [*self.cmd, "generate", str(spec), "--output", str(out)]
        if cold and self.no_cache:
            cmd.append("--no-cache")
        if not cold and self.cache_flag:
            cmd.append("--cache")
        if not cold and self.cache_dir:  # keep the cache under bench/.work, not at the project root
            cmd += ["--cache-dir", str(WORK / "b" / "cache")]
        if self.profile:
            cmd.append("--profile")
        return cmd + list(extra)

    def describe(self) -> dict:
        return {"cmd": self.cmd, "no_cache_flag": self.no_cache, "cache_flag": self.cache_flag,
                "cache_dir_flag": self.cache_dir, "models_flag": self.models, "profile_flag": self.profile}  # fmt: skip


_PROFILE = re.compile(r"profile: (.*?) \(total ([\d.]+)s\)")
_OPS = re.compile(r"(\d+)/(\d+) operations generated")


def parse_oagen(run: dict) -> dict:
    text = run["stdout"] + run["stderr"]
    info: dict = {}
    m = _OPS.search(text)
    if m:
        info["operations"] = int(m.group(1))
        info["operations_in_spec"] = int(m.group(2))
    m = _PROFILE.search(text)
    if m:
        # "validate 0.64s (in a child process beside parse to format, waited for 0.00s)": the
        # notes in parentheses are not stages; a stage run in a child is listed apart
        stages = m.group(1)
        info["profile_s"] = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)s", re.sub(r"\s*\([^)]*\)", "", stages))}
        info["profile_in_child"] = sorted(re.findall(r"(\w+) [\d.]+s \(in a child process", stages))
        info["profile_total_s"] = float(m.group(2))
    return info


# ---------------------------------------------------------------- peers' virtualenv


def ensure_peers() -> dict:
    """Create bench/.venv-peers and install the peers, unless the same list is already there."""
    wanted = {"requirements": PEER_REQUIREMENTS, "python": sys.version.split()[0]}
    if PEERS_PY.exists() and STAMP.exists():
        try:
            if json.loads(STAMP.read_text()) == wanted:
                return peer_versions()
        except ValueError:
            pass
    if not PEERS_PY.exists():
        log(f"bench: creating {PEERS.relative_to(REPO)}")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(PEERS_PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=False)
    log("bench: installing " + " ".join(PEER_REQUIREMENTS))
    pip = [str(PEERS_PY), "-m", "pip", "install", "-q"]
    if subprocess.run([*pip, *PEER_REQUIREMENTS]).returncode != 0:
        log(f"bench: {OPC_PIN} could not be installed; trying the latest openapi-python-client")
        reqs = ["openapi-python-client" if r == OPC_PIN else r for r in PEER_REQUIREMENTS]
        if subprocess.run([*pip, *reqs]).returncode != 0:
            sys.exit("bench: could not install the peers into bench/.venv-peers (is PyPI reachable?)")
    STAMP.write_text(json.dumps(wanted))
    return peer_versions()


def peer_versions() -> dict:
    code = (
        "import json, importlib.metadata as m\n"
        f"names = {PEER_DISTS!r}\n"
        "out = {}\n"
        "for n in names:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(subprocess.run([str(PEERS_PY), "-c", code], capture_output=True, text=True, check=True).stdout)


def peers_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{PEERS_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


# ---------------------------------------------------------------- a. cold generation


def opc_cmd(spec: Path, out: Path) -> list[str]:
    return [str(PEERS_BIN / "openapi-python-client"), "generate", "--path", str(spec),
            "--output-path", str(out), "--overwrite"]  # fmt: skip


def dmc_cmd(spec: Path, out: Path, package: bool = False) -> list[str]:
    target = out / "models" if package else out / "models.py"
    return [str(PEERS_BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi",
            "--output", str(target), "--output-model-type", "pydantic_v2.BaseModel"]  # fmt: skip


def opc_package(out: Path) -> Path | None:
    for child in sorted(out.iterdir()) if out.is_dir() else []:
        if (child / "__init__.py").exists():
            return child
    return None


def parse_opc(run: dict, out: Path) -> dict:
    text = run["stdout"] + run["stderr"]
    pkg = opc_package(out)
    ops = None
    if pkg is not None and (pkg / "api").is_dir():
        ops = sum(1 for p in (pkg / "api").rglob("*.py") if p.name != "__init__.py")
    return {
        "crashed": run["rc"] != 0 or "Traceback (most recent call last)" in text,
        "operations": ops,
        "endpoints_skipped": text.count("Endpoint will not be generated"),
        "package": pkg.name if pkg else None,
    }


def parse_dmc(run: dict, out: Path) -> dict:
    models = out / "models.py"
    n = None
    if models.exists():
        n = sum(1 for ln in models.read_text(errors="replace").splitlines() if ln.startswith("class "))
    elif out.is_dir():  # a package when the models do not fit one module
        n = sum(sum(1 for ln in p.read_text(errors="replace").splitlines() if ln.startswith("class "))
                for p in out.rglob("*.py"))  # fmt: skip
    return {"crashed": run["rc"] != 0, "classes": n}


def section_a(ctx: dict) -> dict:
    oagen: Oagen = ctx["oagen"]
    repeat: int = ctx["repeat"]
    result: dict = {}
    for name in CORPUS_SPECS:
        spec = CORPUS / f"{name}.yaml"
        entry: dict = {}
        # oagen
        out = WORK / "a" / "oagen" / name / f"{name}_client"
        runs = []
        for i in range(repeat):
            shutil.rmtree(out.parent, ignore_errors=True)
            run = measure(oagen.generate(spec, out, cold=True), f"a-oagen-{name}-{i}")
            runs.append(run)
        best = best_of(runs)
        entry["oagen"] = {**strip(best), **parse_oagen(best)}
        ctx["produced"][("oagen", name)] = out
        log(f"[a] {name}: oagen {best['wall_s']:.2f} s, {best['peak_mib']:.0f} MiB (exit {best['rc']})")
        peers_here = not (ctx["quick"] and name == "openai")
        if peers_here:
            out = WORK / "a" / "opc" / name
            runs = []
            for i in range(repeat):
                shutil.rmtree(out, ignore_errors=True)
                runs.append(measure(opc_cmd(spec, out), f"a-opc-{name}-{i}", env=peers_env()))
            best = best_of(runs)
            entry["openapi-python-client"] = {**strip(best), **parse_opc(best, out)}
            ctx["produced"][("opc", name)] = out
            log(f"[a] {name}: openapi-python-client {best['wall_s']:.2f} s, {best['peak_mib']:.0f} MiB "
                f"(exit {best['rc']}, {entry['openapi-python-client']['operations']} operations)")  # fmt: skip
            out = WORK / "a" / "dmc" / name
            runs = []
            package = False  # one models.py, unless datamodel-codegen says the spec needs a package
            for i in range(repeat):
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                run = measure(dmc_cmd(spec, out, package), f"a-dmc-{name}-{i}", env=peers_env())
                if run["rc"] != 0 and not package and "require an output directory" in run["stderr"]:
                    package = True
                    log(f"[a] {name}: datamodel-codegen needs an output directory here; running it again so")
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir(parents=True)
                    run = measure(dmc_cmd(spec, out, package), f"a-dmc-{name}-{i}-package", env=peers_env())
                runs.append(run)
            best = best_of(runs)
            entry["datamodel-codegen"] = {**strip(best), **parse_dmc(best, out), "output": "package" if package else "models.py"}
            log(f"[a] {name}: datamodel-codegen {best['wall_s']:.2f} s, {best['peak_mib']:.0f} MiB (exit {best['rc']})")
        o = entry["oagen"]
        entry["ratios"] = {}
        for peer in ("openapi-python-client", "datamodel-codegen"):
            if peer in entry and entry[peer]["rc"] == 0 and o["rc"] == 0:  # a crashed run compares with nothing
                entry["ratios"][peer] = {"wall": ratio(o["wall_s"], entry[peer]["wall_s"]),
                                         "peak_mib": ratio(o["peak_mib"], entry[peer]["peak_mib"])}  # fmt: skip
        result[name] = entry
    return result


# ---------------------------------------------------------------- b. regeneration


def change_one_summary(text: str, tag: str) -> tuple[str, int]:
    """Replace the first operation's one-line summary; return the new text and its line number."""
    lines = text.splitlines(keepends=True)
    in_paths = False
    for i, line in enumerate(lines):
        if line.startswith("paths:"):
            in_paths = True
            continue
        if in_paths and line[:1] not in (" ", "\n", "\r", "#", ""):
            break  # left the paths section
        m = re.match(r"^(\s+)summary:\s*(\S.*)?$", line.rstrip("\r\n"))
        if in_paths and m and m.group(2) and m.group(2)[0] not in ">|":
            lines[i] = f"{m.group(1)}summary: Changed by the oagen bench ({tag})\n"
            return "".join(lines), i + 1
    raise ValueError("no one-line operation summary found")


def section_b(ctx: dict) -> dict:
    oagen: Oagen = ctx["oagen"]
    repeat: int = ctx["repeat"]
    names = ("together",) if ctx["quick"] else ("together", "openai")
    if oagen.cache_flag or oagen.no_cache:
        cache = "on" + (" (--cache)" if oagen.cache_flag else " by default") + (", `--cache-dir bench/.work/b/cache`" if oagen.cache_dir else "")
    else:
        cache = "oagen has no cache option"
    result: dict = {"cache": cache}
    for name in names:
        src = CORPUS / f"{name}.yaml"
        spec = WORK / "b" / f"{name}.yaml"
        out = WORK / "b" / "out" / f"{name}_client"
        shutil.rmtree(out.parent, ignore_errors=True)
        shutil.rmtree(WORK / "b" / "cache", ignore_errors=True)
        spec.parent.mkdir(parents=True, exist_ok=True)
        original = src.read_text(encoding="utf-8")
        spec.write_text(original, encoding="utf-8")
        first = measure(oagen.generate(spec, out, cold=False), f"b-{name}-first")
        same = [measure(oagen.generate(spec, out, cold=False), f"b-{name}-same-{i}") for i in range(repeat)]
        changed = []
        line_no = None
        for i in range(repeat):
            text, line_no = change_one_summary(original, str(i + 1))
            spec.write_text(text, encoding="utf-8")
            changed.append(measure(oagen.generate(spec, out, cold=False), f"b-{name}-changed-{i}"))
        marker = f"Changed by the oagen bench ({repeat})"
        applied = any(marker in p.read_text(errors="replace") for p in out.rglob("*.py"))
        s, c = best_of(same), best_of(changed)
        result[name] = {
            "first": {**strip(first), **parse_oagen(first)},
            "nothing_changed": {**strip(s), **parse_oagen(s)},
            "one_changed": {**strip(c), **parse_oagen(c), "changed_line": line_no, "change_in_output": applied},
            "ratio_nothing_changed_vs_first": ratio(s["wall_s"], first["wall_s"]),
            "ratio_one_changed_vs_first": ratio(c["wall_s"], first["wall_s"]),
        }
        log(f"[b] {name}: first {first['wall_s']:.2f} s, nothing changed {s['wall_s']:.2f} s, "
            f"one operation changed {c['wall_s']:.2f} s (change in output: {applied})")  # fmt: skip
    return result


# ---------------------------------------------------------------- c. import time


def ensure_output(ctx: dict, tool: str, name: str) -> Path | None:
    """The output of ``tool`` for corpus spec ``name`` made in this run, generating it if needed."""
    key = (tool, name)
    if key in ctx["produced"]:
        return ctx["produced"][key]
    spec = CORPUS / f"{name}.yaml"
    if tool == "oagen":
        out = WORK / "c" / "oagen" / f"{name}_client"
        shutil.rmtree(out.parent, ignore_errors=True)
        run = measure(ctx["oagen"].generate(spec, out, cold=True), f"c-oagen-{name}")
    else:
        out = WORK / "c" / "opc" / name
        shutil.rmtree(out, ignore_errors=True)
        run = measure(opc_cmd(spec, out), f"c-opc-{name}", env=peers_env())
    if tool == "oagen" and run["rc"] != 0:
        return None
    ctx["produced"][key] = out
    return out


def interleaved(jobs: dict[str, tuple[list[str], str | None]], rounds: int, key: str, label: str,
                env: dict | None = None) -> dict:  # fmt: skip
    """Run each probe ``rounds`` times, the contenders taking turns (so that noise from other work
    on the machine falls on all of them alike); keep each one's best round, and every round's value."""
    runs: dict[str, list[dict]] = {k: [] for k in jobs}
    for i in range(rounds):
        for kind, (args, stdin) in jobs.items():
            runs[kind].append(probe(args, f"{label}-{kind}-{i}", stdin=stdin, env=env))
    result = {}
    for kind, rs in runs.items():
        ok = [r for r in rs if r.get("ok")]
        if not ok:
            result[kind] = rs[-1]
            continue
        best = dict(min(ok, key=lambda r: r[key]))
        best["rounds"] = [round(r[key], 4) for r in ok]
        result[kind] = best
    return result


# What section c touches after the import: one resource and one of its methods, the same call
# in both clients (oagen names the resource after the tag: client.chat.create is the official
# SDK's client.chat.completions.create).
OAGEN_RESOURCE, OAGEN_ATTR = "chat", "create"


def import_env() -> dict:
    """The environment of the import probes: bytecode caching on, so that the warm-up run writes
    ``__pycache__`` for the generated packages as it is for the installed ``openai`` (a shell with
    PYTHONDONTWRITEBYTECODE set would otherwise make every round compile the generated code)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def section_c(ctx: dict) -> dict:
    jobs: dict[str, tuple[list[str], str | None]] = {}
    errors: dict[str, dict] = {}
    out = ensure_output(ctx, "oagen", "openai")
    if out is None:
        errors["oagen"] = {"ok": False, "error": "oagen could not generate openai.yaml"}
        errors["oagen-eager"] = errors["oagen"]
    else:
        jobs["oagen"] = (["import", "oagen", str(out.parent), out.name, OAGEN_RESOURCE, OAGEN_ATTR], None)
        jobs["oagen-call"] = (["import", "oagen-call", str(out.parent), out.name, OAGEN_RESOURCE, OAGEN_ATTR], None)
        jobs["oagen-eager"] = (["import", "oagen-eager", str(out.parent), out.name], None)
    if not ctx["quick"]:
        out = ensure_output(ctx, "opc", "openai")
        pkg = opc_package(out) if out else None
        if pkg is None:
            errors["openapi-python-client"] = {"ok": False, "error": "no package was generated"}
        else:
            jobs["openapi-python-client"] = (["import", "opc", str(pkg.parent), pkg.name], None)
    jobs["openai"] = (["import", "openai"], None)
    jobs["openai-call"] = (["import", "openai-call"], None)
    jobs["openai-eager"] = (["import", "openai-eager"], None)
    env = import_env()
    for kind, (args, _) in jobs.items():  # compile __pycache__ first: not part of what is measured
        probe(args, f"c-import-{kind}-warmup", env=env)
    result = {**errors, **interleaved(jobs, 5, "seconds", "c-import", env=env)}
    # the headline: what a user pays, against the official SDK used the same way; every module
    # imported eagerly is compared with the peers' whole packages (informational)
    pairs = {"openai": "oagen", "openai-call": "oagen-call", "openai-eager": "oagen-eager",
             "openapi-python-client": "oagen-eager"}
    result["ratios"] = {peer: ratio(result.get(ours, {}).get("seconds"), result[peer].get("seconds"))
                        for peer, ours in pairs.items() if peer in result}  # fmt: skip
    for k, v in result.items():
        if k != "ratios":
            log(f"[c] {k}: " + (f"{v['seconds'] * 1e3:.0f} ms ({v.get('modules')} modules, "
                                f"{len(v.get('failures') or [])} failures)" if v.get("ok") else v.get("error", "?")))
    return result


# ---------------------------------------------------------------- d. per-call overhead


def seed_response() -> dict:
    """The example of FinetuneResponseTruncated in seed 000 (specs/together.yaml)."""
    import yaml

    doc = yaml.safe_load((REPO / "specs" / "together.yaml").read_text(encoding="utf-8"))
    return doc["components"]["schemas"]["FinetuneResponseTruncated"]["example"]


def section_d(ctx: dict) -> dict:
    batch, batches, rounds = 2000, 7, 3
    job = json.dumps({"body": seed_response(), "batch": batch, "batches": batches})
    jobs = {kind: (["call", kind] + ([str(REPO)] if kind == "generated" else []), job)
            for kind in ("generated", "together", "raw")}  # fmt: skip
    result: dict = {"batch": batch, "batches": batches, "rounds": rounds,
                    **interleaved(jobs, rounds, "us_per_call", "d-call")}  # fmt: skip
    for kind in jobs:
        r = result[kind]
        log(f"[d] {kind}: " + (f"{r['us_per_call']:.1f} µs per call (returned {r['returned']}, status {r['status']})"
                               if r.get("ok") else r.get("error", "?")))  # fmt: skip
    g = result["generated"].get("us_per_call")
    result["ratios"] = {k: ratio(g, result[k].get("us_per_call")) for k in ("together", "raw")}
    return result


# ---------------------------------------------------------------- e. decoding


def section_e(ctx: dict) -> dict:
    oagen: Oagen = ctx["oagen"]
    result: dict = {"events": 10_000, "runs": 7, "rounds": 3}
    jobs = {kind: (["decode", kind] + ([str(REPO)] if kind == "generated" else []) + ["7"], None)
            for kind in ("generated", "together", "together-sdk")}  # fmt: skip
    if oagen.models:
        out = WORK / "e" / "msgspec" / "together_msgspec"
        shutil.rmtree(out.parent, ignore_errors=True)
        run = measure(oagen.generate(REPO / "specs" / "together.yaml", out, cold=True,
                                     extra=["--models", "msgspec"]), "e-oagen-msgspec")  # fmt: skip
        if run["rc"] != 0 and "not supported" in run["stderr"]:
            result["msgspec"] = {"ok": False, "error": "msgspec style: not available yet"}
            print("msgspec style: not available yet", flush=True)
        elif run["rc"] != 0:
            result["msgspec"] = {"ok": False, "error": f"`oagen generate --models msgspec` exited {run['rc']}"}
        else:
            if "msgspec" not in peer_versions():
                subprocess.run([str(PEERS_PY), "-m", "pip", "install", "-q", "msgspec"], check=False)
            jobs["msgspec"] = (["decode", "msgspec", str(out.parent), out.name, "7"], None)
    else:
        result["msgspec"] = {"ok": False, "error": "msgspec style: not available yet"}
        print("msgspec style: not available yet", flush=True)
    result.update(interleaved(jobs, 3, "ms", "e-decode"))
    t = result["together"].get("ms")
    result["ratios"] = {k: ratio(result[k].get("ms"), t) for k in ("generated", "msgspec", "together-sdk")}
    for k in ("generated", "together", "together-sdk", "msgspec"):
        r = result[k]
        log(f"[e] {k}: " + (f"{r['ms']:.1f} ms" if r.get("ok") else r.get("error", "?")))
    return result


# ---------------------------------------------------------------- f. scaling


def section_f(ctx: dict) -> dict:
    sys.path.insert(0, str(BENCH))
    from synth import write_spec

    oagen: Oagen = ctx["oagen"]
    sizes = ctx["scale"]
    points = []
    for n in sizes:
        spec = write_spec(n, WORK / "f" / f"synth_{n}.yaml")
        out = WORK / "f" / "out" / f"synth_{n}"
        shutil.rmtree(out.parent, ignore_errors=True)
        run = measure(oagen.generate(spec, out, cold=True), f"f-oagen-{n}")
        info = parse_oagen(run)
        point = {"operations": n, **strip(run), **info, "ms_per_operation": run["wall_s"] / n * 1e3}
        if "profile_s" in info:
            point["profile_ms_per_operation"] = {k: v / n * 1e3 for k, v in info["profile_s"].items()}
        points.append(point)
        shutil.rmtree(out.parent, ignore_errors=True)  # the 20k output is large
        log(f"[f] {n} operations: {run['wall_s']:.1f} s, {point['ms_per_operation']:.1f} ms per operation, "
            f"{run['peak_mib']:.0f} MiB (exit {run['rc']}{', timed out' if run['timed_out'] else ''})")
    done = [p for p in points if p["rc"] == 0]
    for prev, cur in zip(done, done[1:]):
        cur["marginal_ms_per_operation"] = (cur["wall_s"] - prev["wall_s"]) / (cur["operations"] - prev["operations"]) * 1e3
    result = {"points": points}
    ok = [p for p in points if p["rc"] == 0]
    if len(ok) >= 2:
        result["per_op_ratio_largest_vs_smallest"] = ok[-1]["ms_per_operation"] / ok[0]["ms_per_operation"]
    return result


# ---------------------------------------------------------------- targets and the table


def fmt(x: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "—" if x is None else f"{x:{spec}}{suffix}"


def targets(res: dict) -> list[dict]:
    out: list[dict] = []

    def add(name: str, measured: str, ok: bool | None, note: str = "") -> None:
        status = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        out.append({"target": name, "measured": measured, "status": status, "note": note})

    a = res.get("a", {}).get("openai", {})
    r = a.get("ratios", {}).get("openapi-python-client")
    opc = a.get("openapi-python-client", {})
    if r and opc.get("rc") == 0 and a["oagen"]["rc"] == 0:
        add("openai.yaml cold generation ≤ 0.25× openapi-python-client's wall time",
            f"{r['wall']:.2f}× ({a['oagen']['wall_s']:.1f} s vs {opc['wall_s']:.1f} s)", r["wall"] <= 0.25)
        add("openai.yaml cold generation peak memory ≤ openapi-python-client's (issue: 134 MiB)",
            f"{r['peak_mib']:.2f}× ({a['oagen']['peak_mib']:.0f} MiB vs {opc['peak_mib']:.0f} MiB)", r["peak_mib"] <= 1.0)
    else:
        add("openai.yaml cold generation ≤ 0.25× openapi-python-client's wall time", "not measured", None)
        add("openai.yaml cold generation peak memory ≤ openapi-python-client's (issue: 134 MiB)", "not measured", None)

    b = {k: v for k, v in res.get("b", {}).items() if isinstance(v, dict)}
    if b:
        worst = max(b.items(), key=lambda kv: kv[1]["nothing_changed"]["wall_s"])
        add("nothing-changed regeneration < 1 s",
            ", ".join(f"{k}: {v['nothing_changed']['wall_s']:.2f} s" for k, v in b.items()),
            worst[1]["nothing_changed"]["wall_s"] < 1.0 and worst[1]["nothing_changed"]["rc"] == 0)
    else:
        add("nothing-changed regeneration < 1 s", "not measured", None)

    c = res.get("c", {})
    rc_ = c.get("ratios", {}).get("openai")
    add("generated OpenAI client import (package, client, first resource) ≤ 0.5× official openai",
        f"{rc_:.2f}× ({c['oagen']['seconds'] * 1e3:.0f} ms vs {c['openai']['seconds'] * 1e3:.0f} ms)" if rc_ else "not measured",
        None if rc_ is None else rc_ <= 0.5)  # fmt: skip

    d = res.get("d", {})
    rd = d.get("ratios", {}).get("together")
    add("per-call overhead ≤ together package's",
        f"{rd:.2f}× ({d['generated']['us_per_call']:.0f} µs vs {d['together']['us_per_call']:.0f} µs)" if rd else "not measured",
        None if rd is None else rd <= 1.0)  # fmt: skip

    e = res.get("e", {})
    re_ = e.get("ratios", {}).get("generated")
    add("decoding (pydantic style) at least as fast as the together package",
        f"{1 / re_:.2f}× as fast ({e['generated']['ms']:.0f} ms vs {e['together']['ms']:.0f} ms)" if re_ else "not measured",
        None if re_ is None else re_ <= 1.0)  # fmt: skip
    rm = e.get("ratios", {}).get("msgspec")
    if e:
        add("decoding (msgspec style) at least 2× as fast as the together package",
            f"{1 / rm:.2f}× as fast ({e['msgspec']['ms']:.0f} ms vs {e['together']['ms']:.0f} ms)" if rm else e.get("msgspec", {}).get("error", "not measured"),
            False if rm is None else rm <= 0.5)  # fmt: skip
    else:
        add("decoding (msgspec style) at least 2× as fast as the together package", "not measured", None)

    f = res.get("f", {})
    rf = f.get("per_op_ratio_largest_vs_smallest")
    if rf is not None:
        pts = [p for p in f["points"] if p["rc"] == 0]
        add(f"linear scaling: time per operation at {pts[-1]['operations']:,} within 1.5× of {pts[0]['operations']:,}",
            f"{rf:.2f}× ({pts[-1]['ms_per_operation']:.1f} vs {pts[0]['ms_per_operation']:.1f} ms per operation)", rf <= 1.5)
    else:
        add("linear scaling: time per operation stays flat", "not measured", None)
    return out


def table(res: dict) -> str:
    L: list[str] = []
    meta = res["meta"]
    v = meta["peers"]
    L.append(f"`{meta['command']}` — {meta['date']}, {meta.get('total_s', '?')} s in all")
    L.append("")
    L.append(f"oagen {meta['oagen_commit']} · Python {meta['python']} · {meta['cpus']} cores · "
             f"openapi-python-client {v.get('openapi-python-client', '?')} · datamodel-code-generator "
             f"{v.get('datamodel-code-generator', '?')} · openai {v.get('openai', '?')} · together {v.get('together', '?')} · "
             f"pydantic {v.get('pydantic', '?')} · httpx {v.get('httpx', '?')} · load average at start {meta['loadavg_start']}")  # fmt: skip
    L.append("")
    if "a" in res:
        L += ["### a. Cold generation (wall time, peak RSS; best of %d)" % meta["repeat"], "",
              "| spec | oagen | openapi-python-client | datamodel-codegen | oagen/opc time | oagen/opc memory | oagen/dmc time | oagen/dmc memory |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for name, e in res["a"].items():
            o = e["oagen"]
            cell_o = f"{o['wall_s']:.1f} s, {o['peak_mib']:.0f} MiB" + (f", {o.get('operations')}/{o.get('operations_in_spec')} ops" if "operations" in o else "") + ("" if o["rc"] == 0 else f", exit {o['rc']}")
            p = e.get("openapi-python-client")
            cell_p = "skipped (--quick)" if p is None else (f"{p['wall_s']:.1f} s, {p['peak_mib']:.0f} MiB, {p['operations'] if p['operations'] is not None else 'no'} ops"
                                                           + (f", exit {p['rc']}" if p["rc"] else "") + (", crashed" if p["crashed"] else ""))  # fmt: skip
            dm = e.get("datamodel-codegen")
            cell_d = "skipped (--quick)" if dm is None else (f"{dm['wall_s']:.1f} s, {dm['peak_mib']:.0f} MiB, {dm['classes']} classes"
                                                            + (" (package)" if dm.get("output") == "package" else "")
                                                            + (f", exit {dm['rc']}" if dm["rc"] else ""))  # fmt: skip
            rp = e["ratios"].get("openapi-python-client", {})
            rd = e["ratios"].get("datamodel-codegen", {})
            L.append(f"| {name}.yaml | {cell_o} | {cell_p} | {cell_d} | {fmt(rp.get('wall'), '.2f', '×')} | "
                     f"{fmt(rp.get('peak_mib'), '.2f', '×')} | {fmt(rd.get('wall'), '.2f', '×')} | {fmt(rd.get('peak_mib'), '.2f', '×')} |")  # fmt: skip
        L.append("")
        prof = [(n, e["oagen"]) for n, e in res["a"].items() if "profile_s" in e["oagen"]]
        if prof:
            stages = list(prof[0][1]["profile_s"])
            L += ["oagen `--profile`, seconds per stage:", "",
                  "| spec | " + " | ".join(stages) + " | total |", "| --- |" + " --- |" * (len(stages) + 1)]
            for n, o in prof:
                L.append(f"| {n}.yaml | " + " | ".join(f"{o['profile_s'].get(s, 0):.2f}" for s in stages) + f" | {o['profile_total_s']:.2f} |")
            child = sorted({s for _, o in prof for s in o.get("profile_in_child", [])})
            if child:
                L += ["", f"({', '.join(child)} ran in a child process beside parse, render and format; the total "
                      "counts only the time the run waited for it.)"]
            L.append("")
    if "b" in res:
        L += [f"### b. Regeneration into the existing output (cache: {res['b']['cache']}; best of {meta['repeat']})", "",
              "| spec | first generation | nothing changed | one operation changed | nothing changed / first | one changed / first |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for name, e in res["b"].items():
            if not isinstance(e, dict):
                continue
            L.append(f"| {name}.yaml | {e['first']['wall_s']:.2f} s | {e['nothing_changed']['wall_s']:.2f} s | "
                     f"{e['one_changed']['wall_s']:.2f} s | {fmt(e['ratio_nothing_changed_vs_first'], '.2f', '×')} | "
                     f"{fmt(e['ratio_one_changed_vs_first'], '.2f', '×')} |")  # fmt: skip
        L.append("")
    if "c" in res:
        c = res["c"]
        L += ["### c. Import time of the OpenAI client (a fresh process each; best of 5, taking turns)", "",
              "What a user pays first, then (informational) every module imported eagerly; the ratio compares "
              "each row with oagen's row of the same kind.", "",
              "| client | what is imported | time | CPU | modules | oagen / this |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        what = {"oagen": f"`import pkg; pkg.Client(api_key=…)`, then `client.{OAGEN_RESOURCE}.{OAGEN_ATTR}`",
                "openai": "`import openai; openai.OpenAI(api_key=…)`, then `client.chat.completions.create` (lazy resources)",
                "oagen-call": "informational: the same up to the first response: a client whose `http_client` "
                              f"answers through `httpx.MockTransport`, one `client.{OAGEN_RESOURCE}.{OAGEN_ATTR}(…)` call",
                "openai-call": "informational: the same up to the first response: `client.chat.completions.create(…)`",
                "oagen-eager": "informational: the package, `models` and every `models` and `resources` module",
                "openapi-python-client": "informational: the package and all its modules",
                "openai-eager": "informational: `openai`, every `openai.resources` and `openai.types` module"}
        if "oagen-eager" not in c and "oagen" in c:  # a run saved before the headline changed
            what["oagen"] = "the package, `models` and every `resources` module"
            what["openai"] = "`import openai; openai.OpenAI; openai.types.chat` (lazy resources)"
        for k in ("oagen", "openai", "oagen-call", "openai-call", "oagen-eager", "openapi-python-client",
                  "openai-eager"):
            if k not in c:
                continue
            r = c[k]
            if r.get("ok"):
                fails = len(r.get("failures") or [])
                cpu = f"{r['cpu_seconds'] * 1e3:.0f} ms" if "cpu_seconds" in r else "—"
                L.append(f"| {k} | {what[k]} | {r['seconds'] * 1e3:.0f} ms | {cpu} | {r.get('modules')}"
                         + (f" ({fails} failed)" if fails else "")
                         + f" | {fmt(c['ratios'].get(k), '.2f', '×') if not k.startswith('oagen') else ''} |")
            else:
                L.append(f"| {k} | {what[k]} | error: {r.get('error')} | | | |")
        L.append("")
    if "d" in res:
        d = res["d"]
        L += [f"### d. Per-call overhead of `fine_tuning.cancel` through httpx.MockTransport (median of {d['batches']} batches of {d['batch']:,}; best of {d.get('rounds', 1)} processes, taking turns)", "",
              "| client | µs per call | oagen / this |", "| --- | --- | --- |"]  # fmt: skip
        names = {"generated": "oagen (generated/together)", "together": "together package", "raw": "raw httpx + json.loads (floor)"}
        for k in ("generated", "together", "raw"):
            r = d[k]
            L.append(f"| {names[k]} | " + (f"{r['us_per_call']:.1f}" if r.get("ok") else f"error: {r.get('error')}")
                     + f" | {fmt(d['ratios'].get(k), '.2f', '×') if k != 'generated' else ''} |")
        L.append("")
    if "e" in res:
        e = res["e"]
        L += ["### e. Decoding a 10,000-event list of FineTuneEvent (median of 7 decodes; best of 3 processes, taking turns)", "",
              "| models | how | ms | this / together |", "| --- | --- | --- | --- |"]
        names = {"generated": "oagen, pydantic style (generated/together)", "msgspec": "oagen, msgspec style",
                 "together": "together package", "together-sdk": "together package, its own response path (informational)"}
        for k in ("generated", "msgspec", "together", "together-sdk"):
            r = e[k]
            if r.get("ok"):
                L.append(f"| {names[k]} | {r['how']} | {r['ms']:.1f} | {fmt(e['ratios'].get(k), '.2f', '×') if k != 'together' else ''} |")
            else:
                L.append(f"| {names[k]} | {r.get('error')} | — | — |")
        L.append("")
    if "f" in res:
        f = res["f"]
        L += ["### f. Scaling on synthetic specs (bench/synth.py; one cold run each)", "",
              "| operations | wall time | peak memory | ms per operation | marginal ms per operation | slowest stage |",
              "| --- | --- | --- | --- | --- | --- |"]
        for p in f["points"]:
            slow = max(p.get("profile_s", {}).items(), key=lambda kv: kv[1], default=None)
            L.append(f"| {p['operations']:,} | {p['wall_s']:.1f} s | {p['peak_mib']:.0f} MiB | {p['ms_per_operation']:.1f} | "
                     f"{fmt(p.get('marginal_ms_per_operation'), '.1f')} | "
                     + (f"{slow[0]} {slow[1]:.1f} s" if slow else "—") + (" (exit %d)" % p["rc"] if p["rc"] else "") + " |")
        L.append("")
    L += ["### Targets (issue 7)", "", "| target | measured | status |", "| --- | --- | --- |"]
    for t in res["targets"]:
        L.append(f"| {t['target']} | {t['measured']} | **{t['status']}** |")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- main


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "templates", "generated"],
                               cwd=REPO, capture_output=True, text=True).stdout.strip()  # fmt: skip
        return head + ("+dirty" if dirty else "")
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="skip openai.yaml for the peers (a, c), regenerate together.yaml only (b), "
                         "and skip the 20,000-operation scale point (f)")
    ap.add_argument("--only", default=SECTIONS, help="comma-separated sections to run, from a,b,c,d,e,f (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for generation runs (a, b); default 1")
    ap.add_argument("--scale", default=None, help="override the synthetic sizes of f, e.g. 1000,5000")
    ap.add_argument("--json", type=Path, default=None, help="also write every number to this file")
    ap.add_argument("--table-from", type=Path, default=None, metavar="JSON",
                    help="print the table of a run saved with --json, and run nothing")
    args = ap.parse_args(argv)
    if args.table_from:
        saved = json.loads(args.table_from.read_text(encoding="utf-8"))
        saved["targets"] = targets(saved)
        print(table(saved), end="")
        return 0

    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only != SECTIONS else list(SECTIONS)
    bad = [s for s in only if s not in SECTIONS]
    if bad:
        ap.error(f"unknown section(s) {', '.join(bad)}; choose from a,b,c,d,e,f")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    missing = [n for n in CORPUS_SPECS if not (CORPUS / f"{n}.yaml").is_file()]
    if missing:
        print(f"bench: the corpus is missing: expected {', '.join(n + '.yaml' for n in missing)} in {CORPUS}\n"
              "(the shared corpus lives beside the repository, in ../shared/corpus; it is read, never copied)",
              file=sys.stderr)  # fmt: skip
        return 2

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(LOGS, ignore_errors=True)
    started = time.time()
    peers = ensure_peers()
    oagen = Oagen()
    scale = tuple(int(x) for x in args.scale.split(",")) if args.scale else (SCALE_QUICK if args.quick else SCALE_FULL)
    ctx = {"oagen": oagen, "quick": args.quick, "repeat": args.repeat, "scale": scale, "produced": {}}
    cmdline = " ".join([".venv/bin/python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    res: dict = {
        "meta": {
            "command": cmdline,
            "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "oagen_commit": git_commit(),
            "oagen": oagen.describe(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "peers": peers,
            "quick": args.quick,
            "repeat": args.repeat,
            "sections": only,
        }
    }
    log(f"bench: peers {peers}; oagen flags {oagen.describe()}")
    for s in only:
        log(f"bench: section {s} …")
        t0 = time.time()
        res[s] = globals()[f"section_{s}"](ctx)
        log(f"bench: section {s} took {time.time() - t0:.0f} s")
    res["targets"] = targets({k: v for k, v in res.items()})
    res["meta"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    res["meta"]["total_s"] = round(time.time() - started)
    text = table(res)
    print(text)
    print(f"total {res['meta']['total_s']:.0f} s; logs in {LOGS.relative_to(REPO)}/")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
