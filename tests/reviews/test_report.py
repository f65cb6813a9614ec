"""The interview report: for interviewers only, complete, and inert whatever was typed on the board."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from reviews.formats.report import md, offset, readable_time
from tests.factories import add, arrow, board_with_owner, member
from tests.reviews.factories import annotate, reply
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</text><script>alert(2)</script>",
    "[x](javascript:alert(1))",
    "{{7*7}} {% debug %}",
]


def interview():
    board, owner = board_with_owner(title="Design a notification system")
    interviewer, candidate = member(board, "interviewer"), member(board, "candidate")
    counter = iter(range(1000))

    def send(who, *ops):
        batch_submit(
            board_id=board.id, participant_id=who.participant.id, batch_id=f"b{next(counter)}", raw_ops=list(ops)
        )

    send(interviewer, {"op": "session", "action": "start"})
    send(candidate, {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}})
    send(interviewer, {"op": "answer_requirement", "entry": "q1", "text": "10M daily"})
    send(candidate, add("api", label=HOSTILE[0]), add("queue", type="queue", label=HOSTILE[1], tech=HOSTILE[2]))
    send(candidate, arrow("a1", "api", "queue", label=HOSTILE[3], style="async"), add("n1", "note", text=HOSTILE[4]))
    send(interviewer, annotate("a-1", "queue", text="What happens when the queue goes down?"))
    send(interviewer, annotate("a-2", "queue", kind="scaling", text="How does the queue behave at 10x?"))
    send(candidate, reply("a-1", "r-1", text=HOSTILE[5]))
    send(interviewer, annotate("p-1", "api", layer="private", kind="comment", text="PRIVATE-CANARY strong start"))
    return board, owner, interviewer, candidate


def browser(who) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


def test_the_interviewer_reads_the_whole_story_on_one_page():
    board, _, interviewer, _ = interview()
    response = browser(interviewer).get(f"/boards/{board.id}/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interview report: Design a notification system" in page
    assert "How many users?" in page and "10M daily" in page
    assert "What happens when the queue goes down?" in page
    assert "PRIVATE-CANARY" in page  # the interviewers' own notes belong in their report
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("role", ["candidate", "observer", "reviewer"])
def test_nobody_else_gets_the_report_in_any_form(role):
    board, *_ = interview()
    outsider = member(board, role)
    for path in ("report/", "report.md", "diagram.svg"):
        response = browser(outsider).get(f"/boards/{board.id}/{path}")
        assert response.status_code == 403
        assert "PRIVATE-CANARY" not in response.content.decode()


def test_a_stranger_gets_not_found():
    board, *_ = interview()
    _, stranger = board_with_owner()
    assert browser(stranger).get(f"/boards/{board.id}/report/").status_code == 404


def test_the_markdown_export_escapes_everything_typed_on_the_board():
    board, _, interviewer, _ = interview()
    response = browser(interviewer).get(f"/boards/{board.id}/report.md")
    assert response["Content-Disposition"] == 'attachment; filename="design-a-notification-system-report.md"'
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.content.decode()
    assert "## Requirements ledger" in text and "How many users?" in text
    assert "<script>" not in text and "<img" not in text
    assert "](javascript:" not in text  # the link syntax is broken by escaping
    assert md("[x](javascript:alert(1))") == r"\[x\]\(javascript:alert\(1\)\)"


def test_the_diagram_is_an_inert_svg_with_every_label_as_text():
    board, _, interviewer, _ = interview()
    response = browser(interviewer).get(f"/boards/{board.id}/diagram.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    root = ET.fromstring(response.content)
    tags = {node.tag.split("}")[-1] for node in root.iter()}
    assert tags <= {"svg", "defs", "marker", "path", "rect", "text", "line", "circle", "g", "title"}
    for node in root.iter():
        assert not any(name.lower().startswith("on") for name in node.attrib)
        assert not any("javascript:" in value for value in node.attrib.values())
    # A label too long for its box is cut on it and kept whole in its <title>.
    texts = [node.text for node in root.iter() if node.tag.endswith(("text", "title"))]
    assert HOSTILE[0] in texts and HOSTILE[3] in texts
    assert "1" in texts  # the queue's one open challenge (the other was answered)


def test_a_label_with_a_control_character_still_gives_a_well_formed_svg():
    board, _, interviewer, candidate = interview()
    batch_submit(
        board_id=board.id,
        participant_id=candidate.participant.id,
        batch_id="bell",
        raw_ops=[add("bell", label="ring\x07ring")],
    )
    response = browser(interviewer).get(f"/boards/{board.id}/diagram.svg")
    texts = [node.text for node in ET.fromstring(response.content).iter() if node.tag.endswith("text")]
    assert "ring\ufffdring" in texts


def test_times_are_printed_for_people_not_as_iso_strings():
    board, _, interviewer, _ = interview()
    page = browser(interviewer).get(f"/boards/{board.id}/report/").content.decode()
    phases = page.split('class="bs-report-phases"', 1)[1].split("</ol>", 1)[0]
    assert re.search(r">\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC</time>, at the start · seq 1", phases), phases
    visible = re.sub(r"<[^>]+>", "", page)  # the ISO form stays only in <time datetime>, for machines
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", visible)
    text = browser(interviewer).get(f"/boards/{board.id}/report.md").content.decode()
    assert re.search(r"- Started \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC", text), text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)


def test_readable_time_and_offset():
    assert readable_time("2026-12-04T18:05:09.123Z") == "4 Dec 2026, 18:05 UTC"
    assert readable_time("2026-12-04T19:05:00+01:00") == "4 Dec 2026, 18:05 UTC"
    assert readable_time(None) == ""
    assert offset("2026-12-04T18:17:40Z", "2026-12-04T18:05:09Z") == "13 min in"
    assert offset("2026-12-04T18:05:09Z", "2026-12-04T18:05:09Z") == "at the start"


def test_the_report_tells_each_flow_step_by_step_and_marks_a_lost_arrow():
    board, _, interviewer, candidate = interview()
    steps = [{"element": "api", "text": HOSTILE[0]}, {"element": "queue", "text": "The job waits in line."}]
    batch_submit(
        board_id=board.id,
        participant_id=candidate.participant.id,
        batch_id="flow",
        raw_ops=[{"op": "flow", "flow": {"id": "jobs", "title": "A job's life", "steps": steps}}],
    )
    page = browser(interviewer).get(f"/boards/{board.id}/report/").content.decode()
    assert "A job&#x27;s life" in page and "The job waits in line." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "no arrow from the step before" not in page
    batch_submit(
        board_id=board.id,
        participant_id=candidate.participant.id,
        batch_id="cut",
        raw_ops=[{"op": "delete", "id": "a1"}],
    )
    text = browser(interviewer).get(f"/boards/{board.id}/report.md").content.decode()
    assert "## Flows" in text and "2. **" in text and "The job waits in line\\. *(no arrow from the step before" in text
