"""The report's thinking sections: decisions, the unhappy path, the curve with the cards, recovery arcs,
familiarity, hindsight and flows, on the page, in Markdown and in JSON, every typed text escaped."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from reviews.formats.thinking import curve_svg
from tests.factories import Member, add, arrow, board_with_owner, member
from tests.reviews.factories import annotate, reply, set_status
from whiteboard.models import Board
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


def interview() -> tuple[Board, Member, Member]:
    board, _owner = board_with_owner(title="Design a URL shortener")
    interviewer, candidate = member(board, "interviewer"), member(board, "candidate")
    ids = itertools.count()

    def send(who: Member, *ops: dict[str, Any]) -> None:
        batch_submit(board_id=board.id, participant_id=who.participant.id, batch_id=f"b{next(ids)}", raw_ops=list(ops))

    send(interviewer, {"op": "session", "action": "start"})
    send(candidate, add("api", label="API"), add("cache", type="cache", label="Cache", tech="Redis"))
    send(candidate, arrow("a1", "api", "cache", label="read"))
    decision = {"id": "d1", "target": "cache", "choice": "Redis", "alternatives": ["Memcached"], "cost": HOSTILE}
    send(candidate, {"op": "decide", "decision": {**decision, "why": "persistence", "revisit_when": "never"}})
    steps = [
        {"element": "api", "text": "The app asks the API."},
        {"element": "cache", "text": "The API reads the cache."},
    ]
    send(candidate, {"op": "flow", "flow": {"id": "f1", "title": "A redirect", "steps": steps}})
    send(interviewer, {"op": "scenario", "card": {"id": "viral", "title": "Goes viral", "text": "10x traffic."}})
    send(interviewer, annotate("c1", "cache", kind="trade_off", text="Why Redis?"))
    send(candidate, reply("c1", "r1", text="Memcached is simpler; switching."))
    send(candidate, {"op": "update", "id": "cache", "props": {"tech": "Memcached"}})
    send(interviewer, set_status("c1", "resolved"))
    send(candidate, {"op": "requirement", "entry": {"id": "h1", "kind": "hindsight", "text": "Start with one box."}})
    return board, interviewer, candidate


def browser(who: Member) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


def test_the_page_shows_every_thinking_section_with_its_content() -> None:
    board, interviewer, candidate = interview()
    page = browser(interviewer).get(f"/boards/{board.id}/report/").content.decode()
    for testid in (
        "decisions",
        "beyond-happy-path",
        "complexity",
        "recovery",
        "familiarity",
        "hindsight",
        "flows",
        "communication",
    ):
        assert f'data-testid="report-{testid}"' in page
    for testid in ("decisions", "familiarity", "flows"):  # one section each, however many topics feed it
        assert page.count(f'data-testid="report-{testid}"') == 1
    assert page.count('data-testid="report-decision"') == 1
    assert "<strong>Cache</strong>: Redis, not Memcached" in page  # the decision, by whom and when
    assert f"{candidate.participant.name} · seq 4" in page and "<strong>Why</strong> persistence" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and HOSTILE not in page
    assert "changed cache (tech: Redis -&gt; Memcached)" in page  # the recovery arc's one-line diff
    assert "Start with one box." in page and "The API reads the cache." in page
    assert 'data-testid="report-curve-card" data-seq="6"' in page  # the card at the seq that played it
    assert "Technology with no decision" in page  # the tech changed after the decision


def test_the_markdown_and_json_downloads_carry_the_same_sections() -> None:
    board, interviewer, _ = interview()
    text = browser(interviewer).get(f"/boards/{board.id}/report.md").content.decode()
    for heading in ("## Decisions", "## Beyond the happy path", "## Complexity over time", "## Recovery", "## Flows"):
        assert text.count(f"{heading}\n") == 1
    assert "- **Cache**: Redis, not Memcached (" in text and "  - Why: persistence" in text
    assert "## Hindsight" in text and "Start with one box" in text and "## Flows" in text
    assert "<script>" not in text
    response = browser(interviewer).get(f"/boards/{board.id}/report.json")
    assert response["Content-Disposition"] == 'attachment; filename="design-a-url-shortener-report.json"'
    data = json.loads(response.content)
    assert [(d["id"], d["on"], d["alternatives"]) for d in data["decisions"]] == [("d1", "Cache", ["Memcached"])]
    assert [c["id"] for c in data["scenarios"]] == ["viral"] and [f["id"] for f in data["flows"]] == ["f1"]
    assert "records" not in data  # one copy of each: the decisions, flows and cards as stored
    assert data["signals"]["recovery"]["recovered"] == 1
    assert data["signals"]["decisions"]["stale"] == 1
    assert "svg" not in data


@pytest.mark.parametrize("role", ["candidate", "observer", "reviewer"])
def test_nobody_else_gets_the_json_report(role: str) -> None:
    board, *_ = interview()
    assert browser(member(board, role)).get(f"/boards/{board.id}/report.json").status_code == 403


def test_the_curve_is_an_inert_svg_with_the_card_titles_as_text() -> None:
    points = [{"minute": 0, "components": 0, "arrows": 0}, {"minute": 3, "components": 4, "arrows": 2}]
    svg = curve_svg(points, [{"id": "k", "title": HOSTILE, "seq": 9, "minute": 1.5}])
    root = ET.fromstring(svg)  # well formed
    assert "<script" not in svg and not [e for e in root.iter() if e.tag.endswith("script")]
    texts = [e.text for e in root.iter() if e.tag.endswith("text")]
    assert HOSTILE in texts
    assert curve_svg([], []) == ""


def test_familiarity_marks_and_unknowns_are_shown_in_the_candidates_words_never_scored() -> None:
    from reviews.formats.thinking import markdown, view
    from reviews.report_queries import honesty
    from reviews.thinking_signals import compute

    elements = [
        {"id": "bus", "kind": "component", "type": "queue", "label": "Kafka", "familiarity": "read"},
        {"id": "db", "kind": "component", "type": "database", "label": "DB"},
    ]
    unknown = {"id": "u1", "kind": "unknown", "text": "I haven't run Kafka at scale", "seq": 4, "author": "c"}
    report = {
        "signals": compute([], {}),
        "scenarios": [],
        "participants": {},
        **honesty({e["id"]: e for e in elements}, []),
        "elements": elements,
        "requirements": [unknown, {"id": "h1", "kind": "hindsight", "text": "Fewer boxes.", "seq": 9, "author": "c"}],
    }
    rows = view(report)
    assert rows["familiarity"] == [{"component": "Kafka", "familiarity": "read about it"}]  # db has no mark
    assert [e["id"] for e in rows["unknowns"]] == ["u1"] and [e["id"] for e in rows["hindsight"]] == ["h1"]
    text = "\n".join(markdown(report))
    assert "- Kafka: the candidate read about it" in text and "Unknown (seq 4): I haven't run Kafka at scale" in text
    assert "Fewer boxes\\." in text
