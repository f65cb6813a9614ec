"""Browser fixtures: a live server, Debian's Chromium, and people (browser contexts) on a board.

Outside CI these tests skip when Chromium (or Playwright) is missing; under CI=true they fail.
Screenshots of key states go to test-artifacts/browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live import ROOT, LiveServer, launch_chromium
from tests.services import chromium_path, in_ci

ARTIFACTS = ROOT / "test-artifacts" / "browser"
VIEWPORT = {"width": 1280, "height": 800}


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[dev]')"
        if in_ci():
            pytest.fail(f"{reason}, and CI must run the browser tests", pytrace=False)
        pytest.skip(reason)
    return sync_playwright


# Package scope, not session: Playwright's sync API keeps an event loop running while it is
# open, and the async tests collected after this package need to start their own.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    with _playwright()() as playwright:
        chromium = launch_chromium(playwright, executable)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer()
    live.start()
    yield live
    live.close()


@pytest.fixture
def own_server() -> Iterator[LiveServer]:
    """A server this test alone may stop and restart."""
    live = LiveServer()
    live.start()
    yield live
    live.close()


class Person:
    """One browser context on the live server, with its page and the console errors it collected."""

    def __init__(self, context: Any, base_url: str, name: str) -> None:
        self.context = context
        self.base_url = base_url
        self.name = name
        self.page = context.new_page()
        self.errors: list[str] = []
        self.allowed: list[re.Pattern[str]] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def allow_errors(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    # Navigation

    def open_board(self, board_id: str) -> Person:
        self.page.goto(f"{self.base_url}/boards/{board_id}/")
        self.wait_live()
        return self

    def join(self, token: str, name: str) -> Person:
        self.page.goto(f"{self.base_url}/join/{token}")
        self.page.fill("#name", name)
        self.page.click("button[type=submit]")
        self.wait_live()
        return self

    def wait_live(self, timeout: float = 10_000) -> None:
        self.page.wait_for_selector("[data-testid=connection][data-status=live]", timeout=timeout)

    # The canvas

    def node(self, element_id: str) -> Any:
        return self.page.locator(f".react-flow__node[data-id='{element_id}']")

    def node_by_label(self, label: str) -> Any:
        return self.page.locator(".react-flow__node", has=self.page.get_by_text(label, exact=True))

    def element(self, element_id: str) -> dict[str, Any] | None:
        """An element as this client sees it (the optimistic view)."""
        return self.page.evaluate("id => window.__bothsides.board.elements.get(id) ?? null", element_id)

    def elements(self) -> dict[str, dict[str, Any]]:
        return self.page.evaluate("Object.fromEntries(window.__bothsides.board.elements)")

    def fit_view(self) -> None:
        """What the fit button does, returning once the view has arrived and can be hit again.

        Waits on states, not a time: the fit's animation, then the canvas dropping `is-moving`
        (nodes and arrows ignore the pointer while the view moves), then a painted frame.
        """
        self.page.evaluate(
            """async () => {
                 await window.__bothsides.board.core.view.fitView();
                 const frame = () => new Promise((done) => requestAnimationFrame(done));
                 while (document.querySelector('.bs-canvas.is-moving')) await frame();
                 await frame();
               }"""
        )

    def centre(self, locator: Any) -> tuple[float, float]:
        box = locator.bounding_box()
        assert box is not None
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag(self, locator: Any, dx: float, dy: float, steps: int = 12) -> None:
        x, y = self.centre(locator)
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + dx, y + dy, steps=steps)
        self.page.mouse.up()

    def connect(self, source_id: str, target_id: str) -> None:
        """Drag from the source box's right handle onto the target box."""
        handle = self.node(source_id).locator(".react-flow__handle-right")
        self.node(source_id).hover()
        hx, hy = self.centre(handle)
        tx, ty = self.centre(self.node(target_id))
        self.page.mouse.move(hx, hy)
        self.page.mouse.down()
        self.page.mouse.move((hx + tx) / 2, (hy + ty) / 2, steps=6)
        self.page.mouse.move(tx, ty, steps=6)
        self.page.mouse.up()

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def people(browser: Any) -> Iterator[Any]:
    """Make people; after the test, none of them may have seen a console error."""
    made: list[Person] = []

    def make(
        server: LiveServer,
        name: str,
        session: str | None = None,
        viewport: dict[str, int] | None = None,
        color_scheme: str = "light",
    ) -> Person:
        context = browser.new_context(
            viewport=viewport or VIEWPORT, base_url=server.base_url, color_scheme=color_scheme
        )
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": server.base_url}])
        person = Person(context, server.base_url, name)
        made.append(person)
        return person

    yield make
    problems = {p.name: p.unexpected_errors() for p in made}
    for person in made:
        person.context.close()
    assert not any(problems.values()), f"console errors: {problems}"
