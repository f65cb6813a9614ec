"""Create, change and delete boards."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from whiteboard import broadcast
from whiteboard.models import Board, Mode, Role
from whiteboard.selectors import board_dict
from whiteboard.services.participants import participant_add


@transaction.atomic
def board_create(*, owner: Any, title: str, prompt: str = "", mode: str = Mode.INTERVIEW) -> Board:
    board = Board.objects.create(owner=owner, title=title, prompt=prompt, mode=mode)
    participant_add(board=board, user=owner, role=Role.OWNER)
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
