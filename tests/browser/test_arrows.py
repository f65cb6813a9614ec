"""Arrows on a two-row board (issue 12): never under a box, clickable where drawn, labels out of the way.

The layout is the one from the report: clients, LB, API and DB on top; provider, workers,
queue and cache below. Every rendered arrow path is sampled in the page (SVG
getPointAtLength): no sample may fall inside a box other than near the arrow's own ends.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.live

SECOND = 1000


def _box(element_id: str, kind: str, label: str, x: float, y: float) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": kind, "label": label, "x": x, "y": y}


def _arrow(source: str, target: str, label: str = "") -> dict[str, Any]:
    return {"id": f"{source}-{target}", "kind": "arrow", "source": source, "target": target, "label": label}


BOXES = [
    _box("clients", "client", "Clients", 0, 0),
    _box("lb", "load_balancer", "LB", 260, 0),
    _box("api", "service", "API", 520, 0),
    _box("db", "database", "DB", 780, 0),
    _box("provider", "external", "Provider", 0, 220),
    _box("workers", "worker", "Workers", 260, 220),
    _box("queue", "queue", "Queue", 520, 220),
    _box("cache", "cache", "Cache", 780, 220),
]
ARROWS = [
    _arrow("clients", "lb", "HTTPS"),
    _arrow("lb", "api"),
    _arrow("api", "db", "SQL"),
    _arrow("api", "queue", "enqueue"),
    _arrow("queue", "workers", "consume"),
    _arrow("workers", "provider", "notify"),
    _arrow("api", "cache", "read"),
    # The arrow of the report: from the workers (bottom row) up to the DB (top row, far right).
    _arrow("workers", "db", "write"),
    # Skips the LB: drawn straight, it ran through the LB and its label sat on the LB.
    _arrow("clients", "api", "direct"),
]

# Every rendered arrow's path sampled every 4 px, in flow coordinates, with the boxes.
SAMPLE = """
() => {
  const board = window.__bothsides.board;
  const boxes = [];
  for (const e of board.elements.values()) {
    if (e.kind !== 'arrow') boxes.push({ id: e.id, x: e.x, y: e.y, w: e.w, h: e.h });
  }
  const arrows = [];
  for (const path of document.querySelectorAll('.react-flow__edge path.bs-edge')) {
    const id = path.closest('.react-flow__edge').getAttribute('data-id');
    const e = board.elements.get(id);
    const length = path.getTotalLength();
    const points = [];
    for (let at = 0; at <= length; at += 4) { const p = path.getPointAtLength(at); points.push([p.x, p.y, at]); }
    const end = path.getPointAtLength(length);
    points.push([end.x, end.y, length]);
    arrows.push({ id, source: e.source, target: e.target, length, points });
  }
  return { boxes, arrows };
}
"""

# Points along one arrow where a click lands on that arrow (its stroke's hit area is the topmost
# element there), in page coordinates, nearest the middle of the arrow first.
CLICKABLE = """
(id) => {
  const edge = document.querySelector(`.react-flow__edge[data-id='${id}']`);
  const path = edge.querySelector('path.bs-edge');
  const matrix = path.getScreenCTM();
  const length = path.getTotalLength();
  const found = [];
  for (let at = 6; at <= length - 6; at += 3) {
    const p = path.getPointAtLength(at);
    const s = new DOMPoint(p.x, p.y).matrixTransform(matrix);
    const top = document.elementFromPoint(s.x, s.y);
    if (top && top.closest('.react-flow__edge') === edge) found.push([s.x, s.y, Math.abs(at - length / 2)]);
  }
  found.sort((a, b) => a[2] - b[2]);
  const half = path.getPointAtLength(length / 2);
  const mid = new DOMPoint(half.x, half.y).matrixTransform(matrix);
  return { points: found.map(([x, y]) => [x, y]), middle: [mid.x, mid.y] };
}
"""


def _seed(server: Any, arrows: list[dict[str, Any]]) -> dict[str, Any]:
    return server.seed("board", elements=[*BOXES, *arrows], title="Two rows")


def _open(server: Any, people: Any, arrows: list[dict[str, Any]]) -> Any:
    seeded = _seed(server, arrows)
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    expect(ivan.page.locator(".react-flow__edge")).to_have_count(len(arrows), timeout=5 * SECOND)
    # The opening view is set a frame after the board arrives; a fit started before it is cut short.
    expect(ivan.page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    ivan.fit_view()
    return ivan


def _through_boxes(sampled: dict[str, Any]) -> list[str]:
    """Each arrow that passes inside a box: any box but its ends, or its own ends away from where it meets them."""
    problems = []
    for arrow in sampled["arrows"]:
        for box in sampled["boxes"]:
            own = box["id"] in (arrow["source"], arrow["target"])
            for x, y, at in arrow["points"]:
                if own and (at < 4 or at > arrow["length"] - 4):
                    continue
                if box["x"] + 1 < x < box["x"] + box["w"] - 1 and box["y"] + 1 < y < box["y"] + box["h"] - 1:
                    problems.append(f"{arrow['id']} passes through {box['id']} at ({x:.0f}, {y:.0f})")
                    break
    return problems


def _selected(person: Any) -> list[str]:
    return person.page.evaluate("[...window.__bothsides.board.ui.getState().selected]")


def _click_point(person: Any, arrow_id: str) -> tuple[float, float]:
    found = person.page.evaluate(CLICKABLE, arrow_id)
    # No point of the arrow is on top anywhere: click its middle, where a person would aim.
    return tuple(found["points"][0] if found["points"] else found["middle"])  # type: ignore[return-value]


def test_no_arrow_passes_through_a_box_and_each_click_selects_its_arrow(server, people):
    ivan = _open(server, people, ARROWS)
    sampled = ivan.page.evaluate(SAMPLE)
    assert len(sampled["arrows"]) == len(ARROWS)
    assert _through_boxes(sampled) == []
    for arrow in ARROWS:
        ivan.page.keyboard.press("Escape")
        x, y = _click_point(ivan, arrow["id"])
        ivan.page.mouse.click(x, y)
        assert _selected(ivan) == [arrow["id"]], f"clicking {arrow['id']} at ({x:.0f}, {y:.0f})"
    ivan.page.keyboard.press("Escape")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ivan.shot("arrows-two-rows-1280x800")
    ivan.page.set_viewport_size({"width": 1920, "height": 1080})
    ivan.fit_view()
    ivan.shot("arrows-two-rows-1920x1080")


def test_double_clicking_a_short_arrow_edits_that_arrow_not_one_hidden_under_it(server, people):
    """The report: double-clicking API → queue opened the hidden workers → DB arrow's label editor."""
    ivan = _open(server, people, ARROWS)
    for arrow_id in ("api-queue", "lb-api", "queue-workers"):
        x, y = _click_point(ivan, arrow_id)
        ivan.page.mouse.dblclick(x, y)
        editing = ivan.page.evaluate("window.__bothsides.board.ui.getState().editing")
        assert editing == arrow_id, f"double-clicking {arrow_id} edited {editing}"
        ivan.page.keyboard.press("Escape")
        ivan.page.keyboard.press("Escape")


def test_an_arrow_dragged_from_the_top_handle_leaves_from_the_top_and_goes_round_the_boxes(server, people):
    ivan = _open(server, people, [a for a in ARROWS if a["id"] != "workers-db"])
    page = ivan.page
    workers = ivan.node("workers")
    workers.hover()
    hx, hy = ivan.centre(workers.locator(".react-flow__handle-top"))
    tx, ty = ivan.centre(ivan.node("db"))
    page.mouse.move(hx, hy)
    page.mouse.down()
    page.mouse.move(hx + 10, hy - 40, steps=5)
    page.mouse.move(tx, ty, steps=10)
    page.mouse.up()
    expect(page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    arrows = [e for e in ivan.elements().values() if e["kind"] == "arrow"]
    added = [e for e in arrows if (e["source"], e["target"]) == ("workers", "db")]
    assert len(added) == 1
    sampled = page.evaluate(SAMPLE)
    path = next(a for a in sampled["arrows"] if a["id"] == added[0]["id"])
    start = path["points"][0]
    # The workers box is at (260, 220), 160 wide: its top handle is at (340, 220).
    assert abs(start[0] - 340) <= 2 and abs(start[1] - 220) <= 2, f"the arrow starts at {start[:2]}"
    assert _through_boxes(sampled) == []


def test_labels_never_cover_a_box_or_each_other_and_boxes_take_their_own_clicks(server, people):
    ivan = _open(server, people, ARROWS)
    page = ivan.page
    labels = page.get_by_test_id("edge-label")
    expect(labels).to_have_count(sum(1 for a in ARROWS if a["label"]))
    rects = [labels.nth(i).bounding_box() for i in range(labels.count())]
    boxes = {b["id"]: ivan.node(b["id"]).bounding_box() for b in BOXES}

    def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
        return (
            a["x"] < b["x"] + b["width"] - 1
            and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1
            and b["y"] < a["y"] + a["height"] - 1
        )

    texts = [labels.nth(i).inner_text() for i in range(labels.count())]
    covering = [f"{texts[i]} over {name}" for i, r in enumerate(rects) for name, b in boxes.items() if overlap(r, b)]
    assert covering == []
    pairs = [(texts[i], texts[j]) for i in range(len(rects)) for j in range(i) if overlap(rects[i], rects[j])]
    assert pairs == []
    for box in BOXES:
        page.keyboard.press("Escape")
        b = boxes[box["id"]]
        page.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
        assert _selected(ivan) == [box["id"]], f"clicking the middle of {box['id']}"


def test_the_server_svg_draws_the_same_arrow_points_as_the_canvas(server, people):
    """One routing function: the report's SVG and the canvas agree on every arrow's corners."""
    ivan = _open(server, people, ARROWS)
    canvas = ivan.page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.react-flow__edge')].map(e =>"
        " [e.getAttribute('data-id'), e.querySelector('path.bs-edge').getAttribute('data-points')]))"
    )
    board = ivan.page.evaluate("location.pathname.split('/')[2]")
    svg = ivan.page.request.get(f"{server.base_url}/api/boards/{board}/export/?format=svg")
    assert svg.ok, svg.status
    import re

    served = dict(re.findall(r'data-arrow="([^"]+)" data-points="([^"]+)"', svg.text()))
    assert set(served) == set(canvas)
    for arrow_id, points in canvas.items():
        assert points is not None
        ours = [float(v) for v in points.replace(";", ",").split(",")]
        theirs = [float(v) for v in served[arrow_id].replace(";", ",").split(",")]
        assert len(ours) == len(theirs) and all(abs(a - b) < 0.01 for a, b in zip(ours, theirs, strict=True)), arrow_id
    Path(ARTIFACTS).mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "arrows-two-rows-server.svg").write_text(svg.text())
    json.dumps(canvas)


def test_arrows_re_route_while_a_box_is_dragged_and_stay_out_of_boxes_after(server, people):
    ivan = _open(server, people, ARROWS)
    page = ivan.page
    d = "id => document.querySelector(`.react-flow__edge[data-id='${id}'] path.bs-edge`).getAttribute('d')"
    before = page.evaluate(d, "api-queue")
    x, y = ivan.centre(ivan.node("queue"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 50, steps=8)
    during = page.evaluate(d, "api-queue")
    assert during != before  # re-routed live, before the drop
    page.mouse.move(x + 120, y + 90, steps=8)
    page.mouse.up()
    expect(page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    assert _through_boxes(page.evaluate(SAMPLE)) == []
