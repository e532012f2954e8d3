"""Bearer tokens in the fakes: an OAuth2 client-credentials endpoint, and the fake base using it."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import parse_qsl

import httpx
from typing_extensions import TypedDict

from ._input import basic_credentials
from ._server import AsyncClientT, FakeRequest, FakeServer, Route, SyncClientT

__all__ = [
    "BearerTokenFake",
    "ClientCredentialsKeywords",
    "TokenIssuer",
    "TokenKeywords",
    "utc_timestamp",
]


class TokenIssuer:
    """Mints bearer tokens for one client id and secret, as an OAuth2 server would.

    `credentials_in="basic"` reads them from HTTP Basic auth (AWS Cognito); `"body"` from the
    form fields `client_id` and `client_secret`. Errors are OAuth2's `{error, error_description}`.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        credentials_in: Literal["basic", "body"],
        lifetime: int = 3600,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._credentials_in = credentials_in
        self.lifetime = lifetime
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenIssuer(client_id={self.client_id!r}, issued={len(self._issued)})"

    @property
    def client_secret(self) -> str:
        """The secret this issuer accepts (kept out of repr)."""
        return self._client_secret

    def issue(self, request: httpx.Request) -> httpx.Response:
        """Answer one token request: a fresh token, or the OAuth2 error a server would send."""
        form = dict(parse_qsl(request.content.decode(errors="replace")))
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "Only client_credentials is allowed."
            )
        if self._client_of(request, form) != (self.client_id, self._client_secret):
            return _oauth_error(401, "invalid_client", "Client authentication failed.")
        token = "fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._issued[token] = time.monotonic() + self.lifetime
        body: dict[str, object] = {
            "access_token": token,
            "expires_in": self.lifetime,
            "token_type": "Bearer",
        }
        if "scope" in form:
            body["scope"] = form["scope"]
        return httpx.Response(200, json=body)

    def accepts(self, token: str) -> bool:
        """Whether `token` was issued here and has not expired."""
        with self._lock:
            return self._issued.get(token, 0.0) > time.monotonic()

    def expire_all(self) -> None:
        """Make every token issued so far expire now: the next call with one gets a 401."""
        with self._lock:
            self._issued.clear()

    def _client_of(self, request: httpx.Request, form: dict[str, str]) -> tuple[str, str] | None:
        if self._credentials_in == "basic":
            return basic_credentials(request)
        return form.get("client_id", ""), form.get("client_secret", "")


def _oauth_error(status: int, code: str, description: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "error_description": description})


class TokenKeywords(TypedDict):
    """Client keywords for a static bearer token: `Client(base_url=url, **fake.credentials)`."""

    token: str


class ClientCredentialsKeywords(TypedDict):
    """Client keywords for the client-credentials flow: `**fake.client_credentials`."""

    client_id: str
    client_secret: str


class BearerTokenFake(FakeServer[SyncClientT, AsyncClientT]):
    """A fake of a vendor that takes a bearer token: a static one, or one it issues.

    The token endpoint sits at `token_path` (on the vendor's token host under `mock()`, on the
    served URL under `serve()`) and checks `client_credentials` where the vendor wants them.
    """

    def __init__(
        self,
        *,
        base_url: str,
        routes: Sequence[Route],
        name: str,
        token_path: str,
        token_url: str,
        credentials_in: Literal["basic", "body"],
    ) -> None:
        self.token = f"fake-{name}-" + secrets.token_urlsafe(16)
        """The static bearer token this fake accepts (the client's `token=`)."""
        self._tokens = TokenIssuer(
            client_id=f"fake-{name}-client",
            client_secret=secrets.token_urlsafe(16),
            credentials_in=credentials_in,
        )
        token_route = Route("POST", token_path, self._issue_token, token_endpoint=True)
        super().__init__(
            base_url=base_url, routes=[token_route, *routes], also_intercept=[token_url]
        )

    @property
    def credentials(self) -> TokenKeywords:
        """The client keywords this fake accepts: `Client(base_url=url, **fake.credentials)`."""
        return {"token": self.token}

    @property
    def client_credentials(self) -> ClientCredentialsKeywords:
        """`client_id` and `client_secret` the token endpoint accepts."""
        return {"client_id": self._tokens.client_id, "client_secret": self._tokens.client_secret}

    def expire_tokens(self) -> None:
        """Expire every token the token endpoint issued: the next call with one gets a 401."""
        self._tokens.expire_all()

    def _bearer_valid(self, request: FakeRequest) -> bool:
        scheme, _, token = request.http.headers.get("authorization", "").partition(" ")
        known = secrets.compare_digest(token, self.token) or self._tokens.accepts(token)
        return scheme.lower() == "bearer" and known

    def _issue_token(self, request: FakeRequest) -> httpx.Response:
        return self._tokens.issue(request.http)


def utc_timestamp(moment: datetime | None = None) -> str:
    """`moment` (default now) as UTC with milliseconds, e.g. `2021-01-01T00:00:00.000Z`."""
    utc = (moment or datetime.now(UTC)).astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
