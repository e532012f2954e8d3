"""The request each Loop comms call sends and what it returns, for both twins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from loop_comms_client import Message, ScheduledMessage, raw_response
from tests.conftest import LoopFactory, Script, collect, json_body, resolve
from tests.loop_comms.conftest import (
    API,
    BRAND_ID,
    DEDUP_KEY,
    MESSAGE_ID,
    PERSON_ID,
    RECIPIENT,
    SCHEDULED_ID,
    WHEN,
    schedule_kwargs,
    scheduled,
    scheduled_json,
    send_kwargs,
    sent,
)

pytestmark = pytest.mark.anyio

REQUIRED_BODY = {
    "channel": "sms",
    "template_key": "appointment-reminder",
    "recipient": RECIPIENT,
    "brand_id": BRAND_ID,
    "person_id": PERSON_ID,
    "dedup_key": DEDUP_KEY,
}


def assert_standard_headers(request: httpx.Request) -> None:
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == "Bearer test-token"
    user_agent = request.headers["User-Agent"]
    assert user_agent.startswith("care-messaging-clients/")
    assert "loop_comms_client" in user_agent


# --- messages.schedule ---------------------------------------------------------------------------


async def test_schedule_posts_the_required_fields_and_returns_the_scheduled_message(
    make_loop: LoopFactory,
) -> None:
    script = Script(
        httpx.Response(201, json=scheduled_json(), headers={"x-request-id": "req-sch-1"})
    )
    client = make_loop(script)

    result = await resolve(client.messages.schedule(**schedule_kwargs()))

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == f"{API}/v1/messages/schedule"
    assert_standard_headers(request)
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == {**REQUIRED_BODY, "scheduled_at": "2030-05-01T09:00:00Z"}
    assert isinstance(result, ScheduledMessage)
    assert result.id == SCHEDULED_ID
    assert (result.brand_id, result.person_id) == (BRAND_ID, PERSON_ID)
    assert (result.channel, result.template_key) == ("sms", "appointment-reminder")
    assert (result.recipient, result.dedup_key, result.status) == (
        RECIPIENT,
        DEDUP_KEY,
        "scheduled",
    )
    assert result.scheduled_at == WHEN
    assert result.created_at == datetime(2030, 4, 1, 12, 30, tzinfo=UTC)
    assert (result.sent_at, result.cancelled_at, result.failure_reason) == (None, None, None)
    raw = raw_response(result)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (201, "req-sch-1", 0)
    assert raw.headers["x-request-id"] == "req-sch-1"


async def test_schedule_sends_variables_and_hipaa_when_given(make_loop: LoopFactory) -> None:
    script = Script(scheduled())
    client = make_loop(script)

    await resolve(
        client.messages.schedule(
            **schedule_kwargs(
                variables={"first_name": "Jane", "slot": {"at": "09:00", "minutes": 15}},
                hipaa=True,
            )
        )
    )

    assert json_body(script.requests[0]) == {
        **REQUIRED_BODY,
        "scheduled_at": "2030-05-01T09:00:00Z",
        "variables": {"first_name": "Jane", "slot": {"at": "09:00", "minutes": 15}},
        "hipaa": True,
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, {}),
        ({"variables": {}}, {"variables": {}}),
        ({"hipaa": False}, {"hipaa": False}),
        ({"variables": {}, "hipaa": False}, {"variables": {}, "hipaa": False}),
    ],
    ids=["left-out", "empty-variables", "hipaa-false", "both-falsy"],
)
async def test_schedule_sends_optional_fields_only_when_passed(
    make_loop: LoopFactory, extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    script = Script(scheduled())
    client = make_loop(script)

    await resolve(client.messages.schedule(**schedule_kwargs(**extra)))

    body = json_body(script.requests[0])
    assert body == {**REQUIRED_BODY, "scheduled_at": "2030-05-01T09:00:00Z", **expected}
    assert None not in body.values()


@pytest.mark.parametrize(
    ("scheduled_at", "sent_forms"),
    [
        (datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))), {"+01:00"}),
        (datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5))), {"-05:00"}),
        (datetime(2030, 5, 1, 9, 30, tzinfo=UTC), {"Z", "+00:00"}),
        (datetime(2030, 5, 1, 9, 30, 15, 250000, tzinfo=UTC), {"Z", "+00:00"}),
    ],
    ids=["plus-one", "minus-five", "utc", "utc-fractional"],
)
async def test_schedule_sends_scheduled_at_as_iso_8601_keeping_its_offset(
    make_loop: LoopFactory, scheduled_at: datetime, sent_forms: set[str]
) -> None:
    script = Script(scheduled())
    client = make_loop(script)

    await resolve(client.messages.schedule(**schedule_kwargs(scheduled_at=scheduled_at)))

    sent_value = json_body(script.requests[0])["scheduled_at"]
    assert any(sent_value.endswith(suffix) for suffix in sent_forms), sent_value
    assert sent_value.startswith("2030-05-01T09:30:")
    parsed = datetime.fromisoformat(sent_value)
    assert parsed == scheduled_at
    assert parsed.utcoffset() == scheduled_at.utcoffset()


async def test_schedule_keeps_the_offset_verbatim(make_loop: LoopFactory) -> None:
    script = Script(scheduled())
    client = make_loop(script)
    when = datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))

    await resolve(client.messages.schedule(**schedule_kwargs(scheduled_at=when)))

    assert json_body(script.requests[0])["scheduled_at"] == "2030-05-01T09:30:00+01:00"


async def test_schedule_sends_non_ascii_variables_as_utf8_json(make_loop: LoopFactory) -> None:
    script = Script(scheduled())
    client = make_loop(script)

    await resolve(
        client.messages.schedule(**schedule_kwargs(variables={"name": "Zoë Ōkubo", "n": 2}))
    )

    assert json_body(script.requests[0])["variables"] == {"name": "Zoë Ōkubo", "n": 2}


async def test_scheduled_message_timestamps_are_timezone_aware(make_loop: LoopFactory) -> None:
    body = scheduled_json(
        scheduled_at="2030-05-01T10:00:00+01:00",
        sent_at="2030-05-01T09:00:02Z",
        cancelled_at="2030-04-30 08:00:00",
        created_at="2030-04-01T12:30:00Z",
    )
    client = make_loop(Script(httpx.Response(201, json=body)), strict_responses=True)

    result = await resolve(client.messages.schedule(**schedule_kwargs()))

    for stamp in (result.scheduled_at, result.sent_at, result.cancelled_at, result.created_at):
        assert stamp is not None
        assert stamp.tzinfo is not None
    assert result.scheduled_at == datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    assert result.sent_at == datetime(2030, 5, 1, 9, 0, 2, tzinfo=UTC)
    assert result.cancelled_at == datetime(2030, 4, 30, 8, 0, tzinfo=UTC)


# --- messages.send -------------------------------------------------------------------------------


async def test_send_posts_the_required_fields_and_returns_the_message(
    make_loop: LoopFactory,
) -> None:
    script = Script(
        httpx.Response(
            200,
            json={
                "message_id": MESSAGE_ID,
                "dedup_key": DEDUP_KEY,
                "channel": "sms",
                "status": "queued",
                "provider": None,
            },
            headers={"x-request-id": "req-send-1"},
        )
    )
    client = make_loop(script)

    result = await resolve(client.messages.send(**send_kwargs()))

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == f"{API}/v1/messages/send"
    assert_standard_headers(request)
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == REQUIRED_BODY
    assert isinstance(result, Message)
    assert result.message_id == MESSAGE_ID
    assert (result.dedup_key, result.channel, result.status) == (DEDUP_KEY, "sms", "queued")
    assert result.provider is None
    raw = raw_response(result)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req-send-1", 0)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, {}),
        ({"variables": {}}, {"variables": {}}),
        ({"hipaa": False}, {"hipaa": False}),
        (
            {"variables": {"code": 123456, "ok": None}, "hipaa": True},
            {"variables": {"code": 123456, "ok": None}, "hipaa": True},
        ),
    ],
    ids=["left-out", "empty-variables", "hipaa-false", "both"],
)
async def test_send_sends_optional_fields_only_when_passed(
    make_loop: LoopFactory, extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    script = Script(sent())
    client = make_loop(script)

    await resolve(client.messages.send(**send_kwargs(**extra)))

    body = json_body(script.requests[0])
    assert body == {**REQUIRED_BODY, **expected}
    assert "scheduled_at" not in body


@pytest.mark.parametrize("channel", ["email", "sms", "push", "in_app"])
async def test_send_accepts_every_documented_channel(make_loop: LoopFactory, channel: str) -> None:
    script = Script(sent(channel=channel))
    client = make_loop(script)

    result = await resolve(client.messages.send(**send_kwargs(channel=channel)))

    assert json_body(script.requests[0])["channel"] == channel
    assert result.channel == channel


async def test_send_with_a_provider_returns_it(make_loop: LoopFactory) -> None:
    client = make_loop(Script(sent(provider="twilio", status="sent")))

    result = await resolve(client.messages.send(**send_kwargs()))

    assert (result.provider, result.status) == ("twilio", "sent")


# --- reads ---------------------------------------------------------------------------------------


async def test_get_scheduled_reads_one_scheduled_message(make_loop: LoopFactory) -> None:
    script = Script(scheduled(200, status="sent", sent_at="2030-05-01T09:00:02Z"))
    client = make_loop(script)

    result = await resolve(client.messages.get_scheduled(SCHEDULED_ID))

    (request,) = script.requests
    assert request.method == "GET"
    assert str(request.url) == f"{API}/v1/messages/scheduled/{SCHEDULED_ID}"
    assert_standard_headers(request)
    assert request.content == b""
    assert "Content-Type" not in request.headers
    assert isinstance(result, ScheduledMessage)
    assert (result.id, result.status) == (SCHEDULED_ID, "sent")
    assert result.sent_at == datetime(2030, 5, 1, 9, 0, 2, tzinfo=UTC)
    assert raw_response(result).status_code == 200


async def test_get_reads_one_sent_message(make_loop: LoopFactory) -> None:
    script = Script(sent(status="delivered", provider="twilio"))
    client = make_loop(script)

    result = await resolve(client.messages.get(MESSAGE_ID))

    (request,) = script.requests
    assert request.method == "GET"
    assert str(request.url) == f"{API}/v1/messages/{MESSAGE_ID}"
    assert_standard_headers(request)
    assert request.content == b""
    assert isinstance(result, Message)
    assert (result.message_id, result.status, result.provider) == (
        MESSAGE_ID,
        "delivered",
        "twilio",
    )


@pytest.mark.parametrize(
    ("call", "raw_path"),
    [
        ("get", b"/v1/messages/a%20b%3Fc%23d%25e%C3%A9"),
        ("get_scheduled", b"/v1/messages/scheduled/a%20b%3Fc%23d%25e%C3%A9"),
    ],
)
async def test_ids_are_percent_encoded_into_one_path_segment(
    make_loop: LoopFactory, call: str, raw_path: bytes
) -> None:
    body = sent() if call == "get" else scheduled(200)
    script = Script(body)
    client = make_loop(script)

    await resolve(getattr(client.messages, call)("a b?c#d%eé"))

    (request,) = script.requests
    assert request.url.raw_path == raw_path
    assert request.url.query == b""
    assert request.url.fragment == ""


async def test_list_scheduled_sends_brand_id_and_walks_one_page(make_loop: LoopFactory) -> None:
    body = {
        "data": [
            scheduled_json(id="sch-1"),
            scheduled_json(id="sch-2", status="sent", sent_at="2030-05-01T09:00:02Z"),
        ]
    }
    script = Script(httpx.Response(200, json=body, headers={"x-request-id": "req-list"}))
    client = make_loop(script)

    page = await resolve(client.messages.list_scheduled(brand_id=BRAND_ID))
    items = await collect(page)

    (request,) = script.requests
    assert request.method == "GET"
    assert request.url.path == "/v1/messages/scheduled"
    assert dict(request.url.params) == {"brand_id": BRAND_ID}
    assert_standard_headers(request)
    assert [m.id for m in page.data] == ["sch-1", "sch-2"]
    assert [m.id for m in items] == ["sch-1", "sch-2"]
    assert all(isinstance(m, ScheduledMessage) for m in items)
    assert items[1].sent_at == datetime(2030, 5, 1, 9, 0, 2, tzinfo=UTC)
    assert page.has_next_page() is False
    assert raw_response(page).request_id == "req-list"


async def test_list_scheduled_filters_by_status_when_given(make_loop: LoopFactory) -> None:
    script = Script(httpx.Response(200, json={"data": [scheduled_json()]}))
    client = make_loop(script)

    items = await collect(
        await resolve(client.messages.list_scheduled(brand_id="brand a&b", status="pending"))
    )

    (request,) = script.requests
    assert dict(request.url.params) == {"brand_id": "brand a&b", "status": "pending"}
    assert request.url.query == b"brand_id=brand+a%26b&status=pending"
    assert len(items) == 1


async def test_list_scheduled_with_no_messages_is_empty(make_loop: LoopFactory) -> None:
    script = Script(httpx.Response(200, json={"data": []}))
    client = make_loop(script)

    items = await collect(await resolve(client.messages.list_scheduled(brand_id=BRAND_ID)))

    assert items == []
    assert len(script.requests) == 1


# --- client options ------------------------------------------------------------------------------


async def test_with_options_keeps_the_token_and_adds_headers(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script, default_headers={"X-Team": "care"})

    other = client.with_options(default_headers={"X-Trace": "t-1"}, max_retries=0, timeout=5)
    await resolve(other.messages.send(**send_kwargs()))
    await resolve(client.messages.send(**send_kwargs()))

    copied, original = script.requests
    assert copied.headers["Authorization"] == "Bearer test-token"
    assert copied.headers["X-Team"] == "care"
    assert copied.headers["X-Trace"] == "t-1"
    assert copied.extensions["timeout"]["read"] == 5
    assert "X-Trace" not in original.headers
    assert original.headers["Authorization"] == "Bearer test-token"


async def test_results_compare_equal_to_models_built_from_the_same_data(
    make_loop: LoopFactory,
) -> None:
    client = make_loop(Script(scheduled()))

    result = await resolve(client.messages.schedule(**schedule_kwargs()))

    assert result == ScheduledMessage.model_validate(scheduled_json())
    assert result != ScheduledMessage.model_validate(scheduled_json(status="cancelled"))
