"""Constructor helpers shared by every vendor client: env fallbacks, URL checks, settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ._retry import RetryPolicy
from ._transport import ClientSettings

__all__ = [
    "DEFAULT_TIMEOUT",
    "ClientCredentials",
    "check_base_url",
    "client_settings",
    "resolve_base_url",
]

__version__ = "0.1.0"

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""30 s for every phase but connecting, which gets 5 s."""

_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


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
        return token
    if client_id or client_secret:
        return ClientCredentials(
            require(client_id, "client_id", names[1]),
            require(client_secret, "client_secret", names[2]),
        )
    env_token = from_env(None, names[0])
    if env_token:
        return env_token
    if from_env(None, names[1]) or from_env(None, names[2]):
        return ClientCredentials(
            require(None, "client_id", names[1]), require(None, "client_secret", names[2])
        )
    raise ValueError(
        f"credentials are required: pass token= (or set {names[0]}), or client_id= and "
        f"client_secret= (or set {names[1]} and {names[2]})"
    )


def check_base_url(url: str, *, name: str = "base_url", env: str | None = None) -> str:
    """Refuse anything but https (plain http only for localhost); strip the trailing slash."""
    where = f"{name}" + (f" (or {env})" if env else "")
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
    timeout: float | httpx.Timeout,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    default_headers: Mapping[str, str] | None,
    vendor_headers: Mapping[str, str] | None = None,
    strict_responses: bool = False,
    method_override: bool = False,
) -> ClientSettings:
    """The settings a vendor client hands to its shell, with our standard headers."""
    retry = retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
    headers = {
        "Accept": "application/json",
        "User-Agent": f"care-messaging-clients/{__version__} ({package}; python "
        f"{sys.version_info.major}.{sys.version_info.minor}; httpx {httpx.__version__})",
        **(vendor_headers or {}),
        **(default_headers or {}),
    }
    return ClientSettings(
        base_url=base_url,
        auth=auth,
        headers=headers,
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        retry=retry,
        logger_name=package,
        strict_responses=strict_responses,
        method_override=method_override,
    )
