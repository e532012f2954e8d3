"""A vendor that echoes a credential in its error body: the client's error never shows it.

A token endpoint may put the client id or secret it was sent into `error_description`,
`message` or `error`; an API may echo the bearer token or API key. The error keeps the vendor's
words with each credential replaced by `***`, in its text and in its `body`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from client_core import APIError, APIStatusError, AuthenticationError, UnprocessableEntityError
from tests.conftest import CANARY, Routes, Script, resolve, token_response
from tests.contract.hostile.leaks import assert_hidden
from tests.contract.vendors import CANARY_TOKEN, TOKEN_VENDORS, Vendor

pytestmark = pytest.mark.anyio

CLIENT_ID = "canary-client-id-90ab"
# A "/" too: PHP's json_encode (Laravel, SQOD) writes it as "\/", which must be caught as well.
SLASHED_SECRET = "canary/secret/7d1f"
CLIENT_SECRETS = {"plain": CANARY, "slashed": SLASHED_SECRET}


def _echo_credentials(status: int, secret: str, php: bool) -> Any:
    """A token endpoint answering `status` with every credential it received in its words."""

    def answer(request: httpx.Request) -> httpx.Response:
        got = request.headers.get("authorization", "") + " " + request.content.decode()
        body = {
            "error": f"invalid_client {CLIENT_ID}",
            "error_description": f"client {CLIENT_ID} sent secret {secret}",
            "message": f"received {got}",
        }
        content = json.dumps(body)
        return httpx.Response(status, content=content.replace("/", "\\/") if php else content)

    return answer


def _shown(error: BaseException, caplog: pytest.LogCaptureFixture) -> list[str]:
    """What a user, a log or a task queue sees of `error`, besides what `assert_hidden` scans."""
    shown = [caplog.text, *(repr(r.args) for r in caplog.records)]
    if isinstance(error, APIStatusError):
        shown.append(repr(error.body))
    if isinstance(error, UnprocessableEntityError):
        shown.append(repr(error.errors))
    return shown


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
@pytest.mark.parametrize("status", [400, 401, 403, 500])
@pytest.mark.parametrize("secret", CLIENT_SECRETS, ids=str)
@pytest.mark.parametrize("php", [False, True], ids=["json", "php-json"])
async def test_a_token_endpoint_echoing_the_client_credentials_is_redacted(
    vendor: Vendor,
    status: int,
    secret: str,
    php: bool,
    twin: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client_secret = CLIENT_SECRETS[secret]
    handler = Routes(
        Script(vendor.send_ok()),
        Script(_echo_credentials(status, client_secret, php)),
        token_url=vendor.token_url or "",
    )
    client = vendor.build(
        twin, handler, token=None, client_id=CLIENT_ID, client_secret=client_secret
    )

    with pytest.raises(APIStatusError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    error = caught.value
    assert isinstance(error, AuthenticationError) == (status < 500)
    assert handler.api.requests == []
    assert "***" in str(error)  # the vendor's words are kept, the credentials are not
    assert "invalid_client" in str(error)
    for credential in (client_secret, CLIENT_ID):
        assert_hidden(credential, error)
        assert not [text for text in _shown(error, caplog) if credential in text]
    assert "sent secret ***" in json.dumps(error.body)


def _static(vendor: Vendor) -> dict[str, str]:
    """The vendor's static credential keywords, holding CANARY."""
    return next(creds for name, creds in vendor.secrets.items() if name != "client-secret")


def _api_echo(vendor: Vendor, status: int, kind: str) -> httpx.Response:
    if kind == "text":  # a gateway's plain-text page
        return httpx.Response(status, text=f"credential {CANARY} is not valid here")
    body: dict[str, Any] = {
        **vendor.error_json(f"credential {CANARY} is not valid here"),
        "errors": {"credential": [f"{CANARY} was refused"]},
    }
    return httpx.Response(status, json=body)


@pytest.mark.parametrize("status", [401, 403, 404, 422])
@pytest.mark.parametrize("kind", ["json", "text"])
async def test_an_api_answer_echoing_the_token_or_api_key_is_redacted(
    vendor: Vendor, status: int, kind: str, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    script = Script(_api_echo(vendor, status, kind))
    client = vendor.build(twin, script, **_static(vendor))

    with pytest.raises(APIError) as caught:
        await resolve(vendor.read(client, vendor.read_id))

    error = caught.value
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert CANARY in script.requests[0].headers.get(
        "authorization", script.requests[0].headers.get("x-api-key", "")
    )  # the client did send it: the vendor's echo is real
    assert "credential *** is not valid here" in str(error)
    assert_hidden(CANARY, error)
    assert not [text for text in _shown(error, caplog) if CANARY in text]


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
async def test_an_api_answer_echoing_the_fetched_token_is_redacted(
    vendor: Vendor, twin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = Routes(
        Script(httpx.Response(403, json=vendor.error_json(f"token {CANARY_TOKEN} lacks a scope"))),
        Script(token_response(CANARY_TOKEN)),
        token_url=vendor.token_url or "",
    )
    client = vendor.build(twin, handler, token=None, client_id=CLIENT_ID, client_secret=CANARY)

    with pytest.raises(APIStatusError) as caught:
        await resolve(vendor.read(client, vendor.read_id))

    assert handler.api.requests[0].headers["authorization"] == f"Bearer {CANARY_TOKEN}"
    assert "token *** lacks a scope" in str(caught.value)
    for credential in (CANARY_TOKEN, CANARY, CLIENT_ID):
        assert_hidden(credential, caught.value)
        assert not [text for text in _shown(caught.value, caplog) if credential in text]


@pytest.mark.parametrize("vendor", TOKEN_VENDORS, ids=str)
async def test_a_deeply_nested_echo_is_redacted_without_a_recursion_error(
    vendor: Vendor, twin: str
) -> None:
    depth = 500  # parses (the JSON parsers allow it) but is deeper than the redaction recurses
    content = '{"error": "invalid_client", "detail": ' + "[" * depth + f'"{CANARY}"' + "]" * depth
    handler = Routes(
        Script(vendor.send_ok()),
        Script(httpx.Response(401, content=content + "}")),
        token_url=vendor.token_url or "",
    )
    client = vendor.build(twin, handler, token=None, client_id=CLIENT_ID, client_secret=CANARY)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(vendor.send(client, vendor.fake()))

    assert "invalid_client" in str(caught.value)
    assert_hidden(CANARY, caught.value)
    assert CANARY not in repr(caught.value.body)
