"""The interview report shows the decisions, the candidate's familiarity marks and the unknowns,
in HTML and Markdown, with what was typed kept as text."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import add, board_with_owner, member
from tests.reviews.decision_ops import decide
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db


def test_the_report_shows_decisions_familiarity_and_unknowns():
    board, _owner = board_with_owner(title="Orders")
    interviewer, candidate = member(board, "interviewer"), member(board, "candidate")
    ops = [
        add("q", type="queue", label="Events", tech="Kafka", familiarity="unknown"),
        add("db", type="database", label="Orders DB", familiarity="production"),
        decide("d1", "q", choice="Kafka <b>", alternatives=["SQS"], why="replay", cost="ops"),
        {"op": "requirement", "entry": {"id": "u1", "kind": "unknown", "text": "Not sure about Kafka at scale"}},
    ]
    batch_submit(board_id=board.id, participant_id=candidate.participant.id, batch_id="b1", raw_ops=ops)
    client = Client()
    client.force_login(interviewer.user)
    page = client.get(f"/boards/{board.id}/report/").content.decode()
    assert page.count('data-testid="report-decisions"') == 1 and page.count('data-testid="report-familiarity"') == 1
    assert "Kafka &lt;b&gt;, not SQS" in page and "<b>" not in page.split('data-testid="report-decisions"')[1][:2000]
    assert "Events: the candidate not sure" in page and "Orders DB: the candidate ran it in production" in page
    assert "Not sure about Kafka at scale" in page and "Unknown" in page
    markdown = client.get(f"/boards/{board.id}/report.md").content.decode()
    assert markdown.count("## Decisions\n") == 1 and markdown.count("## Familiarity and unknowns\n") == 1
    assert "- **Events**: Kafka &lt;b&gt;, not SQS" in markdown and "  - Why: replay" in markdown
    assert "- Events: the candidate not sure" in markdown
    assert "**Unknown**" in markdown
