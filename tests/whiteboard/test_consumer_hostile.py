"""Issue 19, defect 1: no frame kills the handler, and no crash leaves a ghost.

A frame of the wrong shape anywhere (a `type` that is a list, an element `kind`
that is an object, a binary frame, a number too big for a float) gets a
`rejected` and the socket carries on. And whatever does go wrong inside a
handler, the socket's cleanup still runs: it leaves the hub, its connection
row is deleted and the others hear `left`.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from bothsides.asgi import application
from tests.conftest import Client
from tests.factories import add, batch
from whiteboard import protocol
from whiteboard.hub import get_hub
from whiteboard.models import Connection

pytestmark = pytest.mark.django_db(transaction=True)

HUGE = "1" + "0" * 400  # a JSON integer no float can hold


async def pair(room, connect, role="candidate"):
    sender = await connect(room.board.id, room.by_role(role))
    other = await connect(room.board.id, room.owner)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    return sender, other


async def still_works(sender, other, batch_id="after"):
    await sender.send(batch(batch_id, add(batch_id)))
    assert (await sender.recv_type("batch"))["id"] == batch_id
    assert (await other.recv_type("batch"))["id"] == batch_id


def frame(message: dict, huge: str = HUGE) -> str:
    """JSON text, with every "HUGE" placeholder replaced by a number no float can hold."""
    return json.dumps(message).replace('"HUGE"', huge)


def ops_frame(*ops_: dict) -> str:
    return frame({"type": "batch", "id": "b", "ops": list(ops_)})


def element(**fields) -> dict:
    return {"op": "add", "element": {"id": "a", "x": 1, "y": 1, **fields}}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"type": []}', "unknown_op"),
        ('{"type": {}}', "unknown_op"),
        ('{"type": ["batch"]}', "unknown_op"),
        ('{"type": 1.5}', "unknown_op"),
        (ops_frame(element(kind=[])), "validation_error"),
        (ops_frame(element(kind={})), "validation_error"),
        (ops_frame({"op": []}), "unknown_op"),
        (ops_frame({"op": {}}), "unknown_op"),
        ('{"type":"batch","id":[],"ops":[]}', "validation_error"),
        (ops_frame(element(kind="component", type=[])), "validation_error"),
        (ops_frame({"op": "update", "id": "a", "props": {"style": {}}}), "validation_error"),
        (
            ops_frame({"op": "annotate", "annotation": {"id": "n", "layer": [], "kind": {}, "text": "t"}}),
            "validation_error",
        ),
        (ops_frame({"op": "set_status", "annotation": "n", "status": []}), "validation_error"),
        (ops_frame({"op": "session", "action": {}}), "validation_error"),
        (frame({"type": "presence", "cursor": {"x": "HUGE", "y": 0}}), "validation_error"),
        (frame({"type": "preview", "id": "a", "props": {"x": "HUGE"}}, "-" + HUGE), "validation_error"),
        (ops_frame(element(kind="note", x="HUGE")), "validation_error"),
        ('{"type":"presence","cursor":[],"selection":{}}', "validation_error"),
        ('{"type":"preview","id":"a","props":[]}', "validation_error"),
    ],
)
async def test_fields_of_the_wrong_json_type_are_rejected_and_the_socket_stays_open(room, connect, text, code):
    sender, other = await pair(room, connect)
    await sender.send_text(text)
    rejected = await sender.recv_type("rejected")
    assert rejected["code"] == code, rejected
    await still_works(sender, other)


async def test_a_binary_frame_is_rejected_with_a_close_code_daphne_can_send_or_a_rejection(room, connect):
    sender, other = await pair(room, connect)
    await sender.ws.send_to(bytes_data=b"\x00\x01binary")
    rejected = await sender.recv_type("rejected")
    assert rejected["code"] == "bad_request"
    await still_works(sender, other)


async def test_a_rejection_naming_a_key_with_a_lone_surrogate_is_still_valid_utf8(room, connect):
    sender, other = await pair(room, connect)
    await sender.send_text('{"type":"presence","\\ud800":1}')
    while True:
        output = await sender.ws.receive_output(2)
        output["text"].encode("utf-8")  # what Daphne does with it; a lone surrogate would kill the socket
        if protocol.decode(output["text"])["type"] == "rejected":
            break
    await still_works(sender, other)


async def connection_rows(board) -> int:
    return await database_sync_to_async(Connection.objects.filter(board=board).count)()


async def test_a_crash_inside_a_handler_still_runs_the_cleanup(room, connect, monkeypatch):
    other = await connect(room.board.id, room.owner)
    await other.recv_type("welcome")
    # Not from the fixture, whose teardown would re-raise the crash.
    headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Token {room.candidate.token}".encode())]
    sender = Client(WebsocketCommunicator(application, f"/ws/boards/{room.board.id}/", headers=headers))
    assert (await sender.ws.connect())[0]
    await sender.recv_type("welcome")
    await other.recv_type("joined")
    assert await connection_rows(room.board) == 2

    def explode(raw):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(protocol, "parse_client_message", explode)
    await sender.send(batch("b1", add("a")))
    with pytest.raises(RuntimeError):  # the app died: Daphne closes such a socket 1011
        while True:
            await sender.ws.receive_output(2)
    left = await other.recv_type("left")
    assert left["participant"] == str(room.candidate.participant.id)
    assert await connection_rows(room.board) == 1
    feeds = get_hub().feeds[room.board.id]
    assert all(len(feed.sockets) == 1 for feed in feeds.values())


async def test_a_database_outage_during_cleanup_still_leaves_the_hub_and_raises_nothing(room, connect, monkeypatch):
    from django.db import OperationalError

    from whiteboard import consumers

    sender, _other = await pair(room, connect)

    def down(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(consumers, "connection_close", down)
    await sender.ws.disconnect()  # raises if the consumer did
    feeds = get_hub().feeds[room.board.id]
    assert all(len(feed.sockets) == 1 for feed in feeds.values())
