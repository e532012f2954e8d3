"""Shared transport core for the vendor clients: calls, retries, auth, errors, models, pages.

Vendor packages import only from here, never from the private modules.
"""

from ._auth import BearerAuth, ClientCredentialsAuth, HeaderAuth
from ._call import Call, FileContent, FileTypes, RequestFiles, laravel_form, path_segment
from ._config import (
    DEFAULT_TIMEOUT,
    ClientCredentials,
    __version__,
    check_base_url,
    client_settings,
    from_env,
    require,
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
    NonBlank,
    NotGiven,
    RawResponse,
    Resource,
    Timestamp,
    raw_response,
    request_body,
)
from ._pagination import AsyncPage, PageLinks, PageMeta, SyncPage, page_params
from ._retry import RetryPolicy
from ._transport import AsyncAPIClient, BaseClient, ClientSettings, SyncAPIClient

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "BaseClient",
    "BearerAuth",
    "Call",
    "ClientCredentials",
    "ClientCredentialsAuth",
    "ClientSettings",
    "ConflictError",
    "FileContent",
    "FileTypes",
    "HeaderAuth",
    "InternalServerError",
    "NonBlank",
    "NotFoundError",
    "NotGiven",
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
    "Timestamp",
    "UnprocessableEntityError",
    "__version__",
    "check_base_url",
    "client_settings",
    "from_env",
    "laravel_form",
    "page_params",
    "path_segment",
    "raw_response",
    "request_body",
    "require",
    "token_or_credentials",
]
