"""The editor itself: adding by drag and double-click, resizing, multi-select, arrow style, prompt and title."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.live

SECOND = 1000


def two_people(server, people):
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    return ivan, casey


def test_drag_from_the_palette_and_double_click_add_boxes_where_you_drop(server, people):
    ivan, casey = two_people(server, people)
    page = casey.page
    canvas = page.get_by_test_id("canvas")
    page.get_by_test_id("palette-load_balancer").drag_to(canvas, target_position={"x": 420, "y": 620})
    expect(page.locator(".bs-inline-editor")).to_be_focused()
    page.keyboard.type("Edge LB")
    page.keyboard.press("Enter")
    expect(ivan.page.get_by_test_id("component-node").filter(has_text="Edge LB")).to_have_count(1, timeout=SECOND)

    canvas.dblclick(position={"x": 150, "y": 150})
    page.keyboard.type("Another box")
    page.keyboard.press("Enter")
    added = [e for e in casey.elements().values() if e.get("label") == "Another box"]
    assert added and added[0]["type"] == "load_balancer"  # double-click adds the last type used
    expect(ivan.page.get_by_test_id("component-node").filter(has_text="Another box")).to_have_count(1, timeout=SECOND)


def test_resize_then_shift_click_multi_select(server, people):
    ivan, casey = two_people(server, people)
    page = ivan.page
    ivan.node("db").click()
    handle = ivan.node("db").locator(".react-flow__resize-control.bottom.right")
    x, y = ivan.centre(handle)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 80, y + 40, steps=8)
    page.mouse.up()
    expect(page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    resized = ivan.element("db")
    assert resized["w"] > 200 and resized["h"] > 90
    expect(casey.node("db")).to_have_css("width", f"{resized['w']}px", timeout=SECOND)

    ivan.node("client").click(modifiers=["Shift"])
    expect(page.get_by_test_id("inspector")).to_contain_text("2 selected")


def test_arrow_style_and_label_reach_the_other_person(server, people):
    ivan, casey = two_people(server, people)
    ivan.page.get_by_test_id("edge-label").filter(has_text="HTTPS").click()
    ivan.page.get_by_text("Async (message)").click()
    ivan.page.get_by_test_id("field-label").fill("GraphQL")
    ivan.page.get_by_test_id("field-label").press("Enter")
    expect(casey.page.locator(".react-flow__edge[data-id='client-api'] path.bs-edge.is-async")).to_have_count(
        1, timeout=SECOND
    )
    expect(casey.page.get_by_test_id("edge-label")).to_have_text("GraphQL", timeout=SECOND)
    casey.shot("11-async-arrow-with-label")


def test_the_interviewer_edits_the_prompt_and_title_for_everyone(server, people):
    ivan, casey = two_people(server, people)
    page = ivan.page
    page.get_by_role("button", name="Edit the prompt").click()
    page.get_by_role("textbox", name="Prompt").fill("Design an order service for 10k orders a second.")
    page.get_by_role("button", name="Save prompt").click()
    expect(casey.page.get_by_test_id("prompt-text")).to_have_text(
        "Design an order service for 10k orders a second.", timeout=2 * SECOND
    )
    page.get_by_test_id("board-title").click()
    page.get_by_label("Board title").fill("Orders interview")
    page.keyboard.press("Enter")
    expect(casey.page.get_by_test_id("board-title")).to_have_text("Orders interview", timeout=2 * SECOND)
    # The candidate cannot rename or edit the prompt.
    expect(casey.page.get_by_role("button", name="Edit the prompt")).to_have_count(0)
    expect(casey.page.locator("button[data-testid=board-title]")).to_have_count(0)
