"""`make demo`: every call of all four clients, sync and async, against fakes on 127.0.0.1.

Each vendor's fake (`<vendor>_client.testing`) runs as a real HTTP server on a free loopback
port, so this needs no credentials and no network. Then two faults show the retry rules: a 429
is retried, and a send whose connection drops is reported, never resent. Exits 1 on a failure.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

from client_core import AsyncAPIClient, SyncAPIClient
from hero_client import AsyncHeroClient, HeroClient
from hero_client.testing import FakeHero
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from loop_comms_client.testing import FakeLoopComms
from plannr_client import AsyncPlannrClient, PlannrClient
from plannr_client.testing import FakePlannr
from sqod_client import AsyncSqodClient, OutcomeUnknownError, SqodClient, raw_response
from sqod_client.testing import FakeSqod

Step = tuple[str, Callable[[], object], Callable[[Any], str]]
"""A call's name, the call (returning a value, or an awaitable on an async client), a summary."""

TOMORROW = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def sqod_steps(sqod: SqodClient | AsyncSqodClient, fake: FakeSqod, twin: str) -> list[Step]:
    """SQOD: message the waiting caller, change the appointment, list, create and cancel."""
    seeded = fake.appointment_id
    letter = {"letter": ("letter.pdf", b"%PDF-1.4 demo", "application/pdf")}

    def newest() -> str:
        return list(fake.appointments)[-1]

    return [
        (
            "appointments.send_message",
            lambda: sqod.appointments.send_message(seeded, message="Running 5 minutes late"),
            lambda m: f"sent {m.message!r} to the waiting caller",
        ),
        (
            "appointments.update",
            lambda: sqod.appointments.update(seeded, status="waiting", duration_in_minutes=45),
            lambda a: f"status {a.status!r}, {a.duration_in_minutes} minutes",
        ),
        (
            "appointments.update(files=...)",
            lambda: sqod.appointments.update(seeded, files=letter, is_interpreter_needed=True),
            lambda a: f"multipart as POST ?_method=PATCH; interpreter {a.is_interpreter_needed}",
        ),
        (
            "appointments.create",
            lambda: sqod.appointments.create(
                appointment_at=TOMORROW, duration_in_minutes=20, reference=f"DEMO-{twin}"
            ),
            lambda a: f"created {a.id[:8]}… reference {a.reference}",
        ),
        (
            "appointments.list",
            lambda: sqod.appointments.list(per_page=1),
            lambda items: f"walked {len(items)} appointments, one page each",
        ),
        (
            "appointments.cancel",
            lambda: sqod.appointments.cancel(newest(), cancellation_reason="Patient recovered"),
            lambda a: f"status {a.status!r}: {a.cancellation_reason}",
        ),
    ]


def plannr_steps(
    plannr: PlannrClient | AsyncPlannrClient, fake: FakePlannr, twin: str
) -> list[Step]:
    """Plannr: find the account, list conversations, post messages with and without files."""
    conversation = fake.conversation_uuid
    return [
        (
            "logins.list",
            lambda: plannr.logins.list(),
            lambda logins: f"{len(logins)} login, account {logins[0].account.uuid[:8]}…",
        ),
        (
            "conversations.list",
            lambda: plannr.conversations.list(include=["messages_count"], per_page=50),
            lambda items: f"{len(items)} conversation(s)",
        ),
        (
            "conversations.send_message",
            lambda: plannr.conversations.send_message(
                conversation,
                contents=f"Your review pack is attached ({twin})",
                files=[fake.upload_file("review-pack.pdf")],
            ),
            lambda m: f"posted with {len(m.files)} uploaded file",
        ),
        (
            "conversations.send_message_with_attachments",
            lambda: plannr.conversations.send_message_with_attachments(
                conversation,
                contents="Signed form attached",
                files=[("form.pdf", b"%PDF-1.4 signed", "application/pdf")],
            ),
            lambda m: f"multipart upload, {m.files[0].filename if m.files else 'no file'}",
        ),
        (
            "conversations.list_messages",
            lambda: plannr.conversations.list_messages(conversation, per_page=1),
            lambda items: f"walked {len(items)} messages, one page each",
        ),
    ]


def hero_steps(hero: HeroClient | AsyncHeroClient, fake: FakeHero, twin: str) -> list[Step]:
    """Hero: text the seeded patient, then read the message's status back."""

    def newest() -> str:
        return str(fake.messages[-1].message_id)

    return [
        (
            "messages.send",
            lambda: hero.messages.send(
                patient_id=fake.patient_id,
                message_type="sms",
                message_string=f"Your flu vaccination is due ({twin})",
            ),
            lambda m: f"message {m.message_id} accepted",
        ),
        (
            "messages.get",
            lambda: hero.messages.get(newest()),
            lambda m: f"message {m.id} is {m.status!r}",
        ),
    ]


def loop_steps(
    loop: LoopCommsClient | AsyncLoopCommsClient, fake: FakeLoopComms, twin: str
) -> list[Step]:
    """Loop: schedule a reminder, send one now, and read both back."""
    brand, person, phone = fake.brand_id, "person-42", "+447700900123"

    def scheduled_id() -> str:
        return list(fake.scheduled)[-1]

    def sent_id() -> str:
        return next(m.message_id for m in reversed(fake.messages) if hasattr(m, "message_id"))

    return [
        (
            "messages.schedule",
            lambda: loop.messages.schedule(
                channel="sms",
                template_key="appointment_reminder",
                dedup_key=f"reminder-{twin}",
                scheduled_at=TOMORROW,
                variables={"clinic": "Riverside"},
                brand_id=brand,
                person_id=person,
                recipient=phone,
            ),
            lambda m: f"{m.status!r} for {m.scheduled_at:%Y-%m-%d %H:%M}",
        ),
        (
            "messages.send",
            lambda: loop.messages.send(
                channel="sms",
                template_key="welcome",
                dedup_key=f"welcome-{twin}",
                brand_id=brand,
                person_id=person,
                recipient=phone,
            ),
            lambda m: f"{m.status!r} via {m.provider}",
        ),
        (
            "messages.get_scheduled",
            lambda: loop.messages.get_scheduled(scheduled_id()),
            lambda m: f"{m.template_key} is {m.status!r}",
        ),
        (
            "messages.list_scheduled",
            lambda: loop.messages.list_scheduled(brand_id=fake.brand_id),
            lambda items: f"{len(items)} scheduled for {fake.brand_id}",
        ),
        (
            "messages.get",
            lambda: loop.messages.get(sent_id()),
            lambda m: f"{m.message_id} is {m.status!r}",
        ),
    ]


class Report:
    """Runs steps and prints one line each; counts what failed."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    async def run(self, twin: str, steps: list[Step]) -> None:
        for name, call, summary in steps:
            try:
                line = summary(await settle(call()))
            except Exception as error:  # a demo reports every failure and carries on
                self.fail(f"{twin:5}  {name:44} {type(error).__name__}: {error}")
            else:
                self.ok(f"{twin:5}  {name:44} {line}")

    def ok(self, line: str) -> None:
        self.passed += 1
        print(f"  ok    {line}")

    def fail(self, line: str) -> None:
        self.failed += 1
        print(f"  FAIL  {line}")


async def settle(value: object) -> object:
    """Await an async client's answer; walk a page (sync or async) into a list."""
    if inspect.isawaitable(value):
        value = await value
    if hasattr(value, "__aiter__"):
        return [item async for item in value]
    if hasattr(value, "__iter__") and hasattr(value, "has_next_page"):
        return list(value)
    return value


async def show_faults(
    report: Report, served_hero: tuple[FakeHero, str], served_sqod: tuple[FakeSqod, str]
) -> None:
    """A 429 is retried after its Retry-After; a dropped send is reported, not resent."""
    (hero, hero_url), (sqod, sqod_url) = served_hero, served_sqod
    print("\nFaults injected into the fakes")
    hero.fail_next(429, retry_after=0)
    with HeroClient(base_url=hero_url, **hero.credentials) as client:
        before = len(hero.messages)
        sent = client.messages.send(
            patient_id=hero.patient_id, message_type="sms", message_string="Clinic closed today"
        )
        retries, accepted = raw_response(sent).retries_taken, len(hero.messages) - before
    if retries == 1 and accepted == 1:
        report.ok(f"{'sync':5}  {'Hero messages.send, answered 429':44} retried; sent once")
    else:
        report.fail(f"Hero 429: {retries} retries, {accepted} messages accepted")

    sqod.drop_next()
    before = len(sqod.messages)
    with SqodClient(base_url=sqod_url, **sqod.credentials) as client:
        try:
            client.appointments.send_message(sqod.appointment_id, message="Doctor is ready")
        except OutcomeUnknownError:
            acted = len(sqod.messages) - before
            what = f"OutcomeUnknownError, not resent; SQOD had accepted {acted}"
            report.ok(f"{'sync':5}  {'SQOD send_message, connection dropped':44} {what}")
        else:
            report.fail("SQOD dropped send: no OutcomeUnknownError")


async def run_vendor(
    report: Report,
    title: str,
    url: str,
    clients: tuple[SyncAPIClient, AsyncAPIClient],
    steps: Callable[[Any, str], list[Step]],
) -> None:
    """Every step on the blocking client, then every step on the asyncio one."""
    sync_client, async_client = clients
    print(f"\n{title}  (fake at {url})")
    with sync_client:
        await report.run("sync", steps(sync_client, "sync"))
    async with async_client:
        await report.run("async", steps(async_client, "async"))


async def demo() -> int:
    """Serve the four fakes, drive every client both ways, inject two faults; 0 if all passed."""
    report = Report()
    sqod, plannr, hero, loop = FakeSqod(), FakePlannr(), FakeHero(), FakeLoopComms()
    print("care-messaging-clients: every call against fakes on 127.0.0.1, no credentials")
    with ExitStack() as stack:
        sqod_url, plannr_url, hero_url, loop_url = (
            stack.enter_context(fake.serve()) for fake in (sqod, plannr, hero, loop)
        )
        await run_vendor(
            report,
            "SQOD",
            sqod_url,
            (
                SqodClient(base_url=sqod_url, **sqod.credentials),
                AsyncSqodClient(base_url=sqod_url, **sqod.credentials),
            ),
            lambda client, twin: sqod_steps(client, sqod, twin),
        )
        await run_vendor(
            report,
            "Plannr CRM",
            plannr_url,
            (
                PlannrClient(base_url=plannr_url, **plannr.credentials),
                AsyncPlannrClient(base_url=plannr_url, **plannr.credentials),
            ),
            lambda client, twin: plannr_steps(client, plannr, twin),
        )
        await run_vendor(
            report,
            "Hero",
            hero_url,
            (
                HeroClient(base_url=hero_url, **hero.credentials),
                AsyncHeroClient(base_url=hero_url, **hero.credentials),
            ),
            lambda client, twin: hero_steps(client, hero, twin),
        )
        await run_vendor(
            report,
            "Loop Health comms",
            loop_url,
            (
                LoopCommsClient(base_url=loop_url, **loop.credentials),
                AsyncLoopCommsClient(base_url=loop_url, **loop.credentials),
            ),
            lambda client, twin: loop_steps(client, loop, twin),
        )
        await show_faults(report, (hero, hero_url), (sqod, sqod_url))
    total = report.passed + report.failed
    if report.failed:
        print(f"\n{report.failed} of {total} steps FAILED")
        return 1
    print(f"\nAll {total} steps passed.")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(demo()))
