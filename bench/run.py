"""`make bench`: measure every server variant in one run, so the results are ratios.

Starts a throwaway Redis, then for each variant: a fresh database (ours only),
the server on a free loopback port, the phases of bench/phases.py, and the
server stopped again whatever happened. Prints tables, writes the raw figures
to bench/results/<timestamp>.json and a summary to bench/results/latest.md.

    .venv/bin/python bench/run.py            # full, under 10 minutes
    .venv/bin/python bench/run.py --quick    # smoke test, under a minute
    .venv/bin/python bench/run.py --fairness # only bench/fairness.py (one client flooding, 50 readers)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop

from bench import durable, phases, report
from bench.databases import prepare, sqlite_url
from bench.servers import ROOT, VENV_BIN, Running, clean_env, redis_argv, running
from bench.variants import VARIANTS, Variant
from tests.loopback import free_port, postgres_database

FULL = phases.Config(
    readers=(1, 10, 50),
    steady_seconds=8.0,
    preview_hz=30.0,
    batch_hz=2.0,
    burst_writers=20,
    burst_per_writer=30,
    cost_small=10,
    cost_large=5000,
    cost_updates=200,
    cost_peers=8,
    history_elements=2000,
    history_batches=50000,
    welcome_connects=20,
)
QUICK = dataclasses.replace(
    FULL,
    readers=(10,),
    steady_seconds=1.5,
    burst_writers=10,
    burst_per_writer=10,
    cost_updates=20,
    history_batches=2000,
    welcome_connects=5,
    tenant_boards=16,
)
RESULTS = ROOT / "bench" / "results"
BUSY_LOAD = 0.5  # 1-minute load average above which the machine is not quiet enough to measure


def app_problem() -> str | None:
    """Why our server cannot be measured yet (it fails to import), or None."""
    check = "import django; django.setup(); import bothsides.asgi"
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", check],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="bothsides.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return None if done.returncode == 0 else done.stderr[-3000:]


def run_variant(variant: Variant, config: phases.Config, redis: Running | None) -> dict[str, Any]:
    redis_url = f"redis://127.0.0.1:{redis.port}/5" if redis else None
    port = free_port()
    base_url = f"ws://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        if variant.ours:
            database_url = stack.enter_context(
                sqlite_url() if variant.database == "sqlite" else postgres_database("bench")
            )
            env = variant.env(redis_url, database_url)
            described = prepare(
                env,
                users=config.users,
                load_boards=len(config.readers),
                history_elements=config.history_elements,
                history_batches=config.history_batches,
                tenant_boards=config.tenant_boards if (not config.phases or "boards" in config.phases) else 0,
            )
            boards = phases.Boards(
                base_url,
                True,
                list(described["tokens"]),
                described["load_boards"],
                described["cost_boards"],
                described["history_board"],
                described.get("tenant_boards", []),
            )
        else:
            env = variant.env(redis_url, None)
            load_boards = [str(uuid.uuid4()) for _ in config.readers]
            tenants = [str(uuid.uuid4()) for _ in range(config.tenant_boards)]
            boards = phases.Boards(base_url, False, [None] * config.users, load_boards, {}, None, tenants)
        durable_write = None
        if variant.ours and (not config.phases or "durable" in config.phases):
            durable_write = durable.measure(database_url)  # alone: the server is not started yet
        server = stack.enter_context(running(variant.name, variant.argv(port), port, env))
        processes = {"server": server, **({"redis": redis} if redis and variant.uses_redis else {})}
        result = uvloop.run(phases.measure(boards, config, phases.CpuMeter(processes), variant.ours))
        if not server.alive():
            error = f"{variant.name} exited with {server.popen.returncode} during the run"
            result["errors"].append({"phase": "server", "error": error})
        result["server_log"] = server.problems()
        if result["errors"] or result["server_log"]["count"]:
            result["server_log"]["tail"] = server.log_tail(60)
        result["command"] = " ".join(variant.argv(port))
        if durable_write is not None:
            result["durable_write_ms"] = durable_write
        return result


def _git_revision() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "no commit yet"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short smoke run (under a minute)")
    parser.add_argument("--only", help="comma-separated variant names to run (default: all)")
    parser.add_argument(
        "--phases", help="comma-separated phases: memory,load,cost,welcome,boards,durable (default: all)"
    )
    parser.add_argument(
        "--render", type=Path, help="print and rewrite latest.md from a results JSON; run nothing"
    )
    parser.add_argument(
        "--fairness",
        action="store_true",
        help="only the fairness bench (bench/fairness.py): 50 readers' delivery while one client floods",
    )
    args = parser.parse_args()
    if args.fairness:
        from bench import fairness

        result = fairness.run(6.0 if args.quick else 20.0)
        print(fairness.render(result))
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        (RESULTS / f"fairness-{stamp}.json").write_text(json.dumps(result, indent=2))
        return 0
    if args.render:
        results = json.loads(args.render.read_text())
        print(report.text(results))
        (RESULTS / "latest.md").write_text(report.markdown(results))
        return 0
    config = QUICK if args.quick else FULL
    if args.phases:
        config = dataclasses.replace(config, phases=tuple(args.phases.split(",")))
    chosen = [v for v in VARIANTS if not args.only or v.name in args.only.split(",")]
    started = datetime.datetime.now(datetime.UTC)
    results: dict[str, Any] = {
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "mode": "quick" if args.quick else "full",
            "config": dataclasses.asdict(config),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "revision": _git_revision(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "variants": {},
    }
    if os.getloadavg()[0] > BUSY_LOAD:
        print(f"warning: load average {os.getloadavg()[0]:.2f} before starting; other work skews the figures")
    problem = app_problem() if any(v.ours for v in chosen) else None
    with contextlib.ExitStack() as stack:
        redis = None
        if any(v.uses_redis for v in chosen):
            port = free_port()
            redis = stack.enter_context(running("redis", redis_argv(port), port, clean_env()))
        for variant in chosen:
            print(f"== {variant.name}", flush=True)
            if variant.ours and problem:
                results["variants"][variant.name] = {"error": f"our server does not import:\n{problem}"}
                continue
            began = time.monotonic()
            try:
                outcome = run_variant(variant, config, redis)
            except Exception as exc:
                outcome = {"error": "".join(traceback.format_exception_only(exc)).strip()}
                print(outcome["error"], flush=True)
            for failure in outcome.get("errors", []):
                print(f"   {failure['phase']} failed: {failure['error']}", flush=True)
            outcome["seconds"] = round(time.monotonic() - began, 1)
            results["variants"][variant.name] = outcome
            print(f"   {outcome['seconds']} s", flush=True)
    results["meta"]["seconds"] = round((datetime.datetime.now(datetime.UTC) - started).total_seconds(), 1)
    results["checks"] = report.checks(results)
    print(report.text(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "latest.md").write_text(report.markdown(results))
    print(f"wrote {RESULTS / f'{stamp}.json'} and {RESULTS / 'latest.md'}")
    failed = any("error" in v or v.get("errors") for v in results["variants"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
