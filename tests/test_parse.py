"""parse_api on tiny inline specs: the IR it builds for each feature."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from generator import ir
from generator.diagnostics import Level
from generator.parse import ParseOptions, parse_api

STR = ir.Primitive("str")
INT = ir.Primitive("int")
BOOL = ir.Primitive("bool")
NONE = ir.NONE
ANY = ir.ANY


def spec(text: str, version: str = "3.0.3") -> dict:
    body = yaml.safe_load(textwrap.dedent(text)) or {}
    root = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    root.update(body)
    return root


def parse(text: str, version: str = "3.0.3", *, options: ParseOptions | None = None,
          warnings: int = 0) -> ir.Api:
    api, diagnostics = parse_api(spec(text, version), options=options)
    assert len(diagnostics) == warnings, [d.format() for d in diagnostics]
    return api


def schemas(api: ir.Api) -> dict[str, ir.Definition]:
    return {d.id: d for d in api.schemas}


def comp(api: ir.Api, name: str) -> ir.Definition:
    return schemas(api)[f"#/components/schemas/{name}"]


def ref(name: str) -> ir.NamedRef:
    return ir.NamedRef(f"#/components/schemas/{name}")


def fields(model: ir.Definition) -> dict[str, ir.Field]:
    assert isinstance(model, ir.ModelDef), model
    return {f.wire_name: f for f in model.fields}


def op(api: ir.Api, method: str, path: str) -> ir.Operation:
    (found,) = [o for o in api.operations if o.method == method and o.path == path]
    return found


# ------------------------------------------------------------------- nullability


def test_openapi_30_nullable() -> None:
    api = parse(
        """
        components:
          schemas:
            M:
              type: object
              properties:
                a: {type: string, nullable: true}
                b: {type: string}
                c: {$ref: '#/components/schemas/Other', nullable: true}
                d: {allOf: [{$ref: '#/components/schemas/Other'}], nullable: true}
            Other: {type: object, properties: {x: {type: integer}}}
        """
    )
    f = fields(comp(api, "M"))
    assert f["a"].type == ir.UnionType((STR, NONE))
    assert f["b"].type == STR
    assert f["c"].type == ir.UnionType((ref("Other"), NONE))
    assert f["d"].type == ir.UnionType((ref("Other"), NONE))


def test_nullable_component_model_makes_its_references_nullable() -> None:
    # portkey's FineTuningJob.error: required, and a $ref to `type: object, nullable: true`
    api = parse(
        """
        paths:
          /jobs:
            post:
              requestBody:
                content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
              responses: {'200': {description: ok}}
        components:
          schemas:
            Error:
              type: object
              nullable: true
              required: [code]
              properties: {code: {type: string}}
            Job:
              type: object
              required: [error]
              properties:
                error: {$ref: '#/components/schemas/Error'}
                errors: {type: array, items: {$ref: '#/components/schemas/Error'}}
        """
    )
    job = fields(comp(api, "Job"))
    assert job["error"].type == ir.UnionType((ref("Error"), NONE))
    assert job["error"].required is True
    assert job["errors"].type == ir.ArrayType(ir.UnionType((ref("Error"), NONE)))
    assert isinstance(comp(api, "Error"), ir.ModelDef)
    # a request body of that model is still flattened into keyword arguments
    body = op(api, "post", "/jobs").body
    assert body is not None and body.mode == "fields"
    assert [f.wire_name for f in body.fields] == ["code"]


def test_openapi_31_type_arrays() -> None:
    api = parse(
        """
        components:
          schemas:
            M:
              type: object
              required: [a]
              properties:
                a: {type: [string, 'null']}
                b: {type: [string, integer]}
                c: {type: 'null'}
            Multi: {type: [string, integer, 'null']}
        """,
        "3.1.0",
    )
    f = fields(comp(api, "M"))
    assert f["a"].type == ir.UnionType((STR, NONE))
    assert f["a"].required is True
    assert f["b"].type == ir.UnionType((STR, INT))
    assert f["c"].type == NONE
    multi = comp(api, "Multi")
    assert isinstance(multi, ir.AliasDef)
    assert multi.type == ir.UnionType((STR, INT, NONE))


# ------------------------------------------------------------------------ enums


def test_string_enum() -> None:
    api = parse(
        """
        components:
          schemas:
            Color: {type: string, enum: [red, green-ish, blue], description: A colour.}
        """
    )
    color = comp(api, "Color")
    assert isinstance(color, ir.EnumDef)
    assert color.name == "Color"
    assert color.value_kind == "str"
    assert [(m.py_name, m.value) for m in color.members] == [
        ("RED", "red"), ("GREEN_ISH", "green-ish"), ("BLUE", "blue")
    ]
    assert color.nullable is False
    assert color.description == "A colour."


def test_integer_enum() -> None:
    api = parse(
        """
        components:
          schemas:
            Level: {type: integer, enum: [1, 2, 3]}
        """
    )
    level = comp(api, "Level")
    assert isinstance(level, ir.EnumDef)
    assert level.value_kind == "int"
    assert [(m.py_name, m.value) for m in level.members] == [
        ("VALUE_1", 1), ("VALUE_2", 2), ("VALUE_3", 3)
    ]


@pytest.mark.parametrize(
    ("version", "schema"),
    [
        ("3.0.3", "{type: string, nullable: true, enum: [a, b, null]}"),
        ("3.0.3", "{type: string, enum: [a, b, null]}"),
        ("3.1.0", "{type: [string, 'null'], enum: [a, b, null]}"),
    ],
)
def test_enum_with_null(version: str, schema: str) -> None:
    api = parse(f"components: {{schemas: {{E: {schema}}}}}", version)
    e = comp(api, "E")
    assert isinstance(e, ir.EnumDef)
    assert e.nullable is True
    assert [m.value for m in e.members] == ["a", "b"]  # null is not a member


def test_inline_enum_is_named_after_its_parent() -> None:
    api = parse(
        """
        components:
          schemas:
            Job:
              type: object
              properties:
                status: {type: string, enum: [queued, running]}
        """
    )
    status = fields(comp(api, "Job"))["status"]
    assert isinstance(status.type, ir.NamedRef)
    enum = schemas(api)[status.type.id]
    assert isinstance(enum, ir.EnumDef) and enum.name == "JobStatus"


@pytest.mark.parametrize(
    ("version", "schema", "expected"),
    [
        ("3.0.3", "{type: string, enum: [only]}", ir.LiteralType(("only",))),
        ("3.0.3", "{type: integer, enum: [7]}", ir.LiteralType((7,))),
        ("3.1.0", "{const: fixed}", ir.LiteralType(("fixed",))),
        ("3.1.0", "{type: string, const: fixed}", ir.LiteralType(("fixed",))),
        ("3.1.0", "{const: 3}", ir.LiteralType((3,))),
        ("3.1.0", "{const: null}", NONE),
        ("3.0.3", "{type: boolean, enum: [true, false]}", ir.LiteralType((True, False))),
    ],
)
def test_single_valued_enum_and_const_are_literals(version: str, schema: str, expected: ir.TypeRef) -> None:
    api = parse(f"components: {{schemas: {{M: {{type: object, properties: {{p: {schema}}}}}}}}}", version)
    assert fields(comp(api, "M"))["p"].type == expected
    # no EnumDef was made for it
    assert [d.name for d in api.schemas] == ["M"]


# ----------------------------------------------------------------------- unions


def test_one_of_with_declared_discriminator_and_mapping() -> None:
    api = parse(
        """
        components:
          schemas:
            Cat: {type: object, required: [kind], properties: {kind: {type: string}, meow: {type: boolean}}}
            Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: boolean}}}
            Pet:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator:
                propertyName: kind
                mapping: {cat: '#/components/schemas/Cat', dog: Dog}
        """
    )
    pet = comp(api, "Pet")
    assert isinstance(pet, ir.AliasDef)
    assert pet.type == ir.UnionType(
        (ref("Cat"), ref("Dog")),
        ir.Discriminator("kind", (("cat", ref("Cat")), ("dog", ref("Dog"))), inferred=False),
    )


def test_declared_discriminator_without_mapping_uses_schema_names() -> None:
    api = parse(
        """
        components:
          schemas:
            Cat: {type: object, properties: {kind: {type: string}}}
            Dog: {type: object, properties: {kind: {type: string}}}
            Pet:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind}
        """
    )
    pet = comp(api, "Pet")
    assert isinstance(pet, ir.AliasDef) and isinstance(pet.type, ir.UnionType)
    assert pet.type.discriminator == ir.Discriminator("kind", (("Cat", ref("Cat")), ("Dog", ref("Dog"))))


def test_discriminator_mapping_to_a_non_variant_warns() -> None:
    api, diagnostics = parse_api(
        spec(
            """
            components:
              schemas:
                Cat: {type: object, properties: {kind: {type: string, enum: [cat]}}}
                Dog: {type: object, properties: {kind: {type: string, enum: [dog]}}}
                Pet:
                  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
                  discriminator:
                    propertyName: kind
                    mapping: {bird: '#/components/schemas/Bird'}
            """
        )
    )
    assert [(d.level, d.location.pointer) for d in diagnostics] == [
        (Level.WARNING, "#/components/schemas/Pet/discriminator/mapping/bird")
    ]
    pet = comp(api, "Pet")
    assert isinstance(pet, ir.AliasDef) and isinstance(pet.type, ir.UnionType)
    # the variants' own tags fill the mapping
    assert pet.type.discriminator == ir.Discriminator("kind", (("cat", ref("Cat")), ("dog", ref("Dog"))))


def test_inferred_discriminator_from_single_valued_enums() -> None:
    # Together's FineTuningJob.training_type
    api = parse(
        """
        components:
          schemas:
            FullTrainingType:
              type: object
              required: [type]
              properties: {type: {type: string, enum: [Full]}}
            LoRATrainingType:
              type: object
              required: [type, lora_r]
              properties:
                type: {type: string, enum: [Lora]}
                lora_r: {type: integer}
            Job:
              type: object
              properties:
                training_type:
                  oneOf:
                    - $ref: '#/components/schemas/FullTrainingType'
                    - $ref: '#/components/schemas/LoRATrainingType'
        """
    )
    t = fields(comp(api, "Job"))["training_type"].type
    assert t == ir.UnionType(
        (ref("FullTrainingType"), ref("LoRATrainingType")),
        ir.Discriminator(
            "type",
            (("Full", ref("FullTrainingType")), ("Lora", ref("LoRATrainingType"))),
            inferred=True,
        ),
    )
    assert fields(comp(api, "FullTrainingType"))["type"].type == ir.LiteralType(("Full",))


def test_no_discriminator_inferred_when_tags_repeat() -> None:
    api = parse(
        """
        components:
          schemas:
            A: {type: object, properties: {type: {type: string, enum: [x]}, a: {type: string}}}
            B: {type: object, properties: {type: {type: string, enum: [x]}, b: {type: string}}}
            U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}
        """
    )
    u = comp(api, "U")
    assert isinstance(u, ir.AliasDef)
    assert u.type == ir.UnionType((ref("A"), ref("B")))


def test_one_of_without_discriminator_first_variant_without_required() -> None:
    api = parse(
        """
        components:
          schemas:
            Loose:
              oneOf:
                - type: object
                  properties: {a: {type: string}}
                - type: object
                  required: [b]
                  properties: {b: {type: integer}}
        """
    )
    loose = comp(api, "Loose")
    assert isinstance(loose, ir.AliasDef)
    assert isinstance(loose.type, ir.UnionType)
    assert loose.type.discriminator is None
    first, second = loose.type.variants
    assert isinstance(first, ir.NamedRef) and isinstance(second, ir.NamedRef)
    by_id = schemas(api)
    assert fields(by_id[first.id])["a"].required is False
    assert fields(by_id[second.id])["b"].required is True
    # inline variants are named after the parent plus their single property
    assert (by_id[first.id].name, by_id[second.id].name) == ("LooseA", "LooseB")


def test_one_of_of_primitives_and_null() -> None:
    api = parse(
        """
        components:
          schemas:
            M:
              type: object
              properties:
                v: {oneOf: [{type: string}, {type: integer}, {type: 'null'}]}
                w: {anyOf: [{type: string}, {}]}
        """,
        "3.1.0",
    )
    f = fields(comp(api, "M"))
    assert f["v"].type == ir.UnionType((STR, INT, NONE))
    assert f["w"].type == ANY


# ------------------------------------------------------------------------ allOf


def test_all_of_is_merged_into_one_model() -> None:
    api = parse(
        """
        components:
          schemas:
            Base:
              type: object
              required: [id]
              properties: {id: {type: string}}
            Timestamps:
              type: object
              properties: {created: {type: string, format: date-time}}
            Derived:
              description: A derived thing.
              allOf:
                - $ref: '#/components/schemas/Base'
                - $ref: '#/components/schemas/Timestamps'
                - type: object
                  required: [extra]
                  properties: {extra: {type: integer}}
        """
    )
    derived = comp(api, "Derived")
    assert isinstance(derived, ir.ModelDef)
    assert derived.description == "A derived thing."
    assert [(f.wire_name, f.type, f.required) for f in derived.fields] == [
        ("id", STR, True),
        ("created", ir.Primitive("datetime"), False),
        ("extra", INT, True),
    ]


def test_all_of_with_one_ref_is_that_type() -> None:
    api = parse(
        """
        components:
          schemas:
            Base: {type: object, properties: {id: {type: string}}}
            M:
              type: object
              properties:
                b: {allOf: [{$ref: '#/components/schemas/Base'}], description: wrapped}
        """
    )
    b = fields(comp(api, "M"))["b"]
    assert b.type == ref("Base")
    assert b.description == "wrapped"


# ------------------------------------------------------------ additionalProperties


def test_additional_properties() -> None:
    api = parse(
        """
        components:
          schemas:
            Counts: {type: object, additionalProperties: {type: integer}}
            Free: {type: object, additionalProperties: true}
            Open:
              type: object
              properties: {name: {type: string}}
              additionalProperties: {type: string}
            Holder:
              type: object
              properties:
                labels: {type: object, additionalProperties: {type: string}}
                nested:
                  type: object
                  additionalProperties:
                    type: object
                    properties: {x: {type: integer}}
        """
    )
    counts = comp(api, "Counts")
    assert isinstance(counts, ir.AliasDef) and counts.type == ir.MapType(INT)
    free = comp(api, "Free")
    assert isinstance(free, ir.AliasDef) and free.type == ir.MapType(ANY)
    open_ = comp(api, "Open")
    assert isinstance(open_, ir.ModelDef) and open_.additional == STR
    assert [f.wire_name for f in open_.fields] == ["name"]
    holder = fields(comp(api, "Holder"))
    assert holder["labels"].type == ir.MapType(STR)
    nested = holder["nested"].type
    assert isinstance(nested, ir.MapType) and isinstance(nested.value, ir.NamedRef)
    assert schemas(api)[nested.value.id].name == "HolderNestedValue"


# ------------------------------------------------------------- misc field facts


def test_default_contradicting_its_type_warns_and_is_dropped() -> None:
    api, diagnostics = parse_api(
        spec(
            """
            components:
              schemas:
                M:
                  type: object
                  properties:
                    flag: {type: boolean, default: auto}
                    mode: {oneOf: [{type: boolean}, {type: string, enum: [auto]}], default: auto}
                    n: {type: integer, default: 3}
            """
        )
    )
    assert len(diagnostics) == 1
    (d,) = diagnostics
    assert d.level == Level.WARNING
    assert d.location.pointer == "#/components/schemas/M/properties/flag/default"
    assert "auto" in d.message and "flag" in d.message
    f = fields(comp(api, "M"))
    assert (f["flag"].has_default, f["flag"].default, f["flag"].type) == (False, None, BOOL)
    assert (f["mode"].has_default, f["mode"].default) == (True, "auto")
    assert (f["n"].has_default, f["n"].default) == (True, 3)


def test_default_of_a_referenced_schema_is_reported_where_it_is() -> None:
    api, diagnostics = parse_api(
        spec(
            """
            components:
              schemas:
                Flag: {type: boolean, default: auto}
                M:
                  type: object
                  properties:
                    f: {$ref: '#/components/schemas/Flag'}
            """
        )
    )
    assert [d.location.pointer for d in diagnostics] == ["#/components/schemas/Flag/default"]
    assert fields(comp(api, "M"))["f"].has_default is False


def test_a_duplicate_finding_is_reported_once() -> None:
    _, diagnostics = parse_api(
        spec("components: {schemas: {M: {type: object, properties: {x: {$ref: '#/components/schemas/Nope'}}}}}")
    )
    assert len(diagnostics) == 1


def test_diagnostics_use_the_locate_callback() -> None:
    from generator.diagnostics import Location

    _, diagnostics = parse_api(
        spec("components: {schemas: {M: {type: object, properties: {f: {type: boolean, default: x}}}}}"),
        file="api.yaml",
        locate=lambda pointer: Location("api.yaml", 42, pointer),
    )
    (d,) = diagnostics
    assert d.format().startswith("api.yaml:42: warning: ")
    assert d.format().endswith("(at #/components/schemas/M/properties/f/default)")


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ("{type: string, format: date-time}", ir.Primitive("datetime")),
        ("{type: string, format: date}", ir.Primitive("date")),
        ("{type: string, format: time}", ir.Primitive("time")),
        ("{type: string, format: uuid}", ir.Primitive("uuid")),
        ("{type: string, format: binary}", ir.Primitive("bytes")),
        ("{type: string, format: byte}", STR),
        ("{type: string, format: email}", STR),
        ("{type: number, format: double}", ir.Primitive("float")),
        ("{type: integer, format: int64}", INT),
        ("{type: array, items: {type: string, format: uuid}}", ir.ArrayType(ir.Primitive("uuid"))),
        ("{type: array}", ir.ArrayType(ANY)),
        ("{type: object}", ir.MapType(ANY)),
        ("{}", ANY),
    ],
)
def test_formats_and_plain_types(schema: str, expected: ir.TypeRef) -> None:
    api = parse(f"components: {{schemas: {{M: {{type: object, properties: {{p: {schema}}}}}}}}}")
    assert fields(comp(api, "M"))["p"].type == expected


def test_deprecated_read_only_write_only() -> None:
    api = parse(
        """
        components:
          schemas:
            Old:
              type: object
              deprecated: true
              properties:
                a: {type: string, deprecated: true}
                b: {type: string, readOnly: true}
                c: {type: string, writeOnly: true}
                d: {type: string}
        """
    )
    old = comp(api, "Old")
    assert isinstance(old, ir.ModelDef) and old.deprecated is True
    f = fields(old)
    assert (f["a"].deprecated, f["b"].read_only, f["c"].write_only) == (True, True, True)
    assert (f["d"].deprecated, f["d"].read_only, f["d"].write_only) == (False, False, False)


def test_recursive_schema_terminates_with_a_ref_to_itself() -> None:
    api = parse(
        """
        components:
          schemas:
            Node:
              type: object
              properties:
                name: {type: string}
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                parent: {$ref: '#/components/schemas/Node'}
            A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}
            B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}
            Tree:
              anyOf:
                - {type: string}
                - {type: array, items: {$ref: '#/components/schemas/Tree'}}
        """,
        warnings=1,
    )
    node = fields(comp(api, "Node"))
    assert node["children"].type == ir.ArrayType(ref("Node"))
    assert node["parent"].type == ref("Node")
    assert fields(comp(api, "A"))["b"].type == ref("B")
    assert fields(comp(api, "B"))["a"].type == ref("A")
    tree = comp(api, "Tree")
    assert isinstance(tree, ir.AliasDef)
    # A type alias is evaluated when models.py is imported: ``Tree = str | List[Tree]`` would
    # not import, so the reference that closes the cycle is any value (with a warning).
    assert tree.type == ir.UnionType((STR, ir.ArrayType(ANY)))


def test_ref_cycle_without_a_model_warns_instead_of_looping() -> None:
    api, diagnostics = parse_api(spec("components: {schemas: {Me: {$ref: '#/components/schemas/Me'}}}"))
    assert [d.level for d in diagnostics] == [Level.WARNING]
    me = comp(api, "Me")
    assert isinstance(me, ir.AliasDef) and me.type == ANY


def test_unresolvable_ref_warns() -> None:
    api, diagnostics = parse_api(
        spec("components: {schemas: {M: {type: object, properties: {x: {$ref: '#/components/schemas/Nope'}}}}}")
    )
    assert len(diagnostics) == 1 and "Nope" in diagnostics[0].message
    assert fields(comp(api, "M"))["x"].type == ANY


def test_bad_refs_are_reported_once_where_they_are() -> None:
    # the probes that classify schemas and look for discriminators must not report
    # problems at made-up pointers such as "#/allOf/0" or "#"
    _, diagnostics = parse_api(
        spec(
            """
            components:
              schemas:
                M:
                  allOf:
                    - $ref: '#/components/schemas/Nope'
                    - {type: object, properties: {a: {type: string}}}
                N:
                  type: object
                  properties:
                    u: {oneOf: [{$ref: '#/bad'}, {type: object, properties: {t: {type: string, enum: [x]}}}]}
                Loop: {$ref: '#/components/schemas/Loop'}
            """
        )
    )
    assert sorted(d.location.pointer for d in diagnostics) == [
        "#/components/schemas/Loop",
        "#/components/schemas/M/allOf/0",
        "#/components/schemas/N/properties/u/oneOf/0",
    ]


def test_inline_object_names_derive_from_the_parent() -> None:
    api = parse(
        """
        components:
          schemas:
            TrainingMethodSFT:
              type: object
              properties:
                train_on_inputs:
                  type: object
                  properties: {enabled: {type: boolean}}
                events:
                  type: array
                  items:
                    type: object
                    properties: {message: {type: string}}
        """
    )
    by_id = schemas(api)
    f = fields(comp(api, "TrainingMethodSFT"))
    inline = f["train_on_inputs"].type
    assert isinstance(inline, ir.NamedRef)
    assert by_id[inline.id].name == "TrainingMethodSFTTrainOnInputs"
    assert inline.id == "#/components/schemas/TrainingMethodSFT/properties/train_on_inputs"
    events = f["events"].type
    assert isinstance(events, ir.ArrayType) and isinstance(events.item, ir.NamedRef)
    assert by_id[events.item.id].name == "TrainingMethodSFTEventsItem"
    # component schemas first (document order), then inline ones by pointer
    assert [d.name for d in api.schemas] == [
        "TrainingMethodSFT", "TrainingMethodSFTEventsItem", "TrainingMethodSFTTrainOnInputs"
    ]


# ------------------------------------------------------------------- operations

OK = "{'200': {description: ok}}"


def test_operation_name_strips_resource_words() -> None:
    api = parse(
        f"""
        paths:
          /fine_tuning/jobs:
            get: {{tags: [Fine-tuning], operationId: listFineTuningJobs, responses: {OK}}}
          /fine_tuning/jobs/{{id}}/cancel:
            post:
              tags: [Fine-tuning]
              operationId: cancelFineTuningJob
              parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
              responses: {OK}
        """
    )
    listing = op(api, "get", "/fine_tuning/jobs")
    assert (listing.resource, listing.name, listing.full_name) == (
        "fine_tuning", "list", "list_fine_tuning_jobs"
    )
    cancel = op(api, "post", "/fine_tuning/jobs/{id}/cancel")
    assert (cancel.resource, cancel.name, cancel.full_name) == (
        "fine_tuning", "cancel", "cancel_fine_tuning_job"
    )
    assert cancel.operation_id == "cancelFineTuningJob"
    assert cancel.tags == ("Fine-tuning",)
    assert cancel.accessor == "fine_tuning.cancel"
    assert cancel.pointer == "#/paths/~1fine_tuning~1jobs~1{id}~1cancel/post"


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("get", "/things", "list"),
        ("post", "/things", "create"),
        ("get", "/things/{id}", "retrieve"),
        ("put", "/things/{id}", "update"),
        ("patch", "/things/{id}", "update"),
        ("delete", "/things/{id}", "delete"),
        ("post", "/things/{id}/cancel", "cancel"),
        ("get", "/things/{id}/events", "list_events"),
    ],
)
def test_operation_names_without_operation_id(method: str, path: str, name: str) -> None:
    params = "[{name: id, in: path, required: true, schema: {type: string}}]" if "{id}" in path else "[]"
    api = parse(f"paths: {{'{path}': {{{method}: {{parameters: {params}, responses: {OK}}}}}}}")
    (operation,) = api.operations
    assert (operation.resource, operation.name) == ("things", name)
    assert operation.operation_id is None


def test_resource_names_option_and_method_names_option() -> None:
    api = parse(
        f"""
        paths:
          /fine-tunes/{{id}}/cancel:
            post: {{tags: [Fine-tuning], responses: {OK}}}
        """,
        options=ParseOptions(
            method_names=(("POST /fine-tunes/{id}/cancel", "stop"),),
            resource_names=(("Fine-tuning", "fine_tunes"),),
        ),
    )
    (operation,) = api.operations
    assert (operation.resource, operation.name) == ("fine_tunes", "stop")


def test_websocket_only_operation_is_not_generated() -> None:
    api = parse(
        """
        paths:
          /realtime:
            get: {deprecated: true, responses: {'101': {description: Switching Protocols}}}
        """
    )
    (operation,) = api.operations
    assert operation.generated is False
    assert operation.reason and "101" in operation.reason
    assert operation.accessor is None
    assert operation.deprecated is True


def test_parameters() -> None:
    api = parse(
        """
        paths:
          /things/{thing_id}:
            parameters:
              - {name: thing_id, in: path, required: true, schema: {type: string}}
              - {name: limit, in: query, schema: {type: integer}}
            get:
              parameters:
                - {name: limit, in: query, required: true, schema: {type: integer}, description: Max.}
                - {name: tags, in: query, schema: {type: array, items: {type: string}}}
                - {name: X-Trace-Id, in: header, deprecated: true, schema: {type: string}}
              responses: {'200': {description: ok}}
        """
    )
    params = {p.wire_name: p for p in op(api, "get", "/things/{thing_id}").params}
    assert list(params) == ["thing_id", "limit", "tags", "X-Trace-Id"]
    assert (params["thing_id"].location, params["thing_id"].required) == ("path", True)
    # the operation's parameter overrides the path item's
    assert (params["limit"].required, params["limit"].description) == (True, "Max.")
    assert params["tags"].type == ir.ArrayType(STR)
    assert (params["tags"].style, params["tags"].explode) == ("form", True)
    assert (params["X-Trace-Id"].py_name, params["X-Trace-Id"].deprecated) == ("x_trace_id", True)


def test_json_object_body_is_flattened_without_read_only_fields() -> None:
    api = parse(
        """
        paths:
          /things:
            post:
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Thing'}
              responses: {'201': {description: created}}
        components:
          schemas:
            Thing:
              type: object
              required: [name]
              properties:
                id: {type: string, readOnly: true}
                name: {type: string}
                secret: {type: string, writeOnly: true}
        """
    )
    body = op(api, "post", "/things").body
    assert body is not None
    assert (body.mode, body.encoding, body.required, body.type) == ("fields", "json", True, ref("Thing"))
    assert [(f.wire_name, f.required) for f in body.fields] == [("name", True), ("secret", False)]


def test_array_body_is_one_argument() -> None:
    api = parse(
        """
        paths:
          /things/batch:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: array, items: {type: string}}
              responses: {'200': {description: ok}}
        """
    )
    body = op(api, "post", "/things/batch").body
    assert body is not None
    assert (body.mode, body.type, body.fields, body.required) == ("body", ir.ArrayType(STR), (), False)


@pytest.mark.parametrize(
    ("content_type", "schema", "encoding", "mode", "type_"),
    [
        ("multipart/form-data", "{type: object, properties: {file: {type: string, format: binary}}}",
         "multipart", "fields", None),
        ("application/x-www-form-urlencoded", "{type: object, properties: {a: {type: string}}}",
         "form", "fields", None),
        ("application/octet-stream", "{type: string, format: binary}", "binary", "body", ir.Primitive("bytes")),
        ("text/plain", "{type: string}", "text", "body", STR),
    ],
)
def test_body_encodings(content_type: str, schema: str, encoding: str, mode: str,
                        type_: ir.TypeRef | None) -> None:
    api = parse(
        f"paths: {{/up: {{post: {{requestBody: {{content: {{'{content_type}': {{schema: {schema}}}}}}}, "
        f"responses: {OK}}}}}}}"
    )
    body = op(api, "post", "/up").body
    assert body is not None
    assert (body.content_type, body.encoding, body.mode) == (content_type, encoding, mode)
    if type_ is not None:
        assert body.type == type_


@pytest.mark.parametrize(
    ("responses", "result", "kind"),
    [
        ("{'204': {description: none}}", None, "empty"),
        ("{'200': {description: ok, content: {application/json: {schema: {type: integer}}}}}", INT, "json"),
        ("{'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}", STR, "text"),
        ("{'200': {description: ok, content: {application/octet-stream: {}}}}", ir.Primitive("bytes"), "binary"),
        ("{'200': {description: ok, content: {text/event-stream: {schema: {type: string}}}}}", STR, "sse"),
        ("{'200': {description: ok, content: {application/json: {schema: {type: integer}}}}, "
         "'204': {description: none}}", ir.UnionType((INT, NONE)), "json"),
        ("{'404': {description: missing}}", None, "empty"),
    ],
)
def test_results(responses: str, result: ir.TypeRef | None, kind: str) -> None:
    api = parse(f"paths: {{/r: {{get: {{responses: {responses}}}}}}}")
    (operation,) = api.operations
    assert (operation.result, operation.result_kind) == (result, kind)


def test_security_requirements() -> None:
    api = parse(
        f"""
        security: [{{bearer: []}}]
        paths:
          /a: {{get: {{responses: {OK}}}}}
          /b: {{get: {{security: [], responses: {OK}}}}}
        components:
          securitySchemes:
            bearer: {{type: http, scheme: bearer}}
        """
    )
    assert op(api, "get", "/a").security == (("bearer",),)
    assert op(api, "get", "/b").security == ()


# ------------------------------------------------------------- security schemes


def test_lone_bearer_scheme_is_api_key() -> None:
    api = parse(
        """
        components:
          securitySchemes:
            BearerAuth: {type: http, scheme: bearer, description: Your token.}
        """,
        options=ParseOptions(env_prefix="ACME"),
    )
    (scheme,) = api.security_schemes
    assert scheme == ir.SecurityScheme(
        key="BearerAuth", py_name="api_key", type="http", scheme="bearer", location="header",
        wire_name="Authorization", env_var="ACME_API_KEY", description="Your token.",
    )


def test_two_api_key_headers_drop_the_client_words() -> None:
    api = parse(
        """
        components:
          securitySchemes:
            Portkey-Key: {type: apiKey, in: header, name: x-acme-api-key}
            Virtual-Key: {type: apiKey, in: header, name: x-acme-virtual-key}
        """,
        options=ParseOptions(client_words=("acme",), env_prefix="ACME"),
    )
    assert [(s.key, s.py_name, s.wire_name, s.location, s.env_var) for s in api.security_schemes] == [
        ("Portkey-Key", "api_key", "x-acme-api-key", "header", "ACME_API_KEY"),
        ("Virtual-Key", "virtual_key", "x-acme-virtual-key", "header", "ACME_VIRTUAL_KEY"),
    ]


def test_api_info_and_servers() -> None:
    root = spec(
        """
        servers: [{url: 'https://api.example.com/v1', description: prod}, {description: no url}]
        """
    )
    root["info"] = {"title": "Example", "version": "2.1", "description": "An API."}
    api, diagnostics = parse_api(root)
    assert diagnostics == []
    assert (api.title, api.version, api.description) == ("Example", "2.1", "An API.")
    assert api.servers == (ir.Server("https://api.example.com/v1", "prod"),)
