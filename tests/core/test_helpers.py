"""The core's pure helpers that every vendor's builders rely on."""

from __future__ import annotations

import pytest

from client_core import laravel_form, page_params, path_segment


def test_page_params_leave_out_what_was_not_given() -> None:
    assert page_params(None, None) == {}
    assert page_params(2, None) == {"page": 2}
    assert page_params(None, 50, max_per_page=500) == {"per_page": 50}


@pytest.mark.parametrize(
    ("page", "per_page", "problem"),
    [(0, None, "page"), (None, -1, "per_page"), (True, None, "page"), (None, 501, "at most 500")],
)
def test_page_params_refuse_bad_numbers(page: object, per_page: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        page_params(page, per_page, max_per_page=500)  # type: ignore[arg-type]


def test_laravel_form_flattens_nested_fields_in_bracket_form() -> None:
    fields = {
        "status": "waiting",
        "claimant": {"name": "Jane", "data": [{"id": "a", "required": True}]},
        "is_interpreter_needed": False,
        "interpreter_language": None,
        "duration_in_minutes": 30,
    }

    assert laravel_form(fields) == {
        "status": "waiting",
        "claimant[name]": "Jane",
        "claimant[data][0][id]": "a",
        "claimant[data][0][required]": "1",
        "is_interpreter_needed": "0",
        "interpreter_language": "",
        "duration_in_minutes": "30",
    }


@pytest.mark.parametrize("value", ["", " ", ".", ".."])
def test_path_segment_refuses_ids_that_could_change_the_path(value: str) -> None:
    with pytest.raises(ValueError, match="message_id"):
        path_segment(value, "message_id")


def test_path_segment_percent_encodes_everything_else() -> None:
    assert path_segment("a/b?c#d", "message_id") == "a%2Fb%3Fc%23d"
    assert path_segment("12345", "message_id") == "12345"


def test_path_segment_checks_uuids_without_echoing_the_value() -> None:
    with pytest.raises(ValueError, match="appointment_id must be a UUID") as caught:
        path_segment("patient-ann-smith", "appointment_id", uuid=True)
    assert "ann-smith" not in str(caught.value)
