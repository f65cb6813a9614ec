"""POST /api/boards/import/ and GET /api/boards/{id}/export/ for Excalidraw and draw.io files (issue 17)."""

from __future__ import annotations

import json

import defusedxml.ElementTree as SafeTree
import pytest

from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.formats.fixtures import d_edge, d_model, d_vertex, mxfile, scene, x_arrow, x_element, x_labelled
from whiteboard.models import Board, Element

pytestmark = pytest.mark.django_db

IMPORT = "/api/boards/import/"
SECRET = "PRIVATE-CANARY on the frame"


def elements_of(board_id) -> dict:
    return {row.element_id: row.data for row in Element.objects.filter(board_id=board_id)}


def graph(elements: dict) -> tuple:
    """What a round trip keeps: components, arrows, frames (ids, types, labels, boxes)."""
    return (
        sorted((e["id"], e["type"], e["label"], e["x"], e["y"]) for e in elements.values() if e["kind"] == "component"),
        sorted((e["source"], e["target"], e["label"], e["style"]) for e in elements.values() if e["kind"] == "arrow"),
        sorted(
            (e["id"], e["label"], e["x"], e["y"], e["w"], e["h"]) for e in elements.values() if e["kind"] == "frame"
        ),
    )


def post(who, **body):
    return api(who).post(IMPORT, body, format="json")


@pytest.fixture
def people():
    people = cast()
    frame = {"id": "zone", "kind": "frame", "label": "us-east-1", "x": -40, "y": -40, "w": 600, "h": 300}
    submit(people.board, people.owner, {"op": "add", "element": frame})
    return people


# --------------------------------------------------------------------------- import


EXCALIDRAW = scene(
    x_element("frame", "vpc", x=-40, y=-40, width=900, height=260, name="VPC"),
    x_labelled("web", "Browser", 0, 0, kind="ellipse", frameId="vpc"),
    x_labelled("db", "Orders Postgres", 400, 0, frameId="vpc"),
    x_arrow("a1", "web", "db", strokeStyle="dashed"),
    x_arrow("loose", "web", None),
    x_element("freedraw", "scribble"),
)

DRAWIO = mxfile(
    (
        "Production",
        d_model(
            d_vertex("az", "us-east-1", 0, 0, style="swimlane;container=1;html=1;", w=700, h=300),
            d_vertex("lb", "ALB", 20, 40, parent="az"),
            d_vertex("cache", "<b>Redis</b> cache", 300, 40, parent="az"),
            d_edge("e1", "lb", "cache", value="reads"),
            d_edge("e2", "lb", None),
        ),
    ),
    ("Staging", d_model(d_vertex("solo", "API"))),
)


def test_an_excalidraw_scene_becomes_a_board_with_its_frame_and_a_report(people):
    response = post(people.owner, format="excalidraw", content=EXCALIDRAW, title="From Excalidraw")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["role"], body["mode"]) == ("From Excalidraw", "owner", "interview")
    got = elements_of(body["id"])
    assert {i: (e["kind"], e.get("type"), e["label"]) for i, e in got.items() if e["kind"] != "arrow"} == {
        "vpc": ("frame", None, "VPC"),
        "web": ("component", "client", "Browser"),
        "db": ("component", "database", "Orders Postgres"),
    }
    assert (got["vpc"]["x"], got["vpc"]["w"]) == (-40, 900)
    assert [(e["source"], e["target"], e["style"]) for e in got.values() if e["kind"] == "arrow"] == [
        ("web", "db", "async")
    ]
    assert {entry.get("id") for entry in body["report"]} == {"loose", "scribble"}
    assert all(set(entry) <= {"id", "line", "message"} for entry in body["report"])


def test_an_excalidraw_scene_may_be_sent_as_its_json_object(people):
    response = post(people.owner, format="excalidraw", content=json.loads(EXCALIDRAW))
    assert response.status_code == 201, response.content
    assert len(elements_of(response.json()["id"])) == 4


def test_a_drawio_file_imports_its_first_page_and_names_the_others(people):
    response = post(people.owner, format="drawio", content=DRAWIO)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Production"
    got = elements_of(body["id"])
    assert got["az"] == {"id": "az", "kind": "frame", "label": "us-east-1", "x": 0, "y": 0, "w": 700, "h": 300}
    assert (got["lb"]["type"], got["lb"]["x"], got["lb"]["y"]) == ("load_balancer", 20, 40)
    assert (got["cache"]["type"], got["cache"]["label"], got["cache"]["tech"]) == ("cache", "Redis cache", "Redis")
    assert [(e["source"], e["target"], e["label"]) for e in got.values() if e["kind"] == "arrow"] == [
        ("lb", "cache", "reads")
    ]
    messages = [entry["message"] for entry in body["report"]]
    assert "the file has 2 pages" in messages[0] and "'Staging'" in messages[0]
    assert any("e2" in message for message in messages)


@pytest.mark.parametrize("page", [1, "Staging"])
def test_a_drawio_page_is_chosen_by_number_or_name(people, page):
    response = post(people.owner, format="drawio", content=DRAWIO, page=page)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Staging"
    assert [e["label"] for e in elements_of(response.json()["id"]).values()] == ["API"]


@pytest.mark.parametrize(
    ("body", "status", "code", "reason"),
    [
        ({"format": "drawio", "content": DRAWIO, "page": 7}, 400, "validation_error", "no_such_page"),
        ({"format": "drawio", "content": "<mxfile><diagram>"}, 400, "validation_error", "malformed_xml"),
        (
            {
                "format": "drawio",
                "content": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><mxfile>&a;</mxfile>',
            },
            400,
            "validation_error",
            "xml_forbidden",
        ),
        ({"format": "drawio", "content": {"mxfile": []}}, 400, "validation_error", "not_drawio"),
        ({"format": "excalidraw", "content": "{not json"}, 400, "validation_error", "malformed_json"),
        ({"format": "excalidraw", "content": [1, 2]}, 400, "validation_error", "not_excalidraw"),
        ({"format": "excalidraw", "content": '{"type": "tldraw"}'}, 400, "validation_error", "not_excalidraw"),
        ({"format": "excalidraw", "content": "[" * 100_000 + "]" * 100_000}, 400, "validation_error", "too_deep"),
        ({"format": "excalidraw", "content": " " * 3_000_000}, 413, "too_large", "file_too_large"),
    ],
    ids=[
        *("no-such-page", "malformed-xml", "entities", "drawio-as-json", "malformed-json", "excalidraw-list"),
        *("not-excalidraw", "deep"),
        "larger-than-a-request-may-be",  # the formats' own cap (MAX_INPUT) is tested in test_hostile
    ],
)
def test_a_hostile_or_broken_file_is_refused_with_a_reason_and_creates_nothing(people, body, status, code, reason):
    boards = Board.objects.count()
    response = post(people.owner, **body)
    assert response.status_code == status, response.content
    error = response.json()
    assert (error["code"], error["reason"]) == (code, reason)
    assert error["message"] and error["problems"][0]["message"] == error["message"]
    assert Board.objects.count() == boards


def test_a_page_is_only_for_drawio(people):
    response = post(people.owner, format="excalidraw", content=EXCALIDRAW, page=0)
    assert response.status_code == 400 and response.json()["path"] == "page"
    response = post(people.owner, format="drawio", content=DRAWIO, page=True)
    assert response.status_code == 400 and response.json()["path"] == "page"


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("fmt", "media_type", "sandboxed"), [("excalidraw", "application/json", False), ("drawio", "application/xml", True)]
)
@pytest.mark.parametrize("role", ["owner", "interviewer", "candidate", "reviewer", "observer"])
def test_every_role_downloads_the_canvas_and_never_the_private_layer(people, fmt, media_type, sandboxed, role):
    submit(
        people.board,
        people.interviewer,
        {
            "op": "annotate",
            "annotation": {"id": "p-1", "layer": "private", "target": "api", "kind": "comment", "text": SECRET},
        },
    )
    response = api(people.by_role(role)).get(f"/api/boards/{people.board.id}/export/?format={fmt}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"] == f'attachment; filename="design-a-url-shortener.{fmt}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ("Content-Security-Policy" in response) == sandboxed
    text = response.content.decode()
    assert SECRET not in text and "p-1" not in text
    assert "us-east-1" in text  # the frame went out


def test_the_exports_carry_the_frame_and_import_back_as_the_same_graph(people):  # the board file too
    before = graph(elements_of(people.board.id))
    for fmt in ("excalidraw", "drawio", "json"):
        text = api(people.candidate).get(f"/api/boards/{people.board.id}/export/?format={fmt}").content.decode()
        if fmt == "excalidraw":
            frame = next(e for e in json.loads(text)["elements"] if e["type"] == "frame")
            assert frame["name"] == "us-east-1"
        elif fmt == "drawio":
            cell = next(c for c in SafeTree.fromstring(text).iter("mxCell") if c.get("id") == "zone")
            assert "container=1" in cell.get("style")
        response = post(people.owner, format=fmt, content=text)
        assert response.status_code == 201, response.content
        assert graph(elements_of(response.json()["id"])) == before, fmt


def test_imports_store_the_file_s_frames_as_membership_and_a_missing_frame_is_refused(people):
    """Excalidraw's frameId and draw.io's containers become each box's `frame`; a board file's `frame` is checked."""
    excalidraw_board = elements_of(post(people.owner, format="excalidraw", content=EXCALIDRAW).json()["id"])
    assert (excalidraw_board["web"]["frame"], excalidraw_board["db"]["frame"]) == ("vpc", "vpc")
    drawio_board = elements_of(post(people.owner, format="drawio", content=DRAWIO).json()["id"])
    assert (drawio_board["lb"]["frame"], drawio_board["cache"]["frame"]) == ("az", "az")
    box = {"id": "api", "kind": "component", "type": "service", "x": 0, "y": 0}
    zone = {"id": "zone", "kind": "frame", "x": -40, "y": -40, "w": 400, "h": 300}
    document = {"format": "bothsides", "version": 1, "elements": [{**box, "frame": "zone"}, zone]}
    created = post(people.candidate, format="json", content=document)
    assert created.status_code == 201, created.content
    assert elements_of(created.json()["id"])["api"]["frame"] == "zone"
    boards = Board.objects.count()
    for bad, code in (("nowhere", "unknown_ref"), (["zone"], "validation_error"), (7, "validation_error")):
        document["elements"] = [{**box, "frame": bad}, zone]
        response = post(people.observer, format="json", content=document)
        assert response.status_code == 400, response.content
        (problem,) = response.json()["problems"]
        assert (problem["code"], problem["path"][-6:]) == (code, ".frame"), problem
    assert Board.objects.count() == boards
