"""httpx.Auth flows: a static bearer token, static secret headers, OAuth2 client credentials.

None of these classes shows a secret in its repr; the secrets live only in private attributes and
in the outgoing request headers.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import AsyncGenerator, Generator, Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote_plus

import httpx

from ._errors import (
    APIStatusError,
    AuthenticationError,
    ResponseValidationError,
    parse_json,
    redacted_body,
    status_error,
    vendor_message_of,
)
from ._text import is_header_token

if TYPE_CHECKING:
    import anyio

__all__ = ["BearerAuth", "ClientCredentialsAuth", "HeaderAuth", "StaticHeaderAuth"]


class StaticHeaderAuth(httpx.Auth):
    """Fixed secret headers on every request (the clients merge them in without an auth flow)."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers this auth adds (secret values: never log them)."""
        return self._headers

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the headers (used when this auth is handed to a plain httpx client)."""
        request.headers.update(self._headers)
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(headers={sorted(self._headers)!r}, values=***)"


class BearerAuth(StaticHeaderAuth):
    """Send a fixed token as `Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        super().__init__({"Authorization": f"Bearer {token}"})


class HeaderAuth(StaticHeaderAuth):
    """Send fixed secret headers (e.g. Hero's `x-api-key`) on every request."""


class ClientCredentialsAuth(httpx.Auth):
    """OAuth2 client credentials: fetch a token, cache it, share it, refresh it once on a 401.

    The token is kept until `leeway` seconds before its `expires_in` (or a tenth of its life,
    whichever is shorter). Concurrent calls wait for one fetch instead of each fetching. A 401
    answer drops the token, fetches a new one and repeats the call once: a 401 means the vendor
    did nothing, so even a message send is safe to repeat.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        credentials_in: Literal["basic", "body"] = "basic",
        leeway: float = 60.0,
    ) -> None:
        self._token_url = token_url
        self._form = {"grant_type": "client_credentials"}
        if scope:
            self._form["scope"] = scope
        self._basic: tuple[str, str] | None = None
        self._credentials = (client_id, client_secret)
        if credentials_in == "basic":
            self._basic = (client_id, client_secret)
        else:
            self._form.update(client_id=client_id, client_secret=client_secret)
        self._leeway = leeway
        self._token: str | None = None
        self._expires_at = 0.0
        self._thread_lock = threading.Lock()
        # Made on first async use: importing anyio costs ~30 ms that sync users need not pay.
        self._async_lock: anyio.Lock | None = None

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(token_url={self._token_url!r}, client_secret=***)"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Authorize `request` with a cached or fresh token; on a 401, refresh and repeat once."""
        stale: str | None = None
        for _ in range(2):
            if self._needs_token(stale):
                with self._thread_lock:
                    if self._needs_token(stale):
                        token_response = yield self._token_request(request)
                        token_response.read()
                        self._store(token_response)
            token = self._token  # the token this attempt used, not whatever is current later
            response = yield self._authorize(request, token)
            if response.status_code != 401:
                return
            # Read the 401 first: that hands its connection back to the pool. Held while we
            # wait for the refresh lock, a full pool would starve the token request itself.
            response.read()
            stale = token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The asyncio form of `sync_auth_flow`: one token fetch shared by concurrent calls."""
        stale: str | None = None
        for _ in range(2):
            if self._needs_token(stale):
                async with self._lock_for_async():
                    if self._needs_token(stale):
                        token_response = yield self._token_request(request)
                        await token_response.aread()
                        self._store(token_response)
            token = self._token  # the token this attempt used, not whatever is current later
            response = yield self._authorize(request, token)
            if response.status_code != 401:
                return
            await response.aread()  # hand the connection back before waiting (see sync flow)
            stale = token

    def _lock_for_async(self) -> anyio.Lock:
        if self._async_lock is None:
            import anyio

            self._async_lock = anyio.Lock()
        return self._async_lock

    def _needs_token(self, stale: str | None) -> bool:
        return self._token is None or self._token == stale or time.monotonic() >= self._expires_at

    @staticmethod
    def _authorize(request: httpx.Request, token: str | None) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def _token_request(self, api_request: httpx.Request) -> httpx.Request:
        # The token fetch is part of the call: same User-Agent, same timeouts.
        headers = {"Accept": "application/json"}
        if "User-Agent" in api_request.headers:
            headers["User-Agent"] = api_request.headers["User-Agent"]
        if self._basic is not None:
            headers["Authorization"] = "Basic " + _basic_pair(*self._basic)
        timeout = api_request.extensions.get("timeout")
        return httpx.Request(
            "POST",
            self._token_url,
            data=self._form,
            headers=headers,
            extensions={"timeout": timeout} if timeout else {},
        )

    def _store(self, response: httpx.Response) -> None:
        if not response.is_success:
            raise _token_error(response, secret_values(self))
        try:
            body: Any = parse_json(response.content)
            token = body["access_token"]
            lifetime = float(body.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ResponseValidationError(
                f"token endpoint {self._token_url} answered {response.status_code} "
                "without a usable access_token",
                response=response,
            ) from None
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                f"token endpoint {self._token_url} returned an empty access_token",
                response=response,
            )
        # Visible ASCII: wider than RFC 6750's b64token, which some identity providers exceed.
        if not is_header_token(token):
            # h11 would refuse it with the token quoted, or a transport would send it on.
            raise AuthenticationError(
                f"token endpoint {self._token_url} issued an access_token that cannot be sent "
                "in an HTTP header (whitespace, a line break, a control or non-ASCII "
                "character); it was not used (the token is not shown)",
                response=response,
                body=None,
            )
        self._token = token
        self._expires_at = time.monotonic() + lifetime - min(self._leeway, lifetime / 10)


def secret_values(auth: httpx.Auth) -> tuple[str, ...]:
    """The credentials `auth` holds, in every form it sends them, to redact from vendor text."""
    if isinstance(auth, StaticHeaderAuth):
        # The credential after its scheme ("Bearer x" -> "x"), or the whole header value.
        return tuple(value.split(" ", 1)[-1] for value in auth.headers.values())
    if isinstance(auth, ClientCredentialsAuth):
        found = [*auth._credentials, *(quote_plus(part, safe="") for part in auth._credentials)]
        if auth._basic is not None:
            found.append(_basic_pair(*auth._basic))
        return tuple(found) + ((auth._token,) if auth._token else ())
    return ()


def _basic_pair(client_id: str, client_secret: str) -> str:
    # RFC 6749 section 2.3.1: form-urlencode id and secret before joining them with ":".
    pair = ":".join(quote_plus(part, safe="") for part in (client_id, client_secret)).encode()
    return base64.b64encode(pair).decode("ascii")


def _token_error(response: httpx.Response, secrets: tuple[str, ...]) -> APIStatusError:
    # 400/401/403 from a token endpoint mean the client credentials are wrong (RFC 6749 5.2).
    if response.status_code not in (400, 401, 403):
        return status_error(response, context="token endpoint", secrets=secrets)
    body = redacted_body(response, secrets)
    detail = vendor_message_of(body) or response.reason_phrase
    return AuthenticationError(
        f"{response.status_code} from the token endpoint {response.request.url.host}: {detail}; "
        "check client_id and client_secret",
        response=response,
        body=body,
    )
