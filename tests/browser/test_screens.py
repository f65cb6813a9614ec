"""Screenshots of every main view at 1280x800 and 1920x1080, light and dark, for people to look at.

Not assertions about pixels: the views are driven to their states (each step checked), then
photographed into test-artifacts/screens/<view>-<width>-<theme>.png. Issue 12 asked for these to
be looked at before calling the layout done; the layout tests (test_layout.py) hold the rules.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000
SIZES = [{"width": 1280, "height": 800}, {"width": 1920, "height": 1080}]
SCREENS = ARTIFACTS.parent / "screens"


def shoot(people: list[Any], name: str, theme: str, ready: Any = None) -> None:
    """Photograph `name` at both sizes; `ready(person)` re-waits for the state after a resize."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        for person in people:
            person.page.set_viewport_size(size)
        for person in people:
            person.page.wait_for_timeout(250)
            if ready:
                ready(person)
            suffix = f"-{person.name}" if len(people) > 1 else ""
            person.page.screenshot(path=str(SCREENS / f"{name}{suffix}-{size['width']}-{theme}.png"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens_of_an_interview(server: LiveServer, people: Any, theme: str):
    seeded = server.seed("template_board", template="notification_system")
    on = {
        role: people(server, role, seeded["sessions"][role], color_scheme=theme).open_board(seeded["board"])
        for role in ("interviewer", "candidate", "observer")
    }
    ivan, casey, otto = on["interviewer"], on["candidate"], on["observer"]
    ivan.page.get_by_role("button", name="Start session").click()
    casey.page.get_by_role("tab", name="Ledger").click()
    entry = casey.page.get_by_role("textbox", name="New entry")
    for text in ("How many notifications a day?", "Which channels must we support at launch?"):
        entry.fill(text)
        entry.press("Enter")
    ivan.node("queue").click()
    ivan.page.keyboard.press("f")
    ivan.page.keyboard.press("Enter")
    expect(casey.page.get_by_test_id("annotation-badge-queue")).to_be_visible(timeout=3 * SECOND)
    ivan.page.keyboard.press("Escape")
    shoot([ivan, casey, otto], "board", theme)

    ivan.page.get_by_role("tab", name="Ledger").click()
    shoot([ivan], "ledger", theme)
    ivan.page.get_by_role("tab", name="Scorecard").click()
    expect(ivan.page.get_by_test_id("scorecard-panel")).to_be_visible()
    shoot([ivan], "scorecard", theme)

    ivan.page.get_by_role("button", name="Pause").click()
    shoot([casey], "paused", theme)
    ivan.page.get_by_role("button", name="Resume").click()
    ivan.page.get_by_role("button", name="End session").click()
    shoot([ivan], "end-confirm", theme)
    ivan.page.get_by_role("button", name="Yes, end the interview").click()
    expect(casey.page.get_by_test_id("closed-banner")).to_be_visible(timeout=2 * SECOND)
    shoot([casey], "ended", theme)

    ivan.page.get_by_role("button", name="Replay", exact=True).click()
    expect(ivan.page.get_by_test_id("replay-marker").first).to_be_visible(timeout=5 * SECOND)
    shoot([ivan], "replay", theme)
    ivan.page.get_by_test_id("replay-exit").click()

    ivan.page.get_by_test_id("fit-view").click()
    ivan.page.get_by_role("button", name="Failure drill").click()
    ivan.node("providers").click()
    expect(ivan.page.get_by_test_id("drill-summary")).to_be_visible(timeout=5 * SECOND)
    shoot([ivan], "drill", theme)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens_of_a_review_the_board_list_and_a_blank_board(server: LiveServer, people: Any, theme: str):
    seeded = server.seed("review_board")
    rosa = people(server, "rosa", seeded["sessions"]["owner"], color_scheme=theme).open_board(seeded["board"])
    page = rosa.page
    page.get_by_role("tab", name="Review").click()
    panel = page.get_by_test_id("review-panel")
    for number, name in ((1, "First draft"), (2, "Second draft")):
        if number == 2:
            rosa.node("legacy").click()
            page.keyboard.press("Delete")
        panel.get_by_label("Version name").fill(name)
        panel.get_by_role("button", name="Publish version").click()
        expect(panel.locator(f"[data-testid=version-row][data-version='{number}']")).to_be_visible(timeout=5 * SECOND)
    panel.get_by_label("Reviewers for v2").fill(seeded["reviewer"])
    panel.get_by_role("button", name="Request review").click()
    expect(panel.get_by_label("Reviewers for v2")).to_have_value("", timeout=5 * SECOND)

    ravi = people(server, "ravi", seeded["sessions"]["reviewer"], color_scheme=theme).open_board(seeded["board"])
    ravi.node("api").click()
    ravi.page.keyboard.press("f")
    composer = ravi.page.get_by_role("dialog", name="New annotation")
    composer.get_by_label("Annotation text").fill("What do checkouts see while the API restarts?")
    composer.get_by_role("button", name="Send").click()
    expect(ravi.page.get_by_test_id("annotation-badge-api")).to_have_attribute("data-pending", "1")
    shoot([ravi], "review-pending", theme)

    ravi.page.get_by_role("tab", name="Review").click()
    rpanel = ravi.page.get_by_test_id("review-panel")
    rpanel.get_by_label("Compare from").select_option("1")
    rpanel.get_by_label("Compare to").select_option("2")
    rpanel.get_by_role("button", name="Compare", exact=True).click()
    expect(ravi.page.get_by_test_id("diff-list")).to_be_visible(timeout=5 * SECOND)
    shoot([ravi], "review-diff", theme)

    page.goto("/")
    expect(page.get_by_test_id("board-row").first).to_be_visible()
    shoot([rosa], "board-list", theme)

    blank = server.seed("board", elements=[], title="Blank board")
    casey = people(server, "casey", blank["sessions"]["candidate"], color_scheme=theme).open_board(blank["board"])
    otto = people(server, "otto", blank["sessions"]["observer"], color_scheme=theme).open_board(blank["board"])
    expect(casey.page.get_by_test_id("empty-state")).to_be_visible()
    shoot([casey, otto], "blank", theme)
