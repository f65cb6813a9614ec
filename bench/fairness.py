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
  REST in a loop, on the same process.

The readers only look for the probe's batch ids in the bytes they receive (no
JSON parse of the flood), so the bench's own CPU stays small; it still shares
the machine with the server, so the load average is recorded with the figures.

    .venv/bin/python bench/fairness.py             # 20 s a phase
    .venv/bin/python bench/fairness.py --quick     # 6 s a phase
    .venv/bin/python bench/run.py --fairness       # the same, from the main bench
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
from bench.servers import clean_env, daphne_argv, running
from bench.stats import summarize
from tests.loopback import free_port

READERS = 50
PROBE_HZ = 4.0
FLOOD_FRAMES_HZ = 120.0
TARGET_P95_MS = 50.0
PROBE_ID = re.compile(rb'"id":"(fp[0-9a-z-]+)"')


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
            ok = await asyncio.to_thread(self._post, body)
            self.counts["imports" if ok else "import_errors"] += 1

    def _post(self, body: bytes) -> bool:
        request = urllib.request.Request(
            f"{self.http}/api/boards/import/",
            data=body,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status == 201
        except OSError:
            return False


def _box(element_id: str, i: int) -> dict[str, Any]:
    element = {"id": element_id, "kind": "component", "type": "service", "label": element_id, "x": i, "y": 0}
    return {"op": "add", "element": element}


async def measure(
    port: int, board: str, tokens: list[str], seconds: float, imports: bool = True
) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws/boards/{board}/"
    probe_token, flood_token, reader_tokens = tokens[0], tokens[1], tokens[2 : 2 + READERS]
    writer = await _open(url, probe_token)
    await writer.send(batch("fp-seed", [_box("probe", 0)]))
    readers = [Reader(await _open(url, token)) for token in reader_tokens]
    drain = asyncio.create_task(_discard(writer))
    await asyncio.sleep(1.0)
    result: dict[str, Any] = {"readers": len(readers), "load_before": os.getloadavg()[0]}
    result["baseline"] = await _probe(writer, readers, "b", seconds)
    flood = Flood(url, f"http://127.0.0.1:{port}", flood_token, imports)
    flooding = asyncio.create_task(flood.run())
    await asyncio.sleep(1.0)  # let it reach its limits
    result["flood"] = await _probe(writer, readers, "f", seconds)
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


def run(seconds: float, imports: bool = True) -> dict[str, Any]:
    with sqlite_url() as database_url:
        env = clean_env(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="bothsides.settings")
        described = prepare(env, users=READERS + 2, load_boards=1, history_elements=0, history_batches=0)
        port = free_port()
        with running("fairness", daphne_argv("bothsides.asgi:application", port), port, env):
            return asyncio.run(
                measure(port, described["load_boards"][0], described["tokens"], seconds, imports)
            )


def render(result: dict[str, Any]) -> str:
    rows = ["| phase | probe delivery p50 | p95 | missing |", "|---|---|---|---|"]
    for phase in ("baseline", "flood"):
        ms = result[phase]["delivery_ms"]
        rows.append(f"| {phase} | {ms['p50']:.1f} ms | {ms['p95']:.1f} ms | {result[phase]['missing']} |")
    base, flood = result["baseline"]["delivery_ms"]["p95"], result["flood"]["delivery_ms"]["p95"]
    rows.append("")
    rows.append(f"flood/baseline p95: {flood / base:.2f}x; target p95 <= {TARGET_P95_MS:g} ms under flood")
    rows.append(f"flooding client: {result['flood']['client']}")
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
    args = parser.parse_args()
    started = time.time()
    result = run(6.0 if args.quick else 20.0, imports=not args.no_imports)
    result["wall_seconds"] = round(time.time() - started, 1)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
