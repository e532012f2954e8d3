"""What every hostile scenario did, gathered during the run for `docs/reliability.md`.

A test calls `record(fault, answer, duplicates=..., losses=...)` once per scenario it runs
(repeats add to the counts); the session-finish hook in `conftest.py` writes the table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Outcome:
    """One row of the table: a fault or hostile input, and what the client answered."""

    fault: str
    answer: str
    runs: int = 0
    duplicates: int = 0
    losses: int = 0


OUTCOMES: dict[str, Outcome] = {}


def record(fault: str, answer: str, *, duplicates: int = 0, losses: int = 0) -> None:
    """Count one run of `fault`: the client's answer, and duplicates or losses it caused."""
    row = OUTCOMES.setdefault(fault, Outcome(fault, answer))
    row.runs += 1
    row.duplicates += duplicates
    row.losses += losses
