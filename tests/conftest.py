"""Shared test kit: one test body runs against both twins through `httpx.MockTransport`.

Every test is `async def`; `await resolve(x)` awaits the async twin's coroutine and passes the
sync twin's value through, so the same assertions cover the sync and the async client of each
vendor (`make_sqod`, `make_plannr`, `make_hero`, `make_loop` build the twin under test).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from hero_client import AsyncHeroClient, HeroClient
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from plannr_client import AsyncPlannrClient, PlannrClient
from sqod_client import AsyncSqodClient, RetryPolicy, SqodClient

pytest_plugins = ["pytester"]  # tests/test_downstream.py runs a user's project through pytest

BASE_URL = "https://acme.sqod.test"
TOKEN_URL = "https://auth.app.sqod.co.uk/oauth2/token"
APPOINTMENT_ID = "9a0f170e-0aa0-47db-ab14-4ddcdcbad061"
CANARY = "canary-secret-7d1f"  # a credential value that must never surface anywhere

Step = (
    httpx.Response
    | type[httpx.RequestError]
    | Exception
    | Callable[[httpx.Request], httpx.Response]
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def resolve(value: Any) -> Any:
    """The async twin returns a coroutine: await it. The sync twin's value passes through."""
    return await value if inspect.isawaitable(value) else value


@asynccontextmanager
async def fake_twin(fake: Any, twin: str, **options: Any) -> AsyncIterator[Any]:
    """A fake's sync or async client (strict about answers unless told), closed afterwards."""
    options.setdefault("strict_responses", True)
    client = fake.client(**options) if twin == "sync" else fake.async_client(**options)
    try:
        yield client
    finally:
        await resolve(client.close() if twin == "sync" else client.aclose())


async def collect(page: Any) -> list[Any]:
    """Every item of a sync or async page, walking all pages."""
    if hasattr(page, "__aiter__"):
        return [item async for item in page]
    return list(page)


class Script:
    """A scripted transport handler: answers with each step in turn, repeating the last.

    A step is a response, an httpx exception (class or instance) to raise as if the network
    failed, or a function of the request. Every request received is kept in `.requests`.
    """

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type):
            raise step("simulated network failure", request=request)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)


def token_response(token: str = "token-1", expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}
    )


class Routes:
    """Send token requests to one script and API requests to another."""

    def __init__(
        self, api: Script, token: Script | None = None, *, token_url: str = TOKEN_URL
    ) -> None:
        self.api = api
        self.token = token or Script(token_response())
        self.token_url = token_url

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(self.token_url):
            return self.token(request)
        return self.api(request)


@pytest.fixture(params=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> str:
    """Which client twin a test runs against."""
    return str(request.param)


Handler = Callable[[httpx.Request], httpx.Response]


def build_twin(
    twin: str, sync_cls: type[Any], async_cls: type[Any], handler: Handler, options: Any
) -> Any:
    """The sync or async client around `handler`, with no-wait retries unless told otherwise."""
    transport = httpx.MockTransport(handler)
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    if twin == "sync":
        return sync_cls(http_client=httpx.Client(transport=transport), **options)
    return async_cls(http_client=httpx.AsyncClient(transport=transport), **options)


SqodFactory = Callable[..., SqodClient | AsyncSqodClient]
PlannrFactory = Callable[..., PlannrClient | AsyncPlannrClient]
HeroFactory = Callable[..., HeroClient | AsyncHeroClient]
LoopFactory = Callable[..., LoopCommsClient | AsyncLoopCommsClient]

PLANNR_ACCOUNT_UUID = "c416885b-89d5-4e07-bddb-4f9b138ba075"
HERO_PRACTICE_GROUP_ID = "4242"
LOOP_TOKEN_URL = "https://identity.platform.loop.health/v1/oauth/token"


@pytest.fixture
def make_sqod(twin: str) -> SqodFactory:
    """Build the twin under test around a handler; token auth and no-wait retries by default."""

    def factory(handler: Handler, **options: Any) -> Any:
        options.setdefault("base_url", BASE_URL)
        if "client_id" not in options:
            options.setdefault("token", "test-token")
        return build_twin(twin, SqodClient, AsyncSqodClient, handler, options)

    return factory


@pytest.fixture
def make_plannr(twin: str) -> PlannrFactory:
    """A Plannr twin with a test token and account uuid, unless the test passes its own."""

    def factory(handler: Handler, **options: Any) -> Any:
        options.setdefault("token", "test-token")
        options.setdefault("account_uuid", PLANNR_ACCOUNT_UUID)
        return build_twin(twin, PlannrClient, AsyncPlannrClient, handler, options)

    return factory


@pytest.fixture
def make_hero(twin: str) -> HeroFactory:
    """A Hero twin with a test API key and practice group, unless the test passes its own."""

    def factory(handler: Handler, **options: Any) -> Any:
        options.setdefault("api_key", "test-api-key")
        options.setdefault("practice_group_id", HERO_PRACTICE_GROUP_ID)
        return build_twin(twin, HeroClient, AsyncHeroClient, handler, options)

    return factory


@pytest.fixture
def make_loop(twin: str) -> LoopFactory:
    """A Loop comms twin with a static test token unless the test passes client credentials."""

    def factory(handler: Handler, **options: Any) -> Any:
        if "client_id" not in options:
            options.setdefault("token", "test-token")
        return build_twin(twin, LoopCommsClient, AsyncLoopCommsClient, handler, options)

    return factory


def json_body(request: httpx.Request) -> Any:
    import json

    return json.loads(request.content)


def appointment_json(**fields: Any) -> dict[str, Any]:
    return {"data": {"id": APPOINTMENT_ID, "status": "scheduled", **fields}}


def message_json() -> dict[str, Any]:
    return {
        "data": {
            "id": "0b6a9d1e-1111-4c4c-9c9c-0123456789ab",
            "message": "Running late",
            "created_at": "2021-01-01T00:00:00.000Z",
            "sender": {
                "id": "5f0c1c1e-2222-4c4c-9c9c-0123456789ab",
                "first_name": "John",
                "last_name": "Smith",
                "email": "john@example.com",
                "role": "agent",
            },
        }
    }
