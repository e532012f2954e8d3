"""FakeServer's generic machinery: routing, auth, staged faults, records, clients, `mock()`.

A tiny toy vendor (`Toy`) exercises the kit the way a vendor fake would; a few tests at the end
go through `FakeSqod` and `SqodClient` to show the fault semantics as a user of a fake sees them.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
import respx
from typing_extensions import Unpack

from client_core import RetryPolicy
from client_core.kit import (
    AsyncAPIClient,
    BearerAuth,
    Call,
    ClientOptions,
    Resource,
    SyncAPIClient,
    client_settings,
)
from client_core.testing import (
    ErrorReply,
    FakeRequest,
    FakeServer,
    Route,
    TokenIssuer,
    laravel_input,
)
from sqod_client import (
    AsyncSqodClient,
    InternalServerError,
    OutcomeUnknownError,
    RateLimitError,
    SqodClient,
)
from sqod_client.testing import DEFAULT_FAKE_BASE_URL, FakeSqod

pytestmark = pytest.mark.anyio

TOY_URL = "https://toy.test"
TOY_TOKEN_URL = "https://auth.toy.test/oauth2/token"


# --- the toy vendor ----------------------------------------------------------------------------


class Act(Resource):
    id: int
    text: str


class ToyClient(SyncAPIClient):
    """The toy vendor's blocking client: post an act, read one back."""

    def __init__(
        self, *, base_url: str, token: str, **options: Unpack[ClientOptions[httpx.Client]]
    ) -> None:
        auth = BearerAuth(token)
        settings = client_settings(package="toy", base_url=base_url, auth=auth, options=options)
        super().__init__(settings, options.get("http_client"))

    def act(self, text: str) -> Act:
        return self.send(Call("POST", "/v1/acts", Act, idempotent=False, json={"text": text}))

    def get(self, act_id: int) -> Act:
        return self.send(Call("GET", f"/v1/acts/{act_id}", Act, idempotent=True))


class AsyncToyClient(AsyncAPIClient):
    """The toy vendor's asyncio client."""

    def __init__(
        self, *, base_url: str, token: str, **options: Unpack[ClientOptions[httpx.AsyncClient]]
    ) -> None:
        auth = BearerAuth(token)
        settings = client_settings(package="toy", base_url=base_url, auth=auth, options=options)
        super().__init__(settings, options.get("http_client"))

    async def act(self, text: str) -> Act:
        return await self.send(Call("POST", "/v1/acts", Act, idempotent=False, json={"text": text}))


class Toy(FakeServer[ToyClient, AsyncToyClient]):
    """A toy vendor: a token endpoint, a POST that acts, a GET and a PATCH of one act."""

    sync_client_class = ToyClient
    async_client_class = AsyncToyClient

    def __init__(self) -> None:
        self.token = "toy-static-token-5e1a"
        self.issuer = TokenIssuer(
            client_id="toy-id", client_secret="toy-secret-9c2b", credentials_in="body"
        )
        self.acts: list[str] = []
        """What the vendor did: one entry per accepted act."""
        self.seen: list[FakeRequest] = []
        """Every request a handler ran for, as the handler saw it."""
        routes = [
            Route("POST", "/oauth2/token", self._token, token_endpoint=True),
            Route("POST", "/v1/acts", self._act),
            Route("GET", "/v1/acts/{act_id}", self._get),
            Route("PATCH", "/v1/acts/{act_id}", self._patch),
        ]
        super().__init__(base_url=TOY_URL, routes=routes, also_intercept=[TOY_TOKEN_URL])

    @property
    def credentials(self) -> dict[str, str]:
        return {"token": self.token}

    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        scheme, _, token = request.http.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and (token == self.token or self.issuer.accepts(token)):
            return None
        return ErrorReply(401, "Unauthenticated.")

    def _error_response(self, error: ErrorReply) -> httpx.Response:
        return httpx.Response(error.status, json={"message": error.message})

    def _token(self, request: FakeRequest) -> httpx.Response:
        self.seen.append(request)
        return self.issuer.issue(request.http)

    def _act(self, request: FakeRequest) -> httpx.Response:
        self.seen.append(request)
        body = laravel_input(request.http)
        self.acts.append(str(body.get("text", "")))
        return httpx.Response(201, json={"id": len(self.acts), "text": self.acts[-1]})

    def _get(self, request: FakeRequest) -> httpx.Response:
        self.seen.append(request)
        act_id = request.path_params["act_id"]
        if not act_id.isdigit() or not 1 <= int(act_id) <= len(self.acts):
            raise ErrorReply(404, f"No act {act_id}.")
        return httpx.Response(200, json={"id": int(act_id), "text": self.acts[int(act_id) - 1]})

    def _patch(self, request: FakeRequest) -> httpx.Response:
        self.seen.append(request)
        act_id = int(request.path_params["act_id"])
        self.acts[act_id - 1] = str(laravel_input(request.http)["text"])
        return httpx.Response(200, json={"id": act_id, "text": self.acts[act_id - 1]})


class LaravelToy(Toy):
    """The toy behind Laravel: a POST carrying `_method` is routed as that verb."""

    method_override = True


def toy_http(fake: Toy, **options: Any) -> httpx.Client:
    """A plain httpx client sending to `fake` in memory, with the toy's static token."""
    headers = {"Authorization": f"Bearer {fake.token}"}
    return httpx.Client(transport=fake.transport(), base_url=TOY_URL, headers=headers, **options)


def toy_async_http(fake: Toy, **options: Any) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {fake.token}"}
    return httpx.AsyncClient(
        transport=fake.async_transport(), base_url=TOY_URL, headers=headers, **options
    )


# --- routing -----------------------------------------------------------------------------------


def test_path_template_routes_to_its_handler_with_the_path_values() -> None:
    fake = Toy()
    fake.acts.append("first")

    with toy_http(fake) as http:
        response = http.get("/v1/acts/1", params={"expand": "all"})

    assert response.status_code == 200
    assert response.json() == {"id": 1, "text": "first"}
    [seen] = fake.seen
    assert (seen.method, dict(seen.path_params)) == ("GET", {"act_id": "1"})
    assert seen.query("expand") == "all"
    assert seen.query("missing") is None


def test_percent_encoded_path_value_is_decoded_and_stays_one_segment() -> None:
    fake = Toy()

    with toy_http(fake) as http:
        response = http.get("/v1/acts/a%2Fb%20c")

    assert fake.seen[0].path_params == {"act_id": "a/b c"}
    assert response.json() == {"message": "No act a/b c."}  # the handler's own 404


def test_trailing_slash_routes_like_the_bare_path() -> None:
    fake = Toy()

    with toy_http(fake) as http:
        response = http.post("/v1/acts/", json={"text": "hello"})

    assert response.status_code == 201
    assert fake.acts == ["hello"]


def test_unknown_path_is_a_404_in_the_vendor_error_format() -> None:
    fake = Toy()

    with toy_http(fake) as http:
        response = http.get("/v1/nothing/here")

    assert response.status_code == 404
    assert response.json() == {"message": "The route /v1/nothing/here could not be found."}
    assert fake.seen == []


def test_known_path_with_another_verb_is_a_405_in_the_vendor_error_format() -> None:
    fake = Toy()
    fake.acts.append("first")

    with toy_http(fake) as http:
        response = http.delete("/v1/acts/1")

    assert response.status_code == 405
    assert response.json() == {
        "message": "The DELETE method is not supported for route /v1/acts/1."
    }
    assert fake.seen == []
    assert fake.acts == ["first"]


def _override_request(how: str) -> dict[str, Any]:
    if how == "query":
        return {"params": {"_method": "PATCH"}, "json": {"text": "edited"}}
    if how == "form":
        return {"data": {"_method": "PATCH", "text": "edited"}}
    if how == "lowercase":
        return {"data": {"_method": "patch", "text": "edited"}}
    return {"data": {"_method": "PATCH", "text": "edited"}, "files": {"f": ("a.txt", b"x")}}


@pytest.mark.parametrize("how", ["query", "form", "lowercase", "multipart"])
def test_method_override_routes_a_post_carrying_method_as_that_verb(how: str) -> None:
    fake = LaravelToy()
    fake.acts.append("first")

    with toy_http(fake) as http:
        response = http.post("/v1/acts/1", **_override_request(how))

    assert response.status_code == 200
    assert fake.acts == ["edited"]
    assert fake.seen[0].method == "PATCH"
    assert fake.requests[0].method == "POST"  # what was sent is recorded as sent


def test_method_override_is_ignored_by_a_vendor_without_it() -> None:
    fake = Toy()
    fake.acts.append("first")

    with toy_http(fake) as http:
        by_query = http.post("/v1/acts/1", params={"_method": "PATCH"}, json={"text": "edited"})
        by_form = http.post("/v1/acts/1", data={"_method": "PATCH", "text": "edited"})

    for response in (by_query, by_form):
        assert response.status_code == 405
        assert response.json() == {
            "message": "The POST method is not supported for route /v1/acts/1."
        }
    assert fake.acts == ["first"]


def test_method_override_applies_to_post_only() -> None:
    fake = LaravelToy()
    fake.acts.append("first")

    with toy_http(fake) as http:
        response = http.get("/v1/acts/1", params={"_method": "PATCH"})

    assert response.status_code == 200
    assert fake.seen[0].method == "GET"
    assert fake.acts == ["first"]


def test_post_without_method_field_stays_a_post_under_method_override() -> None:
    fake = LaravelToy()

    with toy_http(fake) as http:
        response = http.post("/v1/acts", data={"text": "hello"})

    assert response.status_code == 201
    assert fake.acts == ["hello"]


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dG95OnRveQ=="])
def test_api_route_without_valid_credentials_gets_the_vendor_401(
    authorization: str | None,
) -> None:
    fake = Toy()
    headers = {} if authorization is None else {"Authorization": authorization}

    with httpx.Client(transport=fake.transport(), base_url=TOY_URL) as http:
        response = http.post("/v1/acts", json={"text": "hello"}, headers=headers)

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}
    assert fake.acts == []
    assert len(fake.requests) == 1  # it reached the fake, which said no


def test_token_route_skips_the_auth_hook_and_its_token_then_authenticates() -> None:
    fake = Toy()
    form = {"grant_type": "client_credentials", "client_id": "toy-id"}
    form["client_secret"] = fake.issuer.client_secret

    with httpx.Client(transport=fake.transport(), base_url=TOY_URL) as http:
        issued = http.post("/oauth2/token", data=form)  # no Authorization header at all
        token = issued.json()["access_token"]
        response = http.post(
            "/v1/acts", json={"text": "hello"}, headers={"Authorization": f"Bearer {token}"}
        )

    assert issued.status_code == 200
    assert response.status_code == 201
    assert fake.acts == ["hello"]


# --- staged faults -----------------------------------------------------------------------------


def test_faults_are_used_in_the_order_staged_across_kinds() -> None:
    fake = Toy()
    fake.fail_next(503)
    fake.drop_next()
    fake.fail_next(429)
    outcomes: list[object] = []

    with toy_http(fake) as http:
        for text in ("one", "two", "three", "four"):
            try:
                outcomes.append(http.post("/v1/acts", json={"text": text}).status_code)
            except httpx.TransportError as exc:
                outcomes.append(type(exc))

    assert outcomes == [503, httpx.RemoteProtocolError, 429, 201]
    assert fake.acts == ["two", "four"]  # the drop acted; the failures did not


def test_times_uses_the_fault_once_per_request() -> None:
    fake = Toy()
    fake.fail_next(503, times=2)

    with toy_http(fake) as http:
        statuses = [http.post("/v1/acts", json={"text": str(i)}).status_code for i in range(3)]

    assert statuses == [503, 503, 201]
    assert fake.acts == ["2"]


def test_faults_skip_token_endpoint_requests() -> None:
    fake = Toy()
    fake.fail_next(503)
    fake.drop_next()
    form = {"grant_type": "client_credentials", "client_id": "toy-id"}
    form["client_secret"] = fake.issuer.client_secret

    with toy_http(fake) as http:
        issued = http.post("/oauth2/token", data=form)
        failed = http.post("/v1/acts", json={"text": "one"})
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v1/acts", json={"text": "two"})

    assert issued.status_code == 200
    assert failed.status_code == 503
    assert fake.acts == ["two"]


def test_a_fault_with_a_path_waits_for_a_request_to_that_path() -> None:
    fake = Toy()
    fake.fail_next(503, path="/v1/acts/")
    fake.fail_next(429)

    with toy_http(fake) as http:
        first = http.post("/v1/acts", json={"text": "one"})
        second = http.post("/v1/acts", json={"text": "two"})
        read = http.get("/v1/acts/1")
        again = http.get("/v1/acts/1")

    # The unpathed 429 took the first request; the 503 waited for the first read.
    assert [first.status_code, second.status_code] == [429, 201]
    assert [read.status_code, again.status_code] == [503, 200]
    assert fake.acts == ["two"]


def test_a_fault_with_a_path_can_land_on_the_token_endpoint() -> None:
    fake = Toy()
    fake.fail_next(503, path="/oauth2/token", body={"error": "temporarily_unavailable"})
    form = {"grant_type": "client_credentials", "client_id": "toy-id"}
    form["client_secret"] = fake.issuer.client_secret

    with toy_http(fake) as http:
        refused = http.post("/oauth2/token", data=form)
        issued = http.post("/oauth2/token", data=form)

    assert refused.status_code == 503
    assert refused.json() == {"error": "temporarily_unavailable"}
    assert issued.status_code == 200


def test_sqod_token_endpoint_503_is_retried_and_the_send_goes_out_once() -> None:
    fake = FakeSqod()
    fake.fail_next(503, path="/oauth2/token")

    http = httpx.Client(transport=fake.transport())
    options: dict[str, Any] = {"retry_policy": RetryPolicy.no_wait()}
    with SqodClient(
        base_url=fake.base_url, http_client=http, **fake.client_credentials, **options
    ) as sqod:
        sqod.appointments.send_message(fake.appointment_id, message="Hello")
    http.close()

    paths = [request.url.path for request in fake.requests]
    assert paths[:2] == ["/oauth2/token", "/oauth2/token"]
    assert [m.message for m in fake.messages] == ["Hello"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (503, "Service Unavailable"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (599, "Error"),
    ],
)
def test_fail_next_answers_in_the_vendor_format_without_acting(status: int, message: str) -> None:
    fake = Toy()
    fake.fail_next(status)

    with toy_http(fake) as http:
        response = http.post("/v1/acts", json={"text": "hello"})

    assert response.status_code == status
    assert response.json() == {"message": message}
    assert "retry-after" not in response.headers
    assert fake.acts == []
    assert fake.seen == []  # the handler never ran
    assert len(fake.requests) == 1


def test_fail_next_with_a_dict_body_answers_that_json() -> None:
    fake = Toy()
    fake.fail_next(429, body={"error": "slow_down", "detail": ["a", 1]})

    with toy_http(fake) as http:
        response = http.post("/v1/acts", json={"text": "hello"})

    assert response.status_code == 429
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "slow_down", "detail": ["a", 1]}
    assert fake.acts == []


def test_fail_next_with_a_str_body_answers_that_text() -> None:
    fake = Toy()
    fake.fail_next(502, body="<html>Bad Gateway</html>")

    with toy_http(fake) as http:
        response = http.get("/v1/acts/1")

    assert response.status_code == 502
    assert response.text == "<html>Bad Gateway</html>"


@pytest.mark.parametrize(("retry_after", "header"), [(0, "0"), (2, "2"), (2.0, "2"), (1.5, "1.5")])
def test_fail_next_retry_after_sets_the_header_in_seconds(retry_after: float, header: str) -> None:
    fake = Toy()
    fake.fail_next(429, retry_after=retry_after)

    with toy_http(fake) as http:
        response = http.post("/v1/acts", json={"text": "hello"})

    assert response.headers["retry-after"] == header
    assert response.json() == {"message": "Too Many Requests"}


@pytest.mark.parametrize("times", [0, -1])
@pytest.mark.parametrize("stage", ["fail", "drop", "timeout", "refuse", "delay"])
def test_staging_a_fault_for_no_requests_is_a_value_error(stage: str, times: int) -> None:
    fake = Toy()

    stagers: dict[str, Callable[[], None]] = {
        "fail": lambda: fake.fail_next(503, times=times),
        "drop": lambda: fake.drop_next(times=times),
        "timeout": lambda: fake.timeout_next(times=times),
        "refuse": lambda: fake.refuse_next(times=times),
        "delay": lambda: fake.delay_next(1.0, times=times),
    }

    with pytest.raises(ValueError, match="times must be 1 or more"):
        stagers[stage]()

    with toy_http(fake) as http:  # nothing was staged
        assert http.post("/v1/acts", json={"text": "hello"}).status_code == 201


def test_drop_next_acts_then_closes_without_an_answer() -> None:
    fake = Toy()
    fake.drop_next()

    with toy_http(fake) as http, pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/acts", json={"text": "hello"})

    assert fake.acts == ["hello"]
    assert len(fake.requests) == 1


def test_timeout_next_acts_then_times_out_at_once_in_memory() -> None:
    fake = Toy()
    fake.timeout_next()
    started = time.monotonic()

    with toy_http(fake, timeout=5.0) as http, pytest.raises(httpx.ReadTimeout):
        http.post("/v1/acts", json={"text": "hello"})

    assert time.monotonic() - started < 1.0  # simulated: nobody waits the 5 s
    assert fake.acts == ["hello"]


def test_refuse_next_does_nothing_and_is_not_recorded() -> None:
    fake = Toy()
    fake.refuse_next()

    with toy_http(fake) as http:
        with pytest.raises(httpx.ConnectError):
            http.post("/v1/acts", json={"text": "refused"})
        after = http.post("/v1/acts", json={"text": "accepted"})

    assert after.status_code == 201
    assert fake.acts == ["accepted"]
    assert [r.content for r in fake.requests] == [b'{"text":"accepted"}']


def test_delay_next_acts_and_answers_late() -> None:
    fake = Toy()
    fake.delay_next(0.1)
    started = time.monotonic()

    with toy_http(fake) as http:
        late = http.post("/v1/acts", json={"text": "late"})
        elapsed = time.monotonic() - started
        prompt = http.post("/v1/acts", json={"text": "prompt"})

    assert late.status_code == 201
    assert elapsed >= 0.1
    assert prompt.status_code == 201
    assert fake.acts == ["late", "prompt"]


def test_delay_at_least_the_read_timeout_times_out_at_once_after_acting() -> None:
    fake = Toy()
    fake.delay_next(30.0)
    started = time.monotonic()

    with toy_http(fake, timeout=0.5) as http, pytest.raises(httpx.ReadTimeout):
        http.post("/v1/acts", json={"text": "hello"})

    assert time.monotonic() - started < 0.4  # neither the 30 s delay nor the 0.5 s timeout
    assert fake.acts == ["hello"]  # the vendor acted; only its answer was too late


def test_delay_next_times_delays_that_many_requests() -> None:
    fake = Toy()
    fake.delay_next(0.1, times=2)
    elapsed: list[float] = []

    with toy_http(fake) as http:
        for text in ("a", "b", "c"):
            started = time.monotonic()
            http.post("/v1/acts", json={"text": text})
            elapsed.append(time.monotonic() - started)

    assert elapsed[0] >= 0.1
    assert elapsed[1] >= 0.1
    assert elapsed[2] < 0.1


# --- what the fake records ---------------------------------------------------------------------


def test_requests_records_every_request_that_reached_the_fake() -> None:
    fake = Toy()

    with toy_http(fake) as http:
        http.post("/v1/acts", json={"text": "ok"})
        fake.fail_next(503)
        http.post("/v1/acts", json={"text": "failed"})
        fake.drop_next()
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v1/acts", json={"text": "dropped"})
        fake.refuse_next()
        with pytest.raises(httpx.ConnectError):
            http.post("/v1/acts", json={"text": "refused"})
        http.get("/v1/acts/1", params={"q": "x"})
        http.get("/v1/unknown")

    assert [(r.method, str(r.url), r.content) for r in fake.requests] == [
        ("POST", "https://toy.test/v1/acts", b'{"text":"ok"}'),
        ("POST", "https://toy.test/v1/acts", b'{"text":"failed"}'),
        ("POST", "https://toy.test/v1/acts", b'{"text":"dropped"}'),
        ("GET", "https://toy.test/v1/acts/1?q=x", b""),
        ("GET", "https://toy.test/v1/unknown", b""),
    ]
    assert fake.acts == ["ok", "dropped"]


def test_requests_holds_streamed_bodies_read_whole() -> None:
    fake = Toy()

    def body() -> Any:
        yield b'{"text":'
        yield b'"streamed"}'

    with toy_http(fake) as http:
        http.post("/v1/acts", content=body(), headers={"Content-Type": "application/json"})

    assert fake.requests[0].content == b'{"text":"streamed"}'
    assert fake.acts == ["streamed"]


def test_repr_shows_no_credentials() -> None:
    toy = Toy()
    sqod = FakeSqod()
    with toy_http(toy) as http:
        http.get("/v1/unknown")

    assert repr(toy) == "Toy(base_url='https://toy.test', requests=1)"
    assert toy.token not in repr(toy)
    assert repr(sqod) == f"FakeSqod(base_url={DEFAULT_FAKE_BASE_URL!r}, requests=0)"
    assert sqod.token not in repr(sqod)
    assert sqod.client_credentials["client_secret"] not in repr(sqod)


# --- the async transport -----------------------------------------------------------------------


async def test_async_transport_answers_like_the_sync_one() -> None:
    fake = Toy()
    fake.fail_next(429, retry_after=1.5)

    async with toy_async_http(fake) as http:
        failed = await http.post("/v1/acts", json={"text": "one"})
        accepted = await http.post("/v1/acts", json={"text": "two"})
        missing = await http.get("/v1/nothing")

    assert (failed.status_code, failed.headers["retry-after"]) == (429, "1.5")
    assert accepted.json() == {"id": 1, "text": "two"}
    assert missing.json() == {"message": "The route /v1/nothing could not be found."}
    assert fake.acts == ["two"]


@pytest.mark.parametrize(
    ("stage", "raised", "acted"),
    [
        ("drop", httpx.RemoteProtocolError, True),
        ("timeout", httpx.ReadTimeout, True),
        ("refuse", httpx.ConnectError, False),
    ],
)
async def test_async_transport_loses_answers_as_staged(
    stage: str, raised: type[httpx.TransportError], acted: bool
) -> None:
    fake = Toy()
    {"drop": fake.drop_next, "timeout": fake.timeout_next, "refuse": fake.refuse_next}[stage]()

    async with toy_async_http(fake) as http:
        with pytest.raises(raised):
            await http.post("/v1/acts", json={"text": "hello"})

    assert fake.acts == (["hello"] if acted else [])
    assert len(fake.requests) == (1 if acted else 0)


async def test_async_transport_delay_does_not_block_the_event_loop() -> None:
    fake = Toy()
    fake.delay_next(0.2)
    finished: list[str] = []

    async with toy_async_http(fake) as http:

        async def post(text: str) -> None:
            await http.post("/v1/acts", json={"text": text})
            finished.append(text)

        started = time.monotonic()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(post, "slow")
            await anyio.sleep(0.05)  # the slow one is in its delay now
            tasks.start_soon(post, "fast")

    assert finished == ["fast", "slow"]
    assert 0.2 <= time.monotonic() - started < 0.5


async def test_async_delay_at_least_the_read_timeout_times_out_at_once() -> None:
    fake = Toy()
    fake.delay_next(30.0)
    started = time.monotonic()

    async with toy_async_http(fake, timeout=0.5) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/v1/acts", json={"text": "hello"})

    assert time.monotonic() - started < 0.4
    assert fake.acts == ["hello"]


# --- client() and async_client() ---------------------------------------------------------------


def test_client_is_a_real_authenticated_client_answered_by_the_fake() -> None:
    fake = Toy()

    with fake.client() as toy:
        act = toy.act("hello")
        again = toy.get(act.id)

    assert (act, again) == (Act(id=1, text="hello"), Act(id=1, text="hello"))
    assert fake.acts == ["hello"]
    assert fake.requests[0].headers["authorization"] == f"Bearer {fake.token}"


async def test_async_client_is_a_real_authenticated_client_answered_by_the_fake() -> None:
    fake = Toy()

    async with fake.async_client() as toy:
        act = await toy.act("hello")

    assert act == Act(id=1, text="hello")
    assert fake.acts == ["hello"]


def test_client_close_closes_the_httpx_client_it_made() -> None:
    fake = FakeSqod()
    sqod = fake.client()
    sqod.appointments.list()

    sqod.close()

    assert sqod._http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        sqod.appointments.list()


async def test_async_client_aclose_closes_the_httpx_client_it_made() -> None:
    fake = FakeSqod()
    sqod = fake.async_client()
    await sqod.appointments.list()

    await sqod.aclose()

    assert sqod._http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        await sqod.appointments.list()


def test_client_retries_without_sleeping_through_retry_after() -> None:
    fake = FakeSqod()
    fake.fail_next(429, retry_after=30, times=2)
    started = time.monotonic()

    with fake.client() as sqod:
        message = sqod.appointments.send_message(fake.appointment_id, message="Hello")

    assert time.monotonic() - started < 1.0  # two 30 s Retry-Afters, neither slept on
    assert message.message == "Hello"
    assert len(fake.requests) == 3
    assert [m.message for m in fake.messages] == ["Hello"]


async def test_async_client_retries_without_sleeping_through_retry_after() -> None:
    fake = FakeSqod()
    fake.fail_next(429, retry_after=30)
    started = time.monotonic()

    async with fake.async_client() as sqod:
        await sqod.appointments.send_message(fake.appointment_id, message="Hello")

    assert time.monotonic() - started < 1.0
    assert len(fake.requests) == 2


def test_client_gives_up_at_once_on_a_retry_after_beyond_the_cap() -> None:
    fake = FakeSqod()
    fake.fail_next(429, retry_after=61)  # RetryPolicy waits at most 60 s

    with fake.client() as sqod, pytest.raises(RateLimitError):
        sqod.appointments.send_message(fake.appointment_id, message="Hello")

    assert len(fake.requests) == 1
    assert fake.messages == []


def test_client_max_retries_is_honoured() -> None:
    fake = FakeSqod()
    fake.fail_next(503)

    with fake.client(max_retries=0) as sqod, pytest.raises(InternalServerError):
        sqod.appointments.list()

    assert len(fake.requests) == 1


def test_client_retry_policy_is_honoured_including_its_sleeps() -> None:
    fake = FakeSqod()
    fake.fail_next(503, retry_after=0.1, times=2)
    policy = RetryPolicy(max_retries=1)
    started = time.monotonic()

    with fake.client(retry_policy=policy) as sqod, pytest.raises(InternalServerError):
        sqod.appointments.list()

    assert time.monotonic() - started >= 0.1  # this policy does sleep on Retry-After
    assert len(fake.requests) == 2  # one retry, as the policy says, then the second 503


# --- FakeSqod + SqodClient: the faults as a user of a fake sees them ---------------------------


def test_sqod_delay_of_the_read_timeout_or_more_times_out_at_once() -> None:
    fake = FakeSqod()
    fake.delay_next(1.0)
    started = time.monotonic()

    with fake.client(timeout=1.0) as sqod, pytest.raises(OutcomeUnknownError):
        sqod.appointments.send_message(fake.appointment_id, message="Hello")

    assert time.monotonic() - started < 0.5
    assert [m.message for m in fake.messages] == ["Hello"]  # acted; the answer came too late


def test_sqod_faults_skip_the_token_fetch_of_client_credentials() -> None:
    fake = FakeSqod()
    fake.fail_next(503)

    http = httpx.Client(transport=fake.transport())
    with (
        SqodClient(
            base_url=fake.base_url, http_client=http, max_retries=0, **fake.client_credentials
        ) as sqod,
        pytest.raises(InternalServerError),
    ):
        sqod.appointments.send_message(fake.appointment_id, message="Hello")
    http.close()

    token_request, api_request = fake.requests
    assert str(token_request.url) == "https://auth.app.sqod.co.uk/oauth2/token"
    assert api_request.url.path.endswith("/messages")
    assert fake.messages == []


# --- mock(): respx routes the vendor's URLs into the fake --------------------------------------


def test_mock_routes_the_base_url_into_the_fake_and_yields_it() -> None:
    fake = Toy()
    headers = {"Authorization": f"Bearer {fake.token}"}

    with fake.mock() as url, httpx.Client(headers=headers) as http:
        response = http.post(url + "/v1/acts", json={"text": "hello"})

    assert url == TOY_URL
    assert response.status_code == 201
    assert fake.acts == ["hello"]


def test_mock_routes_the_extra_intercepted_urls_into_the_fake() -> None:
    fake = Toy()
    form = {"grant_type": "client_credentials", "client_id": "toy-id"}
    form["client_secret"] = fake.issuer.client_secret

    with fake.mock(), httpx.Client() as http:
        issued = http.post(TOY_TOKEN_URL, data=form)

    assert issued.status_code == 200
    assert fake.issuer.accepts(issued.json()["access_token"])


async def test_mock_works_for_async_clients() -> None:
    fake = Toy()
    headers = {"Authorization": f"Bearer {fake.token}"}

    with fake.mock() as url:
        async with httpx.AsyncClient(headers=headers) as http:
            response = await http.post(url + "/v1/acts", json={"text": "hello"})

    assert response.status_code == 201
    assert fake.acts == ["hello"]


async def test_mock_delay_does_not_block_the_event_loop_of_an_async_client() -> None:
    fake = Toy()
    fake.delay_next(0.2)
    finished: list[str] = []
    headers = {"Authorization": f"Bearer {fake.token}"}

    async def tick() -> None:
        await anyio.sleep(0.05)
        finished.append("tick")

    with fake.mock() as url:
        async with httpx.AsyncClient(headers=headers) as http:

            async def post() -> None:
                await http.post(url + "/v1/acts", json={"text": "slow"})
                finished.append("slow")

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(post)
                tasks.start_soon(tick)

    # As under async_transport(): the answer waits, the rest of the program does not.
    assert finished == ["tick", "slow"]


def test_mock_applies_staged_faults() -> None:
    fake = Toy()
    fake.drop_next()
    fake.delay_next(30.0)
    headers = {"Authorization": f"Bearer {fake.token}"}

    with fake.mock() as url, httpx.Client(headers=headers, timeout=0.5) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(url + "/v1/acts", json={"text": "dropped"})
        with pytest.raises(httpx.ReadTimeout):
            http.post(url + "/v1/acts", json={"text": "late"})

    assert fake.acts == ["dropped", "late"]


@pytest.mark.parametrize(
    "where",
    [
        "https://elsewhere.test/v1/acts",
        "https://auth.toy.test/other/path",  # only the token URL of that host is intercepted
    ],
)
def test_mock_refuses_other_urls_without_reaching_them(where: str) -> None:
    fake = Toy()

    with fake.mock(), httpx.Client() as http, pytest.raises(respx.models.AllMockedAssertionError):
        http.post(where, json={"text": "hello"})

    assert fake.requests == []


def test_mock_stops_other_hosts_before_the_network_and_unpatches_on_exit() -> None:
    fake = Toy()
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/v1/acts"

    with httpx.Client() as http:
        with fake.mock(), pytest.raises(respx.models.AllMockedAssertionError):
            http.get(closed)  # stopped by respx: no connection was even tried
        with pytest.raises(httpx.ConnectError):
            http.get(closed)  # after the block httpx really connects again

    assert fake.requests == []


def test_mock_does_not_intercept_a_lookalike_host() -> None:
    fake = Toy()

    with fake.mock(), httpx.Client() as http, pytest.raises(respx.models.AllMockedAssertionError):
        http.post("https://toy.test.example.com/v1/acts", json={"text": "hello"})

    assert fake.requests == []


def test_mock_lets_a_default_sqod_client_fetch_its_token_and_call() -> None:
    fake = FakeSqod()

    with fake.mock() as url, SqodClient(base_url=url, **fake.client_credentials) as sqod:
        sqod.appointments.send_message(fake.appointment_id, message="Hello")

    token_request, _ = fake.requests
    assert str(token_request.url) == "https://auth.app.sqod.co.uk/oauth2/token"
    assert [m.message for m in fake.messages] == ["Hello"]


async def test_mock_lets_a_default_async_sqod_client_call() -> None:
    fake = FakeSqod()

    with fake.mock() as url:
        async with AsyncSqodClient(base_url=url, **fake.credentials) as sqod:
            await sqod.appointments.send_message(fake.appointment_id, message="Hello")

    assert [m.message for m in fake.messages] == ["Hello"]
