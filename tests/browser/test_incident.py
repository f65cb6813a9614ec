"""An incident in real browsers, on the bank's "Checkout is timing out" (a slow orders database).

Ivan (interviewer) sees the hidden fault and its blast radius highlighted, opens the incident with
the question's symptom; Casey (candidate) sees the symptom but no fault, inspects the users' metrics
(by button) and the Checkout API's logs (by keyboard), each shown next to its component, states a
hypothesis naming the database; Ivan closes the incident and Casey sees the root cause.
Screenshots of both sides at 1280x800 and 1920x1080 go to test-artifacts/browser/.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000
SIZES = {"1280x800": (1280, 800), "1920x1080": (1920, 1080)}


def shots(person: Any, name: str) -> None:
    for label, (width, height) in SIZES.items():
        person.page.set_viewport_size({"width": width, "height": height})
        person.page.get_by_test_id("fit-view").click()
        person.page.wait_for_timeout(400)
        person.shot(f"incident-{name}-{label}")


def test_a_short_incident_from_open_to_close(server: LiveServer, people: Any):
    seeded = server.seed("incident_board", question="slow_database")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])

    # The interviewer sees the hidden fault and its true blast radius, on the panel and the canvas.
    panel = ivan.page.get_by_test_id("incident-panel")
    expect(panel).to_have_attribute("data-status", "none", timeout=5 * SECOND)
    expect(panel.get_by_test_id("incident-fault")).to_contain_text("Hidden fault: Orders DB, slow")
    expect(panel.get_by_test_id("incident-blast-radius")).to_contain_text("Checkout API")
    expect(ivan.page.get_by_test_id("incident-highlights")).to_have_count(1)
    # Nobody else does.
    casey_panel = casey.page.get_by_test_id("incident-panel")
    expect(casey_panel).to_be_visible()
    expect(casey_panel.get_by_test_id("incident-fault")).to_have_count(0)
    expect(casey.page.get_by_test_id("incident-highlights")).to_have_count(0)

    panel.get_by_test_id("incident-open").click()
    expect(panel).to_have_attribute("data-status", "open", timeout=5 * SECOND)
    expect(casey_panel).to_have_attribute("data-status", "open", timeout=5 * SECOND)
    expect(casey_panel.get_by_test_id("incident-symptom")).to_contain_text("Checkout takes more than 10 seconds")

    # Casey looks where users are: the users' metrics, by button; shown next to the component.
    casey_panel.get_by_test_id("incident-target").select_option("users")
    casey_panel.get_by_test_id("inspect-metrics").click()
    observation = casey.page.get_by_test_id("incident-observation")
    expect(observation).to_have_attribute("data-target", "users", timeout=5 * SECOND)
    expect(observation.get_by_test_id("incident-metrics")).to_be_visible()
    # Then the Checkout API's logs, by keyboard: choose it, leave the list, press L.
    target = casey_panel.get_by_test_id("incident-target")
    target.focus()
    target.select_option("checkout")
    casey_panel.get_by_test_id("inspect-metrics").focus()
    casey.page.keyboard.press("l")
    expect(observation).to_have_attribute("data-signal", "logs", timeout=5 * SECOND)
    expect(observation.get_by_test_id("incident-logs")).to_contain_text("Orders DB timed out")
    expect(casey_panel.get_by_test_id("incident-timeline").locator("li")).to_have_count(2)
    expect(panel.get_by_test_id("incident-timeline").locator("li")).to_have_count(2, timeout=5 * SECOND)
    shots(casey, "candidate")
    # The interviewer, meanwhile: fault and blast radius highlighted, the candidate's steps in the timeline.
    panel.locator(".bs-incident__entry").first.click()
    expect(ivan.page.get_by_test_id("incident-observation")).to_have_attribute("data-target", "checkout")
    shots(ivan, "interviewer")

    # A hypothesis naming the database, then the interviewer closes and the cause is revealed.
    casey_panel.get_by_test_id("incident-target").select_option("orders_db")
    casey_panel.locator("summary").click()
    casey_panel.get_by_label("Hypothesis").fill("Checkout waits on slow queries in the Orders DB.")
    casey_panel.get_by_test_id("incident-hypothesis").click()
    expect(panel.get_by_test_id("incident-timeline")).to_contain_text("hypothesis: Orders DB", timeout=5 * SECOND)
    panel.get_by_test_id("incident-close").click()
    expect(casey_panel).to_have_attribute("data-status", "closed", timeout=5 * SECOND)
    expect(casey_panel.get_by_test_id("incident-root-cause")).to_contain_text("Root cause: Orders DB (slow)")
    assert not ivan.unexpected_errors() and not casey.unexpected_errors()
