"""Client-credentials tokens (fetch, cache, expiry, sharing, 401 refresh) and the auth flows."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx
import pytest

from client_core.kit import BearerAuth, ClientCredentialsAuth, HeaderAuth
from sqod_client import (
    AsyncSqodClient,
    ResponseValidationError,
    RetryPolicy,
    SqodClient,
)
from tests.conftest import (
    APPOINTMENT_ID,
    BASE_URL,
    TOKEN_URL,
    Routes,
    Script,
    SqodFactory,
    message_json,
    resolve,
    token_response,
)

pytestmark = pytest.mark.anyio

CREDENTIALS = {"client_id": "client-1", "client_secret": "secret-1"}


def recorded(
    routes: Routes, seen: list[tuple[str, str | None]]
) -> Callable[[httpx.Request], httpx.Response]:
    """Note each request's host and Authorization header as it was when sent.

    The client may send the same request object twice (a repeat after a 401), so the header
    has to be read at the moment of sending, not afterwards from `Script.requests`.
    """

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("Authorization")))
        return routes(request)

    return handler


def api_auth(seen: list[tuple[str, str | None]]) -> list[str | None]:
    return [auth for host, auth in seen if host != httpx.URL(TOKEN_URL).host]


async def send(client: SqodClient | AsyncSqodClient) -> Any:
    return await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))


# 1. The first call fetches a token the way SQOD's Cognito expects it.


async def test_first_call_fetches_a_token_with_basic_auth_then_sends_bearer(
    make_sqod: SqodFactory,
) -> None:
    routes = Routes(
        api=Script(httpx.Response(201, json=message_json())),
        token=Script(token_response("access-1")),
    )
    client = make_sqod(routes, **CREDENTIALS)

    await send(client)

    (token_request,) = routes.token.requests
    assert token_request.method == "POST"
    assert str(token_request.url) == "https://auth.app.sqod.co.uk/oauth2/token"
    expected = base64.b64encode(b"client-1:secret-1").decode("ascii")
    assert token_request.headers["Authorization"] == f"Basic {expected}"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token_request.content == b"grant_type=client_credentials"
    (api_request,) = routes.api.requests
    assert api_request.headers["Authorization"] == "Bearer access-1"


# 2. Expiry: refreshed once the clock passes expiry minus the leeway.


@pytest.mark.parametrize(
    ("expires_in", "refresh_at"),
    [(120, 108.0), (3600, 3540.0)],
    ids=["short-lived-leeway-tenth", "hour-leeway-60s"],
)
async def test_token_is_refreshed_shortly_before_it_expires(
    make_sqod: SqodFactory, monkeypatch: pytest.MonkeyPatch, expires_in: int, refresh_at: float
) -> None:
    now = [1000.0]
    # the clock client_core._auth reads (time.monotonic); nothing else is patched
    monkeypatch.setattr("client_core._auth.time.monotonic", lambda: now[0])
    seen: list[tuple[str, str | None]] = []
    routes = Routes(
        api=Script(httpx.Response(201, json=message_json())),
        token=Script(token_response("t1", expires_in), token_response("t2", expires_in)),
    )
    client = make_sqod(recorded(routes, seen), **CREDENTIALS)

    await send(client)
    now[0] = 1000.0 + refresh_at - 0.01
    await send(client)
    assert len(routes.token.requests) == 1

    now[0] = 1000.0 + refresh_at
    await send(client)
    await send(client)

    assert len(routes.token.requests) == 2
    assert api_auth(seen) == ["Bearer t1", "Bearer t1", "Bearer t2", "Bearer t2"]


# 3. Concurrent calls share one fetch.


def async_credentials_client(handler: Callable[[httpx.Request], Any]) -> AsyncSqodClient:
    """An async client on client credentials whose transport is an async `handler`."""
    return AsyncSqodClient(
        base_url=BASE_URL,
        retry_policy=RetryPolicy.no_wait(),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        client_id=CREDENTIALS["client_id"],
        client_secret=CREDENTIALS["client_secret"],
    )


async def test_concurrent_async_calls_share_one_token_fetch() -> None:
    token_requests: list[httpx.Request] = []
    api_auth_headers: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            token_requests.append(request)
            await anyio.sleep(0.05)
            return token_response("shared")
        api_auth_headers.append(request.headers["Authorization"])
        return httpx.Response(201, json=message_json())

    client = async_credentials_client(handler)
    async with client, anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(send, client)

    assert len(token_requests) == 1
    assert api_auth_headers == ["Bearer shared"] * 10


def test_concurrent_threads_share_one_token_fetch() -> None:
    token_requests: list[httpx.Request] = []
    api_auth_headers: list[str] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            with lock:
                token_requests.append(request)
            time.sleep(0.05)
            return token_response("shared")
        with lock:
            api_auth_headers.append(request.headers["Authorization"])
        return httpx.Response(201, json=message_json())

    client = SqodClient(
        base_url=BASE_URL,
        retry_policy=RetryPolicy.no_wait(),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        client_id="client-1",
        client_secret="secret-1",
    )
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        try:
            client.appointments.send_message(APPOINTMENT_ID, message="hi")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    client.close()

    assert errors == []
    assert len(token_requests) == 1
    assert api_auth_headers == ["Bearer shared"] * 8


# 4. Token endpoint failures.


async def test_token_answer_without_access_token_raises_response_validation_error(
    make_sqod: SqodFactory,
) -> None:
    routes = Routes(
        api=Script(httpx.Response(201, json=message_json())),
        token=Script(httpx.Response(200, json={"token_type": "Bearer", "expires_in": 3600})),
    )
    client = make_sqod(routes, **CREDENTIALS)

    with pytest.raises(ResponseValidationError):
        await send(client)

    assert routes.api.requests == []


async def test_concurrent_401s_share_one_refresh() -> None:
    token_requests: list[httpx.Request] = []
    tokens = iter(["t1", "t2", "t3"])
    api_auth_headers: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            token_requests.append(request)
            await anyio.sleep(0.05)
            return token_response(next(tokens))
        api_auth_headers.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer t1":
            return httpx.Response(401, json={"message": "Unauthenticated."})
        return httpx.Response(201, json=message_json())

    client = async_credentials_client(handler)
    async with client, anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(send, client)

    assert len(token_requests) == 2
    assert sorted(api_auth_headers) == ["Bearer t1"] * 5 + ["Bearer t2"] * 5


# 5. The auth flows on a bare httpx.Client.


def _echo_client(
    auth: httpx.Auth, handler: Callable[[httpx.Request], httpx.Response]
) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), auth=auth)


def test_bearer_auth_sets_the_authorization_header() -> None:
    script = Script(httpx.Response(200))

    with _echo_client(BearerAuth("abc"), script) as http:
        http.get("https://api.test/x")

    assert script.requests[0].headers["Authorization"] == "Bearer abc"


def test_header_auth_sets_every_header() -> None:
    script = Script(httpx.Response(200))
    auth = HeaderAuth({"x-api-key": "k-1", "x-practice-group-id": "42"})

    with _echo_client(auth, script) as http:
        http.get("https://api.test/x")

    headers = script.requests[0].headers
    assert headers["x-api-key"] == "k-1"
    assert headers["x-practice-group-id"] == "42"


@pytest.mark.parametrize("scope", [None, "messages.write"])
def test_client_credentials_in_body_sends_no_basic_header(scope: str | None) -> None:
    routes = Routes(api=Script(httpx.Response(200)), token=Script(token_response("t-body")))
    auth = ClientCredentialsAuth(
        TOKEN_URL, "client-1", "secret-1", scope=scope, credentials_in="body"
    )

    with _echo_client(auth, routes) as http:
        http.get("https://api.test/x")

    (token_request,) = routes.token.requests
    assert "Authorization" not in token_request.headers
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    expected = {
        "grant_type": ["client_credentials"],
        "client_id": ["client-1"],
        "client_secret": ["secret-1"],
    }
    if scope:
        expected["scope"] = [scope]
    assert parse_qs(token_request.content.decode()) == expected
    assert routes.api.requests[0].headers["Authorization"] == "Bearer t-body"


async def test_a_late_401_does_not_discard_a_token_refreshed_meanwhile() -> None:
    """Call B's 401 (for the old token) arrives after call A already refreshed: B must reuse
    A's new token, not fetch a third one."""
    issued = iter(["t1", "t2", "t3"])
    token_requests: list[httpx.Request] = []
    refreshed = anyio.Event()
    old_token_answers = 0
    api_auth: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal old_token_answers
        if str(request.url).startswith(TOKEN_URL):
            token_requests.append(request)
            token = next(issued)
            if token == "t2":
                refreshed.set()
            return token_response(token)
        auth = request.headers["Authorization"]
        api_auth.append(auth)
        if auth == "Bearer t1" and len(api_auth) > 1:  # the first call only primes the cache
            old_token_answers += 1
            if old_token_answers == 2:
                await refreshed.wait()
            return httpx.Response(401, json={"message": "Unauthenticated."})
        return httpx.Response(201, json=message_json())

    client = async_credentials_client(handler)
    async with client:
        await send(client)
        async with anyio.create_task_group() as group:
            group.start_soon(send, client)
            group.start_soon(send, client)

    assert len(token_requests) == 2
    assert api_auth.count("Bearer t2") == 2
    assert "Bearer t3" not in api_auth
