"""Loop comms test data shared by this directory, and a clean LOOP_COMMS_* environment."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).parent / "fixtures"

API = "https://comms.platform.loop.health"
SCHEDULED_ID = "sch_01HZX4K2"
MESSAGE_ID = "msg_01HZX4K9"
BRAND_ID = "brand-7"
PERSON_ID = "person-42"
DEDUP_KEY = "appt-123-reminder"
RECIPIENT = "+447700900123"
WHEN = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clean_loop_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LOOP_COMMS_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("LOOP_COMMS_"):
            monkeypatch.delenv(name)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def scheduled_json(**fields: Any) -> dict[str, Any]:
    """A ScheduledMessage with every key the spec's 201 schema requires (nullable ones null)."""
    return {**load("schedule_201.json"), **fields}


def sent_json(**fields: Any) -> dict[str, Any]:
    """The 200 answer of POST /v1/messages/send (and GET /v1/messages/{id})."""
    return {**load("send_200.json"), **fields}


def scheduled(code: int = 201, **fields: Any) -> httpx.Response:
    """A ScheduledMessage answer with HTTP status `code` (201 for schedule, 200 for reads)."""
    return httpx.Response(code, json=scheduled_json(**fields))


def sent(**fields: Any) -> httpx.Response:
    return httpx.Response(200, json=sent_json(**fields))


def duplicate() -> httpx.Response:
    return httpx.Response(409, json={"error": "duplicate", "message": "dedup key already used"})


def send_kwargs(**overrides: Any) -> dict[str, Any]:
    """Every required argument of messages.send, valid; `overrides` replace or add fields."""
    return {
        "channel": "sms",
        "template_key": "appointment-reminder",
        "recipient": RECIPIENT,
        "brand_id": BRAND_ID,
        "person_id": PERSON_ID,
        "dedup_key": DEDUP_KEY,
        **overrides,
    }


def schedule_kwargs(**overrides: Any) -> dict[str, Any]:
    """Every required argument of messages.schedule, valid; `overrides` replace or add fields."""
    return send_kwargs(**{"scheduled_at": WHEN, **overrides})
