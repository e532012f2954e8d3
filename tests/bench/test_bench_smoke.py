"""`make bench` cannot rot: the harness runs end to end with tiny counts and writes every row.

A check of the harness, not a timed test: the figures it produces at these counts mean nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

VENDOR_CALLS = [
    "SQOD appointments.send_message",
    "SQOD appointments.list",
    "Plannr conversations.send_message",
    "Plannr conversations.list_messages",
    "Hero messages.send",
    "Hero messages.get",
    "Loop messages.schedule",
    "Loop messages.get_scheduled",
]


def test_the_bench_writes_a_table_with_every_row(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(
        "# Performance\n\nprose before\n\n"
        "<!-- bench:table -->\nold\n<!-- /bench:table -->\n\nprose after\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(page)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    text = page.read_text()
    assert "prose before" in text
    assert "prose after" in text
    assert "\nold\n" not in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    measures = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    expected = [
        f"{call}, {twin}, {where}"
        for where in ("in memory", "loopback")
        for call in VENDOR_CALLS
        for twin in ("sync", "async")
    ]
    for measure in expected:
        assert measure in measures, measure
    for package in ("sqod_client", "plannr_client", "hero_client", "loop_comms_client"):
        assert f"cold import of {package}" in measures
    for needle in ("concurrent, loopback (req/s)", "pytest start-up", "RSS growth over",
                   "clients created and closed", "Appointment validation"):  # fmt: skip
        assert any(needle in m for m in measures), needle
    # Every figure cell holds a number: a section that silently measured nothing would not.
    for row in rows[1:]:
        cells = row.strip("|").split(" | ")
        assert any(ch.isdigit() for ch in cells[2]), row
    for machine in ("Measured on:", "cores", "Python 3.", "httpx 0.", "pydantic 2."):
        assert machine in text
