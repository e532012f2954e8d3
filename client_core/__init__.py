"""Shared transport core for the vendor clients: calls, retries, auth, errors, models, pages.

Vendor packages import only from here, never from the private modules.
"""

from typing import TYPE_CHECKING

from ._auth import BearerAuth, ClientCredentialsAuth, HeaderAuth
from ._call import (
    Call,
    FileContent,
    FileTypes,
    RequestFiles,
    laravel_form,
    path_segment,
    repeated_files,
)
from ._config import (
    DEFAULT_TIMEOUT,
    CallOptions,
    ClientCredentials,
    ClientOptions,
    __version__,
    check_base_url,
    client_settings,
    from_env,
    require,
    resolve_base_url,
    token_auth,
    token_or_credentials,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._models import (
    NOT_GIVEN,
    REQUEST_CONFIG,
    JsonObject,
    ModelOrDict,
    NonBlank,
    NotGiven,
    NumericText,
    RawResponse,
    Resource,
    Timestamp,
    UUIDText,
    check_uuid,
    raw_response,
    request_body,
)
from ._pagination import AsyncPage, PageLinks, PageMeta, SyncPage, page_params
from ._retry import RetryPolicy
from ._transport import (
    AsyncAPIClient,
    AsyncResource,
    BaseClient,
    ClientSettings,
    HttpT,
    SyncAPIClient,
    SyncResource,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "REQUEST_CONFIG",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AiohttpClient",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncResource",
    "AuthenticationError",
    "BadRequestError",
    "BaseClient",
    "BearerAuth",
    "Call",
    "CallOptions",
    "ClientCredentials",
    "ClientCredentialsAuth",
    "ClientOptions",
    "ClientSettings",
    "ConflictError",
    "FileContent",
    "FileTypes",
    "HeaderAuth",
    "HttpT",
    "InternalServerError",
    "JsonObject",
    "ModelOrDict",
    "NonBlank",
    "NotFoundError",
    "NotGiven",
    "NumericText",
    "OutcomeUnknownError",
    "PageLinks",
    "PageMeta",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestFiles",
    "Resource",
    "ResponseValidationError",
    "RetryPolicy",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "Timestamp",
    "UUIDText",
    "UnprocessableEntityError",
    "__version__",
    "check_base_url",
    "check_uuid",
    "client_settings",
    "from_env",
    "laravel_form",
    "page_params",
    "path_segment",
    "raw_response",
    "repeated_files",
    "request_body",
    "require",
    "resolve_base_url",
    "token_auth",
    "token_or_credentials",
]

if TYPE_CHECKING:
    from ._aiohttp import AiohttpClient


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
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
