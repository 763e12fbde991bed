"""Python identifiers from spec strings, and the collision pass.

Spec strings never become identifiers directly: every identifier is *rebuilt*
from the ASCII letters and digits of its source (non-ASCII letters are
transliterated when NFKD gives an ASCII base, dropped otherwise), then cased,
then protected against keywords, reserved names and leading digits.  The
result always matches ``[A-Za-z_][A-Za-z0-9_]*`` and is never a keyword.

Collision rule (documented in the README): when several things want one name
in one namespace, they are ordered by a stable key (component schemas first in
document order, then inline schemas by JSON pointer; parameters by location
path < query < header < cookie < body), the first keeps the name and each
later one gets a suffix: for parameters the location (``body_finetuning_id``),
for everything else ``2``, ``3``, ... in that order.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from . import ir

# ``ir`` is imported where it is used: the configuration needs only the casing helpers
# here, and a run served by the whole-run cache (generator.runcache) never builds an IR.

_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Names a generated module imports or defines itself; a class may not take them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any", "Annotated", "BaseModel", "ClassVar", "ConfigDict", "Discriminator", "Enum",
        "Field", "List", "Dict", "Literal", "Optional", "Tag", "TypeAlias", "Union",
        "datetime", "date", "time", "uuid", "UUID", "typing", "pydantic", "annotations",
        "NotGiven", "NOT_GIVEN", "httpx", "Mapping", "Sequence", "Iterator", "FileTypes",
        "OpenEnum", "RequestOptions", "TYPE_CHECKING", "cast", "overload",
        # what every resource module imports from _types and typing
        "Body", "Headers", "Query", "IO", "OpenStrEnum", "OpenIntEnum", "OpenFloatEnum",
        # what the msgspec style's models.py imports
        "UNSET", "UnsetType", "Struct", "DispatchingStruct", "Dispatched", "FirstMatch", "ByTag",
    }
    | {n for n in dir(builtins) if not n.startswith("_")}
)

# Attributes of pydantic's BaseModel and of our base model: a field may not shadow them.
RESERVED_FIELD_NAMES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj",
        "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
        "to_dict", "to_json", "model_config", "model_fields", "model_computed_fields",
        "model_extra", "model_fields_set", "model_construct", "model_copy", "model_dump",
        "model_dump_json", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "self", "cls",
        # names the annotations of models.py use: a field with a default would shadow
        # them in the class body (``str: str | None = None`` breaks the next ``str``)
        "str", "int", "float", "bool", "bytes", "datetime", "uuid", "discriminator_by",
    }
)

# Names a method or a parameter of a generated method may not take.
RESERVED_PARAM_NAMES = frozenset(
    {"self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "body",
     # module names the body of a generated method (or function) calls
     "make_request_options", "path_param", "query_param", "header_param", "multipart_body"}
)
RESERVED_METHOD_NAMES = frozenset({"with_raw_response", "with_streaming_response"})
# File names Windows refuses whatever the extension (a module named after one could not be written).
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
RESERVED_RESOURCE_NAMES = frozenset(
    {
        "close", "copy", "with_options", "request", "auth_headers", "default_headers",
        "base_url", "timeout", "max_retries", "api_key", "with_raw_response",
        "with_streaming_response", "get", "post", "put", "patch", "delete",
        # the client's resource attributes are cached properties, defined one after the other
        # in the class body: one named like the decorator would hide it from the next ones
        "cached_property",
        # resource names are module names (resources/<name>.py): no Windows device names
        *WINDOWS_DEVICE_NAMES,
    }
)

# Longest identifier rebuilt from one spec string (a resource name is also a file name):
# a longer one keeps its first characters and gets a stable hash of the whole name.
MAX_NAME_LENGTH = 96


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if ord(c) < 128)


def words(text: str) -> list[str]:
    """Split any spec string into ASCII words: ``"FineTuning-jobs_v2"`` -> fine, tuning, jobs, v, 2."""
    return [w for w in _WORD_RE.findall(_ascii(text))]


def snake(text: str) -> str:
    """``"listFineTuningJobs"`` -> ``list_fine_tuning_jobs``; may be empty."""
    return "_".join(w.lower() for w in words(text))


def pascal(text: str) -> str:
    """``"fine-tune event"`` -> ``FineTuneEvent``; keeps inner capitals (``LoRATrainingType``)."""
    out = []
    for w in words(text):
        out.append(w if w[:1].isupper() else w[:1].upper() + w[1:])
    return "".join(out)


def _bounded(name: str) -> str:
    """``name`` cut to :data:`MAX_NAME_LENGTH`, with ``_<8 hex of sha256(name)>`` when cut."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{name[: MAX_NAME_LENGTH - 9].rstrip('_')}_{digest}"


def _guard(name: str, fallback: str, reserved: Iterable[str] = ()) -> str:
    if not name:
        name = fallback
    name = _bounded(name)
    if name[0].isdigit():
        name = f"{fallback[:1] or '_'}{name}" if fallback[:1].isalpha() else f"_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name = name + "_"
    return name


def class_name(text: str, fallback: str = "Model") -> str:
    """A class name for a schema.  Leading digits get a ``Model`` prefix."""
    name = pascal(text)
    if name and name[0].isdigit():
        name = fallback + name
    return _guard(name, fallback, RESERVED_CLASS_NAMES)


def attr_name(text: str, fallback: str = "field", reserved: Iterable[str] = ()) -> str:
    """A field/parameter/method name: snake case, no keyword, no reserved name.

    Builtins such as ``id`` or ``type`` are allowed: shadowing them inside a
    class body or a signature is harmless and users expect ``id=``.
    """
    name = snake(text)
    if name and name[0].isdigit():
        name = f"{fallback}_{name}"
    return _guard(name, fallback, reserved)


def enum_member_name(value: object) -> str:
    """``"fine-tune.job"`` -> ``FINE_TUNE_JOB``; ``1`` -> ``VALUE_1``; ``""`` -> ``EMPTY``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = str(value).replace("-", "minus_").replace(".", "_")
        return "VALUE_" + snake(text).upper()
    name = snake(str(value)).upper()
    if not name:
        return "EMPTY" if str(value) == "" else "VALUE"
    if name[0].isdigit():
        name = "VALUE_" + name
    if keyword.iskeyword(name.lower()) and name.lower() == name:  # never happens for upper
        name += "_"
    return name


def env_prefix(client_name: str) -> str:
    return snake(client_name).upper()


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if (word.endswith("sses") or word.endswith("uses") or word.endswith("xes")) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# ------------------------------------------------------------------- collision pass


def unique(names: list[str], reserved: Iterable[str] = ()) -> list[str]:
    """Make ``names`` unique in order: the first keeps its name, later ones get 2, 3, ...

    Comparison is case-insensitive when ``casefold`` matters for files; here it
    is exact.  ``reserved`` names are taken before any of ``names``.
    """
    taken = set(reserved)
    out = []
    next_n: dict[str, int] = {}  # per name, the first suffix not yet tried: linear, not quadratic
    for name in names:
        candidate = name
        if candidate in taken:
            n = next_n.get(name, 2)
            candidate = f"{name}{n}"
            while candidate in taken:
                n += 1
                candidate = f"{name}{n}"
            next_n[name] = n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def resolve_names(api: ir.Api, client_class: str = "") -> ir.Api:
    """The collision pass: unique class, field, enum member, parameter, method and resource names.

    Schema classes may not take the client's class names nor the resource class
    names, which share modules with them.
    """
    from . import ir

    # 1. Schema class names: the parser lists component schemas first (document order),
    #    then inline ones sorted by pointer; first come keeps the name.
    #    Compared case-insensitively so that no two classes differ only by case.
    taken: set[str] = set()
    if client_class:
        taken |= {client_class.lower(), f"async{client_class}".lower()}
    for resource in {op.resource for op in api.operations if op.generated}:
        cls = class_name(resource, "Resource")
        taken |= {f"{cls}Resource".lower(), f"Async{cls}Resource".lower()}
    new_names: list[str] = []
    next_n: dict[str, int] = {}  # per name, the first suffix not yet tried (taken only grows)
    for d in api.schemas:
        candidate = d.name
        if candidate.lower() in taken:
            n = next_n.get(d.name, 2)
            candidate = f"{d.name}{n}"
            while candidate.lower() in taken:
                n += 1
                candidate = f"{d.name}{n}"
            next_n[d.name] = n + 1
        taken.add(candidate.lower())
        new_names.append(candidate)
    schemas: list[ir.Definition] = []
    for d, name in zip(api.schemas, new_names):
        if isinstance(d, ir.ModelDef):
            fields = _unique_fields(d.fields)
            schemas.append(replace(d, name=name, fields=fields))
        elif isinstance(d, ir.EnumDef):
            members = [m.py_name for m in d.members]
            fixed = unique(members, reserved=("name", "value", "mro"))
            schemas.append(
                replace(
                    d,
                    name=name,
                    members=tuple(replace(m, py_name=p) for m, p in zip(d.members, fixed)),
                )
            )
        else:
            schemas.append(replace(d, name=name))

    # 2. Resources and methods.
    operations = list(api.operations)
    by_resource: dict[str, list[int]] = {}
    for i, op in enumerate(operations):
        if op.generated:
            by_resource.setdefault(op.resource, []).append(i)
    for idxs in by_resource.values():
        # Short names that collide inside one resource fall back to the full name
        # (derived from the whole operationId or path); what still collides gets 2, 3, ...
        counts: dict[str, int] = {}
        for i in idxs:
            counts[operations[i].name] = counts.get(operations[i].name, 0) + 1
        wanted = [
            operations[i].name
            if counts[operations[i].name] == 1 or not operations[i].full_name
            else operations[i].full_name
            for i in idxs
        ]
        names = unique(wanted, reserved=RESERVED_METHOD_NAMES)
        for i, name in zip(idxs, names):
            op = operations[i]
            params = _unique_params(op)
            operations[i] = replace(op, name=name, params=params, body=_unique_body(op.body, params))

    return replace(
        api,
        schemas=tuple(schemas),
        operations=tuple(operations),
        resources=group_resources(operations),
        extra={},
    )


def group_resources(operations: list[ir.Operation]) -> tuple[ir.Resource, ...]:
    """Resources sorted by attribute name; operations in document order."""
    from . import ir

    groups: dict[str, list[ir.Operation]] = {}
    for op in operations:
        if op.generated:
            groups.setdefault(op.resource, []).append(op)
    out = []
    for name in sorted(groups):
        ops = groups[name]
        tag = next((op.tags[0] for op in ops if op.tags), name)
        out.append(ir.Resource(name, class_name(name, "Resource"), str(tag), tuple(ops)))
    return tuple(out)


def _unique_fields(fields: tuple[ir.Field, ...]) -> tuple[ir.Field, ...]:
    names = unique([f.py_name for f in fields])
    return tuple(replace(f, py_name=n) for f, n in zip(fields, names))


_LOCATION_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


def _claim(name: str, prefix: str, taken: set[str]) -> str:
    """``name`` if free, else ``<prefix>_<name>``, else that with 2, 3, ...; then taken."""
    if name in taken:
        name = f"{prefix}_{name}"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def _unique_params(op: ir.Operation) -> tuple[ir.Parameter, ...]:
    """Parameters claim names by location (path, query, header, cookie); spec order is kept."""
    taken: set[str] = set(RESERVED_PARAM_NAMES)
    names: dict[int, str] = {}
    for i in sorted(range(len(op.params)), key=lambda i: _LOCATION_ORDER[op.params[i].location]):
        p = op.params[i]
        names[i] = _claim(p.py_name, p.location, taken)
    return tuple(replace(p, py_name=names[i]) for i, p in enumerate(op.params))


def _unique_body(body: ir.RequestBody | None, params: tuple[ir.Parameter, ...]) -> ir.RequestBody | None:
    """Body fields claim names after the parameters; a loser gets the ``body_`` prefix."""
    if body is None or body.mode != "fields":
        return body
    taken: set[str] = (set(RESERVED_PARAM_NAMES) - {"body"}) | {p.py_name for p in params}
    fields = tuple(replace(f, py_name=_claim(f.py_name, "body", taken)) for f in body.fields)
    return replace(body, fields=fields)


def module_names(names: Iterable[str]) -> list[str]:
    """Module (file) names for the operations of one package of the ``functions`` layout.

    ``names`` are the operations' method names (already identifiers, unique in their
    resource).  A Windows device name gets a trailing underscore (``aux`` -> ``aux_``);
    names are then made unique case-insensitively (file systems may fold case), in order,
    with ``2``, ``3``, ..., and never ``__init__``.
    """
    taken = {"__init__"}
    out = []
    for name in names:
        base = name + "_" if name.lower() in WINDOWS_DEVICE_NAMES else name
        candidate, n = base, 2
        while candidate.casefold() in taken:
            candidate, n = f"{base}{n}", n + 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out
