"""Hero client construction: credentials, environment fallbacks, base URL, lifetimes."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from hero_client import DEFAULT_BASE_URL, AsyncHeroClient, HeroClient
from tests.conftest import HeroFactory, Script, resolve

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HERO_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("HERO_"):
            monkeypatch.delenv(name)


def sent() -> httpx.Response:
    return httpx.Response(200, json={"message_id": "1"})


async def _send(client: Any) -> Any:
    return await resolve(
        client.messages.send(patient_id="1", message_type="sms", message_string="Hi")
    )


def client_class(twin: str) -> type[HeroClient] | type[AsyncHeroClient]:
    return HeroClient if twin == "sync" else AsyncHeroClient


async def test_default_base_url_is_hero_production(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script)

    await _send(client)

    assert DEFAULT_BASE_URL == "https://api.herohealth.net"
    assert str(script.requests[0].url) == "https://api.herohealth.net/v1/messages/send"


async def test_credentials_and_base_url_come_from_the_environment(
    make_hero: HeroFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERO_API_KEY", "env-key")
    monkeypatch.setenv("HERO_PRACTICE_GROUP_ID", "777")
    monkeypatch.setenv("HERO_BASE_URL", "https://api.staging.htech.app/")
    script = Script(sent())
    client = make_hero(script, api_key=None, practice_group_id=None)

    await _send(client)

    (request,) = script.requests
    assert str(request.url) == "https://api.staging.htech.app/v1/messages/send"
    assert request.headers["x-api-key"] == "env-key"
    assert request.headers["x-practice-group-id"] == "777"


async def test_explicit_arguments_win_over_the_environment(
    make_hero: HeroFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERO_API_KEY", "env-key")
    monkeypatch.setenv("HERO_PRACTICE_GROUP_ID", "777")
    monkeypatch.setenv("HERO_BASE_URL", "https://env.hero.test")
    script = Script(sent())
    client = make_hero(
        script, api_key="arg-key", practice_group_id="42", base_url="https://arg.hero.test"
    )

    await _send(client)

    (request,) = script.requests
    assert str(request.url) == "https://arg.hero.test/v1/messages/send"
    assert request.headers["x-api-key"] == "arg-key"
    assert request.headers["x-practice-group-id"] == "42"


async def test_each_credential_falls_back_on_its_own(
    make_hero: HeroFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERO_PRACTICE_GROUP_ID", "777")
    script = Script(sent())
    client = make_hero(script, api_key="arg-key", practice_group_id=None)

    await _send(client)

    assert script.requests[0].headers["x-api-key"] == "arg-key"
    assert script.requests[0].headers["x-practice-group-id"] == "777"


@pytest.mark.parametrize(
    ("missing", "env"),
    [("api_key", "HERO_API_KEY"), ("practice_group_id", "HERO_PRACTICE_GROUP_ID")],
)
async def test_missing_credential_names_parameter_and_env_var(
    twin: str, missing: str, env: str
) -> None:
    options: dict[str, Any] = {"api_key": "k", "practice_group_id": "1", missing: None}

    with pytest.raises(ValueError, match=missing) as caught:
        client_class(twin)(**options)

    assert env in str(caught.value)


@pytest.mark.parametrize("missing", ["api_key", "practice_group_id"])
async def test_empty_credential_counts_as_missing(
    twin: str, missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERO_API_KEY", "")
    monkeypatch.setenv("HERO_PRACTICE_GROUP_ID", "")
    options: dict[str, Any] = {"api_key": "k", "practice_group_id": "1", missing: ""}

    with pytest.raises(ValueError, match=missing):
        client_class(twin)(**options)
    with pytest.raises(ValueError, match=missing):
        client_class(twin)(**{**options, missing: None})


@pytest.mark.parametrize(
    "url", ["http://api.herohealth.net", "http://example.com:8000", "ftp://x.test", "x.test"]
)
async def test_base_url_that_is_not_https_is_refused(twin: str, url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        client_class(twin)(api_key="k", practice_group_id="1", base_url=url)

    assert "https" in str(caught.value)


async def test_env_base_url_is_checked_too(twin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERO_BASE_URL", "http://hero.example.com")

    with pytest.raises(ValueError, match="HERO_BASE_URL"):
        client_class(twin)(api_key="k", practice_group_id="1")


@pytest.mark.parametrize(
    "url", ["http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:8080"]
)
async def test_plain_http_is_allowed_for_loopback(make_hero: HeroFactory, url: str) -> None:
    script = Script(sent())
    client = make_hero(script, base_url=url)

    await _send(client)

    assert str(script.requests[0].url) == f"{url}/v1/messages/send"


async def test_constructor_is_keyword_only(twin: str) -> None:
    cls: Any = client_class(twin)

    with pytest.raises(TypeError, match="positional"):
        cls("k", "1")


async def test_with_block_closes_the_built_in_http_client(twin: str) -> None:
    if twin == "sync":
        with HeroClient(api_key="k", practice_group_id="1") as client:
            http: Any = client._http
            assert not http.is_closed
    else:
        async with AsyncHeroClient(api_key="k", practice_group_id="1") as async_client:
            http = async_client._http
            assert not http.is_closed

    assert http.is_closed


async def test_closing_leaves_a_passed_in_http_client_open(twin: str) -> None:
    transport = httpx.MockTransport(Script(sent()))
    if twin == "sync":
        http: Any = httpx.Client(transport=transport)
        with HeroClient(api_key="k", practice_group_id="1", http_client=http) as client:
            await _send(client)
        assert not http.is_closed
        http.close()
    else:
        http = httpx.AsyncClient(transport=transport)
        async with AsyncHeroClient(
            api_key="k", practice_group_id="1", http_client=http
        ) as async_client:
            await _send(async_client)
        assert not http.is_closed
        await http.aclose()


async def test_with_options_returns_the_same_class_sharing_the_pool(
    make_hero: HeroFactory,
) -> None:
    client = make_hero(Script(sent()))

    copy = client.with_options(max_retries=0)

    assert type(copy) is type(client)
    assert copy._http is client._http


async def test_default_timeout_is_30s_with_5s_to_connect(make_hero: HeroFactory) -> None:
    script = Script(sent())
    client = make_hero(script)

    await _send(client)
    await _send(client.with_options(timeout=2.5))

    default, changed = (r.extensions["timeout"] for r in script.requests)
    assert default == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert set(changed.values()) == {2.5}


async def test_practice_group_can_be_overridden_per_client(make_hero: HeroFactory) -> None:
    # Cross-organisational calls: the same key acts for another group in its network.
    script = Script(sent())
    client = make_hero(script, practice_group_id="9001")

    await _send(client)

    assert script.requests[0].headers["x-practice-group-id"] == "9001"
    assert script.requests[0].headers["x-api-key"] == "test-api-key"


@pytest.mark.parametrize("misspelt", ["apikey", "max_retry", "practice_group"])
async def test_misspelt_constructor_keyword_is_refused(twin: str, misspelt: str) -> None:
    cls: Any = client_class(twin)

    with pytest.raises(TypeError, match=misspelt) as caught:
        cls(api_key="k", practice_group_id="1", **{misspelt: "Zq-value-4711"})

    assert "Zq-value-4711" not in str(caught.value)
