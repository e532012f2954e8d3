"""Every vendor keeps its secrets and the patient's words out of reprs, errors and log records.

Each way a secret reaches a client is tried (`Vendor.secrets`): as the static token or key, as
a client secret, and as the access token a token endpoint hands out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from client_core import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    raw_response,
)
from tests.conftest import CANARY, Routes, Script, collect, resolve, token_response
from tests.contract.vendors import VENDORS, Vendor

pytestmark = pytest.mark.anyio

PATIENT_TEXT = "Dear Jane Canary-Doe, your chlamydia test is negative"


WAYS = [(vendor, way) for vendor in VENDORS for way in vendor.secrets]
each_way = pytest.mark.parametrize(
    ("vendor", "way"), WAYS, ids=[f"{vendor}-{way}" for vendor, way in WAYS]
)


def routes(vendor: Vendor, *steps: Any) -> Routes:
    """API answers as given; a token endpoint, if the vendor has one, hands out the canary."""
    token_url = vendor.token_url or "https://no-token-endpoint.invalid"
    return Routes(Script(*steps), Script(token_response(CANARY)), token_url=token_url)


def client_for(vendor: Vendor, twin: str, handler: Any, way: str) -> Any:
    unset = dict.fromkeys(vendor.credentials)
    return vendor.build(twin, handler, **{**unset, **vendor.secrets[way]})


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


def assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args), str(record.msg)):
            assert_clean(text)
        assert record.exc_info is None or CANARY not in repr(record.exc_info[1])
    assert_clean(caplog.text)


@each_way
async def test_no_secret_in_any_repr_or_str(vendor: Vendor, twin: str, way: str) -> None:
    handler = routes(vendor, vendor.send_ok(), vendor.read_ok())
    client = client_for(vendor, twin, handler, way)

    result = await resolve(vendor.send(client, vendor.fake(), PATIENT_TEXT))
    read = await resolve(vendor.read(client, vendor.read_id))
    # the calls really were authorised with the canary, so the client holds it somewhere
    assert any(CANARY in value for value in handler.api.requests[0].headers.values())

    copy = client.with_options(timeout=5, max_retries=1, default_headers={"X-Trace": "t"})
    settings = client._settings
    things: list[object] = [client, copy, settings, settings.auth, settings.retry]
    things += [getattr(c, name) for c in (client, copy) for name in vendor.resources]
    things += [result, raw_response(result), read, raw_response(read)]
    if hasattr(read, "data"):
        things += await collect(read)
    for thing in things:
        assert CANARY not in repr(thing)
        assert CANARY not in str(thing)


# name: (first answer, given the vendor's error body; the call; what a send without / with a
# dedup key raises)
FAILURES: dict[str, tuple[Callable[[Any], Any], str, tuple[type[Exception], ...]]] = {
    "401": (lambda e: httpx.Response(401, json=e), "send", (AuthenticationError,) * 2),
    "403": (lambda e: httpx.Response(403, json=e), "send", (PermissionDeniedError,) * 2),
    "422": (
        lambda e: httpx.Response(422, json={**e, "errors": {"patient": ["?"]}}),
        "send",
        (UnprocessableEntityError,) * 2,
    ),
    "500-html": (
        lambda e: httpx.Response(500, html="<html><body>boom</body></html>"),
        "send",
        (InternalServerError,) * 2,
    ),
    "429-over-cap": (
        lambda e: httpx.Response(429, headers={"Retry-After": "600"}),
        "send",
        (RateLimitError,) * 2,
    ),
    "read-timeout": (lambda e: httpx.ReadTimeout, "send", (OutcomeUnknownError, APITimeoutError)),
    "dropped": (
        lambda e: httpx.RemoteProtocolError,
        "send",
        (OutcomeUnknownError, APIConnectionError),
    ),
    "connect-error": (lambda e: httpx.ConnectError, "send", (APIConnectionError,) * 2),
    "not-json-2xx": (
        lambda e: httpx.Response(200, text="ok"),
        "send",
        (ResponseValidationError,) * 2,
    ),
    "read-503": (lambda e: httpx.Response(503), "read", (InternalServerError,) * 2),
    "read-timeout-get": (lambda e: httpx.ReadTimeout, "read", (APITimeoutError,) * 2),
}


@each_way
@pytest.mark.parametrize("failure", FAILURES)
async def test_no_secret_or_patient_text_in_errors_or_debug_logs(
    vendor: Vendor,
    twin: str,
    way: str,
    failure: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    step, kind, expected = FAILURES[failure]
    handler = routes(vendor, step(vendor.error_json("Refused")))
    client = client_for(vendor, twin, handler, way)

    with pytest.raises(expected[vendor.dedup]) as caught:
        await resolve(vendor.call(kind, client, PATIENT_TEXT))

    assert type(caught.value) is expected[vendor.dedup]
    assert handler.api.requests
    assert all(CANARY in str(r.headers.values()) for r in handler.api.requests)
    for link in error_chain(caught.value):
        assert_clean(str(link))
        assert_clean(repr(link))
    assert_logs_clean(caplog)


@each_way
async def test_no_secret_or_patient_text_in_debug_logs_on_success_paths(
    vendor: Vendor, twin: str, way: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers: list[Any] = [vendor.send_ok(), httpx.Response(429), vendor.send_ok()]
    answers += [httpx.ConnectError, vendor.send_ok(), httpx.Response(503), vendor.read_ok()]
    handler = routes(vendor, *answers)
    client = client_for(vendor, twin, handler, way)
    fake = vendor.fake()

    for _ in range(3):
        await resolve(vendor.send(client, fake, PATIENT_TEXT))
    await resolve(vendor.read(client, vendor.read_id))

    assert len(handler.api.requests) == 7
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"POST {vendor.send_path(fake)}" in m and " -> 2" in m for m in messages), messages
    assert sum("retrying" in m for m in messages) == 3, messages
    assert_logs_clean(caplog)


@each_way
async def test_an_input_error_names_the_field_without_the_text_or_the_secret(
    vendor: Vendor, twin: str, way: str
) -> None:
    handler = routes(vendor, vendor.send_ok())
    client = client_for(vendor, twin, handler, way)

    with pytest.raises(ValueError, match=vendor.bad_field) as caught:
        await resolve(vendor.bad_send(client, vendor.fake(), PATIENT_TEXT))

    for text in (str(caught.value), repr(caught.value)):
        assert_clean(text)
        assert "Distinct" not in text
        assert "Canary" not in text
    assert handler.api.requests == []


async def test_a_construction_error_does_not_show_the_secret(vendor: Vendor, twin: str) -> None:
    options, field = vendor.broken(CANARY)
    unset = dict.fromkeys(vendor.credentials)

    with pytest.raises(ValueError, match=field) as caught:
        vendor.cls(twin)(**{**unset, "base_url": "https://api.vendor.test", **options})

    assert CANARY not in str(caught.value)
    assert CANARY not in repr(caught.value)
