"""Every ```python block in README.md and docs/ type-checks with mypy --strict.

Each block becomes one module of a scratch project, checked in one mypy run. A block that opens
with a `# path/to/file.py` comment is written at that path (a page's downstream project imports
its own modules); top-level `await`/`async for`/`async with` (Jupyter cells) are checked inside
an `async def`. Names a page uses without defining them (an id, a fixture) are declared once in
NAMES below, with their types. Blocks that are not Python use another fence (sh, text).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
FILE_HEADER = re.compile(r"# ([\w/]+\.py)\n")

NAMES = '''"""Names the docs use without defining them, as a reader would have them."""

from hero_client.testing import FakeHero
from loop_comms_client.testing import FakeLoopComms
from plannr_client.testing import FakePlannr
from sqod_client import SqodClient
from sqod_client.models import Appointment
from sqod_client.testing import FakeSqod

__all__ = [
    "appointment",
    "appointment_id",
    "base_url",
    "conversation_uuid",
    "fake",
    "fake_hero",
    "fake_loop_comms",
    "fake_plannr",
    "fake_sqod",
    "sqod",
]

appointment_id: str
conversation_uuid: str
base_url: str
fake: FakeSqod
fake_sqod: FakeSqod
fake_plannr: FakePlannr
fake_hero: FakeHero
fake_loop_comms: FakeLoopComms
sqod: SqodClient
appointment: Appointment
'''


@dataclass(frozen=True)
class Snippet:
    page: Path
    line: int
    code: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def snippets() -> list[Snippet]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start(1)) + 1
            found.append(Snippet(page, line, match.group(1)))
    return found


def as_module(code: str) -> str:
    """The block as a module: the shared names first, top-level awaits inside a coroutine."""
    try:
        compile(code, "<snippet>", "exec")
    except SyntaxError as error:
        if "outside" not in str(error):  # e.g. "'await' outside function"
            raise
        code = "async def _cell() -> None:\n" + textwrap.indent(code, "    ")
    return "from _docs_names import *  # noqa: F403\n" + code


def test_the_pages_have_python_blocks() -> None:
    pages = {snippet.page.name for snippet in snippets()}
    assert {"README.md", "index.md", "testing.md", "jupyter.md", "errors.md"} <= pages


def test_every_python_block_type_checks(tmp_path: Path) -> None:
    (tmp_path / "_docs_names.py").write_text(NAMES)
    where: dict[str, tuple[Snippet, int]] = {}  # module -> its block, lines added in front
    for index, snippet in enumerate(snippets()):
        header = FILE_HEADER.match(snippet.code)
        if header:
            target = tmp_path / header.group(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            for parent in target.relative_to(tmp_path).parents:
                if parent != Path("."):
                    (tmp_path / parent / "__init__.py").touch()
            module = snippet.code
        else:
            target = tmp_path / f"snippet_{index:03}.py"
            module = as_module(snippet.code)
        target.write_text(module)
        added = module.count("\n") - snippet.code.count("\n")
        where[str(target.relative_to(tmp_path))] = (snippet, added)

    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache" / "docs-snippets"),
            *(str(tmp_path / name) for name in sorted(where)),
        ]
    )

    problems = [_locate(line, where) for line in stdout.splitlines() if ": error:" in line]
    assert not problems, "\n".join(problems)
    assert status == 0, stdout + stderr


def _locate(line: str, where: dict[str, tuple[Snippet, int]]) -> str:
    """A mypy error line, pointing at the page and line it came from."""
    path, number, message = line.split(":", 2)
    name = next((name for name in where if path.endswith(name)), None)
    if name is None:
        return line
    snippet, added = where[name]
    return f"{snippet.page.relative_to(ROOT)}:{snippet.line + int(number) - 1 - added}:{message}"


@pytest.mark.parametrize("snippet", snippets(), ids=lambda s: s.where)
def test_every_block_is_valid_python(snippet: Snippet) -> None:
    compile(as_module(snippet.code), snippet.where, "exec")
