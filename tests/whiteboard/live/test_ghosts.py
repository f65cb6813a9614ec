"""Issue 19, the ghost check: sockets that end badly leave nobody "online" and no memory behind.

Each cycle opens a socket on a real Daphne, sends one of the frames that used
to kill the handler (which left the socket in the hub, its connection row
refreshed by every heartbeat, its participant online for ever), and then
drops the TCP connection without a closing handshake, or resumes with a
`since` that is not a number. After many such cycles everyone who left is
offline within three heartbeats, and the process's memory is back near where
it was after the first few cycles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import psutil
import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Closed, add, batch

pytestmark = pytest.mark.live

CYCLES = 60
WARM_UP = 10
MEMORY_SLACK = 40 * 1024 * 1024  # generous: the allocator keeps some; a ghost per cycle kept far more

CRASHERS: list[str | bytes] = [
    '{"type": []}',
    '{"type": {}}',
    '{"type":"batch","id":"k","ops":[{"op":"add","element":{"id":"a","kind":[],"x":1,"y":1}}]}',
    '{"type":"presence","cursor":{"x":1%s,"y":0}}' % ("0" * 400),
    '{"type":"presence","\\ud800":1}',
    b"\x00binary",
]


async def online(server: servers.Daphne, board: servers.Board, peers) -> set[str]:
    """Who a fresh socket's welcome says is online, but the one asking."""
    checker = await peers(server.ws_url(board.id), "checker", headers=board["checker"].headers)
    welcome = await checker.recv_type("welcome")
    await checker.close()
    me = board["checker"].participant
    return {p["id"] for p in welcome["participants"] if p["online"] and p["id"] != me}


async def cycle(server: servers.Daphne, board: servers.Board, peers, n: int) -> str | None:
    """One socket's life; what went wrong with it (a close where a rejection was due), if anything."""
    who = board["candidate"]
    if n % 7 == 6:  # a resume from a `since` that only looks like a number
        peer = await peers(server.ws_url(board.id) + "?since=%C2%B2", f"since {n}", headers=who.headers)
        with contextlib.suppress(Closed):
            await peer.recv_type("rejected")
        code = await peer.closed()
        return None if code == 4400 else f"?since=² closed {code}"
    peer = await peers(server.ws_url(board.id), f"cycle {n}", headers=who.headers)
    await peer.recv_type("welcome")
    crasher = CRASHERS[n % len(CRASHERS)]
    await peer.ws.send(crasher)
    try:
        answer = await peer.recv_type("rejected", "batch")
        assert answer["type"] == "rejected", answer
    except Closed:
        return f"{crasher!r} closed {peer.ws.close_code}"
    if n % 2:  # still usable: a batch goes through
        assert (await peer.commit(batch(f"k{n}", add(f"c{n}", label="x" * 200))))["seq"] > 0
    peer.drop()  # no closing handshake: a killed tab
    return None


async def test_crashes_and_abrupt_disconnects_leave_no_one_online_and_no_memory(launcher, peers, sqlite_env):
    (server,) = launcher.daphnes(sqlite_env, "daphne-ghosts")
    board = servers.seed(sqlite_env, {"owner": "owner", "candidate": "candidate", "checker": "observer"})
    owner = await peers(server.ws_url(board.id), "owner", headers=board["owner"].headers)
    await owner.recv_type("welcome")
    process = psutil.Process(server.popen.pid)

    failures = [await cycle(server, board, peers, n) for n in range(WARM_UP)]
    baseline = process.memory_info().rss
    failures += [await cycle(server, board, peers, n) for n in range(WARM_UP, CYCLES)]

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 3 * servers.HEAD_INTERVAL
    while (still := await online(server, board, peers)) != {board["owner"].participant}:
        assert loop.time() < deadline, f"still online three heartbeats later: {still}"
        await asyncio.sleep(servers.HEAD_INTERVAL / 5)

    assert not [f for f in failures if f], failures
    grown = process.memory_info().rss - baseline
    assert grown < MEMORY_SLACK, f"memory grew {grown / 2**20:.1f} MiB over {CYCLES - WARM_UP} cycles"
    errors = [line for line in server.output().splitlines() if "Traceback" in line or "Exception inside" in line]
    assert not errors, json.dumps(errors[:5])
