"""Screenshots of every main view at 1280x800 and 1920x1080, light and dark, for people to look at.

Not assertions about pixels: the views are driven to their states (each step checked), then
photographed into test-artifacts/screens/<view>[-<person>]-<width>-<theme>.png. Each size is a
fresh browser opened at that size, as a person would open it (resizing a page after it opened
photographed a view nobody sees). Issue 12 asked for these to be looked at before calling the
layout done; the rules they showed broken live as assertions in test_layout.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer
from tests.browser.test_layout import publish_two_versions_and_ask

pytestmark = pytest.mark.live

SECOND = 1000
SIZES = {"1280": {"width": 1280, "height": 800}, "1920": {"width": 1920, "height": 1080}}
THEMES = ["light", "dark"]
SCREENS = ARTIFACTS.parent / "screens"

each_look = pytest.mark.parametrize(("size", "theme"), [(s, t) for s in SIZES for t in THEMES])


def shoot(person: Any, name: str, size: str, theme: str) -> None:
    """Photograph what `person` sees now, once any board on the page has settled its opening view."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    canvas = person.page.get_by_test_id("canvas")
    if canvas.count():
        expect(person.page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    # Finite animations (a banner rising in) are finished first: a half-faded card is no look.
    person.page.screenshot(path=str(SCREENS / f"{name}-{size}-{theme}.png"), animations="disabled")


@each_look
def test_screens_of_an_interview(server: LiveServer, people: Any, size: str, theme: str):
    seeded = server.seed("template_board", template="notification_system")
    look = {"viewport": SIZES[size], "color_scheme": theme}
    on = {
        role: people(server, role, seeded["sessions"][role], **look).open_board(seeded["board"])
        for role in ("interviewer", "candidate", "observer")
    }
    ivan, casey = on["interviewer"], on["candidate"]
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
    for role, person in on.items():
        shoot(person, f"board-{role}", size, theme)

    # A challenge on the API, answered by the candidate: the Annotations tab and the open thread.
    ivan.node("api").click()
    ivan.page.keyboard.press("c")
    composer = ivan.page.get_by_role("dialog", name="New annotation")
    composer.get_by_label("Annotation text").fill("What happens to a burst of 10x traffic at the API?")
    composer.get_by_role("button", name="Send").click()
    expect(casey.page.get_by_test_id("annotation-badge-api")).to_be_visible(timeout=3 * SECOND)
    ivan.page.keyboard.press("Escape")
    ivan.page.get_by_role("tab", name="Annotations").click()
    shoot(ivan, "challenges", size, theme)

    ivan.page.get_by_role("tab", name="Ledger").click()
    shoot(ivan, "ledger", size, theme)
    ivan.page.get_by_role("tab", name="Scorecard").click()
    expect(ivan.page.get_by_test_id("scorecard-panel")).to_be_visible()
    shoot(ivan, "scorecard", size, theme)

    ivan.page.get_by_role("button", name="Pause").click()
    expect(casey.page.get_by_test_id("session-status")).to_contain_text("paused", ignore_case=True, timeout=3 * SECOND)
    shoot(casey, "paused", size, theme)
    ivan.page.get_by_role("button", name="Resume").click()
    ivan.page.get_by_role("button", name="End session").click()
    shoot(ivan, "end-confirm", size, theme)
    ivan.page.get_by_role("button", name="Yes, end the interview").click()
    expect(casey.page.get_by_test_id("closed-banner")).to_be_visible(timeout=2 * SECOND)
    shoot(casey, "ended", size, theme)

    ivan.page.get_by_role("button", name="Replay", exact=True).click()
    expect(ivan.page.get_by_test_id("replay-marker").first).to_be_visible(timeout=5 * SECOND)
    shoot(ivan, "replay", size, theme)
    ivan.page.get_by_test_id("replay-exit").click()

    ivan.fit_view()
    ivan.page.get_by_role("button", name="Failure drill").click()
    ivan.node("providers").click()
    expect(ivan.page.get_by_test_id("drill-summary")).to_be_visible(timeout=5 * SECOND)
    shoot(ivan, "drill", size, theme)

    ivan.page.goto(f"/boards/{seeded['board']}/report/")
    expect(ivan.page.get_by_role("heading").first).to_be_visible()
    shoot(ivan, "report", size, theme)


@each_look
def test_screens_of_a_review_the_inbox_and_the_board_list(server: LiveServer, people: Any, size: str, theme: str):
    seeded = server.seed("review_board")
    look = {"viewport": SIZES[size], "color_scheme": theme}
    rosa = people(server, "rosa", seeded["sessions"]["owner"], **look).open_board(seeded["board"])
    page = rosa.page
    publish_two_versions_and_ask(rosa, seeded["reviewer"])
    shoot(rosa, "review-owner", size, theme)

    ravi = people(server, "ravi", seeded["sessions"]["reviewer"], **look).open_board(seeded["board"])
    ravi.node("api").click()
    ravi.page.keyboard.press("f")
    composer = ravi.page.get_by_role("dialog", name="New annotation")
    composer.get_by_label("Annotation text").fill("What do checkouts see while the API restarts?")
    composer.get_by_role("button", name="Send").click()
    expect(ravi.page.get_by_test_id("annotation-badge-api")).to_have_attribute("data-pending", "1")
    shoot(ravi, "review-pending", size, theme)

    ravi.page.get_by_role("tab", name="Review").click()
    rpanel = ravi.page.get_by_test_id("review-panel")
    rpanel.get_by_label("Compare from").select_option("1")
    rpanel.get_by_label("Compare to").select_option("2")
    rpanel.get_by_role("button", name="Compare", exact=True).click()
    expect(ravi.page.get_by_test_id("diff-list")).to_be_visible(timeout=5 * SECOND)
    shoot(ravi, "review-diff", size, theme)

    ravi.page.goto("/inbox/")
    expect(ravi.page.get_by_role("heading", name="Reviews requested from you")).to_be_visible()
    shoot(ravi, "inbox", size, theme)

    page.goto("/")
    expect(page.get_by_test_id("board-row").first).to_be_visible()
    shoot(rosa, "board-list", size, theme)
    page.goto("/questions/")
    expect(page.get_by_role("heading").first).to_be_visible()
    shoot(rosa, "question-bank", size, theme)

    blank = server.seed("board", elements=[], title="Blank board")
    for role in ("candidate", "observer"):
        person = people(server, role, blank["sessions"][role], **look).open_board(blank["board"])
        expect(person.page.get_by_test_id("empty-state")).to_be_visible()
        shoot(person, f"blank-{role}", size, theme)


@each_look
def test_screens_of_an_incident_and_the_question_panel(server: LiveServer, people: Any, size: str, theme: str):
    seeded = server.seed("incident_board", question="slow_database")
    look = {"viewport": SIZES[size], "color_scheme": theme}
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], **look).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"], **look).open_board(seeded["board"])
    panel = ivan.page.get_by_test_id("incident-panel")
    expect(panel).to_have_attribute("data-status", "none", timeout=5 * SECOND)
    panel.get_by_test_id("incident-open").click()
    casey_panel = casey.page.get_by_test_id("incident-panel")
    expect(casey_panel).to_have_attribute("data-status", "open", timeout=5 * SECOND)
    casey_panel.get_by_test_id("incident-target").select_option("checkout")
    casey_panel.get_by_test_id("inspect-metrics").click()
    expect(casey.page.get_by_test_id("incident-observation")).to_be_visible(timeout=5 * SECOND)
    expect(panel.get_by_test_id("incident-timeline").locator("li")).to_have_count(1, timeout=5 * SECOND)
    shoot(casey, "incident-candidate", size, theme)
    shoot(ivan, "incident-interviewer", size, theme)

    # The Question tab: an interview started from the bank, as its interviewer sees it.
    quinn = people(server, "quinn", server.seed("interviewer")["session"], **look)
    quinn.page.goto("/")
    quinn.page.get_by_test_id("template-notification_system").click()
    quinn.page.get_by_test_id("create-submit").click()
    quinn.wait_live()
    quinn.page.get_by_role("tab", name="Question").click()
    shoot(quinn, "question-panel", size, theme)


@each_look
def test_screens_of_the_account_pages_and_not_found(server: LiveServer, browser: Any, size: str, theme: str):
    context = browser.new_context(viewport=SIZES[size], base_url=server.base_url, color_scheme=theme)
    try:
        page = context.new_page()
        person = type("Visitor", (), {"page": page})()
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        shoot(person, "accounts-login", size, theme)
        page.goto("/accounts/signup/")
        expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
        shoot(person, "accounts-signup", size, theme)
        page.goto("/accounts/password/reset/")
        shoot(person, "accounts-password-reset", size, theme)
        response = page.goto("/no-such-page/")
        assert response is not None and response.status == 404
        shoot(person, "not-found", size, theme)
    finally:
        context.close()


@each_look
def test_screens_of_the_newer_board_views(server: LiveServer, people: Any, size: str, theme: str):
    """Arrange bar, a frame's drill, follow and a flow presented, decisions, a scenario card, practice."""
    from tests.browser.test_decisions import ELEMENTS, select, select_arrow
    from tests.browser.test_frames import TWO_ZONES

    look = {"viewport": SIZES[size], "color_scheme": theme}
    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], **look).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"], **look).open_board(seeded["board"])

    # Three boxes selected: the arrange bar.
    casey.node("client").click()
    for other in ("api", "db"):
        casey.node(other).click(modifiers=["Shift"])
    expect(casey.page.get_by_test_id("arrange-bar")).to_be_visible()
    shoot(casey, "arrange", size, theme)
    casey.page.keyboard.press("Escape")

    # A decision on the queue, then a timeout on an arrow: the Details panel.
    select(casey, "q")
    casey.page.get_by_test_id("decision-add").click()
    form = casey.page.get_by_test_id("decision-form")
    form.get_by_test_id("decision-alternatives").fill("SQS, RabbitMQ")
    form.get_by_test_id("decision-why").fill("Replay and throughput")
    form.get_by_test_id("decision-cost").fill("More to operate")
    form.get_by_test_id("decision-save").click()
    expect(casey.page.get_by_test_id("decision")).to_be_visible()
    shoot(casey, "details-decision", size, theme)
    select_arrow(casey, "api-db", "SQL")
    casey.page.get_by_test_id("field-timeout").fill("800")
    casey.page.get_by_test_id("field-timeout").press("Enter")
    casey.page.get_by_test_id("field-retries").select_option("2")
    expect(casey.page.get_by_test_id("retry-warning")).to_be_visible()
    shoot(casey, "details-arrow", size, theme)
    casey.page.keyboard.press("Escape")

    # A flow, presented by the candidate: the interviewer follows, with the caption.
    casey.page.get_by_test_id("flows-toggle").click()
    casey.page.get_by_test_id("flow-new").click()
    casey.page.get_by_test_id("flow-title").fill("Placing an order")
    for element in ("client", "api", "db"):
        casey.node(element).click()
    texts = ["The shopper presses Buy.", "The API checks the basket and takes the money.", "The order is saved."]
    for field, text in zip(casey.page.get_by_test_id("flow-step-text").all(), texts, strict=True):
        field.fill(text)
    casey.page.get_by_test_id("flow-save").click()
    expect(casey.page.get_by_test_id("flow-item")).to_have_count(1)
    shoot(casey, "flows", size, theme)
    casey.page.get_by_test_id("flow-present").click()
    expect(ivan.page.get_by_test_id("follow-banner")).to_be_visible(timeout=5 * SECOND)
    expect(ivan.page.get_by_test_id("present-text")).to_have_text(texts[0], timeout=5 * SECOND)
    shoot(casey, "present-candidate", size, theme)
    shoot(ivan, "present-follower", size, theme)
    casey.page.keyboard.press("Escape")

    # A scenario card, played by the interviewer once the clock runs.
    ivan.page.get_by_role("button", name="Start session").click()
    ivan.page.get_by_test_id("scenario-open").click()
    ivan.page.get_by_test_id("scenario-title").fill("Analytics")
    ivan.page.get_by_test_id("scenario-text").fill(
        "Marketing wants click counts per order page, per hour, kept a year."
    )
    shoot(ivan, "scenario-deck", size, theme)
    ivan.page.get_by_test_id("scenario-play-typed").click()
    expect(casey.page.get_by_test_id("scenario-banner")).to_be_visible(timeout=5 * SECOND)
    shoot(casey, "scenario-banner", size, theme)

    # A frame failed in the drill.
    zones = server.seed("board", elements=TWO_ZONES, title="Orders in two zones")
    iris = people(server, "iris", zones["sessions"]["interviewer"], **look).open_board(zones["board"])
    iris.page.get_by_role("button", name="Failure drill").click()
    iris.page.get_by_test_id("drill-panel").get_by_test_id("drill-fail-frame").first.click()
    expect(iris.page.get_by_test_id("drill-summary")).to_be_visible(timeout=5 * SECOND)
    shoot(iris, "drill-frame", size, theme)

    # Practice: the board with its coach bar, the feedback, the attempts page.
    pat = people(server, "pat", server.seed("user")["session"], **look)
    pat.page.goto("/")
    pat.page.get_by_test_id("new-practice").click()
    pat.page.get_by_test_id("practice-question").select_option("url_shortener")
    pat.page.get_by_test_id("practice-submit").click()
    pat.wait_live()
    expect(pat.page.get_by_test_id("practice-bar").get_by_test_id("coach-notice")).to_be_visible(timeout=5 * SECOND)
    shoot(pat, "practice", size, theme)
    pat.page.get_by_test_id("finish-practice").click()
    pat.page.get_by_test_id("open-feedback").click()
    expect(pat.page.get_by_test_id("practice-checklist")).to_be_visible(timeout=5 * SECOND)
    shoot(pat, "practice-feedback", size, theme)
    pat.page.goto("/practice/")
    expect(pat.page.get_by_test_id("attempt").first).to_be_visible()
    shoot(pat, "practice-attempts", size, theme)
