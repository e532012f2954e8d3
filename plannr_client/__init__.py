"""Typed client for the Plannr CRM API (sync and async).

Example:
    from plannr_client import PlannrClient

    with PlannrClient(token=token, account_uuid=account_uuid) as plannr:
        plannr.conversations.send_message(conversation_uuid, contents="Your review is booked")
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

from ._client import DEFAULT_BASE_URL, AsyncPlannrClient, PlannrClient
from ._conversations import AsyncConversations, Conversations
from ._logins import AsyncLogins, Logins
from .models import (
    Account,
    ArchivedFilter,
    Author,
    Conversation,
    ConversationInclude,
    ConversationSort,
    File,
    Login,
    Message,
    MessageSort,
    Reaction,
    Tag,
    User,
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
    "Account",
    "AlreadySentError",
    "ArchivedFilter",
    "AsyncConversations",
    "AsyncLogins",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncPlannrClient",
    "AuthenticationError",
    "Author",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "Conversation",
    "ConversationInclude",
    "ConversationSort",
    "Conversations",
    "File",
    "IdempotencyKeyReusedError",
    "InternalServerError",
    "LedgerEntry",
    "LedgerError",
    "Login",
    "Logins",
    "Message",
    "MessageSort",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PlannrClient",
    "PostgresLedger",
    "RateLimitError",
    "RawResponse",
    "Reaction",
    "ResponseValidationError",
    "RetryPolicy",
    "SendInProgressError",
    "SqliteLedger",
    "SyncPage",
    "Tag",
    "UnprocessableEntityError",
    "User",
    "raw_response",
]
