"""Faults staged on FakeLoopComms, through the real client: Loop's sends carry a dedup key, so
they are retried, and a repeat of an attempt that was acted on comes back as a 409."""

from __future__ import annotations

import time
from typing import Any

import pytest

from loop_comms_client import (
    APIConnectionError,
    ConflictError,
    RateLimitError,
    raw_response,
)
from loop_comms_client.testing import FakeLoopComms
from tests.conftest import fake_twin, resolve
from tests.loop_comms.test_fake import schedule_fields, send_fields

pytestmark = pytest.mark.anyio

SENDS = ["send", "schedule"]


async def deliver(loop: Any, fake: FakeLoopComms, call: str) -> Any:
    """One `messages.send` or `messages.schedule` of a valid message."""
    fields = schedule_fields(fake) if call == "schedule" else send_fields(fake)
    return await resolve(getattr(loop.messages, call)(**fields))


@pytest.mark.parametrize("call", SENDS)
async def test_a_429_is_retried_and_the_message_goes_out_once(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    fake = fake_loop_comms
    fake.fail_next(429, retry_after=0)
    async with fake_twin(fake, twin) as loop:
        result = await deliver(loop, fake, call)

    assert raw_response(result).retries_taken == 1
    assert len(fake.requests) == 2
    assert len(fake.messages) == 1


async def test_a_429_carries_loops_error_body_and_retry_after(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    fake.fail_next(429, retry_after=7)
    async with fake_twin(fake, twin, max_retries=0) as loop:
        with pytest.raises(RateLimitError) as caught:
            await deliver(loop, fake, "send")

    assert caught.value.body == {"error": "too_many_requests", "message": "Too Many Requests"}
    assert caught.value.retry_after == 7
    assert fake.messages == []


@pytest.mark.parametrize("call", SENDS)
async def test_a_503_on_a_send_is_retried_as_loop_dedupes(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    fake = fake_loop_comms
    fake.fail_next(503)
    async with fake_twin(fake, twin) as loop:
        result = await deliver(loop, fake, call)

    assert raw_response(result).retries_taken == 1
    assert len(fake.messages) == 1


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
@pytest.mark.parametrize("call", SENDS)
async def test_a_lost_answer_is_retried_and_the_repeat_is_refused_as_a_duplicate(
    fake_loop_comms: FakeLoopComms, twin: str, call: str, lose: str
) -> None:
    fake = fake_loop_comms
    getattr(fake, lose)()
    async with fake_twin(fake, twin) as loop:
        with pytest.raises(ConflictError) as caught:
            await deliver(loop, fake, call)

    assert caught.value.earlier_attempt_probably_accepted is True
    assert caught.value.body == {
        "error": "duplicate",
        "message": "dedup_key: already used for this brand",
    }
    first, repeat = fake.requests
    assert repeat.content == first.content  # the same bytes, the same dedup key
    assert len(fake.messages) == 1  # the fake acted on the attempt whose answer was lost


async def test_a_dropped_send_without_retries_leaves_the_message_sent(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    fake.drop_next()
    async with fake_twin(fake, twin, max_retries=0) as loop:
        with pytest.raises(APIConnectionError) as caught:
            await deliver(loop, fake, "send")

    assert caught.value.sent is True
    assert len(fake.messages) == 1


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
async def test_a_read_whose_answer_is_lost_is_retried_and_succeeds(
    fake_loop_comms: FakeLoopComms, twin: str, lose: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        scheduled = await deliver(loop, fake, "schedule")
        getattr(fake, lose)()
        got = await resolve(loop.messages.get_scheduled(scheduled.id))

    assert got.id == scheduled.id
    assert raw_response(got).retries_taken == 1


@pytest.mark.parametrize("call", SENDS)
async def test_a_refused_connection_is_retried_and_the_message_goes_out_once(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    fake = fake_loop_comms
    fake.refuse_next()
    async with fake_twin(fake, twin) as loop:
        result = await deliver(loop, fake, call)

    assert raw_response(result).retries_taken == 1
    assert len(fake.requests) == 1  # a refused connection never reached the fake
    assert len(fake.messages) == 1


async def test_a_delayed_answer_arrives_late(fake_loop_comms: FakeLoopComms, twin: str) -> None:
    fake = fake_loop_comms
    fake.delay_next(0.05)
    async with fake_twin(fake, twin) as loop:
        started = time.perf_counter()
        result = await deliver(loop, fake, "send")
        elapsed = time.perf_counter() - started

    assert elapsed >= 0.05
    assert raw_response(result).retries_taken == 0
    assert len(fake.messages) == 1


async def test_a_delay_past_the_read_timeout_times_out_and_is_retried(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin, timeout=0.5) as loop:
        scheduled = await deliver(loop, fake, "schedule")
        fake.delay_next(5)
        started = time.perf_counter()
        listed = await resolve(loop.messages.list_scheduled(brand_id=fake.brand_id))
        elapsed = time.perf_counter() - started

    assert [m.id for m in listed.data] == [scheduled.id]
    assert raw_response(listed).retries_taken == 1
    assert elapsed < 0.5  # in memory, a timeout is simulated, not waited for
