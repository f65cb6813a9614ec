"""The measurement phases for one running server variant, in the order they run.

Per reader count N: connect (RSS per connection), steady drag-and-commit
(delivery and ack latency), saturation burst (deliveries/s). For our server
only: update cost on a 10- versus a 5,000-element board, and time to welcome
on a board with a long history. CPU of the client and of every server process
is recorded per phase, so a client-bound figure is visible as one.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import psutil

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

    @property
    def users(self) -> int:
        return 1 + max(self.readers) + self.burst_writers


# Our server allows 30 batches/s per socket with a burst of 60; paced phases stay under the rate,
# the saturation burst under the burst allowance.
MIN_BATCH_INTERVAL = 1 / 25
SETTLE_SECONDS = 0.5


@dataclass(frozen=True)
class Boards:
    """What board_setup created (or random ids for a relay, which has no accounts)."""

    base_url: str
    welcome: bool
    tokens: list[str | None]
    load_boards: list[str]
    cost_boards: dict[str, str]
    history_board: str | None

    def endpoint(self, board_id: str) -> load.Endpoint:
        return load.Endpoint(f"{self.base_url}/ws/boards/{board_id}/", self.welcome)


class CpuMeter:
    """CPU used by this client process and each server process between `start` and `stop`."""

    def __init__(self, processes: dict[str, Running]) -> None:
        self.processes = processes
        self.client = psutil.Process()

    def _sample(self) -> dict[str, float]:
        times = self.client.cpu_times()
        sample = {"client": times.user + times.system}
        sample.update({name: p.cpu_seconds() for name, p in self.processes.items()})
        return {**sample, "wall": perf_counter()}

    def start(self) -> None:
        self.begun = self._sample()

    def stop(self, busy_seconds: float | None = None) -> dict[str, float]:
        """Percent of one core per process, over `busy_seconds` if given (the part that did work)."""
        end = self._sample()
        wall = busy_seconds or end["wall"] - self.begun["wall"]
        return {name: round(100 * (end[name] - self.begun[name]) / wall, 1) for name in end if name != "wall"}


async def _one_n(
    boards: Boards, board_id: str, n: int, tag: str, config: Config, meter: CpuMeter
) -> dict[str, Any]:
    server = meter.processes["server"]
    endpoint = boards.endpoint(board_id)
    await asyncio.sleep(SETTLE_SECONDS)
    rss_before = server.rss()
    writer, _ = await load.open_peer(endpoint, boards.tokens[0])
    readers = await load.open_peers(endpoint, boards.tokens[1 : 1 + n])
    await asyncio.sleep(SETTLE_SECONDS)
    rss_after = server.rss()
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
        burst = await load.saturate(burst_writers, readers, [writer], tag, config.burst_per_writer)
        burst["cpu_percent"] = meter.stop(burst["elapsed_seconds"])
    finally:
        await load.close_peers([writer, *readers, *burst_writers])
    return {
        "readers": n,
        "rss": {
            "before_mb": round(rss_before / 2**20, 2),
            "after_mb": round(rss_after / 2**20, 2),
            "per_connection_kb": round((rss_after - rss_before) / (n + 1) / 1024, 1),
        },
        "steady": steady,
        "saturation": burst,
    }


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
        order = {name: random.Random(size).sample(range(size), size) for name, size in sizes.items()}
        rounds = 4
        for r in range(rounds):
            for name, ids in order.items():
                share = [f"e{i}" for i in ids]
                samples[name] += await load.update_cost(
                    peers[name], share, f"r{r}", config.cost_updates // rounds, MIN_BATCH_INTERVAL
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
    """Every phase for one variant; `ours` adds the update-cost and welcome phases."""
    warm, _ = await load.open_peer(boards.endpoint(boards.load_boards[0]), boards.tokens[0])
    await load.close_peers([warm])
    runs = {}
    for index, n in enumerate(config.readers):
        runs[str(n)] = await _one_n(boards, boards.load_boards[index], n, f"n{n}", config, meter)
    result: dict[str, Any] = {"runs": runs}
    if ours and boards.history_board is not None:
        result["update_cost_ms"] = await _update_cost(boards, config)
        token = boards.tokens[0] or ""
        welcome = await load.welcome_times(
            boards.endpoint(boards.history_board), token, config.welcome_connects
        )
        result["welcome_ms"] = {
            "elements": config.history_elements,
            "batches": config.history_batches,
            **welcome,
        }
    return result
