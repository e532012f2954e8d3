"""Defects 13 and 14: a closed client, and errors that must survive pickle without secrets."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from client_core import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from sqod_client import RetryPolicy
from tests.conftest import resolve
from tests.contract.vendors import CANARY_TEXT, LOOP, TWINS, VENDORS, Vendor, close, invoke

from .outcomes import record
from .tamper import http_client

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_a_call_on_a_closed_client_is_a_client_closed_error(
    vendor: Vendor, twin: str
) -> None:
    fake = vendor.fake()
    client = vendor.build_for(twin, fake)
    await close(client)
    with pytest.raises(ClientClosedError, match=vendor.cls(twin).__name__) as caught:
        await resolve(vendor.send(client, fake, "hi", "k1"))
    assert isinstance(caught.value, APIError)
    assert fake.requests == []
    record("call on a closed client", "ClientClosedError naming the client, nothing sent")


Stage = Callable[[Any], None]

# How to make each error class happen on a send: a fault staged on the fake, or an answer.
ERRORS: dict[type[APIError], tuple[str, Stage | bytes]] = {
    BadRequestError: ("send", lambda f: f.fail_next(400)),
    AuthenticationError: ("send", lambda f: f.fail_next(401)),
    PermissionDeniedError: ("send", lambda f: f.fail_next(403)),
    NotFoundError: ("send", lambda f: f.fail_next(404)),
    ConflictError: ("send", lambda f: f.fail_next(409)),
    UnprocessableEntityError: ("send", lambda f: f.fail_next(422)),
    RateLimitError: ("send", lambda f: f.fail_next(429, retry_after=7)),
    InternalServerError: ("send", lambda f: f.fail_next(500)),
    APIStatusError: ("send", lambda f: f.fail_next(418)),
    OutcomeUnknownError: ("send", lambda f: f.drop_next()),
    APITimeoutError: ("read", lambda f: f.timeout_next()),
    APIConnectionError: ("read", lambda f: f.drop_next()),
    ResponseValidationError: ("send", b"null"),  # a 200 with this body
}


async def _raise(vendor: Vendor, twin: str, cls: type[APIError]) -> tuple[APIError, Any]:
    fake = vendor.fake()
    call, stage = ERRORS[cls]
    options: dict[str, Any] = {"retry_policy": RetryPolicy(max_retries=0)}
    if isinstance(stage, bytes):
        body = stage
        options["http_client"] = http_client(
            twin, lambda request: httpx.Response(200, content=body)
        )
    else:
        stage(fake)
    client = vendor.build_for(twin, fake, **options)
    try:
        with pytest.raises(cls) as caught:
            await invoke(vendor, call, client, fake, CANARY_TEXT, "dedup-1")
    finally:
        await close(client)
    assert type(caught.value) is cls
    return caught.value, fake


def _secrets(fake: Any) -> list[str]:
    found = [v for v in fake.credentials.values() if isinstance(v, str) and len(v) > 8]
    if hasattr(fake, "client_credentials"):
        found.append(fake.client_credentials["client_secret"])
    return found


# Loop's sends carry a dedup key: a lost answer is retried, never reported as unknown.
_RAISABLE = [
    pytest.param(vendor, cls, id=f"{cls.__name__}-{vendor}")
    for cls in ERRORS
    for vendor in VENDORS
    if not (cls is OutcomeUnknownError and vendor is LOOP)
]


@pytest.mark.parametrize(("vendor", "cls"), _RAISABLE)
@pytest.mark.parametrize("twin", TWINS)
async def test_every_error_survives_pickle_without_credentials_or_body(
    vendor: Vendor, cls: type[APIError], twin: str
) -> None:
    error, fake = await _raise(vendor, twin, cls)
    data = pickle.dumps(error)
    copy = pickle.loads(data)
    assert type(copy) is cls
    assert copy.message == error.message == str(copy)
    assert getattr(copy, "status_code", None) == getattr(error, "status_code", None)
    assert getattr(copy, "sent", None) == getattr(error, "sent", None)
    assert getattr(copy, "retry_after", None) == getattr(error, "retry_after", None)
    assert getattr(copy, "request_id", None) == getattr(error, "request_id", None)
    if isinstance(error, APIStatusError) and isinstance(copy, APIStatusError):
        assert copy.headers.get("content-type") == error.headers.get("content-type")
    for secret in [*_secrets(fake), CANARY_TEXT]:
        assert secret.encode() not in data
    record(f"pickle round trip of {cls.__name__}", "same class, message, status; no secret")


def test_a_pickled_error_keeps_no_password_from_the_url() -> None:
    request = httpx.Request("GET", "https://user:canary-password@api.example.test/v1/x?page=2")
    error = NotFoundError(
        "404 Not Found", response=httpx.Response(404, request=request), body={"a": 1}
    )
    data = pickle.dumps(error)
    assert b"canary-password" not in data
    copy = pickle.loads(data)
    assert str(copy.request.url) == "https://api.example.test/v1/x?page=2"
    assert copy.body is None


def test_a_closed_client_error_survives_pickle() -> None:
    error = ClientClosedError("SqodClient is closed")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ClientClosedError
    assert copy.message == "SqodClient is closed"
    assert copy.request is None
