"""What every hostile scenario did, gathered during the run for `docs/reliability.md`.

A test calls `record(fault, answer, duplicates=..., losses=...)` once per scenario it runs
(repeats add to the counts); the session-finish hook in `conftest.py` writes the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One row of the table: a fault or hostile input, and what the client answered."""

    fault: str
    answer: str
    runs: int = 0
    duplicates: int = 0
    losses: int = 0
    ends: set[str] = field(default_factory=set)
    """How the calls ended (a result or an error class), when the scenario varies by vendor."""


OUTCOMES: dict[str, Outcome] = {}


def record(
    fault: str, answer: str, *, duplicates: int = 0, losses: int = 0, ended: str = ""
) -> None:
    """Count one run of `fault`: the client's answer, and duplicates or losses it caused."""
    row = OUTCOMES.setdefault(fault, Outcome(fault, answer))
    row.runs += 1
    if ended:
        row.ends.add(ended)
    row.duplicates += duplicates
    row.losses += losses
