"""Building blocks of the vendor fakes (`sqod_client.testing.FakeSqod` and its siblings).

Downstream tests use the vendor fakes; these names are for reading their code and for
building a fake of another vendor the same way.
"""

from ._input import (
    UploadedFile,
    basic_credentials,
    json_body,
    json_problems,
    laravel_input,
    read_form,
)
from ._laravel import (
    LaravelBool,
    laravel_error,
    laravel_invalid,
    laravel_page,
    laravel_validate,
    page_query,
    validation_reply,
)
from ._oauth import (
    BearerTokenFake,
    ClientCredentialsKeywords,
    TokenIssuer,
    TokenKeywords,
    utc_timestamp,
)
from ._reply import Reply
from ._server import ErrorReply, FakeRequest, FakeServer, Route

__all__ = [
    "BearerTokenFake",
    "ClientCredentialsKeywords",
    "ErrorReply",
    "FakeRequest",
    "FakeServer",
    "LaravelBool",
    "Reply",
    "Route",
    "TokenIssuer",
    "TokenKeywords",
    "UploadedFile",
    "basic_credentials",
    "json_body",
    "json_problems",
    "laravel_error",
    "laravel_input",
    "laravel_invalid",
    "laravel_page",
    "laravel_validate",
    "page_query",
    "read_form",
    "utc_timestamp",
    "validation_reply",
]
