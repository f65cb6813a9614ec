"""Two people on one board in real browsers: live edits, drags, cursors, roles, undo, resume, text safety."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit


def on_board(server: LiveServer, people: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Ivan (interviewer, signed in) and Casey (candidate, a guest from an invite link) on a fresh board."""
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    return ivan, casey, seeded


def add_from_palette(person: Any, kind: str, label: str) -> str:
    """Click a palette entry, type the label straight away, press Enter; returns the new element's id."""
    before = set(person.elements())
    person.page.get_by_test_id(f"palette-{kind}").click()
    editor = person.page.locator(".bs-inline-editor")
    expect(editor).to_be_focused()
    person.page.keyboard.type(label)
    person.page.keyboard.press("Enter")
    (new,) = set(person.elements()) - before
    return new


def test_an_edit_shows_up_for_the_other_person_within_a_second(server, people):
    ivan, casey, _ = on_board(server, people)
    expect(casey.page.get_by_test_id("my-role")).to_contain_text("Candidate")

    cache = add_from_palette(ivan, "cache", "Session cache")
    ivan.connect("api", cache)
    (arrow,) = [e for e in ivan.elements().values() if e["kind"] == "arrow" and e["target"] == cache]

    expect(casey.node(cache)).to_contain_text("Session cache", timeout=SECOND)
    expect(casey.page.locator(f".react-flow__edge[data-id='{arrow['id']}']")).to_have_count(1, timeout=SECOND)
    expect(ivan.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    ivan.shot("01-interviewer-added-and-connected")
    casey.shot("02-candidate-sees-it")


def test_a_drag_moves_the_box_for_the_other_person(server, people):
    ivan, casey, _ = on_board(server, people)
    before = casey.node("db").bounding_box()
    casey.drag(casey.node("db"), 0, 160)
    expect(casey.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    moved = casey.element("db")
    assert moved is not None and moved["y"] > 100

    def ivan_sees_it_moved() -> bool:
        box = ivan.node("db").bounding_box()
        return box is not None and box["y"] > before["y"] + 40

    deadline = time.monotonic() + 1
    while not ivan_sees_it_moved():
        assert time.monotonic() < deadline, "the other browser did not see the box move within a second"
        time.sleep(0.05)
    assert ivan.element("db")["y"] == moved["y"]
    ivan.shot("03-drag-seen-by-the-other")


def test_drag_previews_reach_the_other_person_while_dragging(server, people):
    ivan, casey, _ = on_board(server, people)
    start_y = ivan.node("db").bounding_box()["y"]
    x, y = casey.centre(casey.node("db"))
    casey.page.mouse.move(x, y)
    casey.page.mouse.down()
    casey.page.mouse.move(x, y + 120, steps=10)
    # Mid-drag: nothing committed yet, but the other side already shows it moving.
    expect(ivan.page.locator(".react-flow__node[data-id='db']")).not_to_have_css("transform", "none")
    deadline = time.monotonic() + 2
    while ivan.node("db").bounding_box()["y"] < start_y + 40:
        assert time.monotonic() < deadline, "no drag preview arrived"
        time.sleep(0.05)
    assert ivan.element("db")["y"] == 0  # the board itself has not changed yet
    casey.page.mouse.up()


def test_others_cursors_show_with_their_name(server, people):
    ivan, casey, _ = on_board(server, people)
    box = ivan.page.get_by_test_id("canvas").bounding_box()
    ivan.page.mouse.move(box["x"] + 300, box["y"] + 300)
    ivan.page.mouse.move(box["x"] + 320, box["y"] + 310, steps=3)
    cursor = casey.page.get_by_test_id("remote-cursor")
    expect(cursor).to_have_count(1, timeout=2 * SECOND)
    expect(cursor).to_contain_text("Ivan")
    casey.page.get_by_test_id("people-button").click()
    expect(casey.page.get_by_test_id("person").filter(has_text="Ivan")).to_contain_text("Interviewer")
    casey.shot("04-cursor-and-people")


def test_an_observer_gets_a_read_only_canvas(server, people):
    seeded = server.seed("board")
    olivia = people(server, "olivia", seeded["sessions"]["owner"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    page = otto.page
    expect(page.get_by_test_id("my-role")).to_contain_text("view only")
    expect(page.locator(".bs-palette")).to_have_count(0)
    expect(page.get_by_test_id("invite-button")).to_have_count(0)
    expect(page.get_by_test_id("undo")).to_have_count(0)
    assert page.locator(".bs-handle:visible").count() == 0

    before = otto.elements()
    otto.drag(otto.node("api"), 200, 120)
    otto.node("api").click()
    page.keyboard.press("Delete")
    page.keyboard.press("s")  # the add-a-service shortcut
    page.get_by_test_id("canvas").dblclick(position={"x": 500, "y": 500})
    otto.node("api").dblclick()
    expect(page.locator(".bs-inline-editor")).to_have_count(0)
    expect(page.get_by_test_id("inspector")).to_contain_text("Read only")
    assert page.get_by_test_id("field-label").get_attribute("readonly") is not None
    assert otto.elements() == before
    assert server.seed("elements", board=seeded["board"])["elements"].keys() == before.keys()
    assert olivia.element("api") == before["api"]
    otto.shot("05-observer-read-only")


def test_undo_removes_only_my_own_work(server, people):
    ivan, casey, _ = on_board(server, people)
    mine = add_from_palette(ivan, "queue", "Ivan's queue")
    theirs = add_from_palette(casey, "worker", "Casey's worker")
    expect(ivan.node(theirs)).to_contain_text("Casey's worker", timeout=SECOND)

    ivan.page.get_by_test_id("canvas").click(position={"x": 40, "y": 40})
    ivan.page.keyboard.press("Control+z")  # undoes the add (typing the label merged into it)
    expect(ivan.node(mine)).to_have_count(0)
    expect(casey.node(mine)).to_have_count(0, timeout=SECOND)
    expect(ivan.node(theirs)).to_contain_text("Casey's worker")
    expect(casey.node(theirs)).to_contain_text("Casey's worker")

    ivan.page.keyboard.press("Control+Shift+z")
    expect(casey.node(mine)).to_contain_text("Ivan's queue", timeout=SECOND)
    ivan.shot("06-undo-redo-own-work")


def test_undo_keeps_what_someone_else_changed_since(server, people):
    ivan, casey, _ = on_board(server, people)
    ivan.node("api").click()
    ivan.page.get_by_test_id("field-tech").fill("Go")
    ivan.page.get_by_test_id("field-tech").press("Enter")
    expect(casey.node("api")).to_contain_text("Go", timeout=SECOND)
    casey.node("api").dblclick()
    casey.page.keyboard.type("Gateway")
    casey.page.keyboard.press("Enter")
    expect(ivan.node("api")).to_contain_text("Gateway", timeout=SECOND)

    ivan.page.get_by_test_id("canvas").click(position={"x": 40, "y": 40})
    ivan.page.keyboard.press("Control+z")
    expect(casey.node("api")).not_to_contain_text("Go", timeout=SECOND)
    expect(casey.node("api")).to_contain_text("Gateway")


def test_nothing_typed_is_lost_when_the_server_restarts(own_server, people):
    server = own_server
    ivan, casey, seeded = on_board(server, people)
    first = add_from_palette(casey, "database", "Typed before the crash")
    expect(ivan.node(first)).to_contain_text("Typed before the crash", timeout=SECOND)

    server.stop(kill=True)
    for person in (ivan, casey):
        person.allow_errors(r"WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource")
    expect(casey.page.get_by_test_id("connection")).not_to_have_attribute("data-status", "live", timeout=5 * SECOND)
    # Keep working while the server is down: queued, shown as unsynced.
    second = add_from_palette(casey, "cache", "Typed while offline")
    casey.node(first).click()
    casey.page.keyboard.press("Enter")
    casey.page.keyboard.press("Control+a")
    casey.page.keyboard.type("Renamed while offline")
    casey.page.keyboard.press("Enter")
    indicator = casey.page.get_by_test_id("connection")
    expect(indicator).not_to_have_attribute("data-unsynced", "0")
    expect(indicator).to_contain_text("unsynced")
    casey.shot("07-offline-with-unsynced-changes")

    server.start()
    casey.wait_live(timeout=30 * SECOND)
    expect(indicator).to_have_attribute("data-unsynced", "0", timeout=10 * SECOND)
    expect(ivan.node(second)).to_contain_text("Typed while offline", timeout=30 * SECOND)
    expect(ivan.node(first)).to_contain_text("Renamed while offline")
    stored = server.seed("elements", board=seeded["board"])["elements"]
    assert stored[first]["label"] == "Renamed while offline"
    assert stored[second]["label"] == "Typed while offline"
    casey.shot("08-back-online-everything-synced")


def test_a_label_with_markup_is_shown_as_text(server, people):
    ivan, casey, _ = on_board(server, people)
    payload = '<img src=x onerror="window.__pwned=1">'
    casey.node("api").dblclick()
    casey.page.keyboard.press("Control+a")
    casey.page.keyboard.type(payload)
    casey.page.keyboard.press("Enter")
    for person in (ivan, casey):
        expect(person.node("api").get_by_test_id("node-label")).to_have_text(payload, timeout=SECOND)
        assert person.node("api").locator("img").count() == 0
        assert person.page.evaluate("window.__pwned") is None
    ivan.node("api").click()
    expect(ivan.page.get_by_test_id("field-label")).to_have_value(payload)
    ivan.shot("09-markup-label-is-text")


def test_a_rejected_change_is_rolled_back_with_the_servers_message(server, people):
    ivan, casey, _ = on_board(server, people)
    # Casey edits the API box while Ivan deletes it; the server refuses Casey's late edit.
    casey.page.evaluate("window.__bothsides.board.client.markOffline()")
    casey.node("api").click()
    casey.page.get_by_test_id("field-tech").fill("Rust")
    casey.page.get_by_test_id("field-tech").press("Enter")
    ivan.node("api").click()
    ivan.page.get_by_test_id("delete-selection").click()
    casey.page.evaluate("window.__bothsides.board.client.reconnectNow()")
    toast = casey.page.get_by_test_id("toast").filter(has_text="Change rolled back")
    expect(toast).to_contain_text("No element with id 'api'", timeout=5 * SECOND)
    expect(casey.node("api")).to_have_count(0)
    casey.shot("10-rejected-change-rolled-back")
