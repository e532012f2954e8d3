"""Property tests: whatever a vendor answers and whatever text a caller passes.

Answers: arbitrary statuses (100-599), every `Retry-After` shape, and bodies from random bytes to
truncated or deeply nested JSON, huge strings, wrong JSON types and charset lies. Every vendor's
send and one read, both twins: the call returns its model or raises an `APIError`, never waits
longer than the policy's cap, and never sends a message twice.

Inputs: arbitrary text (lone surrogates included) in path parameters and string fields: a
`ValueError` before any I/O, or the value arrives byte for byte in its place and nowhere else.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from client_core import APIError, AsyncPage, SyncPage
from sqod_client import RetryPolicy

from .outcomes import record
from .tamper import http_client
from .vendors import HERO, LOOP, PLANNR, SQOD, TWINS, VENDORS, Vendor, close, invoke

settings.register_profile(
    "hostile",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=40,
)
HOSTILE = settings.get_profile("hostile")

DELAYS: list[float] = []


class ObservedPolicy(RetryPolicy):
    """The default rules, never sleeping, every computed delay kept in `DELAYS`."""

    __slots__ = ()

    def delay(self, error: BaseException | None, attempt: int) -> float:
        seconds = RetryPolicy.delay(self, error, attempt)
        DELAYS.append(seconds)
        return seconds


POLICY = ObservedPolicy(max_retries=2, max_retry_after=30.0, wait=False)

RETRY_AFTER = st.sampled_from(
    [
        "0",
        "1",
        "2.5",
        "29",
        "31",
        "86400",
        "nan",
        "inf",
        "-inf",
        "-1",
        "1e309",
        "",
        "soon",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ]
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-16",
        "text/plain; charset=utf-16",
        "text/html; charset=no-such-charset",
        "application/octet-stream",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def bodies(draw: st.DrawFn, valid: bytes) -> bytes:
    kind = draw(st.sampled_from(["valid", "truncated", "bytes", "nested", "huge", "json"]))
    if kind == "valid":
        return valid
    if kind == "truncated":
        return valid[: draw(st.integers(0, max(len(valid) - 1, 0)))]
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    if kind == "nested":
        depth = draw(st.sampled_from([50, 5_000, 20_000]))
        return b'{"data": ' + b"[" * depth + b"]" * depth + b"}"
    if kind == "huge":
        return json.dumps({"message": "x" * 200_000, "data": {"id": "x" * 10_000}}).encode()
    return json.dumps(draw(JSON_VALUES)).encode()


@st.composite
def answers(draw: st.DrawFn, valid: bytes) -> httpx.Response:
    # Weighted towards the statuses that retry, so the Retry-After shapes get exercised.
    common = st.sampled_from([429, 429, 429, 503, 500, 200, 201])
    status = draw(st.one_of(common, common, st.integers(100, 599)))
    headers = {"content-type": draw(CONTENT_TYPES)}
    if draw(st.booleans()):
        headers["retry-after"] = draw(RETRY_AFTER)
    if draw(st.booleans()):
        headers["retry-after-ms"] = draw(RETRY_AFTER)
    return httpx.Response(status, content=draw(bodies(valid)), headers=headers)


_VALID: dict[tuple[str, str], bytes] = {}


def valid_body(vendor: Vendor, kind: str) -> bytes:
    """A real 2xx answer of `kind` from the vendor's fake (captured once)."""
    key = (vendor.name, kind)
    if key not in _VALID:
        fake = vendor.make_fake()
        inner = fake.transport()
        seen: list[bytes] = []

        def capture(request: httpx.Request) -> httpx.Response:
            response = inner.handle_request(request)
            seen.append(response.read())
            return httpx.Response(response.status_code, content=seen[-1])

        client = vendor.build("sync", fake, http_client=http_client("sync", capture))
        try:
            invoke(vendor, kind, client, fake).send(None)
        except StopIteration:
            pass
        except APIError:
            pass
        finally:
            client.close()
            client._http.close()
        _VALID[key] = seen[-1] if seen else b"{}"
    return _VALID[key]


def run(twin: str, coroutine: Any) -> Any:
    return asyncio.run(coroutine) if twin == "async" else _drive(coroutine)


def _drive(coroutine: Any) -> Any:
    # The sync twin's `invoke` coroutine never awaits anything real: run it to completion.
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("a sync call awaited something")


async def _attempt(vendor: Vendor, kind: str, twin: str, script: list[httpx.Response]) -> Any:
    fake = vendor.make_fake()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        step = script[min(len(seen), len(script)) - 1]
        return httpx.Response(step.status_code, content=step.content, headers=step.headers)

    client = vendor.build(twin, fake, http_client=http_client(twin, handler), retry_policy=POLICY)
    try:
        outcome: Any = await invoke(vendor, kind, client, fake, "hello", "dedup-1")
    except APIError as error:
        outcome = error
    finally:
        await close(client)
    return outcome, seen


def _sends_a_message(vendor: Vendor, kind: str) -> bool:
    return kind == "send" and vendor is not LOOP  # Loop's dedup key makes a repeat harmless


@pytest.mark.parametrize("vendor", VENDORS, ids=str)
@pytest.mark.parametrize("kind", ["send", "read"])
@pytest.mark.parametrize("twin", TWINS)
def test_any_answer_is_a_model_or_an_api_error(vendor: Vendor, kind: str, twin: str) -> None:
    valid = valid_body(vendor, kind)

    @HOSTILE
    @given(script=st.lists(answers(valid), min_size=1, max_size=3))
    def check(script: list[httpx.Response]) -> None:
        DELAYS.clear()
        outcome, seen = run(twin, _attempt(vendor, kind, twin, script))
        assert isinstance(outcome, APIError | BaseModel | SyncPage | AsyncPage)
        assert 1 <= len(seen) <= POLICY.max_retries + 1
        assert all(math.isfinite(d) and 0 <= d <= POLICY.max_retry_after for d in DELAYS)
        if _sends_a_message(vendor, kind):
            # Repeated only after a 429: the vendor provably did nothing.
            assert all(
                script[min(i, len(script) - 1)].status_code == 429 for i in range(len(seen) - 1)
            )
        assert len({r.content for r in seen}) == 1  # every attempt sends the same bytes

    check()
    record(
        f"arbitrary answers to {kind} (status, Retry-After, body, charset)",
        "model or APIError; waits within the cap; no message sent twice",
    )


TEXT = st.text(st.characters(exclude_categories=[]), max_size=12)


def _field_cases() -> list[Any]:
    cases: list[tuple[Vendor, str, Any, Any]] = [
        (
            SQOD,
            "message",
            lambda c, f, v: c.appointments.send_message(f.appointment_id, message=v),
            lambda r: json.loads(r.content)["message"],
        ),
        (
            PLANNR,
            "contents",
            lambda c, f, v: c.conversations.send_message(f.conversation_uuid, contents=v),
            lambda r: json.loads(r.content)["contents"],
        ),
        (
            HERO,
            "message_string",
            lambda c, f, v: c.messages.send(patient_id="1", message_type="sms", message_string=v),
            lambda r: json.loads(r.content)["message_string"],
        ),
        (
            HERO,
            "message_id",
            lambda c, f, v: c.messages.get(v),
            lambda r: unquote(r.url.raw_path.decode().split("?")[0].removeprefix("/v1/messages/")),
        ),
        (
            LOOP,
            "message_id",
            lambda c, f, v: c.messages.get(v),
            lambda r: unquote(r.url.raw_path.decode().split("?")[0].removeprefix("/v1/messages/")),
        ),
        (
            LOOP,
            "person_id",
            lambda c, f, v: c.messages.send(
                channel="sms",
                template_key="t",
                recipient="+447700900123",
                brand_id="b",
                person_id=v,
                dedup_key="k",
            ),
            lambda r: json.loads(r.content)["person_id"],
        ),
        (
            LOOP,
            "brand_id",
            lambda c, f, v: c.messages.list_scheduled(brand_id=v),
            lambda r: r.url.params.get("brand_id"),
        ),
    ]
    cases += [
        (
            SQOD,
            "appointment_id",
            lambda c, f, v: c.appointments.send_message(v, message="hi"),
            lambda r: _segment(r, "/api/v1/appointments/", "/messages"),
        ),
        (
            SQOD,
            "cancellation_reason",
            lambda c, f, v: c.appointments.cancel(f.appointment_id, cancellation_reason=v),
            lambda r: json.loads(r.content)["cancellation_reason"],
        ),
        (
            PLANNR,
            "conversation_uuid",
            lambda c, f, v: c.conversations.send_message(v, contents="hi"),
            lambda r: _segment(r, "/api/v1/conversation/", "/messages"),
        ),
        (
            HERO,
            "patient_id",
            lambda c, f, v: c.messages.send(patient_id=v, message_type="sms", message_string="hi"),
            lambda r: json.loads(r.content)["patient_id"],
        ),
        (
            LOOP,
            "scheduled id",
            lambda c, f, v: c.messages.get_scheduled(v),
            lambda r: _segment(r, "/v1/messages/scheduled/", ""),
        ),
        (LOOP, "template_key", _loop_send_with("template_key"), _json_field("template_key")),
        (LOOP, "recipient", _loop_send_with("recipient"), _json_field("recipient")),
        (LOOP, "dedup_key", _loop_send_with("dedup_key"), _json_field("dedup_key")),
    ]
    return [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in cases]


def _segment(request: httpx.Request, prefix: str, suffix: str) -> str:
    path = request.url.raw_path.decode().split("?")[0]
    return unquote(path.removeprefix(prefix).removesuffix(suffix))


def _json_field(name: str) -> Any:
    return lambda request: json.loads(request.content)[name]


def _loop_send_with(name: str) -> Any:
    fields = {
        "channel": "sms",
        "template_key": "t",
        "recipient": "+447700900123",
        "brand_id": "b",
        "person_id": "p",
        "dedup_key": "k",
    }
    return lambda c, f, v: c.messages.send(**{**fields, name: v})


@pytest.mark.parametrize(("vendor", "field", "call", "arrived"), _field_cases())
@pytest.mark.parametrize("twin", TWINS)
def test_any_text_is_refused_before_io_or_arrives_intact(
    vendor: Vendor, field: str, call: Any, arrived: Any, twin: str
) -> None:
    @HOSTILE
    @given(value=TEXT)
    def check(value: str) -> None:
        fake = vendor.make_fake()
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(400, json={"message": "stop here"})

        async def attempt() -> None:
            http = http_client(twin, handler)
            client = vendor.build(twin, fake, http_client=http, retry_policy=POLICY)
            try:
                await _await(call(client, fake, value))
            except ValueError:
                assert seen == []
            except APIError:
                assert len(seen) == 1
                request = seen[0]
                assert arrived(request) == value
                if value.strip() and len(value) > 3:
                    headers = " ".join(v for _, v in request.headers.multi_items())
                    assert value not in headers
            finally:
                await close(client)

        run(twin, attempt())

    check()
    record(f"arbitrary text in `{field}` ({vendor})", "ValueError before I/O, or sent intact")


async def _await(value: Any) -> Any:
    return await value if hasattr(value, "__await__") else value
