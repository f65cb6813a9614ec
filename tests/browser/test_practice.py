"""A ten-minute practice session at accelerated time, in a real browser: from the board list to the feedback.

The server runs the coach 30 times faster (`BOTHSIDES_COACH_TIME_SCALE`) on a ten-minute rules
file (`BOTHSIDES_COACH_RULES`): requirements 2 min, high-level 3, deep dive 4, wrap-up 1. Pat
(a signed-in account, nothing more) practises alone; the page lets the coach act.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from reviews import coach
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit
TEN_MINUTES = {"requirements": 2, "high_level": 3, "deep_dive": 4, "wrap_up": 1}


@pytest.fixture(scope="module")
def fast_server(tmp_path_factory: Any) -> Iterator[LiveServer]:
    rules = {**coach.load_rules(), "phases": TEN_MINUTES}
    path = tmp_path_factory.mktemp("coach") / "ten_minutes.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    live = LiveServer(BOTHSIDES_COACH_RULES=str(path), BOTHSIDES_COACH_TIME_SCALE="30")
    live.start()
    yield live
    live.close()


def draw(page: Any, kind: str, label: str) -> str:
    page.get_by_test_id(f"palette-{kind}").click()
    page.keyboard.type(label)
    page.keyboard.press("Enter")
    return str(page.evaluate("[...window.__bothsides.board.ui.getState().selected][0]"))


def test_a_ten_minute_practice_session_from_start_to_feedback(fast_server, people):
    session = fast_server.seed("user")["session"]
    pat = people(fast_server, "pat", session)
    page = pat.page
    page.goto(f"{fast_server.base_url}/")
    page.get_by_test_id("new-practice").click()
    page.get_by_test_id("practice-question").select_option("url_shortener")
    page.get_by_test_id("practice-submit").click()
    pat.wait_live()

    # The coach is a participant; it starts the clock on the question's timings.
    bar = page.get_by_test_id("practice-bar")
    expect(bar.get_by_test_id("coach-notice")).to_have_attribute("data-kind", "start", timeout=5 * SECOND)
    expect(bar.get_by_test_id("coach-notice")).to_contain_text("10 minutes")
    # The coach bar is one slim strip under the top bar, not a stack of lines eating the canvas.
    assert bar.bounding_box()["height"] <= 56
    expect(page.get_by_test_id("session-phase")).to_have_text("Requirements")
    expect(page.get_by_test_id("my-role")).to_contain_text("Candidate")
    page.get_by_test_id("people-button").click()
    coach_row = page.get_by_test_id("person").filter(has_text="Coach")
    expect(coach_row).to_contain_text("here")
    page.get_by_test_id("people-button").click()

    # A clarifying question is answered from the fact sheet.
    page.get_by_role("tab", name="Ledger").click()
    entry = page.get_by_role("textbox", name="New entry")
    entry.fill("How many users do we have?")
    entry.press("Enter")
    expect(page.get_by_test_id("requirement-answer")).to_be_visible(timeout=5 * SECOND)
    expect(page.get_by_test_id("requirement-answer")).not_to_contain_text("Not specified")

    # Drawing moves on to the high-level design; a queue without a dead letter is challenged.
    draw(page, "service", "Redirect API")
    queue = draw(page, "queue", "Click events")
    expect(page.get_by_test_id("session-phase")).to_have_text("High-level design", timeout=5 * SECOND)
    expect(page.get_by_test_id(f"annotation-badge-{queue}")).to_be_visible(timeout=15 * SECOND)
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Annotations").click()
    challenge = page.get_by_test_id("annotation-item").filter(has_text="What happens to a message on Click events")
    expect(challenge).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "practice-challenge-1280-light.png"))

    # The coach moves the phases on by itself and plays the question's first card in the deep dive:
    # once, in the scenario banner everyone sees; the coach bar does not repeat it.
    expect(page.get_by_test_id("session-phase")).to_have_text("Deep dive", timeout=20 * SECOND)
    banner = page.get_by_test_id("scenario-banner")
    expect(banner).to_have_attribute("data-card", "viral", timeout=15 * SECOND)
    expect(banner).to_contain_text("One link goes viral")
    expect(page.get_by_text("A single link gets 50,000 redirects", exact=False)).to_have_count(1)
    expect(bar.get_by_test_id("coach-notice")).not_to_contain_text("One link goes viral")
    page.screenshot(path=str(ARTIFACTS / "practice-card-1280-light.png"))
    page.get_by_test_id("finish-practice").click()
    expect(bar.get_by_test_id("coach-notice")).to_have_attribute("data-kind", "end", timeout=5 * SECOND)
    page.get_by_test_id("open-feedback").click()
    checklist = page.get_by_test_id("practice-checklist")
    expect(checklist.locator("li")).to_have_count(5)
    expect(page.get_by_test_id("checklist-ask_first")).to_have_attribute("data-verdict", "partly")
    expect(page.get_by_test_id("checklist-ask_first")).to_contain_text("You asked 1 clarifying question")
    expect(page.get_by_test_id("practice-missing")).to_contain_text("What the reference design has")
    page.screenshot(path=str(ARTIFACTS / "practice-feedback-1280-light.png"), full_page=True)

    # A moment of the feedback opens the board's replay there.
    page.get_by_test_id("checklist-ask_first").get_by_test_id("moment").last.click()
    expect(page.get_by_test_id("replay-banner")).to_be_visible(timeout=10 * SECOND)
    page.go_back()

    # The attempts page lists it; the moments link back into the replay.
    board = page.url.split("/boards/")[1].split("/")[0]
    page.goto(f"{fast_server.base_url}/practice/")
    expect(page.get_by_test_id("attempt")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "practice-attempts-1280-light.png"))

    # The board with the coach's challenge and the feedback, at both sizes, light and dark.
    for width, height in ((1280, 800), (1920, 1080)):
        for scheme in ("light", "dark"):
            look = people(fast_server, f"pat-{width}-{scheme}", session, {"width": width, "height": height}, scheme)
            look.open_board(board)
            look.page.get_by_role("tab", name="Annotations").click()
            expect(look.page.get_by_test_id("annotation-item")).to_have_count(1)
            expect(look.page.get_by_test_id("scenario-banner")).to_have_attribute("data-card", "viral")
            look.page.screenshot(path=str(ARTIFACTS / f"practice-board-{width}-{scheme}.png"))
            look.page.goto(f"{fast_server.base_url}/boards/{board}/feedback/")
            look.page.screenshot(path=str(ARTIFACTS / f"practice-feedback-{width}-{scheme}.png"), full_page=True)

    # A friend Pat invited to watch sees the board, the coach's last word and the card, but no
    # Finish button, no way to the feedback, and the feedback page refuses them.
    guest = fast_server.seed("guests", board=board, n=1, role="observer")["sessions"][0]
    for width, height, scheme in ((1280, 800, "light"), (1920, 1080, "dark")):
        otto = people(fast_server, f"otto-{width}", guest, {"width": width, "height": height}, scheme)
        otto.open_board(board)
        expect(otto.page.get_by_test_id("my-role")).to_contain_text("Observer")
        expect(otto.page.get_by_test_id("coach-notice")).to_have_attribute("data-kind", "end", timeout=5 * SECOND)
        expect(otto.page.get_by_test_id("scenario-banner")).to_have_attribute("data-card", "viral")
        expect(otto.page.get_by_test_id("finish-practice")).to_have_count(0)
        expect(otto.page.get_by_test_id("open-feedback")).to_have_count(0)
        otto.page.screenshot(path=str(ARTIFACTS / f"practice-observer-{width}-{scheme}.png"))
        response = otto.page.request.get(f"{fast_server.base_url}/boards/{board}/feedback/")
        assert "Feedback from the coach" not in response.text()  # a guest is sent to sign in; nobody else reads it
