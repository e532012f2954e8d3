"""Plannr retry rules: a send is not repeated once out, a GET is; retries resend the same bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from plannr_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    Message,
    OutcomeUnknownError,
    RateLimitError,
    raw_response,
)
from tests.conftest import PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    FILE_UUID,
    LOGINS_PATH,
    MESSAGES_PATH,
    conversation_json,
    login_json,
    message_json,
    message_response,
    page_response,
    unauthenticated,
)

pytestmark = pytest.mark.anyio

OTHER_UUID = "2c5d7e9f-1a3b-4c6d-8e0f-a1b2c3d4e5f6"


class Recorder:
    """A Script that also keeps the bytes each attempt carried, read when it arrived."""

    def __init__(self, *steps: Any) -> None:
        self.script = Script(*steps)
        self.bodies: list[bytes] = []

    @property
    def requests(self) -> list[httpx.Request]:
        return self.script.requests

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(bytes(request.read()))
        return self.script(request)


def send_json(client: Any) -> Any:
    return client.conversations.send_message(
        CONVERSATION_UUID, contents="Your review is booked", files=[FILE_UUID]
    )


def send_multipart(client: Any) -> Any:
    return client.conversations.send_message_with_attachments(
        CONVERSATION_UUID,
        contents="Your letters",
        files=[io.BytesIO(b"%PDF-1.4 letter"), ("scan.png", b"\x89PNG scan", "image/png")],
    )


SENDS: dict[str, Callable[[Any], Any]] = {"send_message": send_json, "inline": send_multipart}


def list_ok() -> httpx.Response:
    return page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)])


def messages_ok() -> httpx.Response:
    return page_response(MESSAGES_PATH, [message_json()])


def logins_ok() -> httpx.Response:
    return page_response(LOGINS_PATH, [login_json(OTHER_UUID, CONVERSATION_UUID)])


GETS: dict[str, tuple[Callable[[Any], Any], Callable[[], httpx.Response]]] = {
    "list": (
        lambda c: c.conversations.list(per_page=50, include=["tags"], sort="-created_at"),
        list_ok,
    ),
    "list_messages": (
        lambda c: c.conversations.list_messages(CONVERSATION_UUID, sort="created_at"),
        messages_ok,
    ),
    "logins": (lambda c: c.logins.list(), logins_ok),
}


# --- Sends: never repeated once the request went out --------------------------------------------


@pytest.mark.parametrize("send", SENDS, ids=list(SENDS))
@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_lost_answer_on_a_send_raises_outcome_unknown_after_one_request(
    make_plannr: PlannrFactory, send: str, failure: type[httpx.RequestError]
) -> None:
    script = Script(failure, message_response())
    client = make_plannr(script)

    with pytest.raises(OutcomeUnknownError) as caught:
        await resolve(SENDS[send](client))

    assert len(script.requests) == 1
    error = caught.value
    assert "may or may not have been sent" in str(error)
    assert isinstance(error, APIConnectionError)
    assert error.sent is True
    assert isinstance(error.__cause__, failure)


@pytest.mark.parametrize("send", SENDS, ids=list(SENDS))
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_error_on_a_send_is_raised_after_one_request(
    make_plannr: PlannrFactory, send: str, status: int
) -> None:
    script = Script(httpx.Response(status), message_response())
    client = make_plannr(script)

    with pytest.raises(InternalServerError) as caught:
        await resolve(SENDS[send](client))

    assert len(script.requests) == 1
    assert caught.value.status_code == status


@pytest.mark.parametrize("send", SENDS, ids=list(SENDS))
@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout])
async def test_failed_connect_on_a_send_is_retried_with_the_same_bytes(
    make_plannr: PlannrFactory, send: str, failure: type[httpx.RequestError]
) -> None:
    recorder = Recorder(failure, message_response())
    client = make_plannr(recorder)

    result = await resolve(SENDS[send](client))

    assert len(recorder.requests) == 2
    assert isinstance(result, Message)
    assert raw_response(result).retries_taken == 1
    first, second = recorder.bodies
    assert first == second
    assert second != b""


@pytest.mark.parametrize("send", SENDS, ids=list(SENDS))
async def test_429_on_a_send_is_retried_then_succeeds(
    make_plannr: PlannrFactory, send: str
) -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "1", "X-Ratelimit-Remaining": "0"}),
        message_response(headers={"X-Ratelimit-Remaining": "499"}),
    )
    client = make_plannr(recorder)

    result = await resolve(SENDS[send](client))

    assert len(recorder.requests) == 2
    assert isinstance(result, Message)
    raw = raw_response(result)
    assert (raw.status_code, raw.retries_taken) == (200, 1)
    assert raw.headers["X-Ratelimit-Remaining"] == "499"
    first, second = recorder.bodies
    assert first == second
    first_request, second_request = recorder.requests
    assert first_request.url == second_request.url
    assert first_request.headers["Content-Type"] == second_request.headers["Content-Type"]


async def test_multipart_retry_resends_every_file_byte_for_byte(
    make_plannr: PlannrFactory,
) -> None:
    recorder = Recorder(httpx.Response(429), message_response())
    client = make_plannr(recorder)

    await resolve(send_multipart(client))

    first, second = recorder.bodies
    assert first == second
    for part in (b"%PDF-1.4 letter", b"\x89PNG scan", b"Your letters"):
        assert part in second  # the one-shot file object was not left drained
    assert second.count(b'name="files[]"') == 2


async def test_429_every_time_on_a_send_raises_rate_limit_error(
    make_plannr: PlannrFactory,
) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "2"}))
    client = make_plannr(script)

    with pytest.raises(RateLimitError) as caught:
        await resolve(send_json(client))

    assert len(script.requests) == 3
    assert caught.value.retry_after == 2


async def test_429_asking_for_a_long_wait_is_raised_at_once(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "120"}), message_response())
    client = make_plannr(script)

    with pytest.raises(RateLimitError) as caught:
        await resolve(send_json(client))

    assert len(script.requests) == 1
    assert caught.value.retry_after == 120


async def test_408_on_a_send_is_not_retried(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(408), message_response())
    client = make_plannr(script)

    with pytest.raises(APIStatusError) as caught:
        await resolve(send_json(client))

    assert len(script.requests) == 1
    assert caught.value.status_code == 408


async def test_401_on_a_send_is_not_retried(make_plannr: PlannrFactory) -> None:
    script = Script(unauthenticated(), message_response())
    client = make_plannr(script)

    with pytest.raises(AuthenticationError):
        await resolve(send_json(client))

    assert len(script.requests) == 1


# --- GETs: safe to repeat ----------------------------------------------------------------------


@pytest.mark.parametrize("call", GETS, ids=list(GETS))
@pytest.mark.parametrize("failure", ["503", "read-timeout", "dropped"])
async def test_get_is_retried_after_a_failure(
    make_plannr: PlannrFactory, call: str, failure: str
) -> None:
    invoke, ok = GETS[call]
    first_step: Any = {
        "503": httpx.Response(503),
        "read-timeout": httpx.ReadTimeout,
        "dropped": httpx.RemoteProtocolError,
    }[failure]
    script = Script(first_step, ok())
    client = make_plannr(script)

    page = await resolve(invoke(client))

    assert len(script.requests) == 2
    first, second = script.requests
    assert first.method == second.method == "GET"
    assert first.url == second.url
    assert len(page.data) == 1
    assert raw_response(page).retries_taken == 1


@pytest.mark.parametrize("call", GETS, ids=list(GETS))
async def test_get_gives_up_after_max_retries_on_503(make_plannr: PlannrFactory, call: str) -> None:
    invoke, _ = GETS[call]
    script = Script(httpx.Response(503, headers={"x-request-id": "req-last"}))
    client = make_plannr(script)

    with pytest.raises(InternalServerError) as caught:
        await resolve(invoke(client))

    assert len(script.requests) == 3
    assert caught.value.request_id == "req-last"


@pytest.mark.parametrize("call", GETS, ids=list(GETS))
async def test_get_timing_out_every_time_raises_api_timeout(
    make_plannr: PlannrFactory, call: str
) -> None:
    invoke, _ = GETS[call]
    script = Script(httpx.ReadTimeout)
    client = make_plannr(script)

    with pytest.raises(APITimeoutError) as caught:
        await resolve(invoke(client))

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)


async def test_second_page_fetch_is_retried_with_its_query(make_plannr: PlannrFactory) -> None:
    script = Script(
        page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)], number=1, last=2),
        httpx.Response(503),
        page_response(CONVERSATIONS_PATH, [conversation_json(OTHER_UUID)], number=2, last=2),
    )
    client = make_plannr(script)

    conversations = await collect(await resolve(client.conversations.list(sort="created_at")))

    assert [c.uuid for c in conversations] == [CONVERSATION_UUID, OTHER_UUID]
    _, failed, retried = script.requests
    assert failed.url == retried.url
    assert dict(retried.url.params) == {"sort": "created_at", "page": "2"}


async def test_max_retries_zero_turns_retries_off(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.ConnectError, message_response())
    client = make_plannr(script)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(send_json(client.with_options(max_retries=0)))

    assert len(script.requests) == 1
    assert caught.value.sent is False
    assert not isinstance(caught.value, OutcomeUnknownError)
