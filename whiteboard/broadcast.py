"""Tell the live sockets of a board about changes made outside the socket path.

Used by services for REST-side changes (board renamed or deleted, invite
revoked); always after commit, so nobody hears of a change that rolled back.
The channel layer is best-effort: losing one of these messages costs
freshness (sockets re-check access on every batch), never data.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from whiteboard.protocol import encode

log = logging.getLogger(__name__)


def group_name(board_id: UUID | str) -> str:
    return f"board.{UUID(str(board_id)).hex}"


def _send(board_id: UUID | str, message: dict[str, Any]) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group_name(board_id), message)
    except Exception:
        log.warning("Could not reach the channel layer for board %s", board_id, exc_info=True)


def _send_on_commit(board_id: UUID | str, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: _send(board_id, message))


def board_changed(board_id: UUID, board: dict[str, Any]) -> None:
    text = encode({"type": "board", "board": board})
    _send_on_commit(board_id, {"type": "board.event", "board": str(board_id), "text": text})


def notice(board_id: UUID, message: dict[str, Any]) -> None:
    """A public, never-stored message for every socket on the board (other apps' REST-side news)."""
    _send_on_commit(board_id, {"type": "board.event", "board": str(board_id), "text": encode(message)})


def board_closed(board_id: UUID, *, code: int) -> None:
    _send_on_commit(board_id, {"type": "board.close", "board": str(board_id), "participants": None, "code": code})


def participants_removed(board_id: UUID, participant_ids: list[str]) -> None:
    message = {"type": "board.close", "board": str(board_id), "participants": participant_ids, "code": 4403}
    _send_on_commit(board_id, message)


def batch_committed(board_id: UUID, *, stream: str, seq: int, message: dict[str, Any]) -> None:
    """A batch stored outside a socket (a REST write): every process's hub delivers it in order."""
    layer_message = {
        "type": "board.batch",
        "board": str(board_id),
        "stream": stream,
        "seq": seq,
        "text": encode(message),
        "process": "rest",
    }
    _send_on_commit(board_id, layer_message)
