"""The export builders (pure): every format says what is on the board, and nothing typed on it turns into markup.

Hostile text (reliability case A12) goes into every field a person types:
title, prompt, labels, tech, notes, sticky notes, annotations, replies,
ledger entries, names and verdicts.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from reviews.formats import board_json, design, mermaid, svg
from reviews.formats.png import MAX_SIDE, diagram_png
from tests.reviews.formats.test_mermaid import _valid, boards
from whiteboard import ops

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</text><script>alert(2)</script>",
    "[x](javascript:alert(1))",
    "javascript:alert(1)",
    "{{7*7}} {% debug %}",
    '"]; click A "javascript:alert(1)"',
    "# heading\n```\n<b>raw</b>",
]
# <g> groups a shape with its text; <title> holds a label cut to fit its box, whole, as text.
SVG_TAGS = {"svg", "defs", "marker", "path", "rect", "text", "line", "circle", "g", "title"}
HTML_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "section",
    "h1",
    "h2",
    "p",
    "blockquote",
    "br",
    "figure",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "em",
    "strong",
    "ul",
    "li",
    *SVG_TAGS,
}


def element(raw: dict) -> dict:
    return ops.parse_element(raw, "e")


def hostile_data(**overrides) -> dict:
    """What `export_for` gathers, for a board where every typed field is an attack."""
    elements = [
        element(
            {
                "id": "api",
                "kind": "component",
                "type": "service",
                "label": HOSTILE[0],
                "x": 0,
                "y": 0,
                "tech": HOSTILE[2],
                "notes": HOSTILE[4],
                "replicas": 3,
            }
        ),
        element({"id": "q", "kind": "component", "type": "queue", "label": HOSTILE[1], "x": 300, "y": 0}),
        element({"id": "n1", "kind": "note", "text": HOSTILE[8], "x": 0, "y": 200}),
        element({"id": "zone", "kind": "frame", "label": HOSTILE[7], "x": -20, "y": -20, "w": 700, "h": 160}),
        element({"id": "a1", "kind": "arrow", "source": "api", "target": "q", "label": HOSTILE[3], "style": "async"}),
    ]
    thread = {
        "id": "a-1",
        "layer": "challenges",
        "target": "q",
        "kind": "failure_mode",
        "text": HOSTILE[5],
        "author": "p-int",
        "prompted": True,
        "status": "answered",
        "snapshot": None,
        "raised_seq": 3,
        "answered_seq": 4,
        "created_at": "t",
        "updated_at": "t",
        "orphaned": False,
        "outdated": True,
        "replies": [
            {"id": "r-1", "author": "p-cand", "text": HOSTILE[6], "seq": 4, "created_at": "t", "edited_at": None}
        ],
    }
    resolved = {**thread, "id": "a-2", "target": None, "status": "resolved", "text": "Why Kafka?", "replies": []}
    private = {**thread, "id": "p-1", "layer": "private", "status": "open", "text": "PRIVATE-CANARY", "replies": []}
    data = {
        "board": {"id": "b", "title": HOSTILE[7], "prompt": f"{HOSTILE[4]}\n{HOSTILE[0]}", "mode": "interview"},
        "elements": elements,
        "annotations": [thread, resolved, private],
        "requirements": [
            {
                "id": "q1",
                "kind": "question",
                "text": HOSTILE[1],
                "links": [],
                "author": "p-cand",
                "seq": 1,
                "created_at": "t",
                "answer": {"text": HOSTILE[4], "author": "p-int", "seq": 2, "at": "t"},
            },
        ],
        "participants": {
            "p-int": {"name": HOSTILE[2], "role": "interviewer"},
            "p-cand": {"name": "Casey", "role": "candidate"},
            "p-other": {"name": "Nobody", "role": "observer"},
        },
        "exported_at": "2026-11-23T20:00:00Z",
    }
    return {**data, **overrides}


VERDICTS = [{"reviewer": HOSTILE[0], "verdict": "approve_with_changes", "summary": HOSTILE[4], "submitted_at": "t1"}]


# --------------------------------------------------------------------------- Markdown


def test_the_markdown_document_has_every_section_with_everything_escaped():
    text = design.design_markdown(hostile_data(), reviews=VERDICTS)
    for heading in (
        "## Context",
        "## Diagram",
        "## Components",
        "## Connections",
        "## Notes on the canvas",
        "## Requirements",
        "## Open threads",
        "## Resolved threads",
        "## Verdicts",
    ):
        assert heading in text
    assert "<script" not in text and "<img" not in text and "<svg" not in text and "<b>" not in text
    assert "](javascript:" not in text and "{{7*7}}" not in text
    assert r"&lt;script&gt;alert\(1\)&lt;/script&gt;" in text
    assert r"\[x\]\(javascript:alert\(1\)\)" in text
    assert "approve with changes" in text and "Why Kafka?" in text and "PRIVATE\\-CANARY" in text
    # A label cannot close the Mermaid block early: the only fences are the block's own.
    assert [line for line in text.splitlines() if line.startswith("```")] == ["```mermaid", "```"]
    # Every line that starts with # is a heading of the document, not one typed on the board.
    assert all(line.startswith(("# ", "## ")) for line in text.splitlines() if line.startswith("#"))


def test_the_mermaid_block_is_the_mermaid_export():
    data = hostile_data()
    text = design.design_markdown(data)
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == mermaid.to_mermaid(data["elements"])


@pytest.mark.parametrize("build", [design.design_markdown, design.design_html])
def test_verdicts_appear_only_when_the_reviews_hook_gives_them(build):
    data = hostile_data()
    assert "Verdicts" not in build(data)
    assert "Verdicts" in build(data, reviews=[]) and "No verdicts yet." in build(data, reviews=[])
    assert "Casey" in build(
        data, reviews=[{"reviewer": "Casey", "verdict": "approve", "summary": "", "submitted_at": ""}]
    )


def test_an_empty_board_still_makes_a_document():
    data = hostile_data(
        elements=[], annotations=[], requirements=[], board={"id": "b", "title": "", "prompt": "", "mode": "review"}
    )
    text = design.design_markdown(data)
    assert "No prompt." in text and "No components." in text and "Design review" in text
    assert "Requirements" not in text
    assert design.design_html(data).startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- HTML


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_document_is_inert_and_shows_every_hostile_text_as_text():
    page = design.design_html(hostile_data(), reviews=VERDICTS)
    parsed = Collect()
    parsed.feed(page)
    assert set(parsed.tags) <= HTML_TAGS
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert not any("javascript:" in value.lower() for _, value in parsed.attrs)
    assert ("http-equiv", "Content-Security-Policy") in parsed.attrs
    text = "".join(parsed.text)
    for attack in HOSTILE[:8]:
        assert attack in text or attack.replace("\n", "") in text
    assert "PRIVATE-CANARY" in text and "approve with changes" in text


# --------------------------------------------------------------------------- SVG


def test_the_svg_is_well_formed_inert_and_survives_characters_xml_forbids():
    data = hostile_data()
    data["elements"][0] = {**data["elements"][0], "label": "bell\x07 and \x1b[31m escape\ufffe"}
    document = svg.export(data)
    root = ET.fromstring(document.encode())
    assert {node.tag.split("}")[-1] for node in root.iter()} <= SVG_TAGS
    for node in root.iter():
        assert not any(name.lower().startswith("on") or "href" in name for name in node.attrib)
        assert not any("javascript:" in value or "data:" in value for value in node.attrib.values())
    texts = [node.text for node in root.iter() if node.tag.endswith(("text", "title"))]
    assert HOSTILE[1] in texts and HOSTILE[3] in texts
    assert "bell\ufffd and \ufffd[31m escape\ufffd" in texts
    # Badges count open challenges only: the queue's was answered.
    assert svg.open_challenges(data["annotations"]) == {}
    assert svg.open_challenges([{**data["annotations"][0], "status": "reopened"}]) == {"q": 1}


# --------------------------------------------------------------------------- PNG


def test_the_png_is_deterministic_and_sized_to_the_diagram():
    data = hostile_data()
    first = diagram_png(data["elements"], {"q": 2})
    assert first == diagram_png(data["elements"], {"q": 2})
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(first))
    # Bounds -20..680 (the frame's) by -20..320 plus 40 of padding each side, at two pixels a unit.
    assert image.size == (2 * (700 + 80), 2 * (340 + 80))
    assert first != diagram_png(data["elements"], {"q": 1})


def test_a_huge_board_is_drawn_smaller_not_bigger():
    far = [
        element({"id": "a", "kind": "component", "type": "service", "x": -1e6, "y": -1e6}),
        element({"id": "b", "kind": "component", "type": "service", "x": 1e6, "y": 5, "label": "far away"}),
    ]
    image = Image.open(io.BytesIO(diagram_png(far)))
    assert max(image.size) <= MAX_SIDE
    assert Image.open(io.BytesIO(diagram_png([]))).size == (400, 200)


# --------------------------------------------------------------------------- JSON


def test_the_json_document_is_the_browsers_export_plus_annotations():
    data = hostile_data()
    document = board_json.board_document(data)
    assert list(document) == [
        "format",
        "version",
        "board",
        "elements",
        "annotations",
        "flows",
        "participants",
        "scenarios",
        "decisions",
    ]
    assert (document["format"], document["version"]) == ("bothsides", 1)
    assert document["board"] == {"title": HOSTILE[7], "prompt": data["board"]["prompt"], "mode": "interview"}
    assert [e["id"] for e in document["elements"]] == ["api", "q", "n1", "zone", "a1"]  # arrows last, as exporter.ts
    assert [a["id"] for a in document["annotations"]] == ["a-1", "a-2", "p-1"]
    assert not any("orphaned" in a or "outdated" in a for a in document["annotations"])
    # Only the people who wrote something in it, not everyone on the board.
    assert document["participants"] == [
        {"id": "p-int", "name": HOSTILE[2], "role": "interviewer"},
        {"id": "p-cand", "name": "Casey", "role": "candidate"},
    ]
    assert json.loads(json.dumps(document)) == document


# --------------------------------------------------------------------------- importing annotations (the plan)


def exported(*threads: dict, mode: str = "interview", **extra) -> dict:
    return {
        "format": "bothsides",
        "version": 1,
        "board": {"title": "t", "prompt": "", "mode": mode},
        "elements": [{"id": "api", "kind": "component", "type": "service", "x": 0, "y": 0}],
        "annotations": list(threads),
        "participants": [
            {"id": "o", "name": "Olive", "role": "owner"},
            {"id": "i", "name": "Ivan", "role": "interviewer"},
            {"id": "c", "name": "Casey", "role": "candidate"},
            {"id": "r", "name": "Rui", "role": "reviewer"},
        ],
        **extra,
    }


def thread(annotation_id: str = "a-1", *, status: str = "open", replies=(), **fields) -> dict:
    base = {"id": annotation_id, "layer": "challenges", "target": "api", "kind": "failure_mode", "text": "Why?"}
    return {**base, "author": "i", "status": status, "replies": list(replies), **fields}


def ops_of(plan: board_json.Plan) -> list[tuple]:
    return [(s.author, s.op["op"], s.op.get("status")) for s in plan.steps]


def test_statuses_are_rebuilt_by_the_rules_not_written():
    answered = thread(status="answered", replies=[{"id": "r1", "author": "c", "text": "It retries."}])
    reopened = thread("a-2", status="reopened")
    resolved = thread("a-3", status="resolved", replies=[{"id": "r1", "author": "o", "text": "ok"}])
    plan = board_json.plan_annotations(exported(answered, reopened, resolved), "interview")
    assert (plan.problems, plan.report[1:]) == ([], [])
    assert ops_of(plan) == [
        ("i", "annotate", None),
        ("c", "reply", None),  # the candidate's reply is what makes it answered
        ("i", "annotate", None),
        (None, "set_status", "resolved"),
        (None, "set_status", "reopened"),
        ("i", "annotate", None),
        (None, "reply", None),  # the owner's part is the importer's
        (None, "set_status", "resolved"),
    ]
    assert plan.authors == {
        "i": {"name": "Ivan", "role": "interviewer"},
        "c": {"name": "Casey", "role": "candidate"},
        "r": {"name": "Rui", "role": "reviewer"},
    }
    assert plan.report == [
        {"path": "content.annotations", "line": None, "message": board_json.IMPORTER_NOTE},
    ]


def test_what_cannot_be_rebuilt_is_reported_and_orphans_move_to_the_board():
    no_answer = thread(status="answered")
    orphan = thread("a-2", target="gone")
    plan = board_json.plan_annotations(exported(no_answer, orphan, versions=[{"n": 1}]), "interview")
    assert plan.problems == []
    assert [(r["path"], r["message"]) for r in plan.report] == [
        ("content.versions", "not imported: versions (version history is not imported yet)"),
        ("content.annotations[0].status", "'a-1' was answered, which its replies do not make it here: now open."),
        ("content.annotations[1].target", "'a-2' was about 'gone', which is not on the board: now on the whole board."),
    ]
    assert plan.steps[1].op["annotation"]["target"] is None


def test_every_bad_annotation_is_a_problem_with_its_path():
    plan = board_json.plan_annotations(
        exported(
            thread("bad id!"),
            thread("a-2", layer="private"),
            thread("a-3", text=""),
            thread("a-4", status="closed"),
            thread("a-5", replies=[{"id": "r1", "text": "x"}, {"id": "r1", "text": "y"}]),
            "not an object",
            thread("a-6"),
            thread("a-6"),
        ),
        "interview",
    )
    assert [(p["path"], p["message"]) for p in plan.problems] == [
        ("content.annotations[0].id", "An id is 1 to 64 characters of letters, digits, '-' or '_'."),
        ("content.annotations[1].id", "Ids starting with 'p-' are for the private layer, and only they are."),
        ("content.annotations[2].text", "Text cannot be empty."),
        ("content.annotations[3].status", "Expected one of: open, answered, resolved, reopened."),
        ("content.annotations[4].replies[1].id", "Reply 'r1' appears twice."),
        ("content.annotations[5]", "Expected an annotation object."),
        ("content.annotations[7].id", "Annotation 'a-6' appears twice."),
    ]


def test_steps_are_batched_by_author_and_stream():
    plan = board_json.plan_annotations(
        exported(
            thread("a-1"),
            thread("a-2"),
            thread("p-1", layer="private", kind="comment"),
            thread("a-3", author="c", layer="notes"),
        ),
        "interview",
    )
    groups = [[s.op["annotation"]["id"] for s in batch] for batch in board_json.batches(plan.steps, 500)]
    assert groups == [["a-1", "a-2"], ["p-1"], ["a-3"]]
    assert [len(b) for b in board_json.batches(plan.steps, 1)] == [1, 1, 1, 1]


# --------------------------------------------------------------------------- any board, every format (A24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards(), st.text(max_size=20).filter(_valid))
def test_any_board_exports_in_every_format(elements, note_text):
    elements = [*elements, element({"id": "note-x", "kind": "note", "text": note_text, "x": 5, "y": 5})]
    data = hostile_data(elements=elements, annotations=[])
    ET.fromstring(svg.export(data).encode())
    Collect().feed(design.design_html(data))
    markdown = design.design_markdown(data)
    assert [line for line in markdown.splitlines() if line.startswith("```")] == ["```mermaid", "```"]
    assert Image.open(io.BytesIO(diagram_png(elements))).format == "PNG"
    json.dumps(board_json.board_document(data))


def test_frames_are_drawn_first_so_behind_the_boxes_largest_first():
    boxes = [
        element({"id": "api", "kind": "component", "type": "service", "label": "API", "x": 40, "y": 60}),
        element({"id": "inner", "kind": "frame", "label": "AZ a", "x": 20, "y": 20, "w": 300, "h": 200}),
        element({"id": "outer", "kind": "frame", "label": "Region", "x": 0, "y": 0, "w": 800, "h": 400}),
    ]
    drawing = svg.diagram_svg(boxes)
    assert drawing.index(">Region<") < drawing.index(">AZ a<") < drawing.index(">API<")
    assert 'viewBox="-40.0 -40.0 880.0 480.0"' in drawing  # the outer frame sets the bounds
