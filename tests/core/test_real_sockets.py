"""The failure rules over real sockets on 127.0.0.1, where httpx raises its real exceptions."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from sqod_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncSqodClient,
    OutcomeUnknownError,
    RetryPolicy,
    SqodClient,
)
from tests.conftest import APPOINTMENT_ID, resolve

pytestmark = pytest.mark.anyio

Behaviour = Callable[[socket.socket], None]


def answer(sock: socket.socket) -> None:
    body = b'{"data":{"message":"Hello"}}'
    head = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
    sock.sendall(head + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)


def hang_up(sock: socket.socket) -> None:
    sock.shutdown(socket.SHUT_RDWR)


def stall(sock: socket.socket) -> None:
    time.sleep(0.5)


@contextmanager
def serve(behaviour: Behaviour) -> Iterator[tuple[str, list[bytes]]]:
    """A one-purpose HTTP server: read each request whole, then `behaviour` decides the answer."""
    received: list[bytes] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = self.request.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:
                body += self.request.recv(65536)
            received.append(head.split(b"\r\n")[0])
            behaviour(self.request)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a stalled handler must not hold the test up
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def make(twin: str, base_url: str, **options: Any) -> Any:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    cls = SqodClient if twin == "sync" else AsyncSqodClient
    return cls(base_url=base_url, token="t", **options)


async def test_an_answered_send_over_a_real_socket(twin: str) -> None:
    with serve(answer) as (url, received):
        client = make(twin, url)
        message = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hi"))

    assert message.message == "Hello"
    assert received == [f"POST /api/v1/appointments/{APPOINTMENT_ID}/messages HTTP/1.1".encode()]


async def test_a_send_the_server_hangs_up_on_is_not_repeated(twin: str) -> None:
    with serve(hang_up) as (url, received):
        client = make(twin, url)
        with pytest.raises(OutcomeUnknownError, match="may or may not have been sent"):
            await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hi"))

    assert len(received) == 1


async def test_a_send_whose_answer_times_out_is_not_repeated(twin: str) -> None:
    with serve(stall) as (url, received):
        client = make(twin, url, timeout=httpx.Timeout(0.2, connect=2.0))
        with pytest.raises(OutcomeUnknownError):
            await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hi"))

    assert len(received) == 1


async def test_a_list_whose_answer_times_out_is_repeated(twin: str) -> None:
    with serve(stall) as (url, received):
        client = make(twin, url, timeout=httpx.Timeout(0.2, connect=2.0))
        with pytest.raises(APITimeoutError):
            await resolve(client.appointments.list())

    assert len(received) == 3


async def test_a_refused_connection_is_retried_even_for_a_send(twin: str) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make(twin, f"http://127.0.0.1:{port}")

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Hi"))

    assert not isinstance(caught.value, OutcomeUnknownError)
    assert caught.value.sent is False
