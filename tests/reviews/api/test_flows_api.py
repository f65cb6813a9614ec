"""Flows over REST (GET/POST /api/boards/{id}/flows/), in the exports, the import and the replay."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.flow_models import Flow
from tests.factories import add, arrow
from tests.reviews.api.helpers import api, cast, submit

pytestmark = pytest.mark.django_db


def flow(*elements: str, flow_id: str = "checkout", title: str = "A checkout") -> dict[str, Any]:
    steps = [{"element": e, "text": f"Then {e} does its part."} for e in elements]
    return {"op": "flow", "flow": {"id": flow_id, "title": title, "steps": steps}}


@pytest.fixture
def people():
    people = cast()
    submit(people.board, people.owner, add("web", type="client", label="Shop"), arrow("web-api", "web", "api"))
    submit(people.board, people.owner, add("cache", type="cache"))
    return people


def url(people: Any) -> str:
    return f"/api/boards/{people.board.id}/flows/"


def test_a_candidate_posts_a_flow_and_everyone_reads_it(people):
    response = api(people.candidate).post(url(people), flow("web", "api", "db"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["op"] == flow("web", "api", "db")
    listed = api(people.observer).get(url(people)).json()["flows"]
    assert [(f["id"], f["author"], len(f["steps"])) for f in listed] == [("checkout", people.candidate.id, 3)]


def test_a_step_that_skips_an_arrow_is_refused_over_rest_naming_it(people):
    response = api(people.candidate).post(url(people), flow("web", "api", "cache"), format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["path"]) == ("validation_error", "ops[0].flow.steps[2].element")
    assert not Flow.objects.filter(board=people.board).exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "ghost", "text": "x"}]}},
            "unknown_ref",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": 7}]}},
            "validation_error",
        ),
        ({"op": "flow", "flow": {"id": "f", "title": "T", "steps": [[[[[[[[[["web"]]]]]]]]]]}}, "bad_request"),
        ({"op": "delete_flow", "id": "nope"}, "unknown_ref"),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T" * 201, "steps": [{"element": "web", "text": "x"}]}},
            "validation_error",
        ),
    ],
)
def test_bad_flows_are_refused_over_rest(people, body, code):
    response = api(people.interviewer).post(url(people), body, format="json")
    assert response.json()["code"] == code, response.json()


@pytest.mark.parametrize("role", ["observer", "reviewer"])
def test_observers_and_reviewers_are_refused_over_rest(people, role):
    response = api(people.by_role(role)).post(url(people), flow("web", "api"), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_stranger_reads_nothing(people):
    from tests.factories import board_with_owner

    _, stranger = board_with_owner()
    assert api(stranger).get(url(people)).status_code == 404


def test_flows_reach_the_documents_and_mermaid_says_it_left_them_out(people):
    submit(people.board, people.candidate, flow("web", "api", "db"))
    export = f"/api/boards/{people.board.id}/export/"
    markdown = api(people.interviewer).get(export + "?format=markdown").content.decode()
    assert (
        "## Flows" in markdown and "### A checkout" in markdown and "1. **Shop**: Then web does its part\\." in markdown
    )
    html = api(people.interviewer).get(export + "?format=html").content.decode()
    assert "<h3>A checkout</h3>" in html and "<strong>DB</strong>" in html
    mermaid = api(people.interviewer).get(export + "?format=mermaid").content.decode()
    assert "%% 1 flow not exported" in mermaid


def test_a_deleted_arrow_shows_as_a_gap_in_the_document(people):
    submit(people.board, people.candidate, flow("web", "api", "db"))
    submit(people.board, people.owner, {"op": "delete", "id": "api-db"})
    markdown = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=markdown").content.decode()
    assert "3. **DB**: Then db does its part\\. *(no arrow from the step before any more)*" in markdown


def test_the_board_file_round_trips_flows(people):
    submit(people.board, people.candidate, flow("web", "api", "db"), flow("api", "db", flow_id="save", title="Saving"))
    exported = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=json").json()
    assert [f["id"] for f in exported["flows"]] == ["checkout", "save"]
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 201, response.content
    copy = api(people.owner).get(f"/api/boards/{response.json()['id']}/flows/").json()["flows"]
    assert [{k: f[k] for k in ("id", "title", "steps")} for f in copy] == exported["flows"]


def test_an_imported_flow_that_skips_an_arrow_is_a_problem_at_its_place_in_the_file(people):
    exported = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=json").json()
    exported["flows"] = [
        {"id": "f", "title": "Bad", "steps": [{"element": "web", "text": "a"}, {"element": "cache", "text": "b"}]}
    ]
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["content.flows[0].steps[1].element"]


def test_the_replay_shows_flows_at_the_right_seq(people):
    created = submit(people.board, people.candidate, flow("web", "api"))["seq"]
    edited = submit(people.board, people.candidate, flow("web", "api", "db", title="Longer"))["seq"]
    deleted = submit(people.board, people.candidate, {"op": "delete_flow", "id": "checkout"})["seq"]
    state = f"/api/boards/{people.board.id}/state/?at="
    reader = api(people.observer)
    assert reader.get(f"{state}{created - 1}").json()["flows"] == []
    assert [len(f["steps"]) for f in reader.get(f"{state}{created}").json()["flows"]] == [2]
    assert [f["title"] for f in reader.get(f"{state}{edited}").json()["flows"]] == ["Longer"]
    assert reader.get(f"{state}{deleted}").json()["flows"] == []
