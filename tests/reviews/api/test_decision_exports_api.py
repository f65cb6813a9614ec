"""Decisions and the unhappy-path fields in the exports: the JSON file round-trips them, the
design document and the report show them, Mermaid says what it leaves out; a file with bad
ones is refused whole (the REST path for canvas fields)."""

from __future__ import annotations

import pytest

from reviews.decision_queries import decision_list
from tests.factories import add, arrow
from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.decision_ops import decide
from whiteboard.models import Board, Element

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = cast()
    board = people.board
    submit(
        board,
        people.candidate,
        add("q", type="queue", label="Jobs", tech="Kafka", dead_letter=True, familiarity="read"),
        add("mon", type="monitoring", label="Alerts"),
        arrow("api-q", "api", "q", label="enqueue", timeout_ms=250, retries=3, idempotent=True),
        {"op": "update", "id": "db", "props": {"backup": True, "familiarity": "production"}},
        {"op": "update", "id": "api-db", "props": {"timeout_ms": 1500, "retries": 2}},
        decide("d1", "q", choice="Kafka"),
        decide("d2", "db", choice="Postgres", alternatives=["DynamoDB"], cost="one writer", why="joins"),
        {"op": "requirement", "entry": {"id": "u1", "kind": "unknown", "text": "I haven't run Kafka at scale."}},
    )
    return people


def export(people, fmt: str, who=None):
    response = api(who or people.candidate).get(f"/api/boards/{people.board.id}/export/?format={fmt}")
    assert response.status_code == 200, response.content
    return response


def records(board_id) -> list[dict]:
    return [{k: v for k, v in d.items() if k not in ("author", "seq")} for d in decision_list(board_id)]


def test_the_json_file_round_trips_decisions_and_every_new_field(people):
    exported = export(people, "json").json()
    assert [d["id"] for d in exported["decisions"]] == ["d1", "d2"]
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 201, response.content
    copy = response.json()["id"]
    assert records(copy) == records(people.board.id)
    original = {row.element_id: row.data for row in Element.objects.filter(board=people.board)}
    copied = {row.element_id: row.data for row in Element.objects.filter(board_id=copy)}
    assert copied == original
    assert copied["api-q"]["timeout_ms"] == 250 and copied["q"]["dead_letter"] is True
    assert export(people, "json", people.owner).json()["decisions"] == exported["decisions"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda f: f["decisions"][0].update(target="nowhere"), "content.decisions[0].target"),
        (lambda f: f["decisions"][0].update(choice=""), "content.decisions[0].choice"),
        (lambda f: f["decisions"][1].update(alternatives=[{"x": 1}]), "content.decisions[1].alternatives[0]"),
        (lambda f: f["decisions"].append(dict(f["decisions"][0])), "content.decisions[2].id"),
        (lambda f: f.update(decisions="Kafka"), "content.decisions"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "api").update(dead_letter=True), "dead_letter"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "api-q").update(timeout_ms=0), "timeout_ms"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "api-q").update(retries=99), "retries"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "api-q").update(idempotent="no"), "idempotent"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "q").update(familiarity="guru"), "familiarity"),
        (lambda f: next(e for e in f["elements"] if e["id"] == "mon").update(backup=True), "backup"),
    ],
)
def test_a_file_with_a_bad_decision_or_field_is_refused_whole(people, change, where):
    exported = export(people, "json").json()
    change(exported)
    boards = Board.objects.count()
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400, response.content
    assert any(p["path"].endswith(where) for p in response.json()["problems"]), response.json()
    assert Board.objects.count() == boards


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_design_document_shows_decisions_familiarity_unknowns_and_the_unhappy_path(people, fmt):
    text = export(people, fmt).content.decode()
    for expected in ("Decisions", "Kafka", "DynamoDB", "one writer", "joins", "read about it", "ran it in production"):
        assert expected in text, expected
    assert "haven" in text and "Kafka at scale" in text
    assert "timeout 1500 ms" in text and "2 retries" in text and "dead letter" in text


def test_mermaid_keeps_arrow_labels_and_says_what_it_left_out(people):
    text = export(people, "mermaid").content.decode()
    assert "enqueue" in text
    left_out = "%% not in Mermaid: 2 decision records, 2 timeouts, 2 retries, 1 idempotence marks, 1 dead letters, "
    assert left_out + "1 backups, 2 familiarity marks" in text
    assert "Kafka" not in text  # counted, never named: typed text never lands in a comment
