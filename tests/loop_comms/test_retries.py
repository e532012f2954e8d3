"""Loop's sends carry a dedup key, so they are retried like reads, byte for byte."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from loop_comms_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    Message,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    ScheduledMessage,
    raw_response,
)
from tests.conftest import LoopFactory, Script, json_body, resolve
from tests.loop_comms.conftest import (
    BRAND_ID,
    DEDUP_KEY,
    MESSAGE_ID,
    SCHEDULED_ID,
    duplicate,
    schedule_kwargs,
    scheduled,
    scheduled_json,
    send_kwargs,
    sent,
)

pytestmark = pytest.mark.anyio

SENDS = ["schedule", "send"]
FAILURES: list[Any] = [
    httpx.ReadTimeout,
    httpx.RemoteProtocolError,
    500,
    502,
    503,
    504,
    408,
    429,
]


def name_of(failure: Any) -> str:
    return str(failure) if isinstance(failure, int) else str(failure.__name__)


def step(failure: Any) -> Any:
    """A fresh scripted failure: an httpx exception class, or a response with that status."""
    return httpx.Response(failure) if isinstance(failure, int) else failure


def success(call: str) -> httpx.Response:
    return scheduled() if call == "schedule" else sent()


async def deliver(client: Any, call: str, **overrides: Any) -> Any:
    if call == "schedule":
        return await resolve(client.messages.schedule(**schedule_kwargs(**overrides)))
    return await resolve(client.messages.send(**send_kwargs(**overrides)))


# 1. A failed attempt of a send is retried with the same bytes and the same dedup key.


@pytest.mark.parametrize("failure", FAILURES, ids=name_of)
@pytest.mark.parametrize("call", SENDS)
async def test_a_send_is_retried_after_a_failure_and_succeeds(
    make_loop: LoopFactory, call: str, failure: Any
) -> None:
    script = Script(step(failure), success(call))
    client = make_loop(script)

    result = await deliver(client, call, variables={"first_name": "Jane"}, hipaa=True)

    assert len(script.requests) == 2
    first, second = script.requests
    assert first.method == second.method == "POST"
    assert first.url == second.url
    assert first.content == second.content
    assert json_body(second)["dedup_key"] == DEDUP_KEY
    assert isinstance(result, ScheduledMessage if call == "schedule" else Message)
    assert raw_response(result).retries_taken == 1


@pytest.mark.parametrize("call", SENDS)
async def test_every_attempt_sends_identical_bytes_with_the_same_dedup_key(
    make_loop: LoopFactory, call: str
) -> None:
    script = Script(httpx.ReadTimeout, httpx.Response(503), success(call))
    client = make_loop(script)

    result = await deliver(client, call, variables={"slot": "09:00", "n": [1, 2]})

    assert len(script.requests) == 3
    contents = {request.content for request in script.requests}
    assert len(contents) == 1
    assert {json_body(r)["dedup_key"] for r in script.requests} == {DEDUP_KEY}
    assert {r.headers["Content-Type"] for r in script.requests} == {"application/json"}
    assert raw_response(result).retries_taken == 2


async def test_a_failed_connect_is_retried(make_loop: LoopFactory) -> None:
    script = Script(httpx.ConnectError, sent())
    client = make_loop(script)

    result = await resolve(client.messages.send(**send_kwargs()))

    assert len(script.requests) == 2
    assert raw_response(result).retries_taken == 1


# 2. A 409 on the repeat says whether an earlier attempt was probably accepted.


@pytest.mark.parametrize(
    "lost", [httpx.ReadTimeout, httpx.RemoteProtocolError, 504, 500], ids=name_of
)
@pytest.mark.parametrize("call", SENDS)
async def test_409_on_the_repeat_after_a_lost_answer_says_earlier_attempt_probably_accepted(
    make_loop: LoopFactory, call: str, lost: Any
) -> None:
    script = Script(step(lost), duplicate())
    client = make_loop(script)

    with pytest.raises(ConflictError) as caught:
        await deliver(client, call)

    error = caught.value
    assert len(script.requests) == 2
    assert script.requests[0].content == script.requests[1].content
    assert error.status_code == 409
    assert error.earlier_attempt_probably_accepted is True
    text = str(error)
    assert "earlier attempt" in text
    assert "probably accepted" in text
    assert "duplicate" in text
    assert "dedup key already used" in text


@pytest.mark.parametrize("call", SENDS)
async def test_409_on_a_first_attempt_does_not_claim_an_earlier_attempt(
    make_loop: LoopFactory, call: str
) -> None:
    script = Script(duplicate(), success(call))
    client = make_loop(script)

    with pytest.raises(ConflictError) as caught:
        await deliver(client, call)

    error = caught.value
    assert len(script.requests) == 1
    assert error.earlier_attempt_probably_accepted is False
    assert "earlier attempt" not in str(error)
    assert "probably accepted" not in str(error)
    assert "dedup key already used" in str(error)
    assert error.body == {"error": "duplicate", "message": "dedup key already used"}


@pytest.mark.parametrize("refusal", [503, 429])
@pytest.mark.parametrize("call", SENDS)
async def test_409_after_a_refusal_to_start_does_not_claim_an_earlier_attempt(
    make_loop: LoopFactory, call: str, refusal: int
) -> None:
    # A 503 (or 429) is an answer saying "not started": nothing was lost before the 409.
    script = Script(httpx.Response(refusal), duplicate())
    client = make_loop(script)

    with pytest.raises(ConflictError) as caught:
        await deliver(client, call)

    assert len(script.requests) == 2
    assert caught.value.earlier_attempt_probably_accepted is False
    assert "probably accepted" not in str(caught.value)


async def test_409_is_not_retried(make_loop: LoopFactory) -> None:
    script = Script(httpx.ReadTimeout, duplicate(), sent())
    client = make_loop(script)

    with pytest.raises(ConflictError):
        await resolve(client.messages.send(**send_kwargs()))

    assert len(script.requests) == 2


# 3. Retries run out.


@pytest.mark.parametrize("call", SENDS)
async def test_timeouts_every_time_raise_api_timeout_error_not_outcome_unknown(
    make_loop: LoopFactory, call: str
) -> None:
    script = Script(httpx.ReadTimeout)
    client = make_loop(script)

    with pytest.raises(APITimeoutError) as caught:
        await deliver(client, call)

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert "may or may not have been sent" not in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len({r.content for r in script.requests}) == 1


async def test_dropped_connections_every_time_raise_a_connection_error(
    make_loop: LoopFactory,
) -> None:
    script = Script(httpx.RemoteProtocolError)
    client = make_loop(script)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert caught.value.sent is True


@pytest.mark.parametrize("call", SENDS)
async def test_server_errors_every_time_raise_the_last_one(
    make_loop: LoopFactory, call: str
) -> None:
    script = Script(
        httpx.Response(500),
        httpx.Response(502),
        httpx.Response(504, headers={"x-request-id": "req-last"}),
    )
    client = make_loop(script)

    with pytest.raises(InternalServerError) as caught:
        await deliver(client, call)

    assert len(script.requests) == 3
    assert caught.value.status_code == 504
    assert caught.value.request_id == "req-last"


async def test_429_with_retry_after_above_the_cap_raises_at_once(make_loop: LoopFactory) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "120"}), sent())
    client = make_loop(script)

    with pytest.raises(RateLimitError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert len(script.requests) == 1
    assert caught.value.retry_after == 120


async def test_max_retries_zero_raises_the_first_failure(make_loop: LoopFactory) -> None:
    script = Script(httpx.Response(503), scheduled())
    client = make_loop(script, retry_policy=RetryPolicy.no_wait(max_retries=0))

    with pytest.raises(InternalServerError):
        await resolve(client.messages.schedule(**schedule_kwargs()))

    assert len(script.requests) == 1


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_client_errors_are_not_retried(make_loop: LoopFactory, status: int) -> None:
    body = {"error": "nope", "message": "refused"}
    script = Script(httpx.Response(status, json=body), sent())
    client = make_loop(script)

    with pytest.raises(APIStatusError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert caught.value.status_code == status
    assert len(script.requests) == 1


# 4. Reads are retried too.


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, 503, 502], ids=name_of)
@pytest.mark.parametrize("call", ["get", "get_scheduled", "list_scheduled"])
async def test_reads_are_retried(make_loop: LoopFactory, call: str, failure: Any) -> None:
    answers = {
        "get": sent(),
        "get_scheduled": scheduled(200),
        "list_scheduled": httpx.Response(200, json={"data": [scheduled_json()]}),
    }
    script = Script(step(failure), answers[call])
    client = make_loop(script)

    if call == "get":
        result = await resolve(client.messages.get(MESSAGE_ID))
    elif call == "get_scheduled":
        result = await resolve(client.messages.get_scheduled(SCHEDULED_ID))
    else:
        result = await resolve(client.messages.list_scheduled(brand_id=BRAND_ID))

    assert len(script.requests) == 2
    assert script.requests[0].url == script.requests[1].url
    assert raw_response(result).retries_taken == 1


async def test_a_retry_is_logged_without_the_body(
    make_loop: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="loop_comms_client")
    script = Script(httpx.Response(503, headers={"Retry-After": "2"}), sent())
    client = make_loop(script)

    await resolve(client.messages.send(**send_kwargs()))

    lines = [r.getMessage() for r in caplog.records if r.name == "loop_comms_client"]
    retry_lines = [line for line in lines if "retrying" in line]
    assert len(retry_lines) == 1
    assert "POST /v1/messages/send" in retry_lines[0]
    assert "503" in retry_lines[0]
    assert "retrying in 2.00 s" in retry_lines[0]
    assert DEDUP_KEY not in retry_lines[0]
