"""Turn a run's raw results into the printed tables, the PASS/FAIL checks and latest.md.

Every figure of our server is shown next to the same figure for the plain
websockets relay and for the bare Channels relay on the same server and layer,
as a ratio: absolute numbers from a 2-core loopback run mean little alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bench.variants import RAW, VARIANTS

Getter = Callable[[dict[str, Any], str], float | int | None]


def _in_run(*keys: str) -> Getter:
    """A figure of the run with N readers, by its path in the run's results."""

    def get(variant: dict[str, Any], n: str) -> float | int | None:
        value: Any = variant.get("runs", {}).get(n)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return get


def _memory_kb(variant: dict[str, Any], n: str) -> float | None:
    return (variant.get("memory") or {}).get("by_readers", {}).get(n, {}).get("per_connection_kb")


BATCH_P99 = _in_run("steady", "batch_delivery_ms", "p99")
READER_RATE = _in_run("saturation", "reader_deliveries_per_s")
TABLES: list[tuple[str, list[tuple[str, Getter]]]] = [
    *(
        (f"{title} (ms)", [(p, _in_run("steady", key, p)) for p in ("p50", "p95", "p99")])
        for title, key in (
            ("Committed batch delivery, writer send -> reader receive", "batch_delivery_ms"),
            ("Drag preview delivery, writer send -> first sighting at a reader", "preview_delivery_ms"),
            ("Acknowledgement, writer send -> own batch back", "ack_ms"),
        )
    ),
    (
        "Saturation burst",
        [
            ("reader deliveries/s", READER_RATE),
            ("all-socket deliveries/s", _in_run("saturation", "all_socket_deliveries_per_s")),
        ],
    ),
    ("Server memory", [("RSS per connection (KiB)", _memory_kb)]),
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
    variant = results["variants"].get(name) if name else None
    return getter(variant, n) if variant else None


def _baseline(name: str) -> str | None:
    return next((v.baseline for v in VARIANTS if v.name == name), None)


def checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets, evaluated at the largest reader count of the run (N=50 in a full run)."""
    readers = results["meta"]["config"]["readers"]
    n = str(50 if 50 in readers else max(readers))
    found = []

    def check(name: str, value: float | None, target: str, passed: bool | None, note: str = "") -> None:
        note = note or ("not measured: see errors" if value is None else "")
        found.append({"name": name, "value": value, "target": target, "passed": passed, "note": note})

    for variant in (v for v in VARIANTS if v.ours and v.name in results["variants"]):
        name, base = variant.name, variant.baseline
        mine = results["variants"][name]
        if "error" in mine:
            check(f"{name} ran", None, "no error", False, mine["error"].splitlines()[0])
            continue
        p99 = _get(results, name, n, BATCH_P99)
        base_p99 = _get(results, base, n, BATCH_P99)
        check(f"{name}: batch delivery p99 at N={n}", p99, "≤ 50 ms", p99 is not None and p99 <= 50)
        check(
            f"{name}: batch delivery p99 at N={n} below {base}",
            p99,
            f"< {_fmt(base_p99)} ms",
            None if p99 is None or base_p99 is None else p99 < base_p99,
        )
        rate = _get(results, name, n, READER_RATE)
        base_rate = _get(results, base, n, READER_RATE)
        check(
            f"{name}: saturation reader deliveries/s at N={n} vs {base}",
            rate,
            f"≥ 3 x {_fmt(base_rate)} = {_fmt(3 * base_rate) if base_rate else '-'}",
            None if rate is None or base_rate is None else rate >= 3 * base_rate,
        )
        if variant.name == "bothsides-daphne-embedded":
            ack = _get(results, name, n, _in_run("steady", "ack_ms", "p99"))
            check(f"{name}: ack p99 at N={n}", ack, "≤ 25 ms", ack is not None and ack <= 25)
        cost = mine.get("update_cost_ms") or {}
        ratio = cost.get("ratio_p50")
        config = results["meta"]["config"]
        sizes = f"{config['cost_large']} vs {config['cost_small']} elements"
        check(f"{name}: update p50 {sizes}", ratio, "≤ 1.5x", ratio is not None and ratio <= 1.5)
        welcome = mine.get("welcome_ms") or {}
        shape = f"{config['history_elements']} elements, {config['history_batches']} batches"
        check(
            f"{name}: welcome p99 ({shape})",
            welcome.get("p99"),
            "≤ 100 ms",
            welcome.get("p99") is not None and welcome["p99"] <= 100,
        )
        _issue_18_checks(results, variant, check)
    return found


def _issue_18_checks(results: dict[str, Any], variant: Any, check: Callable[..., None]) -> None:
    """Durable and close to the wire: one reader, the durable-write floor, boards per process, memory."""
    name, base = variant.name, variant.baseline
    mine = results["variants"][name]
    readers = [str(r) for r in results["meta"]["config"]["readers"]]
    ack = _get(results, name, "1", _in_run("steady", "ack_ms", "p50"))
    raw_ack = _get(results, RAW, "1", _in_run("steady", "ack_ms", "p50"))
    floor = (mine.get("durable_write_ms") or {}).get("p50")
    if "1" in readers:
        bound = 1.5 * (floor + raw_ack) if floor is not None and raw_ack is not None else None
        check(
            f"{name}: ack p50 at N=1 vs 1.5 x (durable write {_fmt(floor)} + raw round trip {_fmt(raw_ack)})",
            ack,
            f"≤ {_fmt(bound)} ms",
            None if ack is None or bound is None else ack <= bound,
        )
    for n in ("1", "10"):
        if n not in readers:
            continue
        p99, base_p99 = _get(results, name, n, BATCH_P99), _get(results, base, n, BATCH_P99)
        check(
            f"{name}: batch delivery p99 at N={n} vs 2 x {base}",
            p99,
            f"≤ 2 x {_fmt(base_p99)}",
            None if p99 is None or base_p99 is None else p99 <= 2 * base_p99,
        )
    per = (mine.get("boards_per_process") or {}).get("largest_k")
    base_per = ((results["variants"].get(base) or {}).get("boards_per_process") or {}).get("largest_k")
    check(
        f"{name}: boards per process at delivery p99 ≤ 50 ms (relay: {_fmt(base_per)})",
        per,
        "≥ 50 on the faster server with PostgreSQL + Redis" if "pg" in name else "stated",
        (per >= 50) if per is not None and "pg" in name else None,
    )
    n = str(max(results["meta"]["config"]["readers"]))
    kb, base_kb = _get(results, name, n, _memory_kb), _get(results, base, n, _memory_kb)
    check(
        f"{name}: server memory per connection vs {base}",
        kb,
        f"≤ 1.2 x {_fmt(base_kb)} KiB",
        None if kb is None or base_kb is None else kb <= 1.2 * base_kb,
    )


def _problems(results: dict[str, Any], brief: bool) -> list[str]:
    """Why figures are missing: a variant that did not run, or failed phases and what the server said."""
    lines = []
    for name, variant in results["variants"].items():
        failures = [("setup", variant["error"])] if "error" in variant else []
        failures += [(e["phase"], e["error"]) for e in variant.get("errors", [])]
        log = variant.get("server_log", {})
        said = [line for line in log.get("tail", "").splitlines() if "Error" in line or "Exception" in line]
        for phase, error in failures:
            if brief:
                cause = f"; server: `{said[-1].strip()}`" if said else ""
                lines.append(f"{name}, {phase}: {error.splitlines()[0]}{cause}")
            else:
                lines.append(f"{name}, {phase}: {error}")
        if failures and not brief and log.get("tail"):
            lines.append(f"{name} server log (last lines):\n{log['tail']}")
    return lines


def _verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "N/A"}[passed]


def _cell(results: dict[str, Any], name: str, n: str, getter: Getter) -> str:
    """The figure, then its ratio to raw-websockets and to the variant's Channels relay when known."""
    value = _get(results, name, n, getter)
    if value is None:
        return "-"
    ratios = [
        f"{_ratio(value, base)} {label}"
        for label, base_name in (("raw", RAW), ("relay", _baseline(name)))
        if base_name and base_name != name and (base := _get(results, base_name, n, getter))
    ]
    return _fmt(value) + (f" ({', '.join(ratios)})" if ratios else "")


def _metric_rows(results: dict[str, Any], getters: list[tuple[str, Getter]]) -> list[list[str]]:
    return [
        [name, n, *(_cell(results, name, n, getter) for _, getter in getters)]
        for name, variant in results["variants"].items()
        for n in _ns(results)
        if n in variant.get("runs", {})
    ]


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
                [name, str(welcome["elements"]), str(welcome["batches"]), _fmt(welcome.get("welcome_bytes"))]
                + [_fmt(welcome[k]) for k in ("count", "p50", "p99", "max")]
            )
    return cost_rows, welcome_rows


PER_HEADERS = [
    "variant",
    "boards per process (p99 ≤ 50 ms)",
    "first failing K",
    "steps (K: batch p99 ms)",
    "durable write p50 / p99 ms",
]


def _per_process_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, variant in results["variants"].items():
        per, floor = variant.get("boards_per_process"), variant.get("durable_write_ms")
        if not per and not floor:
            continue
        per = per or {}
        steps = ", ".join(
            f"{s['boards']}: {_fmt(s['batch_delivery_ms']['p99'])}" for s in per.get("steps", [])
        )
        capped = " (cap)" if per.get("capped") else ""
        rows.append(
            [
                name,
                f"{_fmt(per.get('largest_k'))}{capped}",
                _fmt(per.get("first_failing_k")),
                steps or "-",
                f"{_fmt(floor['p50'])} / {_fmt(floor['p99'])}" if floor else "-",
            ]
        )
    return rows


COST_HEADERS = [
    "variant",
    "small: mean",
    "p50",
    "p99",
    "large: mean",
    "p50",
    "p99",
    "ratio mean",
    "ratio p50",
]
WELCOME_HEADERS = [
    "variant",
    "elements",
    "batches",
    "welcome bytes",
    "connects",
    "p50 ms",
    "p99 ms",
    "max ms",
]
DETAIL_HEADERS = [
    "variant",
    "N",
    "missing",
    "preview seen",
    "rejected",
    "CPU% client/server/redis/machine (steady)",
    "sat. delivered",
    "sat. elapsed s",
    "CPU% client/server/redis/machine (sat.)",
    "sat. limited by",
]
BUSY = 85.0  # percent of one core (of all cores for the machine) at which a side counts as the limit


def _limit(cpu: dict[str, float]) -> str:
    """Which side was out of CPU during the burst: only a server-bound figure measures the server."""
    if cpu.get("client", 0) >= BUSY:
        return "client"
    if cpu.get("server", 0) >= BUSY:
        return "server"
    return "machine" if cpu.get("machine", 0) >= BUSY else "-"


def _cpu(cpu: dict[str, float]) -> str:
    return "/".join(_fmt(cpu.get(k)) for k in ("client", "server", "redis", "machine"))


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
                _limit(burst["cpu_percent"]),
            ]
        )
    return rows


def _sizes(results: dict[str, Any]) -> str:
    config = results["meta"]["config"]
    return f"small = {config['cost_small']} elements, large = {config['cost_large']}"


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
                _ratio(p99, _get(results, base, n, BATCH_P99)),
                "/".join(_fmt(preview[k]) for k in ("p50", "p95", "p99")),
                "/".join(_fmt(ack[k]) for k in ("p50", "p95", "p99")),
                _fmt(rate),
                _ratio(rate, _get(results, base, n, READER_RATE)),
                _ratio(rate, _get(results, RAW, n, READER_RATE)),
                _fmt(_get(results, name, n, _memory_kb)),
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
        parts += [f"\nupdate cost, send -> own ack (ms), {_sizes(results)}", _table(COST_HEADERS, cost_rows)]
    if welcome_rows:
        parts += ["\nconnect -> welcome on the history board", _table(WELCOME_HEADERS, welcome_rows)]
    if per_rows := _per_process_rows(results):
        parts += ["\nboards per process and the durable-write floor", _table(PER_HEADERS, per_rows)]
    parts.append("\nchecks")
    for c in results["checks"]:
        line = f"{_verdict(c['passed'])}  {c['name']}: {_fmt(c['value'])} (target {c['target']})"
        parts.append(f"{line} {c['note']}".rstrip())
    errors = _problems(results, brief=False)
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
  {meta["mode"]} run started {meta["started"]}, took {meta["seconds"]} s; load average at start
  {meta["load_average_at_start"]} (anything else running on the machine skews every figure; "machine" CPU
  in the per-run table is the share of all cores busy, whoever used them).
- Everything on loopback on this one machine: one server process per variant (Daphne, uvicorn with its
  defaults of uvloop + websockets-sansio, or the plain `websockets` relay on asyncio), a throwaway
  `redis-server` for the Redis variants, PostgreSQL 15 for the pg variants, and the load client: one
  asyncio (uvloop) process using `websockets` with compression off. Client, server and Redis share the
  {meta["cpus"]} cores; their CPU use per phase is in the JSON and in the per-run table below.
- Variants: `raw-websockets` (bench/relay_websockets.py), bare Channels relays (bench/relay_channels.py,
  one group per board, `group_send` of every frame) with InMemoryChannelLayer and RedisPubSubChannelLayer,
  and ours (`bothsides.asgi:application`): SQLite + in-memory layer, or PostgreSQL + RedisPubSub layer.
  Our server runs with its default settings but DEBUG off, as deployed and as the relay runs.
- Steady phase, per reader count N in {config["readers"]}: one writer plus N readers on one board;
  the writer sends drag previews at {config["preview_hz"]:g} Hz (`{{"type":"preview","id":"box1",
  "props":{{"x":k,"y":40}}}}`, about 60 bytes) and commits {config["batch_hz"]:g} single-op update
  batches/s (about 100 bytes) for {config["steady_seconds"]:g} s. Delivery latency = reader receive -
  writer send (same clock, `perf_counter`); previews are keyed by the counter in `x` and timed at the
  first sighting (our server coalesces previews to 30 Hz, so up to 33 ms of its preview latency is by
  design); ack = the writer receiving its own batch back. Ack percentiles rest on only
  {int(config["steady_seconds"] * config["batch_hz"])} batches per run, so its p95 and p99 are about the
  maximum; delivery percentiles on that many times N.
- Saturation: {config["burst_writers"]} extra writer sockets each send {config["burst_per_writer"]}
  single-op batches back to back, all at once (inside our server's per-socket burst allowance of 60, so
  nothing is rate-limited), while the N readers count frames. Reader deliveries/s = batch frames received
  by the N readers / (last frame - first send). All-socket deliveries/s also counts the writers, who
  receive every batch too. The same burst is offered to every variant; "sat. delivered" is the share of
  the expected reader frames that arrived (a Channels relay on the in-memory layer drops messages once a
  consumer's queue holds 100). "sat. limited by" names the side that used at least 85% of a core (the
  client, the server process) or of the whole machine; a client-bound figure is a lower bound of what
  the server can do.
- RSS per connection: on the freshly started server, after one warm-up connection and before any load,
  (RSS with N + 1 idle welcomed sockets - RSS with none) / (N + 1), sockets added cumulatively for each N;
  measured before the load phases because a process reuses memory that busier phases freed. Includes
  child processes.
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
    for title, getters in TABLES:
        headers = ["variant", "N", *(label for label, _ in getters)]
        parts += [f"\n## {title}\n", _md_table(headers, _metric_rows(results, getters))]
    parts += ["\n## Per run\n", _md_table(DETAIL_HEADERS, _details(results))]
    cost_rows, welcome_rows = _extras(results)
    if cost_rows:
        parts += [
            f"\n## Update cost, send -> own ack (ms), {_sizes(results)}\n",
            _md_table(COST_HEADERS, cost_rows),
        ]
    if welcome_rows:
        parts += ["\n## Connect -> welcome on the history board\n", _md_table(WELCOME_HEADERS, welcome_rows)]
    if per_rows := _per_process_rows(results):
        parts += ["\n## Boards per process and the durable-write floor\n", _md_table(PER_HEADERS, per_rows)]
    errors = [f"- {line}" for line in _problems(results, brief=True)]
    if errors:
        parts += ["\n## Errors\n", *errors]
    parts.append("\n" + _method(results))
    return "\n".join(parts) + "\n"
