"""The Plannr token and patient text stay out of reprs, exception text and log records."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from plannr_client import (
    AuthenticationError,
    InternalServerError,
    OutcomeUnknownError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import CANARY, PLANNR_ACCOUNT_UUID, PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    LOGINS_PATH,
    PATIENT_TEXT,
    conversation_json,
    laravel_422,
    login_json,
    message_json,
    message_response,
    page_response,
    unauthenticated,
)

pytestmark = pytest.mark.anyio


def error_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def send(client: Any) -> Any:
    return client.conversations.send_message(CONVERSATION_UUID, contents=PATIENT_TEXT)


def send_inline(client: Any) -> Any:
    return client.conversations.send_message_with_attachments(
        CONVERSATION_UUID, contents=PATIENT_TEXT, files=[io.BytesIO(b"scan")]
    )


async def test_no_token_in_any_repr_or_str(make_plannr: PlannrFactory) -> None:
    script = Script(
        message_response(),
        page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)]),
        page_response(LOGINS_PATH, [login_json(CONVERSATION_UUID, PLANNR_ACCOUNT_UUID)]),
    )
    client = make_plannr(script, token=CANARY)

    result = await resolve(send(client))
    page = await resolve(client.conversations.list())
    logins = await resolve(client.logins.list())
    # the calls really were authorised with the canary, so it is held somewhere
    assert script.requests[0].headers["Authorization"] == f"Bearer {CANARY}"

    settings = client._settings
    for thing in (
        client,
        client.with_options(timeout=5, max_retries=1, default_headers={"X-Trace": "t"}),
        client.conversations,
        client.logins,
        settings.auth,
        settings,
        result,
        raw_response(result),
        page,
        page.data[0],
        raw_response(page),
        logins,
        *(await collect(logins)),
    ):
        assert CANARY not in repr(thing)
        assert CANARY not in str(thing)


async def test_no_token_or_patient_text_in_logs_or_errors(
    make_plannr: PlannrFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    results: list[object] = []

    async def attempt(call: Callable[[Any], Any], *steps: Any) -> None:
        client = make_plannr(Script(*steps), token=CANARY)
        try:
            results.append(await resolve(call(client)))
        except Exception as exc:
            errors.append(exc)

    def listing(client: Any) -> Any:
        return client.conversations.list()

    off_spec = httpx.Response(
        200, json=message_json(contents=PATIENT_TEXT, edited=PATIENT_TEXT, created_at="never")
    )
    page = page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)])

    await attempt(send, message_response(contents=PATIENT_TEXT))
    await attempt(send_inline, message_response(contents=PATIENT_TEXT))
    await attempt(send, off_spec)
    await attempt(send, httpx.ConnectError, message_response(contents=PATIENT_TEXT))
    await attempt(send, unauthenticated())
    await attempt(send, laravel_422())
    await attempt(send, httpx.ReadTimeout)
    await attempt(send_inline, httpx.RemoteProtocolError)
    await attempt(send, httpx.Response(502, json={"message": "Bad gateway"}))
    await attempt(listing, httpx.Response(503), page)
    await attempt(listing, unauthenticated())

    assert [type(e) for e in errors] == [
        AuthenticationError,
        UnprocessableEntityError,
        OutcomeUnknownError,
        OutcomeUnknownError,
        InternalServerError,
        AuthenticationError,
    ]
    assert len(results) == 5
    messages = [record.getMessage() for record in caplog.records]
    assert any("retrying" in m for m in messages), messages  # logging was live
    assert any("503" in m for m in messages), messages
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args), str(record.msg)):
            assert CANARY not in text, record
            assert PATIENT_TEXT not in text, record
        assert record.exc_info is None or CANARY not in repr(record.exc_info[1])
    for error in errors:
        for link in error_chain(error):
            for text in (str(link), repr(link)):
                assert CANARY not in text
                assert PATIENT_TEXT not in text


async def test_construction_errors_do_not_show_the_token(make_plannr: PlannrFactory) -> None:
    with pytest.raises(ValueError, match="account_uuid") as caught:
        make_plannr(Script(message_response()), token=CANARY, account_uuid="not-a-uuid")

    assert CANARY not in str(caught.value)
    assert CANARY not in repr(caught.value)


async def test_input_errors_do_not_show_the_token_or_the_text(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script, token=CANARY)

    with pytest.raises(ValueError, match="files") as caught:
        await resolve(
            client.conversations.send_message(
                CONVERSATION_UUID, contents=PATIENT_TEXT, files=["not-a-file-uuid"]
            )
        )

    for text in (str(caught.value), repr(caught.value)):
        assert CANARY not in text
        assert PATIENT_TEXT not in text
    assert script.requests == []
