"""FakePlannr as a server: auth, the rate-limit header, faults, serve(), mock(), records."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from plannr_client import (
    AsyncPlannrClient,
    AuthenticationError,
    PermissionDeniedError,
    PlannrClient,
    RetryPolicy,
    raw_response,
)
from plannr_client.testing import RATE_LIMIT, FakePlannr
from tests.conftest import collect, fake_twin, resolve

pytestmark = pytest.mark.anyio

OTHER_ACCOUNT = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


@asynccontextmanager
async def plannr_as(
    fake: FakePlannr, twin: str, *, token: str, account_uuid: str
) -> AsyncIterator[Any]:
    """The twin under test with credentials of the test's choosing, sending to `fake`."""
    options: dict[str, Any] = {
        "token": token,
        "account_uuid": account_uuid,
        "retry_policy": RetryPolicy.no_wait(),
    }
    if twin == "sync":
        with httpx.Client(transport=fake.transport()) as http:
            yield PlannrClient(http_client=http, **options)
        return
    async with httpx.AsyncClient(transport=fake.async_transport()) as async_http:
        yield AsyncPlannrClient(http_client=async_http, **options)


async def send(client: Any, fake: FakePlannr, contents: str = "Hello") -> Any:
    return await resolve(
        client.conversations.send_message(fake.conversation_uuid, contents=contents)
    )


# -- auth --------------------------------------------------------------------------------------


async def test_a_wrong_token_is_plannrs_401(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with plannr_as(fake, twin, token="not-it", account_uuid=fake.account_uuid) as client:
        with pytest.raises(AuthenticationError) as caught:
            await send(client, fake)

    assert caught.value.body == {"message": "Unauthenticated."}
    assert fake.messages == []


async def test_no_token_is_plannrs_401_even_for_logins(fake_plannr: FakePlannr) -> None:
    async with httpx.AsyncClient(transport=fake_plannr.async_transport()) as http:
        response = await http.get(f"{fake_plannr.base_url}/api/v1/logins")

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


async def test_another_account_is_refused_with_a_403(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with plannr_as(fake, twin, token=fake.token, account_uuid=OTHER_ACCOUNT) as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await send(client, fake)
        logins = await collect(await resolve(client.logins.list()))

    assert caught.value.body == {"message": "This action is unauthorized."}
    assert fake.messages == []
    assert [login.account.uuid for login in logins] == [fake.account_uuid]


async def test_a_missing_account_header_is_a_400(fake_plannr: FakePlannr) -> None:
    fake = fake_plannr
    headers = {"Authorization": f"Bearer {fake.token}", "Accept": "application/json"}
    transport = fake.async_transport()
    async with httpx.AsyncClient(transport=transport, headers=headers) as http:
        response = await http.get(f"{fake.base_url}/api/v1/conversation")

    assert response.status_code == 400
    assert response.json() == {"message": "The X-PLANNR-ACCOUNT-UUID header is required."}


# -- the rate-limit header -----------------------------------------------------------------------


async def test_every_response_counts_down_the_rate_limit(
    fake_plannr: FakePlannr, twin: str
) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        sent = await send(client, fake)
        page = await resolve(client.conversations.list())
    async with plannr_as(fake, twin, token="not-it", account_uuid=fake.account_uuid) as client:
        with pytest.raises(AuthenticationError) as caught:
            await send(client, fake)

    assert raw_response(sent).headers["X-Ratelimit-Remaining"] == str(RATE_LIMIT - 1)
    assert raw_response(page).headers["X-Ratelimit-Remaining"] == str(RATE_LIMIT - 2)
    assert caught.value.headers["X-Ratelimit-Remaining"] == str(RATE_LIMIT - 3)


# -- transports ----------------------------------------------------------------------------------


async def test_requests_record_what_was_sent(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        await resolve(
            client.conversations.send_message(
                fake.conversation_uuid, contents="Recorded", files=[fake.file_uuid]
            )
        )

    (request,) = fake.requests
    assert request.method == "POST"
    assert request.url.path == f"/api/v1/conversation/{fake.conversation_uuid}/messages"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == fake.account_uuid
    assert json.loads(request.content) == {"contents": "Recorded", "files": [fake.file_uuid]}
