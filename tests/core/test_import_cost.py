"""Importing a package loads only what every call needs; the rest loads on first use (issue 12).

Each check runs in a fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

OPTIONAL = {"anyio", "sqlite3", "psycopg", "tenacity", "aiohttp"}
"""Libraries only the send ledger, a retry or the fast async path needs."""

PACKAGES = ["client_core", "sqod_client", "plannr_client", "hero_client", "loop_comms_client"]
LEDGER_VENDORS = ["sqod_client", "plannr_client", "hero_client"]
LEDGER_NAMES = ["LedgerEntry", "PostgresLedger", "SqliteLedger"]


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    report = "import json, sys\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    loaded: list[str] = json.loads(run.stdout.splitlines()[-1])
    return set(loaded)


def _optional_in(loaded: set[str]) -> set[str]:
    return {name for name in loaded if name.split(".")[0] in OPTIONAL}


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_package_loads_no_ledger_retry_or_fast_path_library(package: str) -> None:
    loaded = _loaded_after(f"import {package}")
    assert _optional_in(loaded) == set()
    assert not {"client_core._ledger", "client_core._ledger_send"} & loaded


def test_a_first_send_that_succeeds_loads_none_of_them_either() -> None:
    send = """
import httpx
from sqod_client import SqodClient

def answer(request):
    return httpx.Response(201, json={"data": {"id": "m1", "message": "Late"}})

http = httpx.Client(transport=httpx.MockTransport(answer))
with SqodClient(base_url="https://acme.sqod.test", token="t", http_client=http) as sqod:
    sent = sqod.appointments.send_message("9a0f170e-0aa0-47db-ab14-4ddcdcbad061", message="Late")
assert sent.id == "m1", sent
"""
    loaded = _loaded_after(send)
    assert _optional_in(loaded) == set()
    assert "client_core._ledger" not in loaded


def test_a_blocking_keyed_send_loads_the_ledger_but_not_anyio(tmp_path: Path) -> None:
    send = f"""
import httpx
from sqod_client import SqliteLedger, SqodClient

def answer(request):
    return httpx.Response(201, json={{"data": {{"id": "m1", "message": "Late"}}}})

http = httpx.Client(transport=httpx.MockTransport(answer))
ledger = SqliteLedger({str(tmp_path / "sends.db")!r})
with SqodClient(base_url="https://acme.sqod.test", token="t", http_client=http, ledger=ledger) as c:
    for _ in range(2):
        sent = c.appointments.send_message(
            "9a0f170e-0aa0-47db-ab14-4ddcdcbad061", message="Late", idempotency_key="k1"
        )
assert sent.id == "m1", sent
assert ledger.entry("k1").state == "sent"
"""
    loaded = _loaded_after(send)
    assert {"sqlite3", "client_core._ledger", "client_core._ledger_send"} <= loaded
    assert "anyio" not in loaded


@pytest.mark.parametrize("package", LEDGER_VENDORS)
def test_the_ledger_names_still_import_from_a_vendor_package_and_load_it(package: str) -> None:
    check = f"""
import client_core
from {package} import LedgerEntry, PostgresLedger, SqliteLedger
assert SqliteLedger is client_core.SqliteLedger
assert PostgresLedger is client_core.PostgresLedger
assert LedgerEntry is client_core.LedgerEntry
"""
    loaded = _loaded_after(check)
    assert {"sqlite3", "client_core._ledger", "client_core._ledger_postgres"} <= loaded


@pytest.mark.parametrize("package", ["client_core", "client_core.kit", *LEDGER_VENDORS])
def test_dir_lists_the_names_provided_on_first_use(package: str) -> None:
    module = importlib.import_module(package)
    names = set(dir(module))
    assert set(module.__all__) - {"AiohttpClient"} <= names
    with pytest.raises(AttributeError, match="no attribute 'SqliteLedgr'"):
        getattr(module, "SqliteLedgr")  # noqa: B009 - a misspelt name is still an AttributeError
