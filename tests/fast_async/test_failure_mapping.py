"""What the fast path's failures mean: never sent, or sent and lost (unlike httpx-aiohttp's map)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import httpx
import pytest

from client_core import AiohttpClient
from client_core._aiohttp import AiohttpTransport, translate

pytestmark = pytest.mark.anyio

REQUEST = httpx.Request("POST", "https://api.test/v1/messages/send")


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        # httpx-aiohttp as published turns every one of these into ConnectTimeout ("never sent").
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ClientOSError(104, "reset by peer"), httpx.ReadError),
        (aiohttp.ClientPayloadError("truncated"), httpx.ReadError),
        # Before the request left.
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (aiohttp.InvalidURL("ftp://x"), httpx.UnsupportedProtocol),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value.__name__,
)
def test_each_aiohttp_failure_is_the_httpx_error_it_means(
    theirs: Exception, ours: type[httpx.TransportError]
) -> None:
    mapped = translate(theirs, REQUEST)

    assert type(mapped) is ours
    assert mapped.request is REQUEST


def test_nothing_read_from_an_answer_is_taken_for_never_sent() -> None:
    mapped = translate(aiohttp.ConnectionTimeoutError("late"), REQUEST, sent=True)

    assert not isinstance(mapped, httpx.ConnectTimeout)


@contextmanager
def never_reading() -> Iterator[str]:
    """A server that accepts connections and never reads from them."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for sock in held:
            sock.close()
        listener.close()


@pytest.mark.parametrize("path", ["httpx", "aiohttp"])
async def test_a_body_the_server_will_not_take_times_out_on_write(path: str) -> None:
    timeout = httpx.Timeout(5.0, write=0.3)
    http = (
        AiohttpClient(timeout=timeout) if path == "aiohttp" else httpx.AsyncClient(timeout=timeout)
    )
    body = b"x" * (64 * 1024 * 1024)  # far more than the loopback socket buffers hold
    with never_reading() as url:
        async with http:
            with pytest.raises(httpx.WriteTimeout):
                await http.post(url + "/upload", content=body)


async def test_the_fast_path_keeps_no_cookies_of_its_own() -> None:
    async with AiohttpClient() as http:
        transport = http._transport
        assert isinstance(transport, AiohttpTransport)
        session = transport.get_client()
        try:
            assert isinstance(session.cookie_jar, aiohttp.DummyCookieJar)
        finally:
            await session.close()
