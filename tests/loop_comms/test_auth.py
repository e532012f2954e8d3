"""Loop's client credentials go in the form body (the shared token rules are in tests/contract)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from tests.conftest import (
    LOOP_TOKEN_URL,
    LoopFactory,
    Routes,
    Script,
    resolve,
    token_response,
)
from tests.loop_comms.conftest import (
    send_kwargs,
    sent,
)

pytestmark = pytest.mark.anyio

CREDENTIALS = {"client_id": "loop-client-1", "client_secret": "loop-secret-1"}


# The token request Loop's identity service documents.


@pytest.mark.parametrize("scope", [None, "comms:send"])
async def test_client_credentials_fetch_a_token_with_the_secret_in_the_form_body(
    make_loop: LoopFactory, scope: str | None
) -> None:
    routes = Routes(Script(sent()), Script(token_response("access-1")), token_url=LOOP_TOKEN_URL)
    options = {**CREDENTIALS, **({"scope": scope} if scope else {})}
    client = make_loop(routes, **options)

    await resolve(client.messages.send(**send_kwargs()))

    (token_request,) = routes.token.requests
    assert token_request.method == "POST"
    assert str(token_request.url) == "https://identity.platform.loop.health/v1/oauth/token"
    assert "Authorization" not in token_request.headers
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token_request.headers["Accept"] == "application/json"
    assert "loop_comms_client" in token_request.headers["User-Agent"]
    expected = {
        "grant_type": ["client_credentials"],
        "client_id": ["loop-client-1"],
        "client_secret": ["loop-secret-1"],
    }
    if scope:
        expected["scope"] = [scope]
    assert parse_qs(token_request.content.decode(), keep_blank_values=True) == expected
    (api_request,) = routes.api.requests
    assert api_request.headers["Authorization"] == "Bearer access-1"


async def test_token_form_without_scope_is_exactly_the_documented_body(
    make_loop: LoopFactory,
) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, **CREDENTIALS)

    await resolve(client.messages.send(**send_kwargs()))

    assert routes.token.requests[0].content == (
        b"grant_type=client_credentials&client_id=loop-client-1&client_secret=loop-secret-1"
    )


async def test_credentials_with_form_special_characters_are_encoded(
    make_loop: LoopFactory,
) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, client_id="id with space", client_secret="s&cret=1+2%")

    await resolve(client.messages.send(**send_kwargs()))

    form = parse_qs(routes.token.requests[0].content.decode())
    assert form["client_id"] == ["id with space"]
    assert form["client_secret"] == ["s&cret=1+2%"]
    assert set(form) == {"grant_type", "client_id", "client_secret"}


# 4. The token endpoint refuses the credentials.
