"""The failure drill (reviews/drill.py): hand-built boards with known answers, and a brute-force reference.

The reference below is deliberately naive and shares no code with the module:
it applies the propagation rules of docs/protocol.md ("Failure drill") until
nothing changes, then removes what is lost and recomputes reachability from
each entry point, one failure at a time.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import drill
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import COMPONENT_TYPES

# -- Building boards -----------------------------------------------------------------------------------------


def board(components: dict[str, Any], *arrows: str, labels: bool = True) -> list[dict[str, Any]]:
    """`{"api": "service", "db": ("database", 2)}` and arrows `"api>db"` (sync) or `"api~q"` (async).

    Labels are the ids capitalised ("api" -> "Api"); arrow ids are "source-target".
    """
    elements: list[dict[str, Any]] = []
    for element_id, spec in components.items():
        kind, replicas = (spec, 1) if isinstance(spec, str) else spec
        elements.append(
            {
                "id": element_id,
                "kind": "component",
                "type": kind,
                "label": element_id.capitalize(),
                "x": 0,
                "y": 0,
                "w": 160,
                "h": 72,
                "tech": "",
                "replicas": replicas,
                "notes": "",
            }
        )
    for spec in arrows:
        style = "async" if "~" in spec else "sync"
        source, target = spec.split("~" if style == "async" else ">")
        elements.append(
            {
                "id": f"{source}-{target}",
                "kind": "arrow",
                "source": source,
                "target": target,
                "label": "calls" if labels else "",
                "style": style,
            }
        )
    return elements


def fail(elements: list[dict[str, Any]], element_id: str) -> dict[str, Any]:
    return drill.analyse(elements, fail=element_id)["drill"]


def spofs(elements: list[dict[str, Any]]) -> dict[str, int]:
    return {s["id"]: s["entry_points_cut"] for s in drill.analyse(elements)["spofs"]}


def codes(elements: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    return [(lint["code"], lint["elements"]) for lint in drill.lints(drill.Graph.build(elements))]


# -- The reference ---------------------------------------------------------------------------------------------


class Reference:
    """The rules, applied by brute force on plain dicts and sets."""

    def __init__(self, elements: list[dict[str, Any]]) -> None:
        self.type = {e["id"]: e["type"] for e in elements if e["kind"] == "component"}
        self.replicas = {e["id"]: e["replicas"] for e in elements if e["kind"] == "component"}
        arrows = [(e["source"], e["target"], e["style"]) for e in elements if e["kind"] == "arrow"]
        self.out = {c: {t for s, t, _ in arrows if s == c} for c in self.type}
        self.deps = {
            c: {t for s, t, st_ in arrows if s == c and st_ == "sync" and self.type[c] != "queue"} for c in self.type
        }
        clients = [c for c in self.type if self.type[c] == "client"]
        has_in = {t for _, t, _ in arrows}
        self.entries = clients or [c for c in self.type if c not in has_in and self.out[c]]
        self.intact = {c: self.reach(c, set()) for c in self.type}  # what each component reaches, nothing failed

    def store(self, c: str) -> bool:
        return self.type[c] in ("database", "storage")

    def fallback(self, c: str, lost: set[str]) -> bool:
        """A dependency path from c through live components to a live store."""
        seen, stack = {c}, [c]
        while stack:
            node = stack.pop()
            if self.store(node):
                return True
            for nxt in self.deps[node] - lost - seen:
                seen.add(nxt)
                stack.append(nxt)
        return False

    def lost(self, failed: str) -> set[str]:
        lost = {failed}
        changed = True
        while changed:
            changed = False
            for c in sorted(self.type):
                if c in lost or not self.deps[c]:
                    continue
                if self.type[c] == "load_balancer":
                    fires = self.deps[c] <= lost
                else:
                    fires = any(
                        d in lost and (self.type[d] != "cache" or not self.fallback(c, lost)) for d in self.deps[c]
                    )
                if fires:
                    lost.add(c)
                    changed = True
        return lost

    def reach(self, start: str, removed: set[str]) -> set[str]:
        if start in removed:
            return set()
        seen, stack = {start}, [start]
        while stack:
            for nxt in self.out[stack.pop()] - removed - seen:
                seen.add(nxt)
                stack.append(nxt)
        return seen

    def cut(self, failed: str) -> tuple[set[str], set[str]]:
        """(entry points cut, stores cut) when `failed` goes down: remove what is lost, recompute reachability."""
        lost = self.lost(failed)
        entries, stores = set(), set()
        for entry in self.entries:
            if entry == failed:
                continue
            if not self.intact[entry] & lost:
                continue  # nothing it reaches is lost, so nothing it reaches can be cut off
            before = {c for c in self.intact[entry] if self.store(c)}
            gone = before - self.reach(entry, lost)
            if gone:
                entries.add(entry)
                stores |= gone
        return entries, stores

    def degraded(self, failed: str) -> set[str]:
        lost = self.lost(failed)
        return {c for c in self.type if c not in lost and self.intact[c] & lost}


def check_against_reference(elements: list[dict[str, Any]]) -> None:
    ref = Reference(elements)
    graph = drill.Graph.build(elements)
    impact = drill.impacts(graph)
    blocked = drill.lost_matrix(graph)
    expected_spofs = {}
    for x, failed in enumerate(graph.ids):
        lost = ref.lost(failed)
        result = drill.run_drill(graph, x)
        got = {graph.ids[v] for v in result.lost} | {failed}
        assert got == lost, failed
        assert {graph.ids[v] for v in range(len(graph)) if blocked[v] >> x & 1} == lost, failed
        assert {graph.ids[v] for v in result.degraded} == ref.degraded(failed), failed
        entries, stores = ref.cut(failed)
        assert {graph.ids[v] for v in result.entry_points_cut} == entries, failed
        assert {graph.ids[v] for v in result.stores_cut} == stores, failed
        assert impact.entry_points_cut[x] == len(entries), failed
        assert impact.stores_cut[x] == len(stores), failed
        assert impact.lost[x] == len(lost) - 1, failed
        if entries and ref.replicas[failed] == 1:
            expected_spofs[failed] = len(entries)
    assert spofs(elements) == expected_spofs


def random_elements(rng: random.Random, n: int, m: int, types: tuple[str, ...] = COMPONENT_TYPES) -> list[dict]:
    components = {f"c{i}": (rng.choice(types), rng.choice((1, 1, 1, 2))) for i in range(n)}
    arrows: set[str] = set()
    ids = list(components)
    while len(arrows) < m and n > 1:
        source, target = rng.sample(ids, 2)
        if f"{source}>{target}" not in arrows and f"{source}~{target}" not in arrows:
            arrows.add(f"{source}{'~' if rng.random() < 0.3 else '>'}{target}")
    return board(components, *sorted(arrows))


@st.composite
def boards(draw: st.DrawFn, types: tuple[str, ...] = COMPONENT_TYPES, max_size: int = 14) -> list[dict]:
    n = draw(st.integers(1, max_size))
    components = {f"c{i}": (draw(st.sampled_from(types)), draw(st.sampled_from((1, 1, 2)))) for i in range(n)}
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()),
            max_size=3 * n,
            unique_by=lambda t: (t[0], t[1]),
        )
    )
    arrows = [f"c{s}{'~' if a else '>'}c{t}" for s, t, a in pairs if s != t]
    return board(components, *arrows)


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- Propagation on hand-built boards ------------------------------------------------------------------------


def test_a_chain_goes_down_from_the_bottom_up():
    elements = board(
        {"c": "client", "api": "service", "svc": "service", "db": "database"}, "c>api", "api>svc", "svc>db"
    )
    result = fail(elements, "db")
    assert result["failed"] == "db"
    assert result["lost"] == ["api", "c", "svc"]  # the failed component is not repeated in `lost`
    assert result["degraded"] == [] and result["entry_points_cut"] == ["c"] and result["stores_cut"] == ["db"]
    assert result["single_point_of_failure"] is True
    assert result["summary"] == (
        "If Db goes down, C can no longer reach Db: the calls C → Api → Svc → Db are all synchronous. "
        "It also takes down, by synchronous dependency: Api, C and Svc. "
        "There is one instance of Db, so it is a single point of failure."
    )
    # Failure travels backwards only: the callee of a failed service is untouched, just no longer reached.
    middle = fail(elements, "svc")
    assert middle["lost"] == ["api", "c"] and middle["unreachable"] == ["db"]
    # The client itself is an entry point, not a SPOF for itself; everything else cuts it off.
    assert spofs(elements) == {"api": 1, "svc": 1, "db": 1}


def test_a_fan_out_loses_only_the_branch_and_what_calls_it():
    elements = board(
        {"c": "client", "api": "service", "a": "service", "b": "service", "da": "database", "db": "database"},
        "c>api",
        "api>a",
        "api~b",
        "a>da",
        "b>db",
    )
    branch = fail(elements, "b")
    assert branch["lost"] == [] and branch["degraded"] == ["api", "c"]  # api calls b asynchronously
    assert branch["entry_points_cut"] == ["c"] and branch["stores_cut"] == ["db"]
    assert "C can no longer reach Db: every path from C to Db runs through a lost component" in branch["summary"]
    assert "Api calls B asynchronously" in branch["summary"]
    trunk = fail(elements, "a")
    assert trunk["lost"] == ["api", "c"] and trunk["stores_cut"] == ["da", "db"]
    assert spofs(elements) == {"api": 1, "a": 1, "b": 1, "da": 1, "db": 1}


def test_replicas_keep_a_component_off_the_spof_list_but_the_drill_fails_it_whole():
    elements = board({"c": "client", "api": ("service", 3), "db": ("database", 2)}, "c>api", "api>db")
    assert spofs(elements) == {}
    result = fail(elements, "api")
    assert result["lost"] == ["c"] and result["entry_points_cut"] == ["c"]
    assert result["single_point_of_failure"] is False
    assert result["summary"].startswith("If Api goes down (all 3 replicas at once), C can no longer reach Db")
    assert result["summary"].endswith("With 3 replicas of Api, losing one instance takes nothing down.")


def test_a_load_balancer_survives_while_one_backend_stands():
    elements = board(
        {"c": "client", "lb": "load_balancer", "w1": "service", "w2": "service", "db": ("database", 2)},
        "c>lb",
        "lb>w1",
        "lb>w2",
        "w1>db",
        "w2>db",
    )
    one = fail(elements, "w1")
    assert one["lost"] == [] and one["degraded"] == ["c", "lb"] and one["entry_points_cut"] == []
    assert "Lb routes around W1" in one["summary"]
    assert spofs(elements) == {"lb": 1}
    # With a single backend, the balancer is no better than a plain call.
    single = board({"c": "client", "lb": "load_balancer", "w": "service", "db": "database"}, "c>lb", "lb>w", "w>db")
    assert fail(single, "w")["lost"] == ["c", "lb"]


def test_an_async_arrow_and_a_queue_stop_the_propagation():
    elements = board(
        {"c": "client", "api": "service", "q": "queue", "w": "worker", "db": "database", "prefs": "database"},
        "c>api",
        "api>prefs",
        "api>q",  # a synchronous enqueue: the queue being down does take the API down
        "q>w",  # drawn sync, but out of a queue: the consumer's failure stays behind the queue
        "w>db",
    )
    consumer = fail(elements, "w")
    assert consumer["lost"] == [] and consumer["degraded"] == ["api", "c", "q"]
    assert consumer["entry_points_cut"] == ["c"] and consumer["stores_cut"] == ["db"]  # no path left to db
    assert "Q buffers work for W until it recovers" in consumer["summary"]
    broker = fail(elements, "q")
    assert broker["lost"] == ["api", "c"] and broker["unreachable"] == ["db", "prefs", "w"]
    asynchronous = board({"c": "client", "api": "service", "q": "queue"}, "c>api", "api~q")
    assert fail(asynchronous, "q")["lost"] == [] and fail(asynchronous, "q")["degraded"] == ["api", "c"]


def test_a_cache_with_a_fallback_degrades_its_callers_and_one_without_takes_them_down():
    aside = board(
        {"c": "client", "api": "service", "k": "cache", "db": "database"}, "c>api", "api>k", "api>db"
    )  # cache-aside: the API reads the database on a miss
    result = fail(aside, "k")
    assert result["lost"] == [] and result["degraded"] == ["api", "c"] and result["entry_points_cut"] == []
    assert "Api falls back from K to its data store" in result["summary"]
    assert spofs(aside) == {"api": 1, "db": 1}

    through = board({"c": "client", "api": "service", "k": "cache", "db": "database"}, "c>api", "api>k", "k>db")
    assert fail(through, "k")["lost"] == ["api", "c"]  # read-through: the cache is the only way to the data
    assert spofs(through) == {"api": 1, "k": 1, "db": 1}

    only = board({"c": "client", "api": "service", "k": "cache"}, "c>api", "api>k")
    assert fail(only, "k")["lost"] == ["api", "c"]
    # The fallback must lead to a store that is itself still up: two caches of one dead database are no fallback.
    twins = board(
        {"c": "client", "api": "service", "k1": "cache", "k2": "cache", "db": "database"},
        "c>api",
        "api>k1",
        "api>k2",
        "k1>db",
        "k2>db",
    )
    assert fail(twins, "db")["lost"] == ["api", "c", "k1", "k2"]
    assert fail(twins, "k1")["lost"] == []  # ... but with the database up, the other cache is one
    # And the fallback path must avoid lost components: here it runs through a service that loses its own cache.
    chained = board(
        {"c": "client", "api": "service", "k": "cache", "s": "service", "db": "database"},
        "c>api",
        "api>k",
        "api>s",
        "s>k",
        "k>db",
    )
    assert fail(chained, "k")["lost"] == ["api", "c", "s"]
    check_against_reference(chained)


def test_cycles_terminate_and_go_down_together():
    elements = board(
        {"c": "client", "a": "service", "b": "service", "d": "service", "db": "database"},
        "c>a",
        "a>b",
        "b>d",
        "d>a",
        "d>db",
    )
    assert fail(elements, "b")["lost"] == ["a", "c", "d"]
    assert fail(elements, "db")["lost"] == ["a", "b", "c", "d"]
    assert ("sync_cycle", ["a", "b", "d"]) in codes(elements)
    check_against_reference(elements)


def test_disconnected_parts_do_not_touch_each_other():
    elements = board(
        {"c1": "client", "api1": "service", "db1": "database", "c2": "client", "api2": "service", "db2": "database"},
        "c1>api1",
        "api1>db1",
        "c2>api2",
        "api2>db2",
    )
    result = fail(elements, "db1")
    assert result["lost"] == ["api1", "c1"] and result["entry_points_cut"] == ["c1"]
    assert result["unreachable"] == [] and result["degraded"] == []
    assert spofs(elements) == {"api1": 1, "db1": 1, "api2": 1, "db2": 1}


def test_entry_points_are_the_clients_or_else_the_sources():
    with_clients = drill.analyse(board({"c": "client", "a": "service", "b": "service"}, "a>b"))
    assert with_clients["entry_points"] == ["c"]
    without = drill.analyse(board({"a": "service", "b": "service", "x": "service", "db": "database"}, "a>b", "b>db"))
    assert without["entry_points"] == ["a"]  # x has no arrows at all, so it is no entry point
    assert without["data_stores"] == ["db"]
    assert {s["id"] for s in without["spofs"]} == {"b", "db"}


def test_a_client_can_cut_another_client():
    elements = board(
        {"web": "client", "bff": "client", "api": "service", "db": "database"}, "web>bff", "bff>api", "api>db"
    )
    assert spofs(elements) == {"bff": 1, "api": 2, "db": 2}
    assert fail(elements, "bff")["entry_points_cut"] == ["web"]  # never the failed entry point itself


def test_spofs_rank_by_entry_points_then_stores_then_components_lost():
    elements = board(
        {
            "c1": "client",
            "c2": "client",
            "c3": "client",
            "gw": "service",
            "auth": "service",
            "orders": "service",
            "odb": "database",
            "files": "storage",
        },
        "c1>gw",
        "c2>gw",
        "c3>orders",
        "gw>auth",
        "gw>orders",
        "orders>odb",
        "orders>files",
    )
    ranked = drill.analyse(elements)["spofs"]
    # A store takes orders, the gateway and every client down; orders cuts c3 too; auth and gw only c1 and c2.
    assert ranked == [
        {"id": "files", "entry_points_cut": 3, "stores_cut": 2, "components_lost": 5},
        {"id": "odb", "entry_points_cut": 3, "stores_cut": 2, "components_lost": 5},
        {"id": "orders", "entry_points_cut": 3, "stores_cut": 2, "components_lost": 4},
        {"id": "auth", "entry_points_cut": 2, "stores_cut": 2, "components_lost": 3},
        {"id": "gw", "entry_points_cut": 2, "stores_cut": 2, "components_lost": 2},
    ]


# -- Against the reference --------------------------------------------------------------------------------------


def test_a_500_component_random_board_matches_the_brute_force_reference():
    # About 8 clients among 500 components, every type, 700 arrows (30 % async): long chains, cycles, fan-in.
    types = ("client", *[t for t in COMPONENT_TYPES if t != "client"] * 6)
    elements = random_elements(random.Random(1), 500, 700, types)
    graph = drill.Graph.build(elements)
    assert len(graph) == 500 and len(graph.entries) > 3 and len(drill.analyse(elements)["spofs"]) > 50
    check_against_reference(elements)


@PROPERTY
@given(boards())
def test_every_failure_matches_the_brute_force_reference(elements):
    check_against_reference(elements)


@PROPERTY
@given(boards(types=("client", "service", "database", "cache", "load_balancer", "queue")))
def test_every_failure_matches_the_reference_on_boards_rich_in_caches_and_balancers(elements):
    check_against_reference(elements)


@PROPERTY
@given(boards(), st.data())
def test_adding_a_sync_arrow_never_shrinks_the_blast_radius(elements, data):
    components = [e["id"] for e in elements if e["kind"] == "component"]
    if len(components) < 2:
        return
    source, target = data.draw(st.lists(st.sampled_from(components), min_size=2, max_size=2, unique=True))
    more = [e for e in elements if e.get("id") not in (f"{source}-{target}",)]
    more.append(
        {"id": f"{source}-{target}", "kind": "arrow", "source": source, "target": target, "label": "x", "style": "sync"}
    )
    before, after = drill.Graph.build(elements), drill.Graph.build(more)
    for x in range(len(before)):
        old, new = drill.run_drill(before, x), drill.run_drill(after, x)
        assert set(old.lost) | set(old.degraded) <= set(new.lost) | set(new.degraded)


@PROPERTY
@given(boards(types=("client", "service", "database", "storage", "queue", "worker", "external")), st.data())
def test_without_caches_or_balancers_adding_a_sync_arrow_never_shrinks_what_is_lost(elements, data):
    # (A balancer gains a backend, or a cache's caller a fallback: those two may rightly shrink it.)
    components = [e["id"] for e in elements if e["kind"] == "component"]
    if len(components) < 2:
        return
    source, target = data.draw(st.lists(st.sampled_from(components), min_size=2, max_size=2, unique=True))
    more = [e for e in elements if e.get("id") != f"{source}-{target}"]
    more.append(
        {"id": f"{source}-{target}", "kind": "arrow", "source": source, "target": target, "label": "x", "style": "sync"}
    )
    before, after = drill.Graph.build(elements), drill.Graph.build(more)
    for x in range(len(before)):
        assert set(drill.run_drill(before, x).lost) <= set(drill.run_drill(after, x).lost)


@settings(max_examples=50, deadline=None)
@given(boards(max_size=10), st.randoms(use_true_random=False))
def test_the_answer_does_not_depend_on_element_order(elements, rng):
    shuffled = list(elements)
    rng.shuffle(shuffled)
    components = [e["id"] for e in elements if e["kind"] == "component"]
    for component in components[:3]:
        assert drill.analyse(elements, fail=component) == drill.analyse(shuffled, fail=component)


# -- Lints ---------------------------------------------------------------------------------------------------------


def test_cache_without_source():
    assert codes(board({"api": "service", "k": "cache"}, "api>k")) == [("cache_without_source", ["k"])]
    for fine in (
        board({"api": "service", "k": "cache", "db": "database"}, "api>k", "api>db"),  # cache-aside
        board({"api": "service", "k": "cache", "db": "database"}, "api>k", "k>db"),  # read-through
        board({"api": "service", "k": "cache", "s3": "storage"}, "api>k", "k~s3"),  # write-behind
    ):
        assert [c for c, _ in codes(fine) if c == "cache_without_source"] == []


def test_deep_sync_chain():
    six = {f"s{i}": "service" for i in range(6)}
    deep = board(six, "s0>s1", "s1>s2", "s2>s3", "s3>s4", "s4>s5")
    [(code, chain)] = codes(deep)
    assert (code, chain) == ("deep_sync_chain", ["s0", "s1", "s2", "s3", "s4", "s5"])
    lint = drill.lints(drill.Graph.build(deep))[0]
    assert lint["message"].startswith("A synchronous chain of 5 hops: S0 → S1 → S2 → S3 → S4 → S5.")
    assert codes(board(six, "s0>s1", "s1>s2", "s2>s3", "s3>s4", "s0>s5")) == []  # 4 hops is fine
    assert codes(board(six, "s0>s1", "s1>s2", "s2~s3", "s3>s4", "s4>s5")) == []  # an async hop breaks it
    queue = board({**six, "s2": "queue"}, "s0>s1", "s1>s2", "s2>s3", "s3>s4", "s4>s5")
    assert codes(queue) == []  # so does a queue


def test_sync_cycle():
    assert codes(board({"a": "service", "b": "service"}, "a>b", "b>a")) == [("sync_cycle", ["a", "b"])]
    assert codes(board({"a": "service", "b": "service"}, "a>b", "b~a")) == []


def test_unreplicated_shared_database():
    shared = board({"a": "service", "w": "worker", "db": "database"}, "a>db", "w>db")
    assert codes(shared) == [("unreplicated_shared_database", ["db", "a", "w"])]
    assert codes(board({"a": "service", "w": "worker", "db": ("database", 2)}, "a>db", "w>db")) == []
    assert codes(board({"a": "service", "k": "cache", "db": "database"}, "a>db", "k>db", "a>k")) == []


def test_queue_without_consumer():
    assert codes(board({"api": "service", "q": "queue"}, "api~q")) == [("queue_without_consumer", ["q"])]
    assert codes(board({"api": "service", "q": "queue", "w": "worker"}, "api~q", "q~w")) == []


def test_unlabelled_arrow():
    elements = board({"api": "service", "db": "database"}, "api>db", labels=False)
    [lint] = drill.lints(drill.Graph.build(elements))
    assert lint == {
        "code": "unlabelled_arrow",
        "elements": ["api-db"],
        "message": "The arrow Api → Db has no label: say what it carries.",
    }


def test_isolated_component():
    assert codes(board({"api": "service", "db": "database", "lonely": "search"}, "api>db")) == [
        ("isolated_component", ["lonely"])
    ]


def test_lints_come_in_a_fixed_order_by_code():
    elements = board(
        {"api": "service", "w": "worker", "db": "database", "q": "queue", "k": "cache", "x": "service", "y": "service"},
        "api>db",
        "w>db",
        "api~q",
        "y>k",
        labels=False,
    )
    assert [c for c, _ in codes(elements)] == [
        "cache_without_source",
        "unreplicated_shared_database",
        "queue_without_consumer",
        "unlabelled_arrow",
        "unlabelled_arrow",
        "unlabelled_arrow",
        "unlabelled_arrow",
        "isolated_component",
    ]


# -- Probes ---------------------------------------------------------------------------------------------------------


CHAIN = board({"c": "client", "api": ("service", 2), "db": "database", "k": "cache"}, "c>api", "api>db", "api>k")


def test_probes_start_with_the_worst_spofs_then_every_unchallenged_component():
    found = drill.analyse(CHAIN)["probes"]
    assert found == [
        {
            "target": "db",
            "kind": "failure_mode",
            "text": "There is one instance of Db; if it goes down, C can no longer reach Db. "
            "How would you keep them working when it does?",
        },
        {
            "target": "api",
            "kind": "failure_mode",
            "text": "What happens when Api goes down? What do its callers see, and how do they recover?",
        },
        {
            "target": "k",
            "kind": "failure_mode",
            "text": "What happens when K goes down or is flushed? Can the data store behind it take the full load?",
        },
    ]


def test_a_component_challenged_for_failure_in_a_public_layer_is_not_probed_again():
    annotations = [
        {"layer": "challenges", "target": "db", "kind": "failure_mode"},
        {"layer": "notes", "target": "k", "kind": "failure_mode"},  # the candidate raised it unprompted
        {"layer": "challenges", "target": "api", "kind": "scaling"},  # another kind does not count
        {"layer": "private", "target": "api", "kind": "failure_mode"},  # never read
        {"layer": "challenges", "target": None, "kind": "failure_mode"},
    ]
    assert [p["target"] for p in drill.analyse(CHAIN, annotations)["probes"]] == ["api"]


def test_lint_probes_and_board_level_probes():
    elements = board({"api": "service", "q": "queue", "lonely": "worker"}, "api~q", labels=False)
    found = drill.analyse(elements, [{"layer": "challenges", "target": "api", "kind": "failure_mode"}])["probes"]
    by_kind = [(p["target"], p["kind"]) for p in found]
    assert by_kind == [
        (None, "clarify"),
        (None, "clarify"),
        ("lonely", "failure_mode"),
        ("q", "failure_mode"),
        ("q", "clarify"),
        ("api-q", "clarify"),
        ("lonely", "clarify"),
    ]
    texts = [p["text"] for p in found]
    assert texts[0] == "Where does the data live? Nothing on the board is a database or storage yet."
    assert texts[1] == "Who calls this system? Draw the clients, so it is clear where requests come from."
    assert texts[4] == "Who consumes Q? Nothing reads from it on the board."
    assert texts[5] == "What flows from Api to Q: a request, an event, a query?"
    assert texts[6] == "How does Lonely fit in? Nothing connects to it yet."


def test_probe_texts_for_the_other_lints():
    elements = board(
        {f"s{i}": "service" for i in range(6)}
        | {"db": "database", "w": "worker", "k": "cache", "a": "service", "b": "service"},
        "s0>s1",
        "s1>s2",
        "s2>s3",
        "s3>s4",
        "s4>s5",
        "s5>db",
        "w>db",
        "a>k",
        "a>b",
        "b>a",
    )
    covered = [{"layer": "challenges", "target": e["id"], "kind": "failure_mode"} for e in elements]
    found = {(p["target"], p["kind"]): p["text"] for p in drill.analyse(elements, covered)["probes"]}
    assert found[("s0", "scaling")] == (
        "A request from S0 makes 6 synchronous hops to reach Db. What latency does that add up to, "
        "and where would you break the chain?"
    )
    assert found[("db", "scaling")] == (
        "Db is shared by S5 and W and has a single instance. How does it cope with their combined load, "
        "and would you split it or add replicas?"
    )
    assert found[("k", "clarify")] == "Where does K get its data? Nothing connects it to a database or storage."
    assert ("a", "failure_mode") not in found  # the cycle's probe is a failure question, already asked here


def test_probe_texts_are_valid_annotation_text():
    rng = random.Random(3)
    elements = random_elements(rng, 200, 300)
    for e in elements:
        if e["kind"] == "component":
            e["label"] = "L" * 200
    for probe in drill.analyse(elements)["probes"]:
        assert 0 < len(probe["text"]) <= 4000 and probe["kind"] in drill.PROBE_KINDS


# -- Errors -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_id", "code", "message"),
    [
        ("nope", ErrorCode.UNKNOWN_REF, "No element with id 'nope' on this board."),
        ("c-api", ErrorCode.VALIDATION_ERROR, "Only a component or a frame can fail; 'c-api' is an arrow."),
        ("sticky", ErrorCode.VALIDATION_ERROR, "Only a component or a frame can fail; 'sticky' is a note."),
        ("", ErrorCode.VALIDATION_ERROR, "An id is 1 to 64 characters of letters, digits, '-' or '_'."),
    ],
)
def test_a_bad_fail_is_refused(fail_id, code, message):
    elements = [*board({"c": "client", "api": "service"}, "c>api"), {"id": "sticky", "kind": "note", "x": 0, "y": 0}]
    with pytest.raises(SyncError) as refused:
        drill.analyse(elements, fail=fail_id)
    assert (refused.value.code, refused.value.message, refused.value.path) == (code, message, "fail")


def test_an_empty_board():
    assert drill.analyse([]) == {"entry_points": [], "data_stores": [], "spofs": [], "lints": [], "probes": []}


def test_frames_are_regions_not_components_and_change_nothing():
    elements = board({"c": "client", "api": "service", "db": "database"}, "c>api", "api>db")
    frame = {"id": "zone", "kind": "frame", "label": "us-east-1", "x": -10, "y": -10, "w": 400, "h": 200}
    assert drill.analyse([frame, *elements], fail="api") == drill.analyse(elements, fail="api")
    assert drill.analyse([*elements, frame]) == drill.analyse(elements)
