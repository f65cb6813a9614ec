"""The board socket: authenticate, decode, call a service, send.

Business rules live in `ops` and `services`; fan-out lives in `hub`. What is
here is per-connection plumbing: rate limits, preview coalescing, and keeping
this socket's stream in seq order while it joins.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import DatabaseError

from whiteboard import protocol, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.group_commit import get_committer
from whiteboard.hub import Hub, get_hub
from whiteboard.numbers import whole_number
from whiteboard.ratelimit import TokenBucket
from whiteboard.selectors import join_message, participant_dict
from whiteboard.services.batches import Submission
from whiteboard.services.participants import connection_close, connection_open
from whiteboard.vocabulary import LIMITS
from whiteboard.ws_auth import scope_participant

log = logging.getLogger(__name__)

FRAMES_PER_SECOND, FRAME_BURST = 120, 240
BATCHES_PER_SECOND, BATCH_BURST = 30, 60
PRESENCE_PER_SECOND = 30
PREVIEW_INTERVAL = 1 / 30
# Excess frames are dropped; a client that keeps overflowing (more than 500
# dropped in a burst, or 50 a second sustained) is closed 4429.
OVERFLOW_PER_SECOND, OVERFLOW_BURST = 50, 500
# The work a client may cause, whatever its batch rate (issue 19, defect 3): ops and frame
# bytes a second. Past them a batch is refused `rate_limited` (retryable), other frames are
# dropped; a client that keeps being refused (100 in a burst, 5 a second sustained) is closed 4429.
OPS_PER_SECOND, OPS_BURST = LIMITS["ops_per_second"], LIMITS["ops_burst"]
BYTES_PER_SECOND, BYTES_BURST = LIMITS["bytes_per_second"], LIMITS["bytes_burst"]
REFUSED_PER_SECOND, REFUSED_BURST = 5, 100
MALFORMED_CLOSE_AFTER = 20  # undecodable frames in a row before the socket is closed 4400


class BoardConsumer(AsyncWebsocketConsumer):
    # No channel per socket: the hub holds one per process. A per-socket channel
    # would cost a Redis subscription per connection and fail joins while Redis is away.
    channel_layer_alias = None  # type: ignore[assignment]  # Channels reads None as "no layer"

    async def connect(self) -> None:
        self.key = uuid.uuid4()
        self.board_id: UUID = self.scope["url_route"]["kwargs"]["board_id"]
        self.seqs: dict[str, int] | None = None  # per stream, once the first message is sent
        self.backlog: list[tuple[str, int, str]] = []  # (stream, seq, text)
        self.connection: UUID | None = None
        self.hub: Hub | None = None
        participant = await database_sync_to_async(scope_participant)(self.scope, self.board_id)  # type: ignore[arg-type]
        if participant is None:
            await self.close(code=4403)  # before accept: Daphne answers the handshake with 403
            return
        # The role and id only: the model instance (and the board it was read with) would stay
        # in memory for the socket's lifetime, for two fields.
        self.role = participant.role
        self.participant_id = participant.id
        self.streams = roles.streams_for(participant.role)
        now = time.monotonic()
        self.frames = TokenBucket(FRAMES_PER_SECOND, FRAME_BURST, now)
        self.batches = TokenBucket(BATCHES_PER_SECOND, BATCH_BURST, now)
        self.presences = TokenBucket(PRESENCE_PER_SECOND, PRESENCE_PER_SECOND, now)
        self.viewports = TokenBucket(PRESENCE_PER_SECOND, PRESENCE_PER_SECOND, now)
        self.lasers = TokenBucket(PRESENCE_PER_SECOND, PRESENCE_PER_SECOND, now)
        self.overflow = TokenBucket(OVERFLOW_PER_SECOND, OVERFLOW_BURST, now)
        self.ops = TokenBucket(OPS_PER_SECOND, OPS_BURST, now)
        self.bytes = TokenBucket(BYTES_PER_SECOND, BYTES_BURST, now)
        self.refused = TokenBucket(REFUSED_PER_SECOND, REFUSED_BURST, now)
        self.frame_bytes = 0
        self.malformed = 0
        self.previews: dict[str, dict[str, float]] = {}
        self.preview_task: asyncio.Task[None] | None = None
        self.preview_sent = 0.0
        await self.accept()
        since = self._since("since")
        private_since = self._since("private_since")
        for value in (since, private_since):
            if isinstance(value, SyncError):
                await self._reject(None, value)
                await self.close(code=4400)
                return
        assert not isinstance(since, SyncError) and not isinstance(private_since, SyncError)  # refused above
        # Join the feed before reading the board so no batch can fall between the two.
        self.hub = get_hub()
        await self.hub.join(self.board_id, self)
        first = await database_sync_to_async(join_message)(self.board_id, participant, since, private_since)
        self.connection = await database_sync_to_async(connection_open)(
            board_id=self.board_id, participant_id=participant.id
        )
        await self.send(text_data=protocol.encode(first))
        self.seqs = {"public": first["seq"]}
        if "private_seq" in first:
            self.seqs["private"] = first["private_seq"]
        for stream, seq in self.seqs.items():
            await self.hub.seed(self.board_id, seq, stream)
        for stream, seq, text in self.backlog:
            await self.send_batch(seq, text, stream)
        self.backlog = []
        joined = protocol.joined(participant_dict(participant, online=True))
        await self.hub.relay(self.board_id, protocol.encode(joined), origin=self)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' own `dispatch` first hops to the database thread to close stale connections,
        # for every frame: each cursor move then waited behind whatever that one thread was
        # committing (issue 19, fairness). Everything here that touches the database goes through
        # `database_sync_to_async`, which closes them itself, on that thread, around each call.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Whatever ends this socket (a disconnect, a bug in a handler, a
        # cancellation), it leaves the hub and its row: a crash leaves no ghost.
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._cleanup()

    async def disconnect(self, code: int) -> None:
        await self._cleanup()

    async def _cleanup(self) -> None:
        """Idempotent: runs on disconnect and again, as a no-op, when the consumer ends."""
        hub, self.hub = getattr(self, "hub", None), None
        if hub is None:
            return
        if self.preview_task:
            self.preview_task.cancel()
        await hub.leave(self.board_id, self)
        connection, self.connection = self.connection, None
        try:
            last = connection is not None and await database_sync_to_async(connection_close)(connection_id=connection)
        except DatabaseError:
            # Out of the hub, the row is no longer refreshed: another socket's heartbeat prunes it and says `left`.
            log.warning("Connection row not deleted: database unavailable", exc_info=True)
            return
        if last:
            left = protocol.left(str(self.participant_id))
            await hub.relay(self.board_id, protocol.encode(left), origin=self)

    # The hub's side of the socket.

    def connection_id(self) -> UUID | None:
        return self.connection

    async def send_batch(self, seq: int, text: str, stream: str = "public") -> None:
        if self.seqs is None:
            self.backlog.append((stream, seq, text))
        elif seq > self.seqs.get(stream, seq):
            self.seqs[stream] = seq
            await self.send(text_data=text)

    async def send_text(self, text: str) -> None:
        if self.seqs is not None:
            await self.send(text_data=text)

    async def close_with(self, code: int) -> None:
        await self.close(code=code)

    # The client's side.

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            # Daphne cannot send close code 1003 (only 1000 and 3000-4999): refuse it like any undecodable frame.
            await self._malformed(SyncError(ErrorCode.BAD_REQUEST, "The protocol is JSON text frames only."))
            return
        now = time.monotonic()
        if not self.frames.take(now):
            if not self.overflow.take(now):
                await self.close(code=4429)
            return
        try:
            raw = protocol.decode(text_data)
        except SyncError as error:
            await self._malformed(error)
            return
        self.malformed = 0
        self.frame_bytes = len(text_data) if text_data.isascii() else len(text_data.encode("utf-8", "surrogatepass"))
        try:
            message = protocol.parse_client_message(raw)
        except SyncError as error:
            await self._reject(protocol.batch_id_of(raw) if raw.get("type") == "batch" else None, error)
            return
        if isinstance(message, protocol.BatchMessage):
            await self._batch(message)
        elif not self.bytes.take(now, self.frame_bytes):
            await self._refused(None)  # presence, a preview, a viewport or a laser past the byte budget: dropped
        elif isinstance(message, protocol.PresenceMessage):
            await self._presence(message)
        elif isinstance(message, protocol.ViewportMessage):
            await self._viewport(message)
        elif isinstance(message, protocol.LaserMessage):
            await self._laser(message)
        else:
            await self._preview(message)

    async def _batch(self, message: protocol.BatchMessage) -> None:
        if not roles.can_write(self.role):
            error = SyncError(ErrorCode.FORBIDDEN, "An observer can watch the board but not change it.")
            await self._reject(message.id, error)
            return
        now = time.monotonic()
        if not self.batches.take(now):
            await self._refused(message.id, "Too many batches; slow down.")
            return
        # Unchecked yet (parse_ops refuses a non-list or an oversized batch with its own error): count
        # at most a full batch, so a batch too large is refused `too_large`, never `rate_limited` for ever.
        cost = min(len(message.ops), LIMITS["ops_per_batch"]) if isinstance(message.ops, list) else 1
        if not self.ops.take(now, cost):
            await self._refused(message.id, f"More than {OPS_PER_SECOND} ops a second; slow down.")
            return
        if not self.bytes.take(now, self.frame_bytes):
            await self._refused(message.id, f"More than {BYTES_PER_SECOND:,} bytes a second; slow down.")
            return
        # The committer stores it with whatever else this process queued meanwhile (one transaction),
        # and publishes it through the hub once durable, its author's sockets first: that is the
        # acknowledgement. A resend is not announced; it is acknowledged again, to this socket only.
        submission = Submission(self.board_id, self.participant_id, message.id, message.ops)
        try:
            committed = await get_committer().submit(submission)
        except SyncError as error:
            await self._reject(message.id, error)
            return
        except DatabaseError:
            log.warning("Batch not stored: database unavailable", exc_info=True)
            unavailable = SyncError(ErrorCode.DB_UNAVAILABLE, "The board could not be saved just now; retry shortly.")
            await self._reject(message.id, unavailable)
            return
        if committed.duplicate:
            await self.send(text_data=protocol.encode(committed.message))

    async def _presence(self, message: protocol.PresenceMessage) -> None:
        if self.presences.take(time.monotonic()) and self.hub is not None:
            text = protocol.encode(protocol.presence(str(self.participant_id), message))
            await self.hub.relay(self.board_id, text, origin=self)

    async def _viewport(self, message: protocol.ViewportMessage) -> None:
        """Where I look, for whoever follows me; with `lead`, everyone is asked to (a role that may lead)."""
        if message.lead and not roles.can(self.role, "lead"):
            error = SyncError(ErrorCode.FORBIDDEN, f"A {self.role} cannot ask everyone to follow.", "lead")
            await self._reject(None, error)
            return
        if self.viewports.take(time.monotonic()) and self.hub is not None:
            text = protocol.encode(protocol.viewport(str(self.participant_id), message))
            await self.hub.relay(self.board_id, text, origin=self)

    async def _laser(self, message: protocol.LaserMessage) -> None:
        """A laser trail, relayed and forgotten: observers watch it but may not point."""
        if not roles.can(self.role, "point"):
            error = SyncError(ErrorCode.FORBIDDEN, f"A {self.role} can watch the laser but not point.")
            await self._reject(None, error)
            return
        if self.lasers.take(time.monotonic()) and self.hub is not None:
            text = protocol.encode(protocol.laser(str(self.participant_id), message))
            await self.hub.relay(self.board_id, text, origin=self)

    async def _preview(self, message: protocol.PreviewMessage) -> None:
        if not roles.can_edit_canvas(self.role):
            return
        self.previews[message.id] = {**self.previews.get(message.id, {}), **message.props}
        if self.preview_task is None or self.preview_task.done():
            wait = max(0.0, self.preview_sent + PREVIEW_INTERVAL - time.monotonic())
            self.preview_task = asyncio.create_task(self._flush_previews(wait))

    async def _flush_previews(self, wait: float) -> None:
        """Coalesce drag previews to at most 30 a second, latest position wins."""
        if wait:
            await asyncio.sleep(wait)
        previews, self.previews = self.previews, {}
        self.preview_sent = time.monotonic()
        assert self.hub is not None  # previews start only once connect() has joined the hub
        for element_id, props in previews.items():
            text = protocol.encode(protocol.preview(str(self.participant_id), element_id, props))
            await self.hub.relay(self.board_id, text, origin=self)

    async def _refused(self, batch_id: str | None, reason: str | None = None) -> None:
        """Work past a budget: a batch is refused `rate_limited`; a client that keeps pushing is closed 4429."""
        if not self.refused.take(time.monotonic()):
            await self.close(code=4429)
            return
        if reason is not None:
            await self._reject(batch_id, SyncError(ErrorCode.RATE_LIMITED, reason))

    async def _malformed(self, error: SyncError) -> None:
        self.malformed += 1
        await self._reject(None, error)
        if self.malformed >= MALFORMED_CLOSE_AFTER:
            await self.close(code=4400)

    async def _reject(self, batch_id: str | None, error: SyncError) -> None:
        await self.send(text_data=protocol.encode(protocol.rejected(batch_id, error)))

    def _since(self, name: str) -> int | SyncError | None:
        values = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get(name)
        if not values:
            return None
        value = whole_number(values[0])
        if value is None:
            return SyncError(ErrorCode.BAD_REQUEST, f"{name} must be a whole number of at least 0.", name)
        return value
