"""A server process (Daphne, then uvicorn) killed with SIGKILL: its clients move to another process
and lose nothing acknowledged.

When the kill lands the client holds two batches it has no acknowledgement
for: one the server certainly stored (another process already broadcast it),
and one sent a moment before the kill, which may or may not have been stored.
It resends both after resuming elsewhere; each must be on the board exactly
once, the stored one at its original seq.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import add, batch, until

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]

BEFORE = 5


async def test_a_client_of_a_killed_process_resumes_on_another_and_converges(
    postgres_url, shared_redis_url, launcher, peers, server_kind
):
    env = servers.server_env(postgres_url, shared_redis_url)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    board = servers.seed(env, {"owner": "owner", "reader": "observer", "checker": "observer"})
    writer = await peers(a.ws_url(board.id), "writer on A", headers=board["owner"].headers)
    reader = await peers(b.ws_url(board.id), "reader on B", headers=board["reader"].headers)
    await writer.recv_type("welcome")
    await reader.recv_type("welcome")
    acks = [await writer.commit(batch(f"c{k}", add(f"c{k}"))) for k in range(1, BEFORE + 1)]
    last_seen = acks[-1]["seq"]
    assert last_seen == BEFORE

    stored = batch("stored", add("stored"))
    await writer.send(stored)
    # Once another process has broadcast it, it is in the database.
    await until(lambda: [f["id"] for f in reader.received()][-1:] == ["stored"], 5, "the reader has 'stored'")
    in_flight = batch("in-flight", add("in-flight"))
    await writer.send(in_flight)
    a.kill()
    assert await writer.closed() == 1006  # no closing handshake from a dead process

    # The writer is the owner, who reads the private stream too: it resumes both.
    url = b.ws_url(board.id, since=last_seen, private_since=0)
    writer = await peers(url, "writer on B", headers=board["owner"].headers)
    catchup = await writer.recv_type("catchup", "welcome")
    assert catchup["type"] == "catchup"
    assert [frame["id"] for frame in catchup["batches"]] in (["stored"], ["stored", "in-flight"])
    resent = [await writer.commit(stored), await writer.commit(in_flight)]
    assert [frame["seq"] for frame in resent] == [BEFORE + 1, BEFORE + 2]
    assert resent[0] == catchup["batches"][0]
    after = await writer.commit(batch("after", add("after")))
    assert after["seq"] == BEFORE + 3

    await until(lambda: len(reader.received()) >= BEFORE + 3, 5, "the reader on B has every batch")
    assert reader.received() == [*acks, *resent, after]
    checker = await peers(b.ws_url(board.id), "checker", headers=board["checker"].headers)
    welcome = await checker.recv_type("welcome")
    assert welcome["seq"] == BEFORE + 3
    expected = {f"c{k}" for k in range(1, BEFORE + 1)} | {"stored", "in-flight", "after"}
    assert sorted(element["id"] for element in welcome["elements"]) == sorted(expected)


async def test_after_a_crash_leaving_from_another_process_is_still_announced(
    postgres_url, shared_redis_url, launcher, peers, server_kind
):
    env = servers.server_env(postgres_url, shared_redis_url)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    board = servers.seed(env, {"owner": "owner", "candidate": "candidate"})
    watcher = await peers(b.ws_url(board.id), "watcher on B", headers=board["owner"].headers)
    await watcher.recv_type("welcome")
    candidate = await peers(a.ws_url(board.id), "candidate on A", headers=board["candidate"].headers)
    await candidate.recv_type("welcome")
    await watcher.recv_type("joined")

    a.kill()
    await candidate.closed()
    candidate = await peers(b.ws_url(board.id), "candidate on B", headers=board["candidate"].headers)
    await candidate.recv_type("welcome")
    await watcher.recv_type("joined")
    # Long enough for the dead process's connection to count as stale (3 heartbeats unrefreshed).
    await asyncio.sleep(4 * servers.HEAD_INTERVAL)
    await candidate.close()

    left = await watcher.recv_type("left", timeout=4 * servers.HEAD_INTERVAL + 2)
    assert left["participant"] == board["candidate"].participant
