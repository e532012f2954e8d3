"""What every vendor fake shares: a fresh fake per test from its fixture, no credential in its
repr, and for the OAuth vendors a token endpoint that expires tokens and refuses wrong secrets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from client_core import APIConnectionError, AuthenticationError, raw_response
from tests.conftest import fake_twin, resolve
from tests.contract.vendors import VENDORS, Vendor

pytestmark = pytest.mark.anyio

EARLIER_FAKES: list[Any] = []
OAUTH = [vendor for vendor in VENDORS if vendor.token_url]
each_oauth_vendor = pytest.mark.parametrize("vendor", OAUTH, ids=str)


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


async def test_serve_answers_both_twins_over_real_sockets(vendor: Vendor) -> None:
    # One server for both twins (and the token endpoint): each serve() costs a shutdown.
    fake = vendor.fake()
    token_path = httpx.URL(vendor.token_url or "").path
    with fake.serve() as url:
        for twin in ("sync", "async"):
            options: Any = {"base_url": url, "timeout": 0.5, "max_retries": 0, **fake.credentials}
            client = vendor.cls(twin)(**options)
            try:
                sent = await resolve(vendor.send(client, fake, "Over the wire"))
                read = await resolve(vendor.read(client, vendor.message_id(sent)))
                fake.drop_next()
                with pytest.raises(APIConnectionError) as caught:
                    await resolve(vendor.send(client, fake, "Dropped"))
            finally:
                await resolve(client.close() if twin == "sync" else client.aclose())
            assert raw_response(read).status_code == 200
            assert caught.value.sent is True  # the fake acted, then hung up
        if vendor.token_url:
            options = {"base_url": url, "token_url": url + token_path, "timeout": 0.5}
            with vendor.sync(**options, **fake.client_credentials) as oauth_client:
                vendor.send(oauth_client, fake)

    assert url.startswith("http://127.0.0.1:")
    assert {r.url.host for r in fake.requests} == {"127.0.0.1"}
    assert [r.method for r in fake.requests][:6] == ["POST", "GET", "POST"] * 2
    assert len(fake.messages) == (5 if vendor.token_url else 4)
    if vendor.token_url:  # the token endpoint is served there too
        assert [r.url.path for r in fake.requests[6:]] == [token_path, vendor.send_path(fake)]


AUTHS = [(v, "credentials") for v in VENDORS] + [(v, "client_credentials") for v in OAUTH]


@pytest.mark.parametrize(("vendor", "auth"), AUTHS, ids=[f"{v}-{auth}" for v, auth in AUTHS])
async def test_mock_answers_code_that_builds_its_own_client(
    vendor: Vendor, twin: str, auth: str
) -> None:
    fake = vendor.fake()
    async with mocked_client(vendor, twin, fake, **getattr(fake, auth)) as client:
        sent = await resolve(vendor.send(client, fake, "Mocked"))

    hosts = [httpx.URL(vendor.token_url or "").host] if auth == "client_credentials" else []
    assert [r.url.host for r in fake.requests] == [*hosts, httpx.URL(fake.base_url).host]
    assert str(fake.requests[-1].url) == fake.base_url + vendor.send_path(fake)
    assert vendor.message_id(sent) == vendor.message_id(fake.messages[0])
