"""Reads of annotations, always through what the reader may see.

Every read takes the reader's participant: the private layer is filtered out
in the query itself, so no caller can forget to hide it.
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from reviews import annotations
from reviews.models import Annotation, Layer, Reply
from whiteboard.models import Element, Participant
from whiteboard.protocol import iso


def visible(board_id: UUID, participant: Participant) -> QuerySet[Annotation]:
    rows = Annotation.objects.filter(board_id=board_id)
    if participant.role not in annotations.PRIVATE_READERS:
        rows = rows.exclude(layer=Layer.PRIVATE)
    return rows


def reply_dict(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.reply_id,
        "author": str(reply.author_id),
        "text": reply.text,
        "seq": reply.seq,
        "created_at": iso(reply.created_at),
        "edited_at": iso(reply.edited_at),
    }


def _fields(row: Annotation) -> dict[str, Any]:
    """What an annotation row says, in both its wire form and its pure form."""
    return {
        "id": row.annotation_id,
        "layer": row.layer,
        "target": row.target or None,
        "kind": row.kind,
        "text": row.text,
        "author": str(row.author_id),
        "prompted": row.prompted,
        "status": row.status,
        "snapshot": row.snapshot,
        "raised_seq": row.raised_seq,
        "answered_seq": row.answered_seq,
        "version": row.version,
    }


def annotation_dict(row: Annotation) -> dict[str, Any]:
    """The annotation object of docs/protocol.md; `row.replies` should be prefetched."""
    return {
        **_fields(row),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "replies": [reply_dict(reply) for reply in row.replies.all()],
    }


def annotations_of(
    board_id: UUID,
    participant: Participant,
    *,
    layer: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    target: str | None = None,
) -> list[dict[str, Any]]:
    """The annotations `participant` may see, oldest first; `target=""` means board-level ones."""
    rows = visible(board_id, participant).prefetch_related("replies")
    filters = {"layer": layer, "kind": kind, "status": status, "target": target}
    rows = rows.filter(**{name: value for name, value in filters.items() if value is not None})
    return [annotation_dict(row) for row in rows]


def annotation_of(board_id: UUID, participant: Participant, annotation_id: str) -> dict[str, Any] | None:
    row = visible(board_id, participant).prefetch_related("replies").filter(annotation_id=annotation_id).first()
    return None if row is None else annotation_dict(row)


def with_derived(board_id: UUID, listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add `orphaned` and `outdated`, which depend on the canvas as it is now."""
    targets = {annotation["target"] for annotation in listed if annotation["target"] is not None}
    rows = Element.objects.filter(board_id=board_id, element_id__in=targets).only("element_id", "data")
    elements = {row.element_id: row.data for row in rows}
    return [
        {
            **annotation,
            "orphaned": annotations.orphaned(annotation, elements.get(annotation["target"])),
            "outdated": annotations.outdated(annotation, elements.get(annotation["target"])),
        }
        for annotation in listed
    ]


def annotations_by_id(board_id: UUID, ids: set[str]) -> dict[str, annotations.Annotation]:
    """Existing annotations among `ids`, in the pure form `annotations.apply_ops` works on."""
    rows = Annotation.objects.filter(board_id=board_id, annotation_id__in=ids).prefetch_related("replies")
    return {
        row.annotation_id: {
            **_fields(row),
            "replies": [
                {
                    "id": reply.reply_id,
                    "text": reply.text,
                    "author": str(reply.author_id),
                    "seq": reply.seq,
                    **({"edited": True} if reply.edited_at else {}),
                }
                for reply in row.replies.all()
            ],
        }
        for row in rows
    }
