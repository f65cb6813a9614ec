"""Export to Excalidraw and draw.io, and the round trip: board -> file -> board gives the same graph."""

from __future__ import annotations

import json

import defusedxml.ElementTree as SafeTree
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.formats import drawio, excalidraw
from whiteboard import ops

from .fixtures import assert_ready

BOARD = {
    "board": {"id": "b1", "title": 'Shop <&> "design"', "prompt": "", "mode": "review"},
    "elements": [
        {
            "id": "web",
            "kind": "component",
            "type": "client",
            "label": "Browser",
            "x": 0,
            "y": 0,
            "w": 160,
            "h": 72,
            "tech": "",
            "replicas": 1,
            "notes": "",
        },
        {
            "id": "lb",
            "kind": "component",
            "type": "load_balancer",
            "label": "Edge",
            "x": 200,
            "y": 0,
            "w": 160,
            "h": 72,
            "tech": "nginx",
            "replicas": 2,
            "notes": "",
        },
        {
            "id": "db",
            "kind": "component",
            "type": "database",
            "label": 'Orders "main"\n</mxfile>',
            "x": 400.5,
            "y": -20,
            "w": 160,
            "h": 90,
            "tech": "Postgres",
            "replicas": 1,
            "notes": "primary & replica",
        },
        {"id": "n1", "kind": "note", "text": "Idempotent writes", "x": 0, "y": 300, "w": 200, "h": 120},
        {"id": "vpc", "kind": "frame", "label": "VPC <eu-west-1>", "x": 180, "y": -60, "w": 420, "h": 200},
        {"id": "az", "kind": "frame", "label": "", "x": 390, "y": -40, "w": 190, "h": 150},
        {"id": "a1", "kind": "arrow", "source": "web", "target": "lb", "label": "", "style": "sync"},
        {"id": "a2", "kind": "arrow", "source": "lb", "target": "db", "label": "writes", "style": "async"},
    ],
    "annotations": [],
}


def graph(elements):
    """What a round trip must keep: components (type, label, tech, box), arrows, notes, frames."""
    return (
        {
            e["id"]: (e["type"], e["label"], e["tech"], e["replicas"], e["notes"], e["x"], e["y"], e["w"], e["h"])
            for e in elements
            if e["kind"] == "component"
        },
        sorted((e["id"], e["source"], e["target"], e["label"], e["style"]) for e in elements if e["kind"] == "arrow"),
        {e["id"]: (e["text"], e["x"], e["y"], e["w"], e["h"]) for e in elements if e["kind"] == "note"},
        {e["id"]: (e["label"], e["x"], e["y"], e["w"], e["h"]) for e in elements if e["kind"] == "frame"},
    )


# --------------------------------------------------------------------------- Excalidraw export


def test_the_excalidraw_scene_is_bound_both_ways():
    document = json.loads(excalidraw.export(BOARD))
    assert (document["type"], document["version"]) == ("excalidraw", 2)
    by_id = {e["id"]: e for e in document["elements"]}
    assert len(by_id) == len(document["elements"])
    assert [by_id[i]["type"] for i in ("web", "lb", "db")] == ["ellipse", "diamond", "rectangle"]
    assert by_id["db:label"]["containerId"] == "db" and by_id["db:label"]["text"].startswith("[database]\n")
    assert {"id": "db:label", "type": "text"} in by_id["db"]["boundElements"]
    for arrow_id in ("a1", "a2"):
        arrow = by_id[arrow_id]
        start, end = arrow["startBinding"]["elementId"], arrow["endBinding"]["elementId"]
        assert {"id": arrow_id, "type": "arrow"} in by_id[start]["boundElements"]
        assert {"id": arrow_id, "type": "arrow"} in by_id[end]["boundElements"]
        assert arrow["points"][0] == [0, 0] and len(arrow["points"]) == 2
    assert by_id["a2"]["strokeStyle"] == "dashed" and by_id["a1"]["strokeStyle"] == "solid"
    assert by_id["a2:label"]["containerId"] == "a2"
    assert by_id["n1"]["type"] == "text" and by_id["n1"]["containerId"] is None
    for element in document["elements"]:  # the fields Excalidraw's own files always have
        assert {"x", "y", "width", "height", "angle", "seed", "version", "versionNonce", "isDeleted"} <= set(element)


def test_the_drawio_file_is_plain_xml_with_typed_vertices_and_connected_edges():
    text = drawio.export(BOARD)
    root = SafeTree.fromstring(text, forbid_dtd=True)
    (diagram,) = root.findall("diagram")
    assert diagram.get("name") == 'Shop <&> "design"'
    objects = {o.get("id"): o for o in diagram.iter("object")}
    assert objects["db"].get("label") == 'Orders "main"\n</mxfile>'
    assert objects["db"].get("bothsides_type") == "database"
    assert "shape=cylinder3" in objects["db"].find("mxCell").get("style")
    assert "rhombus" in objects["lb"].find("mxCell").get("style")
    edges = {c.get("id"): c for c in diagram.iter("mxCell") if c.get("edge") == "1"}
    assert {(k, v.get("source"), v.get("target")) for k, v in edges.items()} == {
        ("a1", "web", "lb"),
        ("a2", "lb", "db"),
    }
    assert "dashed=1" in edges["a2"].get("style") and "dashed=1" not in edges["a1"].get("style")


def test_frames_are_excalidraw_frames_with_their_members_named():
    document = json.loads(excalidraw.export(BOARD))
    by_id = {e["id"]: e for e in document["elements"]}
    assert (by_id["vpc"]["type"], by_id["vpc"]["name"], by_id["az"]["name"]) == ("frame", "VPC <eu-west-1>", None)
    assert (by_id["lb"]["frameId"], by_id["lb:label"]["frameId"]) == ("vpc", "vpc")
    assert by_id["db"]["frameId"] == "az"  # the innermost: Excalidraw frames do not nest
    assert by_id["web"]["frameId"] is None
    order = [e["id"] for e in document["elements"]]
    assert order.index("vpc") > order.index("lb")  # a frame comes after its members, as Excalidraw keeps them


def test_frames_are_drawio_containers_holding_their_boxes():
    root = SafeTree.fromstring(drawio.export(BOARD), forbid_dtd=True)
    cells = {c.get("id"): c for c in root.iter("mxCell") if c.get("id")}
    objects = {o.get("id"): o.find("mxCell") for o in root.iter("object")}
    assert "swimlane" in cells["vpc"].get("style") and "container=1" in cells["vpc"].get("style")
    assert cells["vpc"].get("value") == "VPC <eu-west-1>"
    assert objects["lb"].get("parent") == "vpc"
    geometry = objects["lb"].find("mxGeometry")
    assert (geometry.get("x"), geometry.get("y")) == ("20", "60")  # relative to the container
    assert (objects["db"].get("parent"), cells["az"].get("parent")) == ("az", "vpc")  # nested as the frames are
    geometry = objects["db"].find("mxGeometry")
    assert (geometry.get("x"), geometry.get("y")) == ("10.5", "20")
    assert objects["web"].get("parent") == "root:1"


def test_exports_take_a_plain_title_and_elements_too():
    plain = {"title": "T", "elements": BOARD["elements"]}
    assert drawio.export(plain) == drawio.export({**BOARD, "board": {"title": "T"}})
    assert excalidraw.export(plain) == excalidraw.export(BOARD)


def test_characters_xml_cannot_hold_are_replaced_not_written():
    board = {"title": "t\x01", "elements": [{**BOARD["elements"][0], "label": "a\x0bb\ufffe"}]}
    root = SafeTree.fromstring(drawio.export(board), forbid_dtd=True)
    assert next(root.iter("object")).get("label") == "a\ufffdb\ufffd"


@pytest.mark.parametrize(
    ("export", "load"),
    [
        (excalidraw.export, excalidraw.load),
        (drawio.export, drawio.load),
    ],
    ids=["excalidraw", "drawio"],
)
def test_the_example_board_comes_back_the_same(export, load):
    imported = load(export(BOARD))
    assert_ready(imported)
    assert graph(imported.elements) == graph(BOARD["elements"])
    assert imported.report == []


# --------------------------------------------------------------------------- properties

# Text both files can carry: no control characters but tab and newlines, nothing unassigned, no surrogates.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co")),
        st.sampled_from("\n\r\t []<>&\"'%;=#\u00a0"),
    ),
    max_size=30,
)
NUMBER = st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
SIZE = st.one_of(st.integers(1, 10**6), st.floats(0.5, 1e6, allow_nan=False, allow_infinity=False))
IDS = st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True)


@st.composite
def boards(draw):
    ids = draw(st.lists(IDS, min_size=1, max_size=10, unique=True))
    count = draw(st.integers(1, len(ids)))
    components, rest = ids[:count], ids[count:]
    elements = []
    for element_id in components:
        element = {
            "id": element_id,
            "kind": "component",
            "type": draw(st.sampled_from(ops.COMPONENT_TYPES)),
            "label": draw(TEXT),
            "x": draw(NUMBER),
            "y": draw(NUMBER),
            "w": draw(SIZE),
            "h": draw(SIZE),
            "tech": draw(TEXT),
            "replicas": draw(st.integers(1, ops.MAX_REPLICAS)),
            "notes": draw(TEXT),
        }
        elements.append(ops.parse_element(element, "e"))
    for element_id in rest:
        if draw(st.integers(0, 3)) == 0:
            frame = {
                "id": element_id,
                "kind": "frame",
                "label": draw(TEXT),
                "x": draw(NUMBER),
                "y": draw(NUMBER),
                "w": draw(SIZE),
                "h": draw(SIZE),
            }
            elements.append(ops.parse_element(frame, "e"))
        elif len(components) >= 2 and draw(st.booleans()):
            source, target = draw(st.lists(st.sampled_from(components), min_size=2, max_size=2, unique=True))
            arrow = {
                "id": element_id,
                "kind": "arrow",
                "source": source,
                "target": target,
                "label": draw(TEXT),
                "style": draw(st.sampled_from(ops.ARROW_STYLES)),
            }
            elements.append(ops.parse_element(arrow, "e"))
        else:
            text = draw(TEXT.filter(str.strip))  # a blank note has nothing to carry; both tools drop it
            note = {
                "id": element_id,
                "kind": "note",
                "text": text,
                "x": draw(NUMBER),
                "y": draw(NUMBER),
                "w": draw(SIZE),
                "h": draw(SIZE),
            }
            elements.append(ops.parse_element(note, "e"))
    return {"title": draw(TEXT), "elements": elements}


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(boards())
def test_board_to_excalidraw_to_board_is_the_same_graph(board):
    imported = excalidraw.load(excalidraw.export(board))
    assert_ready(imported)
    assert graph(imported.elements) == graph(board["elements"])
    assert imported.report == []


@PROPERTY
@given(boards())
def test_board_to_drawio_to_board_is_the_same_graph(board):
    imported = drawio.load(drawio.export(board))
    assert_ready(imported)
    assert graph(imported.elements) == graph(board["elements"])
    assert imported.report == []
    assert imported.title == (board["title"] or "Page-1")
