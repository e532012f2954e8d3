"""FakeHero's faults through the real client, and the fake over real sockets and under respx."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hero_client import (
    AsyncHeroClient,
    HeroClient,
    InternalServerError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RetryPolicy,
    raw_response,
)
from hero_client.testing import FakeHero
from tests.conftest import fake_twin, resolve

pytestmark = pytest.mark.anyio


async def send(hero: Any, fake: FakeHero, text: str = "Hi") -> Any:
    return await resolve(
        hero.messages.send(patient_id=fake.patient_id, message_type="sms", message_string=text)
    )


async def test_429_on_a_send_is_retried_and_sent_once(fake_hero: FakeHero, twin: str) -> None:
    fake_hero.fail_next(429, retry_after=0)
    async with fake_twin(fake_hero, twin) as hero:
        sent = await send(hero, fake_hero)

    assert raw_response(sent).retries_taken == 1
    assert fake_hero.messages == [sent]
    assert len(fake_hero.requests) == 2


async def test_503_on_a_send_is_not_retried(fake_hero: FakeHero, twin: str) -> None:
    fake_hero.fail_next(503)
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(InternalServerError) as caught:
            await send(hero, fake_hero)

    assert caught.value.body == {"message": "Service Unavailable"}
    assert fake_hero.messages == []
    assert len(fake_hero.requests) == 1


async def test_503_on_a_get_is_retried(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        sent = await send(hero, fake_hero)
        fake_hero.fail_next(503, times=2)
        message = await resolve(hero.messages.get(sent.message_id))

    assert (message.id, raw_response(message).retries_taken) == (sent.message_id, 2)


async def test_dropped_send_is_outcome_unknown_but_was_sent(fake_hero: FakeHero, twin: str) -> None:
    fake_hero.drop_next()
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(OutcomeUnknownError):
            await send(hero, fake_hero, "Dropped")

    assert [m.content for m in fake_hero.messages] == ["Dropped"]
    assert len(fake_hero.requests) == 1


async def test_timed_out_send_is_outcome_unknown_but_was_sent(
    fake_hero: FakeHero, twin: str
) -> None:
    fake_hero.timeout_next()
    async with fake_twin(fake_hero, twin) as hero:
        with pytest.raises(OutcomeUnknownError):
            await send(hero, fake_hero, "Timed out")

    assert [m.content for m in fake_hero.messages] == ["Timed out"]
    assert len(fake_hero.requests) == 1


async def test_timed_out_get_is_retried(fake_hero: FakeHero, twin: str) -> None:
    async with fake_twin(fake_hero, twin) as hero:
        sent = await send(hero, fake_hero)
        fake_hero.timeout_next()
        message = await resolve(hero.messages.get(sent.message_id))

    assert (message.status, raw_response(message).retries_taken) == ("delivered", 1)


async def test_refused_send_is_retried_and_sent_once(fake_hero: FakeHero, twin: str) -> None:
    fake_hero.refuse_next()
    async with fake_twin(fake_hero, twin) as hero:
        sent = await send(hero, fake_hero)

    assert raw_response(sent).retries_taken == 1
    assert fake_hero.messages == [sent]
    assert len(fake_hero.requests) == 1  # the refused attempt never reached the fake


async def test_delayed_answer_arrives_late(fake_hero: FakeHero, twin: str) -> None:
    fake_hero.delay_next(0.05)
    async with fake_twin(fake_hero, twin) as hero:
        started = time.monotonic()
        sent = await send(hero, fake_hero)

    assert time.monotonic() - started >= 0.05
    assert fake_hero.messages == [sent]


async def test_answer_later_than_the_timeout_is_outcome_unknown(
    fake_hero: FakeHero, twin: str
) -> None:
    fake_hero.delay_next(5)
    async with fake_twin(fake_hero, twin, timeout=0.5) as hero:
        started = time.monotonic()
        with pytest.raises(OutcomeUnknownError):
            await send(hero, fake_hero, "Late")

    assert time.monotonic() - started < 0.5
    assert [m.content for m in fake_hero.messages] == ["Late"]


async def test_served_over_real_sockets_to_both_twins(fake_hero: FakeHero) -> None:
    keys = fake_hero.credentials
    with fake_hero.serve() as url:
        with HeroClient(base_url=url, timeout=0.5, **keys) as hero:
            sent = hero.messages.send(
                patient_id=fake_hero.patient_id, message_type="sms", message_string="Wire"
            )
        async with AsyncHeroClient(base_url=url, timeout=0.5, **keys) as async_hero:
            message = await async_hero.messages.get(sent.message_id)
        with (
            HeroClient(
                base_url=url,
                timeout=0.5,
                api_key="wrong",
                practice_group_id=fake_hero.practice_group_id,
            ) as intruder,
            pytest.raises(PermissionDeniedError) as caught,
        ):
            intruder.messages.get(sent.message_id)

    assert url.startswith("http://127.0.0.1:")
    assert (sent.content, message.id, message.status) == ("Wire", sent.message_id, "delivered")
    assert fake_hero.messages == [sent]
    assert caught.value.body == {"message": "Unauthorised"}


async def test_mock_answers_code_that_builds_its_own_client(fake_hero: FakeHero, twin: str) -> None:
    policy = RetryPolicy.no_wait()
    keys = fake_hero.credentials
    with fake_hero.mock() as base_url:
        client: Any = (
            HeroClient(retry_policy=policy, **keys)
            if twin == "sync"
            else AsyncHeroClient(retry_policy=policy, **keys)
        )
        try:
            sent = await send(client, fake_hero, "Mocked")
        finally:
            await resolve(client.close() if twin == "sync" else client.aclose())

    assert base_url == "https://api.herohealth.net"
    assert str(fake_hero.requests[0].url) == "https://api.herohealth.net/v1/messages/send"
    assert fake_hero.messages == [sent]
