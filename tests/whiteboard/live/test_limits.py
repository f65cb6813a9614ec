"""Frame size limits as Daphne enforces them, and that hitting one harms nobody else."""

from __future__ import annotations

import json

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import add, batch

pytestmark = pytest.mark.live

LIMIT = servers.MAX_MESSAGE_BYTES


def invalid_json_of(size: int) -> str:
    """An unterminated batch, padded with spaces to exactly `size` bytes."""
    head = '{"type":"batch","id":"big","ops":['
    return head + " " * (size - len(head))


@pytest.fixture
def board(sqlite_env):
    return servers.seed(sqlite_env, {"owner": "owner", "candidate": "candidate"})


async def test_a_message_over_the_limit_closes_only_that_socket(sqlite_server, board, peers):
    sender = await peers(sqlite_server.ws_url(board.id), "sender", headers=board["candidate"].headers)
    other = await peers(sqlite_server.ws_url(board.id), "other", headers=board["owner"].headers)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")

    await sender.send(invalid_json_of(LIMIT + 1))

    # Refused by Daphne before the app sees a byte. Autobahn fails such a connection by dropping
    # TCP (failByDrop), so the client sees 1006 rather than a 1009 close frame; either is a refusal.
    assert await sender.closed() in {1006, 1009}
    assert not [f for f in sender.frames if f["type"] == "rejected"]
    ack = await other.commit(batch("after", add("api")))
    assert ack["seq"] == 1
    again = await peers(sqlite_server.ws_url(board.id), "sender again", headers=board["candidate"].headers)
    assert (await again.recv_type("welcome"))["seq"] == 1
    await again.commit(batch("c1", add("db")))
    assert (await other.recv_type("batch"))["id"] == "c1"


async def test_invalid_json_right_at_the_limit_is_rejected_and_the_socket_stays_open(sqlite_server, board, peers):
    client = await peers(sqlite_server.ws_url(board.id), "client", headers=board["candidate"].headers)
    await client.recv_type("welcome")

    await client.send(invalid_json_of(LIMIT))

    rejected = await client.recv_type("rejected")
    assert rejected["code"] in {"bad_json", "too_large"}
    assert rejected["id"] is None
    ack = await client.commit(batch("b1", add("api")))
    assert ack["seq"] == 1


async def test_a_valid_batch_just_under_the_limit_is_committed_and_broadcast(sqlite_server, board, peers):
    writer = await peers(sqlite_server.ws_url(board.id), "writer", headers=board["candidate"].headers)
    reader = await peers(sqlite_server.ws_url(board.id), "reader", headers=board["owner"].headers)
    await writer.recv_type("welcome")
    await reader.recv_type("welcome")
    ops = [add(f"c{i}", notes="n" * 4000) for i in range(62)]
    message = batch("large", *ops)
    size = len(json.dumps(message).encode())
    assert LIMIT - 8 * 1024 < size <= LIMIT, size

    ack = await writer.commit(message)

    seen = await reader.recv_type("batch")
    assert seen == ack
    assert [op["element"]["id"] for op in seen["ops"]] == [f"c{i}" for i in range(62)]
    assert (await writer.commit(batch("small", add("tail"))))["seq"] == 2


async def test_a_welcome_bigger_than_any_client_message_still_reaches_a_joining_client(sqlite_server, board, peers):
    """Daphne's message limit also caps what the server sends; a large board must still open."""
    writer = await peers(sqlite_server.ws_url(board.id), "writer", headers=board["owner"].headers)
    await writer.recv_type("welcome")
    for n in range(3):
        ops = [add(f"c{n}-{i}", notes="n" * 300) for i in range(400)]
        await writer.commit(batch(f"fill{n}", *ops))

    joiner = await peers(sqlite_server.ws_url(board.id), "joiner", headers=board["candidate"].headers)
    welcome = await joiner.recv_type("welcome")
    assert len(welcome["elements"]) == 1200
    assert len(json.dumps(welcome)) > LIMIT
