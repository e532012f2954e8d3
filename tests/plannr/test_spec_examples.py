"""Every example payload in Plannr's published page parses as published, strictly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from plannr_client import Author, File, Message, Reaction, User
from tests.conftest import PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    MESSAGES_PATH,
    conversation_json,
    load,
    page_response,
)

pytestmark = pytest.mark.anyio

SPEC_TIME = datetime(2024, 10, 16, 11, 10, 14, tzinfo=timezone(timedelta(hours=1)))


def published() -> dict[str, Any]:
    body: dict[str, Any] = load("send_message_200.json")
    return body


def assert_is_the_published_message(message: Message) -> None:
    assert isinstance(message, Message)
    assert message.uuid == "cb2b8e53-39d6-4497-831f-4f759e91582c"
    assert message.contents == "Welcome to Plannr!"
    assert message.edited is True
    for stamp in (message.created_at, message.updated_at, message.deleted_at):
        assert stamp == SPEC_TIME
        assert stamp is not None
        assert stamp.utcoffset() == timedelta(hours=1)

    (file,) = message.files
    assert isinstance(file, File)
    assert file.size == 21691783
    assert isinstance(file.size, int)
    assert file.progress == 100
    assert isinstance(file.progress, int)
    assert (file.uuid, file.filename, file.extension) == (
        "4b74a617-4b07-4676-8fc1-3976c090e8ad",
        "Welcome to Plannr.pdf",
        "pdf",
    )
    assert file.status == "uploaded"
    assert file.folder_name == "folder 2"
    assert file.download_url is not None
    assert file.download_url.endswith("/download")
    for stamp in (file.created_at, file.uploaded_at, file.last_modified, file.original_created_at):
        assert stamp == SPEC_TIME
        assert stamp is not None
        assert stamp.tzinfo is not None
    assert file.model_extra is not None
    assert file.model_extra["firm"] == "App\\Http\\Resources\\FirmResource"
    assert file.model_extra["parent"] == "Object"

    author = message.author
    assert isinstance(author, Author)
    assert author.can_be_deleted is False
    assert author.with_login is True
    assert author.has_joint_account is True
    assert (author.name, author.role, author.type) == ("Gareth Thompson", "client", "client")
    assert author.next_review_date == SPEC_TIME
    assert author.anniversary_review_date == SPEC_TIME
    assert author.model_extra is not None
    assert author.model_extra["firm"] == "App\\Http\\Resources\\FirmResource"
    assert author.model_extra["assigned_adviser"] == "App\\Http\\Resources\\AccountResource"
    assert author.model_extra["tags"] == "App\\Http\\Resources\\TagResource"

    user = message.user
    assert isinstance(user, User)
    assert user.uuid == "f36121ba-e205-4c1f-b40a-6c7a80ff249b"
    assert user.two_factor_enabled is True
    assert user.two_factor_type == "sms"
    assert user.created_at == SPEC_TIME
    assert user.model_extra is not None
    assert user.model_extra["two_factor_mobile_meta"] == {
        "country": "GB",
        "formatted": "0333 090 3630",
    }
    assert user.model_extra["current_account"] == "App\\Http\\Resources\\AccountResource"

    (reaction,) = message.reactions
    assert isinstance(reaction, Reaction)
    assert reaction.reaction == "like"
    assert reaction.account_uuid == "c416885b-89d5-4e07-bddb-4f9b138ba075"
    assert reaction.account_name == "Gareth Thompson"
    assert reaction.created_at == SPEC_TIME


@pytest.mark.parametrize("wrapped", [False, True], ids=["as-published", "data-wrapped"])
async def test_send_message_example_response_parses_strictly(
    make_plannr: PlannrFactory, wrapped: bool
) -> None:
    body = {"data": published()} if wrapped else published()
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(
        client.conversations.send_message(CONVERSATION_UUID, contents="Welcome to Plannr!")
    )

    assert_is_the_published_message(message)


async def test_send_with_attachments_reads_the_same_example(make_plannr: PlannrFactory) -> None:
    client = make_plannr(Script(httpx.Response(200, json=published())), strict_responses=True)

    message = await resolve(
        client.conversations.send_message_with_attachments(
            CONVERSATION_UUID, contents="Welcome", files=[("Welcome to Plannr.pdf", b"%PDF", None)]
        )
    )

    assert_is_the_published_message(message)


async def test_the_spec_example_request_is_refused_before_io(make_plannr: PlannrFactory) -> None:
    # The page's example payload is {"contents": ..., "files": [null, null]}, which the API
    # cannot accept (files are UUIDs): the client says so instead of sending it.
    script = Script(httpx.Response(200, json=published()))
    client = make_plannr(script)
    example: Any = {"contents": "Hello, welcome to Plannr.", "files": [None, None]}

    with pytest.raises(ValueError, match="files") as caught:
        await resolve(client.conversations.send_message(CONVERSATION_UUID, **example))

    assert "None" in str(caught.value)
    assert script.requests == []


async def test_the_published_message_parses_in_message_pages(make_plannr: PlannrFactory) -> None:
    script = Script(page_response(MESSAGES_PATH, [published(), published()]))
    client = make_plannr(script, strict_responses=True)

    messages = await collect(await resolve(client.conversations.list_messages(CONVERSATION_UUID)))

    assert len(messages) == 2
    for message in messages:
        assert_is_the_published_message(message)


async def test_the_published_message_parses_as_a_latest_message(
    make_plannr: PlannrFactory,
) -> None:
    item = conversation_json(CONVERSATION_UUID, latest_message=published(), tags=[])
    script = Script(page_response(CONVERSATIONS_PATH, [item]))
    client = make_plannr(script, strict_responses=True)

    (conversation,) = await collect(await resolve(client.conversations.list()))

    assert conversation.latest_message is not None
    assert_is_the_published_message(conversation.latest_message)


async def test_new_fields_survive_and_nulls_are_accepted(make_plannr: PlannrFactory) -> None:
    body = published()
    body["pinned_by"] = "App\\Http\\Resources\\AccountResource"
    body["user"] = None
    body["deleted_at"] = None
    body["files"][0]["navigator"] = {"model_type": "client", "model_uuid": CONVERSATION_UUID}
    body["files"][0]["size"] = None
    del body["author"]["can_be_deleted"]
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))

    assert message.model_extra == {"pinned_by": "App\\Http\\Resources\\AccountResource"}
    assert message.user is None
    assert message.deleted_at is None
    assert message.files[0].size is None
    assert message.files[0].model_extra is not None
    assert message.files[0].model_extra["navigator"]["model_type"] == "client"
    assert message.author is not None
    assert message.author.can_be_deleted is None


@pytest.mark.parametrize(
    ("sent", "expected"),
    [("true", True), ("false", False), (True, True), (False, False), ("1", True), (0, False)],
)
async def test_booleans_are_read_from_either_form(
    make_plannr: PlannrFactory, sent: object, expected: bool
) -> None:
    body = published()
    body["author"]["can_be_deleted"] = sent
    body["edited"] = sent
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))

    assert message.author is not None
    assert message.author.can_be_deleted is expected
    assert message.edited is expected


@pytest.mark.parametrize("sent", ["21691783", 21691783])
async def test_sizes_are_read_from_either_form(make_plannr: PlannrFactory, sent: object) -> None:
    body = published()
    body["files"][0]["size"] = sent
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))

    assert message.files[0].size == 21691783


async def test_naive_timestamps_become_timezone_aware(make_plannr: PlannrFactory) -> None:
    body = published()
    body["created_at"] = "2024-10-16 11:10:14"
    client = make_plannr(Script(httpx.Response(200, json=body)), strict_responses=True)

    message = await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))

    assert message.created_at is not None
    assert message.created_at.utcoffset() == timedelta(0)
