"""The pytest plugin of care-messaging-clients: `fake_sqod`, `fake_plannr`, `fake_hero` and
`fake_loop_comms`, a fresh fake per test.

Registered through the `pytest11` entry point, so installing the distribution is enough. It
lives outside the vendor packages on purpose: pytest imports every plugin at start-up, and a
plugin inside `sqod_client` would run that package's `__init__` (httpx, pydantic, every model)
in every project that has us installed, whether its tests use a fake or not. Here nothing of
ours is imported until a test asks for a fixture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hero_client.testing import FakeHero
    from loop_comms_client.testing import FakeLoopComms
    from plannr_client.testing import FakePlannr
    from sqod_client.testing import FakeSqod

__all__ = ["fake_hero", "fake_loop_comms", "fake_plannr", "fake_sqod"]


@pytest.fixture
def fake_sqod() -> FakeSqod:
    """A fresh `FakeSqod` with its seeded world; `fake_sqod.client()` talks to it."""
    from sqod_client.testing import FakeSqod

    return FakeSqod()


@pytest.fixture
def fake_plannr() -> FakePlannr:
    """A fresh `FakePlannr` with its seeded world; `fake_plannr.client()` talks to it."""
    from plannr_client.testing import FakePlannr

    return FakePlannr()


@pytest.fixture
def fake_hero() -> FakeHero:
    """A fresh `FakeHero` with its seeded world; `fake_hero.client()` talks to it."""
    from hero_client.testing import FakeHero

    return FakeHero()


@pytest.fixture
def fake_loop_comms() -> FakeLoopComms:
    """A fresh `FakeLoopComms` with its seeded world; `fake_loop_comms.client()` talks to it."""
    from loop_comms_client.testing import FakeLoopComms

    return FakeLoopComms()
