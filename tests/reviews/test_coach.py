"""The practice coach on scripted sessions, each with the coach's ops written out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from reviews import coach
from tests.factories import add, arrow
from tests.reviews.factories import annotate, reply
from tests.reviews.logs import CANDIDATE, COACH, ROLES, T0, question
from tests.reviews.practice_logs import PracticeLog, coach_tick
from whiteboard.errors import SyncError

QUESTION: dict[str, Any] = {
    "id": "q-practice",
    "version": 1,
    "title": "Design a link shortener",
    "question_type": "design",
    "prompt": "Design a service that turns long links into short ones.",
    "facts": [
        {"id": "users", "topic": "scale", "answer": "10 million daily users.", "words": []},
        {"id": "mix", "topic": "read_write", "answer": "100 redirects for every new link.", "words": []},
        {"id": "speed", "topic": "latency", "answer": "Redirects under 50 ms.", "words": ["redirect"]},
        {"id": "keep", "topic": "retention", "answer": "Links are kept for 5 years.", "words": []},
    ],
    "cards": [
        {"id": "viral", "title": "A link goes viral", "text": "One link gets 50,000 clicks a second."},
        {"id": "eu", "title": "EU users", "text": "Half the users now live in the EU."},
        {"id": "third", "title": "Unused", "text": "Never played: two cards at most."},
    ],
    "reference": None,
    "follow_ups": {},
    "rubric": "",
    "incident": None,
}
RULES = coach.rules_for(coach.load_rules(), QUESTION["id"])
START = [
    {"op": "session", "action": "start", "minutes": 35},
    {
        "op": "notice",
        "notice": {
            "id": "coach-0-1",
            "kind": "start",
            "text": "The clock is running: 35 minutes. Start with requirements (5 min): "
            "ask what you need to know before you draw.",
        },
    },
]
NO_FACT = "Not specified: state an assumption and carry on."


def three_boxes(replicas: int = 1) -> list[dict[str, Any]]:
    return [
        add("web", type="client", label="Browser"),
        add("api", type="service", label="API", replicas=replicas),
        add("db", type="database", label="Links DB", replicas=replicas),
        arrow("a1", "web", "api", label="GET /abc"),
        arrow("a2", "api", "db", label="lookup"),
    ]


def moved(head: int, phase: str, text: str) -> list[dict[str, Any]]:
    notice = {"id": f"coach-{head}-1", "kind": "phase", "text": text, "ref": phase}
    return [{"op": "phase", "phase": phase}, {"op": "notice", "notice": notice}]


def challenge(annotation_id: str, target: str, text: str, kind: str = "failure_mode") -> dict[str, Any]:
    annotation = {"id": annotation_id, "layer": "challenges", "target": target, "kind": kind, "text": text}
    return {"op": "annotate", "annotation": annotation}


def test_a_candidate_who_draws_first_and_never_asks() -> None:
    log = PracticeLog()
    assert coach_tick(log, 0, QUESTION, RULES) == START
    log.send(CANDIDATE, *three_boxes(), t=20)  # seq 2
    assert coach_tick(log, 30, QUESTION, RULES) == moved(
        2, "high_level", "You started drawing: on to the high-level design."
    )
    assert coach_tick(log, 60, QUESTION, RULES) == []  # the boxes are 40 s old: let them settle
    # The worst single point of failure first: the database (losing it loses the API and the browser too).
    db_text = (
        "There is one instance of Links DB. What happens when it goes down, and how would you keep the rest working?"
    )
    assert coach_tick(log, 90, QUESTION, RULES) == [challenge("coach-3-0", "db", db_text)]
    assert coach_tick(log, 200, QUESTION, RULES) == []  # at most one challenge every three minutes
    api_text = "There is one instance of API. What happens when it goes down, and how would you keep the rest working?"
    assert coach_tick(log, 270, QUESTION, RULES) == [challenge("coach-4-0", "api", api_text)]
    assert coach_tick(log, 500, QUESTION, RULES) == []  # both single points raised once: nothing left to ask
    # The high-level design began at 30 s; it may run 10 + 1 minutes.
    long = "The high-level design ran 11 min (planned 10): moving on to the deep dive."
    assert coach_tick(log, 30 + 660, QUESTION, RULES) == moved(5, "deep_dive", long)


def test_a_candidate_who_asks_five_questions_then_grows_three_boxes_when_a_card_is_played() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    asked = [
        ("q1", "How many users do we have?"),
        ("q2", "What is the read to write ratio?"),
        ("q3", "How fast must a redirect be?"),
        ("q4", "How long do we keep links?"),
        ("q5", "Do we need a dashboard of campaign clicks?"),
    ]
    for i, (entry, text) in enumerate(asked):
        log.send(CANDIDATE, question(entry, text), t=10 + 10 * i)
    answers = ["10 million daily users.", "100 redirects for every new link.", "Redirects under 50 ms."]
    answers += ["Links are kept for 5 years.", NO_FACT]
    expected = [{"op": "answer_requirement", "entry": e, "text": a} for (e, _), a in zip(asked, answers, strict=True)]
    assert coach_tick(log, 55, QUESTION, RULES) == expected
    assert coach_tick(log, 100, QUESTION, RULES) == []
    log.send(CANDIDATE, *three_boxes(replicas=2), t=120)  # seq 8: three boxes, each replicated
    assert coach_tick(log, 130, QUESTION, RULES) == moved(
        8, "high_level", "You started drawing: on to the high-level design."
    )
    assert coach_tick(log, 400, QUESTION, RULES) == []  # nothing a fair interviewer would pick on yet
    long = "The high-level design ran 11 min (planned 10): moving on to the deep dive."
    assert coach_tick(log, 130 + 660, QUESTION, RULES) == moved(9, "deep_dive", long)
    assert coach_tick(log, 790 + 100, QUESTION, RULES) == []  # the first card comes two minutes in
    viral = {"id": "viral", "title": "A link goes viral", "text": "One link gets 50,000 clicks a second."}
    # The card alone: everyone sees it in the scenario banner, so no notice repeats it.
    assert coach_tick(log, 790 + 120, QUESTION, RULES) == [{"op": "scenario", "card": viral}]
    assert [op["op"] for op in log.batches[-1]["ops"]] == ["scenario"]  # stored once
    log.send(CANDIDATE, add("cache", type="cache", label="Hot links", replicas=2), arrow("a3", "api", "cache"), t=930)
    assert coach_tick(log, 1000, QUESTION, RULES) == []  # growing the design for the card is not challenged
    eu = {"id": "eu", "title": "EU users", "text": "Half the users now live in the EU."}
    assert coach_tick(log, 790 + 120 + 300, QUESTION, RULES) == [{"op": "scenario", "card": eu}]
    assert coach_tick(log, 1500, QUESTION, RULES) == []  # two cards at most


def test_a_candidate_who_discusses_every_weak_spot_first_is_asked_about_none_of_them() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(
        CANDIDATE,
        *three_boxes(),
        add("q", type="queue", label="Clicks", dead_letter=True),
        add("sms", type="external", label="SMS provider"),
        add("jobs", type="worker", label="Jobs", tech="Celery", replicas=2),
        add("cron", type="worker", label="Cron", tech="systemd", replicas=2),
        arrow("a3", "api", "q", style="async"),
        arrow("a4", "q", "jobs", style="async"),
        arrow("a5", "jobs", "sms", timeout_ms=2000),
        t=20,
    )
    log.send(
        CANDIDATE,
        annotate("n1", "api", layer="notes", text="One API instance: I'd run three behind a balancer."),
        annotate("n2", "db", layer="notes", text="One database: a replica with automatic failover."),
        {
            "op": "decide",
            "decision": {
                "id": "d1",
                "target": "jobs",
                "choice": "Celery",
                "alternatives": ["RQ"],
                "cost": "a broker to run",
                "why": "the team knows it",
                "revisit_when": "never",
            },
        },
        t=25,
    )
    coach_tick(log, 30, QUESTION, RULES)  # on to the high-level design
    said = [coach_tick(log, t, QUESTION, RULES) for t in range(90, 1000, 30)]
    raised = [op["annotation"] for ops in said for op in ops if op["op"] == "annotate"]
    # Not the SPOFs, the queue (it has a dead letter), the SMS call (it has a timeout) nor Celery (decided):
    # only the one choice nobody explained.
    text = "You chose systemd for Cron. Why that, what did you give up, and when would you revisit it?"
    assert raised == [challenge("coach-4-0", "cron", text, kind="trade_off")["annotation"]]


def test_without_the_fields_a_queue_and_an_external_call_are_challenged() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(
        CANDIDATE,
        add("api", label="API", replicas=2),
        add("q", type="queue", label="Clicks"),
        add("pay", type="external", label="Payments"),
        arrow("a1", "api", "q", style="async"),
        arrow("a2", "api", "pay"),
        t=20,
    )
    coach_tick(log, 30, QUESTION, RULES)
    said = [
        op["annotation"]["target"]
        for t in (90, 270, 450, 630)
        for op in coach_tick(log, t, QUESTION, RULES)
        if op["op"] == "annotate"
    ]
    assert said == ["a2", "q"]  # the catalogue's order: the timeout first, then the dead letter


def test_never_challenges_an_element_the_candidate_covered() -> None:
    """Every way of covering: a note, a reply on any thread on it, a decision, a ledger entry linking it."""
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(CANDIDATE, add("web", type="client"), *(add(c, label=c.upper(), tech="Go") for c in "abcde"), t=20)
    log.send(CANDIDATE, *(arrow(f"x{c}", "web", c) for c in "abcde"), t=21)
    coach_tick(log, 30, QUESTION, RULES)
    log.send(CANDIDATE, annotate("n1", "a", layer="notes", kind="comment", text="Stateless; three copies."), t=40)
    log.send(CANDIDATE, {"op": "decide", "decision": {"id": "d", "target": "b", "choice": "Go"}}, t=41)
    log.send(
        CANDIDATE,
        {"op": "requirement", "entry": {"id": "r", "kind": "assumption", "text": "C is one box.", "links": ["c"]}},
        t=42,
    )
    covered_at: dict[str, float] = {"a": 40, "b": 41, "c": 42}
    challenged: list[tuple[float, str]] = []
    for t in range(60, 3000, 20):
        for op in coach_tick(log, t, QUESTION, RULES):
            if op["op"] == "annotate":
                challenged.append((t, op["annotation"]["target"]))
                if op["annotation"]["target"] == "d":  # the candidate answers the challenge on d
                    log.send(CANDIDATE, reply(op["annotation"]["id"], "r1", "It restarts in seconds."), t=t + 1)
    targets = [target for _, target in challenged]
    assert not set(targets) & set(covered_at)
    assert targets.count("d") == 1 and targets.count("e") == 1  # raised once each, never again


def test_replaying_a_practice_log_through_the_coach_gives_the_same_ops() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(CANDIDATE, question("q1", "How many users?"), t=5)
    coach_tick(log, 6, QUESTION, RULES)
    log.send(CANDIDATE, *three_boxes(), t=20)
    for t in range(30, 1500, 45):
        coach_tick(log, t, QUESTION, RULES)
    assert coach_tick(log, 1500, QUESTION, RULES, finish=True)
    replayed = 0
    for i, batch in enumerate(log.batches):
        if batch["participant"] != COACH:
            continue
        again = coach.decide(log.batches[:i], ROLES, QUESTION, RULES, batch["at"], finish=i == len(log.batches) - 1)
        # The server stores a batch's ops grouped by kind; each op the coach decides again is one it stored.
        assert sorted(op["op"] for op in again) == sorted(op["op"] for op in batch["ops"])
        for sent in again:
            assert any(contains(stored, sent) for stored in batch["ops"]), (sent, batch["ops"])
        replayed += 1
    assert replayed > 8
    assert log.session.status == "ended"


def contains(stored: Any, sent: Any) -> bool:
    """Whether the stored op says everything the sent op did (the server adds fields such as `raised_seq`)."""
    if isinstance(sent, dict):
        return isinstance(stored, dict) and all(k in stored and contains(stored[k], v) for k, v in sent.items())
    return bool(stored == sent)


def test_the_session_ends_when_wrap_up_runs_out() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(CANDIDATE, add("x"), t=10)
    coach_tick(log, 11, QUESTION, RULES)  # high level
    coach_tick(log, 11 + 660, QUESTION, RULES)  # deep dive
    coach_tick(log, 671 + 960, QUESTION, RULES)  # wrap-up
    wrap_started = 671 + 960
    assert coach_tick(log, wrap_started + 299, QUESTION, RULES) == []
    ended = coach_tick(log, wrap_started + 300, QUESTION, RULES)
    assert [op["op"] for op in ended] == ["session", "notice"]
    assert ended[1]["notice"]["text"] == "Time. Your feedback is ready."
    assert coach_tick(log, wrap_started + 900, QUESTION, RULES) == []  # ended: the coach is silent


def test_an_incident_question_opens_the_incident_at_the_start_and_closes_it_at_the_end() -> None:
    incident = {
        **QUESTION,
        "question_type": "incident",
        "incident": {"fault": {"target": "db", "kind": "slow"}, "symptom": "Redirects are slow."},
    }
    log = PracticeLog()
    started = coach.decide(log.batches, ROLES, incident, RULES, T0)
    assert started[:2] == [START[0], {"op": "incident", "action": "open", "symptom": "Redirects are slow."}]


@pytest.mark.parametrize("override", [{"phases": {"requirements": 2}}, {"max_cards": 0}])
def test_a_question_overrides_the_rules(override: dict[str, Any]) -> None:
    rules = coach.rules_for({**coach.load_rules(), "questions": {"q-practice": override}}, "q-practice")
    key = next(iter(override))
    if key == "phases":
        assert rules["phases"]["requirements"] == 2 and rules["phases"]["deep_dive"] == 15
        assert coach.decide([], ROLES, QUESTION, rules, T0 + timedelta(seconds=0))[0]["minutes"] == 32
    else:
        assert rules["max_cards"] == 0


def test_at_accelerated_time_the_coach_moves_faster_and_the_session_keeps_its_length() -> None:
    fast = coach.scaled(RULES, 60)
    log = PracticeLog()
    started = coach_tick(log, 0, QUESTION, fast)
    assert started[0] == {"op": "session", "action": "start", "minutes": 35}
    log.send(CANDIDATE, add("x"), t=1)
    coach_tick(log, 2, QUESTION, fast)  # high level
    assert coach_tick(log, 2 + 10, QUESTION, fast) == []  # 10 min planned: 10 s here, plus a second of grace
    assert [op["op"] for op in coach_tick(log, 2 + 11, QUESTION, fast)] == ["phase", "notice"]


@pytest.mark.parametrize(
    ("ops_", "path"),
    [
        ([{"op": "decide", "decision": {"id": "d", "target": "nowhere", "choice": "Go"}}], "ops[0].decision.target"),
        ([add("w", type="worker", dead_letter=True)], "ops[0].element.dead_letter"),
        ([arrow("a9", "web", "db", timeout_ms=-1)], "ops[0].element.timeout_ms"),
        (
            [
                {
                    "op": "flow",
                    "flow": {
                        "id": "f",
                        "title": "Read",
                        "steps": [{"element": "web", "text": "Asks."}, {"element": "db", "text": "Answers."}],
                    },
                }
            ],
            "ops[0].flow.steps[1].element",
        ),
    ],
)
def test_a_scripted_log_refuses_what_the_server_refuses(ops_: list[dict[str, Any]], path: str) -> None:
    """Scripted sessions are only as good as their logs: issue 15's ops and fields go through the real rules."""
    log = PracticeLog()
    log.send(CANDIDATE, *three_boxes(), t=5)
    with pytest.raises(SyncError) as refused:
        log.send(CANDIDATE, *ops_, t=6)
    assert refused.value.path == path
    assert log.seq == 1


def test_a_deleted_decision_no_longer_covers_its_component() -> None:
    log = PracticeLog()
    coach_tick(log, 0, QUESTION, RULES)
    log.send(CANDIDATE, add("jobs", type="worker", label="Jobs", tech="Celery", replicas=2), t=20)
    log.send(CANDIDATE, {"op": "decide", "decision": {"id": "d1", "target": "jobs", "choice": "Celery"}}, t=21)
    coach_tick(log, 30, QUESTION, RULES)  # on to the high-level design
    assert coach_tick(log, 120, QUESTION, RULES) == []  # decided: nothing to ask
    log.send(CANDIDATE, {"op": "delete_decision", "id": "d1"}, t=130)
    text = "You chose Celery for Jobs. Why that, what did you give up, and when would you revisit it?"
    assert coach_tick(log, 140, QUESTION, RULES) == [challenge("coach-5-0", "jobs", text, kind="trade_off")]
