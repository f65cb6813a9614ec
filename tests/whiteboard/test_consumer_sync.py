"""The board socket: join, batches, acknowledgement, order and resume."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, arrow, batch
from whiteboard.models import Batch, Element

pytestmark = pytest.mark.django_db(transaction=True)


async def test_welcome_carries_board_elements_you_and_participants(room, connect):
    client = await connect(room.board.id, room.candidate)
    welcome = await client.recv()
    assert welcome["type"] == "welcome"
    assert welcome["seq"] == 0
    assert welcome["board"]["title"] == room.board.title
    assert welcome["elements"] == []
    assert welcome["you"] == {
        "participant": room.candidate.id,
        "name": room.candidate.participant.name,
        "role": "candidate",
    }
    roles = sorted(p["role"] for p in welcome["participants"])
    assert roles == ["candidate", "interviewer", "observer", "owner", "reviewer"]


async def test_a_batch_reaches_everyone_and_the_sender_reads_it_as_its_ack(room, connect):
    candidate = await connect(room.board.id, room.candidate)
    observer = await connect(room.board.id, room.observer)
    await candidate.recv_type("welcome")
    await observer.recv_type("welcome")

    await candidate.send(batch("b1", add("api"), add("db", type="database"), arrow("a1", "api", "db")))

    ack = await candidate.recv_type("batch")
    seen = await observer.recv_type("batch")
    assert ack == seen
    assert ack["seq"] == 1 and ack["id"] == "b1" and ack["participant"] == room.candidate.id
    assert [op["op"] for op in ack["ops"]] == ["add", "add", "add"]
    assert ack["ops"][0]["element"]["replicas"] == 1  # normalised: defaults filled in
    assert await database_sync_to_async(Element.objects.filter(board=room.board).count)() == 3


async def test_joining_later_gets_the_materialised_state(room, connect):
    first = await connect(room.board.id, room.owner)
    await first.recv_type("welcome")
    await first.send(batch("b1", add("api", label="API")))
    await first.recv_type("batch")
    await first.send(batch("b2", {"op": "update", "id": "api", "props": {"x": 40, "label": "Gateway"}}))
    await first.recv_type("batch")

    late = await connect(room.board.id, room.observer)
    welcome = await late.recv_type("welcome")
    assert welcome["seq"] == 2
    assert welcome["elements"] == [
        {
            "id": "api",
            "kind": "component",
            "type": "service",
            "label": "Gateway",
            "x": 40,
            "y": 0,
            "w": 160,
            "h": 72,
            "tech": "",
            "replicas": 1,
            "notes": "",
        }
    ]


async def test_resume_with_since_gets_exactly_the_missed_batches(room, connect):
    writer = await connect(room.board.id, room.owner)
    await writer.recv_type("welcome")
    for i in range(1, 5):
        await writer.send(batch(f"b{i}", add(f"c{i}")))
        await writer.recv_type("batch")

    resumed = await connect(room.board.id, room.candidate, since=2)
    catchup = await resumed.recv_type("catchup")
    assert catchup["seq"] == 4
    assert [b["seq"] for b in catchup["batches"]] == [3, 4]
    assert [b["id"] for b in catchup["batches"]] == ["b3", "b4"]


async def test_resume_from_the_head_gets_an_empty_catchup_and_then_live_batches(room, connect):
    writer = await connect(room.board.id, room.owner)
    await writer.recv_type("welcome")
    await writer.send(batch("b1", add("c1")))
    await writer.recv_type("batch")

    resumed = await connect(room.board.id, room.candidate, since=1)
    assert (await resumed.recv_type("catchup"))["batches"] == []
    await writer.send(batch("b2", add("c2")))
    assert (await resumed.recv_type("batch"))["seq"] == 2


async def test_since_beyond_the_head_gets_a_fresh_welcome(room, connect):
    client = await connect(room.board.id, room.owner, since=99)
    assert (await client.recv())["type"] == "welcome"


async def test_a_malformed_since_is_refused_with_bad_request(room, connect):
    client = await connect(room.board.id, room.owner, since="-3")
    rejected = await client.recv()
    assert rejected["type"] == "rejected" and rejected["code"] == "bad_request"
    assert await client.closed() == 4400


async def test_a_resent_batch_returns_the_original_seq_and_applies_nothing_twice(room, connect):
    sender = await connect(room.board.id, room.candidate)
    other = await connect(room.board.id, room.observer)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    await sender.send(batch("b1", add("api")))
    first = await sender.recv_type("batch")
    await other.recv_type("batch")

    await sender.send(batch("b1", add("api")))
    again = await sender.recv_type("batch")

    assert again == first
    await other.nothing("batch")
    assert await database_sync_to_async(Batch.objects.filter(board=room.board).count)() == 1


async def test_a_different_payload_under_a_used_batch_id_is_rejected(room, connect):
    sender = await connect(room.board.id, room.candidate)
    await sender.recv_type("welcome")
    await sender.send(batch("b1", add("api")))
    await sender.recv_type("batch")
    await sender.send(batch("b1", add("other")))
    rejected = await sender.recv_type("rejected")
    assert rejected["id"] == "b1" and rejected["code"] == "batch_conflict"


async def test_deleting_a_component_writes_its_arrows_deletes_into_the_batch(room, connect):
    client = await connect(room.board.id, room.owner)
    await client.recv_type("welcome")
    await client.send(
        batch("b1", add("api"), add("db"), add("cache"), arrow("a1", "api", "db"), arrow("a2", "cache", "api"))
    )
    await client.recv_type("batch")
    await client.send(batch("b2", {"op": "delete", "id": "api"}))
    stored = await client.recv_type("batch")
    assert stored["ops"] == [{"op": "delete", "id": "a1"}, {"op": "delete", "id": "a2"}, {"op": "delete", "id": "api"}]
    remaining = await database_sync_to_async(lambda: sorted(Element.objects.values_list("element_id", flat=True)))()
    assert remaining == ["cache", "db"]


async def test_seqs_stay_gapless_under_concurrent_writers(room, connect):
    a = await connect(room.board.id, room.owner)
    b = await connect(room.board.id, room.candidate)
    reader = await connect(room.board.id, room.observer)
    for client in (a, b, reader):
        await client.recv_type("welcome")
    for i in range(10):
        await a.send(batch(f"a{i}", add(f"a{i}")))
        await b.send(batch(f"b{i}", add(f"b{i}")))
    seqs = [(await reader.recv_type("batch"))["seq"] for _ in range(20)]
    assert seqs == list(range(1, 21))
