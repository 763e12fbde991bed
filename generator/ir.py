"""The intermediate representation: the one contract between parsing and rendering.

Everything here is a small frozen dataclass.  The parser (``generator.parse``)
builds it from an OpenAPI 3.0 or 3.1 document; the name pass
(``generator.names.resolve_names``) makes every Python identifier unique; the
renderer (``generator.render``) hands it to the Jinja2 templates, which see
nothing else.  No OpenAPI-version detail survives into the IR: ``nullable``,
type arrays, ``const`` and friends are already normalised.

Types (``TypeRef``) describe a value:

* :class:`Primitive` — ``str``, ``int``, ``float``, ``bool``, ``none``, ``any``
  (the schema does not constrain the value), ``bytes`` (binary) and the
  formatted strings ``datetime``, ``date``, ``time``, ``uuid``.
* :class:`LiteralType` — a fixed set of values (single-valued ``enum`` or ``const``).
* :class:`ArrayType`, :class:`MapType` (``additionalProperties``).
* :class:`NamedRef` — a named definition in :attr:`Api.schemas`, by id.
* :class:`UnionType` — ``oneOf``/``anyOf``/type arrays, optionally with a
  :class:`Discriminator`; nullability is a ``Primitive("none")`` member.

Named definitions (``Definition``): :class:`ModelDef` (an object with fields),
:class:`EnumDef` and :class:`AliasDef` (a named union, array, map or primitive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

# --------------------------------------------------------------------------- types

PRIMITIVE_KINDS = frozenset(
    {"str", "int", "float", "bool", "none", "any", "bytes", "datetime", "date", "time", "uuid"}
)

JsonValue = Union[str, int, float, bool, None]


@dataclass(frozen=True)
class Primitive:
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in PRIMITIVE_KINDS:
            raise ValueError(f"unknown primitive kind {self.kind!r}")


@dataclass(frozen=True)
class LiteralType:
    values: tuple[JsonValue, ...]


@dataclass(frozen=True)
class ArrayType:
    item: "TypeRef"


@dataclass(frozen=True)
class MapType:
    value: "TypeRef"


@dataclass(frozen=True)
class NamedRef:
    """A reference to a definition of :attr:`Api.schemas` by its ``id``."""

    id: str


@dataclass(frozen=True)
class Discriminator:
    """Wire name of the tag property and the tag value -> variant mapping."""

    property: str
    mapping: tuple[tuple[str, NamedRef], ...]
    inferred: bool = False


@dataclass(frozen=True)
class UnionType:
    variants: tuple["TypeRef", ...]
    discriminator: Discriminator | None = None


TypeRef = Union[Primitive, LiteralType, ArrayType, MapType, NamedRef, UnionType]

NONE = Primitive("none")
ANY = Primitive("any")


def walk(*roots: TypeRef | None, seen: set[int] | None = None) -> Iterator[TypeRef]:
    """``roots`` and every type nested in them (array items, map values, union variants),
    depth-first from the last root, iteratively (types may nest thousands deep).

    With ``seen``, a node already visited (by identity, across calls sharing the set) is
    skipped with what is below it.
    """
    stack = [t for t in roots if t is not None]
    while stack:
        t = stack.pop()
        if seen is not None:
            if id(t) in seen:
                continue
            seen.add(id(t))
        yield t
        if isinstance(t, UnionType):
            stack.extend(t.variants)
        elif isinstance(t, ArrayType):
            stack.append(t.item)
        elif isinstance(t, MapType):
            stack.append(t.value)


def is_nullable(t: TypeRef) -> bool:
    return t == NONE or (isinstance(t, UnionType) and NONE in t.variants)


def make_nullable(t: TypeRef) -> TypeRef:
    if is_nullable(t) or t == ANY:
        return t
    if isinstance(t, UnionType):
        return UnionType(t.variants + (NONE,), t.discriminator)
    return UnionType((t, NONE))


# ---------------------------------------------------------------------- definitions

MISSING = object()  # "no default" marker for Field/Parameter.default is `has_default=False`


@dataclass(frozen=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    description: str = ""
    has_default: bool = False
    default: object = None  # a JSON value, valid for ``type`` (checked by the parser)
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass(frozen=True)
class ModelDef:
    id: str
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    # None: extra properties allowed and untyped; a TypeRef: their type.
    additional: TypeRef | None = None
    deprecated: bool = False
    pointer: str = ""


@dataclass(frozen=True)
class EnumMember:
    py_name: str
    value: str | int | float | bool


@dataclass(frozen=True)
class EnumDef:
    id: str
    name: str
    members: tuple[EnumMember, ...]
    value_kind: str  # "str" | "int" | "float" | "bool"
    nullable: bool = False  # ``null`` was among the values: references to it accept None
    description: str = ""
    deprecated: bool = False
    pointer: str = ""


@dataclass(frozen=True)
class AliasDef:
    id: str
    name: str
    type: TypeRef
    description: str = ""
    deprecated: bool = False
    pointer: str = ""


Definition = Union[ModelDef, EnumDef, AliasDef]

# ------------------------------------------------------------------------ operations


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    py_name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    type: TypeRef
    description: str = ""
    style: str = "simple"
    explode: bool = False
    deprecated: bool = False
    has_default: bool = False
    default: object = None


@dataclass(frozen=True)
class RequestBody:
    content_type: str
    required: bool
    # "fields": a JSON object flattened into keyword arguments (``fields``);
    # "body": one ``body=`` argument of type ``type``.
    mode: str
    type: TypeRef
    fields: tuple[Field, ...] = ()
    description: str = ""
    # "json" | "multipart" | "form" | "binary" | "text"
    encoding: str = "json"


@dataclass(frozen=True)
class Response:
    status: str  # "200", "2XX", "default"
    content_type: str | None
    type: TypeRef | None
    description: str = ""


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages; the runtime's ``PageInfo`` is rendered from it."""

    style: str  # "cursor" | "offset" | "page"
    items_field: str | None  # wire name of the item list in the response (None: the body is the list)
    item: TypeRef  # the type of one item
    cursor_param: str = "after"
    cursor_field: str | None = None  # response field holding the next cursor (None: id of the last item)
    has_more_field: str | None = "has_more"
    id_field: str = "id"
    limit_param: str = "limit"
    offset_param: str = "offset"
    page_param: str = "page"
    total_field: str | None = None
    total_pages_field: str | None = None


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    path: str
    operation_id: str | None
    resource: str  # python attribute of the resource on the client
    name: str  # python method name
    full_name: str = ""  # the longer name used when ``name`` collides in its resource
    summary: str = ""
    description: str = ""
    params: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    # What a successful call returns.  ``None`` when it returns nothing.
    result: TypeRef | None = None
    # "json" | "text" | "binary" | "empty" | "sse" (the operation only streams)
    result_kind: str = "empty"
    # The type of each server-sent event when the operation can answer text/event-stream
    # (alone, or beside another media type as with OpenAI's ``stream: true``).
    stream_result: TypeRef | None = None
    # The body field or query parameter (wire name) that switches the response to a stream.
    stream_flag: str | None = None
    pagination: Pagination | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    # Security alternatives (OR of AND-sets of scheme keys); () means no auth.
    security: tuple[tuple[str, ...], ...] = ()
    generated: bool = True
    reason: str | None = None
    pointer: str = ""

    @property
    def accessor(self) -> str | None:
        return f"{self.resource}.{self.name}" if self.generated else None


@dataclass(frozen=True)
class Resource:
    name: str  # attribute on the client
    class_name: str  # e.g. "FineTuning" -> FineTuningResource / AsyncFineTuningResource
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SecurityScheme:
    key: str  # the name in components/securitySchemes
    py_name: str  # keyword argument of the client
    type: str  # "http" | "apiKey" | "oauth2" | "openIdConnect"
    scheme: str  # "bearer" | "basic" | "" (http only)
    location: str  # "header" | "query" | "cookie"
    wire_name: str  # header/query/cookie name ("Authorization" for http)
    env_var: str
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    schemas: tuple[Definition, ...]
    operations: tuple[Operation, ...]
    resources: tuple[Resource, ...] = ()
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def definition(self, ref: NamedRef) -> Definition:
        return self._by_id()[ref.id]

    def _by_id(self) -> dict[str, Definition]:
        cache = self.extra.get("_by_id")
        if cache is None:
            cache = {d.id: d for d in self.schemas}
            self.extra["_by_id"] = cache
        return cache  # type: ignore[return-value]
