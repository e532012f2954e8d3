"""The pytest plugin of `loop_comms_client`: a fresh `FakeLoopComms` per test as `fake_loop_comms`.

Registered through the `pytest11` entry point, so installing the package is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing import FakeLoopComms


@pytest.fixture
def fake_loop_comms() -> FakeLoopComms:
    """A fresh `FakeLoopComms` with its seeded world; `fake_loop_comms.client()` talks to it."""
    from .testing import FakeLoopComms  # imported here: test runs that never ask pay nothing

    return FakeLoopComms()
