"""Turn a run's raw results into the printed tables, the PASS/FAIL checks and latest.md.

Every figure of our server is shown next to the same figure for the plain
websockets relay and for the bare Channels relay on the same server and layer,
as a ratio: absolute numbers from a 2-core loopback run mean little alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bench.variants import RAW, VARIANTS

Getter = Callable[[dict[str, Any]], float | int | None]

LATENCY_METRICS: list[tuple[str, Getter]] = [
    (f"{kind} {p} (ms)", lambda run, key=key, p=p: run["steady"][key][p])
    for kind, key in (("batch delivery", "batch_delivery_ms"), ("preview delivery", "preview_delivery_ms"))
    for p in ("p50", "p95", "p99")
] + [(f"ack {p} (ms)", lambda run, p=p: run["steady"]["ack_ms"][p]) for p in ("p50", "p95", "p99")]
THROUGHPUT_METRICS: list[tuple[str, Getter]] = [
    ("saturation reader deliveries/s", lambda run: run["saturation"]["reader_deliveries_per_s"]),
    ("saturation all-socket deliveries/s", lambda run: run["saturation"]["all_socket_deliveries_per_s"]),
    ("server RSS per connection (KiB)", lambda run: run["rss"]["per_connection_kb"]),
]


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and abs(value) < 100:
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _ratio(value: float | int | None, base: float | int | None) -> str:
    return "-" if value is None or not base else f"x{value / base:.2f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain-text table: first column left-aligned, the figures right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])


def _runs(results: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, n, run)
        for name, variant in results["variants"].items()
        for n, run in variant.get("runs", {}).items()
    ]


def _get(results: dict[str, Any], name: str | None, n: str, getter: Getter) -> float | int | None:
    run = results["variants"].get(name or "", {}).get("runs", {}).get(n) if name else None
    return getter(run) if run else None


def _baseline(name: str) -> str | None:
    return next((v.baseline for v in VARIANTS if v.name == name), None)


def checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets, evaluated at the largest reader count of the run (N=50 in a full run)."""
    readers = results["meta"]["config"]["readers"]
    n = str(50 if 50 in readers else max(readers))
    found = []

    def check(name: str, value: float | None, target: str, passed: bool | None, note: str = "") -> None:
        found.append({"name": name, "value": value, "target": target, "passed": passed, "note": note})

    for variant in (v for v in VARIANTS if v.ours and v.name in results["variants"]):
        name, base = variant.name, variant.baseline
        mine = results["variants"][name]
        if "error" in mine:
            check(f"{name} ran", None, "no error", False, mine["error"].splitlines()[0])
            continue
        p99 = _get(results, name, n, lambda r: r["steady"]["batch_delivery_ms"]["p99"])
        base_p99 = _get(results, base, n, lambda r: r["steady"]["batch_delivery_ms"]["p99"])
        check(f"{name}: batch delivery p99 at N={n}", p99, "≤ 50 ms", p99 is not None and p99 <= 50)
        check(
            f"{name}: batch delivery p99 at N={n} below {base}",
            p99,
            f"< {_fmt(base_p99)} ms",
            None if p99 is None or base_p99 is None else p99 < base_p99,
        )
        rate = _get(results, name, n, lambda r: r["saturation"]["reader_deliveries_per_s"])
        base_rate = _get(results, base, n, lambda r: r["saturation"]["reader_deliveries_per_s"])
        check(
            f"{name}: saturation reader deliveries/s at N={n} vs {base}",
            rate,
            f"≥ 3 x {_fmt(base_rate)} = {_fmt(3 * base_rate) if base_rate else '-'}",
            None if rate is None or base_rate is None else rate >= 3 * base_rate,
        )
        if variant.name == "bothsides-daphne-embedded":
            ack = _get(results, name, n, lambda r: r["steady"]["ack_ms"]["p99"])
            check(f"{name}: ack p99 at N={n}", ack, "≤ 25 ms", ack is not None and ack <= 25)
        cost = mine.get("update_cost_ms", {})
        ratio = cost.get("ratio_p50")
        sizes = f"{cost.get('large', {}).get('elements')} vs {cost.get('small', {}).get('elements')} elements"
        check(f"{name}: update p50 {sizes}", ratio, "≤ 1.5x", ratio is not None and ratio <= 1.5)
        welcome = mine.get("welcome_ms", {})
        shape = f"{welcome.get('elements')} elements, {welcome.get('batches')} batches"
        check(
            f"{name}: welcome p99 ({shape})",
            welcome.get("p99"),
            "≤ 300 ms",
            welcome.get("p99") is not None and welcome["p99"] <= 300,
        )
    return found


def _verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "N/A"}[passed]


def _metric_rows(results: dict[str, Any], getter: Getter, ns: list[str]) -> list[list[str]]:
    rows = []
    for name in results["variants"]:
        cells = [name]
        for n in ns:
            value = _get(results, name, n, getter)
            raw = _get(results, RAW, n, getter)
            relay = _get(results, _baseline(name), n, getter)
            extra = [] if name == RAW else [f"{_ratio(value, raw)} raw"]
            if relay is not None:
                extra.append(f"{_ratio(value, relay)} relay")
            cells.append(_fmt(value) + (f" ({', '.join(extra)})" if extra and value is not None else ""))
        rows.append(cells)
    return rows


def _extras(results: dict[str, Any]) -> tuple[list[list[str]], list[list[str]]]:
    cost_rows, welcome_rows = [], []
    for name, variant in results["variants"].items():
        cost = variant.get("update_cost_ms")
        if cost:
            small, large = cost["small"], cost["large"]
            cost_rows.append(
                [name]
                + [_fmt(small[k]) for k in ("mean", "p50", "p99")]
                + [_fmt(large[k]) for k in ("mean", "p50", "p99")]
                + [_fmt(cost["ratio_mean"]), _fmt(cost["ratio_p50"])]
            )
        welcome = variant.get("welcome_ms")
        if welcome:
            welcome_rows.append(
                [name, str(welcome["elements"]), str(welcome["batches"])]
                + [_fmt(welcome[k]) for k in ("count", "p50", "p99", "max")]
            )
    return cost_rows, welcome_rows


COST_HEADERS = ["variant", "10: mean", "p50", "p99", "5000: mean", "p50", "p99", "ratio mean", "ratio p50"]
WELCOME_HEADERS = ["variant", "elements", "batches", "connects", "p50 ms", "p99 ms", "max ms"]
DETAIL_HEADERS = [
    "variant",
    "N",
    "missing",
    "preview seen",
    "rejected",
    "CPU% client/server/redis (steady)",
    "sat. delivered",
    "sat. elapsed s",
    "CPU% client/server/redis (sat.)",
]


def _cpu(cpu: dict[str, float]) -> str:
    return "/".join(_fmt(cpu.get(k)) for k in ("client", "server", "redis"))


def _details(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, n, run in _runs(results):
        steady, burst = run["steady"], run["saturation"]
        delivered = burst["reader_deliveries"] / max(1, burst["reader_expected"])
        rows.append(
            [
                name,
                n,
                str(steady["batch_missing"]),
                f"{steady['preview_seen_fraction']:.0%}",
                f"{steady['rejected']}/{burst['rejected']}",
                _cpu(steady["cpu_percent"]),
                f"{delivered:.0%}",
                _fmt(burst["elapsed_seconds"]),
                _cpu(burst["cpu_percent"]),
            ]
        )
    return rows


def _ns(results: dict[str, Any]) -> list[str]:
    return [str(n) for n in results["meta"]["config"]["readers"]]


def _summary_rows(results: dict[str, Any]) -> list[list[str]]:
    """One line per run with the headline figures and the p99 / deliveries ratio to the baselines."""
    rows = []
    for name, n, run in _runs(results):
        steady, burst = run["steady"], run["saturation"]
        batch, preview, ack = steady["batch_delivery_ms"], steady["preview_delivery_ms"], steady["ack_ms"]
        base = _baseline(name)
        p99 = batch["p99"]
        rate = burst["reader_deliveries_per_s"]
        rows.append(
            [
                name,
                n,
                "/".join(_fmt(batch[k]) for k in ("p50", "p95", "p99")),
                _ratio(p99, _get(results, base, n, lambda r: r["steady"]["batch_delivery_ms"]["p99"])),
                "/".join(_fmt(preview[k]) for k in ("p50", "p95", "p99")),
                "/".join(_fmt(ack[k]) for k in ("p50", "p95", "p99")),
                _fmt(rate),
                _ratio(rate, _get(results, base, n, lambda r: r["saturation"]["reader_deliveries_per_s"])),
                _ratio(rate, _get(results, RAW, n, lambda r: r["saturation"]["reader_deliveries_per_s"])),
                _fmt(run["rss"]["per_connection_kb"]),
            ]
        )
    return rows


SUMMARY_HEADERS = [
    "variant",
    "N",
    "batch p50/p95/p99 ms",
    "p99 vs relay",
    "preview p50/p95/p99",
    "ack p50/p95/p99",
    "sat. reader deliv/s",
    "vs relay",
    "vs raw",
    "KiB/conn",
]


def text(results: dict[str, Any]) -> str:
    parts = ["\nlatency, saturation and memory per run", _table(SUMMARY_HEADERS, _summary_rows(results))]
    parts += ["\nper run details (rejected = steady/saturation)", _table(DETAIL_HEADERS, _details(results))]
    cost_rows, welcome_rows = _extras(results)
    if cost_rows:
        parts += ["\nupdate cost, send -> own ack (ms)", _table(COST_HEADERS, cost_rows)]
    if welcome_rows:
        parts += ["\nconnect -> welcome on the history board", _table(WELCOME_HEADERS, welcome_rows)]
    parts.append("\nchecks")
    for c in results["checks"]:
        line = f"{_verdict(c['passed'])}  {c['name']}: {_fmt(c['value'])} (target {c['target']})"
        parts.append(f"{line} {c['note']}".rstrip())
    errors = [f"{name}: {v['error']}" for name, v in results["variants"].items() if "error" in v]
    if errors:
        parts += ["\nerrors", *errors]
    return "\n".join(parts)


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _method(results: dict[str, Any]) -> str:
    meta, config = results["meta"], results["meta"]["config"]
    return f"""## Method

- Machine: {meta["cpus"]} cores, {meta["platform"]}, Python {meta["python"]}; revision {meta["revision"]};
  {meta["mode"]} run started {meta["started"]}, took {meta["seconds"]} s.
- Everything on loopback on this one machine: one server process per variant (Daphne, uvicorn with its
  defaults of uvloop + websockets-sansio, or the plain `websockets` relay on asyncio), a throwaway
  `redis-server` for the Redis variants, PostgreSQL 15 for the pg variants, and the load client: one
  asyncio (uvloop) process using `websockets` with compression off. Client, server and Redis share the
  {meta["cpus"]} cores; their CPU use per phase is in the JSON and in the per-run table below.
- Variants: `raw-websockets` (bench/relay_websockets.py), bare Channels relays (bench/relay_channels.py,
  one group per board, `group_send` of every frame) with InMemoryChannelLayer and RedisPubSubChannelLayer,
  and ours (`whiteboard.asgi:application`): SQLite + in-memory layer, or PostgreSQL + RedisPubSub layer.
  Our server runs with its default settings (DEBUG on, as `make run`).
- Steady phase, per reader count N in {config["readers"]}: one writer plus N readers on one board;
  the writer sends drag previews at {config["preview_hz"]:g} Hz (`{{"type":"preview","id":"box1",
  "props":{{"x":k,"y":40}}}}`, about 60 bytes) and commits {config["batch_hz"]:g} single-op update
  batches/s (about 100 bytes) for {config["steady_seconds"]:g} s. Delivery latency = reader receive -
  writer send (same clock, `perf_counter`); previews are keyed by the counter in `x` and timed at the
  first sighting (our server coalesces previews to 30 Hz); ack = the writer receiving its own batch back.
- Saturation: {config["burst_writers"]} extra writer sockets each send {config["burst_per_writer"]}
  single-op batches back to back, all at once (inside our server's per-socket burst allowance of 60, so
  nothing is rate-limited), while the N readers count frames. Reader deliveries/s = batch frames received
  by the N readers / (last frame - first send). All-socket deliveries/s also counts the writers, who
  receive every batch too. The same burst is offered to every variant; "sat. delivered" is the share of
  the expected reader frames that arrived (a Channels relay on the in-memory layer drops messages once a
  consumer's queue holds 100).
- RSS per connection: (server RSS after N + 1 sockets connected and welcomed - RSS before) / (N + 1),
  after one warm-up connection; includes child processes.
- Ours only: update cost = {config["cost_updates"]} sequential single-op updates (send, wait for own ack,
  spread over {config["cost_peers"]} sockets to stay under the rate limit, interleaved between boards) on
  a board of {config["cost_small"]} versus {config["cost_large"]} components built over the socket in
  500-op batches. Welcome = {config["welcome_connects"]} sequential connects (TCP + handshake + auth until
  the `welcome` frame is parsed) on a board of {config["history_elements"]} elements with
  {config["history_batches"]} batches of history inserted with the ORM.
- Checks are evaluated at the largest N of the run; the update-cost check uses the p50 ratio, the welcome
  check p99.
"""


def markdown(results: dict[str, Any]) -> str:
    ns = _ns(results)
    parts = [
        "# BothSides live-sync benchmark",
        "",
        "Each cell: value, then the ratio to `raw-websockets` and, for our variants, to the bare Channels "
        "relay on the same server and layer.",
        "\n## Checks\n",
        _md_table(
            ["", "check", "value", "target", "note"],
            [
                [_verdict(c["passed"]), c["name"], _fmt(c["value"]), c["target"], c["note"]]
                for c in results["checks"]
            ],
        ),
    ]
    for title, getter in LATENCY_METRICS + THROUGHPUT_METRICS:
        rows = _metric_rows(results, getter, ns)
        parts += [f"\n## {title}\n", _md_table(["variant", *(f"N={n}" for n in ns)], rows)]
    parts += ["\n## Per run\n", _md_table(DETAIL_HEADERS, _details(results))]
    cost_rows, welcome_rows = _extras(results)
    if cost_rows:
        parts += ["\n## Update cost, send -> own ack (ms)\n", _md_table(COST_HEADERS, cost_rows)]
    if welcome_rows:
        parts += ["\n## Connect -> welcome on the history board\n", _md_table(WELCOME_HEADERS, welcome_rows)]
    errors = [
        f"- {name}: {v['error'].splitlines()[0]}" for name, v in results["variants"].items() if "error" in v
    ]
    if errors:
        parts += ["\n## Errors\n", *errors]
    parts.append("\n" + _method(results))
    return "\n".join(parts) + "\n"
