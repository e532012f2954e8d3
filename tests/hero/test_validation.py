"""Bad input raises a ValueError naming the field, before any request is sent."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.conftest import HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio

NAIVE = datetime(2030, 5, 1, 9, 30)
REQUIRED: dict[str, Any] = {"patient_id": "1234", "message_type": "sms", "message_string": "Hi"}


def send(**fields: Any) -> Callable[[Any], Any]:
    """A messages.send call with the required fields, overridden or extended by `fields`."""
    return lambda messages: messages.send(**{**REQUIRED, **fields})


CASES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "patient_id with a letter": (send(patient_id="12a"), "patient_id"),
    "empty patient_id": (send(patient_id=""), "patient_id"),
    "patient_id with a leading space": (send(patient_id=" 123"), "patient_id"),
    "patient_id with a trailing newline": (send(patient_id="123\n"), "patient_id"),
    "patient_id with a prefix": (send(patient_id="NHS123"), "patient_id"),
    "patient_id in non-ASCII digits": (send(patient_id="١٢٣"), "patient_id"),
    "patient_id as a number": (send(patient_id=1234), "patient_id"),
    "message_type in the wrong case": (send(message_type="SMS"), "message_type"),
    "message_type outside the enum": (send(message_type="whatsapp"), "message_type"),
    "empty message_type": (send(message_type=""), "message_type"),
    "fallback_message_type hero": (send(fallback_message_type="hero"), "fallback_message_type"),
    "fallback_message_type nhs_app": (
        send(fallback_message_type="nhs_app"),
        "fallback_message_type",
    ),
    "assignee_type in lower case": (send(assignee_type="admin"), "assignee_type"),
    "assignee_type outside the enum": (send(assignee_type="Team"), "assignee_type"),
    "naive send_at": (send(send_at=NAIVE), "send_at"),
    "send_at as text": (send(send_at="tomorrow"), "send_at"),
    "empty message_string": (send(message_string=""), "message_string"),
    "blank message_string": (send(message_string="  \n\t "), "message_string"),
    "unknown option": (send(colour="red"), "colour"),
    "option in the wrong case": (send(sendAt="2030-01-01T00:00:00Z"), "sendAt"),
    "None for task_id": (send(task_id=None), "task_id"),
    "None for send_at": (send(send_at=None), "send_at"),
    "None for write_to_record": (send(write_to_record=None), "write_to_record"),
    "None for encrypted": (send(encrypted=None), "encrypted"),
    "None for message_string": (send(message_string=None), "message_string"),
    "assignee_id as a non-number string": (send(assignee_id="abc"), "assignee_id"),
    "assignee_id with a fraction": (send(assignee_id=1.5), "assignee_id"),
    "get with a traversal id": (lambda m: m.get("../x"), "message_id"),
    "get with an empty id": (lambda m: m.get(""), "message_id"),
    "get with a dot-dot id": (lambda m: m.get(".."), "message_id"),
    "get with a number": (lambda m: m.get(8812345), "message_id"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_bad_input_is_refused_before_any_request(make_hero: HeroFactory, case: str) -> None:
    call, field = CASES[case]
    script = Script(httpx.Response(200, json={"message_id": "1", "id": "1"}))
    client = make_hero(script)

    with pytest.raises(ValueError, match=re.escape(field)):
        await resolve(call(client.messages))

    assert script.requests == []


MARK = "Zq4711"

ECHO_CASES: dict[str, dict[str, Any]] = {
    "patient_id": {"patient_id": f"NHS{MARK}"},
    "message_type": {"message_type": f"sms{MARK}"},
    "fallback_message_type": {"fallback_message_type": f"email{MARK}"},
    "assignee_type": {"assignee_type": f"Admin{MARK}"},
    "assignee_id": {"assignee_id": f"id{MARK}"},
    "send_at": {"send_at": f"2030-13-45T{MARK}"},
    "write_to_record": {"write_to_record": f"maybe{MARK}"},
    "message_string": {"message_string": [f"Patient {MARK}"]},
    "colour": {"colour": f"red{MARK}"},
}


@pytest.mark.parametrize("field", ECHO_CASES)
async def test_input_errors_name_the_field_but_not_the_value(
    make_hero: HeroFactory, field: str
) -> None:
    script = Script(httpx.Response(200, json={"message_id": "1"}))
    client = make_hero(script)

    with pytest.raises(ValueError, match=re.escape(field)) as caught:
        await resolve(client.messages.send(**{**REQUIRED, **ECHO_CASES[field]}))

    assert MARK not in str(caught.value)
    assert MARK not in repr(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert script.requests == []


async def test_patient_text_is_not_echoed_when_another_field_is_bad(
    make_hero: HeroFactory,
) -> None:
    script = Script(httpx.Response(200, json={"message_id": "1"}))
    client = make_hero(script)
    text = "Dear Jane Canary-Doe, your HIV test is negative"

    with pytest.raises(ValueError, match="patient_id") as caught:
        await resolve(
            client.messages.send(patient_id="12a", message_type="sms", message_string=text)
        )

    assert text not in str(caught.value)
    assert "Canary-Doe" not in repr(caught.value)
    assert script.requests == []


async def test_bad_message_id_is_not_echoed(make_hero: HeroFactory) -> None:
    script = Script(httpx.Response(200, json={"id": "1"}))
    client = make_hero(script)

    bad_id: Any = 47110815

    with pytest.raises(ValueError, match="message_id") as caught:
        await resolve(client.messages.get(bad_id))

    assert "47110815" not in str(caught.value)
    assert script.requests == []


async def test_missing_required_keyword_is_refused_before_any_request(
    make_hero: HeroFactory,
) -> None:
    script = Script(httpx.Response(200, json={"message_id": "1"}))
    client = make_hero(script)
    send_any: Any = client.messages.send

    with pytest.raises(TypeError, match="message_string"):
        await resolve(send_any(patient_id="1", message_type="sms"))
    with pytest.raises(TypeError, match="positional"):
        await resolve(send_any("1", "sms", "Hi"))

    assert script.requests == []
