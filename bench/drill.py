"""Failure drill speed: the board analysis and a drill on 500-component boards, against one BFS.

Pure Python, no database: `reviews.drill` works on the materialised elements,
so this times exactly what `GET /api/boards/{id}/analysis/?fail=…` computes
after reading the rows. In the same run, on the same board, interleaved:

- baseline `bfs`: one breadth-first search from the entry points over the
  built graph (the least any answer about reachability costs);
- `build`: the elements into a graph (adjacency lists);
- the pieces: `lost_matrix` (every component's lost set, as bitsets),
  `impacts` (entry points and stores cut by every failure), `lints`, a drill
  of the worst SPOF with its summary;
- `analyse`: the whole response without a drill, and with `fail=` the worst
  SPOF (the budget: 50 ms);
- `naive`: what the SPOF ranking costs without the bitsets: one drill per
  component (propagation and a BFS per entry point), fewer samples.

Boards: `layered` is a plausible architecture (clients, CDNs, load balancers,
services calling services, caches, databases, queues feeding workers,
externals, some replicas); `random` is 500 components of random types with
750 random arrows (a third async), which has long chains and cycles.

    .venv/bin/python bench/drill.py               # 200 samples per figure
    .venv/bin/python bench/drill.py --quick       # 30 samples
    .venv/bin/python bench/drill.py --json out.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import percentile
from reviews import drill

BUDGET_MS = 50.0
COMPONENTS = 500
MIX = {  # the layered board's components by type, 500 in all
    "client": 6,
    "cdn": 4,
    "load_balancer": 20,
    "service": 210,
    "worker": 70,
    "database": 60,
    "cache": 40,
    "queue": 30,
    "storage": 20,
    "search": 15,
    "external": 25,
}


class Board:
    """Element dicts as the server stores them, built up one component and arrow at a time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.elements: list[dict[str, Any]] = []
        self.by_type: dict[str, list[str]] = {}
        self.pairs: set[tuple[str, str]] = set()

    def component(self, kind: str, replicas: int = 1) -> str:
        ids = self.by_type.setdefault(kind, [])
        element_id = f"{kind[:3]}-{len(ids)}"
        ids.append(element_id)
        self.elements.append(
            {
                "id": element_id,
                "kind": "component",
                "type": kind,
                "label": f"{kind.replace('_', ' ').capitalize()} {len(ids)}",
                "x": self.rng.randrange(-5000, 5000),
                "y": self.rng.randrange(-5000, 5000),
                "w": 160,
                "h": 72,
                "tech": "",
                "replicas": replicas,
                "notes": "",
            }
        )
        return element_id

    def arrow(self, source: str, target: str, style: str = "sync", label: str | None = None) -> None:
        if source == target or (source, target) in self.pairs:
            return
        self.pairs.add((source, target))
        self.elements.append(
            {
                "id": f"a{len(self.pairs)}",
                "kind": "arrow",
                "source": source,
                "target": target,
                "label": label if label is not None else ("" if self.rng.random() < 0.1 else "call"),
                "style": style,
            }
        )


def layered(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    board = Board(rng)
    some = rng.choice
    for kind, count in MIX.items():
        for _ in range(count):
            replicas = 1
            if kind in ("service", "load_balancer", "cdn"):
                replicas = rng.choice((1, 2, 3, 3))
            elif kind in ("database", "queue", "cache", "worker"):
                replicas = rng.choice((1, 1, 1, 2))
            board.component(kind, replicas)
    t = board.by_type
    services = t["service"]
    for client in t["client"]:
        for lb in rng.sample(t["load_balancer"], 3):
            board.arrow(client, lb)
        board.arrow(client, some(t["cdn"]))
    for cdn in t["cdn"]:
        board.arrow(cdn, some(t["storage"]))
    front = services[:60]
    for i, lb in enumerate(t["load_balancer"]):
        for service in rng.sample(front[(i * 3) % 57 : (i * 3) % 57 + 3], 2):
            board.arrow(lb, service)
    for i, service in enumerate(services):
        later = services[i + 1 :]
        for callee in rng.sample(later, min(len(later), rng.choice((0, 1, 1, 2)))):
            board.arrow(service, callee)
        roll = rng.random()
        if roll < 0.25:
            cache = some(t["cache"])
            board.arrow(service, cache)
            board.arrow(service, some(t["database"]))
        elif roll < 0.7:
            board.arrow(service, some(t["database"]))
        if rng.random() < 0.2:
            board.arrow(service, some(t["queue"]), "async", "publish")
        if rng.random() < 0.05:
            board.arrow(service, some(t["search"]))
        if rng.random() < 0.05:
            board.arrow(service, some(t["external"]))
    for i, cache in enumerate(t["cache"]):
        if i % 2:
            board.arrow(cache, some(t["database"]), label="read-through")
    for queue in t["queue"]:
        for worker in rng.sample(t["worker"], 2):
            board.arrow(queue, worker, "async", "consume")
    for worker in t["worker"]:
        board.arrow(worker, some(t["database"] + t["storage"]))
        if rng.random() < 0.3:
            board.arrow(worker, some(t["external"]))
        if rng.random() < 0.2:
            board.arrow(worker, some(t["search"]))
    return board.elements


def random_board(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    board = Board(rng)
    kinds = [kind for kind, count in MIX.items() for _ in range(count)]
    ids = [board.component(rng.choice(kinds), rng.choice((1, 1, 1, 2))) for _ in range(COMPONENTS)]
    while len(board.pairs) < 750:
        board.arrow(rng.choice(ids), rng.choice(ids), "async" if rng.random() < 0.33 else "sync")
    return board.elements


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of one call: CPU time is what other load on the machine cannot inflate."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    wall = sorted(w for w, _ in samples)
    cpu = sorted(c for _, c in samples)
    return {
        "median": round(statistics.median(wall) * 1000, 3),
        "p95": round(percentile(wall, 95) * 1000, 3),
        "max": round(wall[-1] * 1000, 3),
        "cpu_median": round(statistics.median(cpu) * 1000, 3),
        "cpu_p95": round(percentile(cpu, 95) * 1000, 3),
    }


def naive_ranking(graph: drill.Graph) -> list[tuple[int, int]]:
    """The SPOF ranking by brute force: one drill per component."""
    return [(len(drill.run_drill(graph, x).entry_points_cut), x) for x in range(len(graph))]


def measure(name: str, elements: list[dict[str, Any]], samples: int) -> dict[str, Any]:
    graph = drill.Graph.build(elements)
    ranked = drill.spofs(graph, drill.impacts(graph))
    worst = graph.ids[ranked[0]] if ranked else graph.ids[0]
    blocked = drill.lost_matrix(graph)
    impact, found = drill.impacts(graph, blocked), drill.lints(graph)
    cases: dict[str, Callable[[], Any]] = {
        "bfs": lambda: graph.bfs(graph.entries),
        "build": lambda: drill.Graph.build(elements),
        "lost_matrix": lambda: drill.lost_matrix(graph),
        "impacts": lambda: drill.impacts(drill.Graph.build(elements), blocked),
        "lints": lambda: drill.lints(graph),
        "probes": lambda: drill.probes(graph, ranked, impact, found, set()),
        "drill": lambda: drill.drill_dict(graph, drill.run_drill(graph, graph.index[worst])),
        "analyse": lambda: drill.analyse(elements),
        "analyse_fail": lambda: drill.analyse(elements, fail=worst),
    }
    for call in cases.values():  # warm up
        call()
    times: dict[str, list[tuple[float, float]]] = {case: [] for case in cases}
    gc.collect()
    for _ in range(samples):
        for case, call in cases.items():
            times[case].append(timed(call))
    naive = [timed(lambda: naive_ranking(drill.Graph.build(elements))) for _ in range(max(3, samples // 20))]
    # The bitsets and the brute force agree (the tests check this too, against an independent reference).
    if any(n != impact.entry_points_cut[x] for n, x in naive_ranking(graph)):
        raise RuntimeError("the bitset ranking differs from one drill per component")
    result = drill.analyse(elements, fail=worst)
    return {
        "board": name,
        "components": len(graph),
        "arrows": len(graph.arrows),
        "dependencies": sum(len(s) for s in graph.dep_succ),
        "entry_points": len(graph.entries),
        "spofs": len(result["spofs"]),
        "lints": len(result["lints"]),
        "probes": len(result["probes"]),
        "response_bytes": len(json.dumps(result)),
        "failed": worst,
        "ms": {case: summary(values) for case, values in times.items()} | {"naive": summary(naive)},
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        base = result["ms"]["bfs"]["median"]
        lines.append(
            f"\n{result['board']}: {result['components']} components, {result['arrows']} arrows "
            f"({result['dependencies']} dependencies), {result['entry_points']} entry points; "
            f"{result['spofs']} SPOFs, {result['lints']} lints, {result['probes']} probes, "
            f"{result['response_bytes']:,} bytes; drill of {result['failed']}"
        )
        lines.append(
            f"{'wall ms:':14}{'median':>9}{'p95':>9}{'max':>9}{'/ bfs':>9}{'cpu median':>12}{'cpu p95':>9}"
        )
        for case, f in result["ms"].items():
            ratio = f["median"] / base if base else float("nan")
            lines.append(
                f"{case:14}{f['median']:>9.3f}{f['p95']:>9.3f}{f['max']:>9.3f}{ratio:>9.1f}"
                f"{f['cpu_median']:>12.3f}{f['cpu_p95']:>9.3f}"
            )
        full = result["ms"]["analyse_fail"]
        verdict = "met" if full["p95"] <= BUDGET_MS else "NOT met"
        lines.append(
            f"budget: analysis + drill p95 ≤ {BUDGET_MS:g} ms: {verdict} "
            f"(wall {full['p95']:.1f} ms, cpu {full['cpu_p95']:.1f} ms)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="30 samples instead of 200")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    samples = args.samples or (30 if args.quick else 200)
    began = time.perf_counter()
    results = [
        measure("layered", layered(args.seed), samples),
        measure("random", random_board(args.seed), samples),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Python {platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs, load average "
        f"{load:.1f} at the end), {samples} samples per figure (naive: {max(3, samples // 20)}), "
        f"interleaved; {time.perf_counter() - began:.0f} s"
    )
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
