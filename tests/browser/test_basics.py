"""Issue 12, the whiteboard basics: snapping guides while dragging, align and distribute, groups."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit


def _box(element_id: str, label: str, x: float, y: float) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": "service", "label": label, "x": x, "y": y}


# Three boxes off each other's lines, and a database far right (out of everyone's way).
LAYOUT = [
    _box("a", "Alpha", 0, 0),
    _box("b", "Beta", 300, 150),
    _box("c", "Gamma", 90, 360),
    {**_box("d", "Delta", 640, 0), "type": "database"},
]


def on_board(server: LiveServer, people: Any, **context: Any) -> tuple[Any, Any, Any]:
    """Ivan (interviewer) draws; Casey (candidate) and Otto (observer) watch, on a fresh board."""
    seeded = server.seed("board", elements=LAYOUT)
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], **context).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"], **context).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"], **context).open_board(seeded["board"])
    return ivan, casey, otto


def eventually(check: Callable[[], bool], what: str, within: float = 2.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def zoom(person: Any) -> float:
    return person.node("a").bounding_box()["width"] / 160


def press_and_move(person: Any, element_id: str, left: float, dy: float) -> None:
    """Grab a box by its middle and drag it until its left edge is at `left` (screen), without letting go.

    React Flow starts a drag only past a threshold, so the box lags the pointer a little: the pointer
    makes up the difference it measures, and a snapped box (already where it sticks) stays put.
    """
    box = person.node(element_id).bounding_box()
    x, y = person.centre(person.node(element_id))
    person.page.mouse.move(x, y)
    person.page.mouse.down()
    x, y = x + left - box["x"], y + dy
    person.page.mouse.move(x, y, steps=14)
    lag = left - person.node(element_id).bounding_box()["x"]
    person.page.mouse.move(x + lag, y, steps=2)


def xs(person: Any, *ids: str) -> list[float]:
    return [person.element(i)["x"] for i in ids]


def select(person: Any, *ids: str) -> None:
    person.node(ids[0]).click()
    for element_id in ids[1:]:
        person.node(element_id).click(modifiers=["Shift"])


def clear_selection(person: Any) -> None:
    person.page.keyboard.press("Escape")
    expect(person.page.locator(".react-flow__node.selected")).to_have_count(0)


def test_a_box_dragged_near_another_edge_shows_a_guide_and_snaps_to_it(server, people):
    ivan, casey, _ = on_board(server, people)
    a = ivan.node("a").bounding_box()
    # Beta's left edge to 4 screen pixels right of Alpha's, and well away from Alpha vertically.
    press_and_move(ivan, "b", a["x"] + 4, 40)
    guide = ivan.page.locator("[data-testid=snap-guides] line[data-axis=x][data-at='0']")
    expect(guide).to_have_count(1)
    assert guide.bounding_box()["height"] > 100, "the guide joins the two boxes"
    ivan.page.mouse.up()
    expect(ivan.page.get_by_test_id("snap-guides")).to_have_count(0)
    assert ivan.element("b")["x"] == ivan.element("a")["x"] == 0
    eventually(lambda: casey.element("b")["x"] == 0, "the other person sees the snapped position")
    expect(ivan.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")


def test_alt_drags_freely_without_snapping(server, people):
    ivan, _, _ = on_board(server, people)
    a = ivan.node("a").bounding_box()
    scale = zoom(ivan)
    ivan.page.keyboard.down("Alt")
    press_and_move(ivan, "b", a["x"] + 4, 40)
    expect(ivan.page.get_by_test_id("snap-guides")).to_have_count(0)
    ivan.page.mouse.up()
    ivan.page.keyboard.up("Alt")
    assert ivan.element("b")["x"] == pytest.approx(4 / scale, abs=1.5)


def test_align_left_is_one_change_everyone_sees_and_one_undo(server, people):
    ivan, casey, otto = on_board(server, people)
    select(ivan, "a", "b", "c")
    bar = ivan.page.get_by_test_id("arrange-bar")
    expect(bar).to_be_visible()
    expect(bar.get_by_test_id("distribute-horizontal")).to_be_enabled()
    ivan.page.get_by_test_id("align-left").click()
    assert xs(ivan, "a", "b", "c") == [0, 0, 0]
    eventually(lambda: xs(casey, "a", "b", "c") == [0, 0, 0], "the candidate sees the three aligned")
    eventually(lambda: xs(otto, "a", "b", "c") == [0, 0, 0], "the observer sees the three aligned")
    # The observer cannot arrange: selecting shows no toolbar.
    select(otto, "a", "b")
    expect(otto.page.get_by_test_id("arrange-bar")).to_have_count(0)
    ivan.page.keyboard.press("Control+z")
    eventually(lambda: xs(casey, "a", "b", "c") == [0, 300, 90], "one undo puts all three back")


def test_a_keyboard_shortcut_distributes_and_the_cheat_sheet_lists_it(server, people):
    ivan, casey, _ = on_board(server, people)
    select(ivan, "a", "b", "c")
    ivan.page.keyboard.press("Alt+Shift+v")
    # Tops at 0 and 360 stay; Beta (at 150) goes to equal gaps: (360 + 72 - 3 * 72) / 2 = 108 apart.
    eventually(lambda: casey.element("b")["y"] == 180, "the candidate sees the middle box evenly spaced")
    ivan.page.keyboard.press("Alt+w")
    eventually(lambda: [casey.element(i)["y"] for i in "abc"] == [0, 0, 0], "align tops by its shortcut")
    clear_selection(ivan)
    ivan.page.keyboard.press("?")
    sheet = ivan.page.get_by_test_id("shortcuts-dialog")
    for text in [
        "Group: the boxes move as one",
        "Ungroup",
        "Align left edges",
        "Distribute horizontally",
        "Alt+Shift+H",
    ]:
        expect(sheet).to_contain_text(text)


def test_a_group_moves_as_one_for_everyone_until_ungrouped(server, people):
    ivan, casey, _ = on_board(server, people)
    select(ivan, "a", "b")
    ivan.page.keyboard.press("Control+g")
    eventually(lambda: casey.element("a").get("group") not in (None, ""), "the group reaches the candidate")
    assert casey.element("a")["group"] == casey.element("b")["group"]
    clear_selection(ivan)

    # Clicking one member selects the whole group; dragging one moves both, for the other person too.
    ivan.node("a").click()
    expect(ivan.node("b")).to_have_class(re.compile(r"\bselected\b"))
    clear_selection(ivan)
    before = {i: dict(casey.element(i)) for i in "ab"}
    ivan.page.keyboard.down("Alt")  # no snapping: the shift is exactly the drag
    ivan.drag(ivan.node("a"), 0, 150)
    ivan.page.keyboard.up("Alt")
    eventually(lambda: casey.element("a")["y"] > before["a"]["y"] + 50, "the candidate sees the dragged box move")
    eventually(
        lambda: casey.element("b")["y"] - before["b"]["y"] == casey.element("a")["y"] - before["a"]["y"],
        "the rest of the group moved by the same amount",
    )
    assert casey.element("b")["x"] == before["b"]["x"]

    # Ungrouped, each moves on its own.
    ivan.node("b").click()
    ivan.page.keyboard.press("Control+Shift+g")
    eventually(lambda: casey.element("a").get("group") == "" and casey.element("b").get("group") == "", "ungrouped")
    clear_selection(ivan)
    b_before = casey.element("b")["y"]
    ivan.page.keyboard.down("Alt")
    ivan.drag(ivan.node("a"), 0, 120)
    ivan.page.keyboard.up("Alt")
    eventually(lambda: casey.element("a")["y"] > before["a"]["y"] + 150, "the candidate sees Alpha move again")
    assert casey.element("b")["y"] == b_before
    expect(ivan.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_screens_of_the_guides_and_the_arrange_toolbar(server, people, size, scheme):
    width, height = size
    seeded = server.seed("board", elements=LAYOUT)
    ivan = people(
        server,
        "ivan",
        seeded["sessions"]["interviewer"],
        viewport={"width": width, "height": height},
        color_scheme=scheme,
    ).open_board(seeded["board"])
    select(ivan, "a", "b", "c")
    expect(ivan.page.get_by_test_id("arrange-bar")).to_be_visible()
    bar = ivan.page.get_by_test_id("arrange-bar").bounding_box()
    canvas = ivan.page.get_by_test_id("canvas").bounding_box()
    assert canvas["x"] <= bar["x"] and bar["x"] + bar["width"] <= canvas["x"] + canvas["width"]
    assert canvas["y"] <= bar["y"], "the toolbar stays on the canvas"
    for box in "abc":
        node = ivan.node(box).bounding_box()
        overlaps = not (
            bar["x"] + bar["width"] <= node["x"]
            or node["x"] + node["width"] <= bar["x"]
            or bar["y"] + bar["height"] <= node["y"]
            or node["y"] + node["height"] <= bar["y"]
        )
        assert not overlaps, f"the toolbar covers box {box}"
    ivan.shot(f"basics-arrange-bar-{width}x{height}-{scheme}")
    clear_selection(ivan)
    a = ivan.node("a").bounding_box()
    press_and_move(ivan, "c", a["x"] + 3, 0)
    expect(ivan.page.get_by_test_id("snap-guides")).to_have_count(1)
    ivan.shot(f"basics-guides-{width}x{height}-{scheme}")
    ivan.page.mouse.up()
