"""Issue 19, defect 4: a reviewer's pending comments can be neither blocked nor probed by anyone else.

A draft's id is the reviewer's own: nobody else can see it, so nothing another
person does may collide with it. Someone creating a public annotation with the
same id used to make the reviewer's submit fail 409 (a stuck review); a second
reviewer drafting with a taken id got 409 (an oracle for other people's
drafts). Now drafts are unique per reviewer, and at submit the server publishes
each under its draft id when that id is free on the board, else under a fresh
one, and says which in `published`.
"""

from __future__ import annotations

import pytest

from reviews.models import Annotation, PendingComment
from tests.factories import member
from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.factories import annotate

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = cast("review")
    response = api(people.owner).post(f"/api/boards/{people.board.id}/versions/", {"name": "v1"}, format="json")
    assert response.status_code == 201, response.content
    return people


def draft(people, who, **fields):
    body = {"target": "api", "kind": "failure_mode", "text": "What if API dies?", **fields}
    return api(who).post(f"/api/boards/{people.board.id}/reviews/pending/", body, format="json")


def send_review(people, who, verdict="comment"):
    body = {"verdict": verdict, "summary": ""}
    return api(who).post(f"/api/boards/{people.board.id}/reviews/submit/", body, format="json")


def test_a_second_reviewer_drafting_the_same_id_learns_nothing(people):
    colleague = member(people.board, "reviewer")
    assert draft(people, people.reviewer, id="a-secret").status_code == 201
    # Same answer as for an id nobody drafted: no oracle for someone else's drafts.
    assert draft(people, colleague, id="a-secret").status_code == 201
    assert draft(people, colleague, id="a-unused").status_code == 201


def test_a_public_annotation_with_a_drafts_id_does_not_block_the_review(people):
    assert draft(people, people.reviewer, id="a-target").status_code == 201
    # Someone else (the owner here) takes the id in public before the reviewer submits.
    submit(people.board, people.owner, annotate("a-target"))
    response = send_review(people, people.reviewer)
    assert response.status_code == 200, response.content
    published = response.json()["published"]
    assert set(published) == {"a-target"} and published["a-target"] != "a-target"
    mine = Annotation.objects.get(board=people.board, annotation_id=published["a-target"])
    assert mine.author_id == people.reviewer.participant.id and mine.text == "What if API dies?"
    assert not PendingComment.objects.filter(board=people.board).exists()


def test_two_reviewers_with_the_same_draft_id_both_publish(people):
    colleague = member(people.board, "reviewer")
    draft(people, people.reviewer, id="a-same", text="first")
    draft(people, colleague, id="a-same", text="second")
    first = send_review(people, people.reviewer)
    second = send_review(people, colleague)
    assert first.status_code == second.status_code == 200, (first.content, second.content)
    ids = {first.json()["published"]["a-same"], second.json()["published"]["a-same"]}
    assert len(ids) == 2 and "a-same" in ids
    texts = {a.text for a in Annotation.objects.filter(board=people.board, annotation_id__in=ids)}
    assert texts == {"first", "second"}


def test_a_free_draft_id_is_published_as_it_is(people):
    draft(people, people.reviewer, id="a-free")
    assert send_review(people, people.reviewer).json()["published"] == {"a-free": "a-free"}


def test_a_reviewer_may_not_reuse_their_own_draft_id(people):
    assert draft(people, people.reviewer, id="a-twice").status_code == 201
    assert draft(people, people.reviewer, id="a-twice").status_code == 409
