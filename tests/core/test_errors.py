"""What a failed call raises, what the error says, and how off-spec 2xx answers are handled."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from sqod_client import (
    APIStatusError,
    ConflictError,
    PermissionDeniedError,
    RetryPolicy,
    UnprocessableEntityError,
)
from tests.conftest import APPOINTMENT_ID, Script, SqodFactory, message_json, resolve

pytestmark = pytest.mark.anyio

NO_RETRIES = RetryPolicy.no_wait(max_retries=0)


async def _send(client: Any) -> Any:
    return await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))


async def _update(client: Any) -> Any:
    return await resolve(client.appointments.update(APPOINTMENT_ID, status="waiting"))


async def test_laravel_422_names_the_field_and_keeps_errors(make_sqod: SqodFactory) -> None:
    vendor_message = "The message field is required."
    body = {"message": vendor_message, "errors": {"message": [vendor_message]}}
    script = Script(httpx.Response(422, json=body, headers={"x-request-id": "req-422"}))
    client = make_sqod(script)

    with pytest.raises(UnprocessableEntityError) as caught:
        await _send(client)

    error = caught.value
    text = str(error)
    assert "422" in text
    assert vendor_message in text
    assert "req-422" in text
    # The field name appears on its own, not only inside the vendor's sentence.
    assert "message" in text.replace(vendor_message, "")
    assert error.errors == {"message": [vendor_message]}
    assert len(script.requests) == 1


async def test_422_field_names_are_listed(make_sqod: SqodFactory) -> None:
    body = {
        "message": "The given data was invalid.",
        "errors": {"status": ["The selected status is invalid."], "claimant.email": ["Bad."]},
    }
    script = Script(httpx.Response(422, json=body))
    client = make_sqod(script)

    with pytest.raises(UnprocessableEntityError) as caught:
        await _update(client)

    assert "status" in str(caught.value)
    assert "claimant.email" in str(caught.value)
    assert caught.value.errors == {
        "status": ["The selected status is invalid."],
        "claimant.email": ["Bad."],
    }


async def test_422_without_laravel_errors_has_empty_errors(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(422, text="Unprocessable"))
    client = make_sqod(script)

    with pytest.raises(UnprocessableEntityError) as caught:
        await _send(client)

    assert caught.value.errors == {}
    assert caught.value.body == "Unprocessable"


async def test_loop_style_body_feeds_the_message(make_sqod: SqodFactory) -> None:
    body = {"error": "duplicate", "message": "Dedup key already used"}
    script = Script(httpx.Response(409, json=body))
    client = make_sqod(script)

    with pytest.raises(ConflictError) as caught:
        await _send(client)

    assert "duplicate" in str(caught.value)
    assert "Dedup key already used" in str(caught.value)
    assert "409" in str(caught.value)


async def test_403_says_privilege(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(403, json={"message": "This action is unauthorized."}))
    client = make_sqod(script)

    with pytest.raises(PermissionDeniedError) as caught:
        await _send(client)

    assert "privilege" in str(caught.value)
    assert "This action is unauthorized." in str(caught.value)


async def test_unknown_fields_and_enum_values_are_kept(
    make_sqod: SqodFactory, caplog: pytest.LogCaptureFixture
) -> None:
    body = message_json()
    body["data"]["delivery_channel"] = "sms"
    body["data"]["sender"]["role"] = "brand-new-role"
    body["data"]["sender"]["team"] = {"id": 7}
    script = Script(httpx.Response(201, json=body))
    client = make_sqod(script, strict_responses=True)

    result = await _send(client)

    assert result.model_extra == {"delivery_channel": "sms"}
    assert result.sender is not None
    assert result.sender.role == "brand-new-role"
    assert result.sender.model_extra == {"team": {"id": 7}}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_302_redirect_raises_status_error_not_parse_error(make_sqod: SqodFactory) -> None:
    redirect = httpx.Response(
        302,
        headers={"Location": "https://acme.sqod.test/login"},
        html='<html><head><meta http-equiv="refresh" content="0;url=/login" /></head>'
        "<body>Redirecting to /login</body></html>",
    )
    script = Script(redirect, httpx.Response(201, json=message_json()))
    client = make_sqod(script)

    with pytest.raises(APIStatusError) as caught:
        await _send(client)

    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == 302
    assert caught.value.headers["Location"] == "https://acme.sqod.test/login"
    assert "302" in str(caught.value)
    assert "<html" not in str(caught.value)
    assert len(script.requests) == 1
