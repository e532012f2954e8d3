"""Defects 4-8, 11, 12: hostile answers from a vendor, a token endpoint or a redirect.

Each is a typed `APIError` (or the parsed model), never a Python error from deep inside, never
a secret in the error, and never a credential or body sent to another origin.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from client_core import (
    APIError,
    APIStatusError,
    AuthenticationError,
    InternalServerError,
    RateLimitError,
    ResponseValidationError,
)
from sqod_client import RetryPolicy

from .leaks import assert_hidden
from .outcomes import record
from .tamper import http_client, through, with_extra_field
from .vendors import (
    CANARY_TOKEN,
    SQOD,
    TOKEN_VENDORS,
    TWINS,
    VENDORS,
    Vendor,
    close,
    credentials_client,
    invoke,
    resolve,
)

pytestmark = pytest.mark.anyio

HOSTILE_TOKENS = {
    "10,000-level nested JSON": b'{"access_token": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "non-ASCII access_token": json.dumps({"access_token": CANARY_TOKEN + "\u00e9"}).encode(),
    "CR/LF in access_token": json.dumps({"access_token": CANARY_TOKEN + "\r\nX-Evil: 1"}).encode(),
    "NBSP in access_token": json.dumps({"access_token": CANARY_TOKEN + "\u00a0"}).encode(),
}


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
@pytest.mark.parametrize("case", HOSTILE_TOKENS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_hostile_token_endpoint_is_a_typed_error_without_the_token(
    vendor: Vendor, case: str, twin: str
) -> None:
    fake = vendor.make_fake()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == vendor.token_path:
            return httpx.Response(200, content=HOSTILE_TOKENS[case])
        return httpx.Response(200, json={})

    client = credentials_client(vendor, twin, fake, http_client=http_client(twin, handler))
    try:
        with pytest.raises(APIError) as caught:
            await resolve(vendor.send(client, fake, "hi", "k1"))
    finally:
        await close(client)
    if case != "10,000-level nested JSON":
        assert isinstance(caught.value, AuthenticationError)
        assert "access_token" in str(caught.value)
    assert_hidden(CANARY_TOKEN, caught.value)
    assert [r.url.path for r in seen] == [vendor.token_path]  # no API call, no repeat
    record(f"token endpoint answers 200 with {case}", "typed APIError, token not shown, no retry")


def _latin1_cookie(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        404, headers=[(b"Set-Cookie", b"session=caf\xe9; Path=/")], json={"message": "nope"}
    )


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_the_built_in_clients_keep_no_cookies(vendor: Vendor, twin: str) -> None:
    fake = vendor.make_fake()
    options = {**vendor.kwargs(fake), "base_url": "https://cookies.example.test"}
    with respx.mock(assert_all_called=False) as router:
        route = router.route(host="cookies.example.test").mock(side_effect=_latin1_cookie)
        client = vendor.client_class(twin)(retry_policy=RetryPolicy(max_retries=0), **options)
        try:
            for _ in range(2):
                with pytest.raises(APIStatusError):
                    await resolve(vendor.read(client, fake))
        finally:
            await resolve(client.close() if twin == "sync" else client.aclose())
    assert route.call_count == 2
    assert "cookie" not in route.calls[1].request.headers
    record("Latin-1 Set-Cookie from the vendor", "not kept; later calls unaffected")


def _charset_lie(request: httpx.Request) -> httpx.Response:
    headers = {"content-type": "text/plain; charset=utf-16"}
    return httpx.Response(503, content=b"odd-length body", headers=headers)


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_charset_lie_in_an_error_body_is_still_a_typed_retried_error(
    vendor: Vendor, twin: str
) -> None:
    fake = vendor.make_fake()
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return _charset_lie(request)

    client = vendor.build(twin, fake, http_client=http_client(twin, handler))
    try:
        with pytest.raises(InternalServerError) as caught:
            await resolve(vendor.read(client, fake))
    finally:
        await close(client)
    assert caught.value.status_code == 503
    assert len(calls) == 3  # a safe call: retried twice
    record("503 whose body lies about its charset (utf-16, no BOM)", "InternalServerError, retried")


def _null_body(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b"null", headers={"content-type": "application/json"})


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("call", ["send", "read"])
@pytest.mark.parametrize("twin", TWINS)
async def test_a_2xx_json_null_is_a_response_validation_error(
    vendor: Vendor, call: str, twin: str
) -> None:
    fake = vendor.make_fake()
    client = vendor.build(twin, fake, http_client=http_client(twin, _null_body))
    try:
        with pytest.raises(ResponseValidationError, match="accepted the request"):
            await invoke(vendor, call, client, fake)
    finally:
        await close(client)
    record("2xx answer whose body is JSON null", "ResponseValidationError (vendor accepted it)")


@pytest.mark.parametrize("twin", TWINS)
async def test_sqod_cancel_with_an_empty_body_still_returns_none(twin: str) -> None:
    fake = SQOD.make_fake()
    handler = lambda request: httpx.Response(204)  # noqa: E731
    client = SQOD.build(twin, fake, http_client=http_client(twin, handler))
    try:
        assert await resolve(client.appointments.cancel(fake.appointment_id)) is None
    finally:
        await close(client)


EVIL = "evil.example.test"


def _redirecting(vendor: Vendor, seen: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == EVIL:
            return httpx.Response(200, json={"access_token": "stolen", "expires_in": 60})
        return httpx.Response(307, headers={"Location": f"https://{EVIL}{request.url.path}"})

    return handler


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_no_request_follows_a_redirect_to_another_origin(vendor: Vendor, twin: str) -> None:
    fake = vendor.make_fake()
    seen: list[httpx.Request] = []
    http = http_client(twin, _redirecting(vendor, seen), follow_redirects=True)
    client = vendor.build(twin, fake, http_client=http)
    try:
        with pytest.raises(APIStatusError) as caught:
            await resolve(vendor.send(client, fake, "hi", "k1"))
    finally:
        await close(client)
    assert caught.value.status_code == 307
    assert [r for r in seen if r.url.host == EVIL] == []
    record("307 redirect to another origin (caller's client follows redirects)", "not followed")


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_token_endpoint_redirect_is_not_followed(vendor: Vendor, twin: str) -> None:
    fake = vendor.make_fake()
    seen: list[httpx.Request] = []
    http = http_client(twin, _redirecting(vendor, seen), follow_redirects=True)
    client = credentials_client(vendor, twin, fake, http_client=http)
    try:
        with pytest.raises(APIStatusError):
            await resolve(vendor.send(client, fake, "hi", "k1"))
    finally:
        await close(client)
    assert [r for r in seen if r.url.host == EVIL] == []
    record("token endpoint redirects to another origin", "not followed; secret not re-posted")


RETRY_AFTER = {
    "Retry-After: nan": {"Retry-After": "nan"},
    "Retry-After: inf": {"Retry-After": "inf"},
    "Retry-After: -1": {"Retry-After": "-1"},
    "retry-after-ms: nan": {"retry-after-ms": "nan"},
    "retry-after-ms: inf": {"retry-after-ms": "inf"},
}


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("header", RETRY_AFTER, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_retry_after_that_is_not_a_finite_wait_is_absent(
    vendor: Vendor, header: str, twin: str
) -> None:
    fake = vendor.make_fake()
    handler = lambda request: httpx.Response(429, headers=RETRY_AFTER[header])  # noqa: E731
    client = vendor.build(
        twin, fake, http_client=http_client(twin, handler), retry_policy=RetryPolicy(max_retries=0)
    )
    try:
        with pytest.raises(RateLimitError) as caught:
            await resolve(vendor.read(client, fake))
    finally:
        await close(client)
    assert caught.value.retry_after is None
    record(f"429 with {header}", "RateLimitError, retry_after None (absent)")


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_2xx_json_with_a_lone_surrogate_escape_is_parsed(vendor: Vendor, twin: str) -> None:
    fake = vendor.make_fake()
    handler = through(fake, with_extra_field("half an emoji \ud83d"))
    client = vendor.build(twin, fake, http_client=http_client(twin, handler))
    try:
        result = await resolve(vendor.send(client, fake, "hi", "k1"))
    finally:
        await close(client)
    assert result.model_extra["note"] == "half an emoji \ud83d"
    record("2xx JSON holding a lone-surrogate escape", "parsed (standard json fallback)")
