"""Secrets and patient data stay out of reprs, exception text and log records."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from client_core.kit import token_or_credentials
from sqod_client import (
    AuthenticationError,
    OutcomeUnknownError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import (
    APPOINTMENT_ID,
    CANARY,
    Routes,
    Script,
    SqodFactory,
    message_json,
    resolve,
    token_response,
)

pytestmark = pytest.mark.anyio

PATIENT_TEXT = "Patient Jane Canary-Doe"

STATIC = {"token": CANARY}
CLIENT_CREDENTIALS = {"client_id": "client-1", "client_secret": CANARY}


@pytest.fixture(params=["static-token", "client-credentials"])
def credentials(request: pytest.FixtureRequest) -> dict[str, str]:
    return STATIC if request.param == "static-token" else CLIENT_CREDENTIALS


def routes_for(*api_steps: Any) -> Routes:
    """API answers as given; the token endpoint hands out the canary as the access token."""
    return Routes(api=Script(*api_steps), token=Script(token_response(CANARY)))


def assert_clean(text: str) -> None:
    assert CANARY not in text


def error_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# 1. repr() and str() of everything a user might print.


async def test_no_secret_in_any_repr_or_str(
    make_sqod: SqodFactory, credentials: dict[str, str]
) -> None:
    routes = routes_for(httpx.Response(201, json=message_json()))
    client = make_sqod(routes, **credentials)

    result = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))
    # the call really was authorised with the canary, so it is held somewhere
    assert routes.api.requests[0].headers["Authorization"] == f"Bearer {CANARY}"

    settings = client._settings
    for thing in (
        client,
        client.with_options(timeout=5, max_retries=1, default_headers={"X-Trace": "t"}),
        client.appointments,
        settings.auth,
        settings,
        settings.retry,
        result,
        raw_response(result),
    ):
        assert_clean(repr(thing))
        assert_clean(str(thing))


def test_resolved_client_credentials_hide_the_secret() -> None:
    credentials = token_or_credentials(None, "client-1", CANARY, env_prefix="SQOD")

    assert_clean(repr(credentials))
    assert_clean(str(credentials))


# 2. Logs at DEBUG for every logger, and the errors raised, carry no secret or message text.


def _failing_token_endpoint(make_sqod: SqodFactory) -> Any:
    routes = Routes(
        api=Script(httpx.Response(201, json=message_json())),
        token=Script(
            httpx.Response(401, json={"error": "invalid_client", "error_description": "bad"})
        ),
    )
    return make_sqod(routes, **CLIENT_CREDENTIALS)


async def test_no_secret_or_patient_text_in_logs_or_errors(
    make_sqod: SqodFactory, credentials: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    results: list[object] = []

    async def attempt(routes: Routes, call: Callable[[Any], Awaitable[Any] | Any]) -> None:
        client = make_sqod(routes, **credentials)
        try:
            results.append(await resolve(call(client)))
        except Exception as exc:
            errors.append(exc)

    def send(client: Any) -> Any:
        return client.appointments.send_message(APPOINTMENT_ID, message=PATIENT_TEXT)

    def listing(client: Any) -> Any:
        return client.appointments.list()

    unauthorised = httpx.Response(401, json={"message": "Unauthenticated."})
    invalid = httpx.Response(
        422,
        json={
            "message": "The given data was invalid.",
            "errors": {"message": ["The message may not be greater than 160 characters."]},
        },
    )
    off_spec = httpx.Response(
        201,
        json={"data": {"id": "m-1", "message": PATIENT_TEXT, "created_at": "not a date"}},
    )
    page = httpx.Response(200, json={"data": [{"id": APPOINTMENT_ID}]})

    await attempt(routes_for(httpx.Response(201, json=message_json())), send)
    await attempt(routes_for(off_spec), send)
    await attempt(routes_for(unauthorised), send)
    await attempt(routes_for(invalid), send)
    await attempt(routes_for(httpx.ReadTimeout), send)
    await attempt(routes_for(httpx.Response(503), page), listing)

    assert [type(e) for e in errors] == [
        AuthenticationError,
        UnprocessableEntityError,
        OutcomeUnknownError,
    ]
    assert len(results) == 3
    if credentials is CLIENT_CREDENTIALS:
        client = _failing_token_endpoint(make_sqod)
        with pytest.raises(AuthenticationError) as caught:
            await resolve(send(client))
        errors.append(caught.value)

    messages = [record.getMessage() for record in caplog.records]
    assert any("retrying" in message for message in messages), messages  # logging was live
    assert any("503" in message for message in messages), messages
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args), str(record.msg)):
            assert CANARY not in text, record
            assert PATIENT_TEXT not in text, record
        assert record.exc_info is None or CANARY not in repr(record.exc_info[1])
    for error in errors:
        for link in error_chain(error):
            assert_clean(str(link))
            assert_clean(repr(link))


# 3. Input errors name the field but not the value, and send nothing.


async def test_invalid_appointment_id_is_not_echoed(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script)
    bad_id = "not-a-uuid-Distinctive-Value-987"

    with pytest.raises(ValueError, match="appointment_id") as caught:
        await resolve(client.appointments.send_message(bad_id, message=PATIENT_TEXT))

    assert "Distinctive-Value-987" not in str(caught.value)
    assert "Distinctive-Value-987" not in repr(caught.value)
    assert PATIENT_TEXT not in str(caught.value)
    assert script.requests == []


async def test_invalid_field_value_is_not_echoed(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json={"data": {"id": APPOINTMENT_ID}}))
    client = make_sqod(script)

    with pytest.raises(ValueError, match="duration_in_minutes") as caught:
        await resolve(
            client.appointments.update(
                APPOINTMENT_ID,
                duration_in_minutes="Canary-Value-123",  # type: ignore[arg-type]
            )
        )

    assert "Canary-Value-123" not in str(caught.value)
    assert "Canary-Value-123" not in repr(caught.value)
    assert script.requests == []


async def test_invalid_message_is_not_echoed(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script)

    with pytest.raises(ValueError, match="message") as caught:
        await resolve(
            client.appointments.send_message(
                APPOINTMENT_ID,
                message=[PATIENT_TEXT],  # type: ignore[arg-type]
            )
        )

    assert PATIENT_TEXT not in str(caught.value)
    assert script.requests == []
