"""What only Plannr does: account uuids, Laravel 422s, off-spec answers, inline uploads, paging."""

from __future__ import annotations

import io
import logging
import os
from typing import Any

import httpx
import pytest

from plannr_client import (
    InternalServerError,
    OutcomeUnknownError,
    ResponseValidationError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import PLANNR_ACCOUNT_UUID, PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    conversation_json,
    laravel_422,
    message_response,
    page_response,
)

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PLANNR_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("PLANNR_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("source", ["argument", "environment"])
@pytest.mark.parametrize(
    "bad",
    [
        "Distinct-Account-77",
        "12345",
        f"{PLANNR_ACCOUNT_UUID}/x-Distinct",
        " " + PLANNR_ACCOUNT_UUID,
    ],
)
async def test_account_uuid_that_is_not_a_uuid_is_refused(
    make_plannr: PlannrFactory, monkeypatch: pytest.MonkeyPatch, source: str, bad: str
) -> None:
    script = Script(message_response())
    if source == "environment":
        monkeypatch.setenv("PLANNR_ACCOUNT_UUID", bad)

    with pytest.raises(ValueError, match="account_uuid") as caught:
        make_plannr(script, account_uuid=bad if source == "argument" else None)

    assert "PLANNR_ACCOUNT_UUID" in str(caught.value)
    assert "Distinct" not in str(caught.value)
    assert script.requests == []


async def test_account_uuid_of_the_wrong_type_is_refused(make_plannr: PlannrFactory) -> None:
    with pytest.raises(ValueError, match="account_uuid"):
        make_plannr(Script(message_response()), account_uuid=12345)


async def send(client: Any) -> Any:
    return await resolve(
        client.conversations.send_message(CONVERSATION_UUID, contents="Your review is booked")
    )


async def test_laravel_422_exposes_field_errors(make_plannr: PlannrFactory) -> None:
    client = make_plannr(Script(laravel_422()))

    with pytest.raises(UnprocessableEntityError) as caught:
        await send(client)

    error = caught.value
    assert error.errors == {"contents": ["The contents field is required."]}
    assert "contents" in str(error)
    assert "The given data was invalid." in str(error)
    assert "422" in str(error)
    assert "req-422" in str(error)


async def test_an_off_spec_list_row_warns_or_raises_when_strict(
    make_plannr: PlannrFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="plannr_client")
    rows = [{"uuid": CONVERSATION_UUID, "messages_count": "many"}]
    lenient = make_plannr(Script(httpx.Response(200, json={"data": rows})))
    strict = make_plannr(Script(httpx.Response(200, json={"data": rows})), strict_responses=True)

    (conversation,) = await collect(await resolve(lenient.conversations.list()))
    with pytest.raises(ResponseValidationError, match="messages_count"):
        await resolve(strict.conversations.list())

    assert conversation.uuid == CONVERSATION_UUID
    assert any("messages_count" in r.getMessage() for r in caplog.records)


async def test_a_list_answer_that_is_not_a_list_raises(make_plannr: PlannrFactory) -> None:
    client = make_plannr(Script(httpx.Response(200, json={"message": "ok"})))

    with pytest.raises(ResponseValidationError, match=CONVERSATIONS_PATH):
        await resolve(client.conversations.list())


OTHER_UUID = "2c5d7e9f-1a3b-4c6d-8e0f-a1b2c3d4e5f6"


class Recorder:
    """A Script that also keeps the bytes each attempt carried, read when it arrived."""

    def __init__(self, *steps: Any) -> None:
        self.script = Script(*steps)
        self.bodies: list[bytes] = []

    @property
    def requests(self) -> list[httpx.Request]:
        return self.script.requests

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(bytes(request.read()))
        return self.script(request)


def send_multipart(client: Any) -> Any:
    return client.conversations.send_message_with_attachments(
        CONVERSATION_UUID,
        contents="Your letters",
        files=[io.BytesIO(b"%PDF-1.4 letter"), ("scan.png", b"\x89PNG scan", "image/png")],
    )


async def test_multipart_retry_resends_every_file_byte_for_byte(
    make_plannr: PlannrFactory,
) -> None:
    recorder = Recorder(httpx.Response(429), message_response())
    client = make_plannr(recorder)

    await resolve(send_multipart(client))

    first, second = recorder.bodies
    assert first == second
    for part in (b"%PDF-1.4 letter", b"\x89PNG scan", b"Your letters"):
        assert part in second  # the one-shot file object was not left drained
    assert second.count(b'name="files[]"') == 2


async def test_second_page_fetch_is_retried_with_its_query(make_plannr: PlannrFactory) -> None:
    script = Script(
        page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)], number=1, last=2),
        httpx.Response(503),
        page_response(CONVERSATIONS_PATH, [conversation_json(OTHER_UUID)], number=2, last=2),
    )
    client = make_plannr(script)

    conversations = await collect(await resolve(client.conversations.list(sort="created_at")))

    assert [c.uuid for c in conversations] == [CONVERSATION_UUID, OTHER_UUID]
    _, failed, retried = script.requests
    assert failed.url == retried.url
    assert dict(retried.url.params) == {"sort": "created_at", "page": "2"}


@pytest.mark.parametrize(
    ("failure", "requests", "raised"),
    [
        (httpx.ReadTimeout, 1, OutcomeUnknownError),
        (httpx.RemoteProtocolError, 1, OutcomeUnknownError),
        (500, 1, InternalServerError),
        (503, 1, InternalServerError),
        (httpx.ConnectError, 2, None),
        (httpx.ConnectTimeout, 2, None),
        (429, 2, None),
    ],
)
async def test_an_inline_send_is_repeated_only_when_it_provably_did_not_act(
    make_plannr: PlannrFactory, failure: Any, requests: int, raised: type[Exception] | None
) -> None:
    step = httpx.Response(failure) if isinstance(failure, int) else failure
    recorder = Recorder(step, message_response())
    client = make_plannr(recorder)

    if raised is None:
        result = await resolve(send_multipart(client))
        assert raw_response(result).retries_taken == 1
        first, second = recorder.bodies
        assert first == second
        assert second != b""
    else:
        with pytest.raises(raised):
            await resolve(send_multipart(client))
    assert len(recorder.requests) == requests
