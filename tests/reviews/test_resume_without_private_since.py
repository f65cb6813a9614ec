"""Issue 19, defect 9: `?since=S` is a catch-up for everyone, owners and interviewers included.

A reader of the private stream that resumes without `private_since` has no
private position: it gets the public catch-up it asked for, and the private
stream from its start (as if `private_since=0`), which it applies from empty.
Only a private stream longer than the catch-up limit falls back to `welcome`.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from reviews.annotation_queries import annotations_of
from tests.factories import add, batch
from tests.reviews.sockets import raw
from tests.reviews.test_private_layer import _cast_with, batches_in, private_note
from tests.reviews.view import View, by_id
from whiteboard import selectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["owner", "interviewer"])
async def test_a_private_reader_resuming_with_since_alone_gets_a_catchup(connect, role):
    cast, clients = await _cast_with(connect, ("owner", "candidate"))
    owner, candidate = clients["owner"], clients["candidate"]
    since = (await candidate.submit(batch("c1", add("cache"))))["seq"]
    await owner.submit(batch("o1", private_note("p-1")))
    await candidate.submit(batch("c2", add("queue", type="queue")))
    await owner.submit(batch("o2", private_note("p-2")))
    await owner.drain(0.2)

    resumed = await raw(connect, cast.board.id, cast.by_role(role), since=since)
    catchup = await resumed.recv_type_in({"catchup", "welcome"})
    assert catchup["type"] == "catchup"
    assert [b["id"] for b in catchup["batches"]] == ["c2"]
    assert catchup["seq"] == since + 1
    assert catchup["private_batches"] == batches_in(owner.frames, "private")
    assert catchup["private_seq"] == 2
    # From an empty private layer, the catch-up gives exactly what the rows hold.
    view = View()
    view.join({"type": "welcome", "seq": since, "private_seq": 0, "elements": [], "annotations": []})
    view.join(catchup)
    stored = by_id(await database_sync_to_async(annotations_of)(cast.board.id, cast.by_role(role).participant))
    assert {k for k in view.annotations if k.startswith("p-")} == {"p-1", "p-2"} == set(stored)


async def test_a_private_stream_longer_than_the_catchup_limit_still_gets_a_welcome(connect, monkeypatch):
    monkeypatch.setattr(selectors, "CATCHUP_LIMIT", 1)
    cast, clients = await _cast_with(connect, ("owner",))
    await clients["owner"].submit(batch("o1", private_note("p-1")))
    await clients["owner"].submit(batch("o2", private_note("p-2")))
    resumed = await raw(connect, cast.board.id, cast.interviewer, since=0)
    assert (await resumed.recv_type_in({"catchup", "welcome"}))["type"] == "welcome"
