"""Building a Loop comms client: credentials, environment fallbacks, URLs, lifetimes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from loop_comms_client import (
    DEFAULT_BASE_URL,
    DEFAULT_TOKEN_URL,
    AsyncLoopCommsClient,
    LoopCommsClient,
    RetryPolicy,
)
from tests.conftest import LOOP_TOKEN_URL, Routes, Script, resolve, token_response
from tests.loop_comms.conftest import MESSAGE_ID, sent

pytestmark = pytest.mark.anyio


def build(twin: str, handler: Any, **options: Any) -> Any:
    """A twin around `handler` with exactly the given options (no default credentials)."""
    transport = httpx.MockTransport(handler)
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    if twin == "sync":
        return LoopCommsClient(http_client=httpx.Client(transport=transport), **options)
    return AsyncLoopCommsClient(http_client=httpx.AsyncClient(transport=transport), **options)


def client_class(twin: str) -> Any:
    """The class under test, untyped so tests can pass what a type checker would refuse."""
    return LoopCommsClient if twin == "sync" else AsyncLoopCommsClient


async def get(client: Any) -> Any:
    return await resolve(client.messages.get(MESSAGE_ID))


# 1. Defaults.


async def test_default_urls_are_loops_production_services() -> None:
    assert DEFAULT_BASE_URL == "https://comms.platform.loop.health"
    assert DEFAULT_TOKEN_URL == LOOP_TOKEN_URL


async def test_requests_go_to_the_default_base_url(twin: str) -> None:
    script = Script(sent())
    client = build(twin, script, token="t")

    await get(client)

    assert (
        str(script.requests[0].url)
        == f"https://comms.platform.loop.health/v1/messages/{MESSAGE_ID}"
    )


async def test_default_timeout_is_30s_with_5s_to_connect(twin: str) -> None:
    script = Script(sent())
    client = build(twin, script, token="t")

    await get(client)

    assert script.requests[0].extensions["timeout"] == {
        "connect": 5.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }


# 2. Credentials from arguments and the environment.


async def test_env_token_and_base_url_are_used(twin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOP_COMMS_TOKEN", "env-token")
    monkeypatch.setenv("LOOP_COMMS_BASE_URL", "https://comms.staging.loop.test/")
    script = Script(sent())
    client = build(twin, script)

    await get(client)

    (request,) = script.requests
    assert str(request.url) == f"https://comms.staging.loop.test/v1/messages/{MESSAGE_ID}"
    assert request.headers["Authorization"] == "Bearer env-token"


async def test_explicit_arguments_win_over_the_environment(
    twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOP_COMMS_TOKEN", "env-token")
    monkeypatch.setenv("LOOP_COMMS_BASE_URL", "https://comms.staging.loop.test")
    script = Script(sent())
    client = build(twin, script, token="arg-token", base_url="https://comms.eu.loop.test")

    await get(client)

    (request,) = script.requests
    assert request.url.host == "comms.eu.loop.test"
    assert request.headers["Authorization"] == "Bearer arg-token"


async def test_env_client_credentials_are_used_when_nothing_else_is_given(
    twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOP_COMMS_CLIENT_ID", "env-id")
    monkeypatch.setenv("LOOP_COMMS_CLIENT_SECRET", "env-secret")
    routes = Routes(Script(sent()), Script(token_response("env-access")), token_url=LOOP_TOKEN_URL)
    client = build(twin, routes)

    await get(client)

    form = httpx.QueryParams(routes.token.requests[0].content.decode())
    assert (form["client_id"], form["client_secret"]) == ("env-id", "env-secret")
    assert routes.api.requests[0].headers["Authorization"] == "Bearer env-access"


async def test_explicit_client_credentials_win_over_an_env_token(
    twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOP_COMMS_TOKEN", "env-token")
    routes = Routes(Script(sent()), Script(token_response("fresh")), token_url=LOOP_TOKEN_URL)
    client = build(twin, routes, client_id="arg-id", client_secret="arg-secret")

    await get(client)

    assert len(routes.token.requests) == 1
    assert routes.api.requests[0].headers["Authorization"] == "Bearer fresh"


async def test_explicit_token_wins_over_explicit_client_credentials(twin: str) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = build(twin, routes, token="static", client_id="id", client_secret="secret")

    await get(client)

    assert routes.token.requests == []
    assert routes.api.requests[0].headers["Authorization"] == "Bearer static"


async def test_env_token_wins_over_env_client_credentials(
    twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOP_COMMS_TOKEN", "env-token")
    monkeypatch.setenv("LOOP_COMMS_CLIENT_ID", "env-id")
    monkeypatch.setenv("LOOP_COMMS_CLIENT_SECRET", "env-secret")
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = build(twin, routes)

    await get(client)

    assert routes.token.requests == []
    assert routes.api.requests[0].headers["Authorization"] == "Bearer env-token"


async def test_missing_credentials_name_every_option_and_env_var(twin: str) -> None:
    with pytest.raises(ValueError, match="token") as caught:
        client_class(twin)()

    text = str(caught.value)
    for name in (
        "token",
        "client_id",
        "client_secret",
        "LOOP_COMMS_TOKEN",
        "LOOP_COMMS_CLIENT_ID",
        "LOOP_COMMS_CLIENT_SECRET",
    ):
        assert name in text


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"client_id": "id"}, "client_secret"),
        ({"client_secret": "secret-xyz"}, "client_id"),
    ],
)
async def test_half_of_the_client_credentials_names_the_other_half(
    twin: str, given: dict[str, str], missing: str
) -> None:
    with pytest.raises(ValueError, match=missing) as caught:
        client_class(twin)(**given)

    assert f"LOOP_COMMS_{missing.upper()}" in str(caught.value)
    assert "secret-xyz" not in str(caught.value)


async def test_half_credentials_in_the_environment_name_the_other_half(
    twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOP_COMMS_CLIENT_ID", "env-id")

    with pytest.raises(ValueError, match="LOOP_COMMS_CLIENT_SECRET"):
        client_class(twin)()


async def test_constructor_is_keyword_only(twin: str) -> None:
    with pytest.raises(TypeError):
        client_class(twin)("a-token")


async def test_a_misspelt_option_is_a_type_error(twin: str) -> None:
    with pytest.raises(TypeError, match="max_retry"):
        client_class(twin)(token="t", max_retry=3)


# 3. URLs must be https (plain http only for loopback).


@pytest.mark.parametrize(
    "url", ["http://comms.platform.loop.health", "ftp://comms.loop.test", "comms.loop.test"]
)
async def test_base_url_that_is_not_https_is_refused(twin: str, url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        client_class(twin)(token="t", base_url=url)


async def test_env_base_url_is_checked_too(twin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOP_COMMS_BASE_URL", "http://comms.platform.loop.health")

    with pytest.raises(ValueError, match="LOOP_COMMS_BASE_URL"):
        client_class(twin)(token="t")


@pytest.mark.parametrize(
    "url", ["http://localhost:8080", "http://127.0.0.1:9000", "http://[::1]:8000"]
)
async def test_loopback_http_is_allowed(twin: str, url: str) -> None:
    script = Script(sent())
    client = build(twin, script, token="t", base_url=url)

    await get(client)

    assert str(script.requests[0].url) == f"{url}/v1/messages/{MESSAGE_ID}"


async def test_token_url_must_be_https(twin: str) -> None:
    with pytest.raises(ValueError, match="token_url"):
        client_class(twin)(client_id="id", client_secret="s", token_url="http://identity.loop.test")


# 4. Lifetimes.


async def test_with_block_closes_the_built_in_http_client() -> None:
    with LoopCommsClient(token="t") as client:
        http = client._http
        assert not http.is_closed

    assert http.is_closed


async def test_async_with_block_closes_the_built_in_http_client() -> None:
    async with AsyncLoopCommsClient(token="t") as client:
        http = client._http
        assert not http.is_closed

    assert http.is_closed


async def test_closing_leaves_a_passed_in_http_client_open(twin: str) -> None:
    client = build(twin, Script(sent()), token="t")
    http = client._http

    await resolve(client.close() if twin == "sync" else client.aclose())

    assert not http.is_closed


async def test_with_blocks_serve_calls(twin: str) -> None:
    script = Script(sent())
    client = build(twin, script, token="t")

    if twin == "sync":
        with client as opened:
            result = opened.messages.get(MESSAGE_ID)
    else:
        async with client as opened:
            result = await opened.messages.get(MESSAGE_ID)

    assert opened is client
    assert result.message_id == MESSAGE_ID
    assert len(script.requests) == 1


async def test_with_options_returns_the_same_class_sharing_the_pool(twin: str) -> None:
    client = build(twin, Script(sent()), token="t")

    other = client.with_options(max_retries=0)

    assert type(other) is type(client)
    assert other._http is client._http
