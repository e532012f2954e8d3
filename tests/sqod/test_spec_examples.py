"""Every example payload in SQOD's published pages parses as published, strictly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from sqod_client import Appointment, AppointmentMessage
from tests.conftest import APPOINTMENT_ID, Script, SqodFactory, collect, resolve

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


async def test_send_message_example_parses(make_sqod: SqodFactory) -> None:
    client = make_sqod(
        Script(httpx.Response(201, json=load("send_message_201.json"))), strict_responses=True
    )

    message = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hello World"))

    assert isinstance(message, AppointmentMessage)
    assert message.message == "Hello World"
    assert message.created_at == datetime(2021, 1, 1, tzinfo=UTC)
    assert message.sender is not None
    assert (message.sender.first_name, message.sender.role) == ("John", "Tenant-admin")


async def test_update_example_parses_with_its_quirks(make_sqod: SqodFactory) -> None:
    client = make_sqod(
        Script(httpx.Response(200, json=load("update_appointment_200.json"))), strict_responses=True
    )

    appointment = await resolve(client.appointments.update(APPOINTMENT_ID, status="waiting"))

    assert isinstance(appointment, Appointment)
    assert appointment.reference == "123456789"  # published as a number
    assert appointment.appointment_at == datetime(2021, 1, 1, tzinfo=UTC)
    assert appointment.department is not None
    assert appointment.department.id == 1
    assert appointment.claimant is not None
    assert appointment.claimant.date_of_birth == date(2023, 12, 25)
    assert appointment.claimant.data[0].required is True
    assert appointment.meeting is not None
    assert appointment.meeting.start_date == datetime(2021, 1, 30, 8, 30, tzinfo=UTC)
    assert appointment.features_bandwidth == "high"
    assert appointment.custom_agent_post_call_redirect_url is not None


async def test_list_of_the_published_appointment_parses(make_sqod: SqodFactory) -> None:
    item = load("update_appointment_200.json")["data"]
    client = make_sqod(
        Script(httpx.Response(200, json={"data": [item, item]})), strict_responses=True
    )

    appointments = await collect(await resolve(client.appointments.list()))

    assert [a.id for a in appointments] == [APPOINTMENT_ID, APPOINTMENT_ID]


async def test_new_fields_and_enum_values_survive(make_sqod: SqodFactory) -> None:
    body = load("send_message_201.json")
    body["data"]["sender"]["role"] = "Tenant-auditor"
    body["data"]["sender"]["access_permission"] = "kiosk"
    body["data"]["read_at"] = "2021-01-01T00:01:00Z"
    client = make_sqod(Script(httpx.Response(201, json=body)), strict_responses=True)

    message = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hi"))

    assert message.sender is not None
    assert (message.sender.role, message.sender.access_permission) == ("Tenant-auditor", "kiosk")
    assert message.model_extra == {"read_at": "2021-01-01T00:01:00Z"}


async def test_optional_fields_may_be_null_or_absent(make_sqod: SqodFactory) -> None:
    body = {"data": {"id": APPOINTMENT_ID, "claimant": None, "meeting": None, "url": None}}
    client = make_sqod(Script(httpx.Response(200, json=body)), strict_responses=True)

    appointment = await resolve(client.appointments.update(APPOINTMENT_ID, status="waiting"))

    assert appointment.claimant is None
    assert appointment.status is None


async def test_naive_vendor_timestamps_become_utc(make_sqod: SqodFactory) -> None:
    body = {"data": {"id": APPOINTMENT_ID, "created_at": "2024-10-16 11:10:14"}}
    client = make_sqod(Script(httpx.Response(200, json=body)), strict_responses=True)

    appointment = await resolve(client.appointments.update(APPOINTMENT_ID, status="waiting"))

    assert appointment.created_at == datetime(2024, 10, 16, 11, 10, 14, tzinfo=UTC)
