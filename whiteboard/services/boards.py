"""Create, change and delete boards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import transaction

from whiteboard import broadcast, ops
from whiteboard.models import Board, Mode
from whiteboard.selectors import board_dict
from whiteboard.services.batches import batch_submit
from whiteboard.services.participants import participant_add
from whiteboard.vocabulary import MODES


def element_batches(elements: Sequence[ops.Element], per_batch: int = ops.MAX_OPS_PER_BATCH) -> list[list[ops.Op]]:
    """The batches that add a new board's elements.

    Boxes may name a frame and arrows need their components, so frames go first and arrows last;
    the log then replays like any other.
    """
    ordered = sorted(elements, key=lambda element: {"frame": 0, "arrow": 2}.get(str(element.get("kind")), 1))
    adds: list[ops.Op] = [{"op": "add", "element": element} for element in ordered]
    return [adds[start : start + per_batch] for start in range(0, len(adds), per_batch)]


def start_batch_id(n: int) -> str:
    """The client id of a new board's n-th element batch (the owner's), whoever writes it."""
    return f"start-{n}"


@transaction.atomic
def board_create(
    *,
    owner: Any,
    title: str,
    prompt: str = "",
    mode: str = Mode.INTERVIEW,
    elements: Sequence[ops.Element] = (),
    question_type: str = "design",
) -> Board:
    """A new board owned by `owner`, optionally starting with a diagram (stored as ordinary batches)."""
    board = Board.objects.create(owner=owner, title=title, prompt=prompt, mode=mode, question_type=question_type)
    rules = MODES[mode]
    participant = participant_add(board=board, user=owner, role=rules.author)
    # The participants the server plays (a practice board's coach): no account, no invite, never a socket.
    for role in rules.server_roles:
        participant_add(board=board, role=role, name=role.capitalize())
    for n, raw_ops in enumerate(element_batches(elements)):
        batch_submit(board_id=board.id, participant_id=participant.id, batch_id=start_batch_id(n), raw_ops=raw_ops)
    board.refresh_from_db()
    return board


@transaction.atomic
def board_update(*, board: Board, title: str | None = None, prompt: str | None = None) -> Board:
    fields = {name: value for name, value in (("title", title), ("prompt", prompt)) if value is not None}
    if fields:
        for name, value in fields.items():
            setattr(board, name, value)
        board.save(update_fields=[*fields, "updated_at"])
        broadcast.board_changed(board.id, board_dict(board))
    return board


@transaction.atomic
def board_delete(*, board: Board) -> None:
    board_id = board.id
    board.delete()
    broadcast.board_closed(board_id, code=4404)


def board_set_closed(*, board_id: UUID, closed: bool) -> None:
    """Close a board to all but its owner and interviewers (an ended interview), or reopen it.

    Called inside the batch that ends or resumes the session, so the change and
    its reason land in one transaction; clients learn of it from that batch.
    """
    Board.objects.filter(pk=board_id).update(closed=closed)
