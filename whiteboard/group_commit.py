"""Group commit: the batches a process's sockets send while its database thread is busy
are committed together, in one transaction and one fsync.

Channels runs every ORM call of a process on one thread. A socket's batch joins
this process's queue; one task per event loop (`Committer`) hands the database
thread a call that takes **everything queued by the time the thread runs it**
(at most `MAX_GROUP`) and commits it with `services.batches.batch_submit_group`:
a savepoint per batch, so a refused batch rolls back alone, and one COMMIT for
the group. So under load a process pays one transaction and one fsync for many
batches, and with one writer the path is exactly one batch, one transaction.

Acknowledged means durable: each stored batch announced itself with
`transaction.on_commit` (`broadcast.batch_committed`) into the `collecting`
list this task set around the call, so nothing is heard before the COMMIT has
returned. Then the committer publishes the announced batches through the hub
in commit order (seq order per board and stream), each author's sockets first
(their acknowledgement), and only then wakes each waiting socket with its
outcome: a resend's stored message, a refusal, or nothing more to do.
A crash before the COMMIT returns loses the whole group, none of it acknowledged.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async

from whiteboard import broadcast, protocol
from whiteboard.hub import get_hub
from whiteboard.services.batches import Committed, Submission, batch_submit_group

log = logging.getLogger(__name__)

MAX_GROUP = 64  # bounds one transaction's lock time and the wait of the group's last batch

Waiting = tuple[Submission, asyncio.Future]


class Committer:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: collections.deque[Waiting] = collections.deque()  # appended on the loop, taken on the db thread
        self.task: asyncio.Task[None] | None = None
        self.publishing: set[asyncio.Task[None]] = set()  # held so the loop cannot drop them half-way
        self.groups = 0  # committed groups and batches, for tests and the bench
        self.batches = 0

    async def submit(self, submission: Submission) -> Committed:
        """Store one batch with whatever else is queued; returns once it is durable and published."""
        future: asyncio.Future[Committed | Exception] = self.loop.create_future()
        self.queue.append((submission, future))
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())
        outcome = await future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _take(self) -> list[Waiting]:
        taken: list[Waiting] = []
        while self.queue and len(taken) < MAX_GROUP:
            taken.append(self.queue.popleft())
        return taken

    def _commit_queued(self) -> tuple[list[Waiting], list[Committed | Exception]]:
        """On the database thread: take the queue as it stands now and commit it as one group."""
        group = self._take()
        if not group:
            return group, []
        try:
            return group, batch_submit_group([submission for submission, _ in group])
        except Exception as error:  # the group's transaction failed: nothing of it is stored
            return group, [error] * len(group)

    async def _run(self) -> None:
        hub = get_hub()
        previous: asyncio.Task[None] | None = None
        while self.queue:
            announced: list[tuple[UUID, dict[str, Any]]] = []
            token = broadcast.collecting.set(announced)
            try:
                group, outcomes = await database_sync_to_async(self._commit_queued)()
            finally:
                broadcast.collecting.reset(token)
            if group:
                self.groups += 1
                self.batches += len(group)
            # Publishing runs beside the next group's commit instead of before it (the database
            # thread would otherwise wait for every socket send and layer round trip of this
            # group); each group's publisher waits for the previous one, so groups go out in
            # commit order.
            previous = self.loop.create_task(self._publish(hub, announced, group, outcomes, previous))
            self.publishing.add(previous)
            previous.add_done_callback(self.publishing.discard)

    async def _publish(
        self,
        hub: Any,
        announced: list[tuple[UUID, dict[str, Any]]],
        group: list[Waiting],
        outcomes: list[Committed | Exception],
        previous: asyncio.Task[None] | None,
    ) -> None:
        if previous is not None:
            with contextlib.suppress(BaseException):
                await previous
        try:
            for board_id, message in announced:  # commit order: seq order per board and stream
                text = protocol.encode(message)
                author = UUID(message["participant"])
                try:
                    await hub.publish(board_id, message["seq"], text, message["stream"], author)
                except Exception:  # stored whatever happens here: the hubs' gap fill delivers it
                    log.exception("Could not publish batch %s of board %s", message["seq"], board_id)
        finally:
            for (_, future), outcome in zip(group, outcomes, strict=True):
                if not future.done():  # a socket that went away meanwhile
                    future.set_result(outcome)


_committers: dict[asyncio.AbstractEventLoop, Committer] = {}
_lock = threading.Lock()


def get_committer() -> Committer:
    """The committer of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    committer = _committers.get(loop)
    if committer is None:
        with _lock:
            for old in [old for old in _committers if old.is_closed()]:
                del _committers[old]  # tests run many loops
            committer = _committers[loop] = Committer()
    return committer
