"""A call's type says what sending it returns: `Call[T]` a T, `MaybeEmptyCall[T]` a T or None,
`PagedCall[T]` a page of T, accepted only by `send_page`.

The run-time tests send each kind through both twins. The static half is checked by
`mypy --strict` (tests are type-checked): `assert_type` pins what each send returns, and each
`# type: ignore[code]` below marks a line mypy must refuse. mypy's `warn_unused_ignores`
(part of strict) fails the build if such a line ever stops being an error, so these ignores
are assertions, not silenced problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, assert_type

import httpx
import pytest

from client_core import (
    AsyncPage,
    RawResponse,
    ResponseValidationError,
    RetryPolicy,
    SyncPage,
    raw_response,
)
from client_core.kit import (
    AsyncAPIClient,
    BearerAuth,
    Call,
    MaybeEmptyCall,
    PagedCall,
    Resource,
    SyncAPIClient,
    client_settings,
    path_segment,
)
from plannr_client import AsyncPlannrClient, Message, PlannrClient
from tests.conftest import PLANNR_ACCOUNT_UUID, Script, resolve

pytestmark = pytest.mark.anyio

BASE = "https://toy.test"
CONVERSATION = "0b6c8c1e-4b7e-4c3a-9f59-1b2f0e8d7a61"


class Act(Resource):
    id: int


class Other(Resource):
    name: str


def _client(twin: str, script: Script) -> Any:
    transport = httpx.MockTransport(script)
    http = httpx.Client(transport=transport) if twin == "sync" else None
    ahttp = httpx.AsyncClient(transport=transport) if twin == "async" else None
    settings = client_settings(
        package="toy",
        base_url=BASE,
        auth=BearerAuth("t"),
        options={"retry_policy": RetryPolicy.no_wait(0)},
    )
    if twin == "sync":
        return SyncAPIClient(settings, http)
    return AsyncAPIClient(settings, ahttp)


@pytest.fixture(params=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_a_call_returns_its_declared_model_with_its_raw_response(twin: str) -> None:
    client = _client(twin, Script(httpx.Response(200, json={"data": {"id": 7}})))
    act = await resolve(client.send(Call("GET", "/v1/acts/7", Act, idempotent=True)))
    assert type(act) is Act
    assert act.id == 7
    assert isinstance(raw_response(act), RawResponse)
    assert raw_response(act).status_code == 200


@pytest.mark.parametrize("body", [b"", b"  ", b"null"])
async def test_a_plain_call_refuses_an_answer_without_a_model(twin: str, body: bytes) -> None:
    # Typed as returning Act, it never hands back None: an empty or null 2xx is an error.
    client = _client(twin, Script(httpx.Response(200, content=body)))
    with pytest.raises(ResponseValidationError, match="accepted the request"):
        await resolve(client.send(Call("POST", "/v1/acts", Act, idempotent=False)))


@pytest.mark.parametrize("body", [b"", b"null"])
async def test_a_maybe_empty_call_returns_none_for_no_body(twin: str, body: bytes) -> None:
    client = _client(twin, Script(httpx.Response(200, content=body)))
    call = MaybeEmptyCall("POST", "/v1/acts/7/cancel", Act, idempotent=False)
    assert await resolve(client.send(call)) is None


async def test_a_maybe_empty_call_with_a_body_returns_the_model(twin: str) -> None:
    client = _client(twin, Script(httpx.Response(200, json={"id": 7})))
    call = MaybeEmptyCall("POST", "/v1/acts/7/cancel", Act, idempotent=False)
    act = await resolve(client.send(call))
    assert isinstance(act, Act)
    assert act.id == 7


async def test_a_paged_call_returns_a_page_that_fetches_the_next(twin: str) -> None:
    script = Script(
        httpx.Response(200, json={"data": [{"id": 1}], "links": {"next": f"{BASE}/v1?page=2"}}),
        httpx.Response(200, json={"data": [{"id": 2}], "links": {"next": None}}),
    )
    client = _client(twin, script)
    page = await resolve(client.send_page(PagedCall("GET", "/v1/acts", Act, idempotent=True)))
    assert isinstance(page, SyncPage if twin == "sync" else AsyncPage)
    assert [a.id for a in page.data] == [1]
    following = await resolve(page.next_page())
    assert [a.id for a in following.data] == [2]
    assert script.requests[1].url.params["page"] == "2"


def test_page_keeps_the_kind_and_the_other_parameters() -> None:
    call = PagedCall("GET", "/v1/acts", Act, idempotent=True, params={"per_page": 5})
    second = call.page(2)
    assert type(second) is PagedCall
    assert second.params == {"per_page": 5, "page": 2}
    assert second.returns is Act


def test_only_a_maybe_empty_call_accepts_an_empty_body() -> None:
    assert MaybeEmptyCall.empty_ok
    assert not Call.empty_ok
    assert not PagedCall.empty_ok


def test_each_kind_is_its_own_type() -> None:
    kinds = (Call, MaybeEmptyCall, PagedCall)
    for kind in kinds:
        others = [k for k in kinds if k is not kind]
        assert not any(issubclass(kind, other) for other in others), kind.__name__


def test_client_core_has_no_type_ignore() -> None:
    root = Path(__file__).resolve().parents[2] / "client_core"
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "type: ignore" in line
    ]
    assert found == []


# -- what mypy --strict must accept and refuse (checked by `make typecheck`) ------------------


def _builder_typed_as_its_model() -> Call[Act]:
    return Call("GET", "/v1/acts/1", Act, idempotent=True)


def _builder_declaring_another_model() -> Call[Act]:
    return Call("GET", "/v1/others/1", Other, idempotent=True)  # type: ignore[arg-type]


def _maybe_empty_is_not_a_plain_call() -> Call[Act]:
    return MaybeEmptyCall("POST", "/v1/acts/1/cancel", Act, idempotent=False)  # type: ignore[return-value]


def _static_results(sync: SyncAPIClient) -> None:
    assert_type(sync.send(Call("GET", "/v1/acts/1", Act, idempotent=True)), Act)
    maybe = MaybeEmptyCall("POST", "/v1/acts/1/cancel", Act, idempotent=False)
    assert_type(sync.send(maybe), Act | None)
    paged = PagedCall("GET", "/v1/acts", Act, idempotent=True)
    assert_type(sync.send_page(paged), SyncPage[Act])


def _refused_sends(sync: SyncAPIClient, client: AsyncAPIClient) -> None:
    # Never run: each line is one mypy must refuse.
    paged = PagedCall("GET", "/v1/acts", Act, idempotent=True)
    sync.send(paged)  # type: ignore[call-overload]
    client.send(paged)  # type: ignore[call-overload]
    sync.send_page(Call("GET", "/v1/acts", Act, idempotent=True))  # type: ignore[arg-type]


async def _static_async_results(client: AsyncAPIClient) -> None:
    assert_type(await client.send(Call("GET", "/v1/acts/1", Act, idempotent=True)), Act)
    maybe = MaybeEmptyCall("POST", "/v1/acts/1/cancel", Act, idempotent=False)
    assert_type(await client.send(maybe), Act | None)
    paged = PagedCall("GET", "/v1/acts", Act, idempotent=True)
    assert_type(await client.send_page(paged), AsyncPage[Act])


async def test_the_statically_checked_lines_also_run(twin: str) -> None:
    script = Script(
        lambda request: httpx.Response(
            200,
            json={"data": [{"id": 1}]} if request.url.path == "/v1/acts" else {"id": 1},
        )
    )
    client = _client(twin, script)
    assert _builder_typed_as_its_model().returns is Act
    if twin == "sync":
        _static_results(client)
    else:
        await _static_async_results(client)
    assert len(script.requests) == 3


async def test_a_vendor_client_sends_a_call_it_does_not_wrap_like_its_own(twin: str) -> None:
    # docs/unwrapped-endpoints.md: the escape hatch takes the wrapped calls' path (auth,
    # vendor headers, parsing, raw_response).
    script = Script(httpx.Response(200, json={"data": {"uuid": "m-1", "contents": "Hi"}}))
    transport = httpx.MockTransport(script)
    options: dict[str, Any] = {"token": "t-9", "account_uuid": PLANNR_ACCOUNT_UUID}
    if twin == "sync":
        client: Any = PlannrClient(http_client=httpx.Client(transport=transport), **options)
    else:
        client = AsyncPlannrClient(http_client=httpx.AsyncClient(transport=transport), **options)
    path = f"/api/v1/conversation/{path_segment(CONVERSATION, 'conversation_uuid', uuid=True)}"
    message = await resolve(
        client.send(Call("GET", path + "/messages/m-1", Message, idempotent=True))
    )
    assert isinstance(message, Message)
    assert message.uuid == "m-1"
    sent = script.requests[0]
    assert sent.headers["authorization"] == "Bearer t-9"
    assert sent.headers["x-plannr-account-uuid"] == PLANNR_ACCOUNT_UUID
    assert raw_response(message).status_code == 200
