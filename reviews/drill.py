"""Failure drill: what a board's typed graph says about a component going down.

Plain Python over the materialised elements, no Django and no I/O, like
`whiteboard.ops`. docs/protocol.md ("Failure drill") is the contract; in short:

- Components are nodes, arrows directed edges (caller -> callee, producer ->
  queue -> consumer). A **dependency** is a `sync` arrow whose source is not a
  `queue`: failure travels backwards along dependencies only.
- **Lost** (loses function): the failed component, and every component with a
  dependency on a lost one, except that a `load_balancer` is lost only when
  every component it depends on is, and a caller of a lost `cache` is lost
  only when it has no dependency path, avoiding lost components, to a
  `database` or `storage` (its fallback). **Degraded**: not lost, but with an
  arrow path to a lost component (async calls, queues buffering, a cache
  fallback, a load balancer routing around).
- **Entry points**: the `client` components; on a board without clients, the
  components with no incoming arrow and at least one outgoing arrow.
  **Data stores**: `database` and `storage` (caches and search indexes are
  copies). An entry point is **cut** when some data store it reaches along
  arrows on the intact board is unreachable once lost components are removed.
- **Timeout and fallback**: a caller whose synchronous calls to a lost component all have a
  `timeout_ms` does not hang on it. It *falls back* when it has another dependency of the same
  component type that is not lost (a second provider, a standby, another replica set drawn as
  its own box): then it is degraded, not lost. Without such a fallback it is still lost (it
  fails fast instead of hanging). For a lost `cache` both rules apply: the timeout's fallback
  first, then the cache's own (a path to a data store).
- **Single point of failure**: a component with one replica whose failure cuts
  some other entry point; ranked by entry points cut, then data stores cut,
  then components lost.
- **A frame fails** (a region, an availability zone going down): every
  component whose `frame` names it fails at once, replicas and all; the rules
  above run from all of them together, so the blast radius is the union's.

Costs: a drill is a few breadth-first searches. The SPOF ranking needs the
lost set of every component and, per entry point, reachability with each of
those sets removed; both are computed for all components at once as bitsets
(one Python int per component, bit X set when the component is lost, or
unreachable, if X fails), so a 500-component board costs a few dataflow
passes rather than 500 drills (bench/drill.py, docs/performance.md).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reviews.annotations import KINDS as ANNOTATION_KINDS
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import ID_PATTERN
from whiteboard.vocabulary import LAYER_STREAMS

Element = Mapping[str, Any]

DATA_STORES = frozenset({"database", "storage"})
ENTRY_TYPE = "client"
PUBLIC_LAYERS = frozenset(layer for layer, stream in LAYER_STREAMS.items() if stream == "public")
MAX_SYNC_HOPS = 4
TOP_SPOF_PROBES = 3

LINT_CODES = (
    "cache_without_source",
    "deep_sync_chain",
    "sync_cycle",
    "unreplicated_shared_database",
    "queue_without_consumer",
    "unlabelled_arrow",
    "isolated_component",
    "retries_duplicate_writes",
)
PROBE_KINDS = ANNOTATION_KINDS  # a probe becomes an annotation as it is

# Ready questions per component type, asked of a component nobody challenged for failure yet.
FAILURE_QUESTIONS = {
    "service": "What happens when {name} goes down? What do its callers see, and how do they recover?",
    "worker": (
        "What happens when {name} crashes in the middle of a job? Is the work retried, and is it safe to run twice?"
    ),
    "database": "What happens when {name} goes down? Who can still read and write, and how do you fail over?",
    "storage": "What happens when {name} is unavailable? Is anything lost, and how do readers cope?",
    "cache": "What happens when {name} goes down or is flushed? Can the data store behind it take the full load?",
    "queue": "What happens when {name} goes down? Do producers block, drop or buffer messages, and is anything lost?",
    "load_balancer": "What happens when {name} fails? Is there a standby, and how does traffic find it?",
    "cdn": "What happens when {name} is down or serves stale content? Can the origin take the traffic?",
    "search": "What happens when {name} is down or behind? Can users still find things, and how is the index rebuilt?",
    "external": "What happens when {name} is down or slow? Timeouts, retries, a second provider?",
    "monitoring": "What happens when {name} is down? Would anyone notice the next outage, and who gets paged?",
}


def _fail(message: str) -> SyncError:
    return SyncError(ErrorCode.VALIDATION_ERROR, message, "fail")


# -- The graph ---------------------------------------------------------------------------------------------


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _postorder(succ: Sequence[Sequence[int]]) -> list[int]:
    """Every node after all it reaches first (exactly so on a DAG): the good order for backward dataflow."""
    seen = bytearray(len(succ))
    order: list[int] = []
    for root in range(len(succ)):
        if seen[root]:
            continue
        seen[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if not seen[child]:
                    seen[child] = 1
                    stack.append((child, iter(succ[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _sccs(succ: Sequence[Sequence[int]]) -> list[int]:
    """Strongly connected components (iterative Tarjan): the component number of every node."""
    n = len(succ)
    index, low, comp = [-1] * n, [0] * n, [-1] * n
    on_stack = bytearray(n)
    stack: list[int] = []
    counter = components = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [(root, iter(succ[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if index[child] == -1:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = 1
                    work.append((child, iter(succ[child])))
                    break
                if on_stack[child]:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack[member] = 0
                        comp[member] = components
                        if member == node:
                            break
                    components += 1
    return comp


@dataclass
class Graph:
    """Components indexed in id order, with arrows as sorted neighbour lists (so every answer is deterministic)."""

    ids: list[str]
    types: list[str]
    labels: list[str]
    replicas: list[int]
    kinds: dict[str, str]  # every element id on the board -> its kind
    frames: dict[str, tuple[str, list[int]]]  # frame id -> (its label, its member components)
    arrows: list[tuple[str, int, int, str, str]]  # (id, source, target, label, style), in id order
    succ: list[list[int]] = field(default_factory=list)  # any arrow
    pred: list[list[int]] = field(default_factory=list)
    dep_succ: list[list[int]] = field(default_factory=list)  # dependencies: sync arrows not out of a queue
    dep_pred: list[list[int]] = field(default_factory=list)
    sync_pairs: set[tuple[int, int]] = field(default_factory=set)  # (source, target) joined by a sync arrow
    # Dependencies whose every sync arrow has a timeout, with the longest of them (ms): see `_guards`.
    guarded: dict[tuple[int, int], int] = field(default_factory=dict)
    # Arrow id -> (retries, idempotent), for the arrows that retry at all.
    retrying: dict[str, tuple[int, bool]] = field(default_factory=dict)
    techs: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, elements: Iterable[Element]) -> Graph:
        elements = list(elements)
        components = sorted((e for e in elements if e.get("kind") == "component"), key=lambda e: e["id"])
        graph = cls(
            ids=[c["id"] for c in components],
            types=[c.get("type", "service") for c in components],
            labels=[str(c.get("label") or "").strip() for c in components],
            replicas=[int(c.get("replicas") or 1) for c in components],
            kinds={e["id"]: e.get("kind", "") for e in elements},
            frames={e["id"]: (str(e.get("label") or "").strip(), []) for e in elements if e.get("kind") == "frame"},
            arrows=[],
        )
        for node, component in enumerate(components):
            if component.get("frame") in graph.frames:
                graph.frames[component["frame"]][1].append(node)
        at = graph.index
        n = len(components)
        succ: list[set[int]] = [set() for _ in range(n)]
        dep: list[set[int]] = [set() for _ in range(n)]
        for arrow in sorted((e for e in elements if e.get("kind") == "arrow"), key=lambda e: e["id"]):
            source, target = at.get(arrow.get("source", "")), at.get(arrow.get("target", ""))
            if source is None or target is None or source == target:
                continue  # the server never stores such an arrow; a hand-built board might
            style = arrow.get("style", "sync")
            graph.arrows.append((arrow["id"], source, target, str(arrow.get("label") or ""), style))
            succ[source].add(target)
            if style == "sync":
                graph.sync_pairs.add((source, target))
                if graph.types[source] != "queue":
                    dep[source].add(target)
        graph.succ = [sorted(s) for s in succ]
        graph.dep_succ = [sorted(s) for s in dep]
        graph.guarded, graph.retrying = _guards(graph, elements)
        graph.techs = [str(c.get("tech") or "").strip() for c in components]
        graph.pred = [[] for _ in range(n)]
        graph.dep_pred = [[] for _ in range(n)]
        for source in range(n):
            for target in graph.succ[source]:
                graph.pred[target].append(source)
            for target in graph.dep_succ[source]:
                graph.dep_pred[target].append(source)
        return graph

    @cached_property
    def index(self) -> dict[str, int]:
        return {element_id: i for i, element_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def name(self, node: int) -> str:
        return self.labels[node] or self.ids[node]

    def is_store(self, node: int) -> bool:
        return self.types[node] in DATA_STORES

    @cached_property
    def stores(self) -> list[int]:
        return [v for v in range(len(self)) if self.is_store(v)]

    @cached_property
    def entries(self) -> list[int]:
        clients = [v for v in range(len(self)) if self.types[v] == ENTRY_TYPE]
        if clients:
            return clients
        return [v for v in range(len(self)) if not self.pred[v] and self.succ[v]]

    @cached_property
    def has_cache_callers(self) -> bool:
        """Whether the cache rule can ever apply: some non-load-balancer depends on a cache."""
        return any(
            self.types[c] != "load_balancer"
            for k in range(len(self))
            if self.types[k] == "cache"
            for c in self.dep_pred[k]
        )

    @cached_property
    def reach(self) -> dict[int, list[int]]:
        """For each entry point, what it reaches along arrows on the intact board, in breadth-first order."""
        return {entry: self.bfs([entry]) for entry in self.entries}

    def bfs(self, starts: Iterable[int], blocked: bytearray | None = None) -> list[int]:
        """Nodes reachable from `starts` along arrows, never entering a `blocked` one."""
        seen = bytearray(len(self))
        order = []
        for start in starts:
            if not seen[start] and not (blocked and blocked[start]):
                seen[start] = 1
                order.append(start)
        i = 0
        while i < len(order):
            for nxt in self.succ[order[i]]:
                if not seen[nxt] and not (blocked and blocked[nxt]):
                    seen[nxt] = 1
                    order.append(nxt)
            i += 1
        return order

    def failure(self, element_id: Any) -> Failure:
        """What a `fail` parameter brings down (a component, or a frame's components), or the REST error for it."""
        if not isinstance(element_id, str) or not ID_PATTERN.match(element_id):
            raise _fail("An id is 1 to 64 characters of letters, digits, '-' or '_'.")
        kind = self.kinds.get(element_id)
        if kind is None:
            raise SyncError(ErrorCode.UNKNOWN_REF, f"No element with id '{element_id}' on this board.", "fail")
        if kind == "frame":
            label, members = self.frames[element_id]
            return Failure(element_id, label or element_id, members, frame=True)
        if kind != "component":
            article = "an" if kind == "arrow" else "a"
            raise _fail(f"Only a component or a frame can fail; '{element_id}' is {article} {kind}.")
        node = self.index[element_id]
        return Failure(element_id, self.name(node), [node], frame=False)


@dataclass(frozen=True)
class Failure:
    """What goes down at once: one component, or every component in a frame (none, for an empty frame)."""

    id: str  # the component or frame asked for
    name: str  # how the summary names it
    nodes: list[int]
    frame: bool


def _guards(graph: Graph, elements: list[Element]) -> tuple[dict[tuple[int, int], int], dict[str, tuple[int, bool]]]:
    """The dependencies with a timeout on every sync arrow between the pair (and the longest, in ms),
    and the arrows that retry (with whether they are marked idempotent)."""
    at = graph.index
    timeouts: dict[tuple[int, int], list[int | None]] = {}
    retrying: dict[str, tuple[int, bool]] = {}
    for arrow in elements:
        if arrow.get("kind") != "arrow":
            continue
        source, target = at.get(arrow.get("source", "")), at.get(arrow.get("target", ""))
        if source is None or target is None or source == target:
            continue
        if arrow.get("style", "sync") == "sync":
            timeouts.setdefault((source, target), []).append(arrow.get("timeout_ms") or None)
        if arrow.get("retries"):
            retrying[arrow["id"]] = (int(arrow["retries"]), arrow.get("idempotent") is True)
    guarded = {
        pair: max(t for t in ms if t is not None)
        for pair, ms in timeouts.items()
        if pair[1] in graph.dep_succ[pair[0]] and all(t is not None for t in ms)
    }
    return guarded, retrying


def _peers(graph: Graph, caller: int, callee: int) -> list[int]:
    """The caller's dependencies of the callee's type (the callee among them): what it can fall back to."""
    kind = graph.types[callee]
    return [w for w in graph.dep_succ[caller] if graph.types[w] == kind]


def _falls_back(graph: Graph, caller: int, callee: int, lost: bytearray) -> bool:
    """The caller times out on the lost callee and has a live peer to turn to instead."""
    return (caller, callee) in graph.guarded and not all(lost[w] for w in _peers(graph, caller, callee))


def _guarded_mask(graph: Graph, caller: int, callee: int, blocked: list[int]) -> int:
    """`_falls_back` for every failure at once: bit X set when, with X failed, the caller has no live peer."""
    acc = -1
    for w in _peers(graph, caller, callee):
        acc &= blocked[w]
    return acc


# -- One failure ---------------------------------------------------------------------------------------------


def _can_reach_store(graph: Graph, lost: bytearray) -> bytearray:
    """Components not lost with a dependency path, through components not lost, to a live data store."""
    can = bytearray(len(graph))
    frontier = [s for s in graph.stores if not lost[s]]
    for store in frontier:
        can[store] = 1
    while frontier:
        node = frontier.pop()
        for caller in graph.dep_pred[node]:
            if not can[caller] and not lost[caller]:
                can[caller] = 1
                frontier.append(caller)
    return can


def propagate(graph: Graph, failed: int | Sequence[int]) -> tuple[bytearray, dict[int, int]]:
    """The lost set when `failed` (one component, or several at once) goes down, and for each lost
    component the lost callee that took it down.

    The least fixpoint of the rules (module docstring): breadth-first backwards along dependencies, with
    load balancers counting their lost callees, and callers of lost caches held back until no more
    propagates; then those without a fallback under the current lost set are lost too, and it goes on.
    Adding only what the rules force under a subset of the answer keeps it the least fixpoint.
    """
    down = [failed] if isinstance(failed, int) else sorted(set(failed))
    lost = bytearray(len(graph))
    for node in down:
        lost[node] = 1
    via: dict[int, int] = {}
    standing: dict[int, int] = {}  # a load balancer's callees not lost yet
    held: dict[int, int] = {}  # caller of a lost cache -> that cache
    queue = deque(down)
    while True:
        while queue:
            callee = queue.popleft()
            for caller in graph.dep_pred[callee]:
                if lost[caller]:
                    continue
                if graph.types[caller] == "load_balancer":
                    left = standing.get(caller, len(graph.dep_succ[caller])) - 1
                    standing[caller] = left
                    if left:
                        continue
                elif _falls_back(graph, caller, callee, lost):
                    continue  # a timeout and a live peer: when the peer is lost too, it comes back here
                elif graph.types[callee] == "cache":
                    held.setdefault(caller, callee)
                    continue
                lost[caller] = 1
                via[caller] = callee
                queue.append(caller)
        held = {caller: cache for caller, cache in held.items() if not lost[caller]}
        if not held:
            return lost, via
        can = _can_reach_store(graph, lost)
        for caller in sorted(held):
            if not can[caller]:
                lost[caller] = 1
                via[caller] = held.pop(caller)
                queue.append(caller)
        if not queue:
            return lost, via


@dataclass
class Drill:
    failed: list[int]  # the component failed, or a frame's components
    lost: list[int]  # without the failed components
    degraded: list[int]
    unreachable: list[int]
    entry_points_cut: list[int]
    stores_cut: list[int]
    lost_stores: dict[int, list[int]]  # entry point cut -> the data stores it lost
    via: dict[int, int]
    lost_mask: bytearray
    spof: bool


def run_drill(graph: Graph, failed: int | Sequence[int], region: bool = False) -> Drill:
    """One failure: a component, or (`region`) every component in a frame, all replicas at once."""
    down = [failed] if isinstance(failed, int) else sorted(set(failed))
    failed_mask = bytearray(len(graph))
    for node in down:
        failed_mask[node] = 1
    lost, via = propagate(graph, down)
    # Degraded: not lost, but an arrow path leads to something lost.
    affected = bytearray(len(graph))
    frontier = [v for v in range(len(graph)) if lost[v]]
    while frontier:
        node = frontier.pop()
        for caller in graph.pred[node]:
            if not lost[caller] and not affected[caller]:
                affected[caller] = 1
                frontier.append(caller)
    lost_stores: dict[int, list[int]] = {}
    for entry, reached in graph.reach.items():
        stores = [v for v in reached if graph.is_store(v)]
        if failed_mask[entry] or not stores or not any(lost[v] for v in reached):
            continue
        still = bytearray(len(graph))
        for v in graph.bfs([entry], lost):
            still[v] = 1
        gone = sorted(s for s in stores if not still[s])
        if gone:
            lost_stores[entry] = gone
    before = {v for reached in graph.reach.values() for v in reached}
    after = set(graph.bfs(graph.entries, lost))
    degraded = [v for v in range(len(graph)) if affected[v]]
    unreachable = sorted(v for v in before - after if not lost[v] and not affected[v])
    cut = sorted(lost_stores)
    return Drill(
        failed=down,
        lost=[v for v in range(len(graph)) if lost[v] and not failed_mask[v]],
        degraded=degraded,
        unreachable=unreachable,
        entry_points_cut=cut,
        stores_cut=sorted({s for stores in lost_stores.values() for s in stores}),
        lost_stores=lost_stores,
        via=via,
        lost_mask=lost,
        # Replicas inside one failing region go down together: only a lone component's replicas help.
        spof=bool(cut) and (region or len(down) != 1 or graph.replicas[down[0]] == 1),
    )


# -- Every failure at once -----------------------------------------------------------------------------------


def lost_matrix(graph: Graph) -> list[int]:
    """For every component v, the bitset of components X whose failure makes v lost (bit v always set).

    Column X is exactly `propagate(graph, X)`: each bit is its own instance of the same rules, and
    union, intersection (load balancers) and masks act bit by bit. The cache rule needs reachability
    of live stores, which shrinks as the lost sets grow; so it alternates, as `propagate` does, between
    the least fixpoint with a fixed "can reach a live store" relation (starting from "everyone can",
    which lets no cache failure through) and recomputing that relation, until it stops changing.
    """
    n = len(graph)
    everything = (1 << n) - 1
    order = _postorder(graph.dep_succ)
    lb = [t == "load_balancer" for t in graph.types]
    cache = [t == "cache" for t in graph.types]
    blocked = [1 << v for v in range(n)]
    can = [everything] * n
    while True:
        queued = bytearray(b"\x01" * n)
        work = deque(order)
        while work:
            v = work.popleft()
            queued[v] = 0
            callees = graph.dep_succ[v]
            if not callees:
                continue
            if lb[v]:
                acc = everything
                for w in callees:
                    acc &= blocked[w]
            else:
                acc = 0
                no_fallback = ~can[v]
                for w in callees:
                    term = _guarded_mask(graph, v, w, blocked) if (v, w) in graph.guarded else blocked[w]
                    acc |= term & no_fallback if cache[w] else term
            new = blocked[v] | acc
            if new != blocked[v]:
                blocked[v] = new
                for caller in graph.dep_pred[v]:
                    if not queued[caller]:
                        queued[caller] = 1
                        work.append(caller)
        if not graph.has_cache_callers:
            return blocked
        fresh = _can_reach_matrix(graph, blocked, order, everything)
        if fresh == can:
            return blocked
        can = fresh


def _can_reach_matrix(graph: Graph, blocked: list[int], order: list[int], everything: int) -> list[int]:
    """Bit X of v: with X failed, v is not lost and has a dependency path through live components to a live store."""
    n = len(graph)
    can = [0] * n
    queued = bytearray(b"\x01" * n)
    work = deque(order)
    while work:
        v = work.popleft()
        queued[v] = 0
        if graph.is_store(v):
            new = everything & ~blocked[v]
        else:
            acc = 0
            for w in graph.dep_succ[v]:
                acc |= can[w]
            new = acc & ~blocked[v]
        if new != can[v]:
            can[v] = new
            for caller in graph.dep_pred[v]:
                if not queued[caller]:
                    queued[caller] = 1
                    work.append(caller)
    return can


@dataclass
class Impact:
    """What each component's failure does to the entry points, for all components at once."""

    entry_points_cut: list[int]
    stores_cut: list[int]
    lost: list[int]  # components lost with it, itself not counted


def impacts(graph: Graph, blocked: list[int] | None = None) -> Impact:
    n = len(graph)
    everything = (1 << n) - 1
    blocked = lost_matrix(graph) if blocked is None else blocked
    entries_cut, stores_cut, lost = [0] * n, [0] * n, [0] * n
    for v in range(n):
        for x in _bits(blocked[v] & ~(1 << v)):
            lost[x] += 1
    store_masks: dict[int, int] = {}
    alive = [0] * n
    for entry, reached in graph.reach.items():
        stores = [v for v in reached if graph.is_store(v)]
        if not stores:
            continue
        # Bit X of alive[v]: with X failed, v is reachable from the entry point through live components.
        for v in reached:
            alive[v] = 0
        alive[entry] = everything & ~blocked[entry]
        inside = bytearray(n)
        for v in reached:
            inside[v] = 1
        queued = bytearray(n)
        work = deque(reached[1:])
        for v in reached[1:]:
            queued[v] = 1
        while work:
            v = work.popleft()
            queued[v] = 0
            acc = 0
            for u in graph.pred[v]:
                if inside[u]:
                    acc |= alive[u]
            new = acc & ~blocked[v]
            if new != alive[v]:
                alive[v] = new
                for w in graph.succ[v]:
                    if inside[w] and w != entry and not queued[w]:
                        queued[w] = 1
                        work.append(w)
        cut = 0
        for store in stores:
            gone = everything & ~alive[store] & ~(1 << entry)
            store_masks[store] = store_masks.get(store, 0) | gone
            cut |= gone
        for x in _bits(cut):
            entries_cut[x] += 1
    for mask in store_masks.values():
        for x in _bits(mask):
            stores_cut[x] += 1
    return Impact(entries_cut, stores_cut, lost)


def spofs(graph: Graph, impact: Impact) -> list[int]:
    """Single points of failure, worst first: one replica, and some other entry point is cut."""
    found = [x for x in range(len(graph)) if graph.replicas[x] == 1 and impact.entry_points_cut[x]]
    return sorted(
        found, key=lambda x: (-impact.entry_points_cut[x], -impact.stores_cut[x], -impact.lost[x], graph.ids[x])
    )


# -- Design lints ----------------------------------------------------------------------------------------------


def _lint(code: str, elements: list[str], message: str) -> dict[str, Any]:
    return {"code": code, "elements": elements, "message": message}


def _names(graph: Graph, nodes: Sequence[int], limit: int = 4) -> str:
    return _join([graph.name(v) for v in nodes], limit)


def _join(names: Sequence[str], limit: int = 4) -> str:
    if len(names) > limit + 1:
        names = [*names[:limit], f"{len(names) - limit} others"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _chain(graph: Graph, nodes: Sequence[int], limit: int = 8) -> str:
    names = [graph.name(v) for v in nodes]
    if len(names) > limit:
        names = [*names[: limit - 3], "…", *names[-2:]]
    return " → ".join(names)


def _by_name(graph: Graph, nodes: Iterable[int]) -> list[int]:
    return sorted(nodes, key=lambda v: (graph.name(v).casefold(), graph.ids[v]))


def lints(graph: Graph) -> list[dict[str, Any]]:
    n = len(graph)
    found: dict[str, list[dict[str, Any]]] = {code: [] for code in LINT_CODES}

    # A cache whose data comes from nowhere: neither it nor anything reading it reaches a store.
    # (If the cache reaches none, no path to a store runs through it, so "its readers reach one" needs no detour.)
    to_store = bytearray(n)
    frontier = list(graph.stores)
    for store in frontier:
        to_store[store] = 1
    while frontier:
        node = frontier.pop()
        for caller in graph.pred[node]:
            if not to_store[caller]:
                to_store[caller] = 1
                frontier.append(caller)
    for k in range(n):
        if graph.types[k] == "cache" and not to_store[k] and not any(to_store[c] for c in graph.pred[k]):
            message = (
                f"{graph.name(k)} has no source of truth: neither it nor anything reading it reaches a database "
                "or storage."
            )
            found["cache_without_source"].append(_lint("cache_without_source", [graph.ids[k]], message))

    # Synchronous cycles, and chains of dependencies (hops inside a cycle are not counted: it has its own lint).
    comp = _sccs(graph.dep_succ)
    members: dict[int, list[int]] = {}
    for v in range(n):
        members.setdefault(comp[v], []).append(v)
    for group in sorted((g for g in members.values() if len(g) > 1), key=lambda g: graph.ids[g[0]]):
        message = (
            f"{_names(graph, _by_name(graph, group))} call each other synchronously in a loop: a failure or slowdown "
            "in one of them reaches all of them, and retries can feed on each other."
        )
        found["sync_cycle"].append(_lint("sync_cycle", [graph.ids[v] for v in group], message))
    depth, nxt = [0] * n, [-1] * n
    has_caller = bytearray(n)
    for v in _postorder(graph.dep_succ):
        for w in graph.dep_succ[v]:
            if comp[w] != comp[v]:
                has_caller[w] = 1
                if depth[w] + 1 > depth[v]:
                    depth[v], nxt[v] = depth[w] + 1, w
    for start in range(n):
        if has_caller[start] or depth[start] <= MAX_SYNC_HOPS:
            continue
        chain = [start]
        while nxt[chain[-1]] != -1:
            chain.append(nxt[chain[-1]])
        message = (
            f"A synchronous chain of {len(chain) - 1} hops: {_chain(graph, chain)}. Each hop adds latency "
            "and one more way for the request to fail."
        )
        found["deep_sync_chain"].append(_lint("deep_sync_chain", [graph.ids[v] for v in chain], message))

    for db in range(n):
        if graph.types[db] != "database" or graph.replicas[db] != 1:
            continue
        services = [c for c in graph.pred[db] if graph.types[c] in ("service", "worker")]
        if len(services) > 1:
            message = (
                f"There is one instance of {graph.name(db)}, behind {len(services)} services "
                f"({_names(graph, _by_name(graph, services))}): one outage stops them all, and they compete "
                "for its capacity."
            )
            ids = [graph.ids[db], *(graph.ids[c] for c in services)]
            found["unreplicated_shared_database"].append(_lint("unreplicated_shared_database", ids, message))

    for q in range(n):
        if graph.types[q] == "queue" and not graph.succ[q]:
            message = f"Nothing consumes {graph.name(q)}: draw each consumer as an arrow from the queue to it."
            found["queue_without_consumer"].append(_lint("queue_without_consumer", [graph.ids[q]], message))

    for arrow_id, source, target, label, _style in graph.arrows:
        if not label.strip():
            message = f"The arrow {graph.name(source)} → {graph.name(target)} has no label: say what it carries."
            found["unlabelled_arrow"].append(_lint("unlabelled_arrow", [arrow_id], message))

    for v in range(n):
        if not graph.succ[v] and not graph.pred[v]:
            message = f"{graph.name(v)} is not connected to anything."
            found["isolated_component"].append(_lint("isolated_component", [graph.ids[v]], message))
    found["retries_duplicate_writes"] = _retry_lints(graph)
    return [lint for code in LINT_CODES for lint in found[code]]


def _retry_lints(graph: Graph) -> list[dict[str, Any]]:
    """An arrow that retries into a call not marked idempotent: a retry after a timeout can repeat a write."""
    out = []
    for arrow_id, source, target, _label, _style in graph.arrows:
        retries, idempotent = graph.retrying.get(arrow_id, (0, True))
        if retries and not idempotent:
            message = (
                f"{graph.name(source)} retries its call to {graph.name(target)} up to {retries} "
                f"time{'s' * (retries != 1)}, and the call is not marked idempotent: retries can duplicate writes."
            )
            out.append(_lint("retries_duplicate_writes", [arrow_id, graph.ids[source], graph.ids[target]], message))
    return out


# -- Plain language --------------------------------------------------------------------------------------------


def _via_chain(drill: Drill, start: int) -> list[int]:
    chain = [start]
    while chain[-1] in drill.via:
        chain.append(drill.via[chain[-1]])
    return chain


def _shortest_path(graph: Graph, source: int, target: int) -> list[int]:
    parent = {source: source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for nxt in graph.succ[node]:
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    path = [target]
    while path[-1] != source:
        path.append(parent[path[-1]])
    return path[::-1]


def _why(graph: Graph, drill: Drill, entry: int, stores: list[int]) -> str:
    if drill.lost_mask[entry]:
        chain = _via_chain(drill, entry)
        if len(chain) == 2:
            return f"the call {_chain(graph, chain)} is synchronous"
        return f"the calls {_chain(graph, chain)} are all synchronous"
    store = next((s for s in stores if s not in drill.failed), None)
    if store is None:
        return (
            f"{_names(graph, stores)} {'is the data store' if len(stores) == 1 else 'are the data stores'} that failed"
        )
    path = _shortest_path(graph, entry, store)
    broken = next(v for v in path if drill.lost_mask[v])
    return (
        f"every path from {graph.name(entry)} to {graph.name(store)} runs through a lost component, "
        f"e.g. {_chain(graph, path)} breaks at {graph.name(broken)}"
    )


def _degraded_reason(graph: Graph, drill: Drill, node: int) -> str | None:
    """Why `node` is degraded when it touches a lost component directly; None when only through others."""
    lost = drill.lost_mask
    targets = [t for t in graph.succ[node] if lost[t]]
    if not targets:
        return None
    target = targets[0]
    if graph.types[node] == "queue":
        return f"{graph.name(node)} buffers work for {graph.name(target)} until it recovers"
    if graph.types[node] == "load_balancer" and target in graph.dep_succ[node]:
        return f"{graph.name(node)} routes around {graph.name(target)}"
    if _falls_back(graph, node, target, lost):
        return _timeout_reason(graph, node, target, lost)
    if (node, target) not in graph.sync_pairs:
        return f"{graph.name(node)} calls {graph.name(target)} asynchronously"
    return f"{graph.name(node)} falls back from {graph.name(target)} to its data store"


def _timeout_reason(graph: Graph, node: int, target: int, lost: bytearray) -> str:
    peers = [w for w in _peers(graph, node, target) if not lost[w]]
    timeout = graph.guarded[(node, target)]
    return (
        f"{graph.name(node)} times out on {graph.name(target)} after {timeout} ms and falls back to "
        f"{_names(graph, _by_name(graph, peers))}"
    )


def _fails_fast(graph: Graph, drill: Drill) -> list[str]:
    """Lost callers whose call to a lost component has a timeout but nothing to fall back to: they are
    down, yet they answer an error after the timeout instead of hanging, and the summary says so."""
    lost = drill.lost_mask
    reasons = []
    for node in _by_name(graph, drill.lost):
        for target in _by_name(graph, [t for t in graph.succ[node] if lost[t] and (node, t) in graph.guarded]):
            reasons.append(
                f"{graph.name(node)} times out on {graph.name(target)} after {graph.guarded[(node, target)]} ms "
                "with nothing to fall back to, so it fails fast instead of hanging"
            )
    return reasons


def _component_failure(graph: Graph, drill: Drill) -> Failure:
    node = drill.failed[0]
    return Failure(graph.ids[node], graph.name(node), [node], frame=False)


def summary(graph: Graph, drill: Drill, failure: Failure | None = None) -> str:
    failure = failure or _component_failure(graph, drill)
    if failure.frame and not drill.failed:
        return f"{failure.name} holds no component, so nothing goes down with it: drop components into it first."
    x = drill.failed[0]
    replicas = 1 if failure.frame else graph.replicas[x]
    opening = f"If {failure.name} goes down" + (f" (all {replicas} replicas at once)" if replicas > 1 else "")
    if failure.frame:
        opening += f", taking {_names(graph, _by_name(graph, drill.failed), 6)} with it"
    sentences = []
    groups: dict[tuple[int, ...], list[int]] = {}
    for entry in drill.entry_points_cut:
        groups.setdefault(tuple(_by_name(graph, drill.lost_stores[entry])), []).append(entry)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), [graph.name(v).casefold() for v in item[0]]))
    for i, (stores, entries) in enumerate(ordered):
        entries = _by_name(graph, entries)
        lead = f"{opening}, " if i == 0 else ""
        why = _why(graph, drill, entries[0], list(stores))
        sentences.append(f"{lead}{_names(graph, entries)} can no longer reach {_names(graph, stores)}: {why}.")
    lost = _by_name(graph, drill.lost)
    if not groups:
        if lost:
            sentences.append(
                f"{opening}, it takes down {_names(graph, lost, 6)} (synchronous dependency), "
                "but every entry point keeps its paths to its data."
            )
        else:
            sentences.append(
                f"{opening}, no other component stops working, and every entry point keeps its paths to its data."
            )
    elif lost:
        sentences.append(f"It also takes down, by synchronous dependency: {_names(graph, lost, 6)}.")
    if fast := _fails_fast(graph, drill):
        sentences.append(f"{_join(fast, 4)}.")
    if drill.degraded:
        direct: list[str] = []
        upstream: list[int] = []
        for node in _by_name(graph, drill.degraded):
            reason = _degraded_reason(graph, drill, node)
            if reason:
                direct.append(reason)
            else:
                upstream.append(node)
        text = f"Still up but degraded: {_join(direct, 4)}."
        if upstream:
            text += f" Upstream of those, also degraded: {_names(graph, upstream, 6)}."
        sentences.append(text)
    if drill.unreachable:
        sentences.append(
            f"No longer reached from any entry point: {_names(graph, _by_name(graph, drill.unreachable), 6)}."
        )
    if failure.frame:
        if drill.spof:
            sentences.append(
                f"Everything in {failure.name} goes down together, so no replica inside it helps: "
                f"{failure.name} is a single point of failure."
            )
    elif replicas > 1:
        sentences.append(f"With {replicas} replicas of {graph.name(x)}, losing one instance takes nothing down.")
    elif drill.spof:
        sentences.append(f"There is one instance of {graph.name(x)}, so it is a single point of failure.")
    return " ".join(sentences)


def drill_dict(graph: Graph, drill: Drill, failure: Failure | None = None) -> dict[str, Any]:
    ids = graph.ids
    failure = failure or _component_failure(graph, drill)
    return {
        "failed": failure.id,
        "failed_components": [ids[v] for v in drill.failed],
        "lost": [ids[v] for v in drill.lost],
        "degraded": [ids[v] for v in drill.degraded],
        "unreachable": [ids[v] for v in drill.unreachable],
        "entry_points_cut": [ids[v] for v in drill.entry_points_cut],
        "stores_cut": [ids[v] for v in drill.stores_cut],
        "single_point_of_failure": drill.spof,
        "summary": summary(graph, drill, failure),
    }


# -- Probes ------------------------------------------------------------------------------------------------------


def _covered(annotations: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """(target, kind) of the public annotations on elements; the private layer is never read here."""
    return {
        (a["target"], a["kind"])
        for a in annotations
        if a.get("layer") in PUBLIC_LAYERS and a.get("target") is not None and a.get("kind")
    }


def probes(
    graph: Graph,
    ranked: list[int],
    impact: Impact,
    found: list[dict[str, Any]],
    covered: set[tuple[str, str]],
    explained: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Suggested challenges, most useful first. `explained`: the components a decision record is about."""
    out: list[dict[str, Any]] = []
    taken = set(covered)

    def add(target: str | None, kind: str, text: str) -> None:
        if target is not None:
            if (target, kind) in taken:
                return
            taken.add((target, kind))
        out.append({"target": target, "kind": kind, "text": text})

    if len(graph):
        if not graph.stores:
            add(None, "clarify", "Where does the data live? Nothing on the board is a database or storage yet.")
        if not any(t == ENTRY_TYPE for t in graph.types):
            add(None, "clarify", "Who calls this system? Draw the clients, so it is clear where requests come from.")
    for x in ranked[:TOP_SPOF_PROBES]:
        drill = run_drill(graph, x)
        text = (
            f"There is one instance of {graph.name(x)}; if it goes down, "
            f"{_names(graph, _by_name(graph, drill.entry_points_cut))} can no longer reach "
            f"{_names(graph, _by_name(graph, drill.stores_cut))}. How would you keep them working when it does?"
        )
        add(graph.ids[x], "failure_mode", text)
    unchallenged = sorted(
        (v for v in range(len(graph)) if graph.types[v] in FAILURE_QUESTIONS),
        key=lambda v: (-impact.entry_points_cut[v], -impact.stores_cut[v], -impact.lost[v], graph.ids[v]),
    )
    for v in unchallenged:
        add(graph.ids[v], "failure_mode", FAILURE_QUESTIONS[graph.types[v]].format(name=graph.name(v)))
    for component, question in why_not_probes(graph, explained):
        add(component, "trade_off", question)
    at = graph.index
    for lint in found:
        code, ids = lint["code"], lint["elements"]
        names = [graph.name(at[i]) for i in ids if i in at]
        if code == "cache_without_source":
            add(ids[0], "clarify", f"Where does {names[0]} get its data? Nothing connects it to a database or storage.")
        elif code == "deep_sync_chain":
            text = (
                f"A request from {names[0]} makes {len(ids) - 1} synchronous hops to reach {names[-1]}. What latency "
                "does that add up to, and where would you break the chain?"
            )
            add(ids[0], "scaling", text)
        elif code == "sync_cycle":
            text = f"{_join(names)} call each other synchronously in a loop. What happens when one of them slows down?"
            add(ids[0], "failure_mode", text)
        elif code == "unreplicated_shared_database":
            text = (
                f"{names[0]} is shared by {_join(names[1:])} and has a single instance. How does it cope with their "
                "combined load, and would you split it or add replicas?"
            )
            add(ids[0], "scaling", text)
        elif code == "queue_without_consumer":
            add(ids[0], "clarify", f"Who consumes {names[0]}? Nothing reads from it on the board.")
        elif code == "unlabelled_arrow":
            _arrow_id, source, target, _label, _style = next(a for a in graph.arrows if a[0] == ids[0])
            text = f"What flows from {graph.name(source)} to {graph.name(target)}: a request, an event, a query?"
            add(ids[0], "clarify", text)
        elif code == "isolated_component":
            add(ids[0], "clarify", f"How does {names[0]} fit in? Nothing connects to it yet.")
        elif code == "retries_duplicate_writes":
            text = (
                f"{names[0]} retries its call to {names[1]}. Is that call safe to repeat? What stops a retry "
                "after a timeout from writing twice (an idempotency key, a dedup table)?"
            )
            add(ids[0], "failure_mode", text)
    return out


def why_not_probes(graph: Graph, explained: frozenset[str]) -> list[tuple[str, str]]:
    """ "Why <tech> and not …?" for each component with a technology named and no decision record on it."""
    out = []
    for v in range(len(graph)):
        tech = graph.techs[v]
        if tech and graph.ids[v] not in explained:
            text = (
                f"Why {tech} and not something else for {graph.name(v)}? What did you weigh it against, "
                "and what does it cost you?"
            )
            out.append((graph.ids[v], text))
    return out


# -- The whole answer --------------------------------------------------------------------------------------------


def analyse(
    elements: Iterable[Element],
    annotations: Iterable[Mapping[str, Any]] = (),
    fail: str | None = None,
    decisions: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """`GET /api/boards/{id}/analysis/`: SPOFs, lints, probes, and with `fail` a drill of that component or frame.

    `annotations` are the board's annotations as the caller sees them; only the public layers count, so the
    answer is the same for every role. `decisions` are the board's decision records (public).
    """
    graph = Graph.build(elements)
    failure = None if fail is None else graph.failure(fail)
    impact = impacts(graph)
    ranked = spofs(graph, impact)
    found = lints(graph)
    result: dict[str, Any] = {
        "entry_points": [graph.ids[v] for v in graph.entries],
        "data_stores": [graph.ids[v] for v in graph.stores],
        "spofs": [
            {
                "id": graph.ids[x],
                "entry_points_cut": impact.entry_points_cut[x],
                "stores_cut": impact.stores_cut[x],
                "components_lost": impact.lost[x],
            }
            for x in ranked
        ],
        "lints": found,
        "probes": probes(
            graph, ranked, impact, found, _covered(annotations), frozenset(d["target"] for d in decisions)
        ),
    }
    if failure is not None:
        result["drill"] = drill_dict(graph, run_drill(graph, failure.nodes, region=failure.frame), failure)
    return result
