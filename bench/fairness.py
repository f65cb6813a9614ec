"""Fairness under one flooding client (issue 19, defect 3): the others' delivery while one client pushes.

One Daphne process (our app, SQLite, in-memory layer), one board, 50 reader
sockets and one probe writer committing a one-op batch 4 times a second. The
figure is the probe's delivery to the readers (send to arrival, p50/p95), in
two phases of the same run on the same server:

- `baseline`: nobody else does anything;
- `flood`: one more client, at the same time, sends presence and previews at
  120 frames a second, 500-op batches as fast as the server will take them
  (past its op and byte budgets it is refused `rate_limited`; it keeps going
  until closed 4429, then reconnects), and imports a large Mermaid file over
  REST in a loop, on the same process (past its import budget it is refused
  429 and asks again 0.1 s later).

The readers only look for the probe's batch ids in the bytes they receive (no
JSON parse of the flood), so the bench's own CPU stays small; it still shares
the machine with the server, so the load average is recorded with the figures,
and so is, for each phase, the share of the phase that the server's threads
and the bench's spent on a CPU and **runnable but waiting for one**
(/proc/PID/task/*/schedstat): on a machine shared with other jobs that wait,
not the server's work, can be most of a delivery's time.

    .venv/bin/python bench/fairness.py             # 20 s a phase
    .venv/bin/python bench/fairness.py --quick     # 6 s a phase
    .venv/bin/python bench/fairness.py --trace t.jsonl   # also where the probes wait in the server
    .venv/bin/python bench/fairness.py --server-root DIR # serve another checkout (same-run A/B)
    .venv/bin/python bench/run.py --fairness       # the same, from the main bench

`--trace` serves `bench.fairness_trace:application` (the app plus a trace of
each group commit's wall and CPU time, each probe batch's time from the
committer's queue to its acknowledgement, and event-loop lag) and summarises it
per phase. `--server-root` runs the server in another source tree (e.g. `git
archive` of an earlier revision with this venv linked in as `.venv`), so two
revisions are compared under the same load, alternating runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from time import perf_counter
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.databases import prepare, sqlite_url
from bench.load import batch, encode, move
from bench.servers import ROOT, daphne_argv, running, served_env
from bench.stats import summarize
from tests.loopback import free_port

READERS = 50
PROBE_HZ = 4.0
FLOOD_FRAMES_HZ = 120.0
TARGET_P95_MS = 50.0
PROBE_ID = re.compile(rb'"id":"(fp[0-9a-z-]+)"')


def _schedstat(pid: int) -> tuple[float, float]:
    """Seconds the threads of `pid` have spent on a CPU and runnable waiting for one, summed."""
    on_cpu = waiting = 0.0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/schedstat") as stat:
            run, wait, _ = stat.read().split()
            on_cpu, waiting = on_cpu + int(run) / 1e9, waiting + int(wait) / 1e9
    return on_cpu, waiting


class Phase:
    """The CPU and run-queue wait of the server and of this bench over one phase, as shares of it."""

    def __init__(self, server_pid: int) -> None:
        self.pids = {"server": server_pid, "bench": os.getpid()}
        self.start = perf_counter()
        self.before = {name: _schedstat(pid) for name, pid in self.pids.items()}

    def end(self) -> dict[str, Any]:
        elapsed = perf_counter() - self.start
        shares: dict[str, Any] = {"window": [self.start, perf_counter()]}
        for name, pid in self.pids.items():
            (cpu0, wait0), (cpu1, wait1) = self.before[name], _schedstat(pid)
            shares[f"{name}_on_cpu"] = round((cpu1 - cpu0) / elapsed, 3)
            shares[f"{name}_waiting_for_cpu"] = round((wait1 - wait0) / elapsed, 3)
        return shares


class Reader:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.seen: dict[str, float] = {}
        self.task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                data = await self.ws.recv(decode=False)
                if b'"fp' in data:
                    now = perf_counter()
                    for match in PROBE_ID.finditer(data):
                        self.seen.setdefault(match.group(1).decode(), now)


async def _open(url: str, token: str) -> Any:
    ws = await connect(
        url,
        additional_headers={"Authorization": f"Token {token}"},
        max_size=None,
        ping_interval=None,
        compression=None,
    )
    for _ in range(100):
        if json.loads(await ws.recv()).get("type") == "welcome":
            return ws
    raise RuntimeError("no welcome")


async def _probe(writer: Any, readers: list[Reader], tag: str, seconds: float) -> dict[str, Any]:
    sent: dict[str, float] = {}
    start = perf_counter()
    for k in range(int(seconds * PROBE_HZ)):
        delay = start + k / PROBE_HZ - perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        batch_id = f"fp{tag}-{k}"
        sent[batch_id] = perf_counter()
        await writer.send(batch(batch_id, [move("probe", k)]))
    for _ in range(250):  # up to 5 s for the last deliveries
        if all(i in r.seen for r in readers for i in sent):
            break
        await asyncio.sleep(0.02)
    delivery = [r.seen[i] - t for r in readers for i, t in sent.items() if i in r.seen]
    return {
        "probes": len(sent),
        "delivery_ms": summarize(delivery),
        "missing": len(sent) * len(readers) - len(delivery),
    }


def _mermaid(nodes: int) -> str:
    lines = ["flowchart LR"]
    lines += [f"  n{i} --> n{i + 1}" for i in range(nodes)]
    return "\n".join(lines) + "\n"


class Flood:
    """Everything one client may throw at a board at once; counts what the server made of it."""

    def __init__(self, url: str, http: str, token: str, imports: bool = True) -> None:
        self.url, self.http, self.token, self.with_imports = url, http, token, imports
        self.stop = asyncio.Event()
        self.counts = {
            "frames": 0,
            "batches": 0,
            "rejected": 0,
            "closed_4429": 0,
            "imports": 0,
            "imports_refused": 0,
            "import_errors": 0,
        }

    async def run(self) -> None:
        await asyncio.gather(self._socket(), *([self._imports()] if self.with_imports else []))

    async def _socket(self) -> None:
        k = 0
        while not self.stop.is_set():
            try:
                ws = await _open(self.url, self.token)
            except (OSError, InvalidStatus):
                await asyncio.sleep(0.5)
                continue
            drain = asyncio.create_task(self._drain(ws))
            try:
                await ws.send(batch(f"ff-seed-{k}", [_box(f"f{i}", i) for i in range(500)]))
                start = perf_counter()
                n = 0
                while not self.stop.is_set():
                    n += 1
                    delay = start + n / FLOOD_FRAMES_HZ - perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    if n % 4 == 0:  # a 500-op batch 30 times a second, as many as the batch limit allows
                        k += 1
                        await ws.send(batch(f"ff{k}", [move(f"f{i}", k + i) for i in range(500)]))
                        self.counts["batches"] += 1
                    elif n % 2:
                        await ws.send(encode({"type": "presence", "cursor": {"x": n, "y": 1}}))
                    else:
                        await ws.send(encode({"type": "preview", "id": "f1", "props": {"x": n, "y": 2}}))
                    self.counts["frames"] += 1
            except ConnectionClosed as closed:
                if closed.rcvd is not None and closed.rcvd.code == 4429:
                    self.counts["closed_4429"] += 1
                await asyncio.sleep(0.2)
            finally:
                drain.cancel()
                with contextlib.suppress(Exception):
                    await ws.close()

    async def _drain(self, ws: Any) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                if b'"rejected"' in await ws.recv(decode=False):
                    self.counts["rejected"] += 1

    async def _imports(self) -> None:
        body = json.dumps({"format": "mermaid", "content": _mermaid(1200), "mode": "interview"}).encode()
        while not self.stop.is_set():
            status = await asyncio.to_thread(self._post, body)
            self.counts[{201: "imports", 429: "imports_refused"}.get(status, "import_errors")] += 1
            if status == 429:  # past this person's import budget: ask again, as a script would
                await asyncio.sleep(0.1)

    def _post(self, body: bytes) -> int:
        request = urllib.request.Request(
            f"{self.http}/api/boards/import/",
            data=body,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


def _box(element_id: str, i: int) -> dict[str, Any]:
    element = {"id": element_id, "kind": "component", "type": "service", "label": element_id, "x": i, "y": 0}
    return {"op": "add", "element": element}


async def measure(
    port: int, board: str, tokens: list[str], seconds: float, imports: bool = True, server_pid: int = 0
) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws/boards/{board}/"
    probe_token, flood_token, reader_tokens = tokens[0], tokens[1], tokens[2 : 2 + READERS]
    writer = await _open(url, probe_token)
    await writer.send(batch("fp-seed", [_box("probe", 0)]))
    readers = [Reader(await _open(url, token)) for token in reader_tokens]
    drain = asyncio.create_task(_discard(writer))
    await asyncio.sleep(1.0)
    result: dict[str, Any] = {"readers": len(readers), "load_before": os.getloadavg()[0]}
    phase = Phase(server_pid)
    result["baseline"] = await _probe(writer, readers, "b", seconds)
    result["baseline"]["sched"] = phase.end()
    flood = Flood(url, f"http://127.0.0.1:{port}", flood_token, imports)
    flooding = asyncio.create_task(flood.run())
    await asyncio.sleep(1.0)  # let it reach its limits
    phase = Phase(server_pid)
    result["flood"] = await _probe(writer, readers, "f", seconds)
    result["flood"]["sched"] = phase.end()
    flood.stop.set()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(flooding, 70)
    result["flood"]["client"] = flood.counts
    result["load_after"] = os.getloadavg()[0]
    for reader in readers:
        reader.task.cancel()
        await reader.ws.close()
    drain.cancel()
    await writer.close()
    return result


async def _discard(ws: Any) -> None:
    with contextlib.suppress(ConnectionClosed):
        while True:
            await ws.recv(decode=False)


def run(
    seconds: float, imports: bool = True, trace: Path | None = None, server_root: Path = ROOT
) -> dict[str, Any]:
    with sqlite_url() as database_url:
        env = served_env(database_url)
        described = prepare(env, users=READERS + 2, load_boards=1, history_elements=0, history_batches=0)
        port = free_port()
        app = "bothsides.asgi:application"
        if trace is not None:
            trace.write_text("")
            env["FAIRNESS_TRACE"] = str(trace)
            app = "bench.fairness_trace:application"
        argv = daphne_argv(app, port)
        with running("fairness", argv, port, env, cwd=server_root) as server:
            result = asyncio.run(
                measure(
                    port, described["load_boards"][0], described["tokens"], seconds, imports, server.popen.pid
                )
            )
        result["server_root"] = str(server_root)
        if trace is not None:
            events = [json.loads(line) for line in trace.read_text().splitlines() if line]
            for phase in ("baseline", "flood"):
                result[phase]["trace"] = summarize_trace(events, *result[phase]["sched"]["window"])
        return result


def summarize_trace(events: list[dict[str, Any]], start: float, end: float) -> dict[str, Any]:
    """Where the probe batches of one phase waited in the server (see bench/fairness_trace.py)."""
    inside = [e for e in events if start <= e.get("t0", e.get("t", 0.0)) <= end]
    groups = [e for e in inside if e["ev"] == "group"]
    probes = {e["id"]: e for e in inside if e["ev"] == "probe"}
    group_of = {probe: g for g in groups for probe in g["probes"]}
    waits = [group_of[i]["t0"] - p["t0"] for i, p in probes.items() if i in group_of]
    own = [group_of[i]["t1"] - group_of[i]["t0"] for i in probes if i in group_of]
    after = [p["t1"] - group_of[i]["t1"] for i, p in probes.items() if i in group_of]
    threads: dict[str, list[float]] = {}
    sched = [e for e in events if e["ev"] == "sched"]
    first = max((e for e in sched if e["t"] <= start), key=lambda e: e["t"], default=None)
    last = min((e for e in sched if e["t"] >= end), key=lambda e: e["t"], default=None)
    if first and last:
        span = last["t"] - first["t"]
        for name in ("MainThread", "ThreadPoolExecutor-0_0"):
            if name in first["threads"] and name in last["threads"]:
                (c0, w0), (c1, w1) = first["threads"][name], last["threads"][name]
                threads[name] = [round((c1 - c0) / span, 3), round((w1 - w0) / span, 3)]
    return {
        "probe_queue_to_ack_ms": summarize([p["t1"] - p["t0"] for p in probes.values()]),
        "probe_wait_for_its_group_ms": summarize(waits),
        "probe_own_group_ms": summarize(own),
        "probe_group_end_to_ack_ms": summarize(after),
        "groups": len(groups),
        "group_wall_ms": summarize([g["t1"] - g["t0"] for g in groups]),
        "group_cpu_ms": summarize([g["cpu"] for g in groups]),
        "db_thread_busy_share": round(sum(g["t1"] - g["t0"] for g in groups) / (end - start), 3),
        "group_ops_max": max((g["ops"] for g in groups), default=0),
        "loop_late_over_5ms": len([e for e in inside if e["ev"] == "lag"]),
        "loop_late_total_ms": round(1000 * sum(e["late"] for e in inside if e["ev"] == "lag"), 1),
        "imports": [
            {"wall_ms": round(1000 * (e["t1"] - e["t0"])), "cpu_ms": round(1000 * e["cpu"], 1)}
            for e in inside
            if e["ev"] == "import"
        ],
        "threads_on_cpu_and_waiting_share": threads,  # the loop's and the database thread's
    }


def render(result: dict[str, Any]) -> str:
    rows = ["| phase | probe delivery p50 | p95 | missing |", "|---|---|---|---|"]
    for phase in ("baseline", "flood"):
        ms = result[phase]["delivery_ms"]
        rows.append(f"| {phase} | {ms['p50']:.1f} ms | {ms['p95']:.1f} ms | {result[phase]['missing']} |")
    base, flood = result["baseline"]["delivery_ms"]["p95"], result["flood"]["delivery_ms"]["p95"]
    rows.append("")
    rows.append(f"flood/baseline p95: {flood / base:.2f}x; target p95 <= {TARGET_P95_MS:g} ms under flood")
    rows.append(f"flooding client: {result['flood']['client']}")
    for phase in ("baseline", "flood"):
        sched = result[phase]["sched"]
        rows.append(
            f"{phase}, summed over threads: server on a CPU {sched['server_on_cpu']:.0%} of the phase, "
            f"runnable but waiting for one {sched['server_waiting_for_cpu']:.0%}; "
            f"bench {sched['bench_on_cpu']:.0%} / {sched['bench_waiting_for_cpu']:.0%}"
        )
        trace = result[phase].get("trace")
        if trace:
            ms = {k: trace[k]["p50"] for k in trace if k.endswith("_ms") and isinstance(trace[k], dict)}
            rows.append(f"  trace p50 (ms): {ms}")
            rows.append(
                f"  groups {trace['groups']}, database thread busy {trace['db_thread_busy_share']:.0%}, "
                f"largest {trace['group_ops_max']} ops; loop late >5 ms {trace['loop_late_over_5ms']} times "
                f"({trace['loop_late_total_ms']} ms); threads (on CPU, waiting) "
                f"{trace['threads_on_cpu_and_waiting_share']}; imports {trace['imports']}"
            )
    rows.append(f"load average (1 min): {result['load_before']:.2f} before, {result['load_after']:.2f} after")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="6 s a phase instead of 20")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--no-imports", action="store_true", help="flood over the socket only (no REST imports)"
    )
    parser.add_argument("--trace", type=Path, help="serve the traced app and write its trace here")
    parser.add_argument(
        "--server-root", type=Path, default=ROOT, help="serve the app from this source tree (default: here)"
    )
    args = parser.parse_args()
    started = time.time()
    result = run(
        6.0 if args.quick else 20.0,
        imports=not args.no_imports,
        trace=args.trace,
        server_root=args.server_root.resolve(),
    )
    result["wall_seconds"] = round(time.time() - started, 1)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
