"""The one-pass JSON parse gives the same model as the careful path, or steps aside for it."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from pydantic_core import from_json

from client_core._fast_parse import model_from_json, page_from_json
from client_core._models import RawResponse, parse_resource
from client_core._pagination import parse_page
from client_core.kit import PagedCall, Resource

LOG = logging.getLogger("test")


class Item(Resource):
    id: str
    note: str | None = None


class Loose(Resource):
    note: str | None = None


RESPONSE = httpx.Response(200, request=httpx.Request("GET", "https://api.test/items"))


def careful(model: type[Resource], content: bytes) -> Resource:
    return parse_resource(model, from_json(content), RESPONSE, strict=False, logger=LOG)


@pytest.mark.parametrize(
    "body",
    [
        {"id": "1", "note": "plain"},
        {"data": {"id": "1", "note": "wrapped"}, "meta": {"x": 1}},
        {"id": "1", "extra": {"data": {"nested": True}}},
        {"id": "1", "data": "text, not an object"},
    ],
)
@pytest.mark.parametrize("model", [Item, Loose])
def test_a_valid_answer_parses_as_the_careful_path_parses_it(
    body: object, model: type[Resource]
) -> None:
    content = json.dumps(body).encode()
    fast = model_from_json(model, content)

    assert fast is not None
    assert fast == careful(model, content)
    assert fast.model_extra == careful(model, content).model_extra


def test_a_wrapper_spelled_with_an_escape_is_still_unwrapped() -> None:
    content = b'{"\\u0064ata": {"id": "1", "note": "escaped"}}'

    assert model_from_json(Item, content) == careful(Item, content) == Item(id="1", note="escaped")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   ",
        b"not json",
        b'{"note": "no id"}',
        b'{"data": {"note": "no id"}}',
        b'{"\\u0064ata": {"note": "no id"}}',
    ],
)
def test_anything_else_is_left_to_the_careful_path(content: bytes) -> None:
    assert model_from_json(Item, content) is None


def page_call(model: type[Resource]) -> PagedCall[Resource]:
    return PagedCall("GET", "/items", model, idempotent=True)


@pytest.mark.parametrize(
    "body",
    [
        [{"id": "1"}, {"id": "2"}],
        {"data": [{"id": "1"}], "links": {"next": None}, "meta": {"current_page": 1}},
        {"data": [{"id": "1"}], "links": None},
    ],
)
def test_a_valid_page_parses_as_the_careful_path_parses_it(body: object) -> None:
    content = json.dumps(body).encode()
    raw = RawResponse(RESPONSE, 0)
    fast = page_from_json(page_call(Item), content, raw)
    slow = parse_page(page_call(Item), from_json(content), raw, strict=False, logger=LOG)

    assert fast is not None
    assert fast.items == slow.items
    assert (fast.links, fast.meta, fast.next_page) == (slow.links, slow.meta, slow.next_page)


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (Loose, {"data": [{"data": {"note": "a row wrapped on its own"}}]}),
        (Item, {"data": [{"id": "1"}], "links": "not an object"}),
        (Item, {"data": [{"note": "no id"}]}),
        (Item, {"items": []}),
    ],
)
def test_an_unusual_page_is_left_to_the_careful_path(model: type[Resource], body: object) -> None:
    content = json.dumps(body).encode()
    assert page_from_json(page_call(model), content, RawResponse(RESPONSE, 0)) is None
