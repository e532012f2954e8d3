"""Typed client for the SQOD video appointments API (sync and async).

Example:
    from sqod_client import SqodClient

    with SqodClient(base_url="https://acme.sqod.co.uk", client_id=cid, client_secret=key) as sqod:
        sqod.appointments.send_message(appointment_id, message="Running 5 minutes late")
"""

from client_core import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncPage,
    AsyncPaginator,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RawResponse,
    ResponseValidationError,
    RetryPolicy,
    SyncPage,
    UnprocessableEntityError,
    raw_response,
)

from ._appointments import Appointments, AsyncAppointments
from ._client import DEFAULT_TOKEN_URL, AsyncSqodClient, SqodClient
from .models import (
    Appointment,
    AppointmentChanges,
    AppointmentMessage,
    Claimant,
    ClaimantDataField,
    ClaimantFields,
    Department,
    Meeting,
    NewAppointment,
    User,
)

__all__ = [
    "DEFAULT_TOKEN_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Appointment",
    "AppointmentChanges",
    "AppointmentMessage",
    "Appointments",
    "AsyncAppointments",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncSqodClient",
    "AuthenticationError",
    "BadRequestError",
    "Claimant",
    "ClaimantDataField",
    "ClaimantFields",
    "ClientClosedError",
    "ConflictError",
    "Department",
    "InternalServerError",
    "Meeting",
    "NewAppointment",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseValidationError",
    "RetryPolicy",
    "SqodClient",
    "SyncPage",
    "UnprocessableEntityError",
    "User",
    "raw_response",
]
