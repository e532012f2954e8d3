"""FakeLoopComms answers every client call as Loop does, and keeps what it accepted."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from loop_comms_client import Message, NotFoundError, ScheduledMessage, raw_response
from loop_comms_client.testing import FakeLoopComms
from tests.conftest import collect, fake_twin, resolve
from tests.loop_comms.conftest import DEDUP_KEY, PERSON_ID, RECIPIENT, WHEN, load

pytestmark = pytest.mark.anyio


# -- helpers the other test_fake_* modules share ---------------------------------------------


def send_fields(fake: FakeLoopComms, **overrides: Any) -> dict[str, Any]:
    """A valid `messages.send` for the fake's seeded brand; `overrides` replace fields."""
    return {
        "channel": "sms",
        "template_key": "appointment-reminder",
        "recipient": RECIPIENT,
        "brand_id": fake.brand_id,
        "person_id": PERSON_ID,
        "dedup_key": DEDUP_KEY,
        **overrides,
    }


def schedule_fields(fake: FakeLoopComms, **overrides: Any) -> dict[str, Any]:
    """A valid `messages.schedule` for the fake's seeded brand, due at `WHEN`."""
    return send_fields(fake, **{"scheduled_at": WHEN, **overrides})


def raw_client(fake: FakeLoopComms, token: str | None = None) -> httpx.AsyncClient:
    """A plain httpx client on the fake, with the fake's bearer token unless given another."""
    headers = {"Authorization": f"Bearer {token or fake.token}"}
    transport = fake.async_transport()
    return httpx.AsyncClient(transport=transport, base_url=fake.base_url, headers=headers)


# -- every call, and what the fake keeps -------------------------------------------------------


async def test_send_answers_with_the_sent_message_and_keeps_it(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    assert (fake.messages, fake.requests, fake.scheduled) == ([], [], {})  # a fresh fake

    async with fake_twin(fake, twin) as loop:
        message = await resolve(loop.messages.send(**send_fields(fake)))

    assert isinstance(message, Message)
    assert (message.dedup_key, message.channel, message.status) == (DEDUP_KEY, "sms", "sent")
    assert message.provider == "twilio"
    assert raw_response(message).status_code == 200
    (kept,) = fake.messages
    assert isinstance(kept, Message)
    assert kept.model_dump() == message.model_dump()


@pytest.mark.parametrize(
    ("channel", "provider"),
    [("email", "sendgrid"), ("sms", "twilio"), ("push", "fcm"), ("in_app", None)],
)
async def test_send_names_a_provider_for_each_channel_but_in_app(
    fake_loop_comms: FakeLoopComms, twin: str, channel: str, provider: str | None
) -> None:
    async with fake_twin(fake_loop_comms, twin) as loop:
        message = await resolve(loop.messages.send(**send_fields(fake_loop_comms, channel=channel)))

    assert (message.channel, message.provider) == (channel, provider)


async def test_schedule_answers_201_with_the_scheduled_message_and_keeps_it(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    when = datetime(2030, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))

    async with fake_twin(fake, twin) as loop:
        scheduled = await resolve(
            loop.messages.schedule(**schedule_fields(fake, scheduled_at=when))
        )

    assert isinstance(scheduled, ScheduledMessage)
    assert raw_response(scheduled).status_code == 201
    assert (scheduled.brand_id, scheduled.person_id, scheduled.recipient) == (
        fake.brand_id,
        PERSON_ID,
        RECIPIENT,
    )
    assert (scheduled.channel, scheduled.template_key) == ("sms", "appointment-reminder")
    assert (scheduled.dedup_key, scheduled.status) == (DEDUP_KEY, "scheduled")
    assert scheduled.scheduled_at == when
    assert (scheduled.sent_at, scheduled.cancelled_at, scheduled.failure_reason) == (None,) * 3
    assert abs(scheduled.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert fake.scheduled[scheduled.id].model_dump() == scheduled.model_dump()
    assert [m.model_dump() for m in fake.messages] == [scheduled.model_dump()]


async def test_get_and_get_scheduled_read_back_what_was_accepted(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        sent = await resolve(loop.messages.send(**send_fields(fake)))
        scheduled = await resolve(loop.messages.schedule(**schedule_fields(fake, dedup_key="k2")))

        got = await resolve(loop.messages.get(sent.message_id))
        got_scheduled = await resolve(loop.messages.get_scheduled(scheduled.id))

    assert got.model_dump() == sent.model_dump()
    assert got_scheduled.model_dump() == scheduled.model_dump()


@pytest.mark.parametrize("call", ["get", "get_scheduled"])
async def test_an_unknown_id_is_a_404_in_loops_format(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    async with fake_twin(fake_loop_comms, twin) as loop:
        with pytest.raises(NotFoundError) as caught:
            await resolve(getattr(loop.messages, call)("no-such-id"))

    body = caught.value.body
    assert isinstance(body, dict)
    assert set(body) == {"error", "message"}
    assert body["error"] == "not_found"


async def test_list_scheduled_lists_one_brand_optionally_by_status(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    fake.add_brand("brand_other")
    async with fake_twin(fake, twin) as loop:
        early = await resolve(loop.messages.schedule(**schedule_fields(fake, dedup_key="a")))
        later = schedule_fields(fake, dedup_key="b", scheduled_at=WHEN + timedelta(days=1))
        late = await resolve(loop.messages.schedule(**later))
        other = schedule_fields(fake, dedup_key="c", brand_id="brand_other")
        await resolve(loop.messages.schedule(**other))
        fake.deliver_due(now=WHEN)

        listed = await collect(await resolve(loop.messages.list_scheduled(brand_id=fake.brand_id)))
        sent_only = await resolve(
            loop.messages.list_scheduled(brand_id=fake.brand_id, status="sent")
        )
        unknown = await resolve(loop.messages.list_scheduled(brand_id="brand_unknown"))

        assert [m.id for m in listed] == [early.id, late.id]
        assert [m.id for m in await collect(sent_only)] == [early.id]
        assert await collect(unknown) == []


async def test_deliver_due_sends_what_is_due_and_makes_it_readable(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        scheduled = await resolve(loop.messages.schedule(**schedule_fields(fake, channel="email")))
        with pytest.raises(NotFoundError):
            await resolve(loop.messages.get(scheduled.id))

        assert fake.deliver_due(now=WHEN - timedelta(seconds=1)) == 0
        assert fake.deliver_due(now=WHEN) == 1
        assert fake.deliver_due(now=WHEN + timedelta(days=1)) == 0  # sent once only

        after = await resolve(loop.messages.get_scheduled(scheduled.id))
        message = await resolve(loop.messages.get(scheduled.id))

    assert (after.status, after.sent_at) == ("sent", WHEN)
    assert (message.status, message.channel, message.provider) == ("sent", "email", "sendgrid")
    assert message.dedup_key == DEDUP_KEY
    assert fake.scheduled[scheduled.id].status == "sent"


async def test_deliver_due_fails_a_message_whose_recipient_was_suppressed_since(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        scheduled = await resolve(loop.messages.schedule(**schedule_fields(fake)))
        fake.suppress(RECIPIENT)

        assert fake.deliver_due(now=WHEN) == 0

        after = await resolve(loop.messages.get_scheduled(scheduled.id))
        with pytest.raises(NotFoundError):
            await resolve(loop.messages.get(scheduled.id))

    assert (after.status, after.sent_at) == ("failed", None)
    assert after.failure_reason


async def test_messages_keep_acceptance_order_and_messages_for_picks_one_person(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        first = await resolve(loop.messages.send(**send_fields(fake, dedup_key="1")))
        second = await resolve(loop.messages.schedule(**schedule_fields(fake, dedup_key="2")))
        other = send_fields(fake, dedup_key="3", person_id="person-7")
        third = await resolve(loop.messages.send(**other))

    assert [type(m) for m in fake.messages] == [Message, ScheduledMessage, Message]
    assert [m.dedup_key for m in fake.messages] == ["1", "2", "3"]
    mine = fake.messages_for(PERSON_ID)
    assert [m.model_dump() for m in mine] == [first.model_dump(), second.model_dump()]
    assert [m.model_dump() for m in fake.messages_for("person-7")] == [third.model_dump()]
    assert fake.messages_for("nobody") == []


async def test_requests_records_each_call_as_sent(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        await resolve(loop.messages.send(**send_fields(fake, variables={"name": "Sam"})))
        await resolve(loop.messages.list_scheduled(brand_id=fake.brand_id, status="scheduled"))

    send, listing = fake.requests
    assert (send.method, send.url.path) == ("POST", "/v1/messages/send")
    assert json.loads(send.content) == send_fields(fake, variables={"name": "Sam"})
    assert (listing.method, listing.url.path) == ("GET", "/v1/messages/scheduled")
    assert dict(listing.url.params) == {"brand_id": fake.brand_id, "status": "scheduled"}


# -- agreement with the spec -------------------------------------------------------------------

SCHEDULED_KEYS = set(load("schedule_201.json"))
SENT_KEYS = set(load("send_200.json"))


async def test_each_answer_has_exactly_the_documented_keys(
    fake_loop_comms: FakeLoopComms,
) -> None:
    fake = fake_loop_comms
    fields = {**send_fields(fake), "scheduled_at": "2030-05-01T09:00:00Z"}
    async with raw_client(fake) as http:
        scheduled = await http.post("/v1/messages/schedule", json=fields)
        sent = await http.post("/v1/messages/send", json={**send_fields(fake), "dedup_key": "k2"})
        scheduled_id, message_id = scheduled.json()["id"], sent.json()["message_id"]
        answers = {
            "schedule": (scheduled, SCHEDULED_KEYS),
            "send": (sent, SENT_KEYS),
            "get_scheduled": (
                await http.get(f"/v1/messages/scheduled/{scheduled_id}"),
                SCHEDULED_KEYS,
            ),
            "get": (await http.get(f"/v1/messages/{message_id}"), SENT_KEYS),
        }
        listed = await http.get("/v1/messages/scheduled", params={"brand_id": fake.brand_id})

    assert (scheduled.status_code, sent.status_code) == (201, 200)
    for name, (response, keys) in answers.items():
        assert set(response.json()) == keys, name
    assert set(listed.json()) == {"data"}
    assert [set(item) for item in listed.json()["data"]] == [SCHEDULED_KEYS]


async def test_every_answer_parses_strictly_without_a_warning(
    fake_loop_comms: FakeLoopComms, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_loop_comms
    caplog.set_level(logging.WARNING)
    async with fake_twin(fake, twin, strict_responses=True) as loop:
        sent = await resolve(loop.messages.send(**send_fields(fake)))
        scheduled = await resolve(loop.messages.schedule(**schedule_fields(fake, dedup_key="2")))
        fake.deliver_due(now=WHEN)
        await resolve(loop.messages.get(sent.message_id))
        await resolve(loop.messages.get(scheduled.id))
        await resolve(loop.messages.get_scheduled(scheduled.id))
        await collect(await resolve(loop.messages.list_scheduled(brand_id=fake.brand_id)))

    assert caplog.records == []
