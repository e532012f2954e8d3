"""FakePlannr's messages: sends (by uuid and inline), their listing, shapes and validation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from plannr_client import File, Message, NotFoundError, UnprocessableEntityError, raw_response
from plannr_client.testing import FakePlannr
from tests.conftest import collect, fake_twin, resolve
from tests.plannr.payloads import load

pytestmark = pytest.mark.anyio

MISSING_UUID = "0b6a9d1e-1111-4c4c-9c9c-0123456789ab"


def raw_http(fake: FakePlannr) -> httpx.AsyncClient:
    """A plain httpx client carrying the fake's credentials, for bodies the client refuses."""
    headers = {
        "Authorization": f"Bearer {fake.token}",
        "X-PLANNR-ACCOUNT-UUID": fake.account_uuid,
        "Accept": "application/json",
    }
    transport = fake.async_transport()
    return httpx.AsyncClient(transport=transport, base_url=fake.base_url, headers=headers)


def messages_path(conversation_uuid: str) -> str:
    return f"/api/v1/conversation/{conversation_uuid}/messages"


async def test_send_message_attaches_uploaded_files_and_is_stored(
    fake_plannr: FakePlannr, twin: str
) -> None:
    fake = fake_plannr
    docx = b"PK\x03\x04 fact find"
    extra = fake.upload_file("Fact find.docx", docx, "application/msword")

    async with fake_twin(fake, twin) as client:
        result = await resolve(
            client.conversations.send_message(
                fake.conversation_uuid,
                contents="Your review is booked",
                files=[fake.file_uuid, extra],
            )
        )

    assert isinstance(result, Message)
    assert result.contents == "Your review is booked"
    assert result.edited is False
    assert result.deleted_at is None
    assert result.reactions == []
    assert [f.uuid for f in result.files] == [fake.file_uuid, extra]
    assert (result.files[1].filename, result.files[1].size) == ("Fact find.docx", len(docx))
    assert result.user is not None
    assert result.user.uuid == fake.user["uuid"]
    assert result.author is not None
    assert result.author.uuid == fake.account_uuid
    assert raw_response(result).status_code == 200
    assert fake.messages == [result]
    assert fake.messages_for(fake.conversation_uuid) == [result]
    assert fake.messages_for(MISSING_UUID) == []


async def test_send_message_without_files_sends_an_empty_list(
    fake_plannr: FakePlannr, twin: str
) -> None:
    async with fake_twin(fake_plannr, twin) as client:
        result = await resolve(
            client.conversations.send_message(fake_plannr.conversation_uuid, contents="Hello")
        )

    assert result.files == []
    assert fake_plannr.messages[0].uuid == result.uuid
    assert fake_plannr.requests[0].content == b'{"contents":"Hello","files":[]}'


async def test_a_file_is_attached_to_one_message_only(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        send = client.conversations.send_message
        await resolve(send(fake.conversation_uuid, contents="First", files=[fake.file_uuid]))
        with pytest.raises(UnprocessableEntityError) as caught:
            await resolve(send(fake.conversation_uuid, contents="Again", files=[fake.file_uuid]))

    assert caught.value.body == {
        "message": "The selected files.0 is invalid.",
        "errors": {"files.0": ["The selected files.0 is invalid."]},
    }
    assert [m.contents for m in fake.messages] == ["First"]
    assert fake.files[fake.file_uuid].uuid == fake.file_uuid


async def test_send_with_attachments_uploads_each_file_onto_the_message(
    fake_plannr: FakePlannr, twin: str
) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        result = await resolve(
            client.conversations.send_message_with_attachments(
                fake.conversation_uuid,
                contents="Your letter",
                files=[("Letter.pdf", b"%PDF-1.7 letter", "application/pdf"), b"plain bytes"],
            )
        )

    letter, plain = result.files
    assert isinstance(letter, File)
    assert (letter.filename, letter.name, letter.extension) == ("Letter.pdf", "Letter", "pdf")
    assert (letter.type, letter.size, letter.progress, letter.status) == (
        "application/pdf",
        15,
        100,
        "uploaded",
    )
    assert letter.download_url == f"{fake.base_url}/file/{letter.uuid}/download"
    assert plain.size == len(b"plain bytes")
    assert fake.messages == [result]
    assert {letter.uuid, plain.uuid} <= set(fake.files)
    assert fake.files[str(letter.uuid)] == letter


async def test_inline_uploads_are_already_attached(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        sent = await resolve(
            client.conversations.send_message_with_attachments(
                fake.conversation_uuid, contents="Letter", files=[("a.pdf", b"%PDF")]
            )
        )
        with pytest.raises(UnprocessableEntityError) as caught:
            await resolve(
                client.conversations.send_message(
                    fake.conversation_uuid, contents="Again", files=[sent.files[0].uuid]
                )
            )

    assert caught.value.errors == {"files.0": ["The selected files.0 is invalid."]}


async def test_list_messages_is_newest_first_and_walks_pages(
    fake_plannr: FakePlannr, twin: str
) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        for text in ("one", "two", "three"):
            await resolve(client.conversations.send_message(fake.conversation_uuid, contents=text))
        page = await resolve(client.conversations.list_messages(fake.conversation_uuid, per_page=2))
        newest_first = await collect(page)
        oldest_first = await collect(
            await resolve(
                client.conversations.list_messages(fake.conversation_uuid, sort="created_at")
            )
        )

    assert [m.contents for m in newest_first] == ["three", "two", "one"]
    assert [m.contents for m in oldest_first] == ["one", "two", "three"]
    assert oldest_first == fake.messages
    pages = [r for r in fake.requests if r.method == "GET"]
    assert [r.url.params.get("page") for r in pages] == [None, "2", None]


async def test_list_messages_pages_hold_thirty_by_default(
    fake_plannr: FakePlannr, twin: str
) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        for index in range(31):
            send = client.conversations.send_message
            await resolve(send(fake.conversation_uuid, contents=f"m{index}"))
        page = await resolve(client.conversations.list_messages(fake.conversation_uuid))

    assert len(page.data) == 30
    assert page.has_next_page()
    assert page.meta is not None
    assert (page.meta.per_page, page.meta.total, page.meta.last_page) == (30, 31, 2)


async def test_an_unknown_conversation_is_laravels_404(fake_plannr: FakePlannr, twin: str) -> None:
    async with fake_twin(fake_plannr, twin) as client:
        with pytest.raises(NotFoundError) as sending:
            await resolve(client.conversations.send_message(MISSING_UUID, contents="Hello"))
        with pytest.raises(NotFoundError) as listing:
            await collect(await resolve(client.conversations.list_messages(MISSING_UUID)))

    expected = {"message": f"No query results for model [App\\Models\\Conversation] {MISSING_UUID}"}
    assert sending.value.body == expected
    assert listing.value.body == expected
    assert fake_plannr.messages == []


# -- agreement with Plannr's published example ----------------------------------------------


def assert_keys_as_published(body: dict[str, Any]) -> None:
    published = load("send_message_200.json")
    assert set(body) == set(published)
    assert set(body["files"][0]) == set(published["files"][0])
    assert set(body["author"]) == set(published["author"])
    assert set(body["user"]) == set(published["user"])
    assert isinstance(body["files"][0]["size"], str)  # digits in a string, as published
    assert body["files"][0]["progress"] == "100"


async def test_a_sent_message_has_the_published_keys(fake_plannr: FakePlannr) -> None:
    fake = fake_plannr
    async with raw_http(fake) as http:
        response = await http.post(
            messages_path(fake.conversation_uuid),
            json={"contents": "Hello", "files": [fake.file_uuid]},
        )

    assert response.status_code == 200
    assert "data" not in response.json()
    assert_keys_as_published(response.json())
    assert Message.model_validate(response.json()) == fake.messages[0]


async def test_an_inline_message_has_the_published_keys(fake_plannr: FakePlannr) -> None:
    fake = fake_plannr
    async with raw_http(fake) as http:
        response = await http.post(
            messages_path(fake.conversation_uuid) + "/inline",
            data={"contents": "Hello"},
            files=[("files[]", ("a.pdf", b"%PDF", "application/pdf"))],
        )

    assert response.status_code == 200
    assert_keys_as_published(response.json())
    assert response.json()["files"][0]["size"] == "4"


async def test_a_listed_message_has_the_published_keys(fake_plannr: FakePlannr) -> None:
    fake = fake_plannr
    async with raw_http(fake) as http:
        path = messages_path(fake.conversation_uuid)
        await http.post(path, json={"contents": "Hello", "files": [fake.file_uuid]})
        body = (await http.get(path)).json()

    assert set(body) == {"data", "links", "meta"}
    assert_keys_as_published(body["data"][0])


# -- validation, as Plannr's Laravel rules answer ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "contents": ["The contents field is required."],
                "files": ["The files field is required."],
            },
        ),
        ({"contents": "   ", "files": []}, {"contents": ["The contents field is required."]}),
        ({"contents": 7, "files": []}, {"contents": ["The contents field must be a string."]}),
        ({"contents": "Hi", "files": "nope"}, {"files": ["The files field must be an array."]}),
        (
            {"contents": "Hello, welcome to Plannr.", "files": [None, None]},  # Plannr's example
            {
                "files.0": ["The selected files.0 is invalid."],
                "files.1": ["The selected files.1 is invalid."],
            },
        ),
        (
            {"contents": "", "files": [MISSING_UUID]},
            {
                "contents": ["The contents field is required."],
                "files.0": ["The selected files.0 is invalid."],
            },
        ),
    ],
)
async def test_a_message_the_client_would_refuse_gets_laravels_422(
    fake_plannr: FakePlannr, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    async with raw_http(fake_plannr) as http:
        response = await http.post(messages_path(fake_plannr.conversation_uuid), json=body)

    first = next(iter(errors.values()))[0]
    more = sum(len(messages) for messages in errors.values()) - 1
    summary = first + (f" (and {more} more error)" if more else "")
    assert response.status_code == 422
    assert response.json() == {"message": summary, "errors": errors}
    assert fake_plannr.messages == []


async def test_an_inline_message_needs_contents_and_a_file(fake_plannr: FakePlannr) -> None:
    async with raw_http(fake_plannr) as http:
        response = await http.post(
            messages_path(fake_plannr.conversation_uuid) + "/inline",
            files=[("contents", (None, b" "))],
        )

    assert response.status_code == 422
    assert response.json() == {
        "message": "The contents field is required. (and 1 more error)",
        "errors": {
            "contents": ["The contents field is required."],
            "files": ["The files field is required."],
        },
    }
    assert fake_plannr.messages == []
