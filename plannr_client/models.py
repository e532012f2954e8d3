"""Plannr CRM response models, as the vendor documents them.

Plannr's published examples carry strings where its schema promises numbers or booleans
(`"size": "21691783"`, `"can_be_deleted": "false"`) and class names such as
`"App\\Http\\Resources\\AccountResource"` in place of nested resources. Numbers and booleans are
read from either form; nested relations we do not model are kept as sent, in `model_extra`.
Every field may be null or absent; unknown fields and enum values are kept.
"""

from typing import Literal

from pydantic import Field

from client_core.kit import Resource, Timestamp

__all__ = [
    "Account",
    "ArchivedFilter",
    "Author",
    "Conversation",
    "ConversationInclude",
    "ConversationSort",
    "File",
    "Login",
    "Message",
    "MessageSort",
    "Reaction",
    "Tag",
    "User",
]

ConversationInclude = Literal[
    "participants",
    "participants_count",
    "latest_message",
    "messages_count",
    "files_count",
    "case",
    "tags",
]
"""Relations `conversations.list(include=...)` can embed in each conversation."""
ConversationSort = Literal[
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "latest_message",
    "-latest_message",
    "pinned_conversations",
    "-pinned_conversations",
]
"""Sort keys for `conversations.list`; a leading `-` sorts descending (Plannr's convention)."""
ArchivedFilter = Literal["with", "only", "false"]
"""`filter[archived]`: include archived conversations, only them, or none (Plannr's default)."""
MessageSort = Literal["created_at", "-created_at"]
"""Sort keys for `conversations.list_messages` (Plannr's default is `-created_at`)."""


class File(Resource):
    """A file attached to a message."""

    uuid: str | None = None
    name: str | None = None
    filename: str | None = None
    extension: str | None = None
    type: str | None = None
    """The MIME type, as Plannr reports it."""
    size: int | None = None
    """Size in bytes (Plannr sends it as a string of digits)."""
    status: str | None = None
    """E.g. `uploaded`; Plannr publishes no closed list."""
    progress: int | None = None
    """Upload progress, 0 to 100 (sent as a string)."""
    download_url: str | None = None
    folder_name: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    uploaded_at: Timestamp | None = None
    last_modified: Timestamp | None = None
    original_created_at: Timestamp | None = None


class Author(Resource):
    """The client or adviser who wrote a message."""

    uuid: str | None = None
    type: str | None = None
    role: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    photo_url: str | None = None
    with_login: bool | None = None
    can_be_deleted: bool | None = None
    """Plannr's example sends this as the string `"false"`; either form reads as a bool."""
    has_joint_account: bool | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    next_review_date: Timestamp | None = None
    previous_review_date: Timestamp | None = None
    anniversary_review_date: Timestamp | None = None
    first_contact_date: Timestamp | None = None


class User(Resource):
    """The Plannr user a message belongs to."""

    uuid: str | None = None
    type: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    photo_url: str | None = None
    two_factor_enabled: bool | None = None
    two_factor_type: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Reaction(Resource):
    """A reaction (e.g. `like`) to a message."""

    uuid: str | None = None
    reaction: str | None = None
    account_uuid: str | None = None
    account_name: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Message(Resource):
    """A message in a conversation."""

    uuid: str | None = None
    contents: str | None = None
    edited: bool | None = None
    files: list[File] = Field(default=[])  # default_factory=list costs ~5 ms at import
    author: Author | None = None
    user: User | None = None
    reactions: list[Reaction] = Field(default=[])  # default_factory=list costs ~5 ms at import
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    deleted_at: Timestamp | None = None


class Tag(Resource):
    """A tag on a conversation."""

    uuid: str | None = None
    name: str | None = None
    slug: str | None = None
    colour: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Conversation(Resource):
    """A conversation; relations appear only when asked for with `include=`."""

    uuid: str | None = None
    name: str | None = None
    slug: str | None = None
    pinned: bool | None = None
    is_admin: bool | None = None
    belongs_to_case: bool | None = None
    participants_count: int | None = None
    messages_count: int | None = None
    files_count: int | None = None
    latest_message: Message | None = None
    tags: list[Tag] = Field(default=[])  # default_factory=list costs ~5 ms at import
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Account(Resource):
    """The account a login acts as: its `uuid` is the `account_uuid` clients need."""

    uuid: str | None = None
    name: str | None = None
    type: str | None = None


class Login(Resource):
    """One of the current user's logins, from `logins.list()`."""

    uuid: str | None = None
    """The login's own id: not the account uuid."""
    account: Account | None = None
    preferred_account_uuid: str | None = None
    """Plannr's recommended account uuid (sent to integrations built after 29 Nov 2024)."""
