"""A short scripted interview in real browsers, from the clock starting to the report.

Ivan (interviewer) runs the session, Casey (candidate) asks, draws and answers, Otto
(observer) watches. Nothing a candidate or observer loads may be a scorecard or a signal.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit


def on_board(server: LiveServer, people: Any) -> tuple[Any, Any, Any]:
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    return ivan, casey, otto


def seq(person: Any) -> int:
    return person.page.evaluate("window.__bothsides.board.client.getSnapshot().seq")


def test_a_short_interview_from_the_first_question_to_the_report(server, people):
    ivan, casey, otto = on_board(server, people)
    judged: list[str] = []
    for person in (casey, otto):
        person.page.on("request", lambda r: ("/scorecards" in r.url or "/signals" in r.url) and judged.append(r.url))

    # Only the interviewer holds the clock.
    expect(casey.page.get_by_test_id("session-clock")).to_have_text("45:00")
    expect(casey.page.get_by_role("button", name="Start session")).to_have_count(0)
    expect(casey.page.get_by_test_id("scorecard-tab")).to_have_count(0)
    ivan.page.get_by_role("button", name="Start session").click()
    expect(casey.page.get_by_test_id("session-phase")).to_have_text("Requirements", timeout=SECOND)
    expect(casey.page.get_by_test_id("session-clock")).to_have_text(re.compile(r"44:5\d"), timeout=3 * SECOND)

    # The candidate asks before drawing; the interviewer answers inline.
    casey.page.get_by_role("tab", name="Ledger").click()
    entry = casey.page.get_by_role("textbox", name="New entry")
    entry.fill("How many orders a day, and how fast must checkout answer?")
    entry.press("Enter")
    ivan.page.get_by_role("tab", name="Ledger").click()
    answer = ivan.page.get_by_role("textbox", name="Answer")
    answer.fill("About 2M a day; p99 under 300 ms.")
    answer.press("Enter")
    expect(casey.page.get_by_test_id("requirement-answer")).to_contain_text("2M a day", timeout=SECOND)
    otto.page.get_by_role("tab", name="Ledger").click()
    expect(otto.page.get_by_test_id("requirement-answer")).to_contain_text("2M a day")
    expect(otto.page.get_by_role("textbox", name="Answer")).to_have_count(0)

    # Phases move; the candidate draws a cache.
    ivan.page.get_by_label("Phase", exact=True).select_option("high_level")
    expect(casey.page.get_by_test_id("session-phase")).to_have_text("High-level design", timeout=SECOND)
    before_first = seq(casey)
    casey.page.get_by_test_id("palette-cache").click()
    casey.page.keyboard.type("Order cache")
    casey.page.keyboard.press("Enter")
    cache = casey.page.evaluate("[...window.__bothsides.board.ui.getState().selected][0]")
    expect(ivan.node(cache)).to_contain_text("Order cache", timeout=SECOND)

    # A challenge with one key, answered inline.
    ivan.node(cache).click()
    ivan.page.keyboard.press("f")
    ivan.page.keyboard.press("Enter")
    badge = casey.page.get_by_test_id(f"annotation-badge-{cache}")
    badge.click()
    thread = casey.page.get_by_role("dialog", name="Thread")
    thread.get_by_role("textbox", name="Reply").fill("Reads fall through to the orders DB; the cache refills on miss.")
    thread.get_by_role("textbox", name="Reply").press("Enter")
    expect(thread.get_by_test_id("thread-status")).to_have_text("Answered")
    casey.page.keyboard.press("Escape")

    # Ending the session turns the candidate's board read-only.
    ivan.page.get_by_role("button", name="End session").click()
    ivan.page.get_by_role("button", name="Yes, end the interview").click()
    expect(casey.page.get_by_test_id("closed-banner")).to_contain_text("The interview has ended", timeout=SECOND)
    expect(casey.page.get_by_test_id("palette-cache")).to_have_count(0)
    casey.node(cache).click()
    casey.page.keyboard.press("Delete")
    expect(casey.node(cache)).to_have_count(1)
    casey.shot("interview-01-candidate-after-the-end")

    # The interviewer scores, citing the cache as evidence, and submits.
    ivan.page.get_by_role("tab", name="Scorecard").click()
    panel = ivan.page.get_by_test_id("scorecard-panel")
    ratings = {
        "Handling ambiguity": "3",
        "Trade-off awareness": "2",
        "Failure-mode thinking": "3",
        "Communication clarity": "4",
    }
    for label, rating in ratings.items():
        panel.get_by_role("radiogroup", name=label).get_by_role("radio", name=rating, exact=True).click()
    ivan.node(cache).click()
    evidence = panel.get_by_role("combobox", name="Add evidence to Failure-mode thinking")
    evidence.select_option(evidence.locator("option", has_text="Order cache").first.get_attribute("value"))
    panel.get_by_role("radiogroup", name="Hire recommendation").get_by_role("radio", name="Yes", exact=True).click()
    expect(panel.get_by_test_id("scorecard-save")).to_have_attribute("data-state", "saved", timeout=5 * SECOND)
    panel.get_by_role("button", name="Submit scorecard").click()
    panel.get_by_role("button", name="Yes, submit").click()
    expect(panel.get_by_test_id("scorecard-submitted")).to_be_visible(timeout=5 * SECOND)

    # Replay: back to just before the first component, then forward one batch.
    ivan.page.get_by_role("button", name="Replay", exact=True).click()
    slider = ivan.page.get_by_role("slider", name="Replay position")
    expect(slider).to_be_enabled()
    slider.fill(str(before_first))
    banner = ivan.page.get_by_test_id("replay-banner")
    expect(banner).to_have_attribute("data-seq", str(before_first), timeout=5 * SECOND)
    expect(ivan.node(cache)).to_have_count(0)
    slider.fill(str(before_first + 1))
    expect(ivan.node(cache)).to_have_count(1, timeout=5 * SECOND)
    ivan.shot("interview-02-replay")
    ivan.page.get_by_role("button", name="Back to live").first.click()
    expect(banner).to_have_count(0)

    # The report, for the interviewer only.
    ivan.page.goto(f"{server.base_url}/boards/{ivan.page.url.rstrip('/').split('/')[-1]}/report/")
    expect(ivan.page.get_by_text("How many orders a day").first).to_be_visible()
    expect(ivan.page.get_by_test_id("report-scorecard")).to_have_count(1)
    ivan.shot("interview-03-report")
    casey.allow_errors("status of 403")  # the report page refuses her, as it must
    casey.page.goto(ivan.page.url)
    expect(casey.page.get_by_text("This report is for the interviewers")).to_be_visible()
    assert not judged, f"the candidate or observer fetched: {judged}"
