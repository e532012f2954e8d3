"""Logins: find the account uuid the other calls send as `X-PLANNR-ACCOUNT-UUID`."""

from __future__ import annotations

from client_core import AsyncPage, AsyncResource, Call, SyncPage, SyncResource

from .models import Login

__all__ = ["AsyncLogins", "Logins"]


def _list() -> Call[Login]:
    return Call("GET", "/api/v1/logins", Login, idempotent=True, paged=True)


class Logins(SyncResource):
    """The current user's logins: `client.logins`."""

    def list(self) -> SyncPage[Login]:
        """Every login of the token's user; `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return self._client.send_page(_list())


class AsyncLogins(AsyncResource):
    """The current user's logins: `client.logins` on the async client."""

    async def list(self) -> AsyncPage[Login]:
        """Every login of the token's user; `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return await self._client.send_page(_list())
