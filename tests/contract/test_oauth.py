"""Vendors that take a static token or client credentials (SQOD, Loop): which wins, and errors."""

from __future__ import annotations

import base64
import importlib
from typing import Any

import httpx
import pytest

from client_core import AuthenticationError, ConflictError, raw_response
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


# Client credentials: one token shared and reused, refreshed once on a 401.

CREDENTIALS = {"token": None, "client_id": "client-1", "client_secret": "secret-1"}


def recorded(handler: Routes, seen: list[str]) -> Any:
    """The API's Authorization header as it was when sent (a repeat reuses the request)."""

    def record(request: httpx.Request) -> httpx.Response:
        if handler.token_url and not str(request.url).startswith(handler.token_url):
            seen.append(f"{request.headers['Authorization']} {request.content!r}")
        return handler(request)

    return record


def oauth(vendor: Vendor, api: list[Any], *token: Any) -> Routes:
    """API answers as given; the token endpoint answers each step, a str being a token."""
    steps = [token_response(t) if isinstance(t, str) else t for t in token]
    return Routes(Script(*api), Script(*steps), token_url=vendor.token_url or "")


def unauthorized(vendor: Vendor) -> httpx.Response:
    return httpx.Response(401, json=vendor.error_json("token expired"))


@each_oauth_vendor
async def test_the_token_is_fetched_once_and_shared_with_with_options_copies(
    vendor: Vendor, twin: str
) -> None:
    handler = oauth(vendor, [vendor.send_ok(), vendor.read_ok(), vendor.send_ok()], "access-1")
    client = vendor.build(twin, handler, **CREDENTIALS)

    await resolve(vendor.send(client, vendor.fake()))
    await resolve(vendor.read(client, vendor.read_id))
    await resolve(vendor.send(client.with_options(max_retries=0), vendor.fake()))

    assert len(handler.token.requests) == 1
    assert [r.headers["Authorization"] for r in handler.api.requests] == ["Bearer access-1"] * 3


@each_oauth_vendor
async def test_a_custom_token_url_is_honoured(vendor: Vendor, twin: str) -> None:
    custom = "https://identity.staging.vendor.test/v1/tokens"
    handler = Routes(
        Script(vendor.send_ok()), Script(token_response("staging-1")), token_url=custom
    )
    client = vendor.build(twin, handler, token_url=custom, **CREDENTIALS)

    await resolve(vendor.send(client, vendor.fake()))

    (token_request,) = handler.token.requests
    assert str(token_request.url) == custom
    assert handler.api.requests[0].headers["Authorization"] == "Bearer staging-1"


@each_oauth_vendor
async def test_the_token_request_has_the_clients_timeout_accept_and_user_agent(
    vendor: Vendor, twin: str
) -> None:
    handler = routes(vendor)
    client = vendor.build(twin, handler, timeout=2.5, **CREDENTIALS)

    await resolve(vendor.send(client, vendor.fake()))

    (token_request,) = handler.token.requests
    api_timeout = handler.api.requests[0].extensions["timeout"]
    assert api_timeout == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert token_request.extensions["timeout"] == api_timeout
    assert token_request.method == "POST"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token_request.headers["Accept"] == "application/json"
    assert token_request.headers["User-Agent"].startswith("care-messaging-clients/")
    assert vendor.logger in token_request.headers["User-Agent"]


@pytest.mark.parametrize("kind", ["send", "read"])
@each_oauth_vendor
async def test_a_401_fetches_a_new_token_and_repeats_the_call_once(
    vendor: Vendor, twin: str, kind: str
) -> None:
    ok = vendor.send_ok() if kind == "send" else vendor.read_ok()
    handler = oauth(vendor, [unauthorized(vendor), ok], "t1", "t2")
    seen: list[str] = []
    client = vendor.build(twin, recorded(handler, seen), **CREDENTIALS)

    result = await resolve(vendor.call(kind, client))

    assert len(handler.token.requests) == 2
    first, repeat = seen
    assert first.startswith("Bearer t1 ")
    assert repeat.startswith("Bearer t2 ")
    assert first.removeprefix("Bearer t1 ") == repeat.removeprefix("Bearer t2 ")  # same body
    assert raw_response(result).retries_taken == 0


@each_oauth_vendor
async def test_the_401_refresh_does_not_use_up_max_retries(vendor: Vendor, twin: str) -> None:
    handler = oauth(vendor, [unauthorized(vendor), vendor.send_ok()], "t1", "t2")
    client = vendor.build(twin, handler, max_retries=0, retry_policy=None, **CREDENTIALS)

    await resolve(vendor.send(client, vendor.fake()))

    assert len(handler.api.requests) == 2


@each_oauth_vendor
async def test_a_second_401_raises_without_looping(vendor: Vendor, twin: str) -> None:
    handler = oauth(vendor, [unauthorized(vendor)], "t1", "t2", "t3")
    client = vendor.build(twin, handler, **CREDENTIALS)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    assert caught.value.status_code == 401
    assert vendor.error_text("token expired") in str(caught.value)
    assert (len(handler.api.requests), len(handler.token.requests)) == (2, 2)


@pytest.mark.parametrize("kind", ["send", "read"])
@pytest.mark.parametrize("status", [400, 401])
@each_oauth_vendor
async def test_a_token_endpoint_refusal_raises_and_never_calls_the_api(
    vendor: Vendor, twin: str, status: int, kind: str
) -> None:
    refusal = httpx.Response(
        status,
        json={"error": "invalid_client", "error_description": "Client authentication failed"},
    )
    handler = routes(vendor, token=refusal)
    client = vendor.build(twin, handler, **CREDENTIALS)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(vendor.call(kind, client))

    text = str(caught.value)
    for part in (str(status), "invalid_client", "Client authentication failed"):
        assert part in text
    assert "check client_id and client_secret" in text
    assert handler.api.requests == []
    assert len(handler.token.requests) == 1


@pytest.mark.parametrize(
    "failure", [503, httpx.ConnectError, httpx.ReadTimeout], ids=["503", "connect", "timeout"]
)
@each_oauth_vendor
async def test_a_failed_token_fetch_is_retried_and_the_send_goes_out_once(
    vendor: Vendor, twin: str, failure: Any
) -> None:
    # The token endpoint failed, so the message itself had not gone out: repeating is safe.
    first = httpx.Response(failure) if isinstance(failure, int) else failure
    handler = oauth(vendor, [vendor.send_ok()], first, "t1")
    client = vendor.build(twin, handler, **CREDENTIALS)

    result = await resolve(vendor.send(client, vendor.fake()))

    assert len(handler.token.requests) == 2
    (api_request,) = handler.api.requests
    assert api_request.headers["Authorization"] == "Bearer t1"
    assert raw_response(result).status_code == vendor.send_ok().status_code


@pytest.mark.parametrize("before", ["401-refresh", "token-timeout"])
@each_oauth_vendor
async def test_a_409_after_an_auth_hiccup_does_not_claim_an_earlier_attempt(
    vendor: Vendor, twin: str, before: str
) -> None:
    # A 401, or a lost token answer, means the vendor did nothing with the message yet.
    duplicate = httpx.Response(409, json=vendor.error_json("dedup key already used"))
    api = [unauthorized(vendor), duplicate] if before == "401-refresh" else [duplicate]
    token = httpx.ReadTimeout if before == "token-timeout" else "t1"
    handler = oauth(vendor, api, token, "t2")
    client = vendor.build(twin, handler, **CREDENTIALS)

    with pytest.raises(ConflictError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    assert caught.value.earlier_attempt_probably_accepted is False
    assert "probably accepted" not in str(caught.value)
    assert len(handler.api.requests) == len(api)
