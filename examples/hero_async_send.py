"""Text several Hero patients at once with the async client, then read each message's status.

With no Hero credentials in the environment it runs against `FakeHero` on 127.0.0.1:
    python examples/hero_async_send.py
With yours:
    HERO_API_KEY=... HERO_PRACTICE_GROUP_ID=... python examples/hero_async_send.py 123 456
"""

from __future__ import annotations

import asyncio
import sys

from _fake_or_real import fake_in_environment, has_credentials

from hero_client import APIError, AsyncHeroClient
from hero_client.testing import FakeHero


async def remind(hero: AsyncHeroClient, patient_id: str) -> str:
    try:
        sent = await hero.messages.send(
            patient_id=patient_id, message_type="sms", message_string="Your flu jab is due."
        )
    except APIError as error:  # OutcomeUnknownError included: never resent here
        return f"patient {patient_id}: not sent ({type(error).__name__})"
    message = await hero.messages.get(sent.message_id)
    return f"patient {patient_id}: message {sent.message_id} is {message.status}"


async def main(patient_ids: list[str]) -> None:
    async with AsyncHeroClient() as hero:
        for line in await asyncio.gather(*(remind(hero, p) for p in patient_ids)):
            print(line)


if __name__ == "__main__":
    if has_credentials("HERO"):
        asyncio.run(main(sys.argv[1:]))
    else:
        with fake_in_environment(FakeHero(), "HERO") as fake:
            second = fake.add_patient(first_name="Sam", last_name="Lee", mobile="+447700900456")
            asyncio.run(main([fake.patient_id, second]))
