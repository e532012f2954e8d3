"""SQOD client construction beyond the contract suite: the built-in pool, timeouts, retries."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import respx

from sqod_client import InternalServerError, RetryPolicy, SqodClient
from tests.conftest import (
    APPOINTMENT_ID,
    BASE_URL,
    Script,
    message_json,
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


# 1. Environment fallbacks for a client with its own pool.


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


# 2. SQOD has no default base_url, so an empty one is refused too.


@pytest.mark.parametrize(
    "url", ["http://example.com", "http://example.com:8000/api", "ftp://x.test", "x.test", ""]
)
def test_base_url_that_is_not_https_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        SqodClient(base_url=url, token="t")

    if url:
        assert "https" in str(caught.value)


# 3. Timeouts, as seen on the request the client sends.


def _timeout_of(client: SqodClient, script: Script) -> dict[str, float | None]:
    send(client)
    timeout: dict[str, float | None] = script.requests[-1].extensions["timeout"]
    return timeout


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


# 4. with_options and retry settings.


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
