"""Transports that put a hostile vendor (or network) in front of a fake."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

Answer = Callable[[httpx.Request], httpx.Response]


def through(fake: Any, change: Callable[[httpx.Request, httpx.Response], httpx.Response]) -> Answer:
    """A handler that asks `fake`, then lets `change` rewrite its answer."""
    inner = fake.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)
        response.read()
        return change(request, response)

    return handler


def http_client(twin: str, handler: Answer, **options: Any) -> httpx.Client | httpx.AsyncClient:
    """An httpx client of `twin` answering from `handler`."""
    transport = httpx.MockTransport(handler)
    if twin == "sync":
        return httpx.Client(transport=transport, **options)
    return httpx.AsyncClient(transport=transport, **options)


def with_extra_field(value: object) -> Callable[[httpx.Request, httpx.Response], httpx.Response]:
    """Add `"note": value` to a 2xx JSON object answer (inside `data` when it has one)."""

    def change(request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if not response.is_success:
            return response
        body = response.json()
        target = body["data"] if isinstance(body.get("data"), dict) else body
        target["note"] = value
        content = json.dumps(body).encode()  # ensure_ascii: a lone surrogate stays an escape
        headers = {"content-type": "application/json"}
        return httpx.Response(response.status_code, content=content, headers=headers)

    return change
