"""Typed client for the Hero GP practice messaging API (sync and async).

Example:
    from hero_client import HeroClient

    with HeroClient(api_key=api_key, practice_group_id=practice_group_id) as hero:
        hero.messages.send(patient_id="1234", message_type="sms", message_string="Hello")
"""

from typing import TYPE_CHECKING

from client_core import (
    AlreadySentError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
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
    UnprocessableEntityError,
    raw_response,
)
from client_core.kit import lazy_names

from ._client import DEFAULT_BASE_URL, AsyncHeroClient, HeroClient
from ._messages import AsyncMessages, Messages
from .models import (
    Admin,
    AssigneeType,
    Campaign,
    FallbackMessageType,
    Message,
    MessageOptions,
    MessagePatient,
    MessageType,
    SentMessage,
    ShortLink,
    WriteToRecord,
)

if TYPE_CHECKING:
    from client_core import LedgerEntry, PostgresLedger, SqliteLedger
else:
    # The send ledger (sqlite3, anyio) is loaded when first asked for, not with the package.
    __getattr__, __dir__ = lazy_names(globals(), ["LedgerEntry", "PostgresLedger", "SqliteLedger"])
    del TYPE_CHECKING, lazy_names  # keep dir() to the package's own names

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Admin",
    "AlreadySentError",
    "AssigneeType",
    "AsyncHeroClient",
    "AsyncMessages",
    "AuthenticationError",
    "BadRequestError",
    "Campaign",
    "ClientClosedError",
    "ConflictError",
    "FallbackMessageType",
    "HeroClient",
    "IdempotencyKeyReusedError",
    "InternalServerError",
    "LedgerEntry",
    "LedgerError",
    "Message",
    "MessageOptions",
    "MessagePatient",
    "MessageType",
    "Messages",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PostgresLedger",
    "RateLimitError",
    "RawResponse",
    "ResponseValidationError",
    "RetryPolicy",
    "SendInProgressError",
    "SentMessage",
    "ShortLink",
    "SqliteLedger",
    "UnprocessableEntityError",
    "WriteToRecord",
    "raw_response",
]
