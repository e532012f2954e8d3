"""What a failed call of every vendor raises: the status table, the error text, odd 2xx answers."""

from __future__ import annotations

import logging

import httpx
import pytest

from client_core import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import Script, resolve
from tests.contract.vendors import Vendor

pytestmark = pytest.mark.anyio

NO_RETRIES = RetryPolicy.no_wait(max_retries=0)

STATUS_TABLE = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (599, InternalServerError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "error_class"), STATUS_TABLE, ids=[s for s, _ in STATUS_TABLE])
@pytest.mark.parametrize("kind", ["send", "read"])
async def test_a_status_becomes_its_error_with_status_body_and_request_id(
    vendor: Vendor, twin: str, kind: str, status: int, error_class: type[APIStatusError]
) -> None:
    body = vendor.error_json(f"vendor says {status}")
    headers = {"x-request-id": f"req-{status}", "X-Ratelimit-Remaining": "41"}
    script = Script(httpx.Response(status, json=body, headers=headers))
    client = vendor.build(twin, script, retry_policy=NO_RETRIES)

    with pytest.raises(APIStatusError) as caught:
        await resolve(vendor.call(kind, client))

    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, APIError)
    assert len(script.requests) == 1
    assert (error.status_code, error.response.status_code) == (status, status)
    assert error.body == body
    assert error.request_id == f"req-{status}"
    assert error.request is script.requests[0]
    assert error.headers["X-Ratelimit-Remaining"] == "41"
    text = str(error)
    assert str(status) in text
    assert vendor.error_text(f"vendor says {status}") in text
    assert f"req-{status}" in text


@pytest.mark.parametrize("status", [403, 500, 502])
async def test_an_html_error_page_is_kept_in_the_body_not_the_message(
    vendor: Vendor, twin: str, status: int
) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>CloudFront Gateway</title></head>"
        "<body><h1>Request blocked</h1></body></html>"
    )
    client = vendor.build(twin, Script(httpx.Response(status, html=page)), retry_policy=NO_RETRIES)

    with pytest.raises(APIStatusError) as caught:
        await resolve(vendor.read(client, vendor.read_id))

    text = str(caught.value)
    assert str(status) in text
    for fragment in ("<html", "CloudFront Gateway", "Request blocked"):
        assert fragment not in text
    assert caught.value.body == page


async def test_a_plain_text_error_body_is_in_the_message(vendor: Vendor, twin: str) -> None:
    script = Script(httpx.Response(500, text="Unknown error"))
    client = vendor.build(twin, script, retry_policy=NO_RETRIES)

    with pytest.raises(InternalServerError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    assert "500" in str(caught.value)
    assert "Unknown error" in str(caught.value)
    assert caught.value.body == "Unknown error"
    assert len(script.requests) == 1


async def test_an_error_without_a_request_id_says_nothing_about_it(
    vendor: Vendor, twin: str
) -> None:
    client = vendor.build(twin, Script(httpx.Response(404, json=vendor.error_json("Not here"))))

    with pytest.raises(NotFoundError) as caught:
        await resolve(vendor.read(client, vendor.read_id))

    assert caught.value.request_id is None
    assert "request id" not in str(caught.value)
    assert vendor.error_text("Not here") in str(caught.value)


async def test_a_401_says_to_check_the_credentials_without_showing_them(
    vendor: Vendor, twin: str
) -> None:
    script = Script(httpx.Response(401, json=vendor.error_json("Invalid credentials")))
    client = vendor.build(twin, script)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    text = str(caught.value)
    assert vendor.error_text("Invalid credentials") in text
    assert "token" in text.lower() or "credentials" in text.lower()
    for value in vendor.credentials.values():
        assert value not in text
    assert len(script.requests) == 1


@pytest.mark.parametrize(("header", "seconds"), [("7", 7.0), (None, None)])
async def test_a_429_carries_retry_after(
    vendor: Vendor, twin: str, header: str | None, seconds: float | None
) -> None:
    headers = {"Retry-After": header} if header else {}
    body = vendor.error_json("Too Many Requests")
    client = vendor.build(
        twin, Script(httpx.Response(429, json=body, headers=headers)), retry_policy=NO_RETRIES
    )

    with pytest.raises(RateLimitError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    assert caught.value.retry_after == seconds
    assert "429" in str(caught.value)
    assert vendor.error_text("Too Many Requests") in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [b"<html><body>OK</body></html>", b"message queued", b"", b"   ", b"{not json"],
    ids=["html", "text", "empty", "blank", "broken"],
)
async def test_a_2xx_that_is_not_json_says_the_vendor_accepted_the_request(
    vendor: Vendor, twin: str, body: bytes
) -> None:
    status = vendor.send_ok().status_code  # 201 for SQOD's send, 200 for the others
    script = Script(httpx.Response(status, content=body))
    client = vendor.build(twin, script)
    fake = vendor.fake()

    with pytest.raises(ResponseValidationError) as caught:
        await resolve(vendor.send(client, fake))

    assert isinstance(caught.value, APIError)
    assert caught.value.status_code == status
    assert "accepted the request" in str(caught.value)
    assert vendor.send_path(fake) in str(caught.value)
    assert len(script.requests) == 1  # the send was accepted: never repeated


async def test_an_off_spec_2xx_is_returned_with_a_warning_naming_fields_not_values(
    vendor: Vendor, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    off = vendor.off_spec
    script = Script(httpx.Response(off.status, json=off.body))

    result = await resolve(vendor.send(vendor.build(twin, script), vendor.fake()))

    assert type(result).__name__ == off.model
    assert off.kept(result) is not None
    assert len(script.requests) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    for name in (off.model, *off.fields):
        assert name in warnings[0]
    for value in off.hidden:
        assert value not in caplog.text + "\n".join(r.getMessage() for r in caplog.records)


async def test_an_off_spec_2xx_raises_when_strict_naming_fields_not_values(
    vendor: Vendor, twin: str
) -> None:
    off = vendor.off_spec
    script = Script(httpx.Response(off.status, json=off.body))
    client = vendor.build(twin, script, strict_responses=True)

    with pytest.raises(ResponseValidationError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    text = str(caught.value)
    assert "accepted the request" in text
    for name in (off.model, *off.fields):
        assert name in text
    for value in off.hidden:
        assert value not in text
        assert value not in repr(caught.value)
    assert len(script.requests) == 1


# Every header the core reads a request id from, and which wins when several are present.
REQUEST_ID_TABLE: list[tuple[dict[str, str], str | None]] = [
    ({"x-request-id": "r-x"}, "r-x"),
    ({"request-id": "r-plain"}, "r-plain"),
    ({"x-amzn-requestid": "r-amzn"}, "r-amzn"),
    ({"x-correlation-id": "r-corr"}, "r-corr"),
    ({"x-correlation-id": "r-corr", "x-request-id": "r-x"}, "r-x"),
    ({"x-correlation-id": "r-corr", "request-id": "r-plain"}, "r-plain"),
    ({"x-correlation-id": "r-corr", "x-amzn-requestid": "r-amzn"}, "r-amzn"),
    ({"x-amzn-requestid": "r-amzn", "request-id": "r-plain"}, "r-plain"),
    ({"x-amzn-requestid": "r-amzn", "x-request-id": "r-x"}, "r-x"),
    ({"request-id": "r-plain", "x-request-id": "r-x"}, "r-x"),
    ({"x-request-id": "", "x-correlation-id": "r-corr"}, "r-corr"),
    ({"X-Request-ID": "r-upper"}, "r-upper"),
    ({"x-trace-id": "r-other"}, None),
]


@pytest.mark.parametrize(
    ("headers", "expected"), REQUEST_ID_TABLE, ids=["+".join(h) for h, _ in REQUEST_ID_TABLE]
)
@pytest.mark.parametrize("where", ["error", "raw_response"])
async def test_the_request_id_header_table(
    vendor: Vendor, twin: str, where: str, headers: dict[str, str], expected: str | None
) -> None:
    if where == "error":
        answer = httpx.Response(404, json=vendor.error_json("gone"), headers=headers)
        client = vendor.build(twin, Script(answer))
        with pytest.raises(NotFoundError) as caught:
            await resolve(vendor.read(client, vendor.read_id))
        assert caught.value.request_id == expected
        assert expected is None or f"request id {expected}" in str(caught.value)
        return
    ok = vendor.read_ok()
    answer = httpx.Response(200, content=ok.content, headers={**ok.headers, **headers})
    result = await resolve(vendor.read(vendor.build(twin, Script(answer)), vendor.read_id))

    assert raw_response(result).request_id == expected
