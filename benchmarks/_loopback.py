"""The loopback server: a minimal ASGI app under uvicorn, replaying the recorded answers.

It runs in its own process (so it never competes with the clients for the GIL) and does the
same trivial work for every client: read the body, look the answer up, write it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._cases import Replay

__all__ = ["app", "uvicorn_server"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

_ANSWERS: dict[tuple[str, str], tuple[int, bytes, list[tuple[bytes, bytes]]]] = {}


def _load() -> None:
    path = os.environ.get("BENCH_ANSWERS")
    if path and not _ANSWERS:
        for (method, route), answer in Replay.from_json(Path(path).read_text()).answers.items():
            headers = [(b"content-type", answer.content_type.encode())]
            _ANSWERS[method, route] = (answer.status, answer.body, headers)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer from the recorded answers; 404 for anything not recorded."""
    if scope["type"] != "http":
        return
    _load()
    while (await receive()).get("more_body"):
        pass
    status, body, headers = _ANSWERS.get((scope["method"], scope["path"]), (404, b"{}", []))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(replay: Replay) -> Iterator[str]:
    """Serve `replay` on 127.0.0.1 under uvicorn (httptools, no access log); yields the URL."""
    port = _free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as answers:
        answers.write(replay.as_json())
    command = [
        sys.executable, "-m", "uvicorn", "benchmarks._loopback:app", "--host", "127.0.0.1",
        "--port", str(port), "--http", "httptools", "--loop", "asyncio", "--lifespan", "off",
        "--no-access-log", "--log-level", "warning", "--backlog", "4096",
        # Keep idle connections for the whole run: a pool must not meet closed ones mid-round.
        "--timeout-keep-alive", "3600",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_ANSWERS": answers.name}
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(command, env=env, cwd=root)
    try:
        _wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        os.unlink(answers.name)


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.05)
        else:
            return
    raise RuntimeError("uvicorn did not start within 30 s")
