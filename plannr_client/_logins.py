"""Logins: find the account uuid the other calls send as `X-PLANNR-ACCOUNT-UUID`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from client_core import AsyncPage, Call, SyncPage

from .models import Login

if TYPE_CHECKING:
    from client_core import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncLogins", "Logins"]


def _list() -> Call[Login]:
    return Call("GET", "/api/v1/logins", Login, idempotent=True, paged=True)


class Logins:
    """The current user's logins: `client.logins`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def list(self) -> SyncPage[Login]:
        """Every login of the token's user; `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return self._client.send_page(_list())


class AsyncLogins:
    """The current user's logins: `client.logins` on the async client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def list(self) -> AsyncPage[Login]:
        """Every login of the token's user; `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return await self._client.send_page(_list())
