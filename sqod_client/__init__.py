"""Typed client for the SQOD video appointments API (sync and async).

Example:
    from sqod_client import SqodClient

    with SqodClient(base_url="https://acme.sqod.co.uk", client_id=cid, client_secret=key) as sqod:
        sqod.appointments.send_message(appointment_id, message="Running 5 minutes late")
"""

from typing import TYPE_CHECKING

from client_core import (
    AlreadySentError,
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
    IdempotencyKeyReusedError,
    InternalServerError,
    LedgerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RawResponse,
    ResponseValidationError,
    RetryPolicy,
    SendInProgressError,
    SyncPage,
    UnprocessableEntityError,
    raw_response,
)
from client_core.kit import lazy_names

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

if TYPE_CHECKING:
    from client_core import LedgerEntry, PostgresLedger, SqliteLedger
else:
    # The send ledger (sqlite3, anyio) is loaded when first asked for, not with the package.
    __getattr__, __dir__ = lazy_names(globals(), ["LedgerEntry", "PostgresLedger", "SqliteLedger"])
    del TYPE_CHECKING, lazy_names  # keep dir() to the package's own names

__all__ = [
    "DEFAULT_TOKEN_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadySentError",
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
    "IdempotencyKeyReusedError",
    "InternalServerError",
    "LedgerEntry",
    "LedgerError",
    "Meeting",
    "NewAppointment",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PostgresLedger",
    "RateLimitError",
    "RawResponse",
    "ResponseValidationError",
    "RetryPolicy",
    "SendInProgressError",
    "SqliteLedger",
    "SqodClient",
    "SyncPage",
    "UnprocessableEntityError",
    "User",
    "raw_response",
]
