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
from dataclasses import replace
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

import httpx

from ._auth import StaticHeaderAuth, secret_values
from ._call import Call, MaybeEmptyCall, PagedCall, _Call
from ._config import ClientSettings, HttpT
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    OutcomeUnknownError,
    ResponseValidationError,
    parse_json,
    status_error,
)
from ._fast_parse import result_from_json
from ._models import NOT_GIVEN, NotGiven, RawResponse, Resource
from ._pagination import AsyncPage, SyncPage
from ._text import check_encodable, checked_headers

if TYPE_CHECKING:
    import tenacity

__all__ = [
    "AsyncAPIClient",
    "AsyncResource",
    "BaseClient",
    "SyncAPIClient",
    "SyncResource",
]

ResultT = TypeVar("ResultT")
ModelT = TypeVar("ModelT", bound=Resource)

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
        # Built once: httpx would parse a dict's names and values, and turn the Timeout into
        # this dict, on every request.
        headers = {**settings.headers, **secret}
        self._headers = httpx.Headers(headers)
        self._json_headers = httpx.Headers({**headers, "Content-Type": "application/json"})
        self._timeout = settings.timeout.as_dict()

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
            headers = {**settings.headers, **checked_headers(default_headers)}
            settings = replace(settings, headers=headers)
        clone = copy.copy(self)
        clone._owns_http = False  # the pool belongs to the client it was copied from
        clone._apply(settings)
        return clone

    def adopt_http_client(self) -> Self:
        """Make `close()` close the `http_client` this client was given, as it closes its own.

        For code that builds an httpx client only to hand it over, as the fakes' `client()`
        does: `SqodClient(..., http_client=httpx.Client(transport=t)).adopt_http_client()`.
        Copies made by `with_options` still never close the pool they share.
        """
        self._owns_http = True
        return self

    def _build_request(self, call: _Call[Any, Any]) -> httpx.Request:
        if self._http.is_closed:
            raise ClientClosedError(
                f"{type(self).__name__} is closed: make calls before close() / aclose() or the "
                "end of its `with` block, or create a new client"
            )
        method, params = call.method, call.params
        if call.tunnel or (self._settings.method_override and method == "PATCH"):
            # Laravel method spoofing: POST carrying the real verb in `_method`.
            params = {**(params or {}), "_method": method}
            method = "POST"
        content = None
        headers = self._headers
        if call.json is not None:
            text = json.dumps(call.json, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            content = text.encode(errors="surrogatepass")
            if not content.isascii():
                check_encodable(text, f"{call.method} {call.path}: the request body")
            headers = self._json_headers
        unencodable = False
        try:
            request = self._http.build_request(
                method,
                self._settings.base_url + call.path,
                params=params,
                content=content,
                data=call.form,
                files=call.files,
                headers=headers,
                extensions={"timeout": self._timeout},
            )
        except UnicodeEncodeError:
            unencodable = True
        if unencodable:
            # Builders check their fields first; this is the net for one they let through.
            # Raised outside the handler: the codec's error quotes the text (patient data).
            raise ValueError(
                f"{call.method} {call.path}: a field holds text that cannot be encoded as UTF-8 "
                "(a lone surrogate, such as half of an emoji); the value is not shown"
            )
        if call.files is not None:
            request.read()  # every retry must send the same bytes, even from a one-shot stream
        return request

    def _should_retry(
        self, call: _Call[Any, Any], request: httpx.Request, error: BaseException
    ) -> bool:
        retry = self._settings.retry
        # An answer to another request (the token endpoint) means this call never went out.
        never_sent = isinstance(error, APIStatusError) and error.request is not request
        idempotent = call.idempotent or never_sent
        return retry.max_retries > 0 and retry.should_retry(error, idempotent=idempotent)

    def _retry_options(self, call: _Call[Any, Any], request: httpx.Request) -> dict[str, Any]:
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
        self, call: _Call[Any, Any], request: httpx.Request, exc: httpx.RequestError
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
            # The credentials as sent (a fetched token may have been refreshed since) and held.
            sent = response.request.headers.get("authorization", "").split(" ", 1)[-1]
            error = status_error(
                response,
                earlier_outcome_unclear=attempts.outcome_unclear,
                secrets=(sent, *secret_values(self._settings.auth)),
            )
            attempts.answered(response)
            raise error

    def _finish(
        self, call: _Call[Any, ResultT], response: httpx.Response, attempts: _Attempts
    ) -> ResultT:
        self._check(response, attempts)
        raw = RawResponse(response, attempts.retries)
        parsed = result_from_json(call, response.content, raw)
        if parsed is not None:
            return parsed
        body = _json_body(response, empty_ok=call.empty_ok)
        return call.parse(body, raw, strict=self._settings.strict_responses, logger=self._logger)


def _json_body(response: httpx.Response, *, empty_ok: bool) -> object:
    content = response.content
    if not content or content.isspace():  # strip() would copy the body
        if empty_ok:
            return None
        problem = "an empty body"
    else:
        try:
            body = parse_json(content)
        except ValueError:
            problem = "a body that is not JSON"
        else:
            # A `null` is no answer: None only where the call's type admits it.
            if body is not None or empty_ok:
                return body
            problem = "JSON null instead of an object"
    raise ResponseValidationError(
        f"{response.request.method} {response.request.url.path}: the vendor accepted the request "
        f"(status {response.status_code}) but sent {problem}; do not resend before checking",
        response=response,
    )


def _no_cookies() -> CookieJar:
    # None of these APIs uses cookies; a jar would replay whatever a gateway sets, and one
    # Latin-1 cookie would make every later request fail before it is sent.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


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
        return httpx.Client(timeout=settings.timeout, follow_redirects=False, cookies=_no_cookies())

    @overload
    def send(self, call: Call[ModelT]) -> ModelT: ...
    @overload
    def send(self, call: MaybeEmptyCall[ModelT]) -> ModelT | None: ...
    def send(self, call: Call[ModelT] | MaybeEmptyCall[ModelT]) -> ModelT | None:
        """Send one call, retrying as the client's `RetryPolicy` allows; return its result.

        The vendor clients wrap every documented call; `send` is the escape hatch for an
        endpoint they do not wrap yet. Example:
        `client.send(Call("GET", "/v1/messages/42", Message, idempotent=True))`.
        """
        if call.idempotency_key is not None:
            from ._ledger_send import send_once  # the send ledger loads with the first keyed send

            return send_once(self, call)
        return self._send(call)

    def send_page(self, call: PagedCall[ModelT]) -> SyncPage[ModelT]:
        """Fetch one page of a list (the escape hatch for lists not wrapped yet, like `send`).

        The page knows how to fetch the next; iterating it walks every page.
        """
        return SyncPage(self, call, self._send(call))

    def _send(self, call: _Call[Any, ResultT]) -> ResultT:
        request = self._build_request(call)
        attempts = _Attempts()
        try:
            return self._attempt(call, request, attempts)
        except APIError as error:
            if not self._should_retry(call, request, error):
                raise
            attempts.pending = error
        import tenacity

        sleep = time.sleep if self._settings.retry.wait else _no_sleep
        retrying = tenacity.Retrying(sleep=sleep, **self._retry_options(call, request))
        result: ResultT = retrying(self._attempt, call, request, attempts)
        return result

    def _attempt(
        self, call: _Call[Any, ResultT], request: httpx.Request, attempts: _Attempts
    ) -> ResultT:
        attempts.begin()
        try:
            response = self._http.send(request, auth=self._auth, follow_redirects=False)
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
        return httpx.AsyncClient(
            timeout=settings.timeout, follow_redirects=False, cookies=_no_cookies()
        )

    @overload
    async def send(self, call: Call[ModelT]) -> ModelT: ...
    @overload
    async def send(self, call: MaybeEmptyCall[ModelT]) -> ModelT | None: ...
    async def send(self, call: Call[ModelT] | MaybeEmptyCall[ModelT]) -> ModelT | None:
        """Send one call, retrying as the client's `RetryPolicy` allows; return its result.

        The vendor clients wrap every documented call; `send` is the escape hatch for an
        endpoint they do not wrap yet. Example:
        `await client.send(Call("GET", "/v1/messages/42", Message, idempotent=True))`.
        """
        if call.idempotency_key is not None:
            from ._ledger_send import asend_once

            return await asend_once(self, call)
        return await self._send(call)

    async def send_page(self, call: PagedCall[ModelT]) -> AsyncPage[ModelT]:
        """Fetch one page of a list (the escape hatch for lists not wrapped yet, like `send`).

        The page knows how to fetch the next; `async for` over it walks every page.
        """
        return AsyncPage(self, call, await self._send(call))

    async def _send(self, call: _Call[Any, ResultT]) -> ResultT:
        request = self._build_request(call)
        attempts = _Attempts()
        try:
            return await self._attempt(call, request, attempts)
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

    async def _attempt(
        self, call: _Call[Any, ResultT], request: httpx.Request, attempts: _Attempts
    ) -> ResultT:
        attempts.begin()
        try:
            response = await self._http.send(request, auth=self._auth, follow_redirects=False)
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
