"""Walk every Plannr conversation with the async client and post in each one still open.

With no Plannr credentials in the environment it runs against `FakePlannr` on 127.0.0.1:
    python examples/plannr_async_conversations.py
With yours:
    PLANNR_TOKEN=... PLANNR_ACCOUNT_UUID=... python examples/plannr_async_conversations.py
"""

from __future__ import annotations

import asyncio

from _fake_or_real import fake_in_environment, has_credentials

from plannr_client import AsyncPlannrClient, OutcomeUnknownError
from plannr_client.testing import FakePlannr


async def main() -> None:
    async with AsyncPlannrClient() as plannr:
        async for conversation in await plannr.conversations.list(filter_archived="false"):
            if conversation.uuid is None:  # Plannr marks no field required
                continue
            try:
                message = await plannr.conversations.send_message(
                    conversation.uuid, contents="Our office is closed on Friday."
                )
            except OutcomeUnknownError:
                print(f"{conversation.uuid}: unknown outcome, check before resending")
                continue
            print(f"{conversation.name}: posted message {message.uuid}")


if __name__ == "__main__":
    if has_credentials("PLANNR"):
        asyncio.run(main())
    else:
        with fake_in_environment(FakePlannr(), "PLANNR"):
            asyncio.run(main())
