"""Async design review: versions, review requests, pending comments and verdicts.

Versions pin the canvas at a seq; restoring one is a new batch of ops, never
a rewrite of the log. A reviewer's challenges stay pending (stored here, out
of the log, visible to them alone) until they submit the review; then the
challenges and the verdict land in one batch, so everyone sees them at once.
"""

import uuid
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Max

from reviews import annotations, diff, verdicts
from reviews.models import Annotation, PendingComment, Review, Version
from reviews.review_queries import (
    newest_version,
    review_submitted,
    reviewer_named,
    reviews_of,
    version_numbers,
    version_of,
    versions_of,
)
from whiteboard import broadcast, extensions
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Board, Participant
from whiteboard.ops import MAX_OPS_PER_BATCH
from whiteboard.selectors import elements_of
from whiteboard.services.batches import Committed, batch_submit
from whiteboard.services.participants import participant_add


def _require_owner(participant: Participant, action: str) -> None:
    if participant.role != "owner":
        raise SyncError(ErrorCode.FORBIDDEN, f"Only the board's owner can {action}.")


def _announce(board_id: UUID) -> None:
    """Versions and review requests are not ops: tell open boards with a `review` message."""
    broadcast.notice(board_id, {"type": "review", "versions": versions_of(board_id), "review": reviews_of(board_id)})


def _submit(board_id: UUID, participant: Participant, raw_ops: list[dict[str, Any]]) -> Committed:
    """A REST write as a batch: it announces itself to the board's sockets on commit."""
    return batch_submit(
        board_id=board_id, participant_id=participant.id, batch_id=f"rest-{uuid.uuid4().hex}", raw_ops=raw_ops
    )


# Versions


@transaction.atomic
def version_publish(*, board_id: UUID, participant: Participant, name: str, note: str = "") -> Version:
    """Pin the canvas as it is now. The board row lock orders this against batches."""
    _require_owner(participant, "publish a version")
    board = Board.objects.select_for_update().get(pk=board_id)
    number = (Version.objects.filter(board=board).aggregate(n=Max("number"))["n"] or 0) + 1
    transaction.on_commit(lambda: _announce(board_id))
    return Version.objects.create(
        board=board,
        number=number,
        name=name,
        note=note,
        seq=board.seq,
        elements=elements_of(board_id),
        author=participant,
    )


@transaction.atomic
def version_restore(*, board_id: UUID, participant: Participant, number: int) -> Committed | None:
    """Make the canvas look like version `number` again, as new batches; None if it already does.

    A large restore is several batches (a batch holds at most MAX_OPS_PER_BATCH
    ops) in one transaction: it lands whole or not at all, and sockets hear of
    it only after the commit.
    """
    _require_owner(participant, "restore a version")
    ops = diff.restore_ops(elements_of(board_id), version_of(board_id, number).elements)
    chunks = [ops[i : i + MAX_OPS_PER_BATCH] for i in range(0, len(ops), MAX_OPS_PER_BATCH)]
    committed = None
    for chunk in chunks:
        committed = _submit(board_id, participant, chunk)
    return committed


# Review requests


def _as_reviewer(participant: Participant) -> Participant:
    """An observer asked to review becomes a reviewer; a reviewer stays one; other roles are refused."""
    if participant.role == "observer":
        participant.role = "reviewer"
        participant.save(update_fields=["role"])
    elif participant.role != "reviewer":
        message = f"{participant.name} is already on this board as {participant.role}."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message, "reviewers")
    return participant


def _reviewer_for(board: Board, user: Any) -> Participant:
    participant = Participant.objects.filter(board=board, user=user, revoked_at__isnull=True).first()
    if participant is None:
        return participant_add(board=board, role="reviewer", user=user)
    if participant.role not in {"observer", "reviewer"}:
        message = f"{user.get_username()} is already on this board as {participant.role}."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message, "reviewers")
    return _as_reviewer(participant)


@transaction.atomic
def review_request(*, board_id: UUID, participant: Participant, number: int, usernames: list[str]) -> list[Review]:
    """Ask people to review a version. Each is named by username, email, participant id, or their name
    on the board; people not yet on the board join it as reviewers, observers become reviewers."""
    _require_owner(participant, "request reviews")
    version = version_of(board_id, number)
    names = list(dict.fromkeys(name.strip() for name in usernames if name.strip()))
    found = {name: reviewer_named(version.board, name) for name in names}
    missing = [name for name, who in found.items() if who is None]
    if missing:
        message = f"No user or participant named {', '.join(missing)}."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message, "reviewers")
    reviewers: dict[UUID, Participant] = {}
    for who in found.values():
        reviewer = _as_reviewer(who) if isinstance(who, Participant) else _reviewer_for(version.board, who)
        reviewers.setdefault(reviewer.pk, reviewer)
    reviews = []
    for reviewer in reviewers.values():
        review, _ = Review.objects.get_or_create(
            board_id=board_id, version=version, reviewer=reviewer, defaults={"requested_by": participant}
        )
        reviews.append(review)
    transaction.on_commit(lambda: _announce(board_id))
    return reviews


def _require_reviewer(participant: Participant) -> None:
    if participant.role not in verdicts.REVIEWERS:
        raise SyncError(ErrorCode.FORBIDDEN, "Only a reviewer writes a review.")


# Pending comments


@transaction.atomic
def pending_add(*, board_id: UUID, participant: Participant, raw: dict[str, Any]) -> PendingComment:
    """Draft a challenge on the newest version, checked now by the rules it will meet on submit."""
    _require_reviewer(participant)
    version = newest_version(board_id)
    if Review.objects.filter(version=version, reviewer=participant, submitted_at__isnull=False).exists():
        message = f"You already reviewed version {version.number}; reply in its threads, or review the next version."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message)
    annotation = {"id": f"a-{uuid.uuid4().hex[:20]}", **raw, "layer": "challenges", "version": version.number}
    parsed = annotations.parse_op({"op": "annotate", "annotation": annotation}, "")["annotation"]
    target = parsed["target"]
    if target is not None:
        element = next((e for e in version.elements if e["id"] == target), None)
        if element is None:
            message = f"No element with id '{target}' in version {version.number}."
            raise SyncError(ErrorCode.UNKNOWN_REF, message, "target")
        if element["kind"] not in annotations.TARGET_KINDS:
            raise SyncError(
                ErrorCode.VALIDATION_ERROR, "A challenge targets a component, an arrow, or the whole board.", "target"
            )
    taken = PendingComment.objects.filter(board_id=board_id, annotation_id=parsed["id"]).exists()
    if taken or Annotation.objects.filter(board_id=board_id, annotation_id=parsed["id"]).exists():
        raise SyncError(ErrorCode.DUPLICATE_ID, f"Annotation '{parsed['id']}' already exists.", "id")
    return PendingComment.objects.create(
        board_id=board_id,
        reviewer=participant,
        version=version,
        annotation_id=parsed["id"],
        target=target or "",
        kind=parsed["kind"],
        text=parsed["text"],
    )


def pending_remove(*, board_id: UUID, participant: Participant, annotation_id: str) -> None:
    rows = PendingComment.objects.filter(board_id=board_id, reviewer=participant, annotation_id=annotation_id)
    deleted, _ = rows.delete()
    if not deleted:
        raise SyncError(ErrorCode.NOT_FOUND, "No pending comment with this id.")


def review_submit(*, board_id: UUID, participant: Participant, verdict: str, summary: str = "") -> Review:
    """Review the newest version: every pending challenge and the verdict go out in one batch,
    so they appear to everyone at once."""
    _require_reviewer(participant)
    version = newest_version(board_id)
    comments = PendingComment.objects.filter(board_id=board_id, reviewer=participant).select_related("version")
    ops: list[dict[str, Any]] = [
        {
            "op": "annotate",
            "annotation": {
                "id": c.annotation_id,
                "layer": "challenges",
                "target": c.target or None,
                "kind": c.kind,
                "text": c.text,
                "version": c.version.number,
            },
        }
        for c in comments
    ]
    ops.append({"op": "verdict", "version": version.number, "verdict": verdict, "summary": summary})
    _submit(board_id, participant, ops)
    return Review.objects.select_related("version", "reviewer").get(
        board_id=board_id, version=version, reviewer=participant
    )


# The verdict op kind


def _commit_verdict(board: Board, participant: Participant, op: dict[str, Any], batch: Batch) -> None:
    """Record the review; requests of older versions are superseded by it, as a newer review covers them."""
    version = Version.objects.get(board=board, number=op["version"])
    older = Review.objects.filter(
        board=board, reviewer=participant, submitted_at__isnull=True, version__number__lt=version.number
    )
    asked_by = older.exclude(requested_by=None).values_list("requested_by", flat=True).first()
    review, _ = Review.objects.get_or_create(
        board=board, version=version, reviewer=participant, defaults={"requested_by_id": asked_by}
    )
    fields = {"verdict": op["verdict"], "summary": op["summary"], "submitted_at": batch.created_at}
    Review.objects.filter(pk=review.pk).update(**fields, submitted_seq=batch.seq)
    older.delete()
    released = [o["annotation"]["id"] for o in batch.ops if o["op"] == "annotate"]
    PendingComment.objects.filter(board=board, reviewer=participant, annotation_id__in=released).delete()


class ReviewOps:
    """The verdict op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = verdicts.NAMES
    welcome_keys = frozenset({"versions", "review"})

    def parse(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        return verdicts.parse_op(raw, path)

    def is_private(self, op: dict[str, Any]) -> bool:
        return False  # a verdict is for everyone on the board

    def plan(self, context: extensions.Context, ops: list[tuple[int, dict[str, Any]]]) -> extensions.Planned:
        if len(ops) > 1:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "A batch carries at most one verdict.", f"ops[{ops[1][0]}]")
        (i, op) = ops[0]
        board, participant = context.board, context.participant
        submitted = review_submitted(board, op["version"], participant)
        verdicts.check(
            op, role=participant.role, versions=version_numbers(board), submitted=submitted, path=f"ops[{i}]"
        )
        return extensions.Planned(ops=[op], commit=lambda batch: _commit_verdict(board, participant, op, batch))

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return {"versions": versions_of(board_id), "review": reviews_of(board_id)}
