"""The failure drill in real browsers, on the notification system's reference design.

Ivan (interviewer) fails the email/SMS/push providers and sees what goes down with them, raises
that as a challenge in one click (Casey, the candidate, gets it), ranks the single points of
failure, and watches the drill recompute when Casey gives the providers three replicas.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit
PROVIDERS = "Email / SMS / push providers"
# Failing the providers, by the server's analysis of the template's design.
IMPACT = {
    "providers": "failed",
    "email": "lost",
    "push": "lost",
    "sms": "lost",
    "api": "degraded",
    "client": "degraded",
    "queue": "degraded",
    "log": "unreachable",
}
SPOF_RANKS = {"prefs": "1", "providers": "2", "log": "3", "push": "4", "queue": "5"}


def component(person: Any, element_id: str) -> Any:
    return person.page.locator(f"[data-testid=component-node][data-id='{element_id}']")


def test_a_failure_drill_on_the_notification_system(server: LiveServer, people: Any):
    seeded = server.seed("template_board", template="notification_system")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])

    # Boards open at a readable 75 %, so at 1280 this board's outer boxes start partly out of
    # view; see all of it before clicking the providers at its right edge.
    ivan.page.get_by_test_id("fit-view").click()

    # Drill mode: a click on a component fails it.
    toggle = ivan.page.get_by_role("button", name="Failure drill")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    panel = ivan.page.get_by_role("complementary", name="Failure drill")
    expect(panel).to_contain_text("Click a component to fail it")
    ivan.node("providers").click()

    summary = ivan.page.get_by_test_id("drill-summary")
    expect(summary).to_have_attribute("data-failed", "providers", timeout=5 * SECOND)
    expect(summary).to_have_attribute("data-spof", "true")
    expect(summary.get_by_role("heading")).to_have_text(f"If {PROVIDERS} goes downSingle point of failure")
    text = summary.locator(".bs-drill__text")
    expect(text).to_contain_text(
        "It also takes down, by synchronous dependency: Email worker, Push worker and SMS worker."
    )
    expect(text).to_contain_text(f"There is one instance of {PROVIDERS}, so it is a single point of failure.")
    expect(summary.get_by_test_id("drill-lost")).to_have_text(
        "Loses function: Email worker, Push worker and SMS worker"
    )
    expect(summary.get_by_test_id("drill-degraded")).to_have_text(
        "Degraded: Notification API, Product services and Send queue"
    )
    expect(summary.get_by_test_id("drill-unreachable")).to_have_text("No longer reached: Delivery log")
    expect(ivan.page.locator("[data-drill-mode]")).to_have_attribute("data-drill-mode", "failed")
    for element_id, mark in IMPACT.items():
        expect(component(ivan, element_id)).to_have_attribute("data-drill", mark)
    expect(ivan.page.locator("[data-testid=component-node][data-drill]")).to_have_count(len(IMPACT))
    expect(component(casey, "providers")).not_to_have_attribute("data-drill", "failed")  # a drill is one's own
    ivan.shot("drill-01-providers-fail")

    # One click makes it a challenge, with the impact in it; Casey gets it.
    summary.get_by_role("button", name="Raise as challenge").click()
    badge = casey.page.get_by_test_id("annotation-badge-providers")
    expect(badge).to_have_attribute("data-tone", "open", timeout=5 * SECOND)
    expect(casey.page.get_by_test_id("unanswered-count")).to_have_text("1")
    badge.click()
    thread = casey.page.get_by_role("dialog", name="Thread")
    expect(thread.get_by_test_id("annotation-text")).to_contain_text(
        f"If {PROVIDERS} goes down, Product services can no longer reach Delivery log"
    )
    expect(thread.get_by_test_id("annotation-text")).to_contain_text(
        f"How does the design cope when {PROVIDERS} goes down?"
    )
    casey.shot("drill-02-candidate-gets-the-challenge")
    thread.get_by_role("button", name="Close thread").click()

    # The single points of failure, ranked by impact.
    spofs = ivan.page.get_by_role("button", name="Show SPOFs")
    spofs.click()
    expect(spofs).to_have_attribute("aria-pressed", "true")
    for element_id, rank in SPOF_RANKS.items():
        expect(component(ivan, element_id)).to_have_attribute("data-spof", rank)
    expect(ivan.page.get_by_test_id("spof-badge")).to_have_count(len(SPOF_RANKS))
    expect(component(ivan, "providers")).to_have_attribute("data-drill", "failed")  # the drill stays on
    ivan.shot("drill-03-spofs-ranked")

    # Casey gives the providers three replicas; Ivan's drill recomputes.
    casey.node("providers").click()
    casey.page.get_by_test_id("details-tab").click()
    replicas = casey.page.get_by_test_id("field-replicas")
    replicas.fill("3")
    replicas.press("Enter")
    expect(summary).to_have_attribute("data-spof", "false", timeout=5 * SECOND)
    expect(summary.get_by_role("heading")).to_have_text(f"If {PROVIDERS} goes down")
    expect(text).to_contain_text(f"If {PROVIDERS} goes down (all 3 replicas at once)")
    expect(text).to_contain_text(f"With 3 replicas of {PROVIDERS}, losing one instance takes nothing down.")
    expect(ivan.page.get_by_test_id("spof-badge")).to_have_count(len(SPOF_RANKS) - 1)
    for element_id, rank in {"prefs": "1", "log": "2", "push": "3", "queue": "4"}.items():
        expect(component(ivan, element_id)).to_have_attribute("data-spof", rank)
    for element_id, mark in IMPACT.items():  # all replicas at once still take the same things down
        expect(component(ivan, element_id)).to_have_attribute("data-drill", mark)
    ivan.shot("drill-04-recomputed-with-three-replicas")

    # Recover it, then leave the drill: the canvas is plain again.
    summary.get_by_role("button", name="Recover it").click()
    expect(summary).to_have_count(0)
    expect(ivan.page.locator("[data-testid=component-node][data-drill]")).to_have_count(0)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(panel).to_have_count(0)
    expect(ivan.page.locator("[data-testid=component-node][data-spof]")).to_have_count(0)
