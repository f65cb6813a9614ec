"""The decision rules on their own (reviews/decisions.py): shapes, roles, targets, edits and the fold."""

from __future__ import annotations

from typing import Any

import pytest

from reviews import decisions
from tests.reviews.decision_ops import decide, decision, delete_decision
from whiteboard.errors import SyncError
from whiteboard.roles import Actor

BOARD = {
    "api": {"id": "api", "kind": "component", "type": "service"},
    "sticky": {"id": "sticky", "kind": "note", "text": ""},
}
CANDIDATE = Actor(participant="p-cand", role="candidate", mode="interview")


def parse(op: dict[str, Any]) -> dict[str, Any]:
    return decisions.parse_op(op, "ops[0]")


def refusal(op: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(SyncError) as caught:
        parse(op)
    return caught.value.code.value, caught.value.path


def run(ops: list[dict[str, Any]], actor: Actor = CANDIDATE, existing: dict[str, Any] | None = None, seq: int = 7):
    parsed = [(i, parse(op)) for i, op in enumerate(ops)]
    return decisions.apply_ops(existing or {}, actor, parsed, BOARD.get, seq=seq)


def test_a_minimal_decision_gets_every_field():
    op = parse({"op": "decide", "decision": {"id": "d1", "target": "api", "choice": "Kafka"}})
    assert op["decision"] == {
        "id": "d1",
        "target": "api",
        "choice": "Kafka",
        "alternatives": [],
        "cost": "",
        "why": "",
        "revisit_when": "",
    }


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"choice": ""}, "ops[0].decision.choice"),
        ({"choice": "   "}, "ops[0].decision.choice"),
        ({"choice": 5}, "ops[0].decision.choice"),
        ({"choice": "x" * 201}, "ops[0].decision.choice"),
        ({"alternatives": "SQS"}, "ops[0].decision.alternatives"),
        ({"alternatives": [str(i) for i in range(11)]}, "ops[0].decision.alternatives"),
        ({"alternatives": ["SQS", 3]}, "ops[0].decision.alternatives[1]"),
        ({"alternatives": ["SQS", ""]}, "ops[0].decision.alternatives[1]"),
        ({"alternatives": ["SQS", "sqs"]}, "ops[0].decision.alternatives"),
        ({"alternatives": ["x" * 201]}, "ops[0].decision.alternatives[0]"),
        ({"cost": None}, "ops[0].decision.cost"),
        ({"why": ["replay"]}, "ops[0].decision.why"),
        ({"revisit_when": "x" * 4001}, "ops[0].decision.revisit_when"),
        ({"why": "a\u202eb"}, "ops[0].decision.why"),
        ({"id": "no spaces"}, "ops[0].decision.id"),
        ({"target": ""}, "ops[0].decision.target"),
        ({"colour": "red"}, "ops[0].decision.colour"),
    ],
)
def test_a_malformed_decision_is_refused_at_its_field(fields, path):
    assert refusal(decide(**fields)) == ("validation_error", path)


@pytest.mark.parametrize("missing", ["id", "target", "choice"])
def test_id_target_and_choice_are_required(missing):
    record = decision()
    del record[missing]
    assert refusal({"op": "decide", "decision": record}) == ("validation_error", f"ops[0].decision.{missing}")


def test_a_decision_must_be_an_object_and_a_delete_needs_an_id():
    assert refusal({"op": "decide", "decision": ["Kafka"]}) == ("bad_request", "ops[0].decision")
    assert refusal({"op": "delete_decision"}) == ("validation_error", "ops[0].id")
    assert refusal({"op": "delete_decision", "id": "d1", "extra": 1}) == ("validation_error", "ops[0].extra")


def test_text_is_normalised_to_nfc():
    op = parse(decide(choice="Cafe\u0301 queue"))
    assert op["decision"]["choice"] == "Café queue"


def test_a_decision_is_stamped_with_its_author_and_seq():
    applied = run([decide()])
    assert applied.changed["d1"]["author"] == "p-cand" and applied.changed["d1"]["seq"] == 7
    assert applied.changed["d1"]["alternatives"] == ["SQS", "RabbitMQ"]


@pytest.mark.parametrize("target", ["ghost", "sticky"])
def test_the_target_must_be_a_component_on_the_board(target):
    with pytest.raises(SyncError) as caught:
        run([decide(target=target)])
    assert (caught.value.code.value, caught.value.path) == ("unknown_ref", "ops[0].decision.target")


@pytest.mark.parametrize("role", ["candidate", "owner", "interviewer"])
def test_designers_record_decisions(role):
    assert run([decide()], Actor("p", role, "interview")).changed


@pytest.mark.parametrize("role", ["reviewer", "observer"])
def test_reviewers_and_observers_cannot(role):
    with pytest.raises(SyncError) as caught:
        run([decide()], Actor("p", role, "review"))
    assert (caught.value.code.value, caught.value.path) == ("forbidden", "ops[0]")


def test_the_same_id_again_replaces_the_decision():
    first = run([decide(choice="Kafka")]).changed
    edited = run([decide(choice="SQS", alternatives=["Kafka"])], existing=first, seq=9).changed["d1"]
    assert (edited["choice"], edited["alternatives"], edited["seq"]) == ("SQS", ["Kafka"], 9)


def test_a_delete_removes_an_existing_decision_and_refuses_an_unknown_one():
    existing = run([decide()]).changed
    assert run([delete_decision()], existing=existing).deleted == {"d1"}
    with pytest.raises(SyncError) as caught:
        run([delete_decision("nope")], existing=existing)
    assert (caught.value.code.value, caught.value.path) == ("unknown_ref", "ops[0].id")


def test_added_then_deleted_in_one_batch_leaves_nothing():
    applied = run([decide("d2"), delete_decision("d2")])
    assert applied.changed == {} and applied.deleted == frozenset()


def test_the_fold_replays_writes_edits_and_deletes():
    log = [
        {"seq": 1, "participant": "a", "ops": [parse(decide("d1")), parse(decide("d2", choice="Redis"))]},
        {"seq": 2, "participant": "b", "ops": [{"op": "add", "element": {}}, parse(decide("d1", choice="SQS"))]},
        {"seq": 3, "participant": "a", "ops": [parse(delete_decision("d2"))]},
    ]
    state = decisions.fold(log)
    assert list(state) == ["d1"]
    assert (state["d1"]["choice"], state["d1"]["author"], state["d1"]["seq"]) == ("SQS", "b", 2)


def test_on_component_lists_a_components_decisions_in_write_order():
    state = [
        {"id": "b", "target": "api", "seq": 5},
        {"id": "a", "target": "api", "seq": 2},
        {"id": "c", "target": "db", "seq": 1},
    ]
    assert [d["id"] for d in decisions.on_component(state, "api")] == ["a", "b"]
