import pytest

from tests.factories import add, batch
from tests.reviews.factories import annotate, reply, set_status

pytestmark = pytest.mark.django_db(transaction=True)


async def test_challenge_answer_resolve(room, connect):
    interviewer = await connect(room.board.id, room.interviewer)
    candidate = await connect(room.board.id, room.candidate)
    w = await interviewer.recv_type("welcome")
    assert w["annotations"] == [] and w["private_seq"] == 0
    w = await candidate.recv_type("welcome")
    assert "private_seq" not in w
    await candidate.send(batch("c1", add("api", label="API")))
    await candidate.recv_type("batch")
    await interviewer.recv_type("batch")
    await interviewer.send(batch("i1", annotate("a-1")))
    ack = await interviewer.recv_type("batch")
    print(ack)
    seen = await candidate.recv_type("batch")
    assert seen == ack
    await candidate.send(batch("c2", reply("a-1", "r-1")))
    await candidate.recv_type("batch")
    got = await interviewer.recv_type("batch")
    print(got)
    assert got["ops"][0]["status"] == "answered"
    await interviewer.send(batch("i2", annotate("p-1", layer="private", kind="comment", text="weak on queues")))
    ack = await interviewer.recv_type("batch")
    print(ack)
    assert ack["stream"] == "private" and ack["seq"] == 1
    await candidate.nothing("batch")
    await interviewer.send(batch("i3", set_status("a-1", "resolved")))
    got = await candidate.recv_type("batch")
    assert got["seq"] == 4
    late = await connect(room.board.id, room.candidate)
    w = await late.recv_type("welcome")
    print(w["annotations"])
    assert [a["id"] for a in w["annotations"]] == ["a-1"]
    late = await connect(room.board.id, room.interviewer, since=2, private_since=0)
    c = await late.recv_type("catchup")
    print(c)
    assert [b["seq"] for b in c["private_batches"]] == [1]
