"""Vendors that take a static token or client credentials (SQOD, Loop): which wins, and errors."""

from __future__ import annotations

import base64
import importlib
from typing import Any

import httpx
import pytest

from client_core import AuthenticationError
from tests.conftest import CANARY, Routes, Script, resolve, token_response
from tests.contract.vendors import VENDORS, Vendor

pytestmark = pytest.mark.anyio

OAUTH = [vendor for vendor in VENDORS if vendor.token_url]
each_oauth_vendor = pytest.mark.parametrize("vendor", OAUTH, ids=str)


def prefix(vendor: Vendor) -> str:
    return vendor.base_url_env.removesuffix("BASE_URL")


def routes(vendor: Vendor, token: httpx.Response | None = None) -> Routes:
    token_url = vendor.token_url or ""
    return Routes(
        Script(vendor.send_ok()), Script(token or token_response("fetched")), token_url=token_url
    )


async def send(vendor: Vendor, twin: str, handler: Routes, **options: Any) -> Any:
    client = vendor.build(twin, handler, **{"token": None, **options})
    return await resolve(vendor.send(client, vendor.fake()))


def sent_client_credentials(request: httpx.Request) -> tuple[str, str]:
    """The client id and secret a token request carried, as HTTP Basic or in its form."""
    basic = request.headers.get("Authorization", "")
    if basic.startswith("Basic "):
        client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        return client_id, secret
    form = httpx.QueryParams(request.content.decode())
    return form["client_id"], form["client_secret"]


@each_oauth_vendor
async def test_the_default_token_url_is_the_vendors(vendor: Vendor, twin: str) -> None:
    handler = routes(vendor)

    await send(vendor, twin, handler, client_id="id", client_secret="s")

    package = importlib.import_module(vendor.logger)
    assert vendor.token_url == package.DEFAULT_TOKEN_URL
    assert str(handler.token.requests[0].url) == vendor.token_url


@each_oauth_vendor
async def test_env_client_credentials_are_used_when_nothing_else_is_given(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(prefix(vendor) + "CLIENT_ID", "env-id")
    monkeypatch.setenv(prefix(vendor) + "CLIENT_SECRET", "env-secret")
    handler = routes(vendor)

    await send(vendor, twin, handler)

    (token_request,) = handler.token.requests
    assert sent_client_credentials(token_request) == ("env-id", "env-secret")
    assert handler.api.requests[0].headers["Authorization"] == "Bearer fetched"


@each_oauth_vendor
async def test_explicit_client_credentials_win_over_an_env_token(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(prefix(vendor) + "TOKEN", "env-token")
    handler = routes(vendor)

    await send(vendor, twin, handler, client_id="arg-id", client_secret="arg-secret")

    (token_request,) = handler.token.requests
    assert sent_client_credentials(token_request) == ("arg-id", "arg-secret")
    assert handler.api.requests[0].headers["Authorization"] == "Bearer fetched"


@pytest.mark.parametrize("source", ["argument", "environment"])
@each_oauth_vendor
async def test_a_token_wins_over_client_credentials_from_the_same_source(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    given = {"token": "static", "client_id": "id", "client_secret": "secret"}
    options: dict[str, Any] = given if source == "argument" else {}
    if source == "environment":
        for name, value in given.items():
            monkeypatch.setenv(prefix(vendor) + name.upper(), value)
    handler = routes(vendor)

    await send(vendor, twin, handler, **options)

    assert handler.token.requests == []
    assert handler.api.requests[0].headers["Authorization"] == "Bearer static"


@each_oauth_vendor
async def test_missing_credentials_name_every_option_and_env_var(vendor: Vendor, twin: str) -> None:
    with pytest.raises(ValueError, match="token") as caught:
        vendor.build(twin, routes(vendor), token=None)

    for name in ("token", "client_id", "client_secret"):
        assert name in str(caught.value)
        assert prefix(vendor) + name.upper() in str(caught.value)


@pytest.mark.parametrize("source", ["argument", "environment"])
@pytest.mark.parametrize(
    ("given", "missing"), [("client_id", "client_secret"), ("client_secret", "client_id")]
)
@each_oauth_vendor
async def test_half_of_the_client_credentials_names_the_other_half(
    vendor: Vendor,
    twin: str,
    monkeypatch: pytest.MonkeyPatch,
    source: str,
    given: str,
    missing: str,
) -> None:
    options: dict[str, Any] = {"token": None}
    if source == "argument":
        options[given] = CANARY
    else:
        monkeypatch.setenv(prefix(vendor) + given.upper(), CANARY)

    with pytest.raises(ValueError, match=missing) as caught:
        vendor.build(twin, routes(vendor), **options)

    assert prefix(vendor) + missing.upper() in str(caught.value)
    assert CANARY not in str(caught.value)


@each_oauth_vendor
async def test_the_token_url_must_be_https(vendor: Vendor, twin: str) -> None:
    with pytest.raises(ValueError, match="token_url") as caught:
        vendor.build(
            twin,
            routes(vendor),
            token=None,
            client_id="id",
            client_secret="secret",
            token_url="http://auth.example.com/oauth2/token",
        )

    assert "https" in str(caught.value)


@each_oauth_vendor
async def test_a_token_endpoint_refusal_does_not_echo_the_secret(vendor: Vendor, twin: str) -> None:
    refusal = httpx.Response(
        401, json={"error": "invalid_client", "error_description": "client authentication failed"}
    )
    handler = routes(vendor, token=refusal)

    with pytest.raises(AuthenticationError) as caught:
        await send(vendor, twin, handler, client_id="client-1", client_secret=CANARY)

    assert sent_client_credentials(handler.token.requests[0])[1] == CANARY  # really sent
    assert "invalid_client" in str(caught.value)
    current: BaseException | None = caught.value
    while current is not None:
        assert CANARY not in str(current)
        assert CANARY not in repr(current)
        current = current.__cause__ or current.__context__
    assert handler.api.requests == []
