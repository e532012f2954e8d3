"""Every row of the ledger's decision table (API.md), on both stores, both twins, every vendor."""

from __future__ import annotations

import time
from typing import Any

import anyio
import httpx
import pytest

from client_core import (
    AlreadySentError,
    IdempotencyKeyReusedError,
    OutcomeUnknownError,
    SendInProgressError,
    raw_response,
)
from tests.ledger.conftest import StoreKit, Vendor, fake_answer, ledger_client, send, state

pytestmark = pytest.mark.anyio


def repeat_while_out(
    vendor: Vendor, fake: Any, twin: str, ledger: Any, *, wait: float = 0.0
) -> tuple[Any, dict[str, Any]]:
    """A transport handler that, while the first request is out (after `wait` seconds), makes
    the same keyed call again on `seen["client"]`; `seen` gets its error and the entry then."""
    answer = fake_answer(fake)
    seen: dict[str, Any] = {}

    def note(error: Exception) -> None:
        seen["error"] = error

    def sync_handler(request: httpx.Request) -> httpx.Response:
        if "error" not in seen:
            time.sleep(wait)
            seen["entry"] = ledger.entry("key-1")
            try:
                vendor.send(seen["client"], fake, "key-1", "Running late")
            except Exception as error:
                note(error)
        return answer(request)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        if "error" not in seen:
            await anyio.sleep(wait)
            seen["entry"] = ledger.entry("key-1")
            try:
                await vendor.send(seen["client"], fake, "key-1", "Running late")
            except Exception as error:
                note(error)
        return answer(request)

    return (sync_handler if twin == "sync" else async_handler), seen


async def test_nothing_held_claims_sends_and_records(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    async with ledger_client(vendor, fake, twin, ledger) as client:
        sent = await send(vendor, client, fake, "key-1", "Your appointment is at 10")
    assert vendor.count(fake) == 1
    assert raw_response(sent).replayed is False
    entry = ledger.entry("key-1")
    assert entry is not None
    assert (entry.state, entry.vendor) == ("sent", vendor.name)
    assert entry.status_code == raw_response(sent).status_code
    assert ledger.unresolved() == []


async def test_an_answer_with_the_same_fingerprint_is_replayed(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    async with ledger_client(vendor, fake, twin, ledger) as client:
        first = await send(vendor, client, fake, "key-1", "Running late")
        requests = len(fake.requests)
        again = await send(vendor, client, fake, "key-1", "Running late")
    assert len(fake.requests) == requests  # no request at all
    assert vendor.count(fake) == 1
    assert again == first
    raw = raw_response(again)
    assert raw.replayed is True
    assert raw.retries_taken == 0
    assert raw.status_code == raw_response(first).status_code


async def test_another_fingerprint_is_refused_before_every_other_row(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    async with ledger_client(vendor, fake, twin, ledger) as client:
        await send(vendor, client, fake, "key-1", "Running late")
        requests = len(fake.requests)
        with pytest.raises(IdempotencyKeyReusedError, match="'key-1'") as caught:
            await send(vendor, client, fake, "key-1", "Running very late")
        ledger.resolve("key-1", sent=True)  # held as sent by hand: still another call
        with pytest.raises(IdempotencyKeyReusedError):
            await send(vendor, client, fake, "key-1", "Running very late")
    assert isinstance(caught.value, ValueError)
    assert len(fake.requests) == requests
    assert vendor.count(fake) == 1


async def test_a_claim_within_its_lease_is_in_progress(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    handler, seen = repeat_while_out(vendor, fake, twin, ledger)
    async with ledger_client(vendor, fake, twin, ledger, handler) as seen["client"]:
        await send(vendor, seen["client"], fake, "key-1", "Running late")
    assert isinstance(seen["error"], SendInProgressError)
    assert isinstance(seen["error"], OutcomeUnknownError)
    assert "'key-1'" in str(seen["error"])
    assert seen["entry"].state == "claimed"
    assert vendor.count(fake) == 1
    assert len(fake.requests) == 1
    assert state(ledger, "key-1") == "sent"


async def test_a_claim_whose_lease_ran_out_is_unknown(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger(lease=0.05)
    handler, seen = repeat_while_out(vendor, fake, twin, ledger, wait=0.1)
    async with ledger_client(vendor, fake, twin, ledger, handler) as seen["client"]:
        await send(vendor, seen["client"], fake, "key-1", "Running late")
    assert type(seen["error"]) is OutcomeUnknownError
    assert "'key-1'" in str(seen["error"])
    assert seen["entry"].state == "unknown"
    assert vendor.count(fake) == 1
    assert len(fake.requests) == 1


async def test_an_unknown_outcome_stays_unknown_until_resolved(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    fake.drop_next()  # the vendor acts, the answer is lost
    async with ledger_client(vendor, fake, twin, ledger) as client:
        with pytest.raises(OutcomeUnknownError):
            await send(vendor, client, fake, "key-1", "Running late")
        requests = len(fake.requests)
        for _ in range(2):
            with pytest.raises(OutcomeUnknownError, match="'key-1'") as caught:
                await send(vendor, client, fake, "key-1", "Running late")
            assert "resolve" in str(caught.value)
        assert len(fake.requests) == requests
        assert [e.key for e in ledger.unresolved()] == ["key-1"]
        assert state(ledger, "key-1") == "unknown"
        # The user checked the vendor: it did not arrive.
        if twin == "sync":
            ledger.resolve("key-1", sent=False)
        else:
            await ledger.aresolve("key-1", sent=False)
        await send(vendor, client, fake, "key-1", "Running late")
    assert vendor.count(fake) == 2  # the lost one, then the one sent after resolving
    assert ledger.unresolved() == []


async def test_a_key_marked_sent_by_hand_is_already_sent(
    store: StoreKit, twin: str, vendor: Vendor
) -> None:
    fake = vendor.fake()
    ledger = store.ledger()
    if twin == "sync":
        ledger.resolve("key-1", sent=True)
    else:
        await ledger.aresolve("key-1", sent=True)
    async with ledger_client(vendor, fake, twin, ledger) as client:
        with pytest.raises(AlreadySentError, match="'key-1'"):
            await send(vendor, client, fake, "key-1", "Running late")
    assert fake.requests == []
    entry = ledger.entry("key-1")
    assert entry is not None
    assert (entry.state, entry.vendor) == ("sent", None)
