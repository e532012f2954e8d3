"""Building a client of every vendor: credentials, env fallbacks, URLs, options, lifetimes."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest

from client_core import RetryPolicy
from tests.conftest import Script, resolve
from tests.contract.vendors import Vendor

pytestmark = pytest.mark.anyio


async def send_one(vendor: Vendor, twin: str, **options: Any) -> httpx.Request:
    """Send once through a Script; the one request that went out."""
    script = Script(vendor.send_ok())
    await resolve(vendor.send(vendor.build(twin, script, **options), vendor.fake()))
    (request,) = script.requests
    return request


def own_client(vendor: Vendor, twin: str, **options: Any) -> Any:
    if vendor.default_base_url is None:
        options.setdefault("base_url", "https://acme.vendor.test")
    return vendor.cls(twin)(**vendor.credentials, **options)


async def test_default_base_url_is_the_vendors_production_api(vendor: Vendor, twin: str) -> None:
    package = importlib.import_module(vendor.logger)
    assert getattr(package, "DEFAULT_BASE_URL", None) == vendor.default_base_url
    if vendor.default_base_url is None:
        with pytest.raises(ValueError, match="base_url") as caught:
            vendor.cls(twin)(**vendor.credentials)
        assert vendor.base_url_env in str(caught.value)
        return
    request = await send_one(vendor, twin)

    assert str(request.url) == vendor.default_base_url + vendor.send_path(vendor.fake())


async def test_environment_fills_every_credential_and_the_base_url(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in vendor.other_credentials.items():
        monkeypatch.setenv(vendor.env[name], value)
    monkeypatch.setenv(vendor.base_url_env, "https://env.vendor.test/")
    unset = dict.fromkeys(vendor.credentials)

    request = await send_one(vendor, twin, base_url=None, **unset)

    assert str(request.url) == "https://env.vendor.test" + vendor.send_path(vendor.fake())
    for header, value in vendor.wire(vendor.other_credentials).items():
        assert request.headers[header] == value


async def test_explicit_arguments_win_over_the_environment(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in vendor.other_credentials.items():
        monkeypatch.setenv(vendor.env[name], value)
    monkeypatch.setenv(vendor.base_url_env, "https://env.vendor.test")

    request = await send_one(vendor, twin, base_url="https://arg.vendor.test")

    assert request.url.host == "arg.vendor.test"
    for header, value in vendor.wire(vendor.credentials).items():
        assert request.headers[header] == value


async def test_each_credential_falls_back_to_the_environment_on_its_own(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, env in vendor.env.items():
        monkeypatch.setenv(env, vendor.other_credentials[name])
        request = await send_one(vendor, twin, **{name: None})
        monkeypatch.delenv(env)

        mixed = {**vendor.credentials, name: vendor.other_credentials[name]}
        for header, value in vendor.wire(mixed).items():
            assert request.headers[header] == value


@pytest.mark.parametrize("how", ["absent", "empty-env", "empty-argument"])
async def test_a_missing_credential_names_its_parameter_and_env_var(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    for name, env in vendor.env.items():
        if how == "empty-env":
            monkeypatch.setenv(env, "")
        script = Script(vendor.send_ok())

        with pytest.raises(ValueError, match=name) as caught:
            vendor.build(twin, script, **{name: "" if how == "empty-argument" else None})

        assert env in str(caught.value)
        assert script.requests == []


@pytest.mark.parametrize("source", ["argument", "environment"])
@pytest.mark.parametrize(
    "url",
    ["http://api.vendor.test", "http://example.com:8000", "ftp://x.test", "x.test", "https://"],
)
async def test_a_base_url_that_is_not_https_is_refused(
    vendor: Vendor, twin: str, monkeypatch: pytest.MonkeyPatch, source: str, url: str
) -> None:
    if source == "environment":
        monkeypatch.setenv(vendor.base_url_env, url)
    options = {"base_url": url} if source == "argument" else {"base_url": None}

    with pytest.raises(ValueError, match="base_url") as caught:
        vendor.cls(twin)(**vendor.credentials, **options)

    assert vendor.base_url_env in str(caught.value)
    assert "https://" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://localhost:8000", "http://127.0.0.1:9", "http://[::1]:8080"]
)
async def test_plain_http_is_allowed_for_loopback(vendor: Vendor, twin: str, url: str) -> None:
    request = await send_one(vendor, twin, base_url=url)

    assert str(request.url) == url + vendor.send_path(vendor.fake())


async def test_a_trailing_slash_on_the_base_url_is_dropped(vendor: Vendor, twin: str) -> None:
    request = await send_one(vendor, twin, base_url="https://api.vendor.test/")

    assert str(request.url) == "https://api.vendor.test" + vendor.send_path(vendor.fake())


async def test_the_constructor_is_keyword_only(vendor: Vendor, twin: str) -> None:
    with pytest.raises(TypeError, match="positional"):
        vendor.cls(twin)(*vendor.credentials.values())


@pytest.mark.parametrize("misspelt", ["max_retry", "timeuot", "api_token"])
async def test_a_misspelt_keyword_is_a_type_error_without_its_value(
    vendor: Vendor, twin: str, misspelt: str
) -> None:
    with pytest.raises(TypeError, match=misspelt) as caught:
        own_client(vendor, twin, **{misspelt: "Zq-value-4711"})

    assert "Zq-value-4711" not in str(caught.value)


async def test_default_headers_are_sent_without_losing_auth(vendor: Vendor, twin: str) -> None:
    request = await send_one(vendor, twin, default_headers={"X-Integration": "acme"})

    assert request.headers["X-Integration"] == "acme"
    assert request.headers["Accept"] == "application/json"
    for header, value in vendor.wire(vendor.credentials).items():
        assert request.headers[header] == value


async def test_with_options_changes_only_the_copy_and_shares_the_pool(
    vendor: Vendor, twin: str
) -> None:
    script = Script(vendor.send_ok())
    client = vendor.build(twin, script)
    fake = vendor.fake()

    other = client.with_options(timeout=3, max_retries=0, default_headers={"X-Trace": "t-1"})
    await resolve(vendor.send(other, fake))
    await resolve(vendor.send(client, fake))

    copied, original = script.requests
    for request in (copied, original):
        for header, value in vendor.wire(vendor.credentials).items():
            assert request.headers[header] == value
    assert copied.headers["X-Trace"] == "t-1"
    assert "X-Trace" not in original.headers
    assert set(copied.extensions["timeout"].values()) == {3}
    assert original.extensions["timeout"]["read"] == 30
    assert type(other) is type(client)
    assert other._http is client._http


async def test_default_timeout_is_30s_with_5s_to_connect_and_a_number_sets_every_phase(
    vendor: Vendor, twin: str
) -> None:
    default = (await send_one(vendor, twin)).extensions["timeout"]
    custom = (await send_one(vendor, twin, timeout=12.5)).extensions["timeout"]

    assert default == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert set(custom.values()) == {12.5}


async def test_a_with_block_closes_the_pool_it_made(vendor: Vendor, twin: str) -> None:
    client = own_client(vendor, twin)
    if twin == "sync":
        with client as opened:
            assert not opened._http.is_closed
    else:
        async with client as opened:
            assert not opened._http.is_closed

    assert opened is client
    assert client._http.is_closed


async def test_close_closes_the_pool_it_made(vendor: Vendor, twin: str) -> None:
    client = own_client(vendor, twin)

    await resolve(client.close() if twin == "sync" else client.aclose())

    assert client._http.is_closed


async def test_a_passed_in_pool_is_left_open_by_with_and_close(vendor: Vendor, twin: str) -> None:
    script = Script(vendor.send_ok())
    transport = httpx.MockTransport(script)
    policy = RetryPolicy.no_wait()
    if twin == "sync":
        with httpx.Client(transport=transport) as http:
            with own_client(vendor, twin, http_client=http, retry_policy=policy) as client:
                vendor.send(client, vendor.fake())
            client.close()
            assert not http.is_closed
    else:
        async with httpx.AsyncClient(transport=transport) as async_http:
            async with own_client(
                vendor, twin, http_client=async_http, retry_policy=policy
            ) as async_client:
                await vendor.send(async_client, vendor.fake())
            await async_client.aclose()
            assert not async_http.is_closed

    assert len(script.requests) == 1
