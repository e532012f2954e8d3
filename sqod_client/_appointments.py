"""Appointments: the endpoint builders (pure, shared) and the sync and async resources."""

from __future__ import annotations

from pydantic import with_config
from typing_extensions import TypedDict, Unpack

from client_core.kit import (
    REQUEST_CONFIG,
    AsyncPaginator,
    AsyncResource,
    Call,
    MaybeEmptyCall,
    NonBlank,
    PagedCall,
    RequestFiles,
    SyncPage,
    SyncResource,
    laravel_form,
    page_params,
    path_segment,
    request_body,
)

from .models import Appointment, AppointmentChanges, AppointmentMessage, NewAppointment

__all__ = ["Appointments", "AsyncAppointments"]

_BASE = "/api/v1/appointments"


@with_config(REQUEST_CONFIG)
class _MessageBody(TypedDict):
    message: NonBlank


@with_config(REQUEST_CONFIG)
class _CancelBody(TypedDict, total=False):
    cancellation_reason: str


def _appointment_path(appointment_id: str, suffix: str = "") -> str:
    return f"{_BASE}/{path_segment(appointment_id, 'appointment_id', uuid=True)}{suffix}"


def _send_message(appointment_id: str, message: str, key: str | None) -> Call[AppointmentMessage]:
    body = request_body(_MessageBody, {"message": message}, what="appointments.send_message")
    path = _appointment_path(appointment_id, "/messages")
    return Call("POST", path, AppointmentMessage, idempotent=False, json=body, idempotency_key=key)


def _update(
    appointment_id: str, changes: AppointmentChanges, files: RequestFiles | None
) -> Call[Appointment]:
    body = request_body(AppointmentChanges, changes, what="appointments.update")
    path = _appointment_path(appointment_id)
    if files is None:
        return Call("PATCH", path, Appointment, idempotent=True, json=body)
    # Laravel cannot read multipart bodies on PATCH: tunnel as POST ?_method=PATCH (SQOD docs).
    form = laravel_form(body)
    return Call("PATCH", path, Appointment, idempotent=True, form=form, files=files, tunnel=True)


def _list(page: int | None, per_page: int | None) -> PagedCall[Appointment]:
    params = page_params(page, per_page)
    return PagedCall("GET", _BASE, Appointment, idempotent=True, params=params)


def _create(fields: NewAppointment, key: str | None) -> Call[Appointment]:
    body = request_body(NewAppointment, fields, what="appointments.create")
    return Call("POST", _BASE, Appointment, idempotent=False, json=body, idempotency_key=key)


def _cancel(
    appointment_id: str, cancellation_reason: str | None, key: str | None
) -> MaybeEmptyCall[Appointment]:
    given = {} if cancellation_reason is None else {"cancellation_reason": cancellation_reason}
    body = request_body(_CancelBody, given, what="appointments.cancel")
    path = _appointment_path(appointment_id, "/cancel")
    return MaybeEmptyCall(
        "POST", path, Appointment, idempotent=False, json=body, idempotency_key=key
    )


class Appointments(SyncResource):
    """SQOD appointments: `client.appointments`."""

    def send_message(
        self, appointment_id: str, *, message: str, idempotency_key: str | None = None
    ) -> AppointmentMessage:
        """Message the caller waiting for this appointment, e.g. "Running 5 minutes late".

        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return self._client.send(_send_message(appointment_id, message, idempotency_key))

    def update(
        self,
        appointment_id: str,
        *,
        files: RequestFiles | None = None,
        **changes: Unpack[AppointmentChanges],
    ) -> Appointment:
        """Change only the given fields (see `AppointmentChanges`); `None` sends null.

        With `files=` the request is multipart, tunnelled as `POST ?_method=PATCH`.
        Example: `client.appointments.update(id, status="waiting", interpreter_language=None)`.
        """
        return self._client.send(_update(appointment_id, changes, files))

    def list(
        self, *, page: int | None = None, per_page: int | None = None
    ) -> SyncPage[Appointment]:
        """Appointments visible to this user; iterate the result to walk every page from `page`."""
        return self._client.send_page(_list(page, per_page))

    def create(
        self, *, idempotency_key: str | None = None, **fields: Unpack[NewAppointment]
    ) -> Appointment:
        """Create an appointment from the given fields (see `NewAppointment`). Never repeated.

        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return self._client.send(_create(fields, idempotency_key))

    def cancel(
        self,
        appointment_id: str,
        *,
        cancellation_reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> Appointment | None:
        """Cancel an appointment; returns it as SQOD reports it, or None if SQOD sends no body.

        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return self._client.send(_cancel(appointment_id, cancellation_reason, idempotency_key))


class AsyncAppointments(AsyncResource):
    """SQOD appointments: `client.appointments` on `AsyncSqodClient`."""

    async def send_message(
        self, appointment_id: str, *, message: str, idempotency_key: str | None = None
    ) -> AppointmentMessage:
        """Message the caller waiting for this appointment, e.g. "Running 5 minutes late".

        Never repeated once sent: a lost answer raises `OutcomeUnknownError`.
        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return await self._client.send(_send_message(appointment_id, message, idempotency_key))

    async def update(
        self,
        appointment_id: str,
        *,
        files: RequestFiles | None = None,
        **changes: Unpack[AppointmentChanges],
    ) -> Appointment:
        """Change only the given fields (see `AppointmentChanges`); `None` sends null.

        With `files=` the request is multipart, tunnelled as `POST ?_method=PATCH`.
        """
        return await self._client.send(_update(appointment_id, changes, files))

    def list(
        self, *, page: int | None = None, per_page: int | None = None
    ) -> AsyncPaginator[Appointment]:
        """Appointments visible to this user: `await` it for the first page, or `async for`
        over it (no `await`) to walk every page from `page`."""
        return AsyncPaginator(self._client, _list(page, per_page))

    async def create(
        self, *, idempotency_key: str | None = None, **fields: Unpack[NewAppointment]
    ) -> Appointment:
        """Create an appointment from the given fields (see `NewAppointment`). Never repeated.

        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return await self._client.send(_create(fields, idempotency_key))

    async def cancel(
        self,
        appointment_id: str,
        *,
        cancellation_reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> Appointment | None:
        """Cancel an appointment; returns it as SQOD reports it, or None if SQOD sends no body.

        With `idempotency_key=` (and a client `ledger`) it is sent at most once per key.
        """
        return await self._client.send(
            _cancel(appointment_id, cancellation_reason, idempotency_key)
        )
