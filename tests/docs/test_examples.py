"""Every example script runs with no credentials, against its vendor's fake on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CREDENTIAL_PREFIXES = ("SQOD_", "PLANNR_", "HERO_", "LOOP_COMMS_")

# script -> a line (regular expression) that only a successful run prints
EXPECTED = {
    "sqod_send_message.py": r"^sent message [0-9a-f-]{36} \(HTTP 201",
    "sqod_async_walk.py": r"^now waiting$",
    "plannr_send_message.py": r"^sent message [0-9a-f-]{36} \(\d+ requests left",
    "plannr_async_conversations.py": r": posted message [0-9a-f-]{36}$",
    "hero_send_sms.py": r"^status now: scheduled$",
    "hero_async_send.py": r"^patient \d+: message \d+ is delivered$",
    "loop_schedule_reminder.py": r"^scheduled [0-9a-f-]{36} for .* \(scheduled\)$",
    "loop_async_send.py": r"^message [0-9a-f-]{36} is sent$",
}


def test_every_vendor_has_a_sync_and_an_async_example() -> None:
    scripts = {path.name for path in EXAMPLES.glob("*.py") if not path.name.startswith("_")}
    # reminders_batch.py (the send ledger's story) is run by tests/ledger/test_example.py.
    assert scripts == {*EXPECTED, "quickstart.py", "reminders_batch.py"}
    for vendor in ("sqod", "plannr", "hero", "loop"):
        mine = [name for name in EXPECTED if name.startswith(vendor)]
        assert len(mine) == 2
        assert sum("async" in name for name in mine) == 1


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_the_example_runs_against_the_fake(script: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CREDENTIAL_PREFIXES)}
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("No "), run.stdout  # it said it was using the fake
    assert re.search(EXPECTED[script], run.stdout, re.M), run.stdout
