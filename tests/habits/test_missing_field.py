"""A required field missing from an off-spec 2xx: a clear AttributeError, at the point of use."""

from __future__ import annotations

import pickle

import httpx
import pytest

from client_core import MissingFieldError
from tests.conftest import APPOINTMENT_ID, HeroFactory, SqodFactory, resolve


@pytest.mark.anyio
async def test_reading_the_missing_field_names_model_field_and_cause(
    make_sqod: SqodFactory,
) -> None:
    # SQOD answered 200 but without the appointment's id: returned unvalidated, as API.md says.
    answer = httpx.Response(200, json={"data": {"status": "waiting"}})
    sqod = make_sqod(lambda request: answer)

    appointment = await resolve(sqod.appointments.update(APPOINTMENT_ID, status="waiting"))

    assert appointment.status == "waiting"
    with pytest.raises(MissingFieldError) as caught:
        _ = appointment.id
    message = str(caught.value)
    assert "Appointment.id" in message
    assert "vendor's answer lacked" in message
    assert isinstance(caught.value, AttributeError)
    assert caught.value.name == "id"


@pytest.mark.anyio
async def test_hasattr_and_getattr_with_default_keep_working(make_hero: HeroFactory) -> None:
    answer = httpx.Response(200, json={"content": "Hi", "surprise": 1})
    hero = make_hero(lambda request: answer)

    sent = await resolve(hero.messages.send(patient_id="1", message_type="sms", message_string="x"))

    assert not hasattr(sent, "message_id")
    assert getattr(sent, "message_id", None) is None
    assert sent.surprise == 1  # an extra the vendor sent is still readable
    with pytest.raises(AttributeError) as caught:
        _ = sent.no_such_field
    assert not isinstance(caught.value, MissingFieldError)  # only declared fields say "lacked"


def test_the_error_survives_pickle() -> None:
    error = MissingFieldError("Appointment", "id")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is MissingFieldError
    assert str(copy) == str(error)
    assert (copy.model, copy.name) == ("Appointment", "id")
