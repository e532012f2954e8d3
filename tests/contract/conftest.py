"""The contract suite's fixtures: every test runs once per vendor row and per twin."""

from __future__ import annotations

import os

import pytest

from tests.contract.vendors import VENDORS, Vendor

PREFIXES = ("SQOD_", "PLANNR_", "HERO_", "LOOP_COMMS_")


@pytest.fixture(params=VENDORS, ids=str)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    """The vendor row a test runs against."""
    row: Vendor = request.param
    return row


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No vendor variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith(PREFIXES):
            monkeypatch.delenv(name)
