"""Static typing of the runtime as users of a generated client see it.

One ``mypy --strict`` run checks the runtime package, the hand-written demo
client of test_runtime_response.py (the shape the generator renders), a
usage file full of ``assert_type`` and a file of mistakes that must be
reported, each on the line marked ``# E``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from test_runtime import PKG, REPO, rt  # noqa: F401  (rt is a fixture)
from test_runtime_response import DEMO_SOURCE

USAGE = textwrap.dedent(f"""
    from __future__ import annotations

    import httpx
    from typing_extensions import assert_type

    from {PKG}._base_client import PageInfo
    from {PKG}._pagination import AsyncCursorPage, AsyncPaginator, SyncCursorPage, SyncOffsetPage
    from {PKG}._response import APIResponse, AsyncAPIResponse
    from {PKG}._streaming import AsyncStream, ServerSentEvent, Stream
    from {PKG}.demo import AsyncDemo, Demo, Job, JobEvent


    def sync_usage(client: Demo) -> None:
        assert_type(client.fine_tuning.cancel("ft-1"), Job)
        assert_type(client.with_raw_response.fine_tuning.cancel("ft-1"), APIResponse[Job])
        assert_type(client.fine_tuning.with_raw_response.cancel(id="ft-1"), APIResponse[Job])
        raw = client.with_raw_response.fine_tuning.cancel("ft-1", extra_headers={{"X": "1"}})
        assert_type(raw.parse(), Job)
        assert_type(raw.status_code, int)
        assert_type(raw.headers, httpx.Headers)
        assert_type(raw.http_request, httpx.Request)
        assert_type(raw.http_response, httpx.Response)
        assert_type(raw.retries_taken, int)
        assert_type(raw.read(), bytes)
        assert_type(raw.text(), str)
        for chunk in raw.iter_bytes():
            assert_type(chunk, bytes)
        for line in raw.iter_lines():
            assert_type(line, str)
        assert_type(client.with_raw_response.fine_tuning.delete("ft-1"), APIResponse[None])

        with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
            assert_type(response, APIResponse[Job])
            assert_type(response.parse(), Job)

        page = client.fine_tuning.list(limit=2)
        assert_type(page, SyncCursorPage[Job])
        assert_type(page.items, list[Job])
        assert_type(page.has_next_page(), bool)
        assert_type(page.next_page(), SyncCursorPage[Job])
        for job in page:
            assert_type(job, Job)
        for each in page.iter_pages():
            assert_type(each, SyncCursorPage[Job])
        assert_type(client.with_raw_response.fine_tuning.list().parse(), SyncCursorPage[Job])
        with client.with_streaming_response.fine_tuning.list() as listed:
            assert_type(listed.parse(), SyncCursorPage[Job])

        assert_type(client.fine_tuning.events("ft-1"), list[JobEvent])
        stream = client.fine_tuning.events("ft-1", stream=True)
        assert_type(stream, Stream[JobEvent])
        with stream as entered:
            assert_type(entered, Stream[JobEvent])
            for event in entered:
                assert_type(event, JobEvent)
        assert_type(next(stream), JobEvent)

        assert_type(
            client.request(Job, method="get", path="/x", stream=True, stream_cls=Stream[JobEvent]),
            Stream[JobEvent],
        )
        assert_type(client.request(Job, method="get", path="/x"), Job)
        assert_type(client.request(None, method="delete", path="/x"), None)
        offset = client.request_page(
            SyncOffsetPage[Job], PageInfo(style="offset"), method="get", path="/jobs"
        )
        assert_type(offset, SyncOffsetPage[Job])
        assert_type(client.copy(strict_response_validation=True), Demo)


    async def async_usage(client: AsyncDemo) -> None:
        assert_type(await client.fine_tuning.cancel("ft-1"), Job)
        raw = await client.with_raw_response.fine_tuning.cancel("ft-1")
        assert_type(raw, AsyncAPIResponse[Job])
        assert_type(await raw.parse(), Job)
        assert_type(await raw.read(), bytes)
        async for chunk in raw.iter_bytes():
            assert_type(chunk, bytes)
        async with client.with_streaming_response.fine_tuning.cancel("ft-1") as response:
            assert_type(response, AsyncAPIResponse[Job])
            assert_type(await response.parse(), Job)

        paginator = client.fine_tuning.list(limit=2)
        assert_type(paginator, AsyncPaginator[AsyncCursorPage[Job]])
        async for job in paginator:
            assert_type(job, Job)
        page = await client.fine_tuning.list()
        assert_type(page, AsyncCursorPage[Job])
        assert_type(page.items, list[Job])
        async for item in page:
            assert_type(item, Job)
        assert_type(await page.next_page(), AsyncCursorPage[Job])
        async for each in page.iter_pages():
            assert_type(each, AsyncCursorPage[Job])
        raw_page = await client.with_raw_response.fine_tuning.list()
        assert_type(raw_page, AsyncAPIResponse[AsyncCursorPage[Job]])
        assert_type(await raw_page.parse(), AsyncCursorPage[Job])
        async with client.with_streaming_response.fine_tuning.list() as listed:
            assert_type(await listed.parse(), AsyncCursorPage[Job])

        stream = await client.fine_tuning.events("ft-1", stream=True)
        assert_type(stream, AsyncStream[JobEvent])
        async with stream as entered:
            async for event in entered:
                assert_type(event, JobEvent)
        assert_type(
            await client.request(
                Job, method="get", path="/x", stream=True, stream_cls=AsyncStream[JobEvent]
            ),
            AsyncStream[JobEvent],
        )
        assert_type(ServerSentEvent(data="x").data, str)
    """)

MISTAKES = textwrap.dedent(f"""
    from __future__ import annotations

    from {PKG}.demo import AsyncDemo, Demo


    def sync_mistakes(client: Demo) -> None:
        client.with_raw_response.fine_tuning.cancel(1)  # E
        client.with_raw_response.fine_tuning.cancel("ft-1", bogus=True)  # E
        client.with_raw_response.fine_tuning.cancel("ft-1").parse().nope  # E
        with client.with_streaming_response.fine_tuning.cancel() as response:  # E
            pass
        for job in client.fine_tuning.list():
            job.nope  # E
        client.fine_tuning.list().next_page().items[0].nope  # E


    async def async_mistakes(client: AsyncDemo) -> None:
        await client.with_raw_response.fine_tuning.cancel(1)  # E
        (await client.fine_tuning.list()).items.nope  # E
        async for job in client.fine_tuning.list():
            job.nope  # E
        client.fine_tuning.list().items  # E
    """)


@pytest.fixture(scope="module")
def mypy_output(rt: SimpleNamespace) -> str:  # noqa: F811
    (rt.pkg / "demo.py").write_text(DEMO_SOURCE)
    (rt.root / "usage_ok.py").write_text(USAGE)
    (rt.root / "usage_mistakes.py").write_text(MISTAKES)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            PKG,
            "usage_ok.py",
            "usage_mistakes.py",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=rt.root,
    )
    return result.stdout + result.stderr


def test_runtime_and_demo_client_pass_mypy_strict(mypy_output: str) -> None:
    errors = [line for line in mypy_output.splitlines() if "usage_mistakes.py" not in line]
    assert not errors, "\n".join(errors)


def test_usage_types_are_exact(mypy_output: str) -> None:
    assert "usage_ok.py" not in mypy_output, mypy_output


def test_mistakes_are_reported(mypy_output: str) -> None:
    expected = {number for number, line in enumerate(MISTAKES.splitlines(), start=1) if line.rstrip().endswith("# E")}
    reported = {int(match.group(1)) for match in re.finditer(r"^usage_mistakes\.py:(\d+): error", mypy_output, re.M)}
    assert reported == expected, mypy_output
