"""GET /api/boards/{id}/export/ and POST /api/boards/import/: downloads, privacy, and round trips."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from PIL import Image

from reviews import annotations as A
from reviews.annotation_queries import annotations_by_id
from reviews.formats import mermaid
from reviews.models import Annotation
from tests.factories import UserFactory, add, arrow, member
from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.factories import annotate, reply, set_status
from whiteboard import ops
from whiteboard.models import Batch, Board, Element, Participant
from whiteboard.selectors import batch_message
from whiteboard.ws_auth import GUEST_SESSION_KEY

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE-CANARY weak on queues"
FORMATS = {
    "json": ("application/json", "json", False),
    "markdown": ("text/markdown; charset=utf-8", "md", False),
    "html": ("text/html; charset=utf-8", "html", True),
    "mermaid": ("text/plain; charset=utf-8", "mmd", False),
    "svg": ("image/svg+xml", "svg", True),
    "png": ("image/png", "png", False),
    "excalidraw": ("application/json", "excalidraw", False),
    "drawio": ("application/xml", "drawio", True),
}


@pytest.fixture
def people():
    """An interview with a thread in every state, a candidate's note, a private note and a reviewer's thread."""
    people = cast()
    board = people.board
    submit(board, people.owner, add("q", type="queue", label="Jobs"), arrow("api-q", "api", "q", style="async"))
    submit(board, people.interviewer, annotate("a-1", "api", text="What if the API dies?"))
    submit(board, people.candidate, reply("a-1", "r-1", "Two replicas behind the LB."))
    submit(board, people.interviewer, reply("a-1", "r-2", "And if both die?"))
    submit(board, people.interviewer, annotate("a-2", "db", kind="scaling", text="How does the DB scale?"))
    submit(board, people.interviewer, set_status("a-2", "resolved"))
    submit(board, people.interviewer, annotate("a-3", "api-db", kind="trade_off", text="Why sync here?"))
    submit(board, people.interviewer, set_status("a-3", "resolved"))
    submit(board, people.interviewer, set_status("a-3", "reopened"))
    submit(board, people.candidate, annotate("a-4", "q", layer="notes", kind="failure_mode", text="Jobs may repeat."))
    submit(board, people.reviewer, annotate("a-5", None, kind="clarify", text="Which region?"))
    submit(board, people.interviewer, annotate("p-1", "api", layer="private", kind="comment", text=SECRET))
    submit(board, people.owner, reply("p-1", "r-1", "Agreed"))
    return people


def url(board: Board | str, fmt: str | None = None) -> str:
    board_id = board.id if isinstance(board, Board) else board
    return f"/api/boards/{board_id}/export/" + (f"?format={fmt}" if fmt else "")


def summary(document: dict) -> list[tuple]:
    return [(a["id"], a["text"], a["status"], [r["text"] for r in a["replies"]]) for a in document["annotations"]]


def meaning(elements: dict) -> tuple[list, list]:
    components = sorted((e["id"], e["type"], e["label"]) for e in elements.values() if e["kind"] == "component")
    links = sorted(
        (e["source"], e["target"], e["label"], e["style"]) for e in elements.values() if e["kind"] == "arrow"
    )
    return components, links


def elements_of(board_id) -> dict:
    return {row.element_id: row.data for row in Element.objects.filter(board_id=board_id)}


def threads(board_id) -> dict:
    """The meaning of every thread, with authors as (name, role): what survives an import."""
    people = {str(p.id): (p.name, p.role) for p in Participant.objects.filter(board_id=board_id)}
    out = {}
    for row in Annotation.objects.filter(board_id=board_id).prefetch_related("replies"):
        out[row.annotation_id] = {
            "layer": row.layer,
            "target": row.target,
            "kind": row.kind,
            "text": row.text,
            "status": row.status,
            "author": people[str(row.author_id)],
            "replies": [(r.reply_id, r.text, people[str(r.author_id)]) for r in row.replies.all()],
        }
    return out


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_a_download(people, fmt):
    media_type, extension, sandboxed = FORMATS[fmt]
    response = api(people.candidate).get(url(people.board, fmt))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"] == f'attachment; filename="design-a-url-shortener.{extension}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    if sandboxed:
        assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    if fmt == "png":
        assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_json_is_the_default_and_an_unknown_format_is_refused(people):
    response = api(people.owner).get(url(people.board))
    assert response["Content-Type"] == "application/json" and response.json()["format"] == "bothsides"
    refused = api(people.owner).get(url(people.board, "docx"))
    assert refused.status_code == 400
    assert refused.json()["code"] == "validation_error" and refused.json()["path"] == "format"


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
def test_nobody_outside_the_private_layer_finds_it_in_any_format(people, role):
    for fmt in ("json", "markdown", "html", "mermaid", "svg", "excalidraw", "drawio"):
        body = api(people.by_role(role)).get(url(people.board, fmt)).content.decode()
        assert SECRET not in body and "p-1" not in body, fmt
    document = api(people.by_role(role)).get(url(people.board, "json")).json()
    assert [a["id"] for a in document["annotations"]] == ["a-1", "a-2", "a-3", "a-4", "a-5"]


@pytest.mark.parametrize("role", ["owner", "interviewer"])
def test_its_readers_get_it_in_the_document_and_the_file(people, role):
    client = api(people.by_role(role))
    assert SECRET in client.get(url(people.board, "json")).content.decode()
    assert "PRIVATE\\-CANARY" in client.get(url(people.board, "markdown")).content.decode()
    assert SECRET in client.get(url(people.board, "html")).content.decode()


def test_a_stranger_gets_not_found_and_nobody_signed_out_gets_anything(people):
    stranger = UserFactory()
    client = api()
    client.force_authenticate(stranger)
    assert client.get(url(people.board, "json")).status_code == 404
    assert api().get(url(people.board, "json")).status_code in (401, 403)


def test_a_guest_who_joined_by_invite_can_export(people):
    guest = member(people.board, "observer", guest=True)
    client = Client()
    session = client.session
    session[GUEST_SESSION_KEY] = [str(guest.participant.id)]
    session.save()
    response = client.get(url(people.board, "markdown"))
    assert response.status_code == 200 and "## Open threads" in response.content.decode()


def test_the_design_document_tells_open_from_resolved(people):
    text = api(people.interviewer).get(url(people.board, "markdown")).content.decode()
    open_part, resolved_part = text.split("## Open threads", 1)[1].split("## Resolved threads", 1)
    assert "What if the API dies?" in open_part and "Two replicas behind the LB\\." in open_part
    assert "Why sync here?" in open_part and "(reopened; " in open_part
    assert "How does the DB scale?" in resolved_part and "What if" not in resolved_part
    assert "```mermaid" in text and 'q[/"Jobs"/]' in text and "api -.-> q" in text


def test_hostile_labels_reach_every_format_only_as_text(people):
    attack = '"]; click api "javascript:alert(1)" <script>alert(1)</script> [x](javascript:alert(2))'
    submit(people.board, people.candidate, {"op": "update", "id": "api", "props": {"label": attack}})
    client = api(people.interviewer)
    mermaid_text = client.get(url(people.board, "mermaid")).content.decode()
    line = next(line for line in mermaid_text.splitlines() if line.startswith("    api["))
    assert line.count('"') == 2 and line.endswith('"]')  # the label's own quotes are entities
    chart = mermaid.parse(mermaid_text)
    assert chart.skipped == [] and chart.nodes["api"].label == attack  # no click came out of it
    for fmt in ("markdown", "html", "svg"):
        body = client.get(url(people.board, fmt)).content.decode()
        assert "<script>" not in body and '="javascript:' not in body, fmt
    assert "](javascript:" not in client.get(url(people.board, "markdown")).content.decode()


# --------------------------------------------------------------------------- import: JSON round trip


def test_export_then_import_gives_the_same_elements_and_threads(people):
    exported = api(people.interviewer).get(url(people.board, "json")).json()
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["mode"], body["role"]) == ("Design a URL shortener", "interview", "owner")
    assert elements_of(body["id"]) == elements_of(people.board.id)
    assert threads(body["id"]) == threads(people.board.id)
    # The owner's reply to p-1 is now the importer's (here the same person).
    assert [r["path"] for r in body["report"]] == ["content.annotations"]
    # The stand-ins are the exported authors, and can never sign in: no account, no invite.
    stand_ins = Participant.objects.filter(board_id=body["id"]).exclude(role="owner")
    assert sorted((p.name, p.role, p.user_id, p.invite_id) for p in stand_ins) == sorted(
        (m.participant.name, m.participant.role, None, None)
        for m in (people.interviewer, people.candidate, people.reviewer)
    )
    # Written as ordinary batches: the log folds to exactly what is stored.
    log = [batch_message(b) for b in Batch.objects.filter(board_id=body["id"]).order_by("stream", "seq")]
    assert A.fold(log) == annotations_by_id(body["id"], set(threads(body["id"])))
    assert ops.fold([b["ops"] for b in log if b["stream"] == "public"]) == elements_of(body["id"])
    # And exporting the copy gives the same file, but for who the people are.
    again = api(people.owner).get(url(body["id"], "json")).json()
    assert again["elements"] == exported["elements"]
    assert summary(again) == summary(exported)


def test_a_candidates_export_imports_without_what_they_could_not_see(people):
    exported = api(people.candidate).get(url(people.board, "json")).json()
    body = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json").json()
    assert set(threads(body["id"])) == {"a-1", "a-2", "a-3", "a-4", "a-5"}


def test_an_import_keeps_the_browsers_contract_and_takes_a_versions_key(people):
    exported = api(people.owner).get(url(people.board, "json")).json()
    browser = {key: exported[key] for key in ("format", "version", "board", "elements")}
    as_text = json.dumps({**browser, "versions": [{"number": 1}]})
    response = api(people.owner).post(
        "/api/boards/import/", {"format": "json", "title": "Copy", "content": as_text}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Copy"
    assert response.json()["report"] == [
        {
            "path": "content.versions",
            "line": None,
            "message": "not imported: versions (version history is not imported yet)",
        }
    ]


def test_a_bad_annotation_refuses_the_whole_file(people):
    exported = api(people.owner).get(url(people.board, "json")).json()
    exported["annotations"][1]["text"] = ""
    exported["elements"][0]["x"] = "left"
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["content.elements[0].x", "content.annotations[1].text"]
    assert Board.objects.count() == 1


def test_a_json_file_with_a_key_given_twice_is_not_valid_json(people):
    content = '{"format": "bothsides", "format": "bothsides", "version": 1, "elements": []}'
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": content}, format="json")
    assert response.status_code == 400 and response.json()["problems"][0]["message"] == "The file is not valid JSON."


def test_a_stand_in_whose_role_cannot_write_it_refuses_the_file(people):
    exported = api(people.owner).get(url(people.board, "json")).json()
    author = exported["annotations"][0]["author"]
    for person in exported["participants"]:
        if person["id"] == author:
            person["role"] = "observer"
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    (problem,) = response.json()["problems"]
    assert problem["path"] == "content.annotations[0]" and "observer" in problem["message"]
    assert Board.objects.count() == 1


# --------------------------------------------------------------------------- import: Mermaid


README = """---
title: Checkout
---
flowchart LR
    %% from the service's README
    web([Web app]) -->|HTTPS| api[Checkout API]
    api --> db[(Orders)] & q[/Payments queue/]
    subgraph workers [Workers]
        pay[[Payment worker]]
    end
    q -.-> pay
    pay --> psp[\\Stripe/]
    click psp "https://stripe.com"
    classDef ext fill:#eee
"""


def test_a_readme_flowchart_becomes_a_board(people):
    response = api(people.owner).post("/api/boards/import/", {"format": "mermaid", "content": README}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["role"], body["mode"]) == ("Checkout", "owner", "interview")
    got = elements_of(body["id"])
    assert {i: (e["type"], e["label"]) for i, e in got.items() if e["kind"] == "component"} == {
        "web": ("client", "Web app"),
        "api": ("service", "Checkout API"),
        "db": ("database", "Orders"),
        "q": ("queue", "Payments queue"),
        "pay": ("worker", "Payment worker"),
        "psp": ("external", "Stripe"),
    }
    assert sorted((e["source"], e["target"], e["label"], e["style"]) for e in got.values() if e["kind"] == "arrow") == [
        ("api", "db", "", "sync"),
        ("api", "q", "", "sync"),
        ("pay", "psp", "", "sync"),
        ("q", "pay", "", "async"),
        ("web", "api", "HTTPS", "sync"),
    ]
    assert got["pay"]["notes"] == "Subgraph: Workers"
    assert body["report"] == [
        {"line": 8, "message": "subgraph 'Workers' flattened: its title is in the notes of its 1 node"},
        {"line": 13, "message": "not imported: click psp (links and callbacks are never imported)"},
        {"line": 14, "message": "not imported: classDef ext (styling)"},
    ]


def test_a_broken_flowchart_is_refused_with_every_line_that_failed(people):
    content = "graph TD\n  A[ok] --> B\n  B -> C\n  C --> D[(db\n"
    response = api(people.owner).post(
        "/api/boards/import/", {"format": "mermaid", "title": "x", "content": content}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and body["message"] == "The file has 2 problems."
    assert body["problems"] == [
        {"line": 3, "message": "could not understand 'B -> C': expected a link such as '-->', found '-> C'"},
        {"line": 4, "message": "could not understand 'C --> D[(db': the label is never closed with ')]'"},
    ]
    assert Board.objects.count() == 1


def test_mermaid_is_sent_as_text(people):
    response = api(people.owner).post("/api/boards/import/", {"format": "mermaid", "content": {"a": 1}}, format="json")
    assert response.status_code == 400 and response.json()["problems"][0]["path"] == "content"


def test_a_board_goes_out_as_mermaid_and_back_in(people):
    text = api(people.candidate).get(url(people.board, "mermaid")).content.decode()
    body = (
        api(people.owner)
        .post("/api/boards/import/", {"format": "mermaid", "content": text, "mode": "review"}, format="json")
        .json()
    )
    assert body["mode"] == "review" and body["report"] == []
    assert meaning(elements_of(body["id"])) == meaning(elements_of(people.board.id))


def test_importing_needs_an_account(people):
    guest = member(people.board, "interviewer", guest=True)
    assert guest.token is None
    response = api().post("/api/boards/import/", {"format": "mermaid", "content": "graph LR\n A-->B"}, format="json")
    assert response.status_code in (401, 403)
