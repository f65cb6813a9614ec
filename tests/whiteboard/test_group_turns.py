"""Fair turns at the database thread (issue 19): what one sender queues cannot hold up the others.

`take_group` decides each group: light batches together (at most `GROUP_OPS` ops), a heavy one
alone, the two kinds taking turns, one batch per sender. A chain (an import's thousands of ops)
is queued one batch at a time, so another board's batch is stored between its batches.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, board_with_owner, member
from whiteboard.errors import SyncError
from whiteboard.group_commit import (
    GROUP_OPS,
    LIGHT_OPS,
    MAX_GROUP,
    ChainRefused,
    Waiting,
    get_committer,
    take_group,
)
from whiteboard.models import Batch
from whiteboard.services.batches import Submission

BOARD = uuid.uuid4()


def waiting(sender: int, cost: int, name: str = "", board: uuid.UUID = BOARD) -> Waiting:
    ops = [add(f"{name or sender}-{i}") for i in range(cost)]
    future = concurrent.futures.Future()  # take_group never touches it
    return Waiting(Submission(board, uuid.UUID(int=sender), name or f"s{sender}", ops), future)  # type: ignore[arg-type]


def names(group: list[Waiting]) -> list[str]:
    return [w.submission.batch_id for w in group]


def test_light_batches_are_committed_together_and_never_with_or_behind_a_queued_heavy_one():
    queue = [waiting(1, LIGHT_OPS + 1, "heavy"), waiting(2, 1, "light"), waiting(3, LIGHT_OPS, "medium")]
    assert names(take_group(queue, heavy_turn=False)) == ["light", "medium"]
    assert names(queue) == ["heavy"]
    assert names(take_group(queue, heavy_turn=False)) == ["heavy"]  # nothing light waits: its turn anyway


def test_heavy_batches_go_alone_in_arrival_order_taking_turns_with_the_light_ones():
    committer_queue = [waiting(1, 500, "import"), waiting(2, 500, "flood"), waiting(3, 1, "drag-1")]
    turns, heavy_turn = [], False
    for arriving in ["drag-2", "drag-3", None, None]:
        group = take_group(committer_queue, heavy_turn)
        heavy_turn = not group[0].heavy
        turns.append(names(group))
        if arriving:
            committer_queue.append(waiting(3, 1, arriving))
    assert turns == [["drag-1"], ["import"], ["drag-2"], ["flood"]]
    assert names(take_group(committer_queue, heavy_turn)) == ["drag-3"]


def test_a_group_holds_one_batch_per_sender_in_the_order_sent():
    queue = [waiting(1, 5, "a1"), waiting(1, 1, "a2"), waiting(2, 3, "b1")]
    assert names(take_group(queue, heavy_turn=False)) == ["a1", "b1"]
    assert names(take_group(queue, heavy_turn=False)) == ["a2"]


def test_a_light_group_never_exceeds_its_op_and_batch_caps():
    queue = [waiting(n, 1) for n in range(MAX_GROUP + 5)]
    assert len(take_group(queue, heavy_turn=False)) == MAX_GROUP
    queue = [waiting(n, LIGHT_OPS) for n in range(GROUP_OPS // LIGHT_OPS + 3)]
    group = take_group(queue, heavy_turn=False)
    assert sum(w.cost for w in group) == GROUP_OPS and len(queue) == 3


@pytest.mark.django_db(transaction=True)
async def test_another_boards_batch_is_stored_between_the_batches_of_a_long_chain():
    def boards():
        (one, owner), (other, other_owner) = board_with_owner(), board_with_owner()
        return one, owner.participant.id, other, other_owner.participant.id

    one, author, other, other_author = await database_sync_to_async(boards)()
    committer = get_committer()
    chain = [Submission(one.id, author, f"start-{n}", [add(f"c{n}-{i}") for i in range(60)]) for n in range(8)]
    importing = asyncio.ensure_future(committer.submit_chain(chain))
    await asyncio.sleep(0)  # the chain's first batch is queued first
    ack = await committer.submit(Submission(other.id, other_author, "meanwhile", [add("x")]))
    assert not importing.done()  # acknowledged while the chain still had batches to store
    stored = await importing
    assert [c.seq for c in stored] == list(range(1, 9))

    def insert_order():
        return list(Batch.objects.filter(board__in=[one, other]).order_by("id").values_list("client_id", flat=True))

    order = await database_sync_to_async(insert_order)()
    assert order.index("meanwhile") < order.index("start-7")  # not queued behind the whole chain
    assert ack.seq == 1


@pytest.mark.django_db(transaction=True)
async def test_a_refused_batch_ends_a_chain_and_keeps_what_was_stored_before_it():
    def board():
        one, owner = board_with_owner()
        return one, owner.participant.id, member(one, "observer").participant.id

    one, author, observer = await database_sync_to_async(board)()
    chain = [
        Submission(one.id, author, "start-0", [add("a")]),
        Submission(one.id, author, "start-1", [add("a")]),  # a duplicate element id
        Submission(one.id, author, "start-2", [add("b")]),
    ]
    with pytest.raises(ChainRefused) as refused:
        await get_committer().submit_chain(chain)
    assert refused.value.index == 1 and isinstance(refused.value.error, SyncError)
    ids = await database_sync_to_async(
        lambda: list(Batch.objects.filter(board=one).values_list("client_id", flat=True))
    )()
    assert ids == ["start-0"]
    # An observer's chain is refused at its first batch, as its socket's batch would be.
    with pytest.raises(ChainRefused) as forbidden:
        await get_committer().submit_chain([Submission(one.id, observer, "o-0", [add("o")])])
    assert forbidden.value.index == 0 and forbidden.value.error.code == "forbidden"
