"""A nightly batch of 500 appointment reminders that dies half-way and is rerun: no one is
messaged twice, and the one reminder whose fate is unclear is reported, checked and resolved.

Each reminder is sent with an idempotency key (`reminder-<appointment id>`) through a
`SqliteLedger`. The first worker is killed (SIGKILL) while reminder 251 is out: SQOD got it,
the answer never came back. The rerun replays the 250 answered reminders without sending them,
sends the 249 never tried, and reports reminder 251 as unknown, because the ledger cannot know
whether SQOD acted. We check SQOD (here: ask the fake), resolve the key, and SQOD ends up
holding exactly 500 reminders.

Run: `python examples/reminders_batch.py` (a served FakeSqod on 127.0.0.1; about 5 s).
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqod_client import (
    AlreadySentError,
    OutcomeUnknownError,
    SendInProgressError,
    SqliteLedger,
    SqodClient,
    raw_response,
)
from sqod_client.testing import FakeSqod

REMINDERS = 500
LEASE = timedelta(seconds=1)  # short for the demo: how long a claim counts as in progress
TEXT = "Reminder: your video appointment is tomorrow at 10:00."


def send_reminders(
    url: str, token: str, ledger_path: str, appointment_ids: list[str], run: str = "run"
) -> None:
    """The batch job: one keyed send per appointment; prints what it did (unless killed)."""
    done: Counter[str] = Counter()
    unclear: list[str] = []
    with (
        SqliteLedger(ledger_path, lease=LEASE) as ledger,
        SqodClient(base_url=url, token=token, ledger=ledger) as sqod,
    ):
        for appointment_id in appointment_ids:
            key = f"reminder-{appointment_id}"
            try:
                sent = sqod.appointments.send_message(
                    appointment_id, message=TEXT, idempotency_key=key
                )
            except (SendInProgressError, OutcomeUnknownError):
                unclear.append(key)  # SendInProgressError is an OutcomeUnknownError too
                continue
            except AlreadySentError:
                done["already sent"] += 1
                continue
            done["replayed" if raw_response(sent).replayed else "sent"] += 1
    print(
        f"{run}: replayed {done['replayed']}, sent {done['sent']}, "
        f"already sent {done['already sent']}, unknown {len(unclear)}"
    )
    for key in unclear:
        print(f"{run}: {key} left unknown: check SQOD before resolving it")


def main() -> None:
    fake = FakeSqod()
    workdir = Path(tempfile.mkdtemp(prefix="reminders-"))
    ledger_path = str(workdir / "sends.sqlite3")
    spawn = multiprocessing.get_context("spawn")  # a fresh worker, as a task queue would start
    with fake.client() as setup:  # in memory: the appointments to remind
        ids = [setup.appointments.create(reference=f"batch-{n}").id for n in range(REMINDERS)]
    with fake.serve() as url:
        print(f"{REMINDERS} appointments to remind; ledger at {ledger_path}")

        # Run 1: the worker dies while reminder 251 is out (SQOD acts, the answer is late).
        doomed = ids[REMINDERS // 2]
        fake.delay_next(30, path=f"/api/v1/appointments/{doomed}/messages")
        worker = spawn.Process(target=send_reminders, args=(url, fake.token, ledger_path, ids))
        worker.start()
        while not fake.messages_for(doomed):
            time.sleep(0.01)
        worker.kill()
        killed_at = time.monotonic()
        worker.join()
        with SqliteLedger(ledger_path) as ledger:
            sent = sum(1 for i in ids if (e := ledger.entry(f"reminder-{i}")) and e.state == "sent")
        print(f"run 1: {sent} reminders answered, then the worker was killed mid-send")

        # Run 2, once the dead worker's lease ran out: replays, sends the rest, reports one.
        time.sleep(max(0.0, killed_at + LEASE.total_seconds() - time.monotonic()))
        send_reminders(url, fake.token, ledger_path, ids, run="run 2 (the rerun)")

        # Resolve what is unknown by checking the vendor, as an operator would.
        with SqliteLedger(ledger_path) as ledger:
            for entry in ledger.unresolved():
                appointment_id = entry.key.removeprefix("reminder-")
                arrived = any(m.message == TEXT for m in fake.messages_for(appointment_id))
                ledger.resolve(entry.key, sent=arrived)
                verdict = "it arrived: marked sent" if arrived else "it did not: released"
                print(f"resolve: SQOD checked for {entry.key}: {verdict}")
            assert ledger.unresolved() == []
        send_reminders(url, fake.token, ledger_path, ids, run="run 3 (after resolving)")

    per_appointment = {len(fake.messages_for(i)) for i in ids}
    print(f"SQOD holds {len(fake.messages)} reminders, one for each appointment")
    assert len(fake.messages) == REMINDERS
    assert per_appointment == {1}
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
