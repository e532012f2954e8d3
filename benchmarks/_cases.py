"""What is measured: each vendor's main send and one read, and the raw httpx call it replaces.

Each case is run once against the vendor's fake with a recording transport. That yields the
answer to replay (status, body) and the request a careful user of raw httpx would send (same
method, URL, JSON body, credentials). Afterwards both sides are answered by one `Replay`, which
does the same trivial work for every client: a dict lookup and a canned `httpx.Response`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from client_core import AsyncAPIClient, SyncAPIClient
from hero_client import AsyncHeroClient, HeroClient
from hero_client.testing import FakeHero
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from loop_comms_client.testing import FakeLoopComms
from plannr_client import AsyncPlannrClient, PlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import FakeSqod

__all__ = ["Answer", "Case", "Replay", "cases"]

# Headers httpx adds by itself (or that describe the body): raw httpx sets its own.
_OWN_HEADERS = frozenset(
    {"host", "user-agent", "accept-encoding", "connection", "content-length", "content-type"}
)

Call = Callable[[Any], Any]
"""A client call: takes a vendor client, returns its result (or an awaitable on async)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A recorded answer: replayed as-is to every client."""

    status: int
    body: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class Case:
    """One vendor call, the clients that make it, and the raw httpx request that equals it."""

    name: str
    sync_client: Callable[[str, httpx.Client], SyncAPIClient]
    async_client: Callable[[str, httpx.AsyncClient], AsyncAPIClient]
    call: Call
    method: str
    path: str
    params: Mapping[str, str]
    json_body: object
    headers: Mapping[str, str]

    def raw(self, http: httpx.Client, base_url: str) -> object:
        """The same request with raw httpx: send, raise for status, decode the JSON."""
        response = http.request(
            self.method, base_url + self.path, params=self.params, json=self.json_body,
            headers=self.headers,
        )  # fmt: skip
        response.raise_for_status()
        return response.json()

    async def araw(self, http: httpx.AsyncClient, base_url: str) -> object:
        """`raw` on an `httpx.AsyncClient`."""
        response = await http.request(
            self.method, base_url + self.path, params=self.params, json=self.json_body,
            headers=self.headers,
        )  # fmt: skip
        response.raise_for_status()
        return response.json()


class Replay:
    """Answers every request from the recorded answers by method and path; nothing else."""

    def __init__(self, answers: Mapping[tuple[str, str], Answer]) -> None:
        self.answers = dict(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        answer = self.answers[request.method, request.url.path]
        return httpx.Response(
            answer.status, content=answer.body, headers={"Content-Type": answer.content_type}
        )

    def as_json(self) -> str:
        """The answers for another process (the loopback server)."""
        return json.dumps(
            [
                [m, p, a.status, a.body.decode(), a.content_type]
                for (m, p), a in self.answers.items()
            ]
        )

    @classmethod
    def from_json(cls, text: str) -> Replay:
        """The inverse of `as_json`."""
        return cls({(m, p): Answer(s, b.encode(), t) for m, p, s, b, t in json.loads(text)})


def _vendor_calls() -> list[tuple[str, Any, Any, Any, Call]]:
    """(name, fake, sync class, async class, call) for each vendor's main send and one read."""
    sqod, plannr, hero, loop = FakeSqod(), FakePlannr(), FakeHero(), FakeLoopComms()
    with hero.client() as client:
        sent = client.messages.send(
            patient_id=hero.patient_id, message_type="sms", message_string="Flu clinic"
        )
    hero_id = str(sent.message_id)
    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    loop_fields: dict[str, Any] = {
        "channel": "sms",
        "template_key": "appointment_reminder",
        "recipient": "+447700900123",
        "brand_id": loop.brand_id,
        "person_id": "person-42",
        "dedup_key": "reminder-1",
    }
    with loop.client() as client:
        read_fields = {**loop_fields, "dedup_key": "reminder-0"}
        scheduled_id = client.messages.schedule(**read_fields, scheduled_at=tomorrow).id
    conversation = plannr.conversation_uuid
    return [
        (
            "SQOD appointments.send_message",
            sqod, SqodClient, AsyncSqodClient,
            lambda c: c.appointments.send_message(sqod.appointment_id, message="Running late"),
        ),
        ("SQOD appointments.list", sqod, SqodClient, AsyncSqodClient,
         lambda c: c.appointments.list(per_page=1)),
        (
            "Plannr conversations.send_message",
            plannr, PlannrClient, AsyncPlannrClient,
            lambda c: c.conversations.send_message(conversation, contents="Pack attached"),
        ),
        ("Plannr conversations.list_messages", plannr, PlannrClient, AsyncPlannrClient,
         lambda c: c.conversations.list_messages(conversation, per_page=1)),
        (
            "Hero messages.send",
            hero, HeroClient, AsyncHeroClient,
            lambda c: c.messages.send(
                patient_id=hero.patient_id, message_type="sms", message_string="Flu clinic"
            ),
        ),
        ("Hero messages.get", hero, HeroClient, AsyncHeroClient,
         lambda c: c.messages.get(hero_id)),
        (
            "Loop messages.schedule",
            loop, LoopCommsClient, AsyncLoopCommsClient,
            lambda c: c.messages.schedule(**loop_fields, scheduled_at=tomorrow),
        ),
        ("Loop messages.get_scheduled", loop, LoopCommsClient, AsyncLoopCommsClient,
         lambda c: c.messages.get_scheduled(scheduled_id)),
    ]  # fmt: skip


def cases() -> tuple[list[Case], Replay]:
    """Every case, recorded against its fake, and the replay that answers all of them."""
    answers: dict[tuple[str, str], Answer] = {}
    recorded: list[Case] = []
    for name, fake, sync_cls, async_cls, call in _vendor_calls():
        seen: list[tuple[httpx.Request, httpx.Response]] = []

        def record(request: httpx.Request, fake: Any = fake, seen: list[Any] = seen) -> Any:
            response = fake.transport().handle_request(request)
            response.read()
            seen.append((request, response))
            return response

        credentials = dict(fake.credentials)

        def make_sync(
            url: str, http: httpx.Client, cls: Any = sync_cls, kw: Any = credentials
        ) -> Any:
            return cls(base_url=url, http_client=http, max_retries=0, **kw)

        def make_async(
            url: str, http: httpx.AsyncClient, cls: Any = async_cls, kw: Any = credentials
        ) -> Any:
            return cls(base_url=url, http_client=http, max_retries=0, **kw)

        with make_sync(
            fake.base_url, httpx.Client(transport=httpx.MockTransport(record))
        ) as client:
            call(client)
        request, response = seen[-1]
        assert response.is_success, (name, response.status_code, response.text)
        path = request.url.path
        answers[request.method, path] = Answer(
            response.status_code, response.content, response.headers["content-type"]
        )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _OWN_HEADERS}
        body = json.loads(request.content) if request.content else None
        params = dict(request.url.params.items())
        recorded.append(
            Case(name, make_sync, make_async, call, request.method, path, params, body, headers)
        )
    return recorded, Replay(answers)
