"""Op kinds that live beside the canvas, plugged into the batch pipeline.

Annotations (the `reviews` app) travel in the same batches as canvas ops so
they share the seq, the durability and the replay, but `whiteboard` must not
know about them: an app registers an `OpKind` in its `AppConfig.ready`, and
`services.batches` hands it the ops it named, inside the batch's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

Op = dict[str, Any]
Element = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What an op kind may look at while a batch is being checked.

    `element` answers for the board as it stands after the batch's canvas ops.
    """

    board: Any  # whiteboard.models.Board, locked for the transaction
    participant: Any  # whiteboard.models.Participant, the sender
    element: Callable[[str], Element | None]
    now: datetime  # the batch's timestamp, its `at`
    elements: Callable[[], list[Element]] = list  # the whole board after the canvas ops (reads every row: O(board))


@dataclass(frozen=True)
class Planned:
    """A checked group of ops: what to store, which stream, and how to write its rows."""

    ops: list[Op]
    private: bool
    commit: Callable[[Any, int], None]  # (the stored Batch, the public seq it was made against)


class OpKind(Protocol):
    names: frozenset[str]

    def parse(self, raw: dict[str, Any], path: str) -> Op:
        """Check one op on its own (shape, types, limits); pure."""

    def plan(self, context: Context, ops: list[tuple[int, Op]]) -> Planned:
        """Check ops (with their index in the batch) against the board and the sender; no writes."""

    def state(self, board_id: UUID, participant: Any) -> dict[str, Any]:
        """Extra keys for the `welcome` this participant receives (only what they may see)."""


_kinds: dict[str, OpKind] = {}


def register(kind: OpKind) -> None:
    for name in kind.names:
        _kinds[name] = kind


def parsers() -> Mapping[str, Callable[[dict[str, Any], str], Op]]:
    return {name: kind.parse for name, kind in _kinds.items()}


def kind_of(name: str) -> OpKind:
    return _kinds[name]


def state(board_id: UUID, participant: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for kind in {id(k): k for k in _kinds.values()}.values():
        extra.update(kind.state(board_id, participant))
    return extra
