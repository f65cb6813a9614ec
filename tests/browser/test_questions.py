"""Interviews from the question bank, in real browsers.

Quinn (an interviewer account) starts a board from the notification-system question:
the canvas is empty for everyone. Casey (candidate) asks three questions; Quinn's
Question tab suggests facts for two and answers each with one click, and the third
is answered by hand. Casey draws; Quinn compares the board with the reference and
finds the comparison in the report. Casey never loads the question's private side.
Then a project walkthrough: Casey credits components and tells the story in the
ledger; Quinn challenges with the walkthrough's shortcuts and reads the signals.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000
LARGE = {"width": 1920, "height": 1080}
NORMAL = {"width": 1280, "height": 800}


def start_from_question(server: LiveServer, people: Any, question: str) -> tuple[Any, Any, str]:
    quinn = people(server, "quinn", server.seed("interviewer")["session"])
    page = quinn.page
    page.goto("/")
    page.get_by_test_id(f"template-{question}").click()
    page.get_by_test_id("create-submit").click()
    quinn.wait_live()
    board = re.search(r"/boards/([0-9a-f-]+)/", page.url).group(1)
    session = server.seed("guests", board=board, n=1, role="candidate")["sessions"][0]
    casey = people(server, "casey", session).open_board(board)
    return quinn, casey, board


def ask(casey: Any, text: str) -> None:
    entry = casey.page.get_by_role("textbox", name="New entry")
    entry.fill(text)
    entry.press("Enter")


def draw(casey: Any, palette: str, label: str, x: int, y: int) -> None:
    page = casey.page
    page.get_by_test_id(f"palette-{palette}").drag_to(page.get_by_test_id("canvas"), target_position={"x": x, "y": y})
    expect(page.locator(".bs-inline-editor")).to_be_focused()
    page.keyboard.type(label)
    page.keyboard.press("Enter")


def test_an_interview_from_a_question_suggested_facts_and_the_comparison_with_the_reference(server, people):
    quinn, casey, board = start_from_question(server, people, "notification_system")
    private: list[str] = []
    casey.page.on("request", lambda r: ("/question/compare" in r.url or "/signals" in r.url) and private.append(r.url))
    casey.page.on(
        "response",
        lambda r: (
            "/question/" in r.url
            and "compare" not in r.url
            and private.extend(
                key for key in ("facts", "reference", "suggestions", "cards", "rubric") if f'"{key}"' in r.text()
            )
        ),
    )
    # The canvas starts empty for everyone, and the prompt is the open one.
    expect(casey.page.get_by_test_id("component-node")).to_have_count(0)
    expect(casey.page.get_by_test_id("prompt-text")).to_contain_text("notify users by email, SMS and push")
    expect(casey.page.get_by_test_id("question-tab")).to_have_count(0)
    assert casey.elements() == {} and quinn.elements() == {}

    # Casey asks three clarifying questions before drawing.
    casey.page.get_by_role("tab", name="Ledger").click()
    ask(casey, "How many users do we have?")
    ask(casey, "What latency do 2FA codes need?")
    ask(casey, "Can I pick any programming language I like?")
    expect(casey.page.get_by_test_id("requirement-entry")).to_have_count(3)

    # Quinn's ledger and Question tab suggest facts for the two it can match.
    quinn.page.get_by_role("tab", name="Ledger").click()
    ledger = quinn.page.get_by_test_id("requirement-entry")
    expect(ledger.filter(has_text="How many users").get_by_test_id("ledger-suggestion").first).to_have_attribute(
        "data-fact", "users", timeout=3 * SECOND
    )
    expect(ledger.filter(has_text="programming language").get_by_test_id("ledger-suggestion")).to_have_count(0)
    quinn.page.get_by_test_id("question-tab").click()
    panel = quinn.page.get_by_test_id("question-panel")
    expect(panel.get_by_test_id("open-question")).to_have_count(3, timeout=3 * SECOND)
    users = panel.get_by_test_id("open-question").filter(has_text="How many users")
    expect(users.get_by_test_id("suggested-fact").first).to_have_attribute("data-fact", "users", timeout=3 * SECOND)
    latency = panel.get_by_test_id("open-question").filter(has_text="2FA")
    expect(latency.get_by_test_id("suggested-fact").first).to_have_attribute("data-fact", "latency")
    unmatched = panel.get_by_test_id("open-question").filter(has_text="programming language")
    expect(unmatched.get_by_test_id("no-suggestion")).to_be_visible()
    expect(quinn.page.get_by_test_id("suggestion-count")).to_have_text("2")
    quinn.shot("40-question-panel-1280")
    quinn.page.set_viewport_size(LARGE)
    quinn.shot("41-question-panel-1920")
    quinn.page.set_viewport_size(NORMAL)

    # One click each: the answers land in the ledger, as if typed.
    users.get_by_test_id("suggested-fact").first.get_by_test_id("use-fact").click()
    expect(panel.get_by_test_id("open-question")).to_have_count(2, timeout=2 * SECOND)
    panel.get_by_test_id("open-question").filter(has_text="2FA").get_by_test_id("use-fact").first.click()
    expect(panel.get_by_test_id("open-question")).to_have_count(1, timeout=2 * SECOND)
    answers = casey.page.get_by_test_id("requirement-answer")
    expect(answers).to_have_count(2, timeout=2 * SECOND)
    entries = casey.page.get_by_test_id("requirement-entry")
    expect(entries.filter(has_text="How many users")).to_contain_text("50 million users")
    expect(entries.filter(has_text="2FA")).to_contain_text("within 10 seconds")
    # The unmatched one is answered by hand, as before.
    quinn.page.get_by_role("tab", name="Ledger").click()
    answer = quinn.page.get_by_role("textbox", name="Answer")
    answer.fill("Whatever the brand team says; not your problem today.")
    answer.press("Enter")
    expect(answers).to_have_count(3, timeout=2 * SECOND)

    # Casey draws.
    draw(casey, "service", "Notify API", 300, 300)
    draw(casey, "queue", "Send queue", 600, 300)
    draw(casey, "cache", "Rate limit cache", 450, 520)
    expect(quinn.page.get_by_test_id("component-node")).to_have_count(3, timeout=2 * SECOND)

    # Quinn compares the board with the reference design.
    quinn.page.get_by_test_id("question-tab").click()
    quinn.page.get_by_test_id("compare-open").click()
    dialog = quinn.page.get_by_test_id("compare-dialog")
    expect(dialog.get_by_test_id("compare-matched")).to_contain_text("Notify API", timeout=3 * SECOND)
    expect(dialog.get_by_test_id("compare-matched")).to_contain_text("Send queue")
    expect(dialog.get_by_test_id("compare-missing")).to_contain_text("Preferences DB")
    expect(dialog.get_by_test_id("compare-missing")).to_contain_text("Delivery log")
    expect(dialog.get_by_test_id("compare-extra")).to_contain_text("Rate limit cache")
    expect(dialog.locator("[data-state=missing]").first).to_be_visible()
    quinn.shot("42-compare-1280")
    quinn.page.set_viewport_size(LARGE)
    quinn.shot("43-compare-1920")
    quinn.page.set_viewport_size(NORMAL)
    quinn.page.keyboard.press("Escape")

    # The report holds the comparison.
    report = quinn.context.new_page()
    report.goto(f"/boards/{board}/report/")
    expect(report.get_by_test_id("report-comparison")).to_contain_text("Preferences DB")
    report.close()

    # Nothing of the question's private side ever reached Casey's browser.
    assert private == []
    expect(casey.page.get_by_test_id("question-tab")).to_have_count(0)


def test_a_project_walkthrough_credit_story_shortcuts_and_signals(server, people):
    quinn, casey, _ = start_from_question(server, people, "project_walkthrough")
    expect(casey.page.get_by_test_id("component-node")).to_have_count(0)
    draw(casey, "service", "Checkout API", 300, 260)
    draw(casey, "external", "Stripe", 620, 260)

    # Casey says who built what, in Details; the node shows a small mark for everyone.
    casey.node_by_label("Checkout API").click()
    casey.page.get_by_test_id("details-tab").click()
    casey.page.get_by_test_id("field-credit").select_option("me")
    casey.node_by_label("Stripe").click()
    casey.page.get_by_test_id("field-credit").select_option("vendor")
    marks = quinn.page.get_by_test_id("node-credit")
    expect(marks).to_have_count(2, timeout=2 * SECOND)
    expect(quinn.node_by_label("Checkout API").get_by_test_id("node-credit")).to_have_attribute("data-credit", "me")
    expect(quinn.node_by_label("Stripe").get_by_test_id("node-credit")).to_have_text("V")

    # The walkthrough's ledger kinds.
    casey.page.get_by_role("tab", name="Ledger").click()
    kinds = casey.page.get_by_role("radiogroup", name="Entry kind")
    for kind, text in (
        ("Constraint", "Two engineers, six weeks before Black Friday"),
        ("Decision", "Stripe over building our own, because PCI would have eaten the six weeks"),
        ("Outcome", "Checkout p99 went from 2 s to 300 ms"),
        ("Hindsight", "I would have load-tested the webhook path first"),
    ):
        kinds.get_by_role("radio", name=kind).click()
        ask(casey, text)
    quinn.page.get_by_role("tab", name="Ledger").click()
    for kind in ("constraint", "decision", "outcome", "hindsight"):
        entry = quinn.page.locator(f"[data-testid=requirement-entry][data-kind={kind}]")
        expect(entry).to_have_count(1, timeout=2 * SECOND)

    # Quinn's challenge shortcuts are the walkthrough's.
    quinn.node_by_label("Checkout API").click()
    quinn.page.keyboard.press("c")
    shortcuts = quinn.page.get_by_test_id("composer-shortcut")
    expect(shortcuts).to_have_text(["Constraints?", "What would you do differently?", "Who did what?"])
    shortcuts.filter(has_text="Who did what?").click()
    expect(quinn.page.get_by_test_id("composer-text")).to_have_value(re.compile("Who built Checkout API"))
    quinn.page.get_by_test_id("composer").get_by_role("button", name="Send").click()
    toast = casey.page.get_by_test_id("toast").filter(has_text="Who built Checkout API")
    expect(toast).to_have_count(1, timeout=2 * SECOND)

    # The signals, in the scorecard panel: the story under trade-offs and communication.
    quinn.page.get_by_test_id("scorecard-tab").click()
    lists = quinn.page.locator(".bs-signals")
    expect(lists).to_have_count(4, timeout=3 * SECOND)
    trade_offs, clarity = lists.nth(1), lists.nth(3)
    trade_offs.locator("summary").click()
    expect(trade_offs.locator("[data-signal='walkthrough.decisions_with_reasons']")).to_contain_text("1")
    expect(trade_offs.locator("[data-signal='walkthrough.hindsight']")).to_contain_text("yes")
    trade_offs.locator("summary").click()
    clarity.locator("summary").click()
    credit = clarity.locator("[data-signal='walkthrough.credit']")
    expect(credit).to_be_visible()
    expect(credit).to_contain_text("me 50% · team 0% · others 50%")
    expect(clarity.locator("[data-signal='walkthrough.constraints']")).to_contain_text("1")
    credit.scroll_into_view_if_needed()
    quinn.shot("44-walkthrough-signals-1280")
