"""Per-call overhead of the SQOD client over raw httpx, with the network taken out.

Both sides send the same POST through the same in-memory transport and decode the JSON answer;
the difference is what the client adds (validation, building, status check, model parsing).
Run: `make bench`. Prints microseconds per call (best of several rounds) and the difference.
"""

from __future__ import annotations

import json
import timeit

import httpx

from sqod_client import SqodClient

APPOINTMENT_ID = "9a0f170e-0aa0-47db-ab14-4ddcdcbad061"
BASE_URL = "https://acme.sqod.test"
ANSWER = json.dumps(
    {
        "data": {
            "id": APPOINTMENT_ID,
            "message": "Running late",
            "created_at": "2021-01-01T00:00:00.000Z",
            "sender": {
                "id": APPOINTMENT_ID,
                "first_name": "John",
                "last_name": "Smith",
                "email": "john@example.com",
                "role": "agent",
            },
        }
    }
).encode()


class CannedTransport(httpx.BaseTransport):
    """Answers every request at once with the same 201 body: no sockets, no parsing of input."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=ANSWER, headers={"Content-Type": "application/json"})


def main(rounds: int = 7, number: int = 5000) -> None:
    raw = httpx.Client(transport=CannedTransport(), timeout=httpx.Timeout(30.0, connect=5.0))
    url = f"{BASE_URL}/api/v1/appointments/{APPOINTMENT_ID}/messages"
    headers = {"Authorization": "Bearer token", "Accept": "application/json"}

    def raw_call() -> object:
        response = raw.post(url, json={"message": "Running late"}, headers=headers)
        response.raise_for_status()
        return response.json()

    sqod = SqodClient(
        base_url=BASE_URL, token="token", http_client=httpx.Client(transport=CannedTransport())
    )

    def client_call() -> object:
        return sqod.appointments.send_message(APPOINTMENT_ID, message="Running late")

    def best(fn: object) -> float:
        times = timeit.repeat(fn, number=number, repeat=rounds)  # type: ignore[arg-type]
        return min(times) / number * 1e6

    best(raw_call), best(client_call)  # warm up
    raw_us, client_us = best(raw_call), best(client_call)
    print(f"raw httpx     {raw_us:7.1f} us/call")
    print(f"SqodClient    {client_us:7.1f} us/call")
    print(f"overhead      {client_us - raw_us:+7.1f} us/call (budget +15)")


if __name__ == "__main__":
    main()
