"""Post a message to a Plannr conversation, then list its latest messages.

With no Plannr credentials in the environment it runs against `FakePlannr` on 127.0.0.1:
    python examples/plannr_send_message.py
With yours (nothing is hard-coded):
    PLANNR_TOKEN=... PLANNR_ACCOUNT_UUID=... \\
        python examples/plannr_send_message.py cb2b8e53-39d6-4497-831f-4f759e91582c
"""

from __future__ import annotations

import sys

from _fake_or_real import fake_in_environment, has_credentials

from plannr_client import APIError, OutcomeUnknownError, PlannrClient, raw_response
from plannr_client.testing import FakePlannr


def main(conversation_uuid: str) -> int:
    with PlannrClient() as plannr:  # token and account uuid come from PLANNR_* variables
        try:
            message = plannr.conversations.send_message(
                conversation_uuid, contents="Your annual review is booked for Tuesday at 10."
            )
        except OutcomeUnknownError as error:
            print(f"Unknown outcome, check before resending: {error}", file=sys.stderr)
            return 2
        except APIError as error:
            print(f"Not sent: {error}", file=sys.stderr)
            return 1
        remaining = raw_response(message).headers.get("X-Ratelimit-Remaining")
        print(f"sent message {message.uuid} ({remaining} requests left this minute)")
        page = plannr.conversations.list_messages(conversation_uuid, per_page=5)
        for item in page.data:
            print(f"- {item.created_at}: {item.author.name if item.author else 'unknown'}")
    return 0


if __name__ == "__main__":
    if not has_credentials("PLANNR"):
        with fake_in_environment(FakePlannr(), "PLANNR") as fake:
            sys.exit(main(fake.conversation_uuid))
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CONVERSATION_UUID")
    sys.exit(main(sys.argv[1]))
