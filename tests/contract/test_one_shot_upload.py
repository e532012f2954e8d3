"""A retried upload from a file that can be read only once sends the same bytes every attempt.

Only real sockets can show this: `httpx.MockTransport` reads the body itself and so hides a
retry that would send a drained stream. SQOD's `update(files=...)` is a PATCH, safe to repeat.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from client_core import RetryPolicy, raw_response
from sqod_client import AsyncSqodClient, SqodClient
from sqod_client.testing import FakeSqod

pytestmark = pytest.mark.anyio

LETTER = b"%PDF-1.4 " + bytes(range(256)) * 800  # past httpx's 64 KiB chunk size


class _OnceRaw(io.RawIOBase):
    """A pipe-like source: its bytes come out once, and it cannot seek back."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), len(self._data))
        buffer[:size], self._data = self._data[:size], self._data[size:]
        return size


def one_shot(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(_OnceRaw(data))


def test_the_one_shot_reader_really_reads_only_once() -> None:
    reader = one_shot(b"abc")

    assert reader.read() == b"abc"
    with pytest.raises(io.UnsupportedOperation):
        reader.seek(0)
    assert reader.read() == b""


@pytest.mark.parametrize("fault", ["fail_503", "drop"])
async def test_a_retried_upload_sends_the_same_bytes_over_real_sockets(
    twin: str, fault: str
) -> None:
    fake = FakeSqod()
    if fault == "drop":
        fake.drop_next()
    else:
        fake.fail_next(503)
    files = {"letter": ("letter.pdf", one_shot(LETTER), "application/pdf")}
    options: Any = {"timeout": 2, "retry_policy": RetryPolicy.no_wait(), **fake.credentials}
    with fake.serve() as url:
        if twin == "sync":
            with SqodClient(base_url=url, **options) as client:
                result = client.appointments.update(
                    fake.appointment_id, status="waiting", files=files
                )
        else:
            async with AsyncSqodClient(base_url=url, **options) as async_client:
                result = await async_client.appointments.update(
                    fake.appointment_id, status="waiting", files=files
                )

    assert raw_response(result).retries_taken == 1
    first, retry = fake.requests
    assert LETTER in first.content
    assert retry.content == first.content
    assert retry.url == first.url
    assert fake.appointments[fake.appointment_id].status == "waiting"
