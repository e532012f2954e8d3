"""The kit a vendor package is built from: calls, request checks, base clients, auth, settings.

Vendor modules import from here alone. The few user-facing names a vendor module also needs
(the base clients, pages, `Resource`, option and file types) are re-exported, so each vendor
module has one import source; users import those from `client_core`.
"""

from typing import TYPE_CHECKING

from ._auth import BearerAuth, ClientCredentialsAuth, HeaderAuth
from ._call import (
    Call,
    FileTypes,
    MaybeEmptyCall,
    PagedCall,
    RequestFiles,
    laravel_form,
    path_segment,
    repeated_files,
)
from ._config import (
    CallOptions,
    ClientCredentials,
    ClientOptions,
    ClientSettings,
    HttpT,
    check_base_url,
    client_settings,
    credential,
    from_env,
    require,
    resolve_base_url,
    token_auth,
    token_or_credentials,
)
from ._lazy import lazy_names
from ._models import (
    REQUEST_CONFIG,
    JsonObject,
    ModelOrDict,
    NonBlank,
    NumericText,
    Resource,
    Timestamp,
    UUIDText,
    check_uuid,
    request_body,
)
from ._pagination import AsyncPage, SyncPage, page_params
from ._paginator import AsyncPaginator
from ._resource_property import resource_property
from ._transport import AsyncAPIClient, AsyncResource, BaseClient, SyncAPIClient, SyncResource

if TYPE_CHECKING:
    from ._ledger import Ledger
else:
    # The send ledger (sqlite3, anyio) is loaded when first asked for, not with the kit.
    __getattr__, __dir__ = lazy_names(globals(), ["Ledger"])
    del TYPE_CHECKING  # keep dir() to the kit's own names

__all__ = [
    "REQUEST_CONFIG",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncResource",
    "BaseClient",
    "BearerAuth",
    "Call",
    "CallOptions",
    "ClientCredentials",
    "ClientCredentialsAuth",
    "ClientOptions",
    "ClientSettings",
    "FileTypes",
    "HeaderAuth",
    "HttpT",
    "JsonObject",
    "Ledger",
    "MaybeEmptyCall",
    "ModelOrDict",
    "NonBlank",
    "NumericText",
    "PagedCall",
    "RequestFiles",
    "Resource",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "Timestamp",
    "UUIDText",
    "check_base_url",
    "check_uuid",
    "client_settings",
    "credential",
    "from_env",
    "laravel_form",
    "lazy_names",
    "page_params",
    "path_segment",
    "repeated_files",
    "request_body",
    "require",
    "resolve_base_url",
    "resource_property",
    "token_auth",
    "token_or_credentials",
]
