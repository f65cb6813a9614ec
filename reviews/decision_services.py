"""Decision writes: the `decide`/`delete_decision` op kind plugged into whiteboard's batches.

The rules are in `reviews.decisions` (pure); this loads the decisions a batch names, lets the
rules decide, and writes the rows once the batch is stored (its announcement is the batch's own,
after commit, like every op). `decision_apply` is the REST twin of a socket batch of one op.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from reviews import decisions
from reviews.decision_models import Decision
from reviews.decision_queries import decisions_by_id, welcome_state
from whiteboard import extensions, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Participant
from whiteboard.services.batches import batch_submit


def _write(board_id: UUID, applied: decisions.Applied, batch: Batch) -> None:
    if applied.deleted:
        Decision.objects.filter(board_id=board_id, decision_id__in=applied.deleted).delete()
    for decision in applied.changed.values():
        fields = {name: decision[name] for name in ("target", "choice", "alternatives", *decisions.TEXTS)}
        fields.update(author_id=UUID(decision["author"]), seq=decision["seq"], updated_at=batch.created_at)
        Decision.objects.update_or_create(board_id=board_id, decision_id=decision["id"], defaults=fields)


def decision_apply(*, board_id: UUID, participant: Participant, op: Any) -> dict[str, Any]:
    """One decision op from REST, as a batch of one: same rules, same log, same live delivery.
    Only decision ops: this is not a back door for canvas or annotation ops."""
    if isinstance(op, dict) and op.get("op") not in decisions.NAMES:
        names = ", ".join(sorted(decisions.NAMES))
        raise SyncError(ErrorCode.UNKNOWN_OP, f"This endpoint takes one decision op: {names}.", "ops[0].op")
    committed = batch_submit(
        board_id=board_id, participant_id=participant.id, batch_id=f"rest-{uuid.uuid4().hex}", raw_ops=[op]
    )  # announces itself on commit, like a socket's batch
    return {"seq": committed.seq, "op": committed.message["ops"][0]}


class DecisionOps:
    """The decision op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = decisions.NAMES
    welcome_keys = frozenset({"decisions"})

    def parse(self, raw: dict[str, Any], path: str) -> decisions.Op:
        return decisions.parse_op(raw, path)

    def is_private(self, op: decisions.Op) -> bool:
        return False  # a decision is part of the design everyone sees

    def plan(self, context: extensions.Context, ops: list[tuple[int, decisions.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        ids = {op["decision"]["id"] if op["op"] == "decide" else op["id"] for _, op in ops}
        actor = roles.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        applied = decisions.apply_ops(decisions_by_id(board.id, ids), actor, ops, context.element, seq=context.seq)
        return extensions.Planned(ops=applied.ops, commit=lambda batch: _write(board.id, applied, batch))

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return welcome_state(board_id)
