"""HeroClient and AsyncHeroClient: Hero's base URL and its two key headers on the core."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from typing_extensions import Unpack

from client_core.kit import (
    AsyncAPIClient,
    BaseClient,
    ClientOptions,
    HeaderAuth,
    HttpT,
    SyncAPIClient,
    client_settings,
    credential,
    resolve_base_url,
    resource_property,
)

from ._messages import AsyncMessages, Messages

if TYPE_CHECKING:
    from client_core.kit import Ledger

__all__ = ["DEFAULT_BASE_URL", "AsyncHeroClient", "HeroClient"]

DEFAULT_BASE_URL = "https://api.herohealth.net"
"""Hero production; staging is https://api.staging.htech.app with its own API key."""


class _HeroClientBase(BaseClient[HttpT]):
    """The constructor both twins share: no I/O happens here."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        practice_group_id: str | None = None,
        base_url: str | None = None,
        ledger: Ledger | None = None,
        **options: Unpack[ClientOptions[HttpT]],
    ) -> None:
        auth = HeaderAuth({"x-api-key": credential(api_key, "api_key", "HERO_API_KEY")})
        group = credential(practice_group_id, "practice_group_id", "HERO_PRACTICE_GROUP_ID")
        settings = client_settings(
            package="hero_client",
            base_url=resolve_base_url(base_url, env="HERO_BASE_URL", default=DEFAULT_BASE_URL),
            auth=auth,
            options=options,
            # The practice group acted for; another group in the key's network works too.
            vendor_headers={"x-practice-group-id": group},
            tenant=group,
            ledger=ledger,
        )
        super().__init__(settings, options.get("http_client"))


class HeroClient(_HeroClientBase[httpx.Client], SyncAPIClient):
    """Hero GP practice messaging, blocking.

    Pass `api_key` and `practice_group_id`; they fall back to `HERO_API_KEY` and
    `HERO_PRACTICE_GROUP_ID`, and `base_url` to `HERO_BASE_URL`, then Hero production. With
    `ledger=`, a send given `idempotency_key=` happens at most once per key (see `SqliteLedger`).

    Example:
        with HeroClient(api_key=key, practice_group_id="42") as hero:
            hero.messages.send(patient_id="1234", message_type="sms", message_string="Hello")
    """

    @resource_property
    def messages(self) -> Messages:
        """Send messages to patients and read their status."""
        return Messages(self)


class AsyncHeroClient(_HeroClientBase[httpx.AsyncClient], AsyncAPIClient):
    """Hero GP practice messaging, for asyncio; the same options and calls as `HeroClient`.

    Example:
        async with AsyncHeroClient(api_key=key, practice_group_id="42") as hero:
            await hero.messages.send(patient_id="1234", message_type="sms", message_string="Hi")
    """

    @resource_property
    def messages(self) -> AsyncMessages:
        """Send messages to patients and read their status."""
        return AsyncMessages(self)
