"""Issue 12's layout and interaction defects, each measured in a real browser.

Every test here failed before its fix: the page scrolled sideways, pause said only "PAUSED",
End session ended on one click, toasts sat over the diagram, boards opened at half zoom,
palette clicks scattered boxes, the top bar clipped, the canvas had no empty state, and
there was no dark mode.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000
WIDE = {"width": 1920, "height": 1080}


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} has no box"
    return found


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The area two boxes share."""
    w = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def zoom(person: Any) -> float:
    transform = person.page.locator(".react-flow__viewport").evaluate("e => getComputedStyle(e).transform")
    return float(re.match(r"matrix\(([-\d.e]+)", transform).group(1))  # type: ignore[union-attr]


def interview(server: LiveServer, people: Any, viewport: dict[str, int] | None = None, **seed: Any) -> Any:
    seeded = server.seed("template_board", **seed) if "template" in seed else server.seed("board", **seed)
    people_on = {
        role: people(server, role, seeded["sessions"][role], viewport=viewport)
        for role in ("interviewer", "candidate", "observer")
    }
    for person in people_on.values():
        person.open_board(seeded["board"])
    return seeded, people_on


# 1. Sideways scroll --------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [None, WIDE], ids=["1280", "1920"])
def test_the_side_panel_tabs_fit_and_never_scroll_the_page(server, people, viewport):
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], viewport=viewport).open_board(seeded["board"])
    page = ivan.page
    # Every tab with its count, as in a real interview: challenges raised, a question waiting.
    page.evaluate(
        """() => {
          const b = window.__bothsides.board;
          b.session.startSession(45);
          b.annotating.annotate({ kind: 'failure_mode', target: 'api', text: 'What if the API dies?' });
          b.annotating.annotate({ kind: 'scaling', target: 'db', text: 'And at 10x?' });
          b.session.addRequirement({ kind: 'question', text: 'How many users?' });
        }"""
    )
    expect(page.get_by_test_id("requirements-count")).to_be_visible()
    page.get_by_role("tab", name="Scorecard").click()
    expect(page.get_by_test_id("scorecard-panel")).to_be_visible()
    scrolled = page.evaluate(
        """() => [document.scrollingElement, ...document.querySelectorAll('#board-root, #board-root *')]
                  .filter(e => e.scrollLeft > 0 && !e.closest('.react-flow, .bs-sidebar__panel'))
                  .map(e => `${e.className || e.tagName}: ${e.scrollLeft}`)"""
    )
    assert scrolled == [], f"scrolled sideways: {scrolled}"
    assert box(page.get_by_role("navigation", name="Components"))["x"] >= 0
    tabs = page.get_by_role("tablist", name="What the side panel shows")
    assert tabs.evaluate("e => e.scrollWidth <= e.clientWidth"), "the tab strip overflows"
    strip = box(tabs)
    for tab in page.get_by_role("tab").all():
        assert inside(box(tab), strip), f"{tab.inner_text()} is clipped"
        assert tab.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{tab.inner_text()} is truncated"
    # An interviewer's four tabs share one row: the fourth alone on a second row looked broken.
    rows = {round(box(tab)["y"]) for tab in page.get_by_role("tab").all()}
    assert len(rows) == 1, f"the tabs take {len(rows)} rows"


@pytest.mark.parametrize("viewport", [None, WIDE], ids=["1280", "1920"])
def test_the_ledger_entry_kinds_fit_in_their_card(server, people, viewport):
    """The candidate's Question / Assumption / Constraint chips: Constraint ran past the card's edge."""
    seeded = server.seed("board")
    casey = people(server, "casey", seeded["sessions"]["candidate"], viewport=viewport).open_board(seeded["board"])
    casey.page.get_by_role("tab", name="Ledger").click()
    card = box(casey.page.locator(".bs-ledger__new"))
    kinds = casey.page.get_by_role("radiogroup", name="Entry kind").get_by_role("radio")
    expect(kinds.first).to_be_visible()
    for kind in kinds.all():
        assert inside(box(kind), card, slack=-1), f"{kind.inner_text()} runs past the new-entry card"


# 2. Pause, 3. End session ---------------------------------------------------------------------


def test_pause_says_it_stops_the_clock_only_and_end_session_asks_first(server, people):
    _, on = interview(server, people)
    ivan, casey, otto = on["interviewer"], on["candidate"], on["observer"]
    ivan.page.get_by_role("button", name="Start session").click()
    ivan.page.get_by_role("button", name="Pause").click()
    for person in (ivan, casey, otto):
        status = person.page.get_by_test_id("session-status")
        expect(status).to_have_text(re.compile(r"clock paused", re.I), timeout=2 * SECOND)
        # What pause does not stop, wherever the clock shows.
        expect(person.page.get_by_test_id("session-bar")).to_contain_text(re.compile(r"board stays editable", re.I))
    ivan.page.get_by_role("button", name="Resume").click()

    ivan.page.get_by_role("button", name="End session").click()
    expect(casey.page.get_by_test_id("closed-banner")).to_have_count(0)
    confirm = ivan.page.get_by_role("alertdialog", name="End the interview?")
    expect(confirm).to_contain_text("read-only")
    confirm.get_by_role("button", name="Keep going").click()
    expect(confirm).to_have_count(0)
    expect(ivan.page.get_by_test_id("session-bar")).to_have_attribute("data-status", "running")
    ivan.page.get_by_role("button", name="End session").click()
    ivan.page.get_by_role("button", name="Yes, end the interview").click()
    expect(casey.page.get_by_test_id("closed-banner")).to_contain_text("The interview has ended", timeout=2 * SECOND)


# 4. Toasts and the ended banner -----------------------------------------------------------------


def test_toasts_sit_in_a_corner_off_the_canvas_and_the_ended_banner_can_be_dismissed(server, people):
    _, on = interview(server, people)
    ivan, casey = on["interviewer"], on["candidate"]
    ivan.page.get_by_role("button", name="Start session").click()
    casey.page.evaluate("window.__bothsides.board.core.toast('info', 'Something happened', 'A detail about it')")
    toast = casey.page.get_by_test_id("toast").filter(has_text="Something happened")
    expect(toast).to_be_visible()
    assert overlap(box(toast), box(casey.page.get_by_test_id("canvas"))) == 0, "the toast covers the canvas"
    corner = box(casey.page.locator(".bs-toasts"))
    right, bottom = corner["x"] + corner["width"], corner["y"] + corner["height"]
    assert right > 1280 - 40 and bottom > 800 - 40, "not in the bottom-right corner"
    expect(toast).to_have_count(0, timeout=6 * SECOND)  # it dismisses itself

    ivan.page.get_by_role("button", name="End session").click()
    ivan.page.get_by_role("button", name="Yes, end the interview").click()
    banner = casey.page.get_by_test_id("closed-banner")
    expect(banner).to_be_visible(timeout=2 * SECOND)
    # The interviewer's longer sentence reads as one sentence: it used to drop, whole, to a second
    # line that began with a stray "·", under a bold heading alone on the first.
    own = ivan.page.get_by_test_id("closed-banner")
    expect(own).to_contain_text("until you reopen")
    lines = own.evaluate(
        """(e) => { const text = e.querySelector('.bs-banner__text'); const strong = text.querySelector('strong');
                   const rest = document.createRange(); rest.setStartAfter(strong); rest.setEndAfter(text.lastChild);
                   return { strong: strong.getBoundingClientRect().top, rest: rest.getClientRects()[0].top,
                            text: rest.toString().trim() }; }"""
    )
    assert abs(lines["rest"] - lines["strong"]) < 4, "the sentence starts on a line of its own"
    assert not lines["text"].startswith("·"), f"a line starts with a separator: {lines['text']!r}"
    banner.get_by_role("button", name="Dismiss").click()
    expect(banner).to_have_count(0)
    # The board still says it is closed, off the canvas.
    expect(casey.page.get_by_test_id("session-status")).to_have_text(re.compile("ended", re.I))


# 5. Opening zoom ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [None, WIDE], ids=["1280", "1920"])
def test_a_board_opens_whole_and_readable_and_nothing_hides_a_box(server, people, viewport):
    """Fit the board, unless it fits at 75 % (then never below): all of it shows, none under the chrome.

    At 1280x800 the notification system does not fit at 75 %: it used to open there with its
    leftmost box cut off at the palette's edge and its rightmost under the side panel.
    """
    seeded = server.seed("template_board", template="notification_system")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], viewport=viewport).open_board(seeded["board"])
    page = ivan.page
    nodes = page.get_by_test_id("component-node")
    expect(nodes.first).to_be_visible()
    # The opening view is set once, a frame after the board arrives; wait for it, not for a time.
    expect(page.locator("[data-testid=canvas][data-opened]")).to_have_count(1)
    canvas = box(page.get_by_test_id("canvas"))
    boxes = [box(n) for n in nodes.all()]
    left = min(b["x"] for b in boxes)
    right = max(b["x"] + b["width"] for b in boxes)
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    z = zoom(ivan)
    fits_at_readable = (right - left) * 0.75 / z <= canvas["width"] and (bottom - top) * 0.75 / z <= canvas["height"]
    if fits_at_readable:
        assert z >= 0.75 - 1e-3, f"opened at {z:.2f} though the board fits at 75 %"
        label = nodes.first.locator(".bs-node__label").first
        size = float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size * z >= 9.5, "labels under 9.5 px on screen"
    chrome = {
        "palette": page.get_by_role("navigation", name="Components"),
        "side panel": page.get_by_role("complementary", name="Side panel"),
        "toolbar": page.get_by_role("toolbar", name="View and history"),
        "minimap": page.locator(".bs-minimap"),
    }
    for n, b in enumerate(boxes):
        assert inside(b, canvas), f"box {n} at {b} is cut off by the canvas edge {canvas} (zoom {z:.2f})"
        for name, part in chrome.items():
            assert overlap(b, box(part)) == 0, f"box {n} is under the {name} (zoom {z:.2f})"
    leftmost = min(boxes, key=lambda b: b["x"])
    palette = box(chrome["palette"])
    assert leftmost["x"] >= palette["x"] + palette["width"], "the leftmost box is under the palette"


# 6. Palette placement and the double-click type ------------------------------------------------


def test_palette_clicks_place_boxes_in_order_near_the_middle_never_on_another(server, people):
    seeded = server.seed("board")
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    page = casey.page
    added: list[str] = []
    for _ in range(4):
        page.get_by_test_id("palette-service").click()
        page.keyboard.press("Escape")
        added.append(page.evaluate("[...window.__bothsides.board.ui.getState().selected][0]"))
    elements = casey.elements()
    boxes = [e for e in elements.values() if e["kind"] != "arrow"]
    for new in added:
        e = elements[new]
        for other in boxes:
            if other["id"] == new:
                continue
            a = {"x": e["x"], "y": e["y"], "width": e["w"], "height": e["h"]}
            b = {"x": other["x"], "y": other["y"], "width": other["w"], "height": other["h"]}
            assert overlap(a, b) == 0, f"{new} lands on {other['id']}"
    # In order: each next to the one before (the selection), in one direction.
    first = elements[added[0]]
    for before, after in itertools.pairwise(added):
        a, b = elements[before], elements[after]
        assert b["y"] == a["y"] and 0 < b["x"] - (a["x"] + a["w"]) <= 80, f"{after} is not next to {before}"
    # The first near the middle of the view.
    canvas = box(page.get_by_test_id("canvas"))
    node = box(casey.node(added[0]))
    assert abs(node["x"] + node["width"] / 2 - (canvas["x"] + canvas["width"] / 2)) < canvas["width"] / 4
    assert abs(node["y"] + node["height"] / 2 - (canvas["y"] + canvas["height"] / 2)) < canvas["height"] / 4
    assert first["type"] == "service"

    # Double-click adds the last type used, and the page says which.
    hint = page.get_by_test_id("dblclick-type")
    expect(hint).to_contain_text("Service")
    expect(page.get_by_test_id("palette-service")).to_have_attribute("data-last-used", "true")
    page.get_by_test_id("palette-cache").click()
    page.keyboard.press("Escape")
    expect(hint).to_contain_text("Cache")
    expect(page.get_by_test_id("palette-service")).not_to_have_attribute("data-last-used", "true")


# 7. The top bar, minimap, drill panel, diff, replay markers, badges, pending marks ---------------


def test_the_top_bar_fits_at_1280_and_avatars_have_a_colour_per_role(server, people):
    _, on = interview(server, people, title="Design a notification service for the checkout team")
    ivan = on["interviewer"]
    page = ivan.page
    for testid in ("board-title", "my-role"):
        el = page.get_by_test_id(testid)
        assert el.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{testid} is truncated"
    avatars = page.locator(".bs-avatars .bs-avatar:not(.bs-avatar--more)")
    expect(avatars).to_have_count(3, timeout=3 * SECOND)
    boxes = [box(a) for a in avatars.all()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert overlap(a, b) == 0, "avatars overlap"
    colours = avatars.evaluate_all("els => els.map(e => e.dataset.role + ' ' + getComputedStyle(e).backgroundColor)")
    by_role = {c.split(" ", 1)[0]: c.split(" ", 1)[1] for c in colours}
    assert len(set(by_role.values())) == len(by_role) == 3, f"two roles share a colour: {by_role}"


def test_the_toolbar_and_minimap_and_drill_panel_leave_the_canvas_usable(server, people):
    seeded = server.seed("template_board", template="notification_system")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"]).open_board(seeded["board"])
    page = ivan.page
    minimap = page.locator(".bs-minimap")
    toolbar = page.get_by_role("toolbar", name="View and history")
    assert overlap(box(minimap), box(toolbar)) == 0, "the toolbar overlaps the minimap"
    page.get_by_test_id("fit-view").click()
    page.get_by_role("button", name="Failure drill").click()
    ivan.node("providers").click()
    panel = page.get_by_role("complementary", name="Failure drill")
    expect(page.get_by_test_id("drill-summary")).to_be_visible(timeout=5 * SECOND)
    canvas = box(page.get_by_test_id("canvas"))
    covered = overlap(box(panel), canvas) / (canvas["width"] * canvas["height"])
    assert covered <= 0.25, f"the drill panel covers {covered:.0%} of the canvas"
    assert overlap(box(panel), box(toolbar)) == 0


def test_an_empty_board_has_no_minimap_and_says_how_to_start_but_not_to_observers(server, people):
    seeded = server.seed("board", elements=[])
    casey = people(server, "casey", seeded["sessions"]["candidate"]).open_board(seeded["board"])
    otto = people(server, "otto", seeded["sessions"]["observer"]).open_board(seeded["board"])
    expect(casey.page.locator(".bs-minimap")).to_have_count(0)
    empty = casey.page.get_by_test_id("empty-state")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("Double-click")
    expect(empty).to_contain_text(re.compile("palette", re.I))
    expect(empty.locator("kbd").first).to_be_visible()
    assert overlap(box(empty), box(casey.page.get_by_test_id("canvas"))) > 0
    watching = otto.page.get_by_test_id("empty-state")
    expect(watching).to_be_visible()
    expect(watching).not_to_contain_text("Double-click")

    casey.page.get_by_test_id("canvas").dblclick(position={"x": 300, "y": 300})
    casey.page.keyboard.type("First box")
    casey.page.keyboard.press("Enter")
    expect(empty).to_have_count(0)
    expect(watching).to_have_count(0, timeout=2 * SECOND)
    expect(casey.page.locator(".bs-minimap")).to_have_count(1)


def test_replay_markers_merge_when_close_and_badges_stay_inside_the_canvas(server, people):
    elements = [
        {"id": "far", "kind": "component", "type": "service", "label": "Far right", "x": 900, "y": 0},
        {"id": "near", "kind": "component", "type": "client", "label": "Near", "x": 0, "y": 0},
    ]
    _, on = interview(server, people, elements=elements)
    ivan, casey = on["interviewer"], on["candidate"]
    ivan.page.get_by_role("button", name="Start session").click()
    # A long session: a hundred changes before the questions, so these come close together.
    casey.page.evaluate(
        """() => { const e = window.__bothsides.board.editing;
                   for (let i = 0; i < 100; i++)
                     e.addComponent('service', { x: 100 + (i % 10) * 200,
                                                 y: 300 + Math.floor(i / 10) * 120 }, false); }"""
    )
    casey.page.get_by_role("tab", name="Ledger").click()
    entry = casey.page.get_by_role("textbox", name="New entry")
    for i in range(8):
        entry.fill(f"Question {i}?")
        entry.press("Enter")
    ivan.node("far").click()
    ivan.page.keyboard.press("f")
    ivan.page.keyboard.press("Enter")
    badge = ivan.page.get_by_test_id("annotation-badge-far")
    expect(badge).to_be_visible()
    ivan.fit_view()
    assert inside(box(badge), box(ivan.page.get_by_test_id("canvas"))), "the badge is clipped at the canvas edge"

    ivan.page.get_by_role("button", name="Replay", exact=True).click()
    expect(ivan.page.get_by_role("slider", name="Replay position")).to_be_enabled()
    # The timeline must have caught up with the board (questions still arriving refresh it and
    # re-cluster the markers), and the markers are measured in one go, never across a re-render.
    ivan.page.wait_for_function(
        """() => { const slider = document.querySelector('[data-testid=replay-slider]');
                   return slider && Number(slider.max) === window.__bothsides.board.client.getSnapshot().seq; }"""
    )
    markers = ivan.page.get_by_test_id("replay-marker")
    expect(markers.first).to_be_visible(timeout=5 * SECOND)
    boxes = ivan.page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=replay-marker]')].map((m) => {
                   const r = m.getBoundingClientRect();
                   return { x: r.x, y: r.y, width: r.width, height: r.height }; })"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert overlap(a, b) == 0, "replay markers overlap"
    cluster = ivan.page.locator("[data-testid=replay-marker][data-count]")
    expect(cluster.first).to_be_visible()
    assert int(cluster.first.get_attribute("data-count") or 0) > 1
    expect(cluster.first).to_contain_text(cluster.first.get_attribute("data-count") or "?")


def publish_two_versions_and_ask(rosa: Any, reviewer: str) -> Any:
    """On the review board seed: publish v1, delete the legacy box, publish v2, ask `reviewer` to
    review it; the review panel, left open."""
    page = rosa.page
    page.get_by_role("tab", name="Review").click()
    panel = page.get_by_test_id("review-panel")
    for number, name in ((1, "First draft"), (2, "Second draft")):
        if number == 2:
            rosa.node("legacy").click()
            page.keyboard.press("Delete")
        panel.get_by_label("Version name").fill(name)
        panel.get_by_role("button", name="Publish version").click()
        expect(panel.locator(f"[data-testid=version-row][data-version='{number}']")).to_be_visible(timeout=5 * SECOND)
    panel.get_by_label("Reviewers for v2").fill(reviewer)
    panel.get_by_role("button", name="Request review").click()
    expect(panel.get_by_label("Reviewers for v2")).to_have_value("", timeout=5 * SECOND)
    return panel


def test_diff_results_are_above_the_fold_and_pending_marks_look_like_drafts(server, people):
    seeded = server.seed("review_board")
    rosa = people(server, "rosa", seeded["sessions"]["owner"]).open_board(seeded["board"])
    page = rosa.page
    panel = publish_two_versions_and_ask(rosa, seeded["reviewer"])
    panel.get_by_label("Compare from").select_option("1")
    panel.get_by_label("Compare to").select_option("2")
    # Each chosen version reads whole: "v2 · Second dra" was cut off in a half-width select.
    for label in ("Compare from", "Compare to"):
        fits = panel.get_by_label(label).evaluate(
            """(s) => {
                 const style = getComputedStyle(s);
                 const pen = document.createElement('canvas').getContext('2d');
                 pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                 const arrow = 20;  // the native drop-down arrow, inside the content box
                 const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
                 return pen.measureText(s.options[s.selectedIndex].text).width <= room;
               }"""
        )
        assert fits, f"{label} cuts its version's name off"
    panel.get_by_role("button", name="Compare", exact=True).click()
    diff = page.get_by_test_id("diff-list")
    expect(diff).to_be_visible(timeout=5 * SECOND)
    # Counts sit level with what they count ("3 changes" and "0 open threads" rode 6 px high).
    for row in (diff.locator(".bs-diff__header"), panel.get_by_test_id("open-threads").locator("xpath=..")):
        first, muted = box(row.locator("> *").first), box(row.locator("> .bs-muted"))
        middle = lambda b: b["y"] + b["height"] / 2  # noqa: E731
        assert abs(middle(first) - middle(muted)) <= 2, f"{row.locator('> .bs-muted').inner_text()!r} sits off its row"
    first = box(diff.locator("[data-diff]").first)
    assert first["y"] + first["height"] <= 800, "the diff results are below the fold"

    ravi = people(server, "ravi", seeded["sessions"]["reviewer"]).open_board(seeded["board"])
    ravi.node("api").click()
    ravi.page.keyboard.press("f")
    composer = ravi.page.get_by_role("dialog", name="New annotation")
    composer.get_by_label("Annotation text").fill("What if the API restarts?")
    composer.get_by_role("button", name="Send").click()
    badge = ravi.page.get_by_test_id("annotation-badge-api")
    expect(badge).to_have_attribute("data-pending", "1")
    expect(badge).to_contain_text(re.compile("draft", re.I))
    assert badge.locator(".bs-badge__body").evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"


# 9. Dark mode ---------------------------------------------------------------------------------

CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  };
  const bad = [];
  for (const el of document.querySelectorAll('#board-root *, #boards-root *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility() || el.closest('[aria-hidden=true], .react-flow__minimap')) continue;
    const style = getComputedStyle(el);
    if (style.opacity === '0' || style.visibility === 'hidden') continue;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const what = `${el.className || el.tagName} "${el.textContent.trim().slice(0, 30)}"`;
    if (ratio < 3) bad.push(`${what} ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


def test_dark_mode_follows_the_system_and_a_toggle_that_persists(server, people):
    seeded = server.seed("template_board", template="notification_system")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], color_scheme="dark").open_board(seeded["board"])
    page = ivan.page
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", background)[:3])) < 3 * 80, f"not dark: {background}"
    page.get_by_role("tab", name="Ledger").click()
    assert page.evaluate(CONTRAST) == [], "unreadable in dark"
    page.get_by_role("button", name=re.compile("theme", re.I)).click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    page.reload()
    ivan.wait_live()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")  # the choice beats the system
    assert page.evaluate(CONTRAST) == [], "unreadable in light"


# Contrast of one element's text against what it is drawn on (WCAG relative luminance).
TEXT_CONTRAST = """
(e) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = e;
  while (back && (rgb(getComputedStyle(back).backgroundColor)[3] === 0)) back = back.parentElement;
  const bg = rgb(back ? getComputedStyle(back).backgroundColor : 'rgb(255,255,255)');
  const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_report_is_readable_in_both_themes(server, people, theme):
    """In dark mode the report's prompt was slate on near-black (about 1.6:1) and its layer chips light-on-light."""
    seeded = server.seed("board")
    ivan = people(server, "ivan", seeded["sessions"]["interviewer"], color_scheme=theme).open_board(seeded["board"])
    ivan.page.evaluate(
        """() => { const b = window.__bothsides.board;
                   b.annotating.annotate({ kind: 'failure_mode', target: 'api', text: 'What if the API dies?' });
                   b.annotating.annotate({ kind: 'scaling', target: 'db', text: 'Backups?', layer: 'private' }); }"""
    )
    # Both stored (acknowledged, not just drawn) before the report is asked for.
    ivan.page.wait_for_function("() => window.__bothsides.board.client.getSnapshot().unsynced === 0")
    expect(ivan.page.get_by_test_id("annotation-badge-db")).to_be_visible()
    ivan.page.goto(f"/boards/{seeded['board']}/report/")
    checked = set()
    for selector in (".bs-report-prompt", ".bs-report-kind", ".bs-report-layer", ".bs-muted", "h1"):
        for part in ivan.page.locator(selector).all():
            ratio = part.evaluate(TEXT_CONTRAST)
            assert ratio >= 4.5, f"{selector} {part.inner_text()[:40]!r} has contrast {ratio:.1f}:1 in {theme}"
            checked.add(selector)
    assert len(checked) == 5, f"only {checked} on the report"


def test_an_annotation_badge_never_covers_the_replica_count(server, people):
    """The replica count (x3) and a challenge's badge both sat on the box's top-right corner, the badge on top."""
    elements = [
        {"id": "api", "kind": "component", "type": "service", "label": "API", "x": 0, "y": 0, "replicas": 3},
        {"id": "db", "kind": "component", "type": "database", "label": "DB", "x": 320, "y": 0},
    ]
    _, on = interview(server, people, elements=elements)
    ivan = on["interviewer"]
    ivan.node("api").click()
    ivan.page.keyboard.press("f")
    ivan.page.keyboard.press("Enter")
    badge = ivan.page.get_by_test_id("annotation-badge-api")
    expect(badge).to_be_visible()
    replicas = ivan.node("api").locator(".bs-node__replicas")
    expect(replicas).to_have_text("\u00d73")
    for level in (0.5, 0.75, 1.0, 1.5):
        ivan.page.evaluate(f"window.__bothsides.board.core.view.zoomTo({level})")
        ivan.page.wait_for_function(
            "(level) => Math.abs(new DOMMatrix(getComputedStyle("
            "document.querySelector('.react-flow__viewport')).transform).a - level) < 1e-3",
            arg=level,
        )
        drawn = box(badge.locator(".bs-badge__body"))
        assert overlap(drawn, box(replicas)) == 0, f"the badge covers the replica count at {level:.0%}"


def test_at_1920_an_interview_from_the_bank_shows_all_five_tabs_in_one_row(server, people):
    """Question and Scorecard both: at 1920 there is room, and Scorecard sat alone on a second row."""
    quinn = people(server, "quinn", server.seed("interviewer")["session"], viewport=WIDE)
    quinn.page.goto("/")
    quinn.page.get_by_test_id("template-notification_system").click()
    quinn.page.get_by_test_id("create-submit").click()
    quinn.wait_live()
    tabs = quinn.page.get_by_role("tablist", name="What the side panel shows").get_by_role("tab")
    expect(tabs.filter(has_text="Question")).to_have_count(1)
    expect(tabs).to_have_count(5)
    rows = {round(box(tab)["y"]) for tab in tabs.all()}
    assert len(rows) == 1, f"the five tabs take {len(rows)} rows at 1920"
    canvas = box(quinn.page.get_by_test_id("canvas"))
    assert canvas["width"] >= 1300, "the canvas gave up too much room for the tabs"
