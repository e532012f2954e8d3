"""Send a Loop message now with the async client, then list the brand's scheduled messages.

With no Loop credentials in the environment it runs against `FakeLoopComms` on 127.0.0.1:
    python examples/loop_async_send.py
With yours:
    LOOP_COMMS_CLIENT_ID=... LOOP_COMMS_CLIENT_SECRET=... \\
        python examples/loop_async_send.py BRAND_ID PERSON_ID +447700900123
"""

from __future__ import annotations

import asyncio
import sys

from _fake_or_real import fake_in_environment, has_credentials

from loop_comms_client import AsyncLoopCommsClient
from loop_comms_client.testing import FakeLoopComms


async def main(brand_id: str, person_id: str, phone: str) -> None:
    async with AsyncLoopCommsClient() as loop:
        sent = await loop.messages.send(
            channel="sms",
            template_key="welcome",
            recipient=phone,
            brand_id=brand_id,
            person_id=person_id,
            dedup_key=f"{person_id}-welcome",  # a retry reuses it: Loop never sends twice
        )
        print(f"message {sent.message_id} is {sent.status}")
        waiting = [m async for m in await loop.messages.list_scheduled(brand_id=brand_id)]
        print(f"{len(waiting)} message(s) scheduled for brand {brand_id}")


if __name__ == "__main__":
    if has_credentials("LOOP_COMMS"):
        asyncio.run(main(*sys.argv[1:4]))
    else:
        with fake_in_environment(FakeLoopComms(), "LOOP_COMMS") as fake:
            asyncio.run(main(fake.brand_id, "person-42", "+447700900123"))
