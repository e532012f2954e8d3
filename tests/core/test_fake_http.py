"""`serve()`: a fake over real sockets on 127.0.0.1, where httpx raises its real exceptions.

Most tests share one server per module (`_fake_http.serve`, the machinery behind
`FakeServer.serve()`) that hands each request to the current test's fake; the tests of the
server's own life (its URL, its port, its exit) each run `fake.serve()` itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
import pytest

from client_core.testing import FakeServer, Reply, read_form
from client_core.testing._http import serve
from tests.core.test_fake_server import LaravelToy, Toy

pytestmark = pytest.mark.anyio


@dataclass
class Switchboard:
    """One served port for the module; each test plugs its own fake in."""

    url: str = ""
    fake: FakeServer[Any, Any] = field(default_factory=Toy)

    def decide(self, request: httpx.Request) -> Reply:
        return self.fake.handle(request)


@pytest.fixture(scope="module")
def switchboard() -> Iterator[Switchboard]:
    board = Switchboard()
    with serve(board.decide) as url:
        board.url = url
        yield board


@pytest.fixture
def toy(switchboard: Switchboard) -> tuple[Toy, str]:
    """A fresh toy vendor answering on the shared server, and the server's URL."""
    fake = LaravelToy()
    switchboard.fake = fake
    return fake, switchboard.url


def toy_client(fake: Toy, url: str, **options: Any) -> httpx.Client:
    headers = {"Authorization": f"Bearer {fake.token}"}
    return httpx.Client(base_url=url, headers=headers, **options)


# --- the server's own life ---------------------------------------------------------------------


def test_serve_yields_a_loopback_url_that_answers_and_closes_its_port_after() -> None:
    fake = Toy()

    with fake.serve() as url, toy_client(fake, url) as http:
        response = http.post("/v1/acts", json={"text": "hello"})

    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    assert response.status_code == 201
    assert response.json() == {"id": 1, "text": "hello"}
    with httpx.Client() as fresh, pytest.raises(httpx.ConnectError):
        fresh.get(url + "/v1/acts/1")


def test_serve_stops_cleanly_while_a_timeout_fault_holds_a_connection() -> None:
    fake = Toy()
    fake.timeout_next()
    started = time.monotonic()

    with fake.serve() as url, toy_client(fake, url, timeout=0.3) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.post("/v1/acts", json={"text": "hello"})
        timed_out = time.monotonic() - started

    assert 0.3 <= timed_out < 1.0
    assert time.monotonic() - started < 2.0  # the held connection did not hold up the exit
    assert fake.acts == ["hello"]  # acted before going silent


def test_serve_exits_promptly() -> None:
    fake = Toy()

    with fake.serve() as url, toy_client(fake, url) as http:
        http.get("/v1/unknown")
        started = time.monotonic()

    # Every test using serve() pays this; the server loop should notice shutdown quickly.
    assert time.monotonic() - started < 0.25


def test_serve_stops_answering_kept_alive_connections_at_block_exit() -> None:
    fake = Toy()

    with toy_client(fake, "http://unused.invalid") as http:
        with fake.serve() as url:
            assert http.get(url + "/v1/unknown").status_code == 404
        with pytest.raises(httpx.TransportError):
            http.get(url + "/v1/unknown")  # the pooled connection to the stopped server

    assert len(fake.requests) == 1


# --- requests over the wire --------------------------------------------------------------------


def test_json_body_arrives_intact_and_is_recorded(toy: tuple[Toy, str]) -> None:
    fake, url = toy

    with toy_client(fake, url) as http:
        response = http.post("/v1/acts", json={"text": "héllo ✓"}, params={"x": "1"})

    assert response.status_code == 201
    assert fake.acts == ["héllo ✓"]
    [recorded] = fake.requests
    assert recorded.method == "POST"
    assert recorded.url == httpx.URL(url + "/v1/acts?x=1")
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.content == '{"text":"héllo ✓"}'.encode()


def test_multipart_body_arrives_intact(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.acts.append("first")
    blob = bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n"

    with toy_client(fake, url) as http:
        response = http.post(
            "/v1/acts/1",
            params={"_method": "PATCH"},
            data={"text": "edited"},
            files={"upload": ("scan.pdf", blob, "application/pdf")},
        )

    assert response.status_code == 200
    assert fake.acts == ["edited"]
    fields, files = read_form(fake.requests[0])
    assert fields == [("text", "edited")]
    [upload] = files
    assert (upload.field, upload.filename, upload.content_type) == (
        "upload",
        "scan.pdf",
        "application/pdf",
    )
    assert upload.content == blob


def test_chunked_request_body_is_read_whole(toy: tuple[Toy, str]) -> None:
    fake, url = toy

    def body() -> Iterator[bytes]:
        yield b'{"text":'
        yield b'"chunked"'
        yield b"}"

    with toy_client(fake, url) as http:
        response = http.post(
            "/v1/acts", content=body(), headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 201
    assert fake.acts == ["chunked"]
    [recorded] = fake.requests
    assert recorded.content == b'{"text":"chunked"}'
    assert "transfer-encoding" not in recorded.headers


def test_two_requests_share_one_kept_alive_connection(toy: tuple[Toy, str]) -> None:
    fake, url = toy

    with toy_client(fake, url) as http:
        first = http.post("/v1/acts", json={"text": "one"})
        first_port = first.extensions["network_stream"].get_extra_info("client_addr")
        second = http.get("/v1/acts/1")
        second_port = second.extensions["network_stream"].get_extra_info("client_addr")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"id": 1, "text": "one"}
    assert first_port == second_port


def test_errors_and_fault_headers_arrive_as_the_vendor_sends_them(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.fail_next(429, retry_after=1.5)

    with toy_client(fake, url) as http:
        limited = http.post("/v1/acts", json={"text": "one"})
        missing = http.get("/v1/nothing")
        head = http.head("/v1/acts")

    assert (limited.status_code, limited.headers["retry-after"]) == (429, "1.5")
    assert limited.json() == {"message": "Too Many Requests"}
    assert missing.status_code == 404
    assert missing.json() == {"message": "The route /v1/nothing could not be found."}
    assert (head.status_code, head.content) == (405, b"")
    assert fake.acts == []


def test_token_endpoint_is_served_and_skips_faults(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.fail_next(503)
    form = {"grant_type": "client_credentials", "client_id": "toy-id"}
    form["client_secret"] = fake.issuer.client_secret

    with httpx.Client(base_url=url) as http:
        token = http.post("/oauth2/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        failed = http.post("/v1/acts", json={"text": "one"}, headers=headers)
        accepted = http.post("/v1/acts", json={"text": "two"}, headers=headers)

    assert (failed.status_code, accepted.status_code) == (503, 201)
    assert fake.acts == ["two"]


# --- faults over the wire ----------------------------------------------------------------------


def test_drop_next_acts_then_hangs_up(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.drop_next()

    with toy_client(fake, url) as http:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post("/v1/acts", json={"text": "dropped"})
        after = http.post("/v1/acts", json={"text": "after"})

    assert after.status_code == 201
    assert fake.acts == ["dropped", "after"]


def test_refuse_next_closes_unread_without_acting(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.refuse_next()

    with toy_client(fake, url) as http:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post("/v1/acts", json={"text": "refused"})
        after = http.post("/v1/acts", json={"text": "after"})

    assert after.status_code == 201
    assert fake.acts == ["after"]
    assert [r.content for r in fake.requests] == [b'{"text":"after"}']


def test_delay_next_answers_late(toy: tuple[Toy, str]) -> None:
    fake, url = toy
    fake.delay_next(0.2)
    started = time.monotonic()

    with toy_client(fake, url, timeout=2.0) as http:
        response = http.post("/v1/acts", json={"text": "late"})

    assert time.monotonic() - started >= 0.2
    assert response.status_code == 201
    assert fake.acts == ["late"]


async def test_a_delayed_answer_does_not_hold_up_other_connections(
    toy: tuple[Toy, str],
) -> None:
    fake, url = toy
    fake.delay_next(0.2)
    finished: list[str] = []
    headers = {"Authorization": f"Bearer {fake.token}"}

    async with httpx.AsyncClient(base_url=url, headers=headers) as http:

        async def post(text: str) -> None:
            await http.post("/v1/acts", json={"text": text})
            finished.append(text)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(post, "slow")
            await anyio.sleep(0.05)
            tasks.start_soon(post, "fast")

    assert finished == ["fast", "slow"]
    assert fake.acts == ["slow", "fast"]  # the slow one acted first, then waited to answer
