"""The contract table: what the shared suite needs to know about each vendor, one row each.

A test takes `vendor` (one `Vendor` row) and `twin` ("sync" or "async"). Calls take the client
and a fake of the vendor (a fresh one where the test only needs valid ids), and return the
result, or a coroutine for the async twin: `await resolve(vendor.send(client, fake))`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx

from hero_client import AsyncHeroClient, HeroClient
from hero_client.testing import FakeHero
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from loop_comms_client.testing import FakeLoopComms
from plannr_client import AsyncPlannrClient, PlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import FakeSqod
from tests.conftest import (
    BASE_URL,
    CANARY,
    HERO_PRACTICE_GROUP_ID,
    LOOP_TOKEN_URL,
    PLANNR_ACCOUNT_UUID,
    TOKEN_URL,
    appointment_json,
    message_json,
)
from tests.loop_comms.conftest import MESSAGE_ID, sent
from tests.plannr.payloads import conversation_json, page_response
from tests.plannr.payloads import message_json as plannr_message_json

Invoke = Callable[..., Any]

# The three ways a secret reaches a client that can fetch tokens: as the static token, as the
# client secret, and as the access token the token endpoint hands out (it always hands out
# CANARY in the secrets tests).
OAUTH_SECRETS: dict[str, dict[str, str]] = {
    "static-token": {"token": CANARY},
    "client-secret": {"client_id": "client-1", "client_secret": CANARY},
    "access-token": {"client_id": "client-1", "client_secret": "not-the-canary"},
}


@dataclass(frozen=True)
class OffSpec:
    """A 2xx answer to the send that breaks the vendor's schema, and what it must show."""

    body: dict[str, Any]
    model: str
    fields: tuple[str, ...]
    """The fields a warning or error names."""
    hidden: tuple[str, ...]
    """Values from the body that must never be shown (the patient's words, other data)."""
    kept: Callable[[Any], object]
    """A value of the lenient result, to show it was parsed anyway."""
    status: int = 200


@dataclass(frozen=True)
class Vendor:
    """One vendor as the contract suite sees it."""

    name: str
    sync: type[Any]
    async_: type[Any]
    fake: Callable[[], Any]
    logger: str
    credentials: dict[str, str]
    """Valid constructor keywords besides `base_url` (what the Script-driven tests use)."""
    other_credentials: dict[str, str]
    """A second valid set of the same keywords, for the environment tests."""
    env: dict[str, str]
    """Each keyword of `credentials` and its environment variable."""
    base_url_env: str
    default_base_url: str | None
    wire: Callable[[Mapping[str, str]], dict[str, str]]
    """The headers a request carries for the given credentials."""
    send: Invoke
    """The vendor's main send: `send(client, fake, text="...")`."""
    send_ok: Callable[[], httpx.Response]
    send_path: Callable[[Any], str]
    dedup: bool
    """Whether the send carries a dedup key, which makes it safe to retry."""
    read: Invoke
    """A safe call (GET): `read(client, message_id)`."""
    read_ok: Callable[[], httpx.Response]
    read_id: str
    """The message id `read` takes in Script-driven tests."""
    message_id: Callable[[Any], str]
    """The id `read` takes, from what `send` returned."""
    resources: tuple[str, ...]
    error_json: Callable[[str], dict[str, str]]
    """An error body as the vendor writes it, around `message`."""
    error_text: Callable[[str], str]
    """What `str(error)` shows of that body."""
    bad_send: Invoke
    """A send with one invalid argument, named by `bad_field`: `bad_send(client, fake, text)`."""
    bad_field: str
    broken: Callable[[str], tuple[dict[str, Any], str]]
    """Constructor keywords holding `secret` with one other keyword wrong, and that keyword."""
    off_spec: OffSpec
    repeatable: Invoke | None = None
    """A write safe to repeat, if the vendor has one: `repeatable(client, fake)`."""
    repeatable_ok: Callable[[], httpx.Response] | None = None
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Ways a secret reaches the client: keywords replacing the `credentials`."""
    token_url: str | None = None

    def __str__(self) -> str:
        return self.name

    def build(self, twin: str, handler: Any, **options: Any) -> Any:
        """The twin around `handler` with the vendor's test credentials and no-wait retries."""
        from client_core import RetryPolicy

        transport = httpx.MockTransport(handler)
        options.setdefault("retry_policy", RetryPolicy.no_wait())
        for name, value in self.credentials.items():
            options.setdefault(name, value)
        if self.default_base_url is None:
            options.setdefault("base_url", BASE_URL)
        if twin == "sync":
            return self.sync(http_client=httpx.Client(transport=transport), **options)
        return self.async_(http_client=httpx.AsyncClient(transport=transport), **options)

    def call(self, kind: str, client: Any, *text: str) -> Any:
        """`send` (to a fresh fake's ids, of `text` if given) or `read` (of `read_id`)."""
        if kind == "send":
            return self.send(client, self.fake(), *text)
        return self.read(client, self.read_id)

    def cls(self, twin: str) -> Any:
        return self.sync if twin == "sync" else self.async_


def _plain_error(message: str) -> dict[str, str]:
    return {"message": message}


def _loop_error(message: str) -> dict[str, str]:
    return {"error": "some_code", "message": message}


def fault_body(vendor: Vendor, status: int) -> dict[str, str]:
    """The body a fake answers a staged `fail_next(status)` with."""
    phrase = HTTPStatus(status).phrase
    if vendor.name == "loop":
        return {"error": phrase.lower().replace(" ", "_"), "message": phrase}
    return {"message": phrase}


def _bearer(creds: Mapping[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {creds['token']}"}


SQOD = Vendor(
    name="sqod",
    sync=SqodClient,
    async_=AsyncSqodClient,
    fake=FakeSqod,
    logger="sqod_client",
    credentials={"token": "test-token"},
    other_credentials={"token": "env-token"},
    env={"token": "SQOD_TOKEN"},
    base_url_env="SQOD_BASE_URL",
    default_base_url=None,
    wire=_bearer,
    send=lambda c, f, text="Running late": c.appointments.send_message(
        f.appointment_id, message=text
    ),
    send_ok=lambda: httpx.Response(201, json=message_json()),
    send_path=lambda f: f"/api/v1/appointments/{f.appointment_id}/messages",
    dedup=False,
    read=lambda c, _id: c.appointments.list(),
    read_ok=lambda: httpx.Response(200, json={"data": [{"id": "a-1", "status": "scheduled"}]}),
    read_id="unused",
    message_id=lambda sent: str(sent.id),
    resources=("appointments",),
    error_json=_plain_error,
    error_text=lambda m: m,
    bad_send=lambda c, f, text: c.appointments.send_message("not-a-uuid-Distinct", message=text),
    bad_field="appointment_id",
    broken=lambda s: ({"token": s, "base_url": "http://sqod.example.com"}, "base_url"),
    # `User` requires id, last_name, email and role: this sender does not match the model.
    off_spec=OffSpec(
        body={
            "data": {
                **message_json()["data"],
                "message": "Running-late-secret-text",
                "sender": {"first_name": "Jane-Doe-Secret-Name", "last_name": 12345},
            }
        },
        model="AppointmentMessage",
        fields=("sender",),
        hidden=("Running-late-secret-text", "Jane-Doe-Secret-Name", "12345"),
        kept=lambda result: result.message,
        status=201,
    ),
    repeatable=lambda c, f: c.appointments.update(f.appointment_id, status="waiting"),
    repeatable_ok=lambda: httpx.Response(200, json=appointment_json()),
    secrets=OAUTH_SECRETS,
    token_url=TOKEN_URL,
)

PLANNR = Vendor(
    name="plannr",
    sync=PlannrClient,
    async_=AsyncPlannrClient,
    fake=FakePlannr,
    logger="plannr_client",
    credentials={"token": "test-token", "account_uuid": PLANNR_ACCOUNT_UUID},
    other_credentials={
        "token": "env-token",
        "account_uuid": "e0e1e2e3-e4e5-4e6e-8e7e-e8e9eaebeced",
    },
    env={"token": "PLANNR_TOKEN", "account_uuid": "PLANNR_ACCOUNT_UUID"},
    base_url_env="PLANNR_BASE_URL",
    default_base_url="https://api.plannrcrm.com",
    wire=lambda c: {**_bearer(c), "X-PLANNR-ACCOUNT-UUID": c["account_uuid"]},
    send=lambda c, f, text="Your review is booked": c.conversations.send_message(
        f.conversation_uuid, contents=text
    ),
    send_ok=lambda: httpx.Response(200, json=plannr_message_json()),
    send_path=lambda f: f"/api/v1/conversation/{f.conversation_uuid}/messages",
    dedup=False,
    read=lambda c, _id: c.conversations.list(),
    read_ok=lambda: page_response(
        "/api/v1/conversation", [conversation_json("8d3c1e0a-5b7f-4c2d-9e61-2f4a7b9c0d13")]
    ),
    read_id="unused",
    message_id=lambda sent: str(sent.uuid),
    resources=("conversations", "logins"),
    error_json=_plain_error,
    error_text=lambda m: m,
    bad_send=lambda c, f, text: c.conversations.send_message(
        f.conversation_uuid, contents=text, files=["not-a-file-uuid"]
    ),
    bad_field="files",
    broken=lambda s: ({"token": s, "account_uuid": "not-a-uuid"}, "account_uuid"),
    off_spec=OffSpec(
        body=plannr_message_json(
            edited="perhaps", created_at="Distinct-Date-99", contents="Patient Jane Canary-Doe"
        ),
        model="Message",
        fields=("edited", "created_at"),
        hidden=("perhaps", "Distinct-Date-99", "Patient Jane Canary-Doe"),
        kept=lambda result: result.uuid,
    ),
    secrets={"static-token": {"token": CANARY, "account_uuid": PLANNR_ACCOUNT_UUID}},
)

HERO = Vendor(
    name="hero",
    sync=HeroClient,
    async_=AsyncHeroClient,
    fake=FakeHero,
    logger="hero_client",
    credentials={"api_key": "test-api-key", "practice_group_id": HERO_PRACTICE_GROUP_ID},
    other_credentials={"api_key": "env-key", "practice_group_id": "777"},
    env={"api_key": "HERO_API_KEY", "practice_group_id": "HERO_PRACTICE_GROUP_ID"},
    base_url_env="HERO_BASE_URL",
    default_base_url="https://api.herohealth.net",
    wire=lambda c: {"x-api-key": c["api_key"], "x-practice-group-id": c["practice_group_id"]},
    send=lambda c, f, text="Your results are ready": c.messages.send(
        patient_id=f.patient_id, message_type="sms", message_string=text
    ),
    send_ok=lambda: httpx.Response(200, json={"message_id": "8812345"}),
    send_path=lambda f: "/v1/messages/send",
    dedup=False,
    read=lambda c, message_id: c.messages.get(message_id),
    read_ok=lambda: httpx.Response(200, json={"id": 8812345, "status": "delivered"}),
    read_id="8812345",
    message_id=lambda sent: str(sent.message_id),
    resources=("messages",),
    error_json=_plain_error,
    error_text=lambda m: m,
    bad_send=lambda c, f, text: c.messages.send(
        patient_id=f.patient_id, message_type="text", message_string=text
    ),
    bad_field="message_type",
    broken=lambda s: ({"api_key": s, "practice_group_id": ""}, "practice_group_id"),
    # message_id is required and created_at must be a timestamp: neither holds here.
    off_spec=OffSpec(
        body={"content": "Jane Canary-Doe: smear test", "created_at": "Tuesday-ish"},
        model="SentMessage",
        fields=("message_id", "created_at"),
        hidden=("Jane Canary-Doe: smear test", "Tuesday-ish"),
        kept=lambda result: result.content,
    ),
    secrets={"api-key": {"api_key": CANARY, "practice_group_id": HERO_PRACTICE_GROUP_ID}},
)


def _loop_send(client: Any, fake: Any, text: str = "Jane", **overrides: Any) -> Any:
    # A fresh dedup key per call: the fake refuses a key it has seen; retries reuse the bytes.
    fields = {
        "channel": "sms",
        "template_key": "appointment-reminder",
        "recipient": "+447700900123",
        "brand_id": fake.brand_id,
        "person_id": "person-42",
        "dedup_key": f"key-{uuid.uuid4().hex}",
        "variables": {"first_name": text},
        **overrides,
    }
    return client.messages.send(**fields)


LOOP = Vendor(
    name="loop",
    sync=LoopCommsClient,
    async_=AsyncLoopCommsClient,
    fake=FakeLoopComms,
    logger="loop_comms_client",
    credentials={"token": "test-token"},
    other_credentials={"token": "env-token"},
    env={"token": "LOOP_COMMS_TOKEN"},
    base_url_env="LOOP_COMMS_BASE_URL",
    default_base_url="https://comms.platform.loop.health",
    wire=_bearer,
    send=_loop_send,
    send_ok=sent,
    send_path=lambda f: "/v1/messages/send",
    dedup=True,
    read=lambda c, message_id: c.messages.get(message_id),
    read_ok=sent,
    read_id=MESSAGE_ID,
    message_id=lambda sent: str(sent.message_id),
    resources=("messages",),
    error_json=_loop_error,
    error_text=lambda m: f"some_code: {m}",
    bad_send=lambda c, f, text: _loop_send(c, f, text, channel="SMS-Canary"),
    bad_field="channel",
    broken=lambda s: ({"client_secret": s}, "client_id"),
    off_spec=OffSpec(
        body={"channel": "sms", "status": "queued", "provider": {"name": "Distinct-Provider"}},
        model="Message",
        fields=("message_id", "provider"),
        hidden=("Distinct-Provider",),
        kept=lambda result: result.status,
    ),
    repeatable=_loop_send,
    repeatable_ok=sent,
    secrets=OAUTH_SECRETS,
    token_url=LOOP_TOKEN_URL,
)

VENDORS = [SQOD, PLANNR, HERO, LOOP]
