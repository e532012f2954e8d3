"""Conversations: the endpoint builders (pure, shared) and the sync and async resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import with_config
from typing_extensions import TypedDict

from client_core.kit import (
    REQUEST_CONFIG,
    AsyncPaginator,
    AsyncResource,
    Call,
    FileTypes,
    NonBlank,
    PagedCall,
    SyncPage,
    SyncResource,
    UUIDText,
    page_params,
    path_segment,
    repeated_files,
    request_body,
)

from .models import (
    ArchivedFilter,
    Conversation,
    ConversationInclude,
    ConversationSort,
    Message,
    MessageSort,
)

__all__ = ["AsyncConversations", "Conversations"]

_BASE = "/api/v1/conversation"
_MAX_PER_PAGE = 500  # "the limit being 500" (Plannr's query parameter guide)


@with_config(REQUEST_CONFIG)
class _MessageBody(TypedDict):
    contents: NonBlank
    files: list[UUIDText]


@with_config(REQUEST_CONFIG)
class _InlineForm(TypedDict):
    contents: NonBlank


@with_config(REQUEST_CONFIG)
class _ConversationQuery(TypedDict, total=False):
    include: list[ConversationInclude]
    sort: ConversationSort
    filter_uuid: list[UUIDText]
    filter_archived: ArchivedFilter
    filter_circle_uuids: list[UUIDText]


@with_config(REQUEST_CONFIG)
class _MessageQuery(TypedDict, total=False):
    sort: MessageSort


def _messages_path(conversation_uuid: str, suffix: str = "") -> str:
    uuid = path_segment(conversation_uuid, "conversation_uuid", uuid=True)
    return f"{_BASE}/{uuid}/messages{suffix}"


def _send_message(
    conversation_uuid: str, contents: str, files: Sequence[str], key: str | None
) -> Call[Message]:
    if isinstance(files, list | tuple) and any(f is None for f in files):
        # Plannr's own example request sends `"files": [null, null]`, which the API refuses.
        raise ValueError(
            "files must be UUIDs of uploaded files, not None; pass files=() to attach none, "
            "or use send_message_with_attachments to upload and attach in one call"
        )
    body = request_body(
        _MessageBody, {"contents": contents, "files": files}, what="conversations.send_message"
    )
    path = _messages_path(conversation_uuid)
    return Call("POST", path, Message, idempotent=False, json=body, idempotency_key=key)


def _send_with_attachments(
    conversation_uuid: str, contents: str, files: Sequence[FileTypes], key: str | None
) -> Call[Message]:
    form = request_body(
        _InlineForm, {"contents": contents}, what="conversations.send_message_with_attachments"
    )
    parts = repeated_files("files[]", files, "files")
    path = _messages_path(conversation_uuid, "/inline")
    return Call(
        "POST", path, Message, idempotent=False, form=form, files=parts, idempotency_key=key
    )


def _query(given: Mapping[str, object], schema: type[object], what: str) -> dict[str, str]:
    # Plannr's conventions: `filter[name]=a,b`, `include=a,b` (its query parameter guide).
    # An empty list would send a bare `include=`; leaving it out means the same.
    given = {k: v for k, v in given.items() if v is not None and v != [] and v != ()}
    query = request_body(schema, given, what=what)
    params: dict[str, str] = {}
    for key, value in query.items():
        name = f"filter[{key.removeprefix('filter_')}]" if key.startswith("filter_") else key
        params[name] = ",".join(value) if isinstance(value, list) else str(value)
    return params


def _list(
    page: int | None,
    per_page: int | None,
    include: Sequence[ConversationInclude] | None,
    sort: ConversationSort | None,
    filter_uuid: Sequence[str] | None,
    filter_archived: ArchivedFilter | None,
    filter_circle_uuids: Sequence[str] | None,
) -> PagedCall[Conversation]:
    query = {
        "include": include,
        "sort": sort,
        "filter_uuid": filter_uuid,
        "filter_archived": filter_archived,
        "filter_circle_uuids": filter_circle_uuids,
    }
    params: dict[str, str | int] = {
        **page_params(page, per_page, max_per_page=_MAX_PER_PAGE),
        **_query(query, _ConversationQuery, "conversations.list"),
    }
    return PagedCall("GET", _BASE, Conversation, idempotent=True, params=params)


def _list_messages(
    conversation_uuid: str, page: int | None, per_page: int | None, sort: MessageSort | None
) -> PagedCall[Message]:
    params: dict[str, str | int] = {
        **page_params(page, per_page, max_per_page=_MAX_PER_PAGE),
        **_query({"sort": sort}, _MessageQuery, "conversations.list_messages"),
    }
    path = _messages_path(conversation_uuid)
    return PagedCall("GET", path, Message, idempotent=True, params=params)


class Conversations(SyncResource):
    """Plannr conversations and their messages: `client.conversations`."""

    def send_message(
        self,
        conversation_uuid: str,
        *,
        contents: str,
        files: Sequence[str] = (),
        idempotency_key: str | None = None,
    ) -> Message:
        """Post a message, attaching already-uploaded files by their UUIDs.

        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        Example: `plannr.conversations.send_message(uuid, contents="Your review is booked")`.
        """
        return self._client.send(_send_message(conversation_uuid, contents, files, idempotency_key))

    def send_message_with_attachments(
        self,
        conversation_uuid: str,
        *,
        contents: str,
        files: Sequence[FileTypes],
        idempotency_key: str | None = None,
    ) -> Message:
        """Upload files and post them with a message in one multipart call (`files[]`).

        Each file is bytes, a binary file object or `(filename, content, content_type)`.
        Never repeated once sent. With `idempotency_key=` (and a client `ledger`) it is sent
        at most once per key.
        """
        call = _send_with_attachments(conversation_uuid, contents, files, idempotency_key)
        return self._client.send(call)

    def list(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        include: Sequence[ConversationInclude] | None = None,
        sort: ConversationSort | None = None,
        filter_uuid: Sequence[str] | None = None,
        filter_archived: ArchivedFilter | None = None,
        filter_circle_uuids: Sequence[str] | None = None,
    ) -> SyncPage[Conversation]:
        """Conversations of this account; iterate the result to walk every page.

        `filter_*` are Plannr's `filter[...]` parameters; `per_page` is at most 500.
        """
        call = _list(
            page, per_page, include, sort, filter_uuid, filter_archived, filter_circle_uuids
        )
        return self._client.send_page(call)

    def list_messages(
        self,
        conversation_uuid: str,
        *,
        page: int | None = None,
        per_page: int | None = None,
        sort: MessageSort | None = None,
    ) -> SyncPage[Message]:
        """Messages of a conversation, newest first by default; iterate to walk every page."""
        return self._client.send_page(_list_messages(conversation_uuid, page, per_page, sort))


class AsyncConversations(AsyncResource):
    """Plannr conversations and their messages: `client.conversations` on the async client."""

    async def send_message(
        self,
        conversation_uuid: str,
        *,
        contents: str,
        files: Sequence[str] = (),
        idempotency_key: str | None = None,
    ) -> Message:
        """Post a message, attaching already-uploaded files by their UUIDs.

        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return await self._client.send(
            _send_message(conversation_uuid, contents, files, idempotency_key)
        )

    async def send_message_with_attachments(
        self,
        conversation_uuid: str,
        *,
        contents: str,
        files: Sequence[FileTypes],
        idempotency_key: str | None = None,
    ) -> Message:
        """Upload files and post them with a message in one multipart call (`files[]`).

        Each file is bytes, a binary file object or `(filename, content, content_type)`.
        Never repeated once sent. With `idempotency_key=` (and a client `ledger`) it is sent
        at most once per key.
        """
        call = _send_with_attachments(conversation_uuid, contents, files, idempotency_key)
        return await self._client.send(call)

    def list(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        include: Sequence[ConversationInclude] | None = None,
        sort: ConversationSort | None = None,
        filter_uuid: Sequence[str] | None = None,
        filter_archived: ArchivedFilter | None = None,
        filter_circle_uuids: Sequence[str] | None = None,
    ) -> AsyncPaginator[Conversation]:
        """Conversations of this account: `await` it for the first page, or `async for` over
        it (no `await`) to walk every page.

        `filter_*` are Plannr's `filter[...]` parameters; `per_page` is at most 500.
        """
        call = _list(
            page, per_page, include, sort, filter_uuid, filter_archived, filter_circle_uuids
        )
        return AsyncPaginator(self._client, call)

    def list_messages(
        self,
        conversation_uuid: str,
        *,
        page: int | None = None,
        per_page: int | None = None,
        sort: MessageSort | None = None,
    ) -> AsyncPaginator[Message]:
        """Messages of a conversation, newest first by default: `await` it for the first
        page, or `async for` over it (no `await`) to walk every page."""
        call = _list_messages(conversation_uuid, page, per_page, sort)
        return AsyncPaginator(self._client, call)
