"""A REST write is a batch in the board's log: live sockets receive it like any other, by stream."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.factories import add
from tests.reviews.api.helpers import api, challenge, submit, url
from tests.reviews.factories import annotate

pytestmark = pytest.mark.django_db(transaction=True)


async def _post(who, path, body):
    return await database_sync_to_async(api(who).post)(path, body, format="json")


async def test_a_rest_challenge_and_reply_reach_every_socket_as_batches(room, connect):
    await database_sync_to_async(submit)(room.board, room.owner, add("api", label="API"))
    candidate = await connect(room.board.id, room.candidate)
    observer = await connect(room.board.id, room.observer)
    await candidate.recv_type("welcome")
    await observer.recv_type("welcome")

    response = await _post(room.interviewer, url(room.board), challenge(id="a-1"))
    assert response.status_code == 201
    seen = await candidate.recv_type("batch")
    assert seen == await observer.recv_type("batch")
    assert (seen["stream"], seen["seq"], seen["participant"]) == ("public", 2, room.interviewer.id)
    assert seen["ops"][0]["op"] == "annotate" and seen["ops"][0]["annotation"]["id"] == "a-1"
    assert seen["ops"][0]["annotation"]["raised_seq"] == response.json()["raised_seq"]

    response = await _post(room.candidate, url(room.board, "a-1", replies=True), {"id": "r-1", "text": "Failover."})
    assert response.status_code == 201
    seen = await observer.recv_type("batch")
    assert seen["seq"] == 3 and seen["ops"] == [
        {
            "op": "reply",
            "annotation": "a-1",
            "reply": {"id": "r-1", "text": "Failover.", "seq": 3},
            "status": "answered",
        }
    ]


async def test_a_private_rest_write_reaches_interviewers_and_never_the_candidate(room, connect):
    await database_sync_to_async(submit)(room.board, room.owner, add("api"), annotate("a-1"))
    interviewer = await connect(room.board.id, room.interviewer)
    candidate = await connect(room.board.id, room.candidate)
    await interviewer.recv_type("welcome")
    await candidate.recv_type("welcome")

    response = await _post(room.owner, url(room.board), challenge(layer="private", text="Push on CAP"))
    assert response.status_code == 201
    private = await interviewer.recv_type("batch")
    assert (private["stream"], private["seq"]) == ("private", 1)
    assert private["ops"][0]["annotation"]["text"] == "Push on CAP"
    await candidate.nothing("batch")

    # The next public write reaches the candidate with no gap in its seq.
    response = await _post(room.owner, url(room.board, "a-1", replies=True), {"text": "Any ideas?"})
    assert response.status_code == 201
    public = await candidate.recv_type("batch")
    assert (public["stream"], public["seq"]) == ("public", 2)
    assert "Push on CAP" not in str(candidate.frames)


async def test_the_rest_list_holds_the_threads_a_joining_socket_is_welcomed_with(room, connect):
    await database_sync_to_async(submit)(room.board, room.owner, add("api"), annotate("a-1"))
    await _post(room.interviewer, url(room.board), challenge(layer="private", text="Hint"))
    await _post(room.candidate, url(room.board, "a-1", replies=True), {"text": "Retry."})
    for who in (room.candidate, room.interviewer):
        welcome = await (await connect(room.board.id, who)).recv_type("welcome")
        listed = (await database_sync_to_async(api(who).get)(url(room.board))).json()
        derived = [{k: v for k, v in t.items() if k not in ("orphaned", "outdated")} for t in listed]
        assert derived == welcome["annotations"]
        assert len(listed) == (2 if who is room.interviewer else 1)
