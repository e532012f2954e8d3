"""Async `list()` on every vendor: awaitable (the first page) and async-iterable (every item).

API.md, "Iterating lists, sync and async" and "Jupyter and plain mocks": the call returns at
once, checks its arguments then, and sends nothing before the first `await` or `__anext__`.
This module is type-checked by `mypy --strict` with the rest of the tests, so the spellings in
`test_both_spellings_type_check` are the proof that both pass it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, assert_type

import httpx
import pytest

from client_core import AsyncPage, AsyncPaginator, RetryPolicy
from loop_comms_client import AsyncLoopCommsClient, ScheduledMessage
from plannr_client import AsyncPlannrClient, Conversation, Login, Message
from sqod_client import Appointment, AsyncSqodClient
from tests.conftest import APPOINTMENT_ID, PLANNR_ACCOUNT_UUID

pytestmark = pytest.mark.anyio

PAGES = 3
PER_PAGE = 2
CONVERSATION_UUID = "0b6c8c1e-4b7e-4c3a-9f59-1b2f0e8d7a61"


class Pages:
    """A paginated list served over MockTransport: `PAGES` Laravel pages of `PER_PAGE` rows."""

    def __init__(self, row: Callable[[int], dict[str, Any]]) -> None:
        self.row = row
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        page = int(request.url.params.get("page", "1"))
        rows = [self.row((page - 1) * PER_PAGE + i) for i in range(PER_PAGE)]
        following = str(request.url.copy_merge_params({"page": page + 1}))
        links = {"next": following if page < PAGES else None}
        meta = {"current_page": page, "last_page": PAGES}
        return httpx.Response(200, json={"data": rows, "links": links, "meta": meta})


def _sqod(http: httpx.AsyncClient) -> AsyncSqodClient:
    return AsyncSqodClient(base_url="https://acme.sqod.test", token="t", http_client=http)


def _plannr(http: httpx.AsyncClient) -> AsyncPlannrClient:
    return AsyncPlannrClient(token="t", account_uuid=PLANNR_ACCOUNT_UUID, http_client=http)


def _loop(http: httpx.AsyncClient) -> AsyncLoopCommsClient:
    return AsyncLoopCommsClient(token="t", http_client=http)


def _scheduled(n: int) -> dict[str, Any]:
    return {
        "id": f"s-{n}",
        "brand_id": "brand-1",
        "person_id": "person-1",
        "channel": "sms",
        "template_key": "reminder",
        "recipient": "+447700900123",
        "dedup_key": f"k-{n}",
        "scheduled_at": "2026-12-01T09:00:00Z",
        "status": "scheduled",
        "created_at": "2026-11-30T09:00:00Z",
    }


@dataclass(frozen=True)
class ListCall:
    """One vendor's async list call: the client, the call, one row, and a bad argument."""

    name: str
    client: Callable[[httpx.AsyncClient], Any]
    call: Callable[..., AsyncPaginator[Any]]
    row: Callable[[int], dict[str, Any]]
    key: str
    bad: dict[str, Any] | None


LISTS = [
    ListCall(
        "sqod appointments.list",
        _sqod,
        lambda c, **kw: c.appointments.list(**kw),
        lambda n: {"id": f"{APPOINTMENT_ID[:-2]}{n:02d}", "status": "scheduled"},
        "id",
        {"per_page": 0},
    ),
    ListCall(
        "plannr conversations.list",
        _plannr,
        lambda c, **kw: c.conversations.list(**kw),
        lambda n: {"uuid": f"c-{n}", "name": f"Conversation {n}"},
        "uuid",
        {"per_page": 501},
    ),
    ListCall(
        "plannr conversations.list_messages",
        _plannr,
        lambda c, **kw: c.conversations.list_messages(CONVERSATION_UUID, **kw),
        lambda n: {"uuid": f"m-{n}", "contents": f"Message {n}"},
        "uuid",
        {"per_page": -1},
    ),
    ListCall(
        "plannr logins.list",
        _plannr,
        lambda c: c.logins.list(),
        lambda n: {"uuid": f"l-{n}"},
        "uuid",
        None,
    ),
    ListCall(
        "loop messages.list_scheduled",
        _loop,
        lambda c, **kw: c.messages.list_scheduled(brand_id="brand-1", **kw),
        _scheduled,
        "id",
        {"status": ""},
    ),
]


def _client(case: ListCall, pages: Pages) -> Any:
    http = httpx.AsyncClient(transport=httpx.MockTransport(pages))
    return case.client(http).with_options(max_retries=0)


@pytest.mark.parametrize("case", LISTS, ids=lambda c: c.name)
async def test_async_for_without_await_walks_every_item_of_every_page(case: ListCall) -> None:
    pages = Pages(case.row)
    async with _client(case, pages) as client:
        seen = [getattr(item, case.key) async for item in case.call(client)]
    assert seen == [case.row(n)[case.key] for n in range(PAGES * PER_PAGE)]
    assert [int(r.url.params.get("page", "1")) for r in pages.requests] == [1, 2, 3]


@pytest.mark.parametrize("case", LISTS, ids=lambda c: c.name)
async def test_await_gives_the_first_page_and_async_for_over_it_walks_on(case: ListCall) -> None:
    pages = Pages(case.row)
    async with _client(case, pages) as client:
        page = await case.call(client)
        assert isinstance(page, AsyncPage)
        assert [getattr(i, case.key) for i in page.data] == [
            case.row(0)[case.key],
            case.row(1)[case.key],
        ]
        assert len(pages.requests) == 1
        assert len([item async for item in page]) == PAGES * PER_PAGE


@pytest.mark.parametrize("case", LISTS, ids=lambda c: c.name)
async def test_nothing_is_sent_before_the_first_await_or_item(case: ListCall) -> None:
    pages = Pages(case.row)
    async with _client(case, pages) as client:
        listing = case.call(client)
        assert not inspect.iscoroutine(listing)  # nothing to forget to await
        assert pages.requests == []
        iterator = aiter(listing)
        assert pages.requests == []
        first = await anext(iterator)
        assert getattr(first, case.key) == case.row(0)[case.key]
        assert len(pages.requests) == 1
        assert len([item async for item in iterator]) == PAGES * PER_PAGE - 1


@pytest.mark.parametrize("case", [c for c in LISTS if c.bad], ids=lambda c: c.name)
async def test_a_bad_argument_raises_when_list_is_called_before_any_await(case: ListCall) -> None:
    pages = Pages(case.row)
    async with _client(case, pages) as client:
        assert case.bad is not None
        field = next(iter(case.bad))
        with pytest.raises(ValueError, match=field):
            case.call(client, **case.bad)  # no await: the call itself refuses
    assert pages.requests == []


async def test_each_await_sends_afresh() -> None:
    pages = Pages(LISTS[0].row)
    async with _client(LISTS[0], pages) as client:
        listing = client.appointments.list()
        await listing
        await listing
    assert len(pages.requests) == 2


async def test_repr_names_the_model_but_no_path_or_id() -> None:
    async with AsyncPlannrClient(token="t", account_uuid=PLANNR_ACCOUNT_UUID) as plannr:
        listing = plannr.conversations.list_messages(CONVERSATION_UUID)
        assert repr(listing) == "AsyncPaginator[Message]"
        assert CONVERSATION_UUID not in repr(listing)


async def test_both_spellings_type_check() -> None:
    # mypy --strict checks these assert_type lines; at run time they are plain calls.
    pages = Pages(LISTS[0].row)
    http = httpx.AsyncClient(transport=httpx.MockTransport(pages))
    async with AsyncSqodClient(
        base_url="https://acme.sqod.test",
        token="t",
        http_client=http,
        retry_policy=RetryPolicy.no_wait(0),
    ) as sqod:
        page = await sqod.appointments.list(per_page=PER_PAGE)
        assert_type(page, AsyncPage[Appointment])
        ids = []
        async for appointment in sqod.appointments.list(per_page=PER_PAGE):
            assert_type(appointment, Appointment)
            ids.append(appointment.id)
        async for appointment in await sqod.appointments.list():  # the spelling of 0.1
            assert_type(appointment, Appointment)
    assert len(ids) == PAGES * PER_PAGE
    assert page.data[0].id == ids[0]


async def test_every_vendor_list_is_typed_as_an_async_paginator() -> None:
    async with (
        AsyncPlannrClient(token="t", account_uuid=PLANNR_ACCOUNT_UUID) as plannr,
        AsyncLoopCommsClient(token="t") as loop,
        AsyncSqodClient(base_url="https://acme.sqod.test", token="t") as sqod,
    ):
        listings = [
            assert_type(sqod.appointments.list(), AsyncPaginator[Appointment]),
            assert_type(plannr.conversations.list(), AsyncPaginator[Conversation]),
            assert_type(
                plannr.conversations.list_messages(CONVERSATION_UUID), AsyncPaginator[Message]
            ),
            assert_type(plannr.logins.list(), AsyncPaginator[Login]),
            assert_type(
                loop.messages.list_scheduled(brand_id="b"), AsyncPaginator[ScheduledMessage]
            ),
        ]
    assert all(isinstance(listing, AsyncPaginator) for listing in listings)
