"""Decision records over REST (`/api/boards/{id}/decisions/`): reading them, writing one op at a
time with the socket's checks, and canvas fields refused through the REST op path too."""

from __future__ import annotations

import pytest

from reviews.decision_queries import decision_list
from tests.factories import member
from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.decision_ops import decide, decision, delete_decision
from whiteboard.models import Batch

pytestmark = pytest.mark.django_db


def path(board) -> str:
    return f"/api/boards/{board.id}/decisions/"


def snapshot(board) -> tuple:
    board.refresh_from_db()
    return board.seq, Batch.objects.filter(board=board).count(), decision_list(board.id)


def test_a_candidate_records_edits_and_deletes_a_decision():
    people = cast()
    response = api(people.candidate).post(path(people.board), decide(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["op"] == decide()
    edit = api(people.interviewer).post(path(people.board), decide(choice="SQS"), format="json")
    assert edit.status_code == 201
    listed = api(people.observer).get(path(people.board)).json()
    assert listed["seq"] == edit.json()["seq"]
    assert listed["decisions"] == [
        {**decision(choice="SQS"), "author": people.interviewer.id, "seq": edit.json()["seq"]}
    ]
    assert api(people.candidate).post(path(people.board), delete_decision(), format="json").status_code == 201
    assert api(people.candidate).get(path(people.board)).json()["decisions"] == []


@pytest.mark.parametrize("role", ["reviewer", "observer"])
def test_reviewers_and_observers_are_refused(role):
    people = cast("review")
    before = snapshot(people.board)
    response = api(people.by_role(role)).post(path(people.board), decide(), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert snapshot(people.board) == before


def test_an_outsider_cannot_read_or_write():
    people = cast()
    stranger = member(cast().board, "candidate")
    assert api(stranger).get(path(people.board)).status_code == 404
    assert api(stranger).post(path(people.board), decide(), format="json").status_code == 404
    assert api().get(path(people.board)).status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "status", "code", "where"),
    [
        (decide(target="ghost"), 400, "unknown_ref", "ops[0].decision.target"),
        (decide(target="sticky"), 400, "unknown_ref", "ops[0].decision.target"),
        (decide(choice=3), 400, "validation_error", "ops[0].decision.choice"),
        (decide(alternatives="SQS"), 400, "validation_error", "ops[0].decision.alternatives"),
        (decide(alternatives=["a" * 201]), 400, "validation_error", "ops[0].decision.alternatives[0]"),
        (decide(why={"a": 1}), 400, "validation_error", "ops[0].decision.why"),
        (decide(revisit_when="\x00"), 400, "validation_error", "ops[0].decision.revisit_when"),
        (delete_decision("ghost"), 400, "unknown_ref", "ops[0].id"),
        ({"op": "decide"}, 400, "validation_error", "ops[0].decision"),
        ({"op": "update", "id": "api", "props": {"label": "x"}}, 400, "unknown_op", "ops[0].op"),
        ({"op": "annotate"}, 400, "unknown_op", "ops[0].op"),
        (["decide"], 400, "bad_request", "ops[0]"),
    ],
)
def test_bad_ops_are_refused_with_their_path_and_change_nothing(body, status, code, where):
    people = cast()
    before = snapshot(people.board)
    response = api(people.candidate).post(path(people.board), body, format="json")
    assert response.status_code == status, response.content
    assert (response.json()["code"], response.json().get("path")) == (code, where)
    assert snapshot(people.board) == before


def test_the_ops_page_carries_decision_ops_for_a_catch_up():
    people = cast()
    submit(people.board, people.candidate, decide())
    page = api(people.observer).get(f"/api/boards/{people.board.id}/ops/?after=1").json()
    assert page["batches"][-1]["ops"] == [decide()]
