"""Accounts in a real browser: someone signs up through the page and the owner can ask them for a
review; a reviewer who joined by invite link is asked by the name they typed. Screenshots of the
sign-in, sign-up and 404 pages at 1280x800 and 1920x1080 go to test-artifacts/browser/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import LiveServer
from tests.browser.test_review import publish

pytestmark = pytest.mark.live

SECOND = 1000
PASSWORD = "a-long-enough-passphrase-42"
SIZES = {"1280x800": {"width": 1280, "height": 800}, "1920x1080": {"width": 1920, "height": 1080}}


def ask_for_review(rosa: Any, names: str) -> None:
    panel = rosa.page.get_by_test_id("review-panel")
    reviewers = panel.get_by_label("Reviewers for v1")
    reviewers.fill(names)
    panel.get_by_role("button", name="Request review").click()
    expect(reviewers).to_have_value("", timeout=5 * SECOND)  # cleared once the server took it


def test_a_new_user_signs_up_on_the_page_and_the_owner_asks_them_for_a_review(server: LiveServer, people: Any):
    seeded = server.seed("review_board")
    nora = people(server, "nora")
    page = nora.page
    page.goto("/")  # signed out: the sign-in page, which offers sign-up
    expect(page).to_have_url(f"{server.base_url}/accounts/login/?next=/")
    page.get_by_test_id("signup-link").click()
    form = page.get_by_test_id("signup-form")
    form.get_by_label("Email").fill("nora@example.com")
    form.get_by_label("Username").fill("nora")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Password (again)").fill(PASSWORD)
    form.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{server.base_url}/")
    expect(page.locator(".bs-site-user")).to_contain_text("nora")

    rosa = people(server, "rosa", seeded["sessions"]["owner"]).open_board(seeded["board"])
    rosa.page.get_by_role("tab", name="Review").click()
    publish(rosa, "First draft", 1)
    ask_for_review(rosa, "nora")
    reviewer = rosa.page.get_by_test_id("reviewer")
    expect(reviewer).to_contain_text("nora")
    expect(reviewer).to_have_attribute("data-verdict", "pending")

    nora.open_board(seeded["board"])
    expect(page.get_by_test_id("my-role")).to_contain_text("Reviewer")
    expect(page.get_by_test_id("review-state")).to_have_text("In review")


def test_a_reviewer_who_joined_by_link_is_asked_by_their_name_and_invites_expire_alike(server: LiveServer, people: Any):
    seeded = server.seed("review_board", title="Guest review")
    rosa = people(server, "rosa", seeded["sessions"]["owner"]).open_board(seeded["board"])
    page = rosa.page
    page.get_by_test_id("invite-button").click()
    dialog = page.get_by_test_id("invite-dialog")
    dialog.get_by_test_id("invite-reviewer").click()
    url = dialog.get_by_test_id("invite-url").input_value()
    page.wait_for_timeout(1100)  # a second apart: both links must say the same
    dialog.get_by_test_id("invite-reviewer").click()
    expires = dialog.get_by_test_id("invite-expires")
    expect(expires).to_have_count(2)
    expect(expires).to_have_text(["in 1 week", "in 1 week"])
    page.keyboard.press("Escape")

    rita = people(server, "rita")
    rita.join(url.rsplit("/", 1)[1], "Rita Reviewer")
    page.get_by_role("tab", name="Review").click()
    publish(rosa, "First draft", 1)
    ask_for_review(rosa, "Rita Reviewer")
    expect(page.get_by_test_id("reviewer")).to_contain_text("Rita Reviewer")
    expect(rita.page.get_by_test_id("review-state")).to_have_text("In review", timeout=5 * SECOND)


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_sign_in_sign_up_and_not_found(server: LiveServer, browser: Any, size: str):
    context = browser.new_context(viewport=SIZES[size], base_url=server.base_url)
    try:
        page = context.new_page()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"accounts-login-{size}.png"))
        page.goto("/accounts/signup/")
        expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"accounts-signup-{size}.png"))
        form = page.get_by_test_id("signup-form")
        form.get_by_label("Email").fill("someone@example.com")
        form.get_by_label("Username").fill("someone")
        form.get_by_label("Password", exact=True).fill("short")
        form.get_by_label("Password (again)").fill("different")
        form.get_by_role("button", name="Create account").click()
        expect(page.locator(".card .error").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"accounts-signup-errors-{size}.png"), full_page=True)
        page.goto("/accounts/password/reset/")
        page.screenshot(path=str(ARTIFACTS / f"accounts-password-reset-{size}.png"))
        response = page.goto("/no-such-page/")
        assert response is not None and response.status == 404
        page.screenshot(path=str(ARTIFACTS / f"not-found-{size}.png"))
        for shot in ("login", "signup"):
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SIZES[size]["width"], f"{shot}: sideways scroll"
    finally:
        context.close()
