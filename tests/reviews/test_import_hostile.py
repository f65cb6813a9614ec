"""Issue 19, defect 5: a JSON import of the wrong shape is a 400 that says what is wrong, never a 500.

Author and participant ids that are objects or lists used to be looked up in a
dict (unhashable: 500); nesting far deeper than any export is refused before
anything walks it.
"""

from __future__ import annotations

import json

import pytest

from tests.reviews.api.helpers import api, cast
from whiteboard.models import Board

pytestmark = pytest.mark.django_db

NOT_IDS = [[], {}, ["x"], {"id": "x"}, 5, True]


@pytest.fixture
def people():
    return cast("review")


def document(**fields) -> dict:
    return {"format": "bothsides", "version": 1, "board": {"title": "t", "mode": "review"}, "elements": [], **fields}


def post(people, content):
    return api(people.owner).post("/api/boards/import/", {"format": "json", "content": content}, format="json")


def problems(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {p["path"]: p["message"] for p in response.json()["problems"]}


def thread(author, reply_author="x") -> dict:
    reply = {"id": "r1", "text": "an answer", "author": reply_author}
    return {"id": "c1", "layer": "challenges", "kind": "comment", "text": "why?", "author": author, "replies": [reply]}


PEOPLE = [{"id": "x", "name": "Rev", "role": "reviewer"}]


@pytest.mark.parametrize("author", NOT_IDS)
def test_an_annotation_author_that_is_not_an_id_is_a_400_naming_it(people, author):
    before = Board.objects.count()
    found = problems(post(people, json.dumps(document(annotations=[thread(author)], participants=PEOPLE))))
    assert "participant id" in found["content.annotations[0].author"]
    assert Board.objects.count() == before


@pytest.mark.parametrize("author", NOT_IDS)
def test_a_reply_author_that_is_not_an_id_is_a_400_naming_it(people, author):
    found = problems(post(people, json.dumps(document(annotations=[thread("x", author)], participants=PEOPLE))))
    assert "participant id" in found["content.annotations[0].replies[0].author"]


@pytest.mark.parametrize("person_id", NOT_IDS)
def test_a_participant_id_that_is_not_text_is_a_400_naming_it(people, person_id):
    person = {"id": person_id, "name": "Rev", "role": "reviewer"}
    found = problems(post(people, json.dumps(document(annotations=[thread("x")], participants=[person]))))
    assert "participant id" in found["content.participants[0].id"]


@pytest.mark.parametrize("as_text", [True, False])
def test_a_file_nested_deeper_than_any_export_is_a_400(people, as_text):
    deep: list = []
    for _ in range(200):
        deep = [deep]
    content = document(annotations=[thread("x")], participants=[{**PEOPLE[0], "role": deep}])
    response = post(people, json.dumps(content) if as_text else content)
    assert response.status_code == 400, response.content
    # As an object the request body itself is too deep (the strict parser refuses it); as text, the file is.
    body = response.json()
    assert any("nest" in message for message in [body["message"], *(p["message"] for p in body.get("problems", []))])


def test_a_file_of_lists_nested_tens_of_thousands_deep_is_a_400(people):
    text = json.dumps(document()).replace('"elements": []', '"elements": ' + "[" * 50_000 + "]" * 50_000)
    found = problems(post(people, text))
    assert "nest" in found["content"]
