"""FakeSqod through the real clients: list, create and cancel; its records and its fixture."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from sqod_client import NotFoundError, raw_response
from sqod_client.testing import FakeSqod
from tests.conftest import collect, fake_twin, json_body, resolve
from tests.sqod.fake_support import UNKNOWN_ID, not_found

pytestmark = pytest.mark.anyio


# -- list, create, cancel --------------------------------------------------------------------


async def test_list_walks_every_page(fake_sqod: FakeSqod, twin: str) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        for number in range(4):
            await resolve(client.appointments.create(reference=f"R-{number}"))
        fake_sqod.requests.clear()
        page = await resolve(client.appointments.list(per_page=2))
        items = await collect(page)

    assert len(page.data) == 2
    assert [a.id for a in items] == list(fake_sqod.appointments)
    assert items == list(fake_sqod.appointments.values())
    assert [r.url.params.get("page") for r in fake_sqod.requests] == [None, "2", "3"]
    assert {r.url.params["per_page"] for r in fake_sqod.requests} == {"2"}


async def test_list_from_a_later_page(fake_sqod: FakeSqod, twin: str) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        created = [await resolve(client.appointments.create()) for _ in range(2)]
        items = await collect(await resolve(client.appointments.list(page=2, per_page=2)))
        beyond = await collect(await resolve(client.appointments.list(page=5)))

    assert items == [created[1]]
    assert beyond == []


async def test_create_stores_the_appointment(fake_sqod: FakeSqod, twin: str) -> None:
    moment = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.create(
                appointment_at=moment,
                duration_in_minutes=45,
                department_id=1,
                reference="ABC-1",
                is_interpreter_needed=True,
                interpreter_language="Polish",
                claimant={"name": "Jane Doe", "date_of_birth": date(1990, 2, 3)},
                features_bandwidth="medium",
            )
        )

    assert raw_response(result).status_code == 201
    assert uuid.UUID(result.id).version == 4
    assert fake_sqod.appointments[result.id] == result
    assert list(fake_sqod.appointments) == [fake_sqod.appointment_id, result.id]
    assert (result.reference, result.appointment_at, result.duration_in_minutes) == (
        "ABC-1",
        moment,
        45,
    )
    assert (result.is_interpreter_needed, result.interpreter_language) == (True, "Polish")
    assert result.features_bandwidth == "medium"
    assert result.status == "scheduled"
    assert result.cancelled_at is None
    assert result.department is not None
    assert result.department.name == "Outpatients"
    assert result.claimant is not None
    assert (result.claimant.name, result.claimant.date_of_birth) == ("Jane Doe", date(1990, 2, 3))
    assert result.url
    assert result.meeting is not None


async def test_cancel_with_a_reason(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.cancel(appointment_id, cancellation_reason="Patient unwell")
        )

    assert result is not None
    assert (result.status, result.cancellation_reason) == ("cancelled", "Patient unwell")
    assert result.cancelled_at is not None
    assert abs(result.cancelled_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert fake_sqod.appointments[appointment_id] == result
    assert json_body(fake_sqod.requests[0]) == {"cancellation_reason": "Patient unwell"}


async def test_cancel_without_a_reason(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(client.appointments.cancel(appointment_id))

    assert result is not None
    stored = fake_sqod.appointments[appointment_id]
    assert stored == result
    assert (stored.status, stored.cancellation_reason) == ("cancelled", None)
    assert stored.cancelled_at is not None
    assert json_body(fake_sqod.requests[0]) == {}


async def test_cancel_an_unknown_appointment_is_a_404(fake_sqod: FakeSqod, twin: str) -> None:
    before = fake_sqod.appointments
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(NotFoundError) as caught:
            await resolve(client.appointments.cancel(UNKNOWN_ID, cancellation_reason="x"))

    assert caught.value.body == not_found(UNKNOWN_ID)
    assert fake_sqod.appointments == before


# -- what the fake records ------------------------------------------------------------------


async def test_requests_records_method_path_and_body(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        await resolve(client.appointments.send_message(appointment_id, message="hi"))
        await resolve(client.appointments.update(appointment_id, status="waiting"))

    sent, patched = fake_sqod.requests
    assert (sent.method, sent.url.path) == (
        "POST",
        f"/api/v1/appointments/{appointment_id}/messages",
    )
    assert json_body(sent) == {"message": "hi"}
    assert sent.headers["authorization"] == f"Bearer {fake_sqod.token}"
    assert (patched.method, patched.url.path) == ("PATCH", f"/api/v1/appointments/{appointment_id}")
    assert json_body(patched) == {"status": "waiting"}
    assert repr(fake_sqod) == "FakeSqod(base_url='https://demo.sqod.test', requests=2)"
    assert fake_sqod.token not in repr(fake_sqod)
