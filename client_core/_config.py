"""Constructor helpers shared by every vendor client: env fallbacks, URL checks, settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, TypeVar
from urllib.parse import urlsplit

import httpx
from typing_extensions import TypedDict

from ._auth import BearerAuth, ClientCredentialsAuth
from ._retry import RetryPolicy
from ._text import check_form_value, check_header_value, checked_headers
from ._version import __version__

if TYPE_CHECKING:
    from ._ledger import Ledger

__all__ = [
    "DEFAULT_TIMEOUT",
    "CallOptions",
    "ClientCredentials",
    "ClientOptions",
    "ClientSettings",
    "HttpT",
    "check_base_url",
    "client_settings",
    "credential",
    "resolve_base_url",
    "token_auth",
]

HttpT = TypeVar("HttpT", bound=httpx.Client | httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""30 s for every phase but connecting, which gets 5 s."""

_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class CallOptions(TypedDict, total=False):
    """Options that shape how a client calls: timeouts, retries, headers, strictness.

    Every client takes them (see `ClientOptions`); a fake's `client()` takes only these.
    """

    timeout: float | httpx.Timeout
    """Seconds for every phase, or an `httpx.Timeout`; default 30 s, 5 s to connect."""
    max_retries: int
    """Further attempts after a failure that is safe to retry; default 2."""
    retry_policy: RetryPolicy
    """Full control over retries (replaces `max_retries`); `RetryPolicy.no_wait()` for tests."""
    default_headers: Mapping[str, str]
    """Extra headers sent on every request."""
    strict_responses: bool
    """Raise `ResponseValidationError` on an off-spec 2xx answer instead of logging a warning."""


class ClientOptions(CallOptions, Generic[HttpT], total=False):
    """Keyword options every client takes besides its credentials and base URL.

    Example: `HeroClient(api_key=key, practice_group_id="42", timeout=10, max_retries=4)`.
    """

    http_client: HttpT
    """An `httpx.Client` (`httpx.AsyncClient` for async clients) to send through; you close it.

    `AiohttpClient()` here is the fast async path (docs/performance.md)."""


_OPTION_NAMES = frozenset(ClientOptions.__annotations__)


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
    tenant: str = ""
    """Who the calls act for besides the base URL (an account, a practice group): fingerprinted."""
    ledger: Ledger | None = None
    """Where keyed sends are recorded (see `SqliteLedger`); None: `idempotency_key` is refused."""


@dataclass(frozen=True, slots=True, repr=False)
class ClientCredentials:
    """An OAuth2 client id and secret, resolved from arguments or the environment."""

    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return "ClientCredentials(client_secret=***)"


def from_env(value: str | None, env: str) -> str | None:
    """The explicit value, else the environment variable (empty counts as unset)."""
    if value is not None:
        return value
    return os.environ.get(env) or None


def require(value: str | None, name: str, env: str) -> str:
    """`value`, or a ValueError naming the parameter and its environment variable."""
    value = from_env(value, env)
    if not value:
        raise ValueError(f"{name} is required: pass {name}= or set {env}")
    return value


def credential(value: str | None, name: str, env: str) -> str:
    """`require` for a key, token or id sent in a header, refusing stray characters."""
    return check_header_value(require(value, name, env), name)


def _client_credential(value: str | None, name: str, env: str) -> str:
    # Sent percent-encoded (RFC 6749 2.3.1): visible non-ASCII letters and inner spaces are fine.
    return check_form_value(require(value, name, env), name)


def token_or_credentials(
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    *,
    env_prefix: str,
) -> str | ClientCredentials:
    """A static token or client credentials; explicit arguments first, then the environment.

    Within one level (arguments, or environment) a static token wins over client credentials.
    """
    names = (f"{env_prefix}_TOKEN", f"{env_prefix}_CLIENT_ID", f"{env_prefix}_CLIENT_SECRET")
    if token:
        return check_header_value(token, "token")
    if client_id or client_secret:
        return ClientCredentials(
            _client_credential(client_id, "client_id", names[1]),
            _client_credential(client_secret, "client_secret", names[2]),
        )
    env_token = from_env(None, names[0])
    if env_token:
        return check_header_value(env_token, f"token (from {names[0]})")
    if from_env(None, names[1]) or from_env(None, names[2]):
        return ClientCredentials(
            _client_credential(None, "client_id", names[1]),
            _client_credential(None, "client_secret", names[2]),
        )
    raise ValueError(
        f"credentials are required: pass token= (or set {names[0]}), or client_id= and "
        f"client_secret= (or set {names[1]} and {names[2]})"
    )


def token_auth(
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    *,
    env_prefix: str,
    token_url: str,
    credentials_in: Literal["basic", "body"],
    scope: str | None = None,
) -> httpx.Auth:
    """Bearer auth for a static token, else OAuth2 client credentials against `token_url`.

    Resolved as `token_or_credentials` does: explicit arguments, then the environment.
    """
    credentials = token_or_credentials(token, client_id, client_secret, env_prefix=env_prefix)
    if isinstance(credentials, str):
        return BearerAuth(credentials)
    return ClientCredentialsAuth(
        check_base_url(token_url, name="token_url"),
        credentials.client_id,
        credentials.client_secret,
        scope=scope,
        credentials_in=credentials_in,
    )


def check_base_url(url: str, *, name: str = "base_url", env: str | None = None) -> str:
    """Refuse anything but https (plain http only for localhost); strip the trailing slash."""
    where = f"{name}" + (f" (or {env})" if env else "")
    if any(char.isspace() or not char.isprintable() for char in url):
        # httpx would take it here and raise InvalidURL on every call instead.
        raise ValueError(
            f"{where} must not hold whitespace or control characters (check for a stray "
            "space, tab or newline)"
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError(f"{where} is not a valid URL") from None
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.rstrip("/")
    if parts.scheme == "http" and host in _LOOPBACK:
        return url.rstrip("/")
    raise ValueError(
        f"{where} must be an https:// URL (plain http:// only for localhost, 127.0.0.1 or ::1)"
    )


def resolve_base_url(value: str | None, *, env: str, default: str | None = None) -> str:
    """The base URL from the argument, else `env`, else `default`; checked by `check_base_url`.

    Without a default (a per-customer URL) a missing one is a ValueError naming both sources.
    """
    url = from_env(value, env) or default
    return check_base_url(require(url, "base_url", env), env=env)


def client_settings(
    *,
    package: str,
    base_url: str,
    auth: httpx.Auth,
    options: ClientOptions[HttpT],
    vendor_headers: Mapping[str, str] | None = None,
    method_override: bool = False,
    tenant: str = "",
    ledger: Ledger | None = None,
) -> ClientSettings:
    """The settings a vendor client hands to its shell, with our standard headers.

    `tenant` names who the calls act for besides `base_url` (an account, a practice group), so
    that two tenants sharing a `ledger` never replay each other's sends.

    Raises TypeError for an option no client takes, as Python would for a misspelt keyword.
    """
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
    extra_headers = checked_headers(options.get("default_headers", {}))
    retry = options.get("retry_policy") or RetryPolicy(max_retries=options.get("max_retries", 2))
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    headers = {
        "Accept": "application/json",
        "User-Agent": f"care-messaging-clients/{__version__} ({package}; python "
        f"{sys.version_info.major}.{sys.version_info.minor}; httpx {httpx.__version__})",
        **(vendor_headers or {}),
        **extra_headers,
    }
    return ClientSettings(
        base_url=base_url,
        auth=auth,
        headers=headers,
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        retry=retry,
        logger_name=package,
        strict_responses=options.get("strict_responses", False),
        method_override=method_override,
        tenant=tenant,
        ledger=_check_ledger(ledger),
    )


def _check_ledger(ledger: object) -> Ledger | None:
    if ledger is None:
        return None
    from ._ledger import Ledger  # already loaded whenever a real ledger was built

    if not isinstance(ledger, Ledger):
        raise ValueError("ledger must be a SqliteLedger or PostgresLedger (or None)")
    # Loaded with the client rather than by its first keyed send, which is then no slower.
    from . import _ledger_send  # noqa: F401

    return ledger
