"""The per-process hub: local delivery in seq order, whatever order the layer brings."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, board_with_owner
from whiteboard.hub import Hub
from whiteboard.protocol import encode
from whiteboard.services.batches import batch_submit


class FakeSocket:
    def __init__(self, streams: tuple[str, ...] = ("public",)) -> None:
        self.key = uuid.uuid4()
        self.participant_id = uuid.uuid4()
        self.streams = streams
        self.seqs: list[int] = []
        self.received: list[tuple[str, int]] = []
        self.texts: list[str] = []
        self.closed: int | None = None

    async def send_batch(self, seq: int, text: str, stream: str = "public") -> None:
        self.seqs.append(seq)
        self.received.append((stream, seq))

    async def send_text(self, text: str) -> None:
        self.texts.append(text)

    async def close_with(self, code: int) -> None:
        self.closed = code

    def connection_id(self) -> None:
        return None


@pytest.fixture
async def hub():
    hub = Hub()
    yield hub
    for board_id in list(hub.feeds):
        for feed in list(hub.feeds.get(board_id, {}).values()):
            for socket in list(feed.sockets.values()):
                await hub.leave(board_id, socket)


async def test_batches_arriving_out_of_order_are_delivered_in_order(hub):
    board_id, socket = uuid.uuid4(), FakeSocket()
    await hub.join(board_id, socket)
    await hub.seed(board_id, 0)
    for seq in (2, 3, 1, 5, 4):
        await hub.deliver(board_id, seq, f"batch {seq}")
    assert socket.seqs == [1, 2, 3, 4, 5]


async def test_batches_the_snapshot_already_holds_are_not_delivered_again(hub):
    board_id, socket = uuid.uuid4(), FakeSocket()
    await hub.join(board_id, socket)
    await hub.deliver(board_id, 3, "early")  # arrives while the first socket is still reading the board
    await hub.seed(board_id, 2)
    await hub.deliver(board_id, 2, "old")
    assert socket.seqs == [3]


@pytest.mark.django_db(transaction=True)
async def test_a_gap_the_layer_never_fills_is_fetched_from_the_database(hub, settings):
    settings.BOTHSIDES = {**settings.BOTHSIDES, "GAP_WAIT": 0.01}
    board, owner = await database_sync_to_async(board_with_owner)()
    committed = []
    for i in range(3):
        committed.append(
            await database_sync_to_async(batch_submit)(
                board_id=board.id, participant_id=owner.participant.id, batch_id=f"b{i}", raw_ops=[add(f"c{i}")]
            )
        )
    socket = FakeSocket()
    await hub.join(board.id, socket)
    await hub.seed(board.id, 0)
    await hub.deliver(board.id, 3, encode(committed[2].message))  # 1 and 2 were lost on the way
    for _ in range(100):
        if socket.seqs == [1, 2, 3]:
            break
        await asyncio.sleep(0.01)
    assert socket.seqs == [1, 2, 3]


async def test_a_relay_skips_its_sender(hub):
    board_id, sender, other = uuid.uuid4(), FakeSocket(), FakeSocket()
    await hub.join(board_id, sender)
    await hub.join(board_id, other)
    await hub.relay(board_id, "cursor", origin=sender)
    assert (sender.texts, other.texts) == ([], ["cursor"])


async def test_one_failing_socket_does_not_stop_delivery_to_the_others(hub):
    class Broken(FakeSocket):
        async def send_batch(self, seq: int, text: str, stream: str = "public") -> None:
            raise ConnectionResetError

    board_id, broken, healthy = uuid.uuid4(), Broken(), FakeSocket()
    await hub.join(board_id, broken)
    await hub.join(board_id, healthy)
    await hub.seed(board_id, 0)
    await hub.deliver(board_id, 1, "batch")
    assert healthy.seqs == [1]


async def test_the_last_socket_leaving_stops_the_hubs_tasks(hub):
    board_id, socket = uuid.uuid4(), FakeSocket()
    await hub.join(board_id, socket)
    tasks = list(hub.tasks)
    await hub.leave(board_id, socket)
    await asyncio.sleep(0)
    assert hub.feeds == {} and all(task.cancelled() or task.done() for task in tasks)


async def test_a_private_batch_reaches_only_the_sockets_that_read_the_private_stream(hub):
    board_id = uuid.uuid4()
    interviewer, candidate = FakeSocket(("public", "private")), FakeSocket()
    await hub.join(board_id, interviewer)
    await hub.join(board_id, candidate)
    await hub.seed(board_id, 0)
    await hub.seed(board_id, 0, "private")
    await hub.deliver(board_id, 1, "private note", stream="private")
    await hub.deliver(board_id, 1, "public batch")
    await hub.deliver(board_id, 2, "another private note", stream="private")
    assert interviewer.received == [("private", 1), ("public", 1), ("private", 2)]
    assert candidate.received == [("public", 1)]


@pytest.mark.django_db(transaction=True)
async def test_a_batch_stored_in_a_process_without_a_hub_reaches_hubs_through_the_layer(hub):
    """A management command or a worker has no hub: the batch's announcement goes straight to the layer."""
    board, owner = await database_sync_to_async(board_with_owner)()
    socket = FakeSocket()
    await hub.join(board.id, socket)
    await hub.seed(board.id, 0)
    await database_sync_to_async(batch_submit)(
        board_id=board.id, participant_id=owner.participant.id, batch_id="b1", raw_ops=[add("api")]
    )
    for _ in range(100):
        if socket.seqs:
            break
        await asyncio.sleep(0.01)
    assert socket.seqs == [1]


async def test_a_committed_batch_goes_to_its_authors_sockets_first(hub):
    """The author's copy is their acknowledgement, so it leaves before everyone else's."""
    order: list[uuid.UUID] = []

    class Ordered(FakeSocket):
        async def send_batch(self, seq: int, text: str, stream: str = "public") -> None:
            order.append(self.key)

    board_id, other, author = uuid.uuid4(), Ordered(), Ordered()
    await hub.join(board_id, other)
    await hub.join(board_id, author)
    await hub.seed(board_id, 0)
    hub.committed(board_id, 1, "batch", "public", author.participant_id)
    await asyncio.gather(*hub.publishing)
    assert order == [author.key, other.key]
