"""Tokens, client secrets and patient data stay out of reprs, error text and log records."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from loop_comms_client import (
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import (
    CANARY,
    LOOP_TOKEN_URL,
    LoopFactory,
    Routes,
    Script,
    collect,
    resolve,
    token_response,
)
from tests.loop_comms.conftest import (
    BRAND_ID,
    MESSAGE_ID,
    SCHEDULED_ID,
    duplicate,
    schedule_kwargs,
    scheduled_json,
    send_kwargs,
    sent,
)

pytestmark = pytest.mark.anyio

PATIENT_RECIPIENT = "jane.canary-doe@example.com"
PATIENT_VARIABLE = "Janet Canary-Variable"
PATIENT_DATA = (PATIENT_RECIPIENT, PATIENT_VARIABLE)

CREDENTIALS: dict[str, dict[str, str]] = {
    "static-token": {"token": CANARY},
    "client-secret": {"client_id": "loop-client-1", "client_secret": CANARY},
    "access-token": {"client_id": "loop-client-1", "client_secret": "not-the-canary"},
}


@pytest.fixture(params=list(CREDENTIALS))
def credentials(request: pytest.FixtureRequest) -> dict[str, str]:
    return CREDENTIALS[str(request.param)]


def routes_for(*api_steps: Any) -> Routes:
    """API answers as given; the token endpoint hands out the canary as the access token."""
    return Routes(Script(*api_steps), Script(token_response(CANARY)), token_url=LOOP_TOKEN_URL)


def patient_fields() -> dict[str, Any]:
    return {"recipient": PATIENT_RECIPIENT, "variables": {"first_name": PATIENT_VARIABLE}}


def error_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# 1. repr() and str() of everything a user might print.


async def test_no_secret_in_any_repr_or_str(
    make_loop: LoopFactory, credentials: dict[str, str]
) -> None:
    routes = routes_for(httpx.Response(201, json=scheduled_json()))
    client = make_loop(routes, **credentials)

    result = await resolve(client.messages.schedule(**schedule_kwargs()))
    # the call really was authorised with the canary, so the client holds it somewhere
    assert routes.api.requests[0].headers["Authorization"] == f"Bearer {CANARY}"

    settings = client._settings
    copy = client.with_options(timeout=5, max_retries=1, default_headers={"X-Trace": "t"})
    for thing in (
        client,
        copy,
        client.messages,
        copy.messages,
        settings,
        settings.auth,
        settings.retry,
        result,
        raw_response(result),
    ):
        assert CANARY not in repr(thing)
        assert CANARY not in str(thing)


# 2. Logs at DEBUG for every logger, and every error raised, on the paths a call can take.


async def test_no_secret_or_patient_data_in_logs_or_errors(
    make_loop: LoopFactory, credentials: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    results: list[object] = []

    async def attempt(routes: Routes, call: Callable[[Any], Any]) -> None:
        client = make_loop(routes, **credentials)
        try:
            results.append(await resolve(call(client)))
        except Exception as exc:
            errors.append(exc)

    def schedule(client: Any) -> Any:
        return client.messages.schedule(**schedule_kwargs(**patient_fields()))

    def send(client: Any) -> Any:
        return client.messages.send(**send_kwargs(**patient_fields()))

    async def listing(client: Any) -> Any:
        return await collect(await resolve(client.messages.list_scheduled(brand_id=BRAND_ID)))

    echoed = scheduled_json(recipient=PATIENT_RECIPIENT)
    off_spec = {**echoed, "created_at": f"{PATIENT_VARIABLE} o'clock"}
    unauthorized = httpx.Response(401, json={"error": "unauthorized", "message": "bad token"})
    suppressed = httpx.Response(
        422, json={"error": "validation_error", "message": "recipient is suppressed"}
    )

    await attempt(routes_for(httpx.Response(201, json=echoed)), schedule)
    await attempt(routes_for(httpx.Response(201, json=off_spec)), schedule)
    await attempt(routes_for(httpx.Response(503), sent()), send)
    await attempt(routes_for(unauthorized), send)
    await attempt(routes_for(suppressed), send)
    await attempt(routes_for(httpx.ReadTimeout), schedule)
    await attempt(routes_for(httpx.ReadTimeout, duplicate()), send)
    await attempt(routes_for(httpx.Response(200, json={"data": [echoed]})), listing)
    await attempt(routes_for(sent()), lambda c: c.messages.get(MESSAGE_ID))
    await attempt(
        routes_for(httpx.Response(404, json={"error": "not_found", "message": "no such id"})),
        lambda c: c.messages.get_scheduled(SCHEDULED_ID),
    )

    assert [type(e).__name__ for e in errors] == [
        AuthenticationError.__name__,
        UnprocessableEntityError.__name__,
        APITimeoutError.__name__,
        ConflictError.__name__,
        "NotFoundError",
    ]
    assert len(results) == 5
    if "client_id" in credentials:
        refusal = httpx.Response(
            401, json={"error": "invalid_client", "error_description": "unknown client"}
        )
        failing = Routes(Script(sent()), Script(refusal), token_url=LOOP_TOKEN_URL)
        with pytest.raises(AuthenticationError) as caught:
            await resolve(send(make_loop(failing, **credentials)))
        errors.append(caught.value)

    messages = [record.getMessage() for record in caplog.records]
    assert any("retrying" in message for message in messages), messages  # logging was live
    assert any("/v1/messages/send" in message for message in messages), messages
    assert any(record.levelno == logging.WARNING for record in caplog.records)
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args), str(record.msg)):
            assert CANARY not in text, record
            for value in PATIENT_DATA:
                assert value not in text, record
        assert record.exc_info is None or CANARY not in repr(record.exc_info[1])
    for error in errors:
        for link in error_chain(error):
            for text in (str(link), repr(link)):
                assert CANARY not in text
                assert PATIENT_VARIABLE not in text


async def test_token_endpoint_refusal_does_not_echo_the_secret(make_loop: LoopFactory) -> None:
    # Even if the identity service echoes what it was sent, the error text keeps only its words.
    refusal = httpx.Response(
        401, json={"error": "invalid_client", "error_description": "client authentication failed"}
    )
    routes = Routes(Script(sent()), Script(refusal), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, client_id="loop-client-1", client_secret=CANARY)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert CANARY in routes.token.requests[0].content.decode()  # it was really sent
    for link in error_chain(caught.value):
        assert CANARY not in str(link)
        assert CANARY not in repr(link)
    assert routes.api.requests == []


# 3. Input errors name the field but not the value, and send nothing.


async def test_an_input_error_echoes_neither_the_value_nor_patient_data(
    make_loop: LoopFactory,
) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="channel") as caught:
        await resolve(client.messages.send(**send_kwargs(channel="SMS-Canary", **patient_fields())))

    for value in (*PATIENT_DATA, "SMS-Canary"):
        assert value not in str(caught.value)
        assert value not in repr(caught.value)
    assert script.requests == []


async def test_an_invalid_recipient_is_not_echoed(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="recipient") as caught:
        await resolve(client.messages.send(**send_kwargs(recipient=["+447700900999"])))

    assert "447700900999" not in str(caught.value)
    assert script.requests == []


async def test_a_bad_id_is_not_echoed(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="message_id") as caught:
        await resolve(client.messages.get(4477009009))  # type: ignore[arg-type]

    assert "4477009009" not in str(caught.value)
    assert script.requests == []
