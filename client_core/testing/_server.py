"""FakeServer: the vendor-neutral half of every vendor fake.

A vendor fake declares its routes, how it checks credentials and how it words an error; this
module routes requests to it, stages faults in front of it, records what arrived, and plugs it
into httpx three ways: a `MockTransport`, a respx mock of the vendor's URLs, or a real server
on 127.0.0.1 (`_http`).
"""

from __future__ import annotations

import re
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Generic, TypeVar
from urllib.parse import unquote

import httpx
from typing_extensions import Unpack

from .._config import CallOptions
from .._retry import RetryPolicy
from .._transport import AsyncAPIClient, SyncAPIClient
from ._input import read_form
from ._reply import Lost, Reply

__all__ = ["ErrorReply", "FakeRequest", "FakeServer", "Route"]

SyncClientT = TypeVar("SyncClientT", bound=SyncAPIClient)
AsyncClientT = TypeVar("AsyncClientT", bound=AsyncAPIClient)


class ErrorReply(Exception):
    """Raised by a fake's handler to answer with an error, worded in the vendor's format.

    `code` is the machine-readable code of vendors that send one (Loop's `error`); `errors`
    holds per-field messages for vendors that send them (Laravel's `errors`).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _code(_phrase(status))
        """The code given, else the status phrase in snake case (`too_many_requests`)."""
        self.errors = dict(errors or {})


@dataclass(frozen=True, slots=True)
class FakeRequest:
    """A request as a fake's handler sees it: the `httpx.Request`, its verb and path values."""

    http: httpx.Request
    method: str
    """The routed verb: Laravel's `_method` override already applied."""
    path_params: Mapping[str, str]

    def query(self, name: str) -> str | None:
        """One query parameter, or None when absent."""
        value: str | None = self.http.url.params.get(name)
        return value


Handler = Callable[[FakeRequest], httpx.Response]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint of a fake: its verb, its path template (`/v1/messages/{id}`), its handler.

    A `token_endpoint` route needs no credentials and is never hit by staged faults, so a fault
    lands on the API call it was meant for rather than on the token fetch before it.
    """

    method: str
    path: str
    handler: Handler
    token_endpoint: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        object.__setattr__(self, "pattern", re.compile(regex + "/?"))


@dataclass(slots=True)
class _Fault:
    times: int
    path: str | None
    status: int = 0
    retry_after: float | None = None
    body: object = None
    lost: Lost | None = None
    delay: float = 0.0


class FakeServer(ABC, Generic[SyncClientT, AsyncClientT]):
    """The shared machinery of `FakeSqod`, `FakePlannr`, `FakeHero` and `FakeLoopComms`.

    Faults are staged in a queue and used one per request, in the order staged. A fault
    staged with `path=` waits for a request whose path starts with it; one without never lands
    on a token request. Every request that reached the fake is in `requests`.
    """

    method_override = False
    """True for Laravel vendors: a POST carrying `_method` is routed as that verb."""

    sync_client_class: type[SyncClientT]
    """The vendor's blocking client (e.g. `SqodClient`), which `client()` builds."""
    async_client_class: type[AsyncClientT]
    """The vendor's asyncio client (e.g. `AsyncSqodClient`), which `async_client()` builds.

    Both are called as `cls(base_url=fake.base_url, **fake.credentials, http_client=...,
    **options)`, so `credentials` must hold every keyword the client needs besides those.
    """

    def __init__(
        self, *, base_url: str, routes: Sequence[Route], also_intercept: Sequence[str] = ()
    ) -> None:
        self.base_url = base_url
        """Where the vendor lives: what `client()` uses and `mock()` intercepts."""
        self.requests: list[httpx.Request] = []
        """Every request that reached this fake, in order (refused connections excluded)."""
        self._routes = tuple(routes)
        self._intercepts = (base_url, *also_intercept)
        self._faults: deque[_Fault] = deque()
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, requests={len(self.requests)})"

    # -- what a vendor fake provides ---------------------------------------------------------

    @property
    @abstractmethod
    def credentials(self) -> Mapping[str, object]:
        """The client constructor keywords this fake accepts, e.g. `{"token": ...}`.

        Vendor fakes type it as a TypedDict, so `Client(base_url=url, **fake.credentials)`
        type-checks.
        """

    @abstractmethod
    def _authenticate(self, request: FakeRequest) -> ErrorReply | None:
        """The vendor's answer to missing or wrong credentials, or None to let the call in."""

    @abstractmethod
    def _error_response(self, error: ErrorReply) -> httpx.Response:
        """An error in the vendor's own body format."""

    # -- clients -----------------------------------------------------------------------------

    def client(self, **options: Unpack[CallOptions]) -> SyncClientT:
        """A real, authenticated client whose requests this fake answers (no network).

        Retries are not slept on unless you pass `retry_policy`. Example:
        `with fake.client(max_retries=0) as client: ...`
        """
        make: Callable[..., SyncClientT] = self.sync_client_class
        http = httpx.Client(transport=self.transport())
        client = make(
            base_url=self.base_url, **self.credentials, http_client=http, **_quick(options)
        )
        return client.adopt_http_client()  # close() closes the httpx.Client made here

    def async_client(self, **options: Unpack[CallOptions]) -> AsyncClientT:
        """The asyncio twin of `client()`: `async with fake.async_client() as client: ...`."""
        make: Callable[..., AsyncClientT] = self.async_client_class
        http = httpx.AsyncClient(transport=self.transport())
        client = make(
            base_url=self.base_url, **self.credentials, http_client=http, **_quick(options)
        )
        return client.adopt_http_client()

    def transport(self) -> httpx.MockTransport:
        """An `httpx.MockTransport` answering from this fake, for an `httpx.Client` of your own."""
        return httpx.MockTransport(self._answer)

    def async_transport(self) -> httpx.MockTransport:
        """`transport()` for an `httpx.AsyncClient` (the same one: delays never block a loop)."""
        return self.transport()

    @contextmanager
    def mock(self) -> Iterator[str]:
        """Route every httpx request to the vendor's URLs into this fake (needs respx).

        For code that builds its own client; yields the base URL. Requests to other hosts
        raise respx's "not mocked" error unless another respx router handles them.
        """
        try:
            import respx
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                "fake.mock() needs respx: pip install 'care-messaging-clients[testing]'"
            ) from None
        router = respx.MockRouter(assert_all_called=False)
        for url in self._intercepts:
            # The URL itself or below it: not a host or path that merely starts the same.
            pattern = rf"^{re.escape(url)}(?:[/?#]|$)"
            router.route(url__regex=pattern).mock(side_effect=self._answer)
        with router:
            yield self.base_url

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run this fake as an HTTP server on 127.0.0.1 (a free port); yields its base URL.

        Token endpoints are served there too. A timeout fault holds the connection until the
        client gives up, so give the client a short `timeout`.
        """
        from ._http import serve

        with serve(self.handle) as base_url:
            yield base_url

    # -- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        body: object = None,
        path: str | None = None,
    ) -> None:
        """Answer the next `times` requests with `status` without acting on them.

        The body is the vendor's error format unless `body` is given; `retry_after` adds a
        `Retry-After` header (seconds); `path` picks the requests (see the class docstring).
        Example: `fake.fail_next(429, retry_after=0)`.
        """
        fault = _Fault(times, path, status=status, retry_after=retry_after, body=body)
        self._stage(fault)

    def drop_next(self, *, times: int = 1, path: str | None = None) -> None:
        """Act on the next `times` requests, then close the connection without answering."""
        self._stage(_Fault(times, path, lost="drop"))

    def timeout_next(self, *, times: int = 1, path: str | None = None) -> None:
        """Act on the next `times` requests, then never answer: the client's read timeout fires."""
        self._stage(_Fault(times, path, lost="timeout"))

    def refuse_next(self, *, times: int = 1, path: str | None = None) -> None:
        """Refuse the next `times` connections: nothing is sent or done (a failed connect).

        Over real sockets (`serve()`) a connection cannot be refused once accepted; it is
        closed unread, which a client sees as a dropped connection.
        """
        self._stage(_Fault(times, path, lost="refuse"))

    def delay_next(self, seconds: float, *, times: int = 1, path: str | None = None) -> None:
        """Answer the next `times` requests `seconds` late (after acting on them).

        Under `client()` and `mock()` a delay at least as long as the client's read timeout
        raises the timeout at once instead of waiting.
        """
        self._stage(_Fault(times, path, delay=seconds))

    def _stage(self, fault: _Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be 1 or more")
        with self._lock:
            self._faults.append(fault)

    # -- answering ---------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> Reply:
        """Decide what happens to one request (the read body must be in `request.content`)."""
        with self._lock:
            found = self._route(request)
            fault = self._take_fault(request, token=found is not None and found[0].token_endpoint)
            if fault is not None and fault.lost == "refuse":
                return Reply(None, lost="refuse")
            self.requests.append(request)
            if fault is not None and fault.status:
                return Reply(self._fault_response(fault))
            response = self._respond(request, found)
        if fault is None:
            return Reply(response)
        return Reply(response, lost=fault.lost, delay=fault.delay)

    def _take_fault(self, request: httpx.Request, *, token: bool) -> _Fault | None:
        path = request.url.path
        for fault in self._faults:
            if path.startswith(fault.path) if fault.path is not None else not token:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _route(self, request: httpx.Request) -> tuple[Route, FakeRequest] | None:
        method = self._routed_method(request)
        for route in self._routes:
            match = route.pattern.fullmatch(_raw_path(request))
            if match is not None and route.method == method:
                params = {k: unquote(v) for k, v in match.groupdict().items()}
                return route, FakeRequest(request, method, params)
        return None

    def _respond(
        self, request: httpx.Request, found: tuple[Route, FakeRequest] | None
    ) -> httpx.Response:
        if found is None:
            return self._error_response(self._no_route(request))
        route, incoming = found
        try:
            if not route.token_endpoint:
                denied = self._authenticate(incoming)
                if denied is not None:
                    raise denied
            return route.handler(incoming)
        except ErrorReply as error:
            return self._error_response(error)

    def _no_route(self, request: httpx.Request) -> ErrorReply:
        method, path = self._routed_method(request), _raw_path(request)
        if any(route.pattern.fullmatch(path) for route in self._routes):
            return ErrorReply(405, f"The {method} method is not supported for route {path}.")
        return ErrorReply(404, f"The route {path} could not be found.")

    def _routed_method(self, request: httpx.Request) -> str:
        if not (self.method_override and request.method == "POST"):
            return request.method
        override = request.url.params.get("_method")
        if override is None:
            fields, _ = read_form(request)
            override = dict(fields).get("_method")
        return override.upper() if override else "POST"

    def _fault_response(self, fault: _Fault) -> httpx.Response:
        headers = {} if fault.retry_after is None else {"Retry-After": _seconds(fault.retry_after)}
        if fault.body is not None:
            response = _json_or_text(fault.status, fault.body)
        else:
            response = self._error_response(ErrorReply(fault.status, _phrase(fault.status)))
        response.headers.update(headers)
        return response

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        outcome, delay = _mock_outcome(request, self.handle(request))
        if isinstance(outcome, Exception):
            raise outcome
        if not delay:
            return outcome
        # One handler for sync and async clients: the body waits as the client reads it.
        body = _LateBody(outcome.content, delay)
        return httpx.Response(outcome.status_code, headers=outcome.headers, stream=body)


class _LateBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that arrives `delay` seconds late, without blocking an event loop."""

    def __init__(self, content: bytes, delay: float) -> None:
        self._content = content
        self._delay = delay

    def __iter__(self) -> Iterator[bytes]:
        time.sleep(self._delay)
        yield self._content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import anyio

        await anyio.sleep(self._delay)
        yield self._content


def _raw_path(request: httpx.Request) -> str:
    # Still percent-encoded, so an id holding "%2F" stays one path segment.
    return request.url.raw_path.decode("ascii").partition("?")[0]


_STATUSES = frozenset(status.value for status in HTTPStatus)


def _phrase(status: int) -> str:
    return HTTPStatus(status).phrase if status in _STATUSES else "Error"


def _code(phrase: str) -> str:
    return phrase.lower().replace(" ", "_").replace("-", "_")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _json_or_text(status: int, body: object) -> httpx.Response:
    if isinstance(body, str | bytes):
        return httpx.Response(status, content=body)
    return httpx.Response(status, json=body)


def _mock_outcome(
    request: httpx.Request, reply: Reply
) -> tuple[httpx.Response | httpx.RequestError, float]:
    # In memory, time is simulated: a lost answer or an over-long delay fails at once.
    read_timeout = (request.extensions.get("timeout") or {}).get("read")
    if reply.lost == "refuse":
        return httpx.ConnectError("[Errno 111] Connection refused", request=request), 0.0
    if reply.lost == "timeout" or (read_timeout is not None and reply.delay >= read_timeout):
        return httpx.ReadTimeout("The read operation timed out", request=request), 0.0
    if reply.lost == "drop":
        message = "Server disconnected without sending a response."
        return httpx.RemoteProtocolError(message, request=request), 0.0
    assert reply.response is not None
    return reply.response, reply.delay


def _quick(options: CallOptions) -> CallOptions:
    # A test suite should not sleep through backoff; the delays are still computed and logged.
    if "retry_policy" in options:
        return options
    quick = options.copy()
    quick["retry_policy"] = RetryPolicy.no_wait(options.get("max_retries", 2))
    quick.pop("max_retries", None)
    return quick
