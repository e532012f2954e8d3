"""SqodClient and AsyncSqodClient: SQOD's base URL, auth and options on the shared core."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from typing_extensions import Unpack

from client_core.kit import (
    AsyncAPIClient,
    BaseClient,
    ClientOptions,
    HttpT,
    SyncAPIClient,
    client_settings,
    resolve_base_url,
    resource_property,
    token_auth,
)

from ._appointments import Appointments, AsyncAppointments

if TYPE_CHECKING:
    from client_core.kit import Ledger

__all__ = ["DEFAULT_TOKEN_URL", "AsyncSqodClient", "SqodClient"]

DEFAULT_TOKEN_URL = "https://auth.app.sqod.co.uk/oauth2/token"
"""SQOD's AWS Cognito token endpoint for client credentials."""


class _SqodClientBase(BaseClient[HttpT]):
    """The constructor both twins share: no I/O happens here."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str = DEFAULT_TOKEN_URL,
        method_override: bool = False,
        ledger: Ledger | None = None,
        **options: Unpack[ClientOptions[HttpT]],
    ) -> None:
        url = resolve_base_url(base_url, env="SQOD_BASE_URL")
        # Cognito takes the client id and secret as HTTP Basic (SQOD's auth page).
        auth = token_auth(
            token,
            client_id,
            client_secret,
            env_prefix="SQOD",
            token_url=token_url,
            credentials_in="basic",
        )
        settings = client_settings(
            package="sqod_client",
            base_url=url,
            auth=auth,
            options=options,
            method_override=method_override,
            ledger=ledger,  # the base URL is the customer: it is the tenant
        )
        super().__init__(settings, options.get("http_client"))


class SqodClient(_SqodClientBase[httpx.Client], SyncAPIClient):
    """SQOD video appointments, blocking.

    Pass `base_url` (your customer URL) and either `token` or `client_id` + `client_secret`;
    each falls back to `SQOD_BASE_URL`, `SQOD_TOKEN`, `SQOD_CLIENT_ID`, `SQOD_CLIENT_SECRET`.
    `method_override=True` tunnels every PATCH as `POST ?_method=PATCH`; `retry_policy`
    replaces `max_retries` with a full `RetryPolicy`; `strict_responses=True` raises
    `ResponseValidationError` on an off-spec answer instead of logging a warning. With
    `ledger=` (a `SqliteLedger` or `PostgresLedger`), a send given `idempotency_key=` happens
    at most once per key, across retries, restarts and workers.

    Example:
        with SqodClient(base_url="https://acme.sqod.co.uk", token=token) as sqod:
            sqod.appointments.send_message(appointment_id, message="Running 5 minutes late")
    """

    @resource_property
    def appointments(self) -> Appointments:
        """Send messages to waiting callers; list, create, update and cancel appointments."""
        return Appointments(self)


class AsyncSqodClient(_SqodClientBase[httpx.AsyncClient], AsyncAPIClient):
    """SQOD video appointments, for asyncio; the same options and calls as `SqodClient`.

    Example:
        async with AsyncSqodClient(base_url="https://acme.sqod.co.uk", token=token) as sqod:
            await sqod.appointments.send_message(appointment_id, message="Running late")
    """

    @resource_property
    def appointments(self) -> AsyncAppointments:
        """Send messages to waiting callers; list, create, update and cancel appointments."""
        return AsyncAppointments(self)
