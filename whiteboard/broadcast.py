"""Tell the live sockets of a board about a change, once its transaction has committed.

Writes announce themselves: `batch_submit` registers `batch_committed` with
`transaction.on_commit` for every batch it stores, whoever called it (a
socket, a REST view, an import), and the board/invite services do the same
for their notices. So nobody hears of a change that rolled back, and no
caller can forget to tell the board.

Who delivers a committed batch depends on who wrote it:

- a socket of this process (`collecting`): the consumer resumes on the hub's
  loop right after the write anyway, so it takes the batch from the
  collector and publishes it itself: the socket path costs exactly one
  thread hop, as it did before writes announced themselves;
- anyone else in a process with a hub (a REST view under Daphne): the batch
  is handed to the hub's loop with `call_soon_threadsafe`; callbacks run on
  the one database thread in commit order, and the hub orders by seq anyway;
- no hub here (a management command): straight to the channel layer.

The hub then delivers locally and sends to the layer once. The channel layer
is best-effort: a lost message costs freshness (the hub's gap fill and
heartbeat find the batch in the database), never data.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from whiteboard import protocol
from whiteboard.hub import running_hub

log = logging.getLogger(__name__)

# Set by a consumer around its write: the batches it committed, for it to publish on its own loop.
# asgiref runs the write with a copy of the consumer's context, so the callback sees this list.
collecting: ContextVar[list[dict[str, Any]] | None] = ContextVar("collecting", default=None)


def _send(board_id: UUID, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:  # no CHANNEL_LAYERS: there is no other process to tell
        return
    try:
        async_to_sync(layer.group_send)(protocol.group_name(board_id), message)
    except Exception:
        log.warning("Could not reach the channel layer for board %s", board_id, exc_info=True)


def _send_on_commit(board_id: UUID, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: _send(board_id, message))


def batch_committed(board_id: UUID, message: dict[str, Any]) -> None:
    """A stored batch (its `batch` message), on the thread that committed it: every socket gets it in seq order."""
    collected = collecting.get()
    if collected is not None:
        collected.append(message)
        return
    text = protocol.encode(message)
    hub = running_hub()
    if hub is None:
        _send(board_id, protocol.layer_batch(board_id, stream=message["stream"], seq=message["seq"], text=text))
    else:
        author = UUID(message["participant"])
        hub.loop.call_soon_threadsafe(hub.committed, board_id, message["seq"], text, message["stream"], author)


def board_changed(board_id: UUID, board: dict[str, Any]) -> None:
    _send_on_commit(board_id, protocol.layer_event(board_id, protocol.encode(protocol.board(board))))


def notice(board_id: UUID, message: dict[str, Any]) -> None:
    """A public, never-stored message for every socket on the board (other apps' REST-side news)."""
    _send_on_commit(board_id, protocol.layer_event(board_id, protocol.encode(message)))


def board_closed(board_id: UUID, *, code: int) -> None:
    _send_on_commit(board_id, protocol.layer_close(board_id, participants=None, code=code))


def participants_removed(board_id: UUID, participant_ids: list[str]) -> None:
    _send_on_commit(board_id, protocol.layer_close(board_id, participants=participant_ids, code=4403))
