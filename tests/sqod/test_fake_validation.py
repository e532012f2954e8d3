"""FakeSqod's refusals: Laravel's 422 for bad bodies and paging, 404 for unknown appointments."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sqod_client import UnprocessableEntityError
from sqod_client.testing import FakeSqod
from tests.conftest import fake_twin, resolve
from tests.sqod.fake_support import APPOINTMENTS, UNKNOWN_ID, not_found, raw

pytestmark = pytest.mark.anyio


# -- validation ------------------------------------------------------------------------------

ONE = APPOINTMENTS + "/{id}"
VALIDATION: dict[str, tuple[str, str, dict[str, Any], str, str]] = {
    "blank message": (
        "POST",
        ONE + "/messages",
        {"message": "  "},
        "message",
        "The message field is required.",
    ),
    "missing message": ("POST", ONE + "/messages", {}, "message", "The message field is required."),
    "message not a string": (
        "POST",
        ONE + "/messages",
        {"message": 5},
        "message",
        "The message field must be a string.",
    ),
    "duration not an integer": (
        "PATCH",
        ONE,
        {"duration_in_minutes": "abc"},
        "duration_in_minutes",
        "The duration in minutes field must be an integer.",
    ),
    "unknown bandwidth": (
        "PATCH",
        ONE,
        {"features_bandwidth": "ultra"},
        "features_bandwidth",
        "The selected features bandwidth is invalid.",
    ),
    "boolean not a boolean": (
        "PATCH",
        ONE,
        {"is_interpreter_needed": "maybe"},
        "is_interpreter_needed",
        "The is interpreter needed field must be true or false.",
    ),
    "not a date": (
        "PATCH",
        ONE,
        {"appointment_at": "not a date"},
        "appointment_at",
        "The appointment at field must be a valid date.",
    ),
    "date without offset": (
        "PATCH",
        ONE,
        {"appointment_at": "2030-01-01T09:00:00"},
        "appointment_at",
        "The appointment at field must be a valid date.",
    ),
    "null for a non-nullable field": (
        "PATCH",
        ONE,
        {"duration_in_minutes": None},
        "duration_in_minutes",
        "The duration in minutes field is required.",
    ),
    "unknown department": (
        "PATCH",
        ONE,
        {"department_id": "99"},
        "department_id",
        "The selected department id is invalid.",
    ),
    "claimant date of birth": (
        "PATCH",
        ONE,
        {"claimant": {"date_of_birth": "31/01/1980"}},
        "claimant.date_of_birth",
        "The claimant.date of birth field must be a valid date.",
    ),
    "bandwidth on create": (
        "POST",
        APPOINTMENTS,
        {"features_bandwidth": "x"},
        "features_bandwidth",
        "The selected features bandwidth is invalid.",
    ),
    "reason not a string": (
        "POST",
        ONE + "/cancel",
        {"cancellation_reason": 5},
        "cancellation_reason",
        "The cancellation reason field must be a string.",
    ),
}


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "expected"), VALIDATION.values(), ids=VALIDATION
)
async def test_invalid_bodies_get_laravels_422(
    fake_sqod: FakeSqod, method: str, path: str, body: dict[str, Any], field: str, expected: str
) -> None:
    before = fake_sqod.appointments
    async with raw(fake_sqod) as http:
        url = path.format(id=fake_sqod.appointment_id)
        response = await http.request(method, url, json=body)

    assert response.status_code == 422
    assert response.json() == {"message": expected, "errors": {field: [expected]}}
    assert fake_sqod.appointments == before
    assert fake_sqod.messages == []


async def test_several_invalid_fields_are_all_reported(fake_sqod: FakeSqod) -> None:
    body = {"duration_in_minutes": "abc", "features_bandwidth": "ultra"}
    async with raw(fake_sqod) as http:
        response = await http.patch(f"{APPOINTMENTS}/{fake_sqod.appointment_id}", json=body)

    errors = {
        "duration_in_minutes": ["The duration in minutes field must be an integer."],
        "features_bandwidth": ["The selected features bandwidth is invalid."],
    }
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    firsts = {f"{messages[0]} (and 1 more error)" for messages in errors.values()}
    assert response.json()["message"] in firsts


async def test_a_boolean_spelt_as_a_word_is_refused(fake_sqod: FakeSqod) -> None:
    async with raw(fake_sqod) as http:
        response = await http.patch(
            f"{APPOINTMENTS}/{fake_sqod.appointment_id}", json={"is_interpreter_needed": "yes"}
        )

    assert response.status_code == 422


async def test_the_client_surfaces_the_422_errors(fake_sqod: FakeSqod, twin: str) -> None:
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await resolve(client.appointments.update(fake_sqod.appointment_id, department_id="99"))

    assert caught.value.errors == {"department_id": ["The selected department id is invalid."]}


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("PATCH", "", {"status": "waiting"}), ("POST", "/cancel", {}), ("POST", "/messages", {})],
    ids=["update", "cancel", "send_message"],
)
async def test_an_unknown_appointment_is_a_404(
    fake_sqod: FakeSqod, method: str, suffix: str, body: dict[str, Any]
) -> None:
    async with raw(fake_sqod) as http:
        response = await http.request(method, f"{APPOINTMENTS}/{UNKNOWN_ID}{suffix}", json=body)

    assert (response.status_code, response.json()) == (404, not_found(UNKNOWN_ID))


# -- pages -----------------------------------------------------------------------------------


async def add_four_appointments(http: httpx.AsyncClient) -> None:
    for number in range(4):
        await http.post(APPOINTMENTS, json={"reference": f"R-{number}"})


async def test_pages_follow_per_page(fake_sqod: FakeSqod) -> None:
    async with raw(fake_sqod) as http:
        await add_four_appointments(http)
        first = (await http.get(APPOINTMENTS, params={"per_page": 2})).json()
        last = (await http.get(APPOINTMENTS, params={"per_page": 2, "page": 3})).json()

    url = fake_sqod.base_url + APPOINTMENTS
    ids = list(fake_sqod.appointments)
    assert [a["id"] for a in first["data"]] == ids[:2]
    assert first["links"] == {
        "first": f"{url}?page=1",
        "last": f"{url}?page=3",
        "prev": None,
        "next": f"{url}?page=2",
    }
    meta = {k: first["meta"][k] for k in ("current_page", "last_page", "per_page", "total")}
    assert meta == {"current_page": 1, "last_page": 3, "per_page": 2, "total": 5}
    assert (first["meta"]["from"], first["meta"]["to"]) == (1, 2)
    assert [a["id"] for a in last["data"]] == ids[4:]
    assert (last["links"]["prev"], last["links"]["next"]) == (f"{url}?page=2", None)


async def test_a_page_beyond_the_last_is_empty(fake_sqod: FakeSqod) -> None:
    async with raw(fake_sqod) as http:
        body = (await http.get(APPOINTMENTS, params={"page": 4})).json()

    assert body["data"] == []
    assert body["links"]["next"] is None
    assert (body["meta"]["current_page"], body["meta"]["last_page"]) == (4, 1)
    assert (body["meta"]["from"], body["meta"]["to"]) == (None, None)


async def test_a_page_beyond_the_last_links_back(fake_sqod: FakeSqod) -> None:
    async with raw(fake_sqod) as http:
        body = (await http.get(APPOINTMENTS, params={"page": 4})).json()

    assert body["links"]["prev"] == f"{fake_sqod.base_url}{APPOINTMENTS}?page=3"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"per_page": 0}, "per_page", "The per page field must be at least 1."),
        ({"page": 0}, "page", "The page field must be at least 1."),
        ({"per_page": "ten"}, "per_page", "The per page field must be an integer."),
    ],
    ids=["per_page=0", "page=0", "per_page=ten"],
)
async def test_bad_paging_gets_a_422(
    fake_sqod: FakeSqod, query: dict[str, Any], field: str, message: str
) -> None:
    async with raw(fake_sqod) as http:
        response = await http.get(APPOINTMENTS, params=query)

    assert response.status_code == 422
    assert response.json() == {"message": message, "errors": {field: [message]}}
