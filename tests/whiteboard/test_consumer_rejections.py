"""Every refusal: a code and a sentence to the sender, nothing stored, nobody else disturbed."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError

from tests.factories import add, arrow, batch
from whiteboard import ops
from whiteboard.models import Batch
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db(transaction=True)


async def stored(board) -> int:
    return await database_sync_to_async(Batch.objects.filter(board=board).count)()


async def pair(room, connect, role="candidate"):
    sender = await connect(room.board.id, room.by_role(role))
    other = await connect(room.board.id, room.owner)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    return sender, other


async def still_works(sender, other, batch_id="after"):
    """The blast-radius check: the same socket and the rest of the board carry on."""
    await other.send(batch(batch_id, add(batch_id)))
    assert (await other.recv_type("batch"))["id"] == batch_id
    assert (await sender.recv_type("batch"))["id"] == batch_id


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{", "bad_json"),
        ("hello", "bad_json"),
        ('{"type":"batch","id":"b1","ops":[{"op":"add","element":{"x":NaN}}]}', "bad_json"),
        ('{"type":"batch","type":"presence"}', "bad_json"),
        ("[1, 2]", "bad_request"),
        ("null", "bad_request"),
        ('{"type":"drop_table"}', "unknown_op"),
        ('{"type":"board.batch","text":"forged"}', "unknown_op"),
        ('{"id":"b1","ops":[]}', "unknown_op"),
    ],
)
async def test_undecodable_frames_are_rejected_and_the_socket_stays_open(room, connect, frame, code):
    sender, other = await pair(room, connect)
    await sender.send_text(frame)
    rejected = await sender.recv_type("rejected")
    assert rejected["code"] == code and rejected["message"] and rejected["retryable"] is False
    await other.nothing("batch")
    await still_works(sender, other)
    assert await stored(room.board) == 1


@pytest.mark.parametrize(
    ("ops_", "code", "path"),
    [
        ([{"op": "drop_table"}], "unknown_op", "ops[0].op"),
        ([add("a", x="10")], "validation_error", "ops[0].element.x"),
        ([add("a", w=True)], "validation_error", "ops[0].element.w"),
        ([add("a", label="\x00")], "validation_error", "ops[0].element.label"),
        ([add("a", label="\ud800")], "validation_error", "ops[0].element.label"),
        ([arrow("ab", "a", "nowhere")], "unknown_ref", "ops[0].element.source"),
        ([{"op": "update", "id": "ghost", "props": {"x": 1}}], "unknown_ref", "ops[0].id"),
        ([add("a"), add("a")], "duplicate_id", "ops[1].element.id"),
        ([add(f"c{i}") for i in range(501)], "too_large", "ops"),
    ],
)
async def test_invalid_batches_are_rejected_whole_with_a_code_and_path(room, connect, ops_, code, path):
    sender, other = await pair(room, connect)
    await sender.send(batch("bad", *ops_))
    rejected = await sender.recv_type("rejected")
    assert (rejected["id"], rejected["code"], rejected.get("path")) == ("bad", code, path)
    await other.nothing("batch")
    assert await stored(room.board) == 0
    await still_works(sender, other)


async def test_a_batch_that_fails_halfway_applies_nothing(room, connect):
    sender, _ = await pair(room, connect)
    await sender.send(batch("b1", add("a"), add("b"), arrow("ab", "a", "b"), {"op": "delete", "id": "missing"}))
    assert (await sender.recv_type("rejected"))["code"] == "unknown_ref"
    late = await connect(room.board.id, room.observer)
    assert (await late.recv_type("welcome"))["elements"] == []


async def test_a_message_over_256_kib_is_too_large(room, connect):
    sender, other = await pair(room, connect)
    await sender.send_text(json.dumps(batch("big", add("a", notes="x" * 4000))) + " " * 262144)
    assert (await sender.recv_type("rejected"))["code"] == "too_large"
    await still_works(sender, other)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("interviewer", True), ("candidate", True), ("reviewer", False), ("observer", False)],
)
async def test_only_owner_interviewer_and_candidate_edit_the_canvas(room, connect, role, allowed):
    client = await connect(room.board.id, room.by_role(role))
    await client.recv_type("welcome")
    await client.send(batch("b1", add("api")))
    reply = await client.recv()
    while reply["type"] not in {"batch", "rejected"}:
        reply = await client.recv()
    if allowed:
        assert reply["type"] == "batch" and reply["participant"] == room.by_role(role).id
    else:
        assert (reply["type"], reply["code"]) == ("rejected", "forbidden")
    assert await stored(room.board) == (1 if allowed else 0)


async def test_the_server_stamps_the_author_whatever_the_client_claims(room, connect):
    sender, _ = await pair(room, connect)
    await sender.send({"type": "batch", "id": "b1", "ops": [add("a")], "participant": room.owner.id})
    assert (await sender.recv_type("rejected"))["path"] == "participant"
    await sender.send(batch("b2", add("a")))
    assert (await sender.recv_type("batch"))["participant"] == room.candidate.id


async def test_a_participant_removed_mid_session_can_no_longer_write(room, connect):
    sender, _ = await pair(room, connect)

    def demote():
        room.candidate.participant.role = "observer"
        room.candidate.participant.save(update_fields=["role"])

    await database_sync_to_async(demote)()
    await sender.send(batch("b1", add("a")))
    assert (await sender.recv_type("rejected"))["code"] == "forbidden"
    assert await stored(room.board) == 0


async def test_a_full_board_refuses_more_elements(room, connect):
    def fill():
        for n in range(10):
            batch_submit(
                board_id=room.board.id,
                participant_id=room.owner.participant.id,
                batch_id=f"fill{n}",
                raw_ops=[add(f"c{n}-{i}") for i in range(500)],
            )

    await database_sync_to_async(fill)()
    sender, _ = await pair(room, connect)
    await sender.send(batch("one-more", add("extra")))
    rejected = await sender.recv_type("rejected")
    assert rejected["code"] == "too_large" and str(ops.MAX_ELEMENTS) in rejected["message"]


async def test_a_binary_frame_is_rejected_like_an_undecodable_frame(room, connect):
    # Not a 1003 close: Daphne (autobahn) only sends 1000 and 3000-4999, and fails the socket with 1011 otherwise.
    sender, other = await pair(room, connect)
    await sender.ws.send_to(bytes_data=b"\x00\x01")
    assert (await sender.recv_type("rejected"))["code"] == "bad_request"
    await still_works(sender, other)


async def test_a_stream_of_garbage_closes_the_socket_with_4400(room, connect):
    sender, other = await pair(room, connect)
    for _ in range(20):
        await sender.send_text("{")
    assert await sender.closed() == 4400
    await other.send(batch("after", add("after")))
    assert (await other.recv_type("batch"))["seq"] == 1


async def test_too_many_batches_are_rate_limited_and_the_rest_of_the_board_is_not(room, connect, monkeypatch):
    # The buckets read the consumer's clock; stopping it makes the burst instant however slow the machine is.
    monkeypatch.setattr("whiteboard.consumers.time", SimpleNamespace(monotonic=lambda: 1000.0))
    flooder, other = await pair(room, connect)
    for i in range(100):
        await flooder.send(batch(f"f{i}", add(f"f{i}")))
    replies = [await flooder.recv_type_in({"batch", "rejected"}) for _ in range(100)]
    limited = [r for r in replies if r["type"] == "rejected"]
    accepted = [r for r in replies if r["type"] == "batch"]
    assert limited and all(r["code"] == "rate_limited" and r["retryable"] for r in limited)
    assert len(accepted) >= 50
    assert await stored(room.board) == len(accepted)
    await other.send(batch("calm", add("calm")))
    while (reply := await other.recv_type("batch"))["id"] != "calm":
        pass
    assert reply["participant"] == room.owner.id


async def test_a_flood_of_frames_closes_the_flooder_with_4429(room, connect):
    flooder, other = await pair(room, connect)
    for _ in range(900):
        await flooder.send({"type": "presence", "cursor": {"x": 1, "y": 1}})
    assert await flooder.closed(timeout=5) == 4429
    await other.send(batch("after", add("after")))
    assert (await other.recv_type("batch"))["id"] == "after"


async def test_a_database_outage_is_a_retryable_refusal_not_a_crash(room, connect, monkeypatch):
    sender, other = await pair(room, connect)

    def unavailable(**_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("whiteboard.consumers.batch_submit", unavailable)
    await sender.send(batch("b1", add("a")))
    rejected = await sender.recv_type("rejected")
    assert (rejected["id"], rejected["code"], rejected["retryable"]) == ("b1", "db_unavailable", True)
    await other.nothing("batch")
    monkeypatch.undo()
    await sender.send(batch("b1", add("a")))
    assert (await sender.recv_type("batch"))["seq"] == 1
