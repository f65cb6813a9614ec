"""Annotation layers in real browsers: a challenge raised with one key, answered inline, resolved.

Ivan (interviewer), Casey (candidate) and Otto (observer) on one board, each in their own
browser context. The private layer must never reach Casey's page.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit
PRIVATE_TEXT = "PRIVATE-CANARY push on cost, they will pick Kafka"


def on_board(server: LiveServer, people: Any) -> tuple[Any, Any, Any]:
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    return ivan, casey, otto


def raise_with_key(person: Any, element_id: str, key: str) -> None:
    person.node(element_id).click()
    person.page.keyboard.press(key)
    expect(person.page.get_by_test_id("composer")).to_be_visible()


def test_a_challenge_goes_from_one_keystroke_to_resolved_across_three_browsers(server, people):
    ivan, casey, otto = on_board(server, people)

    raise_with_key(ivan, "api", "f")
    expect(ivan.page.get_by_label("Annotation text")).to_have_value("What happens when API goes down?")
    ivan.page.keyboard.press("Enter")
    expect(ivan.page.get_by_test_id("composer")).to_have_count(0)

    badge = casey.page.get_by_test_id("annotation-badge-api")
    expect(badge).to_be_visible(timeout=SECOND)
    expect(badge).to_have_attribute("data-tone", "open")
    expect(badge).to_have_attribute("data-new", "true")
    expect(casey.page.get_by_test_id("unanswered-count")).to_have_text("1")
    casey.shot("annotations-01-candidate-sees-the-challenge")

    badge.click()
    thread = casey.page.get_by_role("dialog", name="Thread")
    expect(thread.get_by_test_id("annotation-text")).to_contain_text("What happens when API goes down?")
    answer = thread.get_by_role("textbox", name="Reply")
    expect(answer).to_be_focused()
    answer.type("Requests queue in SQS and the workers retry with backoff.")
    answer.press("Enter")
    expect(thread.get_by_test_id("thread-status")).to_have_text("Answered")
    expect(casey.page.get_by_test_id("unanswered-count")).to_have_text("0")

    ivan_badge = ivan.page.get_by_test_id("annotation-badge-api")
    expect(ivan_badge).to_have_attribute("data-tone", "answered", timeout=SECOND)
    ivan_badge.click()
    ivan_thread = ivan.page.get_by_role("dialog", name="Thread")
    expect(ivan_thread.get_by_test_id("reply")).to_contain_text("the workers retry with backoff")
    ivan_thread.get_by_role("button", name="Resolve").click()
    expect(ivan_thread.get_by_test_id("thread-status")).to_have_text("Resolved")
    expect(badge).to_have_attribute("data-tone", "resolved", timeout=SECOND)
    ivan.shot("annotations-02-interviewer-resolved")

    otto_badge = otto.page.get_by_test_id("annotation-badge-api")
    expect(otto_badge).to_have_attribute("data-tone", "resolved")
    otto_badge.click()
    otto_thread = otto.page.get_by_role("dialog", name="Thread")
    expect(otto_thread.get_by_test_id("reply")).to_contain_text("the workers retry with backoff")
    expect(otto_thread.get_by_role("textbox", name="Reply")).to_have_count(0)
    expect(otto_thread.get_by_role("button", name="Reopen")).to_have_count(0)
    otto.page.keyboard.press("Escape")
    otto.node("db").click()
    otto.page.keyboard.press("f")
    expect(otto.page.get_by_test_id("composer")).to_have_count(0)  # an observer cannot raise anything
    otto.shot("annotations-03-observer-reads-only")


def test_a_private_note_never_reaches_the_candidates_page(server, people):
    ivan, casey, _ = on_board(server, people)
    frames: list[str] = []
    casey.page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    casey.page.reload()  # so the recorder sees the socket from its first frame
    casey.wait_live()

    raise_with_key(ivan, "db", "t")
    ivan.page.get_by_test_id("composer").get_by_text("Private note").click()
    ivan.page.get_by_label("Annotation text").fill(PRIVATE_TEXT)
    ivan.page.keyboard.press("Enter")
    expect(ivan.page.get_by_test_id("annotation-badge-db")).to_have_attribute("data-tone", "private")
    raise_with_key(ivan, "api", "c")  # then a public one, which Casey must get
    ivan.page.keyboard.press("Enter")

    expect(casey.page.get_by_test_id("annotation-badge-api")).to_be_visible(timeout=SECOND)
    expect(casey.page.get_by_test_id("annotation-badge-db")).to_have_count(0)
    casey.page.get_by_test_id("annotations-tab").click()
    expect(casey.page.get_by_label("Private", exact=True)).to_have_count(0)
    assert PRIVATE_TEXT not in casey.page.content()
    assert frames, "the recorder saw no frames"
    assert not any("PRIVATE-CANARY" in frame or '"p-' in frame or '"private' in frame for frame in frames)
    ivan.page.get_by_test_id("annotations-tab").click()
    expect(ivan.page.get_by_label("Private", exact=True)).to_be_checked()
    ivan.shot("annotations-04-interviewer-with-private-layer")
    casey.shot("annotations-05-candidate-without-it")
