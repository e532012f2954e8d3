"""Send a patient an SMS through Hero tomorrow morning, then read its status.

With no Hero credentials in the environment it runs against `FakeHero` on 127.0.0.1:
    python examples/hero_send_sms.py
With yours (nothing is hard-coded):
    HERO_API_KEY=... HERO_PRACTICE_GROUP_ID=... python examples/hero_send_sms.py 123456
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time, timedelta

from _fake_or_real import fake_in_environment, has_credentials

from hero_client import APIError, HeroClient, OutcomeUnknownError
from hero_client.testing import FakeHero


def main(patient_id: str) -> int:
    tomorrow_9am = datetime.combine(
        datetime.now(UTC).date() + timedelta(days=1), time(9, tzinfo=UTC)
    )
    with HeroClient() as hero:  # API key and practice group come from HERO_* variables
        try:
            sent = hero.messages.send(
                patient_id=patient_id,
                message_type="sms",
                message_string="Your flu vaccination is due. Reply to book a slot.",
                fallback_message_type="email",
                send_at=tomorrow_9am,
            )
        except OutcomeUnknownError as error:
            print(f"Unknown outcome, check before resending: {error}", file=sys.stderr)
            return 2
        except APIError as error:
            print(f"Not sent: {error}", file=sys.stderr)
            return 1
        print(f"scheduled message {sent.message_id} for {sent.send_at or tomorrow_9am}")
        print(f"status now: {hero.messages.get(sent.message_id).status}")
    return 0


if __name__ == "__main__":
    if not has_credentials("HERO"):
        with fake_in_environment(FakeHero(), "HERO") as fake:
            sys.exit(main(fake.patient_id))
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATIENT_ID")
    sys.exit(main(sys.argv[1]))
