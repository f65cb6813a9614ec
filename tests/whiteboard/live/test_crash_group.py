"""kill -9 while the server commits groups: no acknowledged batch is lost, and the stream stays gapless.

Four writers on process A send batches back to back, so A's committer is
busy and their batches queue and commit in groups. A is killed with SIGKILL
in the middle. Every batch any writer saw acknowledged must be on the board
afterwards (read through process B); whatever was not acknowledged may or may
not be there, but the seq has no hole and every stored batch is whole.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Closed, add, batch, until

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]

WRITERS = ("owner", "c1", "c2", "c3")
PER_WRITER = 40  # inside the per-socket burst (60), so nothing is rate-limited


async def test_kill_9_during_group_commits_loses_no_acknowledged_batch(
    postgres_url, shared_redis_url, launcher, peers, server_kind
):
    env = servers.server_env(postgres_url, shared_redis_url)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    roles = {"owner": "owner", "c1": "candidate", "c2": "candidate", "c3": "candidate", "watcher": "observer"}
    board = servers.seed(env, {**roles, "checker": "observer"})
    writers = {name: await peers(a.ws_url(board.id), name, headers=board[name].headers) for name in WRITERS}
    watcher = await peers(b.ws_url(board.id), "watcher on B", headers=board["watcher"].headers)
    for peer in [*writers.values(), watcher]:
        await peer.recv_type("welcome")

    async def write(name: str) -> None:
        with contextlib.suppress(Exception):  # the kill cuts some sends short
            for i in range(PER_WRITER):
                await writers[name].send(batch(f"{name}-{i}", add(f"{name}-{i}")))

    sending = [asyncio.create_task(write(name)) for name in WRITERS]
    # Kill once some batches are acknowledged but (most likely) groups are still in flight.
    await until(lambda: len(watcher.received()) >= 20, 10, "twenty batches on B")
    a.kill()
    await asyncio.gather(*sending)
    for peer in writers.values():
        with contextlib.suppress(Closed, TimeoutError):
            await peer.closed()

    acknowledged = {
        frame["id"]
        for name, peer in writers.items()
        for frame in peer.received()
        if frame["id"].startswith(f"{name}-")  # its own batch back: the acknowledgement
    }
    assert acknowledged, "nothing was acknowledged before the kill"
    checker = await peers(b.ws_url(board.id), "checker", headers=board["checker"].headers)
    welcome = await checker.recv_type("welcome")
    stored = {element["id"] for element in welcome["elements"]}
    assert acknowledged <= stored, f"acknowledged but lost: {sorted(acknowledged - stored)}"
    # One element per batch: a seq equal to the element count means no seq was skipped.
    assert welcome["seq"] == len(stored)
    await until(lambda: len(watcher.received()) >= welcome["seq"], 5, "B's watcher has every stored batch")
    assert [frame["seq"] for frame in watcher.received()] == list(range(1, welcome["seq"] + 1))
