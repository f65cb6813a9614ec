"""The question bank over REST: who reads which part, a team's questions and their versions, boards made from one."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reviews.models import BoardQuestion
from reviews.question_bank import BANK
from tests.factories import UserFactory, member
from tests.reviews.questions_cast import CANARY, QuestionCast, interviewer_account, rest, secret_question
from whiteboard.models import Element

pytestmark = pytest.mark.django_db

PRIVATE = {"facts", "reference", "follow_ups", "cards", "rubric"}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_everyone_signed_in_reads_prompts_and_only_interviewers_read_the_rest():
    listed = client_for(UserFactory()).get("/api/questions/").json()
    assert {q["id"] for q in listed} >= set(BANK)
    assert all(not (PRIVATE & set(q)) for q in listed)
    assert {q["question_type"] for q in listed} == {"design", "walkthrough", "incident"}
    full = {q["id"]: q for q in client_for(interviewer_account()).get("/api/questions/").json()}
    assert full["notification_system"]["facts"] and full["notification_system"]["reference"]["elements"]
    assert full["notification_system"]["version"] == 1 and full["notification_system"]["built_in"] is True


def test_the_signed_out_get_not_authenticated():
    assert APIClient().get("/api/questions/").status_code in (401, 403)
    assert APIClient().get("/api/questions/chat/").status_code in (401, 403)


def test_one_question_and_its_versions_with_the_same_gate():
    plain = client_for(UserFactory()).get("/api/questions/chat/").json()
    assert set(plain) == {"id", "version", "title", "question_type", "prompt", "built_in", "owner"}
    full = client_for(interviewer_account()).get("/api/questions/chat/").json()
    assert full["facts"] == BANK["chat"]["facts"]
    assert client_for(UserFactory()).get("/api/questions/nope/").status_code == 404
    assert client_for(UserFactory()).get("/api/questions/chat/versions/").json()[0]["version"] == 1


def test_an_interviewer_writes_a_question_every_edit_a_new_version_and_old_ones_stay_readable():
    author = interviewer_account()
    api = client_for(author)
    created = api.post("/api/questions/", secret_question("mine"), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1
    edited = api.patch("/api/questions/mine/", {"prompt": "Design it, openly."}, format="json").json()
    assert edited["version"] == 2 and edited["prompt"] == "Design it, openly." and edited["facts"]
    again = api.patch("/api/questions/mine/", {"facts": []}, format="json").json()
    assert again["version"] == 3 and again["facts"] == []
    assert [v["version"] for v in api.get("/api/questions/mine/versions/").json()] == [1, 2, 3]
    assert api.get("/api/questions/mine/?version=1").json()["prompt"] == secret_question()["prompt"]
    assert api.get("/api/questions/mine/").json()["version"] == 3
    assert api.get("/api/questions/mine/?version=9").status_code == 404
    assert api.get("/api/questions/mine/?version=x").status_code == 400
    # A board made now records version 3, and keeps it when the question moves on.
    board = api.post("/api/boards/", {"title": "B", "question": "mine"}, format="json").json()
    api.patch("/api/questions/mine/", {"title": "Renamed"}, format="json")
    record = BoardQuestion.objects.get(board_id=board["id"])
    assert (record.question_id, record.version) == ("mine", 3)
    assert api.delete("/api/questions/mine/").status_code == 204
    assert api.get("/api/questions/mine/").status_code == 404
    assert rest(None).get(f"/api/boards/{board['id']}/question/").status_code in (401, 403, 404)


def test_without_an_id_the_server_makes_one_and_ids_never_collide():
    api = client_for(interviewer_account())
    raw = {k: v for k, v in secret_question().items() if k != "id"}
    made = api.post("/api/questions/", raw, format="json").json()
    assert made["id"].startswith("design_a_canary_service_")
    taken = api.post("/api/questions/", {**raw, "id": "chat"}, format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "duplicate_id"
    assert api.patch(f"/api/questions/{made['id']}/", {"id": "other"}, format="json").status_code == 400


@pytest.mark.parametrize(
    ("body", "path"),
    [({"question_type": "quiz"}, "question.question_type"), ({"facts": [{"id": "f"}]}, "question.facts[0].topic")],
)
def test_a_bad_question_is_a_validation_error_with_its_path(body, path):
    response = client_for(interviewer_account()).post("/api/questions/", {**secret_question(), **body}, format="json")
    assert response.status_code == 400 and response.json()["path"] == path


def test_who_may_write_which_question():
    author = interviewer_account()
    client_for(author).post("/api/questions/", secret_question("theirs"), format="json")
    plain = client_for(UserFactory())
    assert plain.post("/api/questions/", secret_question("x"), format="json").status_code == 403
    other = client_for(interviewer_account())
    for response in (
        other.patch("/api/questions/theirs/", {"title": "Mine now"}, format="json"),
        other.delete("/api/questions/theirs/"),
        client_for(author).patch("/api/questions/chat/", {"title": "Mine now"}, format="json"),
        client_for(author).delete("/api/questions/chat/"),
    ):
        assert response.status_code == 403, response.content
        assert CANARY not in response.content.decode()
    # Another interviewer reads it in full; a plain account reads its prompt.
    assert other.get("/api/questions/theirs/").json()["facts"]
    assert "facts" not in plain.get("/api/questions/theirs/").json()


def test_the_template_field_still_starts_a_board_from_a_question():
    api = client_for(interviewer_account())
    board = api.post("/api/boards/", {"title": "B", "template": "chat"}, format="json").json()
    assert board["prompt"] == BANK["chat"]["prompt"]
    assert BoardQuestion.objects.get(board_id=board["id"]).question_id == "chat"
    clash = api.post("/api/boards/", {"title": "B", "template": "chat", "question": "news_feed"}, format="json")
    assert clash.status_code == 400


@pytest.mark.parametrize("role", ["owner", "interviewer", "candidate", "reviewer", "observer"])
def test_a_board_s_question_is_whole_for_owner_and_interviewer_and_its_prompt_for_everyone_else(role):
    cast = QuestionCast()
    body = rest(cast.by_role(role)).get(f"/api/boards/{cast.board.id}/question/").json()
    question = body["question"]
    assert question["id"] == "canary_question" and question["version"] == 1 and question["question_type"] == "design"
    compare = rest(cast.by_role(role)).get(f"/api/boards/{cast.board.id}/question/compare/")
    if role in ("owner", "interviewer"):
        assert body["full"] is True and question["facts"][0]["answer"].startswith(CANARY)
        assert compare.status_code == 200 and len(compare.json()["comparison"]["missing"]) == 3
    else:
        assert body["full"] is False and CANARY not in str(body) and not PRIVATE & set(question)
        assert "suggestions" not in body
        assert compare.status_code == 403 and CANARY not in compare.content.decode()


def test_a_design_board_from_a_question_starts_empty_and_suggests_facts_for_open_questions():
    cast = QuestionCast()
    assert not Element.objects.filter(board=cast.board).exists()
    from tests.reviews.api.helpers import submit

    submit(
        cast.board,
        cast.candidate,
        {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many miners?"}},
    )
    submit(
        cast.board,
        cast.candidate,
        {"op": "requirement", "entry": {"id": "q2", "kind": "question", "text": "Any budget?"}},
    )
    submit(
        cast.board, cast.candidate, {"op": "requirement", "entry": {"id": "q3", "kind": "question", "text": "Lunch?"}}
    )
    body = rest(cast.interviewer).get(f"/api/boards/{cast.board.id}/question/").json()
    assert {k: v[0]["fact"] for k, v in body["suggestions"].items()} == {"q1": "qsecret-users", "q2": "qsecret-budget"}
    submit(cast.board, cast.interviewer, {"op": "answer_requirement", "entry": "q1", "text": "40 million"})
    body = rest(cast.interviewer).get(f"/api/boards/{cast.board.id}/question/").json()
    assert set(body["suggestions"]) == {"q2"}


def test_a_board_made_by_an_account_not_allowed_to_interview_carries_the_prompt_alone():
    """A candidate with an account cannot read the facts by making a board from the question."""
    peeker = UserFactory()
    api = client_for(peeker)
    board = api.post("/api/boards/", {"title": "Practice", "question": "notification_system"}, format="json").json()
    mine = api.get(f"/api/boards/{board['id']}/question/").json()
    assert mine["full"] is False and "facts" not in mine["question"]
    assert api.get(f"/api/boards/{board['id']}/question/compare/").status_code == 403
    assert not Element.objects.filter(board_id=board["id"]).exists()


def test_a_board_made_from_no_question_has_none():
    cast = QuestionCast()
    api = client_for(cast.owner_user)
    board = api.post("/api/boards/", {"title": "Blank"}, format="json").json()
    assert api.get(f"/api/boards/{board['id']}/question/").json() == {"question": None, "full": False}
    assert api.get(f"/api/boards/{board['id']}/question/compare/").status_code == 403
    stranger = member(cast.board, "observer")
    assert rest(stranger).get(f"/api/boards/{board['id']}/question/").status_code == 404
