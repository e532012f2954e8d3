"""One representative call per vendor, run against its fake, for the habit tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hero_client.testing import FakeHero
from loop_comms_client.testing import FakeLoopComms
from plannr_client.testing import FakePlannr
from sqod_client.testing import FakeSqod


def _sqod(client: Any, fake: FakeSqod) -> Any:
    return client.appointments.update(fake.appointment_id, status="waiting")


def _plannr(client: Any, fake: FakePlannr) -> Any:
    return client.conversations.send_message(fake.conversation_uuid, contents="Pack attached")


def _hero(client: Any, fake: FakeHero) -> Any:
    return client.messages.send(
        patient_id=fake.patient_id, message_type="sms", message_string="Your test is due"
    )


def _loop(client: Any, fake: FakeLoopComms) -> Any:
    return client.messages.schedule(
        channel="sms",
        template_key="appointment_reminder",
        dedup_key="habit-1",
        scheduled_at=datetime.now(UTC) + timedelta(days=1),
        brand_id=fake.brand_id,
        person_id="person-42",
        recipient="+447700900123",
    )


SAMPLE_CALLS: dict[str, tuple[Callable[[], Any], Callable[[Any, Any], Any]]] = {
    "sqod": (FakeSqod, _sqod),
    "plannr": (FakePlannr, _plannr),
    "hero": (FakeHero, _hero),
    "loop_comms": (FakeLoopComms, _loop),
}
"""Vendor -> (its fake's class, a call returning a model: `call(client, fake)`)."""
