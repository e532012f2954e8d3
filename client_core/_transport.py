"""The base client (build, check status, parse: no I/O) and its two thin shells that only send.

A call's life: an endpoint builder returns a `Call`; `BaseClient._build_request` turns it into one
`httpx.Request` (reused byte for byte by every retry); a shell sends it; `_finish` turns the answer
into a model or a typed error. A first attempt that succeeds never touches tenacity.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx
from pydantic_core import from_json

from ._auth import StaticHeaderAuth
from ._call import Call
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    OutcomeUnknownError,
    ResponseValidationError,
    status_error,
)
from ._fast_parse import parse_json, parse_json_page
from ._models import NOT_GIVEN, NotGiven, RawResponse, Resource, attach_raw, parse_resource
from ._pagination import AsyncPage, SyncPage, parse_page
from ._retry import RetryPolicy

if TYPE_CHECKING:
    import tenacity

__all__ = [
    "AsyncAPIClient",
    "AsyncResource",
    "ClientSettings",
    "HttpT",
    "SyncAPIClient",
    "SyncResource",
]

ResultT = TypeVar("ResultT")
ItemT = TypeVar("ItemT", bound=Resource)
HttpT = TypeVar("HttpT", bound=httpx.Client | httpx.AsyncClient)

# Failures where the request provably never left this machine, so even a send may be repeated.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)

_AMBIGUOUS_STATUSES = frozenset({408, 500, 502, 504})


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Everything a client needs besides its connection pool; built once per client."""

    base_url: str
    auth: httpx.Auth
    headers: Mapping[str, str]
    timeout: httpx.Timeout
    retry: RetryPolicy
    logger_name: str
    strict_responses: bool = False
    method_override: bool = False


class _Attempts:
    """Bookkeeping across the attempts of one call (kept out of tenacity's per-call state)."""

    __slots__ = ("outcome_unclear", "pending", "retries")

    def __init__(self) -> None:
        self.retries = -1
        self.pending: APIError | None = None
        self.outcome_unclear = False

    def begin(self) -> None:
        # A first attempt that failed outside tenacity is replayed as tenacity's attempt 1, so
        # tenacity waits before the real second attempt.
        if self.pending is not None:
            error, self.pending = self.pending, None
            raise error
        self.retries += 1

    def failed(self, error: APIError) -> APIError:
        if isinstance(error, APIConnectionError) and error.sent:
            self.outcome_unclear = True
        return error

    def answered(self, response: httpx.Response) -> None:
        # These may come after the vendor acted (a gateway timing out a slow backend); a 503
        # or 429 is a refusal to start, so it leaves nothing ambiguous behind.
        if response.status_code in _AMBIGUOUS_STATUSES:
            self.outcome_unclear = True


class BaseClient(Generic[HttpT]):
    """Shared by sync and async clients: settings, request building, answer parsing; no I/O."""

    _settings: ClientSettings
    _http: HttpT

    def __init__(self, settings: ClientSettings, http_client: HttpT | None) -> None:
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http_client(settings)
        self._apply(settings)

    def _new_http_client(self, settings: ClientSettings) -> HttpT:
        raise NotImplementedError

    def _apply(self, settings: ClientSettings) -> None:
        self._settings = settings
        self._logger = logging.getLogger(settings.logger_name)
        auth = settings.auth
        # Fixed credentials go straight into the headers: an httpx auth flow costs ~1.5 us a call.
        self._auth: httpx.Auth | None = None if isinstance(auth, StaticHeaderAuth) else auth
        secret = auth.headers if isinstance(auth, StaticHeaderAuth) else {}
        self._headers = {**settings.headers, **secret}
        self._json_headers = {**self._headers, "Content-Type": "application/json"}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with other options that shares this client's connection pool and token cache.

        Example: `client.with_options(timeout=5, max_retries=0).appointments.list()`.
        """
        settings = self._settings
        if not isinstance(timeout, NotGiven):
            settings = replace(settings, timeout=httpx.Timeout(timeout))
        if not isinstance(max_retries, NotGiven):
            settings = replace(settings, retry=replace(settings.retry, max_retries=max_retries))
        if not isinstance(default_headers, NotGiven):
            settings = replace(settings, headers={**settings.headers, **default_headers})
        clone = copy.copy(self)
        clone._owns_http = False  # the pool belongs to the client it was copied from
        clone._apply(settings)
        return clone

    def _build_request(self, call: Call[Any]) -> httpx.Request:
        method, params = call.method, call.params
        if call.tunnel or (self._settings.method_override and method == "PATCH"):
            # Laravel method spoofing: POST carrying the real verb in `_method`.
            params = {**(params or {}), "_method": method}
            method = "POST"
        content = None
        headers = self._headers
        if call.json is not None:
            content = json.dumps(
                call.json, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode()
            headers = self._json_headers
        request = self._http.build_request(
            method,
            self._settings.base_url + call.path,
            params=params,
            content=content,
            data=call.form,
            files=call.files,
            headers=headers,
            timeout=self._settings.timeout,
        )
        if call.files is not None:
            request.read()  # every retry must send the same bytes, even from a one-shot stream
        return request

    def _should_retry(self, call: Call[Any], request: httpx.Request, error: BaseException) -> bool:
        retry = self._settings.retry
        # An answer to another request (the token endpoint) means this call never went out.
        never_sent = isinstance(error, APIStatusError) and error.request is not request
        idempotent = call.idempotent or never_sent
        return retry.max_retries > 0 and retry.should_retry(error, idempotent=idempotent)

    def _retry_options(self, call: Call[Any], request: httpx.Request) -> dict[str, Any]:
        def log_retry(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            self._logger.info(
                "%s %s: %s, retrying in %.2f s (retry %d of %d)",
                request.method,
                request.url.path,
                _describe(error),
                state.upcoming_sleep,
                state.attempt_number,
                self._settings.retry.max_retries,
            )

        def retryable(error: BaseException) -> bool:
            return self._should_retry(call, request, error)

        return self._settings.retry.tenacity_options(retryable=retryable, before_sleep=log_retry)

    def _transport_error(
        self, call: Call[Any], request: httpx.Request, exc: httpx.RequestError
    ) -> APIConnectionError:
        try:
            failed = exc.request
        except RuntimeError:
            failed = request
        # A failure while fetching a token (another request) means ours was never sent.
        sent = failed is request and not isinstance(exc, _NOT_SENT)
        where = f"{request.method} {request.url.path}"
        reason = type(exc).__name__
        if sent and not call.idempotent:
            return OutcomeUnknownError(
                f"{where}: the request was sent but no answer came back ({reason}). The vendor "
                "may or may not have acted on it (a message may or may not have been sent), so "
                "it was not retried: check before sending again.",
                request=request,
                sent=True,
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"{where}: timed out ({reason})", request=request, sent=sent)
        return APIConnectionError(
            f"{where}: connection failed ({reason})", request=request, sent=sent
        )

    def _check(self, response: httpx.Response, attempts: _Attempts) -> None:
        if self._logger.isEnabledFor(logging.DEBUG):
            self._logger.debug(
                "%s %s -> %d in %.0f ms (retries %d)",
                response.request.method,
                response.request.url.path,
                response.status_code,
                _elapsed_ms(response),
                attempts.retries,
            )
        if not response.is_success:
            error = status_error(response, earlier_outcome_unclear=attempts.outcome_unclear)
            attempts.answered(response)
            raise error

    def _finish(self, call: Call[Any], response: httpx.Response, attempts: _Attempts) -> Any:
        self._check(response, attempts)
        raw = RawResponse(response, attempts.retries)
        if call.paged:
            page = parse_json_page(call, response.content, raw)
            if page is not None:
                return page
        else:
            parsed = parse_json(call.returns, response.content)
            if parsed is not None:
                attach_raw(parsed, raw)
                return parsed
        body = _json_body(response, empty_ok=call.empty_ok)
        strict = self._settings.strict_responses
        if call.paged:
            return parse_page(call, body, raw, strict=strict, logger=self._logger)
        if body is None:
            return None
        result = parse_resource(call.returns, body, response, strict=strict, logger=self._logger)
        attach_raw(result, raw)
        return result


def _json_body(response: httpx.Response, *, empty_ok: bool) -> object:
    content = response.content
    if not content or content.isspace():  # strip() would copy the body
        if empty_ok:
            return None
        problem = "an empty body"
    else:
        try:
            return from_json(content)
        except ValueError:
            problem = "a body that is not JSON"
    raise ResponseValidationError(
        f"{response.request.method} {response.request.url.path}: the vendor accepted the request "
        f"(status {response.status_code}) but sent {problem}; do not resend before checking",
        response=response,
    )


def _elapsed_ms(response: httpx.Response) -> float:
    try:
        return response.elapsed.total_seconds() * 1000
    except RuntimeError:  # a response built in memory (MockTransport) has no timing
        return 0.0


def _describe(error: BaseException | None) -> str:
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__} {status}" if status else type(error).__name__


class SyncAPIClient(BaseClient[httpx.Client]):
    """The blocking shell: sends what `BaseClient` builds. Use as a context manager or close()."""

    def _new_http_client(self, settings: ClientSettings) -> httpx.Client:
        return httpx.Client(timeout=settings.timeout, follow_redirects=False)

    def send(self, call: Call[ResultT]) -> ResultT:
        """Send one call, retrying as its `RetryPolicy` allows; return the parsed answer."""
        request = self._build_request(call)
        attempts = _Attempts()
        try:
            return self._attempt(call, request, attempts)  # type: ignore[no-any-return]
        except APIError as error:
            if not self._should_retry(call, request, error):
                raise
            attempts.pending = error
        import tenacity

        sleep = time.sleep if self._settings.retry.wait else _no_sleep
        retrying = tenacity.Retrying(sleep=sleep, **self._retry_options(call, request))
        return retrying(self._attempt, call, request, attempts)  # type: ignore[no-any-return]

    def send_page(self, call: Call[ItemT]) -> SyncPage[ItemT]:
        """Fetch one page of a paginated list; the page knows how to fetch the next."""
        return SyncPage(self, call, self.send(call))  # type: ignore[arg-type]

    def _attempt(self, call: Call[Any], request: httpx.Request, attempts: _Attempts) -> Any:
        attempts.begin()
        try:
            response = self._http.send(request, auth=self._auth)
        except httpx.RequestError as exc:
            raise attempts.failed(self._transport_error(call, request, exc)) from exc
        return self._finish(call, response, attempts)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """The asyncio shell: sends what `BaseClient` builds. Use `async with` or `await aclose()`."""

    def _new_http_client(self, settings: ClientSettings) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=settings.timeout, follow_redirects=False)

    async def send(self, call: Call[ResultT]) -> ResultT:
        """Send one call, retrying as its `RetryPolicy` allows; return the parsed answer."""
        request = self._build_request(call)
        attempts = _Attempts()
        try:
            return await self._attempt(call, request, attempts)  # type: ignore[no-any-return]
        except APIError as error:
            if not self._should_retry(call, request, error):
                raise
            attempts.pending = error
        import anyio
        import tenacity

        sleep = anyio.sleep if self._settings.retry.wait else _no_sleep_async
        retrying = tenacity.AsyncRetrying(sleep=sleep, **self._retry_options(call, request))
        result: ResultT = await retrying(self._attempt, call, request, attempts)
        return result

    async def send_page(self, call: Call[ItemT]) -> AsyncPage[ItemT]:
        """Fetch one page of a paginated list; the page knows how to fetch the next."""
        return AsyncPage(self, call, await self.send(call))  # type: ignore[arg-type]

    async def _attempt(self, call: Call[Any], request: httpx.Request, attempts: _Attempts) -> Any:
        attempts.begin()
        try:
            response = await self._http.send(request, auth=self._auth)
        except httpx.RequestError as exc:
            raise attempts.failed(self._transport_error(call, request, exc)) from exc
        return self._finish(call, response, attempts)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class SyncResource:
    """Base of a vendor's resource group (`client.appointments`) on a blocking client."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """Base of a vendor's resource group (`client.appointments`) on an asyncio client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


def _no_sleep(_: float) -> None:
    return None


async def _no_sleep_async(_: float) -> None:
    return None
