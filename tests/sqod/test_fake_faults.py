"""FakeSqod faults SQOD alone has: a safe PATCH repeated, a fault aimed past the token fetch."""

from __future__ import annotations

from typing import Any

import pytest

from sqod_client import (
    InternalServerError,
    raw_response,
)
from sqod_client.testing import TOKEN_PATH, FakeSqod
from tests.conftest import fake_twin, resolve
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
