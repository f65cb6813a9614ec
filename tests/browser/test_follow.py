"""Follow, the laser pointer and presenting a flow, with an interviewer, a candidate and an observer."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import LiveServer

pytestmark = pytest.mark.live

SECOND = 1000
BOXES = [
    {"id": "client", "kind": "component", "type": "client", "label": "Web app", "x": 0, "y": 0},
    {"id": "api", "kind": "component", "type": "service", "label": "API", "x": 320, "y": 0},
    {"id": "db", "kind": "component", "type": "database", "label": "Orders DB", "x": 640, "y": 0},
    {"id": "far", "kind": "component", "type": "worker", "label": "Far away", "x": 2400, "y": 1600},
    {"id": "client-api", "kind": "arrow", "source": "client", "target": "api", "label": "HTTPS"},
    {"id": "api-db", "kind": "arrow", "source": "api", "target": "db", "label": "SQL"},
]


def cast(server: LiveServer, people: Any, scheme: str = "light", size: dict[str, int] | None = None) -> tuple[Any, ...]:
    seeded = server.seed("board", elements=BOXES)
    make = lambda name, role: people(server, name, seeded["sessions"][role], viewport=size, color_scheme=scheme)  # noqa: E731
    ivan = make("ivan", "interviewer").open_board(seeded["board"])
    casey = make("casey", "candidate").open_board(seeded["board"])
    otto = make("otto", "observer").open_board(seeded["board"])
    return ivan, casey, otto, seeded


def centre_of(person: Any) -> dict[str, float]:
    return person.page.evaluate(
        "() => { const v = window.__bothsides.board.core.view; return {...v.center(), zoom: v.zoom()}; }"
    )


def close_to(person: Any, target: dict[str, float]) -> None:
    person.page.wait_for_function(
        "t => { const v = window.__bothsides.board.core.view; const c = v.center();"
        " return Math.abs(c.x - t.x) < 8 && Math.abs(c.y - t.y) < 8 && Math.abs(v.zoom() - t.zoom) < 0.01; }",
        arg=target,
        timeout=5 * SECOND,
    )


def participant_id(person: Any) -> str:
    return person.page.evaluate("() => window.__bothsides.board.client.getSnapshot().you.participant")


LOOKS = [("light", {"width": 1280, "height": 800}), ("dark", {"width": 1920, "height": 1080})]


@pytest.mark.parametrize(("scheme", "size"), LOOKS)
def test_follow_a_person_then_everyone_follows_the_interviewer_and_the_laser_is_never_stored(
    server, people, scheme, size
):
    ivan, casey, otto, _ = cast(server, people, scheme, size)
    tag = f"{scheme}-{size['width']}"
    # Casey clicks Ivan in the people list: her view follows his.
    casey.page.get_by_test_id("people-button").click()
    casey.page.locator(f"[data-testid=follow-person][data-participant='{participant_id(ivan)}']").click()
    casey.page.get_by_test_id("people-button").click()  # closes the list
    expect(casey.page.get_by_test_id("follow-banner")).to_contain_text("Following Ivan")
    ivan.page.evaluate("() => window.__bothsides.board.core.view.jumpTo({x: 2480, y: 1636}, 1.5)")
    close_to(casey, centre_of(ivan))
    expect(casey.node("far")).to_be_in_viewport()
    casey.shot(f"follow-01-candidate-follows-interviewer-{tag}")
    # Her own pan leaves.
    box = casey.page.get_by_test_id("canvas").bounding_box()
    casey.page.mouse.move(box["x"] + 300, box["y"] + 300)
    casey.page.mouse.wheel(0, 200)
    expect(casey.page.get_by_test_id("follow-banner")).to_have_count(0)
    # Ivan asks everyone to follow him: Casey and Otto follow; Otto presses Esc and leaves.
    ivan.page.get_by_test_id("people-button").click()
    ivan.shot(f"follow-00-people-list-with-everyone-follow-me-{tag}")
    ivan.page.get_by_test_id("lead-button").click()
    ivan.page.get_by_test_id("people-button").click()
    expect(ivan.page.get_by_test_id("leading-banner")).to_be_visible()
    ivan.page.evaluate("() => window.__bothsides.board.core.view.jumpTo({x: 330, y: 40}, 1.2)")
    for follower in (casey, otto):
        expect(follower.page.get_by_test_id("follow-banner")).to_contain_text("Following Ivan", timeout=5 * SECOND)
        close_to(follower, centre_of(ivan))
    otto.shot(f"follow-02-observer-follows-everyone-follow-me-{tag}")
    ivan.shot(f"follow-03-interviewer-leading-{tag}")
    otto.page.get_by_test_id("canvas").click(position={"x": 20, "y": 20})
    otto.page.keyboard.press("Escape")
    expect(otto.page.get_by_test_id("follow-banner")).to_have_count(0)
    ivan.page.evaluate("() => window.__bothsides.board.core.view.jumpTo({x: 650, y: 40}, 1.2)")
    close_to(casey, centre_of(ivan))
    assert abs(centre_of(otto)["x"] - 650) > 50, "Otto left; his view stays"
    # The laser: Casey points, Otto (an observer) sees the trail; nothing reaches the log.
    seq_before = casey.page.evaluate("() => window.__bothsides.board.client.getSnapshot().seq")
    casey.page.get_by_test_id("follow-stop").click()
    casey.page.keyboard.press("l")
    api = casey.centre(casey.node("api"))
    for step in range(12):
        casey.page.mouse.move(api[0] - 60 + step * 10, api[1] + 50 - step * 3)
    expect(otto.page.get_by_test_id("laser-trail")).to_have_count(1, timeout=2 * SECOND)
    expect(otto.page.locator("[data-testid=laser-trail] polyline").first).to_be_attached()
    otto.shot(f"follow-04-observer-sees-laser-{tag}")
    casey.shot(f"follow-05-candidate-laser-{tag}")
    expect(otto.page.get_by_test_id("laser-trail")).to_have_count(0, timeout=3 * SECOND)  # it fades
    assert casey.page.evaluate("() => window.__bothsides.board.client.getSnapshot().seq") == seq_before
    ops = casey.page.evaluate(
        "async (b) => (await (await fetch(`/api/boards/${b}/ops/?after=0&limit=1000`)).json())"
        ".batches.flatMap(x => x.ops)",
        casey.page.evaluate("() => window.__bothsides.board.client.getSnapshot().board.id"),
    )
    assert all(op["op"] in ("add", "update", "delete") for op in ops), ops
    # Otto may not point: no laser button for him, and L says so.
    expect(otto.page.get_by_test_id("laser-toggle")).to_have_count(0)


@pytest.mark.parametrize(("scheme", "size"), LOOKS)
def test_the_candidate_writes_a_three_step_flow_and_presents_it_to_the_interviewer(server, people, scheme, size):
    ivan, casey, otto, _ = cast(server, people, scheme, size)
    tag = f"{scheme}-{size['width']}"
    # The board opens centred on all four boxes, "Far away" included: look at the three of the flow.
    casey.page.evaluate("() => window.__bothsides.board.core.view.jumpTo({x: 400, y: 36}, 1)")
    casey.page.get_by_test_id("flows-toggle").click()
    casey.page.get_by_test_id("flow-new").click()
    casey.page.get_by_test_id("flow-title").fill("Placing an order")
    for element in ("client", "api", "db"):
        casey.node(element).click()
    texts = [
        "The shopper presses Buy.",
        "The API checks the basket and takes the money.",
        "The order is saved for good.",
    ]
    for field, text in zip(casey.page.get_by_test_id("flow-step-text").all(), texts, strict=True):
        field.fill(text)
    expect(casey.page.get_by_test_id("flow-badge")).to_have_count(3)
    casey.shot(f"flow-01-draft-{tag}")
    casey.page.get_by_test_id("flow-save").click()
    expect(casey.page.get_by_test_id("flow-item")).to_have_count(1)
    expect(casey.page.get_by_test_id("connection")).to_have_attribute("data-unsynced", "0")
    casey.shot(f"flow-02-badges-{tag}")
    # A step that skips an arrow cannot be picked: client -> db has none.
    casey.page.get_by_test_id("flow-present").click()
    expect(casey.page.get_by_test_id("present-caption")).to_contain_text("The shopper presses Buy.")
    for follower in (ivan, otto):
        expect(follower.page.get_by_test_id("follow-banner")).to_contain_text("Following Casey", timeout=5 * SECOND)
        expect(follower.page.get_by_test_id("present-text")).to_have_text("The shopper presses Buy.")
    casey.page.keyboard.press("ArrowRight")
    expect(ivan.page.get_by_test_id("present-text")).to_have_text(texts[1], timeout=3 * SECOND)
    expect(ivan.page.get_by_test_id("flow-focus")).to_have_attribute("data-element", "api")
    casey.page.keyboard.press("ArrowRight")
    expect(ivan.page.get_by_test_id("present-text")).to_have_text(texts[2], timeout=3 * SECOND)
    ivan.page.wait_for_timeout(600)
    mine, theirs = centre_of(casey), centre_of(ivan)
    assert abs(mine["x"] - theirs["x"]) < 8 and abs(mine["y"] - theirs["y"]) < 8, (mine, theirs)
    casey.shot(f"flow-03-presenting-{tag}")
    ivan.shot(f"flow-04-interviewer-follows-presentation-{tag}")
    # Ivan leaves with Esc; Casey stops presenting and Otto is released.
    ivan.page.keyboard.press("Escape")
    expect(ivan.page.get_by_test_id("follow-banner")).to_have_count(0)
    expect(ivan.page.get_by_test_id("present-caption")).to_have_count(0)
    casey.page.keyboard.press("Escape")
    expect(otto.page.get_by_test_id("follow-banner")).to_have_count(0, timeout=3 * SECOND)
    # The replay shows the flow from the seq that wrote it, not before.
    seq = casey.page.evaluate("() => window.__bothsides.board.client.getSnapshot().seq")
    casey.page.evaluate(f"() => window.__bothsides.board.core.replay.open({seq - 1})")
    expect(casey.page.get_by_test_id("flow-item")).to_have_count(0, timeout=5 * SECOND)
    casey.page.evaluate(f"() => window.__bothsides.board.core.replay.seek({seq}, true)")
    expect(casey.page.get_by_test_id("flow-item")).to_have_count(1, timeout=5 * SECOND)
    casey.page.get_by_test_id("replay-toggle").click()
    # The flow is on the board for everyone, and in the welcome of a fresh page.
    otto.page.reload()
    otto.wait_live()
    flows = otto.page.evaluate("() => [...window.__bothsides.board.client.getSnapshot().flows.values()]")
    assert [[s["element"] for s in f["steps"]] for f in flows] == [["client", "api", "db"]]
