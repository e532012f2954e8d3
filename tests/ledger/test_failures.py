"""What a keyed send leaves behind when it fails, is interrupted, or its store fails (API.md)."""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from client_core import (
    AlreadySentError,
    ClientClosedError,
    LedgerError,
    OutcomeUnknownError,
    PostgresLedger,
    SqliteLedger,
    raw_response,
)
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import FakeSqod
from tests.conftest import resolve
from tests.ledger.conftest import (
    VENDORS,
    StoreKit,
    fake_answer,
    ledger_client,
    postgres_server,
    send,
    state,
)

pytestmark = pytest.mark.anyio

SQOD = VENDORS["sqod"]


def _refused(fake: FakeSqod) -> None:
    fake.refuse_next(times=3)  # every attempt: nothing ever reached the vendor


def _status(status: int, times: int = 1) -> Callable[[FakeSqod], None]:
    return lambda fake: fake.fail_next(status, times=times)


# What each failure leaves: None (released: the next call sends) or the entry's state.
FAILURES: dict[str, tuple[Callable[[FakeSqod], None], str | None]] = {
    "refused connect": (_refused, None),
    "400": (_status(400), None),
    "401": (_status(401), None),
    "403": (_status(403), None),
    "404": (_status(404), None),
    "422": (_status(422), None),
    "429 after retries": (_status(429, times=3), None),
    "503": (_status(503), None),
    "408": (_status(408), "unknown"),
    "409": (_status(409), "unknown"),
    "500": (_status(500), "unknown"),
    "502": (_status(502), "unknown"),
    "504": (_status(504), "unknown"),
    "dropped answer": (lambda fake: fake.drop_next(), "unknown"),
    "timed-out answer": (lambda fake: fake.timeout_next(), "unknown"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
async def test_the_claimers_failure_decides_what_it_leaves(
    store: StoreKit, twin: str, failure: str
) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    stage, leaves = FAILURES[failure]
    stage(fake)
    async with ledger_client(SQOD, fake, twin, ledger, timeout=2) as client:
        with pytest.raises(Exception) as first:  # noqa: PT011 - each failure raises its own
            await send(SQOD, client, fake, "key-1")
        assert not isinstance(first.value, AlreadySentError)
        entry = ledger.entry("key-1")
        acted = len(fake.messages)
        if leaves is None:
            assert entry is None
            assert acted == 0
            await send(SQOD, client, fake, "key-1")  # released: this one sends
            assert len(fake.messages) == 1
        else:
            assert entry is not None
            assert entry.state == leaves
            requests = len(fake.requests)
            with pytest.raises(OutcomeUnknownError, match="'key-1'"):
                await send(SQOD, client, fake, "key-1")
            assert len(fake.requests) == requests
            assert len(fake.messages) == acted  # never resent


async def test_a_closed_client_sends_nothing_and_releases_the_key(
    store: StoreKit, twin: str
) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    async with ledger_client(SQOD, fake, twin, ledger) as client:
        pass  # closes its http client
    with pytest.raises(ClientClosedError):
        await send(SQOD, client, fake, "key-1")
    assert ledger.entry("key-1") is None
    assert fake.requests == []


async def test_a_2xx_whose_body_cannot_be_read_is_sent_without_an_answer(
    store: StoreKit, twin: str
) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    answer = fake_answer(fake)

    def unreadable(request: httpx.Request) -> httpx.Response:
        answer(request)  # the vendor acts
        return httpx.Response(201, text="<html>Created</html>")

    async with ledger_client(SQOD, fake, twin, ledger, unreadable) as client:
        with pytest.raises(Exception, match="accepted"):
            await send(SQOD, client, fake, "key-1")
        with pytest.raises(AlreadySentError, match="'key-1'"):
            await send(SQOD, client, fake, "key-1")
    assert len(fake.messages) == 1
    assert len(fake.requests) == 1
    entry = ledger.entry("key-1")
    assert entry is not None
    assert (entry.state, entry.status_code) == ("sent", None)


async def test_a_replay_carries_the_recorded_status_and_request_id(
    store: StoreKit, twin: str
) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    answer = fake_answer(fake)

    def with_request_id(request: httpx.Request) -> httpx.Response:
        response: httpx.Response = answer(request)
        return httpx.Response(
            response.status_code,
            headers={"x-request-id": "req-981"},
            content=response.content,
        )

    async with ledger_client(SQOD, fake, twin, ledger, with_request_id) as client:
        await send(SQOD, client, fake, "key-1")
        again = await send(SQOD, client, fake, "key-1")
    raw = raw_response(again)
    assert (raw.replayed, raw.status_code, raw.request_id, raw.retries_taken) == (
        True,
        201,
        "req-981",
        0,
    )
    entry = ledger.entry("key-1")
    assert entry is not None
    assert entry.request_id == "req-981"


async def test_an_answer_with_a_lone_surrogate_escape_replays_as_it_was_returned(
    store: StoreKit, twin: str
) -> None:
    # Legal JSON that pydantic's fast parser refuses: the send reads it with the `json` module
    # (issue 10), so the replay must read the recorded answer the same way.
    fake = FakeSqod()
    ledger = store.ledger()
    answer = fake_answer(fake)

    def with_half_an_emoji(request: httpx.Request) -> httpx.Response:
        response: httpx.Response = answer(request)
        content = response.content.replace(b'"message":"Hi"', b'"message":"Hi \\ud83d"')
        assert content != response.content
        return httpx.Response(response.status_code, content=content)

    async with ledger_client(SQOD, fake, twin, ledger, with_half_an_emoji) as client:
        first = await send(SQOD, client, fake, "key-1")
        again = await send(SQOD, client, fake, "key-1")
    assert first.message == "Hi \ud83d"
    assert again == first
    assert raw_response(again).replayed is True
    assert len(fake.requests) == 1


async def test_a_recorded_empty_answer_replays_as_none(store: StoreKit, twin: str) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    answer = fake_answer(fake)

    def without_body(request: httpx.Request) -> httpx.Response:
        answer(request)
        return httpx.Response(204)

    async with ledger_client(SQOD, fake, twin, ledger, without_body) as client:
        cancel = client.appointments.cancel
        first = await resolve(cancel(fake.appointment_id, idempotency_key="cancel-1"))
        again = await resolve(cancel(fake.appointment_id, idempotency_key="cancel-1"))
    assert first is None
    assert again is None
    assert len(fake.requests) == 1
    assert state(ledger, "cancel-1") == "sent"


async def test_every_keyed_call_is_ledgered(store: StoreKit, twin: str) -> None:
    """SQOD create and cancel, Plannr's attachments, Hero's send: each replays its answer."""
    ledger = store.ledger()
    sqod = FakeSqod()
    async with ledger_client(SQOD, sqod, twin, ledger) as client:
        for _ in range(2):
            made = await resolve(client.appointments.create(idempotency_key="create-1"))
            cancelled = await resolve(
                client.appointments.cancel(made.id, idempotency_key="cancel-1")
            )
    assert len(sqod.appointments) == 2  # the seeded one and one created
    assert cancelled is not None
    assert raw_response(cancelled).replayed is True
    plannr = VENDORS["plannr"].fake()
    async with ledger_client(VENDORS["plannr"], plannr, twin, ledger) as client:
        send_files = client.conversations.send_message_with_attachments
        uuid = plannr.conversation_uuid
        for _ in range(2):
            files = [("notes.pdf", b"%PDF-1.4 one", "application/pdf")]
            message = await resolve(
                send_files(uuid, contents="Notes", files=files, idempotency_key="files-1")
            )
        other = [("notes.pdf", b"%PDF-1.4 two", "application/pdf")]
        with pytest.raises(ValueError, match="'files-1'"):
            await resolve(
                send_files(uuid, contents="Notes", files=other, idempotency_key="files-1")
            )
    assert len(plannr.messages) == 1
    assert raw_response(message).replayed is True


async def test_keys_are_checked_before_any_io(store: StoreKit, twin: str) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    async with ledger_client(SQOD, fake, twin, ledger) as client:
        for bad in ("", "k" * 256):
            with pytest.raises(ValueError, match="idempotency_key"):
                await send(SQOD, client, fake, bad)
        await send(SQOD, client, fake, "k" * 255)
        await send(SQOD, client, fake, " appt-1")  # stored as given: not "appt-1"
        await send(SQOD, client, fake, "appt-1")
        await send(SQOD, client, fake, "APPT-1")
        await send(SQOD, client, fake, None)  # a ledger without a key changes nothing
        await send(SQOD, client, fake, None)
    assert len(fake.messages) == 6


async def test_a_key_without_a_ledger_is_a_value_error(twin: str) -> None:
    fake = FakeSqod()
    async with ledger_client(SQOD, fake, twin, None) as client:
        with pytest.raises(ValueError, match="ledger"):
            await send(SQOD, client, fake, "key-1")
    assert fake.requests == []


async def test_with_options_keeps_the_ledger(store: StoreKit, twin: str) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    async with ledger_client(SQOD, fake, twin, ledger) as client:
        await send(SQOD, client, fake, "key-1")
        again = await send(SQOD, client.with_options(timeout=5, max_retries=0), fake, "key-1")
    assert raw_response(again).replayed is True
    assert len(fake.messages) == 1


# -- the store failing ---------------------------------------------------------------------------


@contextmanager
def store_locked(store: StoreKit) -> Iterator[Callable[[], None]]:
    """Hold the store's write lock from another connection; yields a function releasing it."""
    store.ledger().entry("create-the-table")
    conn: Any
    release: Callable[[], object]
    if store.kind == "sqlite":
        conn = sqlite3.connect(store.location, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        release = lambda: conn.execute("ROLLBACK")  # noqa: E731
    else:
        import psycopg

        conn = psycopg.connect(store.location)
        conn.execute(f"LOCK TABLE {store.table} IN ACCESS EXCLUSIVE MODE")
        release = conn.rollback
    released = threading.Event()

    def release_once() -> None:
        if not released.is_set():
            released.set()
            release()

    try:
        yield release_once
    finally:
        release_once()
        conn.close()


def impatient_ledger(store: StoreKit) -> Any:
    """A ledger on `store` that gives up on a lock after 0.2 s instead of waiting."""
    if store.kind == "sqlite":
        return store.ledger(busy_timeout=0.2)
    ledger = PostgresLedger(store.location + "&options=-c%20lock_timeout%3D200", table=store.table)
    store.opened.append(ledger)
    return ledger


async def test_a_store_failing_after_a_2xx_returns_the_model_and_keeps_the_key_claimed(
    store: StoreKit, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSqod()
    ledger = impatient_ledger(store)
    answer = fake_answer(fake)
    lock = store_locked(store)

    def lock_then_answer(request: httpx.Request) -> httpx.Response:
        lock.__enter__()  # after the claim, before the answer is recorded
        return answer(request)

    async with ledger_client(SQOD, fake, twin, ledger, lock_then_answer) as client:
        with caplog.at_level(logging.WARNING):
            sent = await send(SQOD, client, fake, "secret-key-981")
    lock.__exit__(None, None, None)
    assert sent.message == "Hi"
    assert len(fake.messages) == 1
    warnings = [r for r in caplog.records if "answer could not be recorded" in r.getMessage()]
    assert len(warnings) == 1
    assert all("secret-key-981" not in r.getMessage() for r in caplog.records)
    entry = ledger.entry("secret-key-981")
    assert entry is not None
    assert entry.state == "claimed"  # turns unknown when its lease runs out, never resent


async def test_a_store_that_cannot_be_reached_sends_nothing(
    tmp_path: Path, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSqod()
    ledger = SqliteLedger(tmp_path / "missing-directory" / "sends.sqlite3")
    async with ledger_client(SQOD, fake, twin, ledger) as client:
        with pytest.raises(LedgerError, match="SQLite"):
            await send(SQOD, client, fake, "key-1")
    assert fake.requests == []
    assert caplog.records == []  # nothing was claimed, so nothing to release or warn about


def test_postgres_stopped_before_a_send_raises_ledger_error_and_sends_nothing() -> None:
    with postgres_server() as server:
        _stopped_before_a_send(server)


def _stopped_before_a_send(server: Any) -> None:
    ledger = PostgresLedger(str(server.get_uri()))
    fake = FakeSqod()
    try:
        http = httpx.Client(transport=fake.transport())
        sqod = SqodClient(base_url=fake.base_url, token=fake.token, http_client=http, ledger=ledger)
        sqod.appointments.send_message(fake.appointment_id, message="Hi", idempotency_key="a")
        server.cleanup()  # PostgreSQL stops
        with pytest.raises(LedgerError, match="PostgreSQL") as caught:
            sqod.appointments.send_message(fake.appointment_id, message="Hi", idempotency_key="b")
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__

        async def async_send() -> None:
            async with httpx.AsyncClient(transport=fake.transport()) as http:
                client = AsyncSqodClient(
                    base_url=fake.base_url, token=fake.token, http_client=http, ledger=ledger
                )
                with pytest.raises(LedgerError):
                    await client.appointments.send_message(
                        fake.appointment_id, message="Hi", idempotency_key="c"
                    )

        anyio.run(async_send)
        assert len(fake.messages) == 1  # only the send made while the store was up
    finally:
        ledger.close()
        server.cleanup()


# -- interruptions -------------------------------------------------------------------------------


@contextmanager
def interrupt_main_after(seconds: float) -> Iterator[None]:
    """Raise KeyboardInterrupt in the main thread after `seconds`, as a signal would."""
    previous = signal.getsignal(signal.SIGUSR1)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGUSR1, interrupt)
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(seconds, signal.pthread_kill, (main, signal.SIGUSR1))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGUSR1, previous)


def test_a_sync_send_interrupted_while_out_leaves_the_key_unknown(store: StoreKit) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    fake.delay_next(1.0)
    with fake.serve() as url:
        sqod = SqodClient(base_url=url, token=fake.token, ledger=ledger, max_retries=0)
        with interrupt_main_after(0.3), pytest.raises(KeyboardInterrupt):
            sqod.appointments.send_message(fake.appointment_id, message="Hi", idempotency_key="k")
        sqod.close()
    assert state(ledger, "k") == "unknown"
    assert len(fake.messages) == 1


async def test_an_async_send_cancelled_while_out_leaves_the_key_unknown(store: StoreKit) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    fake.delay_next(1.0)
    with fake.serve() as url:
        async with AsyncSqodClient(base_url=url, token=fake.token, ledger=ledger) as sqod:
            with anyio.move_on_after(0.3) as scope:
                await sqod.appointments.send_message(
                    fake.appointment_id, message="Hi", idempotency_key="k"
                )
            assert scope.cancelled_caught
            with pytest.raises(OutcomeUnknownError):
                await sqod.appointments.send_message(
                    fake.appointment_id, message="Hi", idempotency_key="k"
                )
    assert state(ledger, "k") == "unknown"
    assert len(fake.messages) == 1


async def test_an_async_send_cancelled_before_it_left_releases_the_key(store: StoreKit) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    async with ledger_client(SQOD, fake, "async", ledger) as sqod:
        with store_locked(store) as release:
            threading.Timer(0.4, release).start()
            with anyio.move_on_after(0.2) as scope:  # while the claim waits for the lock
                await send(SQOD, sqod, fake, "k")
        assert scope.cancelled_caught
        assert ledger.entry("k") is None
        assert fake.requests == []
        await send(SQOD, sqod, fake, "k")
    assert len(fake.messages) == 1


def test_a_sync_send_interrupted_before_it_left_releases_the_key(store: StoreKit) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    http = httpx.Client(transport=fake.transport())
    sqod = SqodClient(base_url=fake.base_url, token=fake.token, http_client=http, ledger=ledger)
    with store_locked(store) as release:
        threading.Timer(0.4, release).start()
        with interrupt_main_after(0.2), pytest.raises(KeyboardInterrupt):
            sqod.appointments.send_message(fake.appointment_id, message="Hi", idempotency_key="k")
    assert ledger.entry("k") is None
    assert fake.requests == []
    sqod.appointments.send_message(fake.appointment_id, message="Hi", idempotency_key="k")
    assert len(fake.messages) == 1  # released: the next call sends, on the same connection
