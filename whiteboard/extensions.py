"""Op kinds that live beside the canvas, plugged into the batch pipeline.

Annotations (the `reviews` app) travel in the same batches as canvas ops so
they share the seq, the durability and the replay, but `whiteboard` must not
know about them: an app registers an `OpKind` in its `AppConfig.ready`, and
`services.batches.batch_submit` hands it the ops it named, inside the batch's
transaction, with the stream and seq it has already decided for the batch.

`register` refuses a name or a welcome key that is already taken (by the
canvas, the core `welcome`, or another op kind), so a clash stops the server
at startup instead of silently replacing one kind's ops or state with another's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from whiteboard.ops import CANVAS_OPS
from whiteboard.protocol import WELCOME_KEYS

if TYPE_CHECKING:
    from whiteboard.models import Batch, Board, Participant, Stream

Op = dict[str, Any]
Element = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What an op kind may look at while a batch is being checked.

    `board` is locked for the transaction and still shows the heads from before
    this batch; `element` answers for the board as it stands after the batch's
    canvas ops. `stream` and `seq` are the batch's, decided once by
    `batch_submit`; `canvas_seq` is the public seq the ops are made against
    (`seq` itself for a public batch, the public head for a private one).
    """

    board: Board
    participant: Participant
    element: Callable[[str], Element | None]
    now: datetime
    stream: Stream
    seq: int
    canvas_seq: int
    elements: Callable[[], list[Element]] = list  # the whole board after the canvas ops (reads every row: O(board))


@dataclass(frozen=True)
class Planned:
    """A checked group of ops: what to store, and how to write its rows once the batch row exists."""

    ops: list[Op]
    commit: Callable[[Batch], None]


class OpKind(Protocol):
    names: frozenset[str]  # the op names this kind owns
    welcome_keys: frozenset[str]  # the keys `state` adds to the `welcome`

    def parse(self, raw: dict[str, Any], path: str) -> Op:
        """Check one op on its own (shape, types, limits); pure."""

    def is_private(self, op: Op) -> bool:
        """Whether this parsed op belongs to the private stream; pure, so the stream is known before planning."""

    def plan(self, context: Context, ops: list[tuple[int, Op]]) -> Planned:
        """Check ops (with their index in the batch) against the board and the sender; no writes."""

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        """Extra keys (some of `welcome_keys`) for the `welcome` this participant receives (only what they may see)."""


_kinds: dict[str, OpKind] = {}  # op name -> kind
_registered: list[OpKind] = []


def register(kind: OpKind) -> None:
    """Add an op kind; raises ValueError if one of its names or welcome keys is taken."""
    names = kind.names & (CANVAS_OPS | _kinds.keys())
    if names:
        raise ValueError(f"Op name already taken: {', '.join(sorted(names))}.")
    keys = kind.welcome_keys & (WELCOME_KEYS | {key for other in _registered for key in other.welcome_keys})
    if keys:
        raise ValueError(f"Welcome key already taken: {', '.join(sorted(keys))}.")
    _registered.append(kind)
    _kinds.update(dict.fromkeys(kind.names, kind))


def parsers() -> Mapping[str, Callable[[dict[str, Any], str], Op]]:
    return {name: kind.parse for name, kind in _kinds.items()}


def kind_of(name: str) -> OpKind:
    return _kinds[name]


def state(board_id: UUID, participant: Participant) -> dict[str, Any]:
    """What every op kind adds to a participant's `welcome`; a key a kind did not declare is a bug, so it raises."""
    extra: dict[str, Any] = {}
    for kind in _registered:
        part = kind.state(board_id, participant)
        undeclared = part.keys() - kind.welcome_keys
        if undeclared:
            raise ValueError(f"{type(kind).__name__} added undeclared welcome keys: {', '.join(sorted(undeclared))}.")
        extra.update(part)
    return extra
