"""Scorecards: each interviewer's private evaluation, scored independently.

Scorecards never travel over the board socket and are not in the op log:
they are judgements about the candidate, not part of the design, and the
candidate must never receive a byte of them. Only owners and interviewers
read or write them, over REST. Reading them is `reviews.scorecard_queries`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from reviews import scoring
from reviews.models import Scorecard
from reviews.scorecard_queries import require_scorer
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant


@transaction.atomic
def scorecard_save(*, board_id: UUID, participant: Participant, data: Any) -> Scorecard:
    """Save the caller's draft. A submitted scorecard is final: it was scored before seeing others'."""
    require_scorer(participant)
    card = scoring.parse_scorecard(data)
    existing = Scorecard.objects.select_for_update().filter(board_id=board_id, author=participant).first()
    if existing is not None and existing.submitted_at is not None:
        raise SyncError(ErrorCode.FORBIDDEN, "This scorecard was submitted and can no longer change.")
    row, _ = Scorecard.objects.update_or_create(board_id=board_id, author=participant, defaults=card)
    return row


@transaction.atomic
def scorecard_submit(*, board_id: UUID, participant: Participant) -> Scorecard:
    require_scorer(participant)
    card = Scorecard.objects.select_for_update().filter(board_id=board_id, author=participant).first()
    if card is None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Save a scorecard before submitting it.")
    if card.submitted_at is not None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "This scorecard was already submitted.")
    scoring.check_complete({"dimensions": card.dimensions, "hire": card.hire})
    card.submitted_at = timezone.now()
    card.save(update_fields=["submitted_at", "updated_at"])
    return card
