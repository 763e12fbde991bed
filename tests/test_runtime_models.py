"""The lenient models of templates/runtime/_models.py: to_dict/to_json, open enums."""

from __future__ import annotations

import copy
import json
from types import SimpleNamespace
from typing import Literal, Optional

import httpx
import pydantic
import pytest

from test_runtime import BASE_URL, Recorder, make_client, rt  # noqa: F401  (rt is a fixture)


def job_models(rt: SimpleNamespace) -> tuple[type, type]:  # noqa: F811
    models = rt.models

    class Status(models.OpenStrEnum):  # type: ignore[misc,name-defined]
        RUNNING = "running"

    class Job(models.BaseModel):  # type: ignore[misc,name-defined]
        id: str
        display_name: Optional[str] = pydantic.Field(default=None, alias="displayName")
        status: Optional[Status] = None
        note: Optional[str] = None

    return Status, Job


def test_to_dict_and_to_json(rt: SimpleNamespace) -> None:  # noqa: F811
    status, job_cls = job_models(rt)
    job = job_cls.model_validate({"id": "j", "displayName": "J", "status": "running", "note": None, "extra": [1]})
    assert job.to_dict() == {
        "id": "j",
        "displayName": "J",
        "status": "running",
        "note": None,  # sent by the server as null: kept
        "extra": [1],  # unknown fields are kept
    }
    assert job.to_dict(by_alias=False)["display_name"] == "J"
    assert job_cls(id="x").to_dict() == {"id": "x"}  # only what was set
    assert job_cls(id="x").to_dict(exclude_unset=False)["status"] is None
    assert json.loads(job.to_json()) == job.to_dict()
    assert job.to_json(indent=2).startswith("{\n  ")
    assert job.status is status.RUNNING and str(job.status) == "running"


def test_unknown_enum_values_are_accepted(rt: SimpleNamespace) -> None:  # noqa: F811
    status, job_cls = job_models(rt)
    job = job_cls.model_validate({"id": "j", "status": "paused"})
    assert job.status.value == "paused" and job.status.name == "UNKNOWN_paused"
    assert isinstance(job.status, status) and job.status == "paused"
    assert job.to_dict() == {"id": "j", "status": "paused"}
    with pytest.raises(pydantic.ValidationError):
        job_cls.model_validate({"id": "j", "status": 3})


def test_lenient_client_response(rt: SimpleNamespace) -> None:  # noqa: F811
    _, job_cls = job_models(rt)
    body = {"id": "j", "status": "new-status", "brand_new_field": {"a": 1}}
    client = make_client(rt, Recorder(httpx.Response(200, json=body)))
    job = client.request(job_cls, method="get", path="/jobs/j")
    assert job.to_dict() == body
    assert BASE_URL.startswith("https://")


def tagged_models(rt: SimpleNamespace) -> tuple[type, type]:  # noqa: F811
    models = rt.models

    class Lora(models.TaggedModel):  # type: ignore[misc,name-defined]
        __oagen_always_set__ = ("type",)
        type: Literal["Lora"] = "Lora"
        lora_r: int
        lora_dropout: Optional[float] = None

    class Job(models.BaseModel):  # type: ignore[misc,name-defined]
        id: str
        training: Optional[Lora] = None
        history: list[Lora] = []

    return Lora, Job


def test_single_valued_tags_are_always_set(rt: SimpleNamespace) -> None:  # noqa: F811
    lora, job_cls = tagged_models(rt)
    built = lora(lora_r=8)
    assert built.model_fields_set == {"type", "lora_r"}
    assert built.to_dict() == {"type": "Lora", "lora_r": 8}
    # decoded without the tag (a server that leaves it out), at the top and nested
    decoded = lora.model_validate({"lora_r": 8, "unknown": 1})
    assert decoded.model_fields_set == {"type", "lora_r", "unknown"}
    assert decoded.to_dict() == {"type": "Lora", "lora_r": 8, "unknown": 1}
    job = job_cls.model_validate_json(
        '{"id": "j", "training": {"lora_r": 1}, "history": [{"lora_r": 2, "type": "Lora"}]}'
    )
    assert job.to_dict() == {
        "id": "j",
        "training": {"type": "Lora", "lora_r": 1},
        "history": [{"type": "Lora", "lora_r": 2}],
    }
    assert json.loads(job.to_json()) == job.to_dict()
    assert lora.model_construct(lora_r=3).to_dict() == {"type": "Lora", "lora_r": 3}
    assert rt.models.construct_lenient(lora, {"lora_r": "x"}).model_fields_set == {"type", "lora_r"}
    # None versus missing is unchanged; assignment, copies and state keep the tag set
    assert lora(lora_r=1, lora_dropout=None).to_dict() == {"type": "Lora", "lora_r": 1, "lora_dropout": None}
    decoded.lora_dropout = 0.5
    assert decoded.model_fields_set == {"type", "lora_r", "unknown", "lora_dropout"}
    assert decoded.model_copy(update={"lora_r": 9}).to_dict()["lora_r"] == 9
    assert copy.deepcopy(decoded).model_fields_set == decoded.model_fields_set
    clone = lora.__new__(lora)
    clone.__setstate__(decoded.__getstate__())
    assert clone == decoded and clone.model_fields_set == decoded.model_fields_set
    # set fields of models without tags are pydantic's own
    assert job_cls(id="j").model_fields_set == {"id"}


def test_decoded_models_share_their_set_fields_until_read(rt: SimpleNamespace) -> None:  # noqa: F811
    """Decoding stores one shared, immutable set of set fields per class and size (and pydantic
    calls no ``model_post_init``); each model gets its own set when its set is first read."""
    lora, job_cls = tagged_models(rt)
    assert lora.__pydantic_post_init__ is None and job_cls.__pydantic_post_init__ is None
    slot = pydantic.BaseModel.__dict__["__pydantic_fields_set__"]
    adapter = pydantic.TypeAdapter(list[lora])
    first, second, other, third = adapter.validate_json(
        '[{"lora_r": 1}, {"lora_r": 2}, {"lora_r": 7, "unknown": 0}, {"lora_r": 3, "lora_dropout": null}]'
    )
    assert slot.__get__(first) is slot.__get__(second) and isinstance(slot.__get__(first), frozenset)
    # the same size, other fields: that model keeps its own set
    assert slot.__get__(other) == {"lora_r", "unknown"} and slot.__get__(third) == {"lora_r", "lora_dropout"}
    assert type(slot.__get__(third)) is set
    assert first.model_fields_set == {"type", "lora_r"} and type(first.model_fields_set) is set
    assert first.model_fields_set is first.model_fields_set
    first.lora_dropout = 0.1
    assert first.model_fields_set == {"type", "lora_r", "lora_dropout"}
    assert second.model_fields_set == {"type", "lora_r"} and other.model_fields_set == {"type", "lora_r", "unknown"}
    assert third.to_dict() == {"type": "Lora", "lora_r": 3, "lora_dropout": None}
    assert [m.to_dict() for m in adapter.validate_python([{"lora_r": 4}, {"lora_r": 5}])] == [
        {"type": "Lora", "lora_r": 4},
        {"type": "Lora", "lora_r": 5},
    ]
    # another class has its own shared sets; model_construct's set goes the same way
    jobs = pydantic.TypeAdapter(list[job_cls]).validate_python([{"id": "a"}, {"id": "b"}])
    assert slot.__get__(jobs[0]) is slot.__get__(jobs[1]) and jobs[0].model_fields_set == {"id"}
    built = lora.model_construct(_fields_set={"lora_r"}, lora_r=1)
    assert built.model_fields_set == {"type", "lora_r"} and built.to_dict() == {"type": "Lora", "lora_r": 1}
