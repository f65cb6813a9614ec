"""Writes of questions: a team's questions and their versions, and recording a board's question.

`QuestionSource` is what `ReviewsConfig.ready` registers with `whiteboard.starts`, so
`POST /api/boards/` with `{"question": id}` (or the older `template`) starts from one:
the open prompt, an empty canvas for a design or walkthrough question (an incident
question ships its pre-drawn system), and a `BoardQuestion` row with a copy of the version.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import transaction

from reviews import questions
from reviews.models import BoardQuestion, Question, QuestionVersion
from reviews.question_bank import BANK
from reviews.question_queries import content, may_interview, question_list, team_question
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board
from whiteboard.starts import Start

# Only an incident question's reference is the starting canvas: the others are the interviewer's answer.
STARTS_DRAWN = frozenset({"incident"})


def _refuse(message: str) -> SyncError:
    return SyncError(ErrorCode.FORBIDDEN, message)


def _new_key(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40] or "question"
    return f"{slug}_{secrets.token_hex(3)}"


def _owned(user: Any, key: str) -> Question:
    if key in BANK:
        raise _refuse("Built-in questions cannot be changed; create your own from it.")
    row = team_question(key)
    if row is None:
        raise SyncError(ErrorCode.NOT_FOUND, f"No question with id '{key}'.")
    if row.owner_id != user.id and not user.is_superuser:
        raise _refuse("Only the question's owner can change it.")
    return row


@transaction.atomic
def question_create(*, user: Any, raw: Any) -> dict[str, Any]:
    if not may_interview(user):
        raise _refuse("Only accounts allowed to interview write questions.")
    if isinstance(raw, dict) and "id" not in raw and isinstance(raw.get("title"), str):
        raw = {**raw, "id": _new_key(raw["title"])}
    question = questions.parse_question(raw)
    key = question["id"]
    if key in BANK or Question.objects.filter(key=key).exists():
        raise SyncError(ErrorCode.DUPLICATE_ID, f"The id '{key}' is taken.", "question.id")
    row = Question.objects.create(key=key, owner=user, latest=1)
    QuestionVersion.objects.create(question=row, number=1, content=question, created_by=user)
    return {**question, "version": 1}


@transaction.atomic
def question_update(*, user: Any, key: str, raw: Any) -> dict[str, Any]:
    """A new version: the latest one with the given top-level keys replaced. The id never changes."""
    row = _owned(user, key)
    Question.objects.select_for_update().filter(pk=row.pk).first()
    current = content(key)
    assert current is not None
    if not isinstance(raw, dict):
        raise SyncError(ErrorCode.BAD_REQUEST, "Expected a JSON object.", "question")
    if "id" in raw and raw["id"] != key:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "A question's id cannot change.", "question.id")
    merged = {**{k: v for k, v in current.items() if k != "version"}, **raw, "id": key}
    question = questions.parse_question(merged)
    row.latest += 1
    row.save(update_fields=["latest"])
    QuestionVersion.objects.create(question=row, number=row.latest, content=question, created_by=user)
    return {**question, "version": row.latest}


@transaction.atomic
def question_delete(*, user: Any, key: str) -> None:
    """Gone from the bank; boards made from it keep their copy."""
    _owned(user, key).delete()


def board_question_record(*, board: Board, question: questions.Question) -> BoardQuestion:
    stored = {k: v for k, v in question.items() if k != "version"}
    return BoardQuestion.objects.create(
        board=board, question_id=question["id"], version=question["version"], content=stored
    )


class QuestionSource:
    """The question bank as a starting point for new boards (`whiteboard.starts`)."""

    def resolve(self, user: Any, key: str) -> Start | None:
        question = content(key)
        if question is None:
            return None
        reference = question["reference"] or {}
        drawn = reference.get("elements", []) if question["question_type"] in STARTS_DRAWN else []

        def created(board: Board) -> None:
            board_question_record(board=board, question=question)
            if question["question_type"] == "incident" and question.get("incident"):
                from reviews.incident_services import incident_prepare

                incident_prepare(board=board, spec=question["incident"])

        return Start(
            prompt=question["prompt"], elements=drawn, created=created, question_type=question["question_type"]
        )

    def listing(self, user: Any) -> list[dict[str, Any]]:
        listed = []
        for item in question_list(user):
            start = self.resolve(user, item["id"])
            listed.append({**questions.public(item), "elements": list(start.elements) if start else []})
        return listed
