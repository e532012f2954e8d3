"""FakeLoopComms refuses what Loop refuses: off-schema bodies, unknown brands, reused dedup keys,
suppressed recipients; each in Loop's `{error, message}` format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from loop_comms_client import ConflictError, UnprocessableEntityError
from loop_comms_client.testing import FakeLoopComms
from tests.conftest import fake_twin, resolve
from tests.loop_comms.conftest import DEDUP_KEY, RECIPIENT
from tests.loop_comms.test_fake import raw_client, schedule_fields, send_fields

pytestmark = pytest.mark.anyio

WHEN = "2030-05-01T09:00:00Z"
DATE_TIME = "must be an RFC 3339 date-time with an offset, e.g. 2030-05-01T09:00:00+01:00"
MISSING = object()


def schedule_body(fake: FakeLoopComms, **changes: Any) -> dict[str, Any]:
    """A valid JSON schedule body with `changes` applied (MISSING drops a key)."""
    body = {**send_fields(fake), "scheduled_at": WHEN, **changes}
    return {key: value for key, value in body.items() if value is not MISSING}


# -- the request schema --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": MISSING}, "channel: is required"),
        ({"scheduled_at": MISSING}, "scheduled_at: is required"),
        ({"dedup_key": MISSING}, "dedup_key: is required"),
        ({"channel": "fax"}, "channel: must be one of email, sms, push or in_app"),
        ({"channel": "SMS"}, "channel: must be one of email, sms, push or in_app"),
        ({"template_key": ""}, "template_key: must not be empty"),
        ({"person_id": ""}, "person_id: must not be empty"),
        ({"recipient": 447700900123}, "recipient: must be a string"),
        ({"brand_id": None}, "brand_id: must be a string"),
        ({"hipaa": "true"}, "hipaa: must be a boolean"),
        ({"hipaa": 1}, "hipaa: must be a boolean"),
        ({"variables": []}, "variables: must be an object"),
        ({"variables": "name=Sam"}, "variables: must be an object"),
        ({"scheduled_at": "2030-05-01T09:00:00"}, f"scheduled_at: {DATE_TIME}"),
        ({"scheduled_at": "2030-05-01"}, f"scheduled_at: {DATE_TIME}"),
        ({"scheduled_at": "2030-05-01T09:00Z"}, f"scheduled_at: {DATE_TIME}"),
        ({"scheduled_at": "2030-13-01T09:00:00Z"}, f"scheduled_at: {DATE_TIME}"),
        ({"scheduled_at": "tomorrow at nine"}, f"scheduled_at: {DATE_TIME}"),
        ({"scheduled_at": 1903942800}, "scheduled_at: must be a string"),
        (
            {"channel": "fax", "hipaa": "yes"},
            "channel: must be one of email, sms, push or in_app; hipaa: must be a boolean",
        ),
    ],
)
async def test_an_off_schema_schedule_gets_422_naming_the_field(
    fake_loop_comms: FakeLoopComms, changes: dict[str, Any], message: str
) -> None:
    async with raw_client(fake_loop_comms) as http:
        response = await http.post(
            "/v1/messages/schedule", json=schedule_body(fake_loop_comms, **changes)
        )

    assert response.status_code == 422
    assert response.json() == {"error": "validation_error", "message": message}
    assert fake_loop_comms.messages == []


async def test_send_takes_the_same_schema_without_scheduled_at(
    fake_loop_comms: FakeLoopComms,
) -> None:
    fake = fake_loop_comms
    async with raw_client(fake) as http:
        missing = await http.post("/v1/messages/send", json=schedule_body(fake, person_id=MISSING))
        accepted = await http.post("/v1/messages/send", json=send_fields(fake))

    assert missing.status_code == 422
    assert missing.json() == {"error": "validation_error", "message": "person_id: is required"}
    assert accepted.status_code == 200
    assert len(fake.messages) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"unknown_key": "ignored", "metadata": {"a": 1}},
        {"variables": {"name": "Sam", "slots": [1, 2], "nested": {"x": None}}, "hipaa": True},
        {"scheduled_at": "2030-05-01t09:00:00z"},
        {"scheduled_at": "2030-05-01T14:30:00.123+05:30"},
        {"template_key": " "},  # minLength counts whitespace
    ],
)
async def test_bodies_the_schema_allows_are_accepted(
    fake_loop_comms: FakeLoopComms, changes: dict[str, Any]
) -> None:
    async with raw_client(fake_loop_comms) as http:
        response = await http.post(
            "/v1/messages/schedule", json=schedule_body(fake_loop_comms, **changes)
        )

    assert response.status_code == 201
    assert "unknown_key" not in response.json()
    asked = schedule_body(fake_loop_comms, **changes)["scheduled_at"]
    kept = response.json()["scheduled_at"]
    assert datetime.fromisoformat(kept) == datetime.fromisoformat(asked.upper())


@pytest.mark.parametrize(
    ("content", "status", "body"),
    [
        (b'{"channel": "sms",', 400, {"error": "bad_request", "message": "body: not valid JSON"}),
        (b"", 400, {"error": "bad_request", "message": "body: not valid JSON"}),
        (
            b'["sms"]',
            422,
            {"error": "validation_error", "message": "body: must be a JSON object"},
        ),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_refused(
    fake_loop_comms: FakeLoopComms, content: bytes, status: int, body: dict[str, str]
) -> None:
    headers = {"Content-Type": "application/json"}
    async with raw_client(fake_loop_comms) as http:
        response = await http.post("/v1/messages/send", content=content, headers=headers)

    assert (response.status_code, response.json()) == (status, body)


async def test_list_scheduled_without_brand_id_gets_422(fake_loop_comms: FakeLoopComms) -> None:
    async with raw_client(fake_loop_comms) as http:
        missing = await http.get("/v1/messages/scheduled")
        blank = await http.get("/v1/messages/scheduled", params={"brand_id": ""})

    expected = {"error": "validation_error", "message": "brand_id: is required"}
    assert (missing.status_code, missing.json()) == (422, expected)
    assert (blank.status_code, blank.json()) == (422, expected)


async def test_an_unpublished_route_gets_loops_error_format(fake_loop_comms: FakeLoopComms) -> None:
    async with raw_client(fake_loop_comms) as http:
        unknown = await http.get("/v1/sequences")
        # Loop publishes no way to cancel a scheduled message.
        cancel = await http.delete("/v1/messages/scheduled/some-id")

    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"
    assert cancel.status_code == 405
    assert set(cancel.json()) == {"error", "message"}
    assert cancel.json()["error"] == "method_not_allowed"


# -- the world's rules: brands, dedup keys, suppression ----------------------------------------


@pytest.mark.parametrize("call", ["send", "schedule"])
async def test_an_unknown_brand_gets_422_until_it_is_added(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    fake = fake_loop_comms
    fields = schedule_fields if call == "schedule" else send_fields
    async with fake_twin(fake, twin) as loop:
        with pytest.raises(UnprocessableEntityError) as caught:
            await resolve(getattr(loop.messages, call)(**fields(fake, brand_id="brand_new")))
        assert fake.messages == []

        fake.add_brand("brand_new")
        accepted = await resolve(getattr(loop.messages, call)(**fields(fake, brand_id="brand_new")))

    assert caught.value.body == {"error": "validation_error", "message": "brand_id: no such brand"}
    assert accepted.dedup_key == DEDUP_KEY
    assert len(fake.messages) == 1


async def test_a_reused_dedup_key_gets_409_across_send_and_schedule(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    async with fake_twin(fake, twin) as loop:
        await resolve(loop.messages.send(**send_fields(fake)))
        with pytest.raises(ConflictError) as again:
            await resolve(loop.messages.send(**send_fields(fake, recipient="+447700900999")))
        with pytest.raises(ConflictError) as scheduled:
            await resolve(loop.messages.schedule(**schedule_fields(fake)))

    for caught in (again, scheduled):
        body = caught.value.body
        assert isinstance(body, dict)
        assert (set(body), body["error"]) == ({"error", "message"}, "duplicate")
        assert caught.value.earlier_attempt_probably_accepted is False
    assert len(fake.messages) == 1


async def test_a_dedup_key_is_unique_per_brand_only(
    fake_loop_comms: FakeLoopComms, twin: str
) -> None:
    fake = fake_loop_comms
    fake.add_brand("brand_other")
    async with fake_twin(fake, twin) as loop:
        await resolve(loop.messages.schedule(**schedule_fields(fake)))
        await resolve(loop.messages.schedule(**schedule_fields(fake, brand_id="brand_other")))

    assert sorted(m.brand_id for m in fake.scheduled.values()) == ["brand_demo", "brand_other"]


@pytest.mark.parametrize("call", ["send", "schedule"])
async def test_a_suppressed_recipient_gets_422_precondition_failed(
    fake_loop_comms: FakeLoopComms, twin: str, call: str
) -> None:
    fake = fake_loop_comms
    fake.suppress(RECIPIENT)
    fields = schedule_fields if call == "schedule" else send_fields
    async with fake_twin(fake, twin) as loop:
        with pytest.raises(UnprocessableEntityError) as caught:
            await resolve(getattr(loop.messages, call)(**fields(fake)))
        # The refused attempt used no dedup key: the same key reaches another recipient.
        other = await resolve(getattr(loop.messages, call)(**fields(fake, recipient="a@b.test")))

    body = caught.value.body
    assert isinstance(body, dict)
    assert (set(body), body["error"]) == ({"error", "message"}, "precondition_failed")
    assert RECIPIENT not in body["message"]
    assert other.dedup_key == DEDUP_KEY
    assert len(fake.messages) == 1
