"""Reads of questions: the bank and a team's own, who may see which part, and a board's question.

Two gates, both here so no view can forget one:

- the bank (`GET /api/questions/`): the public part for everyone signed in, the
  whole question for accounts allowed to interview (`may_interview`: the
  `reviews.interview` permission) and for a team question's owner;
- a board: the public part for everyone on it; the whole question, the fact
  suggestions and the comparison only for a role with `read_question` on a board
  whose owner may interview (`private_allowed`). A candidate who makes a board
  from a question to peek at it owns a board that carries the prompt alone.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from reviews import questions
from reviews.models import BoardQuestion, LedgerEntry, Question, QuestionVersion
from reviews.question_bank import BANK
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant
from whiteboard.selectors import board_state

READERS = vocabulary.holders("read_question")
PERMISSION = "reviews.interview"


def may_interview(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


def _not_found(key: str) -> SyncError:
    return SyncError(ErrorCode.NOT_FOUND, f"No question with id '{key}'.")


def team_question(key: str) -> Question | None:
    return Question.objects.filter(key=key).select_related("owner").first()


def content(key: str, version: int | None = None) -> questions.Question | None:
    """A question's content with its `version` (the latest unless told), built in or the team's."""
    if key in BANK:
        return BANK[key] if version in (None, BANK[key]["version"]) else None
    row = team_question(key)
    if row is None:
        return None
    stored = QuestionVersion.objects.filter(question=row, number=version or row.latest).first()
    return None if stored is None else {**stored.content, "id": key, "version": stored.number}


def _out(question: questions.Question, full: bool, *, built_in: bool, owner: str | None = None) -> dict[str, Any]:
    shown = questions.full(question) if full else questions.public(question)
    return {**shown, "built_in": built_in, "owner": owner}


def question_list(user: Any) -> list[dict[str, Any]]:
    allowed = may_interview(user)
    listed = [_out(q, allowed, built_in=True) for q in BANK.values()]
    rows = Question.objects.select_related("owner")
    latest = {
        (v.question_id, v.number): v
        for v in QuestionVersion.objects.filter(question__in=rows).select_related("question")
        if v.number == v.question.latest
    }
    for row in rows:
        version = latest.get((row.id, row.latest))
        if version is not None:
            question = {**version.content, "id": row.key, "version": version.number}
            listed.append(
                _out(question, allowed or row.owner_id == user.id, built_in=False, owner=row.owner.get_username())
            )
    return listed


def question_detail(user: Any, key: str, version: int | None = None) -> dict[str, Any]:
    question = content(key, version)
    if question is None:
        raise _not_found(key)
    row = None if key in BANK else team_question(key)
    full = may_interview(user) or (row is not None and row.owner_id == user.id)
    return _out(question, full, built_in=row is None, owner=row.owner.get_username() if row else None)


def question_versions(user: Any, key: str) -> list[dict[str, Any]]:
    if key in BANK:
        return [{"version": BANK[key]["version"], "title": BANK[key]["title"], "created_at": None, "created_by": None}]
    row = team_question(key)
    if row is None:
        raise _not_found(key)
    return [
        {
            "version": v.number,
            "title": v.content["title"],
            "created_at": v.created_at.isoformat(),
            "created_by": v.created_by.get_username(),
        }
        for v in row.versions.select_related("created_by")
    ]


# --- a board's question --------------------------------------------------------------------------


def board_question(board_id: UUID) -> BoardQuestion | None:
    return BoardQuestion.objects.filter(board_id=board_id).select_related("board__owner").first()


def private_allowed(record: BoardQuestion, participant: Participant) -> bool:
    return participant.role in READERS and may_interview(record.board.owner)


def suggestions(board_id: UUID, facts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """For each unanswered clarifying question in the ledger, the facts it seems to ask about."""
    asked = LedgerEntry.objects.filter(board_id=board_id, kind=LedgerEntry.Kind.QUESTION, answered_seq__isnull=True)
    found = {entry.entry_id: questions.suggest(entry.text, facts) for entry in asked.only("entry_id", "text")}
    return {entry: items for entry, items in found.items() if items}


def board_question_for(participant: Participant) -> dict[str, Any]:
    """What this participant may read of the board's question (`question` null when it was made from none):
    the public part, or, for those allowed, all of it and the fact `suggestions` for open ledger questions."""
    record = board_question(participant.board_id)
    if record is None:
        return {"question": None, "full": False}
    question = {**record.content, "id": record.question_id, "version": record.version}
    if not private_allowed(record, participant):
        return {"question": questions.public(question), "full": False}
    full = questions.full(question)
    return {"question": full, "full": True, "suggestions": suggestions(participant.board_id, full["facts"])}


def comparison(board_id: UUID, record: BoardQuestion) -> dict[str, Any] | None:
    """The board's canvas against its question's reference design; None when there is no reference."""
    reference = record.content.get("reference")
    if not reference or not reference.get("elements"):
        return None
    _, elements, _ = board_state(board_id)
    return questions.compare(elements, reference)


def comparison_for(participant: Participant) -> dict[str, Any] | None:
    record = board_question(participant.board_id)
    if record is None or not private_allowed(record, participant):
        return None
    return comparison(participant.board_id, record)
