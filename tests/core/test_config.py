"""Client construction: environment fallbacks, credential checks, URLs, timeouts, lifetimes."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import respx

from sqod_client import AsyncSqodClient, InternalServerError, RetryPolicy, SqodClient
from tests.conftest import (
    APPOINTMENT_ID,
    BASE_URL,
    TOKEN_URL,
    Routes,
    Script,
    message_json,
    token_response,
)

MESSAGES_PATH = f"/api/v1/appointments/{APPOINTMENT_ID}/messages"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SQOD_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("SQOD_"):
            monkeypatch.delenv(name)


def mock_client(handler: Any, **options: Any) -> SqodClient:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    return SqodClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)


def send(client: SqodClient) -> None:
    client.appointments.send_message(APPOINTMENT_ID, message="hi")


def created() -> httpx.Response:
    return httpx.Response(201, json=message_json())


# 1. Environment fallbacks; explicit arguments win.


def test_env_base_url_and_token_build_a_working_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQOD_BASE_URL", "https://env.sqod.test")
    monkeypatch.setenv("SQOD_TOKEN", "env-token")

    with respx.mock:
        route = respx.post(f"https://env.sqod.test{MESSAGES_PATH}").respond(
            201, json=message_json()
        )
        with SqodClient() as client:
            send(client)

    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == "Bearer env-token"


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQOD_BASE_URL", "https://env.sqod.test")
    monkeypatch.setenv("SQOD_TOKEN", "env-token")
    script = Script(created())

    with mock_client(script, base_url=BASE_URL, token="arg-token") as client:
        send(client)

    (request,) = script.requests
    assert str(request.url) == f"{BASE_URL}{MESSAGES_PATH}"
    assert request.headers["Authorization"] == "Bearer arg-token"


def test_explicit_client_credentials_win_over_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQOD_TOKEN", "env-token")
    routes = Routes(api=Script(created()), token=Script(token_response("fetched")))

    with mock_client(
        routes, base_url=BASE_URL, client_id="arg-id", client_secret="arg-secret"
    ) as client:
        send(client)

    assert len(routes.token.requests) == 1
    assert routes.api.requests[0].headers["Authorization"] == "Bearer fetched"


def test_env_client_credentials_are_used_when_nothing_else_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SQOD_CLIENT_ID", "env-id")
    monkeypatch.setenv("SQOD_CLIENT_SECRET", "env-secret")
    routes = Routes(api=Script(created()), token=Script(token_response("fetched")))

    with mock_client(routes, base_url=BASE_URL) as client:
        send(client)

    assert len(routes.token.requests) == 1
    assert routes.api.requests[0].headers["Authorization"] == "Bearer fetched"


def test_explicit_token_wins_over_explicit_client_credentials() -> None:
    routes = Routes(api=Script(created()), token=Script(token_response("fetched")))

    with mock_client(
        routes, base_url=BASE_URL, token="arg-token", client_id="id", client_secret="secret"
    ) as client:
        send(client)

    assert routes.token.requests == []
    assert routes.api.requests[0].headers["Authorization"] == "Bearer arg-token"


def test_env_token_wins_over_env_client_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQOD_TOKEN", "env-token")
    monkeypatch.setenv("SQOD_CLIENT_ID", "env-id")
    monkeypatch.setenv("SQOD_CLIENT_SECRET", "env-secret")
    routes = Routes(api=Script(created()), token=Script(token_response("fetched")))

    with mock_client(routes, base_url=BASE_URL) as client:
        send(client)

    assert routes.token.requests == []
    assert routes.api.requests[0].headers["Authorization"] == "Bearer env-token"


# 2. Missing credentials and base_url.


def test_missing_credentials_name_every_option_and_env_var() -> None:
    with pytest.raises(ValueError, match="token") as caught:
        SqodClient(base_url=BASE_URL)

    text = str(caught.value)
    for name in ("token", "SQOD_TOKEN", "client_id", "SQOD_CLIENT_ID"):
        assert name in text


def test_client_id_without_secret_names_client_secret() -> None:
    with pytest.raises(ValueError, match="client_secret") as caught:
        SqodClient(base_url=BASE_URL, client_id="id")

    assert "SQOD_CLIENT_SECRET" in str(caught.value)


def test_missing_base_url_names_it_and_its_env_var() -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        SqodClient(token="t")

    assert "SQOD_BASE_URL" in str(caught.value)


# 3. base_url and token_url must be https (plain http only for loopback).


@pytest.mark.parametrize(
    "url", ["http://example.com", "http://example.com:8000/api", "ftp://x.test", "x.test", ""]
)
def test_base_url_that_is_not_https_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        SqodClient(base_url=url, token="t")

    if url:
        assert "https" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8000", "http://127.0.0.1:9", "http://[::1]:8080", "https://x"],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    SqodClient(base_url=url, token="t").close()


def test_trailing_slash_is_stripped_from_base_url() -> None:
    script = Script(created())

    with mock_client(script, base_url="https://x/", token="t") as client:
        send(client)

    assert str(script.requests[0].url) == f"https://x{MESSAGES_PATH}"


def test_env_base_url_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQOD_BASE_URL", "http://env.example.com")

    with pytest.raises(ValueError, match="SQOD_BASE_URL"):
        SqodClient(token="t")


def test_token_url_must_be_https() -> None:
    with pytest.raises(ValueError, match="token_url") as caught:
        SqodClient(
            base_url=BASE_URL,
            client_id="id",
            client_secret="secret",
            token_url="http://auth.example.com/oauth2/token",
        )

    assert "https" in str(caught.value)


def test_default_token_url_is_sqods_cognito_endpoint() -> None:
    routes = Routes(api=Script(created()), token=Script(token_response()))

    with mock_client(routes, base_url=BASE_URL, client_id="id", client_secret="s") as client:
        send(client)

    assert str(routes.token.requests[0].url) == TOKEN_URL


# 4. Timeouts, as seen on the request the client sends.


def _timeout_of(client: SqodClient, script: Script) -> dict[str, float | None]:
    send(client)
    timeout: dict[str, float | None] = script.requests[-1].extensions["timeout"]
    return timeout


def test_default_timeout_is_30s_with_5s_to_connect() -> None:
    script = Script(created())

    with mock_client(script, base_url=BASE_URL, token="t") as client:
        assert _timeout_of(client, script) == {
            "connect": 5.0,
            "read": 30.0,
            "write": 30.0,
            "pool": 30.0,
        }


def test_default_timeout_is_used_by_the_built_in_http_client() -> None:
    with respx.mock:
        route = respx.post(f"{BASE_URL}{MESSAGES_PATH}").respond(201, json=message_json())
        with SqodClient(base_url=BASE_URL, token="t") as client:
            send(client)

    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }


def test_a_number_sets_every_timeout_phase() -> None:
    script = Script(created())

    with mock_client(script, base_url=BASE_URL, token="t", timeout=2.5) as client:
        assert set(_timeout_of(client, script).values()) == {2.5}


def test_an_httpx_timeout_passes_through() -> None:
    script = Script(created())
    timeout = httpx.Timeout(10, connect=1)

    with mock_client(script, base_url=BASE_URL, token="t", timeout=timeout) as client:
        assert _timeout_of(client, script) == {
            "connect": 1.0,
            "read": 10.0,
            "write": 10.0,
            "pool": 10.0,
        }


def test_with_options_timeout_changes_only_the_copy() -> None:
    script = Script(created())

    with mock_client(script, base_url=BASE_URL, token="t") as client:
        assert set(_timeout_of(client.with_options(timeout=1), script).values()) == {1.0}
        assert _timeout_of(client, script)["read"] == 30.0
        assert _timeout_of(client, script)["connect"] == 5.0


# 5. Context managers and close().


def test_with_block_closes_the_built_in_http_client() -> None:
    with SqodClient(base_url=BASE_URL, token="t") as client:
        http = client._http
        assert not http.is_closed

    assert http.is_closed


def test_close_leaves_a_passed_in_http_client_open() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Script(created())))

    with SqodClient(base_url=BASE_URL, token="t", http_client=http) as client:
        pass
    client.close()

    assert not http.is_closed
    http.close()


@pytest.mark.anyio
async def test_async_with_block_closes_the_built_in_http_client() -> None:
    async with AsyncSqodClient(base_url=BASE_URL, token="t") as client:
        http = client._http
        assert not http.is_closed

    assert http.is_closed


@pytest.mark.anyio
async def test_aclose_leaves_a_passed_in_http_client_open() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(Script(created())))

    async with AsyncSqodClient(base_url=BASE_URL, token="t", http_client=http) as client:
        pass
    await client.aclose()

    assert not http.is_closed
    await http.aclose()


@pytest.mark.anyio
async def test_aclose_closes_the_built_in_http_client() -> None:
    client = AsyncSqodClient(base_url=BASE_URL, token="t")

    await client.aclose()

    assert client._http.is_closed


# 6. with_options.


def test_with_options_returns_a_client_of_the_same_class() -> None:
    with SqodClient(base_url=BASE_URL, token="t") as client:
        assert type(client.with_options(max_retries=0)) is SqodClient
    async_client = AsyncSqodClient(base_url=BASE_URL, token="t")
    assert type(async_client.with_options(max_retries=0)) is AsyncSqodClient


def test_with_options_leaves_the_original_unchanged() -> None:
    script = Script(created())

    with mock_client(script, base_url=BASE_URL, token="t") as client:
        copy = client.with_options(default_headers={"X-Trace": "t-1"}, timeout=3)
        send(copy)
        send(client)

    copied, original = script.requests
    assert copied.headers["X-Trace"] == "t-1"
    assert copied.extensions["timeout"]["read"] == 3.0
    assert "X-Trace" not in original.headers
    assert original.extensions["timeout"]["read"] == 30.0


def test_with_options_max_retries_applies_to_the_copy_only() -> None:
    script = Script(httpx.Response(503), httpx.Response(503), httpx.Response(200, json=[]))

    with mock_client(script, base_url=BASE_URL, token="t") as client:
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=0).appointments.list()
        assert len(script.requests) == 1
        client.appointments.list()

    assert len(script.requests) == 3


def test_with_options_shares_the_connection_pool() -> None:
    with SqodClient(base_url=BASE_URL, token="t") as client:
        copy = client.with_options(timeout=1)
        assert copy._http is client._http
        copy.close()
        assert not client._http.is_closed


# 4. Shared options arrive as typed keywords; a misspelt one is an error, not ignored.


@pytest.mark.parametrize("option", ["timeuot", "max_retry", "headers"])
def test_a_misspelt_option_is_a_type_error(option: str) -> None:
    options: dict[str, Any] = {option: 1}
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{option}'"):
        SqodClient(base_url=BASE_URL, token="t", **options)


def test_retry_policy_replaces_max_retries() -> None:
    script = Script(httpx.Response(503))
    client = mock_client(
        script, base_url=BASE_URL, token="t", max_retries=5, retry_policy=RetryPolicy.no_wait(1)
    )

    with pytest.raises(InternalServerError):
        client.appointments.list()

    assert len(script.requests) == 2


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries must be 0 or more"):
        SqodClient(base_url=BASE_URL, token="t", max_retries=-1)
