"""What a keyed send does with the client's ledger: the decision table of API.md, made once here.

`send_once` and `asend_once` are the shells' only hook: claim the key (durably), decide from
what was already held (replay, refuse, or send), send the call without its key, then record the
answer or what the failure leaves behind. Everything but the store calls and the send is pure.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, cast

import httpx

from ._call import RequestFiles, _Call
from ._errors import (
    AlreadySentError,
    APIConnectionError,
    APIStatusError,
    ClientClosedError,
    IdempotencyKeyReusedError,
    LedgerError,
    OutcomeUnknownError,
    ResponseValidationError,
    SendInProgressError,
    parse_json,
)
from ._ledger import Ledger, _now, _Row, check_key, in_thread
from ._models import RawResponse, raw_response

if TYPE_CHECKING:
    from ._config import ClientSettings
    from ._transport import AsyncAPIClient, BaseClient, SyncAPIClient

__all__ = ["asend_once", "send_once"]

ResultT = TypeVar("ResultT")

Leaves = Literal["release", "unknown", "sent"]
ReadFiles: TypeAlias = list[tuple[str, tuple[str | None, bytes, str | None]]]

_LEASE_MARGIN = 30.0
_UNBOUNDED_PHASE = 300.0  # a timeout phase set to None counts this long towards the lease


@dataclass(frozen=True, slots=True)
class _Plan:
    """One keyed send, worked out before any I/O."""

    ledger: Ledger
    key: str
    call: _Call[Any, Any]
    """The call to send: without its key, its files read into bytes (so they fingerprint)."""
    claim: _Row


def send_once(client: SyncAPIClient, call: _Call[Any, ResultT]) -> ResultT:
    """Send `call` at most once per idempotency key, through the client's ledger (blocking)."""
    plan = _plan(client._settings, call)
    ledger = plan.ledger
    try:
        held = ledger._claim(plan.claim)
    except LedgerError:
        raise  # the claim was not made: nothing to release, nothing sent
    except BaseException:
        _settle_quietly(client, plan, "release")  # interrupted while claiming: nothing left
        raise
    if held is not None:
        return cast(ResultT, _decide(client, plan, held))
    try:
        result: ResultT = client._send(plan.call)
    except BaseException as error:
        _settle_quietly(client, plan, _leaves(error, plan.call))
        raise
    _record(client, plan, result)
    return result


async def asend_once(client: AsyncAPIClient, call: _Call[Any, ResultT]) -> ResultT:
    """`send_once` for asyncio: the same decisions, the store called in a worker thread."""
    import anyio.lowlevel  # only async keyed sends need it: a sync one never loads anyio

    plan = _plan(client._settings, call)
    ledger = plan.ledger
    try:
        # A cancellation while claiming lets the claim finish (the thread is not abandoned) and
        # lands at the checkpoint: before anything left, so the claim is released below.
        held = await in_thread(ledger._claim, plan.claim)
        await anyio.lowlevel.checkpoint()
    except LedgerError:
        raise
    except BaseException:
        _settle_quietly(client, plan, "release")
        raise
    if held is not None:
        return cast(ResultT, _decide(client, plan, held))
    try:
        result: ResultT = await client._send(plan.call)
    except BaseException as error:
        # Settled inline, not awaited: a cancelled task may not be able to await again.
        _settle_quietly(client, plan, _leaves(error, plan.call))
        raise
    with anyio.CancelScope(shield=True):  # the message went out: its answer must be kept
        await in_thread(_record, client, plan, result)
    return result


# -- before any I/O ------------------------------------------------------------------------------


def _plan(settings: ClientSettings, call: _Call[Any, Any]) -> _Plan:
    key = check_key(call.idempotency_key)
    ledger = settings.ledger
    if ledger is None:
        raise ValueError(
            "idempotency_key needs a ledger on the client: pass ledger=SqliteLedger(path) "
            "(or PostgresLedger) when creating it"
        )
    files = [] if call.files is None else _read_files(call.files)
    keyless = replace(call, idempotency_key=None, files=files if call.files is not None else None)
    now = _now()
    lease = ledger.lease if ledger.lease is not None else _longest_call(settings)
    claim = _Row(
        key=key,
        vendor=settings.logger_name.removesuffix("_client"),
        fingerprint=_fingerprint(keyless, files, settings),
        state="claimed",
        token=secrets.token_hex(16),
        lease_until=now + lease,
        created_at=now,
        updated_at=now,
    )
    return _Plan(ledger, key, keyless, claim)


def _read_files(files: RequestFiles) -> ReadFiles:
    """Files as `(field, (filename, bytes, content_type))`, named as httpx would name them.

    Read once here, so that the fingerprint covers their bytes and the send uploads the same.
    """
    pairs = files.items() if isinstance(files, Mapping) else files
    read: ReadFiles = []
    for field, file in pairs:
        content_type: str | None = None
        if isinstance(file, tuple):
            filename, content = file[0], file[1]
            content_type = file[2] if len(file) == 3 else None
        else:
            filename, content = Path(str(getattr(file, "name", "upload"))).name, file
        data = content if isinstance(content, bytes) else content.read()
        read.append((field, (filename, data, content_type)))
    return read


def _fingerprint(call: _Call[Any, Any], read: ReadFiles, settings: ClientSettings) -> str:
    """SHA-256 over the method, path, canonical body and tenant (never stored in the clear)."""
    files = [
        [field, filename, content_type, hashlib.sha256(data).hexdigest()]
        for field, (filename, data, content_type) in read
    ]
    canonical = {
        "method": call.method,
        "path": call.path,
        "params": sorted((str(k), str(v)) for k, v in (call.params or {}).items()),
        "json": call.json,
        "form": sorted((call.form or {}).items()),
        "files": files,
        "tenant": [settings.base_url, settings.tenant],
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _longest_call(settings: ClientSettings) -> float:
    """Every attempt's timeouts plus every wait between them, plus a margin (seconds)."""
    timeout, retry = settings.timeout, settings.retry
    phases = (timeout.connect, timeout.write, timeout.read, timeout.pool)
    attempt = sum(_UNBOUNDED_PHASE if phase is None else phase for phase in phases)
    # +1: a 401 repeats the call once with a fresh token, outside max_retries.
    attempts = retry.max_retries + 2
    waits = retry.max_retries * max(retry.max_backoff, retry.max_retry_after)
    return attempts * attempt + waits + _LEASE_MARGIN


# -- deciding from what was held -------------------------------------------------------------------


def _decide(client: BaseClient[Any], plan: _Plan, held: _Row) -> object:
    key = plan.key
    if held.fingerprint is not None and held.fingerprint != plan.claim.fingerprint:
        raise IdempotencyKeyReusedError(
            f"idempotency key {key!r} was already used for another call (another body, path or "
            "tenant); nothing was sent. Use a new key for a different message"
        )
    if held.state == "sent":
        if held.answered:
            return _replay(client, plan.call, held)
        raise AlreadySentError(
            f"idempotency key {key!r} is held as sent (marked by hand, or the vendor's answer "
            "could not be read); nothing was sent again"
        )
    if held.state == "claimed" and not held.lease_expired(_now()):
        raise SendInProgressError(
            f"idempotency key {key!r} is claimed by a call still in progress; nothing was sent. "
            "Try again later: once its lease runs out, the key needs resolving",
            sent=True,
        )
    raise OutcomeUnknownError(
        f"idempotency key {key!r}: an earlier send's outcome is unknown (its answer was lost "
        "or its process died mid-send), so nothing was sent. Check the vendor, then call "
        "ledger.resolve(key, sent=True) if it arrived, or ledger.resolve(key) to send again",
        sent=True,
    )


def _replay(client: BaseClient[Any], call: _Call[Any, Any], held: _Row) -> object:
    answer = held.answer or b""
    request = httpx.Request(call.method, client._settings.base_url + call.path)
    headers = {"x-request-id": held.request_id} if held.request_id else {}
    response = httpx.Response(held.status or 200, headers=headers, content=answer, request=request)
    raw = RawResponse(response, 0, replayed=True)
    # Read as the send read it (`parse_json`); SQOD's cancel may have had no body.
    body = parse_json(answer) if answer and not answer.isspace() else None
    return call.parse(body, raw, strict=False, logger=client._logger)


# -- after the send ------------------------------------------------------------------------------


def _leaves(error: BaseException, call: _Call[Any, Any]) -> Leaves:
    """What a failed send leaves behind: released only when the vendor provably did not act."""
    if isinstance(error, ResponseValidationError):
        return "sent"  # a 2xx whose body could not be read: accepted, no answer to replay
    if isinstance(error, ClientClosedError):
        return "release"  # raised while building the request: nothing left
    if isinstance(error, APIStatusError):
        status = error.status_code
        if not _answer_to(error.request, call):
            return "release"  # the token endpoint refused: the call itself never went out
        if (400 <= status < 500 and status not in (408, 409)) or status == 503:
            return "release"
        return "unknown"
    if isinstance(error, APIConnectionError) and not isinstance(error, OutcomeUnknownError):
        return "unknown" if error.sent else "release"
    # A lost answer, an interruption or cancellation once the request may have left, anything
    # else unexpected: never release, never resend.
    return "unknown"


def _answer_to(request: httpx.Request | None, call: _Call[Any, Any]) -> bool:
    if request is None:
        return True
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
    return path.endswith(call.path)


def _settle_quietly(client: BaseClient[Any], plan: _Plan, leaves: Leaves) -> None:
    """Leave the claim as the failure decided; a store failure here keeps it claimed (unknown)."""
    ledger, claim = plan.ledger, plan.claim
    try:
        if leaves == "release":
            ledger._release(plan.key, claim.token or "")
        else:
            ledger._settle(replace(claim, state=leaves, updated_at=_now(), answered=False))
    except Exception as exc:  # the send's own error is the one to raise
        client._logger.warning(
            "send ledger: could not record a failed send's outcome (%s); the key stays claimed "
            "and turns unknown when its lease runs out",
            type(exc).__name__,
        )


def _record(client: BaseClient[Any], plan: _Plan, result: object) -> None:
    """Record a 2xx answer; a store failure is logged, never raised (the message went out)."""
    status: int | None = None
    request_id: str | None = None
    answer = b""
    if result is not None:
        raw = raw_response(result)
        status, request_id, answer = raw.status_code, raw.request_id, raw.http_response.content
    sent = replace(
        plan.claim,
        state="sent",
        updated_at=_now(),
        request_id=request_id,
        status=status,
        answer=answer,
        answered=True,
    )
    try:
        plan.ledger._settle(sent)
    except Exception as exc:
        client._logger.warning(
            "send ledger: the vendor accepted a send but its answer could not be recorded (%s); "
            "the key stays claimed and turns unknown when its lease runs out, never resent",
            type(exc).__name__,
        )
