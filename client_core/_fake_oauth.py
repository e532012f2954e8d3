"""An OAuth2 client-credentials token endpoint for the fakes: checks the client, mints tokens."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Literal
from urllib.parse import parse_qsl

import httpx

from ._fake_input import basic_credentials

__all__ = ["TokenIssuer"]


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
