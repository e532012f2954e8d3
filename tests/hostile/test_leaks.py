"""Leak scans: credentials, message text and patient ids never surface in what we produce.

Every vendor and twin runs every scenario (success, 401/403/422/500, retries, timeouts, drops,
refusals, bad input, token endpoint errors) with every logger at DEBUG. No canary may appear in
a log record, a warning, an exception (text, args, chain, traceback, pickle), or the repr/str
of our own objects (clients, resources, errors, raw responses). A model may show the message
text the vendor echoed back, so models are scanned for credentials only.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from client_core import APIError, raw_response
from sqod_client import RetryPolicy

from .leaks import exception_texts
from .outcomes import record
from .vendors import (
    CANARY_PATIENT,
    CANARY_TEXT,
    HERO,
    TOKEN_VENDORS,
    TWINS,
    VENDORS,
    Vendor,
    close,
    credentials_client,
    resolve,
)

pytestmark = pytest.mark.anyio

Stage = Callable[[Any, Vendor], None]

SCENARIOS: dict[str, Stage] = {
    "success": lambda f, v: None,
    "401": lambda f, v: f.fail_next(401),
    "403": lambda f, v: f.fail_next(403),
    "422": lambda f, v: f.fail_next(422),
    "500 then retries": lambda f, v: f.fail_next(500, times=3),
    "429 then success": lambda f, v: f.fail_next(429, retry_after=0),
    "timeout": lambda f, v: f.timeout_next(times=3),
    "dropped connection": lambda f, v: f.drop_next(times=3),
    "refused connection": lambda f, v: f.refuse_next(times=3),
}
TOKEN_SCENARIOS: dict[str, Stage] = {
    "token endpoint 401": lambda f, v: f.fail_next(401, path=v.token_path),
    "token endpoint 500": lambda f, v: f.fail_next(500, path=v.token_path, times=3),
    "token endpoint drop": lambda f, v: f.drop_next(path=v.token_path, times=3),
    "token expired mid-session": lambda f, v: f.expire_tokens(),
}


class Records(logging.Handler):
    """Every log record of every logger, formatted as a handler would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))


@pytest.fixture
def logs() -> Any:
    handler = Records()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    names = ["httpx", "httpcore", "sqod_client", "plannr_client", "hero_client"]
    for name in [*names, "loop_comms_client", "client_core"]:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _secrets(fake: Any) -> list[str]:
    # The account uuid Plannr takes is a tenant id the vendor echoes, not a secret.
    found = [str(v) for k, v in fake.credentials.items() if k in ("token", "api_key")]
    if hasattr(fake, "client_credentials"):
        found.append(fake.client_credentials["client_secret"])
    for request in fake.requests:  # issued tokens, as they arrived
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if token and scheme.lower() == "bearer":
            found.append(token)
    return sorted(set(found))


async def _scan(vendor: Vendor, twin: str, client: Any, fake: Any, logs: Records) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        texts: list[str] = []
        models: list[str] = []
        outcome = "returned"
        try:
            text = CANARY_TEXT
            if vendor is HERO:
                result = await resolve(
                    client.messages.send(
                        patient_id=fake.patient_id, message_type="sms", message_string=text
                    )
                )
            else:
                result = await resolve(vendor.send(client, fake, text, "dedup-canary"))
            models.append(repr(result) + str(result))
            texts.append(repr(raw_response(result)))
        except APIError as error:
            outcome = type(error).__name__
            texts += exception_texts(error)
        for obj in (client, *_resources(client)):
            texts += [repr(obj), str(obj)]
        await close(client)
    texts += logs.texts + [str(w.message) for w in caught]
    for secret in [*_secrets(fake), CANARY_TEXT, CANARY_PATIENT]:
        assert not [t for t in texts if secret in t], f"{secret!r} leaked"
    for secret in _secrets(fake):
        assert not [t for t in models if secret in t]
    return outcome


def _resources(client: Any) -> list[Any]:
    names = ("appointments", "conversations", "logins", "messages")
    return [getattr(client, n) for n in names if hasattr(type(client), n)]


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_nothing_secret_leaks_from_a_static_credential_client(
    vendor: Vendor, scenario: str, twin: str, logs: Records
) -> None:
    fake = vendor.make_fake()
    SCENARIOS[scenario](fake, vendor)
    client = vendor.build(twin, fake, timeout=1.0)
    outcome = await _scan(vendor, twin, client, fake, logs)
    record(f"leak scan: {scenario}", "no canary in logs, errors, pickles, reprs", ended=outcome)
    assert outcome  # every scenario ends in a value or one of our errors


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
@pytest.mark.parametrize("scenario", [*SCENARIOS, *TOKEN_SCENARIOS], ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_nothing_secret_leaks_from_a_client_credentials_client(
    vendor: Vendor, scenario: str, twin: str, logs: Records
) -> None:
    fake = vendor.make_fake()
    stage = SCENARIOS.get(scenario) or TOKEN_SCENARIOS[scenario]
    client = credentials_client(vendor, twin, fake, timeout=1.0)
    if scenario == "token expired mid-session":
        await resolve(vendor.send(client, fake, "warm-up", "dedup-warm-up"))  # holds a token
    stage(fake, vendor)
    outcome = await _scan(vendor, twin, client, fake, logs)
    record(f"leak scan: {scenario}", "no canary in logs, errors, pickles, reprs", ended=outcome)
    assert outcome


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_nothing_secret_leaks_from_bad_input(
    vendor: Vendor, twin: str, logs: Records
) -> None:
    fake = vendor.make_fake()
    client = vendor.build(twin, fake)
    with pytest.raises(ValueError, match="cannot be encoded") as caught:
        await resolve(vendor.send(client, fake, CANARY_TEXT + "\ud800", "dedup"))
    await close(client)
    texts = exception_texts(caught.value) + logs.texts + [repr(client)]
    for secret in [*_secrets(fake), CANARY_TEXT]:
        assert not [t for t in texts if secret in t]
    assert fake.requests == []
    record("leak scan: bad input (unencodable text)", "ValueError, nothing logged or sent")


@pytest.mark.parametrize("vendor", [HERO], ids=str)
@pytest.mark.parametrize("twin", TWINS)
async def test_an_unknown_patient_id_is_not_echoed(
    vendor: Vendor, twin: str, logs: Records
) -> None:
    fake = vendor.make_fake()
    client = vendor.build(twin, fake, retry_policy=RetryPolicy.no_wait())
    with pytest.raises(APIError) as caught:
        await resolve(
            client.messages.send(
                patient_id=CANARY_PATIENT, message_type="sms", message_string=CANARY_TEXT
            )
        )
    await close(client)
    for text in exception_texts(caught.value) + logs.texts:
        assert CANARY_PATIENT not in text
        assert CANARY_TEXT not in text
    record("leak scan: unknown patient id", "APIError without the id or text")
