"""The private layer over REST: to anyone but the owner and interviewers it does not exist.

Not in lists, not behind a filter, and an id of it answers exactly as an id
nobody ever used: the same status and the same body.
"""

from __future__ import annotations

import pytest

from tests.reviews.api.helpers import api, cast, challenge, ids, stored, submit, url
from tests.reviews.factories import annotate, reply

pytestmark = pytest.mark.django_db

SECRET = "Candidate is weak on queues"
OUTSIDERS = ("candidate", "reviewer", "observer")


@pytest.fixture
def people():
    people = cast()
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.interviewer, annotate("p-1", layer="private", kind="comment", text=SECRET))
    submit(people.board, people.owner, reply("p-1", "r-1", "Agreed"))
    return people


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_never_see_private_threads_whatever_the_filter(people, role):
    client = api(people.by_role(role))
    for query in ("", "layer=private", "kind=comment", "target=api", "status=open", "layer=private&target=api"):
        response = client.get(f"{url(people.board)}?{query}")
        assert response.status_code == 200, query
        assert "p-1" not in response.content.decode() and SECRET not in response.content.decode()
    assert ids(client.get(url(people.board))) == ["a-1"]
    assert ids(client.get(f"{url(people.board)}?layer=private")) == []


@pytest.mark.parametrize("role", ["owner", "interviewer"])
def test_the_owner_and_interviewers_see_them(people, role):
    client = api(people.by_role(role))
    assert ids(client.get(url(people.board))) == ["a-1", "p-1"]
    (thread,) = client.get(f"{url(people.board)}?layer=private").json()
    assert thread["text"] == SECRET and [r["id"] for r in thread["replies"]] == ["r-1"]
    # Made against the public canvas at seq 2 (the head then), not the private stream's own seq.
    assert thread["raised_seq"] == 2 and thread["replies"][0]["seq"] == 2


def _calls(board, annotation_id):
    return [
        ("get", url(board, annotation_id), None),
        ("patch", url(board, annotation_id), {"text": "x"}),
        ("patch", url(board, annotation_id), {"status": "resolved"}),
        ("delete", url(board, annotation_id), None),
        ("post", url(board, annotation_id, replies=True), {"text": "x"}),
        ("patch", url(board, annotation_id, reply_id="r-1"), {"text": "x"}),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_a_private_id_answers_like_an_id_that_does_not_exist(people, role):
    client = api(people.by_role(role))
    before = stored(people.board)
    for (method, private_path, body), (_, missing_path, _) in zip(
        _calls(people.board, "p-1"), _calls(people.board, "p-nope"), strict=True
    ):
        private = getattr(client, method)(private_path, body, format="json")
        missing = getattr(client, method)(missing_path, body, format="json")
        assert private.status_code == missing.status_code == 404, (method, private_path)
        assert private.content == missing.content
        assert private.json()["code"] == "not_found"
    assert stored(people.board) == before


@pytest.mark.parametrize("role", OUTSIDERS)
def test_a_refused_invalid_body_on_a_private_id_still_answers_404(people, role):
    response = api(people.by_role(role)).patch(url(people.board, "p-1"), {"text": ""}, format="json")
    assert response.status_code == 404


def test_a_candidate_cannot_probe_private_ids_by_creating_them(people):
    client = api(people.candidate)
    before = stored(people.board)
    taken = client.post(url(people.board), challenge(id="p-1", layer="private"), format="json")
    free = client.post(url(people.board), challenge(id="p-free", layer="private"), format="json")
    assert taken.status_code == free.status_code == 403 and taken.content == free.content
    taken = client.post(url(people.board), challenge(id="p-1", layer="notes"), format="json")
    free = client.post(url(people.board), challenge(id="p-free", layer="notes"), format="json")
    assert taken.status_code == free.status_code == 400 and taken.content == free.content
    assert stored(people.board) == before


def test_a_private_write_leaves_the_public_board_untouched(people):
    board_before = api(people.candidate).get(f"/api/boards/{people.board.id}/").json()
    response = api(people.interviewer).post(
        url(people.board), challenge(layer="private", text="Hint: CAP"), format="json"
    )
    assert response.status_code == 201
    assert api(people.candidate).get(f"/api/boards/{people.board.id}/").json() == board_before
    assert ids(api(people.candidate).get(url(people.board))) == ["a-1"]
    page = api(people.candidate).get(f"/api/boards/{people.board.id}/ops/?after=0")
    assert page.json()["seq"] == board_before["seq"] and "Hint: CAP" not in page.content.decode()


def test_the_interviewer_moderates_private_threads(people):
    client = api(people.interviewer)
    assert client.patch(url(people.board, "p-1"), {"status": "resolved"}, format="json").json()["status"] == "resolved"
    assert client.delete(url(people.board, "p-1")).status_code == 204
    assert ids(api(people.owner).get(url(people.board))) == ["a-1"]
