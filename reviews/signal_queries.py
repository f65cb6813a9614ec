"""Signals of a stored board: load its public log and its participants, then let `reviews.interview_signals` decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import incident, interview_signals, thinking_signals
from reviews.incident_models import IncidentState
from reviews.models import BoardQuestion
from whiteboard import cpu
from whiteboard.models import Board, Element, Participant
from whiteboard.selectors import batches_after


def parsed(message: dict[str, Any]) -> dict[str, Any]:
    """A stored batch message with `at` as the datetime `interview_signals.compute` reads."""
    return {**message, "at": datetime.fromisoformat(message["at"])}


def signals_of(board_id: UUID, *, now: datetime | None = None) -> dict[str, Any]:
    """The signals of a board's public stream as it stands; `now` (default: the server clock) ends `elapsed_seconds`.

    Only the public stream is loaded: private annotations are never signal input.
    Participants are read after the batches, so every batch's author is among them;
    revoked ones are included, since what they wrote stays in the log.
    """
    batches = [parsed(message) for message in batches_after(board_id, 0)]
    roles = {str(p.id): p.role for p in Participant.objects.filter(board_id=board_id).only("id", "role")}
    walkthrough = is_walkthrough(board_id)
    # pure, and the heaviest part: off the serving process
    result = cpu.run(interview_signals.compute, batches, roles, now=now or timezone.now(), walkthrough=walkthrough)
    thinking = cpu.run(thinking_signals.compute, batches, roles)
    result["evidence"].update(thinking.pop("evidence"))
    result.update(thinking)  # decisions, beyond_happy_path, complexity, recovery, communication
    if Board.objects.filter(pk=board_id, question_type="incident").exists():
        row = IncidentState.objects.filter(board_id=board_id).first()
        fault = incident.Fault(row.fault_target, row.fault_kind) if row and row.fault_target else None
        elements = Element.objects.filter(board_id=board_id).values_list("data", flat=True)
        values, evidence = incident.signals(batches, roles, fault, list(elements))
        result["incident"] = values
        result["evidence"].update(evidence)
    return result


def is_walkthrough(board_id: UUID) -> bool:
    """Whether the board was made from a walkthrough question: its signals then tell the project's story too."""
    record = BoardQuestion.objects.filter(board_id=board_id).only("content").first()
    return record is not None and record.content.get("question_type") == "walkthrough"
