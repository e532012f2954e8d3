"""Shared core of the vendor clients: what their users import (errors, retries, pages, raw access).

The kit vendor packages are built from (calls, request checks, base clients, auth flows) is in
`client_core.kit`; the fake-server kit is in `client_core.testing`.
"""

from typing import TYPE_CHECKING

from . import _lazy
from ._call import FileContent, FileTypes, RequestFiles
from ._config import DEFAULT_TIMEOUT, CallOptions, ClientOptions
from ._errors import (
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
    ResponseValidationError,
    SendInProgressError,
    UnprocessableEntityError,
)
from ._models import NOT_GIVEN, MissingFieldError, NotGiven, RawResponse, Resource, raw_response
from ._pagination import AsyncPage, PageLinks, PageMeta, SyncPage
from ._paginator import AsyncPaginator
from ._retry import RetryPolicy
from ._transport import AsyncAPIClient, SyncAPIClient
from ._version import __version__

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AiohttpClient",
    "AlreadySentError",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "CallOptions",
    "ClientClosedError",
    "ClientOptions",
    "ConflictError",
    "FileContent",
    "FileTypes",
    "IdempotencyKeyReusedError",
    "InternalServerError",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "MissingFieldError",
    "NotFoundError",
    "NotGiven",
    "OutcomeUnknownError",
    "PageLinks",
    "PageMeta",
    "PermissionDeniedError",
    "PostgresLedger",
    "RateLimitError",
    "RawResponse",
    "RequestFiles",
    "Resource",
    "ResponseValidationError",
    "RetryPolicy",
    "SendInProgressError",
    "SqliteLedger",
    "SyncAPIClient",
    "SyncPage",
    "UnprocessableEntityError",
    "__version__",
    "raw_response",
]

if TYPE_CHECKING:
    from ._aiohttp import AiohttpClient
    from ._ledger import Ledger, LedgerEntry, SqliteLedger
    from ._ledger_postgres import PostgresLedger

# The send ledger (sqlite3, anyio) is loaded when one of its names is first asked for.
_lazy_attribute, __dir__ = _lazy.lazy_names(globals(), _lazy.LAZY_NAMES)


def __getattr__(name: str) -> object:
    # The fast async path needs the `aiohttp` extra, so it is imported only when asked for.
    if name == "AiohttpClient":
        try:
            from ._aiohttp import AiohttpClient
        except ImportError as exc:
            raise ImportError(
                "AiohttpClient needs the aiohttp extra: "
                "pip install 'care-messaging-clients[aiohttp]'"
            ) from exc
        return AiohttpClient
    return _lazy_attribute(name)
