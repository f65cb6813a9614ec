"""The coach's runner: ask `reviews.coach` what to do, and write it into the log as the coach participant.

A practice board's coach acts after the candidate's batches and on a clock
tick; both arrive as `coach_step` calls (the practice page calls
`POST /api/boards/{id}/practice/tick/` after each acknowledged batch and every
few seconds while open: a board nobody has open needs no coach). The step
locks the board, reads the public log, decides at one `now`, and stores the
ops as ordinary batches stamped with that `now`, so a replay of the log through
`coach.decide` gives the same ops. Acknowledged means durable: the batches
announce themselves after the transaction commits, as any batch does.

Also the `notice` op kind, plugged into whiteboard's batches like the others.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviews import coach
from reviews.models import BoardQuestion
from whiteboard import extensions
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Mode, Participant
from whiteboard.roles import Actor
from whiteboard.selectors import batches_after
from whiteboard.services.batches import Committed, batch_submit

COACH_ROLE = coach.COACH


@cache
def catalogue() -> coach.Rules:
    """The rules file (`settings.COACH_RULES`, else the built-in one), read once per process."""
    path: str = settings.COACH_RULES
    return coach.load_rules(Path(path)) if path else coach.load_rules()


def _parsed(message: dict[str, Any]) -> dict[str, Any]:
    return {**message, "at": datetime.fromisoformat(message["at"])}


def practice_log(board_id: UUID) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The public stream as `coach.decide` and the signals read it, and who is who."""
    batches = [_parsed(message) for message in batches_after(board_id, 0)]
    roles = {str(p.id): p.role for p in Participant.objects.filter(board_id=board_id).only("id", "role")}
    return batches, roles


def board_question(board_id: UUID) -> dict[str, Any] | None:
    record = BoardQuestion.objects.filter(board_id=board_id).only("content").first()
    return None if record is None else dict(record.content)


def rules_of(question: dict[str, Any] | None) -> coach.Rules:
    rules = coach.rules_for(catalogue(), None if question is None else question.get("id"))
    scale: float = settings.COACH_TIME_SCALE
    return coach.scaled(rules, scale)


def coach_step(board_id: UUID, *, now: datetime | None = None, finish: bool = False) -> list[Committed]:
    """Let the coach act on a practice board at `now` (default: the server clock); returns what it stored."""
    with transaction.atomic():
        board = Board.objects.select_for_update().filter(pk=board_id).first()
        if board is None or board.mode != Mode.PRACTICE:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "Only a practice board has a coach.")
        player = Participant.objects.get(board=board, role=COACH_ROLE)
        moment = now or timezone.now()
        batches, roles = practice_log(board_id)
        question = board_question(board_id)
        decided = coach.decide(batches, roles, question, rules_of(question), moment, finish=finish)
        if not decided:
            return []
        head = batches[-1]["seq"] if batches else 0
        batch_id = f"{'finish' if finish else 'coach'}-{head}"
        try:
            stored = batch_submit(
                board_id=board_id, participant_id=player.id, batch_id=batch_id, raw_ops=decided, at=moment
            )
        except SyncError as error:
            if error.code != ErrorCode.BATCH_CONFLICT:
                raise
            return []  # another tick decided on the same log first (the board lock is a no-op on SQLite)
        return [] if stored.duplicate else [stored]


class NoticeOps:
    """The `notice` op kind (`reviews.coach`), registered by `ReviewsConfig.ready`."""

    names = coach.NAMES
    welcome_keys = frozenset({"notices"})

    def parse(self, raw: dict[str, Any], path: str) -> coach.Op:
        return coach.parse_op(raw, path)

    def is_private(self, op: coach.Op) -> bool:
        return False

    def plan(self, context: extensions.Context, ops_: list[tuple[int, coach.Op]]) -> extensions.Planned:
        participant = context.participant
        actor = Actor(participant=str(participant.id), role=participant.role, mode=context.board.mode)
        return extensions.Planned(ops=coach.check_notices(actor, ops_), commit=lambda batch: None)

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        """A practice board's notices, read from its log (practice logs are short); other boards have none."""
        if participant.board.mode != Mode.PRACTICE:
            return {"notices": []}
        return {"notices": coach.notices(batches_after(board_id, 0))}
