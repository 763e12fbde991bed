"""``oagen diff``: what changed in a generated client's public API between two specs.

Both specs go through the same pipeline as ``generate`` (parse -> names, see
:func:`generator.core.build_api`) with the same client configuration, and the two
IRs are reduced to what a user of the client sees: resources and their methods,
each method's arguments and return type, the models, enums and type aliases of
``models``, and the client's credentials.  Types are compared by their rendered
Python form (:meth:`generator.render.Types.ann`), so the changelog speaks the
client's language.

Every change is classified:

* breaking (a major version): something a caller uses is gone, renamed or now
  demands more (a removed method, model, field or enum value; a new required
  argument; a narrower argument type; a different return type);
* compatible additions (minor): new resources, methods, models, optional
  arguments, enum values, types widened where the caller sends them;
* compatible changes (patch): documentation, deprecations, a method that moved
  to another path, a wire name behind an unchanged Python name.

Direction matters for models: a model the client sends (reachable from a
parameter or a request body) breaks when it demands more, a model the client
returns breaks when it promises less.  A new required field is therefore
breaking on a request model and compatible on a response model; a type widened
(``str`` -> ``str | int``) is compatible where the caller sends it and breaking
where the caller reads it.  A model reachable both ways, or from no operation
(users can only build it themselves), gets the stricter rule.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, Iterator

from . import ir
from .escape import clean_text
from .render import Types, method_view

KIND_ORDER = ("client", "resource", "method", "parameter", "body", "response", "model", "field", "enum",
              "alias", "docs")
KIND_TITLES = {
    "client": "Client", "resource": "Resources", "method": "Methods", "parameter": "Parameters",
    "body": "Request body fields", "response": "Response types", "model": "Models", "field": "Model fields",
    "enum": "Enum values", "alias": "Type aliases", "docs": "Documentation",
}
BUMPS = ("patch", "minor", "major")


@dataclass(frozen=True)
class Change:
    kind: str  # one of KIND_ORDER
    action: str  # "added" | "removed" | "renamed" | "retyped" | "required" | "optional" | "changed" | ...
    subject: str  # what changed, as the client spells it: "fine_tuning.create", "Model.field"
    detail: str  # one line for people
    breaking: bool
    bump: str  # "major" | "minor" | "patch"


def _change(kind: str, action: str, subject: str, detail: str, *, breaking: bool = False,
            addition: bool = False) -> Change:
    bump = "major" if breaking else "minor" if addition else "patch"
    return Change(kind, action, subject, detail, breaking, bump)


# ------------------------------------------------------------------ the public surface


@dataclass(frozen=True)
class Arg:
    name: str
    annotation: str
    required: bool
    where: str  # "path" | "query" | "header" | "body"
    doc: str = ""


@dataclass(frozen=True)
class Method:
    endpoint: str  # "POST /fine-tunes/{id}/cancel"
    accessor: str  # "fine_tuning.cancel"
    resource: str
    args: tuple[Arg, ...]
    returns: str
    doc: str
    deprecated: bool

    @property
    def positional(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.args if a.where == "path")


@dataclass(frozen=True)
class FieldSig:
    name: str
    wire_name: str
    annotation: str  # as in the models: ``| None`` added when the field is optional
    required: bool
    doc: str
    base: str = ""  # the annotation of the value's type alone


@dataclass(frozen=True)
class TypeSig:
    name: str
    kind: str  # "model" | "enum" | "alias"
    fields: tuple[FieldSig, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # enum: (repr of value, member name)
    annotation: str = ""  # alias
    doc: str = ""
    request: bool = False  # reachable from what the client sends
    response: bool = False  # reachable from what the client returns


@dataclass
class Surface:
    """The public API of one generated client."""

    title: str
    version: str
    methods: dict[str, Method] = field(default_factory=dict)  # by endpoint
    resources: dict[str, str] = field(default_factory=dict)  # attribute -> class name
    types: dict[str, TypeSig] = field(default_factory=dict)  # by class name
    auth: dict[str, str] = field(default_factory=dict)  # keyword -> environment variable
    base_url: str = ""


def _refs(t: ir.TypeRef | None) -> Iterator[str]:
    return (cur.id for cur in ir.walk(t) if isinstance(cur, ir.NamedRef))


def _reachable(api: ir.Api, roots: Iterable[ir.TypeRef | None]) -> set[str]:
    by_id = {d.id: d for d in api.schemas}
    seen: set[str] = set()
    todo = [i for r in roots for i in _refs(r)]
    while todo:
        i = todo.pop()
        if i in seen or i not in by_id:
            continue
        seen.add(i)
        d = by_id[i]
        if isinstance(d, ir.ModelDef):
            for f in d.fields:
                todo.extend(_refs(f.type))
            todo.extend(_refs(d.additional))
        elif isinstance(d, ir.AliasDef):
            todo.extend(_refs(d.type))
    return seen


def _doc(*parts: str) -> str:
    return " ".join(clean_text(p) for p in parts if p)


def surface(api: ir.Api) -> Surface:
    """Reduce an IR (after the name pass) to what a user of the generated client sees."""
    types = Types(api)
    out = Surface(api.title, api.version)
    ops = [op for op in api.operations if op.generated]
    for op in sorted(ops, key=lambda o: (o.path, o.method)):
        view = method_view(op, types)
        location = {p.py_name: p.location for p in op.params}
        args = []
        for a in view.positional + view.keyword:
            ann = a.annotation[: -len(" | NotGiven")] if a.annotation.endswith(" | NotGiven") else a.annotation
            where = location.get(a.name, "body")  # the rest: body fields, or the one ``body`` argument
            args.append(Arg(a.name, ann, a.default is None, where, clean_text(a.doc)))
        endpoint = f"{op.method.upper()} {op.path}"
        out.methods[endpoint] = Method(endpoint, f"{op.resource}.{op.name}", op.resource, tuple(args),
                                       view.return_annotation, _doc(op.summary, op.description), op.deprecated)
        out.resources.setdefault(op.resource, "")
    for res in api.resources:
        if res.name in out.resources:
            out.resources[res.name] = res.class_name
    request_roots: list[ir.TypeRef | None] = []
    response_roots: list[ir.TypeRef | None] = []
    for op in ops:
        request_roots.extend(p.type for p in op.params)
        if op.body is not None:
            request_roots.append(op.body.type)
            request_roots.extend(f.type for f in op.body.fields)
        response_roots.append(op.result)
    sent, returned = _reachable(api, request_roots), _reachable(api, response_roots)
    for d in api.schemas:
        request, response = d.id in sent, d.id in returned
        if not request and not response:  # reachable from no operation: the stricter rule
            request = response = True
        if isinstance(d, ir.ModelDef):
            fields = tuple(FieldSig(f.py_name, f.wire_name, types.ann(f.type, optional=not f.required), f.required,
                                    clean_text(f.description), types.ann(f.type)) for f in d.fields)
            sig = TypeSig(d.name, "model", fields=fields, doc=clean_text(d.description), request=request,
                          response=response)
        elif isinstance(d, ir.EnumDef):
            members = tuple((repr(m.value), m.py_name) for m in d.members)
            sig = TypeSig(d.name, "enum", members=members, doc=clean_text(d.description), request=request,
                          response=response)
        else:
            sig = TypeSig(d.name, "alias", annotation=types.ann(d.type), doc=clean_text(d.description),
                          request=request, response=response)
        out.types[d.name] = sig
    out.auth = {s.py_name: s.env_var for s in api.security_schemes}
    out.base_url = api.servers[0].url if api.servers else ""
    return out


# ------------------------------------------------------------------ comparing annotations


def _split(text: str, sep: str) -> list[str]:
    """Split at top-level ``sep`` (``|`` or ``,``), outside brackets and string literals."""
    parts: list[str] = []
    depth, start, quote, i = 0, 0, "", 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _generic(text: str) -> tuple[str, list[str]]:
    """``List[X]`` -> ``("List", ["X"])``; anything else -> ``(text, [])``."""
    if text.endswith("]") and "[" in text:
        head = text[: text.index("[")]
        if head.isidentifier():
            return head, _split(text[len(head) + 1: -1], ",")
    return text, []


def _pieces(text: str) -> list[str]:
    """The members of a union annotation, with ``Union[...]`` and ``Annotated[...]`` unwrapped."""
    out: list[str] = []
    for part in _split(text, "|"):
        head, args = _generic(part)
        if head == "Union" and args:
            for a in args:
                out.extend(_pieces(a))
        elif head == "Annotated" and args:
            out.extend(_pieces(args[0]))
        else:
            out.append(part)
    return out


_LITERAL_BASE = (("'", "str"), ('"', "str"), ("True", "bool"), ("False", "bool"))


def _literal_base(value: str) -> str:
    for prefix, base in _LITERAL_BASE:
        if value.startswith(prefix):
            return base
    return "float" if any(c in value for c in ".eE") and not value.startswith("0x") else "int"


def covers(new: str, old: str) -> bool:
    """Is every value the annotation ``old`` allows also allowed by ``new``?"""
    if new == old or new == "Any":
        return True
    new_pieces = _pieces(new)
    if "Any" in new_pieces:
        return True
    return all(any(_covers_atom(n, o) for n in new_pieces) for o in _pieces(old))


def _covers_atom(new: str, old: str) -> bool:
    if new == old or new == "Any":
        return True
    if new == "float" and old == "int":
        return True
    head_n, args_n = _generic(new)
    head_o, args_o = _generic(old)
    if head_o == "Literal" and args_o:
        if head_n == "Literal":
            return set(args_o) <= set(args_n)
        return all(_covers_atom(new, _literal_base(v)) for v in args_o)
    if head_n == head_o and args_n and len(args_n) == len(args_o):
        return all(covers(n, o) for n, o in zip(args_n, args_o))
    return False


def _retype(kind: str, subject: str, what: str, old: str, new: str, *, sent: bool, read: bool) -> Change:
    """A type change of something the caller sends (``sent``) and/or reads (``read``)."""
    widened, narrowed = covers(new, old), covers(old, new)
    breaking = (sent and not widened) or (read and not narrowed)
    how = "widened" if widened and not narrowed else "narrowed" if narrowed and not widened else "retyped"
    return _change(kind, "retyped", subject, f"{what} {how}: `{old}` -> `{new}`", breaking=breaking,
                   addition=not breaking and how == "widened")


# ------------------------------------------------------------------ the diff


def _compare_args(old: Method, new: Method) -> list[Change]:
    out: list[Change] = []
    subject = new.accessor
    before = {a.name: a for a in old.args}
    after = {a.name: a for a in new.args}
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        ref = a or b
        assert ref is not None
        kind = "body" if ref.where == "body" else "parameter"
        noun = "body field" if kind == "body" else f"{ref.where} parameter"
        if a is None and b is not None:
            req = "required" if b.required else "optional"
            out.append(_change(kind, "added", subject, f"{req} {noun} `{name}: {b.annotation}` added",
                               breaking=b.required, addition=True))
            continue
        if b is None:
            out.append(_change(kind, "removed", subject, f"{noun} `{name}` removed", breaking=True))
            continue
        assert a is not None
        if (a.where == "path") != (b.where == "path"):
            out.append(_change(kind, "changed", subject,
                               f"`{name}` moved from the {a.where} to the {b.where} "
                               f"({'now positional' if b.where == 'path' else 'now keyword-only'})", breaking=True))
        elif a.where != b.where:
            out.append(_change(kind, "changed", subject, f"`{name}` is now sent in the {b.where}, not the {a.where}"))
        if a.required != b.required:
            if b.required:
                out.append(_change(kind, "required", subject, f"{noun} `{name}` is now required", breaking=True))
            else:
                out.append(_change(kind, "optional", subject, f"{noun} `{name}` is now optional", addition=True))
        if a.annotation != b.annotation:
            out.append(_retype(kind, subject, f"{noun} `{name}`", a.annotation, b.annotation, sent=True, read=False))
    if old.positional != new.positional and set(old.positional) == set(new.positional):
        out.append(_change("parameter", "changed", subject,
                           f"positional arguments reordered: ({', '.join(old.positional)}) -> "
                           f"({', '.join(new.positional)})", breaking=True))
    return out


def _compare_method(old: Method, new: Method) -> list[Change]:
    out = _compare_args(old, new)
    subject = new.accessor
    if old.returns != new.returns:
        out.append(_change("response", "retyped", subject, f"returns `{new.returns}` instead of `{old.returns}`",
                           breaking=True))
    if new.deprecated and not old.deprecated:
        out.append(_change("method", "deprecated", subject, "deprecated"))
    before = {a.name: a.doc for a in old.args}
    if old.doc != new.doc or any(a.doc != before[a.name] for a in new.args if a.name in before):
        out.append(_change("docs", "changed", subject, "documentation changed"))
    return out


def _compare_methods(old: Surface, new: Surface) -> list[Change]:
    out: list[Change] = []
    removed = {k: m for k, m in old.methods.items() if k not in new.methods}
    added = {k: m for k, m in new.methods.items() if k not in old.methods}
    # same accessor, other endpoint: the method moved; the caller does not notice
    added_by_accessor = {m.accessor: m for m in added.values()}
    for key, m in sorted(removed.items()):
        moved = added_by_accessor.get(m.accessor)
        if moved is not None and sum(1 for x in removed.values() if x.accessor == m.accessor) == 1:
            out.append(_change("method", "moved", m.accessor, f"now calls `{moved.endpoint}` (was `{m.endpoint}`)"))
            out.extend(_compare_method(m, moved))
            del added[moved.endpoint]
            continue
        out.append(_change("method", "removed", m.accessor, f"removed (`{m.endpoint}`)", breaking=True))
    for key, m in sorted(added.items()):
        out.append(_change("method", "added", m.accessor, f"added (`{m.endpoint}`)", addition=True))
    for key in sorted(set(old.methods) & set(new.methods)):
        a, b = old.methods[key], new.methods[key]
        if a.accessor != b.accessor:
            out.append(_change("method", "renamed", b.accessor, f"renamed from `{a.accessor}` (`{key}`)",
                               breaking=True))
        out.extend(_compare_method(a, b))
    return out


def _compare_fields(old: TypeSig, new: TypeSig) -> list[Change]:
    out: list[Change] = []
    sent, read = old.request or new.request, old.response or new.response
    before = {f.name: f for f in old.fields}
    after = {f.name: f for f in new.fields}
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        subject = f"{new.name}.{name}"
        if a is None and b is not None:
            req = "required" if b.required else "optional"
            out.append(_change("field", "added", subject, f"{req} field `{name}: {b.annotation}` added",
                               breaking=b.required and sent, addition=True))
            continue
        if b is None:
            out.append(_change("field", "removed", subject, "removed", breaking=True))
            continue
        assert a is not None
        if a.required != b.required:
            if b.required:
                out.append(_change("field", "required", subject, "now required", breaking=sent,
                                   addition=not sent))
            else:
                out.append(_change("field", "optional", subject, "now optional (may be None)", breaking=read,
                                   addition=not read))
        # a change of requiredness is reported above; the type is then compared without its None
        old_ann, new_ann = (a.annotation, b.annotation) if a.required == b.required else (a.base, b.base)
        if old_ann != new_ann:
            out.append(_retype("field", subject, "type", old_ann, new_ann, sent=sent, read=read))
        if a.wire_name != b.wire_name:
            out.append(_change("field", "changed", subject, f"wire name `{a.wire_name}` -> `{b.wire_name}`"))
    return out


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _compare_types(old: Surface, new: Surface) -> list[Change]:
    out: list[Change] = []
    for name in sorted(set(old.types) | set(new.types)):
        a, b = old.types.get(name), new.types.get(name)
        if a is None and b is not None:
            out.append(_change("model" if b.kind == "model" else b.kind, "added", name, f"{b.kind} added",
                               addition=True))
            continue
        if b is None:
            assert a is not None
            out.append(_change("model" if a.kind == "model" else a.kind, "removed", name, f"{a.kind} removed",
                               breaking=True))
            continue
        assert a is not None
        if a.kind != b.kind:
            out.append(_change("model", "changed", name, f"was {_a(a.kind)}, now {_a(b.kind)}", breaking=True))
            continue
        if a.kind == "model":
            out.extend(_compare_fields(a, b))
        elif a.kind == "enum":
            before, after = dict(a.members), dict(b.members)
            for value in sorted(set(before) | set(after)):
                if value not in after:
                    out.append(_change("enum", "removed", name, f"value {value} (`{before[value]}`) removed",
                                       breaking=True))
                elif value not in before:
                    out.append(_change("enum", "added", name, f"value {value} (`{after[value]}`) added",
                                       addition=True))
                elif before[value] != after[value]:
                    out.append(_change("enum", "renamed", name, f"member `{before[value]}` renamed to "
                                       f"`{after[value]}` (value {value})", breaking=True))
        elif a.annotation != b.annotation:
            out.append(_retype("alias", name, "type", a.annotation, b.annotation,
                               sent=a.request or b.request, read=a.response or b.response))
        before_docs = {f.name: f.doc for f in a.fields}
        if a.doc != b.doc or any(f.doc != before_docs[f.name] for f in b.fields if f.name in before_docs):
            out.append(_change("docs", "changed", name, "documentation changed"))
    return out


def diff_surfaces(old: Surface, new: Surface) -> list[Change]:
    out: list[Change] = []
    for kw in sorted(set(old.auth) | set(new.auth)):
        if kw not in new.auth:
            out.append(_change("client", "removed", kw, f"credential keyword `{kw}` removed", breaking=True))
        elif kw not in old.auth:
            out.append(_change("client", "added", kw, f"credential keyword `{kw}` added ({new.auth[kw]})",
                               addition=True))
        elif old.auth[kw] != new.auth[kw]:
            out.append(_change("client", "changed", kw,
                               f"environment variable {old.auth[kw]} -> {new.auth[kw]}", breaking=True))
    if old.base_url != new.base_url:
        out.append(_change("client", "changed", "base_url", f"default base URL `{old.base_url}` -> `{new.base_url}`"))
    for attr in sorted(set(old.resources) | set(new.resources)):
        if attr not in new.resources:
            out.append(_change("resource", "removed", attr, "removed", breaking=True))
        elif attr not in old.resources:
            out.append(_change("resource", "added", attr, "added", addition=True))
    out.extend(_compare_methods(old, new))
    out.extend(_compare_types(old, new))
    return sort_changes(out)


def diff_apis(old: ir.Api, new: ir.Api) -> list[Change]:
    return diff_surfaces(surface(old), surface(new))


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (not c.breaking, KIND_ORDER.index(c.kind), c.subject, c.action, c.detail))


def suggested_bump(changes: Iterable[Change]) -> str:
    return max((c.bump for c in changes), key=BUMPS.index, default="patch")


# ------------------------------------------------------------------ reports


@dataclass(frozen=True)
class Side:
    spec: str  # as given on the command line
    title: str
    version: str


def _counts(changes: list[Change]) -> dict[str, int]:
    return {
        "breaking": sum(c.breaking for c in changes),
        "compatible": sum(not c.breaking for c in changes),
        "additions": sum(c.bump == "minor" for c in changes),
    }


def report_json(old: Side, new: Side, changes: list[Change]) -> str:
    data = {
        "old": asdict(old),
        "new": asdict(new),
        "bump": suggested_bump(changes),
        "counts": _counts(changes),
        "changes": [asdict(c) for c in changes],
    }
    return json.dumps(data, indent=2) + "\n"


def _versions(old: Side, new: Side) -> str:
    if old.title == new.title:
        return f"{old.title} {old.version} -> {new.version}"
    return f"{old.title} {old.version} -> {new.title} {new.version}"


def _summary(changes: list[Change]) -> str:
    n = _counts(changes)
    return (f"suggested version bump: {suggested_bump(changes)} ({n['breaking']} breaking, "
            f"{n['compatible']} compatible of which {n['additions']} additions)")


def report_text(old: Side, new: Side, changes: list[Change]) -> str:
    lines = [f"{_versions(old, new)}  ({old.spec} -> {new.spec})", _summary(changes)]
    if not changes:
        lines.append("no change to the client's API")
    for title, group in (("breaking", [c for c in changes if c.breaking]),
                         ("compatible", [c for c in changes if not c.breaking])):
        if not group:
            continue
        lines.append("")
        lines.append(f"{title} ({len(group)}):")
        for c in group:
            mark = {"major": "!", "minor": "+", "patch": "~"}[c.bump]
            lines.append(f"  {mark} {c.kind:<9} {c.subject}: {c.detail}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def report_markdown(old: Side, new: Side, changes: list[Change], *, max_rows: int = 300) -> str:
    """For a pull-request comment: title, summary, then a table per kind, breaking first."""
    bump = suggested_bump(changes)
    n = _counts(changes)
    out = [f"## API changes: {_cell(_versions(old, new))}", ""]
    out.append(f"**Suggested version bump: {bump}** · {n['breaking']} breaking · {n['compatible']} compatible "
               f"({n['additions']} additions)")
    out.append("")
    out.append(f"<sub>`oagen diff {_cell(old.spec)} {_cell(new.spec)}`</sub>")
    if not changes:
        out += ["", "No change to the client's API."]
        return "\n".join(out) + "\n"
    for title, group, fold in (("Breaking changes", [c for c in changes if c.breaking], False),
                               ("Compatible changes", [c for c in changes if not c.breaking], True)):
        if not group:
            continue
        out += ["", f"### {title} ({len(group)})", ""]
        folded = fold and len(group) > 20
        if folded:
            out += ["<details><summary>show all</summary>", ""]
        out += ["| kind | what | change |", "| --- | --- | --- |"]
        for c in group[:max_rows]:
            out.append(f"| {KIND_TITLES[c.kind]} | `{_cell(c.subject)}` | {_cell(c.detail)} |")
        if len(group) > max_rows:
            out.append(f"| | | … and {len(group) - max_rows} more (run the command above for all) |")
        if folded:
            out += ["", "</details>"]
    return "\n".join(out) + "\n"
