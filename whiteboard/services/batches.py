"""Accept a batch: validate it against the sender's role and the board, then
store it with the next seq and update the materialised elements, all in one
transaction. Acknowledged means durable: the batch announces itself to the
board's sockets only once that transaction (or the caller's, around it) commits.

This is the one place that decides a batch's stream and seq; op kinds
(`whiteboard.extensions`) are handed both in their `Context`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from whiteboard import broadcast, extensions, ops, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Board, Element, Participant, Stream
from whiteboard.selectors import batch_message


@dataclass(frozen=True)
class Committed:
    message: dict[str, Any]
    seq: int
    stream: str
    duplicate: bool


def _digest(raw_ops: Any) -> str:
    return hashlib.sha256(json.dumps(raw_ops, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _load_elements(board: Board, ids: set[str]) -> dict[str, ops.Element]:
    """The elements a batch names, plus the arrows touching them (for delete cascades).

    A UNION of three index lookups: the same filter written with OR makes
    SQLite scan every element of the board, and the cost of a batch must not
    grow with the board.
    """
    rows = Element.objects.filter(board=board).order_by()
    found = rows.filter(element_id__in=ids).union(rows.filter(source__in=ids), rows.filter(target__in=ids))
    return {row.element_id: row.data for row in found}


def _element_row(board: Board, element: ops.Element) -> Element:
    return Element(
        board=board,
        element_id=element["id"],
        kind=element["kind"],
        source=element.get("source", ""),
        target=element.get("target", ""),
        data=element,
    )


def _write_elements(board: Board, applied: ops.Applied) -> None:
    if applied.deleted:
        Element.objects.filter(board=board, element_id__in=applied.deleted).delete()
    if applied.changed:
        Element.objects.bulk_create(
            [_element_row(board, element) for element in applied.changed.values()],
            update_conflicts=True,
            unique_fields=["board", "element_id"],
            update_fields=["kind", "source", "target", "data"],
        )


def _editor(board: Board, participant_id: UUID) -> Participant:
    # Read inside the transaction: a role changed or revoked a moment ago counts.
    participant = Participant.objects.filter(pk=participant_id, board=board, revoked_at__isnull=True).first()
    if participant is None:
        raise SyncError(ErrorCode.FORBIDDEN, "You are no longer a participant of this board.")
    return participant


def _element_lookup(board: Board, applied: ops.Applied) -> Callable[[str], ops.Element | None]:
    """The board after the batch's canvas ops, for op kinds that point at elements."""

    def element(element_id: str) -> ops.Element | None:
        if element_id in applied.changed:
            return applied.changed[element_id]
        if element_id in applied.deleted:
            return None
        row = Element.objects.filter(board=board, element_id=element_id).only("data").first()
        return row.data if row is not None else None

    return element


def _private_ops(parsed: list[ops.Op]) -> int:
    """How many of a batch's ops belong to the private stream: each op kind says so from the op alone."""
    return sum(op["op"] not in ops.CANVAS_OPS and extensions.kind_of(op["op"]).is_private(op) for op in parsed)


def _all_elements(board: Board, applied: ops.Applied) -> Callable[[], list[ops.Element]]:
    """Every element of the board after the batch's canvas ops, for an op kind that needs the whole graph."""

    def elements() -> list[ops.Element]:
        rows = Element.objects.filter(board=board).exclude(element_id__in=applied.deleted).only("element_id", "data")
        found = {row.element_id: row.data for row in rows}
        found.update(applied.changed)
        return list(found.values())

    return elements


def _plan_extras(context: extensions.Context, parsed: list[ops.Op]) -> list[extensions.Planned]:
    """Hand each registered op kind the ops it owns, with their index in the batch."""
    groups: dict[int, tuple[extensions.OpKind, list[tuple[int, ops.Op]]]] = {}
    for i, op in enumerate(parsed):
        if op["op"] not in ops.CANVAS_OPS:
            kind = extensions.kind_of(op["op"])
            groups.setdefault(id(kind), (kind, []))[1].append((i, op))
    return [kind.plan(context, indexed) for kind, indexed in groups.values()]


def batch_submit(*, board_id: UUID, participant_id: UUID, batch_id: str, raw_ops: Any) -> Committed:
    """Apply a client's batch whole or not at all; a resend of a stored batch returns it unchanged."""
    parsed = ops.parse_ops(raw_ops, extensions.parsers())
    digest = _digest(raw_ops)
    with transaction.atomic():
        board = Board.objects.select_for_update().filter(pk=board_id).first()
        if board is None:
            raise SyncError(ErrorCode.NOT_FOUND, "This board no longer exists.")
        participant = _editor(board, participant_id)
        previous = Batch.objects.filter(board=board, participant=participant, client_id=batch_id).first()
        if previous is not None:
            if previous.client_digest != digest:
                raise SyncError(ErrorCode.BATCH_CONFLICT, "This batch id was already used for different ops.", "id")
            return Committed(message=batch_message(previous), seq=previous.seq, stream=previous.stream, duplicate=True)
        canvas = [i for i, op in enumerate(parsed) if op["op"] in ops.CANVAS_OPS]
        if not roles.can_write(participant.role):
            raise SyncError(ErrorCode.FORBIDDEN, "An observer can watch the board but not change it.")
        if canvas and not roles.can_edit_canvas(participant.role):
            raise SyncError(ErrorCode.FORBIDDEN, f"A {participant.role} cannot change the canvas.", f"ops[{canvas[0]}]")
        if board.closed and not roles.can_write_closed(participant.role):
            raise SyncError(ErrorCode.FORBIDDEN, "This board is closed: the session has ended.")
        applied = ops.apply_ops(_load_elements(board, ops.referenced_ids(parsed)), board.element_count, parsed)
        now = timezone.now()
        # Any private op makes the batch private; one that mixes streams is refused below.
        private_ops = _private_ops(parsed)
        private = private_ops > 0
        stream = Stream.PRIVATE if private else Stream.PUBLIC
        seq = (board.private_seq if private else board.seq) + 1
        context = extensions.Context(
            board=board,
            participant=participant,
            element=_element_lookup(board, applied),
            now=now,
            stream=stream,
            seq=seq,
            canvas_seq=board.seq if private else seq,
            elements=_all_elements(board, applied),
        )
        planned = _plan_extras(context, parsed)
        # After planning, so each op's own errors come first: a private batch holds private ops only.
        if private_ops not in (0, len(parsed)):
            raise SyncError(ErrorCode.VALIDATION_ERROR, "Private annotations travel in a batch of their own.", "ops")
        batch = Batch.objects.create(
            board=board,
            stream=stream,
            seq=seq,
            participant=participant,
            client_id=batch_id,
            client_digest=digest,
            ops=applied.ops + [op for plan in planned for op in plan.ops],
            created_at=now,
        )
        _write_elements(board, applied)
        for plan in planned:
            plan.commit(batch)
        # A private batch leaves `updated_at` alone: a candidate must not see the board change when nothing public did.
        moved = {"private_seq": seq} if private else {"seq": seq, "element_count": applied.count, "updated_at": now}
        Board.objects.filter(pk=board.pk).update(**moved)
        message = batch_message(batch)
        # robust: the batch is stored whatever happens to its announcement (the hub's heartbeat repairs a lost one).
        transaction.on_commit(partial(broadcast.batch_committed, board.id, message), robust=True)
    return Committed(message=message, seq=seq, stream=stream, duplicate=False)
