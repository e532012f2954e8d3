"""List every appointment across all pages with the async client, then mark one as waiting.

With no SQOD credentials in the environment it runs against `FakeSqod` on 127.0.0.1:
    python examples/sqod_async_walk.py
With yours:
    SQOD_BASE_URL=... SQOD_TOKEN=... python examples/sqod_async_walk.py
"""

from __future__ import annotations

import anyio
from _fake_or_real import fake_in_environment, has_credentials

from sqod_client import AsyncSqodClient
from sqod_client.testing import FakeSqod


async def main() -> None:
    async with AsyncSqodClient(timeout=10) as sqod:
        first_waiting = None
        async for appointment in await sqod.appointments.list(per_page=100):
            print(appointment.id, appointment.status, appointment.appointment_at)
            if first_waiting is None and appointment.status == "scheduled":
                first_waiting = appointment
        if first_waiting is not None:
            updated = await sqod.appointments.update(first_waiting.id, status="waiting")
            print("now", updated.status)


if __name__ == "__main__":
    if has_credentials("SQOD"):
        anyio.run(main)
    else:
        with fake_in_environment(FakeSqod(), "SQOD"):
            anyio.run(main)
