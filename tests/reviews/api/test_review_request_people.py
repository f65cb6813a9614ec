"""Who can be asked for a review: someone who just signed up (by username or email), and a reviewer
who joined by an invite link and has no account (by their name on the board, or their participant id)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from reviews.models import Review
from tests.factories import member
from tests.reviews.api.helpers import api, cast
from whiteboard.models import Participant
from whiteboard.services.invites import invite_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def people(settings):
    cache.clear()  # allauth's sign-up rate limit counts in the cache
    settings.BOTHSIDES_SIGNUP = "open"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    board = cast("review")
    response = api(board.owner).post(f"/api/boards/{board.board.id}/versions/", {"name": "v1"}, format="json")
    assert response.status_code == 201
    return board


def ask(people, *names: str) -> Any:
    body = {"version": 1, "reviewers": list(names)}
    return api(people.owner).post(f"/api/boards/{people.board.id}/reviews/", body, format="json")


def sign_up(username: str, email: str) -> Client:
    browser = Client()
    form = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert browser.post("/accounts/signup/", form).status_code == 302
    return browser


def join_by_link(people, role: str, name: str) -> tuple[Client, Participant]:
    invite, token = invite_create(board=people.board, by=people.owner.participant, role=role)
    guest = Client()
    assert guest.post(f"/join/{token}", {"name": name}).status_code == 302
    return guest, Participant.objects.get(invite=invite)


def reviewer_ids(response: Any) -> list[str]:
    assert response.status_code == 201, response.content
    return [r["reviewer"] for r in response.json()["reviews"]]


@pytest.mark.parametrize("named_by", ["username", "email"])
def test_someone_who_just_signed_up_can_be_asked_and_reviews_in_their_browser(people, named_by):
    browser = sign_up("rosa", "Rosa@Example.com")
    name = "rosa" if named_by == "username" else "rosa@example.com"
    (reviewer,) = reviewer_ids(ask(people, name))
    joined = Participant.objects.get(pk=reviewer)
    assert joined.user.username == "rosa" and joined.role == "reviewer"
    # Rosa, signed in through the page, drafts a challenge with her session.
    draft = {"target": "api", "kind": "failure_mode", "text": "What if the API dies?"}
    response = browser.post(f"/api/boards/{people.board.id}/reviews/pending/", draft, content_type="application/json")
    assert response.status_code == 201, response.content
    inbox = browser.get("/api/inbox/").json()
    assert [r["version"] for r in inbox["requested"]] == [1]


def test_a_reviewer_who_joined_by_link_is_asked_by_their_name_on_the_board(people):
    guest, participant = join_by_link(people, "reviewer", "Rita Reviewer")
    participants = {p.name: str(p.id) for p in Participant.objects.filter(board=people.board)}
    assert participants["Rita Reviewer"] == str(participant.id)  # as the board lists its people
    assert reviewer_ids(ask(people, "rita reviewer")) == [str(participant.id)]
    response = guest.post(
        f"/api/boards/{people.board.id}/reviews/submit/", {"verdict": "approve"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    review = Review.objects.get(reviewer=participant)
    assert review.verdict == "approve" and review.requested_by == people.owner.participant


def test_a_guest_is_asked_by_participant_id_and_an_observer_guest_becomes_a_reviewer(people):
    _, participant = join_by_link(people, "observer", "Omar")
    assert reviewer_ids(ask(people, str(participant.id))) == [str(participant.id)]
    participant.refresh_from_db()
    assert participant.role == "reviewer"


def test_two_guests_with_one_name_must_be_named_by_id(people):
    join_by_link(people, "reviewer", "Sam")
    _, second = join_by_link(people, "reviewer", "Sam")
    response = ask(people, "Sam")
    assert response.status_code == 400 and response.json()["path"] == "reviewers"
    assert "participant id" in response.json()["message"]
    assert reviewer_ids(ask(people, str(second.id))) == [str(second.id)]


def test_naming_one_person_twice_is_one_request(people):
    sign_up("rosa", "rosa@example.com")
    assert len(reviewer_ids(ask(people, "rosa", "rosa@example.com", " rosa "))) == 1


def test_a_participant_of_another_board_or_a_revoked_one_is_nobody_here(people):
    other = cast("review")
    stranger = member(other.board, "reviewer", guest=True, name="Stranger")
    _, revoked = join_by_link(people, "reviewer", "Gone")
    Participant.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00:00Z")
    for name in (str(stranger.participant.id), "Stranger", "Gone", str(revoked.id)):
        response = ask(people, name)
        assert response.status_code == 400 and name in response.json()["message"], name
    assert not Review.objects.exists()


def test_a_candidate_guest_cannot_be_made_a_reviewer():
    people = cast("interview")
    api(people.owner).post(f"/api/boards/{people.board.id}/versions/", {"name": "v1"}, format="json")
    join_by_link(people, "candidate", "Casey")
    response = ask(people, "Casey")
    assert response.status_code == 400 and "candidate" in response.json()["message"]
