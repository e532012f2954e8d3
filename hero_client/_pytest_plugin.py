"""The pytest plugin of `hero_client`: a fresh `FakeHero` per test as `fake_hero`.

Registered through the `pytest11` entry point, so installing the package is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import FakeHero


@pytest.fixture
def fake_hero() -> FakeHero:
    """A fresh `FakeHero` with its seeded world; `fake_hero.client()` talks to it."""
    from .testing import FakeHero  # imported here: test runs that never ask pay nothing

    return FakeHero()
