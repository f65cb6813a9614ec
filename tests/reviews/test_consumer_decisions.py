"""Decision ops over the real socket: who may send them, what every client hears, what a
joining client is told, and that refusals change nothing."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from reviews.decision_queries import decision_list
from tests.factories import add, arrow, batch
from tests.reviews.decision_ops import decide, decision, delete_decision
from tests.reviews.sockets import Cast, raw, seed
from whiteboard.models import Batch, Board

pytestmark = pytest.mark.django_db(transaction=True)


def stored(board: Board) -> tuple[int, int, list]:
    fresh = Board.objects.get(pk=board.pk)
    return fresh.seq, Batch.objects.filter(board=board).count(), decision_list(board.id)


astored = database_sync_to_async(stored)
aseed = database_sync_to_async(seed)


async def cast_with(connect, *roles: str, mode: str = "interview"):
    cast = await database_sync_to_async(Cast)(mode)
    clients = {}
    for role in roles:
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    return cast, clients


async def test_the_candidate_decides_and_the_interviewer_hears_it_live(connect):
    cast, clients = await cast_with(connect, "candidate", "interviewer", "observer")
    answer = await clients["candidate"].submit(batch("d", decide(target="db")))
    assert answer["type"] == "batch" and answer["ops"] == [decide(target="db")]
    for role in ("interviewer", "observer"):
        heard = await clients[role].batch_with("d")
        assert heard["ops"][0]["decision"]["alternatives"] == ["SQS", "RabbitMQ"]
    _seq, _count, decisions = await astored(cast.board)
    assert decisions == [{**decision(target="db"), "author": cast.candidate.id, "seq": answer["seq"]}]


async def test_a_decision_can_target_a_component_added_in_the_same_batch(connect):
    _cast, clients = await cast_with(connect, "candidate")
    answer = await clients["candidate"].submit(batch("d", add("q", type="queue"), decide(target="q")))
    assert answer["type"] == "batch"


async def test_a_joining_client_gets_the_decisions_in_its_welcome(connect):
    cast, _clients = await cast_with(connect)
    await aseed(cast.board, cast.candidate, decide("d1"), decide("d2", target="db", choice="Postgres"))
    await aseed(cast.board, cast.interviewer, decide("d1", choice="SQS"), delete_decision("d2"))
    late = await raw(connect, cast.board.id, cast.observer)
    welcome = await late.recv_type("welcome")
    assert [(d["id"], d["choice"], d["author"]) for d in welcome["decisions"]] == [("d1", "SQS", cast.interviewer.id)]


@pytest.mark.parametrize(("role", "mode"), [("reviewer", "review"), ("observer", "interview"), ("observer", "review")])
async def test_reviewers_and_observers_are_refused_and_nothing_changes(connect, role, mode):
    cast, clients = await cast_with(connect, role, mode=mode)
    before = await astored(cast.board)
    answer = await clients[role].submit(batch("d", decide()))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    assert await astored(cast.board) == before


async def test_the_owner_of_a_review_board_decides(connect):
    _cast, clients = await cast_with(connect, "owner", mode="review")
    assert (await clients["owner"].submit(batch("d", decide())))["type"] == "batch"


@pytest.mark.parametrize(
    ("op", "code", "path"),
    [
        (decide(target="ghost"), "unknown_ref", "ops[0].decision.target"),
        (decide(target="sticky"), "unknown_ref", "ops[0].decision.target"),
        (decide(target="api-db"), "unknown_ref", "ops[0].decision.target"),
        (decide(choice=""), "validation_error", "ops[0].decision.choice"),
        (decide(alternatives=[1]), "validation_error", "ops[0].decision.alternatives[0]"),
        (decide(alternatives=["x"] * 11), "validation_error", "ops[0].decision.alternatives"),
        (decide(cost=False), "validation_error", "ops[0].decision.cost"),
        ({"op": "decide", "decision": "Kafka"}, "bad_request", "ops[0].decision"),
        (delete_decision("ghost"), "unknown_ref", "ops[0].id"),
        ({"op": "delete_decision", "id": 7}, "validation_error", "ops[0].id"),
    ],
)
async def test_bad_decisions_are_refused_with_their_path_and_nothing_changes(connect, op, code, path):
    cast, clients = await cast_with(connect, "candidate")
    before = await astored(cast.board)
    answer = await clients["candidate"].submit(batch("d", op))
    assert (answer["type"], answer["code"], answer.get("path")) == ("rejected", code, path)
    assert await astored(cast.board) == before


async def test_a_refused_decision_takes_its_canvas_ops_with_it(connect):
    cast, clients = await cast_with(connect, "candidate")
    before = await astored(cast.board)
    answer = await clients["candidate"].submit(batch("d", add("q", type="queue"), decide(target="ghost")))
    assert answer["type"] == "rejected" and await astored(cast.board) == before


@pytest.mark.parametrize(
    ("op", "path"),
    [
        (add("q", type="service", dead_letter=True), "ops[0].element.dead_letter"),
        (add("c", type="cache", backup=True), "ops[0].element.backup"),
        ({"op": "update", "id": "api", "props": {"dead_letter": True}}, "ops[0].props.dead_letter"),
        ({"op": "update", "id": "api-db", "props": {"timeout_ms": 0}}, "ops[0].props.timeout_ms"),
        ({"op": "update", "id": "api-db", "props": {"timeout_ms": "1s"}}, "ops[0].props.timeout_ms"),
        ({"op": "update", "id": "api-db", "props": {"retries": 11}}, "ops[0].props.retries"),
        ({"op": "update", "id": "api-db", "props": {"idempotent": "yes"}}, "ops[0].props.idempotent"),
        ({"op": "update", "id": "api", "props": {"familiarity": "guru"}}, "ops[0].props.familiarity"),
        (arrow("a2", "api", "db", retries=-1), "ops[0].element.retries"),
    ],
)
async def test_bad_resilience_fields_are_refused_over_the_socket(connect, op, path):
    cast, clients = await cast_with(connect, "candidate")
    before = await astored(cast.board)
    answer = await clients["candidate"].submit(batch("x", op))
    assert (answer["type"], answer["code"], answer.get("path")) == ("rejected", "validation_error", path)
    assert await astored(cast.board) == before


async def test_resilience_fields_reach_everyone(connect):
    _cast, clients = await cast_with(connect, "candidate", "interviewer")
    ops = [
        {"op": "update", "id": "api-db", "props": {"timeout_ms": 800, "retries": 2, "idempotent": True}},
        {"op": "update", "id": "db", "props": {"backup": True, "familiarity": "production"}},
        add("mon", type="monitoring", label="Metrics"),
    ]
    answer = await clients["candidate"].submit(batch("r", *ops))
    assert answer["type"] == "batch"
    assert (await clients["interviewer"].batch_with("r"))["ops"] == [*ops[:2], answer["ops"][2]]
