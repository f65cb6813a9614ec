"""Decision records and the unhappy path in real browsers.

Casey (candidate) records why the queue is Kafka and not SQS or RabbitMQ, gives the API's call
to the database an 800 ms timeout, marks the queue's dead letter and how well she knows Kafka;
Ivan (interviewer) sees all of it live, on the canvas and in the Details panel; Otto (observer)
sees it and cannot write any. Then screenshots of the Details panel and the marks, both sizes,
light and dark.
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


def component(element_id: str, kind: str, label: str, x: float, y: float, **extra: Any) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": kind, "label": label, "x": x, "y": y, **extra}


def arrow(element_id: str, source: str, target: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"id": element_id, "kind": "arrow", "source": source, "target": target, "label": label, **extra}


ELEMENTS = [
    component("client", "client", "Web app", 0, 0),
    component("api", "service", "Orders API", 300, 0, tech="Go"),
    component("q", "queue", "Order events", 300, 220, tech="Kafka"),
    component("db", "database", "Orders DB", 620, 0, tech="Postgres"),
    component("mon", "monitoring", "Alerts", 620, 220),
    arrow("client-api", "client", "api", "HTTPS"),
    arrow("api-db", "api", "db", "SQL"),
    arrow("api-q", "api", "q", "OrderPlaced", style="async"),
]


def select(person: Any, element_id: str) -> None:
    person.node(element_id).click()
    person.page.get_by_role("tab", name="Details").click()


def select_arrow(person: Any, arrow_id: str, label: str) -> None:
    person.page.get_by_test_id("edge-label").filter(has_text=label).click()
    person.page.get_by_role("tab", name="Details").click()
    expect(person.page.get_by_test_id("arrow-resilience")).to_be_visible()
    assert person.page.evaluate("[...window.__bothsides.board.ui.getState().selected]") == [arrow_id]


def test_a_decision_and_a_timeout_reach_the_interviewer_live(server: LiveServer, people: Any):
    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    for person in (casey, ivan, otto):
        person.page.get_by_test_id("fit-view").click()

    # Casey records a decision on the queue, with two alternatives and a cost.
    select(casey, "q")
    casey.page.get_by_test_id("decision-add").click()
    form = casey.page.get_by_test_id("decision-form")
    expect(form.get_by_test_id("decision-choice")).to_have_value("Kafka")  # from the technology
    form.get_by_test_id("decision-alternatives").fill("SQS, RabbitMQ")
    form.get_by_test_id("decision-why").fill("Replay and throughput")
    form.get_by_test_id("decision-cost").fill("More to operate")
    form.get_by_test_id("decision-revisit").fill("If we never need replay")
    form.get_by_test_id("decision-save").click()
    card = casey.page.get_by_test_id("decision")
    expect(card).to_contain_text("Kafka rather than SQS, RabbitMQ")
    casey.page.get_by_test_id("field-dead-letter").check()
    casey.page.get_by_test_id("field-familiarity").select_option("read")

    # And a timeout and retries on the API's call to the database.
    select_arrow(casey, "api-db", "SQL")
    timeout = casey.page.get_by_test_id("field-timeout")
    timeout.fill("800")
    timeout.press("Enter")
    casey.page.get_by_test_id("field-retries").select_option("2")
    expect(casey.page.get_by_test_id("retry-warning")).to_be_visible()

    # Ivan sees both live: the marks on the canvas, then the records in the Details panel.
    queue = ivan.node("q")
    expect(queue.get_by_test_id("node-decisions")).to_have_text("1", timeout=5 * SECOND)
    expect(queue.get_by_test_id("node-dead-letter")).to_be_visible()
    expect(queue.get_by_test_id("node-familiarity")).to_have_attribute("data-familiarity", "read")
    label = ivan.page.get_by_test_id("edge-label").filter(has_text="SQL")
    expect(label.get_by_test_id("edge-timeout")).to_have_text("800 ms", timeout=5 * SECOND)
    expect(label.get_by_test_id("edge-retries")).to_have_text("2")
    assert ivan.element("api-db")["timeout_ms"] == 800
    select(ivan, "q")
    record = ivan.page.get_by_test_id("decision")
    expect(record).to_contain_text("Kafka rather than SQS, RabbitMQ")
    expect(record).to_contain_text("More to operate")
    expect(record).to_contain_text("If we never need replay")

    # Otto watches: the record is there, the form is not.
    select(otto, "q")
    expect(otto.page.get_by_test_id("decision")).to_contain_text("Kafka")
    expect(otto.page.get_by_test_id("decision-add")).to_have_count(0)
    expect(otto.page.get_by_test_id("field-dead-letter")).to_be_disabled()

    # Casey edits the decision; Ivan's panel follows.
    casey.page.get_by_test_id("edge-label").filter(has_text="SQL").press("Escape")
    select(casey, "q")
    casey.page.get_by_test_id("decision-edit").click()
    casey.page.get_by_test_id("decision-alternatives").fill("SQS, RabbitMQ, Kinesis")
    casey.page.get_by_test_id("decision-save").click()
    expect(record).to_contain_text("Kinesis", timeout=5 * SECOND)

    select_arrow(casey, "api-db", "SQL")
    shoot(ivan, casey)


def shoot(ivan: Any, casey: Any) -> None:
    """The Details panel with the decision and the canvas marks, both sizes, light and dark."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        for person in (ivan, casey):
            person.page.emulate_media(color_scheme=theme)
            person.page.evaluate("t => document.documentElement.setAttribute('data-theme', t)", theme)
        for size in SIZES:
            for person, name in ((ivan, "decision-panel"), (casey, "arrow-panel")):
                person.page.set_viewport_size(size)
                person.page.wait_for_timeout(300)
                person.page.get_by_test_id("fit-view").click()
                person.page.wait_for_timeout(300)
                person.page.screenshot(path=str(SCREENS / f"{name}-{size['width']}-{theme}.png"))


def test_a_why_not_challenge_is_answered_with_a_decision(server: LiveServer, people: Any):
    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])

    # Ivan asks "why Kafka and not SQS?" as a trade-off challenge on the queue.
    ivan.node("q").click()
    ivan.page.keyboard.press("t")
    ivan.page.get_by_label("Annotation text").fill("Why Kafka and not SQS?")
    ivan.page.keyboard.press("Enter")

    # Casey answers it with a decision record: the record and a reply naming it.
    badge = casey.page.get_by_test_id("annotation-badge-q")
    expect(badge).to_be_visible(timeout=5 * SECOND)
    badge.click()
    thread = casey.page.get_by_role("dialog", name="Thread")
    thread.get_by_test_id("answer-with-decision").click()
    thread.get_by_test_id("decision-alternatives").fill("SQS")
    thread.get_by_test_id("decision-why").fill("We replay events into new consumers")
    thread.get_by_test_id("decision-save").click()
    reply = "Decided: Kafka over SQS: We replay events into new consumers (decision "
    expect(thread.get_by_test_id("reply")).to_contain_text(reply, timeout=5 * SECOND)
    expect(thread.get_by_test_id("thread-status")).to_have_text("Answered")

    # Ivan sees the answer in the thread and the record on the queue.
    expect(ivan.node("q").get_by_test_id("node-decisions")).to_have_text("1", timeout=5 * SECOND)
    ivan.page.get_by_test_id("annotation-badge-q").click()
    expect(ivan.page.get_by_role("dialog", name="Thread").get_by_test_id("reply")).to_contain_text(reply)

    # The replay shows the record from its seq on, and not before.
    seq = ivan.page.evaluate(
        "async id => (await (await fetch(`/api/boards/${id}/decisions/`)).json()).decisions[0].seq", seeded["board"]
    )
    ivan.page.keyboard.press("Escape")
    ivan.page.get_by_role("button", name="Replay", exact=True).click()
    slider = ivan.page.get_by_role("slider", name="Replay position")
    expect(slider).to_be_enabled()
    slider.fill(str(seq - 1))
    expect(ivan.page.get_by_test_id("replay-banner")).to_have_attribute("data-seq", str(seq - 1), timeout=5 * SECOND)
    expect(ivan.node("q").get_by_test_id("node-decisions")).to_have_count(0)
    slider.fill(str(seq))
    expect(ivan.node("q").get_by_test_id("node-decisions")).to_have_text("1", timeout=5 * SECOND)


def test_the_candidate_says_what_she_does_not_know_in_the_ledger(server: LiveServer, people: Any):
    seeded = server.seed("board", elements=ELEMENTS, title="Orders")
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey.page.get_by_role("tab", name="Ledger").click()
    casey.page.get_by_role("radio", name="Don't know").click()
    entry = casey.page.get_by_role("textbox", name="New entry")
    expect(entry).to_have_attribute(
        "placeholder", "I haven't used Kafka at scale; I'd check its throughput per partition"
    )
    entry.fill("I haven't run Kafka at scale; I'd check throughput per partition")
    entry.press("Enter")
    ivan.page.get_by_role("tab", name="Ledger").click()
    written = ivan.page.locator(".bs-entry[data-kind=unknown]")
    expect(written).to_contain_text("I haven't run Kafka at scale", timeout=5 * SECOND)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        ivan.page.emulate_media(color_scheme=theme)
        for size in SIZES:
            ivan.page.set_viewport_size(size)
            ivan.page.wait_for_timeout(300)
            ivan.page.screenshot(path=str(SCREENS / f"ledger-unknown-{size['width']}-{theme}.png"))
