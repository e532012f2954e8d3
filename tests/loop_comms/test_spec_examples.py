"""Every payload shape Loop's pages publish parses as published, strictly."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from loop_comms_client import Message, ScheduledMessage, UnprocessableEntityError
from tests.conftest import LoopFactory, Script, collect, resolve
from tests.loop_comms.conftest import (
    BRAND_ID,
    MESSAGE_ID,
    SCHEDULED_ID,
    load,
    schedule_kwargs,
    send_kwargs,
)

pytestmark = pytest.mark.anyio

REQUIRED_BY_THE_201_SCHEMA = {
    "id",
    "brand_id",
    "person_id",
    "channel",
    "template_key",
    "recipient",
    "dedup_key",
    "scheduled_at",
    "status",
    "sent_at",
    "cancelled_at",
    "failure_reason",
    "created_at",
}


async def test_the_fixture_holds_every_key_the_201_schema_requires() -> None:
    assert set(load("schedule_201.json")) == REQUIRED_BY_THE_201_SCHEMA
    assert set(load("schedule_201_sent.json")) == REQUIRED_BY_THE_201_SCHEMA


async def test_schedule_201_with_nullable_keys_null_parses(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(201, json=load("schedule_201.json"))), strict_responses=True
    )

    message = await resolve(client.messages.schedule(**schedule_kwargs()))

    assert isinstance(message, ScheduledMessage)
    assert message.id == SCHEDULED_ID
    assert message.scheduled_at == datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    assert message.created_at == datetime(2030, 4, 1, 12, 30, tzinfo=UTC)
    assert message.scheduled_at.tzinfo is not None
    assert message.created_at.tzinfo is not None
    assert (message.sent_at, message.cancelled_at, message.failure_reason) == (None, None, None)
    assert message.model_extra == {}


async def test_schedule_201_with_every_key_filled_parses(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(201, json=load("schedule_201_sent.json"))), strict_responses=True
    )

    message = await resolve(client.messages.schedule(**schedule_kwargs(channel="email")))

    assert message.channel == "email"
    assert message.status == "failed"
    assert message.scheduled_at == datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    assert message.scheduled_at.utcoffset() is not None
    assert message.sent_at == datetime(2030, 5, 1, 9, 0, 2, tzinfo=UTC)
    assert message.cancelled_at == datetime(2030, 4, 30, 8, 0, tzinfo=UTC)
    assert message.failure_reason == "provider rejected the address"


async def test_send_200_with_a_null_provider_parses(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(200, json=load("send_200.json"))), strict_responses=True
    )

    message = await resolve(client.messages.send(**send_kwargs()))

    assert isinstance(message, Message)
    assert message.message_id == MESSAGE_ID
    assert (message.dedup_key, message.channel, message.status) == (
        "appt-123-reminder",
        "sms",
        "queued",
    )
    assert message.provider is None


async def test_get_message_200_parses(make_loop: LoopFactory) -> None:
    body = {**load("send_200.json"), "status": "delivered", "provider": "twilio"}
    client = make_loop(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.messages.get(MESSAGE_ID))

    assert (message.status, message.provider) == ("delivered", "twilio")


async def test_get_scheduled_200_parses(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(200, json=load("schedule_201_sent.json"))), strict_responses=True
    )

    message = await resolve(client.messages.get_scheduled(SCHEDULED_ID))

    assert message.failure_reason == "provider rejected the address"


async def test_list_scheduled_data_envelope_parses(make_loop: LoopFactory) -> None:
    body = {"data": [load("schedule_201.json"), load("schedule_201_sent.json")]}
    script = Script(httpx.Response(200, json=body))
    client = make_loop(script, strict_responses=True)

    page = await resolve(client.messages.list_scheduled(brand_id=BRAND_ID))
    items = await collect(page)

    assert [m.status for m in items] == ["scheduled", "failed"]
    assert page.links is None
    assert page.meta is None
    assert len(script.requests) == 1


async def test_new_fields_and_unknown_values_survive(make_loop: LoopFactory) -> None:
    body = {
        **load("schedule_201.json"),
        "channel": "whatsapp",
        "status": "throttled",
        "attempts": 2,
    }
    client = make_loop(Script(httpx.Response(201, json=body)), strict_responses=True)

    message = await resolve(client.messages.schedule(**schedule_kwargs()))

    assert (message.channel, message.status) == ("whatsapp", "throttled")
    assert message.model_extra == {"attempts": 2}


async def test_a_send_answer_with_only_message_id_parses(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(200, json={"message_id": MESSAGE_ID})), strict_responses=True
    )

    message = await resolve(client.messages.send(**send_kwargs()))

    assert message.message_id == MESSAGE_ID
    assert (message.dedup_key, message.channel, message.status, message.provider) == (
        None,
        None,
        None,
        None,
    )


async def test_a_data_wrapped_single_answer_is_unwrapped(make_loop: LoopFactory) -> None:
    client = make_loop(
        Script(httpx.Response(201, json={"data": load("schedule_201.json")})),
        strict_responses=True,
    )

    message = await resolve(client.messages.schedule(**schedule_kwargs()))

    assert message.id == SCHEDULED_ID


async def test_the_published_422_schema_becomes_an_error(make_loop: LoopFactory) -> None:
    body = {"error": "validation_error", "message": "scheduled_at must be in the future"}
    client = make_loop(Script(httpx.Response(422, json=body)))

    with pytest.raises(UnprocessableEntityError) as caught:
        await resolve(client.messages.schedule(**schedule_kwargs()))

    assert "validation_error: scheduled_at must be in the future" in str(caught.value)
