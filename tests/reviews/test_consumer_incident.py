"""The incident ops over the real socket: who may send each, what is stored and broadcast, and the rows."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from reviews.incident_models import IncidentState
from tests.factories import batch
from tests.reviews.incident_cast import (
    IncidentCast,
    act,
    close_incident,
    fault,
    hypothesis,
    inspect,
    open_incident,
)
from tests.reviews.sockets import RawClient, raw, seed
from whiteboard.models import Batch, Board

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")


def row(board: Board) -> dict[str, Any] | None:
    return IncidentState.objects.filter(board=board).values().first()


def stored(board: Board) -> tuple[int, int, int]:
    fresh = Board.objects.get(pk=board.pk)
    return fresh.seq, fresh.private_seq, Batch.objects.filter(board=board).count()


arow = database_sync_to_async(row)
astored = database_sync_to_async(stored)
aseed = database_sync_to_async(seed)


async def cast_with(connect, *roles: str) -> tuple[IncidentCast, dict[str, RawClient]]:
    cast = await database_sync_to_async(IncidentCast)()
    clients = {}
    for role in roles:
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    return cast, clients


async def opened(cast: IncidentCast, kind: str = "slow") -> None:
    await aseed(cast.board, cast.interviewer, fault("db", kind))
    await aseed(cast.board, cast.interviewer, open_incident())


# -- Who may send what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
async def test_only_the_owner_and_interviewer_hide_a_fault(connect, role):
    cast, clients = await cast_with(connect, role)
    before = await astored(cast.board)
    answer = await clients[role].submit(batch("f", fault()))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    assert await astored(cast.board) == before and await arow(cast.board) is None


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
async def test_only_the_owner_and_interviewer_open_and_close_the_incident(connect, role):
    cast, clients = await cast_with(connect, role)
    await aseed(cast.board, cast.interviewer, fault())
    for op in (open_incident(), close_incident()):
        answer = await clients[role].submit(batch("i", op))
        assert (answer["type"], answer["code"]) == ("rejected", "forbidden")


@pytest.mark.parametrize("role", ["reviewer", "observer"])
@pytest.mark.parametrize("op", [inspect("api"), act("api", "restart"), hypothesis("h1", "db", ["api"])])
async def test_observers_and_reviewers_cannot_investigate(connect, role, op):
    cast, clients = await cast_with(connect, role)
    await opened(cast)
    before = await astored(cast.board)
    answer = await clients[role].submit(batch("x", op))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    assert await astored(cast.board) == before


@pytest.mark.parametrize("role", ["owner", "interviewer"])
async def test_the_fault_goes_on_the_private_stream_and_only_readers_hear_of_it(connect, role):
    cast, clients = await cast_with(connect, role, "candidate")
    answer = await clients[role].submit(batch("f", fault("db", "slow")))
    stored = {**fault("db", "slow"), "blast_radius": ["api", "db", "lb", "users"]}
    assert (answer["type"], answer["stream"], answer["ops"]) == ("batch", "private", [stored])
    assert (await arow(cast.board))["fault_target"] == "db"
    # Mixed with a public op it is refused whole.
    mixed = await clients[role].submit(batch("m", fault("api", "down"), inspect("api")))
    assert mixed["type"] == "rejected"
    await clients["candidate"].drain(0.3)
    assert not [f for f in clients["candidate"].frames if f["type"] == "batch"]


async def test_an_incident_needs_a_fault_and_a_fault_needs_a_component(connect):
    _cast, clients = await cast_with(connect, "interviewer")
    answer = await clients["interviewer"].submit(batch("o", open_incident()))
    assert (answer["type"], answer["code"]) == ("rejected", "validation_error")
    answer = await clients["interviewer"].submit(batch("f", fault("users-lb")))
    assert (answer["type"], answer["code"]) == ("rejected", "validation_error")
    answer = await clients["interviewer"].submit(batch("g", fault("nowhere")))
    assert (answer["type"], answer["code"]) == ("rejected", "unknown_ref")


async def test_investigating_needs_an_open_incident(connect):
    cast, clients = await cast_with(connect, "candidate")
    await aseed(cast.board, cast.interviewer, fault())
    answer = await clients["candidate"].submit(batch("x", inspect("api")))
    assert (answer["type"], answer["code"]) == ("rejected", "validation_error")


async def test_incident_ops_belong_on_incident_boards(connect):
    cast, clients = await cast_with(connect, "interviewer")
    await database_sync_to_async(Board.objects.filter(pk=cast.board.pk).update)(question_type="design")
    answer = await clients["interviewer"].submit(batch("f", fault()))
    assert (answer["type"], answer["code"]) == ("rejected", "validation_error")


async def test_a_client_cannot_bring_its_own_result(connect):
    cast, clients = await cast_with(connect, "candidate")
    await opened(cast)
    forged = {**inspect("api"), "result": {"now": {}}}
    answer = await clients["candidate"].submit(batch("x", forged))
    assert (answer["type"], answer["code"]) == ("rejected", "validation_error")


# -- An incident, from open to close -------------------------------------------------------------------------


async def test_an_incident_from_open_to_close_with_results_everyone_sees(connect):
    cast, clients = await cast_with(connect, *ROLES)
    interviewer, candidate = clients["interviewer"], clients["candidate"]
    assert (await interviewer.submit(batch("f", fault("db", "slow"))))["stream"] == "private"
    answer = await interviewer.submit(batch("o", open_incident()))
    assert answer["ops"] == [{**open_incident(), "entry": "users"}]
    row_open = await arow(cast.board)
    assert (row_open["status"], row_open["symptom"], row_open["entry"]) == (
        "open",
        "Checkout returns HTTP 500",
        "users",
    )

    seen = await candidate.submit(batch("i1", inspect("api", "metrics")))
    op = seen["ops"][0]
    assert set(op) == {"op", "target", "signal", "minute", "result"} and op["minute"] == 0
    assert set(op["result"]) == {"before", "now", "series"} and len(op["result"]["series"]) == 30
    assert op["result"]["now"]["latency_p99_ms"] > 2000  # the API waits on the slow database
    assert set(op["result"]["now"]) == {"requests_per_s", "error_rate", "latency_p99_ms", "saturation"}
    logs = (await candidate.submit(batch("i2", inspect("db", "logs"))))["ops"][0]["result"]
    assert any("slow query" in line["text"] for line in logs["lines"])
    trace = (await candidate.submit(batch("i3", inspect("users", "traces"))))["ops"][0]["result"]
    assert [hop["component"] for hop in trace["hops"]] == ["users", "lb", "api", "db"]
    deploys = (await candidate.submit(batch("i4", inspect("api", "deploys"))))["ops"][0]["result"]
    assert "deploys" in deploys
    fine = (await candidate.submit(batch("i5", inspect("search"))))["ops"][0]["result"]["now"]
    assert fine["error_rate"] < 0.01 and fine["latency_p99_ms"] < 200

    acted = (await candidate.submit(batch("a1", act("search", "restart"))))["ops"][0]
    assert acted["result"] == {"effect": "none", "text": "Restarted Search; nothing changed."}
    acted = (await candidate.submit(batch("a2", act("db", "scale_up"))))["ops"][0]
    assert acted["result"]["effect"] == "fixed" and acted["result"]["from_minute"] == 3
    assert (await arow(cast.board))["actions"] == [
        {"target": "search", "action": "restart", "minute": 0},
        {"target": "db", "action": "scale_up", "minute": 0},
    ]
    guess = await candidate.submit(batch("h1", hypothesis("h1", "db", ["db", "api", "lb", "users"], "slow")))
    assert guess["ops"][0]["suspect"] == "db" and guess["ops"][0]["minute"] == 0

    closed = await interviewer.submit(batch("c", close_incident()))
    assert closed["ops"] == [{**close_incident(), "root_cause": {"target": "db", "kind": "slow"}, "minute": 0}]
    assert (await arow(cast.board))["status"] == "closed"
    # Everyone got every public batch, the same frames.
    for role in ROLES:
        await clients[role].drain(0.3)
    public = [f for f in clients["owner"].frames if f["type"] == "batch" and f["stream"] == "public"]
    for role in ROLES:
        assert [f for f in clients[role].frames if f["type"] == "batch" and f["stream"] == "public"] == public
    # A late joiner is told the incident, the root cause included now that it is closed.
    late = await raw(connect, cast.board.id, cast.observer)
    welcome = await late.recv_type("welcome")
    assert welcome["incident"]["root_cause"] == {"target": "db", "kind": "slow"}
    assert "fault" not in welcome["incident"]


async def test_the_welcome_shows_the_fault_to_readers_only(connect):
    cast, _ = await cast_with(connect)
    await opened(cast, "errors")
    for role in ROLES:
        welcome = await (await raw(connect, cast.board.id, cast.by_role(role))).recv_type("welcome")
        incident = welcome["incident"]
        assert incident["status"] == "open" and incident["symptom"] == "Checkout returns HTTP 500"
        if role in ("owner", "interviewer"):
            assert incident["fault"] == {"target": "db", "kind": "errors"}
        else:
            assert "fault" not in incident and "root_cause" not in incident


async def test_signals_of_an_incident_board_are_for_interviewers_only(connect):
    from tests.reviews.questions_cast import rest

    cast, clients = await cast_with(connect, "candidate")
    await opened(cast, "slow")
    await clients["candidate"].submit(batch("i1", inspect("users")))
    await clients["candidate"].submit(batch("h1", hypothesis("h1", "db", ["db", "api"])))
    path = f"/api/boards/{cast.board.id}/signals/"
    seen = await database_sync_to_async(rest(cast.interviewer).get)(path)
    data = seen.json()
    assert data["incident"]["inspected"] == ["users"] and data["incident"]["root_cause_found"] is True
    assert data["incident"]["first_move"] == "observe"
    assert data["evidence"]["incident.inspected"][0]["id"] == "users"
    for role in ("candidate", "observer", "reviewer"):
        refused = await database_sync_to_async(rest(cast.by_role(role)).get)(path)
        assert refused.status_code == 403, role


def board_from(question: str) -> tuple[Board, Any]:
    from tests.factories import Member
    from tests.reviews.questions_cast import interviewer_account, rest
    from whiteboard.models import Participant

    user = interviewer_account()
    client = rest(None)
    client.force_authenticate(user)
    response = client.post("/api/boards/", {"title": "Incident", "question": question}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["question_type"] == "incident"
    board = Board.objects.get(pk=response.json()["id"])
    return board, Member(Participant.objects.get(board=board, user=user), user, None)


@pytest.mark.parametrize(
    ("question", "target", "kind"),
    [
        ("slow_database", "orders_db", "slow"),
        ("errors_after_release", "inventory", "bad_deploy"),
        ("saturated_consumer", "email_worker", "saturated"),
    ],
)
def test_a_board_from_an_incident_question_starts_drawn_with_its_fault_hidden(question, target, kind):
    from tests.factories import member

    board, owner = board_from(question)
    assert board.question_type == "incident" and board.element_count > 5
    assert (board.private_seq, row(board)["fault_target"], row(board)["fault_kind"]) == (1, target, kind)
    assert row(board)["symptom"] and row(board)["status"] == "none"
    candidate = member(board, "candidate")
    # The owner opens it with the question's symptom; the candidate's first look already shows something.
    message = seed(board, owner, open_incident(row(board)["symptom"]))
    assert message["ops"][0]["entry"]
    seen = seed(board, candidate, inspect(target, "metrics"))["ops"][0]["result"]["now"]
    assert seen["error_rate"] > 0.02 or seen["latency_p99_ms"] > 1000 or seen["saturation"] > 0.9


def test_a_board_can_be_made_an_incident_board_without_a_question():
    from tests.reviews.questions_cast import interviewer_account, rest

    client = rest(None)
    client.force_authenticate(interviewer_account())
    made = client.post("/api/boards/", {"title": "Mine", "question_type": "incident"}, format="json")
    assert made.status_code == 201 and made.json()["question_type"] == "incident"
    wrong = client.post(
        "/api/boards/", {"title": "x", "question": "errors_after_release", "question_type": "design"}, format="json"
    )
    assert wrong.status_code == 400
    assert client.post("/api/boards/", {"title": "x"}, format="json").json()["question_type"] == "design"


async def test_the_incident_over_rest_one_op_at_a_time_and_the_timeline(connect):
    from tests.reviews.questions_cast import rest

    cast, clients = await cast_with(connect, "candidate")
    await opened(cast, "slow")
    path = f"/api/boards/{cast.board.id}/incident/"

    def post(role: str, op: dict[str, Any]) -> Any:
        return rest(cast.by_role(role)).post(path, op, format="json")

    made = await database_sync_to_async(post)("candidate", inspect("db", "logs"))
    assert made.status_code == 201 and made.json()["op"]["result"]["lines"]
    assert (await database_sync_to_async(post)("observer", inspect("db"))).status_code == 403
    assert (await database_sync_to_async(post)("candidate", fault("api"))).status_code == 403
    # The candidate's socket got it live, like any batch.
    live = await clients["candidate"].recv_type("batch")
    while live["ops"][0]["op"] != "inspect":  # the open came first
        live = await clients["candidate"].recv_type("batch")
    assert live["ops"][0] == made.json()["op"]
    seen = (await database_sync_to_async(rest(cast.candidate).get)(path)).json()
    assert "fault" not in seen["incident"] and "blast_radius" not in seen["incident"]
    assert [(t["op"], t["target"]) for t in seen["timeline"]] == [("inspect", "db")]
    interviewer = (await database_sync_to_async(rest(cast.interviewer).get)(path)).json()["incident"]
    assert interviewer["fault"] == {"target": "db", "kind": "slow"}
    assert interviewer["blast_radius"] == ["api", "db", "lb", "users"]


@pytest.mark.parametrize("role", ["owner", "interviewer", "candidate"])
@pytest.mark.parametrize(
    "op", [inspect("api", "traces"), act("api", "restart"), hypothesis("h1", "db", ["api"], "slow")]
)
async def test_the_candidate_investigates_and_the_interviewing_side_may_demonstrate(connect, role, op):
    cast, clients = await cast_with(connect, role)
    await opened(cast)
    answer = await clients[role].submit(batch("x", op))
    assert (answer["type"], answer["stream"], answer["ops"][0]["op"]) == ("batch", "public", op["op"])
    assert answer["ops"][0]["minute"] == 0
    assert ("result" in answer["ops"][0]) == (op["op"] != "hypothesis")
