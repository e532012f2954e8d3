"""Bad input raises a ValueError naming the field, before any request is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.conftest import APPOINTMENT_ID, Script, SqodFactory, resolve

pytestmark = pytest.mark.anyio

NAIVE = datetime(2030, 1, 1, 9, 0)

CASES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "bad uuid": (lambda a: a.send_message("12345", message="hi"), "appointment_id"),
    "path traversal": (lambda a: a.update("../../admin", status="x"), "appointment_id"),
    "uuid with a slash": (
        lambda a: a.cancel(APPOINTMENT_ID + "/../x", cancellation_reason="r"),
        "appointment_id",
    ),
    "non-string message": (
        lambda a: a.send_message(APPOINTMENT_ID, message=None),
        "message",
    ),
    "empty message": (lambda a: a.send_message(APPOINTMENT_ID, message=""), "message"),
    "blank message": (lambda a: a.send_message(APPOINTMENT_ID, message=" \n "), "message"),
    "naive datetime on update": (
        lambda a: a.update(APPOINTMENT_ID, appointment_at=NAIVE),
        "appointment_at",
    ),
    "naive datetime on create": (lambda a: a.create(appointment_at=NAIVE), "appointment_at"),
    "null for a required field": (
        lambda a: a.update(APPOINTMENT_ID, duration_in_minutes=None),
        "duration_in_minutes",
    ),
    "null for a feature flag": (
        lambda a: a.update(APPOINTMENT_ID, features_breakout_room_enable=None),
        "features_breakout_room_enable",
    ),
    "bandwidth outside its enum": (
        lambda a: a.update(APPOINTMENT_ID, features_bandwidth="ultra"),
        "features_bandwidth",
    ),
    "unknown field": (lambda a: a.update(APPOINTMENT_ID, colour="red"), "colour"),
    "unknown claimant field": (
        lambda a: a.update(APPOINTMENT_ID, claimant={"nhs_no": "1"}),
        "claimant.nhs_no",
    ),
    "zero page": (lambda a: a.list(page=0), "page"),
    "text per_page": (lambda a: a.list(per_page="50"), "per_page"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_bad_input_is_refused_before_any_request(make_sqod: SqodFactory, case: str) -> None:
    call, field = CASES[case]
    script = Script(httpx.Response(200, json={"data": {"id": APPOINTMENT_ID}}))
    client = make_sqod(script)

    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        await resolve(call(client.appointments))

    assert script.requests == []


async def test_null_is_accepted_where_sqod_allows_it(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json={"data": {"id": APPOINTMENT_ID}}))
    client = make_sqod(script)

    await resolve(
        client.appointments.update(
            APPOINTMENT_ID,
            is_interpreter_needed=None,
            interpreter_language=None,
            status=None,
            custom_user_post_call_redirect_url=None,
            custom_agent_post_call_redirect_url=None,
        )
    )

    assert len(script.requests) == 1


async def test_input_errors_do_not_echo_the_value(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json={}))
    client = make_sqod(script)

    claimant: Any = {"name": 12345678}
    with pytest.raises(ValueError, match="claimant") as caught:
        await resolve(client.appointments.update(APPOINTMENT_ID, claimant=claimant))

    assert "claimant.name" in str(caught.value)
    assert "12345678" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
