"""HTTP Basic client credentials are form-urlencoded before base64 (RFC 6749 section 2.3.1)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from client_core.kit import ClientCredentialsAuth
from client_core.testing import TokenIssuer, basic_credentials
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import TOKEN_PATH, FakeSqod

AWKWARD_SECRET = "p%41ss+wo:rd é/ü="
AWKWARD_ID = "client:1 ü"


def test_the_header_carries_the_urlencoded_pair() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "t", "expires_in": 60})

    auth = ClientCredentialsAuth(
        token_url="https://auth.test/token",
        client_id=AWKWARD_ID,
        client_secret=AWKWARD_SECRET,
        credentials_in="basic",
    )
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as http:
        http.get("https://api.test/x")

    encoded = seen[0].headers["authorization"].removeprefix("Basic ")
    assert base64.b64decode(encoded) == b"client%3A1+%C3%BC:p%2541ss%2Bwo%3Ard+%C3%A9%2F%C3%BC%3D"
    assert basic_credentials(seen[0]) == (AWKWARD_ID, AWKWARD_SECRET)


@pytest.mark.anyio
async def test_an_awkward_secret_works_end_to_end_against_the_fake(twin: str) -> None:
    fake = FakeSqod()
    # The fake's issuer is rebuilt with an awkward id and secret; nothing else changes.
    fake._tokens = TokenIssuer(
        client_id=AWKWARD_ID, client_secret=AWKWARD_SECRET, credentials_in="basic"
    )
    assert fake.client_credentials == {"client_id": AWKWARD_ID, "client_secret": AWKWARD_SECRET}

    with fake.serve() as url:
        options: dict[str, Any] = {"base_url": url, "token_url": url + TOKEN_PATH, "timeout": 5}
        if twin == "sync":
            with SqodClient(**options, **fake.client_credentials) as sqod:
                sent = sqod.appointments.send_message(fake.appointment_id, message="Hi")
        else:
            async with AsyncSqodClient(**options, **fake.client_credentials) as asqod:
                sent = await asqod.appointments.send_message(fake.appointment_id, message="Hi")

    assert sent.message == "Hi"
    assert fake.requests[0].url.path == TOKEN_PATH
    assert [m.message for m in fake.messages] == ["Hi"]
