"""FakeSqod's staged faults through the real clients, and the fake over sockets and respx."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest

from sqod_client import (
    AsyncSqodClient,
    InternalServerError,
    OutcomeUnknownError,
    RateLimitError,
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


async def test_a_429_is_retried_and_the_message_sent_once(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.fail_next(429, retry_after=0)
    async with fake_twin(fake_sqod, twin) as client:
        result = await send(client, fake_sqod.appointment_id)

    assert raw_response(result).retries_taken == 1
    assert fake_sqod.messages == [result]
    assert len(fake_sqod.requests) == 2


async def test_a_429_unretried_carries_laravels_body(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.fail_next(429, retry_after=7)
    async with fake_twin(fake_sqod, twin, max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await send(client, fake_sqod.appointment_id)

    assert caught.value.body == {"message": "Too Many Requests"}
    assert caught.value.retry_after == 7
    assert fake_sqod.messages == []


async def test_a_503_on_a_send_is_not_retried(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.fail_next(503)
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(InternalServerError) as caught:
            await send(client, fake_sqod.appointment_id)

    assert (caught.value.status_code, caught.value.body) == (
        503,
        {"message": "Service Unavailable"},
    )
    assert len(fake_sqod.requests) == 1
    assert fake_sqod.messages == []


async def test_a_503_on_an_update_is_retried(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.fail_next(503, times=2)
    async with fake_twin(fake_sqod, twin) as client:
        result = await resolve(
            client.appointments.update(fake_sqod.appointment_id, status="waiting")
        )

    assert raw_response(result).retries_taken == 2
    assert fake_sqod.appointments[fake_sqod.appointment_id].status == "waiting"
    assert len(fake_sqod.requests) == 3


async def test_a_dropped_send_is_outcome_unknown_yet_sent(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.drop_next()
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(OutcomeUnknownError):
            await send(client, fake_sqod.appointment_id)

    assert [m.message for m in fake_sqod.messages] == ["Running late"]
    assert len(fake_sqod.requests) == 1


async def test_a_timed_out_send_is_outcome_unknown_yet_sent(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.timeout_next()
    async with fake_twin(fake_sqod, twin) as client:
        with pytest.raises(OutcomeUnknownError):
            await send(client, fake_sqod.appointment_id)

    assert [m.message for m in fake_sqod.messages] == ["Running late"]
    assert len(fake_sqod.requests) == 1


async def test_a_timed_out_list_is_retried(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.timeout_next()
    async with fake_twin(fake_sqod, twin) as client:
        items = await collect(await resolve(client.appointments.list()))

    assert [a.id for a in items] == [fake_sqod.appointment_id]
    assert [r.method for r in fake_sqod.requests] == ["GET", "GET"]


async def test_a_refused_send_is_retried_and_sent_once(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.refuse_next()
    async with fake_twin(fake_sqod, twin) as client:
        result = await send(client, fake_sqod.appointment_id)

    assert raw_response(result).retries_taken == 1
    assert fake_sqod.messages == [result]
    assert len(fake_sqod.requests) == 1  # the refused connection carried nothing


async def test_a_delay_is_waited_out(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.delay_next(0.05)
    started = time.perf_counter()
    async with fake_twin(fake_sqod, twin) as client:
        result = await send(client, fake_sqod.appointment_id)

    assert time.perf_counter() - started >= 0.05
    assert fake_sqod.messages == [result]


async def test_a_delay_past_the_read_timeout_times_out(fake_sqod: FakeSqod, twin: str) -> None:
    fake_sqod.delay_next(5)
    started = time.perf_counter()
    async with fake_twin(fake_sqod, twin, timeout=1) as client:
        with pytest.raises(OutcomeUnknownError):
            await send(client, fake_sqod.appointment_id)

    assert time.perf_counter() - started < 0.5  # simulated, not slept
    assert len(fake_sqod.messages) == 1


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
