"""The core's pure helpers that every vendor's builders rely on."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from pydantic import AwareDatetime, ConfigDict, with_config
from typing_extensions import TypedDict

from client_core.kit import (
    REQUEST_CONFIG,
    NumericText,
    Resource,
    UUIDText,
    check_uuid,
    laravel_form,
    page_params,
    path_segment,
    repeated_files,
    request_body,
    resolve_base_url,
)


@with_config(ConfigDict(extra="forbid", hide_input_in_errors=True))
class _Ids(TypedDict):
    ids: list[UUIDText]


class _Free(TypedDict):
    variables: dict[str, Any]


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
    assert path_segment("a b?c#d%", "message_id") == "a%20b%3Fc%23d%25"
    assert path_segment("12345", "message_id") == "12345"


@pytest.mark.parametrize("value", ["../x", "a/b", "..\\admin", "x/.."])
def test_path_segment_refuses_separators_a_proxy_might_decode(value: str) -> None:
    with pytest.raises(ValueError, match="message_id must not contain") as caught:
        path_segment(value, "message_id")
    assert value not in str(caught.value)


def test_path_segment_checks_uuids_without_echoing_the_value() -> None:
    with pytest.raises(ValueError, match="appointment_id must be a UUID") as caught:
        path_segment("patient-ann-smith", "appointment_id", uuid=True)
    assert "ann-smith" not in str(caught.value)


def test_check_uuid_names_the_parameter_not_the_value() -> None:
    assert check_uuid("9A0F170E-0AA0-47DB-AB14-4DDCDCBAD061", "x") == (
        "9A0F170E-0AA0-47DB-AB14-4DDCDCBAD061"
    )
    with pytest.raises(ValueError, match="account_uuid must be a UUID") as caught:
        check_uuid("jane-doe-account", "account_uuid")
    assert "jane-doe" not in str(caught.value)
    with pytest.raises(ValueError, match="account_uuid must be a UUID string, got int"):
        check_uuid(42, "account_uuid")


def test_uuid_text_in_a_request_schema_names_the_item() -> None:
    with pytest.raises(ValueError, match=r"demo call: ids\.1: .*must be a UUID") as caught:
        request_body(_Ids, {"ids": [str(uuid.uuid4()), "not-a-uuid-jane"]}, what="demo call")
    assert "jane" not in str(caught.value)


def test_request_body_refuses_values_without_a_json_form() -> None:
    with pytest.raises(ValueError, match="demo call: a value cannot be sent as JSON"):
        request_body(_Free, {"variables": {"when": object()}}, what="demo call")


def test_request_body_sends_json_ready_values() -> None:
    body = request_body(_Free, {"variables": {"n": 1, "tags": ("a", "b")}}, what="demo call")
    assert body == {"variables": {"n": 1, "tags": ["a", "b"]}}


def test_numeric_text_keeps_numbers_as_text() -> None:
    class Thing(Resource):
        id: NumericText

    assert Thing.model_validate({"id": 12345}).id == "12345"
    assert Thing.model_validate({"id": "abc"}).id == "abc"
    with pytest.raises(ValueError, match="id"):
        Thing.model_validate({"id": True})


def test_repeated_files_puts_every_file_under_one_field() -> None:
    stream = io.BytesIO(b"x")
    files: list[Any] = [b"a", stream, ("b.pdf", b"%PDF", "application/pdf"), ("c.txt", b"c")]

    assert repeated_files("files[]", files, "files") == [("files[]", f) for f in files]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([], "at least one file"),
        (b"raw bytes", "must be a list of files"),
        ("report.pdf", "must be a list of files"),
        ([b"a", "report.pdf"], r"files\[1\] must be bytes"),
        ([("name.pdf",)], r"files\[0\] must be bytes"),
        ([None], r"files\[0\] must be bytes"),
    ],
)
def test_repeated_files_refuses_what_httpx_could_not_send(files: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        repeated_files("files[]", files, "files")


@pytest.mark.parametrize("env_value", [None, "https://env.example.com/"])
def test_resolve_base_url_prefers_argument_then_env_then_default(
    monkeypatch: pytest.MonkeyPatch, env_value: str | None
) -> None:
    if env_value is None:
        monkeypatch.delenv("DEMO_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("DEMO_BASE_URL", env_value)
    default = "https://default.example.com"

    assert resolve_base_url("https://arg.example.com", env="DEMO_BASE_URL", default=default) == (
        "https://arg.example.com"
    )
    expected = "https://env.example.com" if env_value else default
    assert resolve_base_url(None, env="DEMO_BASE_URL", default=default) == expected


def test_resolve_base_url_without_default_names_argument_and_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEMO_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="base_url is required: pass base_url= or set DEMO_BASE"):
        resolve_base_url(None, env="DEMO_BASE_URL")
    monkeypatch.setenv("DEMO_BASE_URL", "http://example.com")
    with pytest.raises(ValueError, match=r"base_url \(or DEMO_BASE_URL\) must be an https://"):
        resolve_base_url(None, env="DEMO_BASE_URL")


@with_config(REQUEST_CONFIG)
class _Typed(TypedDict, total=False):
    flag: bool
    count: int
    when: AwareDatetime


@pytest.mark.parametrize(
    ("field", "value"),
    [("flag", "yes"), ("flag", 1), ("count", True), ("count", "12"), ("when", "2030-01-01T09:00Z")],
)
def test_request_fields_are_not_silently_coerced(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"demo call: {field}"):
        request_body(_Typed, {field: value}, what="demo call")
