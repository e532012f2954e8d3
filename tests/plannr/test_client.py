"""Building a Plannr client: credentials, environment fallbacks, base URL, options, lifetime."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from plannr_client import DEFAULT_BASE_URL, AsyncPlannrClient, PlannrClient, RetryPolicy
from tests.conftest import PLANNR_ACCOUNT_UUID, PlannrFactory, Script, resolve
from tests.plannr.payloads import CONVERSATION_UUID, MESSAGES_PATH, message_response

pytestmark = pytest.mark.anyio

ENV_ACCOUNT = "e0e1e2e3-e4e5-4e6e-8e7e-e8e9eaebeced"
ARG_ACCOUNT = "a0a1a2a3-a4a5-4a6a-8a7a-a8a9aaabacad"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PLANNR_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("PLANNR_"):
            monkeypatch.delenv(name)


def client_class(twin: str) -> type[PlannrClient] | type[AsyncPlannrClient]:
    return PlannrClient if twin == "sync" else AsyncPlannrClient


async def send(client: Any) -> Any:
    return await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))


# 1. Defaults and environment fallbacks; explicit arguments win.


async def test_default_base_url_is_plannrs_api(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script)

    await send(client)

    assert DEFAULT_BASE_URL == "https://api.plannrcrm.com"
    assert str(script.requests[0].url) == f"https://api.plannrcrm.com{MESSAGES_PATH}"


async def test_environment_fills_token_account_and_base_url(
    make_plannr: PlannrFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNR_TOKEN", "env-token")
    monkeypatch.setenv("PLANNR_ACCOUNT_UUID", ENV_ACCOUNT)
    monkeypatch.setenv("PLANNR_BASE_URL", "https://env.plannr.test")
    script = Script(message_response())
    client = make_plannr(script, token=None, account_uuid=None)

    await send(client)

    (request,) = script.requests
    assert str(request.url) == f"https://env.plannr.test{MESSAGES_PATH}"
    assert request.headers["Authorization"] == "Bearer env-token"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == ENV_ACCOUNT


async def test_explicit_arguments_win_over_the_environment(
    make_plannr: PlannrFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNR_TOKEN", "env-token")
    monkeypatch.setenv("PLANNR_ACCOUNT_UUID", ENV_ACCOUNT)
    monkeypatch.setenv("PLANNR_BASE_URL", "https://env.plannr.test")
    script = Script(message_response())
    client = make_plannr(
        script, token="arg-token", account_uuid=ARG_ACCOUNT, base_url="https://arg.plannr.test"
    )

    await send(client)

    (request,) = script.requests
    assert str(request.url) == f"https://arg.plannr.test{MESSAGES_PATH}"
    assert request.headers["Authorization"] == "Bearer arg-token"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == ARG_ACCOUNT


@pytest.mark.parametrize(
    ("missing", "env"), [("token", "PLANNR_TOKEN"), ("account_uuid", "PLANNR_ACCOUNT_UUID")]
)
@pytest.mark.parametrize("how", ["absent", "empty-env"])
async def test_missing_credential_names_parameter_and_env_var(
    make_plannr: PlannrFactory,
    monkeypatch: pytest.MonkeyPatch,
    missing: str,
    env: str,
    how: str,
) -> None:
    if how == "empty-env":
        monkeypatch.setenv(env, "")
    script = Script(message_response())

    with pytest.raises(ValueError, match=missing) as caught:
        make_plannr(script, **{missing: None})

    assert env in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize("source", ["argument", "environment"])
@pytest.mark.parametrize(
    "bad",
    [
        "Distinct-Account-77",
        "12345",
        f"{PLANNR_ACCOUNT_UUID}/x-Distinct",
        " " + PLANNR_ACCOUNT_UUID,
    ],
)
async def test_account_uuid_that_is_not_a_uuid_is_refused(
    make_plannr: PlannrFactory, monkeypatch: pytest.MonkeyPatch, source: str, bad: str
) -> None:
    script = Script(message_response())
    if source == "environment":
        monkeypatch.setenv("PLANNR_ACCOUNT_UUID", bad)

    with pytest.raises(ValueError, match="account_uuid") as caught:
        make_plannr(script, account_uuid=bad if source == "argument" else None)

    assert "PLANNR_ACCOUNT_UUID" in str(caught.value)
    assert "Distinct" not in str(caught.value)
    assert script.requests == []


async def test_account_uuid_of_the_wrong_type_is_refused(make_plannr: PlannrFactory) -> None:
    with pytest.raises(ValueError, match="account_uuid"):
        make_plannr(Script(message_response()), account_uuid=12345)


# 2. Base URL checks.


@pytest.mark.parametrize("source", ["argument", "environment"])
@pytest.mark.parametrize(
    "url",
    ["http://api.plannrcrm.com", "ftp://api.plannrcrm.com", "api.plannrcrm.com", "https://"],
)
async def test_base_url_must_be_https(
    make_plannr: PlannrFactory, monkeypatch: pytest.MonkeyPatch, source: str, url: str
) -> None:
    if source == "environment":
        monkeypatch.setenv("PLANNR_BASE_URL", url)
    options = {"base_url": url} if source == "argument" else {}

    with pytest.raises(ValueError, match="base_url") as caught:
        make_plannr(Script(message_response()), **options)

    assert "PLANNR_BASE_URL" in str(caught.value)
    assert "https://" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"]
)
async def test_plain_http_is_allowed_for_loopback(make_plannr: PlannrFactory, url: str) -> None:
    script = Script(message_response())
    client = make_plannr(script, base_url=url)

    await send(client)

    assert str(script.requests[0].url) == f"{url}{MESSAGES_PATH}"


async def test_trailing_slash_on_base_url_is_dropped(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script, base_url="https://api.plannrcrm.com/")

    await send(client)

    assert str(script.requests[0].url) == f"https://api.plannrcrm.com{MESSAGES_PATH}"


# 3. Constructor shape, options and lifetime.


async def test_constructor_is_keyword_only(twin: str) -> None:
    cls = client_class(twin)

    with pytest.raises(TypeError):
        cls("test-token", PLANNR_ACCOUNT_UUID)  # type: ignore[call-arg]


async def test_default_headers_are_sent_without_losing_auth(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script, default_headers={"X-Integration": "acme-crm"})

    await send(client)

    (request,) = script.requests
    assert request.headers["X-Integration"] == "acme-crm"
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == PLANNR_ACCOUNT_UUID
    assert request.headers["Accept"] == "application/json"


async def test_with_options_keeps_auth_and_account_and_shares_the_pool(
    make_plannr: PlannrFactory,
) -> None:
    script = Script(message_response())
    client = make_plannr(script)

    other = client.with_options(timeout=3, max_retries=0, default_headers={"X-Trace": "t-1"})
    await send(other)
    await send(client)

    copied, original = script.requests
    for request in (copied, original):
        assert request.headers["Authorization"] == "Bearer test-token"
        assert request.headers["X-PLANNR-ACCOUNT-UUID"] == PLANNR_ACCOUNT_UUID
        assert request.headers["Accept"] == "application/json"
    assert copied.headers["X-Trace"] == "t-1"
    assert "X-Trace" not in original.headers
    assert copied.extensions["timeout"]["read"] == 3
    assert original.extensions["timeout"]["read"] == 30
    assert other._http is client._http
    assert isinstance(other, type(client))


async def test_timeout_defaults_and_a_number_sets_every_phase(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())

    await send(make_plannr(script))
    await send(make_plannr(script, timeout=12.5))

    default, custom = (r.extensions["timeout"] for r in script.requests)
    assert (default["connect"], default["read"], default["write"]) == (5.0, 30.0, 30.0)
    assert set(custom.values()) == {12.5}


async def test_context_manager_closes_its_own_pool(twin: str) -> None:
    options: dict[str, Any] = {"token": "test-token", "account_uuid": PLANNR_ACCOUNT_UUID}
    if twin == "sync":
        with PlannrClient(**options) as sync_client:
            assert isinstance(sync_client, PlannrClient)
            assert not sync_client._http.is_closed
        assert sync_client._http.is_closed
    else:
        async with AsyncPlannrClient(**options) as async_client:
            assert isinstance(async_client, AsyncPlannrClient)
            assert not async_client._http.is_closed
        assert async_client._http.is_closed


PASSED_IN_OPTIONS: dict[str, Any] = {
    "token": "test-token",
    "account_uuid": PLANNR_ACCOUNT_UUID,
    "retry_policy": RetryPolicy.no_wait(),
}


def _sync_passed_in_pool_after_with(script: Script) -> bool:
    """Use a sync client with a caller's pool in `with`; whether the pool was still open."""
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        with PlannrClient(http_client=http, **PASSED_IN_OPTIONS) as client:
            client.conversations.send_message(CONVERSATION_UUID, contents="hi")
        return not http.is_closed


async def test_context_manager_leaves_a_passed_in_pool_open(twin: str) -> None:
    script = Script(message_response())
    if twin == "sync":
        still_open = _sync_passed_in_pool_after_with(script)
    else:
        async with httpx.AsyncClient(transport=httpx.MockTransport(script)) as http:
            async with AsyncPlannrClient(http_client=http, **PASSED_IN_OPTIONS) as client:
                await client.conversations.send_message(CONVERSATION_UUID, contents="hi")
            still_open = not http.is_closed

    assert still_open
    assert len(script.requests) == 1


async def test_close_methods_close_the_pool(twin: str) -> None:
    options: dict[str, Any] = {"token": "test-token", "account_uuid": PLANNR_ACCOUNT_UUID}
    if twin == "sync":
        sync_client = PlannrClient(**options)
        sync_client.close()
        assert sync_client._http.is_closed
    else:
        async_client = AsyncPlannrClient(**options)
        await async_client.aclose()
        assert async_client._http.is_closed
