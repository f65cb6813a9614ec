"""Viewports (follow me) and the laser pointer: relayed to the others, never stored, every field checked."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async

from tests.conftest import two
from whiteboard.models import Batch

pytestmark = pytest.mark.django_db(transaction=True)


def batches(room) -> int:
    return Batch.objects.filter(board=room.board).count()


async def test_a_viewport_reaches_the_others_with_the_senders_id_and_is_not_stored(room, connect):
    a, b = await two(room, connect)
    await a.send({"type": "viewport", "x": 400, "y": -300.5, "zoom": 1.25})
    seen = await b.recv_type("viewport")
    assert seen == {
        "type": "viewport",
        "participant": room.candidate.id,
        "x": 400,
        "y": -300.5,
        "zoom": 1.25,
        "lead": False,
        "flow": None,
    }
    await a.nothing("viewport")
    assert await database_sync_to_async(batches)(room) == 0


async def test_an_interviewer_leads_and_presents_a_flow_step(room, connect):
    interviewer, observer = await two(room, connect, "interviewer", "observer")
    await interviewer.send(
        {"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": True, "flow": {"id": "f", "step": 2}}
    )
    seen = await observer.recv_type("viewport")
    assert (seen["lead"], seen["flow"]) == (True, {"id": "f", "step": 2})


@pytest.mark.parametrize("role", ["observer", "reviewer"])
async def test_roles_without_lead_may_follow_but_not_ask_everyone_to(room, connect, role):
    who, other = await two(room, connect, role, "candidate")
    await who.send({"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": True})
    rejected = await who.recv_type("rejected")
    assert (rejected["code"], rejected["path"], rejected["id"]) == ("forbidden", "lead", None)
    await other.nothing("viewport")
    await who.send({"type": "viewport", "x": 1, "y": 2, "zoom": 1})  # a plain viewport is fine, and the socket lives
    assert (await other.recv_type("viewport"))["participant"] == room.by_role(role).id


async def test_the_laser_is_relayed_and_never_stored(room, connect):
    a, b = await two(room, connect)
    points = [{"x": 10, "y": 20}, {"x": 12.5, "y": 21}]
    await a.send({"type": "laser", "points": points})
    assert await b.recv_type("laser") == {"type": "laser", "participant": room.candidate.id, "points": points}
    assert await database_sync_to_async(batches)(room) == 0


async def test_an_observer_watches_the_laser_but_may_not_point(room, connect):
    observer, candidate = await two(room, connect, "observer", "candidate")
    await observer.send({"type": "laser", "points": [{"x": 1, "y": 1}]})
    assert (await observer.recv_type("rejected"))["code"] == "forbidden"
    await candidate.nothing("laser")
    await candidate.send({"type": "laser", "points": [{"x": 1, "y": 1}]})
    assert (await observer.recv_type("laser"))["participant"] == room.candidate.id


HOSTILE = [
    ('{"type": "viewport", "x": 1, "y": 2}', "validation_error", "zoom"),
    ('{"type": "viewport", "x": "1", "y": 2, "zoom": 1}', "validation_error", "x"),
    ('{"type": "viewport", "x": true, "y": 2, "zoom": 1}', "validation_error", "x"),
    ('{"type": "viewport", "x": 1e300, "y": 2, "zoom": 1}', "validation_error", "x"),
    ('{"type": "viewport", "x": NaN, "y": 2, "zoom": 1}', "bad_json", None),
    ('{"type": "viewport", "x": "NaN", "y": 2, "zoom": 1}', "validation_error", "x"),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 0}', "validation_error", "zoom"),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 9}', "validation_error", "zoom"),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": -1}', "validation_error", "zoom"),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": "yes"}', "validation_error", "lead"),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "flow": {"id": "f", "step": 0}}', "validation_error", "flow"),
    (
        '{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": true, "flow": {"id": "f", "step": -1}}',
        "validation_error",
        "flow.step",
    ),
    (
        '{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": true, "flow": {"id": "f", "step": 1.5}}',
        "validation_error",
        "flow.step",
    ),
    (
        '{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": true, "flow": {"id": "f/x", "step": 1}}',
        "validation_error",
        "flow.id",
    ),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "lead": true, "flow": [[[[[[[[[1]]]]]]]]]}', "bad_request", None),
    ('{"type": "viewport", "x": 1, "y": 2, "zoom": 1, "camera": 1}', "validation_error", "camera"),
    ('{"type": "laser"}', "validation_error", "points"),
    ('{"type": "laser", "points": []}', "validation_error", "points"),
    ('{"type": "laser", "points": {"x": 1, "y": 2}}', "validation_error", "points"),
    ('{"type": "laser", "points": [{"x": 1}]}', "validation_error", "points[0]"),
    ('{"type": "laser", "points": [{"x": 1, "y": "2"}]}', "validation_error", "points[0].y"),
    ('{"type": "laser", "points": [{"x": 1, "y": 1e7}]}', "validation_error", "points[0].y"),
    (json.dumps({"type": "laser", "points": [{"x": 1, "y": 1}] * 33}), "validation_error", "points"),
]


@pytest.mark.parametrize(("text", "code", "path"), HOSTILE)
async def test_malformed_viewports_and_lasers_are_rejected_and_the_socket_stays_usable(room, connect, text, code, path):
    a, b = await two(room, connect)
    await a.send_text(text)
    rejected = await a.recv_type("rejected")
    assert (rejected["code"], rejected.get("path")) == (code, path), rejected
    await b.nothing("viewport")
    await b.nothing("laser")
    await a.send({"type": "laser", "points": [{"x": 1, "y": 1}]})
    assert (await b.recv_type("laser"))["points"] == [{"x": 1, "y": 1}]


async def test_viewports_and_lasers_are_throttled_to_30_a_second_each(room, connect, monkeypatch):
    monkeypatch.setattr("whiteboard.consumers.time", SimpleNamespace(monotonic=lambda: 1000.0))
    a, b = await two(room, connect)
    for i in range(50):
        await a.send({"type": "viewport", "x": i, "y": 0, "zoom": 1})
        await a.send({"type": "laser", "points": [{"x": i, "y": 0}]})
    seen = {"viewport": 0, "laser": 0}
    while not await b.ws.receive_nothing(0.3):
        kind = (await b.recv())["type"]
        if kind in seen:
            seen[kind] += 1
    assert seen == {"viewport": 30, "laser": 30}
    await a.nothing("rejected")
