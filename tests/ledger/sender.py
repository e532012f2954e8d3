"""A worker process for the ledger's process tests: sends keyed SQOD messages through a ledger.

Run as `python sender.py '<json spec>'` (a fresh interpreter), or `main()` in a forked child.
The spec names the store (as `StoreKit.spec()` gives it), the served fake's URL and token, the
appointment and the keys. For each key it reports one JSON line, `{"key": ..., "outcome": ...}`,
as soon as the call returns (a killed worker's progress is known up to its death). Each
message's text is its key, so the fake shows which keys reached it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from client_core import Ledger
from sqod_client import (
    APIConnectionError,
    APIError,
    OutcomeUnknownError,
    PostgresLedger,
    SendInProgressError,
    SqliteLedger,
    SqodClient,
    raw_response,
)


def open_ledger(store: dict[str, Any]) -> Ledger:
    """The ledger a spec names: `{"kind", "location", "table", "lease"?}`."""
    options: dict[str, Any] = {}
    if store.get("lease") is not None:
        options["lease"] = store["lease"]
    if store["kind"] == "sqlite":
        return SqliteLedger(store["location"], **options)
    return PostgresLedger(store["location"], table=store["table"], **options)


def outcome_of(client: SqodClient, appointment_id: str, key: str) -> str:
    """What one keyed send did: sent, replayed, in_progress, unknown, not_sent or an error."""
    try:
        sent = client.appointments.send_message(appointment_id, message=key, idempotency_key=key)
    except SendInProgressError:
        return "in_progress"
    except OutcomeUnknownError:
        return "unknown"
    except APIConnectionError:
        return "not_sent"
    except APIError as error:
        return type(error).__name__
    return "replayed" if raw_response(sent).replayed else "sent"


def main(spec: dict[str, Any], report: Callable[[str], object] = print) -> None:
    """Send every key of `spec` in order, reporting one JSON line per key."""
    ledger = open_ledger(spec["store"])
    with SqodClient(
        base_url=spec["base_url"],
        token=spec["token"],
        ledger=ledger,
        max_retries=spec.get("max_retries", 0),
        timeout=spec.get("timeout", 10),
    ) as client:
        for key in spec["keys"]:
            outcome = outcome_of(client, spec["appointment_id"], key)
            report(json.dumps({"key": key, "outcome": outcome}))
    ledger.close()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), lambda line: print(line, flush=True))
