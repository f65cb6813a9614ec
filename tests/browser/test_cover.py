"""Floating cards over the canvas never cover what they talk about (issue 12's second screenshot pass).

At 1280x800 the failure drill's card hid "Product services", "Notification API" and the POST /notify
arrow while it described their failure, and the incident panel hid the candidate's "/checkout"
arrow. Each card now either fits in beside the board or the board is fitted beside it.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer
from tests.browser.test_layout import box, inside, overlap

pytestmark = pytest.mark.live

SECOND = 1000


def covered_by(page: Any, card: dict[str, float]) -> list[str]:
    """What of the board (boxes, arrow labels) is under `card` once the view has settled."""
    page.wait_for_timeout(400)  # the refit animates for 250 ms
    under = []
    for part in page.locator("[data-testid=component-node], [data-testid=edge-label]").all():
        if part.is_visible() and overlap(box(part), card) > 0:
            under.append(part.inner_text().strip().split("\n")[0])
    return under


def test_the_drill_card_is_compact_and_never_covers_the_board_at_1280(server: LiveServer, people: Any):
    seeded = server.seed("template_board", template="notification_system")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = ivan.page
    expect(page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    # After the interview, as in the screenshots: the ended banner holds the top of the canvas.
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Yes, end the interview").click()
    banner = page.get_by_test_id("closed-banner")
    expect(banner).to_be_visible(timeout=3 * SECOND)
    ivan.fit_view()
    page.get_by_role("button", name="Failure drill").click()
    # The card first lists lints and probes, taller: the board is fitted beside it, below the banner.
    expect(page.get_by_test_id("probe").first).to_be_visible(timeout=5 * SECOND)
    page.wait_for_timeout(400)
    assert covered_by(page, box(banner)) == [], "the board was fitted under the ended banner"
    ivan.node("providers").click()
    expect(page.get_by_test_id("drill-summary")).to_be_visible(timeout=5 * SECOND)
    card = box(page.get_by_test_id("drill-panel"))
    canvas = box(page.get_by_test_id("canvas"))
    assert card["height"] <= 0.4 * canvas["height"], (
        f"the drill card is {card['height']:.0f}px of {canvas['height']:.0f}"
    )
    text = page.get_by_test_id("drill-text")
    line = float(text.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box(text)["height"] <= 3 * line + 1, "the summary is a wall of text"
    assert covered_by(page, card) == [], "the drill card hides part of the board"
    assert covered_by(page, box(banner)) == [], "the board was fitted under the ended banner"
    notify = page.locator(".react-flow__edge[data-id=client-api] path").first
    assert overlap(box(notify), card) == 0, "the drill card hides the POST /notify arrow"


def candidate_inspects(server: LiveServer, people: Any, target: str, signal: str) -> tuple[Any, Any]:
    """The interviewer opens the incident; the candidate inspects `target`'s `signal`: their person and panel."""
    seeded = server.seed("incident_board", question="slow_database")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan.page.get_by_test_id("incident-panel").get_by_test_id("incident-open").click()
    panel = casey.page.get_by_test_id("incident-panel")
    expect(panel).to_have_attribute("data-status", "open", timeout=5 * SECOND)
    panel.get_by_test_id("incident-target").select_option(target)
    panel.get_by_test_id(f"inspect-{signal}").click()
    observation = casey.page.get_by_test_id("incident-observation")
    expect(observation).to_have_attribute("data-target", target, timeout=5 * SECOND)
    return casey, panel


def test_the_incident_panel_never_covers_the_board_for_the_candidate_at_1280(server: LiveServer, people: Any):
    casey, panel = candidate_inspects(server, people, "checkout", "metrics")
    casey.page.keyboard.press("Escape")
    assert covered_by(casey.page, box(panel)) == [], "the incident panel hides part of the board"


def test_the_observation_card_sits_where_it_covers_nothing_at_1280(server: LiveServer, people: Any):
    """The Orders DB's deploys card was put left of the database, over "Checkout API" and the tops of
    "Users" and "Load balancer", although the canvas below and above the board was free."""
    casey, panel = candidate_inspects(server, people, "orders_db", "deploys")
    expect(casey.page.get_by_test_id("incident-observation")).to_contain_text("Orders DB · deploys")
    card = box(casey.page.locator(".bs-incident-pop"))
    assert covered_by(casey.page, card) == [], "the observation card hides part of the board"
    assert overlap(box(casey.node("orders_db")), card) == 0, "the observation card hides its own component"
    assert overlap(box(panel), card) == 0, "the observation card hides the incident panel"
    canvas = box(casey.page.get_by_test_id("canvas"))
    assert inside(card, canvas), "the observation card leaves the canvas"


def gap(a: dict[str, float], b: dict[str, float]) -> float:
    """How far apart two boxes are (0 when they touch or overlap)."""
    dx = max(a["x"] - (b["x"] + b["width"]), b["x"] - (a["x"] + a["width"]), 0)
    dy = max(a["y"] - (b["y"] + b["height"]), b["y"] - (a["y"] + a["height"]), 0)
    return max(dx, dy)


def test_a_thread_opens_next_to_its_element_and_over_nothing_else(server: LiveServer, people: Any):
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan.node("api").click()
    ivan.page.keyboard.press("f")
    expect(ivan.page.get_by_test_id("composer")).to_be_visible()
    ivan.page.keyboard.press("Enter")
    casey.page.get_by_test_id("annotation-badge-api").click()
    expect(casey.page.get_by_role("dialog", name="Thread")).to_be_visible()
    thread = box(casey.page.locator(".bs-thread-pop"))
    api = box(casey.node("api"))
    assert overlap(api, thread) == 0, "the thread hides its own element"
    assert gap(api, thread) <= 30, "the thread is not next to its element"
    assert covered_by(casey.page, thread) == [], "the thread hides part of the board"


def zoom(page: Any) -> int:
    """The board's zoom as the toolbar shows it ("62%"), once the view has settled."""
    page.wait_for_timeout(400)  # the refit animates for 250 ms
    return int(page.locator(".bs-toolbar__zoom").inner_text().strip().rstrip("%"))


def test_the_interviewers_incident_panel_leaves_the_board_readable_at_1280(server: LiveServer, people: Any):
    """The interviewer's panel (fault, blast radius, symptom, controls) was so tall that the board
    was fitted beside it at 39 %: 7 px text. Both before and after the incident opens, the board
    stays readable and uncovered, for the interviewer and for the observer."""
    seeded = server.seed("incident_board", question="slow_database")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    looks = {"interviewer": ivan.page, "observer": otto.page}
    for page in looks.values():
        expect(page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    opened = ivan.page.get_by_test_id("incident-panel").get_by_test_id("incident-open")
    expect(opened).to_be_visible()
    for moment in ("opened the board", "opened the incident"):
        if moment == "opened the incident":
            opened.click()
        for role, page in looks.items():
            panel = page.get_by_test_id("incident-panel")
            expect(panel).to_have_attribute(
                "data-status", "open" if "incident" in moment else "none", timeout=5 * SECOND
            )
            assert zoom(page) >= 50, f"the {role} who {moment} sees the board at {zoom(page)} %"
            assert covered_by(page, box(panel)) == [], f"the {role}'s incident panel hides part of the board"
    expect(ivan.page.get_by_test_id("incident-close")).to_be_visible()


def test_the_minimap_steps_aside_while_a_flow_is_presented(server: LiveServer, people: Any):
    """Presenting centres each step, which put "Order events" under the minimap at 1280x800."""
    from tests.browser.test_decisions import ELEMENTS

    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = casey.page
    page.get_by_test_id("flows-toggle").click()
    page.get_by_test_id("flow-new").click()
    page.get_by_test_id("flow-title").fill("Placing an order")
    for element in ("client", "api", "db"):
        casey.node(element).click()
    for field in page.get_by_test_id("flow-step-text").all():
        field.fill("A step of the order.")
    page.get_by_test_id("flow-save").click()
    expect(page.get_by_test_id("flow-item")).to_have_count(1)
    expect(page.locator(".bs-minimap")).to_be_visible()
    page.get_by_test_id("flow-present").click()
    expect(ivan.page.get_by_test_id("present-caption")).to_be_visible(timeout=5 * SECOND)
    for person in (casey, ivan):
        expect(person.page.locator(".bs-minimap")).to_be_hidden()
        assert covered_by(person.page, box(person.page.get_by_test_id("present-caption"))) == []
    page.keyboard.press("Escape")
    expect(page.locator(".bs-minimap")).to_be_visible()


def test_the_board_comes_back_when_the_interviewers_panel_folds_again_at_1280(server: LiveServer, people: Any):
    """Unfolding the hidden fault refits the board beside the taller panel; folding it again used to
    leave the board at that smaller zoom."""
    seeded = server.seed("incident_board", question="slow_database")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = ivan.page
    expect(page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    fault = page.get_by_test_id("incident-fault")
    before = zoom(page)
    fault.click()
    assert zoom(page) < before, "the board stayed under the unfolded panel"
    fault.click()
    assert zoom(page) == before, "the board stayed small after the panel folded again"
    assert covered_by(page, box(page.get_by_test_id("incident-panel"))) == []
