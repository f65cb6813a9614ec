"""The inbox page lists what waits for the signed-in user, and nothing of anyone else's."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import Member, UserFactory, add, board_with_owner
from tests.reviews.api.helpers import api, submit
from whiteboard.models import Participant

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_inbox_shows_a_requested_review_and_the_authors_waiting_challenge():
    board, owner = board_with_owner(mode="review", title="Payments <redesign>")
    submit(board, owner, add("api", label="API"))
    api(owner).post(f"/api/boards/{board.id}/versions/", {"name": "First cut"}, format="json")
    rita = UserFactory(username="rita")
    api(owner).post(f"/api/boards/{board.id}/reviews/", {"version": 1, "reviewers": ["rita"]}, format="json")

    page = signed_in(rita).get("/inbox/").content.decode()
    assert "Payments &lt;redesign&gt;" in page and "First cut" in page

    reviewer = Member(Participant.objects.get(board=board, user=rita), rita, Token.objects.create(user=rita).key)
    body = {"target": "api", "kind": "scaling", "text": "What about 10x traffic?"}
    api(reviewer).post(f"/api/boards/{board.id}/reviews/pending/", body, format="json")
    assert "What about 10x traffic?" not in signed_in(owner.user).get("/inbox/").content.decode()  # still pending
    api(reviewer).post(f"/api/boards/{board.id}/reviews/submit/", {"verdict": "request_changes"}, format="json")

    page = signed_in(owner.user).get("/inbox/").content.decode()
    assert "What about 10x traffic?" in page and "changes requested" in page
    assert "Nothing to review." in signed_in(owner.user).get("/inbox/").content.decode()
    stranger = signed_in(UserFactory()).get("/inbox/").content.decode()
    assert "Payments" not in stranger


def test_the_inbox_needs_a_sign_in():
    response = Client().get("/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
