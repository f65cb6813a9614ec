"""Two Daphne processes on one PostgreSQL database and one Redis: one board, one stream.

The heartbeat is set to 30 s here, far beyond every wait in the test, so each
batch that crosses between the processes must have crossed through Redis: a
fan-out that only worked by polling the database would fail, not pass slowly.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Peer, add, batch, until, update
from whiteboard.ops import fold

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]

WRITERS_PER_PROCESS = 3
BATCHES_PER_WRITER = 20
RETRY_AFTER = 0.2


def writer_batches(writer: int) -> list[dict[str, Any]]:
    """Adds, and every fifth batch also moves the element added four batches before."""
    batches = []
    for k in range(BATCHES_PER_WRITER):
        ops = [add(f"w{writer}-{k}")]
        if k % 5 == 4:
            ops.append(update(f"w{writer}-{k - 4}", x=k * 10))
        batches.append(batch(f"w{writer}-b{k}", *ops))
    return batches


async def write_all(peer: Peer, messages: list[dict[str, Any]]) -> None:
    """Send every batch at once (pipelined), then collect the acks; resend what the server asks us to retry."""
    by_id = {message["id"]: message for message in messages}
    for message in messages:
        await peer.send(message)
    waiting = set(by_id)
    while waiting:
        frame = await peer.recv_type("batch", "rejected", timeout=10)
        if frame["id"] not in waiting:
            continue  # someone else's batch
        if frame["type"] == "rejected":
            assert frame["retryable"], f"{peer.name}: {frame}"
            await asyncio.sleep(RETRY_AFTER)
            await peer.send(by_id[frame["id"]])
        else:
            waiting.discard(frame["id"])


async def test_batches_cross_between_processes_and_concurrent_writers_share_one_gapless_stream(
    postgres_url, shared_redis_url, launcher, peers, server_kind
):
    env = servers.server_env(postgres_url, shared_redis_url, head_interval=30)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    writers = [f"w{i}" for i in range(2 * WRITERS_PER_PROCESS)]
    roles = {"owner": "owner", "reader-a": "observer", "reader-b": "observer"}
    roles |= {name: ("candidate", "interviewer")[i % 2] for i, name in enumerate(writers)}
    board = servers.seed(env, roles)

    def on(server: servers.Daphne, name: str) -> Any:
        return peers(server.ws_url(board.id), name, headers=board[name].headers)

    reader_a, reader_b, owner = await on(a, "reader-a"), await on(b, "reader-b"), await on(a, "owner")
    sockets = [await on((a, b)[i % 2], name) for i, name in enumerate(writers)]
    everyone = [reader_a, reader_b, owner, *sockets]
    for peer in everyone:
        await peer.recv_type("welcome")

    # One batch each way first, each awaited where it must have crossed to.
    await owner.commit(batch("x1", add("x1")))
    assert (await reader_b.recv_type("batch"))["id"] == "x1"
    await sockets[1].commit(batch("x2", add("x2")))  # w1, on B
    assert [frame["id"] for frame in await reader_a.batches(2)] == ["x1", "x2"]

    # Then all writers at once, half on each process.
    await asyncio.wait_for(
        asyncio.gather(*(write_all(peer, writer_batches(i)) for i, peer in enumerate(sockets))), timeout=30
    )

    total = 2 + len(writers) * BATCHES_PER_WRITER
    await until(lambda: all(len(peer.received()) >= total for peer in everyone), 10, "every batch everywhere")
    reference = reader_a.received()
    assert [frame["seq"] for frame in reference] == list(range(1, total + 1))
    for peer in everyone:
        assert peer.received() == reference, f"{peer.name} saw a different stream"

    expected = fold([frame["ops"] for frame in reference])
    assert set(expected) == {"x1", "x2"} | {f"w{i}-{k}" for i in range(len(writers)) for k in range(BATCHES_PER_WRITER)}
    moved = {f"w{i}-{k - 4}": k * 10 for i in range(len(writers)) for k in range(4, BATCHES_PER_WRITER, 5)}
    assert {element_id: element["x"] for element_id, element in expected.items() if element["x"]} == moved
    for server in (a, b):
        fresh = await on(server, "reader-a")
        welcome = await fresh.recv_type("welcome")
        assert welcome["seq"] == total
        assert {element["id"]: element for element in welcome["elements"]} == expected
