"""Who closes a pool passed as `http_client=`: the caller, unless it hands it over.

`adopt_http_client()` is the documented way the fakes' `client()` hands over the pool it made.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sqod_client import AsyncSqodClient, SqodClient
from tests.conftest import BASE_URL, resolve

pytestmark = pytest.mark.anyio


def _pair(twin: str) -> tuple[Any, Any]:
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    if twin == "sync":
        http: Any = httpx.Client(transport=transport)
        return http, SqodClient(base_url=BASE_URL, token="t", http_client=http)
    http = httpx.AsyncClient(transport=transport)
    return http, AsyncSqodClient(base_url=BASE_URL, token="t", http_client=http)


async def _close(twin: str, client: Any) -> None:
    await resolve(client.close() if twin == "sync" else client.aclose())


@pytest.fixture(params=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_a_pool_passed_in_stays_open_when_the_client_closes(twin: str) -> None:
    http, client = _pair(twin)
    await _close(twin, client)
    assert not http.is_closed
    await resolve(http.close() if twin == "sync" else http.aclose())


async def test_an_adopted_pool_is_closed_with_the_client(twin: str) -> None:
    http, client = _pair(twin)
    assert client.adopt_http_client() is client
    await _close(twin, client)
    assert http.is_closed


async def test_a_copy_of_an_adopting_client_never_closes_the_shared_pool(twin: str) -> None:
    http, client = _pair(twin)
    copy = client.adopt_http_client().with_options(max_retries=0)
    await _close(twin, copy)
    assert not http.is_closed
    await _close(twin, client)
    assert http.is_closed
