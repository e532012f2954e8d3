"""The request each SQOD call sends and what it returns, for both twins."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from sqod_client import (
    Appointment,
    AppointmentMessage,
    Claimant,
    ResponseValidationError,
    raw_response,
)
from tests.conftest import (
    APPOINTMENT_ID,
    BASE_URL,
    Script,
    SqodFactory,
    appointment_json,
    collect,
    json_body,
    message_json,
    resolve,
)

pytestmark = pytest.mark.anyio

APPOINTMENT_PATH = f"/api/v1/appointments/{APPOINTMENT_ID}"


async def test_send_message_posts_json_and_returns_the_message(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json(), headers={"x-request-id": "r-1"}))
    client = make_sqod(script)

    result = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="Running late"))

    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}{APPOINTMENT_PATH}/messages"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.headers["User-Agent"].startswith("care-messaging-clients/")
    assert "sqod_client" in request.headers["User-Agent"]
    assert json_body(request) == {"message": "Running late"}
    assert isinstance(result, AppointmentMessage)
    assert result.message == "Running late"
    assert result.created_at == datetime(2021, 1, 1, tzinfo=UTC)
    assert result.sender is not None
    assert result.sender.role == "agent"
    raw = raw_response(result)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (201, "r-1", 0)


async def test_update_sends_only_given_fields_as_json_patch(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json=appointment_json(status="waiting")))
    client = make_sqod(script)

    result = await resolve(
        client.appointments.update(
            APPOINTMENT_ID,
            status="waiting",
            interpreter_language=None,
            appointment_at=datetime(2030, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        )
    )

    (request,) = script.requests
    assert request.method == "PATCH"
    assert request.url.path == APPOINTMENT_PATH
    assert "_method" not in request.url.params
    assert json_body(request) == {
        "status": "waiting",
        "interpreter_language": None,
        "appointment_at": "2030-05-01T09:30:00+01:00",
    }
    assert isinstance(result, Appointment)
    assert result.status == "waiting"


async def test_update_with_nested_claimant_accepts_a_dict_or_the_model(
    make_sqod: SqodFactory,
) -> None:
    script = Script(httpx.Response(200, json=appointment_json()))
    client = make_sqod(script)
    claimant = Claimant(name="Jane Doe", date_of_birth=date(1990, 2, 3))

    await resolve(client.appointments.update(APPOINTMENT_ID, claimant={"email": "j@x.test"}))
    await resolve(client.appointments.update(APPOINTMENT_ID, claimant=claimant))

    first, second = script.requests
    assert json_body(first) == {"claimant": {"email": "j@x.test"}}
    assert json_body(second) == {"claimant": {"name": "Jane Doe", "date_of_birth": "1990-02-03"}}


async def test_update_with_files_is_multipart_tunnelled_as_post(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json=appointment_json()))
    client = make_sqod(script)

    await resolve(
        client.appointments.update(
            APPOINTMENT_ID,
            is_interpreter_needed=False,
            features_call_recording_enable=True,
            claimant={"name": "Jane Doe", "data": [{"id": "nhs", "value": "123"}]},
            interpreter_language=None,
            files={"document": ("letter.pdf", io.BytesIO(b"%PDF-1.4"), "application/pdf")},
        )
    )

    (request,) = script.requests
    assert request.method == "POST"
    assert request.url.path == APPOINTMENT_PATH
    assert request.url.params["_method"] == "PATCH"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    for name, value in [
        ("is_interpreter_needed", b"0"),
        ("features_call_recording_enable", b"1"),
        ("claimant[name]", b"Jane Doe"),
        ("claimant[data][0][id]", b"nhs"),
        ("claimant[data][0][value]", b"123"),
        ("interpreter_language", b""),
    ]:
        assert f'name="{name}"\r\n\r\n'.encode() + value + b"\r\n" in body
    assert b'name="document"; filename="letter.pdf"' in body
    assert b"%PDF-1.4" in body


async def test_method_override_tunnels_json_patch_without_changing_the_body(
    make_sqod: SqodFactory,
) -> None:
    script = Script(httpx.Response(200, json=appointment_json()))
    client = make_sqod(script, method_override=True)

    await resolve(client.appointments.update(APPOINTMENT_ID, duration_in_minutes=45))

    (request,) = script.requests
    assert request.method == "POST"
    assert request.url.params["_method"] == "PATCH"
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == {"duration_in_minutes": 45}


async def test_method_override_leaves_other_methods_alone(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script, method_override=True)

    await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))

    assert script.requests[0].method == "POST"
    assert "_method" not in script.requests[0].url.params


async def test_create_posts_the_given_fields(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=appointment_json(reference=123456789)))
    client = make_sqod(script)

    result = await resolve(
        client.appointments.create(
            appointment_at=datetime(2030, 1, 1, 8, 0, tzinfo=UTC),
            duration_in_minutes=30,
            reference="ABC-1",
            claimant={"name": "Jane Doe", "phone_number": "+447900000000"},
            features_bandwidth="medium",
        )
    )

    (request,) = script.requests
    assert (request.method, request.url.path) == ("POST", "/api/v1/appointments")
    assert json_body(request) == {
        "appointment_at": "2030-01-01T08:00:00Z",
        "duration_in_minutes": 30,
        "reference": "ABC-1",
        "claimant": {"name": "Jane Doe", "phone_number": "+447900000000"},
        "features_bandwidth": "medium",
    }
    assert result.reference == "123456789"


@pytest.mark.parametrize(
    ("status", "body", "expected_status"),
    [
        (200, appointment_json(status="cancelled"), "cancelled"),
        (200, {"id": APPOINTMENT_ID, "status": "cancelled"}, "cancelled"),
        (204, None, None),
    ],
    ids=["wrapped", "bare", "no-content"],
)
async def test_cancel_accepts_each_plausible_answer(
    make_sqod: SqodFactory, status: int, body: Any, expected_status: str | None
) -> None:
    script = Script(httpx.Response(status, json=body) if body else httpx.Response(status))
    client = make_sqod(script)

    result = await resolve(
        client.appointments.cancel(APPOINTMENT_ID, cancellation_reason="Patient unwell")
    )

    (request,) = script.requests
    assert (request.method, request.url.path) == ("POST", f"{APPOINTMENT_PATH}/cancel")
    assert json_body(request) == {"cancellation_reason": "Patient unwell"}
    assert (result.status if result else None) == expected_status


async def test_cancel_without_reason_sends_an_empty_object(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(200, json=appointment_json()))
    client = make_sqod(script)

    await resolve(client.appointments.cancel(APPOINTMENT_ID))

    assert json_body(script.requests[0]) == {}


def _page(number: int, last: int, ids: list[str]) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "data": [{"id": i} for i in ids],
            "links": {"next": f"{BASE_URL}/api/v1/appointments?page={number + 1}"}
            if number < last
            else {"next": None},
            "meta": {"current_page": number, "last_page": last, "per_page": len(ids)},
        },
    )


async def test_list_walks_every_page_from_the_first(make_sqod: SqodFactory) -> None:
    script = Script(_page(1, 3, ["a", "b"]), _page(2, 3, ["c", "d"]), _page(3, 3, ["e"]))
    client = make_sqod(script)

    page = await resolve(client.appointments.list(per_page=2))
    items = await collect(page)

    assert [a.id for a in page.data] == ["a", "b"]
    assert [a.id for a in items] == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("page") for r in script.requests] == [None, "2", "3"]
    assert all(r.url.params["per_page"] == "2" for r in script.requests)
    assert all(r.method == "GET" and r.url.path == "/api/v1/appointments" for r in script.requests)


async def test_list_starts_at_the_requested_page(make_sqod: SqodFactory) -> None:
    script = Script(_page(4, 5, ["x"]), _page(5, 5, ["y"]))
    client = make_sqod(script)

    items = await collect(await resolve(client.appointments.list(page=4)))

    assert [a.id for a in items] == ["x", "y"]
    assert [r.url.params["page"] for r in script.requests] == ["4", "5"]


@pytest.mark.parametrize(
    "body",
    [
        {"data": [{"id": "only"}]},
        [{"id": "only"}],
        {"data": [{"id": "only"}], "meta": {"current_page": 1, "last_page": 1}},
    ],
    ids=["data-without-links", "bare-list", "meta-only"],
)
async def test_list_without_a_next_link_is_one_page(make_sqod: SqodFactory, body: Any) -> None:
    script = Script(httpx.Response(200, json=body))
    client = make_sqod(script)

    items = await collect(await resolve(client.appointments.list()))

    assert [a.id for a in items] == ["only"]
    assert len(script.requests) == 1


async def test_list_stops_on_an_empty_page_even_if_links_say_more(make_sqod: SqodFactory) -> None:
    empty = httpx.Response(200, json={"data": [], "links": {"next": "more"}, "meta": {}})
    script = Script(_page(1, 9, ["a"]), empty)
    client = make_sqod(script)

    items = await collect(await resolve(client.appointments.list()))

    assert [a.id for a in items] == ["a"]
    assert len(script.requests) == 2


async def test_with_options_shares_the_pool_and_overrides_headers(make_sqod: SqodFactory) -> None:
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script, default_headers={"X-Team": "a"})

    other = client.with_options(default_headers={"X-Trace": "t-1"}, max_retries=0)
    await resolve(other.appointments.send_message(APPOINTMENT_ID, message="hi"))
    await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))

    copied, original = script.requests
    assert copied.headers["X-Team"] == "a"
    assert copied.headers["X-Trace"] == "t-1"
    assert "X-Trace" not in original.headers
    assert other._http is client._http


async def test_results_compare_equal_to_models_built_from_the_same_data(
    make_sqod: SqodFactory,
) -> None:
    # Downstream tests assert `result == expected`: the HTTP exchange kept for raw_response()
    # must not make equal data unequal.
    script = Script(httpx.Response(201, json=message_json()))
    client = make_sqod(script)

    result = await resolve(client.appointments.send_message(APPOINTMENT_ID, message="hi"))

    assert result == AppointmentMessage.model_validate(message_json()["data"])
    assert result != AppointmentMessage.model_validate({**message_json()["data"], "message": "x"})


async def test_a_malformed_page_envelope_ends_the_walk(make_sqod: SqodFactory) -> None:
    body = {"data": [{"id": "a"}], "links": {"next": 7}, "meta": {"current_page": "one"}}
    script = Script(httpx.Response(200, json=body))
    client = make_sqod(script)

    items = await collect(await resolve(client.appointments.list()))

    assert [a.id for a in items] == ["a"]
    assert len(script.requests) == 1


async def test_a_malformed_page_envelope_raises_when_strict(make_sqod: SqodFactory) -> None:
    body = {"data": [{"id": "a"}], "links": {"next": 7}}
    client = make_sqod(Script(httpx.Response(200, json=body)), strict_responses=True)

    with pytest.raises(ResponseValidationError, match="PageLinks"):
        await resolve(client.appointments.list())
