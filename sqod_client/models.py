"""SQOD request and response models, as the vendor documents them.

Responses follow SQOD's conventions: fields not marked required may be null or absent (so they
default to None), arrays are always present (default empty), and unknown fields and enum values
are kept. Requests are TypedDicts: a key left out is not sent.
"""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    Field,
    with_config,
)
from typing_extensions import TypedDict

from client_core.kit import REQUEST_CONFIG, ModelOrDict, NumericText, Resource, Timestamp

__all__ = [
    "AccessPermission",
    "Appointment",
    "AppointmentChanges",
    "AppointmentMessage",
    "Bandwidth",
    "Claimant",
    "ClaimantDataField",
    "ClaimantFields",
    "Department",
    "Meeting",
    "NewAppointment",
    "Role",
    "User",
]

Role = Literal["super-admin", "Tenant-admin", "department-admin", "Tenant-scheduler", "agent"]
"""A user's role; the casing is SQOD's own (`Tenant-admin` beside `super-admin`)."""
AccessPermission = Literal["appointment", "waiting_area", "both"]
Bandwidth = Literal["low", "medium", "high"]


class User(Resource):
    """A SQOD user (the sender of an appointment message)."""

    id: str
    first_name: str
    last_name: str
    email: str
    role: Role | str
    """One of `Role`; a value SQOD adds later is kept as a plain string."""
    access_permission: AccessPermission | str | None = None
    deleted_at: Timestamp | None = None
    is_fully_deleted: bool | None = None


class AppointmentMessage(Resource):
    """A message sent to the caller waiting for an appointment."""

    id: str | None = None
    message: str | None = None
    created_at: Timestamp | None = None
    sender: User | None = None


class Department(Resource):
    """The department an appointment belongs to."""

    id: int | str | None = None
    name: str | None = None


class ClaimantDataField(Resource):
    """One custom data field captured for the claimant."""

    id: str | None = None
    value: str | int | float | bool | None = None
    name: str | None = None
    type: str | None = None
    required: bool | None = None


class Claimant(Resource):
    """The person the appointment is for (patient data: never logged by this client)."""

    name: str | None = None
    phone_number: str | None = None
    email: str | None = None
    date_of_birth: date | None = None
    data: list[ClaimantDataField] = Field(default=[])  # default_factory=list costs ~5 ms at import


class Meeting(Resource):
    """The video room of an appointment."""

    id: int | str | None = None
    room_name: str | None = None
    room_url: str | None = None
    start_date: Timestamp | None = None
    end_date: Timestamp | None = None


class Appointment(Resource):
    """A video appointment."""

    id: str
    reference: NumericText | None = None
    """The caller's own reference (SQOD's examples send it as a number; it is kept as text)."""
    appointment_at: Timestamp | None = None
    duration_in_minutes: int | None = None
    is_interpreter_needed: bool | None = None
    interpreter_language: str | None = None
    status: str | None = None
    """E.g. `scheduled`, `waiting`; SQOD publishes no closed list."""
    url: str | None = None
    """The claimant's join link."""
    created_at: Timestamp | None = None
    cancelled_at: Timestamp | None = None
    cancellation_reason: str | None = None
    department: Department | None = None
    claimant: Claimant | None = None
    meeting: Meeting | None = None
    session_started_at: Timestamp | None = None
    session_ended_at: Timestamp | None = None
    features_call_recording_enable: bool | None = None
    features_breakout_room_enable: bool | None = None
    features_webcam_access_agent_enable: bool | None = None
    features_webcam_access_claimant_enable: bool | None = None
    features_webcam_background_blurring_enable: bool | None = None
    features_microphone_access_enable: bool | None = None
    features_screen_sharing_enable: bool | None = None
    features_messages_chat_enable: bool | None = None
    features_participant_list_enable: bool | None = None
    features_bandwidth: Bandwidth | str | None = None
    use_custom_post_call_redirect: bool | None = None
    custom_user_post_call_redirect_url: str | None = None
    custom_agent_post_call_redirect_url: str | None = None


@with_config(REQUEST_CONFIG)
class ClaimantFields(TypedDict, total=False):
    """A claimant to send: any subset of these keys (SQOD does not say which are required)."""

    name: str | None
    phone_number: str | None
    email: str | None
    date_of_birth: date | None
    data: list[dict[str, Any]]


ClaimantInput = Annotated[ClaimantFields | Claimant, ModelOrDict(Claimant, ClaimantFields)]
"""A claimant as a plain dict of `ClaimantFields` or as a `Claimant` model."""


@with_config(REQUEST_CONFIG)
class _FeatureFields(TypedDict, total=False):
    appointment_at: AwareDatetime
    duration_in_minutes: int
    department_id: str | int
    """Documented as a UUID, yet SQOD's own examples show numeric department ids."""
    claimant: ClaimantInput
    features_call_recording_enable: bool
    features_breakout_room_enable: bool
    features_webcam_access_agent_enable: bool
    features_webcam_access_claimant_enable: bool
    features_webcam_background_blurring_enable: bool
    features_microphone_access_enable: bool
    features_screen_sharing_enable: bool
    features_messages_chat_enable: bool
    features_participant_list_enable: bool
    features_bandwidth: Bandwidth
    use_custom_post_call_redirect: bool
    custom_user_post_call_redirect_url: str | None
    custom_agent_post_call_redirect_url: str | None


@with_config(REQUEST_CONFIG)
class NewAppointment(_FeatureFields, total=False):
    """Fields of `appointments.create`; SQOD marks none required. Datetimes need a timezone."""

    is_interpreter_needed: bool
    interpreter_language: str
    reference: str


@with_config(REQUEST_CONFIG)
class AppointmentChanges(_FeatureFields, total=False):
    """Fields `appointments.update` may change; a key left out keeps its value.

    `None` sends null where SQOD allows it (`is_interpreter_needed`, `interpreter_language`,
    `status`, the redirect URLs) and is refused for every other field.
    """

    is_interpreter_needed: bool | None
    interpreter_language: str | None
    status: str | None
