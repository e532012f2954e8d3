"""The cases the ledger exists for: restarts, crashes, fleets of workers, forked children.

Workers are forked (as a prefork task queue makes them, and fast); the restart runs a new
interpreter. Python 3.12+ warns when a process with threads (the served fake's) forks.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from sqod_client import OutcomeUnknownError, SendInProgressError, SqodClient, raw_response
from sqod_client.testing import FakeSqod
from tests.ledger.conftest import StoreKit, state
from tests.ledger.sender import main, open_ledger, outcome_of

pytestmark = pytest.mark.filterwarnings(
    # 3.12+: the served fake's threads are never touched by the children, which only send.
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)

SENDER = Path(__file__).with_name("sender.py")


def worker_spec(
    store: StoreKit, url: str, fake: FakeSqod, keys: list[str], lease: float | None = None
) -> dict[str, Any]:
    return {
        "store": store.spec(lease=lease),
        "base_url": url,
        "token": fake.token,
        "appointment_id": fake.appointment_id,
        "keys": keys,
    }


def start_interpreter(spec: dict[str, Any]) -> dict[str, str]:
    """Run `spec` in a new Python interpreter (a restarted job); its outcomes by key."""
    done = subprocess.run(
        [sys.executable, str(SENDER), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        check=True,
    )
    return _parse(done.stdout)


class Worker:
    """A forked worker process (as a prefork task queue makes them) running `spec`.

    It opens its own ledger and client; its outcomes come back through a pipe.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            try:
                main(spec, lambda line: os.write(write, (line + "\n").encode()))
            finally:
                os._exit(0)  # never run the parent's cleanups (pytest, the PostgreSQL server)
        os.close(write)
        self._pipe = os.fdopen(read)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._pipe.close()

    def outcomes(self) -> dict[str, str]:
        """Every outcome it reported, by key, once it has exited."""
        with self._pipe:
            text = self._pipe.read()
        _, status = os.waitpid(self.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        return _parse(text)


def _parse(text: str) -> dict[str, str]:
    lines = [json.loads(line) for line in text.splitlines()]
    return {line["key"]: line["outcome"] for line in lines}


def texts(fake: FakeSqod) -> Counter[str]:
    """How many messages the fake holds per key (each message's text is its key)."""
    return Counter(str(message.message) for message in fake.messages)


def test_restart_a_new_process_with_a_new_ledger_replays(store: StoreKit) -> None:
    fake = FakeSqod()
    with fake.serve() as url:
        spec = worker_spec(store, url, fake, ["reminder-1"])
        with (
            open_ledger(spec["store"]) as ledger,
            SqodClient(base_url=url, token=fake.token, ledger=ledger) as sqod,
        ):
            assert outcome_of(sqod, fake.appointment_id, "reminder-1") == "sent"
        spec["keys"] = ["reminder-1", "reminder-2"]
        assert start_interpreter(spec) == {"reminder-1": "replayed", "reminder-2": "sent"}
    assert texts(fake) == {"reminder-1": 1, "reminder-2": 1}


def test_crash_a_worker_killed_mid_send_is_in_progress_then_unknown(store: StoreKit) -> None:
    fake = FakeSqod()
    lease = 1.5
    fake.delay_next(3.0)  # the fake acts at once but answers late: the worker dies waiting
    with fake.serve() as url:
        worker = Worker(worker_spec(store, url, fake, ["reminder-1"], lease=lease))
        deadline = time.monotonic() + 20
        while not fake.messages and time.monotonic() < deadline:
            time.sleep(0.02)
        killed_at = time.monotonic()
        worker.kill()
        ledger = store.ledger()  # another process's view: a new ledger object
        sqod = SqodClient(base_url=url, token=fake.token, ledger=ledger, max_retries=0)
        with pytest.raises(SendInProgressError):
            sqod.appointments.send_message(
                fake.appointment_id, message="reminder-1", idempotency_key="reminder-1"
            )
        assert state(ledger, "reminder-1") == "claimed"
        time.sleep(max(0.0, killed_at + lease - time.monotonic()) + 0.1)
        with pytest.raises(OutcomeUnknownError) as caught:
            sqod.appointments.send_message(
                fake.appointment_id, message="reminder-1", idempotency_key="reminder-1"
            )
        assert not isinstance(caught.value, SendInProgressError)
        assert [e.state for e in ledger.unresolved()] == ["unknown"]
        sqod.close()
    assert texts(fake) == {"reminder-1": 1}  # never a second message


def test_fleet_overlapping_keys_never_send_twice_and_lose_nothing_silently(
    store: StoreKit,
) -> None:
    fake = FakeSqod()
    keys = [f"reminder-{n}" for n in range(30)]
    fake.drop_next(times=2)  # acted on, answer lost
    fake.refuse_next(times=2)  # over sockets: closed unread, not acted on, outcome unclear
    fake.delay_next(0.2, times=4)  # slow answers: other workers meet the claims
    with fake.serve() as url:
        workers = []
        for seed in range(4):
            order = keys[:]
            random.Random(seed).shuffle(order)
            workers.append(Worker(worker_spec(store, url, fake, order)))
        reports: defaultdict[str, list[str]] = defaultdict(list)
        for worker in workers:
            for key, outcome in worker.outcomes().items():
                reports[key].append(outcome)
    held = texts(fake)
    assert max(held.values()) == 1  # per key at most one message
    assert set(reports) == set(keys)
    for key in keys:
        if key in held:
            continue
        # Not at the vendor: no worker was told it was sent, and someone was told it is unclear.
        assert not {"sent", "replayed"} & set(reports[key]), (key, reports[key])
        assert {"unknown", "in_progress"} & set(reports[key]), (key, reports[key])
    for key, seen in reports.items():
        if {"sent", "replayed"} & set(seen):
            assert held[key] == 1
    assert len(held) >= len(keys) - 4  # only the faulted sends can be missing


def test_fork_a_ledger_and_client_made_before_fork_work_in_the_child(store: StoreKit) -> None:
    fake = FakeSqod()
    with fake.serve() as url:
        ledger = store.ledger()
        sqod = SqodClient(base_url=url, token=fake.token, ledger=ledger, max_retries=0)
        ledger.resolve("resolved-before-fork", sent=True)  # the parent's connection is open
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report and leave without running the parent's cleanups
            try:
                results = [
                    outcome_of(sqod, fake.appointment_id, "child-1"),
                    outcome_of(sqod, fake.appointment_id, "child-1"),
                    outcome_of(sqod, fake.appointment_id, "resolved-before-fork"),
                ]
                os.write(write, json.dumps(results).encode())
            finally:
                os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        with os.fdopen(read) as pipe:
            child = json.loads(pipe.read() or "null")
        assert os.waitstatus_to_exitcode(status) == 0
        assert child == ["sent", "replayed", "AlreadySentError"]
        # The parent's own connection survived the child (no shared session was ended).
        assert state(ledger, "child-1") == "sent"
        again = sqod.appointments.send_message(
            fake.appointment_id, message="child-1", idempotency_key="child-1"
        )
        assert raw_response(again).replayed is True
        sqod.close()
    assert texts(fake) == {"child-1": 1}
