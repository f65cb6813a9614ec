"""Played scenario cards in the exports: the board file carries them and an import plays them again;
the design document lists them, escaped."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.scenario_models import ScenarioCard
from tests.reviews.api.helpers import api, cast, submit
from whiteboard.models import Board

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>"


def played(board_id: Any) -> list[tuple[str, str, str]]:
    return list(ScenarioCard.objects.filter(board_id=board_id).order_by("seq").values_list("card_id", "title", "text"))


def people_with_cards() -> Any:
    people = cast()
    submit(
        people.board, people.interviewer, {"op": "scenario", "card": {"id": "viral", "title": "Viral", "text": "10x."}}
    )
    submit(people.board, people.owner, {"op": "scenario", "card": {"id": "typed-1", "text": HOSTILE}})
    return people


def export(people: Any, fmt: str, who: str = "interviewer") -> Any:
    return api(people.by_role(who)).get(f"/api/boards/{people.board.id}/export/?format={fmt}")


def test_the_board_file_carries_the_cards_and_an_import_plays_them_again() -> None:
    people = people_with_cards()
    exported = export(people, "json", "candidate").json()  # played cards are public
    assert exported["scenarios"] == [
        {"id": "viral", "title": "Viral", "text": "10x."},
        {"id": "typed-1", "title": "", "text": HOSTILE},
    ]
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert played(body["id"]) == played(people.board.id)
    assert "content.scenarios" in [item["path"] for item in body["report"]]
    again = api(people.owner).get(f"/api/boards/{body['id']}/export/?format=json").json()
    assert again["scenarios"] == exported["scenarios"]


@pytest.mark.parametrize(
    ("scenarios", "path"),
    [
        ("viral", "content.scenarios"),
        ([{"id": "k", "text": ""}], "content.scenarios[0].text"),
        ([{"id": "k", "text": "ok", "answer": 1}], "content.scenarios[0].answer"),
        ([{"id": "k", "text": "a"}, {"id": "k", "text": "b"}], "content.scenarios[1].id"),
    ],
)
def test_a_bad_card_refuses_the_whole_file(scenarios: Any, path: str) -> None:
    people = people_with_cards()
    exported = export(people, "json").json()
    exported["scenarios"] = scenarios
    before = Board.objects.count()
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == [path]
    assert Board.objects.count() == before


def test_the_design_document_lists_the_cards_as_text() -> None:
    people = people_with_cards()
    markdown = export(people, "markdown").content.decode()
    assert "## Scenario cards" in markdown and "**Viral**: 10x\\." in markdown
    assert "<img" not in markdown
    html = export(people, "html").content.decode()
    assert "Scenario cards" in html and "&lt;img src=x onerror=alert(1)&gt;" in html and HOSTILE not in html
