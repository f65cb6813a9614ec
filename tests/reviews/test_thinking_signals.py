"""Thinking signals on hand-built logs, each expectation counted by hand from the log above it.

Logs go through the real rules (`tests/reviews/logs.py`) where the rules exist;
ops and fields other topics are adding (decide, flow, timeout_ms, dead_letter,
backup, the monitoring type) go in as the shared shapes give them
(`Log.send_raw`). Times are seconds after `T0`.
"""

from __future__ import annotations

import json
from typing import Any

import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import decisions
from reviews.thinking_signals import compute, glossary
from tests.factories import add, arrow, element
from tests.reviews.factories import annotate, reply, set_status
from tests.reviews.logs import CANDIDATE, INTERVIEWER, ROLES, Log, answer_requirement, delete, question, session, update
from tests.reviews.test_interview_signals import next_batch
from whiteboard.errors import SyncError


def thinking(log: Log) -> dict[str, Any]:
    return compute(log.batches, ROLES)


def whole(element_id: str, kind: str = "component", **props: Any) -> dict[str, Any]:
    """An element with every default a stored add carries, plus any new-shape fields."""
    defaults: dict[str, dict[str, Any]] = {
        "component": {"tech": "", "replicas": 1, "notes": "", "w": 160, "h": 72},
        "arrow": {"label": "", "style": "sync"},
    }
    return {"op": "add", "element": {**defaults.get(kind, {}), **element(element_id, kind, **props)}}


def decide(decision_id: str, target: str, choice: str, alternatives: list[str], cost: str = "") -> dict[str, Any]:
    decision = {"id": decision_id, "target": target, "choice": choice, "alternatives": alternatives, "cost": cost}
    return {"op": "decide", "decision": {**decision, "why": "replay", "revisit_when": ""}}


def card(card_id: str, text: str = "Traffic grows 10x.") -> dict[str, Any]:
    return {"op": "scenario", "card": {"id": card_id, "text": text, "title": text}}


# --- decisions ---------------------------------------------------------------------------------------


def test_a_tech_choice_explained_then_changed_is_no_longer_explained() -> None:
    log = Log()
    log.send(CANDIDATE, add("bus", tech="Kafka"), add("db", tech="Postgres"), add("api"))  # seq 1
    log.send_raw(CANDIDATE, decide("d1", "bus", "Kafka", ["SQS"], cost="more to operate"))  # seq 2
    log.send_raw(CANDIDATE, decide("d2", "db", "Postgres", []))  # seq 3
    first = thinking(log)["decisions"]
    assert first == {
        "count": 2,
        "with_tech": 2,  # api has none
        "explained": 2,
        "with_alternative": 1,  # bus names SQS
        "with_cost": 1,
        "unexplained": 0,
        "stale": 0,
    }
    log.send(CANDIDATE, update("bus", tech="RabbitMQ"))  # seq 4: d1 was about Kafka
    result = thinking(log)
    assert result["decisions"] == {
        "count": 2,
        "with_tech": 2,
        "explained": 1,
        "with_alternative": 0,
        "with_cost": 0,
        "unexplained": 1,
        "stale": 1,
    }
    assert result["evidence"]["decisions.unexplained"] == [{"type": "element", "id": "bus", "seq": 4}]
    log.send_raw(CANDIDATE, decide("d1", "bus", "RabbitMQ", ["Kafka"]))  # seq 5: the same id again is an edit
    assert thinking(log)["decisions"]["explained"] == 2
    log.send_raw(CANDIDATE, {"op": "delete_decision", "id": "d2"})
    decisions = thinking(log)["decisions"]
    assert (decisions["count"], decisions["unexplained"], decisions["stale"]) == (1, 1, 0)


# --- beyond the happy path -----------------------------------------------------------------------


def test_beyond_the_happy_path_counts_each_safeguard_on_the_final_canvas() -> None:
    log = Log()
    log.send_raw(
        CANDIDATE,
        whole("api"),
        whole("pay", type="external"),
        whole("mail", type="external"),
        whole("q", type="queue", dead_letter=True),
        whole("q2", type="queue"),
        whole("db", type="database", backup=True),
        whole("store", type="storage"),
        whole("mon", type="monitoring"),
    )
    log.send_raw(
        CANDIDATE,
        whole("a1", "arrow", source="api", target="pay", timeout_ms=500),
        whole("a2", "arrow", source="api", target="mail"),  # no timeout
        whole("a3", "arrow", source="api", target="pay", style="async", timeout_ms=100),  # not a sync call
        whole("a4", "arrow", source="api", target="q"),
    )
    log.send(CANDIDATE, annotate("n1", "db", layer="notes"))  # a failure-mode note of the candidate's
    log.send(INTERVIEWER, annotate("c1", "api"))  # a challenge is not the candidate's own error handling
    result = thinking(log)
    assert result["beyond_happy_path"] == {
        "external_calls": 2,
        "external_calls_with_timeout": 1,
        "queues": 2,
        "queues_with_dead_letter": 1,
        "data_stores": 2,
        "data_stores_protected": 1,
        "monitored": True,
        "error_handling": 1,
    }
    assert [link["id"] for link in result["evidence"]["beyond_happy_path.external_calls_with_timeout"]] == ["a1"]
    assert result["evidence"]["beyond_happy_path.error_handling"] == [{"type": "annotation", "id": "n1", "seq": 3}]


def test_a_replicated_store_counts_as_protected_and_nothing_monitored_is_false() -> None:
    log = Log()
    log.send(CANDIDATE, add("db", type="database", replicas=3), add("files", type="storage"), add("c", type="cache"))
    result = thinking(log)["beyond_happy_path"]
    # a cache is not a data store (vocabulary.DATA_STORES): losing it loses nothing that must be backed up
    assert (result["data_stores"], result["data_stores_protected"], result["monitored"]) == (2, 1, False)


# --- complexity ----------------------------------------------------------------------------------


def test_a_cache_before_any_scale_answer_is_premature() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))  # seq 1
    log.send(CANDIDATE, add("cache", type="cache"))  # seq 2: premature
    log.send(CANDIDATE, question("q1"))  # seq 3: asked, not answered yet
    log.send(INTERVIEWER, answer_requirement("q1"))  # seq 4: the scale moment
    log.send(CANDIDATE, add("queue", type="queue"))  # seq 5: after it
    log.send(CANDIDATE, update("api", replicas=3))  # seq 6: after it
    result = thinking(log)
    assert result["complexity"]["premature"] == 1
    assert result["evidence"]["complexity.premature"] == [{"type": "element", "id": "cache", "seq": 2}]


def test_an_assumption_first_makes_scaling_out_timely_and_replicas_count_when_raised() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    log.send(CANDIDATE, update("api", replicas=4))  # seq 2: premature, by replicas
    log.send(CANDIDATE, question("a1", "Assume 1M users a day.", kind="assumption"))  # seq 3
    log.send(CANDIDATE, add("cdn", type="cdn"))  # seq 4: after the assumption
    result = thinking(log)
    assert result["evidence"]["complexity.premature"] == [{"type": "element", "id": "api", "seq": 2}]


def test_the_curve_is_the_board_size_at_the_end_of_each_minute() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"), t=0)  # seq 1
    log.send(CANDIDATE, add("a"), t=30)  # seq 2
    log.send(CANDIDATE, add("b"), t=90)  # seq 3
    log.send(CANDIDATE, arrow("ab", "a", "b"), t=100)  # seq 4
    assert thinking(log)["complexity"]["curve"] == [
        {"minute": 0, "components": 0, "arrows": 0},
        {"minute": 1, "components": 1, "arrows": 0},
        {"minute": 2, "components": 2, "arrows": 1},
    ]


def test_a_card_followed_by_no_change_shows_no_adaptation() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"), t=0)  # seq 1
    log.send(CANDIDATE, add("api"), add("db", type="database"), t=20)  # seq 2
    log.send(INTERVIEWER, card("k1"), t=60)  # seq 3
    log.send(CANDIDATE, update("api", x=300), t=200)  # seq 4: a move is no change of meaning
    log.send(CANDIDATE, add("late"), t=700)  # seq 5: 640 s after the card, too late
    log.send(INTERVIEWER, card("k2", "One region goes down."), t=800)  # seq 6
    log.send(CANDIDATE, arrow("a1", "api", "db"), t=900)  # seq 7
    log.send(CANDIDATE, update("db", label="primary db"), t=950)  # seq 8
    result = thinking(log)
    complexity = result["complexity"]
    assert complexity["adaptation"][0] == {"card": "k1", "seq": 3, "changes": 0}
    assert complexity["adaptation"][1] == {"card": "k2", "seq": 6, "changes": 2}
    assert complexity["adapted"] == 1
    assert complexity["cards"] == [
        {"id": "k1", "title": "Traffic grows 10x.", "seq": 3, "minute": 1.0},
        {"id": "k2", "title": "One region goes down.", "seq": 6, "minute": 13.3},
    ]
    assert {"type": "element", "id": "a1", "seq": 7} in result["evidence"]["complexity.adaptation"]


def test_only_the_interviewing_side_plays_cards_and_a_card_is_played_once() -> None:
    log = Log()
    try:
        log.send(CANDIDATE, card("k1"))
    except SyncError as error:
        assert error.code.value == "forbidden"
    else:
        raise AssertionError("a candidate played a card")
    log.send(INTERVIEWER, card("k1"))
    try:
        log.send(INTERVIEWER, card("k1"))
    except SyncError as error:
        assert (error.code.value, error.path) == ("duplicate_id", "ops[0].card.id")
    else:
        raise AssertionError("a card was played twice")
    assert len(thinking(log)["complexity"]["cards"]) == 1


# --- recovery ------------------------------------------------------------------------------------


def test_a_challenge_answered_but_the_design_never_changed_has_no_change_in_its_arc() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"), t=0)  # seq 1
    log.send(CANDIDATE, add("api"), add("cache", type="cache", tech="Redis"), t=10)  # seq 2
    log.send(INTERVIEWER, annotate("c1", "api"), t=20)  # seq 3
    log.send(CANDIDATE, reply("c1", "r1", "It restarts."), t=50)  # seq 4
    log.send(INTERVIEWER, set_status("c1", "resolved"), t=80)  # seq 5
    log.send(INTERVIEWER, annotate("c2", "cache", kind="trade_off", text="Why Redis?"), t=100)  # seq 6
    log.send(CANDIDATE, reply("c2", "r2", "Memcached is simpler; switching."), t=130)  # seq 7
    log.send(CANDIDATE, update("cache", tech="Memcached"), t=190)  # seq 8
    log.send(INTERVIEWER, set_status("c2", "resolved"), t=200)  # seq 9
    result = thinking(log)
    never, recovered = result["recovery"]["arcs"]
    assert never == {
        "challenge": "c1",
        "target": "api",
        "raised_seq": 3,
        "reply_seq": 4,
        "change_seq": None,
        "resolved_seq": 5,
        "seconds": {"to_reply": 30.0, "to_change": None, "to_resolve": 30.0},
        "diff": "",
    }
    assert recovered == {
        "challenge": "c2",
        "target": "cache",
        "raised_seq": 6,
        "reply_seq": 7,
        "change_seq": 8,
        "resolved_seq": 9,
        "seconds": {"to_reply": 30.0, "to_change": 60.0, "to_resolve": 10.0},
        "diff": "changed cache (tech: Redis -> Memcached)",
    }
    assert result["recovery"]["recovered"] == 1


def test_an_unanswered_challenge_has_an_arc_of_its_raise_alone() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    log.send(INTERVIEWER, annotate("c1", "api"))
    log.send(CANDIDATE, update("api", label="gateway"))  # a change, but no reply came first
    (arc,) = thinking(log)["recovery"]["arcs"]
    assert (arc["reply_seq"], arc["change_seq"], arc["resolved_seq"]) == (None, None, None)


# --- communication -------------------------------------------------------------------------------


def flow(flow_id: str, *steps: tuple[str, str]) -> dict[str, Any]:
    return {
        "op": "flow",
        "flow": {"id": flow_id, "title": flow_id, "steps": [{"element": e, "text": text} for e, text in steps]},
    }


def test_communication_reads_the_candidates_flows_and_answers_and_ignores_a_flow_missing_an_element() -> None:
    log = Log()
    log.send(CANDIDATE, add("user", type="client"), add("api"), add("gone"))  # seq 1
    log.send(CANDIDATE, arrow("a1", "user", "api", label=""))  # seq 2: an arrow without a label
    log.send_raw(
        CANDIDATE, flow("f1", ("user", "The user opens the link"), ("api", "The service looks it up in Redis."))
    )
    log.send_raw(CANDIDATE, flow("f2", ("api", "Writes go through sharding."), ("gone", "Then here.")))  # seq 4
    log.send(CANDIDATE, delete("gone"))  # seq 5: f2 now names an element that is not there
    log.send(INTERVIEWER, annotate("c1", "api", kind="trade_off", text="Why Kafka?"))  # seq 6
    log.send(CANDIDATE, reply("c1", "r1", "Kafka gives us replay!"))  # seq 7
    log.send(INTERVIEWER, reply("c1", "r2", "The interviewer's words are not the candidate's."))  # seq 8
    result = thinking(log)["communication"]
    assert [text["text"] for text in result["texts"]] == [
        "The user opens the link",
        "The service looks it up in Redis.",
        "Kafka gives us replay!",
    ]
    passage = "The user opens the link. The service looks it up in Redis. Kafka gives us replay!"
    assert result["readability"] == {
        "flesch_reading_ease": round(textstat.flesch_reading_ease(passage), 1),
        "grade": round(textstat.flesch_kincaid_grade(passage), 1),
    }
    assert result["jargon"] == ["kafka", "redis"]
    assert result["jargon_share"] == round(2 / 16, 3)  # 5 + 7 + 4 words
    assert result["labels_missing"] == 1  # a1 (components carry their ids as labels)


def test_plain_words_read_easier_than_jargon() -> None:
    plain, dense = Log(), Log()
    for log, text in (
        (plain, "The app asks the server for the page and shows it."),
        (dense, "Idempotent asynchronous replication guarantees eventual consistency across partitioned replicas."),
    ):
        log.send(CANDIDATE, add("api"))
        log.send(INTERVIEWER, annotate("c1", "api"))
        log.send(CANDIDATE, reply("c1", "r1", text))
    easy, hard = thinking(plain)["communication"], thinking(dense)["communication"]
    assert easy["readability"]["flesch_reading_ease"] > hard["readability"]["flesch_reading_ease"]
    assert easy["jargon_share"] == 0 and hard["jargon_share"] > 0.3
    assert {"idempotent", "replication", "replicas"} <= glossary()


def test_an_empty_log_has_no_readability_and_no_curve() -> None:
    result = compute([], {})
    assert result["communication"]["readability"] is None
    assert result["complexity"]["curve"] == [] and result["recovery"]["arcs"] == []


# --- any valid log -------------------------------------------------------------------------------


def _new_shape(data: st.DataObject, log: Log) -> tuple[str, dict[str, Any]] | None:
    """An op of a shape other topics are adding (or a card), on the board as it stands; None when it cannot apply."""
    ids = sorted(log.elements)
    played = {op["card"]["id"] for batch in log.batches for op in batch["ops"] if op["op"] == "scenario"}
    choice = data.draw(st.integers(0, 6))
    if choice == 0 and ids:
        return CANDIDATE, decide(f"d{data.draw(st.integers(0, 2))}", data.draw(st.sampled_from(ids)), "Kafka", ["SQS"])
    if choice == 1:
        return CANDIDATE, {"op": "delete_decision", "id": "d1"}
    if choice == 2 and ids:
        return CANDIDATE, flow(f"f{data.draw(st.integers(0, 1))}", *((e, "It goes here.") for e in ids[:3]))
    if choice == 3:
        return CANDIDATE, {"op": "delete_flow", "id": "f0"}
    if choice == 4 and f"k{log.seq}" not in played:
        return INTERVIEWER, card(f"k{log.seq}")
    if choice == 5 and ids:
        props = {"timeout_ms": 250} if log.elements[ids[0]]["kind"] == "arrow" else {"familiarity": "read"}
        return CANDIDATE, update(ids[0], **props)
    if choice == 6 and f"m{log.seq}" not in log.elements:
        return CANDIDATE, whole(f"m{log.seq}", type="monitoring", backup=True)
    return None


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_the_thinking_signals_never_raise_on_a_log_the_server_could_store(data: st.DataObject) -> None:
    log = Log()
    for _ in range(data.draw(st.integers(0, 30))):
        if data.draw(st.integers(0, 4)) == 0:
            made = _new_shape(data, log)
            if made is not None:
                log.send_raw(made[0], made[1], t=log.t + data.draw(st.integers(0, 400)))
            continue
        who, raw_ops = data.draw(next_batch(log))
        if not raw_ops:
            continue
        try:
            log.send(who, *raw_ops, t=log.t + data.draw(st.integers(0, 400)))
        except SyncError:
            continue
    result = thinking(log)
    assert json.loads(json.dumps(result)) == result
    decisions = result["decisions"]
    assert decisions["explained"] + decisions["unexplained"] == decisions["with_tech"]
    assert decisions["with_alternative"] <= decisions["explained"] and decisions["stale"] <= decisions["unexplained"]
    assert result["recovery"]["recovered"] <= len(result["recovery"]["arcs"])
    assert result["complexity"]["adapted"] <= len(result["complexity"]["cards"])
    curve = result["complexity"]["curve"]
    if log.batches:  # the last point is the final board, counted here from the log's own fold
        kinds = [e["kind"] for e in log.elements.values()]
        assert (curve[-1]["components"], curve[-1]["arrows"]) == (kinds.count("component"), kinds.count("arrow"))
    share = result["communication"]["jargon_share"]
    assert share is None or 0 <= share <= 1


def test_decisions_are_replayed_as_the_decisions_topic_stores_them() -> None:
    """A decide op as the server stores it (every text present), an edit by id, a deleted decision,
    and an op this module does not know."""
    log = Log()
    log.send(CANDIDATE, add("api", tech="Go"))  # seq 1
    stored = decisions.parse_op({"op": "decide", "decision": {"id": "d1", "target": "api", "choice": "Go"}}, "ops[0]")
    log.send_raw(CANDIDATE, stored)  # seq 2: no alternative, cost ""
    log.send_raw(CANDIDATE, decide("d2", "api", "Go", ["Java"], cost="fewer libraries"))  # seq 3
    log.send_raw(CANDIDATE, {"op": "delete_decision", "id": "d2"})  # seq 4
    log.send_raw(CANDIDATE, {"op": "some_future_op", "x": 1})  # seq 5
    result = thinking(log)["decisions"]
    assert (result["count"], result["explained"], result["with_alternative"], result["with_cost"]) == (1, 1, 0, 0)
