"""Writes the hostile suite's outcomes into `docs/reliability.md` when the whole suite ran.

A subset (`-k`, one file, `-x` stopping early) or a failure leaves the page alone, so the
committed table always comes from a complete, passing run. The table check runs last.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from .outcomes import OUTCOMES
from .reliability_table import rewrite

HERE = Path(__file__).resolve().parent
TABLE_CHECK = "test_reliability_table.py"


class _Run:
    collected: ClassVar[set[str]] = set()
    partial = False
    failed = False
    ran = 0
    hostile_items = 0


def _hostile(item: pytest.Item) -> bool:
    return Path(str(item.path)).parent == HERE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The table check reads what every other hostile test recorded: it goes last.
    items.sort(key=lambda item: _hostile(item) and item.path.name == TABLE_CHECK)


def pytest_deselected(items: list[pytest.Item]) -> None:
    if any(_hostile(item) for item in items):
        _Run.partial = True


def pytest_collection_finish(session: pytest.Session) -> None:
    hostile = [item for item in session.items if _hostile(item)]
    _Run.hostile_items = len(hostile)
    _Run.collected = {item.path.name for item in hostile}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not report.nodeid.startswith("tests/hostile/"):
        return
    if report.when == "call" or (report.when == "setup" and report.skipped):
        _Run.ran += 1
    if report.failed and TABLE_CHECK not in report.nodeid:
        _Run.failed = True


def pytest_sessionfinish(session: pytest.Session) -> None:
    every_file = {path.name for path in HERE.glob("test_*.py")}
    complete = _Run.collected == every_file and not _Run.partial
    if complete and not _Run.failed and _Run.ran >= _Run.hostile_items and OUTCOMES:
        rewrite(OUTCOMES.values())
