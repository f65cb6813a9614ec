"""Decision reads: the materialised rows as the rules' plain data and as clients receive them
(docs/protocol.md, "Decisions")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from reviews import decisions
from reviews.decision_models import Decision


def _state(row: Decision) -> decisions.Decision:
    return {
        "id": row.decision_id,
        "target": row.target,
        "choice": row.choice,
        "alternatives": list(row.alternatives),
        "cost": row.cost,
        "why": row.why,
        "revisit_when": row.revisit_when,
        "author": str(row.author_id),
        "seq": row.seq,
    }


def decisions_by_id(board_id: UUID, ids: Iterable[str]) -> dict[str, decisions.Decision]:
    rows = Decision.objects.filter(board_id=board_id, decision_id__in=list(ids))
    return {row.decision_id: _state(row) for row in rows}


def decision_list(board_id: UUID) -> list[decisions.Decision]:
    """Every decision on the board, in the order of their last write: the welcome's `decisions`."""
    return [_state(row) for row in Decision.objects.filter(board_id=board_id)]


def welcome_state(board_id: UUID) -> dict[str, Any]:
    return {"decisions": decision_list(board_id)}
