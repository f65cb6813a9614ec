"""The measurement phases for one running server variant, in the order they run.

First server RSS per idle connection, on the unloaded server; then per reader
count N: steady drag-and-commit (delivery and ack latency) and a saturation
burst (deliveries/s). For our server only: update cost on a small versus a
5,000-element board, and time to welcome on a board with a long history. CPU
of the client, of every server process and of the machine is recorded per
phase, so a client-bound or disturbed figure is visible as one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import traceback
from collections.abc import Awaitable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import psutil

from bench import boards as per_process
from bench import load
from bench.servers import Running
from bench.stats import summarize


@dataclass(frozen=True)
class Config:
    readers: tuple[int, ...]
    steady_seconds: float
    preview_hz: float
    batch_hz: float
    burst_writers: int
    burst_per_writer: int
    cost_small: int
    cost_large: int
    cost_updates: int
    cost_peers: int
    history_elements: int
    history_batches: int
    welcome_connects: int
    tenant_boards: int = 128
    # Empty: every phase; else only these (memory, load, cost, welcome, boards, durable).
    phases: tuple[str, ...] = ()

    @property
    def users(self) -> int:
        return 1 + max(self.readers) + self.burst_writers


# Our server allows 30 batches/s per socket with a burst of 60; paced phases stay under the rate,
# the saturation burst under the burst allowance.
MIN_BATCH_INTERVAL = 1 / 25
SETTLE_SECONDS = 0.3


@dataclass(frozen=True)
class Boards:
    """What board_setup created (or random ids for a relay, which has no accounts)."""

    base_url: str
    welcome: bool
    tokens: list[str | None]
    load_boards: list[str]
    cost_boards: dict[str, str]
    history_board: str | None
    tenant_boards: list[str] = dataclasses.field(default_factory=list)

    def endpoint(self, board_id: str) -> load.Endpoint:
        return load.Endpoint(f"{self.base_url}/ws/boards/{board_id}/", self.welcome)


class CpuMeter:
    """CPU used by this client process, each server process and the whole machine, start to stop.

    "machine" is the share of all cores busy (so 100 means every core), which
    also covers PostgreSQL's backends, which are not our processes.
    """

    def __init__(self, processes: dict[str, Running]) -> None:
        self.processes = processes
        self.client = psutil.Process()

    def _sample(self) -> dict[str, float]:
        times = self.client.cpu_times()
        machine = psutil.cpu_times()
        busy = machine.user + machine.system + machine.nice + machine.irq + machine.softirq
        sample = {"client": times.user + times.system, "machine": busy / (psutil.cpu_count() or 1)}
        sample.update({name: p.cpu_seconds() for name, p in self.processes.items()})
        return {**sample, "wall": perf_counter()}

    def start(self) -> None:
        self.begun = self.marked = self._sample()

    def mark(self) -> None:
        """Remember now as the end of the busy part, for `stop(at_mark=True)`."""
        self.marked = self._sample()

    def stop(self, at_mark: bool = False) -> dict[str, float]:
        """Percent of one core per process (of all cores for "machine") since `start`, to now or the mark."""
        end = self.marked if at_mark else self._sample()
        wall = max(end["wall"] - self.begun["wall"], 1e-9)
        return {name: round(100 * (end[name] - self.begun[name]) / wall, 1) for name in end if name != "wall"}


async def _one_n(
    boards: Boards, board_id: str, n: int, tag: str, config: Config, meter: CpuMeter
) -> dict[str, Any]:
    endpoint = boards.endpoint(board_id)
    writer, _ = await load.open_peer(endpoint, boards.tokens[0])
    readers = await load.open_peers(endpoint, boards.tokens[1 : 1 + n])
    burst_writers: list[load.Peer] = []
    try:
        await writer.commit(f"{tag}add", [load.component(load.ELEMENT, 0)])
        meter.start()
        steady = await load.steady(
            writer, readers, tag, config.steady_seconds, config.preview_hz, config.batch_hz
        )
        steady["cpu_percent"] = meter.stop()
        first = 1 + max(config.readers)
        burst_writers = await load.open_peers(endpoint, boards.tokens[first : first + config.burst_writers])
        meter.start()
        burst = await load.saturate(
            burst_writers, readers, [writer], tag, config.burst_per_writer, meter.mark
        )
        burst["cpu_percent"] = meter.stop(at_mark=True)
    finally:
        await load.close_peers([writer, *readers, *burst_writers])
    return {
        "readers": n,
        "steady": steady,
        "saturation": burst,
    }


async def _memory(boards: Boards, server: Running, readers: tuple[int, ...]) -> dict[str, Any]:
    """Server RSS with 0, then N + 1 idle welcomed sockets for each N, on a server that has had no load.

    Measured before any traffic because a process reuses the memory that
    earlier, busier runs freed, which would hide the cost of new sockets.
    `added_kb` is what each socket of this step cost on top of the previous step's: from
    the second step on, the cost of one more socket without the first sockets' one-off costs.
    """
    endpoint = boards.endpoint(boards.load_boards[0])
    await asyncio.sleep(SETTLE_SECONDS)
    before = previous = server.rss()
    peers: list[load.Peer] = []
    figures = {}
    try:
        for n in sorted(readers):
            opened = len(peers)
            peers += await load.open_peers(endpoint, boards.tokens[opened : n + 1])
            await asyncio.sleep(SETTLE_SECONDS)
            after = server.rss()
            figures[str(n)] = {
                "sockets": len(peers),
                "rss_mb": round(after / 2**20, 2),
                "per_connection_kb": round((after - before) / len(peers) / 1024, 1),
                "added_kb": round((after - previous) / (len(peers) - opened) / 1024, 1),
            }
            previous = after
    finally:
        await load.close_peers(peers)
    return {"before_mb": round(before / 2**20, 2), "by_readers": figures}


async def _update_cost(boards: Boards, config: Config) -> dict[str, Any]:
    """Fill a small and a large board over the socket, then alternate timed single-op updates on each."""
    sizes = {"small": config.cost_small, "large": config.cost_large}
    peers = {
        name: await load.open_peers(
            boards.endpoint(boards.cost_boards[name]), boards.tokens[: config.cost_peers]
        )
        for name in sizes
    }
    samples: dict[str, list[float]] = {name: [] for name in sizes}
    try:
        for name, size in sizes.items():
            await load.fill(peers[name][0], "e", size, 500, MIN_BATCH_INTERVAL)
        order = {
            name: [f"e{i}" for i in random.Random(size).sample(range(size), size)]
            for name, size in sizes.items()
        }
        rounds, per_round = 4, config.cost_updates // 4
        for r in range(rounds):
            for name, ids in order.items():
                start = r * per_round % len(ids)
                samples[name] += await load.update_cost(
                    peers[name], ids[start:] + ids[:start], f"r{r}", per_round, MIN_BATCH_INTERVAL
                )
    finally:
        await load.close_peers([p for group in peers.values() for p in group])
    summaries = {name: {"elements": sizes[name], **summarize(samples[name])} for name in sizes}
    small, large = summaries["small"], summaries["large"]
    return {
        **summaries,
        "ratio_mean": round(large["mean"] / small["mean"], 3) if small["mean"] else None,
        "ratio_p50": round(large["p50"] / small["p50"], 3) if small["p50"] else None,
    }


async def measure(boards: Boards, config: Config, meter: CpuMeter, ours: bool) -> dict[str, Any]:
    """Every phase for one variant; `ours` adds the update-cost and welcome phases.

    A failing phase is recorded under "errors" with its phase name and the run
    goes on, since every phase opens its own sockets: one server bug should not
    hide the figures of the phases it does not touch.
    """
    began = perf_counter()
    timings: dict[str, float] = {}
    result: dict[str, Any] = {"phase_end_seconds": timings, "runs": {}, "errors": []}

    async def phase(name: str, work: Awaitable[Any]) -> Any:
        try:
            return await work
        except Exception as exc:
            error = "".join(traceback.format_exception_only(exc)).strip()
            result["errors"].append({"phase": name, "error": error})
            return None
        finally:
            timings[name] = round(perf_counter() - began, 1)

    def wanted(name: str) -> bool:
        return not config.phases or name in config.phases

    warm = await phase("warm-up", load.open_peer(boards.endpoint(boards.load_boards[0]), boards.tokens[0]))
    if warm is not None:
        await load.close_peers([warm[0]])
    if wanted("memory"):
        result["memory"] = await phase("memory", _memory(boards, meter.processes["server"], config.readers))
    for index, n in enumerate(config.readers if wanted("load") else ()):
        run = await phase(f"N={n}", _one_n(boards, boards.load_boards[index], n, f"n{n}", config, meter))
        if run is not None:
            result["runs"][str(n)] = run
    if wanted("boards") and boards.tenant_boards:
        endpoints = [boards.endpoint(board_id) for board_id in boards.tenant_boards]
        meter.start()
        work = per_process.boards_per_process(endpoints, boards.tokens[:3], "t")
        per = await phase("boards per process", work)
        if per is not None:
            result["boards_per_process"] = {**per, "cpu_percent": meter.stop()}
    if ours and boards.history_board is not None and wanted("cost"):
        result["update_cost_ms"] = await phase("update cost", _update_cost(boards, config))
    if ours and boards.history_board is not None and wanted("welcome"):
        endpoint = boards.endpoint(boards.history_board)
        welcome = await phase(
            "welcome", load.welcome_times(endpoint, boards.tokens[0] or "", config.welcome_connects)
        )
        if welcome is not None:
            shape = {"elements": config.history_elements, "batches": config.history_batches}
            result["welcome_ms"] = {**shape, **welcome}
    return result
