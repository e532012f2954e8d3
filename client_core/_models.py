"""Base models: lenient responses, strict requests, the NOT_GIVEN sentinel, raw response access."""

from __future__ import annotations

import logging
import math
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Final,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

import httpx
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    JsonValue,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticSerializationError, core_schema

from ._display import display_html, display_text
from ._errors import ResponseValidationError, request_id_of
from ._quick_body import quick_body
from ._text import check_encodable

__all__ = [
    "NOT_GIVEN",
    "REQUEST_CONFIG",
    "JsonObject",
    "MissingFieldError",
    "ModelOrDict",
    "NonBlank",
    "NotGiven",
    "NumericText",
    "RawResponse",
    "Resource",
    "Timestamp",
    "UUIDText",
    "check_uuid",
    "raw_response",
    "request_body",
]


class NotGiven:
    """The type of `NOT_GIVEN`: "leave this out of the request", as opposed to `None` (null)."""

    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _assume_utc(value: datetime) -> datetime:
    # Vendors sometimes drop the offset; every timestamp they document is UTC or offset-bearing.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


Timestamp = Annotated[datetime, AfterValidator(_assume_utc)]
"""A response timestamp, always timezone-aware (a naive one from the vendor is taken as UTC)."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]
"""A required text field: Laravel's `required` rule refuses empty and whitespace-only strings."""


_UUID_RULE = "must be a UUID like 9a0f170e-0aa0-47db-ab14-4ddcdcbad061"


def check_uuid(value: object, name: str) -> str:
    """`value` if it is a UUID string, else a ValueError naming `name` (never the value)."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a UUID string, got {type(value).__name__}")
    if not _UUID.fullmatch(value):
        raise ValueError(f"{name} {_UUID_RULE}")
    return value


def _uuid(value: str) -> str:
    if not _UUID.fullmatch(value):
        raise ValueError(_UUID_RULE)  # pydantic puts the field name in front
    return value


UUIDText = Annotated[str, AfterValidator(_uuid)]
"""A request field holding a UUID, sent as the string given."""


def _finite(value: object) -> object:
    # JSON has no NaN or Infinity; json.dumps would write them anyway, and pydantic would send null.
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinity cannot be sent as JSON")
    if isinstance(value, Mapping):
        for item in value.values():
            _finite(item)
    elif isinstance(value, list):
        for item in value:
            _finite(item)
    return value


JsonObject = Annotated[Mapping[str, JsonValue], AfterValidator(_finite)]
"""A free-form request object (e.g. template variables): JSON values only, numbers finite."""


def _number_to_text(value: object) -> object:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


NumericText = Annotated[str, BeforeValidator(_number_to_text)]
"""Response text a vendor sometimes sends as a JSON number (an id, a reference): kept as text."""


REQUEST_CONFIG = ConfigDict(extra="forbid", hide_input_in_errors=True, strict=True)
"""For request TypedDicts: unknown keys refused (a typo must not be dropped), no value echoed in
errors, and no silent coercion (`"yes"` is not a bool, `True` is not an id)."""


@dataclass(frozen=True, slots=True)
class RawResponse:
    """The HTTP exchange behind a result: status, headers, request id and retries taken."""

    http_response: httpx.Response
    retries_taken: int
    replayed: bool = False
    """True when the send ledger returned a recorded answer instead of sending again."""

    @property
    def status_code(self) -> int:
        """The HTTP status of the final attempt."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers, e.g. Plannr's `X-Ratelimit-Remaining`."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The vendor's request id header, if any."""
        return request_id_of(self.http_response)


class Resource(BaseModel):
    """Base of every response model: unknown fields are kept (`model_extra`), never an error."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        hide_input_in_errors=True,
        protected_namespaces=(),
    )

    def __eq__(self, other: object) -> bool:
        # Equal data is equal, whichever HTTP exchange (see `raw_response`) produced it.
        if not isinstance(other, BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    def __str__(self) -> str:
        """The fields the vendor sent, one per line once they do not fit on one line."""
        return display_text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython's pretty printer (a Jupyter cell's last expression) shows the readable form.
        printer.text(f"{type(self).__name__}(...)" if cycle else display_text(self))

    def _repr_html_(self) -> str:
        return display_html(self)

    if not TYPE_CHECKING:  # keep mypy checking attribute names; pydantic does the same

        def __getattr__(self, name: str) -> Any:
            try:
                return super().__getattr__(name)
            except AttributeError:
                if name in type(self).model_fields:
                    raise MissingFieldError(type(self).__name__, name) from None
                raise


class MissingFieldError(AttributeError):
    """A required field the vendor's answer lacked, read from a model returned unvalidated.

    An `AttributeError`, so `hasattr(model, name)` and `getattr(model, name, None)` keep working.
    """

    def __init__(self, model: str, field: str) -> None:
        super().__init__(
            f"{model}.{field} is missing: the vendor's answer lacked this field, so the "
            f"{model} was returned unvalidated (see the warning logged with the response)",
            name=field,
        )
        self.model = model
        """The model's class name, e.g. `Appointment`."""

    def __reduce__(self) -> tuple[type[MissingFieldError], tuple[str, str]]:
        # Task queues pickle exceptions; rebuild from the two names, not the message.
        return (type(self), (self.model, str(self.name)))


@dataclass(frozen=True, slots=True)
class ModelOrDict:
    """`Annotated` metadata letting a nested request field take a dict or the matching model.

    Example: `Annotated[ClaimantFields | Claimant, ModelOrDict(Claimant, ClaimantFields)]`.
    A model is sent as the fields it has (unknown vendor extras dropped), then checked against
    the `fields` TypedDict like a dict would be.
    """

    model: type[BaseModel]
    fields: type[Any]

    def __get_pydantic_core_schema__(
        self, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        model = self.model

        def as_fields(value: object) -> object:
            if isinstance(value, model):
                return value.model_dump(exclude_unset=True, include=set(model.model_fields))
            return value

        return core_schema.no_info_before_validator_function(
            as_fields, handler.generate_schema(self.fields)
        )


def attach_raw(result: Resource, raw: RawResponse) -> None:
    """Remember the HTTP exchange behind `result` for `raw_response()`.

    Kept in pydantic's private-values slot rather than a declared PrivateAttr: declaring one
    makes pydantic run a Python hook on every nested model, about 2 us a call.
    """
    object.__setattr__(result, "__pydantic_private__", {"_raw": raw})


def request_body(schema: type[Any], given: Mapping[str, Any], *, what: str) -> dict[str, Any]:
    """Check a call's fields against its TypedDict schema and return the JSON-ready body.

    `what` names the call in error messages (e.g. `messages.send`).
    Only keys present in `given` are sent. `None` is refused for fields the schema does not
    mark nullable. Errors name the field and the rule, never the value (it may be patient data).
    """
    adapter, not_nullable, renames = _schema(schema)
    quick = None if renames else quick_body(schema, adapter, not_nullable, given)
    if quick is not None:
        return quick  # every rule checked in plain Python; anything else goes on to pydantic
    for key, value in given.items():
        check_encodable(value, f"{what}: {key}")
    # Strict lists refuse tuples, yet signatures promise any sequence (`files=()`).
    if any(isinstance(v, tuple) for v in given.values()):
        given = {k: list(v) if isinstance(v, tuple) else v for k, v in given.items()}
    refused = [k for k, v in given.items() if v is None and k in not_nullable]
    if refused:
        raise ValueError(
            f"{what}: {', '.join(sorted(refused))} may not be null; leave a field out "
            "instead to send nothing for it"
        )
    try:
        body: dict[str, Any] = adapter.validate_python(given)
        # Dumping plain text, numbers and booleans to JSON form changes nothing: skip it (~1 us).
        if renames or not all(type(v) in _JSON_NATIVE for v in body.values()):
            body = adapter.dump_python(body, mode="json")
    except ValidationError as exc:
        raise ValueError(describe_invalid(what, exc)) from None
    except PydanticSerializationError:
        # e.g. an object in a free-form mapping (Loop's `variables`) that has no JSON form.
        raise ValueError(
            f"invalid {what}: a value cannot be sent as JSON "
            "(use strings, numbers, booleans, None, lists and dicts)"
        ) from None
    return body


def describe_invalid(what: str, exc: ValidationError) -> str:
    """A ValidationError as one line per field and rule, without the input values."""
    problems = [
        f"{'.'.join(str(p) for p in err['loc']) or '(body)'}: {err['msg']}"
        for err in exc.errors(include_input=False, include_url=False)
    ]
    return f"invalid {what}: " + "; ".join(problems)


_ADAPTERS: dict[type[Any], tuple[TypeAdapter[Any], frozenset[str], bool]] = {}
_JSON_NATIVE = frozenset({str, int, bool, type(None)})


def _schema(schema: type[Any]) -> tuple[TypeAdapter[Any], frozenset[str], bool]:
    """The schema's adapter, its non-nullable fields and whether dumping renames any, built once."""
    cached = _ADAPTERS.get(schema)
    if cached is None:
        hints = get_type_hints(schema)
        not_nullable = frozenset(name for name, hint in hints.items() if not _admits_none(hint))
        adapter = TypeAdapter(schema)
        renames = "alias" in repr(adapter.core_schema)
        cached = _ADAPTERS[schema] = (adapter, not_nullable, renames)
    return cached


def _admits_none(annotation: object) -> bool:
    if annotation is None or annotation is type(None) or annotation is Any:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_admits_none(arg) for arg in get_args(annotation))
    return False


ModelT = TypeVar("ModelT", bound=Resource)


def parse_resource(
    model: type[ModelT],
    body: object,
    response: httpx.Response,
    *,
    strict: bool,
    logger: logging.Logger,
) -> ModelT:
    """Build `model` from a 2xx body, with or without a `{"data": ...}` wrapper.

    A body that does not match is returned unvalidated with a warning (the vendor did act; an
    error would invite a resend), unless `strict`, which raises `ResponseValidationError`.
    """
    if (
        isinstance(body, dict)
        and isinstance(body.get("data"), dict)
        and "data" not in model.model_fields
    ):
        body = body["data"]
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        where = f"{response.request.method} {response.request.url.path}"
        fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
        if strict or not isinstance(body, dict):
            raise ResponseValidationError(
                f"{where}: the vendor accepted the request (status {response.status_code}) "
                f"but its answer does not match {model.__name__} (fields: {', '.join(fields)})",
                response=response,
            ) from exc
        logger.warning(
            "%s: response does not match %s (fields: %s); returned unvalidated",
            where,
            model.__name__,
            ", ".join(fields),
        )
        return cast(ModelT, model.model_construct(**body))


def raw_response(result: Resource | object) -> RawResponse:
    """The HTTP exchange behind a result that a client returned (a model or a page).

    Example: `raw_response(client.appointments.send_message(...)).headers["x-request-id"]`.
    """
    private = getattr(result, "__pydantic_private__", None)
    raw = private.get("_raw") if isinstance(private, dict) else getattr(result, "_raw", None)
    if not isinstance(raw, RawResponse):
        raise ValueError("raw_response() takes a model or page returned by a client call")
    return raw
