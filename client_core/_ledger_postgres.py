"""PostgresLedger: the send ledger in a PostgreSQL table, shared by a fleet of workers.

psycopg 3 (the `postgres` extra) is imported on first use, so the core runs without it.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ._errors import LedgerError
from ._ledger import DEFAULT_TABLE, DEFAULT_TTL, SQL, SqlLedger, _PerProcess, check_table

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresLedger"]


class PostgresLedger(SqlLedger):
    """The send ledger in a PostgreSQL table (psycopg 3: `pip install 'care-messaging-clients
    [postgres]'`); the table is created on first use.

    Each claim is its own committed transaction, flushed to the WAL before the request leaves;
    the answer is committed before the call returns without waiting for the flush (a server
    crash can only lose it back to the claim, which turns unknown, never resent). `conninfo` is
    anything psycopg takes (`"postgresql://sender@db/app"`, `"host=db dbname=app"`); it is never
    shown in a repr or an error. Example:
    `HeroClient(api_key=..., practice_group_id=..., ledger=PostgresLedger(os.environ["DB_URL"]))`.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        table: str = DEFAULT_TABLE,
        lease: timedelta | float | None = None,
        ttl: timedelta | float = DEFAULT_TTL,
        connect_timeout: timedelta | float = 5.0,
    ) -> None:
        super().__init__(lease=lease, ttl=ttl)
        self._conninfo = conninfo
        self._table = check_table(table)
        self._connect_timeout = max(1, round(_seconds(connect_timeout)))
        self._sql = {
            name: text.format(table=self._table).replace("?", "%s") for name, text in SQL.items()
        }
        # A connection the server dropped (a restart) is replaced on next use.
        self._connection: _PerProcess[psycopg.Connection[Any]] = _PerProcess(
            self._connect, _forget_inherited, broken=lambda conn: conn.broken or conn.closed
        )

    def __repr__(self) -> str:
        return f"PostgresLedger(table={self._table!r})"

    @property
    def table(self) -> str:
        """The table the records are kept in."""
        return self._table

    def close(self) -> None:
        """Close this process's connection (it reopens on next use)."""
        self._connection.close()

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - depends on the environment
            raise LedgerError(
                "PostgresLedger needs psycopg: pip install 'care-messaging-clients[postgres]'"
            ) from None
        try:
            conn = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=self._connect_timeout
            )
        except psycopg.Error as exc:
            raise _postgres_error(exc) from None
        try:
            self._prepare(conn)
        except BaseException as exc:  # an interrupt too: never leave the connection open
            conn.close()
            if isinstance(exc, psycopg.Error):
                raise _postgres_error(exc) from None
            raise
        return conn

    def _prepare(self, conn: psycopg.Connection[Any]) -> None:
        import psycopg

        try:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (key text PRIMARY KEY, vendor text, "
                "fingerprint text, state text NOT NULL, token text, lease_until double precision, "
                "created_at double precision NOT NULL, updated_at double precision NOT NULL, "
                "request_id text, status integer, answer bytea, "
                "answered boolean NOT NULL DEFAULT false)"
            )
            index = self._table.replace(".", "_") + "_created"
            conn.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {self._table} (created_at)")
        except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateTable):
            pass  # another worker created it at the same moment
        # Only claims wait for the WAL flush (see _run): answers and releases that a server
        # crash loses fall back to the claim, which turns unknown, never resent.
        conn.execute("SET synchronous_commit = off")

    def _run(self, name: str, params: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], int]:
        import psycopg

        with self._connection.use() as conn:
            try:
                if name != "claim":
                    cursor = conn.execute(self._sql[name], params)
                    rows = cursor.fetchall() if cursor.description is not None else []
                    return rows, cursor.rowcount
                with conn.transaction():  # its own transaction, committed durably
                    conn.execute("SET LOCAL synchronous_commit = on")
                    cursor = conn.execute(self._sql[name], params)
                    return [], cursor.rowcount
            except psycopg.Error as exc:
                raise _postgres_error(exc) from None


def _seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _postgres_error(exc: BaseException) -> LedgerError:
    # libpq's messages name the server and the problem, never the password; the first line is
    # enough to act on, and nothing is chained (a chain would carry the connection object).
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return LedgerError(f"send ledger (PostgreSQL): {type(exc).__name__}: {first_line}")


def _forget_inherited(conn: psycopg.Connection[Any]) -> None:
    """Drop a connection inherited across a fork without ending the parent's session.

    Closing it would send PostgreSQL a Terminate on the socket the parent still uses; so the
    child's copy of the socket is first pointed at /dev/null, then closed.
    """
    try:
        fd = conn.pgconn.socket
        null = os.open(os.devnull, os.O_RDWR)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)
    except Exception:  # noqa: S110 - an already-closed connection has no socket to point away
        pass
    conn.close()
