"""The pytest plugin of `sqod_client`: a fresh `FakeSqod` per test as `fake_sqod`.

Registered through the `pytest11` entry point, so installing the package is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import FakeSqod


@pytest.fixture
def fake_sqod() -> FakeSqod:
    """A fresh `FakeSqod` with its seeded world; `fake_sqod.client()` talks to it."""
    from .testing import FakeSqod  # imported here: test runs that never ask pay nothing

    return FakeSqod()
