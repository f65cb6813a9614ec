"""Scorecard reads: the caller's own card, and others' only once the caller has submitted theirs.

Scorecards are judgements about the candidate: only owners and interviewers
read them, and the independent-scoring rule decides whose they see.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from reviews import scoring
from reviews.models import Scorecard
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant
from whiteboard.protocol import iso


def require_scorer(participant: Participant) -> None:
    if not scoring.can_score(participant.role):
        raise SyncError(ErrorCode.FORBIDDEN, "Only the board's owner and interviewers see scorecards.")


def scorecard_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "author": str(card.author_id),
        "author_name": card.author.name,
        "dimensions": card.dimensions,
        "hire": card.hire,
        "notes": card.notes,
        "submitted_at": iso(card.submitted_at),
        "updated_at": iso(card.updated_at),
    }


def _blank(participant: Participant) -> dict[str, Any]:
    empty = scoring.parse_scorecard({})
    return {
        "author": str(participant.id),
        "author_name": participant.name,
        **empty,
        "submitted_at": None,
        "updated_at": None,
    }


def scorecards_for(*, board_id: UUID, participant: Participant) -> dict[str, Any]:
    """The caller's own scorecard, and others' only once the caller has submitted theirs."""
    require_scorer(participant)
    cards = list(Scorecard.objects.filter(board_id=board_id).select_related("author"))
    mine = next((card for card in cards if card.author_id == participant.id), None)
    submitted = [card for card in cards if card.submitted_at is not None and card.author_id != participant.id]
    revealed = mine is not None and mine.submitted_at is not None
    return {
        "rubric": scoring.RUBRIC,
        "mine": scorecard_dict(mine) if mine else _blank(participant),
        "others": [scorecard_dict(card) for card in submitted] if revealed else [],
        "others_submitted": len(submitted),
    }
