"""Loop Health comms response models, as the vendor documents them.

Unknown fields and values are kept; `status` and `channel` are free text in the answers even
though requests only take the documented channels.
"""

from __future__ import annotations

from typing import Literal

from client_core import Resource, Timestamp

__all__ = ["Channel", "Message", "ScheduledMessage"]

Channel = Literal["email", "sms", "push", "in_app"]
"""The channels a templated message can go out on."""


class ScheduledMessage(Resource):
    """A message scheduled with `messages.schedule`, and its progress."""

    id: str
    brand_id: str
    person_id: str
    channel: Channel | str
    template_key: str
    recipient: str
    """An email address, phone number or device: patient data, never logged by this client."""
    dedup_key: str
    scheduled_at: Timestamp
    status: str
    """Loop publishes no closed list of statuses."""
    sent_at: Timestamp | None = None
    cancelled_at: Timestamp | None = None
    failure_reason: str | None = None
    created_at: Timestamp


class Message(Resource):
    """A message sent with `messages.send`, or read back with `messages.get`."""

    message_id: str
    dedup_key: str | None = None
    channel: Channel | str | None = None
    status: str | None = None
    provider: str | None = None
    """The delivery provider, once Loop has picked one."""
