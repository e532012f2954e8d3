"""The generated section of `docs/reliability.md`: every hostile scenario and its outcome."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .outcomes import Outcome

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START = "<!-- hostile-table:start (written by tests/hostile/conftest.py; do not edit) -->"
END = "<!-- hostile-table:end -->"


def render(outcomes: Iterable[Outcome]) -> str:
    """The table, sorted by fault, with totals: no timings, so a re-run changes nothing."""
    rows = sorted(outcomes, key=lambda o: o.fault.lower())
    lines = [
        "| Fault or hostile input | The client's answer | Runs | Duplicates | Losses |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        fault = row.fault.replace("|", "\\|")
        answer = row.answer + (f" (ends: {', '.join(sorted(row.ends))})" if row.ends else "")
        lines.append(f"| {fault} | {answer} | {row.runs} | {row.duplicates} | {row.losses} |")
    runs = sum(r.runs for r in rows)
    duplicates = sum(r.duplicates for r in rows)
    losses = sum(r.losses for r in rows)
    lines.append("")
    lines.append(
        f"{len(rows)} faults and hostile inputs, {runs} runs (vendors x twins x cases): "
        f"{duplicates} duplicates, {losses} losses."
    )
    return "\n".join(lines)


def current_section(text: str) -> str:
    """What is between the markers now (empty when they are missing)."""
    if START not in text or END not in text:
        return ""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def rewrite(outcomes: Iterable[Outcome]) -> bool:
    """Replace the marked section with a fresh table; True when the file changed."""
    text = DOC.read_text(encoding="utf-8")
    table = render(outcomes)
    if current_section(text) == table:
        return False
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")
    return True


def table_faults(text: str) -> dict[str, tuple[int, int]]:
    """Fault -> (duplicates, losses), as the committed table states them."""
    found: dict[str, tuple[int, int]] = {}
    for line in current_section(text).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 5 and cells[2].isdigit():  # the table's five columns
            found[cells[0].replace("\\|", "|")] = (int(cells[3]), int(cells[4]))
    return found
