"""FakeHero over real sockets and under respx (its faults are in tests/contract)."""

from __future__ import annotations

from typing import Any

import pytest

from hero_client import (
    AsyncHeroClient,
    HeroClient,
    PermissionDeniedError,
    RetryPolicy,
)
from hero_client.testing import FakeHero
from tests.conftest import resolve

pytestmark = pytest.mark.anyio


async def send(hero: Any, fake: FakeHero, text: str = "Hi") -> Any:
    return await resolve(
        hero.messages.send(patient_id=fake.patient_id, message_type="sms", message_string=text)
    )


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
