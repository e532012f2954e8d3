"""The whole fault table on the fast async path, side by side with the default one.

Every vendor's send goes over a real socket to its fake's `serve()`, once through httpx's own
pool (`path="httpx"`) and once through `AiohttpClient` (`path="aiohttp"`); both must give the
same outcome: what was raised, how many messages the vendor holds, how many requests it saw.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from client_core import AiohttpClient, APIError, RetryPolicy, raw_response
from hero_client import AsyncHeroClient
from hero_client.testing import FakeHero
from loop_comms_client import AsyncLoopCommsClient
from loop_comms_client.testing import TOKEN_PATH as LOOP_TOKEN_PATH
from loop_comms_client.testing import FakeLoopComms
from plannr_client import AsyncPlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient
from sqod_client.testing import TOKEN_PATH as SQOD_TOKEN_PATH
from sqod_client.testing import FakeSqod

pytestmark = pytest.mark.anyio

TIMEOUT = httpx.Timeout(0.5, connect=2.0)
TOMORROW = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


@dataclass(frozen=True)
class Vendor:
    """How to make one vendor's async client and its main send, and where the send goes."""

    name: str
    fake: Callable[[], Any]
    client: Callable[..., Any]
    send: Callable[[Any, Any], Any]
    path: Callable[[Any], str]
    token_path: str | None = None
    """The vendor's OAuth2 token endpoint on the fake, for vendors with client credentials."""


VENDORS = [
    Vendor(
        "sqod",
        FakeSqod,
        AsyncSqodClient,
        lambda c, f: c.appointments.send_message(f.appointment_id, message="Running late"),
        lambda f: f"/api/v1/appointments/{f.appointment_id}/messages",
        SQOD_TOKEN_PATH,
    ),
    Vendor(
        "plannr",
        FakePlannr,
        AsyncPlannrClient,
        lambda c, f: c.conversations.send_message(f.conversation_uuid, contents="Pack attached"),
        lambda f: f"/api/v1/conversation/{f.conversation_uuid}/messages",
    ),
    Vendor(
        "hero",
        FakeHero,
        AsyncHeroClient,
        lambda c, f: c.messages.send(
            patient_id=f.patient_id, message_type="sms", message_string="Flu clinic"
        ),
        lambda f: "/v1/messages/send",
    ),
    Vendor(
        "loop",
        FakeLoopComms,
        AsyncLoopCommsClient,
        lambda c, f: c.messages.schedule(
            channel="sms",
            template_key="appointment_reminder",
            recipient="+447700900123",
            brand_id=f.brand_id,
            person_id="person-42",
            dedup_key=f"reminder-{len(f.requests)}",  # a new key per call; retries reuse it
            scheduled_at=TOMORROW,
        ),
        lambda f: "/v1/messages/schedule",
        LOOP_TOKEN_PATH,
    ),
]
BY_NAME = {vendor.name: vendor for vendor in VENDORS}


@pytest.fixture(params=["httpx", "aiohttp"])
def path(request: pytest.FixtureRequest) -> str:
    """Which async path sends: httpx's own pool, or the fast path."""
    return str(request.param)


@pytest.fixture(params=[v.name for v in VENDORS])
def vendor(request: pytest.FixtureRequest) -> Vendor:
    return BY_NAME[request.param]


async def http_client(path: str) -> httpx.AsyncClient:
    return (
        AiohttpClient(timeout=TIMEOUT) if path == "aiohttp" else httpx.AsyncClient(timeout=TIMEOUT)
    )


@dataclass
class Served:
    fake: Any
    url: str
    vendor: Vendor
    path: str

    async def send(self, **credentials: Any) -> tuple[str, Any]:
        """Send once; the outcome's class name (or "ok") and the result or the error."""
        http = await http_client(self.path)
        credentials = credentials or dict(self.fake.credentials)
        client = self.vendor.client(
            base_url=self.url,
            http_client=http,
            retry_policy=RetryPolicy.no_wait(),
            timeout=TIMEOUT,
            **credentials,
        )
        try:
            result = await self.vendor.send(client, self.fake)
        except APIError as error:
            return type(error).__name__, error
        finally:
            await http.aclose()
        return "ok", result

    def sends_seen(self) -> int:
        """Requests that reached the send's path (retries included)."""
        return sum(r.url.path == self.vendor.path(self.fake) for r in self.fake.requests)


@pytest.fixture
async def served(vendor: Vendor, path: str) -> AsyncIterator[Served]:
    fake = vendor.fake()
    with fake.serve() as url:
        yield Served(fake, url, vendor, path)


def accepted(served: Served) -> int:
    return len(served.fake.messages)


# A send without a dedup key is never repeated once it may have arrived; Loop's carries its key,
# so it is retried and Loop's 409 says the first attempt was probably accepted.
LOST = {"sqod": "OutcomeUnknownError", "plannr": "OutcomeUnknownError",
        "hero": "OutcomeUnknownError", "loop": "ConflictError"}  # fmt: skip


async def test_a_dropped_connection_after_the_vendor_acted(served: Served) -> None:
    served.fake.drop_next()
    outcome, error = await served.send()

    assert outcome == LOST[served.vendor.name]
    assert accepted(served) == 1
    retried = served.vendor.name == "loop"
    assert served.sends_seen() == (2 if retried else 1)
    if not retried:
        assert error.sent is True


async def test_an_answer_that_never_comes(served: Served) -> None:
    served.fake.timeout_next()
    outcome, _ = await served.send()

    assert outcome == LOST[served.vendor.name]
    assert accepted(served) == 1
    assert served.sends_seen() == (2 if served.vendor.name == "loop" else 1)


async def test_a_connection_closed_unread_is_not_taken_for_never_sent(served: Served) -> None:
    served.fake.refuse_next()  # over a socket: accepted, then reset before any answer
    outcome, error = await served.send()

    if served.vendor.name == "loop":
        assert outcome == "ok"  # retried with its dedup key
        assert accepted(served) == 1
    else:
        assert outcome == "OutcomeUnknownError"
        assert error.sent is True
        assert accepted(served) == 0


async def test_a_refused_connect_is_retried_and_reported_as_never_sent(
    vendor: Vendor, path: str
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fake = vendor.fake()
    outcome, error = await Served(fake, f"http://127.0.0.1:{port}", vendor, path).send()

    assert outcome == "APIConnectionError"
    assert error.sent is False
    assert "ConnectError" in str(error)


async def test_a_429_is_retried_and_sent_once(served: Served) -> None:
    served.fake.fail_next(429, retry_after=0)
    outcome, result = await served.send()

    assert outcome == "ok"
    assert raw_response(result).retries_taken == 1
    assert accepted(served) == 1


@pytest.mark.parametrize("status", [500, 503])
async def test_a_5xx_is_retried_only_for_a_send_with_a_dedup_key(
    served: Served, status: int
) -> None:
    served.fake.fail_next(status)
    outcome, _ = await served.send()

    if served.vendor.name == "loop":
        assert outcome == "ok"
        assert served.sends_seen() == 2
        assert accepted(served) == 1
    else:
        assert outcome == "InternalServerError"
        assert served.sends_seen() == 1
        assert accepted(served) == 0


@pytest.mark.parametrize("vendor", [v for v in VENDORS if v.token_path], ids=lambda v: v.name)
async def test_an_expired_token_is_refreshed_once_and_the_send_goes_once(served: Served) -> None:
    token_path = served.vendor.token_path
    assert token_path is not None
    credentials = {**served.fake.client_credentials, "token_url": served.url + token_path}
    first, _ = await served.send(**credentials)
    served.fake.expire_tokens()
    before = len(served.fake.requests)
    outcome, _ = await served.send(**credentials)

    assert (first, outcome) == ("ok", "ok")
    paths = [r.url.path for r in served.fake.requests[before:]]
    send = served.vendor.path(served.fake)
    # A new client fetches a token, is refused with 401, refreshes, and sends once more.
    assert paths.count(token_path) >= 1
    assert paths[-1] == send
    assert served.sends_seen() == paths.count(send) + 1
