"""Starting from a prompt template, and importing an exported board."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from reviews.question_bank import BANK
from tests.factories import UserFactory, add, arrow, board_with_owner
from whiteboard.models import Batch, Element
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


def elements_of(board_id) -> dict:
    return {row.element_id: row.data for row in Element.objects.filter(board_id=board_id)}


def test_templates_list_blank_and_the_question_bank_s_prompts(client):
    listed = client.get("/api/templates/").json()
    assert {t["id"] for t in listed} >= {
        "blank",
        "notification_system",
        "url_shortener",
        "rate_limiter",
        "chat",
        "news_feed",
    }
    assert all(t["prompt"] for t in listed if t["id"] != "blank")
    # Design and walkthrough questions start empty: the listing carries no diagram, and no private part.
    assert all(t["elements"] == [] for t in listed if t.get("question_type") != "incident")
    # An incident question starts from the system to debug.
    assert all(t["elements"] for t in listed if t.get("question_type") == "incident")
    assert not any("facts" in t or "reference" in t for t in listed)


@pytest.mark.parametrize("template", sorted(k for k, q in BANK.items() if q["question_type"] != "incident"))
def test_a_board_from_a_template_starts_with_its_open_prompt_and_an_empty_canvas(client, template):
    body = client.post("/api/boards/", {"title": "Interview", "template": template}, format="json").json()
    assert body["prompt"] == BANK[template]["prompt"]
    assert elements_of(body["id"]) == {}
    assert not Batch.objects.filter(board_id=body["id"]).exists()
    assert body["seq"] == 0


def test_an_unknown_template_is_a_validation_error(client):
    response = client.post("/api/boards/", {"title": "x", "template": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["path"] == "template"
    response = client.post("/api/boards/", {"title": "x", "question": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["path"] == "question"


def export_of(board_id) -> dict:
    return {
        "format": "bothsides",
        "version": 1,
        "board": {"title": "Checkout", "prompt": "p", "mode": "review"},
        "elements": list(elements_of(board_id).values()),
    }


def test_an_exported_board_imports_into_an_identical_new_board(client):
    board, owner = board_with_owner()
    batch_submit(
        board_id=board.id,
        participant_id=owner.participant.id,
        batch_id="b1",
        raw_ops=[add("api", label="API", replicas=3), add("db", type="database"), arrow("a", "api", "db")],
    )
    exported = export_of(board.id)
    for content in (exported, json.dumps(exported)):
        response = client.post("/api/boards/import/", {"format": "json", "content": content}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert (body["title"], body["mode"], body["role"]) == ("Checkout", "review", "owner")
        assert elements_of(body["id"]) == elements_of(board.id)


def test_an_import_reports_every_problem_and_creates_nothing(client):
    content = {
        "format": "bothsides",
        "version": 1,
        "elements": [
            {"id": "a", "kind": "component", "type": "service", "x": "left", "y": 0},
            {"id": "b", "kind": "component", "type": "mainframe", "x": 0, "y": 0},
            {"id": "c", "kind": "component", "type": "service", "x": 0, "y": 0},
        ],
    }
    response = client.post("/api/boards/import/", {"format": "json", "content": content}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert [p["path"] for p in body["problems"]] == ["content.elements[0].x", "content.elements[1].type"]
    assert client.get("/api/boards/").json() == []


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        [1, 2],
        {"format": "excalidraw"},
        "NaN",
        {"format": "bothsides", "version": 1, "elements": [{"id": "x", "kind": "arrow", "source": "p", "target": "q"}]},
    ],
)
def test_files_that_are_not_bothsides_boards_are_refused(client, content):
    response = client.post("/api/boards/import/", {"format": "json", "content": content}, format="json")
    assert response.status_code == 400 and response.json()["problems"]
