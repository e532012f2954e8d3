"""The fast async path: httpx's API over aiohttp's connection pool, with our failure mapping.

`AiohttpClient` is an `httpx.AsyncClient` whose transport is httpx-aiohttp's, with three things
replaced (installed by the `aiohttp` extra; nothing imports this module until it is used):

- **Failures mean what they say.** httpx-aiohttp maps every `aiohttp.ClientConnectionError`
  (`ServerDisconnectedError` included) to `httpx.ConnectTimeout`, which reads as "never sent":
  a send whose answer was lost would be retried. Here only failures before the request left are
  `ConnectError` / `ConnectTimeout` / `ProxyError` / `UnsupportedProtocol`; anything after is
  `ReadError`, `ReadTimeout`, `RemoteProtocolError` or `WriteTimeout`, which the core reports
  as `OutcomeUnknownError` for a send.
- **No cookie jar.** aiohttp's would keep a vendor's cookies across calls and tenants.
- **A write timeout.** aiohttp has none; a body larger than the socket can take at once is
  sent in chunks, each of which must go out within the request's `write` timeout.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _HttpxAiohttpTransport

from ._config import DEFAULT_TIMEOUT

__all__ = ["DEFAULT_LIMITS", "AiohttpClient", "AiohttpTransport"]

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)
"""httpx's default of 100 connections (aiohttp keeps every idle one alive, up to that)."""

# asyncio's transports buffer a write of this size without waiting for the peer, so a body up to
# it cannot stall; a larger one is paced in chunks of this size under the write timeout.
_CHUNK = 64 * 1024

_NEVER_SENT: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS handshake
    (aiohttp.ServerFingerprintMismatch, httpx.ConnectError),
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),  # connecting, or waiting for the pool
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
)
"""Failures before the first byte of the request left: the vendor cannot have acted."""

_SENT_AND_LOST: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.ReadError),
    (aiohttp.ClientError, httpx.ReadError),
    (OSError, httpx.ReadError),
)
"""Failures once the request may have left: the vendor may have acted on it."""


def translate(
    exc: BaseException, request: httpx.Request, *, sent: bool = False
) -> httpx.TransportError | None:
    """The httpx error that says what `exc` means for `request`, or None for a foreign error.

    `sent=True` once the answer has started to arrive: nothing can then read as "never sent".
    """
    for theirs, ours in _SENT_AND_LOST if sent else (*_NEVER_SENT, *_SENT_AND_LOST):
        if isinstance(exc, theirs):
            return ours(f"{type(exc).__name__}: {exc}", request=request)
    return None


class _WriteDeadline:
    """The write timeout of one request, armed while a chunk of its body is being written."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.guard: asyncio.Timeout | None = None

    async def paced(self, body: bytes) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        for start in range(0, len(body), _CHUNK):
            self._reschedule(None if self.seconds is None else loop.time() + self.seconds)
            yield body[start : start + _CHUNK]
        self._reschedule(None)

    def _reschedule(self, when: float | None) -> None:
        # aiohttp writes the body in a task of its own, which may outlive the guarded await.
        if self.guard is not None:
            self.guard.reschedule(when)


class AiohttpTransport(_HttpxAiohttpTransport):
    """httpx-aiohttp's transport with our failure mapping, no cookie jar and a write timeout."""

    def get_client(self) -> aiohttp.ClientSession:
        """The aiohttp session: one pool of `limits.max_connections`, no cookies kept."""
        options: dict[str, Any] = {
            "limit": self.limits.max_connections or 0,
            "ssl": self.ssl_context,
        }
        if self.limits.keepalive_expiry is not None:
            options["keepalive_timeout"] = self.limits.keepalive_expiry
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(**options),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # httpx decodes by Content-Encoding, as it always does
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through aiohttp; failures come out as the httpx errors they mean."""
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        timeout = request.extensions.get("timeout", {})
        content = await request.aread()
        deadline = _WriteDeadline(timeout.get("write"))
        data: bytes | AsyncIterator[bytes] | None = content or None
        if len(content) > _CHUNK:
            data = deadline.paced(content)
        try:
            async with asyncio.timeout(None) as deadline.guard:
                response = await self.client.request(
                    request.method,
                    str(request.url),
                    headers=request.headers,
                    data=data,
                    allow_redirects=False,
                    compress=False,
                    skip_auto_headers=("Content-Type",),
                    timeout=aiohttp.ClientTimeout(
                        sock_connect=timeout.get("connect"),
                        sock_read=timeout.get("read"),
                        connect=timeout.get("pool"),
                    ),
                    server_hostname=request.extensions.get("sni_hostname"),
                )
        except TimeoutError as exc:
            if isinstance(exc, aiohttp.ClientError):
                raise _translated(exc, request) from exc
            raise httpx.WriteTimeout(
                "the request body could not be sent in time", request=request
            ) from exc
        except Exception as exc:
            raise _translated(exc, request) from exc
        finally:
            deadline.guard = None
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_ResponseBody(response, request),
            request=request,
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode(),
            },
        )


def _translated(exc: Exception, request: httpx.Request) -> Exception:
    return translate(exc, request) or exc


class _ResponseBody(httpx.AsyncByteStream):
    """The answer's body as aiohttp reads it; a failure here means the request was sent."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            lost = translate(exc, self._request, sent=True)
            raise lost or httpx.ReadTimeout(str(exc), request=self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` that sends through aiohttp: the fast async path (extra `aiohttp`).

    Pass it as `http_client=` to any async client; the send-safety rules are the same as on the
    default path. You own it: close it with `async with` or `aclose()`.

    Example:
        async with AiohttpClient(limits=httpx.Limits(max_connections=200)) as http:
            sqod = AsyncSqodClient(base_url=url, token=token, http_client=http)
            await sqod.appointments.send_message(appointment_id, message="Running late")
    """

    def __init__(
        self,
        *,
        limits: httpx.Limits = DEFAULT_LIMITS,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        super().__init__(
            transport=AiohttpTransport(verify=verify, limits=limits),
            timeout=timeout,
            follow_redirects=False,
        )
