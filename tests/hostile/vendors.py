"""The four vendors as the hostile suite sees them, from public names only.

Each `Vendor` knows its client twins, its fake, its main send (a message), one read, and which
constructor keywords are credentials, so one test body runs against every vendor and twin.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from hero_client import AsyncHeroClient, HeroClient
from hero_client.testing import FakeHero
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from loop_comms_client.testing import TOKEN_PATH as LOOP_TOKEN_PATH
from loop_comms_client.testing import FakeLoopComms
from plannr_client import AsyncPlannrClient, PlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient, RetryPolicy, SqodClient
from sqod_client.testing import TOKEN_PATH as SQOD_TOKEN_PATH
from sqod_client.testing import FakeSqod

TWINS = ("sync", "async")

# Canaries: values that must never surface in a log, an error, a repr or a pickle.
CANARY_TOKEN = "canary-token-5b1e9f"
CANARY_SECRET = "canary-secret-77c2aa"
CANARY_TEXT = "canary-message-text-3d8b"
CANARY_PATIENT = "9876543210"  # digits: Hero's patient ids are NHS-number-like


async def resolve(value: Any) -> Any:
    """Await the async twin's coroutine; pass the sync twin's value through."""
    return await value if inspect.isawaitable(value) else value


@dataclass(frozen=True)
class Vendor:
    """One vendor: how to build its clients and fake, send a message, and read something."""

    name: str
    sync_cls: type[Any]
    async_cls: type[Any]
    make_fake: Callable[[], Any]
    send: Callable[[Any, Any, str, str], Any]
    """`send(client, fake, text, key)`: the vendor's message send (`key` is Loop's dedup key)."""
    read: Callable[[Any, Any], Any]
    """`read(client, fake)`: one read call."""
    secret_kwargs: tuple[str, ...]
    """Constructor keywords that carry a credential or a header value."""
    token_path: str | None = None
    """Where the fake issues tokens (client-credentials vendors only)."""
    base_url_env: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    def client_class(self, twin: str) -> type[Any]:
        return self.sync_cls if twin == "sync" else self.async_cls

    def kwargs(self, fake: Any) -> dict[str, Any]:
        """Constructor keywords for `fake`'s credentials and base URL (no http_client)."""
        options = dict(fake.credentials)
        options["base_url"] = fake.base_url
        return options

    def build(self, twin: str, fake: Any, **options: Any) -> Any:
        """A client of `twin` for `fake`, sending through `http_client` or a MockTransport."""
        merged = {**self.kwargs(fake), **options}
        merged.setdefault("retry_policy", RetryPolicy.no_wait())
        if "http_client" not in merged:
            transport = fake.transport()
            http: Any = (
                httpx.Client(transport=transport)
                if twin == "sync"
                else httpx.AsyncClient(transport=transport)
            )
            merged["http_client"] = http
        return self.client_class(twin)(**merged)


async def close(client: Any) -> None:
    """Close a client of either twin (and the httpx client it was given)."""
    if hasattr(client, "aclose"):
        await client.aclose()
        await client._http.aclose()
    else:
        client.close()
        client._http.close()


@asynccontextmanager
async def opened(vendor: Vendor, twin: str, fake: Any, **options: Any) -> AsyncIterator[Any]:
    """`vendor.build(...)`, closed afterwards."""
    client = vendor.build(twin, fake, **options)
    try:
        yield client
    finally:
        await close(client)


def _loop_send(client: Any, fake: Any, text: str, key: str) -> Any:
    return client.messages.send(
        channel="sms",
        template_key="reminder",
        recipient="+447700900123",
        brand_id=fake.brand_id,
        person_id=CANARY_PATIENT,
        dedup_key=key,
        variables={"text": text},
    )


SQOD = Vendor(
    name="sqod",
    sync_cls=SqodClient,
    async_cls=AsyncSqodClient,
    make_fake=FakeSqod,
    send=lambda c, f, text, key: c.appointments.send_message(f.appointment_id, message=text),
    read=lambda c, f: c.appointments.list(),
    secret_kwargs=("token", "client_id", "client_secret", "default_headers"),
    token_path=SQOD_TOKEN_PATH,
    base_url_env="SQOD_BASE_URL",
)
PLANNR = Vendor(
    name="plannr",
    sync_cls=PlannrClient,
    async_cls=AsyncPlannrClient,
    make_fake=FakePlannr,
    send=lambda c, f, text, key: c.conversations.send_message(f.conversation_uuid, contents=text),
    read=lambda c, f: c.conversations.list_messages(f.conversation_uuid),
    secret_kwargs=("token", "default_headers"),
    base_url_env="PLANNR_BASE_URL",
)
HERO = Vendor(
    name="hero",
    sync_cls=HeroClient,
    async_cls=AsyncHeroClient,
    make_fake=FakeHero,
    send=lambda c, f, text, key: c.messages.send(
        patient_id=f.patient_id, message_type="sms", message_string=text
    ),
    read=lambda c, f: c.messages.get("100001"),
    secret_kwargs=("api_key", "practice_group_id", "default_headers"),
    base_url_env="HERO_BASE_URL",
)
LOOP = Vendor(
    name="loop",
    sync_cls=LoopCommsClient,
    async_cls=AsyncLoopCommsClient,
    make_fake=FakeLoopComms,
    send=_loop_send,
    read=lambda c, f: c.messages.get("msg-1"),
    secret_kwargs=("token", "client_id", "client_secret", "default_headers"),
    token_path=LOOP_TOKEN_PATH,
    base_url_env="LOOP_COMMS_BASE_URL",
)

VENDORS = (SQOD, PLANNR, HERO, LOOP)
TOKEN_VENDORS = (SQOD, LOOP)
"""Vendors with an OAuth2 client-credentials flow."""


def invoke(
    vendor: Vendor, kind: str, client: Any, fake: Any, text: str = "hi", key: str = "k1"
) -> Any:
    """The vendor's `send` or `read` (by `kind`), awaited for the async twin."""
    if kind == "send":
        return resolve(vendor.send(client, fake, text, key))
    return resolve(vendor.read(client, fake))


def sent_messages(fake: Any) -> int:
    """How many messages the fake accepted."""
    return len(fake.messages)


def credentials_client(vendor: Vendor, twin: str, fake: Any, **options: Any) -> Any:
    """A client-credentials client of a token vendor against `fake` (MockTransport)."""
    kwargs = {**fake.client_credentials}
    token_url = options.pop("token_url", None)
    if token_url is None:
        token_url = (
            "https://auth.app.sqod.co.uk/oauth2/token"
            if vendor is SQOD
            else "https://identity.platform.loop.health/v1/oauth/token"
        )
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    if "http_client" not in options:
        transport = fake.transport()
        options["http_client"] = (
            httpx.Client(transport=transport)
            if twin == "sync"
            else httpx.AsyncClient(transport=transport)
        )
    return vendor.client_class(twin)(
        base_url=options.pop("base_url", fake.base_url), token_url=token_url, **kwargs, **options
    )
