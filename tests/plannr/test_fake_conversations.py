"""FakePlannr's conversation list (includes, sorts, filters, pages) and the login list."""

from __future__ import annotations

from typing import Any, get_args

import httpx
import pytest

from plannr_client import Conversation, ConversationInclude, Login, Tag
from plannr_client.testing import FakePlannr
from tests.conftest import collect, fake_twin, resolve

pytestmark = pytest.mark.anyio

CIRCLE = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
OTHER_CIRCLE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
BASE_KEYS = {
    "uuid",
    "created_at",
    "updated_at",
    "name",
    "slug",
    "belongs_to_case",
    "pinned",
    "is_admin",
}
INCLUDES = list(get_args(ConversationInclude))


def raw_http(fake: FakePlannr) -> httpx.AsyncClient:
    """A plain httpx client carrying the fake's credentials, for queries the client refuses."""
    headers = {
        "Authorization": f"Bearer {fake.token}",
        "X-PLANNR-ACCOUNT-UUID": fake.account_uuid,
        "Accept": "application/json",
    }
    transport = fake.async_transport()
    return httpx.AsyncClient(transport=transport, base_url=fake.base_url, headers=headers)


async def names(client: Any, **query: Any) -> list[str | None]:
    """The names of every conversation `conversations.list(**query)` walks through."""
    return [c.name for c in await collect(await resolve(client.conversations.list(**query)))]


async def test_list_shows_no_relations_unless_included(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        (conversation,) = await collect(await resolve(client.conversations.list()))

    assert isinstance(conversation, Conversation)
    assert conversation.uuid == fake.conversation_uuid
    assert conversation.name == "Annual review 2025"
    assert (conversation.messages_count, conversation.latest_message) == (None, None)
    assert conversation.tags == []
    async with raw_http(fake) as http:
        body = (await http.get("/api/v1/conversation")).json()
    assert set(body["data"][0]) == BASE_KEYS


async def test_include_embeds_each_relation_asked_for(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        sent = await resolve(
            client.conversations.send_message(
                fake.conversation_uuid, contents="See attached", files=[fake.file_uuid]
            )
        )
        (full,) = await collect(await resolve(client.conversations.list(include=INCLUDES)))
        (counted,) = await collect(
            await resolve(client.conversations.list(include=["messages_count"]))
        )

    assert (full.messages_count, full.files_count, full.participants_count) == (1, 1, 2)
    assert full.latest_message == sent
    assert [type(tag) for tag in full.tags] == [Tag]
    assert full.tags[0].name == "Annual review"
    assert full.model_extra is not None
    participants = full.model_extra["participants"]
    assert [p["type"] for p in participants] == ["adviser", "client"]
    assert full.model_extra["case"] is None
    assert counted.messages_count == 1
    assert counted.latest_message is None
    assert fake.conversations[fake.conversation_uuid] == full


async def test_a_fully_included_conversation_has_the_documented_keys(
    fake_plannr: FakePlannr,
) -> None:
    async with raw_http(fake_plannr) as http:
        response = await http.get("/api/v1/conversation", params={"include": ",".join(INCLUDES)})

    (row,) = response.json()["data"]
    assert set(row) == BASE_KEYS | set(INCLUDES)
    assert set(row["tags"][0]) == {"uuid", "name", "slug", "colour", "created_at", "updated_at"}
    assert set(response.json()["meta"]) >= {"current_page", "last_page", "per_page", "total"}


async def test_list_walks_every_page(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    added = [fake.add_conversation(f"Chat {n}") for n in range(4)]
    async with fake_twin(fake, twin) as client:
        found = await collect(
            await resolve(client.conversations.list(per_page=2, sort="created_at"))
        )

    assert [c.uuid for c in found] == [fake.conversation_uuid, *added]
    assert [r.url.params.get("page") for r in fake.requests] == [None, "2", "3"]
    assert set(fake.conversations) == {fake.conversation_uuid, *added}


async def test_sorts_follow_plannrs_convention(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    fake.add_conversation("Pinned", pinned=True)
    quiet = fake.add_conversation("Quiet")
    async with fake_twin(fake, twin) as client:
        await resolve(client.conversations.send_message(quiet, contents="Anyone there?"))
        by_created = await names(client, sort="created_at")
        newest_first = await names(client, sort="-created_at")
        pinned_first = await names(client, sort="-pinned_conversations")
        active_first = await names(client, sort="-latest_message")
        default = await names(client)
        active_last = await names(client, sort="latest_message")

    assert by_created == ["Annual review 2025", "Pinned", "Quiet"]
    assert newest_first == ["Quiet", "Pinned", "Annual review 2025"]
    assert pinned_first[0] == "Pinned"
    assert active_first[0] == "Quiet"
    assert default == active_last
    assert active_last[-1] == "Quiet"


async def test_filters_select_conversations(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    in_circle = fake.add_conversation("In circle", circle_uuids=[CIRCLE])
    archived = fake.add_conversation("Archived", archived=True, circle_uuids=[CIRCLE])
    async with fake_twin(fake, twin) as client:
        live = await names(client, sort="created_at")
        everything = await names(client, sort="created_at", filter_archived="with")
        only_archived = await names(client, filter_archived="only")
        by_uuid = await names(client, filter_uuid=[in_circle, archived])
        by_circle = await names(
            client, filter_circle_uuids=[CIRCLE, OTHER_CIRCLE], filter_archived="with"
        )

    assert live == ["Annual review 2025", "In circle"]
    assert everything == ["Annual review 2025", "In circle", "Archived"]
    assert only_archived == ["Archived"]
    assert by_uuid == ["In circle"]  # archived ones stay hidden unless asked for
    assert sorted(by_circle, key=str) == ["Archived", "In circle"]
    assert fake.requests[1].url.params["filter[archived]"] == "with"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"include": "participants,bogus"},
            "Requested include(s) `bogus` are not allowed. Allowed include(s) are "
            "`participants, participants_count, latest_message, messages_count, files_count, "
            "case, tags`.",
        ),
        (
            {"sort": "-name"},
            "Requested sort(s) `name` is not allowed. Allowed sort(s) are "
            "`created_at, updated_at, latest_message, pinned_conversations`.",
        ),
        (
            {"filter[owner]": "x"},
            "Requested filter(s) `owner` are not allowed. Allowed filter(s) are "
            "`uuid, archived, circle_uuids`.",
        ),
    ],
)
async def test_an_unknown_query_name_is_spaties_400(
    fake_plannr: FakePlannr, query: dict[str, str], message: str
) -> None:
    async with raw_http(fake_plannr) as http:
        response = await http.get("/api/v1/conversation", params=query)

    assert response.status_code == 400
    assert response.json() == {"message": message}


async def test_messages_sort_only_by_creation(fake_plannr: FakePlannr) -> None:
    async with raw_http(fake_plannr) as http:
        path = f"/api/v1/conversation/{fake_plannr.conversation_uuid}/messages"
        response = await http.get(path, params={"sort": "updated_at"})

    assert response.status_code == 400
    assert response.json() == {
        "message": "Requested sort(s) `updated_at` is not allowed. Allowed sort(s) are "
        "`created_at`."
    }


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"per_page": "501"}, {"per_page": ["The per page field must not be greater than 500."]}),
        ({"page": "0"}, {"page": ["The page field must be at least 1."]}),
        ({"per_page": "ten"}, {"per_page": ["The per page field must be an integer."]}),
    ],
)
async def test_page_parameters_the_client_refuses_get_a_422(
    fake_plannr: FakePlannr, query: dict[str, str], errors: dict[str, list[str]]
) -> None:
    async with raw_http(fake_plannr) as http:
        response = await http.get("/api/v1/conversation", params=query)

    assert response.status_code == 422
    assert response.json()["errors"] == errors


async def test_logins_list_the_account_to_act_as(fake_plannr: FakePlannr, twin: str) -> None:
    fake = fake_plannr
    async with fake_twin(fake, twin) as client:
        (login,) = await collect(await resolve(client.logins.list()))

    assert isinstance(login, Login)
    assert login.uuid == fake.login_uuid
    assert login.account is not None
    assert login.account.uuid == fake.account_uuid
    assert login.preferred_account_uuid == fake.account_uuid
    assert login.model_extra is not None
    assert login.model_extra["firm"] == fake.firm


async def test_logins_need_no_account_header(fake_plannr: FakePlannr) -> None:
    headers = {"Authorization": f"Bearer {fake_plannr.token}", "Accept": "application/json"}
    async with httpx.AsyncClient(transport=fake_plannr.async_transport(), headers=headers) as http:
        response = await http.get(f"{fake_plannr.base_url}/api/v1/logins")

    assert response.status_code == 200
    assert [row["account"]["uuid"] for row in response.json()["data"]] == [fake_plannr.account_uuid]
