"""Identifier rules of generator.names and the collision pass (resolve_names)."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.names import (
    RESERVED_CLASS_NAMES,
    RESERVED_FIELD_NAMES,
    RESERVED_PARAM_NAMES,
    attr_name,
    class_name,
    enum_member_name,
    pascal,
    resolve_names,
    snake,
    unique,
)
from generator.parse import parse_api

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def assert_identifier(name: str) -> None:
    assert IDENT.fullmatch(name), name
    assert not keyword.iskeyword(name), name


# ------------------------------------------------------------------ casing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("listFineTuningJobs", "list_fine_tuning_jobs"),
        ("FineTuning-jobs_v2", "fine_tuning_jobs_v_2"),
        ("foo-bar", "foo_bar"),
        ("a.b c", "a_b_c"),
        ("HTTPServer", "http_server"),
        ("café", "cafe"),
        ("日本", ""),
        ("", ""),
        ("__", ""),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fine-tune event", "FineTuneEvent"),
        ("LoRATrainingType", "LoRATrainingType"),
        ("foo_bar", "FooBar"),
        ("foo.bar baz", "FooBarBaz"),
        ("élan", "Elan"),
        ("日本", ""),
        ("", ""),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


# -------------------------------------------------------------- class names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # keywords: PascalCase already takes them out of the keyword set
        ("class", "Class"),
        ("from", "From"),
        ("match", "Match"),
        # builtins and names the generated module imports are refused
        ("Exception", "Exception_"),
        ("None", "None_"),
        ("True", "True_"),
        ("BaseModel", "BaseModel_"),
        ("Field", "Field_"),
        # names every resource module imports
        ("Query", "Query_"),
        ("Body", "Body_"),
        ("Headers", "Headers_"),
        ("OpenStrEnum", "OpenStrEnum_"),
        # "str" is PascalCased to "Str", which is no builtin
        ("str", "Str"),
        # leading digits
        ("1abc", "Model1Abc"),
        ("123", "Model123"),
        # separators
        ("foo-bar", "FooBar"),
        ("foo.bar", "FooBar"),
        ("foo bar", "FooBar"),
        ("foo_bar", "FooBar"),
        # non-ASCII: transliterated when NFKD has an ASCII base, else dropped
        ("Café", "Cafe"),
        ("ﬁle", "File"),
        ("日本語", "Model"),
        ("", "Model"),
        ("---", "Model"),
    ],
)
def test_class_name(text: str, expected: str) -> None:
    assert class_name(text) == expected
    assert_identifier(class_name(text))


def test_class_name_fallback() -> None:
    assert class_name("", "Resource") == "Resource"
    assert class_name("9", "Resource") == "Resource9"


# --------------------------------------------------------------- attr names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("class", "class_"),
        ("from", "from_"),
        ("import", "import_"),
        ("None", "none"),
        # soft keywords get the suffix too
        ("match", "match_"),
        ("case", "case_"),
        # builtins are allowed for attributes
        ("id", "id"),
        ("type", "type"),
        ("list", "list"),
        ("userId", "user_id"),
        ("x-request-id", "x_request_id"),
        ("a.b c", "a_b_c"),
        ("1st", "field_1_st"),
        ("2", "field_2"),
        ("été", "ete"),
        ("名前", "field"),
        ("", "field"),
        ("  ", "field"),
    ],
)
def test_attr_name(text: str, expected: str) -> None:
    assert attr_name(text) == expected
    assert_identifier(attr_name(text))


def test_attr_name_reserved_and_fallback() -> None:
    assert attr_name("model_dump", reserved=RESERVED_FIELD_NAMES) == "model_dump_"
    assert attr_name("self", reserved=RESERVED_FIELD_NAMES) == "self_"
    assert attr_name("", "param") == "param"
    assert attr_name("3", "param") == "param_3"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        # builtins are fine as field names ...
        ("id", "id"),
        ("type", "type"),
        ("object", "object"),
        # ... except the ones models.py annotations use: `str: str | None = None` in a
        # class body makes the next field's `str | None` evaluate `None | None`
        ("str", "str_"),
        ("int", "int_"),
        ("float", "float_"),
        ("bool", "bool_"),
        ("bytes", "bytes_"),
        ("datetime", "datetime_"),
        ("uuid", "uuid_"),
        ("discriminator_by", "discriminator_by_"),
        # pydantic's own attributes
        ("model_config", "model_config_"),
        ("json", "json_"),
        ("schema", "schema_"),
    ],
)
def test_model_field_names(wire: str, expected: str) -> None:
    assert attr_name(wire, "field", RESERVED_FIELD_NAMES) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("str", "str"),
        ("id", "id"),
        ("timeout", "timeout_"),
        ("extra_headers", "extra_headers_"),
        ("self", "self_"),
        ("body", "body_"),
        ("path_param", "path_param_"),
        ("make_request_options", "make_request_options_"),
    ],
)
def test_parameter_names(wire: str, expected: str) -> None:
    assert attr_name(wire, "param", RESERVED_PARAM_NAMES) == expected


# ------------------------------------------------------------- enum members


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fine-tune.job", "FINE_TUNE_JOB"),
        ("class", "CLASS"),
        ("from", "FROM"),
        ("None", "NONE"),
        ("a b", "A_B"),
        ("1x", "VALUE_1_X"),
        ("café", "CAFE"),
        ("日本", "VALUE"),
        ("", "EMPTY"),
        ("--", "VALUE"),
        (1, "VALUE_1"),
        (0, "VALUE_0"),
        (-1, "VALUE_MINUS_1"),
        (1.5, "VALUE_1_5"),
        (True, "TRUE"),
        (False, "FALSE"),
    ],
)
def test_enum_member_name(value: object, expected: str) -> None:
    assert enum_member_name(value) == expected
    assert_identifier(enum_member_name(value))


# ------------------------------------------------------------------ properties


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_class_name_is_always_an_identifier(text: str) -> None:
    name = class_name(text)
    assert_identifier(name)
    assert name not in RESERVED_CLASS_NAMES


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_attr_name_is_always_an_identifier(text: str) -> None:
    name = attr_name(text, reserved=RESERVED_FIELD_NAMES)
    assert_identifier(name)
    assert not keyword.issoftkeyword(name)
    assert name not in RESERVED_FIELD_NAMES


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans()))
def test_enum_member_name_is_always_an_identifier(value: object) -> None:
    assert_identifier(enum_member_name(value))


# --------------------------------------------------------- the collision pass


def _api(schemas: dict | None = None, paths: dict | None = None) -> ir.Api:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }
    api, diagnostics = parse_api(spec)
    assert diagnostics == []
    return resolve_names(api)


OBJ = {"type": "object", "properties": {"a": {"type": "string"}}}


def test_unique_helper() -> None:
    assert unique(["a", "a", "b", "a"]) == ["a", "a2", "b", "a3"]
    assert unique(["a", "a"], reserved=["a"]) == ["a2", "a3"]


def test_schemas_with_one_class_name_get_suffixes_in_document_order() -> None:
    api = _api({"foo-bar": OBJ, "FooBar": OBJ, "foo_bar": OBJ})
    names = {d.id.rsplit("/", 1)[1]: d.name for d in api.schemas}
    assert names == {"foo-bar": "FooBar", "FooBar": "FooBar2", "foo_bar": "FooBar3"}


def test_schemas_differing_only_in_case_get_suffixes() -> None:
    api = _api({"ABC": OBJ, "Abc": OBJ, "abc": OBJ})
    assert [d.name for d in api.schemas] == ["ABC", "Abc2", "Abc3"]
    assert len({d.name.lower() for d in api.schemas}) == 3


def test_collision_suffixes_are_deterministic() -> None:
    schemas = {"foo-bar": OBJ, "FooBar": OBJ, "Foo": OBJ, "foo": OBJ}
    first = [(d.id, d.name) for d in _api(schemas).schemas]
    again = [(d.id, d.name) for d in _api(dict(schemas)).schemas]
    assert first == again
    # document order decides, not alphabetical order
    reordered = {"FooBar": OBJ, "foo-bar": OBJ}
    assert [(d.id.rsplit("/", 1)[1], d.name) for d in _api(reordered).schemas] == [
        ("FooBar", "FooBar"),
        ("foo-bar", "FooBar2"),
    ]


def test_component_names_win_over_inline_names() -> None:
    # Parent.child inline object wants "ParentChild", which a component already has
    api = _api(
        {
            "Parent": {"type": "object", "properties": {"child": OBJ}},
            "ParentChild": OBJ,
        }
    )
    by_id = {d.id: d.name for d in api.schemas}
    assert by_id["#/components/schemas/ParentChild"] == "ParentChild"
    assert by_id["#/components/schemas/Parent/properties/child"] == "ParentChild2"


def test_enum_values_colliding_after_sanitising_get_unique_members() -> None:
    api = _api({"E": {"type": "string", "enum": ["a-b", "a_b", "A B", "日本", "中文"]}})
    (enum,) = api.schemas
    assert isinstance(enum, ir.EnumDef)
    assert [(m.py_name, m.value) for m in enum.members] == [
        ("A_B", "a-b"),
        ("A_B2", "a_b"),
        ("A_B3", "A B"),
        ("VALUE", "日本"),
        ("VALUE2", "中文"),
    ]


def test_model_fields_colliding_after_sanitising_get_unique_names() -> None:
    api = _api(
        {"M": {"type": "object", "properties": {"a-b": {"type": "string"}, "a_b": {"type": "string"}}}}
    )
    (model,) = api.schemas
    assert [(f.wire_name, f.py_name) for f in model.fields] == [("a-b", "a_b"), ("a_b", "a_b2")]


def _op(params: list, body_props: dict | None = None, op_id: str = "updateThing") -> dict:
    op: dict = {"operationId": op_id, "parameters": params, "responses": {"200": {"description": "ok"}}}
    if body_props is not None:
        op["requestBody"] = {
            "content": {"application/json": {"schema": {"type": "object", "properties": body_props}}}
        }
    return op


def test_body_field_colliding_with_path_parameter_gets_body_prefix() -> None:
    api = _api(
        paths={
            "/things/{id}": {
                "post": _op(
                    [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    {"id": {"type": "string"}, "name": {"type": "string"}},
                )
            }
        }
    )
    (op,) = api.operations
    assert [(p.wire_name, p.py_name) for p in op.params] == [("id", "id")]
    assert op.body is not None and op.body.mode == "fields"
    assert [(f.wire_name, f.py_name) for f in op.body.fields] == [("id", "body_id"), ("name", "name")]


def test_parameters_colliding_across_locations_get_location_prefix() -> None:
    api = _api(
        paths={
            "/things/{id}": {
                "get": _op(
                    [
                        {"name": "id", "in": "query", "schema": {"type": "string"}},
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "ID", "in": "header", "schema": {"type": "string"}},
                    ]
                )
            }
        }
    )
    (op,) = api.operations
    # the path parameter keeps the name; the spec's order is kept
    assert [(p.location, p.py_name) for p in op.params] == [
        ("query", "query_id"),
        ("path", "id"),
        ("header", "header_id"),
    ]


def test_reserved_parameter_names_are_avoided() -> None:
    api = _api(
        paths={
            "/things": {
                "post": _op(
                    [{"name": "timeout", "in": "query", "schema": {"type": "integer"}}],
                    {"timeout": {"type": "integer"}, "body": {"type": "string"}},
                )
            }
        }
    )
    (op,) = api.operations
    names = [p.py_name for p in op.params] + [f.py_name for f in op.body.fields]
    assert "timeout" not in names and "body" not in names
    assert len(set(names)) == len(names)


def test_method_names_colliding_in_a_resource_fall_back_to_full_names() -> None:
    ok = {"200": {"description": "ok"}}
    api = _api(
        paths={
            "/things": {"get": {"operationId": "listThings", "responses": ok}},
            "/things/archived": {"get": {"operationId": "listThing", "tags": ["things"], "responses": ok}},
            "/things/{id}": {"get": {"operationId": "getThing", "responses": ok}},
        }
    )
    assert [(op.resource, op.name) for op in api.operations] == [
        ("things", "list_things"),
        ("things", "list_thing"),
        ("things", "retrieve"),  # getThing on an item path: "get" alone reads as retrieve
    ]
    (resource,) = api.resources
    assert resource.name == "things"
    assert [op.name for op in resource.operations] == ["list_things", "list_thing", "retrieve"]


def test_method_names_colliding_in_full_names_get_numbers() -> None:
    def op(name: str, full: str) -> ir.Operation:
        return ir.Operation("get", "/x", None, "things", name, full)

    api = ir.Api("t", "1", "", (), (), (), (op("list", "list_x"), op("list", "list_x"), op("list", "")))
    resolved = resolve_names(api)
    assert [o.name for o in resolved.operations] == ["list_x", "list_x2", "list"]


def test_same_method_name_in_different_resources_is_kept() -> None:
    ok = {"200": {"description": "ok"}}
    api = _api(
        paths={
            "/cats": {"get": {"responses": ok}},
            "/dogs": {"get": {"responses": ok}},
        }
    )
    assert [(op.resource, op.name) for op in api.operations] == [("cats", "list"), ("dogs", "list")]
    assert [r.name for r in api.resources] == ["cats", "dogs"]
