"""Scenario card writes: the `scenario` op kind plugged into whiteboard's batches, and the REST path to it.

The rules are in `reviews.scenario` (pure); this asks `reviews.scenario_queries`
which of the batch's card ids were played already, lets the rules decide, and
writes one `ScenarioCard` row per card once the batch row exists.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from reviews import scenario
from reviews.scenario_models import ScenarioCard
from reviews.scenario_queries import played_ids, welcome_state
from whiteboard import extensions, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Participant
from whiteboard.services.batches import batch_submit


def _write(board_id: UUID, cards: list[scenario.Card], batch: Batch) -> None:
    ScenarioCard.objects.bulk_create(
        ScenarioCard(
            board_id=board_id,
            card_id=card["id"],
            title=card["title"],
            text=card["text"],
            seq=batch.seq,
            played_at=batch.created_at,
            author_id=UUID(card["author"]),
        )
        for card in cards
    )


def scenario_play(*, board_id: UUID, participant: Participant, data: Any) -> dict[str, Any]:
    """One card from REST (`{"card": {...}}`), as a batch of one: same rules, same log, same live delivery."""
    if not isinstance(data, dict):
        raise SyncError(ErrorCode.BAD_REQUEST, "Expected an object with a card.", "")
    committed = batch_submit(
        board_id=board_id,
        participant_id=participant.id,
        batch_id=f"rest-{uuid.uuid4().hex}",
        raw_ops=[{**data, "op": "scenario"}],
    )  # announces itself on commit, like a socket's batch
    return {"seq": committed.seq, "op": committed.message["ops"][0]}


class ScenarioOps:
    """The scenario op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = scenario.NAMES
    welcome_keys = frozenset({"scenarios"})

    def parse(self, raw: dict[str, Any], path: str) -> scenario.Op:
        return scenario.parse_op(raw, path)

    def is_private(self, op: scenario.Op) -> bool:
        return False  # a card changes the brief for everyone, the candidate first

    def plan(self, context: extensions.Context, ops: list[tuple[int, scenario.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        actor = roles.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        before = played_ids(board.id, {op["card"]["id"] for _, op in ops})
        cards = scenario.apply_ops(before, actor, ops, at=context.now, seq=context.seq)
        return extensions.Planned(ops=[op for _, op in ops], commit=lambda batch: _write(board.id, cards, batch))

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return welcome_state(board_id)
