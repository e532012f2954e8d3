"""What a downstream project gets: the pytest fixtures by entry point, and `make demo`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DOWNSTREAM_TEST = """
from sqod_client import OutcomeUnknownError


def remind(sqod, appointment_id):
    try:
        sqod.appointments.send_message(appointment_id, message="Running late")
    except OutcomeUnknownError:
        return "check before resending"
    return "sent"


def test_sends_a_reminder(fake_sqod):
    with fake_sqod.client() as sqod:
        assert remind(sqod, fake_sqod.appointment_id) == "sent"
    assert [m.message for m in fake_sqod.messages] == ["Running late"]


def test_each_test_gets_a_fresh_fake(fake_sqod, fake_plannr, fake_hero, fake_loop_comms):
    assert fake_sqod.messages == []
    assert fake_plannr.messages == [] and fake_hero.messages == []
    assert fake_loop_comms.messages == []


def test_a_dropped_send_is_not_repeated(fake_sqod):
    fake_sqod.drop_next()
    with fake_sqod.client() as sqod:
        assert remind(sqod, fake_sqod.appointment_id) == "check before resending"
    assert len(fake_sqod.messages) == 1
"""


def test_fixtures_reach_a_project_with_no_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=DOWNSTREAM_TEST)
    # A subprocess loads plugins from the installed entry points, as a user's pytest does.
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def doc_files(page: Path) -> dict[str, str]:
    """The code blocks of a docs page that open with a `# path/to/file.py` comment."""
    blocks = re.findall(r"```python\n# (\S+\.py)\n(.*?)```", page.read_text(), re.S)
    return dict(blocks)


def test_the_downstream_project_in_docs_testing_md_passes(pytester: pytest.Pytester) -> None:
    files = doc_files(ROOT / "docs" / "testing.md")
    assert set(files) == {"clinic/reminders.py", "tests/test_reminders.py"}
    for path, code in files.items():
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code)
    (pytester.path / "clinic" / "__init__.py").write_text("")
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "tests")
    result.assert_outcomes(passed=3)


def test_make_demo_drives_every_client_and_exits_zero() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for heading in ("SQOD", "Plannr CRM", "Hero", "Loop Health comms"):
        assert f"\n{heading}  (fake at http://127.0.0.1:" in run.stdout
    for twin in ("sync ", "async"):
        assert f"ok    {twin}  appointments.send_message" in run.stdout
    assert re.search(
        r"connection dropped +OutcomeUnknownError, not resent; SQOD had accepted 1", run.stdout
    )
    assert re.search(r"answered 429 +retried; sent once", run.stdout)
    assert "FAIL" not in run.stdout
    assert run.stdout.rstrip().endswith("steps passed.")
