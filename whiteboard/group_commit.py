"""Group commit: the batches a process's sockets send while its database thread is busy
are committed together, in one transaction and one fsync, in fair turns.

Channels runs every ORM call of a process on one thread. A socket's batch joins
this process's queue; one task per event loop (`Committer`) hands the database
thread a call that takes **the next group of what is queued by the time the
thread runs it** and commits it with `services.batches.batch_submit_group`: a
savepoint per batch, so a refused batch rolls back alone, and one COMMIT for
the group. So under load a process pays one transaction and one fsync for many
batches, and with one writer the path is exactly one batch, one transaction.

Fair turns (issue 19). Everyone in a group waits for the whole group's work, so:

- a batch of at most `LIGHT_OPS` ops (an edit, a drag, a small paste) is
  **light**; light batches are committed together, in arrival order, at most
  `GROUP_OPS` ops and `MAX_GROUP` batches a group, and never with a heavy one;
- a **heavy** batch (up to 500 ops from a socket) is committed alone, and
  while both kinds wait, light and heavy groups **alternate**, the heavy
  batches in arrival order;
- a group takes one batch per sender (board and participant), its earliest,
  so a sender's batches keep their order and no sender fills a group;
- a long write from a REST request (an import's thousands of ops) is a
  **chain** (`submit_chain`, `submit_from_thread`): batches of one sender, each
  queued only once the one before it is stored, so it takes one heavy turn at a
  time between the sockets' groups instead of holding the database (on SQLite,
  its one write lock) until it is done.

So a light batch waits for at most the group under way, one heavy batch and its
own light group, whoever floods. `run_in_turn` gives a request's other writes
(creating the imported board) the same database thread instead of a race for
SQLite's write lock with it.

Acknowledged means durable: each stored batch announced itself with
`transaction.on_commit` (`broadcast.batch_committed`) into the `collecting`
list this task set around the call, so nothing is heard before the COMMIT has
returned. Then the committer publishes the announced batches through the hub
in commit order (seq order per board and stream), each author's sockets first
(their acknowledgement), and only then wakes each waiting socket with its
outcome: a resend's stored message, a refusal, or nothing more to do (a chain's
sender is woken after its last batch, or its first refused one).
A crash before the COMMIT returns loses the whole group, none of it acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db import transaction

from whiteboard import broadcast, protocol
from whiteboard.hub import get_hub
from whiteboard.services.batches import Committed, Submission, batch_submit, batch_submit_group

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_GROUP = 64  # bounds one transaction's lock time and the wait of the group's last batch
GROUP_OPS = 500  # ops in one light group: what a light batch waits for at most beside a heavy one
LIGHT_OPS = 50  # a batch of more ops is heavy: committed alone, in turns with the light groups


class ChainRefused(Exception):
    """Batch `index` of a chain was refused (`error`): it and the batches after it are not stored."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(f"batch {index} of the chain was refused: {error}")
        self.index = index
        self.error = error


_PENDING = object()  # a chain's batch is stored and its next one queued: nobody to wake yet


@dataclass(eq=False)
class Waiting:
    """A queued batch; `future` is resolved on the loop once it is durable and published.

    A chain's batch also carries the batches after it (`rest`) and what the chain stored so far (`done`).
    """

    submission: Submission
    future: asyncio.Future[Any]
    rest: tuple[Submission, ...] = ()
    done: list[Committed] | None = None
    cost: int = field(init=False)

    def __post_init__(self) -> None:
        raw = self.submission.raw_ops
        self.cost = max(1, len(raw)) if isinstance(raw, list) else 1

    @property
    def source(self) -> tuple[UUID, UUID]:
        return self.submission.board_id, self.submission.participant_id

    @property
    def heavy(self) -> bool:
        return self.cost > LIGHT_OPS

    def settle(self, outcome: Committed | Exception) -> tuple[Any, Waiting | None]:
        """On the database thread, after the group: what to wake the sender with, and the chain's next batch."""
        if self.done is None:
            return outcome, None
        if isinstance(outcome, Exception):
            return ChainRefused(len(self.done), outcome), None
        self.done.append(outcome)
        if not self.rest:
            return list(self.done), None
        return _PENDING, Waiting(self.rest[0], self.future, self.rest[1:], self.done)


def take_group(queue: list[Waiting], heavy_turn: bool) -> list[Waiting]:
    """Choose the next group and remove it from `queue` (see the module docstring): the oldest heavy
    batch alone on a heavy turn (or when no light one waits), otherwise the light batches in arrival
    order up to the caps. One batch per sender, its earliest, so a sender's batches keep their order.
    """
    firsts: dict[tuple[UUID, UUID], Waiting] = {}
    for waiting in queue:
        firsts.setdefault(waiting.source, waiting)
    heads = list(firsts.values())
    lights = [w for w in heads if not w.heavy]
    heavies = [w for w in heads if w.heavy]
    taken: list[Waiting] = []
    if heavies and (heavy_turn or not lights):
        taken = heavies[:1]
    else:
        ops = 0
        for waiting in lights:
            if len(taken) == MAX_GROUP or (taken and ops + waiting.cost > GROUP_OPS):
                break
            taken.append(waiting)
            ops += waiting.cost
    chosen = {id(w) for w in taken}
    queue[:] = [w for w in queue if id(w) not in chosen]
    return taken


class Committer:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: list[Waiting] = []  # appended on the loop and the database thread, taken on the latter
        self.lock = threading.Lock()  # guards `queue` and `heavy_turn`
        self.heavy_turn = False  # after a light group, a waiting heavy batch goes next
        self.task: asyncio.Task[None] | None = None
        self.publishing: set[asyncio.Task[None]] = set()  # held so the loop cannot drop them half-way
        self.groups = 0  # committed groups and batches, for tests and the bench
        self.batches = 0

    async def submit(self, submission: Submission) -> Committed:
        """Store one batch in the next group it fits; returns once it is durable and published."""
        outcome = await self._wait(Waiting(submission, self.loop.create_future()))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def submit_chain(self, submissions: Sequence[Submission]) -> list[Committed]:
        """Store batches of one sender in order, one per turn; raises `ChainRefused` at the first refused."""
        if not submissions:
            return []
        first, *rest = submissions
        outcome = await self._wait(Waiting(first, self.loop.create_future(), tuple(rest), []))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _wait(self, waiting: Waiting) -> Any:
        with self.lock:
            self.queue.append(waiting)
        if self.task is None or self.task.done():
            # A context of its own: a task inherits its creator's, and one created inside a REST
            # request's (`submit_from_thread`) would run every later group on that request's thread.
            self.task = self.loop.create_task(self._run(), context=contextvars.Context())
        return await waiting.future

    def _commit_queued(self) -> tuple[list[Waiting], list[Any]]:
        """On the database thread: commit the next group of the queue as it stands now."""
        with self.lock:
            group = take_group(self.queue, self.heavy_turn)
            self.heavy_turn = bool(group) and not group[0].heavy
        if not group:
            return group, []
        try:
            outcomes = batch_submit_group([waiting.submission for waiting in group])
        except Exception as error:  # the group's transaction failed: nothing of it is stored
            outcomes = [error] * len(group)
        settled = [waiting.settle(outcome) for waiting, outcome in zip(group, outcomes, strict=True)]
        follow = [after for _, after in settled if after is not None]
        if follow:
            with self.lock:
                self.queue.extend(follow)
        return group, [wake for wake, _ in settled]

    async def _run(self) -> None:
        hub = get_hub()
        previous: asyncio.Task[None] | None = None
        while self.queue:
            announced: list[tuple[UUID, dict[str, Any]]] = []
            token = broadcast.collecting.set(announced)
            try:
                group, wakes = await database_sync_to_async(self._commit_queued)()
            finally:
                broadcast.collecting.reset(token)
            if group:
                self.groups += 1
                self.batches += len(group)
            # Publishing runs beside the next group's commit instead of before it (the database
            # thread would otherwise wait for every socket send and layer round trip of this
            # group); each group's publisher waits for the previous one, so groups go out in
            # commit order.
            previous = self.loop.create_task(self._publish(hub, announced, group, wakes, previous))
            self.publishing.add(previous)
            previous.add_done_callback(self.publishing.discard)

    async def _publish(
        self,
        hub: Any,
        announced: list[tuple[UUID, dict[str, Any]]],
        group: list[Waiting],
        wakes: list[Any],
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
            for waiting, wake in zip(group, wakes, strict=True):
                if wake is not _PENDING and not waiting.future.done():  # done: a socket that went away
                    waiting.future.set_result(wake)


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


# From synchronous code on a thread of its own (a REST request under Daphne or uvicorn).
# Under a server, the work goes to the server's loop and its one database thread; without one
# (a command, a test) asgiref makes a loop for the call and runs the database work on the
# calling thread. Inside a transaction it runs inline instead, in that transaction: it holds its
# locks until it ends (on SQLite, the database's one write lock), so the database thread would
# only wait for it.


async def _chain(submissions: Sequence[Submission]) -> list[Committed]:
    return await get_committer().submit_chain(submissions)


def submit_from_thread(submissions: Sequence[Submission]) -> list[Committed]:
    """Store batches of one sender in order, each in its turn beside the sockets' batches; wait until
    all are durable and published. Raises `ChainRefused` at the first refused one (the rest are not
    tried; the ones before it stay stored)."""
    if not transaction.get_connection().in_atomic_block:
        return async_to_sync(_chain)(submissions)
    done: list[Committed] = []
    for index, one in enumerate(submissions):
        try:
            done.append(
                batch_submit(
                    board_id=one.board_id, participant_id=one.participant_id, batch_id=one.batch_id, raw_ops=one.raw_ops
                )
            )
        except Exception as error:
            raise ChainRefused(index, error) from error
    return done


async def _in_turn(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    call = database_sync_to_async(fn)(*args)
    # A context of its own, so the call is routed to the database thread, not back to the request's.
    return await asyncio.get_running_loop().create_task(call, context=contextvars.Context())


def run_in_turn(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` on the database thread, between the committer's groups (see above)."""
    if transaction.get_connection().in_atomic_block:
        return fn(*args)
    return async_to_sync(_in_turn)(fn, args)
