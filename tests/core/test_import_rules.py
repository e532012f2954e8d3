"""The import rules `make lint` enforces (pyproject's import-linter contracts) catch what they say.

Each case copies the checked packages to a temporary directory, plants one import, and runs
`lint-imports` there: the tree as it is keeps every contract, each planted import breaks one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGES: list[str] = PYPROJECT["tool"]["importlinter"]["root_packages"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the copy, ahead of the editable install
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_as_it_is_keeps_every_import_rule(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


PLANTED = [
    # (module to edit, line appended, the contract it breaks)
    ("client_core/_retry.py", "import client_core.testing", "client_core's runtime modules"),
    ("client_core/__init__.py", "from . import testing", "client_core's runtime modules"),
    ("sqod_client/_client.py", "from . import testing", "Vendor runtime modules"),
    ("hero_client/models.py", "from client_core.testing import Reply", "Vendor runtime modules"),
    ("loop_comms_client/_messages.py", "import client_core.testing._http", "Vendor runtime"),
]


@pytest.mark.parametrize(("module", "line", "contract"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_runtime_module_importing_test_code_fails_the_lint(
    tree: Path, module: str, line: str, contract: str
) -> None:
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if " BROKEN" in row]
    # A core module that loads the kit breaks the vendor rule too: every client imports it.
    assert any(row.startswith(contract) for row in broken), result.stdout


def test_an_indirect_import_through_a_runtime_module_fails_the_lint(tree: Path) -> None:
    # _version.py imports nothing today; through it, _config (and every client) would load the kit.
    path = tree / "client_core" / "_version.py"
    path.write_text(path.read_text() + "\nfrom .testing import _server  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "client_core._config -> client_core._version" in result.stdout
