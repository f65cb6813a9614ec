"""The pages around the canvas: my boards, templates, rename and delete, invites, joining, export and import."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.live

SECOND = 1000


def test_my_boards_lists_templates_and_creates_a_board_from_one(server, people):
    seeded = server.seed("board", title="Existing board")
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    page = olivia.page
    page.goto("/")
    for template in ("blank", "notification_system", "url_shortener", "rate_limiter", "chat", "news_feed"):
        expect(page.get_by_test_id(f"template-{template}")).to_be_visible()
    expect(page.get_by_test_id("board-row").filter(has_text="Existing board")).to_contain_text("Owner")
    olivia.shot("20-my-boards")

    page.get_by_test_id("template-url_shortener").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog.locator("#bs-new-prompt")).to_have_value(re.compile("bit.ly"))
    dialog.locator("#bs-new-title").fill("Shortener with Casey")
    page.get_by_test_id("create-submit").click()
    olivia.wait_live()
    expect(page.get_by_test_id("board-title")).to_have_text("Shortener with Casey")
    expect(page.get_by_test_id("prompt-text")).to_contain_text("bit.ly")
    # A question's board starts empty: the design is the candidate's to draw.
    expect(page.get_by_test_id("component-node")).to_have_count(0)
    olivia.shot("21-board-from-template")


def test_a_review_board_can_be_created_renamed_and_deleted(server, people):
    seeded = server.seed("board")
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    page = olivia.page
    page.goto("/")
    page.get_by_test_id("new-review").click()
    page.locator("#bs-new-title").fill("Payments design review")
    page.get_by_test_id("create-submit").click()
    olivia.wait_live()
    expect(page.locator(".bs-topbar .bs-mode")).to_have_text("Review")
    page.goto("/")
    row = page.get_by_test_id("board-row").filter(has_text="Payments design review")
    expect(row).to_contain_text("Review")

    row.get_by_test_id("board-actions").click()
    row.get_by_test_id("rename").click()
    page.locator("#bs-rename").fill("Payments review (v2)")
    page.get_by_role("button", name="Rename").click()
    row = page.get_by_test_id("board-row").filter(has_text="Payments review (v2)")
    expect(row).to_have_count(1)

    row.get_by_test_id("board-actions").click()
    row.get_by_test_id("delete").click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("board-row").filter(has_text="Payments review (v2)")).to_have_count(0)


def test_the_owner_creates_copies_and_revokes_invite_links(server, people):
    seeded = server.seed("board", guests=False)
    olivia = people(server, "olivia", seeded["sessions"]["owner"]).open_board(seeded["board"])
    page = olivia.page
    page.get_by_test_id("invite-button").click()
    dialog = page.get_by_test_id("invite-dialog")
    expect(dialog.get_by_test_id("invite-reviewer")).to_have_count(0)  # an interview board
    dialog.get_by_test_id("invite-candidate").click()
    url = dialog.get_by_test_id("invite-url").input_value()
    assert re.fullmatch(rf"{re.escape(server.base_url)}/join/[A-Za-z0-9_-]+", url)
    rows = dialog.get_by_test_id("invite-row")
    expect(rows).to_have_count(3)  # the two seeded links and the new one
    olivia.shot("22-invite-dialog")

    revoke = rows.first.get_by_test_id("revoke")
    revoke.click()
    expect(revoke).to_have_text("Confirm revoke")
    revoke.click()
    expect(rows.filter(has_text="Revoked")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_an_invitee_types_a_name_and_lands_on_the_board(server, people):
    seeded = server.seed("board", guests=False)
    casey = people(server, "casey")
    casey.join(seeded["tokens"]["candidate"], "Casey")
    expect(casey.page.get_by_test_id("my-role")).to_contain_text("Candidate")


def test_export_json_then_import_it_as_a_new_board(server, people):
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = ivan.page
    ivan.node("api").dblclick()
    page.keyboard.press("Control+a")
    page.keyboard.type("Orders <API> & co")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")

    exports = {}
    for kind in ("json", "svg", "png"):
        page.get_by_test_id("export-menu").click()
        with page.expect_download() as download:
            page.get_by_test_id(f"export-{kind}").click()
        exports[kind] = download.value.path().read_bytes()
    document = json.loads(exports["json"])
    assert document["format"] == "bothsides" and document["version"] == 1
    assert document["board"]["prompt"] == "Design an order service."
    assert {e["id"] for e in document["elements"]} == {"client", "api", "db", "client-api"}
    svg = ElementTree.fromstring(exports["svg"])
    texts = [node.text for node in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Orders <API> & co" in " ".join(t or "" for t in texts)
    assert not [node for node in svg.iter() if node.tag.endswith("API")]
    assert exports["png"].startswith(b"\x89PNG\r\n\x1a\n")

    path = server.dir / "export.json"
    path.write_bytes(exports["json"])
    owner = people(server, "olivia", seeded["sessions"]["owner"])
    owner.page.goto("/")
    owner.page.get_by_test_id("import-file").set_input_files(str(path))
    owner.wait_live()
    expect(owner.page.get_by_test_id("board-title")).to_have_text("Browser test")
    expect(owner.page.get_by_test_id("component-node")).to_have_count(3)
    expect(owner.node("api")).to_contain_text("Orders <API> & co")
    assert f"/boards/{seeded['board']}/" not in owner.page.url


def test_importing_a_broken_file_lists_the_problems(server, people):
    seeded = server.seed("board")
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    olivia.allow_errors(r"Failed to load resource: .* 400")  # the browser logs the refused upload itself
    page = olivia.page
    page.goto("/")
    bad = {"format": "bothsides", "version": 1, "elements": [{"id": "a", "kind": "component", "type": "mainframe"}]}
    path = server.dir / "bad.json"
    path.write_text(json.dumps(bad))
    page.get_by_test_id("import-file").set_input_files(str(path))
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("content.elements[0]")


def test_keyboard_adds_copies_pastes_and_deletes(server, people):
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = ivan.page
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-dialog")).to_be_visible()
    page.wait_for_timeout(300)  # the dialog's fade-in
    ivan.shot("23-shortcuts")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("shortcuts-dialog")).to_have_count(0)

    canvas = page.get_by_test_id("canvas").bounding_box()
    page.mouse.move(canvas["x"] + 200, canvas["y"] + 150)
    page.keyboard.press("q")
    page.keyboard.type("Events")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("component-node").filter(has_text="Events")).to_have_count(1)

    ivan.node("db").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("component-node").filter(has_text="Orders DB")).to_have_count(2)
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("component-node").filter(has_text="Orders DB")).to_have_count(1)

    # Box-select the client and the API, then delete both (their arrow goes with them).
    left = ivan.node("client").bounding_box()
    right = ivan.node("api").bounding_box()
    page.mouse.move(left["x"] - 20, left["y"] - 20)
    page.mouse.down()
    page.mouse.move(right["x"] + right["width"] + 20, right["y"] + right["height"] + 20, steps=8)
    page.mouse.up()
    expect(page.get_by_test_id("inspector")).to_contain_text("selected")
    page.keyboard.press("Delete")
    expect(ivan.node("client")).to_have_count(0)
    expect(ivan.node("api")).to_have_count(0)
    assert "client-api" not in ivan.elements()
