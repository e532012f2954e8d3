"""FakeLoopComms: an in-memory Loop Health comms service for your tests, with fault injection.

It checks bearer tokens and issues them from an M2M token endpoint (client id and secret in the
form body), validates bodies against Loop's JSON schema (422 `{error, message}`), refuses a
reused dedup key (409), stores sent and scheduled messages, and answers in Loop's documented
shapes. It starts with one brand (`fake.brand_id`); `fake.deliver_due()` sends what is due.

Example:
    fake = FakeLoopComms()
    with fake.client() as loop:
        loop.messages.send(channel="sms", template_key="reminder", recipient="+447700900123",
                           brand_id=fake.brand_id, person_id="person-1", dedup_key="appt-1")
    assert fake.messages[0].status == "sent"
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, NotRequired

import httpx
from pydantic import AfterValidator, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import from_json
from typing_extensions import TypedDict

from client_core.testing import (
    BearerTokenFake,
    ClientCredentialsKeywords,
    ErrorReply,
    FakeRequest,
    Route,
    TokenKeywords,
    json_problems,
    utc_timestamp,
)

from ._client import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, AsyncLoopCommsClient, LoopCommsClient
from .models import Message, ScheduledMessage

__all__ = ["TOKEN_PATH", "ClientCredentialsKeywords", "FakeLoopComms", "TokenKeywords"]

TOKEN_PATH = "/v1/oauth/token"
"""Where the fake's token endpoint lives: on Loop's identity host, and under `serve()`'s URL."""


_SEEDED_BRAND_ID = "brand_demo"
_MESSAGES = "/v1/messages"
_SCHEDULED = _MESSAGES + "/scheduled"
# Loop names no providers; these stand in for "a provider was picked" (in-app needs none).
_PROVIDERS = {"email": "sendgrid", "sms": "twilio", "push": "fcm"}
# RFC 3339 section 5.6 (the JSON Schema `date-time` format): seconds and an offset required.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.upper())


def _date_time(value: str) -> str:
    problem = "must be an RFC 3339 date-time with an offset, e.g. 2030-05-01T09:00:00+01:00"
    if not _RFC3339.fullmatch(value):
        raise ValueError(problem)
    try:
        _parse_time(value)
    except ValueError:
        raise ValueError(problem) from None
    return value


# Loop's request schema, read as a JSON Schema validator would: JSON types only (no "true" for
# true), unknown keys dropped, and `minLength: 1` counts whitespace as text.
_Text = Annotated[str, StringConstraints(min_length=1)]
_DateTime = Annotated[str, AfterValidator(_date_time)]


class _SendBody(TypedDict):
    channel: Literal["email", "sms", "push", "in_app"]
    template_key: _Text
    recipient: _Text
    brand_id: _Text
    person_id: _Text
    dedup_key: _Text
    variables: NotRequired[dict[str, Any]]
    hipaa: NotRequired[bool]


class _ScheduleBody(_SendBody):
    scheduled_at: _DateTime


_SEND = TypeAdapter(_SendBody)
_SCHEDULE = TypeAdapter(_ScheduleBody)


class FakeLoopComms(BearerTokenFake[LoopCommsClient, AsyncLoopCommsClient]):
    """A stateful in-memory Loop comms service: `fake.client()`, `fake.mock()` or `fake.serve()`.

    Accepts `fake.token`, and tokens its endpoint issues for `fake.client_credentials` (form
    body, as Loop's M2M grant takes them); anything else gets Loop's 401.
    """

    sync_client_class = LoopCommsClient
    async_client_class = AsyncLoopCommsClient

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL) -> None:
        self.brand_id = _SEEDED_BRAND_ID
        """The brand every fresh fake starts with; messages to other brands get a 422."""
        self._brands = {self.brand_id}
        self._suppressed: set[str] = set()
        self._dedup_keys: set[tuple[str, str]] = set()
        self._sent: dict[str, dict[str, Any]] = {}
        self._scheduled: dict[str, dict[str, Any]] = {}
        self._accepted: list[tuple[str, dict[str, Any]]] = []
        routes = [
            Route("POST", _MESSAGES + "/send", self._send),
            Route("POST", _MESSAGES + "/schedule", self._schedule),
            # Before `/v1/messages/{id}`, which would take "scheduled" for an id.
            Route("GET", _SCHEDULED, self._list_scheduled),
            Route("GET", _SCHEDULED + "/{id}", self._get_scheduled),
            Route("GET", _MESSAGES + "/{id}", self._get),
        ]
        # Loop's M2M grant takes the client id and secret in the form body.
        super().__init__(
            base_url=base_url,
            routes=routes,
            name="loop",
            token_path=TOKEN_PATH,
            token_url=DEFAULT_TOKEN_URL,
            credentials_in="body",
        )

    # -- what tests read ---------------------------------------------------------------------

    @property
    def messages(self) -> list[Message | ScheduledMessage]:
        """Every message accepted, oldest first, as it stands now.

        A send is a `Message`, a schedule a `ScheduledMessage`.
        """
        return [_model(record) for _, record in self._accepted]

    def messages_for(self, person_id: str) -> list[Message | ScheduledMessage]:
        """The messages accepted for one person, oldest first."""
        return [_model(record) for key, record in self._accepted if key == person_id]

    @property
    def scheduled(self) -> dict[str, ScheduledMessage]:
        """Every scheduled message, by id, as it stands now."""
        return {key: ScheduledMessage.model_validate(r) for key, r in self._scheduled.items()}

    def add_brand(self, brand_id: str) -> None:
        """Make `brand_id` a brand this fake knows, besides `fake.brand_id`."""
        self._brands.add(brand_id)

    def suppress(self, recipient: str) -> None:
        """Refuse later messages to `recipient` with Loop's 422 (suppressed, no consent)."""
        self._suppressed.add(recipient)

    def deliver_due(self, now: datetime | None = None) -> int:
        """Send every scheduled message due by `now` (aware; default: the current time).

        Each becomes status "sent" and readable with `messages.get(<its id>)`, or "failed" if
        its recipient was suppressed since; returns how many were sent.
        """
        moment = now or datetime.now(UTC)
        with self._lock:
            due = [r for r in self._scheduled.values() if _is_due(r, moment)]
            return sum(self._deliver(record, moment) for record in due)

    # -- the vendor's rules ------------------------------------------------------------------

    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        if self._bearer_valid(request):
            return None
        return ErrorReply(401, "Missing or invalid access token.", code="unauthorized")

    def _error_response(self, error: ErrorReply) -> httpx.Response:
        return httpx.Response(error.status, json={"error": error.code, "message": error.message})

    # -- endpoints ---------------------------------------------------------------------------

    def _send(self, request: FakeRequest) -> httpx.Response:
        body = self._accept(_SEND, request)
        message = _sent_record(str(uuid.uuid4()), body)
        self._sent[message["message_id"]] = message
        self._accepted.append((body["person_id"], message))
        return httpx.Response(200, json=message)

    def _schedule(self, request: FakeRequest) -> httpx.Response:
        body = self._accept(_SCHEDULE, request)
        record = {
            "id": str(uuid.uuid4()),
            **{key: body[key] for key in _SCHEDULED_FIELDS},
            "scheduled_at": utc_timestamp(_parse_time(body["scheduled_at"])),
            "status": "scheduled",
            "sent_at": None,
            "cancelled_at": None,
            "failure_reason": None,
            "created_at": utc_timestamp(),
        }
        self._scheduled[record["id"]] = record
        self._accepted.append((body["person_id"], record))
        return httpx.Response(201, json=record)

    def _list_scheduled(self, request: FakeRequest) -> httpx.Response:
        brand_id = request.query("brand_id")
        if not brand_id:
            raise _invalid("brand_id: is required")
        status = request.query("status")
        found = [
            record
            for record in self._scheduled.values()
            if record["brand_id"] == brand_id and status in (None, record["status"])
        ]
        return httpx.Response(200, json={"data": found})

    def _get_scheduled(self, request: FakeRequest) -> httpx.Response:
        return httpx.Response(200, json=_found(self._scheduled, request, "scheduled message"))

    def _get(self, request: FakeRequest) -> httpx.Response:
        return httpx.Response(200, json=_found(self._sent, request, "message"))

    def _accept(self, adapter: TypeAdapter[Any], request: FakeRequest) -> dict[str, Any]:
        # Loop documents no order; a repeat is refused as a duplicate before its recipient is
        # checked again, as an idempotency key is meant to work.
        body: dict[str, Any] = _validate(adapter, _json_object(request.http))
        if body["brand_id"] not in self._brands:
            raise _invalid("brand_id: no such brand")
        key = (body["brand_id"], body["dedup_key"])
        if key in self._dedup_keys:
            raise ErrorReply(409, "dedup_key: already used for this brand", code="duplicate")
        if body["recipient"] in self._suppressed:
            message = "recipient: suppressed or has not consented"
            raise ErrorReply(422, message, code="precondition_failed")
        self._dedup_keys.add(key)
        return body

    def _deliver(self, record: dict[str, Any], moment: datetime) -> bool:
        if record["recipient"] in self._suppressed:
            record.update(status="failed", failure_reason="recipient suppressed")
            return False
        record.update(status="sent", sent_at=utc_timestamp(moment))
        self._sent[record["id"]] = _sent_record(record["id"], record)
        return True


_SCHEDULED_FIELDS = (
    "brand_id",
    "person_id",
    "channel",
    "template_key",
    "recipient",
    "dedup_key",
)


def _model(record: dict[str, Any]) -> Message | ScheduledMessage:
    if "message_id" in record:
        return Message.model_validate(record)
    return ScheduledMessage.model_validate(record)


def _sent_record(message_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "dedup_key": fields["dedup_key"],
        "channel": fields["channel"],
        "status": "sent",
        "provider": _PROVIDERS.get(fields["channel"]),
    }


def _is_due(record: dict[str, Any], moment: datetime) -> bool:
    return record["status"] == "scheduled" and _parse_time(record["scheduled_at"]) <= moment


def _found(records: dict[str, dict[str, Any]], request: FakeRequest, what: str) -> dict[str, Any]:
    record = records.get(request.path_params["id"])
    if record is None:
        raise ErrorReply(404, f"No {what} with that id.", code="not_found")
    return record


def _json_object(request: httpx.Request) -> object:
    try:
        body: object = from_json(request.content)
    except ValueError:
        raise ErrorReply(400, "body: not valid JSON", code="bad_request") from None
    if not isinstance(body, dict):
        raise _invalid("body: must be a JSON object")
    return body


def _validate(adapter: TypeAdapter[Any], body: object) -> Any:
    try:
        return adapter.validate_python(body, strict=True)
    except ValidationError as exc:
        raise _invalid(json_problems(exc)) from None


def _invalid(message: str) -> ErrorReply:
    return ErrorReply(422, message, code="validation_error")
