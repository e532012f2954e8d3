"""Retry rules of every vendor: which answers repeat a call, with the same bytes, and when to stop.

A send without a dedup key is repeated after a 429 (a refusal to start) but never after an answer
that may come after the vendor acted; Loop's sends carry a dedup key and repeat like reads.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from client_core import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    InternalServerError,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    raw_response,
)
from tests.conftest import Script, resolve
from tests.contract.vendors import Vendor

pytestmark = pytest.mark.anyio


def assert_identical(vendor: Vendor, requests: list[httpx.Request]) -> None:
    first = requests[0]
    for request in requests[1:]:
        assert (request.method, request.url, request.content) == (
            first.method,
            first.url,
            first.content,
        )
        assert request.headers.get("Content-Type") == first.headers.get("Content-Type")
        for header, value in vendor.wire(vendor.credentials).items():
            assert request.headers[header] == value


async def send(vendor: Vendor, client: Any) -> Any:
    return await resolve(vendor.send(client, vendor.fake()))


async def read(vendor: Vendor, client: Any) -> Any:
    return await resolve(vendor.read(client, vendor.read_id))


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
async def test_a_server_error_on_a_send_is_repeated_only_with_a_dedup_key(
    vendor: Vendor, twin: str, status: int
) -> None:
    script = Script(httpx.Response(status), vendor.send_ok())
    client = vendor.build(twin, script)

    if vendor.dedup:
        result = await send(vendor, client)
        assert raw_response(result).retries_taken == 1
        assert_identical(vendor, script.requests)
    else:
        with pytest.raises(APIStatusError) as caught:
            await send(vendor, client)
        assert caught.value.status_code == status
    assert len(script.requests) == (2 if vendor.dedup else 1)


@pytest.mark.parametrize(
    "headers", [{}, {"Retry-After": "2"}, {"Retry-After": "60"}], ids=["none", "2s", "60s"]
)
async def test_a_429_on_a_send_is_repeated_with_the_same_bytes(
    vendor: Vendor, twin: str, headers: dict[str, str]
) -> None:
    ok = vendor.send_ok()
    final = httpx.Response(ok.status_code, content=ok.content, headers={"X-Left": "499"})
    script = Script(httpx.Response(429, headers={**headers, "X-Left": "0"}), final)
    client = vendor.build(twin, script)

    result = await send(vendor, client)

    raw = raw_response(result)
    assert (raw.status_code, raw.retries_taken) == (ok.status_code, 1)
    assert raw.headers["X-Left"] == "499"
    assert len(script.requests) == 2
    assert_identical(vendor, script.requests)


async def test_a_429_every_time_raises_rate_limit_after_every_retry(
    vendor: Vendor, twin: str
) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "1"}))
    client = vendor.build(twin, script)

    with pytest.raises(RateLimitError) as caught:
        await send(vendor, client)

    assert len(script.requests) == 3
    assert caught.value.retry_after == 1
    assert_identical(vendor, script.requests)


@pytest.mark.parametrize("retry_after", ["61", "120", "3600"])
@pytest.mark.parametrize(("status", "kind"), [(429, "send"), (429, "read"), (503, "read")])
async def test_a_retry_after_above_the_cap_is_raised_at_once(
    vendor: Vendor, twin: str, retry_after: str, status: int, kind: str
) -> None:
    ok = vendor.send_ok() if kind == "send" else vendor.read_ok()
    script = Script(httpx.Response(status, headers={"Retry-After": retry_after}), ok)
    client = vendor.build(twin, script)

    with pytest.raises(APIStatusError) as caught:
        await resolve(vendor.call(kind, client))

    assert len(script.requests) == 1
    assert caught.value.status_code == status
    if status == 429:
        assert isinstance(caught.value, RateLimitError)
        assert caught.value.retry_after == float(retry_after)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
@pytest.mark.parametrize("kind", ["send", "read"])
async def test_a_client_error_is_not_repeated(
    vendor: Vendor, twin: str, kind: str, status: int
) -> None:
    ok = vendor.send_ok() if kind == "send" else vendor.read_ok()
    script = Script(httpx.Response(status, json=vendor.error_json("refused")), ok)
    client = vendor.build(twin, script)

    with pytest.raises(APIStatusError) as caught:
        await (send(vendor, client) if kind == "send" else read(vendor, client))

    assert caught.value.status_code == status
    assert isinstance(caught.value, AuthenticationError) is (status == 401)
    assert len(script.requests) == 1


async def test_a_429_then_a_lost_answer_stops_a_send_without_a_dedup_key(
    vendor: Vendor, twin: str
) -> None:
    script = Script(httpx.Response(429), httpx.ReadTimeout, vendor.send_ok())
    client = vendor.build(twin, script)

    if vendor.dedup:
        assert raw_response(await send(vendor, client)).retries_taken == 2
    else:
        with pytest.raises(OutcomeUnknownError):
            await send(vendor, client)
    assert len(script.requests) == (3 if vendor.dedup else 2)
    assert_identical(vendor, script.requests)


async def test_a_failed_connect_then_a_500_stops_a_send_without_a_dedup_key(
    vendor: Vendor, twin: str
) -> None:
    script = Script(httpx.ConnectError, httpx.Response(500), vendor.send_ok())
    client = vendor.build(twin, script)

    if vendor.dedup:
        assert raw_response(await send(vendor, client)).retries_taken == 2
    else:
        with pytest.raises(InternalServerError):
            await send(vendor, client)
    assert len(script.requests) == (3 if vendor.dedup else 2)


@pytest.mark.parametrize(
    "failure",
    [503, 502, httpx.ReadTimeout, httpx.RemoteProtocolError],
    ids=["503", "502", "read-timeout", "dropped"],
)
async def test_a_read_is_repeated_after_a_server_error_or_a_lost_answer(
    vendor: Vendor, twin: str, failure: Any
) -> None:
    step = httpx.Response(failure) if isinstance(failure, int) else failure
    script = Script(step, vendor.read_ok())
    client = vendor.build(twin, script)

    result = await read(vendor, client)

    assert len(script.requests) == 2
    assert_identical(vendor, script.requests)
    assert script.requests[0].method == "GET"
    assert raw_response(result).retries_taken == 1


async def test_server_errors_every_time_raise_the_last_one_on_a_safe_call(
    vendor: Vendor, twin: str
) -> None:
    for kind in ["read", "send"] if vendor.dedup else ["read"]:
        last = httpx.Response(504, headers={"x-request-id": "req-last"})
        script = Script(httpx.Response(500), httpx.Response(503), last)
        client = vendor.build(twin, script)

        with pytest.raises(InternalServerError) as caught:
            await (send(vendor, client) if kind == "send" else read(vendor, client))

        assert len(script.requests) == 3
        assert (caught.value.status_code, caught.value.request_id) == (504, "req-last")


@pytest.mark.parametrize("how", ["retry_policy", "max_retries", "with_options"])
async def test_max_retries_zero_raises_the_first_failure(
    vendor: Vendor, twin: str, how: str
) -> None:
    script = Script(httpx.ConnectError, vendor.send_ok())
    choices: dict[str, dict[str, Any]] = {
        "retry_policy": {"retry_policy": RetryPolicy.no_wait(max_retries=0)},
        "max_retries": {"retry_policy": None, "max_retries": 0},
        "with_options": {},
    }
    options = choices[how]
    client = vendor.build(twin, script, **options)
    if how == "with_options":
        client = client.with_options(max_retries=0)

    with pytest.raises(APIConnectionError) as caught:
        await send(vendor, client)

    assert len(script.requests) == 1
    assert caught.value.sent is False
    assert not isinstance(caught.value, OutcomeUnknownError)


async def test_with_options_can_allow_more_attempts(vendor: Vendor, twin: str) -> None:
    script = Script(httpx.Response(503))
    client = vendor.build(twin, script).with_options(max_retries=4)

    with pytest.raises(InternalServerError):
        await read(vendor, client)

    assert len(script.requests) == 5


async def test_each_retry_is_logged_with_method_path_status_and_wait_but_no_body(
    vendor: Vendor, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=vendor.logger)
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}), vendor.send_ok())
    client = vendor.build(twin, script)
    fake = vendor.fake()

    await resolve(vendor.send(client, fake, "Distinct-Body-Text"))

    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == vendor.logger and r.levelno == logging.INFO
    ]
    assert len(lines) == 1
    assert f"POST {vendor.send_path(fake)}" in lines[0]
    assert "429" in lines[0]
    assert "retrying in 3.00 s" in lines[0]
    assert "Distinct-Body-Text" not in caplog.text
    assert "key-" not in lines[0]  # nor Loop's dedup key
