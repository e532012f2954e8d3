"""Secrets and patient data beyond the contract suite: resolved credentials, SQOD's input errors."""

from __future__ import annotations

import httpx
import pytest

from client_core.kit import token_or_credentials
from tests.conftest import (
    APPOINTMENT_ID,
    CANARY,
    Script,
    SqodFactory,
    message_json,
    resolve,
)

pytestmark = pytest.mark.anyio

PATIENT_TEXT = "Patient Jane Canary-Doe"


def assert_clean(text: str) -> None:
    assert CANARY not in text


# 1. repr() and str() of everything a user might print.


def test_resolved_client_credentials_hide_the_secret() -> None:
    credentials = token_or_credentials(None, "client-1", CANARY, env_prefix="SQOD")

    assert_clean(repr(credentials))
    assert_clean(str(credentials))


# 2. Input errors name the field but not the value, and send nothing.


async def test_invalid_field_value_is_not_echoed(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json={"data": {"id": APPOINTMENT_ID}}))
    client = make_sqod(script)

    with pytest.raises(ValueError, match="duration_in_minutes") as caught:
        await resolve(
            client.appointments.update(
                APPOINTMENT_ID,
                duration_in_minutes="Canary-Value-123",  # type: ignore[arg-type]
            )
        )

    assert "Canary-Value-123" not in str(caught.value)
    assert "Canary-Value-123" not in repr(caught.value)
    assert script.requests == []


async def test_invalid_message_is_not_echoed(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script)

    with pytest.raises(ValueError, match="message") as caught:
        await resolve(
            client.appointments.send_message(
                APPOINTMENT_ID,
                message=[PATIENT_TEXT],  # type: ignore[arg-type]
            )
        )

    assert PATIENT_TEXT not in str(caught.value)
    assert script.requests == []
