"""Who may do what to annotations over REST: the table of docs/protocol.md, role by role.

A refusal is 403 forbidden and leaves the board exactly as it was: no row,
no batch, no seq.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import member
from tests.reviews.api.helpers import Cast, api, as_role, cast, challenge, stored, submit, url
from tests.reviews.factories import annotate, reply, set_status
from whiteboard.models import Participant

pytestmark = pytest.mark.django_db

ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")


@pytest.fixture
def people() -> Cast:
    """An interview board where every role has a thread of its own, plus the interviewer's open and resolved ones."""
    people = cast()
    board = people.board
    submit(board, people.interviewer, annotate("a-int"), annotate("a-done"), set_status("a-done", "resolved"))
    submit(board, people.owner, annotate("own-owner"))
    submit(board, people.interviewer, annotate("own-interviewer"))
    submit(board, people.candidate, annotate("own-candidate", layer="notes", kind="trade_off"))
    submit(board, people.reviewer, annotate("own-reviewer", kind="security"))
    # An observer never writes; this one wrote a note as a candidate before being made an observer.
    as_role(people.observer, "candidate")
    submit(board, people.observer, annotate("own-observer", layer="notes", kind="comment"))
    as_role(people.observer, "observer")
    return people


def _others(role: str) -> str:
    """A thread by someone else: the interviewer's, or for the interviewer the owner's."""
    return "own-owner" if role == "interviewer" else "own-interviewer"


Action = Callable[[Cast, str], Any]

ACTIONS: dict[str, Action] = {
    "raise challenge": lambda p, role: api(p.by_role(role)).post(url(p.board), challenge(), format="json"),
    "write note": lambda p, role: api(p.by_role(role)).post(url(p.board), challenge(layer="notes"), format="json"),
    "write private": lambda p, role: api(p.by_role(role)).post(url(p.board), challenge(layer="private"), format="json"),
    "reply": lambda p, role: api(p.by_role(role)).post(
        url(p.board, "a-int", replies=True), {"text": "Retries with backoff."}, format="json"
    ),
    "resolve": lambda p, role: api(p.by_role(role)).patch(url(p.board, "a-int"), {"status": "resolved"}, format="json"),
    "reopen": lambda p, role: api(p.by_role(role)).patch(url(p.board, "a-done"), {"status": "reopened"}, format="json"),
    "edit own": lambda p, role: api(p.by_role(role)).patch(
        url(p.board, f"own-{role}"), {"text": "Reworded"}, format="json"
    ),
    "edit other's": lambda p, role: api(p.by_role(role)).patch(
        url(p.board, _others(role)), {"text": "Reworded"}, format="json"
    ),
    "delete own": lambda p, role: api(p.by_role(role)).delete(url(p.board, f"own-{role}")),
    "delete other's": lambda p, role: api(p.by_role(role)).delete(url(p.board, _others(role))),
}

OK = {"POST": 201, "PATCH": 200, "DELETE": 204}
# What each role may do, as in docs/protocol.md ("Who may do what" and "Layers"); anything else is refused.
ALLOWED = {
    "owner": {"raise challenge", "write note", "write private", "reply", "resolve", "reopen", "edit own"}
    | {"delete own", "delete other's"},
    "interviewer": {"raise challenge", "write private", "reply", "resolve", "reopen", "edit own"}
    | {"delete own", "delete other's"},
    "candidate": {"write note", "reply", "edit own", "delete own"},
    "reviewer": {"raise challenge", "reply", "edit own", "delete own"},
    "observer": set(),
}
CASES = [(role, action) for role in ROLES for action in ACTIONS]


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_role_action_matrix(people, role, action):
    before = stored(people.board)
    response = ACTIONS[action](people, role)
    if action in ALLOWED[role]:
        assert response.status_code == OK[response.request["REQUEST_METHOD"]], response.content
        after = stored(people.board)
        assert after != before
        public, private = before["seq"]
        assert after["seq"] == ((public, private + 1) if action == "write private" else (public + 1, private))
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "forbidden" and response.json()["message"]
        assert response.json()["retryable"] is False
        assert stored(people.board) == before


# A review board: the owner is the one challenged, and a reviewer manages their own threads.


@pytest.fixture
def review() -> Cast:
    people = cast(mode="review")
    submit(people.board, people.reviewer, annotate("a-rev", kind="scaling"))
    return people


def test_a_reviewer_resolves_and_reopens_their_own_thread(review):
    resolved = api(review.reviewer).patch(url(review.board, "a-rev"), {"status": "resolved"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    reopened = api(review.reviewer).patch(url(review.board, "a-rev"), {"status": "reopened"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"


def test_a_reviewer_cannot_resolve_another_reviewers_thread(review):
    other = member(review.board, "reviewer")
    before = stored(review.board)
    response = api(other).patch(url(review.board, "a-rev"), {"status": "resolved"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert stored(review.board) == before


def test_the_owners_reply_answers_a_review_challenge_but_a_reviewers_does_not(review):
    by_reviewer = api(review.reviewer).post(
        url(review.board, "a-rev", replies=True), {"text": "Also..."}, format="json"
    )
    assert by_reviewer.status_code == 201 and by_reviewer.json()["status"] == "open"
    by_owner = api(review.owner).post(
        url(review.board, "a-rev", replies=True), {"id": "r-own", "text": "Sharded by user."}, format="json"
    )
    assert by_owner.status_code == 201
    body = by_owner.json()
    assert body["status"] == "answered"
    assert body["answered_seq"] == next(r["seq"] for r in body["replies"] if r["id"] == "r-own")


def test_on_an_interview_board_only_the_candidate_answers(people):
    for role in ("owner", "interviewer", "reviewer"):
        response = api(people.by_role(role)).post(
            url(people.board, "a-int", replies=True), {"text": "Hmm"}, format="json"
        )
        assert response.json()["status"] == "open", role
    response = api(people.candidate).post(
        url(people.board, "a-int", replies=True), {"text": "Failover."}, format="json"
    )
    assert response.json()["status"] == "answered"


def test_answering_a_reopened_challenge_answers_it_again(people):
    submit(people.board, people.candidate, reply("a-done", "r-1"))
    submit(people.board, people.interviewer, set_status("a-done", "reopened"))
    response = api(people.candidate).post(url(people.board, "a-done", replies=True), {"text": "Better:"}, format="json")
    assert response.json()["status"] == "answered"


def test_a_removed_participant_can_no_longer_write(people):
    Participant.objects.filter(pk=people.candidate.participant.pk).update(revoked_at=timezone.now())
    before = stored(people.board)
    response = api(people.candidate).post(url(people.board), challenge(layer="notes"), format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert stored(people.board) == before
