"""Logins: find the account uuid the other calls send as `X-PLANNR-ACCOUNT-UUID`."""

from __future__ import annotations

from client_core.kit import AsyncPaginator, AsyncResource, PagedCall, SyncPage, SyncResource

from .models import Login

__all__ = ["AsyncLogins", "Logins"]


def _list() -> PagedCall[Login]:
    return PagedCall("GET", "/api/v1/logins", Login, idempotent=True)


class Logins(SyncResource):
    """The current user's logins: `client.logins`."""

    def list(self) -> SyncPage[Login]:
        """Every login of the token's user; `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return self._client.send_page(_list())


class AsyncLogins(AsyncResource):
    """The current user's logins: `client.logins` on the async client."""

    def list(self) -> AsyncPaginator[Login]:
        """Every login of the token's user (`await` it, or `async for` over it without one);
        `login.account.uuid` is an `account_uuid`.

        Prefer `login.preferred_account_uuid` when Plannr sends it.
        """
        return AsyncPaginator(self._client, _list())
