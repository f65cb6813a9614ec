"""Issue 15's done-when, end to end: judging the thinking, not the boxes.

Casey (candidate) records why payments go to Stripe and not Adyen, gives the API's call to it
an 800 ms timeout; Ivan (interviewer) plays a card; Casey adds a cache and presents a flow that
Ivan's view follows, caption and all; Otto (observer) watches. Then the report, as Ivan, shows
the decision, the timeout's coverage, the card on the complexity curve and the flow; Casey can
open neither the report nor the signals. Screenshots of the board (Casey's and Ivan's) while
presenting, and of the report, at 1280x800 and 1920x1080, light and dark.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer
from tests.browser.test_decisions import arrow, component, select

pytestmark = pytest.mark.live

SECOND = 1000
SIZES = [{"width": 1280, "height": 800}, {"width": 1920, "height": 1080}]
SCREENS = ARTIFACTS.parent / "screens"

ELEMENTS = [
    component("client", "client", "Web app", 0, 0),
    component("api", "service", "Orders API", 320, 0),
    component("db", "database", "Orders DB", 640, 0),
    component("pay", "external", "Payments", 640, 220, tech="Stripe"),
    arrow("client-api", "client", "api", "HTTPS"),
    arrow("api-db", "api", "db", "SQL"),
    arrow("api-pay", "api", "pay", "charge"),
]
STEPS = ["The shopper presses Buy.", "The API takes the order.", "The order is saved for good."]


def themed(people: Any, theme: str, size: dict[str, int]) -> None:
    for person in people:
        person.page.emulate_media(color_scheme=theme)
        person.page.evaluate("t => document.documentElement.setAttribute('data-theme', t)", theme)
        person.page.set_viewport_size(size)
    people[0].page.wait_for_timeout(400)


def test_decision_timeout_card_cache_and_a_presented_flow_reach_the_report(server: LiveServer, people: Any):
    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    board = seeded["board"]
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(board)
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(board)
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(board)
    ivan.page.get_by_role("button", name="Start session").click()
    expect(casey.page.get_by_test_id("session-phase")).to_have_text("Requirements", timeout=2 * SECOND)

    # Casey: a decision with an alternative on the payment provider, a timeout on the call to it.
    select(casey, "pay")
    casey.page.get_by_test_id("decision-add").click()
    form = casey.page.get_by_test_id("decision-form")
    expect(form.get_by_test_id("decision-choice")).to_have_value("Stripe")
    form.get_by_test_id("decision-alternatives").fill("Adyen")
    form.get_by_test_id("decision-why").fill("Fastest to integrate")
    form.get_by_test_id("decision-save").click()
    expect(casey.page.get_by_test_id("decision")).to_contain_text("Stripe rather than Adyen")
    # The label sits on the arrow's bend, under its 18 px click band: a click there selects the arrow.
    casey.page.get_by_test_id("edge-label").filter(has_text="charge").click(force=True)
    casey.page.get_by_role("tab", name="Details").click()
    assert casey.page.evaluate("[...window.__bothsides.board.ui.getState().selected]") == ["api-pay"]
    timeout = casey.page.get_by_test_id("field-timeout")
    timeout.fill("800")
    timeout.press("Enter")
    label = ivan.page.get_by_test_id("edge-label").filter(has_text="charge")
    expect(label.get_by_test_id("edge-timeout")).to_have_text("800 ms", timeout=5 * SECOND)
    expect(ivan.node("pay").get_by_test_id("node-decisions")).to_have_text("1")

    # Ivan plays a card typed on the spot; everyone sees it.
    ivan.page.get_by_test_id("scenario-open").click()
    ivan.page.get_by_test_id("scenario-title").fill("Traffic grows 10x")
    ivan.page.get_by_test_id("scenario-text").fill("Black Friday: ten times the orders for a day.")
    ivan.page.get_by_test_id("scenario-play-typed").click()
    for person in (casey, otto):
        expect(person.page.get_by_test_id("scenario-banner")).to_contain_text("Traffic grows 10x", timeout=2 * SECOND)
    casey.page.get_by_test_id("scenario-dismiss").click()

    # Casey adapts: a cache.
    casey.page.get_by_test_id("canvas").click(position={"x": 20, "y": 20})
    casey.page.get_by_test_id("palette-cache").click()
    casey.page.keyboard.type("Hot orders cache")
    casey.page.keyboard.press("Enter")
    expect(ivan.node_by_label("Hot orders cache")).to_have_count(1, timeout=5 * SECOND)

    # Casey writes a flow and presents it; Ivan's view follows with the caption.
    casey.page.get_by_test_id("fit-view").click()
    casey.page.get_by_test_id("flows-toggle").click()
    casey.page.get_by_test_id("flow-new").click()
    casey.page.get_by_test_id("flow-title").fill("Placing an order")
    for element in ("client", "api", "db"):
        casey.node(element).click()
    for field, text in zip(casey.page.get_by_test_id("flow-step-text").all(), STEPS, strict=True):
        field.fill(text)
    casey.page.get_by_test_id("flow-save").click()
    expect(casey.page.get_by_test_id("flow-item")).to_have_count(1)
    casey.page.get_by_test_id("flow-present").click()
    expect(ivan.page.get_by_test_id("follow-banner")).to_contain_text("Following Casey", timeout=5 * SECOND)
    expect(ivan.page.get_by_test_id("present-text")).to_have_text(STEPS[0])
    casey.page.keyboard.press("ArrowRight")
    expect(ivan.page.get_by_test_id("present-text")).to_have_text(STEPS[1], timeout=3 * SECOND)
    expect(ivan.page.get_by_test_id("flow-focus")).to_have_attribute("data-element", "api")
    expect(otto.page.get_by_test_id("present-text")).to_have_text(STEPS[1], timeout=3 * SECOND)
    for person in (casey, ivan):  # the minimap gives the presented path's corner back to the canvas
        expect(person.page.locator(".bs-minimap")).to_have_count(0)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        for size in SIZES:
            themed([casey, ivan], theme, size)
            for person, who in ((casey, "candidate"), (ivan, "interviewer")):
                person.page.screenshot(path=str(SCREENS / f"thinking-board-{who}-{size['width']}-{theme}.png"))
    casey.page.keyboard.press("Escape")
    expect(ivan.page.get_by_test_id("present-caption")).to_have_count(0, timeout=3 * SECOND)
    expect(ivan.page.locator(".bs-minimap")).to_have_count(1)

    # Casey may open neither the report nor the signals.
    assert casey.page.goto(f"/boards/{board}/report/").status == 403
    for path in (f"/boards/{board}/report.json", f"/api/boards/{board}/signals/"):
        assert casey.page.evaluate("async p => (await fetch(p)).status", path) == 403, path
    casey.allow_errors("403")

    # Ivan's report: the decision, the timeout's coverage, the card on the curve, the flow.
    ivan.page.goto(f"/boards/{board}/report/")
    decision = ivan.page.get_by_test_id("report-decision")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("Payments: Stripe, not Adyen")
    expect(decision).to_contain_text("Fastest to integrate")
    happy = ivan.page.get_by_test_id("report-beyond-happy-path")
    expect(happy.locator("dt", has_text="Calls to external services with a timeout").locator("+ dd")).to_have_text(
        "1 of 1"
    )
    card = ivan.page.get_by_test_id("report-curve-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Traffic grows 10x")
    # the cache added, then named: two changes (each op once, docs/protocol.md)
    expect(ivan.page.get_by_test_id("report-adaptation")).to_contain_text("2 changes in the next ten minutes")
    flows = ivan.page.get_by_test_id("report-flows")
    expect(flows).to_contain_text("Placing an order")
    names = ["Web app", "Orders API", "Orders DB"]
    expect(flows.locator("li")).to_have_text([f"{name}: {step}" for name, step in zip(names, STEPS, strict=True)])
    for theme in ("light", "dark"):
        for size in SIZES:
            themed([ivan], theme, size)
            for section in ("decisions", "complexity", "flows"):
                ivan.page.get_by_test_id(f"report-{section}").scroll_into_view_if_needed()
                ivan.page.screenshot(path=str(SCREENS / f"thinking-report-{section}-{size['width']}-{theme}.png"))
