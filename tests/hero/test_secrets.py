"""The Hero API key and patient text stay out of reprs, exception text and log records."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hero_client import (
    APIConnectionError,
    AuthenticationError,
    InternalServerError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import CANARY, HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio

PATIENT_TEXT = "Dear Jane Canary-Doe, your chlamydia test is negative"
HERO_AUTH_TOKEN = "hero-issued-auth-token-5c2e"


def error_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def assert_clean(text: str) -> None:
    assert CANARY not in text
    assert PATIENT_TEXT not in text
    assert HERO_AUTH_TOKEN not in text


def sent() -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "message_id": "8812345",
            "content": "(content)",
            "auth_token": HERO_AUTH_TOKEN,
            "confirm_write_to_record_url": f"https://app.herohealth.net/c?t={HERO_AUTH_TOKEN}",
        },
    )


def send(client: Any) -> Any:
    return client.messages.send(patient_id="1234", message_type="sms", message_string=PATIENT_TEXT)


def get(client: Any) -> Any:
    return client.messages.get("8812345")


async def test_no_key_in_any_repr_or_str(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script, api_key=CANARY)

    result = await resolve(send(client))
    # The call really was authorised with the canary, so the client holds it somewhere.
    assert script.requests[0].headers["x-api-key"] == CANARY

    settings = client._settings
    for thing in (
        client,
        client.messages,
        client.with_options(timeout=5, max_retries=1, default_headers={"X-Trace": "t"}),
        client.with_options(max_retries=0).messages,
        settings.auth,
        settings,
        result,
        raw_response(result),
    ):
        assert_clean(repr(thing))
        assert_clean(str(thing))
    assert result.auth_token == HERO_AUTH_TOKEN


Call = Callable[[Any], Any]

FAILURES: dict[str, tuple[Callable[[], Any], Call, type[Exception]]] = {
    "401": (
        lambda: httpx.Response(401, json={"message": "Invalid API key"}),
        send,
        AuthenticationError,
    ),
    "403": (
        lambda: httpx.Response(403, json={"message": "Unauthorised"}),
        send,
        PermissionDeniedError,
    ),
    "422": (
        lambda: httpx.Response(422, json={"message": "Invalid", "errors": {"patient_id": ["?"]}}),
        send,
        UnprocessableEntityError,
    ),
    "500-html": (
        lambda: httpx.Response(500, html="<html><body>boom</body></html>"),
        send,
        InternalServerError,
    ),
    "429-over-cap": (
        lambda: httpx.Response(429, headers={"Retry-After": "600"}),
        send,
        RateLimitError,
    ),
    "read-timeout": (lambda: httpx.ReadTimeout, send, OutcomeUnknownError),
    "connect-error": (lambda: httpx.ConnectError, send, APIConnectionError),
    "not-json-2xx": (lambda: httpx.Response(200, text="queued"), send, ResponseValidationError),
    "get-timeout": (lambda: httpx.ReadTimeout, get, APIConnectionError),
    "get-503": (lambda: httpx.Response(503), get, InternalServerError),
}


@pytest.mark.parametrize("failure", FAILURES)
async def test_no_key_or_patient_text_in_errors_or_debug_logs(
    make_hero: HeroFactory, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    step, call, error_class = FAILURES[failure]
    script = Script(step())
    client = make_hero(script, api_key=CANARY)

    with pytest.raises(error_class) as caught:
        await resolve(call(client))

    assert all(r.headers["x-api-key"] == CANARY for r in script.requests)
    for link in error_chain(caught.value):
        assert_clean(str(link))
        assert_clean(repr(link))
    assert_logs_clean(caplog)


async def test_no_key_or_patient_text_in_debug_logs_on_success_paths(
    make_hero: HeroFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    off_spec = httpx.Response(200, json={"content": PATIENT_TEXT, "created_at": PATIENT_TEXT})
    answers: list[Any] = [sent(), off_spec, httpx.Response(429), sent(), httpx.ConnectError, sent()]
    script = Script(*answers)
    client = make_hero(script, api_key=CANARY)

    for _ in range(4):
        await resolve(send(client))

    assert len(script.requests) == 6
    messages = [r.getMessage() for r in caplog.records]
    assert any("POST /v1/messages/send" in m and "200" in m for m in messages), messages
    assert any("retrying" in m for m in messages), messages
    assert any("SentMessage" in m for m in messages), messages  # the off-spec warning
    assert_logs_clean(caplog)


def assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args), str(record.msg)):
            assert CANARY not in text, record
            assert PATIENT_TEXT not in text, record
        assert record.exc_info is None or CANARY not in repr(record.exc_info[1])
    assert CANARY not in caplog.text
    assert PATIENT_TEXT not in caplog.text


async def test_input_error_does_not_echo_patient_text_or_key(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script, api_key=CANARY)

    with pytest.raises(ValueError, match="message_type") as caught:
        await resolve(
            client.messages.send(
                patient_id="1234",
                message_type="text",  # type: ignore[arg-type]
                message_string=PATIENT_TEXT,
            )
        )

    assert_clean(str(caught.value))
    assert_clean(repr(caught.value))
    assert script.requests == []


async def test_missing_practice_group_error_does_not_show_the_key(twin: str) -> None:
    from hero_client import AsyncHeroClient, HeroClient

    cls: Any = HeroClient if twin == "sync" else AsyncHeroClient

    with pytest.raises(ValueError, match="practice_group_id") as caught:
        cls(api_key=CANARY, practice_group_id="")

    assert CANARY not in str(caught.value)
