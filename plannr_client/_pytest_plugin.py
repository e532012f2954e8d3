"""The pytest plugin of `plannr_client`: a fresh `FakePlannr` per test as `fake_plannr`.

Registered through the `pytest11` entry point, so installing the package is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import FakePlannr


@pytest.fixture
def fake_plannr() -> FakePlannr:
    """A fresh `FakePlannr` with its seeded world; `fake_plannr.client()` talks to it."""
    from .testing import FakePlannr  # imported here: test runs that never ask pay nothing

    return FakePlannr()
