"""Resuming after the network drops a socket: the missed batches, in order, and no batch applied twice.

The drop is a real one (the client's TCP connection aborted, no closing
handshake), so the server learns of it the way it would from a lost network.
"""

from __future__ import annotations

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import add, batch

pytestmark = pytest.mark.live


async def test_a_dropped_client_resumes_with_exactly_what_it_missed_and_resends_without_duplicates(
    sqlite_server, sqlite_env, peers
):
    board = servers.seed(
        sqlite_env, {"owner": "owner", "alice": "candidate", "bob": "interviewer", "checker": "observer"}
    )
    alice = await peers(sqlite_server.ws_url(board.id), "alice", headers=board["alice"].headers)
    bob = await peers(sqlite_server.ws_url(board.id), "bob", headers=board["bob"].headers)
    await alice.recv_type("welcome")
    await bob.recv_type("welcome")
    for name in ("a1", "a2"):
        await alice.commit(batch(name, add(name)))
    assert [b["seq"] for b in await bob.batches(2)] == [1, 2]
    last_seen = 2

    # Alice's a3 reaches the server, but her connection dies before she reads its acknowledgement.
    unacknowledged = batch("a3", add("a3"))
    await alice.send(unacknowledged)
    assert (await bob.recv_type("batch"))["id"] == "a3"
    alice.drop()
    left = await bob.recv_type("left")
    assert left["participant"] == board["alice"].participant
    missed = [await bob.commit(batch(name, add(name))) for name in ("b1", "b2", "b3")]

    alice = await peers(sqlite_server.ws_url(board.id, since=last_seen), "alice again", headers=board["alice"].headers)
    catchup = await alice.recv_type("catchup", "welcome")
    assert catchup["type"] == "catchup"
    assert [(b["seq"], b["id"]) for b in catchup["batches"]] == [(3, "a3"), (4, "b1"), (5, "b2"), (6, "b3")]
    assert catchup["batches"][1:] == missed
    assert catchup["seq"] == 6

    # The client cannot know a3 was stored, so it sends it again: same seq back, nothing applied twice.
    again = await alice.commit(unacknowledged)
    assert (again["seq"], again["participant"]) == (3, board["alice"].participant)
    assert (await alice.commit(batch("a4", add("a4"))))["seq"] == 7
    assert [(b["seq"], b["id"]) for b in await bob.batches(1)] == [(7, "a4")]  # the resend was not broadcast

    checker = await peers(sqlite_server.ws_url(board.id), "checker", headers=board["checker"].headers)
    welcome = await checker.recv_type("welcome")
    assert welcome["seq"] == 7
    assert sorted(e["id"] for e in welcome["elements"]) == ["a1", "a2", "a3", "a4", "b1", "b2", "b3"]
