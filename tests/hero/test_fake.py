"""FakeHero: every Hero call against it, both twins, and the state it keeps afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import anyio
import pytest

from hero_client import (
    BadRequestError,
    Message,
    NotFoundError,
    SentMessage,
    raw_response,
)
from hero_client.testing import FakeHero
from tests.conftest import fake_twin, resolve

pytestmark = pytest.mark.anyio


def hour_from_now() -> datetime:
    return datetime.now(timezone(timedelta(hours=1))).replace(microsecond=0) + timedelta(hours=1)


# -- calls and state -------------------------------------------------------------------------


async def test_send_returns_the_message_and_the_fake_keeps_it(
    fake_hero: FakeHero, twin: str
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id, message_type="sms", message_string="Hello"
            )
        )

    assert isinstance(sent, SentMessage)
    assert (sent.message_id, sent.content) == ("100001", "Hello")
    assert sent.created_at is not None
    assert sent.created_at >= before
    assert (sent.write_to_record, sent.snomed_code, sent.send_at) == (False, None, None)
    assert sent.confirm_write_to_record_url is None
    assert sent.auth_token
    assert fake_hero.messages == [sent]
    assert fake_hero.messages_for(fake_hero.patient_id) == [sent]
    assert fake_hero.recipients == {"100001": "+447700900123"}
    assert fake_hero.message_details["100001"].status == "delivered"


async def test_get_returns_the_detail_of_a_sent_message(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id, message_type="email", message_string="Results"
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert isinstance(message, Message)
    assert (message.id, message.status) == (sent.message_id, "delivered")
    assert message.patient is not None
    assert message.patient.id == fake_hero.patient_id
    assert (message.patient.title, message.patient.first_name) == ("Mrs", "Jane")
    assert message.patient.last_name == "Doe"
    assert message.created_at == sent.created_at
    assert message.sent_at == sent.created_at
    assert (message.scheduled_at, message.write_to_record) == (None, None)
    assert (message.short_link, message.campaign, message.sent_by_admin) == (None, None, None)
    assert fake_hero.message_details == {sent.message_id: message}
    assert fake_hero.recipients == {sent.message_id: "jane.doe@example.com"}


async def test_send_at_in_the_future_is_scheduled_not_sent(fake_hero: FakeHero, twin: str) -> None:
    when = hour_from_now()
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="sms",
                message_string="See you tomorrow",
                send_at=when,
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert sent.send_at == when
    assert raw_response(sent).http_response.json()["send_at"] == when.isoformat()
    assert (message.status, message.scheduled_at, message.sent_at) == ("scheduled", when, None)


async def test_send_at_in_the_past_is_sent_at_once(fake_hero: FakeHero, twin: str) -> None:
    when = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="hero",
                message_string="Hi",
                send_at=when,
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert (message.status, message.scheduled_at) == ("delivered", when)
    assert message.sent_at == sent.created_at


async def test_a_scheduled_message_is_sent_when_its_time_comes(
    fake_hero: FakeHero, twin: str
) -> None:
    when = datetime.now(UTC) + timedelta(milliseconds=40)
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="sms",
                message_string="Soon",
                send_at=when,
                auto_write_to_record=True,
            )
        )
        before = await resolve(hero.messages.get(sent.message_id))
        await anyio.sleep(0.05)
        after = await resolve(hero.messages.get(sent.message_id))

    assert (before.status, before.sent_at) == ("scheduled", None)
    assert before.write_to_record is not None
    assert before.write_to_record.status == "pending"
    assert after.status == "delivered"
    assert after.sent_at == when.replace(microsecond=when.microsecond // 1000 * 1000)
    assert after.write_to_record is not None
    assert (after.write_to_record.status, after.write_to_record.write_to_record_at) == (
        "written",
        after.sent_at,
    )
    assert fake_hero.message_details[sent.message_id] == after


async def test_write_to_record_awaits_approval_with_hero_default_snomed_code(
    fake_hero: FakeHero, twin: str
) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="sms",
                message_string="Results normal",
                write_to_record=True,
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert sent.write_to_record is True
    assert sent.snomed_code == "1066271000000101"
    assert sent.auth_token is not None
    assert sent.confirm_write_to_record_url is not None
    assert sent.confirm_write_to_record_url.startswith("https://app.herohealth.net/")
    assert sent.auth_token in sent.confirm_write_to_record_url
    assert message.write_to_record is not None
    assert (message.write_to_record.status, message.write_to_record.write_to_record_at) == (
        "pending",
        None,
    )
    assert message.write_to_record.snomed_code == "1066271000000101"


async def test_auto_write_to_record_is_written_when_sent(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="sms",
                message_string="Results normal",
                auto_write_to_record=True,
                snomed_code="24591000000103",
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert (sent.write_to_record, sent.snomed_code) == (True, "24591000000103")
    assert sent.confirm_write_to_record_url is None
    assert message.write_to_record is not None
    assert message.write_to_record.status == "written"
    assert message.write_to_record.write_to_record_at == message.sent_at
    assert message.write_to_record.snomed_code == "24591000000103"


@pytest.mark.parametrize(
    ("message_type", "recipient"),
    [
        ("sms", "+447700900123"),
        ("email", "jane.doe@example.com"),
        ("hero", None),
        ("nhs_app", None),
    ],
)
async def test_recipient_defaults_to_the_patient_record_for_the_channel(
    fake_hero: FakeHero, message_type: str, recipient: str | None
) -> None:
    with fake_hero.client() as hero:
        sent = hero.messages.send(
            patient_id=fake_hero.patient_id,
            message_type=message_type,  # type: ignore[arg-type]
            message_string="Hi",
        )

    assert fake_hero.recipients == {sent.message_id: recipient}


async def test_a_given_recipient_is_used_instead_of_the_record(fake_hero: FakeHero) -> None:
    with fake_hero.client() as hero:
        sent = hero.messages.send(
            patient_id=fake_hero.patient_id,
            message_type="sms",
            message_string="Hi",
            recipient_contact_detail="+447700900999",
        )

    assert fake_hero.recipients == {sent.message_id: "+447700900999"}


async def test_added_patients_get_their_own_messages(fake_hero: FakeHero, twin: str) -> None:
    other = fake_hero.add_patient(first_name="Tom", last_name="Jones", email="tom@example.com")
    async with fake_twin(fake_hero, twin) as hero:
        first = await resolve(
            hero.messages.send(patient_id=other, message_type="email", message_string="One")
        )
        second = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id, message_type="hero", message_string="Two"
            )
        )
        detail = await resolve(hero.messages.get(first.message_id))

    assert other.isdigit()
    assert other != fake_hero.patient_id
    assert (first.message_id, second.message_id) == ("100001", "100002")
    assert fake_hero.messages == [first, second]
    assert fake_hero.messages_for(other) == [first]
    assert fake_hero.messages_for(fake_hero.patient_id) == [second]
    assert fake_hero.patients[other] == {
        "id": other,
        "title": None,
        "first_name": "Tom",
        "last_name": "Jones",
        "email": "tom@example.com",
        "mobile": None,
    }
    assert detail.patient is not None
    assert (detail.patient.id, detail.patient.first_name, detail.patient.title) == (
        other,
        "Tom",
        None,
    )


async def test_patients_read_back_is_a_copy(fake_hero: FakeHero) -> None:
    fake_hero.patients[fake_hero.patient_id]["mobile"] = None

    assert fake_hero.patients[fake_hero.patient_id]["mobile"] == "+447700900123"


async def test_patient_with_no_contact_for_the_channel_gets_400(
    fake_hero: FakeHero, twin: str
) -> None:
    patient = fake_hero.add_patient(first_name="Ann", last_name="Lee", email="ann@example.com")
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(BadRequestError) as caught:
            await resolve(
                hero.messages.send(patient_id=patient, message_type="sms", message_string="Hi")
            )
        sent = await resolve(
            hero.messages.send(
                patient_id=patient,
                message_type="sms",
                message_string="Hi",
                recipient_contact_detail="+447700900555",
            )
        )

    assert caught.value.body == {
        "message": f"recipient_contact_detail: patient {patient} has no mobile number on record"
    }
    assert fake_hero.messages == [sent]


async def test_unknown_patient_is_404_and_nothing_is_sent(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(NotFoundError) as caught:
            await resolve(
                hero.messages.send(patient_id="999999", message_type="sms", message_string="Hi")
            )

    assert caught.value.body == {"message": "Patient not found"}
    assert fake_hero.messages == []
    assert fake_hero.message_details == {}


async def test_unknown_message_is_404(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(NotFoundError) as caught:
            await resolve(hero.messages.get("424242"))

    assert caught.value.body == {"message": "Message not found"}


async def test_requests_record_what_was_sent(fake_hero: FakeHero) -> None:
    with fake_hero.client() as hero:
        sent = hero.messages.send(
            patient_id=fake_hero.patient_id, message_type="sms", message_string="Hi"
        )
        hero.messages.get(sent.message_id)

    post, get = fake_hero.requests
    assert (post.method, post.url.path) == ("POST", "/v1/messages/send")
    assert json.loads(post.content) == {
        "patient_id": fake_hero.patient_id,
        "message_type": "sms",
        "message_string": "Hi",
    }
    assert (get.method, get.url.path, get.content) == ("GET", "/v1/messages/100001", b"")
    assert post.headers["x-practice-group-id"] == "4242"
