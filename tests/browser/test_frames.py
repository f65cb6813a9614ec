"""Frames in real browsers: boxes dropped in a frame belong to it and move with it, and the drill fails a frame.

Casey (candidate) draws a frame for an availability zone from the palette, drops an API and a
database into it, and drags the frame: Ivan (interviewer) sees the boxes move with it. A box
dragged out leaves it. Ivan then fails the zone in the failure drill: both components show as
failed, with what goes down with them.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000


def kinds(person: Any, kind: str) -> list[dict[str, Any]]:
    return [e for e in person.elements().values() if e["kind"] == kind]


def settled(person: Any) -> None:
    expect(person.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0", timeout=5 * SECOND)


def test_boxes_dropped_in_a_frame_move_with_it_and_the_drill_fails_the_frame(server: LiveServer, people: Any):
    seeded = server.seed("board", elements=[])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = casey.page
    canvas = page.get_by_test_id("canvas")

    # A frame from the palette, named at once.
    page.get_by_test_id("palette-frame").drag_to(canvas, target_position={"x": 520, "y": 360})
    expect(page.locator(".bs-inline-editor")).to_be_focused()
    page.keyboard.type("us-east-1a")
    page.keyboard.press("Enter")
    (frame,) = kinds(casey, "frame")
    frame_node = casey.node(frame["id"])
    box = frame_node.bounding_box()
    assert box is not None

    # Two boxes dropped inside it belong to it.
    for kind, dx in (("service", 0.3), ("database", 0.7)):
        page.get_by_test_id(f"palette-{kind}").drag_to(
            canvas,
            target_position={
                "x": box["x"] - canvas.bounding_box()["x"] + box["width"] * dx,
                "y": box["y"] - canvas.bounding_box()["y"] + box["height"] * 0.55,
            },
        )
        page.keyboard.press("Escape")
    settled(casey)
    boxes = kinds(casey, "component")
    assert len(boxes) == 2 and {b.get("frame") for b in boxes} == {frame["id"]}

    # Dragging the frame by its title moves both boxes, for Ivan too, by the same offset: live while
    # the drag lasts (previews of the frame and of each box), then as one batch on release.
    before = {b["id"]: (b["x"], b["y"]) for b in boxes}
    x, y = casey.centre(frame_node.locator(".bs-frame__title"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 160, y + 90, steps=12)
    ivan.page.wait_for_function(
        "ids => ids.every((id) => window.__bothsides.board.ui.getState().remote.has(id))",
        arg=[frame["id"], *before],
    )
    page.mouse.up()
    settled(casey)
    moved = casey.element(frame["id"])
    dx, dy = moved["x"] - frame["x"], moved["y"] - frame["y"]
    assert abs(dx) > 50 and abs(dy) > 30
    expect(ivan.node(frame["id"])).to_be_visible()
    ivan.page.wait_for_function(
        "([id, x]) => window.__bothsides.board.elements.get(id)?.x === x", arg=[frame["id"], moved["x"]]
    )
    for element_id, (x, y) in before.items():
        theirs = ivan.element(element_id)
        assert (theirs["x"], theirs["y"], theirs["frame"]) == (x + dx, y + dy, frame["id"]), theirs
    # One batch: the log holds the frame's move and both boxes' together, so everyone sees them move as one.
    log = ivan.page.evaluate(
        "board => fetch(`/api/boards/${board}/ops/?after=0`).then((r) => r.json())", seeded["board"]
    )
    last = log["batches"][-1]
    assert {op["id"] for op in last["ops"]} == {frame["id"], *before}

    # A box dragged out no longer belongs to it; dragged back in, it does again.
    page.get_by_test_id("fit-view").click()
    page.wait_for_timeout(400)  # the fit's animation
    database = next(b for b in boxes if b["type"] == "database")
    node = casey.node(database["id"])
    out = frame_node.bounding_box()["y"] + frame_node.bounding_box()["height"] - casey.centre(node)[1] + 60
    casey.drag(node, 0, out)
    settled(casey)
    assert casey.element(database["id"])["frame"] == ""
    expect(ivan.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    casey.drag(node, 0, -out)
    settled(casey)
    assert casey.element(database["id"])["frame"] == frame["id"]

    # Ivan fails the zone: both components marked failed, and what goes down with them listed.
    ivan.page.get_by_role("button", name="Failure drill").click()
    panel = ivan.page.get_by_role("complementary", name="Failure drill")
    panel.get_by_test_id("drill-fail-frame").filter(has_text="us-east-1a").click()
    summary = ivan.page.get_by_test_id("drill-summary")
    expect(summary).to_have_attribute("data-failed", frame["id"], timeout=5 * SECOND)
    expect(summary.get_by_role("heading")).to_contain_text("If us-east-1a goes down")
    expect(summary.get_by_test_id("drill-failed-components")).to_have_attribute("data-ids", " ".join(sorted(before)))
    expect(summary.locator(".bs-drill__text")).to_contain_text("If us-east-1a goes down, taking ")
    for element_id in before:
        expect(ivan.page.locator(f"[data-testid=component-node][data-id='{element_id}']")).to_have_attribute(
            "data-drill", "failed"
        )
    ivan.shot("frames-drill-zone-failed")


def _box(element_id: str, kind: str, label: str, x: int, y: int, frame: str | None = None) -> dict[str, Any]:
    box = {"id": element_id, "kind": "component", "type": kind, "label": label, "x": x, "y": y}
    return {**box, "frame": frame} if frame else box


def _arrow(source: str, target: str, label: str, style: str = "sync") -> dict[str, Any]:
    return {
        "id": f"{source}-{target}",
        "kind": "arrow",
        "source": source,
        "target": target,
        "label": label,
        "style": style,
    }


# Two availability zones behind one load balancer; the primary database lives in zone a.
TWO_ZONES = [
    {"id": "az-a", "kind": "frame", "label": "us-east-1a", "x": 0, "y": 230, "w": 440, "h": 320},
    {"id": "az-b", "kind": "frame", "label": "us-east-1b", "x": 520, "y": 230, "w": 440, "h": 320},
    _box("web", "client", "Web app", 400, -150),
    _box("lb", "load_balancer", "Load balancer", 400, 20),
    _box("api-a", "service", "Orders API (a)", 40, 300, "az-a"),
    _box("db-a", "database", "Orders DB primary", 240, 440, "az-a"),
    _box("api-b", "service", "Orders API (b)", 560, 300, "az-b"),
    _box("db-b", "database", "Orders DB replica", 760, 440, "az-b"),
    _arrow("web", "lb", "HTTPS"),
    _arrow("lb", "api-a", "routes"),
    _arrow("lb", "api-b", "routes"),
    _arrow("api-a", "db-a", "writes"),
    _arrow("api-b", "db-a", "writes"),
    _arrow("db-a", "db-b", "replicates", "async"),
]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens_of_two_zones_and_a_zone_drill(server: LiveServer, people: Any, theme: str):
    """The two-zone board and zone a failing, at 1280x800 and 1920x1080, for people to look at."""
    seeded = server.seed("board", elements=TWO_ZONES, title="Orders in two zones")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], color_scheme=theme).open_board(seeded["board"])
    assert {e["id"]: e.get("frame") for e in kinds(ivan, "component")}["db-a"] == "az-a"
    screens = ARTIFACTS.parent / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    for size in ({"width": 1280, "height": 800}, {"width": 1920, "height": 1080}):
        ivan.page.set_viewport_size(size)
        ivan.page.get_by_test_id("fit-view").click()
        ivan.page.wait_for_timeout(400)
        ivan.page.screenshot(path=str(screens / f"frames-{size['width']}-{theme}.png"))
    # The region's drill from the frame's own inspector; the view pans the region out from under the card.
    for size in ({"width": 1280, "height": 800}, {"width": 1920, "height": 1080}):
        ivan.page.set_viewport_size(size)
        ivan.page.get_by_test_id("fit-view").click()
        ivan.page.wait_for_timeout(400)
        ivan.node("az-a").locator(".bs-frame__title").click()
        ivan.page.get_by_test_id("fail-region").click()
        summary = ivan.page.get_by_test_id("drill-summary")
        expect(summary).to_have_attribute("data-failed", "az-a", timeout=5 * SECOND)
        expect(summary).to_have_attribute("data-spof", "true")
        expect(summary.get_by_test_id("drill-failed-components")).to_have_attribute("data-ids", "api-a db-a")
        # The balancer survives losing one API, not the zone: both backends depend on the primary.
        expect(summary.get_by_test_id("drill-lost")).to_have_attribute("data-ids", "api-b lb web")
        ivan.page.wait_for_timeout(500)
        card = ivan.page.get_by_test_id("drill-panel").bounding_box()
        zone = ivan.node("az-a").bounding_box()
        # The failed region is not under the card: beside it or above it.
        apart = zone["x"] >= card["x"] + card["width"] or zone["y"] + zone["height"] <= card["y"]
        assert apart, (zone, card)
        ivan.page.screenshot(path=str(screens / f"frames-drill-{size['width']}-{theme}.png"))
        summary.get_by_role("button", name="Recover it").click()
        expect(summary).to_have_count(0)
