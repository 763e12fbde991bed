"""The command line: a thin layer over load -> generate -> write.

Exit codes:
  0  success (``check``: generated/ is fresh; ``validate``: no errors)
  1  a check failed: ``check`` found stale or hand-edited files, ``validate --strict``
     found findings
  2  bad input: the spec or the configuration cannot be used (a located message
     is printed; nothing is written)
  3  an internal error of oagen (a bug: please report it with the spec)
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__, ir
from .config import ClientConfig, Config, client_for_spec, find_pyproject, load_config
from .core import Result, build_api, generate
from .diagnostics import Diagnostic, Level, SpecError
from .load import Document, load_document
from .validate import validate_document
from .write import read_tree, write_package

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _print_diagnostics(diags: Sequence[Diagnostic], *, stream=None) -> None:
    stream = stream or sys.stderr
    for d in diags:
        print(d.format(), file=stream)


def _load(spec: Path, args: argparse.Namespace) -> Document:
    return load_document(spec, allow_remote_refs=getattr(args, "allow_remote_refs", False))


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def _config(args: argparse.Namespace) -> Config:
    path = Path(args.config) if args.config else find_pyproject(Path.cwd())
    if path is None:
        raise SpecError([Diagnostic(Level.ERROR, "no pyproject.toml with [tool.oagen] found here or above",
                                    _loc(Path.cwd()))])
    config = load_config(path)
    if not config.clients:
        raise SpecError([Diagnostic(Level.ERROR, "no clients configured in [tool.oagen]", _loc(path))])
    return config


def _loc(path: Path):  # noqa: ANN202 - tiny helper
    from .diagnostics import Location

    return Location(_display(path))


def _select(config: Config, names: Sequence[str]) -> list[ClientConfig]:
    if not names:
        return list(config.clients)
    known = {c.name: c for c in config.clients}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SpecError([Diagnostic(Level.ERROR, f"no configured client named {unknown[0]!r} "
                                    f"(configured: {', '.join(sorted(known))})", _loc(config.file))])
    return [known[n] for n in names]


def _with_relative_spec(client: ClientConfig) -> ClientConfig:
    from dataclasses import replace

    return replace(client, spec=Path(_display(client.spec)))


def _generate_one(client: ClientConfig, args: argparse.Namespace, strict: bool, line_length: int) -> Result:
    client = _with_relative_spec(client)
    t0 = time.perf_counter()
    doc = _load(client.spec, args)
    load_time = time.perf_counter() - t0
    templates = tuple(args.templates or ()) if hasattr(args, "templates") else ()
    result = generate(doc, client, strict=strict, line_length=line_length, template_dirs=templates)
    result.timings = {"load": load_time, **result.timings}
    return result


def cmd_generate(args: argparse.Namespace) -> int:
    if args.spec:
        if not args.output:
            raise SpecError([Diagnostic(Level.ERROR, "generate SPEC needs --output DIR/PKG", _loc(Path(args.spec)))])
        clients = [client_for_spec(Path(args.spec), Path(args.output), args.client_name)]
        strict, line_length = args.strict, 100
    else:
        config = _config(args)
        clients = _select(config, args.clients)
        strict, line_length = args.strict or config.strict, config.line_length
    results: list[tuple[ClientConfig, Result]] = []
    for client in clients:
        results.append((client, _generate_one(client, args, strict, line_length)))
    # Everything rendered without error: only now write, one package at a time.
    for client, result in results:
        t0 = time.perf_counter()
        write_package(client.output, result.files)
        result.timings["write"] = time.perf_counter() - t0
        if args.verbose:
            _print_diagnostics(result.diagnostics)
        if not args.quiet:
            print(result.summary(client.name) + f" -> {_display(client.output)}")
            if args.profile:
                total = sum(result.timings.values())
                parts = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
                print(f"  profile: {parts} (total {total:.2f}s)")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    doc = _load(Path(args.spec), args)
    diags = validate_document(doc, strict=args.strict)
    _print_diagnostics(diags, stream=sys.stdout)
    errors = sum(1 for d in diags if d.level == Level.ERROR)
    warnings = sum(1 for d in diags if d.level == Level.WARNING)
    print(f"{doc.file}: {errors} errors, {warnings} warnings")
    return EXIT_CHECK_FAILED if errors else EXIT_OK


def diff_trees(name: str, expected: dict[str, str], actual: dict[str, str] | None) -> list[str]:
    """Unified diff lines from what is on disk (``actual``) to what generate would write."""
    lines: list[str] = []
    actual = actual or {}
    for rel in sorted(set(expected) | set(actual)):
        a, b = actual.get(rel), expected.get(rel)
        if a == b:
            continue
        if a is None:
            lines.append(f"missing: {name}/{rel} (oagen generate would write it)\n")
        elif b is None:
            lines.append(f"extra: {name}/{rel} (oagen generate would not write it)\n")
        lines.extend(
            difflib.unified_diff(
                (a or "").splitlines(keepends=True),
                (b or "").splitlines(keepends=True),
                fromfile=f"{name}/{rel}" if a is not None else "/dev/null",
                tofile=f"{name}/{rel} (generated)" if b is not None else "/dev/null",
            )
        )
    return lines


def cmd_check(args: argparse.Namespace) -> int:
    config = _config(args)
    clients = _select(config, args.clients)
    stale = 0
    for client in clients:
        result = _generate_one(client, args, args.strict or config.strict, config.line_length)
        lines = diff_trees(_display(client.output), result.files, read_tree(client.output))
        if lines:
            stale += 1
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
            print(f"{client.name}: {_display(client.output)} is not what oagen generate would write")
        elif not args.quiet:
            print(f"{client.name}: up to date")
    return EXIT_CHECK_FAILED if stale else EXIT_OK


def ops_json(api: ir.Api, client: ClientConfig) -> dict[str, object]:
    ops = []
    for op in api.operations:
        body = None
        if op.body is not None:
            body = {
                "content_type": op.body.content_type,
                "required": op.body.required,
                "mode": op.body.mode,
                "fields": [
                    {"python_name": f.py_name, "wire_name": f.wire_name, "required": f.required}
                    for f in op.body.fields
                ],
            }
        ops.append(
            {
                "method": op.method.upper(),
                "path": op.path,
                "operation_id": op.operation_id,
                "accessor": op.accessor,
                "generated": op.generated,
                "reason": op.reason,
                "params": [
                    {"python_name": p.py_name, "wire_name": p.wire_name, "in": p.location, "required": p.required}
                    for p in op.params
                ],
                "body": body,
                "streaming": op.result_kind == "sse",
            }
        )
    auth = [
        {"python_name": s.py_name, "scheme": s.key, "type": s.type, "in": s.location, "wire_name": s.wire_name}
        for s in api.security_schemes
    ]
    return {
        "client": {"class": client.client_class, "async_class": "Async" + client.client_class, "auth": auth},
        "operations": ops,
    }


def cmd_ops(args: argparse.Namespace) -> int:
    spec = Path(args.spec)
    client = _configured_client_for(spec) or client_for_spec(spec, Path(args.output or "client"), args.client_name)
    if args.client_name:
        from dataclasses import replace

        client = replace(client, client_class=args.client_name)
    doc = _load(spec, args)
    api, _diags = build_api(doc, client)
    data = ops_json(api, client)
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=False))
        return EXIT_OK
    width = max((len(f"{o['method']} {o['path']}") for o in data["operations"]), default=10)  # type: ignore[union-attr]
    for o in data["operations"]:  # type: ignore[union-attr]
        left = f"{o['method']} {o['path']}"
        right = f"client.{o['accessor']}(...)" if o["generated"] else f"not generated: {o['reason']}"
        print(f"{left:<{width}}  {right}")
    return EXIT_OK


def _configured_client_for(spec: Path) -> ClientConfig | None:
    """The configured client whose spec is ``spec``, so that ops shows configured names."""
    path = find_pyproject(Path.cwd())
    if path is None:
        return None
    try:
        config = load_config(path)
    except SpecError:
        return None
    for client in config.clients:
        try:
            if client.spec.resolve() == spec.resolve():
                return client
        except OSError:  # pragma: no cover
            continue
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oagen",
        description="Generate typed Python clients from OpenAPI documents.",
        epilog="Exit codes: 0 ok; 1 check failed (stale output, strict findings); "
        "2 bad input (nothing written); 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"oagen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="pyproject.toml with [tool.oagen] (default: found from the current folder)")
    common.add_argument("--strict", action="store_true", help="treat validation findings as errors")
    common.add_argument("--allow-remote-refs", action="store_true", help="allow http(s) $refs (refused by default)")
    common.add_argument("-q", "--quiet", action="store_true")
    common.add_argument("-v", "--verbose", action="store_true")

    g = sub.add_parser("generate", parents=[common], help="generate every configured client, or one spec")
    g.add_argument("spec", nargs="?", help="a spec file for a one-off generation (needs --output)")
    g.add_argument("--output", help="DIR/PKG: the package folder; importable as PKG from DIR")
    g.add_argument("--client-name", help="the client class name (default: the package name in PascalCase)")
    g.add_argument("--client", dest="clients", action="append", default=[], help="only this configured client")
    g.add_argument("--templates", action="append", help="a folder of templates that override the built-in ones")
    g.add_argument("--profile", action="store_true", help="print where the time goes")
    g.set_defaults(func=cmd_generate)

    v = sub.add_parser("validate", parents=[common], help="validate a spec; findings with file:line and pointer")
    v.add_argument("spec")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("check", parents=[common], help="exit 1 with a diff when generated/ is stale")
    c.add_argument("clients", nargs="*", help="configured client names (default: all)")
    c.set_defaults(func=cmd_check)

    o = sub.add_parser("ops", parents=[common], help="the map from operations to client methods")
    o.add_argument("spec")
    o.add_argument("--json", action="store_true")
    o.add_argument("--client-name")
    o.add_argument("--output", help=argparse.SUPPRESS)
    o.set_defaults(func=cmd_ops)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("oagen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an oagen bug: short message, traceback only on request
        if os.environ.get("OAGEN_DEBUG"):
            traceback.print_exc()
        print(f"oagen: internal error: {type(exc).__name__}: {exc} "
              "(set OAGEN_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        return EXIT_INTERNAL
