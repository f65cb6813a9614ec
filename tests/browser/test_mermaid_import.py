"""Importing a Mermaid flowchart from the board list: a broken chart names its lines; a good one
becomes a board with the right components (after the notes on what was left out)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit
BROKEN = "flowchart LR\n  a[API] --> b[(DB)]\n  this is not mermaid\n  b -->\n"
GOOD = (
    "flowchart LR\n"
    "  web([Web app]) --> api[API]\n"
    "  api --> db[(Orders DB)]\n"
    "  api -.-> jobs[/Jobs/]\n"
    "  style api fill:#f00\n"
)


def test_a_mermaid_flowchart_becomes_a_board(server: LiveServer, people: Any):
    seeded = server.seed("board", guests=False)
    olivia = people(server, "olivia", seeded["sessions"]["owner"])
    olivia.allow_errors("status of 400")  # the broken chart is refused, as it must be
    page = olivia.page
    page.goto(f"{server.base_url}/")
    page.get_by_role("button", name="Import diagram").click()
    dialog = page.get_by_role("dialog", name="Import a diagram")  # Mermaid is its first format

    # A broken chart: every problem, with its line.
    dialog.get_by_label("Mermaid", exact=True).fill(BROKEN)
    dialog.get_by_role("button", name="Import").click()
    expect(dialog.get_by_role("alert")).to_contain_text("The file has 2 problems.", timeout=5 * SECOND)
    problems = dialog.get_by_test_id("import-problems")
    expect(problems.locator("li")).to_have_count(2)
    expect(problems.locator("li[data-line='3']")).to_contain_text("Line 3")
    expect(problems.locator("li[data-line='3']")).to_contain_text("could not understand 'this is not mermaid'")
    expect(problems.locator("li[data-line='4']")).to_contain_text("Line 4")
    olivia.shot("mermaid-01-problems-with-their-lines")

    # A good one: the styling it cannot keep is noted, then the board opens.
    dialog.get_by_label("Title").fill("From Mermaid")
    dialog.get_by_label("Mermaid", exact=True).fill(GOOD)
    dialog.get_by_role("button", name="Import").click()
    notes = page.get_by_test_id("import-report-notes")
    expect(notes).to_contain_text("Line 5", timeout=5 * SECOND)
    expect(notes).to_contain_text("not imported: style api (styling)")
    page.get_by_role("link", name="Open the board").click()
    olivia.wait_live()

    expect(page.get_by_role("banner")).to_contain_text("From Mermaid")
    expected = {
        "web": ("client", "Web app"),
        "api": ("service", "API"),
        "db": ("database", "Orders DB"),
        "jobs": ("queue", "Jobs"),
    }
    for element_id, (kind, label) in expected.items():
        node = page.locator(f"[data-testid=component-node][data-id='{element_id}']")
        expect(node).to_have_attribute("data-type", kind)
        expect(node.get_by_test_id("node-label")).to_have_text(label)
    elements = olivia.elements()
    assert {e["id"] for e in elements.values() if e["kind"] == "component"} == set(expected)
    arrows = {(e["source"], e["target"]): e["style"] for e in elements.values() if e["kind"] == "arrow"}
    assert arrows == {("web", "api"): "sync", ("api", "db"): "sync", ("api", "jobs"): "async"}
    olivia.shot("mermaid-02-imported-board")
