"""FakeSqod: an in-memory SQOD for your tests, with fault injection.

It checks bearer tokens and issues them from a Cognito-style token endpoint, validates bodies
as SQOD's Laravel backend does (422 `{message, errors}`), stores appointments and messages, and
answers in SQOD's documented shapes. It starts with one appointment (`fake.appointment_id`).

Example:
    fake = FakeSqod()
    with fake.client() as sqod:
        sqod.appointments.send_message(fake.appointment_id, message="Running late")
    assert fake.messages[0].message == "Running late"
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

import httpx
from pydantic import AwareDatetime, BeforeValidator, StringConstraints, TypeAdapter
from typing_extensions import TypedDict

from client_core.testing import (
    BearerTokenFake,
    ClientCredentialsKeywords,
    ErrorReply,
    FakeRequest,
    LaravelBool,
    Route,
    TokenKeywords,
    laravel_error,
    laravel_input,
    laravel_page,
    laravel_validate,
    page_query,
    utc_timestamp,
)

from ._client import DEFAULT_TOKEN_URL, AsyncSqodClient, SqodClient
from .models import Appointment, AppointmentMessage

__all__ = [
    "DEFAULT_FAKE_BASE_URL",
    "TOKEN_PATH",
    "ClientCredentialsKeywords",
    "FakeSqod",
    "TokenKeywords",
]

DEFAULT_FAKE_BASE_URL = "https://demo.sqod.test"
"""The customer URL a `FakeSqod` answers on unless given another."""
TOKEN_PATH = "/oauth2/token"
"""Where the fake's token endpoint lives: on SQOD's auth host, and under `serve()`'s URL."""


_SEEDED_APPOINTMENT_ID = "9a0f170e-0aa0-47db-ab14-4ddcdcbad061"  # the id in SQOD's examples
_APPOINTMENTS = "/api/v1/appointments"
_ONE = _APPOINTMENTS + "/{appointment}"

# SQOD's request schemas, read as its Laravel rules would: lax scalars ("1" is true in a
# form), unknown keys ignored, a blank string counts as missing.
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_DepartmentId = Annotated[str, BeforeValidator(lambda v: str(v) if type(v) is int else v)]


class _MessageBody(TypedDict):
    message: _Text


class _Claimant(TypedDict, total=False):
    name: str | None
    phone_number: str | None
    email: str | None
    date_of_birth: date | None
    data: list[dict[str, Any]]


class _Fields(TypedDict, total=False):
    appointment_at: AwareDatetime
    duration_in_minutes: int
    department_id: _DepartmentId
    claimant: _Claimant
    features_call_recording_enable: LaravelBool
    features_breakout_room_enable: LaravelBool
    features_webcam_access_agent_enable: LaravelBool
    features_webcam_access_claimant_enable: LaravelBool
    features_webcam_background_blurring_enable: LaravelBool
    features_microphone_access_enable: LaravelBool
    features_screen_sharing_enable: LaravelBool
    features_messages_chat_enable: LaravelBool
    features_participant_list_enable: LaravelBool
    features_bandwidth: Literal["low", "medium", "high"]
    use_custom_post_call_redirect: LaravelBool
    custom_user_post_call_redirect_url: str | None
    custom_agent_post_call_redirect_url: str | None


class _Changes(_Fields, total=False):
    is_interpreter_needed: LaravelBool | None
    interpreter_language: str | None
    status: str | None


class _NewAppointment(_Fields, total=False):
    is_interpreter_needed: LaravelBool
    interpreter_language: str
    reference: str


class _CancelBody(TypedDict, total=False):
    cancellation_reason: str | None


_MESSAGE = TypeAdapter(_MessageBody)
_CHANGES = TypeAdapter(_Changes)
_NEW = TypeAdapter(_NewAppointment)
_CANCEL = TypeAdapter(_CancelBody)


class FakeSqod(BearerTokenFake[SqodClient, AsyncSqodClient]):
    """A stateful in-memory SQOD: `fake.client()`, `fake.mock()` or `fake.serve()`.

    Accepts `fake.token`, and tokens its endpoint issues for `fake.client_credentials`
    (HTTP Basic, as Cognito takes them); anything else gets SQOD's 401.
    """

    sync_client_class = SqodClient
    async_client_class = AsyncSqodClient

    method_override = True

    def __init__(self, *, base_url: str = DEFAULT_FAKE_BASE_URL) -> None:
        self.appointment_id = _SEEDED_APPOINTMENT_ID
        """The appointment every fresh fake starts with."""
        self.user: dict[str, Any] = {
            "id": "5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f",
            "first_name": "Alex",
            "last_name": "Agent",
            "email": "alex.agent@example.com",
            "role": "Tenant-admin",
            "access_permission": "both",
            "deleted_at": None,
            "is_fully_deleted": False,
        }
        self._departments = {"1": "Outpatients"}
        self._appointments: dict[str, dict[str, Any]] = {}
        self._messages: list[tuple[str, dict[str, Any]]] = []
        self._seed()
        routes = [
            Route("GET", _APPOINTMENTS, self._list),
            Route("POST", _APPOINTMENTS, self._create),
            Route("PATCH", _ONE, self._update),
            Route("POST", _ONE + "/cancel", self._cancel),
            Route("POST", _ONE + "/messages", self._send_message),
        ]
        # Cognito takes the client id and secret as HTTP Basic (SQOD's auth page).
        super().__init__(
            base_url=base_url,
            routes=routes,
            name="sqod",
            token_path=TOKEN_PATH,
            token_url=DEFAULT_TOKEN_URL,
            credentials_in="basic",
        )

    # -- what tests read ---------------------------------------------------------------------

    @property
    def appointments(self) -> dict[str, Appointment]:
        """Every appointment, by id, as it stands now."""
        return {key: Appointment.model_validate(value) for key, value in self._appointments.items()}

    @property
    def messages(self) -> list[AppointmentMessage]:
        """Every message accepted, oldest first."""
        return [AppointmentMessage.model_validate(message) for _, message in self._messages]

    def messages_for(self, appointment_id: str) -> list[AppointmentMessage]:
        """The messages accepted for one appointment, oldest first."""
        found = [m for key, m in self._messages if key == appointment_id]
        return [AppointmentMessage.model_validate(message) for message in found]

    # -- the vendor's rules ------------------------------------------------------------------

    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        return None if self._bearer_valid(request) else ErrorReply(401, "Unauthenticated.")

    def _error_response(self, error: ErrorReply) -> httpx.Response:
        return laravel_error(error)

    # -- endpoints ---------------------------------------------------------------------------

    def _list(self, request: FakeRequest) -> httpx.Response:
        page, per_page = page_query(request.http, per_page=15)
        url = str(request.http.url.copy_with(query=None))
        items = list(self._appointments.values())
        return httpx.Response(200, json=laravel_page(items, page=page, per_page=per_page, url=url))

    def _create(self, request: FakeRequest) -> httpx.Response:
        fields = laravel_validate(_NEW, laravel_input(request.http))
        record = _blank_appointment(str(uuid.uuid4()))
        self._apply(record, dict(fields))
        self._appointments[record["id"]] = record
        return httpx.Response(201, json={"data": record})

    def _update(self, request: FakeRequest) -> httpx.Response:
        record = self._appointment(request)
        changes = laravel_validate(_CHANGES, laravel_input(request.http))
        self._apply(record, dict(changes))
        return httpx.Response(200, json={"data": record})

    def _cancel(self, request: FakeRequest) -> httpx.Response:
        record = self._appointment(request)
        body = laravel_validate(_CANCEL, laravel_input(request.http))
        if record["cancelled_at"] is None:
            record["status"] = "cancelled"
            record["cancelled_at"] = utc_timestamp()
            record["cancellation_reason"] = body.get("cancellation_reason")
        return httpx.Response(200, json={"data": record})

    def _send_message(self, request: FakeRequest) -> httpx.Response:
        record = self._appointment(request)
        body = laravel_validate(_MESSAGE, laravel_input(request.http))
        message = {
            "id": str(uuid.uuid4()),
            "message": body["message"],
            "created_at": utc_timestamp(),
            "sender": self.user,
        }
        self._messages.append((record["id"], message))
        return httpx.Response(201, json={"data": message})

    def _appointment(self, request: FakeRequest) -> dict[str, Any]:
        key = request.path_params["appointment"]
        record = self._appointments.get(key)
        if record is None:
            raise ErrorReply(404, f"No query results for model [App\\Models\\Appointment] {key}")
        return record

    def _apply(self, record: dict[str, Any], fields: dict[str, Any]) -> None:
        department = fields.pop("department_id", None)
        if department is not None:
            if department not in self._departments:
                errors = {"department_id": ["The selected department id is invalid."]}
                raise ErrorReply(422, errors["department_id"][0], errors=errors)
            record["department"] = {"id": int(department), "name": self._departments[department]}
        claimant = fields.pop("claimant", None)
        if claimant is not None:
            record["claimant"] = {**record["claimant"], **_jsonable(claimant)}
        record.update(_jsonable(fields))

    def _seed(self) -> None:
        record = _blank_appointment(self.appointment_id)
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
        record.update(
            reference="123456789",
            appointment_at=utc_timestamp(start),
            department={"id": 1, "name": "Outpatients"},
            claimant={
                "name": "Sam Patient",
                "phone_number": "+447700900123",
                "email": "sam.patient@example.com",
                "date_of_birth": "1980-01-31",
                "data": [],
            },
        )
        self._appointments[record["id"]] = record


def _blank_appointment(appointment_id: str) -> dict[str, Any]:
    return {
        "id": appointment_id,
        "reference": None,
        "appointment_at": None,
        "duration_in_minutes": 30,
        "is_interpreter_needed": False,
        "interpreter_language": None,
        "status": "scheduled",
        "url": f"https://video.sqod.test/join/{appointment_id}",
        "created_at": utc_timestamp(),
        "cancelled_at": None,
        "cancellation_reason": None,
        "department": None,
        "claimant": {"name": None, "phone_number": None, "email": None, "data": []},
        "meeting": {
            "id": 1234567890,
            "room_name": "Waiting Area 1",
            "room_url": f"https://meet.sqod.test/{appointment_id}",
        },
        "features_bandwidth": "high",
    }


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: _json_value(value) for key, value in fields.items()}


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return utc_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
