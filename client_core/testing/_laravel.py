"""How a Laravel app answers, for the fakes of vendors built on it (validation, pages).

Laravel's defaults: a 422 `{message, errors}` whose messages read "The x field is required.",
and `LengthAwarePaginator` pages `{data, links, meta}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar

import httpx
from pydantic import BeforeValidator, StrictBool, TypeAdapter, ValidationError

from ._server import ErrorReply

__all__ = [
    "LaravelBool",
    "laravel_error",
    "laravel_invalid",
    "laravel_page",
    "laravel_validate",
    "page_query",
    "validation_reply",
]

T = TypeVar("T")
_INTEGER = re.compile(r"[+-]?[0-9]+")  # PHP's integer rule: ASCII digits only


def _laravel_boolean(value: object) -> object:
    if (type(value) is int and value in (0, 1)) or value in ("0", "1"):
        return value in (1, "1")
    return value


LaravelBool = Annotated[StrictBool, BeforeValidator(_laravel_boolean)]
"""A bool as Laravel's `boolean` rule reads it: true, false, 1, 0, "1" or "0" (not "yes")."""

_RULES = {
    "missing": "The {} field is required.",
    "string_too_short": "The {} field is required.",
    "string_type": "The {} field must be a string.",
    "int_type": "The {} field must be an integer.",
    "int_parsing": "The {} field must be an integer.",
    "int_from_float": "The {} field must be an integer.",
    "bool_type": "The {} field must be true or false.",
    "bool_parsing": "The {} field must be true or false.",
    "literal_error": "The selected {} is invalid.",
    "list_type": "The {} field must be an array.",
    "dict_type": "The {} field must be an array.",
    "typed_dict_type": "The {} field must be an array.",
    "uuid_type": "The {} field must be a valid UUID.",
    "uuid_parsing": "The {} field must be a valid UUID.",
    "greater_than_equal": "The {} field must be at least {ge}.",
    "less_than_equal": "The {} field must not be greater than {le}.",
}


def laravel_validate(adapter: TypeAdapter[T], data: object) -> T:
    """Validate a request body as Laravel would, or raise a 422 `ErrorReply` in its format."""
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise validation_reply(exc) from None


def validation_reply(exc: ValidationError) -> ErrorReply:
    """Laravel's 422: the first message (and how many more) plus every field's messages."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        errors.setdefault(field, []).append(_message(field, error))
    return laravel_invalid(errors)


def laravel_invalid(errors: Mapping[str, list[str]]) -> ErrorReply:
    """Laravel's 422 for these field messages: the first one, "(and N more errors)", all."""
    messages = [m for field_messages in errors.values() for m in field_messages]
    more = len(messages) - 1
    summary = messages[0] + (f" (and {more} more error{'s' * (more > 1)})" if more else "")
    return ErrorReply(422, summary, errors=errors)


def _message(field: str, error: Any) -> str:
    name = field.replace("_", " ")
    kind = str(error["type"])
    if error.get("input", ...) is None and kind != "missing":
        kind = "missing"  # a required field sent as null: Laravel reports it as missing
    if kind.startswith(("datetime", "date", "timezone")):
        return f"The {name} field must be a valid date."
    rule = _RULES.get(kind, "The {} field is invalid.")
    return rule.format(name, **(error.get("ctx") or {}))


def laravel_error(error: ErrorReply) -> httpx.Response:
    """An error as Laravel renders it for a JSON client: `{message}`, plus `errors` on a 422."""
    body: dict[str, Any] = {"message": error.message}
    if error.errors:
        body["errors"] = error.errors
    return httpx.Response(error.status, json=body)


def page_query(
    request: httpx.Request, *, per_page: int, max_per_page: int | None = None
) -> tuple[int, int]:
    """`page` and `per_page` from the query, checked as Laravel's integer rules would."""
    values = {"page": 1, "per_page": per_page}
    errors: dict[str, list[str]] = {}
    for name, low in (("page", 1), ("per_page", 1)):
        raw = request.url.params.get(name)
        if raw is None:
            continue
        if not _INTEGER.fullmatch(raw.strip()):
            errors[name] = [f"The {name.replace('_', ' ')} field must be an integer."]
            continue
        values[name] = int(raw)
        if values[name] < low:
            errors[name] = [f"The {name.replace('_', ' ')} field must be at least {low}."]
    if max_per_page is not None and values["per_page"] > max_per_page:
        errors["per_page"] = [f"The per page field must not be greater than {max_per_page}."]
    if errors:
        raise laravel_invalid(errors)
    return values["page"], values["per_page"]


def laravel_page(
    items: Sequence[Mapping[str, Any]], *, page: int, per_page: int, url: str
) -> dict[str, Any]:
    """One page of `items` as a Laravel resource collection over a LengthAwarePaginator."""
    total = len(items)
    last = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])

    def link(number: int) -> str:
        return f"{url}?page={number}"

    return {
        "data": chunk,
        "links": {
            "first": link(1),
            "last": link(last),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
        },
        "meta": {
            "current_page": page,
            "from": start + 1 if chunk else None,
            "last_page": last,
            "links": [],
            "path": url,
            "per_page": per_page,
            "to": start + len(chunk) if chunk else None,
            "total": total,
        },
    }
