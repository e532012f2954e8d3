"""examples/reminders_batch.py runs as documented: killed half-way, rerun, resolved, 500 sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_reminders_batch_example_sends_each_reminder_exactly_once() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "reminders_batch.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "run 1: 250 reminders answered, then the worker was killed mid-send" in lines
    assert "run 2 (the rerun): replayed 250, sent 249, already sent 0, unknown 1" in lines
    assert any(line.endswith("it arrived: marked sent") for line in lines)
    assert "run 3 (after resolving): replayed 499, sent 0, already sent 1, unknown 0" in lines
    assert lines[-1] == "SQOD holds 500 reminders, one for each appointment"
