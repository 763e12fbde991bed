"""Selection and renames from the configuration, applied to the IR before the collision pass.

* ``include`` / ``exclude``: operations chosen by tag, path (``fnmatch`` glob) or
  operationId.  With an ``include``, an operation must match it; a match of ``exclude``
  always removes it.  A removed operation stays in the IR (``generated=False``), so the
  summary and ``oagen ops`` list it with the reason "excluded by configuration".
* ``model_names``: a schema's component name (or its generated class name) -> class name.
* ``field_names``: ``"Class.wire_name"`` -> Python attribute name (the wire name stays the alias).
* ``enum_member_names``: ``"Enum.MEMBER"`` or ``"Enum.value"`` -> member name.

Every new name goes through :mod:`generator.names`, so it is an identifier whatever
the configuration says; a rename that matches nothing is an error naming the key.
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from typing import Iterable

from . import ir
from .diagnostics import Diagnostic, Level, Location, SpecError
from .names import RESERVED_FIELD_NAMES, attr_name, class_name, enum_member_name


def _matches(op: ir.Operation, rules: Iterable[tuple[str, tuple[str, ...]]]) -> bool:
    for key, values in rules:
        if key == "tags" and any(t in values for t in op.tags):
            return True
        if key == "paths" and any(fnmatch.fnmatchcase(op.path, pattern) for pattern in values):
            return True
        if key == "operation_ids" and op.operation_id in values:
            return True
    return False


def select(api: ir.Api, include: tuple[tuple[str, tuple[str, ...]], ...],
           exclude: tuple[tuple[str, tuple[str, ...]], ...]) -> ir.Api:
    if not include and not exclude:
        return api
    ops = []
    for op in api.operations:
        if op.generated and ((include and not _matches(op, include)) or _matches(op, exclude)):
            op = replace(op, generated=False, reason="excluded by configuration")
        ops.append(op)
    return replace(api, operations=tuple(ops), extra={})


def _unknown(config_file: str, table: str, key: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, f"{table}: {key!r} matches nothing in the spec",
                                 Location(config_file, None, f"{table}.{key}"))])


def rename(api: ir.Api, model_names: tuple[tuple[str, str], ...], field_names: tuple[tuple[str, str], ...],
           enum_member_names: tuple[tuple[str, str], ...], config_file: str = "pyproject.toml") -> ir.Api:
    if not (model_names or field_names or enum_member_names):
        return api
    wanted_models = dict(model_names)
    wanted_fields = dict(field_names)
    wanted_members = dict(enum_member_names)
    used: set[tuple[str, str]] = set()
    schemas: list[ir.Definition] = []
    for d in api.schemas:
        component = d.id.rsplit("/", 1)[-1] if d.id.startswith("#/components/schemas/") else None
        original = d.name
        for key in (component, original):
            if key is not None and key in wanted_models:
                d = replace(d, name=class_name(wanted_models[key]))
                used.add(("model_names", key))
                break
        if isinstance(d, ir.ModelDef):
            fields = []
            for f in d.fields:
                key = f"{original}.{f.wire_name}"
                if key in wanted_fields:
                    f = replace(f, py_name=attr_name(wanted_fields[key], "field", RESERVED_FIELD_NAMES))
                    used.add(("field_names", key))
                fields.append(f)
            d = replace(d, fields=tuple(fields))
        if isinstance(d, ir.EnumDef):
            members = []
            for m in d.members:
                for key in (f"{original}.{m.py_name}", f"{original}.{m.value}"):
                    if key in wanted_members:
                        m = replace(m, py_name=enum_member_name(wanted_members[key]))
                        used.add(("enum_member_names", key))
                        break
                members.append(m)
            d = replace(d, members=tuple(members))
        schemas.append(d)
    for table, wanted in (("model_names", wanted_models), ("field_names", wanted_fields),
                          ("enum_member_names", wanted_members)):
        for key in wanted:
            if (table, key) not in used:
                raise _unknown(config_file, table, key)
    return replace(api, schemas=tuple(schemas), extra={})
