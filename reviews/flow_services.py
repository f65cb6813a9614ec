"""Flow writes: the `flow`/`delete_flow` op kind plugged into whiteboard's batches.

The rules are in `reviews.flows` (pure); this hands them the board's flows and
its arrows (only when a flow has a second step to join), and writes the rows
once the batch is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from reviews import flows
from reviews.flow_models import Flow
from reviews.flow_queries import flows_of, welcome_state
from whiteboard import extensions
from whiteboard.models import Batch, Participant
from whiteboard.roles import Actor
from whiteboard.services.batches import batch_submit


def _write(board_id: UUID, applied: flows.Applied) -> None:
    if applied.deleted:
        Flow.objects.filter(board_id=board_id, flow_id__in=applied.deleted).delete()
    for flow in applied.changed.values():
        fields = {"title": flow["title"], "steps": flow["steps"], "author_id": UUID(flow["author"]), "seq": flow["seq"]}
        Flow.objects.update_or_create(board_id=board_id, flow_id=flow["id"], defaults=fields)


def flow_apply(*, board_id: UUID, participant: Participant, op: Any) -> dict[str, Any]:
    """One flow op from REST, as a batch of one: same rules, same log, same live delivery. Returns it stored."""
    committed = batch_submit(
        board_id=board_id, participant_id=participant.id, batch_id=f"rest-{uuid.uuid4().hex}", raw_ops=[op]
    )  # announces itself on commit, like a socket's batch
    return {"seq": committed.seq, "op": committed.message["ops"][0]}


class FlowOps:
    """The flow op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = flows.NAMES
    welcome_keys = frozenset({"flows"})

    def parse(self, raw: dict[str, Any], path: str) -> flows.Op:
        return flows.parse_op(raw, path)

    def is_private(self, op: flows.Op) -> bool:
        return False  # a flow explains the design to everyone on the board

    def plan(self, context: extensions.Context, ops: list[tuple[int, flows.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        actor = Actor(participant=str(participant.id), role=participant.role, mode=board.mode)

        def arrows() -> Iterable[flows.Element]:
            return (element for element in context.elements() if element["kind"] == "arrow")

        applied = flows.apply_ops(flows_of(board.id), actor, ops, context.element, arrows, seq=context.seq)

        def commit(_batch: Batch) -> None:
            _write(board.id, applied)

        return extensions.Planned(ops=applied.ops, commit=commit)

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return welcome_state(board_id)
