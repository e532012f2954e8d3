"""Which failures are retried, how long the client waits, and what it raises when it stops."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from client_core import raw_response
from client_core._errors import status_error
from sqod_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    Appointment,
    InternalServerError,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
)
from tests.conftest import (
    APPOINTMENT_ID,
    Script,
    SqodFactory,
    appointment_json,
    resolve,
)

pytestmark = pytest.mark.anyio


def _status(status: int, headers: dict[str, str] | None = None) -> APIStatusError:
    request = httpx.Request("GET", "https://x.test/")
    return status_error(httpx.Response(status, headers=headers, request=request))


def _list_page(ids: tuple[str, ...] = ("a",)) -> httpx.Response:
    return httpx.Response(200, json={"data": [{"id": i} for i in ids], "links": {"next": None}})


async def _idempotent_call(client: Any, call: str) -> Any:
    if call == "list":
        return await resolve(client.appointments.list())
    return await resolve(client.appointments.update(APPOINTMENT_ID, status="waiting"))


# --- RetryPolicy on its own (pure) -------------------------------------------------------------

ErrorFactory = Callable[[], BaseException]

SHOULD_RETRY_TABLE: list[tuple[str, ErrorFactory, bool, bool]] = [
    # name, error, retried when idempotent, retried when not idempotent
    ("connect-failed-not-sent", lambda: APIConnectionError("refused", sent=False), True, True),
    ("read-timeout-sent", lambda: APITimeoutError("read timeout", sent=True), True, False),
    ("dropped-after-send", lambda: APIConnectionError("dropped", sent=True), True, False),
    ("outcome-unknown", lambda: OutcomeUnknownError("lost", sent=True), False, False),
    ("429", lambda: _status(429), True, True),
    ("500", lambda: _status(500), True, False),
    ("502", lambda: _status(502), True, False),
    ("503", lambda: _status(503), True, False),
    ("504", lambda: _status(504), True, False),
    ("408", lambda: _status(408), True, False),
    ("400", lambda: _status(400), False, False),
    ("401", lambda: _status(401), False, False),
    ("404", lambda: _status(404), False, False),
    ("409", lambda: _status(409), False, False),
    ("422", lambda: _status(422), False, False),
    ("not-an-api-error", lambda: RuntimeError("bug"), False, False),
]


@pytest.mark.parametrize(
    ("make_error", "when_idempotent", "when_not_idempotent"),
    [pytest.param(f, i, n, id=name) for name, f, i, n in SHOULD_RETRY_TABLE],
)
async def test_should_retry_table(
    make_error: ErrorFactory, when_idempotent: bool, when_not_idempotent: bool
) -> None:
    policy = RetryPolicy()

    assert policy.should_retry(make_error(), idempotent=True) is when_idempotent
    assert policy.should_retry(make_error(), idempotent=False) is when_not_idempotent


async def test_delay_uses_retry_after_seconds() -> None:
    policy = RetryPolicy()

    assert policy.delay(_status(503, {"Retry-After": "7"}), 1) == pytest.approx(7.0)
    assert policy.delay(_status(429, {"Retry-After": "0"}), 3) == pytest.approx(0.0)


async def test_delay_uses_retry_after_http_date() -> None:
    when = datetime.now(UTC) + timedelta(seconds=20)
    error = _status(503, {"Retry-After": format_datetime(when, usegmt=True)})

    # The HTTP date has whole seconds only; allow for that and for the test's own run time.
    assert 18.0 <= RetryPolicy().delay(error, 1) <= 20.5


async def test_retry_after_ms_takes_precedence_over_retry_after() -> None:
    error = _status(503, {"retry-after-ms": "250", "Retry-After": "30"})

    assert RetryPolicy().delay(error, 1) == pytest.approx(0.25)


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "61"}, {"retry-after-ms": "120000"}, {"Retry-After": "120"}],
    ids=["seconds-61", "ms-120000", "seconds-120"],
)
async def test_retry_after_above_the_cap_is_not_retried(
    status: int, headers: dict[str, str]
) -> None:
    policy = RetryPolicy()

    assert policy.should_retry(_status(status, headers), idempotent=True) is False
    assert policy.should_retry(_status(status, {"Retry-After": "60"}), idempotent=True) is True


async def test_retry_after_cap_is_configurable() -> None:
    error = _status(503, {"Retry-After": "90"})

    assert RetryPolicy(max_retry_after=120).should_retry(error, idempotent=True) is True
    assert RetryPolicy(max_retry_after=120).delay(error, 1) == pytest.approx(90.0)


async def test_backoff_grows_exponentially_within_jitter_bounds_and_cap() -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=5.0)
    expected_full = {1: 1.0, 2: 2.0, 3: 4.0, 4: 5.0, 5: 5.0, 10: 5.0}

    for attempt, full in expected_full.items():
        samples = [policy.delay(None, attempt) for _ in range(200)]
        assert all(full / 2 <= s <= full for s in samples), (attempt, min(samples), max(samples))
        assert len(set(samples)) > 1, "jitter: delays must vary between calls"
    # A status error without Retry-After falls back to the same backoff.
    assert 0.5 <= policy.delay(_status(503), 1) <= 1.0


async def test_default_backoff_stays_under_max_backoff() -> None:
    policy = RetryPolicy()

    assert all(0 < policy.delay(None, attempt) <= 8.0 for attempt in range(1, 30))


@pytest.mark.parametrize(
    "options",
    [{"max_retries": -1}, {"initial_backoff": -1}, {"max_backoff": -1}, {"max_retry_after": -1}],
)
async def test_policy_refuses_negative_settings(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        RetryPolicy(**options)


# --- Through both twins ------------------------------------------------------------------------


async def test_503_then_200_on_patch_repeats_the_same_body(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(503), httpx.Response(200, json=appointment_json()))
    client = make_sqod(script)

    result = await resolve(
        client.appointments.update(APPOINTMENT_ID, status="waiting", duration_in_minutes=45)
    )

    first, second = script.requests
    assert first.method == second.method == "PATCH"
    assert first.url == second.url
    assert first.content == second.content
    assert b'"duration_in_minutes":45' in second.content
    assert isinstance(result, Appointment)
    assert raw_response(result).retries_taken == 1


async def test_multipart_patch_retry_sends_the_same_bytes(make_sqod: SqodFactory) -> None:
    script = Script(httpx.ReadTimeout, httpx.Response(200, json=appointment_json()))
    client = make_sqod(script)

    await resolve(
        client.appointments.update(
            APPOINTMENT_ID, status="waiting", files={"document": ("a.pdf", b"%PDF-1.4", "x/y")}
        )
    )

    first, second = script.requests
    assert first.content == second.content
    assert b"%PDF-1.4" in second.content


@pytest.mark.parametrize("call", ["list", "update"])
@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_lost_answer_on_idempotent_call_is_retried(
    make_sqod: SqodFactory, call: str, failure: type[httpx.TransportError]
) -> None:
    ok = _list_page() if call == "list" else httpx.Response(200, json=appointment_json())
    script = Script(failure, ok)
    client = make_sqod(script)

    result = await _idempotent_call(client, call)

    assert len(script.requests) == 2
    assert raw_response(result).retries_taken == 1


@pytest.mark.parametrize("call", ["list", "update"])
async def test_timeouts_every_time_raise_api_timeout_error(
    make_sqod: SqodFactory, call: str
) -> None:
    script = Script(httpx.ReadTimeout)
    client = make_sqod(script)

    with pytest.raises(APITimeoutError) as caught:
        await _idempotent_call(client, call)

    assert len(script.requests) == 3
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


async def test_retry_after_is_logged_as_the_wait(
    make_sqod: SqodFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sqod_client")
    script = Script(httpx.Response(503, headers={"Retry-After": "3"}), _list_page())
    client = make_sqod(script)

    started = time.monotonic()
    await resolve(client.appointments.list())
    elapsed = time.monotonic() - started

    assert elapsed < 1.0  # no_wait(): the 3 s are logged, not slept
    retry_lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "sqod_client" and r.levelno == logging.INFO
    ]
    assert len(retry_lines) == 1
    assert "retrying in 3.00 s" in retry_lines[0]
    assert "503" in retry_lines[0]
    assert "/api/v1/appointments" in retry_lines[0]


async def test_retry_after_ms_is_really_waited_for(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(503, headers={"retry-after-ms": "150"}), _list_page())
    client = make_sqod(script, retry_policy=RetryPolicy(max_retries=1))

    started = time.monotonic()
    page = await resolve(client.appointments.list())
    elapsed = time.monotonic() - started

    assert len(script.requests) == 2
    assert raw_response(page).retries_taken == 1
    assert 0.14 <= elapsed < 2.0


async def test_with_options_max_retries_zero_disables_retries(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(503), httpx.Response(503), _list_page())
    client = make_sqod(script)

    with pytest.raises(InternalServerError):
        await resolve(client.with_options(max_retries=0).appointments.list())
    assert len(script.requests) == 1

    # The original client keeps its own retries.
    page = await resolve(client.appointments.list())
    assert len(script.requests) == 3
    assert raw_response(page).retries_taken == 1


async def test_exhausted_retries_raise_our_last_error_not_tenacitys(make_sqod: SqodFactory) -> None:
    import tenacity

    script = Script(httpx.Response(503, headers={"x-request-id": "req-last"}))
    client = make_sqod(script)

    with pytest.raises(InternalServerError) as caught:
        await resolve(client.appointments.list())

    assert len(script.requests) == 3
    assert not isinstance(caught.value, tenacity.RetryError)
    assert caught.value.request_id == "req-last"


async def test_exhausted_retries_raise_the_last_error_class(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(503), httpx.Response(502), httpx.Response(429))
    client = make_sqod(script)

    with pytest.raises(RateLimitError):
        await resolve(client.appointments.list())

    assert len(script.requests) == 3
