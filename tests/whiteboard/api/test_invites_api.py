"""Invite links: who may create and revoke them, and what joining does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import board_with_owner, member
from whiteboard.models import Invite, Participant
from whiteboard.ws_auth import GUEST_SESSION_KEY

pytestmark = pytest.mark.django_db


def api(who) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {who.token}")
    return client


def create(who, board, role="candidate"):
    return api(who).post(f"/api/boards/{board.id}/invites/", {"role": role}, format="json")


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 201), ("interviewer", 201), ("candidate", 403), ("observer", 403), ("reviewer", 403)]
)
def test_only_owner_and_interviewer_invite(role, status):
    board, owner = board_with_owner()
    who = owner if role == "owner" else member(board, role)
    response = create(who, board)
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body["role"] == "candidate" and "/join/" in body["url"] and body["revoked"] is False
        assert Invite.objects.get(pk=body["id"]).token not in body["url"]  # only a hash is stored


def test_an_interview_board_does_not_invite_reviewers_or_owners():
    board, owner = board_with_owner()
    assert create(owner, board, "reviewer").json()["code"] == "validation_error"
    assert create(owner, board, "owner").json()["code"] == "validation_error"
    assert not Invite.objects.exists()


def test_invites_are_listed_for_inviters_without_their_links():
    board, owner = board_with_owner()
    create(owner, board, "candidate")
    create(owner, board, "observer")
    listed = api(owner).get(f"/api/boards/{board.id}/invites/").json()
    assert sorted(i["role"] for i in listed) == ["candidate", "observer"]
    assert all("url" not in i for i in listed)
    assert api(member(board, "candidate")).get(f"/api/boards/{board.id}/invites/").status_code == 403


def join_page(url: str, name: str = "Casey") -> tuple[Client, object]:
    path = url.split("testserver", 1)[1]
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200 and b'name="name"' in page.content
    response = browser.post(path, {"name": name, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    return browser, response


def test_joining_asks_for_a_name_then_lands_on_the_board_without_the_token():
    board, owner = board_with_owner()
    url = create(owner, board).json()["url"]
    browser, response = join_page(url, "Casey")
    assert response.status_code == 302 and response["Location"] == f"/boards/{board.id}/"
    assert response["Referrer-Policy"] == "strict-origin"
    participant = Participant.objects.get(board=board, name="Casey")
    assert participant.role == "candidate" and participant.user is None
    assert browser.get(response["Location"]).status_code == 200
    listed = browser.get("/api/boards/").json()
    assert [(b["id"], b["role"]) for b in listed] == [(str(board.id), "candidate")]


def test_joining_cycles_the_session_key_against_fixation():
    board, owner = board_with_owner()
    url = create(owner, board).json()["url"]
    path = url.split("testserver", 1)[1]
    planted = SessionStore()
    planted["note"] = "set by an attacker"
    planted.create()
    browser = Client()
    browser.cookies["sessionid"] = planted.session_key
    browser.post(path, {"name": "Casey"})
    assert browser.cookies["sessionid"].value != planted.session_key
    assert GUEST_SESSION_KEY not in SessionStore(session_key=planted.session_key).load()
    assert GUEST_SESSION_KEY in browser.session


def test_joining_needs_the_csrf_token():
    board, owner = board_with_owner()
    path = create(owner, board).json()["url"].split("testserver", 1)[1]
    assert Client(enforce_csrf_checks=True).post(path, {"name": "Casey"}).status_code == 403
    assert not Participant.objects.filter(name="Casey").exists()


def test_an_empty_name_is_asked_again():
    board, owner = board_with_owner()
    path = create(owner, board).json()["url"].split("testserver", 1)[1]
    response = Client().post(path, {"name": "  "})
    assert response.status_code == 400 and b"display name" in response.content


def test_expired_revoked_and_forged_links_do_not_work():
    board, owner = board_with_owner()
    expired = create(owner, board).json()
    Invite.objects.filter(pk=expired["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = create(owner, board).json()
    assert api(owner).delete(f"/api/boards/{board.id}/invites/{revoked['id']}/").status_code == 204
    forged = create(owner, board).json()["url"][:-2] + "xx"
    for url in (expired["url"], revoked["url"], forged):
        path = url.split("testserver", 1)[1]
        assert Client().get(path).status_code == 410
        assert Client().post(path, {"name": "Mallory"}).status_code == 410
    assert not Participant.objects.filter(name="Mallory").exists()


def test_revoking_removes_everyone_who_joined_with_the_link():
    board, owner = board_with_owner()
    invite = create(owner, board).json()
    browser, _ = join_page(invite["url"])
    assert api(owner).delete(f"/api/boards/{board.id}/invites/{invite['id']}/").status_code == 204
    assert browser.get(f"/api/boards/{board.id}/").status_code == 404
    assert browser.get(f"/boards/{board.id}/").status_code == 404


def test_a_guest_interviewer_must_send_csrf_to_write():
    board, owner = board_with_owner()
    browser, _ = join_page(create(owner, board, "interviewer").json()["url"], "Ivy")
    path = f"/api/boards/{board.id}/invites/"
    refused = browser.post(path, {"role": "candidate"}, content_type="application/json")
    assert refused.status_code == 403
    allowed = browser.post(
        path,
        {"role": "candidate"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert allowed.status_code == 201


def test_a_logged_in_user_joining_keeps_their_account_and_existing_role():
    board, owner = board_with_owner()
    interviewer = member(board, "interviewer")
    browser = Client()
    browser.force_login(interviewer.user)
    path = create(owner, board, "candidate").json()["url"].split("testserver", 1)[1]
    browser.post(path, {"name": "whatever"})
    assert Participant.objects.get(board=board, user=interviewer.user).role == "interviewer"
    assert GUEST_SESSION_KEY not in browser.session


def test_an_invite_of_another_board_cannot_be_revoked_through_yours():
    board, owner = board_with_owner()
    other_board, other_owner = board_with_owner()
    theirs = create(other_owner, other_board).json()
    response = api(owner).delete(f"/api/boards/{board.id}/invites/{theirs['id']}/")
    assert response.status_code == 404
    assert Invite.objects.get(pk=theirs["id"]).revoked_at is None
