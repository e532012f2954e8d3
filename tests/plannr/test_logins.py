"""logins.list(): the bootstrap call that finds the account uuid, for both twins."""

from __future__ import annotations

import httpx
import pytest

from plannr_client import Account, Login, raw_response
from tests.conftest import PLANNR_ACCOUNT_UUID, PlannrFactory, Script, collect, resolve
from tests.plannr.payloads import BASE, LOGINS_PATH, login_json, page_response

pytestmark = pytest.mark.anyio

LOGIN_UUID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
ADMIN_ACCOUNT = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
CLIENT_ACCOUNT = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"


async def test_list_gets_logins_with_their_account_uuids(make_plannr: PlannrFactory) -> None:
    rows = [
        login_json(LOGIN_UUID, ADMIN_ACCOUNT, preferred_account_uuid=ADMIN_ACCOUNT),
        login_json(LOGIN_UUID[:-1] + "0", CLIENT_ACCOUNT),
    ]
    script = Script(page_response(LOGINS_PATH, rows, headers={"X-Ratelimit-Remaining": "498"}))
    client = make_plannr(script, strict_responses=True)

    page = await resolve(client.logins.list())
    logins = await collect(page)

    (request,) = script.requests
    assert request.method == "GET"
    assert str(request.url) == f"{BASE}{LOGINS_PATH}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.headers["X-PLANNR-ACCOUNT-UUID"] == PLANNR_ACCOUNT_UUID
    assert "plannr_client" in request.headers["User-Agent"]
    assert all(isinstance(login, Login) for login in logins)
    first, second = logins
    assert first.uuid == LOGIN_UUID
    assert isinstance(first.account, Account)
    assert first.account.uuid == ADMIN_ACCOUNT  # the account uuid, not the login uuid
    assert first.preferred_account_uuid == ADMIN_ACCOUNT
    assert second.account is not None
    assert second.account.uuid == CLIENT_ACCOUNT
    assert second.preferred_account_uuid is None
    assert first.model_extra is not None
    assert first.model_extra["firm"]["name"] == "Code Potato"
    assert raw_response(page).headers["X-Ratelimit-Remaining"] == "498"


async def test_list_reads_a_bare_data_list(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(200, json={"data": [login_json(LOGIN_UUID, ADMIN_ACCOUNT)]}))
    client = make_plannr(script)

    logins = await collect(await resolve(client.logins.list()))

    assert [login.account.uuid for login in logins] == [ADMIN_ACCOUNT]
    assert len(script.requests) == 1


async def test_list_walks_a_paginated_answer(make_plannr: PlannrFactory) -> None:
    script = Script(
        page_response(LOGINS_PATH, [login_json(LOGIN_UUID, ADMIN_ACCOUNT)], number=1, last=2),
        page_response(LOGINS_PATH, [login_json(LOGIN_UUID, CLIENT_ACCOUNT)], number=2, last=2),
    )
    client = make_plannr(script)

    logins = await collect(await resolve(client.logins.list()))

    assert [login.account.uuid for login in logins] == [ADMIN_ACCOUNT, CLIENT_ACCOUNT]
    assert [r.url.params.get("page") for r in script.requests] == [None, "2"]
