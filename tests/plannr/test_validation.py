"""Bad input raises a ValueError naming the field, before any request is sent."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import PlannrFactory, Script, resolve
from tests.plannr.payloads import (
    CONVERSATION_UUID,
    FILE_UUID,
    PATIENT_TEXT,
    message_json,
)

pytestmark = pytest.mark.anyio

C = CONVERSATION_UUID
DISTINCT = "Distinct-Value-4242"

CASES: dict[str, tuple[Callable[[Any], Any], str]] = {
    # send_message
    "files holding None (the spec's own example request)": (
        lambda c: c.send_message(C, contents="Hello, welcome to Plannr.", files=[None, None]),
        "files",
    ),
    "files holding one None among uuids": (
        lambda c: c.send_message(C, contents="hi", files=[FILE_UUID, None]),
        "files",
    ),
    "file id that is not a uuid": (
        lambda c: c.send_message(C, contents="hi", files=["file-1"]),
        "files",
    ),
    "file id that is a number": (lambda c: c.send_message(C, contents="hi", files=[7]), "files"),
    "bare string for files": (lambda c: c.send_message(C, contents="hi", files=FILE_UUID), "files"),
    "files as None": (lambda c: c.send_message(C, contents="hi", files=None), "files"),
    "files as a number": (lambda c: c.send_message(C, contents="hi", files=5), "files"),
    "empty contents": (lambda c: c.send_message(C, contents=""), "contents"),
    "blank contents": (lambda c: c.send_message(C, contents=" \n\t "), "contents"),
    "contents as None": (lambda c: c.send_message(C, contents=None), "contents"),
    "contents as a number": (lambda c: c.send_message(C, contents=42), "contents"),
    "conversation uuid not a uuid": (
        lambda c: c.send_message("12345", contents="hi"),
        "conversation_uuid",
    ),
    "conversation uuid path traversal": (
        lambda c: c.send_message("../../api/v1/logins", contents="hi"),
        "conversation_uuid",
    ),
    "conversation uuid with a slash after it": (
        lambda c: c.send_message(C + "/../../admin", contents="hi"),
        "conversation_uuid",
    ),
    "conversation uuid percent-encoded traversal": (
        lambda c: c.send_message("..%2F..%2Fadmin", contents="hi"),
        "conversation_uuid",
    ),
    "conversation uuid with a query": (
        lambda c: c.send_message(C + "?x=1", contents="hi"),
        "conversation_uuid",
    ),
    "conversation uuid empty": (lambda c: c.send_message("", contents="hi"), "conversation_uuid"),
    "conversation uuid None": (lambda c: c.send_message(None, contents="hi"), "conversation_uuid"),
    # send_message_with_attachments
    "attachments: empty list": (
        lambda c: c.send_message_with_attachments(C, contents="hi", files=[]),
        "files",
    ),
    "attachments: bare bytes": (
        lambda c: c.send_message_with_attachments(C, contents="hi", files=b"%PDF-1.4"),
        "files",
    ),
    "attachments: a string element": (
        lambda c: c.send_message_with_attachments(C, contents="hi", files=["scan.pdf"]),
        "files",
    ),
    "attachments: a None element": (
        lambda c: c.send_message_with_attachments(C, contents="hi", files=[b"x", None]),
        "files",
    ),
    "attachments: a tuple with text content": (
        lambda c: c.send_message_with_attachments(
            C, contents="hi", files=[("a.txt", "text", "text/plain")]
        ),
        "files",
    ),
    "attachments: a dict element": (
        lambda c: c.send_message_with_attachments(C, contents="hi", files=[{"a": b"x"}]),
        "files",
    ),
    "attachments: blank contents": (
        lambda c: c.send_message_with_attachments(C, contents="  ", files=[b"x"]),
        "contents",
    ),
    "attachments: empty contents": (
        lambda c: c.send_message_with_attachments(C, contents="", files=[b"x"]),
        "contents",
    ),
    "attachments: conversation uuid path traversal": (
        lambda c: c.send_message_with_attachments("../x", contents="hi", files=[b"x"]),
        "conversation_uuid",
    ),
    # list
    "list: include outside the enum": (lambda c: c.list(include=["owner"]), "include"),
    "list: include as a bare string": (lambda c: c.list(include="tags"), "include"),
    "list: sort outside the enum": (lambda c: c.list(sort="name"), "sort"),
    "list: sort with a bad prefix": (lambda c: c.list(sort="+created_at"), "sort"),
    "list: archived outside the enum": (lambda c: c.list(filter_archived="yes"), "filter_archived"),
    "list: archived as a bool": (lambda c: c.list(filter_archived=False), "filter_archived"),
    "list: filter_uuid not uuids": (lambda c: c.list(filter_uuid=["conv-1"]), "filter_uuid"),
    "list: filter_uuid bare string": (lambda c: c.list(filter_uuid=C), "filter_uuid"),
    "list: filter_circle_uuids not uuids": (
        lambda c: c.list(filter_circle_uuids=["circle"]),
        "filter_circle_uuids",
    ),
    "list: per_page above 500": (lambda c: c.list(per_page=501), "per_page"),
    "list: per_page zero": (lambda c: c.list(per_page=0), "per_page"),
    "list: per_page negative": (lambda c: c.list(per_page=-5), "per_page"),
    "list: per_page as text": (lambda c: c.list(per_page="50"), "per_page"),
    "list: page zero": (lambda c: c.list(page=0), "page"),
    # list_messages
    "messages: sort by another field": (lambda c: c.list_messages(C, sort="updated_at"), "sort"),
    "messages: sort outside the enum": (lambda c: c.list_messages(C, sort="newest"), "sort"),
    "messages: per_page above 500": (lambda c: c.list_messages(C, per_page=501), "per_page"),
    "messages: per_page zero": (lambda c: c.list_messages(C, per_page=0), "per_page"),
    "messages: page zero": (lambda c: c.list_messages(C, page=0), "page"),
    "messages: conversation uuid traversal": (
        lambda c: c.list_messages("../../logins"),
        "conversation_uuid",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_bad_input_is_refused_before_any_request(
    make_plannr: PlannrFactory, case: str
) -> None:
    call, field = CASES[case]
    script = Script(httpx.Response(200, json=message_json()))
    client = make_plannr(script)

    with pytest.raises(ValueError, match=rf"\b{re.escape(field)}\b"):
        await resolve(call(client.conversations))

    assert script.requests == []


async def test_files_holding_none_says_why(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(200, json=message_json()))
    client = make_plannr(script)

    with pytest.raises(ValueError, match="files") as caught:
        await resolve(
            client.conversations.send_message(
                C,
                contents="Hello, welcome to Plannr.",
                files=[None, None],  # type: ignore[list-item]
            )
        )

    assert "None" in str(caught.value)
    assert script.requests == []


async def test_per_page_limit_is_500_inclusive(make_plannr: PlannrFactory) -> None:
    script = Script(httpx.Response(200, json={"data": []}))
    client = make_plannr(script)

    await resolve(client.conversations.list(per_page=500))
    await resolve(client.conversations.list_messages(C, per_page=500))
    with pytest.raises(ValueError, match="500"):
        await resolve(client.conversations.list(per_page=501))

    assert [r.url.params["per_page"] for r in script.requests] == ["500", "500"]


async def test_text_mode_file_object_is_a_value_error_before_io(
    make_plannr: PlannrFactory,
) -> None:
    # A file opened without "b" is a common mistake; API.md: bad input is a ValueError naming
    # the field, raised before I/O.
    script = Script(httpx.Response(200, json=message_json()))
    client = make_plannr(script)

    with pytest.raises(ValueError, match="files"):
        await resolve(
            client.conversations.send_message_with_attachments(
                C,
                contents="hi",
                files=[io.StringIO("text, not bytes")],  # type: ignore[list-item]
            )
        )

    assert script.requests == []


@pytest.mark.parametrize("kind", ["generator", "iterator", "map"])
async def test_one_shot_iterable_of_file_ids_is_never_silently_emptied(
    make_plannr: PlannrFactory, kind: str
) -> None:
    # A one-shot iterable must either attach exactly the files it holds or be refused before
    # I/O; posting the message with `"files": []` silently drops the attachments.
    script = Script(httpx.Response(200, json=message_json()))
    client = make_plannr(script)
    ids = [FILE_UUID]
    files: Any = {
        "generator": (i for i in ids),
        "iterator": iter(ids),
        "map": map(str, ids),
    }[kind]

    refused: ValueError | None = None
    try:
        await resolve(client.conversations.send_message(C, contents="hi", files=files))
    except ValueError as error:
        refused = error

    if refused is not None:
        assert "files" in str(refused)
        assert script.requests == []
    else:
        (request,) = script.requests
        assert request.content == ('{"contents":"hi","files":["' + FILE_UUID + '"]}').encode()


ECHO_CASES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "conversation_uuid": (
        lambda c: c.send_message(f"../{DISTINCT}", contents=PATIENT_TEXT),
        "conversation_uuid",
    ),
    "files": (lambda c: c.send_message(C, contents=PATIENT_TEXT, files=[DISTINCT]), "files"),
    "attachments files": (
        lambda c: c.send_message_with_attachments(C, contents=PATIENT_TEXT, files=[DISTINCT]),
        "files",
    ),
    "contents type": (
        lambda c: c.send_message(C, contents=[PATIENT_TEXT, DISTINCT]),
        "contents",
    ),
    "include": (lambda c: c.list(include=[DISTINCT]), "include"),
    "sort": (lambda c: c.list(sort=DISTINCT), "sort"),
    "filter_uuid": (lambda c: c.list(filter_uuid=[DISTINCT]), "filter_uuid"),
    "filter_archived": (lambda c: c.list(filter_archived=DISTINCT), "filter_archived"),
    "filter_circle_uuids": (
        lambda c: c.list(filter_circle_uuids=[DISTINCT]),
        "filter_circle_uuids",
    ),
    "messages sort": (lambda c: c.list_messages(C, sort=DISTINCT), "sort"),
}


@pytest.mark.parametrize("case", ECHO_CASES, ids=list(ECHO_CASES))
async def test_input_errors_do_not_echo_the_value(make_plannr: PlannrFactory, case: str) -> None:
    call, field = ECHO_CASES[case]
    script = Script(httpx.Response(200, json=message_json()))
    client = make_plannr(script)

    with pytest.raises(ValueError, match=field) as caught:
        await resolve(call(client.conversations))

    for text in (str(caught.value), repr(caught.value)):
        assert DISTINCT not in text
        assert PATIENT_TEXT not in text
    assert caught.value.__cause__ is None
    assert script.requests == []
