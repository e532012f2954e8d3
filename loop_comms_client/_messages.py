"""Messages: the endpoint builders (pure, shared) and the sync and async resources.

Every send carries a caller-chosen `dedup_key`, so Loop refuses a repeat with 409: sends are
retried like reads, and each retry sends the same bytes with the same key.
"""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import Field, with_config
from typing_extensions import TypedDict, Unpack

from client_core.kit import (
    REQUEST_CONFIG,
    AsyncPaginator,
    AsyncResource,
    Call,
    PagedCall,
    SyncPage,
    SyncResource,
    path_segment,
    request_body,
)

from .models import Message, MessageFields, ScheduledMessage, ScheduleFields

__all__ = ["AsyncMessages", "Messages"]


@with_config(REQUEST_CONFIG)
class _ScheduledQuery(TypedDict):
    brand_id: Annotated[str, Field(min_length=1)]
    status: NotRequired[Annotated[str, Field(min_length=1)]]


def _send(fields: MessageFields) -> Call[Message]:
    body = request_body(MessageFields, fields, what="messages.send")
    return Call("POST", "/v1/messages/send", Message, idempotent=True, json=body)


def _schedule(fields: ScheduleFields) -> Call[ScheduledMessage]:
    body = request_body(ScheduleFields, fields, what="messages.schedule")
    return Call("POST", "/v1/messages/schedule", ScheduledMessage, idempotent=True, json=body)


def _get_scheduled(scheduled_id: str) -> Call[ScheduledMessage]:
    path = f"/v1/messages/scheduled/{path_segment(scheduled_id, 'id')}"
    return Call("GET", path, ScheduledMessage, idempotent=True)


def _list_scheduled(brand_id: str, status: str | None) -> PagedCall[ScheduledMessage]:
    given = {"brand_id": brand_id} if status is None else {"brand_id": brand_id, "status": status}
    params = request_body(_ScheduledQuery, given, what="messages.list_scheduled")
    path = "/v1/messages/scheduled"
    return PagedCall("GET", path, ScheduledMessage, idempotent=True, params=params)


def _get(message_id: str) -> Call[Message]:
    path = f"/v1/messages/{path_segment(message_id, 'message_id')}"
    return Call("GET", path, Message, idempotent=True)


class Messages(SyncResource):
    """Loop comms messages: `client.messages`."""

    def schedule(self, **fields: Unpack[ScheduleFields]) -> ScheduledMessage:
        """Schedule a templated message (fields: `ScheduleFields`); `scheduled_at` needs a timezone.

        Retried with the same `dedup_key` if the answer is lost; a `ConflictError` then says
        whether an earlier attempt was probably accepted.
        """
        return self._client.send(_schedule(fields))

    def send(self, **fields: Unpack[MessageFields]) -> Message:
        """Send a templated message now (fields: `MessageFields`), retried with the same key.

        Example: `loop.messages.send(channel="sms", template_key="reminder", ..., dedup_key=k)`.
        """
        return self._client.send(_send(fields))

    def get_scheduled(self, id: str) -> ScheduledMessage:
        """A scheduled message by its `id`, with its status."""
        return self._client.send(_get_scheduled(id))

    def list_scheduled(
        self, *, brand_id: str, status: str | None = None
    ) -> SyncPage[ScheduledMessage]:
        """The brand's scheduled messages, optionally only those with `status` (one page)."""
        return self._client.send_page(_list_scheduled(brand_id, status))

    def get(self, message_id: str) -> Message:
        """A sent message by its `message_id`, with its status and provider."""
        return self._client.send(_get(message_id))


class AsyncMessages(AsyncResource):
    """Loop comms messages: `client.messages` on the async client."""

    async def schedule(self, **fields: Unpack[ScheduleFields]) -> ScheduledMessage:
        """Schedule a templated message (fields: `ScheduleFields`); `scheduled_at` needs a timezone.

        Retried with the same `dedup_key` if the answer is lost; a `ConflictError` then says
        whether an earlier attempt was probably accepted.
        """
        return await self._client.send(_schedule(fields))

    async def send(self, **fields: Unpack[MessageFields]) -> Message:
        """Send a templated message now (fields: `MessageFields`), retried with the same key."""
        return await self._client.send(_send(fields))

    async def get_scheduled(self, id: str) -> ScheduledMessage:
        """A scheduled message by its `id`, with its status."""
        return await self._client.send(_get_scheduled(id))

    def list_scheduled(
        self, *, brand_id: str, status: str | None = None
    ) -> AsyncPaginator[ScheduledMessage]:
        """The brand's scheduled messages, optionally only those with `status` (one page):
        `await` it for the page, or `async for` over it without an `await`."""
        return AsyncPaginator(self._client, _list_scheduled(brand_id, status))

    async def get(self, message_id: str) -> Message:
        """A sent message by its `message_id`, with its status and provider."""
        return await self._client.send(_get(message_id))
