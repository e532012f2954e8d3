"""Typed client for the Hero GP practice messaging API (sync and async).

Example:
    from hero_client import HeroClient

    with HeroClient(api_key=api_key, practice_group_id=practice_group_id) as hero:
        hero.messages.send(patient_id="1234", message_type="sms", message_string="Hello")
"""

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
    LedgerEntry,
    LedgerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    PostgresLedger,
    RateLimitError,
    RawResponse,
    ResponseValidationError,
    RetryPolicy,
    SendInProgressError,
    SqliteLedger,
    UnprocessableEntityError,
    raw_response,
)

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
