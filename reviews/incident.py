"""Incident drill: what a board's system shows when one component hides a fault.

Plain Python over the materialised elements, no Django and no I/O, like
`reviews.drill`, whose graph and rules it reuses. docs/protocol.md ("Incident")
is the contract; in short:

- The **fault** is one component and a kind (`down`, `slow`, `errors`,
  `saturated`, `bad_deploy`). It starts at minute 0, the minute the incident
  opened; minutes are counted from there (the last 30 are observable).
- The faulty component shows its kind's signature; **callers along
  dependencies** (the drill's: sync arrows not out of a queue) inherit its
  errors and latency, breadth-first; a `load_balancer` averages over its
  callees (so it routes around one that is down, as the drill says), a caller
  of a failing `cache` that can still reach a data store falls back to it
  (slower, no errors), and a `queue` whose consumer is affected grows a backlog
  instead of failing its producers. Anything else stays normal.
- Healthy numbers are a baseline per component plus noise, both drawn from a
  hash of (seed, component, minute, metric): the same board, fault, actions and
  minute always give the same bytes.
- Actions (`act`) may fix or relieve the fault from some minute on
  (`remedy`); everything else they do is nothing.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reviews import drill
from reviews.fields import body, choice, fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys
from whiteboard.roles import Actor
from whiteboard.vocabulary import FAULT_KINDS, INCIDENT_ACTIONS, INCIDENT_SIGNALS

KINDS = FAULT_KINDS
SIGNALS = INCIDENT_SIGNALS
ACTIONS = INCIDENT_ACTIONS
WINDOW = 30  # minutes of metrics series
CHANGE_CODE_MINUTES = 15  # a code change is a deploy: it lands this many minutes later
NOTICEABLE_ERRORS = 0.02
NOTICEABLE_LATENCY = 1.5  # times the baseline p99

Element = Mapping[str, Any]


@dataclass(frozen=True)
class Fault:
    target: str
    kind: str


@dataclass(frozen=True)
class Action:
    target: str
    action: str
    minute: int


@dataclass(frozen=True)
class Incident:
    """Everything an observation depends on besides the board's elements."""

    seed: str  # the board id: noise differs between boards, never between runs
    fault: Fault
    opened_at: datetime
    actions: tuple[Action, ...] = ()


@dataclass
class Effect:
    """How a fault shows on one component while it is active."""

    cause: str  # a fault kind on the target; upstream, refused, routed, fallback, backlog elsewhere
    errors: float = 0.0  # added error rate
    latency: float = 0.0  # added p99, ms
    saturation: float | None = None  # saturation replaced
    load: float = 1.0  # factor on requests
    via: int | None = None  # the callee it came from


# -- Noise ---------------------------------------------------------------------------------------------------


def _unit(*parts: Any) -> float:
    """A number in [0, 1) from a hash of the parts: the only randomness there is."""
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


BASE_LATENCY = {
    "client": (250, 500),
    "service": (40, 140),
    "worker": (80, 300),
    "database": (8, 35),
    "storage": (20, 60),
    "cache": (1, 4),
    "queue": (3, 10),
    "load_balancer": (3, 12),
    "cdn": (10, 40),
    "search": (20, 80),
    "external": (150, 400),
    "monitoring": (5, 20),
}


@dataclass(frozen=True)
class Baseline:
    requests: float
    errors: float
    latency: float
    saturation: float


def baseline(seed: str, component: str, kind: str) -> Baseline:
    low, high = BASE_LATENCY.get(kind, (30, 120))
    return Baseline(
        requests=round(50 + 1150 * _unit(seed, component, "rps"), 1),
        errors=0.001 + 0.004 * _unit(seed, component, "err"),
        latency=low + (high - low) * _unit(seed, component, "lat"),
        saturation=0.15 + 0.4 * _unit(seed, component, "sat"),
    )


# -- Propagation ---------------------------------------------------------------------------------------------

SIGNATURE = {
    "down": Effect("down", load=0.0),
    "slow": Effect("slow", errors=0.03, latency=2400),
    "errors": Effect("errors", errors=0.32),
    "saturated": Effect("saturated", errors=0.15, latency=1800, saturation=0.97),
    "bad_deploy": Effect("bad_deploy", errors=0.45, latency=60),
}


def _seen(effect: Effect) -> tuple[float, float]:
    """What a caller gets from a callee with this effect: (error rate, added latency)."""
    if effect.cause == "down":
        return 1.0, 0.0
    if effect.cause in ("routed", "fallback", "backlog"):
        return 0.0, 0.0  # softened where it happened
    timeouts = 0.08 if effect.latency >= 2000 else 0.0
    return min(1.0, effect.errors + timeouts), effect.latency


def _noticeable(errors: float, latency: float) -> bool:
    return errors >= NOTICEABLE_ERRORS or latency >= 200


def effects(graph: drill.Graph, fault: Fault) -> dict[int, Effect]:
    """The effect of `fault` on every component it reaches (absent: normal), breadth-first from the target."""
    target = graph.index.get(fault.target)
    if target is None:
        return {}
    found: dict[int, Effect] = {target: SIGNATURE[fault.kind]}
    lost, _ = drill.propagate(graph, target) if fault.kind == "down" else (bytearray(len(graph)), {})
    order = deque([target])
    while order:
        callee = order.popleft()
        # A queue whose consumer is affected keeps the messages: a backlog, and it goes no further.
        for queue in graph.pred[callee]:
            if graph.types[queue] == "queue" and queue not in found and found[callee].cause != "backlog":
                found[queue] = Effect("backlog", latency=0.0, saturation=0.92, via=callee)
        if found[callee].cause in ("routed", "fallback", "backlog"):
            continue
        for caller in graph.dep_pred[callee]:
            if caller in found:
                continue
            effect = _inherit(graph, caller, callee, found, lost)
            if effect is None:
                continue
            found[caller] = effect
            order.append(caller)
    return found


def _inherit(graph: drill.Graph, caller: int, callee: int, found: dict[int, Effect], lost: bytearray) -> Effect | None:
    if graph.types[caller] == "load_balancer":
        callees = graph.dep_succ[caller]
        seen = [_seen(found[c]) if c in found else (0.0, 0.0) for c in callees]
        errors = sum(s[0] for s in seen) / len(callees)
        latency = sum(s[1] for s in seen) / len(callees)
        if found[callee].cause == "down" and len(callees) > 1 and errors < 1.0:
            # Health checks take the dead backend out: a few failed requests, then nothing.
            return Effect("routed", errors=0.004, latency=5, via=callee)
        if not _noticeable(errors, latency):
            return None
        return Effect("upstream", errors=errors, latency=latency, via=callee)
    if graph.types[callee] == "cache" and found[callee].cause in ("down", "errors", "saturated", "slow", "bad_deploy"):
        dead = bytearray(lost)
        dead[callee] = 1
        if drill._can_reach_store(graph, dead)[caller]:
            return Effect("fallback", latency=120, via=callee)
    errors, latency = _seen(found[callee])
    if not _noticeable(errors, latency):
        return None
    return Effect(
        "refused" if found[callee].cause == "down" else "upstream", errors=errors, latency=latency, via=callee
    )


def blast_radius(graph: drill.Graph, target: str) -> list[str]:
    """The drill's blast radius of a failure of `target`: it, what it takes down and what it degrades (ids, sorted)."""
    node = graph.index.get(target)
    if node is None:
        return []
    result = drill.run_drill(graph, node)
    return sorted(graph.ids[v] for v in {node, *result.lost, *result.degraded})


# -- Time and actions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remedy:
    effect: str  # fixed | relieved | none
    start: int | None = None
    end: int | None = None  # exclusive; None: for good
    text: str = ""


def remedy(fault: Fault, action: Action, name: str) -> Remedy:
    """What one action does to the fault (docs/protocol.md, "act")."""
    at = action.minute
    if action.target != fault.target:
        if action.action == "change_code":
            return Remedy(
                "none",
                text=f"A code change to {name} deploys in {CHANGE_CODE_MINUTES} minutes; nothing there is broken.",
            )
        return Remedy("none", text=f"{_done(action.action)} {name}; nothing changed.")
    kind, act = fault.kind, action.action
    if act == "rollback" and kind == "bad_deploy":
        return Remedy(
            "fixed", at + 2, None, f"Rolled {name} back to the previous version; errors stop within 2 minutes."
        )
    if act == "restart" and kind == "saturated":
        return Remedy(
            "relieved", at + 1, at + 11, f"Restarted {name}; it recovers for about 10 minutes, then saturates again."
        )
    if act == "restart" and kind == "down":
        return Remedy("relieved", at + 1, at + 4, f"Restarted {name}; it serves for a few minutes, then stops again.")
    if act == "scale_up" and kind in ("saturated", "slow"):
        return Remedy("fixed", at + 3, None, f"Scaled {name} up; the new capacity takes over within 3 minutes.")
    if act == "failover" and kind in ("down", "slow"):
        return Remedy("fixed", at + 1, None, f"Failed {name} over to its standby; it serves again in a minute.")
    if act == "disable_feature" and kind in ("errors", "bad_deploy"):
        return Remedy("fixed", at + 1, None, f"Turned the failing feature of {name} off; its errors stop.")
    if act == "change_code" and kind in ("errors", "bad_deploy", "slow"):
        return Remedy(
            "fixed", at + CHANGE_CODE_MINUTES, None, f"A fix to {name} deploys in {CHANGE_CODE_MINUTES} minutes."
        )
    if act == "change_code":
        return Remedy(
            "none", text=f"A code change to {name} will deploy in {CHANGE_CODE_MINUTES} minutes; it does not help."
        )
    return Remedy("none", text=f"{_done(act)} {name}; nothing changed.")


def _done(action: str) -> str:
    return {
        "restart": "Restarted",
        "rollback": "Rolled back",
        "scale_up": "Scaled up",
        "failover": "Failed over",
        "change_code": "Changed the code of",
        "disable_feature": "Disabled a feature of",
    }[action]


def active(incident: Incident, minute: int) -> bool:
    """Whether the fault shows at `minute`: from minute 0 on, unless an earlier action fixed or relieved it."""
    if minute < 0:
        return False
    for action in incident.actions:
        if action.minute >= minute:
            continue
        cure = remedy(incident.fault, action, "")
        if (
            cure.effect != "none"
            and cure.start is not None
            and cure.start <= minute
            and (cure.end is None or minute < cure.end)
        ):
            return False
    return True


# -- Observations --------------------------------------------------------------------------------------------


@dataclass
class Board:
    """A board's graph with the fault's effects, ready to answer observations."""

    graph: drill.Graph
    incident: Incident
    found: dict[int, Effect] = field(default_factory=dict)

    @classmethod
    def build(cls, elements: Iterable[Element], incident: Incident) -> Board:
        graph = drill.Graph.build(elements)
        return cls(graph=graph, incident=incident, found=effects(graph, incident.fault))

    def node(self, target: str) -> int | None:
        return self.graph.index.get(target)

    def abnormal(self, target: str, minute: int) -> bool:
        node = self.node(target)
        return (
            node is not None
            and node in self.found
            and active(self.incident, minute)
            and self.found[node].cause not in ("routed",)
        )

    def metric(self, node: int, minute: int) -> dict[str, Any]:
        seed, cid = self.incident.seed, self.graph.ids[node]
        base = baseline(seed, cid, self.graph.types[node])

        def jitter(name: str, spread: float) -> float:
            return 1 + spread * (2 * _unit(seed, cid, minute, name) - 1)

        requests = base.requests * jitter("rps", 0.05)
        errors = base.errors * jitter("err", 0.5)
        latency = base.latency * jitter("lat", 0.08)
        saturation = base.saturation * jitter("sat", 0.06)
        effect = self.found.get(node)
        if effect is not None and active(self.incident, minute):
            since = minute - self._onset(minute)
            ramp = min(1.0, (since + 1) / 3) if effect.cause == "saturated" else 1.0
            requests *= effect.load
            if effect.load == 0:
                errors = latency = saturation = 0.0
            errors = min(1.0, errors + effect.errors * ramp)
            latency += effect.latency * ramp
            if effect.saturation is not None:
                saturation = min(1.0, max(saturation, effect.saturation * jitter("sat2", 0.02)))
            if effect.cause == "backlog":
                latency += 60_000 * (since + 1)  # the oldest message's age
        return {
            "requests_per_s": round(requests, 1),
            "error_rate": round(min(1.0, errors), 4),
            "latency_p99_ms": round(latency, 1),
            "saturation": round(min(1.0, saturation), 3),
        }

    def _onset(self, minute: int) -> int:
        """The first minute of the stretch of activity `minute` is in (0, or when a relief wore off)."""
        start = minute
        while start > 0 and active(self.incident, start - 1):
            start -= 1
        return start

    def observe(self, target: str, signal: str, minute: int) -> dict[str, Any]:
        node = self.node(target)
        if node is None:
            return {}
        return {
            "metrics": self.metrics,
            "logs": self.logs,
            "traces": self.traces,
            "deploys": self.deploys,
        }[signal](node, minute)

    def metrics(self, node: int, minute: int) -> dict[str, Any]:
        series = [{"minute": m, **self.metric(node, m)} for m in range(minute - WINDOW + 1, minute + 1)]
        return {"before": self.metric(node, -1), "now": self.metric(node, minute), "series": series}

    def _at(self, minute: int, second: int) -> str:
        moment = self.incident.opened_at + timedelta(minutes=minute, seconds=second)
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def _name(self, node: int | None) -> str:
        return "?" if node is None else self.graph.name(node)

    def logs(self, node: int, minute: int) -> dict[str, Any]:
        seed, cid = self.incident.seed, self.graph.ids[node]
        lines = []
        for m in range(minute - 4, minute + 1):
            second = int(60 * _unit(seed, cid, m, "log"))
            effect = self.found.get(node) if active(self.incident, m) else None
            level, text = self._line(node, effect, m)
            if text:
                lines.append({"at": self._at(m, second), "level": level, "text": text})
        return {"lines": lines}

    def _line(self, node: int, effect: Effect | None, minute: int) -> tuple[str, str]:
        kind = self.graph.types[node]
        n = int(1000 * _unit(self.incident.seed, self.graph.ids[node], minute, "n"))
        if effect is None:
            healthy = {
                "database": f"checkpoint complete: wrote {200 + n} buffers",
                "cache": f"keyspace hits={9000 + n} misses={n // 10}",
                "queue": f"depth {n // 20} messages, consumers keeping up",
                "worker": f"processed {100 + n} jobs in the last minute",
                "load_balancer": f"all backends healthy; {1000 + n} requests",
                "client": f"page loads ok ({200 + n // 5} ms median)",
            }
            return "INFO", healthy.get(kind, f"GET /health 200 in {2 + n % 9} ms; {500 + n} requests served")
        callee = self._name(effect.via)
        cause = effect.cause
        if cause == "down":
            return ("FATAL", "out of memory: process killed") if minute == 0 else ("", "")
        if cause == "slow":
            if kind in drill.DATA_STORES:
                return "WARN", f"slow query {2400 + n} ms: SELECT * FROM orders WHERE customer_id = $1"
            return "WARN", f"request took {2.4 + n / 1000:.1f} s (p99 budget 300 ms)"
        if cause == "errors":
            return "ERROR", f"unhandled exception: KeyError 'currency' (request {n:04x}) -> HTTP 500"
        if cause == "saturated":
            return "WARN", f"connection pool exhausted ({100}/{100} in use), {n // 10} requests waiting"
        if cause == "bad_deploy":
            return "ERROR", f"after deploy {self._version(node, 'bad')}: TypeError in handler -> HTTP 500"
        if cause == "refused":
            return "ERROR", f"upstream connect error to {callee}: connection refused"
        if cause == "routed":
            return "WARN", f"backend {callee} failed health checks; routing to the others"
        if cause == "fallback":
            return "WARN", f"cache {callee} unavailable; reading through to the database"
        if cause == "backlog":
            return "WARN", f"queue depth {40_000 + 9_000 * max(minute, 0) + n} and rising; consumer {callee} is behind"
        if kind == "worker":
            return "WARN", f"job failed, retrying (attempt {1 + n % 5}/5): upstream {callee} is failing"
        if effect.errors >= 0.5:
            return "ERROR", f"upstream 503 from {callee}"
        if effect.latency >= 2000:
            return "ERROR", f"upstream {callee} timed out after 2000 ms"
        return "WARN", f"upstream {callee} errors: HTTP 500 from {callee}"

    def traces(self, node: int, minute: int) -> dict[str, Any]:
        """One request through the component: from an entry point to it, then down the worst callee to the end."""
        graph = self.graph
        entries = [e for e in graph.entries if e in self._reaching(node)]
        path = _dep_path(graph, entries[0], node) if entries else [node]
        now = active(self.incident, minute)
        cursor, seen = node, set(path)
        while len(path) < 8:
            callees = [c for c in graph.dep_succ[cursor] if c not in seen]
            if not callees:
                break
            hurt = [c for c in callees if now and c in self.found and self.found[c].cause not in ("routed", "backlog")]
            cursor = hurt[0] if hurt else callees[0]
            path.append(cursor)
            seen.add(cursor)
            if graph.types[cursor] == "load_balancer" and not hurt:
                continue
        hops: list[dict[str, Any]] = []
        failed = False
        for node_at in path:
            effect = self.found.get(node_at) if now else None
            own = self.metric(node_at, minute)["latency_p99_ms"] * 0.4
            status = "ok"
            if effect is not None and effect.cause == "down":
                status, own = "refused", 1.0
            elif effect is not None and effect.cause in (*KINDS, "upstream", "refused") and node_at == path[-1]:
                status = "timeout" if effect.latency >= 2000 else ("error" if effect.errors >= 0.1 else "ok")
            hops.append(
                {"component": graph.ids[node_at], "name": graph.name(node_at), "ms": round(own, 1), "status": status}
            )
            if status in ("refused", "timeout", "error"):
                failed = True
                break
        # A caller waits for what it called: its time includes the hops below it.
        total = 0.0
        for hop in reversed(hops):
            total += hop["ms"]
            hop["ms"] = round(total, 1)
        for hop in hops[:-1]:
            if failed:
                hop["status"] = "error"
        return {"at": self._at(minute, 30), "status": "error" if failed else "ok", "hops": hops}

    def _reaching(self, node: int) -> set[int]:
        """Components with a dependency path to `node`."""
        seen, todo = {node}, [node]
        while todo:
            for caller in self.graph.dep_pred[todo.pop()]:
                if caller not in seen:
                    seen.add(caller)
                    todo.append(caller)
        return seen

    def _version(self, node: int, which: str) -> str:
        seed, cid = self.incident.seed, self.graph.ids[node]
        major, minor = 1 + int(4 * _unit(seed, cid, "major")), int(40 * _unit(seed, cid, "minor"))
        return (
            f"v{major}.{minor + (1 if which == 'bad' else 0)}.0"
            if which != "old"
            else f"v{major}.{minor - 1 if minor else 0}.3"
        )

    def deploys(self, node: int, minute: int) -> dict[str, Any]:
        """Recent deploys, newest first: a decoy or two anywhere, the guilty one on a `bad_deploy` target."""
        seed, cid, graph = self.incident.seed, self.graph.ids[node], self.graph
        listed: list[tuple[int, int, dict[str, Any]]] = []
        if graph.types[node] in ("service", "worker", "client", "cdn", "search", "load_balancer"):
            days = 1 + int(6 * _unit(seed, cid, "old"))
            listed.append(
                (
                    -days * 1440,
                    int(60 * _unit(seed, cid, "old-s")),
                    {"version": self._version(node, "good"), "by": "release pipeline"},
                )
            )
            if _unit(seed, cid, "decoy") < 0.6:  # a recent deploy that is not the cause
                at = -3 - int(40 * _unit(seed, cid, "decoy-at"))
                listed.append(
                    (
                        at,
                        int(60 * _unit(seed, cid, "decoy-s")),
                        {"version": f"{self._version(node, 'good')}-config", "by": "config push"},
                    )
                )
        fault = self.incident.fault
        if fault.kind == "bad_deploy" and fault.target == cid:
            listed.append((-1, 20, {"version": self._version(node, "bad"), "by": "release pipeline"}))
        for action in self.incident.actions:
            if action.target == cid and action.action in ("change_code", "rollback"):
                lands = action.minute + (CHANGE_CODE_MINUTES if action.action == "change_code" else 2)
                if lands <= minute:
                    version = "hotfix" if action.action == "change_code" else self._version(node, "good")
                    listed.append((lands, 0, {"version": version, "by": "you"}))
        listed.sort(key=lambda d: (d[0], d[1]), reverse=True)
        return {"deploys": [{"at": self._at(m, s), "minute": m, **d} for m, s, d in listed if m <= minute][:5]}


def _dep_path(graph: drill.Graph, source: int, target: int) -> list[int]:
    parent = {source: source}
    todo = deque([source])
    while todo:
        node = todo.popleft()
        if node == target:
            break
        for nxt in graph.dep_succ[node]:
            if nxt not in parent:
                parent[nxt] = node
                todo.append(nxt)
    if target not in parent:
        return [target]
    path = [target]
    while path[-1] != source:
        path.append(parent[path[-1]])
    return path[::-1]


def minute_of(opened_at: datetime, now: datetime) -> int:
    return int((now - opened_at).total_seconds() // 60)


def observe(elements: Sequence[Element], incident: Incident, target: str, signal: str, minute: int) -> dict[str, Any]:
    """The result of an `inspect` op: a pure function of the board, the incident and the minute."""
    return Board.build(elements, incident).observe(target, signal, minute)


# -- The ops -----------------------------------------------------------------------------------------------------

NAMES = frozenset({"fault", "incident", "inspect", "act", "hypothesis"})
RUNNERS = vocabulary.holders("run_incident")  # hide the fault, open and close
INVESTIGATORS = vocabulary.holders("investigate")  # inspect, act, hypothesise
MAX_RADIUS = vocabulary.LIMITS["selection"]


def parse_op(raw: dict[str, Any], path: str) -> dict[str, Any]:
    """Check one incident op on its own; what the server adds (`result`, `root_cause`, `minute`) no client sends."""
    name = raw["op"]
    if name == "fault":
        only_keys(raw, ["op", "fault"], path)
        required(raw, ["fault"], path)
        fault = expect_object(raw["fault"], f"{path}.fault")
        only_keys(fault, ["target", "kind"], f"{path}.fault")
        required(fault, ["target", "kind"], f"{path}.fault")
        return {
            "op": name,
            "fault": {
                "target": check_id(fault["target"], f"{path}.fault.target"),
                "kind": choice(fault["kind"], KINDS, f"{path}.fault.kind"),
            },
        }
    if name == "incident":
        required(raw, ["action"], path)
        action = choice(raw["action"], ("open", "close"), f"{path}.action")
        if action == "close":
            only_keys(raw, ["op", "action"], path)
            return {"op": name, "action": action}
        only_keys(raw, ["op", "action", "symptom", "entry"], path)
        required(raw, ["symptom"], path)
        op: dict[str, Any] = {"op": name, "action": action, "symptom": body(raw["symptom"], f"{path}.symptom")}
        if "entry" in raw:
            op["entry"] = check_id(raw["entry"], f"{path}.entry")
        return op
    if name == "inspect":
        only_keys(raw, ["op", "target", "signal"], path)
        required(raw, ["target", "signal"], path)
        return {
            "op": name,
            "target": check_id(raw["target"], f"{path}.target"),
            "signal": choice(raw["signal"], SIGNALS, f"{path}.signal"),
        }
    if name == "act":
        only_keys(raw, ["op", "target", "action"], path)
        required(raw, ["target", "action"], path)
        return {
            "op": name,
            "target": check_id(raw["target"], f"{path}.target"),
            "action": choice(raw["action"], ACTIONS, f"{path}.action"),
        }
    only_keys(raw, ["op", "id", "suspect", "kind", "blast_radius", "text"], path)
    required(raw, ["id", "suspect", "text"], path)
    radius = raw.get("blast_radius", [])
    if not isinstance(radius, list) or len(radius) > MAX_RADIUS:
        raise fail(f"{path}.blast_radius", f"A blast radius is a list of at most {MAX_RADIUS} component ids.")
    ids = [check_id(item, f"{path}.blast_radius[{i}]") for i, item in enumerate(radius)]
    if len(set(ids)) != len(ids):
        raise fail(f"{path}.blast_radius", "Each component may be named once.")
    op = {
        "op": name,
        "id": check_id(raw["id"], f"{path}.id"),
        "suspect": check_id(raw["suspect"], f"{path}.suspect"),
        "blast_radius": ids,
        "text": body(raw["text"], f"{path}.text"),
    }
    if "kind" in raw:
        op["kind"] = choice(raw["kind"], KINDS, f"{path}.kind")
    return op


@dataclass(frozen=True)
class State:
    """An incident board's drill as the rules see it (the fault is the private part)."""

    status: str = "none"  # none | open | closed
    fault: Fault | None = None
    symptom: str = ""
    entry: str = ""
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Applied:
    state: State
    ops: list[dict[str, Any]]
    private: bool


def _forbid(message: str) -> SyncError:
    return SyncError(ErrorCode.FORBIDDEN, message)


def _component(element: Callable[[str], Element | None], element_id: str, path: str) -> Element:
    found = element(element_id)
    if found is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No element with id '{element_id}' on this board.", path)
    if found.get("kind") != "component":
        raise fail(path, f"'{element_id}' is not a component.")
    return found


def default_entry(graph: drill.Graph, target: str) -> str:
    """Where users meet the symptom: the first entry point that reaches the fault, else the first entry point."""
    node = graph.index.get(target)
    entries = graph.entries
    for entry in entries:
        if node is not None and node in graph.reach.get(entry, []):
            return graph.ids[entry]
    return graph.ids[entries[0]] if entries else ""


def apply_ops(
    state: State,
    actor: Actor,
    ops: Iterable[tuple[int, dict[str, Any]]],
    element: Callable[[str], Element | None],
    elements: Callable[[], list[Element]],
    *,
    seed: str,
    at: datetime,
) -> Applied:
    """Check incident ops in order against the state and the board; return the stored ops (with results)."""
    stored: list[dict[str, Any]] = []
    private = public = False
    for i, op in ops:
        path = f"ops[{i}]"
        name = op["op"]
        if name in ("fault", "incident") and actor.role not in RUNNERS:
            raise _forbid(
                f"A {actor.role} cannot {'hide a fault' if name == 'fault' else 'open or close the incident'}."
            )
        if name in ("inspect", "act", "hypothesis") and actor.role not in INVESTIGATORS:
            raise _forbid(f"A {actor.role} cannot take part in the investigation.")
        if name == "fault":
            target = op["fault"]["target"]
            _component(element, target, f"{path}.fault.target")
            state = replace(state, fault=Fault(target, op["fault"]["kind"]))
            private = True
            stored.append({**op, "blast_radius": blast_radius(drill.Graph.build(elements()), target)})
            continue
        public = True
        if name == "incident" and op["action"] == "open":
            if state.status == "open":
                raise fail(f"{path}.action", "The incident is open already.")
            if state.fault is None:
                raise fail(f"{path}.action", "Hide a fault first: an incident needs something to find.")
            entry = op.get("entry")
            if entry is not None:
                _component(element, entry, f"{path}.entry")
            else:
                entry = default_entry(drill.Graph.build(elements()), state.fault.target)
            state = State(status="open", fault=state.fault, symptom=op["symptom"], entry=entry, opened_at=at)
            stored.append({**op, "entry": entry})
            continue
        if state.status != "open" or state.opened_at is None or state.fault is None:
            raise fail(f"{path}.op", "No incident is open.")
        fault, opened_at = state.fault, state.opened_at
        minute = minute_of(opened_at, at)
        if name == "incident":
            state = replace(state, status="closed", closed_at=at)
            root = {"target": fault.target, "kind": fault.kind}
            stored.append({**op, "root_cause": root, "minute": minute})
            continue
        if name == "hypothesis":
            _component(element, op["suspect"], f"{path}.suspect")
            for j, item in enumerate(op["blast_radius"]):
                _component(element, item, f"{path}.blast_radius[{j}]")
            stored.append({**op, "minute": minute})
            continue
        target = _component(element, op["target"], f"{path}.target")
        name_of = str(target.get("label") or "").strip() or op["target"]
        if name == "act":
            action = Action(op["target"], op["action"], minute)
            cure = remedy(fault, action, name_of)
            state = replace(state, actions=(*state.actions, action))
            result: dict[str, Any] = {"effect": cure.effect, "text": cure.text}
            if cure.start is not None:
                result["from_minute"] = cure.start
            if cure.end is not None:
                result["until_minute"] = cure.end
            stored.append({**op, "minute": minute, "result": result})
            continue
        incident = Incident(seed, fault, opened_at, state.actions)
        stored.append(
            {**op, "minute": minute, "result": observe(elements(), incident, op["target"], op["signal"], minute)}
        )
    if private and public:
        raise fail("ops", "A fault travels in a batch of its own: it is private.")
    return Applied(state=state, ops=stored, private=private)


# -- Signals -----------------------------------------------------------------------------------------------------

SIGNAL_NAMES = (
    "observations_before_first_action",
    "first_move",
    "changed_code_before_evidence",
    "inspected",
    "systematic_share",
    "root_cause_found",
    "seconds_to_root_cause",
    "blast_radius",
    "harmful_actions",
)
RECENT_DEPLOY = -2  # a deploy this many minutes before the incident opened, or later, is evidence


def abnormal(op: Mapping[str, Any]) -> bool:
    """Whether a stored `inspect` op's result showed its component abnormal (docs/protocol.md, "Incident signals")."""
    result, signal = op.get("result") or {}, op.get("signal")
    if signal == "metrics":
        now, before = result["now"], result["before"]
        return bool(
            now["error_rate"] >= NOTICEABLE_ERRORS
            or now["latency_p99_ms"] >= NOTICEABLE_LATENCY * max(before["latency_p99_ms"], 1.0)
            or now["saturation"] >= 0.85
            or (now["requests_per_s"] == 0 and before["requests_per_s"] > 0)
        )
    if signal == "logs":
        return any(line["level"] in ("WARN", "ERROR", "FATAL") for line in result["lines"]) or not result["lines"]
    if signal == "traces":
        return bool(result["status"] != "ok")
    if signal == "deploys":
        return any(d["minute"] >= RECENT_DEPLOY for d in result["deploys"])
    return False


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def signals(
    batches: Iterable[Mapping[str, Any]],
    roles: Mapping[str, str],
    fault: Fault | None,
    elements: Iterable[Element],
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The incident signals of the last incident in a public log: (values, evidence by signal name).

    `batches`: the public stream's stored batch messages in seq order (`at` a datetime); `roles`: participant
    id -> role (only candidates' inspect, act and hypothesis ops count); `fault`: the one hidden now (the close
    op's root cause once closed); `elements`: the board as it stands, for adjacency and the blast radius.
    """
    opened: tuple[int, datetime, str] | None = None
    moves: list[tuple[int, datetime, dict[str, Any]]] = []
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] == "incident" and op["action"] == "open":
                opened, moves = (batch["seq"], batch["at"], op.get("entry", "")), []
            elif op["op"] in ("inspect", "act", "hypothesis") and roles.get(batch["participant"]) == "candidate":
                moves.append((batch["seq"], batch["at"], op))
    graph = drill.Graph.build(elements)
    values: dict[str, Any] = {}
    evidence: dict[str, list[dict[str, Any]]] = {name: [] for name in SIGNAL_NAMES}

    def link(seq: int, target: str | None = None) -> dict[str, Any]:
        return {"type": "element", "id": target, "seq": seq} if target else {"type": "seq", "seq": seq}

    inspections = [(seq, at, op) for seq, at, op in moves if op["op"] == "inspect"]
    actions = [(seq, at, op) for seq, at, op in moves if op["op"] == "act"]
    first_act = actions[0][0] if actions else None
    before_act = [m for m in inspections if first_act is None or m[0] < first_act]
    values["observations_before_first_action"] = len(before_act)
    evidence["observations_before_first_action"] = [link(seq, op["target"]) for seq, _, op in before_act]
    first = next((m for m in moves if m[2]["op"] in ("inspect", "act")), None)
    values["first_move"] = None if first is None else ("observe" if first[2]["op"] == "inspect" else "act")
    evidence["first_move"] = [] if first is None else [link(first[0], first[2]["target"])]

    seen_abnormal: dict[str, int] = {}  # component -> seq of the first observation showing it abnormal
    systematic = 0
    entry = opened[2] if opened else ""
    neighbours = {graph.ids[v]: {graph.ids[w] for w in (*graph.succ[v], *graph.pred[v])} for v in range(len(graph))}
    inspected: list[str] = []
    for seq, _, op in inspections:
        target = op["target"]
        near = {entry, *neighbours.get(entry, ())} | {n for s in seen_abnormal for n in neighbours.get(s, ())}
        if target in near:
            systematic += 1
            evidence["systematic_share"].append(link(seq, target))
        if abnormal(op) and target not in seen_abnormal:
            seen_abnormal[target] = seq
        if target not in inspected:
            inspected.append(target)
            evidence["inspected"].append(link(seq, target))
    values["inspected"] = inspected
    values["systematic_share"] = _ratio(systematic, len(inspections))

    reckless = [
        (seq, op)
        for seq, _, op in actions
        if op["action"] == "change_code" and not (op["target"] in seen_abnormal and seen_abnormal[op["target"]] < seq)
    ]
    values["changed_code_before_evidence"] = bool(reckless)
    evidence["changed_code_before_evidence"] = [link(seq, op["target"]) for seq, op in reckless]

    hypotheses = [(seq, at, op) for seq, at, op in moves if op["op"] == "hypothesis"]
    found = next((h for h in hypotheses if fault is not None and h[2]["suspect"] == fault.target), None)
    values["root_cause_found"] = found is not None
    values["seconds_to_root_cause"] = (
        round((found[1] - opened[1]).total_seconds(), 3) if found is not None and opened is not None else None
    )
    if found is not None and fault is not None:
        evidence["root_cause_found"] = [link(found[0], found[2]["suspect"])]
        evidence["seconds_to_root_cause"] = [*([link(opened[0])] if opened else []), link(found[0], fault.target)]

    truth = set(blast_radius(graph, fault.target)) if fault is not None else set()
    last = next((h for h in reversed(hypotheses) if h[2]["blast_radius"]), None)
    if last is None or not truth:
        values["blast_radius"] = {"precision": None, "recall": None}
    else:
        named = set(last[2]["blast_radius"])
        values["blast_radius"] = {
            "precision": _ratio(len(named & truth), len(named)),
            "recall": _ratio(len(named & truth), len(truth)),
        }
        evidence["blast_radius"] = [link(last[0])]

    hurt = effects(graph, fault) if fault is not None else {}
    sick = {graph.ids[v] for v, effect in hurt.items() if effect.cause != "routed"}
    harmful = [(seq, op) for seq, _, op in actions if op["target"] not in sick]
    values["harmful_actions"] = len(harmful)
    evidence["harmful_actions"] = [link(seq, op["target"]) for seq, op in harmful]
    return values, {f"incident.{name}": links for name, links in evidence.items()}
