"""The request each Plannr conversations call sends and what it returns, for both twins."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from client_core import FileTypes
from plannr_client import ArchivedFilter, Conversation, File, Message, raw_response
from tests.conftest import PLANNR_ACCOUNT_UUID, PlannrFactory, Script, collect, json_body, resolve
from tests.plannr.payloads import (
    BASE,
    CIRCLE_UUID,
    CONVERSATION_UUID,
    CONVERSATIONS_PATH,
    FILE_UUID,
    FILE_UUID_2,
    INLINE_PATH,
    MESSAGE_UUID,
    MESSAGES_PATH,
    conversation_json,
    message_json,
    message_response,
    page_response,
)

pytestmark = pytest.mark.anyio

PLUS_ONE = timezone(timedelta(hours=1))
OTHER_UUID = "2c5d7e9f-1a3b-4c6d-8e0f-a1b2c3d4e5f6"


def assert_plannr_headers(request: httpx.Request) -> None:
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == PLANNR_ACCOUNT_UUID
    assert request.headers["User-Agent"].startswith("care-messaging-clients/")
    assert "plannr_client" in request.headers["User-Agent"]


# --- send_message ------------------------------------------------------------------------------


async def test_send_message_posts_json_and_returns_the_message(make_plannr: PlannrFactory) -> None:
    headers = {"x-request-id": "req-1", "X-Ratelimit-Remaining": "499"}
    script = Script(
        message_response(
            headers=headers,
            contents="Your review is booked",
            files=[{"uuid": FILE_UUID, "size": "2048", "progress": "100", "status": "uploaded"}],
        )
    )
    client = make_plannr(script)

    result = await resolve(
        client.conversations.send_message(
            CONVERSATION_UUID, contents="Your review is booked", files=[FILE_UUID, FILE_UUID_2]
        )
    )

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}{MESSAGES_PATH}"
    assert request.headers["Content-Type"] == "application/json"
    assert_plannr_headers(request)
    assert json_body(request) == {
        "contents": "Your review is booked",
        "files": [FILE_UUID, FILE_UUID_2],
    }
    assert isinstance(result, Message)
    assert result.uuid == MESSAGE_UUID
    assert result.contents == "Your review is booked"
    assert result.edited is False
    assert result.created_at == datetime(2024, 10, 16, 11, 10, 14, tzinfo=PLUS_ONE)
    assert isinstance(result.files[0], File)
    assert (result.files[0].uuid, result.files[0].size, result.files[0].progress) == (
        FILE_UUID,
        2048,
        100,
    )
    raw = raw_response(result)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req-1", 0)
    assert raw.headers["X-Ratelimit-Remaining"] == "499"


@pytest.mark.parametrize("given", ["omitted", "empty-tuple", "empty-list"])
async def test_send_message_without_files_still_sends_an_empty_files_list(
    make_plannr: PlannrFactory, given: str
) -> None:
    script = Script(message_response())
    client = make_plannr(script)
    conversations = client.conversations

    if given == "omitted":
        await resolve(conversations.send_message(CONVERSATION_UUID, contents="See you at 10"))
    else:
        files: tuple[str, ...] | list[str] = () if given == "empty-tuple" else []
        await resolve(
            conversations.send_message(CONVERSATION_UUID, contents="See you at 10", files=files)
        )

    (request,) = script.requests
    assert json_body(request) == {"contents": "See you at 10", "files": []}


async def test_send_message_takes_files_as_a_tuple(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script)

    await resolve(
        client.conversations.send_message(CONVERSATION_UUID, contents="hi", files=(FILE_UUID,))
    )

    assert json_body(script.requests[0]) == {"contents": "hi", "files": [FILE_UUID]}


async def test_send_message_sends_unicode_contents_unchanged(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script)
    text = "Réunion à 10h — see you 👋\nLine two"

    await resolve(client.conversations.send_message(CONVERSATION_UUID, contents=text))

    assert json_body(script.requests[0])["contents"] == text


@pytest.mark.parametrize("wrapped", [False, True], ids=["top-level", "data-wrapped"])
async def test_send_message_reads_the_answer_with_or_without_a_data_wrapper(
    make_plannr: PlannrFactory, wrapped: bool
) -> None:
    script = Script(message_response(wrapped=wrapped, contents="Welcome to Plannr!"))
    client = make_plannr(script, strict_responses=True)

    result = await resolve(client.conversations.send_message(CONVERSATION_UUID, contents="hi"))

    assert isinstance(result, Message)
    assert result.uuid == MESSAGE_UUID
    assert result.contents == "Welcome to Plannr!"
    assert result == Message.model_validate(message_json(contents="Welcome to Plannr!"))


async def test_send_message_accepts_an_upper_case_uuid(make_plannr: PlannrFactory) -> None:
    script = Script(message_response())
    client = make_plannr(script)

    await resolve(client.conversations.send_message(CONVERSATION_UUID.upper(), contents="hi"))

    assert script.requests[0].url.path == MESSAGES_PATH.replace(
        CONVERSATION_UUID, CONVERSATION_UUID.upper()
    )


# --- send_message_with_attachments -------------------------------------------------------------


async def test_send_message_with_attachments_posts_multipart_to_inline(
    make_plannr: PlannrFactory,
) -> None:
    script = Script(message_response(headers={"X-Ratelimit-Remaining": "12"}))
    client = make_plannr(script)
    files: list[FileTypes] = [
        b"raw-bytes-one",
        io.BytesIO(b"file-object-two"),
        ("scan.pdf", b"%PDF-1.4 three", "application/pdf"),
    ]

    result = await resolve(
        client.conversations.send_message_with_attachments(
            CONVERSATION_UUID, contents="Your letters", files=files
        )
    )

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}{INLINE_PATH}"
    assert_plannr_headers(request)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="contents"\r\n\r\nYour letters\r\n' in body
    assert body.count(b'name="files[]"') == 3
    assert b'name="files"' not in body.replace(b'name="files[]"', b"")
    positions = [body.index(b"raw-bytes-one"), body.index(b"file-object-two")]
    positions.append(body.index(b"%PDF-1.4 three"))
    assert positions == sorted(positions), "files are sent in the order given"
    assert b'name="files[]"; filename="scan.pdf"\r\nContent-Type: application/pdf' in body
    assert isinstance(result, Message)
    assert result.uuid == MESSAGE_UUID
    assert raw_response(result).headers["X-Ratelimit-Remaining"] == "12"


async def test_send_message_with_attachments_takes_a_two_item_tuple(
    make_plannr: PlannrFactory,
) -> None:
    script = Script(message_response(wrapped=True))
    client = make_plannr(script, strict_responses=True)

    result = await resolve(
        client.conversations.send_message_with_attachments(
            CONVERSATION_UUID, contents="One file", files=[("note.txt", io.BytesIO(b"hello"))]
        )
    )

    body = script.requests[0].content
    assert b'name="files[]"; filename="note.txt"' in body
    assert b"\r\n\r\nhello\r\n" in body
    assert result.uuid == MESSAGE_UUID


# --- conversations.list ------------------------------------------------------------------------


async def test_list_sends_plannr_query_conventions(make_plannr: PlannrFactory) -> None:
    items = [conversation_json(CONVERSATION_UUID, messages_count=3, tags=[{"name": "Urgent"}])]
    script = Script(
        page_response(CONVERSATIONS_PATH, items, headers={"X-Ratelimit-Remaining": "7"})
    )
    client = make_plannr(script)

    page = await resolve(
        client.conversations.list(
            page=1,
            per_page=500,
            include=["tags", "messages_count"],
            sort="-created_at",
            filter_uuid=[CONVERSATION_UUID, OTHER_UUID],
            filter_archived="with",
            filter_circle_uuids=[CIRCLE_UUID],
        )
    )

    (request,) = script.requests
    assert request.method == "GET"
    assert request.url.path == CONVERSATIONS_PATH
    assert request.url.host == "api.plannrcrm.com"
    assert_plannr_headers(request)
    assert request.content == b""
    assert dict(request.url.params) == {
        "page": "1",
        "per_page": "500",
        "include": "tags,messages_count",
        "sort": "-created_at",
        "filter[uuid]": f"{CONVERSATION_UUID},{OTHER_UUID}",
        "filter[archived]": "with",
        "filter[circle_uuids]": CIRCLE_UUID,
    }
    (conversation,) = page.data
    assert isinstance(conversation, Conversation)
    assert conversation.uuid == CONVERSATION_UUID
    assert conversation.messages_count == 3
    assert conversation.tags[0].name == "Urgent"
    assert raw_response(page).headers["X-Ratelimit-Remaining"] == "7"
    assert raw_response(page).status_code == 200


async def test_list_without_arguments_sends_no_query(make_plannr: PlannrFactory) -> None:
    script = Script(page_response(CONVERSATIONS_PATH, [conversation_json(CONVERSATION_UUID)]))
    client = make_plannr(script)

    await resolve(client.conversations.list())

    (request,) = script.requests
    assert str(request.url) == f"{BASE}{CONVERSATIONS_PATH}"


async def test_list_leaves_out_empty_lists(make_plannr: PlannrFactory) -> None:
    script = Script(page_response(CONVERSATIONS_PATH, []))
    client = make_plannr(script)

    await resolve(client.conversations.list(include=[], filter_uuid=()))

    (request,) = script.requests
    assert str(request.url) == f"{BASE}{CONVERSATIONS_PATH}"


async def test_list_takes_tuples_for_its_sequence_parameters(make_plannr: PlannrFactory) -> None:
    # The signature promises Sequence[...]: a tuple is as good as a list.
    script = Script(page_response(CONVERSATIONS_PATH, []))
    client = make_plannr(script)

    await resolve(
        client.conversations.list(
            include=("tags", "case"),
            filter_uuid=(CONVERSATION_UUID,),
            filter_circle_uuids=(CIRCLE_UUID,),
        )
    )

    (request,) = script.requests
    assert dict(request.url.params) == {
        "include": "tags,case",
        "filter[uuid]": CONVERSATION_UUID,
        "filter[circle_uuids]": CIRCLE_UUID,
    }


@pytest.mark.parametrize("archived", ["with", "only", "false"])
async def test_list_sends_each_archived_filter(
    make_plannr: PlannrFactory, archived: ArchivedFilter
) -> None:
    script = Script(page_response(CONVERSATIONS_PATH, []))
    client = make_plannr(script)

    await resolve(client.conversations.list(filter_archived=archived))

    assert dict(script.requests[0].url.params) == {"filter[archived]": archived}


async def test_list_walks_both_pages_keeping_the_query(make_plannr: PlannrFactory) -> None:
    script = Script(
        page_response(
            CONVERSATIONS_PATH,
            [conversation_json(CONVERSATION_UUID)],
            number=1,
            last=2,
        ),
        page_response(CONVERSATIONS_PATH, [conversation_json(OTHER_UUID)], number=2, last=2),
    )
    client = make_plannr(script)

    page = await resolve(
        client.conversations.list(
            per_page=1, include=["latest_message"], sort="updated_at", filter_archived="only"
        )
    )
    conversations = await collect(page)

    assert [c.uuid for c in conversations] == [CONVERSATION_UUID, OTHER_UUID]
    first, second = script.requests
    assert "page" not in first.url.params
    assert second.url.params["page"] == "2"
    assert second.url.path == CONVERSATIONS_PATH
    expected = {
        "per_page": "1",
        "include": "latest_message",
        "sort": "updated_at",
        "filter[archived]": "only",
    }
    assert dict(first.url.params) == expected
    assert {k: v for k, v in second.url.params.items() if k != "page"} == expected
    assert second.headers["X-PLANNR-ACCOUNT-UUID"] == PLANNR_ACCOUNT_UUID


async def test_list_parses_an_included_latest_message(make_plannr: PlannrFactory) -> None:
    item = conversation_json(
        CONVERSATION_UUID,
        latest_message=message_json(contents="Latest"),
        participants_count="2",
        belongs_to_case=True,
    )
    client = make_plannr(Script(page_response(CONVERSATIONS_PATH, [item])), strict_responses=True)

    (conversation,) = await collect(await resolve(client.conversations.list()))

    assert conversation.latest_message is not None
    assert conversation.latest_message.contents == "Latest"
    assert conversation.latest_message.created_at.utcoffset() == timedelta(hours=1)
    assert conversation.participants_count == 2
    assert conversation.belongs_to_case is True


# --- conversations.list_messages ---------------------------------------------------------------


async def test_list_messages_gets_the_conversation_messages(make_plannr: PlannrFactory) -> None:
    script = Script(page_response(MESSAGES_PATH, [message_json()]))
    client = make_plannr(script)

    page = await resolve(
        client.conversations.list_messages(CONVERSATION_UUID, per_page=30, sort="created_at")
    )

    (request,) = script.requests
    assert request.method == "GET"
    assert request.url.path == MESSAGES_PATH
    assert_plannr_headers(request)
    assert dict(request.url.params) == {"per_page": "30", "sort": "created_at"}
    (message,) = page.data
    assert isinstance(message, Message)
    assert message.uuid == MESSAGE_UUID


async def test_list_messages_without_arguments_sends_no_query(make_plannr: PlannrFactory) -> None:
    script = Script(page_response(MESSAGES_PATH, [message_json()]))
    client = make_plannr(script)

    await resolve(client.conversations.list_messages(CONVERSATION_UUID))

    assert str(script.requests[0].url) == f"{BASE}{MESSAGES_PATH}"


async def test_list_messages_walks_every_page(make_plannr: PlannrFactory) -> None:
    uuids = [f"{MESSAGE_UUID[:-1]}{n}" for n in range(5)]
    script = Script(
        page_response(MESSAGES_PATH, [message_json(uuid=u) for u in uuids[:2]], number=1, last=3),
        page_response(MESSAGES_PATH, [message_json(uuid=u) for u in uuids[2:4]], number=2, last=3),
        page_response(MESSAGES_PATH, [message_json(uuid=uuids[4])], number=3, last=3),
    )
    client = make_plannr(script)

    page = await resolve(
        client.conversations.list_messages(CONVERSATION_UUID, per_page=2, sort="-created_at")
    )
    messages = await collect(page)

    assert [m.uuid for m in messages] == uuids
    assert [r.url.params.get("page") for r in script.requests] == [None, "2", "3"]
    assert all(r.url.params["per_page"] == "2" for r in script.requests)
    assert all(r.url.params["sort"] == "-created_at" for r in script.requests)
    assert all(r.url.path == MESSAGES_PATH for r in script.requests)


async def test_list_messages_starts_at_the_requested_page(make_plannr: PlannrFactory) -> None:
    script = Script(
        page_response(MESSAGES_PATH, [message_json(uuid=FILE_UUID)], number=3, last=4),
        page_response(MESSAGES_PATH, [message_json(uuid=FILE_UUID_2)], number=4, last=4),
    )
    client = make_plannr(script)

    messages = await collect(
        await resolve(client.conversations.list_messages(CONVERSATION_UUID, page=3))
    )

    assert [m.uuid for m in messages] == [FILE_UUID, FILE_UUID_2]
    assert [r.url.params["page"] for r in script.requests] == ["3", "4"]


async def test_a_single_unpaginated_list_is_one_page(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(200, json={"data": [message_json()]}))
    client = make_plannr(script)

    messages = await collect(await resolve(client.conversations.list_messages(CONVERSATION_UUID)))

    assert [m.uuid for m in messages] == [MESSAGE_UUID]
    assert len(script.requests) == 1
