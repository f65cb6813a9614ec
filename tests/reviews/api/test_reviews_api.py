"""The review workflow over REST: requests, pending comments, submit, verdict state, threads, the inbox."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reviews.models import Annotation, PendingComment, Review
from tests.factories import Member, UserFactory, add, member
from tests.reviews.api.helpers import api, cast, submit, url
from tests.reviews.factories import annotate
from whiteboard.models import Batch, Board, Participant
from whiteboard.services.invites import invite_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """A review board: api -> db (arrow api-db) and a sticky note; an owner, a reviewer, an observer."""
    return cast("review")


def base(board: Board) -> str:
    return f"/api/boards/{board.id}"


def publish(people, name: str = "v") -> int:
    response = api(people.owner).post(f"{base(people.board)}/versions/", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def request_review(people, version: int, *usernames: str, who: Member | None = None) -> Any:
    body = {"version": version, "reviewers": list(usernames)}
    return api(who or people.owner).post(f"{base(people.board)}/reviews/", body, format="json")


def draft(board: Board, who: Member | APIClient, **fields: Any) -> Any:
    body = {"target": "api", "kind": "failure_mode", "text": "What if API dies?", **fields}
    client = who if isinstance(who, APIClient) else api(who)
    return client.post(f"{base(board)}/reviews/pending/", body, format="json")


def pending(board: Board, who: Member) -> list[dict[str, Any]]:
    response = api(who).get(f"{base(board)}/reviews/pending/")
    assert response.status_code == 200, response.content
    return response.json()


def send_review(board: Board, who: Member | APIClient, verdict: str, summary: str = "") -> Any:
    client = who if isinstance(who, APIClient) else api(who)
    return client.post(f"{base(board)}/reviews/submit/", {"verdict": verdict, "summary": summary}, format="json")


def reviewed(board: Board, who: Member, verdict: str, summary: str = "") -> dict[str, Any]:
    response = send_review(board, who, verdict, summary)
    assert response.status_code == 200, response.content
    return response.json()


def state(board: Board, who: Member) -> str:
    response = api(who).get(f"{base(board)}/reviews/")
    assert response.status_code == 200
    return response.json()["state"]


def threads(board: Board, who: Member) -> list[dict[str, Any]]:
    response = api(who).get(url(board))
    assert response.status_code == 200
    return response.json()


def head(board: Board) -> int:
    board.refresh_from_db()
    return board.seq


def inbox(who: Member) -> dict[str, Any]:
    response = api(who).get("/api/inbox/")
    assert response.status_code == 200, response.content
    return response.json()


def account() -> Member:
    """A registered user with a token, on no board yet (`participant` is None)."""
    user = UserFactory()
    return Member(None, user, Token.objects.create(user=user).key)


# Requesting a review


def test_the_owner_asks_a_user_by_name_and_they_join_as_reviewer(people):
    publish(people, "v1")
    alice = account()
    response = request_review(people, 1, alice.user.username)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "in_review"
    assert [(r["reviewer_name"], r["version"], r["verdict"], r["submitted_at"]) for r in body["reviews"]] == [
        (alice.user.username, 1, "", None)
    ]
    joined = Participant.objects.get(board=people.board, user=alice.user)
    assert joined.role == "reviewer" and body["reviews"][0]["reviewer"] == str(joined.id)
    board = api(alice).get(f"{base(people.board)}/")
    assert board.status_code == 200 and board.json()["role"] == "reviewer"


def test_unknown_usernames_are_refused_by_name_and_nobody_is_added(people):
    publish(people, "v1")
    alice = account()
    response = request_review(people, 1, alice.user.username, "ghost", "nobody")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "validation_error" and error["path"] == "reviewers"
    assert "ghost" in error["message"] and "nobody" in error["message"]
    assert alice.user.username not in error["message"]
    assert not Review.objects.exists()
    assert not Participant.objects.filter(board=people.board, user=alice.user).exists()


def test_an_observer_asked_to_review_becomes_a_reviewer_and_can_draft(people):
    publish(people, "v1")
    assert draft(people.board, people.observer).status_code == 403
    response = request_review(people, 1, people.observer.user.username)
    assert response.status_code == 201
    people.observer.participant.refresh_from_db()
    assert people.observer.participant.role == "reviewer"
    assert Participant.objects.filter(board=people.board, user=people.observer.user).count() == 1
    assert draft(people.board, people.observer).status_code == 201


def test_the_owner_cannot_be_made_a_reviewer_of_their_own_board(people):
    publish(people, "v1")
    response = request_review(people, 1, people.owner.user.username)
    assert response.status_code == 400
    assert response.json()["path"] == "reviewers" and "owner" in response.json()["message"]
    people.owner.participant.refresh_from_db()
    assert people.owner.participant.role == "owner"
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", ["candidate", "interviewer"])
def test_a_candidate_or_interviewer_cannot_be_made_a_reviewer(role):
    people = cast("interview")
    publish(people, "v1")
    who = people.by_role(role)
    response = request_review(people, 1, who.user.username)
    assert response.status_code == 400 and role in response.json()["message"]
    who.participant.refresh_from_db()
    assert who.participant.role == role
    assert not Review.objects.exists()


def test_asking_the_same_reviewer_twice_is_one_request(people):
    publish(people, "v1")
    alice = account()
    request_review(people, 1, alice.user.username)
    response = request_review(people, 1, alice.user.username)
    assert response.status_code == 201 and len(response.json()["reviews"]) == 1


@pytest.mark.parametrize("role", ["reviewer", "observer"])
def test_only_the_owner_requests_reviews(people, role):
    publish(people, "v1")
    response = request_review(people, 1, account().user.username, who=people.by_role(role))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Review.objects.exists()


def test_a_review_of_an_unknown_version_is_not_found(people):
    response = request_review(people, 1, account().user.username)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("body", [{"version": 1, "reviewers": []}, {"version": 0, "reviewers": ["x"]}, {}])
def test_a_malformed_request_is_a_validation_error(people, body):
    publish(people, "v1")
    response = api(people.owner).post(f"{base(people.board)}/reviews/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_a_stranger_cannot_see_or_touch_reviews(people):
    publish(people, "v1")
    outsider = account()
    for path in ("/reviews/", "/reviews/pending/"):
        assert api(outsider).get(f"{base(people.board)}{path}").status_code == 404
    assert draft(people.board, outsider).status_code == 404
    assert send_review(people.board, outsider, "approve").status_code == 404


# Pending comments stay the reviewer's alone


def test_a_drafted_challenge_is_visible_to_its_reviewer_only_and_not_in_the_log(people):
    board = people.board
    publish(people, "v1")
    colleague = member(board, "reviewer")
    before = head(board)
    response = draft(board, people.reviewer, text="Single point of failure?")
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("a-") and body["created_at"]
    assert {k: v for k, v in body.items() if k not in ("id", "created_at")} == {
        "layer": "challenges",
        "target": "api",
        "kind": "failure_mode",
        "text": "Single point of failure?",
        "version": 1,
    }
    assert pending(board, people.reviewer) == [body]
    for other in (colleague, people.owner, people.observer):
        assert pending(board, other) == []
    for anyone in (people.owner, people.observer, colleague, people.reviewer):
        listed = threads(board, anyone)
        assert all(t["id"] != body["id"] and "Single point" not in t["text"] for t in listed)
        assert api(anyone).get(url(board, body["id"])).status_code == 404
    assert head(board) == before
    ops = api(people.owner).get(f"{base(board)}/ops/?after=0").json()
    assert "Single point" not in str(ops) and body["id"] not in str(ops)


@pytest.mark.parametrize("role", ["owner", "observer"])
def test_only_a_reviewer_drafts(people, role):
    publish(people, "v1")
    response = draft(people.board, people.by_role(role))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not PendingComment.objects.exists()


def test_there_is_nothing_to_review_before_a_version_is_published(people):
    response = draft(people.board, people.reviewer)
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert send_review(people.board, people.reviewer, "approve").status_code == 400
    assert not Batch.objects.filter(board=people.board, participant=people.reviewer.participant).exists()


@pytest.mark.parametrize(
    "fields,status,code",
    [
        ({"target": "nope"}, 400, "unknown_ref"),
        ({"target": "sticky"}, 400, "validation_error"),
        ({"kind": "vibes"}, 400, "validation_error"),
        ({"text": "   "}, 400, "validation_error"),
        ({"text": "x" * 4001}, 400, "validation_error"),
        ({"id": "p-secret"}, 400, "validation_error"),
    ],
)
def test_a_draft_is_checked_by_the_rules_it_will_meet_on_submit(people, fields, status, code):
    publish(people, "v1")
    response = draft(people.board, people.reviewer, **fields)
    assert response.status_code == status and response.json()["code"] == code, response.content
    assert pending(people.board, people.reviewer) == []


def test_a_board_level_draft_and_an_arrow_draft_are_fine(people):
    publish(people, "v1")
    assert draft(people.board, people.reviewer, target=None, kind="clarify").json()["target"] is None
    assert draft(people.board, people.reviewer, target="api-db", kind="trade_off").status_code == 201
    assert len(pending(people.board, people.reviewer)) == 2


def test_a_draft_id_is_a_duplicate_only_of_the_reviewers_own_drafts(people):
    # A thread's id does not matter (the draft is published under another id if it is still
    # taken at submit): answering 409 here would tell nothing useful and tie drafts to others.
    board = people.board
    submit(board, people.owner, annotate("a-taken"))
    publish(people, "v1")
    assert draft(board, people.reviewer, id="a-taken").status_code == 201
    assert draft(board, people.reviewer, id="a-mine").status_code == 201
    assert draft(board, people.reviewer, id="a-mine").status_code == 409
    assert [p["id"] for p in pending(board, people.reviewer)] == ["a-taken", "a-mine"]


def test_a_reviewer_drops_their_own_draft_but_never_someone_elses(people):
    board = people.board
    publish(people, "v1")
    colleague = member(board, "reviewer")
    mine = draft(board, people.reviewer, id="a-mine").json()["id"]
    theirs = draft(board, colleague, id="a-theirs").json()["id"]
    assert api(people.reviewer).delete(f"{base(board)}/reviews/pending/{theirs}/").status_code == 404
    assert api(people.owner).delete(f"{base(board)}/reviews/pending/{theirs}/").status_code == 404
    assert [p["id"] for p in pending(board, colleague)] == [theirs]
    assert api(people.reviewer).delete(f"{base(board)}/reviews/pending/{mine}/").status_code == 204
    assert pending(board, people.reviewer) == []
    assert api(people.reviewer).delete(f"{base(board)}/reviews/pending/{mine}/").status_code == 404


# Submitting: every pending challenge and the verdict in one batch


def test_submit_releases_every_draft_and_the_verdict_in_one_batch(people):
    board = people.board
    publish(people, "v1")
    drafts = [
        draft(board, people.reviewer, id="a-1", text="What if API dies?").json(),
        draft(board, people.reviewer, id="a-2", target="db", kind="scaling", text="Read replicas?").json(),
        draft(board, people.reviewer, id="a-3", target=None, kind="comment", text="Nice and simple.").json(),
    ]
    before = head(board)
    body = reviewed(board, people.reviewer, "request_changes", "Needs a failover story.")
    assert head(board) == before + 1
    assert body["verdict"] == "request_changes" and body["summary"] == "Needs a failover story."
    assert (body["version"], body["submitted_seq"], body["reviewer"]) == (1, before + 1, people.reviewer.id)
    batch = Batch.objects.get(board=board, stream="public", seq=before + 1)
    assert batch.participant_id == people.reviewer.participant.id
    assert [op["op"] for op in batch.ops] == ["annotate", "annotate", "annotate", "verdict"]
    assert [op["annotation"]["text"] for op in batch.ops[:3]] == [d["text"] for d in drafts]
    assert batch.ops[3] == {"op": "verdict", "version": 1, "verdict": "request_changes", "summary": body["summary"]}
    listed = {t["id"]: t for t in threads(board, people.observer)}
    assert set(listed) == {"a-1", "a-2", "a-3"}
    for thread in listed.values():
        assert thread["author"] == people.reviewer.id and thread["status"] == "open" and thread["prompted"]
        assert thread["raised_seq"] == before + 1
    assert listed["a-2"]["target"] == "db" and listed["a-3"]["target"] is None
    assert pending(board, people.reviewer) == []
    assert state(board, people.owner) == "changes_requested"


def test_a_review_without_drafts_is_just_the_verdict(people):
    board = people.board
    publish(people, "v1")
    before = head(board)
    reviewed(board, people.reviewer, "approve", "LGTM")
    assert Batch.objects.get(board=board, seq=before + 1).ops == [
        {"op": "verdict", "version": 1, "verdict": "approve", "summary": "LGTM"}
    ]
    assert threads(board, people.owner) == []


def test_a_version_is_reviewed_once(people):
    board = people.board
    publish(people, "v1")
    reviewed(board, people.reviewer, "comment")
    before = head(board)
    response = send_review(board, people.reviewer, "approve")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert "already reviewed version 1" in response.json()["message"]
    assert draft(board, people.reviewer).status_code == 400
    assert head(board) == before
    assert [r["verdict"] for r in api(people.owner).get(f"{base(board)}/reviews/").json()["reviews"]] == ["comment"]


def test_a_later_version_can_be_reviewed_again(people):
    board = people.board
    publish(people, "v1")
    reviewed(board, people.reviewer, "request_changes")
    submit(board, people.owner, add("replica", type="database"))
    publish(people, "v2")
    assert draft(board, people.reviewer, target="replica", text="Lag?").json()["version"] == 2
    body = reviewed(board, people.reviewer, "approve")
    assert body["version"] == 2
    listed = api(people.owner).get(f"{base(board)}/reviews/").json()
    assert sorted((r["version"], r["verdict"]) for r in listed["reviews"]) == [(1, "request_changes"), (2, "approve")]
    assert listed["state"] == "approved"


@pytest.mark.parametrize("role", ["owner", "observer"])
def test_a_verdict_by_someone_who_is_not_a_reviewer_is_forbidden(people, role):
    board = people.board
    publish(people, "v1")
    before = head(board)
    response = send_review(board, people.by_role(role), "approve")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert head(board) == before and state(board, people.owner) == "none"


def test_a_bad_verdict_is_refused_and_the_drafts_stay_pending(people):
    board = people.board
    publish(people, "v1")
    draft(board, people.reviewer, id="a-1")
    response = send_review(board, people.reviewer, "lgtm")
    assert response.status_code == 400 and response.json()["path"] == "verdict"
    assert [p["id"] for p in pending(board, people.reviewer)] == ["a-1"]
    assert threads(board, people.owner) == []


def test_drafts_written_before_a_new_version_are_still_released_on_submit(people):
    board = people.board
    publish(people, "v1")
    draft(board, people.reviewer, id="a-early", text="Is the DB replicated?")
    submit(board, people.owner, add("cache", type="cache"))
    publish(people, "v2")
    draft(board, people.reviewer, id="a-late", target="cache", text="Eviction policy?")
    assert {p["id"] for p in pending(board, people.reviewer)} == {"a-early", "a-late"}
    reviewed(board, people.reviewer, "comment")
    # Everything the reviewer was shown as pending lands when they submit, nothing is left behind.
    assert {t["id"] for t in threads(board, people.observer)} == {"a-early", "a-late"}
    assert pending(board, people.reviewer) == []


def test_a_draft_on_a_component_the_author_deleted_since_does_not_block_the_review(people):
    board = people.board
    publish(people, "v1")
    draft(board, people.reviewer, id="a-db", target="db", text="Why one DB?")
    draft(board, people.reviewer, id="a-api", text="What if API dies?")
    submit(board, people.owner, {"op": "delete", "id": "db"})
    response = send_review(board, people.reviewer, "request_changes", "See threads")
    assert response.status_code == 200, response.content
    listed = {t["id"]: t for t in threads(board, people.owner)}
    assert set(listed) == {"a-db", "a-api"}
    assert listed["a-db"]["orphaned"] is True


# The board's review state


def test_review_state_moves_like_a_pull_request(people):
    board = people.board
    alice, bob = account(), account()
    assert state(board, people.observer) == "none"
    publish(people, "v1")
    assert state(board, people.observer) == "none"
    request_review(people, 1, alice.user.username, bob.user.username)
    assert state(board, people.observer) == "in_review"
    reviewed(board, alice, "comment")
    assert state(board, people.observer) == "in_review"
    reviewed(board, bob, "request_changes")
    assert state(board, people.observer) == "changes_requested"

    submit(board, people.owner, {"op": "update", "id": "db", "props": {"replicas": 3}})
    publish(people, "v2")
    request_review(people, 2, alice.user.username, bob.user.username)
    assert state(board, people.observer) == "changes_requested"  # bob has not looked again yet
    reviewed(board, alice, "approve")
    assert state(board, people.observer) == "changes_requested"  # alice cannot clear bob's request
    reviewed(board, bob, "approve")
    assert state(board, people.observer) == "approved"

    publish(people, "v3")
    request_review(people, 3, bob.user.username)
    assert state(board, people.observer) == "in_review"  # bob's approval was of v2
    reviewed(board, bob, "approve")
    assert state(board, people.observer) == "approved"


def test_changes_requested_is_not_cleared_by_a_mere_comment_on_a_later_version(people):
    board = people.board
    publish(people, "v1")
    reviewed(board, people.reviewer, "request_changes")
    publish(people, "v2")
    reviewed(board, people.reviewer, "comment", "Better, still thinking.")
    assert state(board, people.owner) == "changes_requested"


def test_the_reviews_list_is_the_same_for_everyone_on_the_board(people):
    board = people.board
    publish(people, "v1")
    reviewed(board, people.reviewer, "approve", "Ship it")
    seen = [api(who).get(f"{base(board)}/reviews/").json() for who in (people.owner, people.reviewer, people.observer)]
    assert seen[0] == seen[1] == seen[2]
    assert seen[0]["state"] == "approved"
    assert [(r["verdict"], r["summary"], r["reviewer_name"]) for r in seen[0]["reviews"]] == [
        ("approve", "Ship it", people.reviewer.participant.name)
    ]


# Joining by a reviewer invite link


def test_a_reviewer_who_joined_by_invite_link_reviews_the_latest_version(people):
    board = people.board
    publish(people, "v1")
    submit(board, people.owner, add("cache", type="cache"))
    publish(people, "v2")
    _, token = invite_create(board=board, by=people.owner.participant, role="reviewer")
    guest = APIClient()
    assert guest.post(f"/join/{token}", {"name": "Rae"}).status_code == 302
    response = draft(board, guest, target="cache", text="TTL?")
    assert response.status_code == 201 and response.json()["version"] == 2
    response = send_review(board, guest, "approve", "Fine by me")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["reviewer_name"]) == (2, "Rae")
    listed = api(people.owner).get(f"{base(board)}/reviews/").json()
    assert listed["state"] == "approved"
    assert [t["text"] for t in threads(board, people.owner)] == ["TTL?"]


# Threads after the review


def released(people, *drafts: dict[str, Any], verdict: str = "comment") -> None:
    for fields in drafts:
        assert draft(people.board, people.reviewer, **fields).status_code == 201
    reviewed(people.board, people.reviewer, verdict)


def test_a_thread_becomes_outdated_when_its_component_changes_in_a_later_version(people):
    board = people.board
    publish(people, "v1")
    released(people, {"id": "a-api"}, {"id": "a-db", "target": "db"})
    submit(
        board,
        people.owner,
        {"op": "update", "id": "api", "props": {"label": "Gateway"}},
        {"op": "update", "id": "db", "props": {"x": 500, "y": 300}},  # moved only
    )
    publish(people, "v2")
    listed = {t["id"]: t for t in threads(board, people.reviewer)}
    assert listed["a-api"]["outdated"] is True
    assert listed["a-db"]["outdated"] is False
    assert listed["a-api"]["snapshot"]["label"] == "API"


def test_a_thread_is_outdated_when_the_component_changed_since_the_version_the_reviewer_commented_on(people):
    board = people.board
    publish(people, "v1")
    draft(board, people.reviewer, id="a-api", text="Why is API a single instance?")
    # The author keeps working while the reviewer drafts; the reviewer comments on v1's "API".
    submit(board, people.owner, {"op": "update", "id": "api", "props": {"label": "Gateway", "replicas": 3}})
    reviewed(board, people.reviewer, "request_changes")
    thread = api(people.owner).get(url(board, "a-api")).json()
    assert thread["outdated"] is True
    assert thread["snapshot"]["label"] == "API"


def test_a_reviewer_resolves_their_own_threads_the_owner_any_another_reviewer_none(people):
    board = people.board
    publish(people, "v1")
    colleague = member(board, "reviewer")
    released(people, {"id": "a-1"}, {"id": "a-2", "target": "db"})

    response = api(colleague).patch(url(board, "a-1"), {"status": "resolved"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert api(people.observer).patch(url(board, "a-1"), {"status": "resolved"}, format="json").status_code == 403
    assert Annotation.objects.get(board=board, annotation_id="a-1").status == "open"

    response = api(people.reviewer).patch(url(board, "a-1"), {"status": "resolved"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    response = api(people.owner).patch(url(board, "a-2"), {"status": "resolved"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    response = api(people.owner).patch(url(board, "a-1"), {"status": "reopened"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "reopened"


def test_the_authors_inline_reply_answers_a_challenge_and_a_reviewers_does_not(people):
    board = people.board
    publish(people, "v1")
    colleague = member(board, "reviewer")
    released(people, {"id": "a-1"})
    response = api(colleague).post(url(board, "a-1", replies=True), {"text": "+1"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "open"
    response = api(people.owner).post(url(board, "a-1", replies=True), {"text": "We fail over to B."}, format="json")
    assert response.status_code == 201
    thread = response.json()
    assert thread["status"] == "answered"
    assert [r["text"] for r in thread["replies"]] == ["+1", "We fail over to B."]
    assert thread["answered_seq"] == thread["replies"][1]["seq"]


# The inbox


def test_the_inbox_lists_reviews_requested_from_me_until_i_submit(people):
    board = people.board
    publish(people, "First cut")
    alice = account()
    request_review(people, 1, alice.user.username)
    mine = inbox(alice)
    assert mine["requested"] == [
        {
            "board": {"id": str(board.id), "title": board.title, "mode": "review"},
            "version": 1,
            "version_name": "First cut",
            "requested_by": people.owner.participant.name,
        }
    ]
    assert mine["my_boards"] == [] and mine["waiting"] == []
    assert inbox(people.owner)["requested"] == []
    reviewed(board, alice, "approve")
    assert inbox(alice)["requested"] == []


def test_a_request_for_an_older_version_leaves_the_inbox_once_i_reviewed_a_later_one(people):
    board = people.board
    publish(people, "v1")
    alice = account()
    request_review(people, 1, alice.user.username)
    submit(board, people.owner, add("cache", type="cache"))
    publish(people, "v2")
    reviewed(board, alice, "approve")  # a submit always reviews the newest version
    assert inbox(alice)["requested"] == []


def test_the_inbox_shows_reviews_of_my_boards_with_their_state(people):
    board = people.board
    publish(people, "v1")
    alice = account()
    request_review(people, 1, alice.user.username)
    mine = inbox(people.owner)["my_boards"]
    assert len(mine) == 1
    assert mine[0]["board"] == {"id": str(board.id), "title": board.title, "mode": "review"}
    assert mine[0]["state"] == "in_review"
    assert [(r["reviewer_name"], r["verdict"]) for r in mine[0]["reviews"]] == [(alice.user.username, "")]
    reviewed(board, alice, "request_changes", "No failover")
    mine = inbox(people.owner)["my_boards"]
    assert mine[0]["state"] == "changes_requested" and mine[0]["reviews"][0]["summary"] == "No failover"
    assert inbox(alice)["my_boards"] == []
    # A board of mine nobody was asked to review is not listed.
    cast("review")
    assert len(inbox(people.owner)["my_boards"]) == 1


def test_the_inbox_lists_challenges_waiting_for_my_answer_until_answered_or_resolved(people):
    board = people.board
    publish(people, "v1")
    draft(board, people.reviewer, id="a-1", text="What if API dies?")
    assert inbox(people.owner)["waiting"] == []  # a draft is nobody's business yet
    released(people, {"id": "a-2", "target": "db", "kind": "scaling", "text": "Sharding?"})
    waiting = inbox(people.owner)["waiting"]
    assert sorted(w["annotation"] for w in waiting) == ["a-1", "a-2"]
    second = next(w for w in waiting if w["annotation"] == "a-2")
    assert second == {
        "board": {"id": str(board.id), "title": board.title},
        "annotation": "a-2",
        "kind": "scaling",
        "text": "Sharding?",
        "target": "db",
    }
    for other in (people.reviewer, people.observer):
        assert inbox(other)["waiting"] == []

    api(people.owner).post(url(board, "a-1", replies=True), {"text": "Failover."}, format="json")
    api(people.reviewer).patch(url(board, "a-2"), {"status": "resolved"}, format="json")
    assert inbox(people.owner)["waiting"] == []
    api(people.reviewer).patch(url(board, "a-2"), {"status": "reopened"}, format="json")
    assert [w["annotation"] for w in inbox(people.owner)["waiting"]] == ["a-2"]


def test_the_inbox_of_a_candidate_holds_the_challenges_put_to_them():
    people = cast("interview")
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, annotate("a-note", layer="notes", kind="trade_off", text="Mine."))
    submit(people.board, people.interviewer, annotate("p-1", layer="private", text="Hint: CAP"))
    assert [w["annotation"] for w in inbox(people.candidate)["waiting"]] == ["a-1"]
    assert "Hint" not in str(inbox(people.candidate))
    assert inbox(people.interviewer)["waiting"] == []


def test_the_inbox_needs_an_account_and_is_empty_for_a_newcomer():
    response = APIClient().get("/api/inbox/")
    assert response.status_code in (401, 403)
    assert inbox(account()) == {"requested": [], "my_boards": [], "waiting": []}
