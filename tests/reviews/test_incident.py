"""The incident simulator (reviews/incident.py): hand-built boards, every fault kind, and determinism."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import incident
from tests.reviews.test_drill import board

OPENED = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
NOW = 5  # minutes after the incident opened

# A shop: users -> load balancer -> two API replicas -> orders DB behind a cache; api1 -> queue -> mailer -> mail API.
SHOP = board(
    {
        "users": "client",
        "lb": "load_balancer",
        "api1": "service",
        "api2": "service",
        "cache": "cache",
        "db": "database",
        "q": "queue",
        "mailer": "worker",
        "mail": "external",
        "search": "search",
    },
    "users>lb",
    "lb>api1",
    "lb>api2",
    "api1>cache",
    "api2>cache",
    "api1>db",
    "api2>db",
    "api1>q",
    "q>mailer",
    "mailer>mail",
    "users>search",
)
# The same without a database behind the cache: nowhere to fall back to.
BARE_CACHE = board({"web": "client", "api": "service", "cache": "cache"}, "web>api", "api>cache")


def sim(
    elements: list[dict[str, Any]], target: str, kind: str, actions: tuple[incident.Action, ...] = ()
) -> incident.Board:
    return incident.Board.build(elements, incident.Incident("board-1", incident.Fault(target, kind), OPENED, actions))


def now(b: incident.Board, target: str, minute: int = NOW) -> dict[str, Any]:
    return b.observe(target, "metrics", minute)["now"]


def healthy(b: incident.Board, target: str) -> bool:
    m = now(b, target)
    return m["error_rate"] < 0.01 and m["latency_p99_ms"] < 600 and m["saturation"] < 0.6 and m["requests_per_s"] > 0


def causes(b: incident.Board) -> dict[str, str]:
    return {b.graph.ids[node]: effect.cause for node, effect in b.found.items()}


# -- Every fault kind on the database behind the APIs ---------------------------------------------------------


def test_down_database_refuses_its_callers_and_serves_nothing() -> None:
    b = sim(SHOP, "db", "down")
    assert now(b, "db")["requests_per_s"] == 0
    for caller in ("api1", "api2"):
        assert now(b, caller)["error_rate"] == 1.0
    assert now(b, "users")["error_rate"] == 1.0  # both replicas lost: the load balancer cannot route around
    logs = [line["text"] for line in b.observe("api1", "logs", NOW)["lines"]]
    assert "upstream connect error to Db: connection refused" in logs
    for other in ("search", "mail", "mailer", "q"):  # the mailer does not need the database
        assert healthy(b, other)


def test_slow_database_shows_latency_and_its_callers_inherit_it() -> None:
    b = sim(SHOP, "db", "slow")
    assert now(b, "db")["latency_p99_ms"] > 2000
    assert now(b, "db")["error_rate"] < 0.1
    assert now(b, "api1")["latency_p99_ms"] > 2000
    assert now(b, "lb")["latency_p99_ms"] > 2000
    assert any("slow query" in line["text"] for line in b.observe("db", "logs", NOW)["lines"])
    trace = b.observe("users", "traces", NOW)
    assert [hop["component"] for hop in trace["hops"]] == ["users", "lb", "api1", "db"]
    assert trace["hops"][-1]["status"] == "timeout"
    assert trace["status"] == "error"
    assert healthy(b, "search") and healthy(b, "mail")


def test_errors_show_an_error_rate_that_callers_inherit() -> None:
    b = sim(SHOP, "db", "errors")
    assert now(b, "db")["error_rate"] > 0.3
    assert now(b, "api2")["error_rate"] > 0.3
    assert now(b, "db")["latency_p99_ms"] < 100


def test_saturated_shows_saturation_first_then_latency_and_errors() -> None:
    b = sim(SHOP, "db", "saturated")
    first, later = now(b, "db", 0), now(b, "db", NOW)
    assert first["saturation"] > 0.9 and later["saturation"] > 0.9
    assert first["latency_p99_ms"] < later["latency_p99_ms"]
    assert later["error_rate"] > 0.1
    assert any("pool exhausted" in line["text"] for line in b.observe("db", "logs", NOW)["lines"])


def test_bad_deploy_shows_errors_from_a_deploy_just_before_the_incident() -> None:
    b = sim(SHOP, "api1", "bad_deploy")
    assert now(b, "api1")["error_rate"] > 0.4
    deploys = b.observe("api1", "deploys", NOW)["deploys"]
    assert deploys[0]["minute"] == -1 and deploys[0]["by"] == "release pipeline"
    # Decoys elsewhere are never that close to the onset.
    for other in ("api2", "mailer", "users", "lb"):
        assert all(d["minute"] <= -3 for d in b.observe(other, "deploys", NOW)["deploys"])


def test_the_change_starts_when_the_incident_opened() -> None:
    b = sim(SHOP, "db", "slow")
    series = b.observe("db", "metrics", NOW)["series"]
    assert [point["minute"] for point in series] == list(range(NOW - 29, NOW + 1))
    assert all(point["latency_p99_ms"] < 100 for point in series if point["minute"] < 0)
    assert all(point["latency_p99_ms"] > 2000 for point in series if point["minute"] >= 0)
    assert b.observe("db", "metrics", NOW)["before"]["latency_p99_ms"] < 100


# -- Load balancers, caches and queues soften --------------------------------------------------------------


def test_a_load_balancer_routes_around_one_replica_that_is_down() -> None:
    b = sim(SHOP, "api1", "down")
    assert now(b, "api1")["requests_per_s"] == 0
    assert causes(b) == {"api1": "down", "lb": "routed"}
    assert now(b, "lb")["error_rate"] < 0.02
    assert healthy(b, "users") and healthy(b, "api2") and healthy(b, "db")
    assert any("routing to the others" in line["text"] for line in b.observe("lb", "logs", NOW)["lines"])


def test_a_load_balancer_averages_an_error_rate_over_its_replicas() -> None:
    b = sim(SHOP, "api1", "errors")
    assert 0.1 < now(b, "lb")["error_rate"] < 0.25
    assert healthy(b, "api2")


def test_a_cache_failure_falls_back_to_the_database_without_errors() -> None:
    b = sim(SHOP, "cache", "down")
    assert causes(b)["api1"] == "fallback"
    assert now(b, "api1")["error_rate"] < 0.01
    assert any("reading through" in line["text"] for line in b.observe("api2", "logs", NOW)["lines"])
    assert healthy(b, "users")


def test_a_cache_without_a_database_behind_it_fails_its_callers() -> None:
    b = sim(BARE_CACHE, "cache", "down")
    assert now(b, "api")["error_rate"] == 1.0
    assert now(b, "web")["error_rate"] == 1.0


def test_a_slow_queue_consumer_grows_a_backlog_and_leaves_producers_alone() -> None:
    b = sim(SHOP, "mailer", "saturated")
    assert now(b, "mailer")["saturation"] > 0.9
    assert now(b, "q")["saturation"] > 0.9
    assert any("queue depth" in line["text"] for line in b.observe("q", "logs", NOW)["lines"])
    for producer_side in ("api1", "lb", "users"):
        assert healthy(b, producer_side)


def test_a_failing_dependency_of_the_consumer_backs_up_the_queue_too() -> None:
    b = sim(SHOP, "mail", "down")
    assert now(b, "mailer")["error_rate"] == 1.0
    assert causes(b)["q"] == "backlog"
    assert healthy(b, "api1")


def test_a_queue_that_is_down_refuses_its_producers() -> None:
    b = sim(SHOP, "q", "down")
    assert now(b, "api1")["error_rate"] == 1.0
    assert healthy(b, "mailer")  # starved, not failing


@pytest.mark.parametrize("kind", incident.KINDS)
@pytest.mark.parametrize("target", ["db", "api1", "mailer", "cache", "q", "search"])
def test_components_outside_the_drill_blast_radius_stay_normal(kind: str, target: str) -> None:
    b = sim(SHOP, target, kind)
    radius = set(incident.blast_radius(b.graph, target))
    assert set(causes(b)) <= radius
    clean = incident.Board.build(SHOP, incident.Incident("board-1", incident.Fault("nowhere", kind), OPENED))
    for node in range(len(b.graph)):
        cid = b.graph.ids[node]
        if cid not in radius:
            # Not just "looks healthy": exactly the numbers of a board with no fault at all.
            assert b.observe(cid, "metrics", NOW) == clean.observe(cid, "metrics", NOW)
            assert b.observe(cid, "logs", NOW) == clean.observe(cid, "logs", NOW)


# -- Actions ---------------------------------------------------------------------------------------------------


def test_rollback_fixes_a_bad_deploy_on_its_target_only() -> None:
    fault = incident.Fault("api1", "bad_deploy")
    assert incident.remedy(fault, incident.Action("api2", "rollback", 3), "Api2").effect == "none"
    cure = incident.remedy(fault, incident.Action("api1", "rollback", 3), "Api1")
    assert (cure.effect, cure.start, cure.end) == ("fixed", 5, None)
    b = sim(SHOP, "api1", "bad_deploy", (incident.Action("api1", "rollback", 3),))
    assert now(b, "api1", 4)["error_rate"] > 0.4
    assert now(b, "api1", 5)["error_rate"] < 0.01


def test_restart_relieves_saturation_for_a_while() -> None:
    b = sim(SHOP, "db", "saturated", (incident.Action("db", "restart", 2),))
    assert now(b, "db", 3)["saturation"] < 0.9
    assert now(b, "db", 12)["saturation"] < 0.9
    assert now(b, "db", 13)["saturation"] > 0.9


def test_change_code_is_a_deploy_that_takes_minutes() -> None:
    b = sim(SHOP, "api1", "errors", (incident.Action("api1", "change_code", 1),))
    assert now(b, "api1", 15)["error_rate"] > 0.3
    assert now(b, "api1", 16)["error_rate"] < 0.01
    assert b.observe("api1", "deploys", 16)["deploys"][0] == {
        "at": "2026-03-01T14:16:00Z",
        "minute": 16,
        "version": "hotfix",
        "by": "you",
    }


# -- Determinism -------------------------------------------------------------------------------------------------

COMPONENT_TYPES = sorted(incident.BASE_LATENCY)


@st.composite
def graphs(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 8))
    components = {f"c{i}": draw(st.sampled_from(COMPONENT_TYPES)) for i in range(n)}
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12))
    arrows = sorted({f"c{a}>c{b}" if (a + b) % 3 else f"c{a}~c{b}" for a, b in pairs if a != b})
    return board(components, *arrows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    elements=graphs(),
    seed=st.sampled_from(["a", "b"]),
    kind=st.sampled_from(incident.KINDS),
    target=st.integers(0, 7),
    minute=st.integers(-5, 40),
    signal=st.sampled_from(incident.SIGNALS),
    data=st.data(),
)
def test_observations_are_a_function_of_board_fault_and_minute(
    elements: list[dict[str, Any]], seed: str, kind: str, target: int, minute: int, signal: str, data: st.DataObject
) -> None:
    ids = [e["id"] for e in elements if e["kind"] == "component"]
    fault = incident.Fault(ids[target % len(ids)], kind)
    looked = data.draw(st.sampled_from(ids))
    made = incident.Incident(seed, fault, OPENED)
    first = json.dumps(incident.observe(elements, made, looked, signal, minute), sort_keys=True)
    # A fresh simulator, the elements in another order: the same bytes.
    again = json.dumps(incident.observe(list(reversed(elements)), made, looked, signal, minute), sort_keys=True)
    assert first == again
    radius = set(incident.blast_radius(incident.drill.Graph.build(elements), fault.target))
    if looked not in radius and signal != "traces":
        clean = incident.Incident(seed, incident.Fault("absent", kind), OPENED)
        assert first == json.dumps(incident.observe(elements, clean, looked, signal, minute), sort_keys=True)
