"""What only Loop does: a dedup key on every attempt, its schedule call, errors, odd answers."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from loop_comms_client import (
    ConflictError,
    Message,
    NotFoundError,
    ResponseValidationError,
    RetryPolicy,
    ScheduledMessage,
    UnprocessableEntityError,
    raw_response,
)
from loop_comms_client.testing import FakeLoopComms
from tests.conftest import LoopFactory, Script, collect, fake_twin, json_body, resolve
from tests.loop_comms.conftest import (
    BRAND_ID,
    DEDUP_KEY,
    MESSAGE_ID,
    RECIPIENT,
    SCHEDULED_ID,
    schedule_kwargs,
    scheduled,
    scheduled_json,
    send_kwargs,
    sent,
)
from tests.loop_comms.test_fake import schedule_fields, send_fields

pytestmark = pytest.mark.anyio


SENDS = ["schedule", "send"]


@pytest.mark.parametrize("call", SENDS)
async def test_every_attempt_of_a_send_or_schedule_carries_the_same_dedup_key(
    make_loop: LoopFactory, call: str
) -> None:
    ok = scheduled() if call == "schedule" else sent()
    script = Script(httpx.ReadTimeout, httpx.Response(503), httpx.Response(429), ok)
    client = make_loop(script, retry_policy=RetryPolicy.no_wait(max_retries=3))
    kwargs = schedule_kwargs if call == "schedule" else send_kwargs

    result = await resolve(getattr(client.messages, call)(**kwargs(variables={"n": [1, 2]})))

    assert len({request.content for request in script.requests}) == 1
    assert {json_body(r)["dedup_key"] for r in script.requests} == {DEDUP_KEY}
    assert {r.headers["Content-Type"] for r in script.requests} == {"application/json"}
    assert isinstance(result, ScheduledMessage if call == "schedule" else Message)
    assert raw_response(result).retries_taken == 3


def loop_error(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message}, headers=headers or None)


async def test_422_names_loops_code_and_message(make_loop: LoopFactory) -> None:
    script = Script(
        loop_error(422, "validation_error", "recipient is suppressed", **{"x-request-id": "r-422"})
    )
    client = make_loop(script)

    with pytest.raises(UnprocessableEntityError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    error = caught.value
    text = str(error)
    assert "422" in text
    assert "validation_error" in text
    assert "recipient is suppressed" in text
    assert "r-422" in text
    assert error.status_code == 422
    assert error.request_id == "r-422"
    assert error.body == {"error": "validation_error", "message": "recipient is suppressed"}
    assert error.errors == {}
    assert len(script.requests) == 1


async def test_422_on_schedule_is_not_retried(make_loop: LoopFactory) -> None:
    script = Script(loop_error(422, "precondition_failed", "no consent for channel"))
    client = make_loop(script)

    with pytest.raises(UnprocessableEntityError, match="no consent for channel"):
        await resolve(client.messages.schedule(**schedule_kwargs()))

    assert len(script.requests) == 1


@pytest.mark.parametrize("call", ["get", "get_scheduled"])
async def test_404_raises_not_found_with_loops_message(make_loop: LoopFactory, call: str) -> None:
    script = Script(loop_error(404, "not_found", "message not found", **{"x-request-id": "r-404"}))
    client = make_loop(script)

    read = client.messages.get if call == "get" else client.messages.get_scheduled

    with pytest.raises(NotFoundError) as caught:
        await resolve(read(MESSAGE_ID if call == "get" else SCHEDULED_ID))

    text = str(caught.value)
    assert "404" in text
    assert "not_found: message not found" in text
    assert "r-404" in text
    assert len(script.requests) == 1


def off_spec_schedule() -> httpx.Response:
    body = scheduled_json(scheduled_at="next tuesday", status=None)
    del body["created_at"]
    return httpx.Response(201, json=body)


async def test_an_off_spec_2xx_returns_the_model_and_logs_a_warning(
    make_loop: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="loop_comms_client")
    script = Script(off_spec_schedule())
    client = make_loop(script)

    result = await resolve(client.messages.schedule(**schedule_kwargs()))

    assert isinstance(result, ScheduledMessage)
    assert result.id == SCHEDULED_ID
    assert result.recipient == RECIPIENT
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "ScheduledMessage" in text
    for field in ("scheduled_at", "status", "created_at"):
        assert field in text
    assert "next tuesday" not in text
    assert RECIPIENT not in text
    assert len(script.requests) == 1


async def test_an_off_spec_2xx_raises_when_strict(make_loop: LoopFactory) -> None:
    script = Script(off_spec_schedule())
    client = make_loop(script, strict_responses=True)

    with pytest.raises(ResponseValidationError) as caught:
        await resolve(client.messages.schedule(**schedule_kwargs()))

    text = str(caught.value)
    assert "ScheduledMessage" in text
    assert "scheduled_at" in text
    assert "next tuesday" not in text
    assert RECIPIENT not in text
    assert len(script.requests) == 1


async def test_an_off_spec_list_item_is_kept_with_a_warning(
    make_loop: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="loop_comms_client")
    body: dict[str, Any] = {"data": [scheduled_json(), {"id": "sch-broken"}]}
    client = make_loop(Script(httpx.Response(200, json=body)))

    items = await collect(await resolve(client.messages.list_scheduled(brand_id=BRAND_ID)))

    assert [m.id for m in items] == [SCHEDULED_ID, "sch-broken"]
    assert any("ScheduledMessage" in r.getMessage() for r in caplog.records)


async def test_a_list_answer_that_is_not_a_list_raises(make_loop: LoopFactory) -> None:
    client = make_loop(Script(httpx.Response(200, json={"messages": []})))

    with pytest.raises(ResponseValidationError, match="expected a list"):
        await resolve(client.messages.list_scheduled(brand_id=BRAND_ID))


async def test_an_invalid_recipient_is_not_echoed(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="recipient") as caught:
        await resolve(client.messages.send(**send_kwargs(recipient=["+447700900999"])))

    assert "447700900999" not in str(caught.value)
    assert script.requests == []


async def test_a_bad_id_is_not_echoed(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="message_id") as caught:
        await resolve(client.messages.get(4477009009))  # type: ignore[arg-type]

    assert "4477009009" not in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
@pytest.mark.parametrize("call", SENDS)
async def test_the_fake_refuses_the_repeat_of_a_lost_answer_as_a_duplicate(
    fake_loop_comms: FakeLoopComms, twin: str, call: str, lose: str
) -> None:
    fake = fake_loop_comms
    getattr(fake, lose)()
    fields = schedule_fields(fake) if call == "schedule" else send_fields(fake)
    async with fake_twin(fake, twin) as loop:
        with pytest.raises(ConflictError) as caught:
            await resolve(getattr(loop.messages, call)(**fields))

    assert caught.value.earlier_attempt_probably_accepted is True
    assert caught.value.body == {
        "error": "duplicate",
        "message": "dedup_key: already used for this brand",
    }
    first, repeat = fake.requests
    assert repeat.content == first.content  # the same bytes, the same dedup key
    assert len(fake.messages) == 1  # the fake acted on the attempt whose answer was lost
