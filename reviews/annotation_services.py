"""Annotation writes: the op kind plugged into whiteboard's batches, and the REST twin.

`AnnotationOps` is what `whiteboard.services.batches` calls inside a batch's
transaction: it loads the annotations a batch names, lets the pure rules in
`reviews.annotations` decide, and writes the resulting rows once the batch
has its seq. REST writes go through the very same path as one-op batches
(and so announce themselves on commit, like a socket's).
"""

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from reviews import annotation_queries, annotations
from reviews.models import Annotation, Reply, Version
from whiteboard import extensions
from whiteboard.models import Batch, Participant
from whiteboard.services.batches import batch_submit


def _write(board_id: UUID, applied: annotations.Applied, batch: Batch) -> None:
    """Bring the rows in line with the annotations a batch changed.

    An annotation raised in this batch is written afresh, even over a row of the
    same id deleted earlier in the batch: it is a new annotation, not the old one.
    """
    now = batch.created_at
    raised = {op["annotation"]["id"] for op in applied.ops if op["op"] == "annotate"}
    edited = {(op["annotation"], op["reply"]) for op in applied.ops if op["op"] == "edit_text" and "reply" in op}
    if applied.deleted or raised:
        Annotation.objects.filter(board_id=board_id, annotation_id__in=applied.deleted | raised).delete()
    for annotation in applied.changed.values():
        fields = {
            "layer": annotation["layer"],
            "target": annotation["target"] or "",
            "kind": annotation["kind"],
            "text": annotation["text"],
            "author_id": UUID(annotation["author"]),
            "prompted": annotation["prompted"],
            "status": annotation["status"],
            "snapshot": annotation["snapshot"],
            "raised_seq": annotation["raised_seq"],
            "answered_seq": annotation["answered_seq"],
            "version": annotation["version"],
            "updated_at": now,
        }
        if annotation["id"] in raised:
            row = Annotation.objects.create(board_id=board_id, annotation_id=annotation["id"], created_at=now, **fields)
        else:
            row = Annotation.objects.get(board_id=board_id, annotation_id=annotation["id"])
            Annotation.objects.filter(pk=row.pk).update(**fields)
        _write_replies(row, annotation, edited, now)


def _write_replies(
    row: Annotation, annotation: annotations.Annotation, edited: set[tuple[str, str]], now: datetime
) -> None:
    stored = {reply.reply_id: reply for reply in row.replies.all()}
    for reply in annotation["replies"]:
        if reply["id"] not in stored:
            Reply.objects.create(
                annotation=row,
                reply_id=reply["id"],
                author_id=UUID(reply["author"]),
                text=reply["text"],
                seq=reply["seq"],
                created_at=now,
                # Written and edited in this very batch: the rules marked it, as the fold does.
                edited_at=now if reply.get("edited") else None,
            )
        elif (annotation["id"], reply["id"]) in edited:
            Reply.objects.filter(pk=stored[reply["id"]].pk).update(text=reply["text"], edited_at=now)


def _versions(board_id: UUID, numbers: set[int]) -> dict[int, dict[str, annotations.Element]]:
    if not numbers:
        return {}
    rows = Version.objects.filter(board_id=board_id, number__in=numbers)
    return {row.number: {element["id"]: element for element in row.elements} for row in rows}


class AnnotationOps:
    """The annotation op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = annotations.NAMES
    welcome_keys = frozenset({"annotations"})

    def parse(self, raw: dict[str, Any], path: str) -> annotations.Op:
        return annotations.parse_op(raw, path)

    def is_private(self, op: annotations.Op) -> bool:
        """The `p-` id rule: the id an op names says its stream."""
        return any(annotations.is_private(i) for i in annotations.referenced_ids([op]))

    def plan(self, context: extensions.Context, ops: list[tuple[int, annotations.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        ids = annotations.referenced_ids(op for _, op in ops)
        actor = annotations.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        versions = _versions(board.id, annotations.referenced_versions(op for _, op in ops))
        existing = annotation_queries.annotations_by_id(board.id, ids)
        applied = annotations.apply_ops(existing, actor, ops, context.element, context.canvas_seq, versions)
        return extensions.Planned(ops=applied.ops, commit=lambda batch: _write(board.id, applied, batch))

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return {"annotations": annotation_queries.annotations_of(board_id, participant)}


def annotation_apply(*, board_id: UUID, participant: Participant, op: dict[str, Any]) -> str:
    """One annotation op from REST, as a batch of one: same rules, same log, same live delivery.

    Returns the annotation id the op touched.
    """
    committed = batch_submit(
        board_id=board_id, participant_id=participant.id, batch_id=f"rest-{uuid.uuid4().hex}", raw_ops=[op]
    )
    stored = committed.message["ops"][0]
    annotation_id: str = stored["annotation"]["id"] if stored["op"] == "annotate" else stored["annotation"]
    return annotation_id


def new_id(prefix: str) -> str:
    """A server-made id for REST callers that do not bring their own (`p-` for the private layer)."""
    return f"{prefix}{uuid.uuid4().hex[:20]}"
