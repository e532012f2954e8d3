"""What every vendor fake shares: a fresh fake per test from its fixture, no credential in its
repr, and for the OAuth vendors a token endpoint that expires tokens and refuses wrong secrets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from client_core import AuthenticationError
from tests.conftest import fake_twin, resolve
from tests.contract.vendors import VENDORS, Vendor

pytestmark = pytest.mark.anyio

EARLIER_FAKES: list[Any] = []
each_oauth_vendor = pytest.mark.parametrize(
    "vendor", [vendor for vendor in VENDORS if vendor.token_url], ids=str
)


@pytest.mark.parametrize("run", ["first", "second"])
async def test_each_test_gets_a_fresh_fake_from_its_fixture(
    vendor: Vendor, twin: str, run: str, request: pytest.FixtureRequest
) -> None:
    # Each run leaves a message behind; a fake shared between tests would show it.
    fake = request.getfixturevalue("fake_" + vendor.logger.removesuffix("_client"))
    assert type(fake) is vendor.fake
    assert all(fake is not earlier for earlier in EARLIER_FAKES)
    assert all(fake.credentials != earlier.credentials for earlier in EARLIER_FAKES)
    assert (fake.messages, fake.requests) == ([], [])

    async with fake_twin(fake, twin) as client:
        await resolve(vendor.send(client, fake, f"left by the {run} run"))
    EARLIER_FAKES.append(fake)

    assert len(fake.messages) == 1


async def test_a_fakes_repr_shows_no_credential(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    async with fake_twin(fake, twin) as client:
        await resolve(vendor.send(client, fake))

    shown = repr(fake)
    assert shown == f"{vendor.fake.__name__}(base_url={fake.base_url!r}, requests=1)"
    assert set(fake.credentials) == set(vendor.credentials)
    for value in [*fake.credentials.values(), *getattr(fake, "client_credentials", {}).values()]:
        assert value not in shown


@asynccontextmanager
async def mocked_client(vendor: Vendor, twin: str, fake: Any, **options: Any) -> AsyncIterator[Any]:
    """A client built as downstream code builds one, on the vendor's default URLs."""
    with fake.mock() as base_url:
        client = vendor.cls(twin)(base_url=base_url, max_retries=0, **options)
        try:
            yield client
        finally:
            await resolve(client.close() if twin == "sync" else client.aclose())


@each_oauth_vendor
async def test_an_expired_token_is_refreshed_once(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    async with mocked_client(vendor, twin, fake, **fake.client_credentials) as client:
        await resolve(vendor.send(client, fake, "one"))
        fake.expire_tokens()
        await resolve(vendor.send(client, fake, "two"))

    token, send = httpx.URL(vendor.token_url or "").path, vendor.send_path(fake)
    assert [r.url.path for r in fake.requests] == [token, send, send, token, send]
    bearers = [r.headers.get("authorization") for r in fake.requests]
    assert bearers[1] == bearers[2] != bearers[4]
    assert bearers[1] != f"Bearer {fake.token}"  # an issued token, not the static one
    assert len(fake.messages) == 2


@each_oauth_vendor
async def test_a_wrong_client_secret_fails_at_the_token_endpoint(vendor: Vendor, twin: str) -> None:
    fake = vendor.fake()
    wrong = {**fake.client_credentials, "client_secret": "nope"}
    async with mocked_client(vendor, twin, fake, **wrong) as client:
        with pytest.raises(AuthenticationError) as caught:
            await resolve(vendor.send(client, fake))

    assert caught.value.status_code == 401
    body: Any = caught.value.body
    assert body["error"] == "invalid_client"
    assert [r.url.path for r in fake.requests] == [httpx.URL(vendor.token_url or "").path]
    assert fake.messages == []
