"""What is never stored: presence, drag previews, joins and leaves, and the heartbeat."""

from __future__ import annotations

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async

from tests.conftest import two
from tests.factories import add, batch
from whiteboard import broadcast
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db(transaction=True)


async def test_others_see_who_joins_and_leaves(room, connect):
    a = await connect(room.board.id, room.candidate)
    await a.recv_type("welcome")
    b = await connect(room.board.id, room.observer)
    welcome = await b.recv_type("welcome")
    assert {p["role"]: p["online"] for p in welcome["participants"]}["candidate"] is True
    joined = await a.recv_type("joined")
    assert (joined["participant"]["id"], joined["participant"]["role"]) == (room.observer.id, "observer")
    await b.ws.disconnect()
    assert (await a.recv_type("left"))["participant"] == room.observer.id


async def test_presence_goes_to_others_with_the_senders_id(room, connect):
    a, b = await two(room, connect)
    await a.send({"type": "presence", "cursor": {"x": 10, "y": 20}, "selection": ["api"]})
    seen = await b.recv_type("presence")
    assert seen == {
        "type": "presence",
        "participant": room.candidate.id,
        "cursor": {"x": 10, "y": 20},
        "selection": ["api"],
    }
    await a.nothing("presence")


async def test_presence_is_throttled_to_30_a_second_and_the_excess_dropped_silently(room, connect):
    a, b = await two(room, connect)
    for i in range(100):
        await a.send({"type": "presence", "cursor": {"x": i, "y": 0}})
    seen = 0
    while not await b.ws.receive_nothing(0.3):
        seen += (await b.recv())["type"] == "presence"
    assert 20 <= seen <= 35
    await a.nothing("rejected")


async def test_drag_previews_are_coalesced_and_the_latest_position_wins(room, connect):
    a, b = await two(room, connect)
    for x in range(1, 21):
        await a.send({"type": "preview", "id": "api", "props": {"x": x, "y": 5}})
    previews = []
    while not await b.ws.receive_nothing(0.2):
        frame = await b.recv()
        if frame["type"] == "preview":
            previews.append(frame)
    assert 1 <= len(previews) < 20
    assert previews[-1] == {
        "type": "preview",
        "participant": room.candidate.id,
        "id": "api",
        "props": {"x": 20, "y": 5},
    }


async def test_previews_from_read_only_roles_are_not_relayed(room, connect):
    observer, other = await two(room, connect, first="observer")
    await observer.send({"type": "preview", "id": "api", "props": {"x": 1}})
    await other.nothing("preview")


async def test_the_heartbeat_tells_clients_the_head_seq(room, connect, fast_heartbeat):
    a, _ = await two(room, connect)
    await a.send(batch("b1", add("api")))
    await a.recv_type("batch")
    assert (await a.recv_type("head"))["seq"] == 1


def lose_announcements(monkeypatch, *batch_ids):
    """Stored batches announce themselves on commit; these ones' announcements get lost on the way."""
    announce = broadcast.batch_committed

    def lossy(board_id, message):
        if message["id"] not in batch_ids:
            announce(board_id, message)

    monkeypatch.setattr(broadcast, "batch_committed", lossy)


async def test_a_batch_stored_outside_the_socket_announces_itself(room, connect):
    """No caller broadcasts: the write path does, on commit (long before any heartbeat)."""
    a, b = await two(room, connect)
    await database_sync_to_async(batch_submit)(
        board_id=room.board.id, participant_id=room.owner.participant.id, batch_id="aside", raw_ops=[add("x")]
    )
    for client in (a, b):
        assert (await client.recv_type("batch", timeout=1))["id"] == "aside"


async def test_a_socket_publishes_its_own_batch_on_its_loop_without_a_second_thread_hop(room, connect, monkeypatch):
    """The consumer collects what its write announced and publishes it itself, as fast as before."""
    a, b = await two(room, connect)
    crossings = []
    monkeypatch.setattr(broadcast, "running_hub", lambda: crossings.append(1))
    await a.send(batch("b1", add("api")))
    assert (await a.recv_type("batch"))["id"] == "b1"
    assert (await b.recv_type("batch"))["id"] == "b1"
    assert crossings == []


async def test_a_batch_whose_broadcast_was_lost_still_reaches_everyone(room, connect, fast_heartbeat, monkeypatch):
    """The channel layer is best-effort: the heartbeat finds the gap and fills it from the database."""
    a, b = await two(room, connect)

    lose_announcements(monkeypatch, "quiet")
    await database_sync_to_async(batch_submit)(
        board_id=room.board.id, participant_id=room.owner.participant.id, batch_id="quiet", raw_ops=[add("x")]
    )
    for client in (a, b):
        assert (await client.recv_type("batch"))["id"] == "quiet"


async def test_a_broadcast_dropped_by_the_layer_is_filled_in_order(room, connect, fast_heartbeat, monkeypatch):
    a, b = await two(room, connect)
    lose_announcements(monkeypatch, "lost")
    await database_sync_to_async(batch_submit)(
        board_id=room.board.id, participant_id=room.owner.participant.id, batch_id="lost", raw_ops=[add("x")]
    )
    await a.send(batch("b2", add("y")))  # seq 2 arrives first; seq 1 is fetched before it is delivered
    seqs = [(await b.recv_type("batch"))["seq"] for _ in range(2)]
    assert seqs == [1, 2]
    assert (await a.recv_type("batch"))["seq"] == 1
    await asyncio.sleep(0)


async def test_cursors_keep_moving_while_the_database_thread_is_busy(room, connect):
    """Channels hops to the database thread before every message to close stale connections;
    behind a long commit (a 500-op batch, an import's chunk) every cursor and drag froze with it.
    The board's own database work closes them (`database_sync_to_async`), so frames need no hop."""
    a, b = await two(room, connect)
    busy, release = asyncio.Event(), threading.Event()
    loop = asyncio.get_running_loop()

    def hold_the_database_thread() -> None:
        loop.call_soon_threadsafe(busy.set)
        release.wait(5)

    holding = asyncio.ensure_future(database_sync_to_async(hold_the_database_thread)())
    await busy.wait()
    try:
        await a.send({"type": "presence", "cursor": {"x": 1, "y": 2}})
        await a.send({"type": "preview", "id": "api", "props": {"x": 5, "y": 5}})
        assert (await b.recv_type("presence", timeout=1))["cursor"] == {"x": 1, "y": 2}
        assert (await b.recv_type("preview", timeout=1))["props"] == {"x": 5, "y": 5}
    finally:
        release.set()
        await holding
