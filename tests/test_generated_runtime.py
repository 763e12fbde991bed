"""The runtime features, as users meet them in generated clients (httpx.MockTransport).

Seed clients from generated/ (Together, Dataherald, Portkey) and the client generated
from ../shared/corpus/openai.yaml: retries, timeouts, typed errors, raw and streaming
responses, server-sent events, pagination, per-call options, idempotency keys,
logging, strictness, transport options.  Every feature is exercised sync and async.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from typing import Any, Callable

import httpx
import pytest

from generated.dataherald import Dataherald
from generated.portkey import Portkey
from generated.together import (
    APITimeoutError,
    AsyncTogether,
    AuthenticationError,
    RateLimitError,
    Together,
)
from generated.together.models import FinetuneJobStatus, FinetuneResponseTruncated

JOB = {
    "id": "ft-1",
    "status": "running",
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z",
}


class Recorder:
    """A MockTransport handler answering from a list (the last answer repeats)."""

    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request) if callable(answer) else answer


def together(rec: Recorder, **kwargs: Any) -> Together:
    client = Together(api_key="sk-secret-key", base_url="https://api.test/v1",
                      http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kwargs)
    client._sleep = lambda seconds: None  # type: ignore[method-assign]
    return client


def atogether(rec: Recorder, **kwargs: Any) -> AsyncTogether:
    client = AsyncTogether(api_key="sk-secret-key", base_url="https://api.test/v1",
                           http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)), **kwargs)

    async def no_sleep(seconds: float) -> None:
        return None

    client._sleep = no_sleep  # type: ignore[method-assign]
    return client


# ------------------------------------------------------------------ retries, errors


def test_retries_honour_retry_after_then_succeed_sync_and_async() -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "0"}, json={"error": "slow down"}),
                   httpx.Response(503), httpx.Response(200, json=JOB))
    job = together(rec).fine_tuning.cancel(id="ft-1")
    assert isinstance(job, FinetuneResponseTruncated) and job.status is FinetuneJobStatus.RUNNING
    assert len(rec.requests) == 3

    rec = Recorder(httpx.Response(429), httpx.Response(200, json=JOB))

    async def main() -> FinetuneResponseTruncated:
        async with atogether(rec) as client:
            return await client.fine_tuning.cancel(id="ft-1")

    assert asyncio.run(main()).id == "ft-1"
    assert len(rec.requests) == 2


def test_max_retries_per_client_with_options_and_per_call() -> None:
    rec = Recorder(httpx.Response(500))
    client = together(rec)
    with pytest.raises(Exception) as info:
        client.fine_tuning.cancel(id="ft-1")
    assert len(rec.requests) == 3  # 2 retries by default
    assert info.value.status_code == 500  # type: ignore[attr-defined]
    rec.requests.clear()
    with pytest.raises(Exception):
        client.with_options(max_retries=0).fine_tuning.cancel(id="ft-1")
    assert len(rec.requests) == 1
    rec.requests.clear()
    with pytest.raises(Exception):
        client.fine_tuning.cancel(id="ft-1", max_retries=1)
    assert len(rec.requests) == 2


def test_typed_errors_carry_status_body_headers_request_and_request_id() -> None:
    rec = Recorder(httpx.Response(429, json={"error": {"message": "slow"}}, headers={"x-request-id": "req-9"}))
    with pytest.raises(RateLimitError) as info:
        together(rec, max_retries=0).fine_tuning.cancel(id="ft-1")
    err = info.value
    assert err.status_code == 429 and err.body == {"error": {"message": "slow"}}
    assert err.request_id == "req-9" and err.request.url.path == "/v1/fine-tunes/ft-1/cancel"
    assert err.response.headers["x-request-id"] == "req-9"
    assert "sk-secret-key" not in str(err) and "sk-secret-key" not in repr(err)


def test_timeout_raises_api_timeout_error_sync_and_async() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    rec = Recorder(slow)
    with pytest.raises(APITimeoutError):
        together(rec).fine_tuning.cancel(id="ft-1", timeout=0.5)
    assert len(rec.requests) == 3  # timeouts are retried

    async def main() -> None:
        async with atogether(Recorder(slow), max_retries=0) as client:
            await client.fine_tuning.cancel(id="ft-1")

    with pytest.raises(APITimeoutError):
        asyncio.run(main())


# ---------------------------------------------------------- raw and streamed responses


def test_with_raw_response_and_with_streaming_response() -> None:
    rec = Recorder(httpx.Response(200, json=JOB, headers={"x-request-id": "r1"}))
    client = together(rec)
    raw = client.with_raw_response.fine_tuning.cancel(id="ft-1")
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "r1"
    assert raw.http_request.url.path == "/v1/fine-tunes/ft-1/cancel"
    assert isinstance(raw.parse(), FinetuneResponseTruncated)
    with client.with_streaming_response.fine_tuning.cancel(id="ft-1") as streamed:
        assert streamed.status_code == 200
        assert json.loads(b"".join(streamed.iter_bytes())) == JOB
    assert streamed.is_closed

    async def main() -> None:
        async with atogether(Recorder(httpx.Response(200, json=JOB))) as aclient:
            araw = await aclient.with_raw_response.fine_tuning.cancel(id="ft-1")
            assert (await araw.parse()).id == "ft-1"
            async with aclient.with_streaming_response.fine_tuning.cancel(id="ft-1") as astreamed:
                assert (await astreamed.parse()).id == "ft-1"

    asyncio.run(main())


# -------------------------------------------------------------------- per-call options


def test_extra_headers_query_body_and_user_agent() -> None:
    rec = Recorder(httpx.Response(200, json={"id": "x", "db_connection_id": "d", "status": "queued",
                                             "created_at": "2024-01-01T00:00:00", "base_llm": {}}))
    client = Dataherald(base_url="https://dh.test", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.finetunings.cancel("ft-1", body_finetuning_id="ft-1", extra_headers={"X-Trace": "t"},
                              extra_query={"debug": True}, extra_body={"note": "n"})
    sent = rec.requests[-1]
    assert sent.headers["x-trace"] == "t"
    assert sent.url.params["debug"] == "true"
    assert json.loads(sent.content) == {"finetuning_id": "ft-1", "note": "n"}  # metadata left out: not sent
    assert sent.headers["user-agent"].startswith("Dataherald/Python ")
    client.finetunings.cancel("ft-1", body_finetuning_id="ft-1", metadata=None)
    assert json.loads(rec.requests[-1].content) == {"finetuning_id": "ft-1", "metadata": None}  # None: null


def test_credential_headers_and_env_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTKEY_API_KEY", "pk-env")
    monkeypatch.setenv("PORTKEY_VIRTUAL_KEY", "vk-env")
    rec = Recorder(httpx.Response(200, json={}))
    client = Portkey(base_url="https://pk.test", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.fine_tuning.cancel("ftjob-1")
    sent = rec.requests[-1]
    assert sent.headers["x-portkey-api-key"] == "pk-env" and sent.headers["x-portkey-virtual-key"] == "vk-env"
    assert "pk-env" not in repr(client) and "vk-env" not in repr(client)


def test_strict_response_validation_is_opt_in() -> None:
    body = {**JOB, "status": "brand_new_status", "surprise": 1}
    lenient = together(Recorder(httpx.Response(200, json=body))).fine_tuning.cancel(id="ft-1")
    assert lenient.status.value == "brand_new_status" and lenient.model_extra == {"surprise": 1}
    with pytest.raises(Exception) as info:
        together(Recorder(httpx.Response(200, json=body)), strict_response_validation=True).fine_tuning.cancel(id="x")
    assert type(info.value).__name__ == "APIResponseValidationError"


def test_models_to_dict_and_to_json_keep_wire_names_and_set_fields() -> None:
    job = together(Recorder(httpx.Response(200, json=JOB))).fine_tuning.cancel(id="ft-1")
    assert job.to_dict() == JOB
    assert json.loads(job.to_json()) == JOB


def test_logging_env_var_redacts_credentials(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("TOGETHER_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="together")
    together(Recorder(httpx.Response(200, json=JOB))).fine_tuning.cancel(id="ft-1")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/fine-tunes/ft-1/cancel" in text
    assert "sk-secret-key" not in text


def test_context_manager_closes_the_pool() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Recorder(httpx.Response(200, json=JOB))))
    with Together(api_key="k", base_url="https://x.test", http_client=http) as client:
        client.fine_tuning.cancel(id="ft-1")
    assert http.is_closed


def test_missing_credential_sends_no_auth_header_and_401_is_typed() -> None:
    rec = Recorder(httpx.Response(401, json={"error": "no key"}))
    client = Together(base_url="https://x.test", http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    client.api_key = None
    with pytest.raises(AuthenticationError):
        client.fine_tuning.cancel(id="ft-1")
    assert "authorization" not in rec.requests[-1].headers


# ------------------------------------------------- the client of the full OpenAI spec


def _openai(corpus: dict[str, Any]) -> Any:
    return importlib.import_module(corpus["openai"]["package"])


def _sse(*events: str) -> bytes:
    return "".join(f"data: {e}\n\n" for e in events).encode()


CHUNK = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-x",
         "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]}


def test_openai_streaming_chat_completions_sync_and_async(corpus: dict[str, Any]) -> None:
    openai = _openai(corpus)
    models = importlib.import_module(f"{corpus['openai']['package']}.models")
    body = _sse(json.dumps(CHUNK), json.dumps(CHUNK), "[DONE]")
    rec = Recorder(lambda r: httpx.Response(200, content=body, headers={"content-type": "text/event-stream"}))
    client = openai.OpenAI(api_key="sk", base_url="https://oa.test/v1",
                           http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    messages = [{"role": "user", "content": "Hello"}]
    stream = client.chat.create(messages=messages, model="gpt-x", stream=True)
    chunks = list(stream)
    assert [type(c) for c in chunks] == [models.CreateChatCompletionStreamResponse] * 2
    assert json.loads(rec.requests[-1].content)["stream"] is True
    error_body = _sse(json.dumps({"error": {"message": "boom"}}))
    rec.answers = [lambda r: httpx.Response(200, content=error_body, headers={"content-type": "text/event-stream"})]
    with pytest.raises(openai.APIStreamError):
        list(client.chat.create(messages=messages, model="gpt-x", stream=True))

    async def main() -> list[Any]:
        rec.answers = [lambda r: httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})]
        aclient = openai.AsyncOpenAI(api_key="sk", base_url="https://oa.test/v1",
                                     http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)))
        astream = await aclient.chat.create(messages=messages, model="gpt-x", stream=True)
        return [c async for c in astream]

    assert len(asyncio.run(main())) == 2


def _job(i: int) -> dict[str, Any]:
    return {"id": f"ftjob-{i}", "object": "fine_tuning.job", "created_at": 1, "error": None,
            "fine_tuned_model": None, "finished_at": None, "hyperparameters": {}, "model": "m",
            "organization_id": "o", "result_files": [], "status": "running", "trained_tokens": None,
            "training_file": "f", "validation_file": None, "seed": 1}


def test_openai_cursor_paginated_fine_tuning_jobs_sync_and_async(corpus: dict[str, Any]) -> None:
    openai = _openai(corpus)

    def pages(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        if after is None:
            return httpx.Response(200, json={"object": "list", "data": [_job(1), _job(2)], "has_more": True})
        assert after == "ftjob-2"
        return httpx.Response(200, json={"object": "list", "data": [_job(3)], "has_more": False})

    rec = Recorder(pages)
    client = openai.OpenAI(api_key="sk", base_url="https://oa.test/v1",
                           http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    page = client.fine_tuning.list(limit=2)
    assert page.has_next_page() and [j.id for j in page.items] == ["ftjob-1", "ftjob-2"]
    assert [job.id for job in client.fine_tuning.list(limit=2)] == ["ftjob-1", "ftjob-2", "ftjob-3"]
    assert not page.next_page().has_next_page()

    async def main() -> list[str]:
        aclient = openai.AsyncOpenAI(api_key="sk", base_url="https://oa.test/v1",
                                     http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)))
        return [job.id async for job in aclient.fine_tuning.list(limit=2)]

    assert asyncio.run(main()) == ["ftjob-1", "ftjob-2", "ftjob-3"]


def test_openai_multipart_file_upload(corpus: dict[str, Any]) -> None:
    openai = _openai(corpus)
    uploaded = {"id": "file-1", "object": "file", "bytes": 5, "created_at": 1, "filename": "data.jsonl",
                "purpose": "fine-tune", "status": "uploaded"}
    rec = Recorder(httpx.Response(200, json=uploaded))
    client = openai.OpenAI(api_key="sk", base_url="https://oa.test/v1",
                           http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    result = client.files.create(file=("data.jsonl", b'{"a":1}', "application/jsonl"), purpose="fine-tune")
    assert result.id == "file-1"
    sent = rec.requests[-1]
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    content = sent.read()
    assert b'filename="data.jsonl"' in content and b'{"a":1}' in content
    assert b'name="purpose"' in content and b"fine-tune" in content
