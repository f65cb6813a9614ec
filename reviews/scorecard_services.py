"""Scorecards: each interviewer's private evaluation, scored independently.

Scorecards never travel over the board socket and are not in the op log:
they are judgements about the candidate, not part of the design, and the
candidate must never receive a byte of them. Only owners and interviewers
read or write them, over REST.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from reviews import scoring
from reviews.models import Scorecard
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant
from whiteboard.protocol import iso


def _require_scorer(participant: Participant) -> None:
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
    _require_scorer(participant)
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


@transaction.atomic
def scorecard_save(*, board_id: UUID, participant: Participant, data: Any) -> Scorecard:
    """Save the caller's draft. A submitted scorecard is final: it was scored before seeing others'."""
    _require_scorer(participant)
    card = scoring.parse_scorecard(data)
    existing = Scorecard.objects.select_for_update().filter(board_id=board_id, author=participant).first()
    if existing is not None and existing.submitted_at is not None:
        raise SyncError(ErrorCode.FORBIDDEN, "This scorecard was submitted and can no longer change.")
    row, _ = Scorecard.objects.update_or_create(board_id=board_id, author=participant, defaults=card)
    return row


@transaction.atomic
def scorecard_submit(*, board_id: UUID, participant: Participant) -> Scorecard:
    _require_scorer(participant)
    card = Scorecard.objects.select_for_update().filter(board_id=board_id, author=participant).first()
    if card is None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Save a scorecard before submitting it.")
    if card.submitted_at is not None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "This scorecard was already submitted.")
    scoring.check_complete({"dimensions": card.dimensions, "hire": card.hire})
    card.submitted_at = timezone.now()
    card.save(update_fields=["submitted_at", "updated_at"])
    return card
