"""A 409 on the repeat of a write safe to repeat (SQOD's update, Loop's send), row by row.

The error says an earlier attempt was probably accepted only when an earlier attempt may have
reached the vendor: its answer was lost, or was an answer a gateway gives after the vendor
acted (408, 500, 502, 504). A 503 or 429 is a refusal to start, and a failed connect never left.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from client_core import ConflictError
from tests.conftest import Script, resolve
from tests.contract.vendors import VENDORS, Vendor

pytestmark = pytest.mark.anyio

REPEATABLE = [vendor for vendor in VENDORS if vendor.repeatable]

CONFLICT_TABLE: list[tuple[str, Any, bool]] = [
    ("read-timeout", httpx.ReadTimeout, True),
    ("dropped", httpx.RemoteProtocolError, True),
    ("write-timeout", httpx.WriteTimeout, True),
    ("408", 408, True),
    ("500", 500, True),
    ("502", 502, True),
    ("504", 504, True),
    ("503", 503, False),
    ("429", 429, False),
    ("connect-error", httpx.ConnectError, False),
    ("none", None, False),
]


@pytest.mark.parametrize(
    ("first", "claimed"),
    [row[1:] for row in CONFLICT_TABLE],
    ids=[row[0] for row in CONFLICT_TABLE],
)
@pytest.mark.parametrize("vendor", REPEATABLE, ids=str)
async def test_a_409_on_the_repeat_row(
    vendor: Vendor, twin: str, first: Any, claimed: bool
) -> None:
    assert vendor.repeatable is not None
    assert vendor.repeatable_ok is not None
    duplicate = httpx.Response(409, json=vendor.error_json("dedup key already used"))
    steps = [] if first is None else [httpx.Response(first) if isinstance(first, int) else first]
    script = Script(*steps, duplicate, vendor.repeatable_ok())
    client = vendor.build(twin, script)

    with pytest.raises(ConflictError) as caught:
        await resolve(vendor.repeatable(client, vendor.fake()))

    error = caught.value
    assert len(script.requests) == len(steps) + 1  # the 409 itself is never repeated
    assert len({r.content for r in script.requests}) == 1
    assert error.status_code == 409
    assert error.earlier_attempt_probably_accepted is claimed
    assert ("earlier attempt" in str(error)) is claimed
    assert ("probably accepted" in str(error)) is claimed
    assert vendor.error_text("dedup key already used") in str(error)
    assert error.body == vendor.error_json("dedup key already used")
