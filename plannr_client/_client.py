"""PlannrClient and AsyncPlannrClient: Plannr's base URL, token and account header on the core."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from typing_extensions import Unpack

from client_core.kit import (
    AsyncAPIClient,
    BaseClient,
    BearerAuth,
    ClientOptions,
    HttpT,
    SyncAPIClient,
    check_uuid,
    client_settings,
    credential,
    require,
    resolve_base_url,
    resource_property,
)

from ._conversations import AsyncConversations, Conversations
from ._logins import AsyncLogins, Logins

if TYPE_CHECKING:
    from client_core.kit import Ledger

__all__ = ["DEFAULT_BASE_URL", "AsyncPlannrClient", "PlannrClient"]

DEFAULT_BASE_URL = "https://api.plannrcrm.com"
"""Plannr's only published host."""


class _PlannrClientBase(BaseClient[HttpT]):
    """The constructor both twins share: no I/O happens here."""

    def __init__(
        self,
        *,
        token: str | None = None,
        account_uuid: str | None = None,
        base_url: str | None = None,
        ledger: Ledger | None = None,
        **options: Unpack[ClientOptions[HttpT]],
    ) -> None:
        auth = BearerAuth(credential(token, "token", "PLANNR_TOKEN"))
        account = require(account_uuid, "account_uuid", "PLANNR_ACCOUNT_UUID")
        account = check_uuid(account, "account_uuid (or PLANNR_ACCOUNT_UUID)")
        settings = client_settings(
            package="plannr_client",
            base_url=resolve_base_url(base_url, env="PLANNR_BASE_URL", default=DEFAULT_BASE_URL),
            auth=auth,
            options=options,
            # Plannr's multi-tenancy header: the account (not the login) every call acts as.
            vendor_headers={"X-PLANNR-ACCOUNT-UUID": account},
            tenant=account,
            ledger=ledger,
        )
        super().__init__(settings, options.get("http_client"))


class PlannrClient(_PlannrClientBase[httpx.Client], SyncAPIClient):
    """Plannr CRM, blocking.

    Pass `token` (a personal access token or an OAuth access token) and `account_uuid`
    (from `logins.list()`); each falls back to `PLANNR_TOKEN` and `PLANNR_ACCOUNT_UUID`, and
    `base_url` to `PLANNR_BASE_URL`, then to https://api.plannrcrm.com. With `ledger=`, a send
    given `idempotency_key=` happens at most once per key (see `SqliteLedger`).

    Example:
        with PlannrClient(token=token, account_uuid=account) as plannr:
            plannr.conversations.send_message(conversation_uuid, contents="See you at 10")
    """

    @resource_property
    def conversations(self) -> Conversations:
        """Post messages (with files), list conversations and their messages."""
        return Conversations(self)

    @resource_property
    def logins(self) -> Logins:
        """The user's logins, to find an account uuid."""
        return Logins(self)


class AsyncPlannrClient(_PlannrClientBase[httpx.AsyncClient], AsyncAPIClient):
    """Plannr CRM, for asyncio; the same options and calls as `PlannrClient`.

    Example:
        async with AsyncPlannrClient(token=token, account_uuid=account) as plannr:
            await plannr.conversations.send_message(conversation_uuid, contents="See you at 10")
    """

    @resource_property
    def conversations(self) -> AsyncConversations:
        """Post messages (with files), list conversations and their messages."""
        return AsyncConversations(self)

    @resource_property
    def logins(self) -> AsyncLogins:
        """The user's logins, to find an account uuid."""
        return AsyncLogins(self)
