"""Boards over REST: only yours, with your role checked, in the socket's error shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, add, board_with_owner, member
from whiteboard.models import Board
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db


def api(who=None) -> APIClient:
    client = APIClient()
    if who is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {who.token}")
    return client


def test_a_user_lists_only_the_boards_they_take_part_in():
    _, owner = board_with_owner(title="Mine")
    other_board, _ = board_with_owner(title="Someone else's")
    candidate = member(other_board, "candidate")
    assert [b["title"] for b in api(owner).get("/api/boards/").json()] == ["Mine"]
    listed = api(candidate).get("/api/boards/").json()
    assert [(b["title"], b["role"]) for b in listed] == [("Someone else's", "candidate")]


def test_creating_a_board_makes_the_caller_its_owner():
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/boards/", {"title": "Chat", "prompt": "Design WhatsApp", "mode": "review"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["mode"], body["role"], body["seq"]) == ("Chat", "review", "owner", 0)
    assert Board.objects.get(pk=body["id"]).owner == user


def test_retrieve_returns_the_current_elements_and_seq():
    board, owner = board_with_owner()
    batch_submit(board_id=board.id, participant_id=owner.participant.id, batch_id="b1", raw_ops=[add("api")])
    body = api(owner).get(f"/api/boards/{board.id}/").json()
    assert body["seq"] == 1 and [e["id"] for e in body["elements"]] == ["api"]


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("interviewer", 200), ("candidate", 403), ("reviewer", 403), ("observer", 403)]
)
def test_only_owner_and_interviewer_rename(role, status):
    board, owner = board_with_owner()
    who = owner if role == "owner" else member(board, role)
    response = api(who).patch(f"/api/boards/{board.id}/", {"title": "Renamed"}, format="json")
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "forbidden" and response.json()["message"]
    board.refresh_from_db()
    assert (board.title == "Renamed") == (status == 200)


@pytest.mark.parametrize("role", ["interviewer", "candidate", "observer"])
def test_only_the_owner_deletes(role):
    board, owner = board_with_owner()
    assert api(member(board, role)).delete(f"/api/boards/{board.id}/").status_code == 403
    assert api(owner).delete(f"/api/boards/{board.id}/").status_code == 204
    assert not Board.objects.filter(pk=board.id).exists()


def test_another_users_board_is_not_found_whatever_the_method():
    board, _ = board_with_owner()
    _, stranger = board_with_owner()
    for method in ("get", "patch", "delete"):
        response = getattr(api(stranger), method)(f"/api/boards/{board.id}/", {}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    for path in ("ops/", "invites/"):
        assert api(stranger).get(f"/api/boards/{board.id}/{path}").status_code == 404


def test_anonymous_callers_are_told_to_sign_in():
    board, _ = board_with_owner()
    response = APIClient().get(f"/api/boards/{board.id}/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "nul\x00"}, "title"),
        ({"title": "ok", "mode": "party"}, "mode"),
    ],
)
def test_bad_board_input_is_a_validation_error_with_the_field(payload, path):
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/boards/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and response.json()["path"] == path


def test_malformed_json_is_bad_json():
    _, owner = board_with_owner()
    response = api(owner).post("/api/boards/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"


def test_nan_in_json_is_refused():
    _, owner = board_with_owner()
    response = api(owner).post("/api/boards/", '{"title": NaN}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"


def test_the_op_log_pages_in_seq_order():
    board, owner = board_with_owner()
    for i in range(5):
        batch_submit(board_id=board.id, participant_id=owner.participant.id, batch_id=f"b{i}", raw_ops=[add(f"c{i}")])
    first = api(owner).get(f"/api/boards/{board.id}/ops/?after=0&limit=2").json()
    assert [b["seq"] for b in first["batches"]] == [1, 2] and first["next"] == 2 and first["seq"] == 5
    rest = api(owner).get(f"/api/boards/{board.id}/ops/?after={first['next']}&limit=10").json()
    assert [b["seq"] for b in rest["batches"]] == [3, 4, 5] and rest["next"] is None
    assert rest["batches"][0]["id"] == "b2" and rest["batches"][0]["ops"][0]["op"] == "add"


@pytest.mark.parametrize("query", ["after=-1", "after=x", "limit=0", "limit=1001"])
def test_bad_paging_is_a_validation_error(query):
    board, owner = board_with_owner()
    response = api(owner).get(f"/api/boards/{board.id}/ops/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_the_openapi_schema_documents_the_endpoints():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/boards/",
        "/api/boards/{board_id}/",
        "/api/boards/{board_id}/ops/",
        "/api/boards/{board_id}/invites/",
        "/api/boards/{board_id}/invites/{invite_id}/",
    ):
        assert path in paths
    assert APIClient().get("/api/docs/").status_code == 200
