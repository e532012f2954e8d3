"""Every error our clients raise, translated once at the transport boundary.

```text
APIError
├── APIConnectionError            nothing usable came back (catch this for both below)
│   ├── APITimeoutError
│   └── OutcomeUnknownError       sent, no answer, not retried: it may have been acted on
│       └── SendInProgressError   another call with this idempotency key is still out
├── APIStatusError                status_code, headers, body, request_id, response
│   ├── BadRequestError 400   ├── AuthenticationError 401   ├── PermissionDeniedError 403
│   ├── NotFoundError 404     ├── ConflictError 409
│   ├── UnprocessableEntityError 422   (.errors: field -> messages, from Laravel's body)
│   ├── RateLimitError 429    (.retry_after: seconds or None)
│   └── InternalServerError >= 500
├── ResponseValidationError       a 2xx whose body is not what the vendor documents
├── ClientClosedError             a call on a client after close() / aclose()
├── AlreadySentError              the send ledger holds this key as sent, with no answer to replay
└── LedgerError                   the send ledger's store failed before the send: nothing was sent
```

Bad input is a `ValueError` (pydantic's `ValidationError` is one), raised before any I/O; so is
`IdempotencyKeyReusedError` (a key the ledger holds for another call).
No message here ever includes a request header, a token, or a request body.

Every error survives `pickle` (task queues and `multiprocessing` carry them): it unpickles to
the same class with the same message, status, request id and other attributes. The pickled
state keeps only the request's method and URL and the response's status and a few harmless
headers (request id, Retry-After, rate limits, content type): no request headers (they hold
the credentials), no request or response body, and no chained cause.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic_core import from_json

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadySentError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "IdempotencyKeyReusedError",
    "InternalServerError",
    "LedgerError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "SendInProgressError",
    "UnprocessableEntityError",
]

# Header names vendors and their gateways use for a request id, most specific first.
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


class APIError(Exception):
    """Base class of every error a client raises (other than `ValueError` for bad input)."""

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (type(self), self.message, _pickled_state(self)))


class ClientClosedError(APIError, RuntimeError):
    """A call on a client that was closed (`close()`, `aclose()`, or the end of its `with`).

    Also a `RuntimeError`, which httpx raised here before, so older `except` clauses still work.
    """


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed, dropped, or timed out."""

    sent: bool
    """True when the request may have reached the server before the failure."""

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, sent: bool = False
    ) -> None:
        super().__init__(message, request=request)
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or pool)."""


class OutcomeUnknownError(APIConnectionError):
    """A call that is not safe to repeat went out and no answer came back.

    The vendor may or may not have acted on it (a message may or may not have been sent), so the
    client did not retry. Check the vendor's state before sending again.
    """


class SendInProgressError(OutcomeUnknownError):
    """The send ledger holds a live claim on this idempotency key: another call is still out.

    Nothing was sent by this call. Wait for the other call, or, once its lease runs out, the key
    turns unknown (`OutcomeUnknownError`) until resolved with `ledger.resolve(key, sent=...)`.
    """


class APIStatusError(APIError):
    """The vendor answered with a non-2xx status."""

    response: httpx.Response
    status_code: int
    body: object
    """The decoded JSON body, or the text when it is not JSON."""
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id_of(response)

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (e.g. `X-Ratelimit-Remaining`)."""
        return self.response.headers


class BadRequestError(APIStatusError):
    """400: the vendor rejected the request as malformed."""


class AuthenticationError(APIStatusError):
    """401: the token or key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials are valid but lack the privilege for this call."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not visible to these credentials)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the vendor's state (e.g. a dedup key already used)."""

    earlier_attempt_probably_accepted: bool = False
    """True when an earlier attempt of this same call ended ambiguously (no answer, a timeout or
    a 5xx) and this repeat got 409: the dedup key was most likely used by that attempt."""


class UnprocessableEntityError(APIStatusError):
    """422: the vendor's validation rejected the request; `.errors` says which fields."""

    errors: dict[str, list[str]]
    """Field name -> messages, from Laravel's `{"message", "errors"}` body (empty otherwise)."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        self.errors = field_errors(body)


class RateLimitError(APIStatusError):
    """429: too many requests; `.retry_after` is the wait the vendor asked for, if any."""

    retry_after: float | None
    """Seconds to wait before trying again, from `Retry-After` / `retry-after-ms`; else None."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        self.retry_after = retry_after_seconds(response.headers)


class InternalServerError(APIStatusError):
    """5xx: the vendor failed."""


class ResponseValidationError(APIError):
    """A 2xx answer whose body is not what the vendor documents."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code


class AlreadySentError(APIError):
    """The send ledger holds this idempotency key as sent but has no answer to replay.

    Nothing was sent by this call: the key was marked sent by hand (`ledger.resolve(key,
    sent=True)`), or the vendor accepted the earlier send with a body that could not be read.
    """


class LedgerError(APIError):
    """The send ledger's store could not be used before the send, so nothing was sent."""


class IdempotencyKeyReusedError(ValueError):
    """The ledger holds this idempotency key for another call (other fields, path or tenant).

    Nothing was sent. A key names one send: use a new key for a different message.
    """


# Response headers a pickled error keeps: none of them carries a secret or a body.
_PICKLED_HEADERS = frozenset(
    {*_REQUEST_ID_HEADERS, "retry-after", "retry-after-ms", "content-type"}
)


def _pickled_state(error: APIError) -> dict[str, Any]:
    # The request and response are rebuilt bare on the other side; the body may echo the request.
    skipped = ("request", "response", "body")
    state = {k: v for k, v in error.__dict__.items() if k not in skipped}
    request = error.__dict__.get("request")
    if isinstance(request, httpx.Request):
        state["request"] = (request.method, str(request.url.copy_with(userinfo=b"")))
    response = error.__dict__.get("response")
    if isinstance(response, httpx.Response):
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k in _PICKLED_HEADERS or k.startswith("x-ratelimit-")
        ]
        state["response"] = (response.status_code, headers)
    if "body" in error.__dict__:
        state["body"] = None
    return state


def _unpickle(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    request_line = state.pop("request", None)
    head = state.pop("response", None)
    error.__dict__.update(state)
    error.request = httpx.Request(*request_line) if request_line else None
    if head is not None:
        error.__dict__["response"] = httpx.Response(head[0], headers=head[1], request=error.request)
    return error


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

# What to do next, appended to the vendor's own words.
_HINTS: dict[type[APIStatusError], str] = {
    AuthenticationError: "check the token or client credentials",
    PermissionDeniedError: "these credentials lack the privilege for this call",
}


def status_error(
    response: httpx.Response, *, earlier_outcome_unclear: bool = False, context: str = ""
) -> APIStatusError:
    """Build the typed error for a non-2xx response (its body must already be read).

    `context` names where the answer came from when it is not the call itself.
    """
    status = response.status_code
    cls = _STATUS_ERRORS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    body = decode_body(response)
    parts = [f"{status} {response.reason_phrase}".rstrip()]
    if context:
        parts.insert(0, context)
    vendor_message = vendor_message_of(body)
    if vendor_message:
        parts.append(vendor_message)
    hint = _HINTS.get(cls)
    if hint:
        parts.append(hint)
    error_fields = field_errors(body)
    if error_fields:
        parts.append("fields: " + ", ".join(error_fields))
    earlier_accepted = cls is ConflictError and earlier_outcome_unclear
    if earlier_accepted:
        parts.append(
            "an earlier attempt of this call ended without a clear answer and was probably "
            "accepted; this repeat was refused as a duplicate, so do not send again"
        )
    request_id = request_id_of(response)
    message = ": ".join(parts) + (f" (request id {request_id})" if request_id else "")
    error = cls(message, response=response, body=body)
    if isinstance(error, ConflictError):
        error.earlier_attempt_probably_accepted = earlier_accepted
    return error


def parse_json(content: bytes) -> object:
    """`content` as JSON, or ValueError: pydantic's fast parser, then the standard `json` module.

    The fallback reads what is legal JSON yet refused by the fast parser (a lone-surrogate
    escape such as `"\\ud83d"`); nesting too deep for either is a ValueError, not RecursionError.
    """
    try:
        return from_json(content)
    except ValueError:
        pass
    try:
        return json.loads(content)
    except RecursionError:
        pass
    raise ValueError("the body is nested too deeply to parse")


def decode_body(response: httpx.Response) -> object:
    """The body as JSON when it parses, else as text (never raises, whatever the charset says)."""
    try:
        return parse_json(response.content)
    except ValueError:
        pass
    try:
        return response.text
    except (UnicodeError, LookupError):
        # A charset that lies (utf-16 without a BOM) must not hide the status behind it.
        return response.content.decode("utf-8", errors="replace")


def vendor_message_of(body: object) -> str:
    """The vendor's human message: Laravel `message`, Loop `error` + `message`, OAuth2 errors."""
    if not isinstance(body, Mapping):
        return body.strip()[:300] if isinstance(body, str) and "<" not in body else ""
    code = body.get("error")
    text = body.get("message") or body.get("error_description") or body.get("detail")
    parts = [str(p) for p in (code, text) if isinstance(p, str) and p]
    return ": ".join(parts)


def field_errors(body: object) -> dict[str, list[str]]:
    """Laravel's `errors` object (field -> messages); empty when absent or malformed."""
    errors: Any = body.get("errors") if isinstance(body, Mapping) else None
    if not isinstance(errors, Mapping):
        return {}
    return {
        str(field): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
        for field, msgs in errors.items()
    }


def request_id_of(response: httpx.Response) -> str | None:
    """The vendor's request id header, if it sent one."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    return None


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """Parse `retry-after-ms`, then `Retry-After` as seconds or an HTTP date; None if absent.

    Anything but a finite, non-negative number or a date (`nan`, `inf`, `-1`) counts as absent.
    """
    from email.utils import parsedate_to_datetime
    from time import time

    millis = _seconds(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - time(), 0.0)


def _seconds(value: str | None) -> float | None:
    try:
        number = float(value) if value else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None
