"""Defect 1: a token expiring under load must not deadlock the connection pool.

Over real sockets (the fake's `serve()`), 200 concurrent async sends and 32 threads of sync
sends go through one client-credentials client while every issued token expires mid-run.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import pytest

from loop_comms_client import AsyncLoopCommsClient, ConflictError, LoopCommsClient, RetryPolicy
from loop_comms_client.testing import TOKEN_PATH, FakeLoopComms

from .outcomes import record
from .vendors import LOOP

pytestmark = pytest.mark.anyio

SENDS = 200
THREADS = 32
EXPIRE_AFTER = 20


def _token_fetches(fake: FakeLoopComms) -> int:
    return sum(1 for r in fake.requests if r.url.path == TOKEN_PATH)


def _delivered(error: BaseException) -> bool:
    # A dropped connection makes the client repeat a send with the same dedup key; Loop's 409
    # then says the earlier attempt was accepted. That is the one delivery, not a failure.
    return isinstance(error, ConflictError) and error.earlier_attempt_probably_accepted


def _check(fake: FakeLoopComms, fault: str, sent: int, errors: list[BaseException]) -> None:
    keys = [str(getattr(m, "dedup_key", "")) for m in fake.messages]
    duplicates = len(keys) - len(set(keys))
    record(
        fault,
        "every send delivered once, one shared token refresh",
        duplicates=duplicates,
        losses=SENDS - len(set(keys)),
    )
    assert [e for e in errors if not _delivered(e)] == []
    assert sent + len(errors) == SENDS
    assert duplicates == 0
    assert len(set(keys)) == SENDS
    # One fetch before the expiry and one after it, shared by every call that met a 401.
    assert _token_fetches(fake) == 2


async def test_200_concurrent_async_sends_survive_a_token_expiry() -> None:
    fake = FakeLoopComms()
    with fake.serve() as url:
        client = AsyncLoopCommsClient(
            base_url=url,
            token_url=url + TOKEN_PATH,
            retry_policy=RetryPolicy.no_wait(),
            timeout=httpx.Timeout(8.0),
            **fake.client_credentials,
        )
        errors: list[BaseException] = []
        sent = 0

        async def one(index: int) -> None:
            nonlocal sent
            try:
                await LOOP.send(client, fake, "hello", f"load-{index}")
                sent += 1
            except Exception as exc:
                errors.append(exc)
            if sent == EXPIRE_AFTER:
                fake.expire_tokens()  # every send still in flight now meets a 401

        async with client:
            with anyio.fail_after(20):  # before the fix: a deadlock until the pool timed out
                await asyncio.gather(*(one(i) for i in range(SENDS)))
    _check(fake, "token expiry under 200 concurrent async sends", sent, errors)


def test_32_threads_of_sync_sends_survive_a_token_expiry() -> None:
    fake = FakeLoopComms()
    with fake.serve() as url:
        # A pool smaller than the thread count, as in production: 401s must not hold it.
        http = httpx.Client(limits=httpx.Limits(max_connections=8), timeout=8.0)
        client = LoopCommsClient(
            base_url=url,
            token_url=url + TOKEN_PATH,
            retry_policy=RetryPolicy.no_wait(),
            http_client=http,
            **fake.client_credentials,
        )
        errors: list[BaseException] = []
        lock = threading.Lock()
        sent = 0

        def one(index: int) -> None:
            nonlocal sent
            try:
                LOOP.send(client, fake, "hello", f"load-{index}")
                with lock:
                    sent += 1
                    if sent == EXPIRE_AFTER:
                        fake.expire_tokens()
            except Exception as exc:
                with lock:
                    errors.append(exc)

        started = time.monotonic()
        with http, ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(one, range(SENDS)))
        assert time.monotonic() - started < 30
    _check(fake, "token expiry under 32 threads of sync sends", sent, errors)
