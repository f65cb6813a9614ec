"""Boards per process: how many live interview boards one server process holds.

Each board has one person drawing and two watching: the drawer drags a box
(previews at 30 Hz), moves their cursor (presence at 10 Hz) and commits 2
batches a second; the watchers only receive. K boards run at once for a short
step; K doubles until the watchers' batch delivery p99 passes the budget
(50 ms), then a few bisection steps narrow the largest K that passes. The
bare relay carries exactly the same frames (it echoes each to the board's
group), so the two are comparable. Total time is bounded by `MAX_BOARDS`
and the number of steps, whatever the server does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from time import perf_counter
from typing import Any

from bench import load
from bench.stats import summarize

BUDGET_MS = 50.0
STEP_SECONDS = 3.0
PREVIEW_HZ, PRESENCE_HZ, BATCH_HZ = 30.0, 10.0, 2.0
MAX_BOARDS = 128
BISECT_STEPS = 3


async def _board(endpoint: load.Endpoint, tokens: Sequence[str | None], gate: asyncio.Semaphore):
    async with gate:
        drawer, _ = await load.open_peer(endpoint, tokens[0])
        watchers = [(await load.open_peer(endpoint, token))[0] for token in tokens[1:3]]
    return drawer, watchers


async def _drive(drawer: load.Peer, watchers: list[load.Peer], tag: str, seconds: float) -> dict[str, Any]:
    preview_sent: dict[int, float] = {}
    batch_sent: dict[str, float] = {}
    element = f"{tag}e"  # a box of this step's own: boards keep what earlier steps drew
    await drawer.commit(f"{tag}add", [load.component(element, 0)])
    start = perf_counter()

    async def every(hz: float, action) -> None:
        for k in range(int(seconds * hz)):
            delay = start + k / hz - perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await action(k)

    async def preview(k: int) -> None:
        text = load.encode({"type": "preview", "id": element, "props": {"x": k, "y": 40}})
        preview_sent[k] = await drawer.send(text)

    async def presence(k: int) -> None:
        await drawer.send(load.encode({"type": "presence", "cursor": {"x": k, "y": 10}, "selection": []}))

    async def commit(k: int) -> None:
        batch_sent[f"{tag}c{k}"] = await drawer.send(load.batch(f"{tag}c{k}", [load.move(element, k)]))

    await asyncio.gather(every(PREVIEW_HZ, preview), every(PRESENCE_HZ, presence), every(BATCH_HZ, commit))
    return {"previews": preview_sent, "batches": batch_sent}


async def step(
    endpoints: Sequence[load.Endpoint], tokens: Sequence[str | None], k: int, tag: str
) -> dict[str, Any]:
    """K boards at once for STEP_SECONDS; the watchers' delivery latencies."""
    opened: list[tuple[load.Peer, list[load.Peer]]] = []
    try:
        gate = asyncio.Semaphore(load.CONNECT_CONCURRENCY)
        opened += await asyncio.gather(*(_board(endpoints[i], tokens, gate) for i in range(k)))
        await asyncio.sleep(0.3)
        sent = await asyncio.gather(
            *(_drive(drawer, ws, f"{tag}b{i}", STEP_SECONDS) for i, (drawer, ws) in enumerate(opened))
        )
        await asyncio.sleep(0.5)  # the last frames land
    finally:
        await load.close_peers([p for drawer, watchers in opened for p in (drawer, *watchers)])
    batches, previews, missing = [], [], 0
    for (_, watchers), s in zip(opened, sent, strict=True):
        for w in watchers:
            for batch_id, t in s["batches"].items():
                if batch_id in w.batches:
                    batches.append(w.batches[batch_id] - t)
                else:
                    missing += 1
            previews += [t - s["previews"][x] for x, t in w.previews.items() if x in s["previews"]]
    delivery = summarize(batches)
    return {
        "boards": k,
        "sockets": 3 * k,
        "batch_delivery_ms": delivery,
        "preview_delivery_ms": summarize(previews),
        "batch_missing": missing,
        "passes": missing == 0 and delivery["count"] > 0 and delivery["p99"] <= BUDGET_MS,
    }


async def boards_per_process(
    endpoints: Sequence[load.Endpoint], tokens: Sequence[str | None], tag: str
) -> dict[str, Any]:
    """The largest K (of at most MAX_BOARDS and len(endpoints)) whose delivery p99 stays within BUDGET_MS."""
    cap = min(MAX_BOARDS, len(endpoints))
    steps: list[dict[str, Any]] = []
    best, worst = 0, None

    async def trial(k: int) -> bool:
        nonlocal best, worst
        result = await step(endpoints, tokens, k, f"{tag}k{k}")
        steps.append(result)
        if result["passes"]:
            best = max(best, k)
        else:
            worst = k if worst is None else min(worst, k)
        return result["passes"]

    k = min(8, cap)
    while await trial(k) and k < cap:  # doubling until one fails or the cap passes
        k = min(2 * k, cap)
    if best == 0 and k > 1:
        await trial(1)  # even the first step failed: does one board pass at all?
    for _ in range(BISECT_STEPS):
        if worst is None or worst - best <= 1:
            break
        await trial((best + worst) // 2)
    return {
        "largest_k": best,
        "first_failing_k": worst,
        "capped": worst is None and best == cap,
        "budget_ms": BUDGET_MS,
        "step_seconds": STEP_SECONDS,
        "steps": steps,
    }
