"""What the FakeSqod tests share: clients of either twin around a fake, and raw httpx.

No tests here; the `test_fake_*` modules import these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from sqod_client import AsyncSqodClient, RetryPolicy, SqodClient
from sqod_client.testing import FakeSqod

Client = SqodClient | AsyncSqodClient
APPOINTMENTS = "/api/v1/appointments"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def not_found(appointment_id: str) -> dict[str, str]:
    """Laravel's 404 body when route model binding finds no appointment."""
    return {"message": f"No query results for model [App\\Models\\Appointment] {appointment_id}"}


@asynccontextmanager
async def own_client(
    twin: str, *, via: FakeSqod | None = None, **keywords: Any
) -> AsyncIterator[Client]:
    """A client built as user code would; `via` sends it through that fake's transport."""
    if via is not None:
        keywords.setdefault("base_url", via.base_url)
    keywords.setdefault("retry_policy", RetryPolicy.no_wait())
    if twin == "sync":
        with (
            httpx.Client(transport=via.transport() if via else None) as http,
            SqodClient(http_client=http, **keywords) as client,
        ):
            yield client
    else:
        async with (
            httpx.AsyncClient(transport=via.async_transport() if via else None) as ahttp,
            AsyncSqodClient(http_client=ahttp, **keywords) as aclient,
        ):
            yield aclient


@asynccontextmanager
async def raw(
    fake: FakeSqod, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Plain httpx through the fake; with the fake's bearer token unless `headers` say otherwise."""
    if headers is None:
        headers = {"Authorization": f"Bearer {fake.token}"}
    async with httpx.AsyncClient(
        transport=fake.async_transport(),
        base_url=fake.base_url,
        headers={"Accept": "application/json", **headers},
    ) as http:
        yield http
