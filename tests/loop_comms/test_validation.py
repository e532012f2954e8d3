"""Bad input raises a ValueError naming the field, before any request is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from tests.conftest import LoopFactory, Script, resolve
from tests.loop_comms.conftest import schedule_kwargs, send_kwargs, sent

pytestmark = pytest.mark.anyio

DISTINCTIVE = "Distinctive-Value-4711"
NAIVE = datetime(2030, 5, 1, 9, 0)
TEXT_FIELDS = ["template_key", "recipient", "brand_id", "person_id", "dedup_key"]

Call = Callable[[Any], Any]


def schedule(**overrides: Any) -> Call:
    return lambda messages: messages.schedule(**schedule_kwargs(**overrides))


def send(**overrides: Any) -> Call:
    return lambda messages: messages.send(**send_kwargs(**overrides))


CASES: dict[str, tuple[Call, str]] = {
    "channel upper-case": (schedule(channel="SMS"), "channel"),
    "channel unknown": (send(channel=f"fax-{DISTINCTIVE}"), "channel"),
    "channel empty": (send(channel=""), "channel"),
    "channel null": (send(channel=None), "channel"),
    "naive scheduled_at": (schedule(scheduled_at=NAIVE), "scheduled_at"),
    "scheduled_at not a time": (schedule(scheduled_at=DISTINCTIVE), "scheduled_at"),
    "scheduled_at null": (schedule(scheduled_at=None), "scheduled_at"),
    "variables a list": (schedule(variables=[DISTINCTIVE]), "variables"),
    "variables a string": (send(variables=DISTINCTIVE), "variables"),
    "variables with a non-text key": (send(variables={7: DISTINCTIVE}), "variables"),
    "hipaa not a boolean": (send(hipaa=DISTINCTIVE), "hipaa"),
    "hipaa null": (send(hipaa=None), "hipaa"),
    "hipaa yes": (send(hipaa="yes"), "hipaa"),
    "hipaa one": (schedule(hipaa=1), "hipaa"),
    "brand_id a boolean": (send(brand_id=True), "brand_id"),
    "dedup_key a number": (send(dedup_key=4711), "dedup_key"),
    "scheduled_at as text": (schedule(scheduled_at="2030-05-01T09:00:00Z"), "scheduled_at"),
    "variables null": (schedule(variables=None), "variables"),
    "unknown field on send": (send(colour=DISTINCTIVE), "colour"),
    "unknown field on schedule": (schedule(send_at=DISTINCTIVE), "send_at"),
    "scheduled_at on send": (send(scheduled_at=datetime(2030, 1, 1)), "scheduled_at"),
    "recipient not text": (send(recipient=4477009001234711), "recipient"),
    "list_scheduled empty brand_id": (
        lambda m: m.list_scheduled(brand_id=""),
        "brand_id",
    ),
    "list_scheduled empty status": (
        lambda m: m.list_scheduled(brand_id="b", status=""),
        "status",
    ),
    "list_scheduled brand_id null": (
        lambda m: m.list_scheduled(brand_id=None),
        "brand_id",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_bad_input_is_refused_before_any_request(make_loop: LoopFactory, case: str) -> None:
    call, field = CASES[case]
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match=field) as caught:
        await resolve(call(client.messages))

    assert script.requests == []
    assert DISTINCTIVE not in str(caught.value)
    assert "4711" not in str(caught.value)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("call", ["schedule", "send"])
async def test_each_required_text_field_refuses_an_empty_string(
    make_loop: LoopFactory, call: str, field: str
) -> None:
    script = Script(sent())
    client = make_loop(script)
    arguments = schedule_kwargs(**{field: ""}) if call == "schedule" else send_kwargs(**{field: ""})

    with pytest.raises(ValueError, match=field) as caught:
        await resolve(getattr(client.messages, call)(**arguments))

    assert "at least 1 character" in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize("field", TEXT_FIELDS)
async def test_each_required_text_field_refuses_null(make_loop: LoopFactory, field: str) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match=field):
        await resolve(client.messages.send(**send_kwargs(**{field: None})))

    assert script.requests == []


@pytest.mark.parametrize("call", ["schedule", "send"])
@pytest.mark.parametrize(
    "variables", [{"a": object()}, {"nested": [{"deep": object()}]}], ids=["flat", "nested"]
)
async def test_a_variables_value_without_a_json_form_is_refused_naming_variables(
    make_loop: LoopFactory, call: str, variables: dict[str, Any]
) -> None:
    script = Script(sent())
    client = make_loop(script)
    arguments = (schedule_kwargs if call == "schedule" else send_kwargs)(variables=variables)

    with pytest.raises(ValueError, match="variables") as caught:
        await resolve(getattr(client.messages, call)(**arguments))

    assert f"messages.{call}" in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
async def test_a_variables_number_without_a_json_form_is_refused(
    make_loop: LoopFactory, value: float
) -> None:
    # JSON has no NaN or Infinity: sending null instead would change what the caller asked for.
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="variables"):
        await resolve(client.messages.send(**send_kwargs(variables={"score": value})))

    assert script.requests == []


@pytest.mark.parametrize("call", ["get", "get_scheduled"])
@pytest.mark.parametrize("bad_id", ["", " ", ".", ".."])
async def test_empty_and_dot_ids_are_refused(
    make_loop: LoopFactory, call: str, bad_id: str
) -> None:
    script = Script(sent())
    client = make_loop(script)
    name = "message_id" if call == "get" else "id"

    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        await resolve(getattr(client.messages, call)(bad_id))

    assert script.requests == []


@pytest.mark.parametrize("call", ["get", "get_scheduled"])
@pytest.mark.parametrize("bad_id", ["../x", "../../admin", "a/b", "a\\b", "..\\x"])
async def test_ids_with_path_separators_are_refused(
    make_loop: LoopFactory, call: str, bad_id: str
) -> None:
    # A proxy that decodes %2F would route "../x" elsewhere: refused, not just encoded.
    script = Script(sent())
    client = make_loop(script)
    name = "message_id" if call == "get" else "id"

    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        await resolve(getattr(client.messages, call)(bad_id))

    assert script.requests == []


@pytest.mark.parametrize("call", ["get", "get_scheduled"])
async def test_a_non_text_id_is_refused(make_loop: LoopFactory, call: str) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="must be a string"):
        await resolve(getattr(client.messages, call)(47114711))

    assert script.requests == []


async def test_input_errors_do_not_chain_pydantics_error(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="template_key") as caught:
        await resolve(client.messages.send(**send_kwargs(template_key="", recipient=DISTINCTIVE)))

    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert DISTINCTIVE not in repr(caught.value)
    assert script.requests == []


async def test_every_problem_is_named_at_once(make_loop: LoopFactory) -> None:
    script = Script(sent())
    client = make_loop(script)

    with pytest.raises(ValueError, match="channel") as caught:
        await resolve(
            client.messages.schedule(
                **schedule_kwargs(channel="SMS", brand_id="", scheduled_at=NAIVE)
            )
        )

    text = str(caught.value)
    assert "messages.schedule" in text
    for field in ("channel", "brand_id", "scheduled_at"):
        assert field in text
    assert script.requests == []


async def test_whitespace_is_text_for_loop(make_loop: LoopFactory) -> None:
    # Loop's schema asks only for minLength 1; a space is not refused client-side.
    script = Script(sent())
    client = make_loop(script)

    await resolve(client.messages.send(**send_kwargs(template_key=" ")))

    assert len(script.requests) == 1
