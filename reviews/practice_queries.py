"""Reads of practice boards: a session's feedback and a person's attempts, for their author only.

Practice boards and their feedback are private to the person practising: an
observer they invite watches the board but never reads the feedback, and
nobody else is on the board at all (`participation` answers 'not found').
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from reviews import coach, interview_signals, practice_feedback, questions, thinking_signals
from reviews.coach_services import board_question, practice_log, rules_of
from whiteboard import roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Mode, Participant


def require_author(participant: Participant) -> None:
    """Only the person practising (not an invited observer) runs the coach and reads the feedback."""
    if participant.board.mode != Mode.PRACTICE:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "This is not a practice board.")
    if not roles.is_author(participant):
        raise SyncError(ErrorCode.FORBIDDEN, "Only the person practising reads the coach's feedback.")


def feedback_of(board_id: UUID, *, now: datetime | None = None) -> dict[str, Any]:
    """The checklist with its verdicts, the signals it was judged from, and the reference's missing parts."""
    batches, who = practice_log(board_id)
    question = board_question(board_id)
    rules = rules_of(question)
    moment = now or (batches[-1]["at"] if batches else None)
    signals = interview_signals.compute(batches, who, now=moment)
    thinking = thinking_signals.compute(batches, who)  # merged as `signal_queries.signals_of` merges them
    signals["evidence"].update(thinking.pop("evidence"))
    signals.update(thinking)
    view = coach.fold_view(batches, who)
    elements = list(view.elements.values())
    ended = view.session.status == "ended"
    # The reference design is the answer: shown once the session is over, never while it runs.
    reference = (question or {}).get("reference") if ended else None
    comparison = questions.compare(elements, reference) if reference else None
    result = practice_feedback.feedback(signals, batches, who, comparison, rules)
    return {**result, "ended": ended, "signals": signals, "question": (question or {}).get("title", "")}


def attempts(user: Any) -> list[dict[str, Any]]:
    """A person's practice boards, newest first, each with its checklist verdicts (side by side on the page)."""
    boards = Board.objects.filter(owner=user, mode=Mode.PRACTICE).order_by("-created_at")
    found = []
    for board in boards:
        checklist = feedback_of(board.id)
        found.append(
            {
                "id": str(board.id),
                "title": board.title,
                "created_at": board.created_at.isoformat(),
                "ended": checklist["ended"],
                "verdicts": {line["id"]: line["verdict"] for line in checklist["checklist"]},
                "counts": {line["id"]: line["count"] for line in checklist["checklist"]},
            }
        )
    return found
