"""Every httpx exception the transport can raise, row by row: which of our errors, and retried?

A send without a dedup key is repeated only when the request provably never left this machine;
a safe call (a GET, or Loop's send with its dedup key) is repeated after any transport failure.
With the default two retries a repeated call reaches the transport three times.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from client_core import APIConnectionError, APITimeoutError, OutcomeUnknownError, raw_response
from tests.conftest import Script, resolve
from tests.contract.vendors import Vendor

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Row:
    failure: type[httpx.RequestError]
    sent: bool
    """Whether the request may have reached the vendor (`error.sent`)."""
    send_error: type[APIConnectionError]
    send_requests: int
    safe_error: type[APIConnectionError]
    safe_requests: int


NEVER_LEFT = [
    Row(httpx.ConnectError, False, APIConnectionError, 3, APIConnectionError, 3),
    Row(httpx.ConnectTimeout, False, APITimeoutError, 3, APITimeoutError, 3),
    Row(httpx.PoolTimeout, False, APITimeoutError, 3, APITimeoutError, 3),
    Row(httpx.ProxyError, False, APIConnectionError, 3, APIConnectionError, 3),
    Row(httpx.UnsupportedProtocol, False, APIConnectionError, 3, APIConnectionError, 3),
    Row(httpx.LocalProtocolError, False, APIConnectionError, 3, APIConnectionError, 3),
]
MAY_HAVE_ARRIVED = [
    Row(httpx.ReadTimeout, True, OutcomeUnknownError, 1, APITimeoutError, 3),
    Row(httpx.WriteTimeout, True, OutcomeUnknownError, 1, APITimeoutError, 3),
    Row(httpx.TimeoutException, True, OutcomeUnknownError, 1, APITimeoutError, 3),
    Row(httpx.ReadError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.WriteError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.CloseError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.NetworkError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.RemoteProtocolError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.ProtocolError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.TransportError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.DecodingError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.TooManyRedirects, True, OutcomeUnknownError, 1, APIConnectionError, 3),
    Row(httpx.RequestError, True, OutcomeUnknownError, 1, APIConnectionError, 3),
]
TABLE = NEVER_LEFT + MAY_HAVE_ARRIVED


def all_request_errors() -> set[type[httpx.RequestError]]:
    found: set[type[httpx.RequestError]] = set()
    pending: list[type[httpx.RequestError]] = [httpx.RequestError]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("httpx"):
            found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_the_table_has_a_row_for_every_httpx_request_error() -> None:
    assert {row.failure for row in TABLE} == all_request_errors()


@pytest.mark.parametrize("row", TABLE, ids=[row.failure.__name__ for row in TABLE])
@pytest.mark.parametrize("kind", ["send", "read"])
async def test_a_transport_failure_row(vendor: Vendor, twin: str, kind: str, row: Row) -> None:
    safe = kind == "read" or vendor.dedup
    expected, requests = (
        (row.safe_error, row.safe_requests) if safe else (row.send_error, row.send_requests)
    )
    script = Script(row.failure)
    client = vendor.build(twin, script)
    fake = vendor.fake()

    with pytest.raises(APIConnectionError) as caught:
        await resolve(vendor.call(kind, client))

    error = caught.value
    assert type(error) is expected
    assert error.sent is row.sent
    assert len(script.requests) == requests
    assert isinstance(error.__cause__, row.failure)
    assert row.failure.__name__ in str(error)
    assert ("may or may not have been sent" in str(error)) is (expected is OutcomeUnknownError)
    if kind == "send":
        assert vendor.send_path(fake) in str(error)
    assert len({bytes(r.read()) for r in script.requests}) == 1  # every attempt the same bytes


@pytest.mark.parametrize("row", NEVER_LEFT, ids=[row.failure.__name__ for row in NEVER_LEFT])
async def test_a_send_that_never_left_is_retried_and_succeeds(
    vendor: Vendor, twin: str, row: Row
) -> None:
    script = Script(row.failure, row.failure, vendor.send_ok())
    client = vendor.build(twin, script)

    result = await resolve(vendor.send(client, vendor.fake()))

    assert raw_response(result).retries_taken == 2
    first = script.requests[0]
    for request in script.requests[1:]:
        assert (request.method, request.url, request.content) == (
            first.method,
            first.url,
            first.content,
        )
        for header, value in vendor.wire(vendor.credentials).items():
            assert request.headers[header] == value
