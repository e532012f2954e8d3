"""The send ledger: which keyed sends happened, so that a repeat returns the answer instead of
messaging a patient again (API.md, "Sends that happen once").

`Ledger` is the public surface (`entry`, `unresolved`, `resolve`, `prune` and their async twins);
a store subclass (`SqliteLedger`, `PostgresLedger`) supplies the SQL. What a send does with the
ledger is decided in `_ledger_send.py`. A store holds, per key, the vendor, a fingerprint of the
call, the state, timestamps, the vendor's request id and, once sent, the vendor's answer; never
the request body or a credential.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import weakref
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Literal, Self, TypeVar

from ._errors import LedgerError

__all__ = ["Ledger", "LedgerEntry", "SqliteLedger"]

EntryState = Literal["claimed", "sent", "unknown"]

DEFAULT_TABLE = "care_messaging_sends"
DEFAULT_TTL = timedelta(days=30)

_COLUMNS = (
    "key, vendor, fingerprint, state, token, lease_until, created_at, updated_at, "
    "request_id, status, answer, answered"
)
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What the ledger holds for one idempotency key (never the request body or a credential).

    `state` is `"claimed"` while a call holds the key within its lease, `"sent"` once the vendor
    accepted it (or it was marked sent), `"unknown"` when the outcome was lost (including a
    claim whose lease ran out: its process died mid-send).
    """

    key: str
    state: EntryState
    vendor: str | None
    """The vendor the send went to (`"sqod"`, `"plannr"`, `"hero"`); None if marked by hand."""
    created_at: datetime
    updated_at: datetime
    request_id: str | None
    """The vendor's request id of the answer, when it sent one."""
    status_code: int | None
    """The HTTP status the vendor answered with, once sent."""


@dataclass(frozen=True, slots=True)
class _Row:
    """One stored record, as the stores read and write it (times are epoch seconds)."""

    key: str
    vendor: str | None
    fingerprint: str | None
    state: str
    token: str | None
    lease_until: float | None
    created_at: float
    updated_at: float
    request_id: str | None = None
    status: int | None = None
    answer: bytes | None = None
    answered: bool = False

    @classmethod
    def from_db(cls, values: tuple[Any, ...]) -> _Row:
        key, vendor, fingerprint, state, token, lease_until, created, updated = values[:8]
        request_id, status, answer, answered = values[8:]
        if answer is not None and not isinstance(answer, bytes):
            answer = bytes(answer)  # psycopg's bytea may come back as a memoryview
        return cls(
            key, vendor, fingerprint, state, token, lease_until, created, updated,
            request_id, status, answer, bool(answered),
        )  # fmt: skip

    def lease_expired(self, now: float) -> bool:
        return self.lease_until is None or self.lease_until <= now

    def entry(self, now: float) -> LedgerEntry:
        state: EntryState = "sent" if self.state == "sent" else "unknown"
        if self.state == "claimed" and not self.lease_expired(now):
            state = "claimed"
        return LedgerEntry(
            key=self.key,
            state=state,
            vendor=self.vendor,
            created_at=datetime.fromtimestamp(self.created_at, UTC),
            updated_at=datetime.fromtimestamp(self.updated_at, UTC),
            request_id=self.request_id,
            status_code=self.status,
        )


def seconds(value: timedelta | float, name: str) -> float:
    """A duration given as a `timedelta` or seconds, checked to be positive."""
    total = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if not total > 0:
        raise ValueError(f"{name} must be a positive duration (a timedelta or seconds)")
    return total


def check_key(key: object) -> str:
    """An idempotency key: text of 1 to 255 characters, kept exactly as given."""
    if not isinstance(key, str) or not 1 <= len(key) <= 255:
        raise ValueError("idempotency_key must be a string of 1 to 255 characters")
    return key


def check_table(table: str) -> str:
    """A table name (optionally `schema.table`) that is safe to put into SQL text."""
    if not isinstance(table, str) or not _TABLE_NAME.fullmatch(table):
        raise ValueError("table must be a plain SQL name: letters, digits and _ (schema.table ok)")
    return table


ConnT = TypeVar("ConnT")


class _PerProcess(Generic[ConnT]):
    """One connection per process, opened on first use and shared by threads under a lock.

    A forked child never touches its parent's connection (Celery's prefork pool,
    multiprocessing): it gets a new lock and opens its own connection on first use.
    """

    def __init__(
        self,
        open_: Callable[[], ConnT],
        abandon: Callable[[ConnT], None],
        *,
        broken: Callable[[ConnT], bool] = lambda _: False,
    ) -> None:
        self._open = open_
        self._abandon = abandon
        self._broken = broken
        self._conn: ConnT | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        ref = weakref.WeakMethod(self._after_fork)
        os.register_at_fork(after_in_child=lambda: _call_alive(ref))

    def _after_fork(self) -> None:
        self._lock = threading.Lock()  # another thread may have held it at the fork
        inherited, self._conn = self._conn, None
        self._pid = os.getpid()
        if inherited is not None:
            self._abandon(inherited)

    @contextmanager
    def use(self) -> Iterator[ConnT]:
        if self._pid != os.getpid():  # forked without the hook (e.g. a raw fork syscall)
            self._after_fork()
        with self._lock:
            if self._conn is not None and self._broken(self._conn):
                stale, self._conn = self._conn, None
                _close(stale)
            if self._conn is None:
                self._conn = self._open()
            yield self._conn

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            _close(conn)


def _close(conn: object) -> None:
    close = getattr(conn, "close", None)
    if callable(close):
        close()


def _call_alive(ref: weakref.WeakMethod[Callable[[], None]]) -> None:
    method = ref()
    if method is not None:
        method()


class Ledger(ABC):
    """A store of keyed sends; pass one as `ledger=` to the SQOD, Plannr or Hero client.

    One object serves sync and async clients, many threads and tasks, and forked children; use
    it as a context manager, or `close()` it, when done.
    `lease` is how long a claim counts as in progress (default: the call's longest possible
    duration plus a margin); `ttl` is how long records are kept by `prune()` (default 30 days).
    """

    def __init__(
        self,
        *,
        lease: timedelta | float | None = None,
        ttl: timedelta | float = DEFAULT_TTL,
    ) -> None:
        self.lease: float | None = None if lease is None else seconds(lease, "lease")
        """Seconds a claim counts as in progress, or None for the call's own longest duration."""
        self.ttl: float = seconds(ttl, "ttl")
        """Seconds a record is kept before `prune()` deletes it."""

    # -- the store (subclasses) ----------------------------------------------------------------

    @abstractmethod
    def _claim(self, row: _Row) -> _Row | None:
        """Insert `row` unless the key is held (committed on return): None, or the row held."""

    @abstractmethod
    def _settle(self, row: _Row) -> None:
        """Overwrite the claim `row.key` + `row.token` with `row` (its new state and answer)."""

    @abstractmethod
    def _release(self, key: str, token: str) -> None:
        """Delete the claim on `key` made with `token` (no one else's)."""

    @abstractmethod
    def _get(self, key: str) -> _Row | None:
        """The row for `key`, if any."""

    @abstractmethod
    def _open_rows(self) -> list[_Row]:
        """Claimed and unknown rows, oldest first."""

    @abstractmethod
    def _forget(self, key: str) -> None:
        """Delete whatever is held for `key`."""

    @abstractmethod
    def _mark_sent(self, key: str, now: float) -> None:
        """Hold `key` as sent without an answer, whatever was held before."""

    @abstractmethod
    def _delete_before(self, created_before: float) -> int:
        """Delete rows created before the time given; how many."""

    @abstractmethod
    def close(self) -> None:
        """Close this process's connection to the store (it reopens on next use)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- resolving -----------------------------------------------------------------------------

    def entry(self, key: str) -> LedgerEntry | None:
        """What the ledger holds for `key`, or None. Example: `ledger.entry("appt-981-late-1")`."""
        row = self._get(check_key(key))
        return None if row is None else row.entry(_now())

    def unresolved(self) -> list[LedgerEntry]:
        """Claimed and unknown records, oldest first: the sends to reconcile with the vendor."""
        now = _now()
        return [row.entry(now) for row in self._open_rows()]

    def resolve(self, key: str, *, sent: bool = False) -> None:
        """Settle `key` after checking the vendor: `sent=False` forgets it (the next call sends);
        `sent=True` holds it as sent without an answer (a repeat raises `AlreadySentError`)."""
        check_key(key)
        if sent:
            self._mark_sent(key, _now())
        else:
            self._forget(key)

    def prune(self) -> int:
        """Delete records older than the ttl (unresolved ones too); returns how many."""
        return self._delete_before(_now() - self.ttl)

    async def aentry(self, key: str) -> LedgerEntry | None:
        """`entry` for asyncio: the store is read in a worker thread."""
        return await in_thread(self.entry, key)

    def aunresolved(self) -> _Unresolved:
        """`unresolved` for asyncio: `async for entry in ledger.aunresolved()`, or await a list."""
        return _Unresolved(self)

    async def aresolve(self, key: str, *, sent: bool = False) -> None:
        """`resolve` for asyncio: the store is written in a worker thread."""
        check_key(key)
        await in_thread(lambda: self.resolve(key, sent=sent))

    async def aprune(self) -> int:
        """`prune` for asyncio: the store is written in a worker thread."""
        return await in_thread(self.prune)


class _Unresolved:
    """`ledger.aunresolved()`: awaitable (a list) and async-iterable (each entry)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def __await__(self) -> Generator[Any, None, list[LedgerEntry]]:
        return in_thread(self._ledger.unresolved).__await__()

    async def __aiter__(self) -> AsyncIterator[LedgerEntry]:
        for entry in await self:
            yield entry


T = TypeVar("T")


async def in_thread(function: Callable[..., T], *args: object) -> T:
    """Run a blocking store call in anyio's worker threads (an fsync must not stall the loop)."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(function, *args)


def _now() -> float:
    return datetime.now(UTC).timestamp()


# Statements both stores run; `?` becomes `%s` for psycopg, {table} a checked name.
SQL = {
    "claim": "INSERT INTO {table} (key, vendor, fingerprint, state, token, lease_until, "
    "created_at, updated_at, answered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (key) DO NOTHING",
    "get": f"SELECT {_COLUMNS} FROM {{table}} WHERE key = ?",  # noqa: S608 - constant names
    "settle": "UPDATE {table} SET state = ?, token = NULL, updated_at = ?, request_id = ?, "
    "status = ?, answer = ?, answered = ? WHERE key = ? AND token = ?",
    "release": "DELETE FROM {table} WHERE key = ? AND token = ?",
    "open": f"SELECT {_COLUMNS} FROM {{table}} WHERE state <> 'sent' "  # noqa: S608 - constants
    "ORDER BY created_at, key",
    "forget": "DELETE FROM {table} WHERE key = ?",
    "mark_sent": "INSERT INTO {table} (key, state, created_at, updated_at, answered) "
    "VALUES (?, 'sent', ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = 'sent', token = NULL, "
    "updated_at = excluded.updated_at, answer = NULL, answered = excluded.answered",
    "prune": "DELETE FROM {table} WHERE created_at < ?",
}


class SqlLedger(Ledger):
    """The statements shared by the SQL stores; a subclass opens connections and runs them."""

    _table: str

    @abstractmethod
    def _run(self, name: str, params: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], int]:
        """Run statement `name`; its rows and row count (errors become `LedgerError`)."""

    def _claim(self, row: _Row) -> _Row | None:
        params = (row.key, row.vendor, row.fingerprint, row.state, row.token, row.lease_until)
        for _ in range(5):  # the holder may release between our insert and our read
            _, inserted = self._run("claim", (*params, row.created_at, row.updated_at, False))
            if inserted == 1:
                return None
            held = self._get(row.key)
            if held is not None:
                return held
        raise LedgerError("send ledger: the key kept changing while it was being claimed")

    def _settle(self, row: _Row) -> None:
        changes = (row.state, row.updated_at, row.request_id, row.status, row.answer, row.answered)
        self._run("settle", (*changes, row.key, row.token))

    def _release(self, key: str, token: str) -> None:
        self._run("release", (key, token))

    def _get(self, key: str) -> _Row | None:
        rows, _ = self._run("get", (key,))
        return _Row.from_db(rows[0]) if rows else None

    def _open_rows(self) -> list[_Row]:
        rows, _ = self._run("open", ())
        return [_Row.from_db(values) for values in rows]

    def _forget(self, key: str) -> None:
        self._run("forget", (key,))

    def _mark_sent(self, key: str, now: float) -> None:
        self._run("mark_sent", (key, now, now, False))

    def _delete_before(self, created_before: float) -> int:
        _, count = self._run("prune", (created_before,))
        return count


class SqliteLedger(SqlLedger):
    """The send ledger in one SQLite file (standard library; safe for many processes on a host).

    WAL mode; a claim is committed with `synchronous=FULL` (on disk, fsynced) before the request
    leaves. Everything else (the answer, recorded before the call returns; a release) commits
    with `synchronous=NORMAL`: safe when a process dies, and on power loss it can only fall back
    to the claim, which turns unknown, never resent; the next claim's fsync makes it durable.
    That saves one fsync per send. The file is created readable by its owner only: it keeps the
    vendors' answers, which may hold message text. Example:
    `SqodClient(base_url=..., token=..., ledger=SqliteLedger("sends.sqlite3"))`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lease: timedelta | float | None = None,
        ttl: timedelta | float = DEFAULT_TTL,
        busy_timeout: timedelta | float = 30.0,
    ) -> None:
        super().__init__(lease=lease, ttl=ttl)
        self.path = os.fspath(path)
        """The SQLite file."""
        self._busy_timeout = seconds(busy_timeout, "busy_timeout")
        self._table = DEFAULT_TABLE
        self._sql = {name: text.format(table=self._table) for name, text in SQL.items()}
        # An inherited SQLite connection must not be used or closed in a child (SQLite's docs).
        self._inherited: list[sqlite3.Connection] = []
        self._connection = _PerProcess(self._connect, self._inherited.append)

    def __repr__(self) -> str:
        return f"SqliteLedger({self.path!r})"

    def close(self) -> None:
        """Close this process's connection (it reopens on next use)."""
        self._connection.close()

    def _connect(self) -> sqlite3.Connection:
        try:
            if not os.path.exists(self.path):
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,  # autocommit: each statement is its own commit
                check_same_thread=False,  # shared by threads under _PerProcess's lock
            )
        except (sqlite3.Error, OSError) as exc:
            raise _sqlite_error(exc) from None
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # FULL for claims: see _run
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (key TEXT PRIMARY KEY, vendor TEXT, "
                "fingerprint TEXT, state TEXT NOT NULL, token TEXT, lease_until REAL, "
                "created_at REAL NOT NULL, updated_at REAL NOT NULL, request_id TEXT, "
                "status INTEGER, answer BLOB, answered INTEGER NOT NULL DEFAULT 0)"
            )
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self._table}_created ON {self._table} (created_at)"
            )
        except BaseException as exc:  # an interrupt too: never leave the connection open
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _sqlite_error(exc) from None
            raise
        return conn

    def _run(self, name: str, params: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], int]:
        durable = name == "claim"  # no double send rests on the claim alone
        with self._connection.use() as conn:
            try:
                if durable:
                    conn.execute("PRAGMA synchronous=FULL")
                try:
                    cursor = conn.execute(self._sql[name], params)
                    return cursor.fetchall(), cursor.rowcount
                finally:
                    if durable:
                        conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise _sqlite_error(exc) from None


def _sqlite_error(exc: BaseException) -> LedgerError:
    # SQLite's messages name the problem ("database is locked"), never a value we passed.
    return LedgerError(f"send ledger (SQLite): {type(exc).__name__}: {exc}")
