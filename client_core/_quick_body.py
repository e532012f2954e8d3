"""A request body checked in plain Python when every rule it needs is a simple one.

pydantic's strict TypedDict validation costs 3-8 us a call even for a one-field body. Most bodies
here are text, literals, booleans, ints, aware timestamps and lists of those: this module reads
the same core schema pydantic validates against and checks those rules directly. It only ever
accepts: on anything it does not fully understand, or any value that breaks a rule (an unknown
or missing key, a wrong type, a None, a short text, a lone surrogate...), it returns None and
`request_body` takes pydantic's path, which refuses the value and words the error as before.
So an input is refused exactly when it was before, and an accepted one gives the same body.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import SchemaValidator, ValidationError

__all__ = ["quick_body"]


class _Refused(Exception):
    """A value the quick check does not accept; pydantic's path decides and words the error."""


_REFUSED = _Refused()

Check = Callable[[Any], Any]
"""Returns the JSON-ready value, or raises `_Refused`."""

_Fields = tuple[tuple[str, bool, Check], ...]
_COMPILED: dict[type[Any], _Fields | None] = {}


def quick_body(
    schema: type[Any],
    adapter: TypeAdapter[Any],
    not_nullable: frozenset[str],
    given: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The body `request_body` would return for `given`, or None to leave it to pydantic."""
    try:
        fields = _COMPILED[schema]
    except KeyError:
        fields = _COMPILED[schema] = _compile(adapter.core_schema, not_nullable)
    if fields is None:
        return None
    body: dict[str, Any] = {}
    try:
        for name, required, check in fields:
            if name in given:
                body[name] = check(given[name])
            elif required:
                return None
    except _Refused:
        return None
    if len(body) != len(given):
        return None  # an unknown key
    return body


def _compile(schema: Mapping[str, Any], not_nullable: frozenset[str]) -> _Fields | None:
    if schema.get("type") == "definitions":
        schema = schema["schema"]  # a field refers to them: that field is pydantic's
    if schema.get("type") != "typed-dict" or set(schema) - _TYPED_DICT_KEYS:
        return None
    if schema.get("extra_behavior") != "forbid" or not schema.get("config", {}).get("strict"):
        return None
    if schema.get("computed_fields"):
        return None
    fields: list[tuple[str, bool, Check]] = []
    for name, field in schema["fields"].items():
        if set(field) - {"type", "schema", "required", "metadata"}:
            return None  # aliases, serialization rules: pydantic's path
        # A field of another kind: a body that holds it takes pydantic's path.
        check = _check(field["schema"]) or _pydantics
        if name in not_nullable and field["schema"].get("type") == "nullable":
            check = _not_none(check)  # e.g. `Annotated[str | None, ...]`, which it refuses
        fields.append((name, bool(field.get("required", True)), _top_level(check, field["schema"])))
    return tuple(fields)


_TYPED_DICT_KEYS = frozenset(
    {"type", "cls", "fields", "computed_fields", "config", "extra_behavior", "ref", "metadata"}
)


def _pydantics(value: Any) -> Any:
    raise _REFUSED


def _check(schema: Mapping[str, Any]) -> Check | None:
    """A check for one value of this core schema, or None if it is not a simple rule."""
    kind = schema.get("type")
    if not isinstance(kind, str) or kind not in _BUILDERS:
        return None
    builder = _BUILDERS[kind]
    allowed = _KEYS[kind] | {"type", "metadata", "strict"}
    if set(schema) - allowed or (schema.get("strict") is False and kind != "dict"):
        return None
    return builder(schema)


def _text(schema: Mapping[str, Any]) -> Check | None:
    shortest, longest = schema.get("min_length", 0), schema.get("max_length")
    pattern = None
    if "pattern" in schema:
        # pydantic's own regex engine decides, for exactly its semantics.
        pattern = SchemaValidator({"type": "str", "pattern": schema["pattern"], "strict": True})

    def check(value: Any) -> Any:
        if type(value) is not str or len(value) < shortest:
            raise _REFUSED
        if longest is not None and len(value) > longest:
            raise _REFUSED
        if not value.isascii():
            _encodable(value)
        if pattern is not None:
            try:
                pattern.validate_python(value)
            except ValidationError:
                raise _REFUSED from None
        return value

    return check


def _encodable(value: str) -> None:
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _REFUSED from None


def _literal(schema: Mapping[str, Any]) -> Check | None:
    expected = schema["expected"]
    if not all(type(value) is str for value in expected):
        return None  # 1 == True: leave numbers and booleans to pydantic
    allowed = frozenset(expected)

    def check(value: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise _REFUSED
        return value

    return check


def _exact(kind: type[Any]) -> Callable[[Mapping[str, Any]], Check]:
    def build(schema: Mapping[str, Any]) -> Check:
        def check(value: Any) -> Any:
            if type(value) is not kind:
                raise _REFUSED
            return value

        return check

    return build


def _none(schema: Mapping[str, Any]) -> Check:
    def check(value: Any) -> Any:
        if value is not None:
            raise _REFUSED
        return None

    return check


def _aware_datetime(schema: Mapping[str, Any]) -> Check | None:
    if schema.get("tz_constraint") != "aware":
        return None
    if schema.get("microseconds_precision", "truncate") != "truncate":
        return None

    def check(value: Any) -> Any:
        if type(value) is not datetime:
            raise _REFUSED
        offset = value.utcoffset()
        if offset is None or offset % _MINUTE:
            raise _REFUSED  # pydantic writes offsets in whole minutes: its path decides
        text = value.isoformat()
        return text[:-6] + "Z" if not offset else text

    return check


_MINUTE = timedelta(minutes=1)


def _nullable(schema: Mapping[str, Any]) -> Check | None:
    inner = _check(schema["schema"])
    if inner is None:
        return None

    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def _union(schema: Mapping[str, Any]) -> Check | None:
    if schema.get("mode", "smart") != "smart":
        return None
    choices = schema["choices"]
    # Only choices that return the value unchanged: then whichever one pydantic picks, the
    # body is the same.
    if not all(isinstance(c, Mapping) and c.get("type") in _UNCHANGED for c in choices):
        return None
    checks = [_check(choice) for choice in choices]
    if any(check is None for check in checks):
        return None
    valid = [check for check in checks if check is not None]

    def check(value: Any) -> Any:
        for one in valid:
            try:
                return one(value)
            except _Refused:
                continue
        raise _REFUSED

    return check


def _after(schema: Mapping[str, Any]) -> Check | None:
    function = schema["function"]
    if schema["schema"].get("type") not in _UNCHANGED:
        return None  # the validator must see the value as pydantic passes it, not its JSON form
    inner = _check(schema["schema"])
    if inner is None or set(function) != {"type", "function"} or function["type"] != "no-info":
        return None
    validate = function["function"]

    def check(value: Any) -> Any:
        value = inner(value)
        try:
            result = validate(value)
        except Exception:  # pydantic words what the validator raised
            raise _REFUSED from None
        if type(result) is not type(value):
            raise _REFUSED  # sent as pydantic would dump it: its path decides
        return result

    return check


def _list(schema: Mapping[str, Any]) -> Check | None:
    items = _check(schema["items_schema"]) if "items_schema" in schema else None
    if items is None:
        return None

    def check(value: Any) -> Any:
        if type(value) is not list:
            raise _REFUSED
        return [items(item) for item in value]

    return check


def _dict(schema: Mapping[str, Any]) -> Check | None:
    # A free-form JSON object (e.g. Loop's `variables`); a lax `Mapping` still takes a dict.
    if schema.get("keys_schema") != {"type": "str"}:
        return None
    values = schema.get("values_schema", {})
    if values.get("type") != "definition-ref" or _json_value_check(values) is None:
        return None

    def check(value: Any) -> Any:
        if type(value) is not dict:
            raise _REFUSED
        return _json_value(value, 0)

    return check


def _json_value_check(schema: Mapping[str, Any]) -> Check | None:
    # pydantic's `JsonValue`: a union tagged by the exact type's name, so a subclass is refused.
    if not str(schema.get("schema_ref", "")).startswith("pydantic.types.JsonValue:"):
        return None
    if set(schema) - {"type", "schema_ref", "metadata"}:
        return None
    return lambda value: _json_value(value, 0)


def _json_value(value: Any, depth: int) -> Any:
    kind = type(value)
    if kind is str:
        if not value.isascii():
            _encodable(value)
        return value
    if value is None or kind is int or kind is bool:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _REFUSED
        return value
    if depth >= _DEEPEST:
        raise _REFUSED
    if kind is list:
        return [_json_value(item, depth + 1) for item in value]
    if kind is dict:
        return {_json_key(k): _json_value(v, depth + 1) for k, v in value.items()}
    raise _REFUSED


def _json_key(key: Any) -> str:
    if type(key) is not str:
        raise _REFUSED
    if not key.isascii():
        _encodable(key)
    return key


_DEEPEST = 32  # deeper nesting is left to pydantic, which has its own recursion limit


def _not_none(check: Check) -> Check:
    def refuse_none(value: Any) -> Any:
        if value is None:
            raise _REFUSED  # `request_body` names the field in its own "may not be null"
        return check(value)

    return refuse_none


def _top_level(check: Check, schema: Mapping[str, Any]) -> Check:
    if schema.get("type") != "list":
        return check

    # `request_body` turns a top-level tuple into a list first (signatures take any sequence).
    def from_sequence(value: Any) -> Any:
        return check(list(value) if type(value) is tuple else value)

    return from_sequence


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], Check | None]] = {
    "str": _text,
    "literal": _literal,
    "bool": _exact(bool),
    "int": _exact(int),
    "none": _none,
    "datetime": _aware_datetime,
    "nullable": _nullable,
    "union": _union,
    "function-after": _after,
    "list": _list,
    "dict": _dict,
    "definition-ref": _json_value_check,
}
_KEYS: dict[str, set[str]] = {
    "str": {"min_length", "max_length", "pattern"},
    "literal": {"expected"},
    "bool": set(),
    "int": set(),
    "none": set(),
    "datetime": {"tz_constraint", "microseconds_precision"},
    "nullable": {"schema"},
    "union": {"choices", "mode"},
    "function-after": {"function", "schema"},
    "list": {"items_schema"},
    "dict": {"keys_schema", "values_schema"},
    "definition-ref": {"schema_ref"},
}
# Kinds whose accepted value is sent as given (a datetime becomes text, a validator may change it).
_UNCHANGED = frozenset({"str", "literal", "bool", "int", "none", "dict"})
