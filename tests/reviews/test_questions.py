"""The question bank's shape, fact suggestion, and the comparison with a reference. Pure."""

from __future__ import annotations

import re

import pytest

from reviews import questions
from reviews.question_bank import BANK
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError


def by_type(kind: str) -> list[dict]:
    return [q for q in BANK.values() if q["question_type"] == kind]


def test_the_bank_has_ten_design_questions_and_two_walkthroughs_and_room_for_incidents():
    assert len(by_type("design")) >= 10
    assert len(by_type("walkthrough")) >= 2
    assert {"notification_system", "url_shortener", "rate_limiter", "chat", "news_feed"} <= set(BANK)
    assert {"public_api", "file_sync", "ride_dispatch", "metrics_pipeline", "payment_ledger"} <= set(BANK)
    assert set(questions.TYPES) == {"design", "walkthrough", "incident"}


@pytest.mark.parametrize("key", sorted(BANK))
def test_prompts_are_open_and_the_interviewer_holds_the_numbers(key):
    question = BANK[key]
    # No number the candidate should ask for: only the interview's own length may appear.
    assert re.sub(r"45 minutes", "", question["prompt"]).strip()
    if question["question_type"] != "incident":  # an incident's prompt quotes what users see ("500 errors")
        assert not re.search(r"\d", question["prompt"].replace("45 minutes", "")), question["prompt"]
    if question["question_type"] == "design":
        assert len(question["facts"]) >= 5
        assert question["reference"] and question["reference"]["elements"] and question["reference"]["shows"]
        assert question["cards"] and question["rubric"] and question["follow_ups"]
        assert any(re.search(r"\d", fact["answer"]) for fact in question["facts"]), "the numbers live in the facts"
        assert {fact["topic"] for fact in question["facts"]} <= set(questions.TOPICS)


def test_every_topic_of_the_vocabulary_has_words_and_facts_name_only_those():
    assert set(questions.TOPICS) == set(vocabulary.QUESTION_TOPICS)
    assert all(questions.TOPICS.values())


def test_the_notification_system_s_old_diagram_is_its_reference_design():
    reference = BANK["notification_system"]["reference"]["elements"]
    components = {e["id"] for e in reference if e["kind"] == "component"}
    assert components == {"client", "api", "prefs", "queue", "email", "sms", "push", "providers", "log"}


def test_public_holds_nothing_private():
    question = BANK["payment_ledger"]
    shown = questions.public(question)
    assert set(shown) == {"id", "version", "title", "question_type", "prompt"}
    assert set(questions.full(question)) == set(shown) | set(questions.PRIVATE)


def valid(**changes):
    return {"id": "q1", "title": "T", "question_type": "design", "prompt": "Design it.", **changes}


@pytest.mark.parametrize(
    ("raw", "code", "path"),
    [
        (valid(question_type="quiz"), ErrorCode.VALIDATION_ERROR, "question.question_type"),
        (valid(prompt="  "), ErrorCode.VALIDATION_ERROR, "question.prompt"),
        (valid(secret=1), ErrorCode.VALIDATION_ERROR, "question.secret"),
        (
            valid(facts=[{"id": "f", "topic": "weather", "answer": "x"}]),
            ErrorCode.VALIDATION_ERROR,
            "question.facts[0].topic",
        ),
        (
            valid(facts=[{"id": "f", "topic": "scale", "answer": "x"}, {"id": "f", "topic": "budget", "answer": "y"}]),
            ErrorCode.DUPLICATE_ID,
            "question.facts[1].id",
        ),
        (
            valid(reference={"elements": [{"id": "a", "kind": "arrow", "source": "x", "target": "y"}]}),
            ErrorCode.UNKNOWN_REF,
            "question.reference.elements[0].source",
        ),
        (valid(follow_ups={"lunch": ["?"]}), ErrorCode.VALIDATION_ERROR, "question.follow_ups.lunch"),
        (valid(cards=[{"id": "c", "title": "x"}]), ErrorCode.VALIDATION_ERROR, "question.cards[0].text"),
    ],
)
def test_a_malformed_question_is_refused_with_the_path_of_the_fault(raw, code, path):
    with pytest.raises(SyncError) as refused:
        questions.parse_question(raw)
    assert (refused.value.code, refused.value.path) == (code, path)


FACTS = BANK["notification_system"]["facts"]


def top(text: str, facts=FACTS) -> str | None:
    found = questions.suggest(text, facts)
    return found[0]["fact"] if found else None


@pytest.mark.parametrize(
    ("asked", "fact"),
    [
        ("How many users?", "users"),
        ("how many users do we have", "users"),
        ("What's our DAU?", "users"),
        ("Roughly how many user accounts are there in total?", "users"),
        ("What is the latency requirement?", "latency"),
        ("How fast must a 2FA code arrive?", "latency"),
        ("Are some notifications urgent, like OTPs?", "latency"),
        ("What's the budget?", "budget"),
        ("How much money can we spend?", "budget"),
        ("Is SMS expensive for us?", "budget"),
        ("Can users opt out?", "opt_out"),
        ("Do we need an unsubscribe link?", "opt_out"),
        ("Which channels: email, SMS, push?", "channels"),
        ("How long do we keep the delivery log?", "retention"),
        ("What's the retention for delivery records?", "retention"),
        ("What happens when a provider like Twilio is down?", "providers"),
        ("Is it OK to send the same notification twice? Should we dedupe?", "delivery"),
        ("How big are campaigns, and how bursty?", "volume"),
    ],
)
def test_a_clarifying_question_finds_its_fact_however_it_is_phrased(asked, fact):
    assert top(asked) == fact, questions.suggest(asked, FACTS)


@pytest.mark.parametrize("asked", ["What colour is the logo?", "Can I use a whiteboard marker?", "", "   ?!"])
def test_a_question_about_nothing_in_the_sheet_suggests_nothing(asked):
    assert questions.suggest(asked, FACTS) == []


def test_suggestions_are_ranked_bounded_and_say_what_matched():
    found = questions.suggest("How many users, what latency, what budget, which region?", FACTS, limit=3)
    assert len(found) == 3
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)
    assert all(f["matched"] for f in found)


@pytest.mark.parametrize(
    ("key", "asked", "fact"),
    [
        ("url_shortener", "What's the read to write ratio?", "mix"),
        ("url_shortener", "Do links expire?", "retention"),
        ("rate_limiter", "How exact must the limits be?", "accuracy"),
        ("payment_ledger", "Do auditors need history?", "audit"),
        ("payment_ledger", "Will callers retry requests?", "idempotency"),
        ("ride_dispatch", "How many drivers are online at peak?", "drivers"),
        ("metrics_pipeline", "How long do we keep metrics, at what resolution?", "retention"),
        ("file_sync", "What if two devices edit the same file offline?", "conflicts"),
        ("chat", "How many members can a group have?", "groups"),
        ("news_feed", "Do some accounts have millions of followers?", "follows"),
    ],
)
def test_every_design_question_s_sheet_answers_the_obvious_questions(key, asked, fact):
    assert top(asked, BANK[key]["facts"]) == fact, questions.suggest(asked, BANK[key]["facts"])


def component(element_id, type_, label, tech=""):
    return {"id": element_id, "kind": "component", "type": type_, "label": label, "x": 0, "y": 0, "tech": tech}


def arrow(element_id, source, target):
    return {"id": element_id, "kind": "arrow", "source": source, "target": target, "label": "", "style": "sync"}


def test_the_comparison_aligns_by_type_and_words_and_reports_both_directions():
    reference = BANK["notification_system"]["reference"]
    candidate = [
        component("n1", "service", "Notify API"),
        component("n2", "queue", "Kafka", tech="Kafka"),
        component("n3", "cache", "Rate limit cache"),
        component("n4", "worker", "Push worker"),
        arrow("a1", "n1", "n2"),
        arrow("a2", "n2", "n4"),
        arrow("a3", "n1", "n3"),
        {"id": "sticky", "kind": "note", "text": "todo", "x": 0, "y": 0},
        {"id": "box", "kind": "frame", "label": "Delivery", "x": 0, "y": 0, "w": 400, "h": 300},
    ]
    result = questions.compare(candidate, reference)
    pairs = {m["reference"]: m["candidate"] for m in result["matched"]}
    assert pairs == {"api": "n1", "queue": "n2", "push": "n4"}
    missing = {item["id"] for item in result["missing"]}
    assert {"prefs", "email", "sms", "providers", "log", "client"} <= missing
    assert "api-queue" not in missing and "queue-push" not in missing  # drawn, under the candidate's ids
    assert [item["id"] for item in result["extra"]] == ["n3", "a3"]
    assert result["shows"] == reference["shows"]
    changed = {c["candidate"]: c["fields"] for c in result["changed"]}
    assert changed["n1"] == ["connections"]


def test_an_empty_board_misses_the_whole_reference():
    reference = BANK["url_shortener"]["reference"]
    result = questions.compare([], reference)
    assert result["matched"] == [] and result["extra"] == []
    assert len(result["missing"]) == len(reference["elements"])
    assert result["missing"][0]["kind"] == "component"
