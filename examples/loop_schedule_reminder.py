"""Schedule an appointment reminder with Loop, safely retried under its dedup key.

With no Loop credentials in the environment it runs against `FakeLoopComms` on 127.0.0.1:
    python examples/loop_schedule_reminder.py
With your M2M credentials (nothing is hard-coded):
    LOOP_COMMS_CLIENT_ID=... LOOP_COMMS_CLIENT_SECRET=... \\
        python examples/loop_schedule_reminder.py BRAND_ID PERSON_ID +447700900123 APPOINTMENT_REF
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from _fake_or_real import fake_in_environment, has_credentials

from loop_comms_client import APIError, ConflictError, LoopCommsClient
from loop_comms_client.testing import FakeLoopComms


def main(brand_id: str, person_id: str, phone: str, appointment_ref: str) -> int:
    with LoopCommsClient() as loop:  # credentials come from LOOP_COMMS_* variables
        try:
            scheduled = loop.messages.schedule(
                channel="sms",
                template_key="appointment-reminder",
                recipient=phone,
                brand_id=brand_id,
                person_id=person_id,
                # Name the message, not the attempt: the same key can never send twice.
                dedup_key=f"{appointment_ref}-reminder-24h",
                scheduled_at=datetime.now(UTC) + timedelta(days=1),
                variables={"appointment_ref": appointment_ref},
            )
        except ConflictError as error:
            if error.earlier_attempt_probably_accepted:
                print("already scheduled by an earlier attempt")
                return 0
            print(f"this reminder was scheduled before: {error}", file=sys.stderr)
            return 1
        except APIError as error:
            print(f"Not scheduled: {error}", file=sys.stderr)
            return 1
        print(f"scheduled {scheduled.id} for {scheduled.scheduled_at} ({scheduled.status})")
    return 0


if __name__ == "__main__":
    if not has_credentials("LOOP_COMMS"):
        with fake_in_environment(FakeLoopComms(), "LOOP_COMMS") as fake:
            sys.exit(main(fake.brand_id, "person-42", "+447700900123", "APPT-981"))
    if len(sys.argv) != 5:
        sys.exit(f"usage: {sys.argv[0]} BRAND_ID PERSON_ID PHONE APPOINTMENT_REF")
    sys.exit(main(*sys.argv[1:]))
