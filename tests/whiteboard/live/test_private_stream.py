"""The private stream across two Daphne processes on one PostgreSQL and one Redis.

An interviewer on process A writes private notes between public edits; an
interviewer on process B must receive every private batch, in order and once,
and a candidate on B none of them, with a public stream that has no holes
where they were. The heartbeat is set far beyond every wait, so what crosses
between the processes crosses through Redis, not by polling the database.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Peer, add, batch, until

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]

CANARY = "CANARY-live-93c1"
ROUNDS = 12
BURST = 15


def private_note(annotation_id: str, text: str) -> dict[str, Any]:
    annotation = {"id": annotation_id, "layer": "private", "target": "api", "kind": "comment", "text": text}
    return {"op": "annotate", "annotation": annotation}


def challenge(annotation_id: str) -> dict[str, Any]:
    annotation = {"id": annotation_id, "layer": "challenges", "target": "api", "kind": "scaling", "text": "At 10x?"}
    return {"op": "annotate", "annotation": annotation}


def private_batches(peer: Peer) -> list[dict[str, Any]]:
    return [frame for frame in peer.received() if frame["stream"] == "private"]


def public_batches(peer: Peer) -> list[dict[str, Any]]:
    return [frame for frame in peer.received() if frame["stream"] == "public"]


async def burst(peer: Peer, participant: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send every batch at once (pipelined) and return their acks in the order they arrived."""
    for message in messages:
        await peer.send(message)
    waiting, acks = {message["id"] for message in messages}, []
    while waiting:
        frame = await peer.recv_type("batch", "rejected", timeout=10)
        assert frame["type"] == "batch", f"{peer.name}: {frame}"
        if frame["id"] in waiting and frame["participant"] == participant:
            waiting.discard(frame["id"])
            acks.append(frame)
    return acks


async def test_private_notes_reach_the_interviewer_on_the_other_process_and_never_the_candidate(
    postgres_url, shared_redis_url, launcher, peers, server_kind
):
    env = servers.server_env(postgres_url, shared_redis_url, head_interval=30)
    a, b = launcher.daphnes(env, "a", "b", kind=server_kind)
    roles = {"owner": "owner", "writer": "interviewer", "listener": "interviewer", "candidate": "candidate"}
    board = servers.seed(env, roles)

    def on(server: servers.Daphne, name: str, query: str = "") -> Any:
        return peers(server.ws_url(board.id) + query, name, headers=board[name].headers)

    writer, listener, candidate = await on(a, "writer"), await on(b, "listener"), await on(b, "candidate")
    welcomes = {peer.name: await peer.recv_type("welcome") for peer in (writer, listener, candidate)}
    assert welcomes["listener"]["private_seq"] == 0
    assert "private_seq" not in welcomes["candidate"]

    # The candidate on B draws; each edit must cross to the writer on A before it annotates.
    await candidate.commit(batch("c0", add("api")))
    assert (await writer.recv_type("batch"))["id"] == "c0"

    # Private notes interleaved with public edits from both processes.
    for k in range(ROUNDS):
        note = private_note(f"p-{CANARY}-{k}", f"{CANARY} note {k}")
        ack = await writer.commit(batch(f"w{k}", note))
        assert (ack["stream"], ack["seq"]) == ("private", k + 1)
        if k % 3 == 0:
            await candidate.commit(batch(f"c{k + 1}", add(f"box{k}")))
        if k % 4 == 1:
            await writer.commit(batch(f"q{k}", challenge(f"a-{k}")))
    # Then a burst of private replies, pipelined, so the layer carries many in flight at once.
    replies = [
        batch(
            f"r{k}", {"op": "reply", "annotation": f"p-{CANARY}-0", "reply": {"id": f"r{k}", "text": f"{CANARY} {k}"}}
        )
        for k in range(BURST)
    ]
    acks = await asyncio.wait_for(burst(writer, board["writer"].participant, replies), 15)
    assert [ack["seq"] for ack in acks] == list(range(ROUNDS + 1, ROUNDS + BURST + 1))

    total_private = ROUNDS + BURST
    total_public = 1 + len(range(0, ROUNDS, 3)) + len(range(1, ROUNDS, 4))
    await until(lambda: len(private_batches(listener)) >= total_private, 10, "every private batch on B")
    await until(lambda: len(public_batches(candidate)) >= total_public, 10, "every public batch on B")
    await until(lambda: len(private_batches(writer)) >= total_private, 10, "every private batch on A")

    # The listener on B: the private stream exactly as the writer's own process delivered it.
    assert private_batches(listener) == private_batches(writer)
    assert [f["seq"] for f in private_batches(listener)] == list(range(1, total_private + 1))
    assert public_batches(listener) == public_batches(candidate)

    # The candidate on B: a gapless public stream and not a trace of the private one.
    assert [f["seq"] for f in public_batches(candidate)] == list(range(1, total_public + 1))
    for frame in candidate.frames:
        text = json.dumps(frame, ensure_ascii=False)
        assert CANARY not in text and "private" not in text and '"p-' not in text, f"the candidate got {text}"

    # A fresh candidate on A sees the same public board; a resuming listener on A gets the private catch-up.
    late = await on(a, "candidate")
    welcome = await late.recv_type("welcome")
    assert welcome["seq"] == total_public and "private_seq" not in welcome
    assert {t["id"] for t in welcome["annotations"]} == {f"a-{k}" for k in range(1, ROUNDS, 4)}
    resumed = await on(a, "listener", f"?since={total_public}&private_since={ROUNDS}")
    catchup = await resumed.recv_type("catchup", "welcome")
    assert catchup["type"] == "catchup"
    assert catchup["private_batches"] == private_batches(listener)[ROUNDS:]
    assert (catchup["batches"], catchup["private_seq"]) == ([], total_private)
