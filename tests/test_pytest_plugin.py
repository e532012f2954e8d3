"""The pytest plugin costs a downstream project nothing until one of its tests uses a fake."""

from __future__ import annotations

import json
import subprocess
import sys

OURS = ("client_core", "sqod_client", "plannr_client", "hero_client", "loop_comms_client")


def test_loading_the_plugin_imports_none_of_our_packages() -> None:
    # What pytest does at start-up for every project that has us installed: import the plugin.
    code = (
        "import json, sys, care_messaging_pytest; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(run.stdout))
    assert not loaded & set(OURS)
    assert "httpx" not in loaded
    assert "pydantic" not in loaded


def test_a_fixture_brings_its_vendor_in(fake_hero: object) -> None:
    assert type(fake_hero).__module__ == "hero_client.testing"
    assert "hero_client.testing" in sys.modules
