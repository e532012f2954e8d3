"""The reliability page's table covers every fault this suite ran, with no duplicate or loss."""

from __future__ import annotations

from .outcomes import OUTCOMES
from .reliability_table import DOC, END, START, render, table_faults


def test_every_fault_the_suite_ran_has_its_row() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text
    assert END in text
    rows = table_faults(text)
    missing = sorted(set(OUTCOMES) - set(rows))
    assert missing == [], "run the whole hostile suite once to regenerate docs/reliability.md"


def test_the_table_shows_no_duplicates_and_no_losses() -> None:
    rows = table_faults(DOC.read_text(encoding="utf-8"))
    assert rows
    assert {fault: counts for fault, counts in rows.items() if counts != (0, 0)} == {}
    assert all(o.duplicates == 0 and o.losses == 0 for o in OUTCOMES.values())


def test_the_table_is_deterministic() -> None:
    first = render(OUTCOMES.values())
    assert render(reversed(list(OUTCOMES.values()))) == first
    assert " ms" not in first
    assert " s " not in first
