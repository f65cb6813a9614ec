"""Stored frame membership in the formats: exports nest what a box's `frame` says, imports store the file's nesting."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from reviews.formats import board_json, drawio, excalidraw, frames, mermaid

from .fixtures import scene, x_element, x_labelled

ZONE = {"id": "zone", "kind": "frame", "label": "us-east-1", "x": 0, "y": 0, "w": 600, "h": 400}


def box(element_id: str, x: int, y: int, **extra: object) -> dict:
    component = {"id": element_id, "kind": "component", "type": "service", "label": element_id.upper()}
    return {**component, "x": x, "y": y, "w": 160, "h": 72, "tech": "", "replicas": 1, "notes": "", **extra}


def test_a_stored_frame_wins_over_where_a_box_lies_and_boxes_without_one_fall_back_to_geometry():
    elements = [
        ZONE,
        {**box("member", 700, 500), "frame": "zone"},  # dropped in, then the frame was resized: still a member
        {**box("left", 40, 40), "frame": ""},  # dragged out and back over it without a drop: not a member
        box("legacy", 100, 100),  # drawn before membership was stored
        {**box("gone", 100, 200), "frame": "nowhere"},
    ]
    assert frames.parents(elements) == {"member": "zone", "legacy": "zone"}


def test_exports_nest_the_stored_members():
    data = {
        "board": {"title": "Zones"},
        "elements": [ZONE, {**box("api", 40, 40), "frame": ""}, {**box("db", 200, 40), "frame": "zone"}],
    }
    scene_out = json.loads(excalidraw.export(data))
    frame_ids = {e["id"]: e.get("frameId") for e in scene_out["elements"] if e.get("type") == "rectangle"}
    assert frame_ids == {"api": None, "db": "zone"}
    cells = ElementTree.fromstring(drawio.export(data)).iter("object")
    assert {o.get("id"): o.find("mxCell").get("parent") for o in cells} == {"api": "root:1", "db": "zone"}
    chart = mermaid.to_mermaid(data["elements"])
    inside = chart.split('subgraph frame_zone["us-east-1"]')[1].split("end")[0]
    assert "db" in inside and "api" not in inside


def test_an_excalidraw_import_stores_each_box_in_its_frame():
    imported = excalidraw.load(
        scene(
            x_element("frame", "f1", x=-20, y=-20, width=800, height=300, name="Backend"),
            x_labelled("a", "API", 0, 0, frameId="f1"),
            x_labelled("c", "CDN", 0, 600),
        )
    )
    by_id = {e["id"]: e for e in imported.elements}
    assert by_id["a"]["frame"] == "f1" and "frame" not in by_id["c"] and "frame" not in by_id["f1"]


def test_a_board_json_import_keeps_membership_whatever_the_order_and_refuses_a_missing_frame():
    document = {"format": board_json.FORMAT, "version": board_json.VERSION, "board": {"title": "Zones"}}
    document["elements"] = [{**box("api", 40, 40), "frame": "zone"}, ZONE]
    imported = board_json.load(document)
    assert imported.problems == []
    assert {e["id"]: e.get("frame") for e in imported.elements} == {"api": "zone", "zone": None}
    document["elements"] = [{**box("api", 40, 40), "frame": "nowhere"}]
    problems = board_json.load(document).problems
    assert [(p["code"], p["message"]) for p in problems] == [
        ("unknown_ref", "No frame with id 'nowhere' on this board.")
    ]
