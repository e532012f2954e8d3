"""What a Plannr error looks like: its class, its text, and its Laravel details."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from plannr_client import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    Message,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    UnprocessableEntityError,
)
from tests.conftest import PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    MESSAGE_UUID,
    PATIENT_TEXT,
    laravel_422,
    message_json,
    unauthenticated,
)

pytestmark = pytest.mark.anyio

NO_RETRIES = RetryPolicy.no_wait(max_retries=0)


async def send(client: Any) -> Any:
    return await resolve(
        client.conversations.send_message(CONVERSATION_UUID, contents="Your review is booked")
    )


@pytest.mark.parametrize(
    ("status", "cls", "vendor_message"),
    [
        (400, BadRequestError, "Bad request."),
        (401, AuthenticationError, "Unauthenticated."),
        (403, PermissionDeniedError, "This action is unauthorized."),
        (404, NotFoundError, "No query results for model [App\\Models\\Conversation]."),
        (409, ConflictError, "Conflict."),
        (422, UnprocessableEntityError, "The given data was invalid."),
        (429, RateLimitError, "Too Many Attempts."),
        (500, InternalServerError, "Server Error"),
        (503, InternalServerError, "Service Unavailable"),
    ],
)
async def test_status_becomes_its_error_class_with_status_message_and_request_id(
    make_plannr: PlannrFactory, status: int, cls: type[APIStatusError], vendor_message: str
) -> None:
    response = httpx.Response(
        status,
        json={"message": vendor_message},
        headers={"x-request-id": "req-abc-123", "X-Ratelimit-Remaining": "41"},
    )
    script = Script(response)
    client = make_plannr(script, retry_policy=NO_RETRIES)

    with pytest.raises(cls) as caught:
        await send(client)

    error = caught.value
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert str(status) in str(error)
    assert vendor_message in str(error)
    assert "req-abc-123" in str(error)
    assert error.request_id == "req-abc-123"
    assert error.headers["X-Ratelimit-Remaining"] == "41"
    assert error.body == {"message": vendor_message}
    assert len(script.requests) == 1


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


async def test_401_says_unauthenticated(make_plannr: PlannrFactory) -> None:
    client = make_plannr(Script(unauthenticated()))

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.conversations.list())

    assert "Unauthenticated." in str(caught.value)
    assert "401" in str(caught.value)
    assert "req-401" in str(caught.value)


async def test_rate_limit_error_carries_retry_after(make_plannr: PlannrFactory) -> None:
    response = httpx.Response(
        429,
        json={"message": "Too Many Attempts."},
        headers={"Retry-After": "30", "X-Ratelimit-Remaining": "0"},
    )
    client = make_plannr(Script(response), retry_policy=NO_RETRIES)

    with pytest.raises(RateLimitError) as caught:
        await send(client)

    assert caught.value.retry_after == 30
    assert caught.value.headers["X-Ratelimit-Remaining"] == "0"


async def test_html_error_page_does_not_flood_the_message(make_plannr: PlannrFactory) -> None:
    page = "<!DOCTYPE html><html><body>Whoops, something went wrong</body></html>"
    client = make_plannr(
        Script(httpx.Response(500, text=page, headers={"Content-Type": "text/html"}))
    )

    with pytest.raises(InternalServerError) as caught:
        await send(client)

    assert "500" in str(caught.value)
    assert "<html>" not in str(caught.value)
    assert caught.value.body == page


@pytest.mark.parametrize(
    "body",
    [b"<html>OK</html>", b"", b"   ", b"{not json"],
    ids=["html", "empty", "blank", "broken"],
)
async def test_a_2xx_without_json_raises_response_validation_error(
    make_plannr: PlannrFactory, body: bytes
) -> None:
    script = Script(httpx.Response(200, content=body))
    client = make_plannr(script)

    with pytest.raises(ResponseValidationError) as caught:
        await send(client)

    assert "accepted the request" in str(caught.value)
    assert caught.value.status_code == 200
    assert len(script.requests) == 1  # the send was accepted: never repeated


async def test_an_off_spec_2xx_returns_the_message_and_warns(
    make_plannr: PlannrFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="plannr_client")
    body = message_json(edited="perhaps", created_at="Distinct-Date-99", contents=PATIENT_TEXT)
    script = Script(httpx.Response(200, json=body))
    client = make_plannr(script)

    result = await send(client)

    assert isinstance(result, Message)
    assert result.uuid == MESSAGE_UUID
    assert len(script.requests) == 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "Message" in text
    assert "edited" in text
    assert "created_at" in text
    assert "perhaps" not in text
    assert "Distinct-Date-99" not in text
    assert PATIENT_TEXT not in text


async def test_an_off_spec_2xx_raises_when_strict(make_plannr: PlannrFactory) -> None:
    body = message_json(edited="perhaps")
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    with pytest.raises(ResponseValidationError) as caught:
        await send(client)

    assert "edited" in str(caught.value)
    assert "accepted the request" in str(caught.value)
    assert "perhaps" not in str(caught.value)


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
