"""An empty list or object cannot travel in a form: `update(files=...)` says so before I/O."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from client_core.kit import laravel_form
from tests.conftest import APPOINTMENT_ID, SqodFactory, resolve


def _no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError("no request may be sent")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"claimant": {"name": "Ann", "data": []}}, "claimant.data"),
        ({"claimant": {}}, "claimant"),
        (
            {"claimant": {"name": "Ann", "data": [{"id": "a", "value": {}}]}},
            "claimant.data.0.value",
        ),
    ],
    ids=["empty-list", "empty-object", "nested"],
)
async def test_an_empty_value_with_files_is_refused_naming_the_field(
    make_sqod: SqodFactory, changes: dict[str, Any], field: str
) -> None:
    sqod = make_sqod(_no_request)
    letter = {"letter": ("letter.pdf", b"%PDF-1.4", "application/pdf")}

    with pytest.raises(ValueError, match="without files") as caught:
        await resolve(sqod.appointments.update(APPOINTMENT_ID, files=letter, **changes))

    assert str(caught.value).startswith(field + ": an empty")


@pytest.mark.anyio
async def test_the_same_change_without_files_sends_the_empty_list(make_sqod: SqodFactory) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"data": {"id": APPOINTMENT_ID, "status": "waiting"}})

    sqod = make_sqod(answer)
    await resolve(sqod.appointments.update(APPOINTMENT_ID, claimant={"name": "Ann", "data": []}))

    assert b'"data":[]' in sent[0].content


def test_laravel_form_names_the_dotted_path_of_the_empty_value() -> None:
    with pytest.raises(ValueError, match=r"^claimant\.data: an empty list cannot be sent"):
        laravel_form({"status": "waiting", "claimant": {"name": "Ann", "data": []}})
