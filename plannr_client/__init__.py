"""Typed client for the Plannr CRM API (sync and async).

Example:
    from plannr_client import PlannrClient

    with PlannrClient(token=token, account_uuid=account_uuid) as plannr:
        plannr.conversations.send_message(conversation_uuid, contents="Your review is booked")
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

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
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
    "InternalServerError",
    "Login",
    "Logins",
    "Message",
    "MessageSort",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PlannrClient",
    "RateLimitError",
    "RawResponse",
    "Reaction",
    "ResponseValidationError",
    "RetryPolicy",
    "SyncPage",
    "Tag",
    "UnprocessableEntityError",
    "User",
    "raw_response",
]
