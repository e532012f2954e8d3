"""Messages: the endpoint builders (pure, shared) and the sync and async resources.

Every send carries a caller-chosen `dedup_key`, so Loop refuses a repeat with 409: sends are
retried like reads, and each retry sends the same bytes with the same key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, NotRequired

from pydantic import AwareDatetime, ConfigDict, Field, with_config
from typing_extensions import TypedDict

from client_core import (
    NOT_GIVEN,
    AsyncPage,
    Call,
    NotGiven,
    SyncPage,
    path_segment,
    request_body,
)

from .models import Channel, Message, ScheduledMessage

if TYPE_CHECKING:
    from client_core import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncMessages", "Messages"]

_Text = Annotated[str, Field(min_length=1)]  # Loop's schema: `minLength: 1`
_STRICT = ConfigDict(extra="forbid", hide_input_in_errors=True)


@with_config(_STRICT)
class _SendBody(TypedDict):
    channel: Channel
    template_key: _Text
    recipient: _Text
    brand_id: _Text
    person_id: _Text
    dedup_key: _Text
    variables: NotRequired[dict[str, Any]]
    hipaa: NotRequired[bool]


@with_config(_STRICT)
class _ScheduleBody(_SendBody):
    scheduled_at: AwareDatetime


@with_config(_STRICT)
class _ScheduledQuery(TypedDict):
    brand_id: _Text
    status: NotRequired[_Text]


def _fields(
    channel: Channel,
    template_key: str,
    recipient: str,
    brand_id: str,
    person_id: str,
    dedup_key: str,
    variables: Mapping[str, Any] | None,
    hipaa: bool | NotGiven,
) -> dict[str, Any]:
    # Loop documents `variables={}` and `hipaa=false` as defaults: left to Loop unless given.
    fields: dict[str, Any] = {
        "channel": channel,
        "template_key": template_key,
        "recipient": recipient,
        "brand_id": brand_id,
        "person_id": person_id,
        "dedup_key": dedup_key,
    }
    if variables is not None:
        fields["variables"] = variables
    if not isinstance(hipaa, NotGiven):
        fields["hipaa"] = hipaa
    return fields


def _send(fields: dict[str, Any]) -> Call[Message]:
    body = request_body(_SendBody, fields, what="messages.send")
    return Call("POST", "/v1/messages/send", Message, idempotent=True, json=body)


def _schedule(fields: dict[str, Any], scheduled_at: datetime) -> Call[ScheduledMessage]:
    body = request_body(
        _ScheduleBody, {**fields, "scheduled_at": scheduled_at}, what="messages.schedule"
    )
    return Call("POST", "/v1/messages/schedule", ScheduledMessage, idempotent=True, json=body)


def _get_scheduled(scheduled_id: str) -> Call[ScheduledMessage]:
    path = f"/v1/messages/scheduled/{path_segment(scheduled_id, 'id')}"
    return Call("GET", path, ScheduledMessage, idempotent=True)


def _list_scheduled(brand_id: str, status: str | None) -> Call[ScheduledMessage]:
    given = {"brand_id": brand_id} if status is None else {"brand_id": brand_id, "status": status}
    params = request_body(_ScheduledQuery, given, what="messages.list_scheduled")
    path = "/v1/messages/scheduled"
    return Call("GET", path, ScheduledMessage, idempotent=True, params=params, paged=True)


def _get(message_id: str) -> Call[Message]:
    path = f"/v1/messages/{path_segment(message_id, 'message_id')}"
    return Call("GET", path, Message, idempotent=True)


class Messages:
    """Loop comms messages: `client.messages`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def schedule(
        self,
        *,
        channel: Channel,
        template_key: str,
        recipient: str,
        brand_id: str,
        person_id: str,
        dedup_key: str,
        scheduled_at: datetime,
        variables: Mapping[str, Any] | None = None,
        hipaa: bool | NotGiven = NOT_GIVEN,
    ) -> ScheduledMessage:
        """Schedule a templated message; `scheduled_at` must carry a timezone.

        Retried with the same `dedup_key` if the answer is lost; a `ConflictError` then says
        whether an earlier attempt was probably accepted.
        """
        fields = _fields(
            channel, template_key, recipient, brand_id, person_id, dedup_key, variables, hipaa
        )
        return self._client.send(_schedule(fields, scheduled_at))

    def send(
        self,
        *,
        channel: Channel,
        template_key: str,
        recipient: str,
        brand_id: str,
        person_id: str,
        dedup_key: str,
        variables: Mapping[str, Any] | None = None,
        hipaa: bool | NotGiven = NOT_GIVEN,
    ) -> Message:
        """Send a templated message now; retried with the same `dedup_key` if the answer is lost.

        Example: `loop.messages.send(channel="sms", template_key="reminder", ..., dedup_key=k)`.
        """
        fields = _fields(
            channel, template_key, recipient, brand_id, person_id, dedup_key, variables, hipaa
        )
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


class AsyncMessages:
    """Loop comms messages: `client.messages` on the async client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def schedule(
        self,
        *,
        channel: Channel,
        template_key: str,
        recipient: str,
        brand_id: str,
        person_id: str,
        dedup_key: str,
        scheduled_at: datetime,
        variables: Mapping[str, Any] | None = None,
        hipaa: bool | NotGiven = NOT_GIVEN,
    ) -> ScheduledMessage:
        """Schedule a templated message; `scheduled_at` must carry a timezone.

        Retried with the same `dedup_key` if the answer is lost; a `ConflictError` then says
        whether an earlier attempt was probably accepted.
        """
        fields = _fields(
            channel, template_key, recipient, brand_id, person_id, dedup_key, variables, hipaa
        )
        return await self._client.send(_schedule(fields, scheduled_at))

    async def send(
        self,
        *,
        channel: Channel,
        template_key: str,
        recipient: str,
        brand_id: str,
        person_id: str,
        dedup_key: str,
        variables: Mapping[str, Any] | None = None,
        hipaa: bool | NotGiven = NOT_GIVEN,
    ) -> Message:
        """Send a templated message now; retried with the same `dedup_key` if the answer is lost."""
        fields = _fields(
            channel, template_key, recipient, brand_id, person_id, dedup_key, variables, hipaa
        )
        return await self._client.send(_send(fields))

    async def get_scheduled(self, id: str) -> ScheduledMessage:
        """A scheduled message by its `id`, with its status."""
        return await self._client.send(_get_scheduled(id))

    async def list_scheduled(
        self, *, brand_id: str, status: str | None = None
    ) -> AsyncPage[ScheduledMessage]:
        """The brand's scheduled messages, optionally only those with `status` (one page)."""
        return await self._client.send_page(_list_scheduled(brand_id, status))

    async def get(self, message_id: str) -> Message:
        """A sent message by its `message_id`, with its status and provider."""
        return await self._client.send(_get(message_id))
