"""FakeLoopComms checks bearer tokens as Loop does, and serves Loop's M2M token endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from loop_comms_client import (
    DEFAULT_TOKEN_URL,
    AsyncLoopCommsClient,
    AuthenticationError,
    LoopCommsClient,
)
from loop_comms_client.testing import TOKEN_PATH, FakeLoopComms
from tests.conftest import resolve
from tests.loop_comms.test_fake import raw_client, schedule_fields, send_fields

pytestmark = pytest.mark.anyio

UNAUTHORIZED = {"error": "unauthorized", "message": "Missing or invalid access token."}


def own_client(fake: FakeLoopComms, twin: str, **options: Any) -> Any:
    """A client built as downstream code builds one, sending through the fake's transport."""
    if twin == "sync":
        http = httpx.Client(transport=fake.transport())
        return LoopCommsClient(http_client=http, max_retries=0, **options)
    http_async = httpx.AsyncClient(transport=fake.async_transport())
    return AsyncLoopCommsClient(http_client=http_async, max_retries=0, **options)


async def close(client: LoopCommsClient | AsyncLoopCommsClient) -> None:
    if isinstance(client, LoopCommsClient):
        client.close()
    else:
        await client.aclose()


def token_requests(fake: FakeLoopComms) -> list[httpx.Request]:
    return [r for r in fake.requests if r.url.path == TOKEN_PATH]


# -- bearer tokens -------------------------------------------------------------------------------


async def test_no_token_gets_loops_401(fake_loop_comms: FakeLoopComms) -> None:
    async with httpx.AsyncClient(transport=fake_loop_comms.async_transport()) as http:
        response = await http.post(
            f"{fake_loop_comms.base_url}/v1/messages/send", json=send_fields(fake_loop_comms)
        )
        basic = await http.get(
            f"{fake_loop_comms.base_url}/v1/messages/any", auth=("fake-loop-client", "x")
        )

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    assert (basic.status_code, basic.json()) == (401, UNAUTHORIZED)
    assert fake_loop_comms.messages == []


async def test_a_wrong_token_raises_authentication_error_with_loops_body(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    client = own_client(fake_loop_comms, twin, token="not-the-fake-token")
    try:
        with pytest.raises(AuthenticationError) as caught:
            await resolve(client.messages.schedule(**schedule_fields(fake_loop_comms)))
    finally:
        await close(client)

    assert caught.value.body == UNAUTHORIZED
    assert fake_loop_comms.messages == []


# -- the M2M token endpoint ------------------------------------------------------------------


async def test_client_credentials_fetch_a_token_from_loops_identity_host(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    client = own_client(fake, twin, scope="comms:send", **fake.client_credentials)
    try:
        message = await resolve(client.messages.send(**send_fields(fake)))
    finally:
        await close(client)

    (token_request,) = token_requests(fake)
    assert str(token_request.url) == DEFAULT_TOKEN_URL
    form = {k: v[0] for k, v in parse_qs(token_request.content.decode()).items()}
    assert form == {
        "grant_type": "client_credentials",
        "scope": "comms:send",
        **fake.client_credentials,
    }
    assert [m.model_dump() for m in fake.messages] == [message.model_dump()]


async def test_the_token_endpoint_answers_in_oauth2_shapes(fake_loop_comms: FakeLoopComms) -> None:
    fake = fake_loop_comms
    good = {"grant_type": "client_credentials", **fake.client_credentials, "scope": "comms"}
    async with httpx.AsyncClient(transport=fake.async_transport()) as http:
        issued = await http.post(DEFAULT_TOKEN_URL, data=good)
        wrong = await http.post(DEFAULT_TOKEN_URL, data={**good, "client_secret": "wrong"})
        # Loop's M2M grant takes the client in the form body, not in HTTP Basic.
        basic = await http.post(
            DEFAULT_TOKEN_URL,
            data={"grant_type": "client_credentials"},
            auth=(fake.client_credentials["client_id"], fake.client_credentials["client_secret"]),
        )
        grant = await http.post(DEFAULT_TOKEN_URL, data={**good, "grant_type": "password"})
    async with raw_client(fake, token=issued.json()["access_token"]) as api:
        listed = await api.get("/v1/messages/scheduled", params={"brand_id": fake.brand_id})

    assert issued.status_code == 200
    assert set(issued.json()) == {"access_token", "expires_in", "token_type", "scope"}
    assert (issued.json()["token_type"], issued.json()["scope"]) == ("Bearer", "comms")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (basic.status_code, basic.json()["error"]) == (401, "invalid_client")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    assert (listed.status_code, listed.json()) == (200, {"data": []})
