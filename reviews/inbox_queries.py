"""The inbox: what is waiting for me across boards. Reads only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from reviews import verdicts
from reviews.models import Annotation, Review
from reviews.review_queries import review_dict
from whiteboard.models import Participant
from whiteboard.vocabulary import MODES


def _board(participant: Participant) -> dict[str, Any]:
    return {"id": str(participant.board_id), "title": participant.board.title, "mode": participant.board.mode}


def inbox_for(user: Any) -> dict[str, Any]:
    """Reviews requested from me, reviews of my boards, and challenges waiting for my answer."""
    mine = Participant.objects.filter(user=user, revoked_at__isnull=True).select_related("board")
    requested = Review.objects.filter(reviewer__in=mine, submitted_at__isnull=True).select_related(
        "version", "reviewer__board", "requested_by"
    )
    owned = [p for p in mine if p.role == "owner"]
    of_my_boards = []
    for participant in owned:
        rows = [
            review_dict(r)
            for r in Review.objects.filter(board_id=participant.board_id).select_related("version", "reviewer")
        ]
        if rows:
            of_my_boards.append({"board": _board(participant), "state": verdicts.board_state(rows), "reviews": rows})
    # The challenged side: the author (owner) of a review board, the candidate of an interview board.
    challenged = [p for p in mine if p.role == MODES[p.board.mode].challenged]
    waiting = Annotation.objects.filter(
        Q(board_id__in=[p.board_id for p in challenged]), layer="challenges", status__in=["open", "reopened"]
    ).select_related("board")
    return {
        "requested": [
            {
                "board": _board(review.reviewer),
                "version": review.version.number,
                "version_name": review.version.name,
                "requested_by": review.requested_by.name if review.requested_by else None,
            }
            for review in requested
        ],
        "my_boards": of_my_boards,
        "waiting": [
            {
                "board": {"id": str(a.board_id), "title": a.board.title},
                "annotation": a.annotation_id,
                "kind": a.kind,
                "text": a.text,
                "target": a.target or None,
            }
            for a in waiting
        ],
    }
