"""Plannr test data: ids, paths and fresh responses shaped like Plannr's (Laravel) answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

BASE = "https://api.plannrcrm.com"
CONVERSATION_UUID = "8d3c1e0a-5b7f-4c2d-9e61-2f4a7b9c0d13"
MESSAGE_UUID = "cb2b8e53-39d6-4497-831f-4f759e91582c"
FILE_UUID = "4b74a617-4b07-4676-8fc1-3976c090e8ad"
FILE_UUID_2 = "b6955765-ae62-49cf-b622-3caecd8b80d6"
CIRCLE_UUID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
CONVERSATIONS_PATH = "/api/v1/conversation"
MESSAGES_PATH = f"{CONVERSATIONS_PATH}/{CONVERSATION_UUID}/messages"
INLINE_PATH = f"{MESSAGES_PATH}/inline"
LOGINS_PATH = "/api/v1/logins"
PATIENT_TEXT = "Patient Jane Canary-Doe: results attached"

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    """A published example payload, as stored in fixtures/."""
    return json.loads((FIXTURES / name).read_text())


def message_json(**fields: Any) -> dict[str, Any]:
    """A message resource as Plannr documents it (top level, no `data` wrapper)."""
    return {
        "uuid": MESSAGE_UUID,
        "contents": "Your review is booked",
        "edited": False,
        "files": [],
        "reactions": [],
        "created_at": "2024-10-16T11:10:14+01:00",
        "updated_at": "2024-10-16T11:10:14+01:00",
        **fields,
    }


def message_response(
    *, wrapped: bool = False, headers: dict[str, str] | None = None, **fields: Any
) -> httpx.Response:
    body = message_json(**fields)
    return httpx.Response(200, json={"data": body} if wrapped else body, headers=headers)


def page_response(
    path: str,
    items: list[dict[str, Any]],
    *,
    number: int = 1,
    last: int = 1,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One page of a Laravel length-aware paginator: `{data, links, meta}`."""
    next_url = f"{BASE}{path}?page={number + 1}" if number < last else None
    return httpx.Response(
        200,
        json={
            "data": items,
            "links": {
                "first": f"{BASE}{path}?page=1",
                "last": f"{BASE}{path}?page={last}",
                "prev": f"{BASE}{path}?page={number - 1}" if number > 1 else None,
                "next": next_url,
            },
            "meta": {
                "current_page": number,
                "from": 1,
                "last_page": last,
                "path": f"{BASE}{path}",
                "per_page": 15,
                "to": len(items),
                "total": len(items) * last,
            },
        },
        headers=headers,
    )


def conversation_json(uuid: str, **fields: Any) -> dict[str, Any]:
    return {"uuid": uuid, "name": f"Conversation {uuid[:4]}", "pinned": False, **fields}


def login_json(login_uuid: str, account_uuid: str, **fields: Any) -> dict[str, Any]:
    return {
        "uuid": login_uuid,
        "account": {"uuid": account_uuid, "name": "Gareth Thompson", "type": "adviser"},
        "firm": {"uuid": "e1d2c3b4-a596-4877-8899-aabbccddeeff", "name": "Code Potato"},
        **fields,
    }


def laravel_422() -> httpx.Response:
    return httpx.Response(
        422,
        json={
            "message": "The given data was invalid.",
            "errors": {"contents": ["The contents field is required."]},
        },
        headers={"x-request-id": "req-422"},
    )


def unauthenticated() -> httpx.Response:
    return httpx.Response(
        401, json={"message": "Unauthenticated."}, headers={"x-request-id": "req-401"}
    )
