"""Frame membership over the socket: boxes join, leave and move with a frame; bad membership is refused."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, batch
from whiteboard.models import Batch, Element

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = {
    "op": "add",
    "element": {"id": "zone", "kind": "frame", "label": "us-east-1", "x": 0, "y": 0, "w": 480, "h": 320},
}


async def stored(board) -> int:
    return await database_sync_to_async(Batch.objects.filter(board=board).count)()


async def row(board, element_id: str) -> Element:
    return await database_sync_to_async(Element.objects.get)(board=board, element_id=element_id)


async def pair(room, connect, role="candidate"):
    sender = await connect(room.board.id, room.by_role(role))
    other = await connect(room.board.id, room.owner)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    return sender, other


async def test_a_frame_moving_with_its_boxes_reaches_the_others_as_one_batch(room, connect):
    sender, other = await pair(room, connect)
    await sender.send(batch("b1", ZONE, add("api", x=40, y=60, frame="zone"), add("db", x=240, y=60, frame="zone")))
    assert (await other.recv_type("batch"))["id"] == "b1"
    move = [
        {"op": "update", "id": "zone", "props": {"x": 100, "y": 50}},
        {"op": "update", "id": "api", "props": {"x": 140, "y": 110}},
        {"op": "update", "id": "db", "props": {"x": 340, "y": 110}},
    ]
    await sender.send(batch("move", *move))
    seen = await other.recv_type("batch")
    assert (seen["id"], seen["ops"]) == ("move", move)
    assert (await row(room.board, "api")).frame == "zone"
    late = await connect(room.board.id, room.observer)
    elements = {e["id"]: e for e in (await late.recv_type("welcome"))["elements"]}
    assert (elements["api"]["x"], elements["api"]["frame"], elements["db"]["frame"]) == (140, "zone", "zone")


async def test_dragging_a_box_out_clears_its_frame_and_deleting_the_frame_keeps_its_boxes(room, connect):
    sender, other = await pair(room, connect)
    await sender.send(batch("b1", ZONE, add("api", frame="zone"), add("db", frame="zone")))
    await other.recv_type("batch")
    await sender.send(batch("out", {"op": "update", "id": "api", "props": {"x": 900, "frame": ""}}))
    await other.recv_type("batch")
    assert (await row(room.board, "api")).frame == ""
    await sender.send(batch("gone", {"op": "delete", "id": "zone"}))
    seen = await other.recv_type("batch")
    assert seen["ops"] == [{"op": "update", "id": "db", "props": {"frame": ""}}, {"op": "delete", "id": "zone"}]
    db = await row(room.board, "db")
    assert (db.frame, db.data["frame"]) == ("", "")


@pytest.mark.parametrize(
    ("ops_", "code", "path"),
    [
        ([add("api", frame="nowhere")], "unknown_ref", "ops[0].element.frame"),
        ([add("db"), add("api", frame="db")], "unknown_ref", "ops[1].element.frame"),
        ([ZONE, {"op": "delete", "id": "zone"}, add("api", frame="zone")], "unknown_ref", "ops[2].element.frame"),
        ([add("api", frame=7)], "validation_error", "ops[0].element.frame"),
        ([add("api", frame=["zone"])], "validation_error", "ops[0].element.frame"),
        ([add("api", frame={"id": "zone"})], "validation_error", "ops[0].element.frame"),
        ([add("api", frame=None)], "validation_error", "ops[0].element.frame"),
        ([add("api", frame="a zone")], "validation_error", "ops[0].element.frame"),
        (
            [ZONE, {"op": "add", "element": {**ZONE["element"], "id": "z2", "frame": "zone"}}],
            "validation_error",
            "ops[1].element.frame",
        ),
    ],
)
async def test_bad_membership_is_refused_whole_and_the_socket_carries_on(room, connect, ops_, code, path):
    sender, other = await pair(room, connect)
    await sender.send(batch("bad", *ops_))
    rejected = await sender.recv_type("rejected")
    assert (rejected["id"], rejected["code"], rejected.get("path")) == ("bad", code, path)
    assert rejected["message"]
    await other.nothing("batch")
    assert await stored(room.board) == 0
    await sender.send(batch("good", ZONE, add("api", frame="zone")))
    assert (await other.recv_type("batch"))["id"] == "good"


@pytest.mark.parametrize(
    ("role", "allowed"), [("candidate", True), ("interviewer", True), ("reviewer", False), ("observer", False)]
)
async def test_only_canvas_editors_may_put_a_box_in_a_frame(room, connect, role, allowed):
    owner = await connect(room.board.id, room.owner)
    await owner.recv_type("welcome")
    await owner.send(batch("b1", ZONE, add("api")))
    await owner.recv_type("batch")
    client = await connect(room.board.id, room.by_role(role))
    await client.recv_type("welcome")
    await client.send(batch("join", {"op": "update", "id": "api", "props": {"frame": "zone"}}))
    reply = await client.recv()
    while reply["type"] not in {"batch", "rejected"}:
        reply = await client.recv()
    if allowed:
        assert reply["type"] == "batch" and (await row(room.board, "api")).frame == "zone"
    else:
        assert (reply["type"], reply["code"]) == ("rejected", "forbidden")
        assert (await row(room.board, "api")).frame == ""
