"""A fake served over real sockets: a threaded HTTP/1.1 server on 127.0.0.1 and a free port.

Each connection gets a thread; the fake decides each request (`FakeServer.handle`) and this
module carries the decision out on the wire: answer, answer late, close without answering, or
hold the connection until the client gives up.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from ._reply import Reply

__all__ = ["serve"]

_HOP_BY_HOP = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive"})
_LONGEST_HANG = 120.0  # a timeout fault never outlives the server, nor two minutes


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, decide: Callable[[httpx.Request], Reply]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.decide = decide
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def opened(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self.connections.add(connection)

    def closed(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self.connections.discard(connection)

    def stop(self) -> None:
        # Kept-alive connections would go on being served by their threads: cut them too.
        self.stopping.set()
        self.shutdown()
        self.server_close()
        with self._connections_lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        return None  # the fake records requests itself; stderr noise helps nobody

    def setup(self) -> None:
        super().setup()
        self.server.opened(self.connection)

    def finish(self) -> None:
        self.server.closed(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def _handle(self) -> None:
        request = self._read_request()
        if self.server.stopping.is_set():
            self.close_connection = True
            return
        reply = self.server.decide(request)
        if reply.lost == "refuse":
            self._reset()
            return
        if reply.delay:
            time.sleep(reply.delay)
        if reply.lost == "timeout":
            self.server.stopping.wait(_LONGEST_HANG)
        if reply.lost is not None or reply.response is None:
            self.close_connection = True
            return
        self._write(reply.response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def _read_request(self) -> httpx.Request:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._read_chunked()
        else:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
        host, port = self.server.server_address[:2]
        url = f"http://{host!s}:{port}{self.path}"
        headers = [(k, v) for k, v in self.headers.items() if k.lower() != "transfer-encoding"]
        return httpx.Request(self.command, url, headers=headers, content=body)

    def _read_chunked(self) -> bytes:
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline().strip():  # trailers
            pass
        return b"".join(chunks)

    def _write(self, response: httpx.Response) -> None:
        body = response.content
        with contextlib.suppress(OSError):  # the client may have given up already
            self.send_response(response.status_code)
            for name, value in response.headers.multi_items():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    def _reset(self) -> None:
        # An immediate RST: the nearest a server can come to refusing an accepted connection.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


@contextmanager
def serve(decide: Callable[[httpx.Request], Reply]) -> Iterator[str]:
    """Serve `decide` on 127.0.0.1 until the block ends; yields `http://127.0.0.1:<port>`."""
    server = _Server(decide)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stop()
        thread.join()
