"""End to end: the committed clients in generated/ against a real Prism mock server.

Each vendored spec is served by Prism on 127.0.0.1 (one server per spec per
session, see conftest.py); the generated sync and async clients make the cancel
call of seed 001/002/003 and must get the typed model back.  Prism ignores the
path part of servers[].url, so base_url is the server's root.
"""

from __future__ import annotations

import asyncio
import datetime

import pytest

from generated.dataherald import AsyncDataherald, Dataherald
from generated.dataherald import NotFoundError as DhNotFound
from generated.dataherald.models import Finetuning, FineTuningStatus
from generated.portkey import AsyncPortkey, Portkey
from generated.portkey import AuthenticationError as PkAuthError
from generated.portkey import NotFoundError as PkNotFound
from generated.portkey.models import FineTuningJob
from generated.together import AsyncTogether, AuthenticationError, NotFoundError, Together
from generated.together.models import FinetuneJobStatus, FinetuneResponseTruncated

pytestmark = pytest.mark.e2e

NOT_FOUND = {"Prefer": "code=404"}


@pytest.fixture()
def clean_env(monkeypatch):
    for name in ("TOGETHER_API_KEY", "TOGETHER_BASE_URL", "PORTKEY_API_KEY", "PORTKEY_VIRTUAL_KEY",
                 "PORTKEY_BASE_URL", "DATAHERALD_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# ----------------------------------------------------------------------- Together


def test_together_cancel_sync(prism, clean_env):
    server = prism("together")
    with Together(api_key="tok", base_url=server.base_url) as client:
        job = client.fine_tuning.cancel(id="ft-123")
    assert isinstance(job, FinetuneResponseTruncated)
    assert job.id == "ft-01234567890123456789"
    assert job.status is FinetuneJobStatus.COMPLETED
    assert job.created_at == datetime.datetime(2023, 5, 17, 17, 35, 45, 123000, tzinfo=datetime.timezone.utc)
    assert job.events == []
    assert job.model_fields_set >= {"id", "status", "events"}
    assert "validation_file" not in job.model_fields_set


def test_together_cancel_async(prism, clean_env):
    server = prism("together")

    async def main() -> FinetuneResponseTruncated:
        async with AsyncTogether(api_key="tok", base_url=server.base_url) as client:
            return await client.fine_tuning.cancel(id="ft-123")

    job = asyncio.run(main())
    assert isinstance(job, FinetuneResponseTruncated)
    assert job.status is FinetuneJobStatus.COMPLETED


def test_together_env_fallbacks(prism, monkeypatch):
    server = prism("together")
    monkeypatch.setenv("TOGETHER_API_KEY", "from-env")
    monkeypatch.setenv("TOGETHER_BASE_URL", server.base_url)
    client = Together()
    assert client.api_key == "from-env"
    assert str(client.base_url).rstrip("/") == server.base_url
    assert client.fine_tuning.cancel(id="ft-1").id


def test_together_missing_credential_is_authentication_error(prism, clean_env):
    server = prism("together")
    client = Together(base_url=server.base_url)
    with pytest.raises(AuthenticationError) as info:
        client.fine_tuning.cancel(id="ft-123")
    assert info.value.status_code == 401

    async def main() -> None:
        async with AsyncTogether(base_url=server.base_url) as aclient:
            await aclient.fine_tuning.cancel(id="ft-123")

    with pytest.raises(AuthenticationError):
        asyncio.run(main())


def test_together_not_found(prism, clean_env):
    server = prism("together")
    client = Together(api_key="tok", base_url=server.base_url, max_retries=0)
    with pytest.raises(NotFoundError) as info:
        client.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)
    assert info.value.status_code == 404

    async def main() -> None:
        async with AsyncTogether(api_key="tok", base_url=server.base_url) as aclient:
            await aclient.fine_tuning.cancel(id="ft-missing", extra_headers=NOT_FOUND)

    with pytest.raises(NotFoundError):
        asyncio.run(main())


# --------------------------------------------------------------------- Dataherald


def test_dataherald_cancel_sync_and_async(prism, clean_env):
    server = prism("dataherald")
    client = Dataherald(base_url=server.base_url)
    job = client.finetunings.cancel("ft-1", body_finetuning_id="ft-1", metadata={"by": "test"})
    assert isinstance(job, Finetuning)
    assert job.status is FineTuningStatus.CANCELLED
    assert job.base_llm.model_parameters is not None
    assert job.base_llm.model_parameters.n_epochs == "1"
    assert job.finetuning_job_id is None and "finetuning_job_id" in job.model_fields_set

    async def main() -> Finetuning:
        async with AsyncDataherald(base_url=server.base_url) as aclient:
            return await aclient.finetunings.cancel("ft-1", body_finetuning_id="ft-1")

    assert asyncio.run(main()).status is FineTuningStatus.CANCELLED


def test_dataherald_not_found(prism, clean_env):
    server = prism("dataherald")
    client = Dataherald(base_url=server.base_url)
    with pytest.raises(DhNotFound):
        client.finetunings.cancel("ft-1", body_finetuning_id="ft-1", extra_headers=NOT_FOUND)


# ------------------------------------------------------------------------ Portkey


def test_portkey_cancel_sync_and_async(prism, clean_env):
    server = prism("portkey")
    client = Portkey(api_key="pk", virtual_key="vk", base_url=server.base_url)
    job = client.fine_tuning.cancel("ftjob-abc123")
    assert isinstance(job, FineTuningJob)
    assert job.object == "fine_tuning.job"
    assert job.hyperparameters.n_epochs == "auto"
    assert job.integrations and job.integrations[0].wandb.project == "my-wandb-project"

    async def main() -> FineTuningJob:
        async with AsyncPortkey(api_key="pk", virtual_key="vk", base_url=server.base_url) as aclient:
            return await aclient.fine_tuning.cancel("ftjob-abc123")

    assert asyncio.run(main()).id == job.id


def test_portkey_env_credentials_and_missing_one(prism, clean_env, monkeypatch):
    server = prism("portkey")
    monkeypatch.setenv("PORTKEY_API_KEY", "pk")
    monkeypatch.setenv("PORTKEY_VIRTUAL_KEY", "vk")
    assert Portkey(base_url=server.base_url).fine_tuning.cancel("ftjob-1").id
    monkeypatch.delenv("PORTKEY_VIRTUAL_KEY")
    with pytest.raises(PkAuthError):
        Portkey(base_url=server.base_url).fine_tuning.cancel("ftjob-1")


def test_portkey_not_found(prism, clean_env):
    server = prism("portkey")
    client = Portkey(api_key="pk", virtual_key="vk", base_url=server.base_url)
    with pytest.raises(PkNotFound):
        client.fine_tuning.cancel("ftjob-abc123", extra_headers=NOT_FOUND)
