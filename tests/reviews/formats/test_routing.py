"""The server's arrow router (reviews.formats.routing) against the fixtures the canvas's router passes too."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from reviews.formats.routing import Rect, path_of, route, route_board, simplify

FIXTURES = json.loads((Path(__file__).parents[2] / "examples" / "routes.json").read_text(encoding="utf-8"))["boards"]


def _boxes(board: dict) -> dict[str, Rect]:
    return {name: Rect(**box) for name, box in board["boxes"].items()}


@pytest.mark.parametrize("board", FIXTURES, ids=[b["name"] for b in FIXTURES])
def test_the_same_points_as_the_canvas(board):
    routed = route_board(_boxes(board), board["arrows"])
    got = [
        {"id": r.id, "points": [list(p) for p in r.points], "label": list(r.label) if r.label else None} for r in routed
    ]
    assert got == board["expect"]


def _crosses(a, b, r: Rect) -> bool:
    across = min(a[0], b[0]) < r.x + r.w and max(a[0], b[0]) > r.x
    return across and min(a[1], b[1]) < r.y + r.h and max(a[1], b[1]) > r.y


def test_goes_round_a_box_in_the_way():
    blocker = Rect(220, -20, 60, 112)
    points = route(Rect(0, 0, 160, 72), Rect(400, 0, 160, 72), [blocker])
    assert points[0] == (160, 36) and points[-1] == (400, 36)
    assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(points))
    assert not any(_crosses(a, b, blocker) for a, b in itertools.pairwise(points))


def test_respects_the_side_dragged_from():
    points = route(Rect(260, 220, 160, 72), Rect(780, 0, 160, 72), [Rect(520, 220, 160, 72)], source_side="top")
    assert points[0] == (340, 220) and points[1][0] == 340 and points[1][1] < 220


def test_simplify_and_path():
    assert simplify([(0, 0), (0, 0), (5, 0), (10, 0), (10, 5)]) == [(0, 0), (10, 0), (10, 5)]
    assert simplify([(0, 0), (10, 0), (4, 0)]) == [(0, 0), (10, 0), (4, 0)]  # a U-turn stays
    assert path_of([(0, 0), (20, 0), (20, 20)]) == "M0,0 L12,0 Q20,0 20,8 L20,20"


def test_the_server_svg_and_png_draw_the_routed_arrows():
    """The report's diagram: each arrow's path carries the router's points, labels at the router's spots."""
    from reviews.formats.png import diagram_png
    from reviews.formats.routing import points_attr
    from reviews.formats.svg import diagram_svg

    board = FIXTURES[0]
    elements = [{"kind": "component", "type": "service", "id": i, **b} for i, b in board["boxes"].items()]
    elements += [{"kind": "arrow", "style": "sync", **a} for a in board["arrows"]]
    svg = diagram_svg(elements)
    for expected in board["expect"]:
        points = [tuple(p) for p in expected["points"]]
        assert f'data-arrow="{expected["id"]}" data-points="{points_attr(points)}"' in svg
    assert "<line" not in svg  # no straight centre-to-centre lines any more
    assert diagram_png(elements).startswith(b"\x89PNG")


def test_frames_are_drawn_but_are_no_obstacles():
    """An arrow across a frame keeps the straight route it has without the frame; the frame stays in both exports."""
    from reviews.formats.png import diagram_png
    from reviews.formats.routing import points_attr
    from reviews.formats.svg import diagram_svg, routes

    boxes = [
        {"kind": "component", "type": "service", "id": "a", "x": 0, "y": 0, "w": 160, "h": 72},
        {"kind": "component", "type": "service", "id": "b", "x": 400, "y": 0, "w": 160, "h": 72},
    ]
    arrow = {"kind": "arrow", "style": "sync", "id": "a-b", "source": "a", "target": "b", "label": ""}
    frame = {"kind": "frame", "id": "f", "label": "Zone", "x": 200, "y": -100, "w": 120, "h": 300}
    without = routes([*boxes, arrow])
    with_frame = routes([frame, *boxes, arrow])
    assert [r.points for _, r in with_frame] == [r.points for _, r in without]
    assert with_frame[0][1].points[0] == (160, 36) and with_frame[0][1].points[-1] == (400, 36)
    svg = diagram_svg([frame, *boxes, arrow])
    assert "Zone" in svg and f'data-points="{points_attr(with_frame[0][1].points)}"' in svg
    assert diagram_png([frame, *boxes, arrow]).startswith(b"\x89PNG")
