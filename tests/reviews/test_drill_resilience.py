"""The failure drill and the unhappy path's fields: a caller with a timeout and a fallback degrades
instead of going down, retries into a call not marked idempotent are a lint, and a technology
nobody explained gets a "why X and not …?" probe."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reviews import drill
from tests.reviews.test_drill import PROPERTY, Reference, board, boards, check_against_reference


def with_fields(elements: list[dict[str, Any]], **by_id: dict[str, Any]) -> list[dict[str, Any]]:
    """`api-db={"timeout_ms": 500}`: extra fields on the named elements."""
    return [{**e, **by_id.get(e["id"].replace("-", "_"), {})} for e in elements]


def failing(elements: list[dict[str, Any]], element_id: str) -> dict[str, Any]:
    return drill.analyse(elements, fail=element_id)["drill"]


# Checkout calls two payment providers; the call to the first has a timeout.
SHOP = board(
    {"web": "client", "api": "service", "pay1": "external", "pay2": "external", "db": "database"},
    "web>api",
    "api>pay1",
    "api>pay2",
    "api>db",
)


def test_without_a_timeout_a_lost_provider_takes_the_caller_down():
    result = failing(SHOP, "pay1")
    assert set(result["lost"]) == {"api", "web"}


def test_a_timeout_and_a_second_provider_degrade_the_caller_instead():
    guarded = with_fields(SHOP, api_pay1={"timeout_ms": 800})
    result = failing(guarded, "pay1")
    assert result["lost"] == [] and set(result["degraded"]) == {"api", "web"}
    assert "Api times out on Pay1 after 800 ms and falls back to Pay2" in result["summary"]


def test_a_timeout_without_a_fallback_still_goes_down():
    alone = with_fields(
        board({"web": "client", "api": "service", "pay": "external"}, "web>api", "api>pay"),
        api_pay={"timeout_ms": 800},
    )
    result = failing(alone, "pay")
    assert set(result["lost"]) == {"api", "web"}
    # the summary says the timeout still helps: the caller answers an error instead of hanging
    assert "Api times out on Pay after 800 ms with nothing to fall back to, so it fails fast" in result["summary"]
    assert "fails fast" not in failing(with_fields(SHOP, api_pay1={"timeout_ms": 800}), "pay1")["summary"]
    assert "fails fast" not in failing(SHOP, "pay1")["summary"]  # no timeout: it hangs, nothing to praise


def test_the_fallback_must_be_alive_and_of_the_same_type():
    guarded = with_fields(SHOP, api_pay1={"timeout_ms": 800}, api_pay2={"timeout_ms": 800})
    # Both providers have timeouts: losing one falls back to the other; a database is no payment provider.
    assert failing(guarded, "pay2")["lost"] == []
    other_type = with_fields(
        board({"api": "service", "pay": "external", "db": "database"}, "api>pay", "api>db"),
        api_pay={"timeout_ms": 800},
    )
    assert failing(other_type, "pay")["lost"] == ["api"]


def test_a_timeout_on_only_one_of_two_arrows_between_the_pair_does_not_guard_it():
    doubled = [*with_fields(SHOP, api_pay1={"timeout_ms": 800})]
    doubled.append({**next(e for e in SHOP if e["id"] == "api-pay1"), "id": "api-pay1-again"})
    assert "api" in failing(doubled, "pay1")["lost"]


class TimeoutReference(Reference):
    """The brute-force reference with the timeout rule added, written from docs/protocol.md."""

    def __init__(self, elements: list[dict[str, Any]]) -> None:
        super().__init__(elements)
        sync = [e for e in elements if e["kind"] == "arrow" and e["style"] == "sync"]
        pairs = {(e["source"], e["target"]) for e in sync}
        self.guarded = {p for p in pairs if all(e.get("timeout_ms") for e in sync if (e["source"], e["target"]) == p)}

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
                    fires = any(d in lost and self.fires_through(c, d, lost) for d in self.deps[c])
                if fires:
                    lost.add(c)
                    changed = True
        return lost

    def fires_through(self, c: str, d: str, lost: set[str]) -> bool:
        peers = {p for p in self.deps[c] if self.type[p] == self.type[d]}
        if (c, d) in self.guarded and not peers <= lost:
            return False
        return self.type[d] != "cache" or not self.fallback(c, lost)


@st.composite
def guarded_boards(draw: st.DrawFn) -> list[dict]:
    elements = draw(boards(types=("client", "service", "cache", "database", "external", "load_balancer", "queue")))
    return [{**e, "timeout_ms": 100} if e["kind"] == "arrow" and draw(st.booleans()) else e for e in elements]


@PROPERTY
@given(guarded_boards())
def test_every_failure_with_timeouts_matches_the_brute_force_reference(elements):
    ref = TimeoutReference(elements)
    graph = drill.Graph.build(elements)
    blocked = drill.lost_matrix(graph)
    for x, failed in enumerate(graph.ids):
        lost = ref.lost(failed)
        assert {graph.ids[v] for v in drill.run_drill(graph, x).lost} | {failed} == lost, failed
        assert {graph.ids[v] for v in range(len(graph)) if blocked[v] >> x & 1} == lost, failed


def test_without_timeouts_the_reference_is_unchanged():
    check_against_reference(SHOP)


# -- Retries into a call not marked idempotent -------------------------------------------------------------------


def lints(elements: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    return [(lint["code"], lint["elements"]) for lint in drill.analyse(elements)["lints"] if "retr" in lint["code"]]


def test_retries_into_a_call_not_marked_idempotent_are_flagged():
    retried = with_fields(SHOP, api_db={"retries": 3})
    assert lints(retried) == [("retries_duplicate_writes", ["api-db", "api", "db"])]
    lint = next(li for li in drill.analyse(retried)["lints"] if li["code"] == "retries_duplicate_writes")
    assert "retries can duplicate writes" in lint["message"] and "up to 3 times" in lint["message"]


def test_idempotent_calls_and_calls_without_retries_are_not():
    assert lints(with_fields(SHOP, api_db={"retries": 3, "idempotent": True})) == []
    assert lints(with_fields(SHOP, api_db={"retries": 0, "idempotent": False})) == []
    assert lints(SHOP) == []


def test_the_retry_lint_becomes_a_failure_mode_probe_on_the_arrow():
    probes = drill.analyse(with_fields(SHOP, api_db={"retries": 2}))["probes"]
    probe = next(p for p in probes if p["target"] == "api-db")
    assert probe["kind"] == "failure_mode" and "safe to repeat" in probe["text"]


# -- Why <tech> and not …? -----------------------------------------------------------------------------------------


def why_probes(elements, decisions=(), annotations=()) -> dict[str | None, str]:
    probes = drill.analyse(elements, annotations, decisions=decisions)["probes"]
    return {p["target"]: p["text"] for p in probes if p["kind"] == "trade_off"}


def test_a_component_with_a_tech_and_no_decision_is_asked_why():
    teched = with_fields(SHOP, db={"tech": "Postgres"}, api={"tech": "Go"})
    assert why_probes(teched) == {
        "api": "Why Go and not something else for Api? What did you weigh it against, and what does it cost you?",
        "db": "Why Postgres and not something else for Db? What did you weigh it against, and what does it cost you?",
    }


def test_a_decision_or_a_trade_off_challenge_explains_it_and_no_tech_asks_nothing():
    teched = with_fields(SHOP, db={"tech": "Postgres"}, api={"tech": "Go"})
    decided = [{"id": "d1", "target": "db", "choice": "Postgres"}]
    assert set(why_probes(teched, decided)) == {"api"}
    challenged = [{"layer": "challenges", "target": "api", "kind": "trade_off"}]
    assert set(why_probes(teched, decided, challenged)) == set()
    assert why_probes(SHOP) == {}


def test_monitoring_has_its_own_failure_question():
    elements = board({"api": "service", "mon": "monitoring"}, "api>mon")
    texts = [p["text"] for p in drill.analyse(elements)["probes"] if p["target"] == "mon"]
    assert any("Would anyone notice" in text for text in texts)
