"""What only Hero does: a practice group per client, its off-spec answers, its auth_token."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from hero_client import (
    Message,
    ResponseValidationError,
    raw_response,
)
from tests.conftest import HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio


async def _send(client: Any, text: str = "Hello") -> Any:
    return await resolve(
        client.messages.send(patient_id="1234", message_type="sms", message_string=text)
    )


async def _get(client: Any) -> Any:
    return await resolve(client.messages.get("8812345"))


async def test_practice_group_can_be_overridden_per_client(make_hero: HeroFactory) -> None:
    # Cross-organisational calls: the same key acts for another group in its network.
    script = Script(sent())
    client = make_hero(script, practice_group_id="9001")

    await _send(client)

    assert script.requests[0].headers["x-practice-group-id"] == "9001"
    assert script.requests[0].headers["x-api-key"] == "test-api-key"


async def test_off_spec_message_detail_is_returned_or_raises_when_strict(
    make_hero: HeroFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = {"id": "8812345", "status": "delivered", "patient": "Jane Canary-Doe"}

    lenient = make_hero(Script(httpx.Response(200, json=body)))
    message = await _get(lenient)
    assert isinstance(message, Message)
    assert message.status == "delivered"
    assert any("patient" in r.getMessage() for r in caplog.records)
    assert "Canary-Doe" not in caplog.text

    strict = make_hero(Script(httpx.Response(200, json=body)), strict_responses=True)
    with pytest.raises(ResponseValidationError, match="Message"):
        await _get(strict)


HERO_AUTH_TOKEN = "hero-issued-auth-token-5c2e"


def sent() -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "message_id": "8812345",
            "content": "(content)",
            "auth_token": HERO_AUTH_TOKEN,
            "confirm_write_to_record_url": f"https://app.herohealth.net/c?t={HERO_AUTH_TOKEN}",
        },
    )


async def test_the_auth_token_hero_answers_with_stays_out_of_reprs(make_hero: HeroFactory) -> None:
    client = make_hero(Script(sent()))

    result = await _send(client)

    assert result.auth_token == HERO_AUTH_TOKEN
    for thing in (result, raw_response(result)):
        assert HERO_AUTH_TOKEN not in repr(thing)
        assert HERO_AUTH_TOKEN not in str(thing)
