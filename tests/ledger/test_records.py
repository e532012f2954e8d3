"""What the ledger keeps and for whom: tenants, privacy, resolving, pruning, concurrency."""

from __future__ import annotations

import asyncio
import pickle
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from client_core import (
    AlreadySentError,
    IdempotencyKeyReusedError,
    LedgerError,
    OutcomeUnknownError,
    PostgresLedger,
    SendInProgressError,
    SqliteLedger,
    raw_response,
)
from hero_client.testing import FakeHero
from loop_comms_client import LoopCommsClient
from plannr_client.testing import FakePlannr
from sqod_client.testing import FakeSqod
from tests.conftest import collect
from tests.ledger.conftest import VENDORS, StoreKit, ledger_client, send

pytestmark = pytest.mark.anyio

OTHER_ACCOUNT = "0b7e5a4c-3d2f-4e1a-9c8b-7a6d5e4f3c2b"


def second_tenant(name: str) -> tuple[Any, Any]:
    """Two fakes of one vendor for two tenants: two SQOD customers, Plannr accounts, Hero groups."""
    if name == "sqod":
        return FakeSqod(base_url="https://north.sqod.test"), FakeSqod(
            base_url="https://south.sqod.test"
        )
    if name == "plannr":
        account = FakePlannr()
        account.account_uuid = OTHER_ACCOUNT
        return FakePlannr(), account
    group = FakeHero()
    group.practice_group_id = "4343"
    return FakeHero(), group


async def test_tenants_sharing_a_store_never_replay_each_others_answers(
    store: StoreKit, twin: str, vendor: Any
) -> None:
    ledger = store.ledger()
    first, second = second_tenant(vendor.name)
    async with ledger_client(vendor, first, twin, ledger) as client:
        mine = await send(vendor, client, first, "reminder-7", "See you at 10")
    async with ledger_client(vendor, second, twin, ledger) as client:
        with pytest.raises(IdempotencyKeyReusedError, match="tenant"):
            await send(vendor, client, second, "reminder-7", "See you at 10")
    assert vendor.count(second) == 0
    assert second.requests == []
    async with ledger_client(vendor, first, twin, ledger) as client:
        again = await send(vendor, client, first, "reminder-7", "See you at 10")
    assert again == mine
    assert vendor.count(first) == 1


def test_the_store_holds_no_credential_and_no_request_body(tmp_path: Path) -> None:
    path = tmp_path / "sends.sqlite3"
    ledger = SqliteLedger(path)
    plannr = FakePlannr()
    upload = b"%PDF-1.4 canary-request-body-5e1f"
    with httpx.Client(transport=plannr.transport()) as http:
        client = VENDORS["plannr"].sync_client(
            **plannr.credentials, base_url=plannr.base_url, http_client=http, ledger=ledger
        )
        for _ in range(2):
            client.conversations.send_message_with_attachments(
                plannr.conversation_uuid,
                contents="Your letter",
                files=[("letter.pdf", upload, "application/pdf")],
                idempotency_key="letter-1",
            )
    hero = FakeHero()
    with httpx.Client(transport=hero.transport()) as http:
        client = VENDORS["hero"].sync_client(
            **hero.credentials, base_url=hero.base_url, http_client=http, ledger=ledger
        )
        client.messages.send(
            patient_id=hero.patient_id,
            message_type="sms",
            message_string="Your results are in",
            idempotency_key="results-1",
        )
    ledger.close()
    assert len(plannr.messages) == 1
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("sends"))
    assert b"letter-1" in stored  # the scan does see what the ledger wrote
    for canary in (plannr.token, hero.api_key, upload, b"canary-request-body"):
        assert (canary.encode() if isinstance(canary, str) else canary) not in stored
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


async def test_unresolved_lists_claimed_and_unknown_oldest_first(
    store: StoreKit, twin: str
) -> None:
    vendor = VENDORS["sqod"]
    fake = FakeSqod()
    ledger = store.ledger()
    async with ledger_client(vendor, fake, twin, ledger) as client:
        await send(vendor, client, fake, "sent-1")
        fake.drop_next()
        with pytest.raises(OutcomeUnknownError):
            await send(vendor, client, fake, "lost-1")
        fake.timeout_next()
        with pytest.raises(OutcomeUnknownError):
            await send(vendor, client, fake, "lost-2")
    if twin == "sync":
        found = ledger.unresolved()
    else:
        found = await ledger.aunresolved()
        assert [e.key async for e in ledger.aunresolved()] == ["lost-1", "lost-2"]
    assert [(e.key, e.state, e.vendor) for e in found] == [
        ("lost-1", "unknown", "sqod"),
        ("lost-2", "unknown", "sqod"),
    ]
    assert found[0].created_at <= found[1].created_at
    assert found[0].created_at.tzinfo is not None
    entry = ledger.entry("sent-1") if twin == "sync" else await ledger.aentry("sent-1")
    assert entry is not None
    assert entry.state == "sent"
    assert ledger.entry("never-used") is None


async def test_resolve_sent_true_then_a_repeat_is_already_sent(store: StoreKit, twin: str) -> None:
    vendor = VENDORS["sqod"]
    fake = FakeSqod()
    ledger = store.ledger()
    fake.drop_next()
    async with ledger_client(vendor, fake, twin, ledger) as client:
        with pytest.raises(OutcomeUnknownError):
            await send(vendor, client, fake, "lost-1")
        # The user checked the vendor: the message did arrive.
        assert any(m.message == "Hi" for m in fake.messages_for(fake.appointment_id))
        ledger.resolve("lost-1", sent=True)
        with pytest.raises(AlreadySentError):
            await send(vendor, client, fake, "lost-1")
    assert ledger.unresolved() == []
    assert len(fake.messages) == 1


async def test_prune_deletes_records_older_than_the_ttl(store: StoreKit, twin: str) -> None:
    vendor = VENDORS["sqod"]
    fake = FakeSqod()
    kept = store.ledger()
    ledger = store.ledger(ttl=timedelta(milliseconds=200))
    async with ledger_client(vendor, fake, twin, ledger) as client:
        await send(vendor, client, fake, "old-1")
        await asyncio.sleep(0.3)
        await send(vendor, client, fake, "new-1")
        assert kept.prune() == 0  # 30 days by default
        pruned = ledger.prune() if twin == "sync" else await ledger.aprune()
        assert pruned == 1
        assert ledger.entry("old-1") is None
        assert ledger.entry("new-1") is not None
        await send(vendor, client, fake, "old-1")  # forgotten: sends again
    assert len(fake.messages) == 3


async def test_concurrent_tasks_with_one_key_send_once(store: StoreKit) -> None:
    vendor = VENDORS["sqod"]
    fake = FakeSqod()
    ledger = store.ledger()
    fake.delay_next(0.3)
    with fake.serve() as url:
        async with ledger_client(vendor, fake, "async", ledger, base_url=url) as client:
            results = await asyncio.gather(
                *(send(vendor, client, fake, "same-key") for _ in range(8)),
                return_exceptions=True,
            )
            replay = await send(vendor, client, fake, "same-key")
    sent = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(sent) == 1
    assert all(isinstance(r, SendInProgressError) for r in refused)
    assert raw_response(replay).replayed is True
    assert len(fake.messages) == 1


async def test_a_ledger_without_keys_changes_nothing_for_reads(store: StoreKit, twin: str) -> None:
    vendor = VENDORS["sqod"]
    fake = FakeSqod()
    async with ledger_client(vendor, fake, twin, store.ledger()) as client:
        assert len(await collect(await _list(client))) == 1


async def _list(client: Any) -> Any:
    page = client.appointments.list()
    return await page if asyncio.iscoroutine(page) else page


def test_options_are_checked(tmp_path: Path) -> None:
    for bad in ({"lease": 0}, {"ttl": -1}, {"lease": timedelta(0)}):
        with pytest.raises(ValueError, match=r"lease|ttl"):
            SqliteLedger(tmp_path / "x.sqlite3", **bad)
    with pytest.raises(ValueError, match="table"):
        PostgresLedger("postgresql://localhost/x", table="sends; DROP TABLE users")
    with pytest.raises(ValueError, match="ledger"):
        VENDORS["sqod"].sync_client(base_url="https://a.sqod.test", token="t", ledger="x.db")
    with pytest.raises(TypeError):
        LoopCommsClient(token="t", ledger=SqliteLedger(tmp_path / "x.sqlite3"))  # type: ignore[call-arg]


def test_reprs_and_errors_carry_no_conninfo() -> None:
    secret = "postgresql://sender:hunter2-canary@127.0.0.1:1/app"
    ledger = PostgresLedger(secret, table="sends", connect_timeout=1)
    assert "hunter2" not in repr(ledger)
    with pytest.raises(LedgerError) as caught:
        ledger.entry("k")
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert b"hunter2" not in pickle.dumps(caught.value)
    for error in (
        SendInProgressError("key 'k' in progress"),
        AlreadySentError("key 'k' sent"),
        IdempotencyKeyReusedError("key 'k' reused"),
        caught.value,
    ):
        clone = pickle.loads(pickle.dumps(error))
        assert (type(clone), str(clone)) == (type(error), str(error))


def test_threads_sharing_one_ledger_send_one_key_once(store: StoreKit) -> None:
    fake = FakeSqod()
    ledger = store.ledger()
    fake.delay_next(0.3)
    outcomes: list[str] = []
    with fake.serve() as url:
        sqod = VENDORS["sqod"].sync_client(base_url=url, token=fake.token, ledger=ledger)

        def send_once() -> None:
            try:
                sent = sqod.appointments.send_message(
                    fake.appointment_id, message="Hi", idempotency_key="same-key"
                )
            except SendInProgressError:
                outcomes.append("in progress")
            else:
                outcomes.append("replayed" if raw_response(sent).replayed else "sent")

        threads = [threading.Thread(target=send_once) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sqod.close()
    assert outcomes.count("sent") == 1
    assert set(outcomes) <= {"sent", "in progress", "replayed"}
    assert len(fake.messages) == 1
