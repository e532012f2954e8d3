"""FakeSqod against SQOD's spec: the documented answer shapes, bearer tokens, client credentials."""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from sqod_client import DEFAULT_TOKEN_URL, AuthenticationError
from sqod_client.testing import TOKEN_PATH, FakeSqod
from tests.conftest import collect, fake_twin, resolve
from tests.sqod.fake_support import (
    APPOINTMENTS,
    UNKNOWN_ID,
    Client,
    own_client,
    raw,
)

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"
UNAUTHENTICATED = {"message": "Unauthenticated."}
INVALID_CLIENT = {"error": "invalid_client", "error_description": "Client authentication failed."}
# SQOD's timestamps, e.g. 2021-01-01T00:00:00.000Z (the spec's examples).
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def documented(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())["data"]
    return data


APPOINTMENT = documented("update_appointment_200.json")
MESSAGE = documented("send_message_201.json")
# UserResource's `required` list and `role` enum in spec 000.
SENDER_REQUIRED = {"id", "first_name", "last_name", "email", "role"}
ROLES = {"super-admin", "Tenant-admin", "department-admin", "Tenant-scheduler", "agent"}


@asynccontextmanager
async def mocked_client(fake: FakeSqod, twin: str, **credentials: Any) -> AsyncIterator[Client]:
    """A client with client credentials and SQOD's default token URL, inside `fake.mock()`."""
    with fake.mock():
        async with own_client(twin, base_url=fake.base_url, **credentials) as client:
            yield client


def assert_documented_appointment(record: dict[str, Any]) -> None:
    assert "id" in record
    assert set(record) <= set(APPOINTMENT)
    for nested in ("department", "claimant", "meeting"):
        if record.get(nested) is not None:
            assert set(record[nested]) <= set(APPOINTMENT[nested]), nested
    assert isinstance(record["claimant"]["data"], list)  # arrays are always present
    for item in record["claimant"]["data"]:
        assert set(item) <= set(APPOINTMENT["claimant"]["data"][0])
    for key in ("appointment_at", "created_at", "cancelled_at"):
        assert record.get(key) is None or TIMESTAMP.fullmatch(record[key]), key


# -- agreement with the spec -----------------------------------------------------------------


async def test_every_appointment_answer_has_only_documented_keys(fake_sqod: FakeSqod) -> None:
    one = f"{APPOINTMENTS}/{fake_sqod.appointment_id}"
    changes = {
        "department_id": 1,
        "claimant": {"data": [{"id": "nhs", "value": "1", "name": "NHS", "type": "text"}]},
        "features_breakout_room_enable": True,
        "use_custom_post_call_redirect": True,
        "custom_user_post_call_redirect_url": "https://example.com/after",
    }
    async with raw(fake_sqod) as http:
        created = await http.post(APPOINTMENTS, json={"reference": "R-1", "duration_in_minutes": 5})
        updated = await http.patch(one, json=changes)
        listed = await http.get(APPOINTMENTS)
        cancelled = await http.post(f"{one}/cancel", json={"cancellation_reason": "ill"})

    assert [r.status_code for r in (created, updated, listed, cancelled)] == [201, 200, 200, 200]
    for response in (created, updated, cancelled):
        assert set(response.json()) == {"data"}
        assert_documented_appointment(response.json()["data"])
    assert set(listed.json()) == {"data", "links", "meta"}
    for item in listed.json()["data"]:
        assert_documented_appointment(item)


async def test_the_message_answer_has_the_documented_shape(fake_sqod: FakeSqod) -> None:
    path = f"{APPOINTMENTS}/{fake_sqod.appointment_id}/messages"
    async with raw(fake_sqod) as http:
        response = await http.post(path, json={"message": "Hello World"})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"data"}
    assert set(body["data"]) == set(MESSAGE)
    assert body["data"]["message"] == "Hello World"
    assert TIMESTAMP.fullmatch(body["data"]["created_at"])
    sender = body["data"]["sender"]
    assert SENDER_REQUIRED <= set(sender) <= set(MESSAGE["sender"])
    assert sender["role"] in ROLES


async def test_every_answer_parses_strictly_without_a_warning(
    fake_sqod: FakeSqod, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="sqod_client")
    appointment_id = fake_sqod.appointment_id
    for strict in (True, False):
        async with fake_twin(fake_sqod, twin, strict_responses=strict) as sqod:
            calls = sqod.appointments
            await resolve(calls.send_message(appointment_id, message="hi"))
            await resolve(calls.update(appointment_id, status="waiting", department_id=1))
            created = await resolve(calls.create(reference="R-1", claimant={"name": "Jo"}))
            await collect(await resolve(calls.list(per_page=1)))
            await resolve(calls.cancel(created.id, cancellation_reason="ill"))

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# -- auth ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic YTpi"}],
    ids=["no-token", "wrong-token", "basic-auth"],
)
async def test_a_bad_token_gets_sqods_401(fake_sqod: FakeSqod, headers: dict[str, str]) -> None:
    path = f"{APPOINTMENTS}/{fake_sqod.appointment_id}/messages"
    async with raw(fake_sqod, headers) as http:
        response = await http.post(path, json={"message": "hi"})
        unknown = await http.post(f"{APPOINTMENTS}/{UNKNOWN_ID}/messages", json={"message": "hi"})

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    assert (unknown.status_code, unknown.json()) == (401, UNAUTHENTICATED)  # before the 404
    assert fake_sqod.messages == []


async def test_the_client_sees_the_401_body(fake_sqod: FakeSqod, twin: str) -> None:
    async with own_client(twin, via=fake_sqod, token="wrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            await resolve(client.appointments.send_message(fake_sqod.appointment_id, message="hi"))

    assert (caught.value.status_code, caught.value.body) == (401, UNAUTHENTICATED)
    assert fake_sqod.messages == []


async def test_client_credentials_through_mock_and_the_default_token_url(
    fake_sqod: FakeSqod, twin: str
) -> None:
    credentials = fake_sqod.client_credentials
    async with mocked_client(fake_sqod, twin, **credentials) as client:
        sent = await resolve(
            client.appointments.send_message(fake_sqod.appointment_id, message="hi")
        )

    token_request, api_request = fake_sqod.requests
    assert str(token_request.url) == DEFAULT_TOKEN_URL
    pair = f"{credentials['client_id']}:{credentials['client_secret']}".encode()
    assert token_request.headers["authorization"] == "Basic " + base64.b64encode(pair).decode()
    assert token_request.content == b"grant_type=client_credentials"
    bearer = api_request.headers["authorization"]
    assert bearer.startswith("Bearer ")
    assert bearer != f"Bearer {fake_sqod.token}"  # an issued token, not the static one
    assert fake_sqod.messages == [sent]


async def test_the_token_endpoint_takes_the_client_only_as_basic_auth(
    fake_sqod: FakeSqod,
) -> None:
    credentials = fake_sqod.client_credentials
    form = {"grant_type": "client_credentials"}
    async with httpx.AsyncClient(transport=fake_sqod.async_transport()) as http:
        in_body = await http.post(DEFAULT_TOKEN_URL, data={**form, **credentials})
        basic = (credentials["client_id"], credentials["client_secret"])
        issued = await http.post(DEFAULT_TOKEN_URL, data=form, auth=basic)
        token = issued.json()["access_token"]
        used = await http.post(
            f"{fake_sqod.base_url}{APPOINTMENTS}/{fake_sqod.appointment_id}/messages",
            json={"message": "hi"},
            headers={"Authorization": f"Bearer {token}"},
        )

    assert (in_body.status_code, in_body.json()) == (401, INVALID_CLIENT)
    assert issued.status_code == 200
    assert issued.json() == {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
    assert used.status_code == 201
    assert str(issued.request.url).endswith(TOKEN_PATH)
