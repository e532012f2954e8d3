"""Hero retry rules: a send is never repeated once it went out; reads are."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hero_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    InternalServerError,
    Message,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    SentMessage,
    raw_response,
)
from tests.conftest import HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio


def sent() -> httpx.Response:
    return httpx.Response(200, json={"message_id": "8812345"})


def detail() -> httpx.Response:
    return httpx.Response(200, json={"id": 8812345, "status": "delivered"})


async def _send(client: Any) -> Any:
    return await resolve(
        client.messages.send(
            patient_id="1234",
            message_type="sms",
            message_string="Your results are ready",
            write_to_record=True,
            assignee_id=9,
        )
    )


async def _get(client: Any) -> Any:
    return await resolve(client.messages.get("8812345"))


def assert_identical(requests: list[httpx.Request]) -> None:
    first = requests[0]
    for request in requests[1:]:
        assert (request.method, request.url) == (first.method, first.url)
        assert request.content == first.content
        assert request.headers["x-api-key"] == first.headers["x-api-key"]
        assert request.headers["x-practice-group-id"] == first.headers["x-practice-group-id"]


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError, httpx.ReadError],
)
async def test_lost_answer_on_send_raises_outcome_unknown_after_one_request(
    make_hero: HeroFactory, failure: type[httpx.RequestError]
) -> None:
    script = Script(failure, sent())
    client = make_hero(script)

    with pytest.raises(OutcomeUnknownError) as caught:
        await _send(client)

    error = caught.value
    assert len(script.requests) == 1
    assert "may or may not have been sent" in str(error)
    assert "/v1/messages/send" in str(error)
    assert isinstance(error, APIConnectionError)
    assert isinstance(error, APIError)
    assert error.sent is True
    assert isinstance(error.__cause__, failure)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_error_on_send_is_not_retried(make_hero: HeroFactory, status: int) -> None:
    script = Script(httpx.Response(status), sent())
    client = make_hero(script)

    with pytest.raises(InternalServerError) as caught:
        await _send(client)

    assert len(script.requests) == 1
    assert caught.value.status_code == status


async def test_408_on_send_is_not_retried(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(408), sent())
    client = make_hero(script)

    with pytest.raises(APIStatusError) as caught:
        await _send(client)

    assert len(script.requests) == 1
    assert caught.value.status_code == 408


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout])
async def test_failed_connect_on_send_is_retried_with_the_same_bytes(
    make_hero: HeroFactory, failure: type[httpx.RequestError]
) -> None:
    script = Script(failure, failure, sent())
    client = make_hero(script)

    result = await _send(client)

    assert len(script.requests) == 3
    assert_identical(script.requests)
    assert b'"message_string":"Your results are ready"' in script.requests[-1].content
    assert isinstance(result, SentMessage)
    assert raw_response(result).retries_taken == 2


async def test_failed_connect_every_time_raises_connection_error(make_hero: HeroFactory) -> None:
    script = Script(httpx.ConnectError)
    client = make_hero(script)

    with pytest.raises(APIConnectionError) as caught:
        await _send(client)

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert caught.value.sent is False


@pytest.mark.parametrize(
    "headers", [{}, {"Retry-After": "2"}, {"Retry-After": "60"}], ids=["none", "2s", "60s"]
)
async def test_429_on_send_is_retried_with_the_same_bytes(
    make_hero: HeroFactory, headers: dict[str, str]
) -> None:
    script = Script(httpx.Response(429, headers=headers), sent())
    client = make_hero(script)

    result = await _send(client)

    assert len(script.requests) == 2
    assert_identical(script.requests)
    assert result.message_id == "8812345"
    assert raw_response(result).retries_taken == 1


async def test_429_every_time_raises_rate_limit_after_all_retries(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "1"}))
    client = make_hero(script)

    with pytest.raises(RateLimitError) as caught:
        await _send(client)

    assert len(script.requests) == 3
    assert caught.value.retry_after == 1
    assert_identical(script.requests)


@pytest.mark.parametrize("retry_after", ["61", "120", "3600"])
async def test_429_with_retry_after_above_60s_raises_at_once(
    make_hero: HeroFactory, retry_after: str
) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": retry_after}), sent())
    client = make_hero(script)

    with pytest.raises(RateLimitError) as caught:
        await _send(client)

    assert len(script.requests) == 1
    assert caught.value.retry_after == float(retry_after)
    assert caught.value.status_code == 429


async def test_429_then_timeout_on_send_does_not_retry_the_timeout(
    make_hero: HeroFactory,
) -> None:
    script = Script(httpx.Response(429), httpx.ReadTimeout, sent())
    client = make_hero(script)

    with pytest.raises(OutcomeUnknownError):
        await _send(client)

    assert len(script.requests) == 2
    assert_identical(script.requests)


async def test_connect_failure_then_500_on_send_stops_at_the_500(make_hero: HeroFactory) -> None:
    script = Script(httpx.ConnectError, httpx.Response(500), sent())
    client = make_hero(script)

    with pytest.raises(InternalServerError):
        await _send(client)

    assert len(script.requests) == 2


GET_FAILURES: dict[str, Callable[[], Any]] = {
    "503": lambda: httpx.Response(503),
    "502": lambda: httpx.Response(502),
    "read-timeout": lambda: httpx.ReadTimeout,
    "dropped": lambda: httpx.RemoteProtocolError,
}


@pytest.mark.parametrize("failure", GET_FAILURES)
async def test_get_is_retried_after_a_server_error_or_lost_answer(
    make_hero: HeroFactory, failure: str
) -> None:
    script = Script(GET_FAILURES[failure](), detail())
    client = make_hero(script)

    message = await _get(client)

    assert len(script.requests) == 2
    assert_identical(script.requests)
    assert isinstance(message, Message)
    assert message.status == "delivered"
    assert raw_response(message).retries_taken == 1


async def test_get_gives_up_after_max_retries(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(503, headers={"x-request-id": "req-last"}))
    client = make_hero(script)

    with pytest.raises(InternalServerError) as caught:
        await _get(client)

    assert len(script.requests) == 3
    assert caught.value.request_id == "req-last"


async def test_get_timing_out_every_time_raises_timeout_not_outcome_unknown(
    make_hero: HeroFactory,
) -> None:
    script = Script(httpx.ReadTimeout)
    client = make_hero(script)

    with pytest.raises(APIConnectionError) as caught:
        await _get(client)

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)


async def test_get_with_retry_after_above_the_cap_raises_at_once(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(503, headers={"Retry-After": "3600"}), detail())
    client = make_hero(script)

    with pytest.raises(InternalServerError):
        await _get(client)

    assert len(script.requests) == 1


async def test_max_retries_zero_stops_a_retryable_send(make_hero: HeroFactory) -> None:
    script = Script(httpx.ConnectError, sent())
    client = make_hero(script, retry_policy=RetryPolicy.no_wait(max_retries=0))

    with pytest.raises(APIConnectionError):
        await _send(client)

    assert len(script.requests) == 1


async def test_max_retries_constructor_argument_is_honoured(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(503), detail())
    client = make_hero(script, retry_policy=None, max_retries=0)

    with pytest.raises(InternalServerError):
        await _get(client)

    assert len(script.requests) == 1


async def test_each_retry_is_logged_with_method_path_and_status(
    make_hero: HeroFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hero_client")
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}), sent())
    client = make_hero(script)

    await _send(client)

    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "hero_client" and r.levelno == logging.INFO
    ]
    assert len(lines) == 1
    assert "POST /v1/messages/send" in lines[0]
    assert "429" in lines[0]
    assert "retrying in 3.00 s" in lines[0]
