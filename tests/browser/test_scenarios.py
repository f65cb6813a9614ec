"""Scenario cards in real browsers.

Quinn (an interviewer account) starts a board from the URL-shortener question and the
session. Casey (candidate) draws a service. Quinn plays the deck's "One link goes viral"
card from the session bar: Casey and Otto (observer) see the banner in the notifications
corner, off the canvas, and can close it. Casey adds a cache. Quinn types a card on the
spot. The replay's timeline has a marker for each card, and the replayed board shows the
card played by that seq. At wrap-up Casey is asked what she would do differently and
answers in the ledger. The report shows the new sections. Screenshots at 1280x800 and
1920x1080, light and dark.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer
from tests.browser.test_questions import start_from_question

pytestmark = pytest.mark.live

SECOND = 1000
SIZES = {"1280x800": {"width": 1280, "height": 800}, "1920x1080": {"width": 1920, "height": 1080}}


def seq(person: Any) -> int:
    return int(person.page.evaluate("window.__bothsides.board.client.getSnapshot().seq"))


def banner_clear_of_canvas(person: Any) -> None:
    """The banner sits over the side panel, never over the diagram."""
    box = person.page.get_by_test_id("scenario-banner").bounding_box()
    stage = person.page.locator(".bs-stage").bounding_box()
    assert box is not None and stage is not None
    assert box["x"] >= stage["x"] + stage["width"] - 1, (box, stage)


def test_the_interviewer_plays_cards_everyone_sees_them_and_the_replay_marks_them(server: LiveServer, people):
    quinn, casey, board = start_from_question(server, people, "url_shortener")
    guest = server.seed("guests", board=board, n=1, role="observer")["sessions"][0]
    otto = people(server, "otto", guest).open_board(board)
    quinn.page.get_by_role("button", name="Start session").click()
    expect(casey.page.get_by_test_id("session-phase")).to_have_text("Requirements", timeout=SECOND)

    # Only the clock keeper has the deck.
    expect(casey.page.get_by_test_id("scenario-open")).to_have_count(0)
    expect(otto.page.get_by_test_id("scenario-open")).to_have_count(0)
    casey.page.get_by_test_id("palette-service").click()
    casey.page.keyboard.type("Redirect API")
    casey.page.keyboard.press("Enter")

    # Quinn plays the deck's card; everyone gets the banner.
    quinn.page.get_by_test_id("scenario-open").click()
    quinn.page.locator('[data-testid="scenario-card"][data-card="viral"]').get_by_test_id("scenario-play").click()
    for person in (casey, otto, quinn):
        banner = person.page.get_by_test_id("scenario-banner")
        expect(banner).to_contain_text("One link goes viral", timeout=2 * SECOND)
        expect(banner).to_contain_text("50,000 redirects a second")
    viral_seq = int(casey.page.get_by_test_id("scenario-banner").get_attribute("data-seq"))
    banner_clear_of_canvas(casey)
    casey.page.wait_for_timeout(400)  # past the banner's entrance
    casey.shot("scenario-01-candidate-banner")

    # Played cards are marked in the deck; the candidate never fetched the deck itself.
    quinn.page.get_by_test_id("scenario-open").click()
    expect(quinn.page.locator('[data-card="viral"]').get_by_test_id("scenario-played")).to_be_visible()
    quinn.page.keyboard.press("Escape")

    # Casey closes it and adapts: a cache.
    casey.page.get_by_test_id("scenario-dismiss").click()
    expect(casey.page.get_by_test_id("scenario-banner")).to_have_count(0)
    expect(otto.page.get_by_test_id("scenario-banner")).to_have_count(1)  # closing is one's own
    casey.page.get_by_test_id("palette-cache").click()
    casey.page.keyboard.type("Hot links cache")
    casey.page.keyboard.press("Enter")

    # A card typed on the spot.
    quinn.page.get_by_test_id("scenario-open").click()
    quinn.page.get_by_test_id("scenario-title").fill("Analytics")
    quinn.page.get_by_test_id("scenario-text").fill("Marketing wants click counts per link, per hour.")
    quinn.page.get_by_test_id("scenario-play-typed").click()
    expect(casey.page.get_by_test_id("scenario-banner")).to_contain_text("click counts per link", timeout=2 * SECOND)
    expect(otto.page.get_by_test_id("scenario-banner")).to_contain_text("Analytics", timeout=2 * SECOND)
    typed_seq = int(casey.page.get_by_test_id("scenario-banner").get_attribute("data-seq"))
    assert viral_seq < typed_seq

    # The replay: a marker per card, and the card played by the replayed seq.
    otto.page.get_by_role("button", name="Replay", exact=True).click()
    markers = otto.page.locator('[data-testid="replay-marker"][data-type="scenario"]')
    expect(markers).to_have_count(2, timeout=5 * SECOND)
    assert [int(m.get_attribute("data-seq")) for m in markers.all()] == [viral_seq, typed_seq]
    slider = otto.page.get_by_role("slider", name="Replay position")
    slider.fill(str(viral_seq - 1))
    expect(otto.page.get_by_test_id("replay-banner")).to_have_attribute(
        "data-seq", str(viral_seq - 1), timeout=5 * SECOND
    )
    expect(otto.page.get_by_test_id("scenario-banner")).to_have_count(0)
    slider.fill(str(viral_seq))
    expect(otto.page.get_by_test_id("scenario-banner")).to_have_attribute("data-card", "viral", timeout=5 * SECOND)
    slider.fill(str(typed_seq))
    expect(otto.page.get_by_test_id("scenario-banner")).to_have_attribute(
        "data-seq", str(typed_seq), timeout=5 * SECOND
    )
    otto.page.get_by_role("button", name="Back to live").first.click()

    # Wrap-up: Casey is asked for hindsight, and answers into the ledger.
    expect(casey.page.get_by_test_id("hindsight-prompt")).to_have_count(0)
    quinn.page.get_by_label("Phase", exact=True).select_option("wrap_up")
    prompt = casey.page.get_by_test_id("hindsight-prompt")
    expect(prompt).to_be_visible(timeout=2 * SECOND)
    expect(otto.page.get_by_test_id("hindsight-prompt")).to_have_count(0)
    expect(quinn.page.get_by_test_id("hindsight-prompt")).to_have_count(0)
    casey.page.wait_for_timeout(400)
    casey.shot("scenario-02-hindsight-prompt")
    casey.page.get_by_test_id("hindsight-text").fill("I would have asked about analytics before choosing the store.")
    casey.page.get_by_test_id("hindsight-add").click()
    expect(prompt).to_have_count(0, timeout=2 * SECOND)
    quinn.page.get_by_role("tab", name="Ledger").click()
    entry = quinn.page.get_by_test_id("requirement-text").filter(has_text="asked about analytics before choosing")
    expect(entry).to_be_visible(timeout=2 * SECOND)

    # The report shows the curve with both cards, the recovery and hindsight sections.
    quinn.page.goto(f"/boards/{board}/report/")
    expect(quinn.page.get_by_test_id("report-curve-card")).to_have_count(2)
    expect(quinn.page.get_by_test_id("report-hindsight")).to_contain_text("asked about analytics")
    expect(quinn.page.get_by_test_id("report-adaptation").first).to_contain_text("change")
    quinn.page.get_by_test_id("report-complexity").scroll_into_view_if_needed()
    quinn.shot("scenario-03-report-curve-two-cards")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_screenshots_of_the_banner_and_the_report(server: LiveServer, people, size: str, scheme: str):
    viewport = SIZES[size]
    quinn = people(server, "quinn", server.seed("interviewer")["session"], viewport=viewport, color_scheme=scheme)
    quinn.page.goto("/")
    quinn.page.get_by_test_id("template-url_shortener").click()
    quinn.page.get_by_test_id("create-submit").click()
    quinn.wait_live()
    board = re.search(r"/boards/([0-9a-f-]+)/", quinn.page.url).group(1)
    session = server.seed("guests", board=board, n=1, role="candidate")["sessions"][0]
    casey = people(server, "casey", session, viewport=viewport, color_scheme=scheme).open_board(board)
    quinn.page.get_by_role("button", name="Start session").click()
    for label, x, y in (("Redirect API", 360, 260), ("Links DB", 700, 260)):
        casey.page.get_by_test_id("palette-service").drag_to(
            casey.page.get_by_test_id("canvas"), target_position={"x": x, "y": y}
        )
        casey.page.keyboard.type(label)
        casey.page.keyboard.press("Enter")
    quinn.page.get_by_test_id("scenario-open").click()
    quinn.page.locator('[data-card="region_down"]').get_by_test_id("scenario-play").click()
    expect(casey.page.get_by_test_id("scenario-banner")).to_contain_text("A region is lost", timeout=2 * SECOND)
    banner_clear_of_canvas(casey)
    casey.page.wait_for_timeout(400)
    casey.shot(f"scenario-banner-{size}-{scheme}")
    quinn.page.keyboard.press("Escape")
    quinn.page.get_by_test_id("scenario-open").click()
    quinn.shot(f"scenario-deck-{size}-{scheme}")
    quinn.page.keyboard.press("Escape")
    quinn.page.goto(f"/boards/{board}/report/")
    quinn.page.get_by_test_id("report-decisions").scroll_into_view_if_needed()
    quinn.shot(f"scenario-report-{size}-{scheme}")
    quinn.page.get_by_test_id("report-complexity").scroll_into_view_if_needed()
    quinn.shot(f"scenario-report-curve-{size}-{scheme}")
