"""The public surface: pinned `__all__` lists, py.typed, and async twins mirroring sync ones."""

from __future__ import annotations

import importlib
import inspect
import typing
from pathlib import Path
from types import ModuleType

import pytest

import client_core
import hero_client
import loop_comms_client
import plannr_client
import sqod_client

PINNED = {
    # What users of the vendor clients import: errors, retries, pages, raw access, options.
    "client_core": [
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
    ],
    # What vendor packages are built from (with the few user names a vendor module needs).
    "client_core.kit": [
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
    ],
    "sqod_client": [
        "DEFAULT_TOKEN_URL",
        "APIConnectionError",
        "APIError",
        "APIStatusError",
        "APITimeoutError",
        "AlreadySentError",
        "Appointment",
        "AppointmentChanges",
        "AppointmentMessage",
        "Appointments",
        "AsyncAppointments",
        "AsyncPage",
        "AsyncPaginator",
        "AsyncSqodClient",
        "AuthenticationError",
        "BadRequestError",
        "Claimant",
        "ClaimantDataField",
        "ClaimantFields",
        "ClientClosedError",
        "ConflictError",
        "Department",
        "IdempotencyKeyReusedError",
        "InternalServerError",
        "LedgerEntry",
        "LedgerError",
        "Meeting",
        "NewAppointment",
        "NotFoundError",
        "OutcomeUnknownError",
        "PermissionDeniedError",
        "PostgresLedger",
        "RateLimitError",
        "RawResponse",
        "ResponseValidationError",
        "RetryPolicy",
        "SendInProgressError",
        "SqliteLedger",
        "SqodClient",
        "SyncPage",
        "UnprocessableEntityError",
        "User",
        "raw_response",
    ],
    "plannr_client": [
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
    ],
    "hero_client": [
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
    ],
    "loop_comms_client": [
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
    ],
    "client_core.testing": [
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
    ],
    "sqod_client.testing": [
        "DEFAULT_FAKE_BASE_URL",
        "TOKEN_PATH",
        "ClientCredentialsKeywords",
        "FakeSqod",
        "TokenKeywords",
    ],
    "plannr_client.testing": ["RATE_LIMIT", "FakePlannr", "TokenKeywords"],
    "hero_client.testing": ["ApiKeyKeywords", "FakeHero"],
    "loop_comms_client.testing": [
        "TOKEN_PATH",
        "ClientCredentialsKeywords",
        "FakeLoopComms",
        "TokenKeywords",
    ],
}

ERRORS = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "OutcomeUnknownError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ResponseValidationError",
]


@pytest.mark.parametrize("package", sorted(PINNED))
def test_all_is_pinned_and_importable(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == PINNED[package]
    for name in module.__all__:
        assert hasattr(module, name), name


@pytest.mark.parametrize("package", sorted(PINNED))
def test_package_ships_py_typed(package: str) -> None:
    # PEP 561: the marker in the top-level package covers its modules and subpackages.
    module = importlib.import_module(package.split(".")[0])
    assert (Path(module.__file__ or "").parent / "py.typed").is_file()


VENDORS = [sqod_client, plannr_client, hero_client, loop_comms_client]


@pytest.mark.parametrize("package", VENDORS, ids=lambda m: m.__name__)
def test_vendor_package_re_exports_every_core_error(package: ModuleType) -> None:
    for name in [*ERRORS, "RetryPolicy", "RawResponse", "raw_response"]:
        assert getattr(package, name) is getattr(client_core, name), name


def _public_methods(cls: type) -> dict[str, inspect.Signature]:
    methods = {}
    for name, member in inspect.getmembers(cls):
        function = member.fget if isinstance(member, property) else member
        if not name.startswith("_") and inspect.isfunction(function):
            methods[name] = inspect.signature(function)
    return methods


TWINS = [
    (sqod_client.Appointments, sqod_client.AsyncAppointments),
    (sqod_client.SqodClient, sqod_client.AsyncSqodClient),
    (plannr_client.Conversations, plannr_client.AsyncConversations),
    (plannr_client.Logins, plannr_client.AsyncLogins),
    (plannr_client.PlannrClient, plannr_client.AsyncPlannrClient),
    (hero_client.Messages, hero_client.AsyncMessages),
    (hero_client.HeroClient, hero_client.AsyncHeroClient),
    (loop_comms_client.Messages, loop_comms_client.AsyncMessages),
    (loop_comms_client.LoopCommsClient, loop_comms_client.AsyncLoopCommsClient),
    (client_core.SyncPage, client_core.AsyncPage),
]


@pytest.mark.parametrize(("sync_cls", "async_cls"), TWINS, ids=lambda c: c.__name__)
def test_async_twin_mirrors_the_sync_one(sync_cls: type, async_cls: type) -> None:
    sync_methods = _public_methods(sync_cls)
    async_methods = _public_methods(async_cls)
    # Only the resource types and closing differ by name between the twins.
    renamed = {"close": "aclose"}
    assert {renamed.get(n, n) for n in sync_methods} == set(async_methods)
    for name, signature in sync_methods.items():
        twin = async_methods[renamed.get(name, name)]
        assert list(signature.parameters) == list(twin.parameters), name
        for param, other in zip(
            signature.parameters.values(), twin.parameters.values(), strict=True
        ):
            assert (param.kind, param.default, param.annotation) == (
                other.kind,
                other.default,
                other.annotation,
            ), f"{name}.{param.name}"


ASYNC_RESOURCES = [
    sqod_client.AsyncAppointments,
    plannr_client.AsyncConversations,
    plannr_client.AsyncLogins,
    hero_client.AsyncMessages,
    loop_comms_client.AsyncMessages,
]


@pytest.mark.parametrize("resource", ASYNC_RESOURCES, ids=lambda c: c.__module__)
def test_async_resource_methods_are_coroutines_except_lists(resource: type) -> None:
    # A list returns an AsyncPaginator at once (awaitable and async-iterable, API.md), so
    # `async for x in client.r.list()` works without an await; every other call is a coroutine.
    for name, member in inspect.getmembers(resource, inspect.isfunction):
        if name.startswith("_"):
            continue
        returns = typing.get_type_hints(member)["return"]
        if typing.get_origin(returns) is client_core.AsyncPaginator:
            assert not inspect.iscoroutinefunction(member), name
            assert name.startswith("list"), name
        else:
            assert inspect.iscoroutinefunction(member), name


CLIENTS = [cls for pair in TWINS[1:] for cls in pair if cls.__name__.endswith("Client")]


@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
def test_constructors_take_keyword_arguments_only(cls: type) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    assert parameters
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in parameters)


@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
def test_every_client_takes_base_url_and_the_shared_options(cls: type) -> None:
    parameters = inspect.signature(cls).parameters
    assert "base_url" in parameters
    assert "Unpack[ClientOptions[" in str(parameters["options"].annotation)
    # API.md names these; ClientOptions adds retry_policy and strict_responses.
    contract = {"timeout", "max_retries", "http_client", "default_headers"}
    assert set(client_core.ClientOptions.__annotations__) >= contract


@pytest.mark.parametrize("name", sorted(PINNED))
def test_every_public_class_and_method_has_a_docstring(name: str) -> None:
    package = importlib.import_module(name)
    root = package.__name__.split(".")[0]  # client_core.kit re-exports client_core's classes
    for name in package.__all__:
        member = getattr(package, name)
        if not inspect.isclass(member) or not member.__module__.startswith(root):
            continue
        assert member.__doc__, name
        for attr, function in inspect.getmembers(member, inspect.isfunction):
            ours = function.__module__.startswith(root)
            if ours and not attr.startswith("_"):
                assert function.__doc__, f"{name}.{attr}"
