"""FakeSqod through the real clients: send_message and update, and the fake's state after."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from sqod_client import NotFoundError, raw_response
from sqod_client.testing import FakeSqod
from tests.conftest import fake_twin, json_body, resolve
from tests.sqod.fake_support import UNKNOWN_ID, not_found, own_client, raw

pytestmark = pytest.mark.anyio


def dumped(fake: FakeSqod, appointment_id: str) -> dict[str, Any]:
    return fake.appointments[appointment_id].model_dump()


def multipart_field(request: httpx.Request, name: str, value: str) -> bool:
    return f'name="{name}"\r\n\r\n{value}\r\n'.encode() in request.content


# -- send_message ----------------------------------------------------------------------------


async def test_send_message_returns_the_message_and_stores_it(
    fake_sqod: FakeSqod, twin: str
) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.send_message(fake_sqod.appointment_id, message="Running late")
        )

    assert raw_response(result).status_code == 201
    assert result.message == "Running late"
    assert uuid.UUID(result.id).version == 4
    assert abs(result.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert result.sender is not None
    assert result.sender.email == fake_sqod.user["email"]
    assert fake_sqod.messages == [result]
    assert fake_sqod.messages_for(fake_sqod.appointment_id) == [result]
    assert fake_sqod.messages_for(UNKNOWN_ID) == []


async def test_messages_are_kept_per_appointment_oldest_first(
    fake_sqod: FakeSqod, twin: str
) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        other = await resolve(client.appointments.create(reference="B-2"))
        for target, text in [
            (fake_sqod.appointment_id, "first"),
            (other.id, "elsewhere"),
            (fake_sqod.appointment_id, "second"),
        ]:
            await resolve(client.appointments.send_message(target, message=text))

    assert [m.message for m in fake_sqod.messages] == ["first", "elsewhere", "second"]
    assert [m.message for m in fake_sqod.messages_for(fake_sqod.appointment_id)] == [
        "first",
        "second",
    ]
    assert [m.message for m in fake_sqod.messages_for(other.id)] == ["elsewhere"]


async def test_send_message_to_an_unknown_appointment_is_a_404_and_sends_nothing(
    fake_sqod: FakeSqod, twin: str
) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(NotFoundError) as caught:
            await resolve(client.appointments.send_message(UNKNOWN_ID, message="hi"))

    assert caught.value.body == not_found(UNKNOWN_ID)
    assert fake_sqod.messages == []


# -- update ----------------------------------------------------------------------------------


async def test_update_changes_only_the_given_fields(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    before = dumped(fake_sqod, appointment_id)
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(appointment_id, status="waiting", duration_in_minutes=45)
        )

    assert (result.status, result.duration_in_minutes) == ("waiting", 45)
    assert dumped(fake_sqod, appointment_id) == {
        **before,
        "status": "waiting",
        "duration_in_minutes": 45,
    }
    assert fake_sqod.appointments[appointment_id] == result


async def test_update_sets_a_nullable_field_to_null(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        await resolve(
            client.appointments.update(
                appointment_id, is_interpreter_needed=True, interpreter_language="Polish"
            )
        )
        assert fake_sqod.appointments[appointment_id].interpreter_language == "Polish"
        result = await resolve(
            client.appointments.update(appointment_id, interpreter_language=None)
        )

    assert result.interpreter_language is None
    assert fake_sqod.appointments[appointment_id].interpreter_language is None
    assert fake_sqod.appointments[appointment_id].is_interpreter_needed is True


async def test_update_merges_the_claimant(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    before = fake_sqod.appointments[appointment_id].claimant
    assert before is not None
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(appointment_id, claimant={"email": "new@example.com"})
        )

    after = fake_sqod.appointments[appointment_id].claimant
    assert after is not None
    assert after == result.claimant
    assert after.email == "new@example.com"
    assert (after.name, after.phone_number, after.date_of_birth) == (
        before.name,
        before.phone_number,
        before.date_of_birth,
    )


async def test_update_reads_back_department_and_time(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    moment = datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(appointment_id, department_id=1, appointment_at=moment)
        )

    stored = fake_sqod.appointments[appointment_id]
    assert stored.appointment_at == moment == result.appointment_at
    assert stored.department is not None
    assert (stored.department.id, stored.department.name) == (1, "Outpatients")


async def test_update_with_files_is_tunnelled_and_applied(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(
                appointment_id,
                duration_in_minutes=45,
                is_interpreter_needed=False,
                features_call_recording_enable=True,
                claimant={"name": "Jane Doe", "data": [{"id": "nhs", "value": "123"}]},
                files={"document": ("letter.pdf", io.BytesIO(b"%PDF-1.4"), "application/pdf")},
            )
        )

    (request,) = fake_sqod.requests
    assert (request.method, request.url.params["_method"]) == ("POST", "PATCH")
    assert request.url.path == f"/api/v1/appointments/{appointment_id}"
    assert request.headers["content-type"].startswith("multipart/form-data")
    for name, value in [
        ("is_interpreter_needed", "0"),
        ("features_call_recording_enable", "1"),
        ("claimant[name]", "Jane Doe"),
        ("claimant[data][0][id]", "nhs"),
    ]:
        assert multipart_field(request, name, value), name
    stored = fake_sqod.appointments[appointment_id]
    assert stored == result
    assert stored.duration_in_minutes == 45
    assert stored.is_interpreter_needed is False
    assert stored.features_call_recording_enable is True
    assert stored.claimant is not None
    assert stored.claimant.name == "Jane Doe"
    assert stored.claimant.email == "sam.patient@example.com"  # merged, not replaced
    assert [(d.id, d.value) for d in stored.claimant.data] == [("nhs", "123")]


async def test_update_with_files_sets_a_nullable_field_to_null(
    fake_sqod: FakeSqod, twin: str
) -> None:
    appointment_id = fake_sqod.appointment_id
    async with fake_twin(fake_sqod, twin) as client:
        await resolve(client.appointments.update(appointment_id, interpreter_language="Polish"))
        result = await resolve(
            client.appointments.update(
                appointment_id,
                interpreter_language=None,
                files={"document": ("a.txt", b"x", "text/plain")},
            )
        )

    assert multipart_field(fake_sqod.requests[-1], "interpreter_language", "")
    assert result.interpreter_language is None
    assert fake_sqod.appointments[appointment_id].interpreter_language is None


async def test_method_override_tunnels_a_json_patch(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    credentials = fake_sqod.credentials
    async with own_client(twin, via=fake_sqod, method_override=True, **credentials) as sqod:
        result = await resolve(sqod.appointments.update(appointment_id, status="waiting"))

    (request,) = fake_sqod.requests
    assert (request.method, request.url.params["_method"]) == ("POST", "PATCH")
    assert json_body(request) == {"status": "waiting"}
    assert result.status == "waiting"
    assert fake_sqod.appointments[appointment_id].status == "waiting"


async def test_a_multipart_patch_without_the_tunnel_changes_nothing(fake_sqod: FakeSqod) -> None:
    # PHP reads multipart bodies on POST only: Laravel sees an empty PATCH and answers 200.
    appointment_id = fake_sqod.appointment_id
    before = dumped(fake_sqod, appointment_id)
    async with raw(fake_sqod) as http:
        response = await http.patch(
            f"/api/v1/appointments/{appointment_id}",
            data={"status": "waiting", "duration_in_minutes": "45"},
            files={"document": ("a.txt", b"x", "text/plain")},
        )

    assert response.status_code == 200
    assert response.json()["data"]["status"] == "scheduled"
    assert dumped(fake_sqod, appointment_id) == before
