"""Measurements that need a fresh interpreter: cold import, pytest start-up, memory.

Each probe is a small script run with `python -c`; it prints one JSON line.
"""

from __future__ import annotations

import compileall
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import distribution
from pathlib import Path

__all__ = [
    "FIRST_CALLS",
    "downstream_project",
    "import_probe",
    "our_pytest_plugins",
    "plugin_import_ms",
    "pytest_start",
    "rss_probe",
]

ROOT = Path(__file__).resolve().parent.parent

_IMPORT = """
import json, sys, time
started = time.process_time()
{baseline}
based = time.process_time()
{imports}
imported = time.process_time()
{first_call}
called = time.process_time()
ms = {{
    "import_ms": imported - started,
    "base_ms": based - started,
    "own_ms": imported - based,
    "first_ms": called - imported,
}}
print(json.dumps({{name: seconds * 1e3 for name, seconds in ms.items()}}))
"""

# The baseline a package is measured against: httpx, pydantic, and one model built (which is
# what makes pydantic import its schema machinery); its "first call" validates that model once.
_BASELINE_IMPORTS = """
import httpx, pydantic
class Model(pydantic.BaseModel):
    id: str
"""
_BASELINE_FIRST = 'Model.model_validate({"id": "1"})'

_CLIENT_FIRST = """
import httpx
JSON = {{"Content-Type": "application/json"}}
def answer(request):
    return httpx.Response({status}, content={body!r}, headers=JSON)
http = httpx.Client(transport=httpx.MockTransport(answer))
client = {cls}(base_url="https://bench.test", http_client=http, **{credentials!r})
client.{call}
"""

FIRST_CALLS: dict[str, tuple[str, str]] = {
    "sqod_client": (
        "SqodClient",
        'appointments.send_message("9a0f170e-0aa0-47db-ab14-4ddcdcbad061", message="Late")',
    ),
    "plannr_client": (
        "PlannrClient",
        'conversations.send_message("8d3c1e0a-5b7f-4c2d-9e61-2f4a7b9c0d13", contents="Pack")',
    ),
    "hero_client": (
        "HeroClient",
        'messages.send(patient_id="1001", message_type="sms", message_string="Flu clinic")',
    ),
    "loop_comms_client": (
        "LoopCommsClient",
        'messages.schedule(channel="sms", template_key="t", recipient="+447700900123", '
        'brand_id="b", person_id="p", dedup_key="k", scheduled_at=__import__("datetime")'
        '.datetime(2030, 1, 1, tzinfo=__import__("datetime").UTC))',
    ),
}
"""Per package: the sync client and the first call the probe makes after importing it."""


_OURS = (
    "client_core",
    "sqod_client",
    "plannr_client",
    "hero_client",
    "loop_comms_client",
    "care_messaging_pytest",
)


@functools.cache
def _byte_compile_ours() -> None:
    # An installed package runs from bytecode (pip compiles at install), as httpx and pydantic
    # in the venv do. A checkout under PYTHONDONTWRITEBYTECODE=1 never writes any, so each cold
    # import would compile our sources (about 25 ms) while the baseline pays nothing of it.
    for package in _OURS:
        compileall.compile_dir(ROOT / package, quiet=1)


def _python(code: str, *args: str) -> dict[str, float]:
    _byte_compile_ours()
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if run.returncode != 0:
        raise RuntimeError(f"probe failed:\n{run.stderr}")
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def import_probe(
    package: str | None, answer: tuple[int, bytes], credentials: object
) -> dict[str, float]:
    """Cold import of `package` (None: `import httpx, pydantic` and one model) and a first call."""
    if package is None:
        return _python(
            _IMPORT.format(baseline=_BASELINE_IMPORTS, imports="", first_call=_BASELINE_FIRST)
        )
    cls, call = FIRST_CALLS[package]
    status, body = answer
    first = _CLIENT_FIRST.format(
        status=status, body=body, cls=f"{package}.{cls}", credentials=credentials, call=call
    )
    # The baseline is imported first in the same process, so `own_ms` is what the package adds
    # over it, free of the process-to-process spread of two separate cold starts.
    return _python(
        _IMPORT.format(baseline=_BASELINE_IMPORTS, imports=f"import {package}", first_call=first)
    )


def our_pytest_plugins() -> list[str]:
    """The names of this distribution's pytest11 entry points (what `-p no:NAME` disables)."""
    points = distribution("care-messaging-clients").entry_points
    return sorted(point.name for point in points if point.group == "pytest11")


def pytest_start(project: Path, *, with_ours: bool) -> float:
    """Wall time in ms of `pytest --co` in a downstream-style project, with or without ours."""
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider"]
    if not with_ours:
        for name in our_pytest_plugins():
            command += ["-p", f"no:{name}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    started = time.perf_counter()
    run = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, check=False)
    elapsed = (time.perf_counter() - started) * 1e3
    if run.returncode != 0:
        raise RuntimeError(f"pytest --co failed:\n{run.stdout}{run.stderr}")
    return elapsed


_PLUGIN_IMPORT = """
import importlib, json, sys, time
import pytest
started = time.perf_counter()
for module in sys.argv[1:]:
    importlib.import_module(module)
print(json.dumps({"import_ms": (time.perf_counter() - started) * 1e3}))
"""


def plugin_import_ms() -> float:
    """What importing our pytest11 modules costs once pytest itself is loaded."""
    points = distribution("care-messaging-clients").entry_points
    modules = [point.value for point in points if point.group == "pytest11"]
    return _python(_PLUGIN_IMPORT, *modules)["import_ms"]


def downstream_project() -> Path:
    """A temp dir holding one trivial test file and no conftest, like a user's project."""
    project = Path(tempfile.mkdtemp(prefix="bench-downstream-"))
    (project / "test_reminders.py").write_text("def test_reminder():\n    assert 1 + 1 == 2\n")
    return project


_RSS = """
import gc, sys, time
import httpx
from benchmarks._cases import cases
from sqod_client import SqodClient

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

side, calls, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
recorded, replay = cases()
case = recorded[0]
http = httpx.Client(transport=httpx.MockTransport(replay))
if side == "raw":
    def one(): case.raw(http, "https://bench.test")
    def new(): httpx.Client().close()
else:
    client = case.sync_client("https://bench.test", http)
    def one(): case.call(client)
    def new(): SqodClient(base_url="https://bench.test", token="t").close()
for _ in range(1000):
    one()
gc.collect()
before = rss_mb()
for _ in range(calls):
    one()
gc.collect()
after_calls = rss_mb()
started = time.perf_counter()
for _ in range(clients):
    new()
per_client = (time.perf_counter() - started) / max(clients, 1) * 1e3
gc.collect()
after_clients = rss_mb()
import json
print(json.dumps({"calls_mb": after_calls - before, "clients_mb": after_clients - after_calls,
                  "per_client_ms": per_client}))
"""


def rss_probe(side: str, calls: int, clients: int) -> dict[str, float]:
    """RSS growth over `calls` SQOD sends and over `clients` clients created and closed."""
    return _python(_RSS, side, str(calls), str(clients))
