"""An async design review in real browsers, as on a pull request.

Rosa (the author) publishes v1 and asks Ravi, a user with an account who is not yet on the board,
for a review. Ravi's two challenges stay pending: nothing of them reaches Rosa's page, not even a
socket frame, until he requests changes, when both land at once. Rosa answers inline, changes the
design and publishes v2; Ravi compares v1 → v2 on the canvas and approves.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000  # ms, Playwright's unit
ON_API = "PENDING-API: what do checkouts see while the API restarts?"
ON_LEGACY = "PENDING-LEGACY: why is the legacy sync synchronous, and what if it is slow?"


class Frames:
    """Every frame a page's sockets receive, from the first."""

    def __init__(self, page: Any) -> None:
        self.sockets: list[Any] = []
        self.received: list[str] = []
        page.on("websocket", self._opened)

    def _opened(self, socket: Any) -> None:
        self.sockets.append(socket)
        socket.on("framereceived", lambda payload: self.received.append(str(payload)))

    def next_head(self, timeout: float = 8 * SECOND) -> None:
        """Wait for the next public `head`. The server catches the socket up from the database before
        it sends one, so any batch committed before now has arrived by then (it comes every 3 s here)."""

        def public_head(payload: Any) -> bool:
            try:
                message = json.loads(payload)
            except (TypeError, ValueError):
                return False
            return message.get("type") == "head" and message.get("stream") == "public"

        assert self.sockets, "the page opened no socket"
        with self.sockets[-1].expect_event("framereceived", predicate=public_head, timeout=timeout):
            pass

    def holding(self, text: str) -> list[str]:
        return [frame for frame in self.received if text in frame]


def raise_pending(ravi: Any, element_id: str, key: str, text: str) -> None:
    ravi.node(element_id).click()
    ravi.page.keyboard.press(key)
    composer = ravi.page.get_by_role("dialog", name="New annotation")
    expect(composer.get_by_test_id("composer-pending")).to_be_visible()
    composer.get_by_label("Annotation text").fill(text)
    composer.get_by_role("button", name="Send").click()
    expect(composer).to_have_count(0)


def submit_review(ravi: Any, verdict: str, summary: str) -> None:
    ravi.page.get_by_test_id("submit-review").click()
    dialog = ravi.page.get_by_role("dialog", name="Submit review")
    dialog.get_by_role("radio", name=verdict).check()
    dialog.get_by_label("Summary").fill(summary)
    dialog.get_by_test_id("submit-review-confirm").click()
    expect(dialog).to_have_count(0)


def publish(rosa: Any, name: str, number: int) -> None:
    panel = rosa.page.get_by_test_id("review-panel")
    panel.get_by_label("Version name").fill(name)
    panel.get_by_role("button", name="Publish version").click()
    expect(panel.locator(f"[data-testid=version-row][data-version='{number}']")).to_be_visible(timeout=5 * SECOND)


def request_review(rosa: Any, username: str, number: int) -> None:
    panel = rosa.page.get_by_test_id("review-panel")
    reviewers = panel.get_by_label(f"Reviewers for v{number}")
    reviewers.fill(username)
    panel.get_by_role("button", name="Request review").click()
    expect(reviewers).to_have_value("", timeout=5 * SECOND)  # cleared once the server took it


def node_diff(person: Any, element_id: str) -> Any:
    return person.page.locator(f"[data-testid=component-node][data-id='{element_id}']")


def test_a_review_from_request_to_approval_with_pending_challenges_and_a_diff(server: LiveServer, people: Any):
    seeded = server.seed("review_board")
    rosa = people(server, "rosa", seeded["sessions"]["owner"])
    frames = Frames(rosa.page)  # before the page opens its socket
    rosa.open_board(seeded["board"])

    # v1, and a review of it from Ravi by his username.
    expect(rosa.page.get_by_test_id("review-state")).to_have_text("Not in review")
    rosa.page.get_by_role("tab", name="Review").click()
    publish(rosa, "First draft", 1)
    request_review(rosa, seeded["reviewer"], 1)
    expect(rosa.page.get_by_test_id("review-state")).to_have_text("In review")
    expect(rosa.page.get_by_test_id("reviewer")).to_have_attribute("data-verdict", "pending")
    expect(rosa.page.get_by_test_id("reviewer")).to_contain_text("Ravi")

    # Ravi is on the board now, as a reviewer; his two challenges stay pending.
    ravi = people(server, "ravi", seeded["sessions"]["reviewer"]).open_board(seeded["board"])
    expect(ravi.page.get_by_test_id("my-role")).to_contain_text("Reviewer")
    expect(ravi.page.get_by_test_id("review-state")).to_have_text("In review")
    raise_pending(ravi, "api", "f", ON_API)
    raise_pending(ravi, "legacy", "c", ON_LEGACY)
    expect(ravi.page.get_by_test_id("pending-count")).to_have_text("2")  # both drafts stored by the server
    badge = ravi.page.get_by_test_id("annotation-badge-api")
    expect(badge).to_have_attribute("data-pending", "1")
    badge.click()
    thread = ravi.page.get_by_role("dialog", name="Thread")
    expect(thread.get_by_test_id("thread-status")).to_have_text("Pending")
    expect(thread.get_by_test_id("annotation-text")).to_contain_text(ON_API)
    ravi.shot("review-01-reviewer-with-two-pending-challenges")
    thread.get_by_role("button", name="Close thread").click()

    # Nothing of them reaches Rosa: not the canvas, not the client, not a frame.
    frames.next_head()
    for element_id in ("api", "legacy"):
        expect(rosa.page.get_by_test_id(f"annotation-badge-{element_id}")).to_have_count(0)
    assert rosa.page.evaluate("window.__bothsides.board.annotations.size") == 0
    assert frames.received, "the recorder saw no frames"
    for text in (ON_API, ON_LEGACY, "PENDING-"):
        assert not frames.holding(text), f"a pending challenge reached the author's socket: {text}"
    assert "PENDING-" not in rosa.page.content()
    rosa.shot("review-02-author-sees-no-pending-challenge")

    # Ravi requests changes: the two challenges and the verdict land together.
    submit_review(ravi, "Request changes", "The legacy sync call is a risk; make it async or drop it.")
    for element_id in ("api", "legacy"):
        expect(rosa.page.get_by_test_id(f"annotation-badge-{element_id}")).to_have_attribute(
            "data-tone", "open", timeout=5 * SECOND
        )
    expect(rosa.page.get_by_test_id("review-state")).to_have_text("Changes requested")
    expect(ravi.page.get_by_test_id("review-state")).to_have_text("Changes requested")
    expect(rosa.page.get_by_test_id("reviewer")).to_have_attribute("data-verdict", "request_changes")
    together = [frame for frame in frames.holding("PENDING-API") if "PENDING-LEGACY" in frame]
    assert len(together) == 1 and '"verdict"' in together[0], "the challenges and the verdict came in one batch"
    expect(ravi.page.get_by_test_id("pending-count")).to_have_count(0)
    expect(ravi.page.get_by_test_id("annotation-badge-api")).not_to_have_attribute("data-pending", "1")
    expect(rosa.page.get_by_test_id("toast").filter(has_text="Request changes")).to_have_count(1)
    expect(ravi.page.get_by_test_id("toast").filter(has_text="Request changes")).to_have_count(0)  # not news to him
    rosa.shot("review-03-author-gets-changes-requested")

    # Rosa answers inline...
    rosa.page.get_by_test_id("annotation-badge-api").click()
    thread = rosa.page.get_by_role("dialog", name="Thread")
    expect(thread.get_by_test_id("annotation-text")).to_contain_text(ON_API)
    thread.get_by_role("textbox", name="Reply").fill("Two replicas behind the load balancer now; see v2.")
    thread.get_by_role("button", name="Send reply").click()
    expect(thread.get_by_test_id("thread-status")).to_have_text("Answered")
    thread.get_by_role("button", name="Close thread").click()
    expect(ravi.page.get_by_test_id("annotation-badge-api")).to_have_attribute(
        "data-tone", "answered", timeout=5 * SECOND
    )

    # ...changes the design (API on two replicas, an events queue instead of the legacy sync)...
    rosa.node("api").click()
    rosa.page.get_by_test_id("details-tab").click()
    replicas = rosa.page.get_by_test_id("field-replicas")
    replicas.fill("2")
    replicas.press("Enter")
    rosa.node("legacy").click()
    rosa.page.keyboard.press("Delete")
    rosa.page.get_by_test_id("palette-queue").click()
    rosa.page.keyboard.type("Order events")
    rosa.page.keyboard.press("Enter")
    queue = rosa.page.evaluate("[...window.__bothsides.board.ui.getState().selected][0]")
    expect(ravi.node(queue)).to_contain_text("Order events", timeout=5 * SECOND)
    expect(ravi.node("legacy")).to_have_count(0)
    ravi.page.wait_for_function("window.__bothsides.board.elements.get('api').replicas === 2", timeout=5 * SECOND)

    # ...and publishes v2, asking Ravi again. His request for changes holds until he approves.
    rosa.page.get_by_role("tab", name="Review").click()
    publish(rosa, "Second draft", 2)
    request_review(rosa, seeded["reviewer"], 2)
    expect(rosa.page.get_by_test_id("review-state")).to_have_text("Changes requested")

    # Ravi compares v1 → v2: on the canvas and as a list.
    ravi.page.get_by_role("tab", name="Review").click()
    panel = ravi.page.get_by_test_id("review-panel")
    expect(panel.locator("[data-testid=version-row][data-version='2']")).to_be_visible(timeout=5 * SECOND)
    panel.get_by_label("Compare from").select_option("1")
    panel.get_by_label("Compare to").select_option("2")
    panel.get_by_role("button", name="Compare", exact=True).click()
    diff = ravi.page.get_by_test_id("diff-list")
    expect(diff).to_have_attribute("data-from", "1", timeout=5 * SECOND)
    expect(diff).to_have_attribute("data-to", "2")
    expect(node_diff(ravi, queue)).to_have_attribute("data-diff", "added")
    expect(node_diff(ravi, "removed:legacy")).to_have_attribute("data-diff", "removed")  # a ghost of v1's box
    expect(node_diff(ravi, "removed:legacy")).to_contain_text("Legacy sync")
    expect(node_diff(ravi, "api")).to_have_attribute("data-diff", "changed")
    expect(node_diff(ravi, "db")).not_to_have_attribute("data-diff", "changed")
    expect(ravi.page.locator("path[data-diff='removed'][data-arrow='removed:api-legacy']")).to_have_count(1)
    expect(ravi.page.get_by_test_id("compare-banner")).to_contain_text("Comparing v1 → v2 · read-only")
    expect(diff.locator(f"[data-diff=added][data-element='{queue}']")).to_contain_text("Order events")
    expect(diff.locator("[data-diff=removed][data-element=legacy]")).to_contain_text("Legacy sync")
    expect(diff.locator("[data-diff=changed][data-element=api]")).to_contain_text("replicas: 1 → 2")
    ravi.shot("review-04-reviewer-compares-v1-v2")
    ravi.page.get_by_test_id("compare-banner").get_by_role("button", name="Close comparison").click()
    expect(diff).to_have_count(0)
    expect(ravi.page.locator("[data-testid=component-node][data-diff]")).to_have_count(0)

    # He approves v2.
    submit_review(ravi, "Approve", "Looks good now.")
    expect(rosa.page.get_by_test_id("review-state")).to_have_text("Approved", timeout=5 * SECOND)
    expect(ravi.page.get_by_test_id("review-state")).to_have_text("Approved")
    expect(rosa.page.get_by_test_id("reviewer")).to_have_attribute("data-verdict", "approve")
    expect(rosa.page.get_by_test_id("review-state")).to_have_attribute("data-state", "approved")
    rosa.shot("review-05-author-approved")
