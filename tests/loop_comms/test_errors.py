"""Loop's `{error, message}` answers become typed errors; odd 2xx answers are handled safely."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from loop_comms_client import (
    APIError,
    APIStatusError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ScheduledMessage,
    UnprocessableEntityError,
)
from tests.conftest import LoopFactory, Script, collect, resolve
from tests.loop_comms.conftest import (
    BRAND_ID,
    MESSAGE_ID,
    RECIPIENT,
    SCHEDULED_ID,
    schedule_kwargs,
    scheduled_json,
    send_kwargs,
)

pytestmark = pytest.mark.anyio


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


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
async def test_status_maps_to_its_error_class(
    make_loop: LoopFactory, status: int, cls: type[APIStatusError]
) -> None:
    script = Script(loop_error(status, "some_code", "what Loop said"))
    client = make_loop(script, retry_policy=RetryPolicy.no_wait(max_retries=0))

    with pytest.raises(cls) as caught:
        await resolve(client.messages.schedule(**schedule_kwargs()))

    assert type(caught.value) is cls
    assert isinstance(caught.value, APIError)
    assert caught.value.status_code == status
    assert str(status) in str(caught.value)
    assert "some_code: what Loop said" in str(caught.value)


async def test_429_carries_retry_after(make_loop: LoopFactory) -> None:
    script = Script(
        httpx.Response(
            429,
            json={"error": "rate_limited", "message": "slow down"},
            headers={"Retry-After": "7"},
        )
    )
    client = make_loop(script, retry_policy=RetryPolicy.no_wait(max_retries=0))

    with pytest.raises(RateLimitError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert caught.value.retry_after == 7
    assert "slow down" in str(caught.value)


async def test_an_html_gateway_page_is_not_pasted_into_the_error(make_loop: LoopFactory) -> None:
    page = httpx.Response(
        502, text="<html><body><h1>502 Bad Gateway</h1></body></html>", headers={}
    )
    client = make_loop(Script(page), retry_policy=RetryPolicy.no_wait(max_retries=0))

    with pytest.raises(InternalServerError) as caught:
        await resolve(client.messages.get(MESSAGE_ID))

    assert "502" in str(caught.value)
    assert "<html>" not in str(caught.value)


# A 2xx that does not look like Loop's answer.


@pytest.mark.parametrize(
    "body", [b"OK", b"<html>queued</html>", b""], ids=["text", "html", "empty"]
)
async def test_a_2xx_without_json_raises_saying_loop_accepted_the_request(
    make_loop: LoopFactory, body: bytes
) -> None:
    script = Script(httpx.Response(201, content=body))
    client = make_loop(script)

    with pytest.raises(ResponseValidationError) as caught:
        await resolve(client.messages.schedule(**schedule_kwargs()))

    assert caught.value.status_code == 201
    assert "accepted the request" in str(caught.value)
    assert "/v1/messages/schedule" in str(caught.value)
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


async def test_an_off_spec_send_answer_raises_when_strict(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(200, json={"status": "queued"})), strict_responses=True
    )

    with pytest.raises(ResponseValidationError, match="message_id"):
        await resolve(client.messages.send(**send_kwargs()))


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
