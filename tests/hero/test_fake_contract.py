"""FakeHero's contract: its answers have Hero's documented keys, its auth and validation errors."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from hero_client import AsyncHeroClient, HeroClient, PermissionDeniedError, raw_response
from hero_client.testing import FakeHero
from tests.conftest import fake_twin, resolve
from tests.hero.test_fake import hour_from_now

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"
SEND_URL = "https://api.herohealth.net/v1/messages/send"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@asynccontextmanager
async def opened_with(
    fake: FakeHero, twin: str, *, api_key: str, practice_group_id: str
) -> AsyncIterator[Any]:
    """A client of your own on the fake's transport, with the credentials given."""
    if twin == "sync":
        with (
            httpx.Client(transport=fake.transport()) as http,
            HeroClient(
                http_client=http,
                max_retries=0,
                api_key=api_key,
                practice_group_id=practice_group_id,
            ) as sync,
        ):
            yield sync
        return
    http_async = httpx.AsyncClient(transport=fake.async_transport())
    async with (
        http_async,
        AsyncHeroClient(
            http_client=http_async,
            max_retries=0,
            api_key=api_key,
            practice_group_id=practice_group_id,
        ) as hero,
    ):
        yield hero


def raw_http(fake: FakeHero) -> httpx.Client:
    """A plain httpx client on the fake, sending the fake's key headers."""
    keys = {"x-api-key": fake.api_key, "x-practice-group-id": fake.practice_group_id}
    return httpx.Client(transport=fake.transport(), headers=keys)


# -- agreement with the spec -----------------------------------------------------------------


async def test_send_answer_has_exactly_the_documented_keys(fake_hero: FakeHero) -> None:
    with fake_hero.client(strict_responses=True) as hero:
        sent = hero.messages.send(
            patient_id=fake_hero.patient_id, message_type="sms", message_string="Hi"
        )

    body = raw_response(sent).http_response.json()
    assert body.keys() == load("send_message_200.json").keys()
    assert isinstance(body["message_id"], str)


@pytest.mark.parametrize("write_to_record", [False, True])
async def test_detail_answer_has_exactly_the_documented_keys(
    fake_hero: FakeHero, write_to_record: bool
) -> None:
    documented = load("get_message_200.json")
    with fake_hero.client(strict_responses=True) as hero:
        sent = hero.messages.send(
            patient_id=fake_hero.patient_id,
            message_type="sms",
            message_string="Hi",
            write_to_record=write_to_record,
        )
        message = hero.messages.get(sent.message_id)

    body = raw_response(message).http_response.json()
    assert body.keys() == documented.keys()
    assert body["patient"].keys() == documented["patient"].keys()
    if write_to_record:
        assert body["write_to_record"].keys() == documented["write_to_record"].keys()
    else:
        assert body["write_to_record"] is None


async def test_every_answer_parses_strictly_without_warnings(
    fake_hero: FakeHero, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with fake_twin(fake_hero, twin, strict_responses=True) as hero:
        sent = await resolve(
            hero.messages.send(
                patient_id=fake_hero.patient_id,
                message_type="email",
                message_string="Your results are ready",
                recipient_contact_detail="jane@example.org",
                fallback_contact_detail="+447700900123",
                fallback_message_type="sms",
                write_to_record=True,
                encrypted="yes",
                snomed_code="24591000000103",
                snomed_term="Other letter",
                task_id="task-31",
                attachment_uuid="0b6a9d1e-1111-4c4c-9c9c-0123456789ab",
                short_link_id="sl-77",
                assignee_id=512,
                assignee_type="AdminTeam",
                send_at=hour_from_now(),
            )
        )
        message = await resolve(hero.messages.get(sent.message_id))

    assert (sent.model_extra, message.model_extra) == ({}, {})
    assert message.patient is not None
    assert message.patient.model_extra == {}
    assert message.write_to_record is not None
    assert message.write_to_record.model_extra == {}
    assert caplog.records == []


# -- auth ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "group"),
    [("fake-hero-not-the-key", None), (None, "4243")],
    ids=["wrong key", "other practice group"],
)
async def test_wrong_credentials_get_hero_403(
    fake_hero: FakeHero, twin: str, key: str | None, group: str | None
) -> None:
    async with opened_with(
        fake_hero,
        twin,
        api_key=key or fake_hero.api_key,
        practice_group_id=group or fake_hero.practice_group_id,
    ) as hero:
        with pytest.raises(PermissionDeniedError) as caught:
            await resolve(
                hero.messages.send(
                    patient_id=fake_hero.patient_id, message_type="sms", message_string="Hi"
                )
            )

    assert caught.value.status_code == 403
    assert caught.value.body == {"message": "Unauthorised"}
    assert fake_hero.messages == []


@pytest.mark.parametrize(
    "drop", [("x-api-key",), ("x-practice-group-id",), ("x-api-key", "x-practice-group-id")]
)
async def test_missing_key_headers_get_hero_403(fake_hero: FakeHero, drop: tuple[str, ...]) -> None:
    with raw_http(fake_hero) as http:
        for name in drop:
            del http.headers[name]
        response = http.get("https://api.herohealth.net/v1/messages/100001")

    assert response.status_code == 403
    assert response.json() == {"message": "Unauthorised"}


# -- validation ------------------------------------------------------------------------------

VALID: dict[str, Any] = {"patient_id": "1001", "message_type": "sms", "message_string": "Hi"}

BAD_BODIES: dict[str, tuple[object, str]] = {
    "no fields": (
        {},
        "patient_id: is required; message_type: is required; message_string: is required",
    ),
    "patient_id missing": (
        {"message_type": "sms", "message_string": "Hi"},
        "patient_id: is required",
    ),
    "patient_id as a number": ({**VALID, "patient_id": 1001}, "patient_id: must be a string"),
    "patient_id with a letter": ({**VALID, "patient_id": "10a1"}, r"patient_id: must match ^\d+$"),
    "patient_id in non-ASCII digits": (
        {**VALID, "patient_id": "\u0661\u0660\u0660\u0661"},
        r"patient_id: must match ^\d+$",
    ),
    "patient_id with a newline": (
        {**VALID, "patient_id": "1001\n"},
        r"patient_id: must match ^\d+$",
    ),
    "message_type in upper case": (
        {**VALID, "message_type": "SMS"},
        "message_type: must be one of hero, sms, email or nhs_app",
    ),
    "message_string empty": ({**VALID, "message_string": ""}, "message_string: must not be empty"),
    "message_string null": ({**VALID, "message_string": None}, "message_string: must be a string"),
    "recipient as a number": (
        {**VALID, "recipient_contact_detail": 447700900123},
        "recipient_contact_detail: must be a string",
    ),
    "fallback_message_type hero": (
        {**VALID, "fallback_message_type": "hero"},
        "fallback_message_type: must be one of sms or email",
    ),
    "write_to_record as text": (
        {**VALID, "write_to_record": "true"},
        "write_to_record: must be a boolean",
    ),
    "auto_write_to_record as 1": (
        {**VALID, "auto_write_to_record": 1},
        "auto_write_to_record: must be a boolean",
    ),
    "assignee_id as text": ({**VALID, "assignee_id": "512"}, "assignee_id: must be a number"),
    "assignee_type in lower case": (
        {**VALID, "assignee_type": "admin"},
        "assignee_type: must be one of Admin or AdminTeam",
    ),
    "send_at without offset": (
        {**VALID, "send_at": "2030-05-01T09:30:00"},
        "send_at: must be a date-time with a UTC offset",
    ),
    "send_at as words": ({**VALID, "send_at": "tomorrow"}, "send_at: must be a date-time string"),
    "send_at as a number": (
        {**VALID, "send_at": 1904000000},
        "send_at: must be a date-time string",
    ),
    "a list": ([VALID], "body: must be a JSON object"),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
async def test_bad_bodies_get_400_with_the_field_and_problem(
    fake_hero: FakeHero, case: str
) -> None:
    body, message = BAD_BODIES[case]
    with raw_http(fake_hero) as http:
        response = http.post(SEND_URL, json=body)

    assert response.status_code == 400
    assert response.json() == {"message": message}
    assert fake_hero.messages == []


async def test_a_body_that_is_not_json_gets_400(fake_hero: FakeHero) -> None:
    with raw_http(fake_hero) as http:
        response = http.post(
            SEND_URL, content=b"patient_id=1001", headers={"content-type": "text/plain"}
        )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "body: must be a JSON object"},
    )


async def test_every_documented_field_in_its_json_type_is_accepted(fake_hero: FakeHero) -> None:
    body = {
        **VALID,
        "recipient_contact_detail": "+44 79000000000",
        "fallback_contact_detail": "jane@example.org",
        "fallback_message_type": "email",
        "write_to_record": False,
        "encrypted": None,
        "snomed_code": "24591000000103",
        "snomed_term": "Other letter",
        "auto_write_to_record": False,
        "task_id": "task-31",
        "attachment_uuid": "0b6a9d1e-1111-4c4c-9c9c-0123456789ab",
        "short_link_id": "sl-77",
        "assignee_id": 512.0,
        "assignee_type": "Admin",
        "send_at": "2030-05-01T09:30:00Z",
        "not_in_the_spec": "ignored",
    }
    with raw_http(fake_hero) as http:
        response = http.post(SEND_URL, json=body)

    assert response.status_code == 200
    assert response.json()["send_at"] == "2030-05-01T09:30:00Z"
    assert response.json()["snomed_code"] == "24591000000103"
    assert [m.content for m in fake_hero.messages] == ["Hi"]
