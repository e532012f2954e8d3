"""Hero's documented response shapes parse as published, strictly; unknown data is kept."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from hero_client import (
    Admin,
    Campaign,
    Message,
    MessagePatient,
    SentMessage,
    ShortLink,
    WriteToRecord,
)
from tests.conftest import HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


async def _send(client: Any) -> Any:
    return await resolve(
        client.messages.send(patient_id="1234", message_type="sms", message_string="Hello")
    )


async def test_full_send_response_parses_strictly(make_hero: HeroFactory) -> None:
    client = make_hero(
        Script(httpx.Response(200, json=load("send_message_200.json"))), strict_responses=True
    )

    result = await _send(client)

    assert isinstance(result, SentMessage)
    assert result.message_id == "8812345"
    assert result.content == "Your blood test results are normal. No further action is needed."
    assert result.created_at == datetime(2024, 5, 1, 10, 15, 30, tzinfo=UTC)
    assert result.snomed_code is None
    assert result.write_to_record is True
    assert result.submitted_by == "Partner integration"
    assert result.send_at == datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert result.send_at is not None
    assert result.send_at.utcoffset() == timedelta(hours=1)
    assert result.model_extra == {}


async def test_credentials_in_the_send_response_are_readable_but_not_in_repr(
    make_hero: HeroFactory,
) -> None:
    client = make_hero(Script(httpx.Response(200, json=load("send_message_200.json"))))

    result = await _send(client)

    assert result.auth_token == "hero-auth-token-do-not-show"
    assert result.confirm_write_to_record_url == (
        "https://app.herohealth.net/confirm?token=hero-confirm-token-do-not-show"
    )
    for text in (repr(result), str(result)):
        assert "hero-auth-token-do-not-show" not in text
        assert "hero-confirm-token-do-not-show" not in text
        assert "8812345" in text  # the rest of the result is still shown


async def test_older_minimal_send_response_parses_strictly(make_hero: HeroFactory) -> None:
    client = make_hero(
        Script(httpx.Response(200, json=load("send_message_200_minimal.json"))),
        strict_responses=True,
    )

    result = await _send(client)

    assert isinstance(result, SentMessage)
    assert result.message_id == "8812345"
    assert (result.content, result.created_at, result.write_to_record) == (None, None, None)
    assert (result.auth_token, result.send_at) == (None, None)


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "data-wrapped"])
async def test_numeric_message_id_is_kept_as_text(make_hero: HeroFactory, wrapped: bool) -> None:
    body: dict[str, Any] = {"message_id": 8812345, "write_to_record": False}
    client = make_hero(
        Script(httpx.Response(200, json={"data": body} if wrapped else body)),
        strict_responses=True,
    )

    result = await _send(client)

    assert result.message_id == "8812345"
    assert isinstance(result.message_id, str)
    assert result.write_to_record is False


async def test_send_response_nullable_fields_may_be_null(make_hero: HeroFactory) -> None:
    body = {
        **load("send_message_200.json"),
        "auth_token": None,
        "confirm_write_to_record_url": None,
        "submitted_by": None,
        "send_at": None,
    }
    client = make_hero(Script(httpx.Response(200, json=body)), strict_responses=True)

    result = await _send(client)

    assert (result.auth_token, result.confirm_write_to_record_url) == (None, None)
    assert (result.submitted_by, result.send_at) == (None, None)


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "data-wrapped"])
async def test_message_detail_parses_strictly_with_or_without_data_wrapper(
    make_hero: HeroFactory, wrapped: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = load("get_message_200.json")
    client = make_hero(
        Script(httpx.Response(200, json={"data": body} if wrapped else body)),
        strict_responses=True,
    )

    message = await resolve(client.messages.get("8812345"))

    assert isinstance(message, Message)
    assert message.id == "8812345"
    assert message.status == "delivered"
    assert isinstance(message.patient, MessagePatient)
    assert (message.patient.id, message.patient.title) == ("1234", "Mrs")
    assert (message.patient.first_name, message.patient.last_name) == ("Jane", "Doe")
    assert isinstance(message.write_to_record, WriteToRecord)
    assert message.write_to_record.status == "written"
    assert message.write_to_record.write_to_record_at == datetime(2024, 5, 1, 10, 20, tzinfo=UTC)
    assert message.write_to_record.failure_reason is None
    assert message.write_to_record.snomed_code == "24591000000103"
    assert isinstance(message.short_link, ShortLink)
    assert (message.short_link.id, message.short_link.type) == ("55", "questionnaire")
    assert (message.short_link.name, message.short_link.status) == ("Asthma review", "active")
    assert isinstance(message.campaign, Campaign)
    assert (message.campaign.id, message.campaign.name) == ("7", "Flu clinic 2024")
    assert isinstance(message.sent_by_admin, Admin)
    assert message.sent_by_admin.id == "42"
    assert message.sent_by_admin.first_name == "Sam"
    assert message.created_at == datetime(2024, 5, 1, 10, 15, 30, tzinfo=UTC)
    assert message.sent_at == datetime(2024, 5, 1, 10, 16, tzinfo=UTC)
    assert message.scheduled_at is None
    assert message.model_extra == {}
    assert caplog.records == []


async def test_message_detail_keeps_unknown_status_and_extra_fields(
    make_hero: HeroFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = load("get_message_200.json")
    body["status"] = "awaiting_carrier_receipt"
    body["write_to_record"]["status"] = "pending_admin_approval"
    body["channel"] = "sms"
    body["attachments"] = [{"uuid": "a-1"}]
    body["patient"]["nhs_number"] = "9434765919"
    body["sent_by_admin"]["email"] = "sam@practice.test"
    client = make_hero(Script(httpx.Response(200, json={"data": body})), strict_responses=True)

    message = await resolve(client.messages.get("8812345"))

    assert message.status == "awaiting_carrier_receipt"
    assert message.write_to_record is not None
    assert message.write_to_record.status == "pending_admin_approval"
    assert message.model_extra == {"channel": "sms", "attachments": [{"uuid": "a-1"}]}
    assert message.patient is not None
    assert message.patient.model_extra == {"nhs_number": "9434765919"}
    assert message.sent_by_admin is not None
    assert message.sent_by_admin.model_extra == {"email": "sam@practice.test"}
    assert caplog.records == []


async def test_message_detail_with_only_some_fields_parses(make_hero: HeroFactory) -> None:
    body = {"id": "m-1", "status": "scheduled", "scheduled_at": "2030-05-01T09:30:00+01:00"}
    client = make_hero(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.messages.get("m-1"))

    assert (message.id, message.status) == ("m-1", "scheduled")
    assert message.scheduled_at == datetime(2030, 5, 1, 8, 30, tzinfo=UTC)
    assert (message.patient, message.write_to_record, message.sent_at) == (None, None, None)


async def test_message_detail_nested_objects_may_be_null(make_hero: HeroFactory) -> None:
    body = {
        **load("get_message_200.json"),
        "short_link": None,
        "campaign": None,
        "write_to_record": None,
        "sent_by_admin": None,
    }
    client = make_hero(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.messages.get("8812345"))

    assert (message.short_link, message.campaign) == (None, None)
    assert (message.write_to_record, message.sent_by_admin) == (None, None)
    assert message.status == "delivered"


async def test_naive_hero_timestamps_become_utc(make_hero: HeroFactory) -> None:
    body = {"id": 1, "created_at": "2024-05-01 10:15:30", "sent_at": "2024-05-01T10:16:00"}
    client = make_hero(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.messages.get("1"))

    assert message.created_at == datetime(2024, 5, 1, 10, 15, 30, tzinfo=UTC)
    assert message.sent_at == datetime(2024, 5, 1, 10, 16, tzinfo=UTC)
