"""Tell the caller waiting for an appointment that the clinician is running late.

With no SQOD credentials in the environment it runs against `FakeSqod` on 127.0.0.1:
    python examples/sqod_send_message.py
With yours (nothing is hard-coded):
    SQOD_BASE_URL=https://yourpractice.sqod.co.uk SQOD_CLIENT_ID=... SQOD_CLIENT_SECRET=... \\
        python examples/sqod_send_message.py 9a0f170e-0aa0-47db-ab14-4ddcdcbad061
"""

from __future__ import annotations

import sys

from _fake_or_real import fake_in_environment, has_credentials

from sqod_client import APIError, OutcomeUnknownError, SqodClient, raw_response
from sqod_client.testing import FakeSqod


def main(appointment_id: str) -> int:
    with SqodClient() as sqod:  # base URL and credentials come from SQOD_* variables
        try:
            message = sqod.appointments.send_message(
                appointment_id, message="Your clinician is running about 10 minutes late."
            )
        except OutcomeUnknownError as error:
            # The request went out and no answer came back: do not blindly send it again.
            print(f"Unknown outcome, check before resending: {error}", file=sys.stderr)
            return 2
        except APIError as error:
            print(f"Not sent: {error}", file=sys.stderr)
            return 1
    raw = raw_response(message)
    print(f"sent message {message.id} (HTTP {raw.status_code}, request id {raw.request_id})")
    return 0


if __name__ == "__main__":
    if not has_credentials("SQOD"):
        with fake_in_environment(FakeSqod(), "SQOD") as fake:
            sys.exit(main(fake.appointment_id))
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} APPOINTMENT_ID")
    sys.exit(main(sys.argv[1]))
