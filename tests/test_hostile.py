"""Hostile input (issue 8): injection, file paths, references and input size, and the
credentials of the generated clients.

1. Injection.  Two kitchen-sink specs (OpenAPI 3.1 as JSON, 3.0 as YAML) put break-out
   payloads in every spec-derived string that can reach generated code (the sinks are
   listed in :data:`SINKS`; ``test_payload_sinks_covered`` prints them).  A payload tries
   to close every kind of Python string and comment, to start a Jinja expression, and to
   run ``__import__('pathlib').Path(MARKER).touch()``; the marker file must never appear.
   The packages must parse, import and answer calls made through ``httpx.MockTransport``,
   and data must survive exactly: path, query and header names, JSON body keys, enum
   values, discriminator values, media types, defaults and the version.

   Decisions, tested here:

   * Server URLs: a server's URL (its variables' defaults filled in) becomes the default
     base URL only when it is a valid absolute http(s) URL with a host, or a path
     (``/v1``); any other server is skipped with a warning, and the first valid one is
     used (none: ``http://localhost``).  A valid URL is used exactly as written.
   * Literal path text is sent exactly as the spec writes it: ASCII controls, space and
     ``#`` are percent-encoded by the generator, everything else that needs it by httpx
     (``request.url.path`` is the spec's path).
   * HTTP carries header names and values in ASCII only: a spec header name (or a media
     type sent as ``Content-Type``/``Accept``) with other characters makes that call fail
     with ``UnicodeEncodeError`` before anything is sent (and a real transport refuses
     CR, LF and NUL).  The exact round trips of header names and media types therefore
     use the printable-ASCII payloads (quotes, triple quotes, backslashes, ``#``, braces
     and Jinja delimiters); the full payloads there are checked for code safety.

2. Paths.  Tag, operation and schema names such as ``../x``, ``/abs``, ``con``,
   ``__init__``, names differing only in case and 300-character names give files inside
   the package only, never two outputs on one file, and short file names.

3. References and input size, end to end through the command line
   (``python -m generator generate``): remote and out-of-folder ``$ref``s, cycles, deep
   nesting, alias bombs, oversized input and unsafe YAML tags.

4. Hostile regular expressions: a ``pattern`` with catastrophic backtracking against a
   long ``default`` validates and generates in bounded time, with the same located
   finding as any pattern mismatch.

5. The committed Portkey and Together clients: no credential in logs, reprs or exception
   messages; a redirect to another host drops the credential headers; TLS verification
   is on unless the user turns it off.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import json
import logging
import os
import ssl
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

from generator import ir
from generator.config import client_for_spec
from generator.core import Result, generate
from generator.escape import clean_text, pyvalue
from generator.load import load_document_bytes
from generator.names import MAX_NAME_LENGTH
from generator.parse import parse_api
from generator.write import write_package
from gen_support import import_fresh

REPO = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------- payloads

# Every kind of spec location that carries a payload (one "sink" each).
SINKS: dict[str, str] = {
    "path": "literal text of a path template",
    "path parameter name": "name of a path parameter (inside {...})",
    "query parameter name": "name of a query parameter",
    "header parameter name": "name of a header parameter",
    "cookie parameter name": "name of a cookie parameter",
    "parameter style": "style of a query parameter",
    "request media type": "media type of a request body",
    "response media type": "media type of a response",
    "server URL": "servers[].url",
    "server variable": "servers[].variables (default, enum, description)",
    "info title": "info.title",
    "info version": "info.version",
    "info fields": "info.description, summary, termsOfService, contact, license",
    "summary": "summaries of operations and path items",
    "description": "descriptions of operations, parameters, bodies, schemas, tags, servers...",
    "schema name": "names of component schemas",
    "$ref target": "$refs to those names, as escaped JSON pointers",
    "property name": "names of schema properties (wire names)",
    "schema title": "title of a schema",
    "format and pattern": "format and pattern of a schema",
    "tag name": "tag names (operation tags and the tags list)",
    "operationId": "operationId",
    "enum value": "values of an enum",
    "default": "default values",
    "const": "const (3.1) and single-valued enum (3.0) values",
    "example": "example and examples",
    "discriminator property": "discriminator.propertyName",
    "discriminator value": "keys of discriminator.mapping",
    "discriminator mapping": "targets of discriminator.mapping",
    "vendor extension": "x-* keys and values, x-oagen-prop-ptrs among them",
    "security scheme name": "keys of components.securitySchemes",
    "security parameter name": "name of an apiKey scheme (header, query, cookie)",
    "response header name": "names of response headers",
    "response description": "descriptions of responses",
    "callback and webhook": "callback expressions and webhook names",
    "spec file name": "the spec's file name (in every file's header)",
}


def breakouts(marker: str) -> dict[str, str]:
    """One attempt per way out of a Python string, comment or Jinja template."""
    code = f"__import__('pathlib').Path({marker!r}).touch()"
    return {
        "double quote": f'"; {code}; "',
        "single quote": f"'; {code}; '",
        "triple double quote": f'"""; {code}; """',
        "triple single quote": f"'''; {code}; '''",
        "backslash": f"\\\"; {code}; '\\",
        "f-string braces": "{" + code + "}",
        "newline": f"\n{code}\n",
        "carriage return": f"\r{code}\r",
        "U+2028/U+2029": f"\u2028{code}\u2029",
        "NUL": "\x00",
        "hash": f"# {code}",
        "jinja expression": "{{ " + code + " }}",
        "jinja statement": "{% if True %}{{ " + code + " }}{% endif %}",
        "jinja comment": "{# " + code + " #}",
        "bidi controls": "\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    }


ASCII_KINDS = ("double quote", "single quote", "triple double quote", "triple single quote", "backslash",
               "f-string braces", "hash", "jinja expression", "jinja statement", "jinja comment")


class Payloads:
    """Payload strings, each recorded under the sink it is put in."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker
        self.parts = breakouts(str(marker))
        self.sinks: dict[str, int] = {}

    def _use(self, sink: str) -> None:
        assert sink in SINKS, sink
        self.sinks[sink] = self.sinks.get(sink, 0) + 1

    def full(self, sink: str, label: str) -> str:
        """``label`` and every break-out."""
        self._use(sink)
        return label + "".join(self.parts.values())

    def ascii(self, sink: str, label: str) -> str:
        """``label`` and the break-outs HTTP can carry in a header (printable ASCII)."""
        self._use(sink)
        return label + "".join(self.parts[k] for k in ASCII_KINDS)

    def braceless(self, sink: str, label: str) -> str:
        """``label`` and every break-out without braces (a path parameter name)."""
        self._use(sink)
        return label + "".join(v for v in self.parts.values() if "{" not in v and "}" not in v)

    @staticmethod
    def value(label: str) -> str:
        """A hostile data value (not a sink: what a caller or a server sends)."""
        return label + "\"'\\\n\r\u2028\x00#{{ x }}{% y %}\u202e"


def ref(name: str) -> str:
    """A ``$ref`` to a component schema, escaped as a JSON pointer in a URI fragment."""
    return "#/components/schemas/" + quote(name.replace("~", "~0").replace("/", "~1"), safe="")


VALID_ODD_BASE = "https://api.example.com/v1/it's(ok)!*~;=,$&+/%22%0A%E2%80%A8"


@dataclass
class Names:
    """The hostile strings of one kitchen-sink spec that the tests look for."""

    thing: str = ""
    kind: str = ""
    cat: str = ""
    dog: str = ""
    pet: str = ""
    kind_values: tuple[str, ...] = ()
    props: dict[str, str] = field(default_factory=dict)
    const_value: str = ""
    dprop: str = ""
    cat_value: str = ""
    dog_value: str = ""
    meow: str = ""
    woof: str = ""
    path1: str = ""
    path_param: str = ""
    q1: str = ""
    q2: str = ""
    h1: str = ""
    h2: str = ""
    auth_header: str = ""
    auth_query: str = ""
    auth_cookie: str = ""
    schemes: dict[str, str] = field(default_factory=dict)  # role -> scheme key
    text_request_media: str = ""
    text_response_media: str = ""
    binary_media: str = ""
    root_segment_path: str = ""
    title: str = ""
    version: str = ""
    summary: str = ""
    description: str = ""
    p1_default: str = ""
    base_url: str = ""


def kitchen_sink(p: Payloads, openapi: str) -> tuple[dict[str, Any], Names]:
    """A spec with a payload in every sink."""
    v31 = openapi.startswith("3.1")
    n = Names()

    def ext(label: str) -> dict[str, Any]:
        return {
            "x-" + p.full("vendor extension", label): p.full("vendor extension", label + "v"),
            "x-oagen-prop-ptrs": p.full("vendor extension", label + "pp"),
            "x-" + label: {p.full("vendor extension", "k"): [p.full("vendor extension", "v"), {"$ref": 1}]},
        }

    def desc(label: str) -> str:
        return p.full("description", label)

    n.thing, n.kind = p.full("schema name", "Thing"), p.full("schema name", "Kind")
    n.cat, n.dog, n.pet = p.full("schema name", "Cat"), p.full("schema name", "Dog"), p.full("schema name", "Pet")
    sub = p.full("schema name", "Sub")
    n.kind_values = (p.full("enum value", "k1"), p.full("enum value", "k2"), p.ascii("enum value", "k3"), "plain")
    n.props = {
        "p1": p.full("property name", "p1"),
        "const": p.full("property name", "const"),
        "nested": p.full("property name", "nested"),
        "inner": p.full("property name", "inner"),
        "arr": p.full("property name", "arr"),
        "nul": p.full("property name", "nul"),
        "extra": p.full("property name", "extra"),
    }
    n.const_value = p.full("const", "constv")
    n.dprop = p.full("discriminator property", "dprop")
    n.cat_value, n.dog_value = p.full("discriminator value", "catv"), p.full("discriminator value", "dogv")
    n.meow, n.woof = p.full("property name", "meow"), p.full("property name", "woof")
    n.path_param = p.braceless("path parameter name", "tid")
    n.path1 = "/things/" + p.full("path", "seg") + "/{" + n.path_param + "}"
    n.q1, n.q2 = p.full("query parameter name", "q1"), p.full("query parameter name", "q2")
    n.h1, n.h2 = p.ascii("header parameter name", "h1"), p.full("header parameter name", "h2")
    n.auth_header = p.ascii("security parameter name", "authh")
    n.auth_query = p.full("security parameter name", "authq")
    n.auth_cookie = p.ascii("security parameter name", "authc")
    n.schemes = {
        "header": p.full("security scheme name", "sk"),
        "query": p.full("security scheme name", "sq"),
        "cookie": p.full("security scheme name", "sc"),
        "bearer": "bearer",
    }
    n.text_request_media = 'text/plain; x="' + p.ascii("request media type", "mt") + '"'
    n.text_response_media = 'text/plain; y="' + p.ascii("response media type", "mr") + '"'
    n.binary_media = p.ascii("request media type", "application/x-")
    n.root_segment_path = "/" + p.full("path", "root") + "/{id}"
    n.title, n.version = p.full("info title", "title"), p.full("info version", "version")
    n.summary, n.description = p.full("summary", "sum"), desc("desc")
    n.p1_default = p.full("default", "p1def")
    const = {"const": n.const_value} if v31 else {"type": "string", "enum": [n.const_value]}
    nullable = {"type": ["string", "null"]} if v31 else {"type": "string", "nullable": True}
    json_media = "application/json; charset=" + p.full("request media type", "utf-8")
    json_response_media = "application/json; profile=" + p.full("response media type", "p")

    if v31:
        servers = [
            {"url": p.full("server URL", "https://bad.example/"), "description": desc("server")},
            {"url": VALID_ODD_BASE, "description": desc("server2")},
        ]
        n.base_url = VALID_ODD_BASE
    else:
        servers = [
            {"url": "https://{host}.example.com", "variables": {"host": {"default": p.full("server variable", "h")}}},
            {
                "url": "https://{region}.example.com/{version}",
                "description": desc("server"),
                "variables": {
                    "region": {"default": "eu", "enum": ["eu", p.full("server variable", "r")],
                               "description": p.full("server variable", "rd")},
                    "version": {"default": "v2"},
                },
            },
        ]
        n.base_url = "https://eu.example.com/v2"

    thing = {
        "type": "object",
        "title": p.full("schema title", "ttitle"),
        "description": desc("thing"),
        "required": [n.props["const"]],
        "example": {n.props["p1"]: p.full("example", "tex")},
        **ext("thing"),
        "properties": {
            n.props["p1"]: {
                "type": "string", "title": p.full("schema title", "p1t"), "description": desc("p1"),
                "default": n.p1_default, "example": p.full("example", "p1ex"),
                "format": p.full("format and pattern", "fmt"), "pattern": p.full("format and pattern", "pat"),
                **ext("p1"),
            },
            "kind": {"$ref": ref(n.kind)},
            n.props["const"]: const,
            n.props["nested"]: {"type": "object", "properties": {n.props["inner"]: {"type": "integer"}}},
            n.props["arr"]: {"type": "array", "items": {"$ref": ref(n.kind)}},
            n.props["nul"]: nullable,
        },
    }
    schemas = {
        n.thing: thing,
        n.kind: {"type": "string", "enum": list(n.kind_values), "description": desc("kind"),
                 "default": p.full("default", "k1"), **ext("kind")},
        n.cat: {"type": "object", "required": [n.dprop],
                "properties": {n.dprop: {"type": "string"}, n.meow: {"type": "string"}}},
        n.dog: {"type": "object", "required": [n.dprop],
                "properties": {n.dprop: {"type": "string"}, n.woof: {"type": "string"}}},
        n.pet: {
            "oneOf": [{"$ref": ref(n.cat)}, {"$ref": ref(n.dog)}],
            "discriminator": {
                "propertyName": n.dprop,
                "mapping": {n.cat_value: ref(n.cat), n.dog_value: ref(n.dog)},
            },
        },
        sub: {"allOf": [{"$ref": ref(n.thing)},
                        {"type": "object", "properties": {n.props["extra"]: {"type": "string"}}, **ext("part")}],
              **ext("sub")},
    }
    p._use("$ref target")  # every ref(...) above: names with payloads, escaped
    p._use("discriminator mapping")  # the mapping's targets are such refs
    json_body = {"required": True, "description": desc("body"),
                 "content": {json_media: {"schema": {"$ref": ref(n.thing)},
                                          "examples": {p.full("example", "ex"): {"summary": n.summary,
                                                                                  "value": p.full("example", "exv")}}}}}
    op1 = {
        "operationId": "create" + p.full("operationId", "op"),
        "tags": [p.full("tag name", "tag")],
        "summary": n.summary,
        "description": n.description,
        **ext("op"),
        "parameters": [
            {"name": n.path_param, "in": "path", "required": True, "schema": {"type": "string"},
             "description": desc("pp")},
            {"name": n.q1, "in": "query", "description": desc("q1"),
             "schema": {"type": "string", "default": p.full("default", "q1d"), "example": p.full("example", "q1e")}},
            {"name": n.q2, "in": "query", "style": p.full("parameter style", "style"), "explode": False,
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": n.h1, "in": "header", "schema": {"type": "string"}},
            {"name": n.h2, "in": "header", "schema": {"type": "string"}},
            {"name": p.full("cookie parameter name", "c1"), "in": "cookie", "schema": {"type": "string"}},
        ],
        "requestBody": json_body,
        "responses": {
            "200": {
                "description": p.full("response description", "ok"),
                "headers": {p.full("response header name", "rh"): {"schema": {"type": "string"},
                                                                    "description": desc("rh")}},
                "content": {json_response_media: {"schema": {"$ref": ref(n.thing)}}},
            },
            "default": {"description": p.full("response description", "default")},
        },
        "callbacks": {p.full("callback and webhook", "cb"): {
            "{$request.body#/" + p.full("callback and webhook", "url") + "}": {
                "post": {"responses": {"200": {"description": desc("cbr")}}}}}},
    }
    paths: dict[str, Any] = {
        n.path1: {"summary": p.full("summary", "item"), "description": desc("item"), **ext("item"), "post": op1},
        "/pets": {"get": {"operationId": "list" + p.full("operationId", "pets"), "tags": [p.full("tag name", "tag2")],
                          "responses": {"200": {"description": "ok",
                                                "content": {"application/json": {"schema": {"$ref": ref(n.pet)}}}}}}},
        "/text": {"put": {
            "tags": [p.full("tag name", "tag2")],
            "requestBody": {"required": True, "content": {n.text_request_media: {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": "ok",
                                  "content": {n.text_response_media: {"schema": {"type": "string"}}}}},
        }},
        "/binary": {"patch": {
            "tags": [p.full("tag name", "tag2")],
            "requestBody": {"required": True,
                            "content": {n.binary_media: {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"204": {"description": "no content"}},
        }},
        n.root_segment_path: {"get": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": {"$ref": ref(n.kind)}}}}}},
        }},
    }
    info: dict[str, Any] = {
        "title": n.title, "version": n.version, "description": p.full("info fields", "idesc"),
        "termsOfService": p.full("info fields", "tos"),
        "contact": {"name": p.full("info fields", "contact")},
        "license": {"name": p.full("info fields", "license")},
        **ext("info"),
    }
    if v31:
        info["summary"] = p.full("info fields", "isum")
    spec: dict[str, Any] = {
        "openapi": openapi,
        "info": info,
        "servers": servers,
        "tags": [{"name": p.full("tag name", "tag"), "description": desc("tag"),
                  "externalDocs": {"url": "https://example.com/docs", "description": desc("docs")}, **ext("tag")}],
        "security": [{key: [] for key in n.schemes.values()}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                n.schemes["header"]: {"type": "apiKey", "in": "header", "name": n.auth_header, "description": desc("s1")},
                n.schemes["query"]: {"type": "apiKey", "in": "query", "name": n.auth_query},
                n.schemes["cookie"]: {"type": "apiKey", "in": "cookie", "name": n.auth_cookie},
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": desc("bf"), "description": desc("s4")},
            },
            "examples": {p.full("example", "cex"): {"value": p.full("example", "cexv")}},
        },
        **ext("root"),
    }
    if v31:
        spec["webhooks"] = {p.full("callback and webhook", "hook"): {"post": {"responses": {"200": {"description": "ok"}}}}}
    return spec, n


# ------------------------------------------------------------------ generated packages


@dataclass
class Generated:
    name: str
    out: Path
    result: Result
    names: Names
    module: ModuleType
    models: ModuleType

    @property
    def api(self) -> ir.Api:
        return self.result.api

    def op(self, method: str, path: str) -> ir.Operation:
        return next(o for o in self.api.operations if o.method == method and o.path == path)

    def param(self, op: ir.Operation, wire: str) -> str:
        return next(x.py_name for x in op.params if x.wire_name == wire)

    def field(self, op: ir.Operation, wire: str) -> str:
        assert op.body is not None
        return next(f.py_name for f in op.body.fields if f.wire_name == wire)

    def schema(self, name: str) -> ir.Definition:
        return next(d for d in self.api.schemas if d.id == "#/components/schemas/" +
                    name.replace("~", "~0").replace("/", "~1"))

    def cls(self, name: str) -> Any:
        return getattr(self.models, self.schema(name).name)

    def model_field(self, schema: str, wire: str) -> str:
        d = self.schema(schema)
        assert isinstance(d, ir.ModelDef)
        return next(f.py_name for f in d.fields if f.wire_name == wire)

    def field_cls(self, schema: str, wire: str) -> Any:
        """The model class of a property of a model schema (an inline model)."""
        d = self.schema(schema)
        assert isinstance(d, ir.ModelDef)
        t = next(f.type for f in d.fields if f.wire_name == wire)
        assert isinstance(t, ir.NamedRef)
        return getattr(self.models, next(x.name for x in self.api.schemas if x.id == t.id))

    def credentials(self) -> dict[str, str]:
        by_key = {s.key: s.py_name for s in self.api.security_schemes}
        return {by_key[key]: f"{role}-secret" for role, key in self.names.schemes.items()}

    def client(self, handler: Callable[[httpx.Request], httpx.Response], *, asynchronous: bool = False) -> Any:
        cls = getattr(self.module, self.module.__all__[1 if asynchronous else 0])
        http = (httpx.AsyncClient if asynchronous else httpx.Client)(transport=httpx.MockTransport(handler))
        return cls(http_client=http, max_retries=0, **self.credentials())

    def method(self, client: Any, op: ir.Operation) -> Any:
        return getattr(getattr(client, op.resource), op.name)


class Recorder:
    """A MockTransport handler: records each request, answers with the next response."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.responses.pop(0)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(scope="module")
def marker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("hostile-marker") / "MARKER"
    yield path
    assert not path.exists(), "a payload ran: the marker file exists"


@pytest.fixture(autouse=True)
def no_payload_ran(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "marker" in request.fixturenames:
        assert not request.getfixturevalue("marker").exists(), "a payload ran: the marker file exists"


def _generate_into(out: Path, name: str, raw: bytes, spec_file: Path, models: str = "pydantic") -> Result:
    doc = load_document_bytes(raw, str(spec_file))
    result = generate(doc, client_for_spec(spec_file, out / name, models=models))
    write_package(out / name, result.files)
    return result


def _import_fresh(out: Path, name: str) -> ModuleType:
    return import_fresh(out, name)


# package name -> (OpenAPI version, file format, model style)
HOSTILE_SPECS = {
    "hostile_json31": ("3.1.0", "json", "pydantic"),
    "hostile_yaml30": ("3.0.3", "yaml", "pydantic"),
    "hostile_json31_dataclasses": ("3.1.0", "json", "dataclasses"),
    "hostile_yaml30_dataclasses": ("3.0.3", "yaml", "dataclasses"),
}


@pytest.fixture(scope="module")
def payloads(marker: Path) -> Payloads:
    return Payloads(marker)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, payloads: Payloads, marker: Path) -> Iterator[dict[str, Generated]]:
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    packages: dict[str, Generated] = {}
    for name, (version, fmt, models) in HOSTILE_SPECS.items():
        spec, names = kitchen_sink(payloads, version)
        if fmt == "json":
            raw = json.dumps(spec).encode("utf-8")
        else:
            raw = yaml.safe_dump(spec, allow_unicode=False, sort_keys=False, width=10**6).encode("utf-8")
        spec_file = root / f"{name}.{fmt}"
        spec_file.write_bytes(raw)
        result = _generate_into(out, name, raw, spec_file, models)
        assert not marker.exists()
        module = _import_fresh(out, name)
        packages[name] = Generated(name, out, result, names, module, importlib.import_module(f"{name}.models"))
    assert not marker.exists()
    yield packages
    sys.path[:] = [p for p in sys.path if p != str(out)]


@pytest.fixture(params=sorted(HOSTILE_SPECS))
def pkg(request: pytest.FixtureRequest, hostile: dict[str, Generated]) -> Generated:
    return hostile[request.param]


def _printable(text: str) -> bool:
    return all(c == "\n" or c.isprintable() for c in text)


# ----------------------------------------------------------------------- 1. injection


def test_payload_sinks_covered(hostile: dict[str, Generated], payloads: Payloads,
                               capsys: pytest.CaptureFixture[str]) -> None:
    payloads._use("spec file name")  # test_cli_hostile_spec_file_name
    missing = sorted(set(SINKS) - set(payloads.sinks))
    assert not missing, f"sinks without a payload: {missing}"
    with capsys.disabled():
        print(f"\npayload sinks covered: {len(payloads.sinks)} in {len(HOSTILE_SPECS)} hostile specs "
              f"(+1 through the command line): " + ", ".join(SINKS))


def test_generated_code_parses_imports_and_stays_printable(pkg: Generated, marker: Path) -> None:
    runtime = {f"_{n}.py" for n in ("base_client", "exceptions", "models", "pagination", "params", "response",
                                    "streaming", "types", "utils")}
    for rel, text in pkg.result.files.items():
        if rel.endswith(".py"):
            compile(ast.parse(text, rel), rel, "exec")
        if rel not in runtime and rel != "py.typed":
            bad = sorted({f"U+{ord(c):04X}" for c in text if c != "\n" and not c.isprintable()})
            assert not bad, f"{rel} holds unprintable characters: {bad}"
    for res in pkg.api.resources:
        importlib.import_module(f"{pkg.name}.resources.{res.name}")
    assert pkg.module.__version__ == pkg.names.version
    assert not marker.exists()


def test_calls_carry_exact_names_and_values(pkg: Generated) -> None:
    n = pkg.names
    op = pkg.op("post", n.path1)
    Kind = pkg.cls(n.kind)
    Thing = pkg.cls(n.thing)
    nested_cls = pkg.field_cls(n.thing, n.props["nested"])
    path_value, q1_value = Payloads.value("pv"), Payloads.value("q1v")
    header_value = "hv\"'\\#{{ x }}"
    canned = {
        n.props["p1"]: Payloads.value("p1r"),
        "kind": n.kind_values[1],
        n.props["const"]: n.const_value,
        n.props["nested"]: {n.props["inner"]: 8},
        n.props["arr"]: [n.kind_values[2], Payloads.value("an enum value the client does not know")],
        n.props["nul"]: None,
        Payloads.value("an unknown property"): Payloads.value("kept"),
    }
    rec = Recorder(httpx.Response(200, json=canned))
    client = pkg.client(rec)
    kwargs = {
        pkg.param(op, n.q1): q1_value,
        pkg.param(op, n.q2): ["a", Payloads.value("q2v")],
        pkg.param(op, n.h1): header_value,
        pkg.field(op, n.props["p1"]): Payloads.value("p1v"),
        pkg.field(op, "kind"): Kind(n.kind_values[0]),
        pkg.field(op, n.props["nested"]): nested_cls.model_validate({n.props["inner"]: 7}),
        pkg.field(op, n.props["arr"]): [Kind(n.kind_values[1]), Kind(n.kind_values[2])],
        pkg.field(op, n.props["nul"]): None,
    }
    result = pkg.method(client, op)(path_value, **kwargs)

    request = rec.last
    base_path = httpx.URL(n.base_url).path
    assert request.url.host == httpx.URL(n.base_url).host
    assert request.url.path == base_path + n.path1.replace("{" + n.path_param + "}", path_value)
    params = request.url.params
    assert params[n.q1] == q1_value
    assert params[n.q2] == "a," + Payloads.value("q2v")
    raw_headers = request.headers.raw
    assert (n.h1.encode(), header_value.encode()) in raw_headers
    assert (n.auth_header.encode(), b"header-secret") in raw_headers
    assert request.headers["authorization"] == "Bearer bearer-secret"
    assert f"{n.auth_cookie}=cookie-secret" in request.headers["cookie"]
    assert json.loads(request.content) == {
        n.props["p1"]: Payloads.value("p1v"),
        "kind": n.kind_values[0],
        n.props["const"]: n.const_value,
        n.props["nested"]: {n.props["inner"]: 7},
        n.props["arr"]: [n.kind_values[1], n.kind_values[2]],
        n.props["nul"]: None,
    }
    assert isinstance(result, Thing)
    assert result.to_dict() == canned
    assert getattr(result, pkg.model_field(n.thing, "kind")) is Kind(n.kind_values[1])

    async def call_async() -> Any:
        arec = Recorder(httpx.Response(200, json=canned))
        async with pkg.client(arec, asynchronous=True) as aclient:
            out = await pkg.method(aclient, op)(path_value, **kwargs)
        return arec.last, out

    arequest, aresult = asyncio.run(call_async())
    assert arequest.url.path == request.url.path and arequest.url.params == request.url.params
    assert json.loads(arequest.content) == json.loads(request.content)
    assert aresult.to_dict() == canned


def test_query_credential_is_sent_with_its_exact_name(pkg: Generated) -> None:
    rec = Recorder(httpx.Response(200, json={}))
    pkg.method(pkg.client(rec), pkg.op("get", "/pets"))()
    assert rec.last.url.params[pkg.names.auth_query] == "query-secret"


def test_header_name_http_cannot_carry_fails_before_sending(pkg: Generated, marker: Path) -> None:
    op = pkg.op("post", pkg.names.path1)
    rec = Recorder(httpx.Response(200, json={}))
    kwargs = {pkg.param(op, pkg.names.h2): "v", pkg.field(op, pkg.names.props["p1"]): "x"}
    with pytest.raises(UnicodeEncodeError):
        pkg.method(pkg.client(rec), op)("id", **kwargs)
    assert rec.requests == [] and not marker.exists()


def test_discriminator_values_round_trip(pkg: Generated) -> None:
    n = pkg.names
    op = pkg.op("get", "/pets")
    dog = {n.dprop: n.dog_value, n.woof: Payloads.value("woof")}
    cat = {n.dprop: n.cat_value, n.meow: Payloads.value("meow")}
    rec = Recorder(httpx.Response(200, json=dog), httpx.Response(200, json=cat))
    client = pkg.client(rec)
    union = pkg.schema(n.pet)
    assert isinstance(union, ir.AliasDef) and isinstance(union.type, ir.UnionType)
    assert union.type.discriminator is not None
    assert {value for value, _ in union.type.discriminator.mapping} == {n.cat_value, n.dog_value}
    first, second = pkg.method(client, op)(), pkg.method(client, op)()
    assert isinstance(first, pkg.cls(n.dog)) and first.to_dict() == dog
    assert isinstance(second, pkg.cls(n.cat)) and second.to_dict() == cat


def test_media_types_and_text_bodies_are_exact(pkg: Generated) -> None:
    n = pkg.names
    text_op, binary_op = pkg.op("put", "/text"), pkg.op("patch", "/binary")
    answer = Payloads.value("an answer")
    rec = Recorder(httpx.Response(200, content=answer.encode(), headers={"content-type": "text/plain"}),
                   httpx.Response(204))
    client = pkg.client(rec)
    sent = Payloads.value("a text body")
    assert pkg.method(client, text_op)(body=sent) == answer
    request = rec.last
    assert request.headers["content-type"] == n.text_request_media
    assert request.headers["accept"] == n.text_response_media
    assert request.content == sent.encode()
    assert pkg.method(client, binary_op)(body=b"\x00\xff") is None
    assert rec.last.headers["content-type"] == n.binary_media and rec.last.content == b"\x00\xff"


def test_hostile_path_segment_and_map_of_enums(pkg: Generated) -> None:
    n = pkg.names
    op = pkg.op("get", n.root_segment_path)
    key = Payloads.value("a key")
    rec = Recorder(httpx.Response(200, json={key: n.kind_values[0]}))
    result = pkg.method(pkg.client(rec), op)(Payloads.value("id"))
    assert rec.last.url.path == httpx.URL(n.base_url).path + n.root_segment_path.replace(
        "{id}", Payloads.value("id"))
    assert result == {key: pkg.cls(n.kind)(n.kind_values[0])}


def test_values_survive_in_code_and_documentation(pkg: Generated) -> None:
    n = pkg.names
    Kind, Thing = pkg.cls(n.kind), pkg.cls(n.thing)
    assert [m.value for m in Kind] == list(n.kind_values)
    const_attr, p1_attr = pkg.model_field(n.thing, n.props["const"]), pkg.model_field(n.thing, n.props["p1"])
    if hasattr(Thing, "model_fields"):  # pydantic
        assert Thing.model_fields[const_attr].default == n.const_value
        assert Thing.model_fields[p1_attr].alias == n.props["p1"]
    else:  # dataclasses
        import dataclasses

        assert {f.name: f.default for f in dataclasses.fields(Thing)}[const_attr] == n.const_value
        assert Thing.__oagen_wire__[p1_attr] == n.props["p1"]
    # the default is documented as a Python literal equal to the spec's default
    cls_node = next(node for path, text in pkg.result.files.items() if (path.startswith("models/") or path == "models.py")
                    for node in ast.parse(text).body if isinstance(node, ast.ClassDef) and node.name == Thing.__name__)
    p1 = pkg.model_field(n.thing, n.props["p1"])
    body = cls_node.body
    index = next(i for i, s in enumerate(body) if isinstance(s, ast.AnnAssign) and getattr(s.target, "id", "") == p1)
    doc = body[index + 1]
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
    literal = pyvalue(n.p1_default)
    assert f"Default: {literal}" in doc.value.value
    assert ast.literal_eval(literal) == n.p1_default
    # summaries, descriptions and the title are documentation, line breaks normalised
    client = pkg.client(Recorder())
    method_doc = pkg.method(client, pkg.op("post", n.path1)).__doc__
    for text, where in ((n.title, type(client).__doc__), (n.summary, method_doc), (n.description, method_doc)):
        for line in clean_text(text).split("\n"):
            assert line.strip() in where


def test_server_url_used_only_when_valid(pkg: Generated) -> None:
    client = pkg.client(Recorder())
    assert client.base_url == httpx.URL(pkg.names.base_url)
    skipped = [d for d in pkg.result.diagnostics if d.message.startswith("server URL")]
    assert len(skipped) == 1 and skipped[0].location.pointer == "#/servers/0/url"


@pytest.mark.parametrize(
    ("servers", "expected"),
    [
        ([{"url": "https://api.example.com/v1"}], "https://api.example.com/v1"),
        ([{"url": "/relative/v1"}], "/relative/v1"),
        ([{"url": "api.example.com"}], None),
        ([{"url": "ftp://files.example.com"}], None),
        ([{"url": "https://a.example.com/\n__import__('os')"}], None),
        ([{"url": "https://a.example.com/\u202ex"}], None),
        ([{"url": "https://a.example.com:99999/"}], None),
        ([{"url": 'https://a.example.com/"'}, {"url": "http://b.example.com"}], "http://b.example.com"),
        ([{"url": "https://{x}.example.com", "variables": {"x": {"default": "eu"}}}], "https://eu.example.com"),
        ([{"url": "https://{x}.example.com"}], None),
        ("not a list", None),
    ],
)
def test_server_url_rule(servers: Any, expected: str | None) -> None:
    api, diags = parse_api({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                            "servers": servers})
    assert [s.url for s in api.servers][:1] == ([expected] if expected else [])


def test_cli_hostile_spec_file_name(tmp_path: Path, payloads: Payloads, marker: Path) -> None:
    """The spec's file name is in every file's header; diagnostics stay one line each."""
    name = "spec\"'\n{{ x }}#\u202e" + str(marker).replace("/", "_") + ".yaml"
    spec = tmp_path / name
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
        "  \"/a\\n__import__('os')\":\n    get:\n      responses: {'200': {description: ok}}\n"
        "servers: [{url: \"https://x\\n.example\"}]\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(out / "named"), "-q", "-v"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    findings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert findings and all(": warning: " in line for line in findings), proc.stderr
    assert all(_printable(line) for line in findings)
    header = (out / "named" / "_client.py").read_text().splitlines()[0]
    assert header.startswith("# Generated by oagen") and "Do not edit by hand." in header
    assert _import_fresh(out, "named").Named().base_url == httpx.URL("http://localhost")
    assert not marker.exists()


# ---------------------------------------------------------------------------- 2. paths

HOSTILE_NAMES = [
    "../x", "../../etc/passwd", "/abs", "/etc/cron.d/x", "\\..\\win", "C:\\x", "con", "CON", "nul", "aux.txt",
    "com1", "lpt9", "__init__", "__pycache__", "_client", "models", "resources", ".", "..", "", " ",
    "Foo", "foo", "FOO", "fOO", "foo_", "FooBar", "foo-bar", "foo bar", "a" * 300, "A" * 300, "a" * 299 + "b",
    "t\u00e9st", "\u00fc" * 40, "x/" * 100, "\x00", "\u202e",
]


def test_hostile_names_stay_inside_the_package(tmp_path: Path, marker: Path) -> None:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for i, name in enumerate(HOSTILE_NAMES):
        paths[f"/p{i}"] = {"get": {"operationId": name, "tags": [name], "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"$ref": ref(name or "empty")}}}}}}}
        paths[f"/{name}/q{i}" if name and "{" not in name else f"/q{i}"] = {"post": {"responses": {"204": {
            "description": "none"}}}}
        schemas[name or "empty"] = {"type": "object", "properties": {name or "p": {"type": "string"}}}
    spec = {"openapi": "3.1.0", "info": {"title": "paths", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}
    root = tmp_path / "root"
    out = root / "out"
    spec_file = root / "paths.json"
    root.mkdir()
    spec_file.write_text(json.dumps(spec))
    before = {p for p in tmp_path.rglob("*")}
    result = _generate_into(out, "hostile_paths", spec_file.read_bytes(), spec_file)
    package = (out / "hostile_paths").resolve()

    files = result.files
    assert len({rel.casefold() for rel in files}) == len(files), "two outputs on one file"
    for rel in files:
        assert not rel.startswith("/") and ".." not in rel.split("/") and "\\" not in rel and ":" not in rel
        assert (package / rel).resolve().is_relative_to(package), rel
        assert all(len(part) <= 100 for part in rel.split("/")), rel
    modules = sorted(rel for rel in files if rel.startswith("resources/") and rel != "resources/__init__.py")
    assert len(modules) == len(result.api.resources), "two resources share a module"
    assert all(len(r.name) <= MAX_NAME_LENGTH for r in result.api.resources)
    assert {r.name for r in result.api.resources} & {"con", "nul", "aux", "com1", "lpt9"} == set()
    classes = [d.name for d in result.api.schemas]
    assert len({c.lower() for c in classes}) == len(classes)

    after = {p for p in tmp_path.rglob("*")} - before
    assert {p for p in after if not p.resolve().is_relative_to(package)} <= {out, package}
    on_disk = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert on_disk == set(files)

    module = _import_fresh(out, "hostile_paths")
    client = module.HostilePaths(http_client=httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(204))), max_retries=0)
    for op in result.api.operations:
        assert callable(getattr(getattr(client, op.resource), op.name))
    assert not marker.exists()


# --------------------------------------------------- 3. references and input size (CLI)


def oagen(*args: str, cwd: Path, timeout: float = 300) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run oagen; a run that does not end within ``timeout`` fails the test (TimeoutExpired):
    the bound that proves termination, generous enough for a loaded 2-core machine."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO)})
    return proc, time.monotonic() - start


def assert_located_exit_2(proc: subprocess.CompletedProcess[str], prefix: str, *needles: str) -> None:
    """Exit code 2, and every line of stderr a finding ``file:line: error: ...`` starting with ``prefix``."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, proc.stderr
    for line in lines:
        assert line.startswith(prefix), line
        assert ": error: " in line, line
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


SPEC_HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


def _ref_spec(target: str) -> str:
    return (SPEC_HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
            "          content:\n            application/json:\n              schema:\n"
            f"                $ref: '{target}'\n")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/schema.yaml#/A", "https://example.invalid/s.json#/A",
                                 "HTTPS://example.invalid/s.json"])
def test_remote_refs_refused_unless_allowed(tmp_path: Path, url: str) -> None:
    (tmp_path / "spec.yaml").write_text(_ref_spec(url))
    proc, _ = oagen("generate", "spec.yaml", "--output", "out/pkg", cwd=tmp_path)
    assert_located_exit_2(proc, "spec.yaml:12:", "remote $ref", "refused")
    # allowed: still exit 2 with a located message (remote refs are not fetched yet), never a fetch
    proc, _ = oagen("generate", "spec.yaml", "--output", "out/pkg", "--allow-remote-refs", cwd=tmp_path)
    assert_located_exit_2(proc, "spec.yaml:12:", "not supported")
    assert not (tmp_path / "out").exists()


def test_file_refs_outside_the_folder_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("A: {type: string}\n")
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(outside)
    (folder / "inside.yaml").write_text("A: {$ref: '../outside.yaml#/A'}\n")
    for target in ("../outside.yaml#/A", str(outside) + "#/A", "link.yaml#/A", "inside.yaml#/A",
                   "file://" + str(outside) + "#/A"):
        (folder / "spec.yaml").write_text(_ref_spec(target))
        proc, _ = oagen("generate", "specs/spec.yaml", "--output", "out/pkg", cwd=tmp_path)
        assert_located_exit_2(proc, "specs/")
        assert "outside the spec's folder" in proc.stderr or "unsupported $ref" in proc.stderr, proc.stderr
        assert not (tmp_path / "out").exists()


def _chain(prefix: str, n: int, body: str, last: str = "{type: string}") -> list[str]:
    """Component schemas ``<prefix>0`` .. ``<prefix>n``; ``body`` may name ``{i}``, ``{next}`` and ``{ref}``
    (a $ref to the next one; ``{ring}``: to the next one around a ring of ``n``)."""
    lines = []
    for i in range(n):
        ref_next = f"{{$ref: '#/components/schemas/{prefix}{i + 1}'}}"
        ring = f"{{$ref: '#/components/schemas/{prefix}{(i + 1) % n}'}}"
        lines.append(f"    {prefix}{i}: " + body.replace("{ref}", ref_next).replace("{ring}", ring))
    lines.append(f"    {prefix}{n}: {last}")
    return lines


def _nested(depth: int, open_: str, close: str, leaf: str = "{type: string}") -> str:
    return open_ * depth + leaf + close * depth


# Every case is a group of component schemas in one spec (one run of the command line):
# each must terminate, and the package must import.
TERMINATING = {
    "alias cycle": _chain("AliasCycle", 2, "{type: array, items: {ring}}"),
    "self alias": ["    SelfAlias: {oneOf: [{type: string}, {type: array, items: {$ref: '#/components/schemas/"
                   "SelfAlias'}}, {type: object, additionalProperties: {$ref: '#/components/schemas/SelfAlias'}}]}",
                   "    SelfRef: {$ref: '#/components/schemas/SelfRef'}"],
    "ref loop": _chain("RefLoop", 3, "{ring}"),
    "model cycle": _chain("ModelCycle", 40, "{type: object, properties: {next: {ring}}}"),
    "long model chain": _chain("ModelChain", 150, "{type: object, properties: {next: {ref}}}"),
    "long alias chain": _chain("AliasChain", 150, "{type: array, items: {ref}}"),
    "long allOf chain": _chain("AllOfChain", 80, "{allOf: [{ref}], description: d}"),
    "deep items": ["    DeepItems: " + _nested(3000, "{type: array, items: ", "}")],
    "deep properties": ["    DeepProperties: " + _nested(1000, "{type: object, properties: {p: ", "}}")],
    "deep oneOf": ["    DeepOneOf: " + _nested(500, "{oneOf: [{type: integer}, ", "]}")],
    "deep allOf": ["    DeepAllOf: " + _nested(500, "{allOf: [{properties: {a: {type: string}}}, ", "]}")],
}


def test_cycles_and_deep_nesting_terminate(tmp_path: Path) -> None:
    first = {case: lines[0].split(":")[0].strip() for case, lines in TERMINATING.items()}
    paths = "".join(
        f"  /{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        f"          content:\n            application/json:\n              schema: "
        f"{{$ref: '#/components/schemas/{name}'}}\n"
        for i, name in enumerate(first.values())
    )
    components = "\n".join(line for lines in TERMINATING.values() for line in lines)
    (tmp_path / "spec.yaml").write_text(SPEC_HEAD + "paths:\n" + paths + "components:\n  schemas:\n" + components + "\n")
    proc, elapsed = oagen("generate", "spec.yaml", "--output", "out/pkg", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr  # terminated: oagen() bounds every run with a timeout
    check = subprocess.run([sys.executable, "-c", "import pkg, pkg.models, pkg.resources"], cwd=tmp_path / "out",
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]


def test_too_deep_nesting_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC_HEAD + "paths: {}\nx-deep: " + "[" * 12000 + "]" * 12000 + "\n")
    proc, elapsed = oagen("generate", "spec.yaml", "--output", "out/pkg", cwd=tmp_path)
    assert_located_exit_2(proc, "spec.yaml:4:", "nesting deeper than")
    assert not (tmp_path / "out").exists()


def test_file_ref_cycle_terminates(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("A: {type: object, properties: {b: {$ref: 'b.yaml#/B'}}}\n")
    (tmp_path / "b.yaml").write_text("B: {type: object, properties: {a: {$ref: 'a.yaml#/A'}}}\n")
    (tmp_path / "spec.yaml").write_text(_ref_spec("a.yaml#/A"))
    proc, elapsed = oagen("generate", "spec.yaml", "--output", "out/pkg", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def measured(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Exit code, stderr, seconds and peak RSS (MB) of ``oagen ARGS`` in a fresh wrapper process
    (``RUSAGE_CHILDREN`` of the wrapper sees that one child only)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run([sys.executable, '-m', 'generator', *sys.argv[1:]], capture_output=True, text=True,"
        " timeout=120)\n"
        "sys.stdout.write(repr((p.returncode, p.stderr, time.monotonic() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    code, stderr, seconds, rss = ast.literal_eval(proc.stdout)
    return code, stderr, seconds, rss


BILLION_LAUGHS = (
    SPEC_HEAD + "paths: {}\nx-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
)


def test_alias_bomb_stops_with_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BILLION_LAUGHS)
    code, stderr, seconds, rss = measured(["generate", "bomb.yaml", "--output", "out/pkg"], tmp_path)
    assert code == 2 and "alias bomb" in stderr and stderr.startswith("bomb.yaml:"), stderr
    assert seconds < 30 and rss < 500, (seconds, rss)
    assert not (tmp_path / "out").exists()


def test_oversized_input_stops_with_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.write(SPEC_HEAD.encode())
        fh.truncate(65 * 2**20)  # sparse: larger than the 64 MiB limit, cheap to make
    code, stderr, seconds, rss = measured(["generate", "big.yaml", "--output", "out/pkg"], tmp_path)
    assert code == 2 and "oversized input" in stderr and stderr.startswith("big.yaml"), stderr
    assert seconds < 30 and rss < 500, (seconds, rss)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch {m}\"]",
    "!!python/object/apply:subprocess.check_call [[touch, \"{m}\"]]",
    "!!python/object/new:subprocess.Popen [[touch, \"{m}\"]]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {m}\"]",
])
def test_only_safe_yaml_loading(tmp_path: Path, tag: str, marker: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC_HEAD + "paths: {}\nx-payload: " + tag.format(m=marker) + "\n")
    proc, _ = oagen("generate", "spec.yaml", "--output", "out/pkg", cwd=tmp_path)
    assert_located_exit_2(proc, "spec.yaml:4:", "unsupported YAML tag")
    assert not marker.exists() and not (tmp_path / "out").exists()


# ------------------------------------------------- 4. hostile regular expressions (ReDoS)
#
# openapi-spec-validator checks every ``default`` against its schema; a ``pattern`` (or a
# ``patternProperties`` key) with catastrophic backtracking and a long, almost matching
# default used to keep Python's ``re`` busy for hours.  oagen runs those searches in
# bounded time (generator/bounded_re.py): the findings are the same as before, located.

EVIL = "^(a+)+$"
EVIL_VALUE = "a" * 36 + "!"


def _redos_spec(version: str) -> str:
    return (
        f"openapi: {version}\ninfo: {{title: t, version: '1'}}\n"
        "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n"
        "        - name: q\n          in: query\n          schema:\n            type: string\n"
        f"            pattern: '{EVIL}'\n            default: '{EVIL_VALUE}'\n"
        "      responses:\n        '200':\n          description: ok\n"
        "components:\n  schemas:\n    Keys:\n      type: object\n      patternProperties:\n"
        f"        '{EVIL}': {{type: integer}}\n      additionalProperties: false\n"
        f"      default: {{'{EVIL_VALUE}': 1}}\n"
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_hostile_pattern_validates_and_generates(tmp_path: Path, version: str) -> None:
    (tmp_path / "spec.yaml").write_text(_redos_spec(version))
    proc, _ = oagen("validate", "spec.yaml", cwd=tmp_path, timeout=55)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    # located: file:line, the message the validator always gave, the pointer of the default
    assert (f"spec.yaml:13: warning: '{EVIL_VALUE}' does not match '{EVIL}' "
            "(at #/paths/~1a/get/parameters/0/schema/default)") in proc.stdout, proc.stdout
    # additionalProperties: false meets the same pattern through patternProperties
    assert f"spec.yaml:24: warning: " in proc.stdout and "(at #/components/schemas/Keys/default)" in proc.stdout
    proc, _ = oagen("generate", "spec.yaml", "--output", "out/pkg", "--no-cache", cwd=tmp_path, timeout=55)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "out" / "pkg" / "__init__.py").is_file()


def _pattern_findings(tmp_path: Path, pattern: str, default: str) -> list[Any]:
    from generator.load import load_document
    from generator.validate import validate_document

    text = (SPEC_HEAD + "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: string\n"
            f"      pattern: '{pattern}'\n      default: '{default}'\n")
    (tmp_path / "spec.yaml").write_text(text)
    return validate_document(load_document(tmp_path / "spec.yaml"))


def test_pattern_default_mismatch_reported_as_before(tmp_path: Path) -> None:
    (finding,) = _pattern_findings(tmp_path, "^[a-z]+$", "ABC")
    assert finding.format() == (f"{tmp_path / 'spec.yaml'}:9: warning: 'ABC' does not match '^[a-z]+$' "
                                "(at #/components/schemas/S/default)")
    assert _pattern_findings(tmp_path, "^[a-z]+$", "abc") == []
    # Python's semantics, not RE2's: \d is any decimal digit, $ may precede a final newline
    assert _pattern_findings(tmp_path, "^\\d+$", "\u0663\u0664") == []
    assert _pattern_findings(tmp_path, "^(a)\\1$", "aa") == []  # backreference: the bounded fallback
    (finding,) = _pattern_findings(tmp_path, "^(a)\\1$", "ab")
    assert finding.message == "'ab' does not match '^(a)\\\\1$'"


@pytest.mark.timeout(60)
def test_undecidable_pattern_is_a_located_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import bounded_re

    lookaround = "^(?=a)(a|aa)+$"
    # with the normal bounds: finishes, one finding at the default (decided or not)
    (finding,) = _pattern_findings(tmp_path, lookaround, "a" * 60 + "!")
    assert finding.location.pointer == "#/components/schemas/S/default" and finding.location.line == 9
    # with no time for the backtracking fallback: never decided, said so, never a silent pass
    monkeypatch.setattr(bounded_re, "TOTAL_BUDGET", 0.0)
    (finding,) = _pattern_findings(tmp_path, lookaround, "aaa!")
    assert finding.location.pointer == "#/components/schemas/S/default" and finding.location.line == 9
    assert finding.message.startswith(f"'aaa!' was not checked against pattern '{lookaround}'"), finding.message
    # the linear engine needs no time budget
    (finding,) = _pattern_findings(tmp_path, EVIL, EVIL_VALUE)
    assert finding.message == f"'{EVIL_VALUE}' does not match '{EVIL}'"


# ------------------------------------------------------------- 5. the generated clients

SECRET = "sk-very-secret-4f2a"
SECRET2 = "vk-also-secret-9b1c"


def _seed(name: str) -> ModuleType:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return importlib.import_module(f"generated.{name}")


SEEDS = {
    # name: (client class, credentials, credential header names, call)
    "together": ("Together", {"api_key": SECRET}, ("authorization",),
                 lambda client: client.fine_tuning.cancel(id="ft-1")),
    "portkey": ("Portkey", {"api_key": SECRET, "virtual_key": SECRET2},
                ("x-portkey-api-key", "x-portkey-virtual-key"),
                lambda client: client.fine_tuning.cancel("ftjob-1")),
}


def _seed_client(name: str, handler: Callable[[httpx.Request], httpx.Response], *, follow: bool = True,
                 **kwargs: Any) -> Any:
    cls_name, creds, _, _ = SEEDS[name]
    cls = getattr(_seed(name), cls_name)
    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=follow)
    return cls(**creds, http_client=http, **kwargs)


def _leaks(text: str) -> bool:
    return SECRET in text or SECRET2 in text


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_credentials_not_in_logs_reprs_or_errors(name: str, caplog: pytest.LogCaptureFixture,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, header_names, call = SEEDS[name]
    monkeypatch.setenv(f"{name.upper()}_LOG", "debug")  # the client's own stderr handler, too
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger(name)
    saved = (logger.level, list(logger.handlers))
    try:
        _check_no_leaks(name, header_names, call, caplog)
    finally:
        logger.setLevel(saved[0])
        logger.handlers = saved[1]


def _check_no_leaks(name: str, header_names: tuple[str, ...], call: Callable[[Any], Any],
                    caplog: pytest.LogCaptureFixture) -> None:
    answers = iter([
        httpx.Response(500, json={"error": "busy"}),
        httpx.Response(307, headers={"location": "https://elsewhere.example.net/x"}),
        httpx.Response(200, json={"id": "ft-1"}),
        httpx.Response(401, json={"error": {"message": "bad key"}}),
        httpx.Response(429, headers={"retry-after": "0"}),
        httpx.Response(429, headers={"retry-after": "0"}),
    ])
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        try:
            return next(answers)
        except StopIteration:
            raise httpx.ConnectError("connection refused", request=request) from None

    client = _seed_client(name, handler, max_retries=1)
    client._sleep = lambda seconds: None
    assert call(client).to_dict()["id"] == "ft-1"
    assert any(request.headers.get(header_names[0]) for request in seen)  # the key was sent
    errors: list[BaseException] = []
    for _ in range(3):  # 401; 429 twice (retried); connection refused twice (retried)
        with pytest.raises(Exception) as info:
            call(client)
        errors.append(info.value)
    assert [type(e).__name__ for e in errors] == ["AuthenticationError", "RateLimitError", "APIConnectionError"]
    texts = [repr(client), str(client), repr(client.with_options(max_retries=0)), repr(client.fine_tuning),
             repr(client.with_raw_response), caplog.text]
    for error in errors:
        texts += [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
        if getattr(error, "request", None) is not None:
            texts.append(repr(error.request))
    assert caplog.records, "no log records: the test would prove nothing"
    for text in texts:
        assert not _leaks(text), text[:500]


PLAIN_NAMES_SPEC = """
openapi: 3.1.0
info: {title: plain, version: '1'}
servers: [{url: 'https://api.example.com/v1'}]
security: [{q: [], h: []}]
paths:
  /items:
    get:
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    q: {type: apiKey, in: query, name: q}
    h: {type: apiKey, in: header, name: X-Tenant}
"""


def test_credentials_with_plain_names_are_not_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Credentials whose names do not look like credentials (``q``, ``X-Tenant``): the spec
    says what they are, so the client redacts them in its logs all the same."""
    spec = tmp_path / "plain.yaml"
    spec.write_text(PLAIN_NAMES_SPEC)
    _generate_into(tmp_path / "out", "plain_names", spec.read_bytes(), spec)
    module = _import_fresh(tmp_path / "out", "plain_names")
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger("plainnames")
    saved = (logger.level, list(logger.handlers))
    rec = Recorder(httpx.Response(307, headers={"location": "/v1/moved"}), httpx.Response(200))
    try:
        client = module.PlainNames(q=SECRET, tenant=SECRET2, max_retries=0, http_client=httpx.Client(
            transport=httpx.MockTransport(rec), follow_redirects=True))
        client.items.list()
    finally:
        logger.setLevel(saved[0])
        logger.handlers = saved[1]
    assert rec.requests[0].url.params["q"] == SECRET and rec.requests[0].headers["x-tenant"] == SECRET2
    # (httpx's own "HTTP Request: GET <url>" INFO record shows a query credential: it is not
    # the client's log, and a credential in the URL is visible to every proxy and server log)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name == "plainnames")
    assert "Request: GET" in ours and "Redirect 307" in ours
    assert not _leaks(ours), ours


@pytest.mark.parametrize("name", sorted(SEEDS))
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_host_drops_credentials(name: str, status: int) -> None:
    _, _, header_names, call = SEEDS[name]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host.startswith("api."):
            return httpx.Response(status, headers={"location": "https://evil.example.net/steal"})
        return httpx.Response(200, json={"id": "ft-1"})

    requests: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return handler(request)

    call(_seed_client(name, recording))
    first, second = requests
    assert second.url.host == "evil.example.net"
    for header in header_names:
        assert first.headers.get(header), header
        assert header not in second.headers, header
    assert not any(_leaks(value) for _, value in second.headers.items())


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_redirects_of_the_default_http_client(name: str) -> None:
    cls_name, creds, header_names, call = SEEDS[name]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.endswith("/cancel") and request.url.host.startswith("api."):
            target = "/v1/moved" if len(requests) == 1 else "http://" + request.url.host + "/v1/downgraded"
            return httpx.Response(307, headers={"location": target})
        return httpx.Response(200, json={"id": "ft-1"})

    client = getattr(_seed(name), cls_name)(**creds)
    try:
        assert client._client.follow_redirects is True
        client._client._transport = httpx.MockTransport(handler)  # the default client, offline
        client._client._mounts = {}  # (proxy settings from the environment would route elsewhere)
        call(client)  # same origin: the credentials follow
        assert all(requests[1].headers.get(h) for h in header_names)
        call(client)  # https -> http on the same host: another origin, dropped
        assert requests[-1].url.scheme == "http"
        assert not any(h in requests[-1].headers for h in header_names)
    finally:
        client.close()


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_tls_verification_on_unless_turned_off(name: str) -> None:
    cls_name, creds, _, _ = SEEDS[name]
    module = _seed(name)
    sync = getattr(module, cls_name)(**creds)
    copy = sync.with_options(max_retries=0)

    async def async_context() -> ssl.SSLContext:
        async with getattr(module, "Async" + cls_name)(**creds) as client:
            return client._client._transport._pool._ssl_context

    try:
        for context in (sync._client._transport._pool._ssl_context, copy._client._transport._pool._ssl_context,
                        asyncio.run(async_context())):
            assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    finally:
        sync.close()
    off = getattr(module, cls_name)(**creds, http_client=httpx.Client(verify=False))
    try:
        assert off._client._transport._pool._ssl_context.verify_mode == ssl.CERT_NONE
    finally:
        off.close()
    package = REPO / "generated" / name
    for source in package.rglob("*.py"):
        text = source.read_text()
        assert "verify=False" not in text and "CERT_NONE" not in text and "check_hostname = False" not in text, source
