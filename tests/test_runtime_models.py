"""The lenient models of templates/runtime/_models.py: to_dict/to_json, open enums."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Optional

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
