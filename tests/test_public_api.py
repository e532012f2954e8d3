"""The public surface: pinned `__all__` lists, py.typed, and async twins mirroring sync ones."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

import client_core
import sqod_client

PINNED = {
    "client_core": [
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
        "token_or_credentials",
    ],
    "sqod_client": [
        "DEFAULT_TOKEN_URL",
        "APIConnectionError",
        "APIError",
        "APIStatusError",
        "APITimeoutError",
        "Appointment",
        "AppointmentChanges",
        "AppointmentMessage",
        "Appointments",
        "AsyncAppointments",
        "AsyncPage",
        "AsyncSqodClient",
        "AuthenticationError",
        "BadRequestError",
        "Claimant",
        "ClaimantDataField",
        "ClaimantFields",
        "ConflictError",
        "Department",
        "InternalServerError",
        "Meeting",
        "NewAppointment",
        "NotFoundError",
        "OutcomeUnknownError",
        "PermissionDeniedError",
        "RateLimitError",
        "RawResponse",
        "ResponseValidationError",
        "RetryPolicy",
        "SqodClient",
        "SyncPage",
        "UnprocessableEntityError",
        "User",
        "raw_response",
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
    module = importlib.import_module(package)
    assert (Path(module.__file__ or "").parent / "py.typed").is_file()


def test_vendor_package_re_exports_every_core_error() -> None:
    for name in ERRORS:
        assert getattr(sqod_client, name) is getattr(client_core, name)


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


def test_async_resource_methods_are_coroutines() -> None:
    for name, member in inspect.getmembers(sqod_client.AsyncAppointments, inspect.isfunction):
        if not name.startswith("_"):
            assert inspect.iscoroutinefunction(member), name


def test_constructors_take_keyword_arguments_only() -> None:
    for cls in (sqod_client.SqodClient, sqod_client.AsyncSqodClient):
        parameters = list(inspect.signature(cls).parameters.values())
        assert parameters
        assert all(p.kind is p.KEYWORD_ONLY for p in parameters)
