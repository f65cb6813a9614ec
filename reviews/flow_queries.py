"""Reads of a board's flows: what a welcome, REST and the exports carry."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from reviews import flows
from reviews.flow_models import Flow


def flow_dict(row: Flow) -> flows.Flow:
    """A flow as clients receive it: the op's fields plus `author` and the `seq` of its last write."""
    return {"id": row.flow_id, "title": row.title, "steps": row.steps, "author": str(row.author_id), "seq": row.seq}


def flows_of(board_id: UUID) -> dict[str, flows.Flow]:
    """The board's flows by id, first written first."""
    return {row.flow_id: flow_dict(row) for row in Flow.objects.filter(board_id=board_id)}


def welcome_state(board_id: UUID) -> dict[str, Any]:
    return {"flows": list(flows_of(board_id).values())}
