"""The request each Hero call sends and what it returns, for both twins."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from hero_client import Message, SentMessage, raw_response
from tests.conftest import (
    HERO_PRACTICE_GROUP_ID,
    HeroFactory,
    Script,
    json_body,
    resolve,
)

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://api.herohealth.net"
SEND_URL = f"{BASE}/v1/messages/send"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def sent(**headers: str) -> httpx.Response:
    return httpx.Response(200, json=load("send_message_200.json"), headers=headers)


def detail() -> httpx.Response:
    return httpx.Response(200, json=load("get_message_200.json"))


def assert_hero_headers(request: httpx.Request) -> None:
    assert request.headers["x-api-key"] == "test-api-key"
    assert request.headers["x-practice-group-id"] == HERO_PRACTICE_GROUP_ID
    assert "Authorization" not in request.headers
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("care-messaging-clients/")
    assert "hero_client" in request.headers["User-Agent"]


async def test_minimal_send_posts_only_the_three_required_fields(make_hero: HeroFactory) -> None:
    script = Script(sent(**{"x-request-id": "req-hero-1"}))
    client = make_hero(script)

    result = await resolve(
        client.messages.send(patient_id="1234", message_type="sms", message_string="Hello")
    )

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == SEND_URL
    assert_hero_headers(request)
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == {
        "patient_id": "1234",
        "message_type": "sms",
        "message_string": "Hello",
    }
    assert isinstance(result, SentMessage)
    assert result.message_id == "8812345"
    assert result.write_to_record is True
    assert result.created_at == datetime(2024, 5, 1, 10, 15, 30, tzinfo=UTC)
    raw = raw_response(result)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req-hero-1", 0)
    assert raw.headers["x-request-id"] == "req-hero-1"


async def test_send_with_every_optional_field_sends_exactly_those_fields(
    make_hero: HeroFactory,
) -> None:
    script = Script(sent())
    client = make_hero(script)

    await resolve(
        client.messages.send(
            patient_id="9876543210",
            message_type="email",
            message_string="Your results are ready",
            recipient_contact_detail="patient@example.com",
            fallback_contact_detail="+44 7900000000",
            fallback_message_type="sms",
            write_to_record=True,
            encrypted=True,
            snomed_code="24591000000103",
            snomed_term="Other letter",
            auto_write_to_record=False,
            task_id="task-31",
            attachment_uuid="0b6a9d1e-1111-4c4c-9c9c-0123456789ab",
            short_link_id="sl-77",
            assignee_id=512,
            assignee_type="AdminTeam",
            send_at=datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        )
    )

    (request,) = script.requests
    assert (request.method, str(request.url)) == ("POST", SEND_URL)
    assert_hero_headers(request)
    assert json_body(request) == {
        "patient_id": "9876543210",
        "message_type": "email",
        "message_string": "Your results are ready",
        "recipient_contact_detail": "patient@example.com",
        "fallback_contact_detail": "+44 7900000000",
        "fallback_message_type": "sms",
        "write_to_record": True,
        "encrypted": True,
        "snomed_code": "24591000000103",
        "snomed_term": "Other letter",
        "auto_write_to_record": False,
        "task_id": "task-31",
        "attachment_uuid": "0b6a9d1e-1111-4c4c-9c9c-0123456789ab",
        "short_link_id": "sl-77",
        "assignee_id": 512,
        "assignee_type": "AdminTeam",
        "send_at": "2030-05-01T09:30:00+01:00",
    }
    assert b"null" not in request.content


@pytest.mark.parametrize("encrypted", [True, False, "yes", "true"], ids=repr)
async def test_encrypted_passes_booleans_and_strings_through(
    make_hero: HeroFactory, encrypted: bool | str
) -> None:
    script = Script(sent())
    client = make_hero(script)

    await resolve(
        client.messages.send(
            patient_id="1", message_type="hero", message_string="Hi", encrypted=encrypted
        )
    )

    assert json_body(script.requests[0])["encrypted"] == encrypted
    assert type(json_body(script.requests[0])["encrypted"]) is type(encrypted)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(hours=1), "2030-05-01T09:30:00+01:00"),
        (timedelta(hours=-4), "2030-05-01T09:30:00-04:00"),
        (timedelta(hours=5, minutes=30), "2030-05-01T09:30:00+05:30"),
    ],
    ids=["+01:00", "-04:00", "+05:30"],
)
async def test_send_at_keeps_its_offset(
    make_hero: HeroFactory, offset: timedelta, expected: str
) -> None:
    script = Script(sent())
    client = make_hero(script)
    when = datetime(2030, 5, 1, 9, 30, tzinfo=timezone(offset))

    await resolve(
        client.messages.send(patient_id="1", message_type="sms", message_string="Hi", send_at=when)
    )

    assert json_body(script.requests[0])["send_at"] == expected


async def test_send_at_in_utc_is_the_same_instant(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script)
    when = datetime(2030, 5, 1, 8, 30, tzinfo=UTC)

    await resolve(
        client.messages.send(patient_id="1", message_type="sms", message_string="Hi", send_at=when)
    )

    sent_at = datetime.fromisoformat(json_body(script.requests[0])["send_at"])
    assert sent_at == when
    assert sent_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("message_type", ["hero", "sms", "email", "nhs_app"])
async def test_every_documented_message_type_is_sent(
    make_hero: HeroFactory, message_type: Any
) -> None:
    script = Script(sent())
    client = make_hero(script)

    await resolve(
        client.messages.send(patient_id="1", message_type=message_type, message_string="Hi")
    )

    assert json_body(script.requests[0])["message_type"] == message_type


@pytest.mark.parametrize(
    "options",
    [
        {"fallback_message_type": "sms"},
        {"fallback_message_type": "email"},
        {"assignee_type": "Admin", "assignee_id": 1},
        {"assignee_type": "AdminTeam", "assignee_id": 2},
    ],
    ids=["fallback-sms", "fallback-email", "Admin", "AdminTeam"],
)
async def test_every_documented_enum_value_is_accepted(
    make_hero: HeroFactory, options: dict[str, Any]
) -> None:
    script = Script(sent())
    client = make_hero(script)

    await resolve(
        client.messages.send(patient_id="1", message_type="sms", message_string="Hi", **options)
    )

    body = json_body(script.requests[0])
    assert {k: body[k] for k in options} == options
    assert set(body) == {"patient_id", "message_type", "message_string", *options}


async def test_long_digit_patient_id_is_sent_as_text(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script)

    await resolve(
        client.messages.send(
            patient_id="00012345678901234567890", message_type="sms", message_string="Hi"
        )
    )

    assert json_body(script.requests[0])["patient_id"] == "00012345678901234567890"


async def test_patient_text_is_sent_unchanged(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script)
    text = "Dear Zoë,\nyour appointment is 3 May — bring “Form A” & ID 😀"

    await resolve(client.messages.send(patient_id="1", message_type="sms", message_string=text))

    assert json_body(script.requests[0])["message_string"] == text


async def test_get_fetches_the_message_detail(make_hero: HeroFactory) -> None:
    response = detail()
    response.headers["x-request-id"] = "req-get-1"
    script = Script(response)
    client = make_hero(script)

    message = await resolve(client.messages.get("8812345"))

    (request,) = script.requests
    assert request.method == "GET"
    assert str(request.url) == f"{BASE}/v1/messages/8812345"
    assert_hero_headers(request)
    assert request.content == b""
    assert isinstance(message, Message)
    assert message.id == "8812345"
    assert message.status == "delivered"
    raw = raw_response(message)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req-get-1", 0)


@pytest.mark.parametrize(
    ("message_id", "encoded_path"),
    [
        ("a b%c", "/v1/messages/a%20b%25c"),
        ("x?y=1#z", "/v1/messages/x%3Fy%3D1%23z"),
        ("msg-1", "/v1/messages/msg-1"),
    ],
)
async def test_get_percent_encodes_the_id_into_one_segment(
    make_hero: HeroFactory, message_id: str, encoded_path: str
) -> None:
    script = Script(detail())
    client = make_hero(script)

    await resolve(client.messages.get(message_id))

    (request,) = script.requests
    assert request.url.raw_path.decode() == encoded_path
    assert request.url.query == b""


async def test_with_options_keeps_both_hero_headers(make_hero: HeroFactory) -> None:
    script = Script(detail())
    client = make_hero(script, default_headers={"X-Team": "a"})

    other = client.with_options(default_headers={"X-Trace": "t-1"}, max_retries=0, timeout=3)
    await resolve(other.messages.get("1"))
    await resolve(client.messages.get("1"))

    copied, original = script.requests
    for request in (copied, original):
        assert_hero_headers(request)
        assert request.headers["X-Team"] == "a"
    assert copied.headers["X-Trace"] == "t-1"
    assert "X-Trace" not in original.headers
    assert other._http is client._http


async def test_results_compare_equal_to_models_built_from_the_same_data(
    make_hero: HeroFactory,
) -> None:
    script = Script(sent())
    client = make_hero(script)

    result = await resolve(
        client.messages.send(patient_id="1", message_type="sms", message_string="Hi")
    )

    body = load("send_message_200.json")
    assert result == SentMessage.model_validate(body)
    assert result != SentMessage.model_validate({**body, "message_id": "1"})
