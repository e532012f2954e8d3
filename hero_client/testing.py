"""FakeHero: an in-memory Hero for your tests, with fault injection.

It checks Hero's two key headers (`x-api-key`, `x-practice-group-id`), validates message sends
against Hero's published schema, stores the messages it accepts and answers `messages.get` with
their detail and status. It starts with one patient (`fake.patient_id`); add more with
`fake.add_patient(...)`.

Example:
    fake = FakeHero()
    with fake.client() as hero:
        hero.messages.send(patient_id=fake.patient_id, message_type="sms", message_string="Hi")
    assert fake.messages[0].content == "Hi"
"""

from __future__ import annotations

import copy
import itertools
import re
import secrets
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import httpx
from pydantic import AfterValidator, AwareDatetime, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from client_core.testing import (
    ErrorReply,
    FakeRequest,
    FakeServer,
    Route,
    json_body,
    json_problems,
    utc_timestamp,
)

from ._client import DEFAULT_BASE_URL, AsyncHeroClient, HeroClient
from .models import Message, SentMessage

__all__ = ["ApiKeyKeywords", "FakeHero"]


class ApiKeyKeywords(TypedDict):
    """`HeroClient` keywords for Hero's two key headers: `HeroClient(**fake.credentials)`."""

    api_key: str
    practice_group_id: str


_SEND = "/v1/messages/send"
_ONE = "/v1/messages/{message_id}"
_APP_URL = "https://app.herohealth.net"
# Hero applies "a default" SNOMED code when writing to the record without one, but does not
# publish which: this UK-extension code is a stand-in, not Hero's.
_DEFAULT_SNOMED_CODE = "1066271000000101"
_SUBMITTED_BY = "Fake Hero partner integration"  # Hero types it string|null, meaning unsaid
_CONTACT_KEY = {"email": "email", "sms": "mobile"}


def _digits(value: str) -> str:
    # Hero's pattern is `^\d+$`; ASCII digits only, as a JavaScript or Postgres regex reads it.
    if not re.fullmatch(r"[0-9]+", value):
        raise ValueError(r"must match ^\d+$")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Hero's request schema for POST /v1/messages/send (spec 003), read as a JSON API reads it:
# JSON types exactly (no "true" for true), unknown keys ignored.
class _Required(TypedDict):
    patient_id: Annotated[str, AfterValidator(_digits)]
    message_type: Literal["hero", "sms", "email", "nhs_app"]
    message_string: Annotated[str, AfterValidator(_not_blank)]


class _SendBody(_Required, total=False):
    recipient_contact_detail: str
    fallback_contact_detail: str
    fallback_message_type: Literal["sms", "email"]
    write_to_record: bool
    encrypted: Any
    snomed_code: str
    snomed_term: str
    auto_write_to_record: bool
    task_id: str
    attachment_uuid: str
    short_link_id: str
    assignee_id: float
    assignee_type: Literal["Admin", "AdminTeam"]
    send_at: AwareDatetime


_SEND_BODY = TypeAdapter(_SendBody)


class FakeHero(FakeServer[HeroClient, AsyncHeroClient]):
    """A stateful in-memory Hero: `fake.client()`, `fake.mock()` or `fake.serve()`.

    Accepts `fake.api_key` for `fake.practice_group_id` only; any other key or practice group
    gets Hero's 403. Errors are `{"message": ...}`.
    """

    sync_client_class = HeroClient
    async_client_class = AsyncHeroClient

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL) -> None:
        self.api_key = "fake-hero-" + secrets.token_urlsafe(16)
        """The API key this fake accepts (`HeroClient(api_key=...)`)."""
        self.practice_group_id = "4242"
        """The practice group the API key belongs to (`HeroClient(practice_group_id=...)`)."""
        self._patients: dict[str, dict[str, Any]] = {}
        self._messages: list[tuple[str, dict[str, Any]]] = []
        self._details: dict[str, dict[str, Any]] = {}
        self._recipients: dict[str, str | None] = {}
        self._due: dict[str, tuple[datetime, bool]] = {}
        self._patient_ids = itertools.count(1001)
        self._message_ids = itertools.count(100001)
        self.patient_id = self.add_patient(
            title="Mrs",
            first_name="Jane",
            last_name="Doe",
            email="jane.doe@example.com",
            mobile="+447700900123",
        )
        """The patient every fresh fake starts with: Mrs Jane Doe, with an email and a mobile."""
        routes = [
            Route("POST", _SEND, self._send),
            Route("GET", _ONE, self._get),
        ]
        super().__init__(base_url=base_url, routes=routes)

    # -- what tests read ---------------------------------------------------------------------

    @property
    def credentials(self) -> ApiKeyKeywords:
        """The `HeroClient` keywords this fake accepts: `HeroClient(base_url=url, **creds)`."""
        return {"api_key": self.api_key, "practice_group_id": self.practice_group_id}

    @property
    def patients(self) -> dict[str, dict[str, Any]]:
        """Every patient, by id, as plain dicts (`id`, `title`, names, `email`, `mobile`).

        Plain dicts because the client has no model carrying a patient's contact details.
        """
        return copy.deepcopy(self._patients)

    @property
    def messages(self) -> list[SentMessage]:
        """Every message accepted, oldest first, as `messages.send` returned it."""
        return [SentMessage.model_validate(message) for _, message in self._messages]

    def messages_for(self, patient_id: str) -> list[SentMessage]:
        """The messages accepted for one patient, oldest first."""
        found = [m for key, m in self._messages if key == patient_id]
        return [SentMessage.model_validate(message) for message in found]

    @property
    def message_details(self) -> dict[str, Message]:
        """Every message's detail and status, by message id, as `messages.get` returns it."""
        with self._lock:
            self._deliver_due()
            return {key: Message.model_validate(value) for key, value in self._details.items()}

    @property
    def recipients(self) -> dict[str, str | None]:
        """Where each message went, by message id: `recipient_contact_detail` if given.

        Otherwise the patient's email or mobile for `email` and `sms`, and None for `hero`
        and `nhs_app` (delivered in the app).
        """
        return dict(self._recipients)

    def add_patient(
        self,
        *,
        first_name: str,
        last_name: str,
        title: str | None = None,
        email: str | None = None,
        mobile: str | None = None,
    ) -> str:
        """Register a patient with Hero and return its id (digits, as `messages.send` takes)."""
        patient_id = str(next(self._patient_ids))
        self._patients[patient_id] = {
            "id": patient_id,
            "title": title,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "mobile": mobile,
        }
        return patient_id

    # -- the vendor's rules ------------------------------------------------------------------

    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        headers = request.http.headers
        key_ok = secrets.compare_digest(headers.get("x-api-key", ""), self.api_key)
        # Another group in the key's Hero network would be let in; this fake has no network.
        if key_ok and headers.get("x-practice-group-id") == self.practice_group_id:
            return None
        return ErrorReply(403, "Unauthorised")

    def _error_response(self, error: ErrorReply) -> httpx.Response:
        return httpx.Response(error.status, json={"message": error.message})

    # -- endpoints ---------------------------------------------------------------------------

    def _send(self, request: FakeRequest) -> httpx.Response:
        body = _validate(request.http)
        patient = self._patients.get(body["patient_id"])
        if patient is None:
            raise ErrorReply(404, "Patient not found")
        recipient = _recipient(body, patient)
        message_id = str(next(self._message_ids))
        now = utc_timestamp()
        sent = _sent_message(message_id, body, _given_send_at(request.http), now)
        self._messages.append((patient["id"], sent))
        self._recipients[message_id] = recipient
        self._details[message_id] = _detail(message_id, patient, body, now)
        self._schedule(message_id, body, now)
        return httpx.Response(200, json=sent)

    def _get(self, request: FakeRequest) -> httpx.Response:
        self._deliver_due()
        detail = self._details.get(request.path_params["message_id"])
        if detail is None:
            raise ErrorReply(404, "Message not found")
        return httpx.Response(200, json=detail)

    def _schedule(self, message_id: str, body: _SendBody, now: str) -> None:
        auto_write = body.get("auto_write_to_record", False)
        send_at = body.get("send_at")
        if send_at is None or send_at <= datetime.now(UTC):
            _mark_sent(self._details[message_id], now, auto_write=auto_write)
        else:
            self._due[message_id] = (send_at, auto_write)

    def _deliver_due(self) -> None:
        # A scheduled message goes out when its time comes: seen on the next read.
        now = datetime.now(UTC)
        for message_id, (due, auto_write) in list(self._due.items()):
            if due <= now:
                del self._due[message_id]
                _mark_sent(self._details[message_id], utc_timestamp(due), auto_write=auto_write)


def _validate(request: httpx.Request) -> _SendBody:
    try:
        return _SEND_BODY.validate_json(request.content, strict=True)
    except ValidationError as exc:
        raise ErrorReply(400, json_problems(exc)) from None


def _given_send_at(request: httpx.Request) -> str | None:
    # Echoed as sent (offset kept), as Hero's field list shows a string, not a normalised time.
    raw = json_body(request)
    send_at = raw.get("send_at") if isinstance(raw, dict) else None
    return send_at if isinstance(send_at, str) else None


def _recipient(body: _SendBody, patient: dict[str, Any]) -> str | None:
    given = body.get("recipient_contact_detail")
    channel = body["message_type"]
    if given is not None or channel not in _CONTACT_KEY:
        return given
    on_record: str | None = patient[_CONTACT_KEY[channel]]
    if on_record is None:
        what = "email address" if channel == "email" else "mobile number"
        raise ErrorReply(
            400, f"recipient_contact_detail: patient {patient['id']} has no {what} on record"
        )
    return on_record


def _writes(body: _SendBody) -> bool:
    # auto_write_to_record asks for the write and skips approval; the fake's key may ask.
    return body.get("write_to_record", False) or body.get("auto_write_to_record", False)


def _sent_message(
    message_id: str, body: _SendBody, send_at: str | None, now: str
) -> dict[str, Any]:
    writes = _writes(body)
    snomed = body.get("snomed_code") or (_DEFAULT_SNOMED_CODE if writes else None)
    auth_token = secrets.token_urlsafe(24)
    awaits_approval = writes and not body.get("auto_write_to_record", False)
    confirm = f"{_APP_URL}/messages/{message_id}/write-to-record?token={auth_token}"
    return {
        "message_id": message_id,
        "content": body["message_string"],
        "created_at": now,
        "snomed_code": snomed,
        "write_to_record": writes,
        "auth_token": auth_token,
        "confirm_write_to_record_url": confirm if awaits_approval else None,
        "submitted_by": _SUBMITTED_BY,
        "send_at": send_at,
    }


def _detail(message_id: str, patient: dict[str, Any], body: _SendBody, now: str) -> dict[str, Any]:
    writes = _writes(body)
    send_at = body.get("send_at")
    # Ids as JSON numbers, as in the detail example the fixtures copy; the client reads both.
    record: dict[str, Any] = {
        "id": int(message_id),
        "patient": {
            "id": int(patient["id"]),
            "title": patient["title"],
            "first_name": patient["first_name"],
            "last_name": patient["last_name"],
        },
        "write_to_record": None,
        "short_link": None,
        "campaign": None,
        "created_at": now,
        "sent_at": None,
        "scheduled_at": None if send_at is None else utc_timestamp(send_at),
        "status": "scheduled",
        "sent_by_admin": None,
    }
    if writes:
        record["write_to_record"] = {
            "write_to_record_at": None,
            "status": "pending",
            "failure_reason": None,
            "snomed_code": body.get("snomed_code") or _DEFAULT_SNOMED_CODE,
        }
    return record


def _mark_sent(record: dict[str, Any], when: str, *, auto_write: bool) -> None:
    record["status"] = "delivered"
    record["sent_at"] = when
    writing = record["write_to_record"]
    if writing is not None and auto_write:
        writing.update(status="written", write_to_record_at=when)
