"""Versions over REST: publish, list, open read-only, restore as a new batch, and the diff between them."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from reviews.models import Version
from tests.factories import Member, UserFactory, add, arrow, member
from tests.reviews.api.helpers import api, cast, submit
from whiteboard.models import Batch, Board
from whiteboard.selectors import elements_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """A review board: api -> db (arrow api-db) and a sticky note; an owner, a reviewer, an observer."""
    return cast("review")


def versions(board: Board) -> str:
    return f"/api/boards/{board.id}/versions/"


def publish(people, name: str = "v", note: str = "") -> dict[str, Any]:
    response = api(people.owner).post(versions(people.board), {"name": name, "note": note}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def canvas(board: Board) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in elements_of(board.id)}


def log(board: Board) -> list[tuple[int, list[dict[str, Any]]]]:
    return [(b.seq, b.ops) for b in Batch.objects.filter(board=board, stream="public").order_by("seq")]


def stranger() -> Member:
    user = UserFactory()
    return Member(None, user, Token.objects.create(user=user).key)


# Publishing and listing


def test_the_owner_publishes_a_version_pinned_to_the_current_seq(people):
    board = people.board
    board.refresh_from_db()
    body = publish(people, "First cut", "Before caching")
    assert body["created_at"]
    assert {k: v for k, v in body.items() if k != "created_at"} == {
        "id": 1,
        "name": "First cut",
        "note": "Before caching",
        "seq": board.seq,
        "author": people.owner.id,
    }
    second = publish(people, "Second")
    assert (second["id"], second["seq"]) == (2, board.seq)


def test_every_participant_lists_the_versions_oldest_first(people):
    publish(people, "one")
    submit(people.board, people.owner, add("cache", type="cache"))
    publish(people, "two", "with a cache")
    for who in (people.owner, people.reviewer, people.observer):
        response = api(who).get(versions(people.board))
        assert response.status_code == 200
        listed = response.json()
        assert [(v["id"], v["name"], v["note"]) for v in listed] == [(1, "one", ""), (2, "two", "with a cache")]
        assert listed[1]["seq"] == listed[0]["seq"] + 1


def test_a_version_opens_read_only_with_the_canvas_as_it_was_then(people):
    board = people.board
    published = publish(people, "v1")
    then = canvas(board)
    submit(
        board, people.owner, {"op": "update", "id": "api", "props": {"label": "Gateway"}}, {"op": "delete", "id": "db"}
    )
    for who in (people.owner, people.reviewer, people.observer):
        response = api(who).get(f"{versions(board)}1/")
        assert response.status_code == 200
        body = response.json()
        assert {e["id"]: e for e in body.pop("elements")} == then
        assert body == published
    assert canvas(board)["api"]["label"] == "Gateway"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_version_cannot_be_changed_or_deleted(people, method):
    publish(people, "v1")
    response = getattr(api(people.owner), method)(f"{versions(people.board)}1/", {"name": "edited"}, format="json")
    assert response.status_code == 405
    assert Version.objects.get(board=people.board, number=1).name == "v1"


@pytest.mark.parametrize("role", ["reviewer", "observer"])
def test_only_the_owner_publishes(people, role):
    response = api(people.by_role(role)).post(versions(people.board), {"name": "mine"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Version.objects.filter(board=people.board).exists()


def test_an_interviewer_does_not_publish_either():
    people = cast("interview")
    response = api(people.interviewer).post(versions(people.board), {"name": "mine"}, format="json")
    assert response.status_code == 403
    assert not Version.objects.exists()


@pytest.mark.parametrize("body,path", [({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 201}, "name")])
def test_a_version_needs_a_name(people, body, path):
    response = api(people.owner).post(versions(people.board), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and response.json()["path"] == path
    assert not Version.objects.exists()


def test_a_stranger_gets_not_found_for_every_version_endpoint(people):
    publish(people, "v1")
    outsider = api(stranger())
    board = people.board
    reads = [versions(board), f"{versions(board)}1/", f"/api/boards/{board.id}/diff/?from=1&to=now"]
    for path in reads:
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert outsider.post(versions(board), {"name": "x"}, format="json").status_code == 404
    assert outsider.post(f"{versions(board)}1/restore/").status_code == 404
    assert Version.objects.filter(board=board).count() == 1


def test_a_version_of_another_board_is_not_found(people):
    other = cast("review")
    publish(other, "theirs")
    response = api(people.owner).get(f"{versions(people.board)}1/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unknown_version_is_not_found(people):
    publish(people)
    for path in (f"{versions(people.board)}2/", f"{versions(people.board)}0/"):
        response = api(people.reviewer).get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = api(people.owner).post(f"{versions(people.board)}7/restore/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# Restoring


def test_restoring_writes_one_new_batch_and_keeps_the_history(people):
    board = people.board
    publish(people, "v1")
    v1 = canvas(board)
    submit(
        board,
        people.owner,
        {"op": "update", "id": "api", "props": {"label": "Gateway", "x": 300}},
        {"op": "delete", "id": "db"},
        add("cache", type="cache"),
        arrow("api-cache", "api", "cache"),
    )
    before = log(board)
    board.refresh_from_db()
    head = board.seq

    response = api(people.owner).post(f"{versions(board)}1/restore/")
    assert response.status_code == 200
    assert response.json() == {"seq": head + 1}
    assert canvas(board) == v1
    after = log(board)
    assert after[: len(before)] == before  # nothing rewritten
    assert len(after) == len(before) + 1
    restore = Batch.objects.get(board=board, stream="public", seq=head + 1)
    assert restore.participant_id == people.owner.participant.id
    assert {op["op"] for op in restore.ops} == {"add", "update", "delete"}
    # The log still replays to the restored canvas: the restore is an ordinary change.
    response = api(people.observer).get(f"/api/boards/{board.id}/ops/?after={head}")
    assert [b["seq"] for b in response.json()["batches"]] == [head + 1]


def test_restoring_an_older_version_leaves_later_versions_as_published(people):
    board = people.board
    publish(people, "v1")
    submit(board, people.owner, add("cache", type="cache"))
    publish(people, "v2")
    v2 = Version.objects.get(board=board, number=2).elements
    assert api(people.owner).post(f"{versions(board)}1/restore/").status_code == 200
    assert "cache" not in canvas(board)
    assert Version.objects.get(board=board, number=2).elements == v2
    assert [v["id"] for v in api(people.owner).get(versions(board)).json()] == [1, 2]
    # And v2 can be brought back the same way.
    assert api(people.owner).post(f"{versions(board)}2/restore/").status_code == 200
    assert canvas(board) == {e["id"]: e for e in v2}


def test_restoring_a_version_the_canvas_already_matches_writes_nothing(people):
    board = people.board
    publish(people, "v1")
    board.refresh_from_db()
    head = board.seq
    response = api(people.owner).post(f"{versions(board)}1/restore/")
    assert response.status_code == 200 and response.json() == {"seq": None}
    board.refresh_from_db()
    assert board.seq == head


@pytest.mark.parametrize("role", ["reviewer", "observer"])
def test_only_the_owner_restores(people, role):
    board = people.board
    publish(people, "v1")
    submit(board, people.owner, {"op": "delete", "id": "db"})
    now, history = canvas(board), log(board)
    response = api(people.by_role(role)).post(f"{versions(board)}1/restore/")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert canvas(board) == now and log(board) == history


def test_restoring_a_large_version_onto_a_cleared_board_works(people):
    # A board holds up to 5,000 elements; "any version can be restored", however much changed since.
    board = people.board
    submit(board, people.owner, *[add(f"c{i}", x=i) for i in range(260)])
    publish(people, "big")
    v1 = canvas(board)
    submit(board, people.owner, *[{"op": "delete", "id": f"c{i}"} for i in range(260)])
    submit(board, people.owner, *[add(f"n{i}", x=i) for i in range(260)])
    response = api(people.owner).post(f"{versions(board)}1/restore/")
    assert response.status_code == 200, response.content
    assert canvas(board) == v1


# The diff


def diff_url(board: Board, query: str) -> str:
    return f"/api/boards/{board.id}/diff/?{query}"


def test_the_diff_between_two_versions_names_what_changed_in_meaning(people):
    board = people.board
    publish(people, "v1")
    submit(
        board,
        people.owner,
        {"op": "update", "id": "api", "props": {"label": "Gateway"}},
        {"op": "update", "id": "db", "props": {"x": 400}},  # moved only: not a change
        add("cache", type="cache", label="Redis"),
        arrow("api-cache", "api", "cache"),
        {"op": "delete", "id": "sticky"},
    )
    publish(people, "v2")
    response = api(people.observer).get(diff_url(board, "from=1&to=2"))
    assert response.status_code == 200
    body = response.json()
    assert [e["id"] for e in body["added"]] == ["api-cache", "cache"]
    assert [e["id"] for e in body["removed"]] == ["sticky"]
    assert [(c["id"], c["fields"]) for c in body["changed"]] == [("api", ["label", "connections"])]
    change = body["changed"][0]
    assert (change["before"]["label"], change["after"]["label"]) == ("API", "Gateway")
    assert (change["before"]["connections"], change["after"]["connections"]) == (["db"], ["cache", "db"])


def test_the_diff_to_now_is_the_default_and_sees_unpublished_work(people):
    board = people.board
    publish(people, "v1")
    submit(board, people.owner, {"op": "update", "id": "db", "props": {"replicas": 3, "tech": "Postgres"}})
    explicit = api(people.reviewer).get(diff_url(board, "from=1&to=now"))
    implicit = api(people.reviewer).get(diff_url(board, "from=1"))
    assert explicit.status_code == implicit.status_code == 200
    assert explicit.json() == implicit.json()
    assert [(c["id"], c["fields"]) for c in explicit.json()["changed"]] == [("db", ["tech", "replicas"])]
    back = api(people.reviewer).get(diff_url(board, "from=now&to=1")).json()
    assert back["changed"][0]["before"]["replicas"] == 3 and back["changed"][0]["after"]["replicas"] == 1


def test_a_version_diffed_with_itself_is_empty(people):
    publish(people, "v1")
    assert api(people.owner).get(diff_url(people.board, "from=1&to=1")).json() == {
        "added": [],
        "removed": [],
        "changed": [],
    }


@pytest.mark.parametrize(
    "query,path",
    [("", "from"), ("to=1", "from"), ("from=abc", "from"), ("from=-1", "from"), ("from=1&to=latest", "to")],
)
def test_the_diff_refuses_a_reference_that_is_neither_a_version_nor_now(people, query, path):
    publish(people, "v1")
    response = api(people.owner).get(diff_url(people.board, query))
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and response.json()["path"] == path


@pytest.mark.parametrize("query", ["from=2", "from=1&to=9", "from=9&to=now"])
def test_the_diff_with_an_unknown_version_is_not_found(people, query):
    publish(people, "v1")
    response = api(people.owner).get(diff_url(people.board, query))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_version_of_another_board_is_not_diffable_here(people):
    other = cast("review")
    publish(other, "theirs")
    response = api(people.owner).get(diff_url(people.board, "from=1"))
    assert response.status_code == 404


def test_an_observer_who_joined_later_can_read_versions_and_diffs(people):
    publish(people, "v1")
    late = member(people.board, "observer")
    assert api(late).get(versions(people.board)).status_code == 200
    assert api(late).get(diff_url(people.board, "from=1")).status_code == 200
