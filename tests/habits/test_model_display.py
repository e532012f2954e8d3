"""`print(model)` and Jupyter show what the vendor sent, one field per line, secrets hidden."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from IPython.lib import pretty as ipython_pretty

from hero_client.models import SentMessage
from sqod_client.models import Appointment
from tests.conftest import fake_twin, resolve

from .vendors import SAMPLE_CALLS

FIXTURES = Path(__file__).parent.parent
pretty = cast(Callable[[object], str], ipython_pretty.pretty)  # IPython ships no annotations


def _shown_names(text: str) -> list[str]:
    """The top-level field names of a multi-line display (lines indented by one level)."""
    lines = [
        line for line in text.splitlines() if line.startswith("    ") and line[4] not in " )]}"
    ]
    return [line[4:].split("=", 1)[0] for line in lines]


def _expected_names(model: Any) -> set[str]:
    declared = type(model).model_fields
    sent = {n for n in model.model_fields_set if declared[n].repr}
    return sent | set(model.model_extra or {})


@pytest.mark.anyio
@pytest.mark.parametrize("vendor", list(SAMPLE_CALLS))
async def test_str_shows_only_the_fields_the_vendor_sent(vendor: str, twin: str) -> None:
    fake_class, call = SAMPLE_CALLS[vendor]
    fake = fake_class()
    async with fake_twin(fake, twin) as client:
        model = await resolve(call(client, fake))

    text = str(model)

    if "\n" in text:
        lines = text.splitlines()
        assert lines[0] == f"{type(model).__name__}("
        assert lines[-1] == ")"
        assert set(_shown_names(text)) == _expected_names(model)
    else:
        assert len(text) <= 88
    unsent = set(type(model).model_fields) - model.model_fields_set
    assert not any(f"{name}=" in text.replace("\n", " ") for name in unsent)
    assert "\n" not in repr(model)


def test_a_long_model_reads_one_field_per_line_without_unset_flags() -> None:
    body = json.loads((FIXTURES / "sqod/fixtures/update_appointment_200.json").read_text())
    full = Appointment.model_validate(body["data"])
    partial = Appointment.model_validate({"id": full.id, "status": "waiting", "custom": 1})

    assert _shown_names(str(full)) == [
        n for n in Appointment.model_fields if n in full.model_fields_set
    ]
    assert len(full.model_fields_set) > 10
    folded = [line for line in str(full).splitlines() if line.rstrip(",").endswith(")")]
    assert all(len(line) <= 88 for line in folded)  # a nested model kept on one line fits
    assert str(partial) == f"Appointment(id='{full.id}', status='waiting', custom=1)"
    assert "features_call_recording_enable" not in str(partial)
    assert "features_call_recording_enable=None" in repr(partial)  # repr keeps its shape


def test_nested_models_are_indented_under_their_field() -> None:
    body = json.loads((FIXTURES / "sqod/fixtures/update_appointment_200.json").read_text())
    text = str(Appointment.model_validate(body["data"]))

    assert "\n    claimant=Claimant(\n        name='<string>',\n" in text
    assert "\n    department=Department(id=1, name='Department'),\n" in text


@pytest.mark.anyio
async def test_secrets_stay_hidden_in_every_display(twin: str) -> None:
    fake_class, call = SAMPLE_CALLS["hero"]
    fake = fake_class()
    async with fake_twin(fake, twin) as client:
        sent: SentMessage = await resolve(call(client, fake))
    assert sent.auth_token

    for shown in (str(sent), pretty(sent), sent._repr_html_(), repr(sent)):
        assert sent.auth_token not in shown
        assert "auth_token" not in shown
        assert "confirm_write_to_record_url" not in shown
        assert str(sent.message_id) in shown


def test_jupyter_renders_the_readable_form() -> None:
    body = json.loads((FIXTURES / "sqod/fixtures/update_appointment_200.json").read_text())
    appointment = Appointment.model_validate(body["data"])

    assert pretty(appointment) == str(appointment)
    assert appointment._repr_html_() == f"<pre>{html.escape(str(appointment))}</pre>"
    assert pretty([appointment.department]) == "[Department(id=1, name='Department')]"
