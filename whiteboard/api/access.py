"""Who the caller is on a board, and the refusals every REST view shares. Public: `reviews.api` builds on it.

A view resolves the caller's participation first (`participation`), checks
their role (`require`) and documents the same error responses (`ERRORS`), so
the whole API answers "not on this board" and "not allowed" alike.
"""

from __future__ import annotations

from uuid import UUID

from rest_framework.request import Request

from whiteboard.api.authentication import guest_ids
from whiteboard.api.serializers import ErrorOutput
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Participant
from whiteboard.selectors import participant_for

ERRORS = {400: ErrorOutput, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput}


def participation(request: Request, board_id: UUID) -> Participant:
    """The caller's role on the board; a board they are not on is 'not found', never 'forbidden'."""
    participant = participant_for(board_id, user=request.user, guest_ids=guest_ids(request))
    if participant is None:
        raise SyncError(ErrorCode.NOT_FOUND, "No board with this id is shared with you.")
    return participant


def require(allowed: bool, message: str) -> None:
    """Refuse (403) unless the caller's role allows it."""
    if not allowed:
        raise SyncError(ErrorCode.FORBIDDEN, message)
