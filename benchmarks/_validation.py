"""Response validation: an SDK model against a plain pydantic model of the same fields.

The plain twin is derived from the SDK model (field names, types, nesting), minus what the SDK
adds: lenient `extra="allow"`, the timestamp and number validators, the base `Resource`.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, create_model

from client_core import Resource

__all__ = ["SAMPLE", "plain_twin"]

SAMPLE = (
    Path(__file__).resolve().parent.parent / "tests/sqod/fixtures/update_appointment_200.json"
).read_bytes()
"""SQOD's published 200 example of `PATCH /api/v1/appointments/{id}` (spec 004), with `data`."""

_PLAIN = ConfigDict(coerce_numbers_to_str=True)
_TWINS: dict[type[BaseModel], type[BaseModel]] = {}


def plain_twin(model: type[BaseModel]) -> type[BaseModel]:
    """A plain `BaseModel` with the same fields as `model`, nested models twinned too."""
    twin = _TWINS.get(model)
    if twin is None:
        fields: dict[str, Any] = {
            name: (_plain(info.annotation), ... if info.is_required() else info.default)
            for name, info in model.model_fields.items()
        }
        twin = _TWINS[model] = create_model(f"Plain{model.__name__}", __config__=_PLAIN, **fields)
    return twin


def _plain(annotation: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _plain(args[0])
    if origin in (Union, types.UnionType):
        return Union[tuple(_plain(arg) for arg in args)]  # noqa: UP007
    if origin is list:
        return list[_plain(args[0])]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, Resource):
        return plain_twin(annotation)
    return annotation
