"""Loop Health comms request and response models, as the vendor documents them.

Requests are TypedDicts checked against Loop's schema before any I/O: a key left out is not sent,
so Loop's own defaults (`variables={}`, `hipaa=false`) apply. Responses keep unknown fields and
values; `status` and `channel` are free text in answers.
"""

from typing import Annotated, Literal, NotRequired

from pydantic import AwareDatetime, Field, with_config
from typing_extensions import TypedDict

from client_core.kit import REQUEST_CONFIG, JsonObject, Resource, Timestamp

__all__ = ["Channel", "Message", "MessageFields", "ScheduleFields", "ScheduledMessage"]

Channel = Literal["email", "sms", "push", "in_app"]
"""The channels a templated message can go out on."""

_Text = Annotated[str, Field(min_length=1)]  # Loop's schema: `minLength: 1`


@with_config(REQUEST_CONFIG)
class MessageFields(TypedDict):
    """Fields of `messages.send`: all required but `variables` and `hipaa`."""

    channel: Channel
    template_key: _Text
    recipient: _Text
    """An email address, phone number or device, as the channel needs."""
    brand_id: _Text
    person_id: _Text
    dedup_key: _Text
    """Your key for this message: Loop refuses a second send with the same key (409)."""
    variables: NotRequired[JsonObject]
    """Template variables, sent as JSON; Loop's default is `{}`."""
    hipaa: NotRequired[bool]
    """Treat the message as protected health information; Loop's default is false."""


@with_config(REQUEST_CONFIG)
class ScheduleFields(MessageFields):
    """Fields of `messages.schedule`: those of `MessageFields` plus `scheduled_at`."""

    scheduled_at: AwareDatetime
    """When to send; must carry a timezone, and is sent in ISO 8601 with its offset."""


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
