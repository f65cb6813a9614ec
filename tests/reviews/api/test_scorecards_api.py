"""Scorecards: private to owners and interviewers, scored independently, final once submitted."""

from __future__ import annotations

import pytest

from tests.factories import member
from tests.reviews.api.helpers import api, cast

pytestmark = pytest.mark.django_db

COMPLETE = {
    "dimensions": {
        "ambiguity_handling": {"rating": 3, "notes": "Asked about DAU first.", "evidence": [{"type": "seq", "seq": 1}]},
        "trade_off_awareness": {"rating": 2, "notes": "", "evidence": []},
        "failure_mode_thinking": {
            "rating": 4,
            "notes": "Raised the queue backlog unprompted.",
            "evidence": [{"type": "element", "id": "api"}],
        },
        "communication_clarity": {"rating": 3},
    },
    "hire": "yes",
    "notes": "CANARY-scorecard-notes",
}


def url(board, tail: str = "") -> str:
    return f"/api/boards/{board.id}/scorecards/{tail}"


def save_and_submit(board, who) -> None:
    assert api(who).put(url(board, "mine/"), COMPLETE, format="json").status_code == 200
    assert api(who).post(url(board, "mine/submit/")).status_code == 200


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
def test_nobody_but_owners_and_interviewers_can_read_or_write_scorecards(role):
    people = cast()
    save_and_submit(people.board, people.interviewer)
    outsider = people.by_role(role)
    for response in (
        api(outsider).get(url(people.board)),
        api(outsider).put(url(people.board, "mine/"), COMPLETE, format="json"),
        api(outsider).post(url(people.board, "mine/submit/")),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert "CANARY" not in response.content.decode()


def test_others_cards_stay_hidden_until_you_submit_yours():
    people = cast()
    second = member(people.board, "interviewer")
    save_and_submit(people.board, people.interviewer)

    before = api(second).get(url(people.board)).json()
    assert before["others"] == [] and before["others_submitted"] == 1
    assert (
        before["mine"]["submitted_at"] is None and before["mine"]["dimensions"]["ambiguity_handling"]["rating"] is None
    )

    api(second).put(url(people.board, "mine/"), COMPLETE, format="json")
    assert api(second).get(url(people.board)).json()["others"] == []  # a draft is not a submission

    api(second).post(url(people.board, "mine/submit/"))
    after = api(second).get(url(people.board)).json()
    assert [card["author"] for card in after["others"]] == [people.interviewer.id]
    assert after["others"][0]["notes"] == "CANARY-scorecard-notes"


def test_a_draft_round_trips_and_the_rubric_has_written_anchors():
    people = cast()
    draft = {"dimensions": {"trade_off_awareness": {"rating": 2, "notes": "Kafka vs SQS, no cost."}}}
    assert api(people.owner).put(url(people.board, "mine/"), draft, format="json").status_code == 200
    got = api(people.owner).get(url(people.board)).json()
    assert got["mine"]["dimensions"]["trade_off_awareness"] == {
        "rating": 2,
        "notes": "Kafka vs SQS, no cost.",
        "evidence": [],
    }
    assert set(got["rubric"]) == {
        "ambiguity_handling",
        "trade_off_awareness",
        "failure_mode_thinking",
        "communication_clarity",
    }
    assert all(len(d["anchors"]) == 4 for d in got["rubric"].values())


def test_an_incomplete_card_cannot_be_submitted():
    people = cast()
    partial = {**COMPLETE, "hire": ""}
    api(people.interviewer).put(url(people.board, "mine/"), partial, format="json")
    response = api(people.interviewer).post(url(people.board, "mine/submit/"))
    assert response.status_code == 400
    assert response.json()["path"] == "hire"
    assert api(people.interviewer).get(url(people.board)).json()["mine"]["submitted_at"] is None


def test_a_submitted_card_is_final():
    people = cast()
    save_and_submit(people.board, people.interviewer)
    changed = {**COMPLETE, "hire": "strong_no"}
    response = api(people.interviewer).put(url(people.board, "mine/"), changed, format="json")
    assert response.status_code == 403
    assert api(people.interviewer).get(url(people.board)).json()["mine"]["hire"] == "yes"
    assert api(people.interviewer).post(url(people.board, "mine/submit/")).status_code == 400


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"dimensions": {"ambiguity_handling": {"rating": 5}}}, "dimensions.ambiguity_handling.rating"),
        ({"dimensions": {"ambiguity_handling": {"rating": True}}}, "dimensions.ambiguity_handling.rating"),
        ({"dimensions": {"charisma": {"rating": 4}}}, "dimensions.charisma"),
        ({"hire": "maybe"}, "hire"),
        ({"notes": "x" * 4001}, "notes"),
        ({"dimensions": {"ambiguity_handling": {"evidence": [{"type": "vibes", "id": "x"}]}}}, None),
        ({"author": "someone-else"}, "author"),
    ],
)
def test_bad_input_is_refused_with_a_path_and_changes_nothing(body, path):
    people = cast()
    response = api(people.interviewer).put(url(people.board, "mine/"), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    if path is not None:
        assert response.json()["path"].endswith(path)
    assert api(people.interviewer).get(url(people.board)).json()["mine"]["updated_at"] is None


def test_scorecards_of_another_board_are_not_found():
    people, elsewhere = cast(), cast()
    save_and_submit(people.board, people.interviewer)
    response = api(elsewhere.interviewer).get(url(people.board))
    assert response.status_code == 404
    assert "CANARY" not in response.content.decode()
