"""Flows over the socket: stored, broadcast, in the welcome and a catch-up; refused with a path, role-checked."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from reviews.flow_models import Flow
from tests.factories import add, arrow
from tests.reviews.sockets import Cast, seed

pytestmark = pytest.mark.django_db(transaction=True)


def flow(*elements: str, flow_id: str = "checkout") -> dict[str, Any]:
    steps = [{"element": e, "text": f"Then {e}."} for e in elements]
    return {"op": "flow", "flow": {"id": flow_id, "title": "A checkout", "steps": steps}}


def stored_flows(cast: Cast) -> dict[str, list[str]]:
    return {row.flow_id: [s["element"] for s in row.steps] for row in Flow.objects.filter(board=cast.board)}


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    cast = Cast()
    seed(cast.board, cast.owner, add("web", type="client"), arrow("web-api", "web", "api"), add("cache", type="cache"))
    return cast


async def test_a_candidates_flow_is_stored_broadcast_and_in_the_next_welcome(cast, connect):
    candidate = await connect(cast.board.id, cast.candidate)
    observer = await connect(cast.board.id, cast.observer)
    assert (await candidate.recv_type("welcome"))["flows"] == []
    await observer.recv_type("welcome")
    await candidate.send({"type": "batch", "id": "f1", "ops": [flow("web", "api", "db")]})
    ack = await candidate.recv_type("batch")
    assert ack["ops"] == [flow("web", "api", "db")]
    assert (await observer.recv_type("batch"))["ops"] == ack["ops"]
    assert await database_sync_to_async(stored_flows)(cast) == {"checkout": ["web", "api", "db"]}
    late = await connect(cast.board.id, cast.interviewer)
    [welcomed] = (await late.recv_type("welcome"))["flows"]
    assert welcomed["steps"][2] == {"element": "db", "text": "Then db."}
    assert (welcomed["author"], welcomed["seq"]) == (cast.candidate.id, ack["seq"])


async def test_a_resuming_client_gets_the_flow_in_its_catchup(cast, connect):
    first = await connect(cast.board.id, cast.candidate)
    seq = (await first.recv_type("welcome"))["seq"]
    await database_sync_to_async(seed)(cast.board, cast.owner, flow("web", "api"))
    again = await connect(cast.board.id, cast.candidate, since=seq)
    catchup = await again.recv_type("catchup")
    assert [b["ops"] for b in catchup["batches"]] == [[flow("web", "api")]]


async def test_a_step_not_joined_by_an_arrow_is_refused_naming_it_and_nothing_is_stored(cast, connect):
    candidate = await connect(cast.board.id, cast.candidate)
    await candidate.recv_type("welcome")
    await candidate.send({"type": "batch", "id": "f1", "ops": [flow("web", "api", "cache")]})
    rejected = await candidate.recv_type("rejected")
    assert (rejected["id"], rejected["code"], rejected["path"]) == (
        "f1",
        "validation_error",
        "ops[0].flow.steps[2].element",
    )
    await candidate.send({"type": "batch", "id": "f2", "ops": [flow("web", "ghost")]})
    assert (await candidate.recv_type("rejected"))["code"] == "unknown_ref"
    await candidate.send({"type": "batch", "id": "f3", "ops": [flow("web", "api")]})  # the socket is still usable
    assert (await candidate.recv_type("batch"))["id"] == "f3"
    assert await database_sync_to_async(stored_flows)(cast) == {"checkout": ["web", "api"]}


async def test_an_arrow_added_in_the_same_batch_joins_the_steps(cast, connect):
    candidate = await connect(cast.board.id, cast.candidate)
    await candidate.recv_type("welcome")
    ops = [arrow("api-cache", "api", "cache"), flow("web", "api", "cache")]
    await candidate.send({"type": "batch", "id": "f1", "ops": ops})
    assert (await candidate.recv_type("batch"))["id"] == "f1"


@pytest.mark.parametrize("role", ["observer", "reviewer"])
async def test_observers_and_reviewers_may_not_write_flows(cast, connect, role):
    who = await connect(cast.board.id, cast.by_role(role))
    await who.recv_type("welcome")
    await who.send({"type": "batch", "id": "f1", "ops": [flow("web", "api")]})
    assert (await who.recv_type("rejected"))["code"] == "forbidden"
    assert await database_sync_to_async(stored_flows)(cast) == {}


async def test_deleting_a_flow_is_broadcast_and_leaves_the_welcome(cast, connect):
    await database_sync_to_async(seed)(cast.board, cast.candidate, flow("web", "api"))
    interviewer = await connect(cast.board.id, cast.interviewer)
    assert len((await interviewer.recv_type("welcome"))["flows"]) == 1
    await interviewer.send({"type": "batch", "id": "d1", "ops": [{"op": "delete_flow", "id": "checkout"}]})
    await interviewer.recv_type("batch")
    late = await connect(cast.board.id, cast.candidate)
    assert (await late.recv_type("welcome"))["flows"] == []
