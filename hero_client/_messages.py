"""Messages: the endpoint builders (pure, shared) and the sync and async resources."""

from __future__ import annotations

from pydantic import with_config
from typing_extensions import Unpack

from client_core.kit import (
    REQUEST_CONFIG,
    AsyncResource,
    Call,
    NonBlank,
    SyncResource,
    path_segment,
    request_body,
)

from .models import Message, MessageOptions, MessageType, PatientId, SentMessage

__all__ = ["AsyncMessages", "Messages"]


@with_config(REQUEST_CONFIG)
class _SendBody(MessageOptions, total=True):
    patient_id: PatientId
    message_type: MessageType
    message_string: NonBlank


def _send(
    patient_id: str,
    message_type: MessageType,
    message_string: str,
    options: MessageOptions,
    key: str | None,
) -> Call[SentMessage]:
    given = {
        "patient_id": patient_id,
        "message_type": message_type,
        "message_string": message_string,
        **options,
    }
    body = request_body(_SendBody, given, what="messages.send")
    path = "/v1/messages/send"
    return Call("POST", path, SentMessage, idempotent=False, json=body, idempotency_key=key)


def _get(message_id: str) -> Call[Message]:
    path = f"/v1/messages/{path_segment(message_id, 'message_id')}"
    return Call("GET", path, Message, idempotent=True)


class Messages(SyncResource):
    """Hero patient messages: `client.messages`."""

    def send(
        self,
        *,
        patient_id: str,
        message_type: MessageType,
        message_string: str,
        idempotency_key: str | None = None,
        **options: Unpack[MessageOptions],
    ) -> SentMessage:
        """Send a message to a patient by Hero, SMS, email or the NHS App.

        Optional fields are those of `MessageOptions` (e.g. `send_at=`, `write_to_record=`).
        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        Example: `hero.messages.send(patient_id="1234", message_type="sms", message_string="Hi")`.
        """
        call = _send(patient_id, message_type, message_string, options, idempotency_key)
        return self._client.send(call)

    def get(self, message_id: str) -> Message:
        """A message's detail and delivery status (Hero has no status webhook: poll this)."""
        return self._client.send(_get(message_id))


class AsyncMessages(AsyncResource):
    """Hero patient messages: `client.messages` on the async client."""

    async def send(
        self,
        *,
        patient_id: str,
        message_type: MessageType,
        message_string: str,
        idempotency_key: str | None = None,
        **options: Unpack[MessageOptions],
    ) -> SentMessage:
        """Send a message to a patient by Hero, SMS, email or the NHS App.

        Optional fields are those of `MessageOptions` (e.g. `send_at=`, `write_to_record=`).
        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        call = _send(patient_id, message_type, message_string, options, idempotency_key)
        return await self._client.send(call)

    async def get(self, message_id: str) -> Message:
        """A message's detail and delivery status (Hero has no status webhook: poll this)."""
        return await self._client.send(_get(message_id))
