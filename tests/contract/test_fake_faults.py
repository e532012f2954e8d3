"""Every fake's staged faults through the real clients: what was sent, what the fake kept.

`drop` and `timeout` act and then lose the answer; `refuse` never lets the request in; `fail`
answers in the vendor's error format without acting; `delay` acts and answers late.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from client_core import (
    APIConnectionError,
    ConflictError,
    InternalServerError,
    OutcomeUnknownError,
    RateLimitError,
    raw_response,
)
from tests.conftest import fake_twin, resolve
from tests.contract.vendors import Vendor, fault_body

pytestmark = pytest.mark.anyio


async def sent_then_read(vendor: Vendor, client: Any, fake: Any, stage: Any) -> Any:
    """Send one message, stage a fault, then read it back (a safe call)."""
    sent = await resolve(vendor.send(client, fake))
    stage()
    return await resolve(vendor.read(client, vendor.message_id(sent)))


async def test_a_429_is_retried_and_the_message_stored_once(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    fake.fail_next(429, retry_after=0)
    async with fake_twin(fake, twin) as client:
        result = await resolve(vendor.send(client, fake))

    assert raw_response(result).retries_taken == 1
    assert len(fake.messages) == 1
    assert len(fake.requests) == 2


async def test_an_unretried_429_carries_the_vendors_body_and_retry_after(
    vendor: Vendor, twin: str
) -> None:
    fake = vendor.fake()
    fake.fail_next(429, retry_after=7)
    async with fake_twin(fake, twin, max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await resolve(vendor.send(client, fake))

    assert caught.value.body == fault_body(vendor, 429)
    assert caught.value.retry_after == 7
    assert fake.messages == []


async def test_a_503_on_a_send_is_retried_only_with_a_dedup_key(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    fake.fail_next(503)
    async with fake_twin(fake, twin) as client:
        if vendor.dedup:
            result = await resolve(vendor.send(client, fake))
            assert raw_response(result).retries_taken == 1
        else:
            with pytest.raises(InternalServerError) as caught:
                await resolve(vendor.send(client, fake))
            assert (caught.value.status_code, caught.value.body) == (503, fault_body(vendor, 503))

    assert len(fake.messages) == (1 if vendor.dedup else 0)
    assert len(fake.requests) == (2 if vendor.dedup else 1)


async def test_503s_on_a_read_are_retried(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    async with fake_twin(fake, twin) as client:
        result = await sent_then_read(vendor, client, fake, lambda: fake.fail_next(503, times=2))

    assert raw_response(result).retries_taken == 2
    assert len(fake.requests) == 4


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
async def test_a_lost_answer_to_a_send_leaves_it_acted_on_and_is_never_sent_twice(
    vendor: Vendor, twin: str, lose: str
) -> None:
    fake = vendor.fake()
    getattr(fake, lose)()
    async with fake_twin(fake, twin) as client:
        expected = ConflictError if vendor.dedup else OutcomeUnknownError
        with pytest.raises(expected) as caught:
            await resolve(vendor.send(client, fake, "Lost"))

    assert len(fake.messages) == 1  # the fake acted on the attempt whose answer was lost
    if vendor.dedup:  # repeated with the same bytes, refused as a duplicate
        assert isinstance(caught.value, ConflictError)
        assert caught.value.earlier_attempt_probably_accepted is True
        first, repeat = fake.requests
        assert repeat.content == first.content
    else:
        assert len(fake.requests) == 1
        assert "may or may not have been sent" in str(caught.value)


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
async def test_a_lost_answer_without_retries_says_the_send_went_out(
    vendor: Vendor, twin: str, lose: str
) -> None:
    fake = vendor.fake()
    getattr(fake, lose)()
    async with fake_twin(fake, twin, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as caught:
            await resolve(vendor.send(client, fake))

    assert caught.value.sent is True
    assert len(fake.messages) == 1
    assert len(fake.requests) == 1


@pytest.mark.parametrize("lose", ["drop_next", "timeout_next"])
async def test_a_read_whose_answer_is_lost_is_retried(vendor: Vendor, twin: str, lose: str) -> None:
    fake = vendor.fake()
    async with fake_twin(fake, twin) as client:
        result = await sent_then_read(vendor, client, fake, getattr(fake, lose))

    assert raw_response(result).retries_taken == 1
    assert [r.method for r in fake.requests] == ["POST", "GET", "GET"]


async def test_a_refused_send_is_retried_and_stored_once(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    fake.refuse_next()
    async with fake_twin(fake, twin) as client:
        result = await resolve(vendor.send(client, fake))

    assert raw_response(result).retries_taken == 1
    assert len(fake.messages) == 1
    assert len(fake.requests) == 1  # the refused connection carried nothing


async def test_a_delay_is_waited_out(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    fake.delay_next(0.05)
    async with fake_twin(fake, twin) as client:
        started = time.perf_counter()
        result = await resolve(vendor.send(client, fake))
        elapsed = time.perf_counter() - started

    assert elapsed >= 0.05
    assert raw_response(result).retries_taken == 0
    assert len(fake.messages) == 1


async def test_a_delay_past_the_read_timeout_times_out_at_once_after_acting(
    vendor: Vendor, twin: str
) -> None:
    fake = vendor.fake()
    fake.delay_next(5)
    async with fake_twin(fake, twin, timeout=0.5, max_retries=0) as client:
        started = time.perf_counter()
        with pytest.raises(APIConnectionError) as caught:
            await resolve(vendor.send(client, fake))
        elapsed = time.perf_counter() - started

    assert elapsed < 0.5  # in memory a timeout is simulated, not waited for
    assert caught.value.sent is True
    assert isinstance(caught.value, OutcomeUnknownError) is not vendor.dedup
    assert len(fake.messages) == 1


async def test_a_slow_read_is_retried_after_the_timeout(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    async with fake_twin(fake, twin, timeout=0.5) as client:
        result = await sent_then_read(vendor, client, fake, lambda: fake.delay_next(5))

    assert raw_response(result).retries_taken == 1
