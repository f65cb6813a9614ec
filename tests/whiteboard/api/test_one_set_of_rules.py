"""Issue 19, defect 6: REST refuses what the socket refuses, with the same text rules.

A board title or prompt with a bidirectional override (refused in element text
on the socket) used to be stored; an import silently defaulted an unknown
`board.mode` and took a participant role it does not know.
"""

from __future__ import annotations

import json

import pytest

from tests.reviews.api.helpers import api, cast, submit
from whiteboard.models import Board

pytestmark = pytest.mark.django_db

RLO = "\u202e"
HOSTILE = [f"Design {RLO}lanruoj", "a\u2066b", "nul\x00here", "half \ud800 surrogate"]


@pytest.fixture
def people():
    return cast("review")


def _raw(body: dict) -> str:
    return json.dumps(body)  # ASCII with escapes, so an unpaired surrogate reaches the server as JSON sends it


def _error(response, field: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert response.json().get("path") == field, response.json()


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["title", "prompt"])
def test_creating_a_board_refuses_text_the_socket_refuses(people, field, text):
    before = Board.objects.count()
    body = {"title": "fine", field: text}
    _error(api(people.owner).post("/api/boards/", _raw(body), content_type="application/json"), field)
    assert Board.objects.count() == before


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["title", "prompt"])
def test_editing_a_board_refuses_text_the_socket_refuses(people, field, text):
    url = f"/api/boards/{people.board.id}/"
    response = api(people.owner).patch(url, _raw({field: text}), content_type="application/json")
    _error(response, field)
    people.board.refresh_from_db()
    assert RLO not in people.board.title + people.board.prompt


def test_an_import_title_is_held_to_the_same_rules(people):
    body = {"format": "json", "title": f"x{RLO}y", "content": _document()}
    _error(api(people.owner).post("/api/boards/import/", body, format="json"), "title")


def _document(**board) -> str:
    return json.dumps(
        {"format": "bothsides", "version": 1, "board": {"title": "t", "prompt": "", **board}, "elements": []}
    )


def _import(people, content, **extra):
    return api(people.owner).post("/api/boards/import/", {"format": "json", "content": content, **extra}, format="json")


def _problems(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {p["path"]: p["message"] for p in response.json()["problems"]}


@pytest.mark.parametrize("mode", ["chaos", "", 7, ["review"], {"x": 1}])
def test_an_unknown_board_mode_in_a_file_is_refused_not_defaulted(people, mode):
    before = Board.objects.count()
    assert "content.board.mode" in _problems(_import(people, _document(mode=mode)))
    assert Board.objects.count() == before


def test_a_file_without_a_mode_still_imports_as_an_interview(people):
    response = _import(people, _document())
    assert response.status_code == 201, response.content
    assert response.json()["mode"] == "interview"


@pytest.mark.parametrize("title", [f"x{RLO}y", "a\x00b"])
def test_a_file_title_is_held_to_the_same_rules(people, title):
    assert "content.board.title" in _problems(_import(people, _document(title=title)))


@pytest.mark.parametrize("role", ["admin", "root", "", 3])
def test_a_participant_role_the_vocabulary_does_not_know_is_refused(people, role):
    content = json.loads(_document(mode="review"))
    content["participants"] = [{"id": "x", "name": "Mallory", "role": role}]
    content["annotations"] = [
        {"id": "c1", "layer": "challenges", "kind": "comment", "text": "why?", "author": "x", "replies": []}
    ]
    before = Board.objects.count()
    assert "content.participants[0].role" in _problems(_import(people, json.dumps(content)))
    assert Board.objects.count() == before


def test_an_annotation_on_a_version_the_board_does_not_have_is_refused(people):
    body = {"layer": "challenges", "target": "api", "kind": "comment", "text": "why?", "version": 99}
    response = api(people.reviewer).post(f"/api/boards/{people.board.id}/annotations/", body, format="json")
    assert response.status_code == 400, response.content


def test_an_annotate_op_on_a_version_the_board_does_not_have_is_refused(people):
    from whiteboard.errors import SyncError

    op = {
        "op": "annotate",
        "annotation": {
            "id": "c9",
            "layer": "challenges",
            "target": "api",
            "kind": "comment",
            "text": "why?",
            "version": 99,
        },
    }
    with pytest.raises(SyncError) as caught:
        submit(people.board, people.reviewer, op)
    assert caught.value.code in ("unknown_ref", "validation_error")


@pytest.mark.parametrize("field", ["name", "note"])
def test_a_version_name_or_note_is_held_to_the_same_rules(people, field):
    body = {"name": "v1", field: f"x{RLO}y"}
    url = f"/api/boards/{people.board.id}/versions/"
    _error(api(people.owner).post(url, _raw(body), content_type="application/json"), field)
