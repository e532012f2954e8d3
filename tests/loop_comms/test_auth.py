"""Loop's two ways in: a static bearer token, or M2M client credentials in the form body."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest

from loop_comms_client import AuthenticationError, ConflictError, RetryPolicy, raw_response
from tests.conftest import (
    LOOP_TOKEN_URL,
    LoopFactory,
    Routes,
    Script,
    resolve,
    token_response,
)
from tests.loop_comms.conftest import (
    BRAND_ID,
    SCHEDULED_ID,
    duplicate,
    schedule_kwargs,
    scheduled,
    send_kwargs,
    sent,
)

pytestmark = pytest.mark.anyio

CREDENTIALS = {"client_id": "loop-client-1", "client_secret": "loop-secret-1"}
IDENTITY_HOST = httpx.URL(LOOP_TOKEN_URL).host

Seen = list[tuple[str, str | None]]


def recorded(routes: Routes, seen: Seen) -> Callable[[httpx.Request], httpx.Response]:
    """Note each request's URL and Authorization header at the moment it is sent.

    A repeat after a 401 re-sends the same request object, so headers must be read on the way.
    """

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("Authorization")))
        return routes(request)

    return handler


def api_auth(seen: Seen, token_url: str = LOOP_TOKEN_URL) -> list[str | None]:
    return [auth for url, auth in seen if not url.startswith(token_url)]


def unauthorized() -> httpx.Response:
    return httpx.Response(401, json={"error": "unauthorized", "message": "token expired"})


# 1. A static token.


async def test_static_token_is_sent_as_a_bearer_header(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script, token="static-abc")

    await resolve(client.messages.send(**send_kwargs()))

    (request,) = script.requests
    assert request.headers["Authorization"] == "Bearer static-abc"
    assert request.url.host == "comms.platform.loop.health"


async def test_401_with_a_static_token_raises_at_once(make_loop: LoopFactory) -> None:
    script = Script(unauthorized(), sent())
    client = make_loop(script)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert len(script.requests) == 1
    assert caught.value.status_code == 401
    assert "token expired" in str(caught.value)


# 2. Client credentials: the token request Loop's identity service documents.


@pytest.mark.parametrize("scope", [None, "comms:send"])
async def test_client_credentials_fetch_a_token_with_the_secret_in_the_form_body(
    make_loop: LoopFactory, scope: str | None
) -> None:
    routes = Routes(Script(sent()), Script(token_response("access-1")), token_url=LOOP_TOKEN_URL)
    options = {**CREDENTIALS, **({"scope": scope} if scope else {})}
    client = make_loop(routes, **options)

    await resolve(client.messages.send(**send_kwargs()))

    (token_request,) = routes.token.requests
    assert token_request.method == "POST"
    assert str(token_request.url) == "https://identity.platform.loop.health/v1/oauth/token"
    assert "Authorization" not in token_request.headers
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token_request.headers["Accept"] == "application/json"
    assert "loop_comms_client" in token_request.headers["User-Agent"]
    expected = {
        "grant_type": ["client_credentials"],
        "client_id": ["loop-client-1"],
        "client_secret": ["loop-secret-1"],
    }
    if scope:
        expected["scope"] = [scope]
    assert parse_qs(token_request.content.decode(), keep_blank_values=True) == expected
    (api_request,) = routes.api.requests
    assert api_request.headers["Authorization"] == "Bearer access-1"


async def test_token_form_without_scope_is_exactly_the_documented_body(
    make_loop: LoopFactory,
) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, **CREDENTIALS)

    await resolve(client.messages.send(**send_kwargs()))

    assert routes.token.requests[0].content == (
        b"grant_type=client_credentials&client_id=loop-client-1&client_secret=loop-secret-1"
    )


async def test_credentials_with_form_special_characters_are_encoded(
    make_loop: LoopFactory,
) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, client_id="id with space", client_secret="s&cret=1+2%")

    await resolve(client.messages.send(**send_kwargs()))

    form = parse_qs(routes.token.requests[0].content.decode())
    assert form["client_id"] == ["id with space"]
    assert form["client_secret"] == ["s&cret=1+2%"]
    assert set(form) == {"grant_type", "client_id", "client_secret"}


async def test_token_is_cached_across_calls(make_loop: LoopFactory) -> None:
    routes = Routes(
        Script(scheduled(), sent()),
        Script(token_response("access-1"), token_response("access-2")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, **CREDENTIALS)

    await resolve(client.messages.schedule(**schedule_kwargs()))
    await resolve(client.messages.send(**send_kwargs()))

    assert len(routes.token.requests) == 1
    assert [r.headers["Authorization"] for r in routes.api.requests] == ["Bearer access-1"] * 2


async def test_with_options_copy_shares_the_token_cache(make_loop: LoopFactory) -> None:
    routes = Routes(Script(sent()), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, **CREDENTIALS)

    await resolve(client.messages.send(**send_kwargs()))
    await resolve(client.with_options(max_retries=0).messages.send(**send_kwargs()))

    assert len(routes.token.requests) == 1
    assert len(routes.api.requests) == 2


async def test_custom_token_url_is_honoured(make_loop: LoopFactory) -> None:
    custom = "https://identity.staging.loop.test/v1/tokens"
    seen: Seen = []
    routes = Routes(Script(sent()), Script(token_response("staging-1")), token_url=custom)
    client = make_loop(recorded(routes, seen), token_url=custom, **CREDENTIALS)

    await resolve(client.messages.send(**send_kwargs()))

    (token_request,) = routes.token.requests
    assert str(token_request.url) == custom
    assert all(IDENTITY_HOST not in url for url, _ in seen)
    assert api_auth(seen, custom) == ["Bearer staging-1"]


# 3. A 401 from the API refreshes the token and repeats the call once.


@pytest.mark.parametrize("call", ["send", "schedule", "get_scheduled"])
async def test_401_fetches_a_new_token_and_repeats_the_call_once(
    make_loop: LoopFactory, call: str
) -> None:
    ok = {"send": sent(), "schedule": scheduled(), "get_scheduled": scheduled(200)}[call]
    seen: Seen = []
    routes = Routes(
        Script(unauthorized(), ok),
        Script(token_response("t1"), token_response("t2")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(recorded(routes, seen), **CREDENTIALS)

    if call == "send":
        result = await resolve(client.messages.send(**send_kwargs()))
    elif call == "schedule":
        result = await resolve(client.messages.schedule(**schedule_kwargs()))
    else:
        result = await resolve(client.messages.get_scheduled(SCHEDULED_ID))

    assert len(routes.token.requests) == 2
    assert api_auth(seen) == ["Bearer t1", "Bearer t2"]
    assert raw_response(result).status_code in (200, 201)
    assert raw_response(result).retries_taken == 0


async def test_the_repeat_after_a_401_sends_the_same_body(make_loop: LoopFactory) -> None:
    bodies: list[bytes] = []
    routes = Routes(
        Script(unauthorized(), sent()),
        Script(token_response("t1"), token_response("t2")),
        token_url=LOOP_TOKEN_URL,
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if not str(request.url).startswith(LOOP_TOKEN_URL):
            bodies.append(request.content)
        return routes(request)

    client = make_loop(handler, **CREDENTIALS)

    await resolve(client.messages.send(**send_kwargs(variables={"a": 1})))

    assert len(bodies) == 2
    assert bodies[0] == bodies[1]
    assert b'"dedup_key":"appt-123-reminder"' in bodies[0]


async def test_401_refresh_does_not_use_up_max_retries(make_loop: LoopFactory) -> None:
    routes = Routes(
        Script(unauthorized(), sent()),
        Script(token_response("t1"), token_response("t2")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, retry_policy=RetryPolicy.no_wait(0), **CREDENTIALS)

    result = await resolve(client.messages.send(**send_kwargs()))

    assert result.message_id
    assert len(routes.api.requests) == 2


async def test_a_second_401_raises_without_looping(make_loop: LoopFactory) -> None:
    routes = Routes(
        Script(unauthorized()),
        Script(token_response("t1"), token_response("t2"), token_response("t3")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, **CREDENTIALS)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert caught.value.status_code == 401
    assert len(routes.api.requests) == 2
    assert len(routes.token.requests) == 2


async def test_409_after_a_401_refresh_does_not_claim_an_earlier_attempt(
    make_loop: LoopFactory,
) -> None:
    # A 401 means Loop did nothing with the first attempt: the 409 is about an older send.
    routes = Routes(
        Script(unauthorized(), duplicate()),
        Script(token_response("t1"), token_response("t2")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, **CREDENTIALS)

    with pytest.raises(ConflictError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert caught.value.earlier_attempt_probably_accepted is False
    assert "probably accepted" not in str(caught.value)


async def test_409_after_a_token_timeout_does_not_claim_an_earlier_attempt(
    make_loop: LoopFactory,
) -> None:
    # The lost answer was the identity service's: the message itself had not gone out.
    routes = Routes(
        Script(duplicate()),
        Script(httpx.ReadTimeout, token_response("t1")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, **CREDENTIALS)

    with pytest.raises(ConflictError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    assert len(routes.token.requests) == 2
    assert len(routes.api.requests) == 1
    assert caught.value.earlier_attempt_probably_accepted is False


# 4. The token endpoint refuses the credentials.


@pytest.mark.parametrize("status", [400, 401])
async def test_token_endpoint_refusal_raises_authentication_error_and_never_calls_the_api(
    make_loop: LoopFactory, status: int
) -> None:
    refusal = httpx.Response(
        status,
        json={"error": "invalid_client", "error_description": "Client authentication failed"},
    )
    routes = Routes(Script(sent()), Script(refusal), token_url=LOOP_TOKEN_URL)
    client = make_loop(routes, **CREDENTIALS)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.messages.send(**send_kwargs()))

    text = str(caught.value)
    assert str(status) in text
    assert "invalid_client" in text
    assert "Client authentication failed" in text
    assert "check client_id and client_secret" in text
    assert routes.api.requests == []
    assert len(routes.token.requests) == 1


async def test_token_endpoint_refusal_on_a_read_is_not_retried(make_loop: LoopFactory) -> None:
    refusal = httpx.Response(401, json={"error": "invalid_client", "error_description": "no"})
    routes = Routes(
        Script(httpx.Response(200, json={"data": []})), Script(refusal), token_url=LOOP_TOKEN_URL
    )
    client = make_loop(routes, **CREDENTIALS)

    with pytest.raises(AuthenticationError):
        await resolve(client.messages.list_scheduled(brand_id=BRAND_ID))

    assert routes.api.requests == []
    assert len(routes.token.requests) == 1


async def test_token_endpoint_outage_is_retried_then_the_send_goes_out_once(
    make_loop: LoopFactory,
) -> None:
    routes = Routes(
        Script(sent()),
        Script(httpx.Response(503), token_response("t1")),
        token_url=LOOP_TOKEN_URL,
    )
    client = make_loop(routes, **CREDENTIALS)

    result = await resolve(client.messages.send(**send_kwargs()))

    assert len(routes.token.requests) == 2
    (api_request,) = routes.api.requests
    assert api_request.headers["Authorization"] == "Bearer t1"
    assert result.message_id
