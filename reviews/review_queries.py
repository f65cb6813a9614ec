"""Async design review reads: versions, their canvases and diffs, review requests, pending comments.

The writes (publishing, restoring, requesting, submitting) are in
`reviews.review_services`; what a page, the REST API or a `welcome` shows
of them is read here.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model

from reviews import diff, verdicts
from reviews.models import PendingComment, Review, Version
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Participant
from whiteboard.protocol import iso
from whiteboard.selectors import elements_of

# Versions


def version_dict(version: Version) -> dict[str, Any]:
    return {
        "id": version.number,
        "name": version.name,
        "note": version.note,
        "seq": version.seq,
        "author": str(version.author_id),
        "created_at": iso(version.created_at),
    }


def versions_of(board_id: UUID) -> list[dict[str, Any]]:
    return [version_dict(v) for v in Version.objects.filter(board_id=board_id)]


def version_of(board_id: UUID, number: int) -> Version:
    version = Version.objects.filter(board_id=board_id, number=number).first()
    if version is None:
        raise SyncError(ErrorCode.NOT_FOUND, f"This board has no version {number}.")
    return version


def version_elements(board_id: UUID, ref: int | str) -> list[dict[str, Any]]:
    """A version's canvas, or the live one for `now`."""
    return elements_of(board_id) if ref == "now" else version_of(board_id, int(ref)).elements


def board_diff(board_id: UUID, before: int | str, after: int | str) -> dict[str, Any]:
    return diff.diff(version_elements(board_id, before), version_elements(board_id, after))


def newest_version(board_id: UUID) -> Version:
    version = Version.objects.filter(board_id=board_id).order_by("-number").first()
    if version is None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "There is no published version to review yet.")
    return version


# Pending comments


def pending_dict(comment: PendingComment) -> dict[str, Any]:
    return {
        "id": comment.annotation_id,
        "layer": "challenges",
        "target": comment.target or None,
        "kind": comment.kind,
        "text": comment.text,
        "version": comment.version.number,
        "created_at": iso(comment.created_at),
    }


def pending_of(board_id: UUID, participant: Participant) -> list[dict[str, Any]]:
    """The caller's own pending comments; nobody else's ever."""
    rows = PendingComment.objects.filter(board_id=board_id, reviewer=participant).select_related("version")
    return [pending_dict(row) for row in rows]


# Reviews


def review_dict(review: Review) -> dict[str, Any]:
    return {
        "reviewer": str(review.reviewer_id),
        "reviewer_name": review.reviewer.name,
        "version": review.version.number,
        "verdict": review.verdict,
        "summary": review.summary,
        "submitted_at": iso(review.submitted_at),
        "submitted_seq": review.submitted_seq,
    }


def reviews_of(board_id: UUID) -> dict[str, Any]:
    rows = list(Review.objects.filter(board_id=board_id).select_related("version", "reviewer"))
    listed = [review_dict(row) for row in rows]
    return {"state": verdicts.board_state(listed), "reviews": listed}


def version_numbers(board: Board) -> list[int]:
    return list(Version.objects.filter(board=board).values_list("number", flat=True))


def review_submitted(board: Board, number: int, reviewer: Participant) -> bool:
    """Whether this reviewer has already submitted their review of version `number`."""
    review = Review.objects.filter(board=board, version__number=number, reviewer=reviewer).first()
    return review is not None and review.submitted_at is not None


def _one(found: list[Any], name: str, what: str) -> Any:
    if len(found) > 1:
        message = f"{len(found)} {what} match '{name}': name them by username or participant id."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message, "reviewers")
    return found[0] if found else None


def reviewer_named(board: Board, name: str) -> Any:
    """Who `name` means: a participant id on this board, a username, an account's email address,
    or the display name of someone on this board (a guest who joined by invite link has no other).
    Returns a user or a participant, or None when nobody matches."""
    on_board = Participant.objects.filter(board=board, revoked_at__isnull=True)
    try:
        participant = on_board.filter(pk=uuid.UUID(name)).first()
    except ValueError:
        participant = None
    if participant is not None:
        return participant
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username=name).first() or _one(list(users.filter(username__iexact=name)), name, "usernames")
    if user is None and "@" in name:
        user = _one(list(users.filter(email__iexact=name)), name, "accounts")
    if user is not None:
        return user
    return _one(list(on_board.filter(name__iexact=name)), name, "people on this board")
