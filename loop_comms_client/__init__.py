"""Typed client for the Loop Health comms API (sync and async).

Example:
    from loop_comms_client import LoopCommsClient

    with LoopCommsClient(client_id=client_id, client_secret=client_secret) as loop:
        loop.messages.schedule(channel="sms", template_key="reminder", recipient="+447700900123",
                               brand_id=brand, person_id=person, dedup_key="appt-1-reminder",
                               scheduled_at=datetime(2030, 5, 1, 9, tzinfo=UTC))
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

from ._client import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, AsyncLoopCommsClient, LoopCommsClient
from ._messages import AsyncMessages, Messages
from .models import Channel, Message, MessageFields, ScheduledMessage, ScheduleFields

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncLoopCommsClient",
    "AsyncMessages",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Channel",
    "ClientClosedError",
    "ConflictError",
    "InternalServerError",
    "LoopCommsClient",
    "Message",
    "MessageFields",
    "Messages",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseValidationError",
    "RetryPolicy",
    "ScheduleFields",
    "ScheduledMessage",
    "SyncPage",
    "UnprocessableEntityError",
    "raw_response",
]
