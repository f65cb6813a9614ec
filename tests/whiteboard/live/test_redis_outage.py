"""Redis going away loses no acknowledged batch: the database is the stream, Redis only makes it fast.

Two Daphne processes share PostgreSQL and a private redis-server (started from
/usr/bin/redis-server, not the shared one) that the test kills and restarts. While Redis is
away the writer's batches must still be acknowledged, because acknowledged
means stored; the other process's heartbeat must then find them in the
database. Once Redis is back the fast path must heal by itself: presence,
which never touches the database, is the proof that it did.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Peer, add, batch, until

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]

DURING = 10
# The heartbeat fills gaps within one interval, plus the database read; four leave room for a busy machine.
CATCH_UP = 4 * servers.HEAD_INTERVAL + 1
HEAL = 10.0  # redis-py reconnects and resubscribes on its own schedule (about a second between attempts)


async def presence_reaches(sender: Peer, receiver: Peer) -> None:
    """Send presence until the receiver gets one: presence is best-effort, so each try may be lost."""
    cursor = {"x": 1, "y": 1}
    seen = len([f for f in receiver.frames if f["type"] == "presence"])

    async def keep_sending() -> None:
        while True:
            await sender.send({"type": "presence", "cursor": cursor, "selection": []})
            await asyncio.sleep(0.2)

    sending = asyncio.create_task(keep_sending())
    try:
        await until(lambda: len([f for f in receiver.frames if f["type"] == "presence"]) > seen, HEAL, "presence")
    finally:
        sending.cancel()


async def test_batches_acknowledged_while_redis_is_down_reach_the_other_process(
    postgres_url, launcher, peers, server_kind
):
    redis = launcher.redis()
    env = servers.server_env(postgres_url, redis.url)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    board = servers.seed(env, {"owner": "owner", "reader": "observer"})
    writer = await peers(a.ws_url(board.id), "writer on A", headers=board["owner"].headers)
    reader = await peers(b.ws_url(board.id), "reader on B", headers=board["reader"].headers)
    await writer.recv_type("welcome")
    await reader.recv_type("welcome")
    await writer.commit(batch("before", add("before")))
    assert (await reader.recv_type("batch"))["id"] == "before"

    redis.kill()
    heads_before = len([f for f in reader.frames if f["type"] == "head"])
    acks = [await writer.commit(batch(f"during-{k}", add(f"during-{k}"))) for k in range(DURING)]
    assert [ack["seq"] for ack in acks] == list(range(2, DURING + 2))

    await until(lambda: len(reader.received()) >= DURING + 1, CATCH_UP, "the reader has every batch")
    assert reader.received()[1:] == acks  # gapless, in order, each once, exactly as acknowledged
    heads = [f["seq"] for f in reader.frames if f["type"] == "head"][heads_before:]
    assert heads, "no heartbeat reached the reader while Redis was down"
    await until(
        lambda: reader.frames[-1] == {"type": "head", "stream": "public", "seq": DURING + 1},
        CATCH_UP,
        "a head at the new seq",
    )

    redis.start()
    await presence_reaches(writer, reader)
    await presence_reaches(reader, writer)
    after = await writer.commit(batch("after", add("after")))
    await until(lambda: len(reader.received()) >= DURING + 2, CATCH_UP, "the batch after the outage")
    assert reader.received()[1:] == [*acks, after]


async def test_a_new_socket_can_join_while_redis_is_down(postgres_url, launcher, peers, server_kind):
    """The board lives in the database, so Redis being away must not lock people out of it.

    A is a process that already has a socket (its hub is subscribed); B has
    none yet, as after a restart. Both must let a new socket in, read the board
    from the database, and deliver what the other process commits.
    """
    redis = launcher.redis()
    env = servers.server_env(postgres_url, redis.url)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    board = servers.seed(env, {"owner": "owner", "late-a": "observer", "late-b": "observer"})
    writer = await peers(a.ws_url(board.id), "writer on A", headers=board["owner"].headers)
    await writer.recv_type("welcome")
    await writer.commit(batch("before", add("before")))

    redis.kill()
    late_a = await peers(a.ws_url(board.id), "late on A", headers=board["late-a"].headers)
    late_b = await peers(b.ws_url(board.id), "late on B", headers=board["late-b"].headers)
    for late in (late_a, late_b):
        welcome = await late.recv_type("welcome")
        assert (welcome["seq"], [e["id"] for e in welcome["elements"]]) == (1, ["before"])

    during = await writer.commit(batch("during", add("during")))
    await until(lambda: late_a.received() == late_b.received() == [during], CATCH_UP, "the batch on both")
