"""List every appointment across all pages with the async client, then mark one as waiting.

SQOD_BASE_URL=... SQOD_TOKEN=... python examples/sqod_async_walk.py
"""

from __future__ import annotations

import anyio

from sqod_client import AsyncSqodClient


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
    anyio.run(main)
