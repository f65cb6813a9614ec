"""The interview session over the real socket: who runs the clock, what everyone sees live, what a late
joiner is told, and that an ended session closes the board to the candidate.

The rules themselves are pinned down in `test_interview.py`; these show the
decisions reach the wire and the rows, and that a refusal stores nothing.
Setup goes through `batch_submit`, the path a socket batch takes, so the
state a test starts from is one the server itself accepted.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from reviews import interview
from reviews.interview_queries import entries_by_id, session_of
from reviews.models import Annotation, InterviewSession, LedgerEntry, Reply
from tests.factories import Member, add, batch, board_with_owner
from tests.reviews.factories import annotate, reply
from tests.reviews.interview_ops import (
    answer_requirement,
    end,
    link_requirement,
    pause,
    phase,
    requirement,
    resume,
    start,
)
from whiteboard.models import Batch, Board, Element
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")
_seed_ids = itertools.count()


# Setup and the database's view.


def seed(board: Board, who: Member, *ops: dict[str, Any]) -> dict[str, Any]:
    """Store a batch as if `who` had sent it on a socket; returns the stored batch message."""
    committed = batch_submit(
        board_id=board.id, participant_id=who.participant.id, batch_id=f"seed-{next(_seed_ids)}", raw_ops=list(ops)
    )
    return committed.message


def session_row(board: Board) -> dict[str, Any] | None:
    return InterviewSession.objects.filter(board=board).values().first()


def requirement_rows(board: Board) -> list[dict[str, Any]]:
    return list(LedgerEntry.objects.filter(board=board).values())


def stored(board: Board) -> dict[str, Any]:
    """Everything a refused batch must leave alone."""
    row = Board.objects.get(pk=board.pk)
    return {
        "batches": Batch.objects.filter(board=board).count(),
        "seq": row.seq,
        "private_seq": row.private_seq,
        "closed": row.closed,
        "session": session_row(board),
        "requirements": requirement_rows(board),
        "elements": sorted(Element.objects.filter(board=board).values_list("element_id", flat=True)),
        "annotations": sorted(Annotation.objects.filter(board=board).values_list("annotation_id", flat=True)),
        "replies": Reply.objects.filter(annotation__board=board).count(),
    }


def replayed_matches_rows(board: Board) -> bool:
    """Folding the stored public log gives exactly the session and ledger rows the live path wrote."""
    log = [
        {"seq": row.seq, "participant": str(row.participant_id), "ops": row.ops, "at": row.created_at}
        for row in Batch.objects.filter(board=board, stream="public").order_by("seq")
    ]
    session, entries = interview.fold(log)
    ids = set(LedgerEntry.objects.filter(board=board).values_list("entry_id", flat=True))
    assert (session, entries) == (session_of(board.id), entries_by_id(board.id, ids))
    return True


aseed = database_sync_to_async(seed)
areplayed_matches_rows = database_sync_to_async(replayed_matches_rows)
asession_row = database_sync_to_async(session_row)
arequirement_rows = database_sync_to_async(requirement_rows)
astored = database_sync_to_async(stored)


def iso(moment: datetime | None) -> str | None:
    """A stored time as the wire writes it (milliseconds, Z)."""
    return None if moment is None else moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def seconds_between(earlier: str, later: str) -> float:
    return (parse_iso(later) - parse_iso(earlier)).total_seconds()


async def ack(client: Any, who: Member, batch_id: str) -> dict[str, Any]:
    """The server's answer to one of `who`'s batches: its broadcast (the ack) or its rejection."""
    while True:
        frame = await client.recv_type_in({"batch", "rejected"})
        if frame["id"] == batch_id and (frame["type"] == "rejected" or frame["participant"] == who.id):
            return frame


async def joined(connect: Any, board: Board, *people: Member) -> list[Any]:
    clients = [await connect(board.id, who) for who in people]
    for client in clients:
        await client.recv_type("welcome")
    return clients


async def welcome_of(connect: Any, board: Board, who: Member) -> dict[str, Any]:
    client = await connect(board.id, who)
    return await client.recv_type("welcome")


def diagram(room: Any) -> None:
    seed(room.board, room.owner, add("api", label="API"), add("db", type="database", label="DB"))


adiagram = database_sync_to_async(diagram)

# The session reaches each status by the interviewer's own batches.
SETUP = {"idle": [], "running": [start(30)], "paused": [start(30), pause()], "ended": [start(30), end()]}


async def session_in(room: Any, status: str) -> None:
    for op in SETUP[status]:
        await aseed(room.board, room.interviewer, op)
    row = await asession_row(room.board)
    assert (row["status"] if row else "idle") == status


# Who runs the clock.

CLOCK_OPS = [
    pytest.param(start(30), "idle", id="start"),
    pytest.param(pause(), "running", id="pause"),
    pytest.param(resume(), "paused", id="resume"),
    pytest.param(end(), "running", id="end"),
    pytest.param(phase("high_level"), "running", id="phase"),
]


@pytest.mark.parametrize(("op", "status"), CLOCK_OPS)
@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
async def test_nobody_but_the_interviewer_and_owner_controls_the_clock(room, connect, role, op, status):
    # The session is where the op would be allowed, so only the sender's role can refuse it.
    await session_in(room, status)
    before = await astored(room.board)
    sender, watcher = await joined(connect, room.board, room.by_role(role), room.interviewer)

    await sender.send(batch("clock", op))
    rejected = await ack(sender, room.by_role(role), "clock")
    assert (rejected["type"], rejected["code"], rejected["retryable"]) == ("rejected", "forbidden", False)
    assert await astored(room.board) == before

    # Nobody heard of it: the next batch anyone sees is the interviewer's, and it is accepted.
    await watcher.send(batch("after", phase("wrap_up") if status != "idle" else start()))
    assert (await watcher.recv_type("batch"))["id"] == "after"
    assert (await sender.recv_type("batch"))["id"] == "after"
    assert not [f for f in watcher.frames if f["type"] == "batch" and f["id"] == "clock"]


# The interviewer's moves: (batch id, op, status after); ending closes the board, resuming reopens it.
SCRIPT = [
    ("s-start", start(30), "running"),
    ("p-high", phase("high_level"), "running"),
    ("s-pause", pause(), "paused"),
    ("p-deep", phase("deep_dive"), "paused"),
    ("s-resume", resume(), "running"),
    ("s-end", end(), "ended"),
    ("s-reopen", resume(), "running"),
]


@pytest.mark.parametrize("keeper", ["interviewer", "owner"])
async def test_the_interviewer_and_owner_run_the_clock_and_everyone_sees_it_live(room, connect, keeper):
    who = room.by_role(keeper)
    clients = dict(zip(ROLES, await joined(connect, room.board, *(room.by_role(r) for r in ROLES)), strict=True))
    sent: dict[str, dict[str, Any]] = {}
    for batch_id, op, status in SCRIPT:
        await clients[keeper].send(batch(batch_id, op))
        for role, client in clients.items():
            frame = await client.recv_type_in({"batch", "rejected"})
            assert frame["type"] == "batch", f"{role} got {frame}"
            assert (frame["id"], frame["participant"], frame["stream"], frame["ops"]) == (
                batch_id,
                who.id,
                "public",
                [op],
            )
        sent[batch_id] = frame
        row = await asession_row(room.board)
        assert row["status"] == status
        assert (await database_sync_to_async(Board.objects.get)(pk=room.board.pk)).closed == (status == "ended")

    row = await asession_row(room.board)
    assert (row["minutes"], row["phase"]) == (30, "deep_dive")
    assert [(p["phase"], p["seq"]) for p in row["phases"]] == [
        ("requirements", sent["s-start"]["seq"]),
        ("high_level", sent["p-high"]["seq"]),
        ("deep_dive", sent["p-deep"]["seq"]),
    ]
    # Every time is the batch's own `at`.
    assert [iso(parse_iso(p["at"])) for p in row["phases"]] == [sent[i]["at"] for i in ("s-start", "p-high", "p-deep")]
    assert (iso(row["started_at"]), iso(row["running_since"]), row["ended_at"]) == (
        sent["s-start"]["at"],
        sent["s-reopen"]["at"],
        None,
    )
    used = seconds_between(sent["s-start"]["at"], sent["s-pause"]["at"])
    used += seconds_between(sent["s-resume"]["at"], sent["s-end"]["at"])
    assert row["elapsed"] == pytest.approx(used, abs=0.003)  # the wire's times are to the millisecond
    assert await areplayed_matches_rows(room.board)


async def test_a_refused_move_is_a_validation_error_and_stores_nothing(room, connect):
    await session_in(room, "paused")
    before = await astored(room.board)
    (interviewer,) = await joined(connect, room.board, room.interviewer)
    for batch_id, op, path in [
        ("again", start(), "ops[0].action"),
        ("twice", pause(), "ops[0].action"),
        ("same", phase("requirements"), "ops[0].phase"),
        ("late", {"op": "session", "action": "end", "minutes": 5}, "ops[0].minutes"),
    ]:
        await interviewer.send(batch(batch_id, op))
        rejected = await ack(interviewer, room.interviewer, batch_id)
        assert (rejected["type"], rejected["code"], rejected.get("path")) == ("rejected", "validation_error", path)
    assert await astored(room.board) == before


async def test_a_batch_mixing_canvas_ledger_and_session_ops_is_all_or_nothing(room, connect):
    await session_in(room, "idle")
    before = await astored(room.board)
    (interviewer,) = await joined(connect, room.board, room.interviewer)
    # The canvas op and the entry are fine; the pause is not (nothing is running), so none of it happens.
    await interviewer.send(batch("mixed", add("cache", type="cache"), requirement("q1", links=["cache"]), pause()))
    rejected = await ack(interviewer, room.interviewer, "mixed")
    assert (rejected["type"], rejected["code"], rejected.get("path")) == (
        "rejected",
        "validation_error",
        "ops[2].action",
    )
    assert await astored(room.board) == before
    # Without the pause the same batch goes through: the entry may link an element the batch itself adds.
    await interviewer.send(batch("fixed", add("cache", type="cache"), requirement("q1", links=["cache"]), start()))
    assert (await ack(interviewer, room.interviewer, "fixed"))["type"] == "batch"
    (row,) = await arequirement_rows(room.board)
    assert row["links"] == ["cache"]
    assert (await asession_row(room.board))["status"] == "running"


async def test_a_resent_session_batch_is_acknowledged_again_not_applied_twice(room, connect):
    interviewer, candidate = await joined(connect, room.board, room.interviewer, room.candidate)
    await interviewer.send(batch("go", start(20)))
    first = await ack(interviewer, room.interviewer, "go")
    assert (await candidate.recv_type("batch"))["id"] == "go"
    row = await asession_row(room.board)
    # A client that lost the ack sends the same batch again: a second start would be refused, a resend is not.
    await interviewer.send(batch("go", start(20)))
    again = await ack(interviewer, room.interviewer, "go")
    assert again == first
    assert await asession_row(room.board) == row
    assert (await astored(room.board))["batches"] == 1
    # The others hear of it once: the next batch the candidate sees is a new one.
    await interviewer.send(batch("next", phase("high_level")))
    assert (await candidate.recv_type("batch"))["id"] == "next"


# What a late joiner is told.


async def test_a_welcome_before_the_session_starts_shows_an_idle_clock(room, connect):
    welcome = await welcome_of(connect, room.board, room.candidate)
    session = welcome["session"]
    assert {k: v for k, v in session.items() if k != "now"} == {
        "status": "idle",
        "minutes": 45,
        "elapsed": 0.0,
        "running_since": None,
        "phase": None,
        "phases": [],
        "started_at": None,
        "ended_at": None,
    }
    assert welcome["requirements"] == []
    assert welcome["board"]["closed"] is False


@pytest.mark.parametrize("role", ROLES)
async def test_a_late_joiner_gets_the_session_and_the_ledger_in_its_welcome(room, connect, role):
    await adiagram(room)
    first = await aseed(room.board, room.interviewer, start(30))
    asked = await aseed(room.board, room.candidate, requirement("q1", "How many users?", links=["api"]))
    answered = await aseed(room.board, room.interviewer, answer_requirement("q1", "10M a day."))
    assumed = await aseed(room.board, room.candidate, requirement("a1", "Reads dominate", kind="assumption"))
    moved = await aseed(room.board, room.interviewer, phase("high_level"))
    paused = await aseed(room.board, room.owner, pause())

    before = timezone.now()
    welcome = await welcome_of(connect, room.board, room.by_role(role))
    after = timezone.now()

    session = welcome["session"]
    assert {k: v for k, v in session.items() if k not in ("now", "elapsed")} == {
        "status": "paused",
        "minutes": 30,
        "running_since": None,
        "phase": "high_level",
        "phases": [
            {"phase": "requirements", "at": first["at"], "seq": first["seq"]},
            {"phase": "high_level", "at": moved["at"], "seq": moved["seq"]},
        ],
        "started_at": first["at"],
        "ended_at": None,
    }
    assert session["elapsed"] == pytest.approx(seconds_between(first["at"], paused["at"]), abs=0.002)
    # `now` is the server's clock when the welcome was built, to the millisecond.
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= parse_iso(session["now"]) <= after
    assert session["now"].endswith("Z")

    assert welcome["requirements"] == [
        {
            "id": "q1",
            "kind": "question",
            "text": "How many users?",
            "links": ["api"],
            "author": room.candidate.id,
            "seq": asked["seq"],
            "created_at": asked["at"],
            "answer": {
                "text": "10M a day.",
                "author": room.interviewer.id,
                "seq": answered["seq"],
                "at": answered["at"],
            },
        },
        {
            "id": "a1",
            "kind": "assumption",
            "text": "Reads dominate",
            "links": [],
            "author": room.candidate.id,
            "seq": assumed["seq"],
            "created_at": assumed["at"],
            "answer": None,
        },
    ]


async def test_a_running_clock_in_a_welcome_lets_a_client_work_out_the_time_used(room, connect):
    first = await aseed(room.board, room.interviewer, start(45))
    paused = await aseed(room.board, room.interviewer, pause())
    resumed = await aseed(room.board, room.interviewer, resume())
    session = (await welcome_of(connect, room.board, room.candidate))["session"]
    banked = seconds_between(first["at"], paused["at"])
    assert (session["status"], session["running_since"]) == ("running", resumed["at"])
    assert session["elapsed"] == pytest.approx(banked, abs=0.002)
    # Time used = elapsed + (now - running_since): at least the banked time, never the pause.
    used = session["elapsed"] + seconds_between(session["running_since"], session["now"])
    assert used == pytest.approx(banked + seconds_between(resumed["at"], session["now"]), abs=0.003)


# The requirements ledger, live.


async def test_a_candidate_asks_the_interviewer_answers_inline_and_everyone_sees_both(room, connect):
    await adiagram(room)
    await session_in(room, "running")
    clients = dict(zip(ROLES, await joined(connect, room.board, *(room.by_role(r) for r in ROLES)), strict=True))

    question = requirement("q1", "Do we need custom aliases?", links=["api"])
    await clients["candidate"].send(batch("ask", question))
    asked = {role: await client.recv_type("batch") for role, client in clients.items()}
    for role, frame in asked.items():
        assert (frame["id"], frame["participant"], frame["ops"]) == ("ask", room.candidate.id, [question]), role

    await clients["interviewer"].send(batch("reply", answer_requirement("q1", "Yes, up to 16 characters.")))
    answered = {role: await client.recv_type("batch") for role, client in clients.items()}
    for role, frame in answered.items():
        assert (frame["id"], frame["participant"]) == ("reply", room.interviewer.id), role
        assert frame["ops"] == [answer_requirement("q1", "Yes, up to 16 characters.")], role

    # The candidate links their own entry to one more element; everyone sees that too.
    await clients["candidate"].send(batch("relink", link_requirement("q1", ["api", "db"])))
    for role, client in clients.items():
        assert (await client.recv_type("batch"))["id"] == "relink", role

    (row,) = await arequirement_rows(room.board)
    assert (row["entry_id"], row["kind"], row["text"], row["links"]) == (
        "q1",
        "question",
        "Do we need custom aliases?",
        ["api", "db"],
    )
    assert (str(row["author_id"]), row["seq"], iso(row["created_at"])) == (
        room.candidate.id,
        asked["owner"]["seq"],
        asked["owner"]["at"],
    )
    assert (row["answer"], str(row["answered_by_id"]), row["answered_seq"], iso(row["answered_at"])) == (
        "Yes, up to 16 characters.",
        room.interviewer.id,
        answered["owner"]["seq"],
        answered["owner"]["at"],
    )
    assert await areplayed_matches_rows(room.board)


@pytest.mark.parametrize(
    ("role", "op", "code"),
    [
        ("candidate", answer_requirement("q1", "I'll assume yes."), "forbidden"),
        ("reviewer", requirement("r1", "Why not Redis?"), "forbidden"),
        ("candidate", requirement("q1", "Again?"), "duplicate_id"),
        ("interviewer", answer_requirement("q9"), "unknown_ref"),
        ("candidate", requirement("q2", links=["ghost"]), "unknown_ref"),
    ],
)
async def test_a_refused_ledger_op_stores_nothing(room, connect, role, op, code):
    await adiagram(room)
    await session_in(room, "running")
    await aseed(room.board, room.candidate, requirement("q1"))
    before = await astored(room.board)
    (sender,) = await joined(connect, room.board, room.by_role(role))
    await sender.send(batch("bad", op))
    rejected = await ack(sender, room.by_role(role), "bad")
    assert (rejected["type"], rejected["code"]) == ("rejected", code)
    assert await astored(room.board) == before


# Ending the session closes the board to everyone but the people running it.


def refused_when_closed(room: Any) -> list[tuple[Member, str, dict[str, Any]]]:
    """Batches that are fine while the session runs, and must all be refused once it ends."""
    return [
        (room.candidate, "canvas", add("cache", type="cache", label="Cache")),
        (room.candidate, "reply", reply("a-1", "r-1", "It fails over to the replica.")),
        (room.candidate, "ledger", requirement("q1", "Can I still ask?")),
        (room.reviewer, "challenge", annotate("a-9", "db", text="Is the replica in another zone?")),
    ]


async def test_ending_the_session_makes_the_board_read_only_until_the_interviewer_resumes(room, connect):
    await adiagram(room)
    await session_in(room, "running")
    await aseed(room.board, room.interviewer, annotate("a-1", "api"))
    interviewer, candidate, reviewer = await joined(
        connect, room.board, room.interviewer, room.candidate, room.reviewer
    )
    sockets = {room.candidate.id: candidate, room.reviewer.id: reviewer}

    await interviewer.send(batch("end", end()))
    for client in (interviewer, candidate, reviewer):
        assert (await client.recv_type("batch"))["ops"] == [end()]
    assert (await welcome_of(connect, room.board, room.candidate))["board"]["closed"] is True

    before = await astored(room.board)
    assert before["closed"] is True
    for who, name, op in refused_when_closed(room):
        await sockets[who.id].send(batch(f"closed-{name}", op))
        rejected = await ack(sockets[who.id], who, f"closed-{name}")
        assert (rejected["type"], rejected["code"]) == ("rejected", "forbidden"), name
        assert "closed" in rejected["message"], name
    assert await astored(room.board) == before

    # The interviewer can still annotate, and the others still see it.
    await interviewer.send(batch("debrief", annotate("a-2", "db", kind="scaling", text="What about hot keys?")))
    for client in (interviewer, candidate, reviewer):
        assert (await client.recv_type("batch"))["id"] == "debrief"
    assert (await astored(room.board))["annotations"] == ["a-1", "a-2"]

    # Resuming reopens it: the very same batches are now accepted.
    await interviewer.send(batch("reopen", resume()))
    for client in (interviewer, candidate, reviewer):
        assert (await client.recv_type("batch"))["id"] == "reopen"
    assert (await astored(room.board))["closed"] is False
    assert (await welcome_of(connect, room.board, room.candidate))["board"]["closed"] is False
    for who, name, op in refused_when_closed(room):
        await sockets[who.id].send(batch(f"open-{name}", op))
        assert (await ack(sockets[who.id], who, f"open-{name}"))["type"] == "batch", name
    after = await astored(room.board)
    assert "cache" in after["elements"] and after["replies"] == 1 and "a-9" in after["annotations"]
    assert [row["entry_id"] for row in after["requirements"]] == ["q1"]
    assert await areplayed_matches_rows(room.board)


@pytest.mark.parametrize("keeper", ["owner", "interviewer"])
async def test_the_people_running_a_closed_board_can_still_change_it(room, connect, keeper):
    await adiagram(room)
    await session_in(room, "ended")
    who = room.by_role(keeper)
    (client,) = await joined(connect, room.board, who)
    for batch_id, op in [
        ("canvas", add("cache", type="cache")),
        ("ledger", requirement("c1", "p99 under 100ms", kind="constraint")),
        ("phase", phase("wrap_up")),
    ]:
        await client.send(batch(batch_id, op))
        assert (await ack(client, who, batch_id))["type"] == "batch", batch_id
    assert (await astored(room.board))["closed"] is True


async def test_board_closed_in_a_welcome_follows_the_session(room, connect):
    closed = []
    for op in (start(), end(), resume(), pause(), end()):
        await aseed(room.board, room.interviewer, op)
        closed.append((await welcome_of(connect, room.board, room.observer))["board"]["closed"])
    assert closed == [False, True, False, False, True]


# Where session ops may not go.


@pytest.mark.parametrize("op", [start(), phase("high_level"), pause()], ids=["start", "phase", "pause"])
async def test_review_boards_refuse_session_ops(transactional_db, connect, op):
    board, owner = await database_sync_to_async(board_with_owner)(mode="review")
    (client,) = await joined(connect, board, owner)
    await client.send(batch("clock", op))
    rejected = await ack(client, owner, "clock")
    assert (rejected["type"], rejected["code"], rejected.get("path")) == ("rejected", "validation_error", "ops[0].op")
    assert await database_sync_to_async(Batch.objects.filter(board=board).count)() == 0
    assert await database_sync_to_async(InterviewSession.objects.filter(board=board).exists)() is False


@pytest.mark.parametrize("first", ["annotation", "phase"])
async def test_session_ops_cannot_ride_in_a_private_batch(room, connect, first):
    await adiagram(room)
    await session_in(room, "running")
    before = await astored(room.board)
    (interviewer,) = await joined(connect, room.board, room.interviewer)
    private = annotate("p-1", "api", layer="private", kind="comment", text="Strong on sharding.")
    ops = [private, phase("high_level")] if first == "annotation" else [phase("high_level"), private]
    await interviewer.send(batch("mixed", *ops))
    rejected = await ack(interviewer, room.interviewer, "mixed")
    assert (rejected["type"], rejected["code"], rejected.get("path")) == ("rejected", "validation_error", "ops")
    assert await astored(room.board) == before

    # Each on its own is fine: the private note on the private stream, the phase on the public one.
    await interviewer.send(batch("note", private))
    assert (await ack(interviewer, room.interviewer, "note"))["stream"] == "private"
    await interviewer.send(batch("move", phase("high_level")))
    assert (await ack(interviewer, room.interviewer, "move"))["stream"] == "public"
    assert (await asession_row(room.board))["phase"] == "high_level"
