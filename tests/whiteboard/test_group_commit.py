"""Group commit through the socket: batches that queue while the database thread is busy
commit together, each acknowledged once durable, in seq order, a refused one alone."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from tests.factories import add
from whiteboard import ops
from whiteboard.group_commit import get_committer
from whiteboard.models import Batch, Element

pytestmark = pytest.mark.django_db(transaction=True)

PER_WRITER = 15


def batch(batch_id, *raw_ops):
    return {"type": "batch", "id": batch_id, "ops": list(raw_ops)}


async def test_concurrent_writers_commit_in_groups_gapless_and_a_refused_batch_alone(room, connect):
    writers = [await connect(room.board.id, room.owner), await connect(room.board.id, room.candidate)]
    watcher = await connect(room.board.id, room.observer)
    for client in [*writers, watcher]:
        await client.recv_type("welcome")
    committer = get_committer()
    before = (committer.groups, committer.batches)

    async def write(n, client):
        for i in range(PER_WRITER):
            await client.send(batch(f"w{n}-{i}", add(f"w{n}-{i}")))
            if i == 7 and n == 1:  # a duplicate element id: refused alone
                await client.send(batch(f"w{n}-bad", add("w0-0"), add("w0-0")))

    await asyncio.gather(*(write(n, c) for n, c in enumerate(writers)))
    acks = {0: [], 1: []}
    for n, client in enumerate(writers):
        expected = PER_WRITER + (n == 1)
        while len(acks[n]) < expected:
            frame = await client.recv_type_in({"batch", "rejected"}, timeout=10)
            if frame["type"] == "rejected" or frame["id"].startswith(f"w{n}-"):
                acks[n].append(frame)
    rejected = [f for f in acks[1] if f["type"] == "rejected"]
    assert [f["id"] for f in rejected] == ["w1-bad"]
    seen = [(await watcher.recv_type("batch", timeout=10))["seq"] for _ in range(2 * PER_WRITER)]
    assert seen == list(range(1, 2 * PER_WRITER + 1))  # every batch, once, in seq order, no gap
    groups, batches = committer.groups - before[0], committer.batches - before[1]
    assert batches == 2 * PER_WRITER + 1
    assert groups < batches  # some batches were committed together

    def stored():
        log = [b.ops for b in Batch.objects.filter(board=room.board).order_by("seq")]
        elements = {e.element_id: e.data for e in Element.objects.filter(board=room.board)}
        return list(Batch.objects.filter(board=room.board).values_list("seq", flat=True).order_by("seq")), log, elements

    seqs, log, elements = await database_sync_to_async(stored)()
    assert seqs == list(range(1, 2 * PER_WRITER + 1))
    assert ops.fold(log) == elements
