"""Per-process fan-out: one channel-layer subscription per board per process.

A bare Channels relay puts every socket in the group, so each message costs
one layer delivery, one consumer dispatch and one JSON encoding per socket.
Here each process subscribes once per board; a batch is encoded once, crosses
the layer once per process, and is handed to the local sockets directly.

The hub also keeps each of a board's streams (public, and the interviewers'
private one) gapless and in seq order, and hands a stream only to the sockets
that may read it: a socket names its streams when it joins. The
layer is at-most-once, so a missing seq is fetched from the database after a
short wait, and every `HEAD_INTERVAL` the hub compares its position with the
database head: a lost broadcast (Redis restarted, a process died between
commit and publish) delays a batch but never loses it.

Batches reach the hub from `broadcast.batch_committed`, which every stored
batch's after-commit callback calls on the database thread; `running_hub`
is how that thread finds this process's hub, and `committed` is what it
schedules on the hub's loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
import weakref
from collections.abc import Awaitable
from typing import Any, Protocol
from uuid import UUID

from channels.db import database_sync_to_async
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings

from whiteboard import protocol, selectors
from whiteboard.protocol import encode, group_name, head
from whiteboard.services.participants import connections_prune, connections_refresh

log = logging.getLogger(__name__)

GAP_FETCH_LIMIT = 1000


PUBLIC = "public"


class Socket(Protocol):
    key: UUID
    participant_id: UUID
    streams: tuple[str, ...]

    async def send_batch(self, seq: int, text: str, stream: str = PUBLIC) -> None: ...
    async def send_text(self, text: str) -> None: ...
    async def close_with(self, code: int) -> None: ...
    def connection_id(self) -> UUID | None: ...


class Feed:
    """One stream of one board as seen by this process: its local sockets and its position."""

    def __init__(self) -> None:
        self.sockets: dict[UUID, Socket] = {}
        self.delivered: int | None = None
        self.pending: dict[int, str] = {}
        self.lock = asyncio.Lock()
        self.gap_task: asyncio.Task[None] | None = None


class Hub:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.layer: BaseChannelLayer = get_channel_layer()  # type: ignore[assignment]  # settings configure one
        self.process = uuid.uuid4().hex
        self.feeds: dict[UUID, dict[str, Feed]] = {}  # board -> stream -> feed
        self.channel: str | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self.publishing: set[asyncio.Task[None]] = set()  # held so the loop cannot drop them half-way

    # Sockets come and go.

    async def join(self, board_id: UUID, socket: Socket) -> None:
        if not self.tasks:
            self.tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._tick())]
        feeds = self.feeds.get(board_id)
        if feeds is None:
            feeds = self.feeds[board_id] = {}
            await self._subscribe(board_id)
        for stream in socket.streams:
            feeds.setdefault(stream, Feed()).sockets[socket.key] = socket

    async def seed(self, board_id: UUID, seq: int, stream: str = PUBLIC) -> None:
        """Called once a socket has read the board at `seq`; the first one fixes the feed's position."""
        feed = self.feeds[board_id][stream]
        if feed.delivered is None:
            feed.delivered = seq
            await self._flush(board_id, stream, feed)  # batches that arrived while the first socket was joining

    async def leave(self, board_id: UUID, socket: Socket) -> None:
        feeds = self.feeds.get(board_id)
        if feeds is None:
            return
        for stream, feed in list(feeds.items()):
            feed.sockets.pop(socket.key, None)
            if not feed.sockets:
                del feeds[stream]
                if feed.gap_task:
                    feed.gap_task.cancel()
        if not feeds:
            del self.feeds[board_id]
            if self.channel is not None:  # None: never subscribed, the layer was away
                await self._quietly(self.layer.group_discard(group_name(board_id), self.channel))
        if not self.feeds:
            await self._stop()

    # Messages out.

    def committed(self, board_id: UUID, seq: int, text: str, stream: str, author: UUID) -> None:
        """Called on the loop, in commit order, for each batch this process stored: publish it."""
        task = self.loop.create_task(self.publish(board_id, seq, text, stream, author))
        self.publishing.add(task)
        task.add_done_callback(self.publishing.discard)

    async def publish(self, board_id: UUID, seq: int, text: str, stream: str, author: UUID) -> None:
        """A batch committed in this process: deliver locally now (its author's sockets first, as
        that is their acknowledgement), then tell the other processes."""
        await self.deliver(board_id, seq, text, first=author, stream=stream)
        await self._quietly(
            self.layer.group_send(
                group_name(board_id), protocol.layer_batch(board_id, stream=stream, seq=seq, text=text)
            )
        )

    async def relay(self, board_id: UUID, text: str, origin: Socket | None = None) -> None:
        """Presence, previews, joins and leaves: to everyone else on the board, best-effort, never stored."""
        await self._to_local(board_id, text, skip=origin.key if origin else None)
        message = protocol.layer_relay(board_id, text, process=self.process)
        await self._quietly(self.layer.group_send(group_name(board_id), message))

    async def deliver(
        self, board_id: UUID, seq: int, text: str, first: UUID | None = None, stream: str = PUBLIC
    ) -> None:
        feed = self.feeds.get(board_id, {}).get(stream)
        if feed is None or (feed.delivered is not None and seq <= feed.delivered):
            return
        feed.pending[seq] = text
        await self._flush(board_id, stream, feed, first)

    # Internals.

    async def _flush(self, board_id: UUID, stream: str, feed: Feed, first: UUID | None = None) -> None:
        # The lock keeps two flushes from interleaving their sends, which
        # would let one socket see seq n+1 before seq n. `first` is the
        # participant whose sockets go first (the author of a batch).
        async with feed.lock:
            if feed.delivered is None:
                return
            while feed.delivered + 1 in feed.pending:
                seq = feed.delivered + 1
                text = feed.pending.pop(seq)
                feed.delivered = seq
                sockets = sorted(feed.sockets.values(), key=lambda socket: socket.participant_id != first)
                for socket in sockets:
                    await self._guard(socket.send_batch(seq, text, stream))
            for stale in [s for s in feed.pending if s <= feed.delivered]:
                del feed.pending[stale]
            if feed.pending and (feed.gap_task is None or feed.gap_task.done()):
                feed.gap_task = asyncio.create_task(self._fill_gap(board_id, stream, feed))

    async def _fill_gap(self, board_id: UUID, stream: str, feed: Feed) -> None:
        await asyncio.sleep(settings.BOTHSIDES["GAP_WAIT"])
        await self._catch_up(board_id, stream, feed, upto=min(feed.pending, default=0) - 1)

    async def _catch_up(self, board_id: UUID, stream: str, feed: Feed, upto: int) -> None:
        """Fetch batches (delivered, upto] from the database and deliver them in order."""
        while feed.delivered is not None and feed.delivered < upto and self.feeds.get(board_id, {}).get(stream) is feed:
            after = feed.delivered
            limit = min(GAP_FETCH_LIMIT, upto - after)
            messages = await database_sync_to_async(selectors.batches_after)(board_id, after, limit, stream)
            if not messages:
                return
            for message in messages:
                feed.pending.setdefault(message["seq"], encode(message))
            await self._flush(board_id, stream, feed)
            if feed.delivered == after:
                return

    async def _to_local(self, board_id: UUID, text: str, skip: UUID | None = None) -> None:
        """To every local socket of the board: they all read the public stream."""
        feed = self.feeds.get(board_id, {}).get(PUBLIC)
        for socket in list(feed.sockets.values()) if feed else []:
            if socket.key != skip:
                await self._guard(socket.send_text(text))

    async def _read(self) -> None:
        while True:
            if self.channel is None:  # the layer was unreachable when we tried; the heartbeat retries
                await asyncio.sleep(1)
                continue
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("Channel layer receive failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            await self._guard(self._dispatch(message))

    async def _dispatch(self, message: dict[str, Any]) -> None:
        board_id = UUID(message["board"])
        kind = message["type"]
        if kind == "board.batch":
            await self.deliver(board_id, message["seq"], message["text"], stream=message.get("stream", PUBLIC))
        elif (kind == "board.relay" and message["process"] != self.process) or kind == "board.event":
            await self._to_local(board_id, message["text"])
        elif kind == "board.close":
            await self._close(board_id, message["participants"], message["code"])

    async def _close(self, board_id: UUID, participants: list[str] | None, code: int) -> None:
        feed = self.feeds.get(board_id, {}).get(PUBLIC)
        for socket in list(feed.sockets.values()) if feed else []:
            if participants is None or str(socket.participant_id) in participants:
                await self._guard(socket.close_with(code))

    async def _tick(self) -> None:
        interval = settings.BOTHSIDES["HEAD_INTERVAL"]
        while True:
            await asyncio.sleep(interval)
            for board_id in list(self.feeds):
                await self._guard(self._heartbeat(board_id))

    async def _heartbeat(self, board_id: UUID) -> None:
        # Re-subscribing is idempotent and heals a Redis that lost its subscriptions.
        await self._subscribe(board_id)
        for stream, feed in list(self.feeds.get(board_id, {}).items()):
            db_head = await database_sync_to_async(selectors.head_seq)(board_id, stream)
            if db_head is None or feed.delivered is None:
                continue
            await self._catch_up(board_id, stream, feed, upto=db_head)
            text = encode(head(feed.delivered, stream))
            for socket in list(feed.sockets.values()):
                await self._guard(socket.send_text(text))
        public = self.feeds.get(board_id, {}).get(PUBLIC)
        if public is None:
            return
        ids = [c for s in public.sockets.values() if (c := s.connection_id()) is not None]
        await database_sync_to_async(connections_refresh)(connection_ids=ids)
        # Sockets of a process that died never said goodbye; whoever notices announces it.
        for participant_id in await database_sync_to_async(connections_prune)(board_id=board_id):
            await self.relay(board_id, encode(protocol.left(str(participant_id))))

    async def _subscribe(self, board_id: UUID) -> None:
        if self.channel is None:
            try:
                self.channel = await self.layer.new_channel()
            except Exception:
                log.warning("Channel layer unreachable; local delivery only until it returns", exc_info=True)
                return
        await self._quietly(self.layer.group_add(group_name(board_id), self.channel))

    async def _stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        self.tasks, self.channel = [], None

    @staticmethod
    async def _quietly(call: Awaitable[Any]) -> None:
        """Layer calls may fail while Redis is away; the heartbeat repairs what they miss."""
        try:
            await call
        except Exception:
            log.warning("Channel layer call failed", exc_info=True)

    @staticmethod
    async def _guard(call: Awaitable[Any]) -> None:
        """One broken socket must not stop delivery to the others."""
        try:
            await call
        except OSError as error:  # the client went away mid-send; its disconnect is on its way
            log.debug("Socket closed during delivery: %s", error)
        except Exception:
            log.exception("Delivery to a socket failed")


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()  # `running_hub` reads `_hubs` from the database thread


def running_hub() -> Hub | None:
    """This process's hub, if its loop is running, for code on another thread (the database thread).

    A Daphne process has one loop and so at most one hub; tests leave hubs of
    finished loops behind, which this skips.
    """
    with _hubs_lock:
        return next((hub for loop, hub in _hubs.items() if loop.is_running()), None)


def get_hub() -> Hub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = Hub()
        with _hubs_lock:
            _hubs[loop] = hub
    return hub
