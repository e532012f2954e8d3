"""Hero request and response models, as the vendor documents them.

Responses keep unknown fields and enum values; fields Hero does not mark required may be null or
absent. `MessageOptions` lists the optional fields of `messages.send`: a key left out is not sent.
"""

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, with_config
from typing_extensions import TypedDict

from client_core.kit import REQUEST_CONFIG, NumericText, Resource, Timestamp

__all__ = [
    "Admin",
    "AssigneeType",
    "Campaign",
    "FallbackMessageType",
    "Message",
    "MessageOptions",
    "MessagePatient",
    "MessageType",
    "SentMessage",
    "ShortLink",
    "WriteToRecord",
]

MessageType = Literal["hero", "sms", "email", "nhs_app"]
"""How Hero delivers a message: in the Hero app, by SMS, by email, or through the NHS App."""
FallbackMessageType = Literal["sms", "email"]
"""How Hero delivers a message when the first method fails."""
AssigneeType = Literal["Admin", "AdminTeam"]
"""Who `assignee_id` names: one admin or an admin team (Hero's casing)."""

PatientId = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]
r"""Hero's patient id: ASCII digits only (its `^\d+$`), as a string."""


@with_config(REQUEST_CONFIG)
class MessageOptions(TypedDict, total=False):
    """Optional fields of `messages.send`; a key left out is not sent, and none may be None."""

    recipient_contact_detail: str
    """Where to send (an email address or phone number); else the patient record's default."""
    fallback_contact_detail: str
    fallback_message_type: FallbackMessageType
    write_to_record: bool
    """Write the message to the patient's EHR record once a Hero admin approves it."""
    encrypted: bool | str
    """Hero types this field "any"; booleans and strings are passed through."""
    snomed_code: str
    snomed_term: str
    auto_write_to_record: bool
    """Write to the record without admin approval (only if the API key is allowed to)."""
    task_id: str
    attachment_uuid: str
    short_link_id: str
    assignee_id: int
    """The Admin or AdminTeam the message is assigned to; see `assignee_type`."""
    assignee_type: AssigneeType
    send_at: AwareDatetime
    """When to send; must carry a timezone."""


class SentMessage(Resource):
    """Hero's answer to `messages.send`."""

    message_id: NumericText
    content: str | None = None
    created_at: Timestamp | None = None
    snomed_code: str | None = None
    write_to_record: bool | None = None
    auth_token: str | None = Field(default=None, repr=False)
    """A credential Hero issues for this message: kept out of repr()."""
    confirm_write_to_record_url: str | None = Field(default=None, repr=False)
    """May carry a credential in its query: kept out of repr()."""
    submitted_by: str | None = None
    send_at: Timestamp | None = None


class MessagePatient(Resource):
    """The patient a message was sent to (patient data: never logged by this client)."""

    id: NumericText | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class WriteToRecord(Resource):
    """Whether and how the message was written to the patient's EHR record."""

    status: str | None = None
    write_to_record_at: Timestamp | None = None
    failure_reason: str | None = None
    snomed_code: str | None = None


class ShortLink(Resource):
    """A short link carried by the message."""

    id: NumericText | None = None
    type: str | None = None
    name: str | None = None
    status: str | None = None


class Campaign(Resource):
    """The campaign a message belongs to."""

    id: NumericText | None = None
    name: str | None = None


class Admin(Resource):
    """The practice admin who sent a message."""

    id: NumericText | None = None
    first_name: str | None = None
    last_name: str | None = None


class Message(Resource):
    """A message's detail and delivery status, from `messages.get`."""

    id: NumericText | None = None
    status: str | None = None
    """E.g. `delivered`; Hero publishes no closed list."""
    patient: MessagePatient | None = None
    write_to_record: WriteToRecord | None = None
    short_link: ShortLink | None = None
    campaign: Campaign | None = None
    sent_by_admin: Admin | None = None
    created_at: Timestamp | None = None
    scheduled_at: Timestamp | None = None
    sent_at: Timestamp | None = None
