"""What the socket tests of annotations share: boards with a cast, seeding, and the database's view.

Seeding goes through `batch_submit`, the very path a socket batch takes, so a
seeded thread is one the server itself accepted; reads go straight to the
rows, so a test compares what clients were told with what is stored.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from channels.db import database_sync_to_async

from reviews.annotation_queries import annotation_dict
from reviews.models import Annotation
from tests.conftest import Client
from tests.factories import Member, add, arrow, board_with_owner, member
from whiteboard.models import Batch, Board, Participant
from whiteboard.services.batches import batch_submit

ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")
_seed_ids = itertools.count()


class Cast:
    """A board of either mode with a member in every role, a second reviewer, and a small diagram.

    The diagram: components `api` and `db`, the arrow `api-db` between them,
    and the sticky note `sticky`. `colleague` is a reviewer who is never the
    actor under test, so "someone else's thread" always has an author.
    """

    def __init__(self, mode: str = "interview") -> None:
        self.mode = mode
        self.board, self.owner = board_with_owner(mode=mode)
        self.interviewer = member(self.board, "interviewer")
        self.candidate = member(self.board, "candidate")
        self.reviewer = member(self.board, "reviewer")
        self.observer = member(self.board, "observer")
        self.colleague = member(self.board, "reviewer")
        seed(
            self.board,
            self.owner,
            add("api", label="API"),
            add("db", type="database", label="DB"),
            arrow("api-db", "api", "db"),
            add("sticky", "note", text="todo"),
        )

    def by_role(self, role: str) -> Member:
        return getattr(self, role)


def seed(board: Board, who: Member, *ops: dict[str, Any]) -> dict[str, Any]:
    """Store a batch as if `who` had sent it on a socket; returns the stored batch message."""
    committed = batch_submit(
        board_id=board.id, participant_id=who.participant.id, batch_id=f"seed-{next(_seed_ids)}", raw_ops=list(ops)
    )
    return committed.message


def set_role(who: Member, role: str) -> None:
    Participant.objects.filter(pk=who.participant.pk).update(role=role)
    who.participant.role = role


def threads(board: Board) -> dict[str, dict[str, Any]]:
    """Every stored annotation of the board, private ones included, by id."""
    rows = Annotation.objects.filter(board=board).prefetch_related("replies")
    return {row.annotation_id: annotation_dict(row) for row in rows}


def log(board: Board, stream: str | None = None) -> list[dict[str, Any]]:
    """The stored batches (stream, seq, client id, participant, ops), by stream then seq: what `fold` reads."""
    rows = Batch.objects.filter(board=board).order_by("stream", "seq")
    if stream is not None:
        rows = rows.filter(stream=stream)
    return [
        {
            "stream": row.stream,
            "seq": row.seq,
            "id": row.client_id,
            "participant": str(row.participant_id),
            "ops": row.ops,
        }
        for row in rows
    ]


def board_row(board: Board) -> Board:
    return Board.objects.get(pk=board.pk)


athreads = database_sync_to_async(threads)
alog = database_sync_to_async(log)
aboard = database_sync_to_async(board_row)


class RawClient(Client):
    """A `Client` that also keeps the exact text of every frame, for byte-level privacy checks."""

    def __init__(self, client: Client, who: Member) -> None:
        super().__init__(client.ws)
        self.who = who
        self.texts: list[str] = []

    async def recv(self, timeout: float = 2) -> dict[str, Any]:
        text = await self.ws.receive_from(timeout)
        self.texts.append(text)
        frame = json.loads(text)
        self.frames.append(frame)
        return frame

    async def drain(self, quiet: float = 0.3, limit: float = 10) -> None:
        """Read every frame that arrives until `quiet` seconds pass with none but heartbeats.

        Heartbeats alone do not count as activity (a fast heartbeat never lets
        the socket fall silent); `limit` bounds the whole wait.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        settled = loop.time() + quiet
        while (left := settled - loop.time()) > 0:
            assert loop.time() < deadline, f"frames kept coming for {limit}s"
            if await self.ws.receive_nothing(min(left, 0.05)):
                continue
            if (await self.recv())["type"] != "head":
                settled = loop.time() + quiet

    async def answer(self, batch_id: str, timeout: float = 2) -> dict[str, Any]:
        """The server's answer to one of our batches: its broadcast (the ack) or its rejection."""
        while True:
            frame = await self.recv_type_in({"batch", "rejected"}, timeout)
            if frame["id"] == batch_id and (frame["type"] == "rejected" or frame["participant"] == self.who.id):
                return frame

    async def submit(self, message: dict[str, Any], timeout: float = 2) -> dict[str, Any]:
        """Send a batch and return the server's answer to it."""
        await self.send(message)
        return await self.answer(message["id"], timeout)

    async def heads(self, streams: set[str], timeout: float = 3) -> None:
        """Wait until a `head` of each of these streams has arrived (counting those already read)."""
        seen = {f["stream"] for f in self.frames if f["type"] == "head"}
        while not streams <= seen:
            seen.add((await self.recv_type("head", timeout))["stream"])

    async def batch_with(self, batch_id: str, timeout: float = 2) -> dict[str, Any]:
        """The next batch frame with this batch id, whoever sent it."""
        while True:
            frame = await self.recv_type("batch", timeout)
            if frame["id"] == batch_id:
                return frame


async def raw(connect: Any, board_id: Any, who: Member, **kwargs: Any) -> RawClient:
    return RawClient(await connect(board_id, who, **kwargs), who)
