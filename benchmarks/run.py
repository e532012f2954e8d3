"""`make bench`: every measure of issue 12, interleaved with raw httpx, into docs/performance.md.

Run: `make bench` (about four minutes), or `python -m benchmarks --smoke` (seconds, tiny counts:
the figures mean nothing, the table's shape is what the smoke test checks).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pydantic

from ._cases import Case, Replay, cases
from ._loopback import uvicorn_server
from ._probes import (
    FIRST_CALLS,
    downstream_project,
    import_probe,
    plugin_import_ms,
    pytest_start,
    rss_probe,
)
from ._stats import interleave, paired, spread
from ._validation import SAMPLE, plain_twin

__all__ = ["Row", "Scale", "main", "run"]

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:table -->", "<!-- /bench:table -->"
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=200)
"""The same pool on every side: httpx keeps only 20 connections alive by default."""


@dataclass(frozen=True, slots=True)
class Scale:
    """How much to measure: rounds and calls per round of each section."""

    memory_rounds: int = 21
    memory_calls: int = 300
    loopback_rounds: int = 9
    loopback_calls: int = 60
    throughput_rounds: int = 5
    throughput_requests: int = 400
    concurrency: int = 200
    import_rounds: int = 9
    pytest_rounds: int = 7
    rss_calls: int = 20_000
    rss_clients: int = 1_000
    validation_rounds: int = 21
    validation_calls: int = 2000


SMOKE = Scale(2, 5, 2, 3, 1, 40, 20, 1, 1, 200, 3, 2, 20)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    measure: str
    raw: str
    ours: str
    difference: str
    ratio: str
    target: str


def _per_call_us(
    run: Callable[[], object], calls: int, clock: Callable[[], float] = time.process_time
) -> Callable[[], float]:
    def measure() -> float:
        started = clock()
        for _ in range(calls):
            run()
        return (clock() - started) / calls * 1e6

    return measure


def _per_call_us_async(
    loop: asyncio.AbstractEventLoop,
    run: Callable[[], Awaitable[object]],
    calls: int,
    clock: Callable[[], float] = time.process_time,
) -> Callable[[], float]:
    async def batch() -> float:
        started = clock()
        for _ in range(calls):
            await run()
        return (clock() - started) / calls * 1e6

    return lambda: loop.run_until_complete(batch())


def _compare(
    measure: str, results: dict[str, list[float]], name: str, target: str, unit: str = " us"
) -> Row:
    difference, ratio = paired(results, "raw", name)
    return Row(
        measure,
        spread(results["raw"]).show(unit=unit),
        spread(results[name]).show(unit=unit),
        difference.show("{:+.1f}", unit),
        ratio.show("{:.2f}", "x"),
        target,
    )


def _fast_async_client(limits: httpx.Limits) -> httpx.AsyncClient | None:
    """The fast async path's `http_client`, if this checkout and environment have it."""
    try:
        import client_core

        factory = getattr(client_core, "AiohttpClient", None)
        return None if factory is None else factory(limits=limits)
    except ImportError:
        return None


def per_call_rows(
    recorded: list[Case], replay: Replay, scale: Scale, base_url: str | None
) -> list[Row]:
    """Every case, sync and async, in memory (`base_url` None) or against the loopback server."""
    where = "in memory" if base_url is None else "loopback"
    rounds = scale.memory_rounds if base_url is None else scale.loopback_rounds
    calls = scale.memory_calls if base_url is None else scale.loopback_calls
    url = base_url or "https://bench.test"
    target = "+5 us" if base_url is None else "1.05x"
    # In memory every microsecond is this process's CPU: count only that, so other processes
    # on a loaded machine drop out. Over loopback the wait is the point: wall time.
    clock = time.process_time if base_url is None else time.perf_counter
    rows: list[Row] = []
    loop = asyncio.new_event_loop()

    def transport() -> dict[str, Any]:
        return {"transport": httpx.MockTransport(replay)} if base_url is None else {}

    for case in recorded:
        raw_http, sdk_http = (httpx.Client(limits=LIMITS, **transport()) for _ in range(2))
        client = case.sync_client(url, sdk_http)
        contenders = {
            "raw": _per_call_us(partial(case.raw, raw_http, url), calls, clock),
            "ours": _per_call_us(partial(case.call, client), calls, clock),
        }
        results = interleave(contenders, rounds)
        rows.append(_compare(f"{case.name}, sync, {where}", results, "ours", target))
        raw_http.close()
        client.close()
        sdk_http.close()

        araw = httpx.AsyncClient(limits=LIMITS, **transport())
        aclient = case.async_client(url, httpx.AsyncClient(limits=LIMITS, **transport()))
        acontenders = {
            "raw": _per_call_us_async(loop, partial(case.araw, araw, url), calls, clock),
            "ours": _per_call_us_async(loop, partial(case.call, aclient), calls, clock),
        }
        fast = None if base_url is None else _fast_async_client(LIMITS)
        if fast is not None:
            fclient = case.async_client(url, fast)
            acontenders["fast"] = _per_call_us_async(loop, partial(case.call, fclient), calls)
        results = interleave(acontenders, rounds)
        rows.append(_compare(f"{case.name}, async, {where}", results, "ours", target))
        if fast is not None:
            rows.append(
                _compare(f"{case.name}, async, {where}, fast path", results, "fast", "(option)")
            )
            loop.run_until_complete(fast.aclose())
        loop.run_until_complete(araw.aclose())
        loop.run_until_complete(aclient._http.aclose())
    loop.close()
    return rows


async def _throughput(run: Callable[[], Awaitable[object]], requests: int, workers: int) -> float:
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await run()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return requests / (time.perf_counter() - started)


def throughput_rows(case: Case, scale: Scale, base_url: str) -> list[Row]:
    """Requests per second of one async client at `concurrency` tasks, with pinned pools."""
    loop = asyncio.new_event_loop()
    n, workers = scale.throughput_requests, scale.concurrency
    raw_http = httpx.AsyncClient(limits=LIMITS)
    client = case.async_client(base_url, httpx.AsyncClient(limits=LIMITS))
    contenders: dict[str, Callable[[], float]] = {
        "raw": lambda: loop.run_until_complete(
            _throughput(lambda: case.araw(raw_http, base_url), n, workers)
        ),
        "ours": lambda: loop.run_until_complete(_throughput(lambda: case.call(client), n, workers)),
    }
    fast = _fast_async_client(LIMITS)
    if fast is not None:
        fclient = case.async_client(base_url, fast)
        contenders["fast"] = lambda: loop.run_until_complete(
            _throughput(lambda: case.call(fclient), n, workers)
        )
    for http in (raw_http, client._http, *([fast] if fast is not None else [])):
        # Warm up: every connection of the pool open before the first timed round.
        one = partial(case.araw, raw_http, base_url) if http is raw_http else None
        target = fclient if fast is not None and http is fast else client
        run = one or partial(case.call, target)
        loop.run_until_complete(_throughput(run, workers, workers))
    results = interleave(contenders, scale.throughput_rounds)
    title = f"{case.name}, async, {workers} concurrent, loopback (req/s)"
    rows = [_compare(title, results, "ours", "1.0x", unit="")]
    if fast is not None:
        rows.append(_compare(f"{title}, fast path", results, "fast", ">= 2.5x", unit=""))
    for http in (raw_http, client._http, *([fast] if fast is not None else [])):
        loop.run_until_complete(http.aclose())
    loop.close()
    return rows


def import_rows(replay: Replay, recorded: list[Case], scale: Scale) -> list[Row]:
    """Cold import of each package and its first call, against httpx + pydantic + one model."""
    sends = {case.name.split()[0]: case for case in recorded if case.method == "POST"}
    vendor_of = {"sqod_client": "SQOD", "plannr_client": "Plannr", "hero_client": "Hero",
                 "loop_comms_client": "Loop"}  # fmt: skip
    contenders: dict[str, Callable[[], dict[str, float]]] = {
        "raw": partial(import_probe, None, (200, b""), {})
    }
    for package in FIRST_CALLS:
        case = sends[vendor_of[package]]
        answer = replay.answers[case.method, case.path]
        contenders[package] = partial(
            import_probe, package, (answer.status, answer.body), _credentials(case)
        )
    probes: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    timed = {name: _collect(probe, probes[name]) for name, probe in contenders.items()}
    import_ms = interleave(timed, scale.import_rounds)
    rows = []
    for package in FIRST_CALLS:
        row = _compare(f"cold import of {package}", import_ms, package, "", unit=" ms")
        own = spread([p["own_ms"] for p in probes[package]])
        ratio = spread([p["import_ms"] / p["base_ms"] for p in probes[package]])
        base = spread([p["base_ms"] for p in probes[package]])
        rows.append(row)
        rows.append(
            Row(f"  {package} imported after the baseline, same process", base.show(unit=" ms"),
                spread(import_ms[package]).show(unit=" ms"), own.show("{:+.1f}", " ms"),
                ratio.show("{:.2f}", "x"), "+15 ms")
        )  # fmt: skip
        first = spread([p["first_ms"] for p in probes[package]])
        base_first = spread([p["first_ms"] for p in probes["raw"]])
        rows.append(
            Row(f"first call of {package} (baseline: one validation)",
                base_first.show("{:.2f}", " ms"), first.show("{:.2f}", " ms"), "", "", "< 5 ms")
        )  # fmt: skip
    return rows


def _credentials(case: Case) -> dict[str, str]:
    # The keywords the vendor's client takes, read back from the headers the case sends.
    headers = case.headers
    if "x-api-key" in headers:
        return {
            "api_key": headers["x-api-key"],
            "practice_group_id": headers["x-practice-group-id"],
        }
    token = headers["authorization"].removeprefix("Bearer ")
    if "x-plannr-account-uuid" in headers:
        return {"token": token, "account_uuid": headers["x-plannr-account-uuid"]}
    return {"token": token}


def _collect(
    probe: Callable[[], dict[str, float]], into: list[dict[str, float]]
) -> Callable[[], float]:
    def run() -> float:
        result = probe()
        into.append(result)
        return result["import_ms"]

    return run


def pytest_rows(scale: Scale) -> list[Row]:
    """`pytest --co` in a downstream-style project, with and without our pytest11 plugins."""
    project = downstream_project()
    try:
        contenders = {
            "raw": lambda: pytest_start(project, with_ours=False),
            "ours": lambda: pytest_start(project, with_ours=True),
        }
        results = interleave(contenders, scale.pytest_rounds)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    row = _compare("pytest start-up (`pytest --co`), without vs with our plugins", results,
                   "ours", "+10 ms", unit=" ms")  # fmt: skip
    modules = spread([plugin_import_ms() for _ in range(scale.pytest_rounds)])
    alone = Row("  of which importing our pytest11 modules (after pytest)", "",
                modules.show("{:.2f}", " ms"), "", "", "+10 ms")  # fmt: skip
    return [row, alone]


def rss_rows(scale: Scale) -> list[Row]:
    """RSS growth over many SQOD sends and over many clients created and closed."""
    raw = rss_probe("raw", scale.rss_calls, scale.rss_clients)
    ours = rss_probe("ours", scale.rss_calls, scale.rss_clients)
    return [
        Row(f"RSS growth over {scale.rss_calls:,} SQOD sends, in memory",
            f"{raw['calls_mb']:+.1f} MB", f"{ours['calls_mb']:+.1f} MB",
            f"{ours['calls_mb'] - raw['calls_mb']:+.1f} MB", "", "no growth"),
        Row(f"RSS growth over {scale.rss_clients:,} clients created and closed",
            f"{raw['clients_mb']:+.1f} MB", f"{ours['clients_mb']:+.1f} MB",
            f"{ours['clients_mb'] - raw['clients_mb']:+.1f} MB", "", "no growth"),
        Row("time to create and close one client", f"{raw['per_client_ms']:.2f} ms",
            f"{ours['per_client_ms']:.2f} ms",
            f"{ours['per_client_ms'] - raw['per_client_ms']:+.2f} ms", "", ""),
    ]  # fmt: skip


def validation_rows(scale: Scale) -> list[Row]:
    """SQOD's Appointment (spec 004 example) against a plain model of the same fields."""
    from pydantic_core import from_json

    from sqod_client.models import Appointment

    body = json.dumps(json.loads(SAMPLE)["data"]).encode()
    plain = plain_twin(Appointment)
    calls = scale.validation_calls
    contenders = {
        "raw": _per_call_us(lambda: plain.model_validate_json(body), calls),
        "ours": _per_call_us(lambda: Appointment.model_validate_json(body), calls),
        "two_step": _per_call_us(lambda: Appointment.model_validate(from_json(body)), calls),
    }
    results = interleave(contenders, scale.validation_rounds)
    return [
        _compare("Appointment validation (spec 004 example), SDK vs plain model", results,
                 "ours", "1.1x"),
        _compare("  the same, decoded first (`from_json` then `model_validate`)", results,
                 "two_step", ""),
    ]  # fmt: skip


def machine() -> str:
    """The machine the figures came from."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores (load average {load} at the end); "
        f"Python {platform.python_version()}, httpx {httpx.__version__}, "
        f"pydantic {pydantic.VERSION}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )


def run(scale: Scale, *, progress: Callable[[str], None] = print) -> list[Row]:
    """Every section of the bench, in order; the table's rows."""
    recorded, replay = cases()
    gc.collect()
    rows: list[Row] = []
    progress("per call, in memory")
    rows += per_call_rows(recorded, replay, scale, None)
    with uvicorn_server(replay) as base_url:
        progress(f"per call, loopback ({base_url}, uvicorn)")
        rows += per_call_rows(recorded, replay, scale, base_url)
        progress("async throughput")
        rows += throughput_rows(recorded[0], scale, base_url)
    progress("cold import and first call")
    rows += import_rows(replay, recorded, scale)
    progress("pytest start-up")
    rows += pytest_rows(scale)
    progress("memory")
    rows += rss_rows(scale)
    progress("response validation")
    rows += validation_rows(scale)
    return rows


def table(rows: list[Row], scale: Scale, seconds: float) -> str:
    """The markdown table with the machine and the counts it came from."""
    lines = [
        f"Measured on: {machine()}. Took {seconds:.0f} s.",
        f"In memory: {scale.memory_rounds} rounds of {scale.memory_calls} calls; loopback: "
        f"{scale.loopback_rounds} rounds of {scale.loopback_calls}; throughput: "
        f"{scale.throughput_rounds} rounds of {scale.throughput_requests:,} requests; imports: "
        f"{scale.import_rounds} rounds; pytest: {scale.pytest_rounds} rounds. Each cell: median "
        "(min to max over the rounds); difference and ratio are taken within each round.",
        "",
        "| measure | raw httpx (baseline) | ours | ours - raw | ours / raw | target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.measure} | {r.raw} | {r.ours} | {r.difference} | {r.ratio} | {r.target} |"
        for r in rows
    ]
    return "\n".join(lines)


def write(page: Path, text: str) -> None:
    """Put the table between the markers of `page`, keeping the prose around it."""
    block = f"{START}\n{text}\n{END}"
    if page.exists() and START in page.read_text():
        head, rest = page.read_text().split(START, 1)
        page.write_text(head + block + rest.split(END, 1)[1])
    else:
        page.write_text(f"# Performance\n\n{block}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table, write it to docs/performance.md (or `--out`)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny counts: checks the harness")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    scale = SMOKE if args.smoke else Scale()
    started = time.perf_counter()
    rows = run(scale, progress=lambda what: print(f"bench: {what}", file=sys.stderr, flush=True))
    text = table(rows, scale, time.perf_counter() - started)
    print(text)
    write(args.out, text)
    return 0
