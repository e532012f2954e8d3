"""FakePlannr: an in-memory Plannr CRM for your tests, with fault injection.

It checks the bearer token and the `X-PLANNR-ACCOUNT-UUID` header, validates bodies as Plannr's
Laravel backend does (422 `{message, errors}`), reads list queries as spatie's query builder does
(400 on an unknown `include`, `sort` or `filter`), stores conversations, messages and files, and
answers in Plannr's documented shapes with `X-Ratelimit-Remaining` on every response. It starts
with one conversation (`fake.conversation_uuid`) and one uploaded file that is not yet attached
to anything (`fake.file_uuid`).

Example:
    fake = FakePlannr()
    with fake.client() as plannr:
        plannr.conversations.send_message(
            fake.conversation_uuid, contents="Your review is booked", files=[fake.file_uuid]
        )
    assert fake.messages[0].files[0].uuid == fake.file_uuid
"""

from __future__ import annotations

import itertools
import re
import secrets
import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Annotated, Any, TypeVar

import httpx
from pydantic import StringConstraints, TypeAdapter
from typing_extensions import TypedDict

from client_core.testing import (
    ErrorReply,
    FakeRequest,
    FakeServer,
    Reply,
    Route,
    laravel_error,
    laravel_input,
    laravel_invalid,
    laravel_page,
    laravel_validate,
    page_query,
    read_form,
)

from ._client import DEFAULT_BASE_URL, AsyncPlannrClient, PlannrClient
from .models import Conversation, File, Message

__all__ = ["RATE_LIMIT", "FakePlannr", "TokenKeywords"]

RATE_LIMIT = 500
"""Requests a minute Plannr allows a user: `X-Ratelimit-Remaining` counts down from it."""


class TokenKeywords(TypedDict):
    """`PlannrClient` keywords: the token and the account it acts as (`**fake.credentials`)."""

    token: str
    account_uuid: str


_CONVERSATIONS = "/api/v1/conversation"
_MESSAGES = _CONVERSATIONS + "/{conversation_uuid}/messages"
_LOGINS = "/api/v1/logins"
_MAX_PER_PAGE = 500

# Plannr's documented `include`, `sort` and `filter` names for the conversation list.
_INCLUDES = (
    "participants",
    "participants_count",
    "latest_message",
    "messages_count",
    "files_count",
    "case",
    "tags",
)
_CONVERSATION_SORTS = ("created_at", "updated_at", "latest_message", "pinned_conversations")
_MESSAGE_SORTS = ("created_at",)
_FILTERS = ("uuid", "archived", "circle_uuids")

# The seeded world: the account uuid is the one in Plannr's example, the rest are fixed so
# that tests and docs can name them.
_ACCOUNT_UUID = "c416885b-89d5-4e07-bddb-4f9b138ba075"
_USER_UUID = "f36121ba-e205-4c1f-b40a-6c7a80ff249b"
_LOGIN_UUID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
_FIRM_UUID = "e1d2c3b4-a596-4877-8899-aabbccddeeff"
_CLIENT_UUID = "de5864f1-53f9-47b3-9e35-1a9ee0484478"
_CONVERSATION_UUID = "8d3c1e0a-5b7f-4c2d-9e61-2f4a7b9c0d13"
_FILE_UUID = "4b74a617-4b07-4676-8fc1-3976c090e8ad"
_TAG_UUID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

T = TypeVar("T")

# Plannr's request schemas, read as its Laravel rules would: unknown keys ignored, input
# trimmed (TrimStrings), a blank string counts as missing; file uuids are checked by the fake.
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _MessageBody(TypedDict):
    contents: _Text
    files: list[Any]


class _InlineBody(TypedDict):
    contents: _Text


_MESSAGE = TypeAdapter(_MessageBody)
_INLINE = TypeAdapter(_InlineBody)


class FakePlannr(FakeServer[PlannrClient, AsyncPlannrClient]):
    """A stateful in-memory Plannr CRM: `fake.client()`, `fake.mock()` or `fake.serve()`.

    Accepts `fake.token` (a personal access token) acting as `fake.account_uuid`; anything
    else gets Plannr's 401, a missing account header a 400, another account a 403.
    """

    sync_client_class = PlannrClient
    async_client_class = AsyncPlannrClient

    method_override = True

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL) -> None:
        self.token = "fake-plannr-" + secrets.token_urlsafe(16)
        """The bearer token this fake accepts (`PlannrClient(token=...)`)."""
        self.account_uuid = _ACCOUNT_UUID
        """The account every call acts as: what `X-PLANNR-ACCOUNT-UUID` must carry."""
        self.login_uuid = _LOGIN_UUID
        """The token user's only login (its own id, not the account uuid)."""
        self.conversation_uuid = _CONVERSATION_UUID
        """The conversation every fresh fake starts with."""
        self.file_uuid = _FILE_UUID
        """A file every fresh fake starts with: uploaded, not yet attached to a message."""
        self.firm: dict[str, Any] = {"uuid": _FIRM_UUID, "name": "Fake Financial Planning Ltd"}
        """The firm the account belongs to."""
        self._account = {"uuid": self.account_uuid, "name": "Alex Adviser", "type": "adviser"}
        seeded = _now()
        self.user: dict[str, Any] = _user(seeded, self._account, self.login_uuid)
        """The token's user, as Plannr puts it in each message's `user`."""
        self._author = _author(seeded, self.user, self.firm)
        self._conversations: dict[str, dict[str, Any]] = {}
        self._archived: set[str] = set()
        self._circles: dict[str, frozenset[str]] = {}
        self._born: dict[str, int] = {}
        self._touched: dict[str, int] = {}
        self._clock = itertools.count()
        self._files: dict[str, dict[str, Any]] = {}
        self._assigned: set[str] = set()
        self._messages: list[tuple[str, dict[str, Any]]] = []
        routes = [
            Route("GET", _LOGINS, self._list_logins),
            Route("GET", _CONVERSATIONS, self._list_conversations),
            Route("GET", _MESSAGES, self._list_messages),
            Route("POST", _MESSAGES, self._send_message),
            Route("POST", _MESSAGES + "/inline", self._send_inline),
        ]
        super().__init__(base_url=base_url, routes=routes)
        self._seed(seeded)

    # -- what tests read ---------------------------------------------------------------------

    @property
    def credentials(self) -> TokenKeywords:
        """The `PlannrClient` keywords this fake accepts: `PlannrClient(base_url=url, **creds)`."""
        return {"token": self.token, "account_uuid": self.account_uuid}

    @property
    def conversations(self) -> dict[str, Conversation]:
        """Every conversation, by uuid, with every relation Plannr can include."""
        return {
            key: Conversation.model_validate(self._render(key, _INCLUDES))
            for key in self._conversations
        }

    @property
    def files(self) -> dict[str, File]:
        """Every file, by uuid: staged uploads and files attached to messages."""
        return {key: File.model_validate(record) for key, record in self._files.items()}

    @property
    def messages(self) -> list[Message]:
        """Every message accepted, oldest first."""
        return [Message.model_validate(message) for _, message in self._messages]

    def messages_for(self, conversation_uuid: str) -> list[Message]:
        """The messages accepted in one conversation, oldest first."""
        return [Message.model_validate(m) for m in self._messages_in(conversation_uuid)]

    # -- what tests set up -------------------------------------------------------------------

    def upload_file(
        self, filename: str, content: bytes = b"%PDF-1.4\n", content_type: str = "application/pdf"
    ) -> str:
        """Stage an uploaded file not yet attached to anything; returns its uuid.

        Stands in for Plannr's direct-upload endpoint, which the client does not wrap: pass
        the uuid in `send_message(..., files=[uuid])`.
        """
        with self._lock:
            return str(self._store_file(filename, content, content_type)["uuid"])

    def add_conversation(
        self,
        name: str,
        *,
        pinned: bool = False,
        archived: bool = False,
        circle_uuids: Sequence[str] = (),
    ) -> str:
        """Add a conversation whose only participant is the account; returns its uuid.

        `archived` hides it from lists unless `filter_archived` asks for it; `circle_uuids`
        are the circles `filter_circle_uuids` finds it by.
        """
        with self._lock:
            key = str(uuid.uuid4())
            self._add_conversation(key, name, pinned=pinned, participants=[self._account])
            if archived:
                self._archived.add(key)
            self._circles[key] = frozenset(circle_uuids)
            return key

    # -- the vendor's rules ------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> Reply:
        """Answer as every fake does, with Plannr's `X-Ratelimit-Remaining` on the response."""
        with self._lock:
            reply = super().handle(request)
            remaining = max(0, RATE_LIMIT - len(self.requests))
        if reply.response is not None:
            reply.response.headers["X-Ratelimit-Remaining"] = str(remaining)
        return reply

    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        scheme, _, token = request.http.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            return ErrorReply(401, "Unauthenticated.")
        if request.method == "GET" and request.http.url.path.rstrip("/") == _LOGINS:
            return None  # the bootstrap call that finds the account uuid needs none
        account = request.http.headers.get("x-plannr-account-uuid", "").strip()
        if not account:
            return ErrorReply(400, "The X-PLANNR-ACCOUNT-UUID header is required.")
        if account.lower() != self.account_uuid:
            return ErrorReply(403, "This action is unauthorized.")
        return None

    def _error_response(self, error: ErrorReply) -> httpx.Response:
        return laravel_error(error)

    # -- endpoints ---------------------------------------------------------------------------

    def _list_logins(self, request: FakeRequest) -> httpx.Response:
        login = {
            "uuid": self.login_uuid,
            "account": self._account,
            "firm": self.firm,
            "preferred_account_uuid": self.account_uuid,
            "created_at": self.user["created_at"],
            "updated_at": self.user["updated_at"],
        }
        return httpx.Response(200, json={"data": [login]})

    def _list_conversations(self, request: FakeRequest) -> httpx.Response:
        page, per_page = page_query(request.http, per_page=15, max_per_page=_MAX_PER_PAGE)
        include = _allowed("include", _csv(request.query("include")), _INCLUDES)
        sorts = _sorts(request, _CONVERSATION_SORTS, default="latest_message")
        keys = self._filtered(request)
        for name in reversed(sorts):  # stable sorts, last key first: the first key wins
            by = self._conversation_key(name.removeprefix("-"))
            keys.sort(key=by, reverse=name.startswith("-"))
        items = [self._render(key, include) for key in keys]
        return _page(request, items, page, per_page)

    def _list_messages(self, request: FakeRequest) -> httpx.Response:
        conversation = self._conversation(request)
        page, per_page = page_query(request.http, per_page=30, max_per_page=_MAX_PER_PAGE)
        sort = _sorts(request, _MESSAGE_SORTS, default="-created_at")[0]
        items = self._messages_in(conversation["uuid"])  # oldest first, as accepted
        if sort.startswith("-"):
            items.reverse()
        return _page(request, items, page, per_page)

    def _send_message(self, request: FakeRequest) -> httpx.Response:
        conversation = self._conversation(request)
        fields = laravel_input(request.http)
        files = fields.get("files")
        unusable = self._unusable_files(files) if isinstance(files, list) else {}
        body = _validated(_MESSAGE, fields, unusable)
        attached = [self._files[key] for key in dict.fromkeys(body["files"])]
        return self._post(conversation, body["contents"], attached)

    def _send_inline(self, request: FakeRequest) -> httpx.Response:
        conversation = self._conversation(request)
        _, parts = read_form(request.http)
        uploads = [p for p in parts if p.field == "files" or p.field.startswith("files[")]
        missing = {} if uploads else {"files": ["The files field is required."]}
        body = _validated(_INLINE, laravel_input(request.http), missing)
        stored = [self._store_file(p.filename, p.content, p.content_type) for p in uploads]
        return self._post(conversation, body["contents"], stored)

    # -- state -------------------------------------------------------------------------------

    def _post(
        self, conversation: dict[str, Any], contents: str, files: list[dict[str, Any]]
    ) -> httpx.Response:
        now = _now()
        message = {
            "uuid": str(uuid.uuid4()),
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "contents": contents,
            "edited": False,
            "files": files,
            "author": self._author,
            "user": self.user,
            "reactions": [],
        }
        self._messages.append((conversation["uuid"], message))
        self._assigned.update(file["uuid"] for file in files)
        conversation["updated_at"] = now
        self._touched[conversation["uuid"]] = next(self._clock)
        return httpx.Response(200, json=message)

    def _conversation(self, request: FakeRequest) -> dict[str, Any]:
        key = request.path_params["conversation_uuid"]
        record = self._conversations.get(key)
        if record is None:
            raise ErrorReply(404, f"No query results for model [App\\Models\\Conversation] {key}")
        return record

    def _messages_in(self, conversation_uuid: str) -> list[dict[str, Any]]:
        return [message for key, message in self._messages if key == conversation_uuid]

    def _unusable_files(self, files: list[Any]) -> dict[str, list[str]]:
        # Laravel's `exists` rule: only files uploaded and not yet assigned to a model qualify.
        return {
            f"files.{index}": [f"The selected files.{index} is invalid."]
            for index, key in enumerate(files)
            if not (isinstance(key, str) and key in self._files and key not in self._assigned)
        }

    def _filtered(self, request: FakeRequest) -> list[str]:
        given = {
            name[len("filter[") : -1]: value
            for name, value in request.http.url.params.multi_items()
            if name.startswith("filter[") and name.endswith("]")
        }
        _allowed("filter", list(given), _FILTERS)
        uuids, circles = set(_csv(given.get("uuid"))), set(_csv(given.get("circle_uuids")))
        archived = given.get("archived", "false")
        return [
            key
            for key in self._conversations
            if (not uuids or key in uuids)
            and (not circles or circles & self._circles[key])
            and (archived == "with" or (key in self._archived) == (archived == "only"))
        ]

    def _conversation_key(self, name: str) -> Callable[[str], tuple[Any, ...]]:
        def key(uuid_: str) -> tuple[Any, ...]:
            record = self._conversations[uuid_]
            if name == "pinned_conversations":
                return (record["pinned"],)
            if name == "created_at":
                return (record["created_at"], self._born[uuid_])
            if name == "latest_message":
                messages = self._messages_in(uuid_)
                latest = messages[-1]["created_at"] if messages else record["created_at"]
                return (latest, self._touched[uuid_])
            return (record["updated_at"], self._touched[uuid_])

        return key

    def _render(self, key: str, include: Collection[str]) -> dict[str, Any]:
        record = self._conversations[key]
        messages = self._messages_in(key)
        relations = {
            "participants": record["participants"],
            "participants_count": len(record["participants"]),
            "latest_message": messages[-1] if messages else None,
            "messages_count": len(messages),
            "files_count": sum(len(message["files"]) for message in messages),
            "case": record["case"],
            "tags": record["tags"],
        }
        shown = {name: value for name, value in record.items() if name not in relations}
        shown.update({name: relations[name] for name in _INCLUDES if name in include})
        return shown

    def _store_file(
        self, filename: str, content: bytes, content_type: str, *, key: str | None = None
    ) -> dict[str, Any]:
        key, now, path = key or str(uuid.uuid4()), _now(), PurePosixPath(filename)
        record: dict[str, Any] = {
            "uuid": key,
            "created_at": now,
            "original_created_at": now,
            "updated_at": now,
            "uploaded_at": now,
            "last_modified": now,
            "status": "uploaded",
            "filename": filename,
            "name": path.stem,
            "extension": path.suffix.removeprefix("."),
            "type": content_type,
            "size": str(len(content)),  # Plannr sends sizes and progress as digit strings
            "progress": "100",
            "download_url": f"{self.base_url}/file/{key}/download",
            "folder_name": None,
            "parent": None,
            "firm": self.firm,
            "account": self._account,
            "tags": [],
        }
        self._files[key] = record
        return record

    def _add_conversation(
        self, key: str, name: str, *, pinned: bool, participants: list[dict[str, Any]]
    ) -> dict[str, Any]:
        now = _now()
        record: dict[str, Any] = {
            "uuid": key,
            "created_at": now,
            "updated_at": now,
            "name": name,
            "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
            "belongs_to_case": False,
            "pinned": pinned,
            "is_admin": True,
            "participants": participants,
            "case": None,
            "tags": [],
        }
        self._conversations[key] = record
        self._circles[key] = frozenset()
        self._born[key] = self._touched[key] = next(self._clock)
        return record

    def _seed(self, now: str) -> None:
        client = {"uuid": _CLIENT_UUID, "name": "Sam Client", "type": "client"}
        record = self._add_conversation(
            self.conversation_uuid,
            "Annual review 2025",
            pinned=False,
            participants=[self._account, client],
        )
        tag = {"uuid": _TAG_UUID, "name": "Annual review", "slug": "annual-review"}
        record["tags"] = [{**tag, "colour": "#2563eb", "created_at": now, "updated_at": now}]
        pdf = b"%PDF-1.4\n" + b"0" * 1015
        self._store_file("Welcome pack.pdf", pdf, "application/pdf", key=self.file_uuid)


def _user(now: str, account: dict[str, Any], login_uuid: str) -> dict[str, Any]:
    return {
        "uuid": _USER_UUID,
        "type": "standard",
        "name": "Alex Adviser",
        "first_name": "Alex",
        "last_name": "Adviser",
        "email": "alex.adviser@example.com",
        "photo_url": "https://eu.ui-avatars.com/api/?name=Alex+Adviser",
        "created_at": now,
        "updated_at": now,
        "otp_pending": False,
        "otp_confirmed_at": None,
        "two_factor_enabled": False,
        "two_factor_type": None,
        "two_factor_mobile": False,
        "two_factor_mobile_meta": None,
        "sms_two_factor_enabled": False,
        "session_expires_at": None,
        "should_auto_save_notes": True,
        "current_login": {"uuid": login_uuid},
        "current_account": account,
        "current_time_entry": None,
    }


def _author(now: str, user: dict[str, Any], firm: dict[str, Any]) -> dict[str, Any]:
    # The account that wrote the message; relations Plannr's example shows as class names
    # are real (empty) values here.
    return {
        "uuid": _ACCOUNT_UUID,
        "type": "adviser",
        "role": "adviser",
        "name": user["name"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "email": user["email"],
        "with_login": True,
        "can_be_deleted": False,
        "has_joint_account": False,
        "created_at": now,
        "updated_at": now,
        "first_contact_date": None,
        "next_review_date": None,
        "previous_review_date": None,
        "anniversary_review_date": None,
        "firm": firm,
        "tags": [],
        "groups": [],
        "owners": [],
        "custom_fields": [],
        "external_references": [],
        "introduced_by": None,
        "primary_email": None,
        "primary_phone_number": None,
        "assigned_adviser": None,
        "assigned_paraplanner": None,
        "assigned_administrator": None,
        "current_time_entry": None,
    }


def _validated(adapter: TypeAdapter[T], data: object, more: dict[str, list[str]]) -> T:
    # Laravel reports every failed rule at once: the schema's and the fake's own checks.
    try:
        body = laravel_validate(adapter, data)
    except ErrorReply as error:
        raise laravel_invalid({**error.errors, **more}) from None
    if more:
        raise laravel_invalid(more)
    return body


def _csv(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _allowed(kind: str, names: Sequence[str], allowed: Sequence[str]) -> list[str]:
    # spatie/laravel-query-builder's 400 for a name the endpoint does not allow.
    unknown = [name for name in names if name not in allowed]
    if unknown:
        verb = "is" if kind == "sort" else "are"
        raise ErrorReply(
            400,
            f"Requested {kind}(s) `{', '.join(unknown)}` {verb} not allowed. "
            f"Allowed {kind}(s) are `{', '.join(allowed)}`.",
        )
    return list(names)


def _sorts(request: FakeRequest, allowed: Sequence[str], *, default: str) -> list[str]:
    sorts = _csv(request.query("sort")) or [default]
    _allowed("sort", [name.removeprefix("-") for name in sorts], allowed)
    return sorts


def _page(
    request: FakeRequest, items: list[dict[str, Any]], page: int, per_page: int
) -> httpx.Response:
    url = str(request.http.url.copy_with(query=None))
    return httpx.Response(200, json=laravel_page(items, page=page, per_page=per_page, url=url))


def _now() -> str:
    # Plannr's shape: whole seconds with an offset, e.g. 2024-10-16T11:10:14+01:00.
    return datetime.now(UTC).isoformat(timespec="seconds")
