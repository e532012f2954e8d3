"""FakeSqod: faults SQOD alone has (a safe PATCH, token fetches), serve() and mock()."""

from __future__ import annotations

import io
from typing import Any

import pytest

from sqod_client import (
    AsyncSqodClient,
    InternalServerError,
    OutcomeUnknownError,
    SqodClient,
    raw_response,
)
from sqod_client.testing import TOKEN_PATH, FakeSqod
from tests.conftest import collect, fake_twin, resolve
from tests.sqod.fake_support import APPOINTMENTS, Client, own_client

pytestmark = pytest.mark.anyio

MESSAGES = APPOINTMENTS + "/{}/messages"


async def send(client: Client, appointment_id: str, text: str = "Running late") -> Any:
    return await resolve(client.appointments.send_message(appointment_id, message=text))


# -- faults ----------------------------------------------------------------------------------


async def test_a_503_on_an_update_is_retried(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.fail_next(503, times=2)
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(fake_sqod.appointment_id, status="waiting")
        )

    assert raw_response(result).retries_taken == 2
    assert fake_sqod.appointments[fake_sqod.appointment_id].status == "waiting"
    assert len(fake_sqod.requests) == 3


async def test_a_fault_lands_on_the_call_not_the_token_fetch(
    fake_sqod: FakeSqod, twin: str
) -> None:
    fake_sqod.fail_next(503)
    credentials = fake_sqod.client_credentials
    async with own_client(twin, via=fake_sqod, **credentials) as sqod:
        with pytest.raises(InternalServerError):
            await send(sqod, fake_sqod.appointment_id)

    assert [r.url.path for r in fake_sqod.requests] == [
        TOKEN_PATH,
        MESSAGES.format(fake_sqod.appointment_id),
    ]
    assert fake_sqod.messages == []


# -- serve() and mock() ----------------------------------------------------------------------


async def test_served_over_real_sockets(fake_sqod: FakeSqod, twin: str) -> None:
    appointment_id = fake_sqod.appointment_id
    credentials = fake_sqod.client_credentials
    with fake_sqod.serve() as url:
        async with own_client(twin, base_url=url, timeout=0.5, **fake_sqod.credentials) as sqod:
            sent = await send(sqod, appointment_id)
            await resolve(
                sqod.appointments.update(
                    appointment_id, status="waiting", files={"f": ("a.txt", io.BytesIO(b"x"))}
                )
            )
            fake_sqod.drop_next()
            with pytest.raises(OutcomeUnknownError):
                await send(sqod, appointment_id, "dropped")
        token_url = url + TOKEN_PATH
        async with own_client(twin, base_url=url, token_url=token_url, **credentials) as other:
            items = await collect(await resolve(other.appointments.list()))

    assert url.startswith("http://127.0.0.1:")
    assert [m.message for m in fake_sqod.messages] == [sent.message, "dropped"]
    assert fake_sqod.appointments[appointment_id].status == "waiting"
    assert [a.id for a in items] == [appointment_id]
    assert {r.url.host for r in fake_sqod.requests} == {"127.0.0.1"}
    assert [r.url.path for r in fake_sqod.requests][-2:] == [TOKEN_PATH, APPOINTMENTS]


def notify_running_late(base_url: str, token: str, appointment_id: str) -> str | None:
    """Code under test: it builds its own client, so only `fake.mock()` can reach it."""
    with SqodClient(base_url=base_url, token=token) as sqod:
        return sqod.appointments.send_message(appointment_id, message="Running late").id


async def notify_running_late_async(base_url: str, token: str, appointment_id: str) -> str | None:
    async with AsyncSqodClient(base_url=base_url, token=token) as sqod:
        sent = await sqod.appointments.send_message(appointment_id, message="Running late")
        return sent.id


async def test_mock_answers_code_that_builds_its_own_client(fake_sqod: FakeSqod, twin: str) -> None:
    notify = notify_running_late if twin == "sync" else notify_running_late_async
    with fake_sqod.mock() as base_url:
        sent_id = await resolve(notify(base_url, fake_sqod.token, fake_sqod.appointment_id))

    assert base_url == fake_sqod.base_url
    assert [m.id for m in fake_sqod.messages_for(fake_sqod.appointment_id)] == [sent_id]
