"""Defects 2, 3, 9, 10: hostile input from the caller is a ValueError before any I/O.

The error names the parameter or field and the problem, and never carries the value.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .leaks import assert_hidden
from .outcomes import record
from .vendors import (
    HERO,
    LOOP,
    PLANNR,
    SQOD,
    TOKEN_VENDORS,
    TWINS,
    VENDORS,
    Vendor,
    opened,
    resolve,
)

pytestmark = pytest.mark.anyio

SECRET = "canary-cred-41f0"
STRAY = {
    "newline": "\n",
    "crlf": "\r\n",
    "nbsp": "\u00a0",
    "zero-width space": "\u200b",
    "accented letter": "\u00e9",
    "trailing space": " ",
    "tab": "\t",
}


FORM_ENCODED = ("client_id", "client_secret")


def _secret_cases() -> list[Any]:
    cases = []
    for vendor in VENDORS:
        for kwarg in vendor.secret_kwargs:
            for label in ("newline", "nbsp", "zero-width space", "accented letter", "crlf"):
                if label == "accented letter" and kwarg in FORM_ENCODED:
                    continue  # percent-encoded on the wire (RFC 6749 2.3.1): a legitimate letter
                cases.append(pytest.param(vendor, kwarg, label, id=f"{vendor}-{kwarg}-{label}"))
    return cases


def _constructor_kwargs(vendor: Vendor, fake: Any, kwarg: str, value: str) -> dict[str, Any]:
    kwargs = vendor.kwargs(fake)
    if kwarg in ("client_id", "client_secret"):
        kwargs.pop("token", None)
        kwargs.update(fake.client_credentials)
    if kwarg == "default_headers":
        kwargs["default_headers"] = {"X-Trace": value}
    else:
        kwargs[kwarg] = value
    return kwargs


@pytest.mark.parametrize(("vendor", "kwarg", "label"), _secret_cases())
@pytest.mark.parametrize("twin", TWINS)
def test_a_credential_with_a_stray_character_is_refused_at_construction(
    vendor: Vendor, kwarg: str, label: str, twin: str
) -> None:
    fake = vendor.make_fake()
    value = SECRET + STRAY[label] if label != "accented letter" else SECRET + STRAY[label] + "x"
    kwargs = _constructor_kwargs(vendor, fake, kwarg, value)
    with pytest.raises(ValueError, match=kwarg) as caught:
        vendor.client_class(twin)(**kwargs)
    problem = (
        "control or invisible" if kwarg in FORM_ENCODED else "cannot be sent in an HTTP header"
    )
    assert problem in str(caught.value)
    assert_hidden(SECRET, caught.value)
    stray = "newline, CR/LF, NBSP, zero-width space" + (
        "" if kwarg in FORM_ENCODED else ", accented letter"
    )
    record(f"credential `{kwarg}` with a stray character ({stray})", "ValueError at construction")


def _unencodable_calls() -> list[Any]:
    bad = "half an emoji \ud83d"
    fake_calls: list[tuple[Vendor, str, Any]] = [
        (SQOD, "message", lambda c, f: c.appointments.send_message(f.appointment_id, message=bad)),
        (SQOD, "appointment_id", lambda c, f: c.appointments.send_message(bad, message="hi")),
        (
            SQOD,
            "cancellation_reason",
            lambda c, f: c.appointments.cancel(f.appointment_id, cancellation_reason=bad),
        ),
        (
            SQOD,
            "files",
            lambda c, f: c.appointments.update(f.appointment_id, files={"a": (bad, b"x")}),
        ),
        (
            PLANNR,
            "contents",
            lambda c, f: c.conversations.send_message(f.conversation_uuid, contents=bad),
        ),
        (
            PLANNR,
            "contents",
            lambda c, f: c.conversations.send_message_with_attachments(
                f.conversation_uuid, contents=bad, files=[b"%PDF"]
            ),
        ),
        (
            HERO,
            "message_string",
            lambda c, f: c.messages.send(patient_id="1", message_type="sms", message_string=bad),
        ),
        (HERO, "message_id", lambda c, f: c.messages.get(bad)),
        (LOOP, "variables", lambda c, f: LOOP.send(c, f, bad, "k1")),
        (
            LOOP,
            "variables",
            lambda c, f: c.messages.send(
                channel="sms",
                template_key="t",
                recipient="+447700900123",
                brand_id=f.brand_id,
                person_id="p",
                dedup_key="k2",
                variables={bad: "x"},
            ),
        ),
        (
            LOOP,
            "recipient",
            lambda c, f: c.messages.schedule(
                channel="sms",
                template_key="t",
                recipient=bad,
                brand_id=f.brand_id,
                person_id="p",
                dedup_key="k3",
                scheduled_at="2030-01-01T09:00:00Z",
            ),
        ),
        (LOOP, "brand_id", lambda c, f: c.messages.list_scheduled(brand_id=bad)),
        (LOOP, "message_id", lambda c, f: c.messages.get(bad)),
    ]
    return [
        pytest.param(v, field, call, id=f"{v}-{field}-{i}")
        for i, (v, field, call) in enumerate(fake_calls)
    ]


@pytest.mark.parametrize(("vendor", "field", "call"), _unencodable_calls())
@pytest.mark.parametrize("twin", TWINS)
async def test_unencodable_text_is_a_value_error_naming_the_field(
    vendor: Vendor, field: str, call: Any, twin: str
) -> None:
    fake = vendor.make_fake()
    async with opened(vendor, twin, fake) as client:
        with pytest.raises(ValueError, match=field) as caught:
            await resolve(call(client, fake))
    assert not isinstance(caught.value, UnicodeError)
    assert_hidden("half an emoji", caught.value)
    assert fake.requests == []
    record(f"lone surrogate in `{field}` ({vendor})", "ValueError naming the field, nothing sent")


BAD_URL_ENDINGS = {"trailing space": " ", "tab": "\t", "CR/LF": "\r\n", "NUL": "\x00"}


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize(
    ("ending", "source"),
    # The environment cannot hold a NUL: the OS refuses it before any client sees it.
    [
        (e, s)
        for e in BAD_URL_ENDINGS
        for s in ("argument", "environment")
        if (e, s) != ("NUL", "environment")
    ],
)
def test_a_base_url_with_whitespace_or_control_characters_is_refused(
    vendor: Vendor, ending: str, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = vendor.make_fake()
    kwargs = vendor.kwargs(fake)
    url = "https://api.example.test" + BAD_URL_ENDINGS[ending]
    if ending == "tab":
        url = "https://api.exa\tmple.test"
    if source == "argument":
        kwargs["base_url"] = url
    else:
        del kwargs["base_url"]
        monkeypatch.setenv(vendor.base_url_env, url)
    with pytest.raises(ValueError, match="base_url"):
        vendor.sync_cls(**kwargs)
    record(f"base URL with {ending} ({source})", "ValueError at construction")


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
@pytest.mark.parametrize("ending", BAD_URL_ENDINGS, ids=str)
def test_a_token_url_with_whitespace_or_control_characters_is_refused(
    vendor: Vendor, ending: str
) -> None:
    fake = vendor.make_fake()
    kwargs = {"base_url": fake.base_url, **fake.client_credentials}
    with pytest.raises(ValueError, match="token_url"):
        vendor.sync_cls(token_url="https://auth.example.test/t" + BAD_URL_ENDINGS[ending], **kwargs)
    record(f"token URL with {ending}", "ValueError at construction")


INJECTED = "application/pdf\r\nContent-Disposition: form-data; name=evil"


def _injections() -> list[Any]:
    return [
        pytest.param(
            PLANNR,
            lambda c, f, ct: c.conversations.send_message_with_attachments(
                f.conversation_uuid, contents="hi", files=[("a.pdf", b"%PDF", ct)]
            ),
            id="plannr-attachments",
        ),
        pytest.param(
            SQOD,
            lambda c, f, ct: c.appointments.update(
                f.appointment_id, files={"avatar": ("a.pdf", b"%PDF", ct)}
            ),
            id="sqod-update-files",
        ),
    ]


@pytest.mark.parametrize(("vendor", "call"), _injections())
@pytest.mark.parametrize("content_type", [INJECTED, "text/plain\x00", "image/png\x7f"])
@pytest.mark.parametrize("twin", TWINS)
async def test_a_multipart_content_type_with_control_characters_is_refused(
    vendor: Vendor, call: Any, content_type: str, twin: str
) -> None:
    fake = vendor.make_fake()
    async with opened(vendor, twin, fake) as client:
        with pytest.raises(ValueError, match="content type"):
            await resolve(call(client, fake, content_type))
    assert fake.requests == []
    record("multipart content type with CR/LF or control characters", "ValueError, nothing sent")


def test_a_clean_content_type_is_sent_as_given() -> None:
    fake = PLANNR.make_fake()
    with fake.client() as client:
        client.conversations.send_message_with_attachments(
            fake.conversation_uuid, contents="hi", files=[("a.pdf", b"%PDF", "application/pdf")]
        )
    assert b"Content-Type: application/pdf\r\n" in fake.requests[-1].content
    assert isinstance(fake.requests[-1], httpx.Request)
