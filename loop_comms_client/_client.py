"""LoopCommsClient and AsyncLoopCommsClient: Loop's base URL and M2M auth on the core."""

from __future__ import annotations

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

from ._messages import AsyncMessages, Messages

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TOKEN_URL", "AsyncLoopCommsClient", "LoopCommsClient"]

DEFAULT_BASE_URL = "https://comms.platform.loop.health"
"""Loop's comms service."""
DEFAULT_TOKEN_URL = "https://identity.platform.loop.health/v1/oauth/token"
"""Loop's identity service, for machine-to-machine client credentials."""


class _LoopCommsClientBase(BaseClient[HttpT]):
    """The constructor both twins share: no I/O happens here."""

    def __init__(
        self,
        *,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        scope: str | None = None,
        base_url: str | None = None,
        token_url: str = DEFAULT_TOKEN_URL,
        **options: Unpack[ClientOptions[HttpT]],
    ) -> None:
        # Loop's M2M grant takes the client id and secret in the form body (its auth docs).
        auth = token_auth(
            token,
            client_id,
            client_secret,
            env_prefix="LOOP_COMMS",
            token_url=token_url,
            credentials_in="body",
            scope=scope,
        )
        settings = client_settings(
            package="loop_comms_client",
            base_url=resolve_base_url(
                base_url, env="LOOP_COMMS_BASE_URL", default=DEFAULT_BASE_URL
            ),
            auth=auth,
            options=options,
        )
        super().__init__(settings, options.get("http_client"))


class LoopCommsClient(_LoopCommsClientBase[httpx.Client], SyncAPIClient):
    """Loop Health comms, blocking.

    Pass `token`, or `client_id` + `client_secret` (and `scope` if your client needs one);
    each falls back to `LOOP_COMMS_TOKEN`, `LOOP_COMMS_CLIENT_ID`, `LOOP_COMMS_CLIENT_SECRET`,
    and `base_url` to `LOOP_COMMS_BASE_URL`, then Loop production.

    Example:
        with LoopCommsClient(client_id=cid, client_secret=secret) as loop:
            loop.messages.schedule(channel="sms", template_key="reminder", ...,
                                   dedup_key="appt-123-reminder", scheduled_at=when)
    """

    @resource_property
    def messages(self) -> Messages:
        """Send and schedule templated messages; read them back."""
        return Messages(self)


class AsyncLoopCommsClient(_LoopCommsClientBase[httpx.AsyncClient], AsyncAPIClient):
    """Loop Health comms, for asyncio; the same options and calls as `LoopCommsClient`.

    Example:
        async with AsyncLoopCommsClient(token=token) as loop:
            await loop.messages.get(message_id)
    """

    @resource_property
    def messages(self) -> AsyncMessages:
        """Send and schedule templated messages; read them back."""
        return AsyncMessages(self)
