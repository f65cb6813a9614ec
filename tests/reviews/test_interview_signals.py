"""Signals on hand-built logs: every signal, its edge cases, and its evidence links.

Logs go through the real pure rules (`tests/reviews/logs.py`), so each one is
a log the server could have stored. Times are seconds after `T0`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import interview, scoring
from reviews.interview_signals import compute
from tests.factories import add, arrow
from tests.reviews.factories import annotate, delete_annotation, reply, set_status
from tests.reviews.logs import (
    CANDIDATE,
    INTERVIEWER,
    OWNER,
    REVIEWER,
    ROLES,
    T0,
    Log,
    answer_requirement,
    delete,
    question,
    session,
    update,
)
from whiteboard.errors import SyncError


def signals(log: Log, **options: Any) -> dict[str, Any]:
    return compute(log.batches, ROLES, **options)


def seq(n: int) -> dict[str, Any]:
    return {"type": "seq", "seq": n}


def element(element_id: str, at: int) -> dict[str, Any]:
    return {"type": "element", "id": element_id, "seq": at}


def requirement(entry_id: str, at: int) -> dict[str, Any]:
    return {"type": "requirement", "id": entry_id, "seq": at}


def annotation(annotation_id: str, at: int) -> dict[str, Any]:
    return {"type": "annotation", "id": annotation_id, "seq": at}


def drawn(*ids: str) -> list[dict[str, Any]]:
    return [add(i) for i in ids]


def challenge(log: Log, annotation_id: str, target: str | None, kind: str = "failure_mode", **at: Any) -> int:
    return log.send(INTERVIEWER, annotate(annotation_id, target, kind=kind), **at)["seq"]


def note(log: Log, annotation_id: str, target: str | None, kind: str = "failure_mode", **at: Any) -> int:
    return log.send(CANDIDATE, annotate(annotation_id, target, layer="notes", kind=kind), **at)["seq"]


def answer(log: Log, annotation_id: str, reply_id: str = "r1", **at: Any) -> int:
    return log.send(CANDIDATE, reply(annotation_id, reply_id), **at)["seq"]


# The start, and the clock every "seconds" is read on


def test_an_empty_log_has_no_start_and_nothing_to_count() -> None:
    result = compute([], {})
    assert result["start"] is None and result["elapsed_seconds"] is None
    assert result["questions"] == result["questions_before_first_component"] == 0
    assert result["seconds_to_first_question"] is None and result["seconds_to_first_component"] is None
    assert result["drew_before_asking"] is False
    assert result["challenges"] == {"raised": 0, "answered": 0, "open": 0, "median_seconds_to_answer": None}
    assert result["failure_modes"] == result["trade_offs"] == {"unprompted": 0, "prompted": 0, "already_raised": 0}
    assert all(links == [] for links in result["evidence"].values())


def test_a_session_never_started_is_measured_from_the_first_batch() -> None:
    log = Log()
    log.send(CANDIDATE, question("q1"), t=30)
    log.send(CANDIDATE, add("api"), t=90)
    result = signals(log, now=T0 + timedelta(seconds=130))
    assert result["start"] == {"at": "2026-11-23T20:00:30.000Z", "seq": 1, "session": False}
    assert result["seconds_to_first_question"] == 0.0
    assert result["seconds_to_first_component"] == 60.0
    assert result["elapsed_seconds"] == 100.0
    assert result["evidence"]["seconds_to_first_component"] == [seq(1), element("api", 2)]


def test_the_session_clock_starts_at_zero_and_skips_pauses() -> None:
    log = Log()
    log.send(CANDIDATE, question("q1"), t=5)  # before the clock started: at 0
    log.send(INTERVIEWER, session("start"), t=20)
    log.send(INTERVIEWER, session("pause"), t=50)
    log.send(INTERVIEWER, session("resume"), t=350)
    log.send(CANDIDATE, add("api"), t=380)
    result = signals(log)
    assert result["start"] == {"at": "2026-11-23T20:00:20.000Z", "seq": 2, "session": True}
    assert result["seconds_to_first_question"] == 0.0
    assert result["seconds_to_first_component"] == 60.0
    assert result["elapsed_seconds"] == 60.0  # now defaults to the last batch
    assert signals(log, now=T0 + timedelta(seconds=400))["elapsed_seconds"] == 80.0
    assert result["evidence"]["seconds_to_first_question"] == [seq(2), requirement("q1", 1)]


# Clarifying questions


def test_no_questions_at_all_is_drawing_before_asking() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"), t=0)
    log.send(CANDIDATE, *drawn("api", "db"), t=40)
    result = signals(log)
    assert result["questions"] == result["questions_before_first_component"] == 0
    assert result["seconds_to_first_question"] is None
    assert result["seconds_to_first_component"] == 40.0
    assert result["drew_before_asking"] is True
    assert result["evidence"]["questions_before_first_component"] == [element("api", 2)]
    assert result["evidence"]["drew_before_asking"] == [element("api", 2)]


def test_questions_only_after_drawing_count_as_questions_but_not_before() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    log.send(CANDIDATE, question("q1"))
    log.send(CANDIDATE, question("q2", "Read-heavy?"))
    result = signals(log)
    assert result["questions"] == 2
    assert result["questions_before_first_component"] == 0
    assert result["drew_before_asking"] is True
    assert result["evidence"]["questions"] == [requirement("q1", 2), requirement("q2", 3)]
    assert result["evidence"]["questions_before_first_component"] == [element("api", 1)]


def test_only_the_candidates_questions_and_components_count() -> None:
    log = Log()
    log.send(OWNER, add("client"), t=0)  # a template's diagram, stored as the owner's batch
    log.send(CANDIDATE, question("q1"), t=100)
    log.send(INTERVIEWER, question("q-int", "Should we cover auth?"), answer_requirement("q1"))
    log.send(CANDIDATE, question("a1", "Reads dominate.", kind="assumption"))
    log.send(CANDIDATE, add("api"), t=160)
    log.send(CANDIDATE, question("q2"))
    result = signals(log)
    assert result["questions"] == 2
    assert result["questions_before_first_component"] == 1
    assert result["drew_before_asking"] is False
    assert result["seconds_to_first_question"] == 100.0
    assert result["seconds_to_first_component"] == 160.0
    assert result["evidence"]["questions_before_first_component"] == [requirement("q1", 2), element("api", 5)]


def test_a_deleted_first_component_is_still_where_drawing_began() -> None:
    log = Log()
    log.send(CANDIDATE, add("old"), t=20)
    log.send(CANDIDATE, delete("old"))
    log.send(CANDIDATE, question("q1"))
    log.send(CANDIDATE, add("api"))
    result = signals(log)
    assert result["questions_before_first_component"] == 0
    assert result["seconds_to_first_component"] == 0.0
    assert result["evidence"]["seconds_to_first_component"] == [seq(1), element("old", 1)]
    assert result["components_without_failure_mode"] == 1  # "old" is gone from the canvas


# Failure modes and trade-offs, prompted or not


def test_failure_modes_unprompted_from_notes_prompted_from_answered_challenges() -> None:
    log = Log()
    log.send(CANDIDATE, *drawn("api", "db", "cache"))
    note(log, "n1", "api")  # 2
    challenge(log, "c1", "db")  # 3
    answer(log, "c1")  # 4
    challenge(log, "c2", "cache")  # 5: never answered
    challenge(log, "c3", None)  # 6: board-level
    answer(log, "c3")  # 7
    result = signals(log)
    assert result["failure_modes"] == {"unprompted": 1, "prompted": 2, "already_raised": 0}
    assert result["evidence"]["failure_modes.unprompted"] == [annotation("n1", 2)]
    assert result["evidence"]["failure_modes.prompted"] == [annotation("c1", 4), annotation("c3", 7)]


def test_a_failure_mode_mentioned_unprompted_then_challenged_counts_once() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    note(log, "n1", "api")  # 2
    challenge(log, "c1", "api")  # 3
    answer(log, "c1")  # 4
    result = signals(log)
    assert result["failure_modes"] == {"unprompted": 1, "prompted": 0, "already_raised": 1}
    assert result["evidence"]["failure_modes.already_raised"] == [annotation("n1", 2), annotation("c1", 3)]
    assert result["challenges"]["answered"] == 1  # still an answered challenge


def test_a_note_written_after_the_challenge_is_not_unprompted() -> None:
    log = Log()
    log.send(CANDIDATE, *drawn("api", "db"))
    challenge(log, "c1", "api")  # 2
    note(log, "n1", "api")  # 3: answers by note, after being asked
    note(log, "n2", "db")  # 4: nobody asked about db
    result = signals(log)
    assert result["failure_modes"] == {"unprompted": 1, "prompted": 0, "already_raised": 0}
    assert result["evidence"]["failure_modes.unprompted"] == [annotation("n2", 4)]
    assert result["challenges"]["open"] == 1


def test_trade_offs_are_counted_by_kind_and_target() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    note(log, "n1", None, kind="trade_off")  # 2: board-level
    note(log, "n2", "api", kind="failure_mode")  # 3: another kind
    challenge(log, "c1", None, kind="trade_off")  # 4: covered by n1
    answer(log, "c1")  # 5
    challenge(log, "c2", "api", kind="trade_off")  # 6: n1 is board-level, not about api
    answer(log, "c2")  # 7
    challenge(log, "c3", "api", kind="scaling")  # 8
    answer(log, "c3")  # 9
    result = signals(log)
    assert result["trade_offs"] == {"unprompted": 1, "prompted": 1, "already_raised": 1}
    assert result["evidence"]["trade_offs.prompted"] == [annotation("c2", 7)]
    assert result["evidence"]["trade_offs.already_raised"] == [annotation("n1", 2), annotation("c1", 4)]
    assert result["failure_modes"] == {"unprompted": 1, "prompted": 0, "already_raised": 0}


def test_reviewer_challenges_and_deleted_annotations_count_nowhere() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"))
    log.send(REVIEWER, annotate("rv", "api"))
    answer(log, "rv")
    challenge(log, "c1", "api")
    log.send(INTERVIEWER, delete_annotation("c1"))
    note(log, "n1", "api")
    log.send(CANDIDATE, delete_annotation("n1"))
    result = signals(log)
    assert result["challenges"] == {"raised": 0, "answered": 0, "open": 0, "median_seconds_to_answer": None}
    assert result["failure_modes"] == {"unprompted": 0, "prompted": 0, "already_raised": 0}
    assert result["components_without_failure_mode"] == 0  # the reviewer's thread still discusses api


# Challenges


def test_challenges_raised_answered_open_and_the_median_wait() -> None:
    log = Log()
    log.send(CANDIDATE, add("api"), t=0)
    challenge(log, "c1", "api", t=100)  # 2
    answer(log, "c1", t=130)  # 3: 30 s
    log.send(INTERVIEWER, set_status("c1", "resolved"), t=140)
    challenge(log, "c2", None, kind="trade_off", t=200)  # 5
    log.send(INTERVIEWER, reply("c2", "hint", "Think about cost."), t=210)  # not an answer
    answer(log, "c2", t=290)  # 7: 90 s
    log.send(OWNER, set_status("c2", "resolved"), t=300)
    log.send(OWNER, set_status("c2", "reopened"), t=310)
    log.send(OWNER, annotate("c3", "api", kind="security"), t=320)  # 10: never answered
    result = signals(log)
    assert result["challenges"] == {"raised": 3, "answered": 2, "open": 2, "median_seconds_to_answer": 60.0}
    evidence = result["evidence"]
    assert evidence["challenges.raised"] == [annotation("c1", 2), annotation("c2", 5), annotation("c3", 10)]
    assert evidence["challenges.answered"] == [annotation("c1", 3), annotation("c2", 7)]
    assert evidence["challenges.open"] == [annotation("c2", 5), annotation("c3", 10)]


def test_the_wait_for_an_answer_does_not_count_a_pause() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"), add("api"), t=0)
    challenge(log, "c1", "api", t=100)
    log.send(INTERVIEWER, session("pause"), t=110)
    log.send(INTERVIEWER, session("resume"), t=410)
    answer(log, "c1", t=420)
    assert signals(log)["challenges"]["median_seconds_to_answer"] == 20.0


# The final canvas: coverage and clarity


def test_components_never_touched_by_a_failure_mode_discussion() -> None:
    log = Log()
    log.send(CANDIDATE, *drawn("api", "db", "cache", "queue", "old"), arrow("a1", "api", "cache"))
    challenge(log, "c1", "api")  # 2
    note(log, "n1", "db")  # 3
    challenge(log, "c2", "cache", kind="trade_off")  # 4
    challenge(log, "c3", "a1")  # 5: on the arrow, not on cache
    challenge(log, "c4", "queue")  # 6
    log.send(INTERVIEWER, delete_annotation("c4"))
    log.send(CANDIDATE, delete("old"))
    log.send(CANDIDATE, update("queue", label="Jobs"))  # 9
    result = signals(log)
    assert result["components_without_failure_mode"] == 2
    assert result["evidence"]["components_without_failure_mode"] == [element("cache", 1), element("queue", 9)]


def test_components_and_arrows_without_labels_on_the_final_canvas() -> None:
    log = Log()
    log.send(CANDIDATE, add("api", label=""), add("db", label="  "), add("cache", label="Redis"))
    log.send(
        CANDIDATE, arrow("a1", "api", "db"), arrow("a2", "api", "cache", label="reads"), arrow("a3", "db", "cache")
    )
    log.send(CANDIDATE, update("api", label="API"), update("a2", label=""))
    log.send(CANDIDATE, add("gone", label=""), arrow("a4", "gone", "api"))
    log.send(CANDIDATE, delete("gone"))  # takes its unlabelled arrow with it
    result = signals(log)
    assert result["components_without_labels"] == 1
    assert result["arrows_without_labels"] == 3
    assert result["evidence"]["components_without_labels"] == [element("db", 1)]
    assert result["evidence"]["arrows_without_labels"] == [element("a1", 2), element("a3", 2), element("a2", 3)]


# Changed course after feedback


def answered_challenge_on_api(log: Log) -> int:
    """The board has api and db; an interviewer challenge on api gets an answer. Returns the answer's seq."""
    log.send(CANDIDATE, *drawn("api", "db"))
    challenge(log, "c1", "api")
    return answer(log, "c1")


def pad(log: Log, batches: int) -> None:
    """Batches that change nothing about api: the candidate jots down remarks on db."""
    for i in range(batches):
        log.send(CANDIDATE, annotate(f"pad{i}", "db", layer="notes", kind="comment", text="Noted."))


def test_a_change_within_the_window_after_the_answer_counts() -> None:
    log = Log()
    answered = answered_challenge_on_api(log)
    pad(log, 2)
    log.send(CANDIDATE, update("api", replicas=3))
    result = signals(log, window=3)
    assert result["changed_after_feedback"] == 1
    assert result["evidence"]["changed_after_feedback"] == [annotation("c1", answered), element("api", answered + 3)]


def test_a_change_just_outside_the_window_does_not_count() -> None:
    log = Log()
    answered_challenge_on_api(log)
    pad(log, 3)
    log.send(CANDIDATE, update("api", label="Gateway"))
    assert signals(log, window=3)["changed_after_feedback"] == 0
    assert signals(log, window=4)["changed_after_feedback"] == 1


def test_moves_changes_by_others_and_changes_before_the_answer_do_not_count() -> None:
    log = Log()
    log.send(CANDIDATE, *drawn("api", "db"))
    challenge(log, "c1", "api")
    log.send(CANDIDATE, update("api", tech="Go"))  # before any answer
    answer(log, "c1")
    log.send(CANDIDATE, update("api", x=300, y=40, w=200))  # moved and resized: same meaning
    log.send(INTERVIEWER, update("api", label="Interviewer's edit"))
    assert signals(log)["changed_after_feedback"] == 0


def test_arrows_touching_the_target_deletes_and_same_batch_changes_count() -> None:
    log = Log()
    log.send(CANDIDATE, *drawn("api", "db", "cache"), arrow("a1", "api", "db"))
    challenge(log, "c-db", "db")
    challenge(log, "c-cache", "cache")
    challenge(log, "c-arrow", "a1")
    log.send(CANDIDATE, reply("c-db", "r1"), arrow("a2", "cache", "db"))  # 5: answer and change together
    answer(log, "c-cache")  # 6
    log.send(CANDIDATE, delete("cache"))  # 7: also deletes a2
    answer(log, "c-arrow")  # 8
    log.send(CANDIDATE, update("a1", style="async"))  # 9
    result = signals(log)
    assert result["changed_after_feedback"] == 3
    assert result["evidence"]["changed_after_feedback"] == [
        annotation("c-db", 5),
        element("a2", 5),
        annotation("c-cache", 6),
        element("a2", 7),  # the cascade's arrow delete touches cache first
        annotation("c-arrow", 8),
        element("a1", 9),
    ]


def test_a_reopened_challenge_answered_again_counts_from_the_new_answer() -> None:
    log = Log()
    first = answered_challenge_on_api(log)
    log.send(INTERVIEWER, set_status("c1", "resolved"))
    pad(log, 4)
    log.send(INTERVIEWER, set_status("c1", "reopened"))
    second = answer(log, "c1", "r2")
    log.send(CANDIDATE, update("api", label="Gateway"))
    result = signals(log, window=2)
    assert second - first > 2
    assert result["changed_after_feedback"] == 1
    assert result["evidence"]["changed_after_feedback"] == [annotation("c1", second), element("api", second + 1)]
    assert result["challenges"]["open"] == 0


# The result as a whole


def test_the_result_is_json_and_every_link_is_valid_scorecard_evidence() -> None:
    log = Log()
    log.send(INTERVIEWER, session("start"))
    log.send(CANDIDATE, question("q1"), add("api", label=""), add("db"), arrow("a1", "api", "db"))
    note(log, "n1", "db")
    challenge(log, "c1", "api")
    answer(log, "c1")
    log.send(CANDIDATE, update("api", label="API"))
    result = signals(log)
    assert json.loads(json.dumps(result)) == result
    links = [link for group in result["evidence"].values() for link in group]
    card = scoring.parse_scorecard({"dimensions": {"failure_mode_thinking": {"evidence": links}}})
    assert card["dimensions"]["failure_mode_thinking"]["evidence"] == links


# Any log the server could store

IDS = ("c0", "c1", "c2", "c3")
ARROWS = ("a0", "a1")
THREADS = ("t0", "t1", "t2", "t3")
labels = st.sampled_from(["", " ", "API"])
kinds = st.sampled_from(["failure_mode", "trade_off", "scaling"])
Maker = Callable[[st.DrawFn, Log], dict[str, Any] | None]


def _fresh(draw: st.DrawFn, pool: tuple[str, ...], used: Iterable[str]) -> str:
    """Mostly an unused id, so most batches are accepted; sometimes any, so some collide."""
    free = [i for i in pool if i not in set(used)]
    return draw(st.sampled_from(free)) if free and draw(st.integers(0, 4)) else draw(st.sampled_from(pool))


def _element(draw: st.DrawFn, log: Log) -> str:
    """An existing element, often one under discussion, so answers are followed by changes to it."""
    discussed = sorted({t["target"] for t in log.threads.values() if t["target"] in log.elements})
    return draw(st.sampled_from(discussed if discussed and draw(st.booleans()) else sorted(log.elements)))


def _component(draw: st.DrawFn, log: Log) -> dict[str, Any]:
    return add(_fresh(draw, IDS, log.elements), label=draw(labels))


def _sticky(draw: st.DrawFn, log: Log) -> dict[str, Any]:
    """A sticky note, sometimes taking the id of a deleted component that annotations still target."""
    return add(_fresh(draw, IDS, log.elements), "note", text=draw(labels))


def _arrow(draw: st.DrawFn, log: Log) -> dict[str, Any] | None:
    components = sorted(i for i, e in log.elements.items() if e["kind"] == "component")
    if len(components) < 2:
        return None
    source, target = draw(st.permutations(components))[:2]
    return arrow(_fresh(draw, ARROWS, log.elements), source, target, label=draw(labels))


def _update(draw: st.DrawFn, log: Log) -> dict[str, Any] | None:
    if not log.elements:
        return None
    element_id = _element(draw, log)
    changes = {
        "component": [{"label": ""}, {"label": "X"}, {"x": 5}],
        "arrow": [{"label": "X"}, {"style": "async"}],
        "note": [{"text": "X"}, {"x": 5}],
    }
    return update(element_id, **draw(st.sampled_from(changes[log.elements[element_id]["kind"]])))


def _delete(draw: st.DrawFn, log: Log) -> dict[str, Any] | None:
    return delete(_element(draw, log)) if log.elements else None


def _annotate(layer: str) -> Maker:
    def make(draw: st.DrawFn, log: Log) -> dict[str, Any]:
        target = draw(st.sampled_from([None, *sorted(log.elements)]))
        return annotate(_fresh(draw, THREADS, log.threads), target, layer=layer, kind=draw(kinds))

    return make


def _reply(draw: st.DrawFn, log: Log) -> dict[str, Any] | None:
    if not log.threads:
        return None
    thread = log.threads[draw(st.sampled_from(sorted(log.threads)))]
    return reply(thread["id"], f"r{len(thread['replies'])}")


def _moderate(draw: st.DrawFn, log: Log) -> dict[str, Any] | None:
    if not log.threads:
        return None
    thread = log.threads[draw(st.sampled_from(sorted(log.threads)))]
    status = "reopened" if thread["status"] == "resolved" else "resolved"
    return draw(st.sampled_from([set_status(thread["id"], status), delete_annotation(thread["id"])]))


def _ledger(draw: st.DrawFn, log: Log) -> dict[str, Any]:
    return question(f"q{len(log.entries)}", kind=draw(st.sampled_from(["question", "assumption"])))


def _session(draw: st.DrawFn, log: Log) -> dict[str, Any]:
    actions = [action for status, action in interview.TRANSITIONS if status == log.session.status]
    return session(draw(st.sampled_from(actions)))


CANVAS: list[Maker] = [_component, _sticky, _arrow, _update, _delete]
MAKERS: dict[str, list[Maker]] = {
    CANDIDATE: [*CANVAS, _annotate("notes"), _reply, _reply, _ledger],
    INTERVIEWER: [_annotate("challenges"), _annotate("challenges"), _reply, _moderate, _session, _ledger, _update],
    OWNER: [_annotate("challenges"), _reply, _moderate, _session, _component],
    REVIEWER: [_annotate("challenges"), _reply],
}


@st.composite
def next_batch(draw: st.DrawFn, log: Log) -> tuple[str, list[dict[str, Any]]]:
    """A batch of 1-2 ops that mostly make sense for the sender on the board as it stands (maybe none)."""
    who = draw(st.sampled_from([CANDIDATE, CANDIDATE, INTERVIEWER, INTERVIEWER, OWNER, REVIEWER]))
    made = [draw(st.sampled_from(MAKERS[who]))(draw, log) for _ in range(draw(st.integers(1, 2)))]
    return who, [op for op in made if op is not None]


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(0, 12))
def test_compute_never_raises_on_a_log_the_server_could_store(data: st.DataObject, window: int) -> None:
    log = Log()
    for _ in range(data.draw(st.integers(0, 30))):
        who, raw_ops = data.draw(next_batch(log))
        if not raw_ops:
            continue
        try:
            log.send(who, *raw_ops, t=log.t + data.draw(st.integers(0, 90)))
        except SyncError:
            continue  # refused, as the server would: nothing stored
    result = signals(log, window=window)
    assert json.loads(json.dumps(result)) == result
    challenges = result["challenges"]
    assert challenges["answered"] <= challenges["raised"] and challenges["open"] <= challenges["raised"]
    for group in ("failure_modes", "trade_offs"):
        assert result[group]["prompted"] + result[group]["already_raised"] <= challenges["raised"]
    assert result["questions_before_first_component"] <= result["questions"]
    assert result["changed_after_feedback"] <= challenges["answered"]
