"""The plain-Python body check accepts only what pydantic's path accepts, and sends the same body.

Every request schema of the four vendors is fed the same inputs through `request_body` with and
without the quick check; the outcome (the body, key order included, or the error's wording)
must be the same.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal, NotRequired

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AwareDatetime, Field, with_config
from typing_extensions import TypedDict

import client_core._models as models
from client_core.kit import REQUEST_CONFIG, JsonObject, NonBlank, UUIDText, request_body
from hero_client._messages import _SendBody as HeroSend
from loop_comms_client._messages import _ScheduledQuery as LoopScheduledQuery
from loop_comms_client.models import MessageFields, ScheduleFields
from plannr_client._conversations import _InlineForm as PlannrInline
from plannr_client._conversations import _MessageBody as PlannrSend
from plannr_client._conversations import _MessageQuery as PlannrMessageQuery
from sqod_client._appointments import _CancelBody as SqodCancel
from sqod_client._appointments import _MessageBody as SqodSend
from sqod_client.models import AppointmentChanges, NewAppointment


@with_config(REQUEST_CONFIG)
class _Mixed(TypedDict):
    # The kinds the quick check knows, in one schema, including a nullable one refused as None.
    name: Annotated[str, Field(min_length=2, max_length=5)]
    code: Annotated[str, Field(pattern=r"^[0-9]+$")]
    note: str | None
    hidden_null: NotRequired[Annotated[str | None, Field(min_length=1)]]
    either: NotRequired[bool | str]
    count: NotRequired[int]
    ids: NotRequired[list[UUIDText]]
    when: NotRequired[AwareDatetime]
    kind: NotRequired[Literal["a", "b"]]
    text: NotRequired[NonBlank]
    free: NotRequired[JsonObject]


SCHEMAS: list[type[Any]] = [
    ScheduleFields,
    MessageFields,
    LoopScheduledQuery,
    HeroSend,
    PlannrSend,
    PlannrInline,
    PlannrMessageQuery,
    SqodSend,
    SqodCancel,
    AppointmentChanges,
    NewAppointment,
    _Mixed,
]

_OFFSETS = [
    timedelta(0),
    timedelta(hours=-5, minutes=-30),
    timedelta(hours=14),
    timedelta(seconds=37),
]

VALUES = st.one_of(
    st.sampled_from(
        ["", " ", "ab", "abcdef", "sms", "email", "a", "123", "12a", "123\n", "\ud800", "é", "Zoë"]
    ),
    st.text(max_size=8),
    st.just(str(uuid.UUID(int=7))),
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.builds(
        datetime,
        st.integers(1, 9999),
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        st.sampled_from([0, 1, 120000, 999999]),
        st.sampled_from([None, *(timezone(o) for o in _OFFSETS)]),
    ),
    st.just(date(2026, 1, 2)),
    st.lists(st.sampled_from([str(uuid.UUID(int=1)), "nope", None, "\ud800"]), max_size=3),
    st.tuples(st.just(str(uuid.UUID(int=2)))),
    st.just({"a": 1}),
    st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-2, 2),
            st.floats(),
            st.sampled_from(["x", "é", "\ud800"]),
        ),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner),
            st.dictionaries(st.sampled_from(["k", "\ud800", 1]), inner, max_size=3),
        ),
        max_leaves=6,
    ),
)


VALID: dict[type[Any], dict[str, Any]] = {
    ScheduleFields: {
        "channel": "sms",
        "template_key": "appointment_reminder",
        "recipient": "+447700900123",
        "brand_id": "brand-1",
        "person_id": "person-42",
        "dedup_key": "reminder-1",
        "scheduled_at": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        "hipaa": False,
        "variables": {"first_name": "Zoë", "slots": [1, 2.5, None, True], "clinic": {"id": "c1"}},
    },
    HeroSend: {"patient_id": "123", "message_type": "sms", "message_string": "Flu clinic"},
    PlannrSend: {"contents": "Pack attached", "files": [str(uuid.UUID(int=3))]},
    SqodSend: {"message": "Running late"},
    LoopScheduledQuery: {"brand_id": "brand-1"},
    _Mixed: {"name": "abc", "code": "42", "note": None, "when": datetime(2026, 1, 1, tzinfo=UTC)},
}


def _outcome(schema: type[Any], given: Mapping[str, Any]) -> tuple[str, str]:
    try:
        body = request_body(schema, given, what="demo call")
    except ValueError as exc:
        return ("refused", str(exc))
    return ("sent", json.dumps(body, ensure_ascii=False))


def _both(
    schema: type[Any], given: Mapping[str, Any], monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[str, str], tuple[str, str]]:
    quick = _outcome(schema, given)
    with monkeypatch.context() as patched:
        patched.setattr(models, "quick_body", lambda *args: None)
        slow = _outcome(schema, given)
    return quick, slow


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: f"{s.__module__}.{s.__name__}")
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_quick_and_pydantic_paths_agree_on_every_input(
    schema: type[Any], data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = models._schema(schema)[0].core_schema
    names = [*core.get("schema", core)["fields"], "unknown_key"]
    # Start from a body that passes (the common case), then change or drop some of it.
    body: dict[str, Any] = dict(VALID.get(schema, {}))
    for name in data.draw(st.lists(st.sampled_from(names), unique=True, max_size=3)):
        if name in body and data.draw(st.booleans()):
            del body[name]
        else:
            body[name] = data.draw(VALUES)
    quick, slow = _both(schema, body, monkeypatch)
    assert quick == slow


GOOD_SCHEDULE: dict[str, Any] = {
    "channel": "sms",
    "template_key": "appointment_reminder",
    "recipient": "+447700900123",
    "brand_id": "brand-1",
    "person_id": "person-42",
    "dedup_key": "reminder-1",
    "scheduled_at": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
}

BAD_SCHEDULES: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown key": lambda b: b.update(chanel="sms"),
    "missing key": lambda b: b.pop("recipient"),
    "None where not nullable": lambda b: b.update(recipient=None),
    "bool for text": lambda b: b.update(recipient=True),
    "empty text": lambda b: b.update(template_key=""),
    "channel not in the list": lambda b: b.update(channel="fax"),
    "naive timestamp": lambda b: b.update(scheduled_at=datetime(2026, 12, 3, 9, 30)),
    "timestamp as text": lambda b: b.update(scheduled_at="2026-12-03T09:30:00Z"),
    "lone surrogate": lambda b: b.update(person_id="Jane \ud83d"),
    "int for bool": lambda b: b.update(hipaa=1),
    "lone surrogate in a variable": lambda b: b.update(variables={"name": ["Jane \ud83d"]}),
    "lone surrogate in a variable name": lambda b: b.update(variables={"Jane \ud83d": 1}),
    "infinite variable": lambda b: b.update(variables={"n": float("inf")}),
    "object variable": lambda b: b.update(variables={"when": datetime(2026, 1, 1)}),
    "tuple inside variables": lambda b: b.update(variables={"tags": ("a", "b")}),
    "number as a variable name": lambda b: b.update(variables={1: "a"}),
    "str subclass for text": lambda b: b.update(brand_id=type("Sub", (str,), {})("brand-1")),
}


@pytest.mark.parametrize("spoil", BAD_SCHEDULES.values(), ids=BAD_SCHEDULES)
def test_a_bad_schedule_is_refused_as_before_naming_the_field_not_the_value(
    spoil: Callable[[dict[str, Any]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = dict(GOOD_SCHEDULE)
    spoil(body)
    quick, slow = _both(ScheduleFields, body, monkeypatch)
    assert quick == slow
    if quick[0] == "sent":
        return  # a str subclass is text to pydantic too: sent the same either way
    assert quick[0] == "refused"
    assert "Jane" not in quick[1]
    assert "+447700900123" not in quick[1]


def test_the_common_bodies_take_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pydantic(*args: object, **kwargs: object) -> None:
        raise AssertionError("pydantic's path was taken")

    bodies: list[tuple[type[Any], dict[str, Any]]] = [
        (ScheduleFields, GOOD_SCHEDULE),
        (ScheduleFields, VALID[ScheduleFields]),
        (HeroSend, {"patient_id": "123", "message_type": "sms", "message_string": "Flu"}),
        (PlannrSend, {"contents": "Pack attached", "files": ()}),
        (SqodSend, {"message": "Running late"}),
    ]
    for schema, body in bodies:
        expected = request_body(schema, body, what="demo call")
        adapter = models._schema(schema)[0]
        monkeypatch.setattr(adapter, "validate_python", no_pydantic)
        assert request_body(schema, body, what="demo call") == expected
    assert request_body(PlannrSend, {"contents": "x", "files": ()}, what="d")["files"] == []


def test_a_timestamp_is_sent_as_pydantic_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for offset in _OFFSETS[:3]:
        for micro in (0, 5, 120000):
            when = datetime(2026, 12, 3, 9, 30, 0, micro, tzinfo=timezone(offset))
            quick, slow = _both(
                ScheduleFields, {**GOOD_SCHEDULE, "scheduled_at": when}, monkeypatch
            )
            assert quick == slow
    utc = _outcome(ScheduleFields, GOOD_SCHEDULE)[1]
    assert '"scheduled_at":"2026-12-03T09:30:00Z"' in utc.replace(" ", "")
