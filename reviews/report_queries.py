"""Gather an interview report: everything the interviewers need after the session, in one place.

For owners and interviewers only: it holds private notes, signals and scorecards.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import annotation_queries, flows, question_queries, questions, scenario, scenario_queries, scoring
from reviews.decision_queries import decision_list
from reviews.flow_queries import flows_of
from reviews.formats.svg import diagram_svg, open_challenges
from reviews.interview_queries import entry_dict, session_dict, session_of
from reviews.models import LedgerEntry
from reviews.scorecard_queries import scorecards_for
from reviews.signal_queries import signals_of
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant
from whiteboard.selectors import board_state
from whiteboard.vocabulary import FAMILIARITY_INFO


def _threads(elements: dict[str, Any], annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotations grouped by what they are about: the whole board first, then elements in board order."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for annotation in annotations:
        groups.setdefault(annotation["target"], []).append(annotation)
    order = [None, *elements, *sorted(t for t in groups if t is not None and t not in elements)]
    return [
        {"target": target, "label": _label(elements, target), "annotations": groups[target]}
        for target in order
        if target in groups
    ]


def _label(elements: dict[str, Any], target: str | None) -> str:
    if target is None:
        return "The whole board"
    element = elements.get(target)
    if element is None:
        return f"{target} (deleted)"
    return element.get("label") or target


def report_for(*, board_id: UUID, participant: Participant) -> dict[str, Any]:
    if not scoring.can_score(participant.role):
        raise SyncError(ErrorCode.FORBIDDEN, "Only the board's owner and interviewers can read its report.")
    board, element_list, _ = board_state(board_id)
    elements = {element["id"]: element for element in element_list}
    annotations = annotation_queries.with_derived(board_id, annotation_queries.annotations_of(board_id, participant))
    session = session_of(board_id)
    cards = scorecards_for(board_id=board_id, participant=participant)
    submitted = [card for card in (cards["mine"], *cards["others"]) if card["submitted_at"]]
    people = Participant.objects.filter(board_id=board_id)
    record = question_queries.board_question(board_id)
    question = None
    if record is not None:
        question = questions.public({**record.content, "id": record.question_id, "version": record.version})
    private = record is not None and question_queries.private_allowed(record, participant)
    return {
        "question": question,
        "comparison": question_queries.comparison(board_id, record) if record is not None and private else None,
        "board": {"id": str(board.id), "title": board.title, "prompt": board.prompt, "seq": board.seq},
        "participants": {str(p.id): {"name": p.name, "role": p.role} for p in people},
        "session": session_dict(session),
        "used": session.used(timezone.now()) if session.started_at else None,
        "requirements": [entry_dict(row) for row in LedgerEntry.objects.filter(board_id=board_id)],
        "elements": element_list,
        "flows": [flows.described(flow, elements) for flow in flows_of(board_id).values()],
        "threads": _threads(elements, annotations),
        "signals": signals_of(board_id),
        "scenarios": [scenario.card_dict(card) for card in scenario_queries.played(board_id)],
        "rubric": scoring.RUBRIC,
        "scorecards": submitted,
        "svg": diagram_svg(element_list, open_challenges(annotations)),
        **honesty(elements, decision_list(board_id)),
    }


def honesty(elements: dict[str, Any], decided: list[dict[str, Any]]) -> dict[str, Any]:
    """The decisions (as stored: each with its author and seq), each with what its component is called,
    and the candidate's familiarity marks in the vocabulary's words. Shown, never scored: "I haven't
    used it" is information, not a fault."""
    return {
        "decisions": [{**d, "on": _label(elements, d["target"])} for d in decided],
        "familiarity": [
            {
                "on": _label(elements, e["id"]),
                "familiarity": e["familiarity"],
                "says": FAMILIARITY_INFO[e["familiarity"]]["label"],
            }
            for e in elements.values()
            if e["kind"] == "component" and e.get("familiarity")
        ],
    }
