"""Importing an Excalidraw scene (chosen with the file input) and a draw.io file (dropped on the dialog,
page chosen) from the board list: the boxes, the arrow and the frame are on the canvas afterwards."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer
from tests.reviews.formats.fixtures import d_edge, d_model, d_vertex, mxfile, scene, x_arrow, x_element, x_labelled

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit

EXCALIDRAW = scene(
    x_element("frame", "vpc", x=-40, y=-60, width=760, height=240, name="Production VPC"),
    x_labelled("web", "Browser", 0, 0, kind="ellipse", frameId="vpc"),
    x_labelled("api", "Orders API", 260, 0, frameId="vpc"),
    x_labelled("db", "Orders Postgres", 520, 0, frameId="vpc"),
    x_arrow("a1", "web", "api"),
    x_arrow("a2", "api", "db", strokeStyle="dashed"),
    x_arrow("loose", "db", None),
)

DRAWIO = mxfile(
    ("Staging", d_model(d_vertex("solo", "Staging API"))),
    (
        "Production",
        d_model(
            d_vertex("az", "us-east-1", 0, 0, style="swimlane;container=1;html=1;", w=560, h=220),
            d_vertex("lb", "ALB", 30, 60, parent="az", w=140, h=70),
            d_vertex("cache", "<b>Redis</b> cache", 330, 60, parent="az", w=160, h=70),
            d_edge("e1", "lb", "cache", value="reads"),
        ),
    ),
)


def open_dialog(page: Any, base_url: str) -> Any:
    page.goto(f"{base_url}/")
    page.get_by_role("button", name="Import diagram").click()
    return page.get_by_role("dialog", name="Import a diagram")


def test_an_excalidraw_file_chosen_in_the_dialog_becomes_a_board(server: LiveServer, people: Any):
    seeded = server.seed("board", guests=False)
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    page = olivia.page
    dialog = open_dialog(page, server.base_url)
    dialog.get_by_test_id("import-file").set_input_files(
        files=[{"name": "shop.excalidraw", "mimeType": "application/json", "buffer": EXCALIDRAW.encode()}]
    )
    expect(dialog.get_by_test_id("import-chosen")).to_contain_text("shop.excalidraw")
    expect(dialog.get_by_role("radio", name="Excalidraw")).to_have_attribute("aria-checked", "true")
    dialog.get_by_label("Title").fill("Shop from Excalidraw")
    page.wait_for_timeout(300)  # the dialog's entrance animation
    olivia.shot("diagram-import-01-dialog-1280")
    page.set_viewport_size({"width": 1920, "height": 1080})
    olivia.shot("diagram-import-02-dialog-1920")
    page.set_viewport_size({"width": 1280, "height": 800})
    dialog.get_by_role("button", name="Import").click()

    notes = page.get_by_test_id("import-report-notes")
    expect(notes).to_contain_text("loose", timeout=5 * SECOND)
    expect(notes).to_contain_text("bound at one end")
    page.wait_for_timeout(300)  # the dialog's entrance animation
    olivia.shot("diagram-import-03-report")
    page.get_by_role("link", name="Open the board").click()
    olivia.wait_live()

    expect(page.get_by_role("banner")).to_contain_text("Shop from Excalidraw")
    expected = {"web": ("client", "Browser"), "api": ("service", "Orders API"), "db": ("database", "Orders Postgres")}
    for element_id, (kind, label) in expected.items():
        node = page.locator(f"[data-testid=component-node][data-id='{element_id}']")
        expect(node).to_have_attribute("data-type", kind)
        expect(node.get_by_test_id("node-label")).to_have_text(label)
    frame = page.locator("[data-testid=frame-node][data-id='vpc']")
    expect(frame.get_by_test_id("frame-label")).to_have_text("Production VPC")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    arrows = {(e["source"], e["target"]): e["style"] for e in olivia.elements().values() if e["kind"] == "arrow"}
    assert arrows == {("web", "api"): "sync", ("api", "db"): "async"}

    # The frame is behind the boxes: a click inside it, on a box, selects the box.
    olivia.node("api").click()
    expect(olivia.node("api")).to_have_class(re.compile(r"\bselected\b"))
    olivia.shot("diagram-import-04-board-1280")

    # The frame is selected by its title, renamed by double-clicking it, and stays behind the boxes.
    title = frame.locator(".bs-frame__title")
    title.click()
    expect(page.get_by_test_id("inspector")).to_contain_text("Frame")
    title.dblclick()
    editor = frame.locator("input")
    editor.fill("Prod VPC")
    editor.press("Enter")
    expect(frame.get_by_test_id("frame-label")).to_have_text("Prod VPC")
    page.wait_for_function("() => window.__bothsides.board.elements.get('vpc').label === 'Prod VPC'")
    olivia.node("db").click()
    expect(olivia.node("db")).to_have_class(re.compile(r"\bselected\b"))
    title.click()
    olivia.shot("diagram-import-04b-frame-selected")
    page.set_viewport_size({"width": 1920, "height": 1080})
    olivia.shot("diagram-import-05-board-1920")
    assert olivia.unexpected_errors() == []


def test_a_drawio_file_dropped_on_the_dialog_imports_the_chosen_page(server: LiveServer, people: Any):
    seeded = server.seed("board", guests=False)
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    page = olivia.page
    dialog = open_dialog(page, server.base_url)
    encoded = base64.b64encode(DRAWIO.encode()).decode()
    transfer = page.evaluate_handle(
        """encoded => {
            const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "platform.drawio", { type: "application/xml" }));
            return transfer;
        }""",
        encoded,
    )
    drop = dialog.get_by_test_id("import-drop")
    drop.dispatch_event("dragover", {"dataTransfer": transfer})
    drop.dispatch_event("drop", {"dataTransfer": transfer})
    expect(dialog.get_by_test_id("import-chosen")).to_contain_text("platform.drawio")
    expect(dialog.get_by_role("radio", name="draw.io")).to_have_attribute("aria-checked", "true")
    pages = dialog.get_by_label("Page")
    expect(pages.locator("option")).to_have_text(["Staging (1 of 2)", "Production (2 of 2)"])
    pages.select_option(label="Production (2 of 2)")
    olivia.shot("diagram-import-06-drawio-pages")
    dialog.get_by_role("button", name="Import").click()

    page.wait_for_url("**/boards/*/", timeout=10 * SECOND)
    olivia.wait_live()
    expect(page.get_by_role("banner")).to_contain_text("Production")
    lb = page.locator("[data-testid=component-node][data-id='lb']")
    expect(lb).to_have_attribute("data-type", "load_balancer")
    cache = page.locator("[data-testid=component-node][data-id='cache']")
    expect(cache).to_have_attribute("data-type", "cache")
    expect(cache.get_by_test_id("node-label")).to_have_text("Redis cache")
    expect(page.locator("[data-testid=frame-node][data-id='az']").get_by_test_id("frame-label")).to_have_text(
        "us-east-1"
    )
    expect(page.get_by_test_id("edge-label")).to_have_text("reads")
    assert "solo" not in olivia.elements()  # the other page stayed out
    olivia.shot("diagram-import-07-drawio-board-1280")
    page.set_viewport_size({"width": 1920, "height": 1080})
    olivia.shot("diagram-import-08-drawio-board-1920")
    assert olivia.unexpected_errors() == []
