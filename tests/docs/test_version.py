"""The package, its User-Agent and the CHANGELOG's newest release name the same version."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import httpx

import client_core
from sqod_client import SqodClient

CHANGELOG = Path(__file__).resolve().parents[2] / "CHANGELOG.md"


def newest_release() -> str:
    """The first `## [x.y.z] - date` heading (an `[Unreleased]` section does not count)."""
    match = re.search(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", CHANGELOG.read_text(), re.M)
    assert match, "CHANGELOG.md has no release heading like '## [0.2.0] - 2026-12-02'"
    return match.group(1)


def test_package_metadata_and_the_code_agree_with_the_changelog() -> None:
    assert client_core.__version__ == version("care-messaging-clients") == newest_release()


def test_the_user_agent_names_that_version() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []})

    with (
        httpx.Client(transport=httpx.MockTransport(answer)) as http,
        SqodClient(base_url="https://acme.sqod.test", token="t", http_client=http) as sqod,
    ):
        list(sqod.appointments.list())

    agent = seen[0].headers["user-agent"]
    assert agent.startswith(f"care-messaging-clients/{newest_release()} (sqod_client;")


def test_the_changelog_follows_keep_a_changelog() -> None:
    text = CHANGELOG.read_text()
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/" in text
    sections = re.findall(r"^### (\w+)$", text, re.M)
    assert set(sections) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    releases = re.findall(r"^## \[(\d+)\.(\d+)\.(\d+)\]", text, re.M)
    as_numbers = [tuple(int(part) for part in release) for release in releases]
    assert as_numbers == sorted(as_numbers, reverse=True)  # newest first


def test_the_docs_site_shows_this_changelog() -> None:
    page = CHANGELOG.parent / "docs" / "changelog.md"
    assert page.read_text().strip() == '--8<-- "CHANGELOG.md"'  # included at build time
