"""Annotation ops over the board socket: who may do what, the refusals, and what is stored and sent.

Every case goes through the real stack (token auth, consumer, batch service,
the annotation op kind, SQLite) and is checked twice: on the wire (the ack or
the rejection the sender reads) and in the rows (a refused batch stores
nothing, an accepted one exactly its change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from reviews.annotation_queries import annotations_of
from tests.factories import Member, add, batch
from tests.reviews.factories import annotate, delete_annotation, edit_text, reply, set_status
from tests.reviews.sockets import ROLES, Cast, aboard, alog, athreads, raw, seed, set_role
from tests.reviews.view import View, by_id
from whiteboard.models import Element, Participant

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = frozenset({"owner", "interviewer", "candidate", "reviewer"})
OWN_LAYER = {"owner": "challenges", "interviewer": "challenges", "candidate": "notes", "reviewer": "challenges"}


# The role x op matrix of docs/protocol.md, "Who may do what".


@dataclass(frozen=True)
class Cell:
    name: str
    allowed: frozenset[str]
    ops: Callable[[str], list[dict[str, Any]]]  # given the cell's tag
    touched: Callable[[str], str]  # the annotation id the cell changes
    check: Callable[[dict[str, Any] | None, str], bool]  # (the thread after, the actor's participant id)


def _created(layer: str, prompted: bool) -> Callable[[dict[str, Any] | None, str], bool]:
    def check(thread: dict[str, Any] | None, actor: str) -> bool:
        return (
            thread is not None
            and (thread["layer"], thread["prompted"], thread["author"], thread["status"])
            == (layer, prompted, actor, "open")
            and thread["snapshot"]["label"] == "API"
        )

    return check


def _replied(thread: dict[str, Any] | None, actor: str) -> bool:
    return thread is not None and [(r["id"], r["author"]) for r in thread["replies"]][-1] == ("r-new", actor)


def _reply_text(thread: dict[str, Any] | None, reply_id: str) -> dict[str, Any]:
    assert thread is not None
    return next(r for r in thread["replies"] if r["id"] == reply_id)


CELLS = [
    Cell(
        "annotate in challenges",
        frozenset({"owner", "interviewer", "reviewer"}),
        lambda t: [annotate(f"a-new-{t}", "api", layer="challenges")],
        lambda t: f"a-new-{t}",
        _created("challenges", True),
    ),
    Cell(
        "annotate in notes",
        frozenset({"owner", "candidate"}),
        lambda t: [annotate(f"n-new-{t}", "api", layer="notes", kind="scaling", text="Shard by user")],
        lambda t: f"n-new-{t}",
        _created("notes", False),
    ),
    Cell(
        "annotate in private",
        frozenset({"owner", "interviewer"}),
        lambda t: [annotate(f"p-new-{t}", "api", layer="private", kind="comment", text="Probe the cache")],
        lambda t: f"p-new-{t}",
        _created("private", False),
    ),
    Cell(
        "reply",
        WRITERS,
        lambda t: [reply(f"a-theirs-{t}", "r-new")],
        lambda t: f"a-theirs-{t}",
        _replied,
    ),
    Cell(
        "resolve someone else's",
        frozenset({"owner", "interviewer"}),
        lambda t: [set_status(f"a-theirs-{t}", "resolved")],
        lambda t: f"a-theirs-{t}",
        lambda thread, _: thread is not None and thread["status"] == "resolved",
    ),
    Cell(
        "resolve their own",
        frozenset({"owner", "interviewer", "reviewer"}),
        lambda t: [set_status(f"a-own-{t}", "resolved")],
        lambda t: f"a-own-{t}",
        lambda thread, _: thread is not None and thread["status"] == "resolved",
    ),
    Cell(
        "edit their own text",
        WRITERS,
        lambda t: [edit_text(f"a-own-{t}", "Reworded")],
        lambda t: f"a-own-{t}",
        lambda thread, _: thread is not None and thread["text"] == "Reworded",
    ),
    Cell(
        "edit someone else's text",
        frozenset(),
        lambda t: [edit_text(f"a-theirs-{t}", "Hijacked")],
        lambda t: f"a-theirs-{t}",
        lambda thread, _: False,
    ),
    Cell(
        "edit their own reply",
        WRITERS,
        lambda t: [edit_text(f"a-theirs-{t}", "Reworded reply", reply_id="r-own")],
        lambda t: f"a-theirs-{t}",
        lambda thread, _: (
            (r := _reply_text(thread, "r-own"))["text"] == "Reworded reply" and r["edited_at"] is not None
        ),
    ),
    Cell(
        "edit someone else's reply",
        frozenset(),
        lambda t: [edit_text(f"a-theirs-{t}", "Hijacked", reply_id="r-theirs")],
        lambda t: f"a-theirs-{t}",
        lambda thread, _: False,
    ),
    Cell(
        "delete their own",
        WRITERS,
        lambda t: [delete_annotation(f"a-own-{t}")],
        lambda t: f"a-own-{t}",
        lambda thread, _: thread is None,
    ),
    Cell(
        "delete someone else's",
        frozenset({"owner", "interviewer"}),
        lambda t: [delete_annotation(f"a-theirs-{t}")],
        lambda t: f"a-theirs-{t}",
        lambda thread, _: thread is None,
    ),
]


def _cast_for_matrix(mode: str, role: str) -> Cast:
    """A cast where, for every cell, a colleague's thread (with a reply) and one of the actor's own exist.

    The actor's own thread is in a layer they may write; an observer's was
    written while they were a reviewer (they were demoted since), so "own"
    means something for them too.
    """
    cast = Cast(mode)
    actor = cast.by_role(role)
    tags = range(len(CELLS))
    seed_ops = [op for t in tags for op in (annotate(f"a-theirs-{t}", "api"), reply(f"a-theirs-{t}", "r-theirs"))]
    seed(cast.board, cast.colleague, *seed_ops)
    if role == "observer":
        set_role(actor, "reviewer")
    layer = OWN_LAYER[actor.participant.role]
    own = [op for t in tags for op in (annotate(f"a-own-{t}", "api", layer=layer), reply(f"a-theirs-{t}", "r-own"))]
    seed(cast.board, actor, *own)
    if role == "observer":
        set_role(actor, "observer")
    return cast


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mode", ["interview", "review"])
async def test_who_may_do_what(connect, mode, role):
    cast = await database_sync_to_async(_cast_for_matrix)(mode, role)
    actor = cast.by_role(role)
    client = await raw(connect, cast.board.id, actor)
    await client.recv_type("welcome")
    failures = []
    for t, cell in enumerate(CELLS):
        before, log_before = await athreads(cast.board), await alog(cast.board)
        batch_id = f"cell-{t}"
        await client.send(batch(batch_id, *cell.ops(str(t))))
        answer = await client.answer(batch_id)
        after, log_after = await athreads(cast.board), await alog(cast.board)
        touched = cell.touched(str(t))
        untouched = {k: v for k, v in after.items() if k != touched} == {
            k: v for k, v in before.items() if k != touched
        }
        if role in cell.allowed:
            stream = "private" if touched.startswith("p-") else "public"
            ok = (
                answer["type"] == "batch"
                and answer["stream"] == stream
                and len(log_after) == len(log_before) + 1
                and cell.check(after.get(touched), actor.id)
                and untouched
            )
        else:
            ok = (answer["type"], answer.get("code")) == ("rejected", "forbidden") and (after, log_after) == (
                before,
                log_before,
            )
        if not ok:
            expected = "allowed" if role in cell.allowed else "forbidden"
            failures.append(f"{cell.name}: expected {expected}, got {answer}")
    assert not failures, f"{role} on a {mode} board:\n" + "\n".join(failures)


# Refusals, one by one.


async def _setup(connect, mode: str = "interview", *roles: str) -> tuple[Cast, dict[str, Any]]:
    cast = await database_sync_to_async(Cast)(mode)
    clients = {}
    for role in roles:
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    return cast, clients


async def _refused(client, cast: Cast, batch_id: str, *ops: dict[str, Any]) -> dict[str, Any]:
    """Send a batch that must be refused; check nothing was stored and return the rejection."""
    before = (await athreads(cast.board), await alog(cast.board))
    await client.send(batch(batch_id, *ops))
    answer = await client.answer(batch_id)
    assert answer["type"] == "rejected", answer
    assert answer["id"] == batch_id and answer["retryable"] is False and answer["message"]
    assert (await athreads(cast.board), await alog(cast.board)) == before, "a refused batch left rows behind"
    return answer


async def _accepted(client, batch_id: str, *ops: dict[str, Any]) -> dict[str, Any]:
    await client.send(batch(batch_id, *ops))
    answer = await client.answer(batch_id)
    assert answer["type"] == "batch", answer
    return answer


async def test_unknown_annotations_replies_and_targets_are_unknown_refs(connect):
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    interviewer, candidate = clients["interviewer"], clients["candidate"]
    await _accepted(interviewer, "i1", annotate("a-1", "api"), reply("a-1", "r-1"))
    cases = [
        (interviewer, [reply("a-ghost", "r-1")], "ops[0].annotation"),
        (interviewer, [set_status("a-ghost", "resolved")], "ops[0].annotation"),
        (interviewer, [edit_text("a-ghost", "x")], "ops[0].annotation"),
        (interviewer, [delete_annotation("a-ghost")], "ops[0].annotation"),
        (interviewer, [edit_text("a-1", "x", reply_id="r-ghost")], "ops[0].reply"),
        (candidate, [reply("a-ghost", "r-1")], "ops[0].annotation"),
        (candidate, [annotate("n-1", "a-ghost", layer="notes")], None),
        (interviewer, [annotate("a-2", "nowhere")], None),
        (interviewer, [delete_annotation("a-1"), reply("a-1", "r-2")], "ops[1].annotation"),
        (candidate, [{"op": "delete", "id": "api"}, annotate("n-2", "api", layer="notes")], None),
    ]
    for k, (client, ops, path) in enumerate(cases):
        answer = await _refused(client, cast, f"bad-{k}", *ops)
        assert answer["code"] == "unknown_ref", (ops, answer)
        if path is not None:
            assert answer["path"] == path, (ops, answer)
    # The one rejected delete of `api` took nothing with it.
    assert await database_sync_to_async(Element.objects.filter(board=cast.board, element_id="api").exists)()


async def test_a_sticky_note_is_not_something_to_annotate(connect):
    cast, clients = await _setup(connect, "interview", "interviewer")
    answer = await _refused(clients["interviewer"], cast, "on-note", annotate("a-1", "sticky"))
    assert answer["code"] == "validation_error"


async def test_a_refused_annotate_points_at_the_annotations_own_field(connect):
    """`path` names the offending field, as for every other refusal: inside `annotation`."""
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    refusals = [
        await _refused(clients["interviewer"], cast, "b1", annotate("a-1", "sticky")),
        await _refused(clients["interviewer"], cast, "b2", annotate("a-1", "nowhere")),
        await _refused(clients["candidate"], cast, "b3", annotate("a-1", "api", layer="challenges")),
    ]
    assert [(r["code"], r["path"]) for r in refusals] == [
        ("validation_error", "ops[0].annotation.target"),
        ("unknown_ref", "ops[0].annotation.target"),
        ("forbidden", "ops[0].annotation.layer"),
    ]


@pytest.mark.parametrize(
    ("ops", "path"),
    [
        ([annotate("a-1", text="x" * 4001)], "ops[0].annotation.text"),
        ([annotate("a-1", text="\u202egnp.exe")], "ops[0].annotation.text"),
        (
            [{"op": "annotate", "annotation": {**annotate("a-1")["annotation"], "prompted": True}}],
            "ops[0].annotation.prompted",
        ),
        (
            [{"op": "annotate", "annotation": {**annotate("a-1")["annotation"], "status": "resolved"}}],
            "ops[0].annotation.status",
        ),
        ([annotate("p-1", layer="challenges")], "ops[0].annotation.id"),
        ([annotate("a-1", layer="private")], "ops[0].annotation.id"),
        ([annotate("a-1"), reply("a-1", "r-1", text=" ")], "ops[1].reply.text"),
        ([add("cache"), set_status("a-1", "open")], "ops[1].status"),
    ],
)
async def test_malformed_annotation_ops_are_validation_errors_and_store_nothing(connect, ops, path):
    cast, clients = await _setup(connect, "interview", "interviewer")
    answer = await _refused(clients["interviewer"], cast, "bad", *ops)
    assert (answer["code"], answer["path"]) == ("validation_error", path)


async def test_an_id_in_use_is_a_duplicate(connect):
    cast, clients = await _setup(connect, "interview", "interviewer", "reviewer")
    await _accepted(clients["interviewer"], "i1", annotate("a-1"), reply("a-1", "r-1"))
    taken = await _refused(clients["reviewer"], cast, "r1", annotate("a-1", "db", kind="security"))
    twice = await _refused(clients["reviewer"], cast, "r2", annotate("a-2"), annotate("a-2", "db"))
    reply_taken = await _refused(clients["reviewer"], cast, "r3", reply("a-1", "r-1"))
    assert [(r["code"], r["path"]) for r in (taken, twice, reply_taken)] == [
        ("duplicate_id", "ops[0].annotation.id"),
        ("duplicate_id", "ops[1].annotation.id"),
        ("duplicate_id", "ops[0].reply.id"),
    ]


@pytest.mark.parametrize(
    "ops",
    [
        [annotate("p-1", layer="private", kind="comment"), annotate("a-1")],
        [annotate("a-1"), annotate("p-1", layer="private", kind="comment")],
        [annotate("p-1", layer="private", kind="comment"), add("cache")],
        [add("cache"), annotate("p-1", "cache", layer="private", kind="comment")],
        [{"op": "update", "id": "api", "props": {"x": 50}}, annotate("p-1", layer="private", kind="comment")],
    ],
    ids=["private+challenge", "challenge+private", "private+canvas", "canvas+private on it", "move+private"],
)
async def test_a_private_op_never_shares_a_batch_with_public_ones(connect, ops):
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    answer = await _refused(clients["interviewer"], cast, "mixed", *ops)
    assert (answer["code"], answer["path"]) == ("validation_error", "ops")
    elements = await database_sync_to_async(
        lambda: {e.element_id: e.data for e in Element.objects.filter(board=cast.board)}
    )()
    assert "cache" not in elements and elements["api"]["x"] == 0
    board = await aboard(cast.board)
    assert (board.seq, board.private_seq) == (1, 0)
    await clients["candidate"].nothing("batch")


async def test_a_component_and_a_note_on_it_travel_in_one_batch(connect):
    cast, clients = await _setup(connect, "interview", "candidate", "interviewer", "observer")
    candidate = clients["candidate"]
    ack = await _accepted(
        candidate,
        "c1",
        add("cache", type="cache", label="Redis"),
        annotate("n-1", "cache", layer="notes", kind="trade_off", text="LRU, 5 min TTL"),
    )
    assert ack["stream"] == "public" and ack["seq"] == 2
    assert [op["op"] for op in ack["ops"]] == ["add", "annotate"]
    stored = ack["ops"][1]["annotation"]
    assert stored["snapshot"] == {
        "kind": "component",
        "type": "cache",
        "label": "Redis",
        "tech": "",
        "replicas": 1,
        "notes": "",
    }
    assert (stored["prompted"], stored["raised_seq"]) == (False, 2)
    for role in ("interviewer", "observer"):
        assert await clients[role].recv_type("batch") == ack
    thread = (await athreads(cast.board))["n-1"]
    assert (thread["author"], thread["target"], thread["kind"]) == (cast.candidate.id, "cache", "trade_off")


async def test_a_deleted_components_annotation_stays_listed_and_still_takes_ops(connect):
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    interviewer, candidate = clients["interviewer"], clients["candidate"]
    await _accepted(interviewer, "i1", annotate("a-1", "api"))
    deleted = await _accepted(candidate, "c1", {"op": "delete", "id": "api"})
    assert [op["id"] for op in deleted["ops"]] == ["api-db", "api"]  # the arrow went with it
    await _accepted(candidate, "c2", reply("a-1", "r-1", text="It was a single point of failure."))
    await _accepted(interviewer, "i2", set_status("a-1", "resolved"), edit_text("a-1", "What happened to the API?"))

    late = await raw(connect, cast.board.id, cast.observer)
    welcome = await late.recv_type("welcome")
    assert "api" not in {e["id"] for e in welcome["elements"]}  # so clients derive: orphaned
    thread = by_id(welcome["annotations"])["a-1"]
    assert (thread["target"], thread["status"], thread["text"]) == ("api", "resolved", "What happened to the API?")
    assert thread["snapshot"]["label"] == "API"
    assert [r["id"] for r in thread["replies"]] == ["r-1"]

    # Undo of the delete: the element returns and the thread is attached again, unchanged.
    await _accepted(candidate, "c3", add("api", label="API"))
    again = await (await raw(connect, cast.board.id, cast.observer)).recv_type("welcome")
    assert "api" in {e["id"] for e in again["elements"]}
    assert by_id(again["annotations"])["a-1"] == thread


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
async def test_a_resent_annotation_batch_is_acknowledged_again_and_applied_once(connect, private):
    cast, clients = await _setup(connect, "interview", "interviewer", "owner", "candidate")
    interviewer = clients["interviewer"]
    ops = [annotate("p-1" if private else "a-1", layer="private" if private else "challenges")]
    first = await _accepted(interviewer, "i1", *ops)
    assert await clients["owner"].recv_type("batch") == first
    if not private:
        assert await clients["candidate"].recv_type("batch") == first
    before = (await athreads(cast.board), await alog(cast.board))

    again = await _accepted(interviewer, "i1", *ops)
    assert again == first
    assert (await athreads(cast.board), await alog(cast.board)) == before
    await clients["owner"].nothing("batch")  # a resend is the sender's business only
    await clients["candidate"].nothing("batch")

    conflict = await _refused(interviewer, cast, "i1", annotate("other", "db"))
    assert conflict["code"] == "batch_conflict"


async def test_an_observer_cannot_send_anything(connect):
    cast, clients = await _setup(connect, "interview", "observer", "interviewer")
    await _accepted(clients["interviewer"], "i1", annotate("a-1"))
    observer = clients["observer"]
    for k, ops in enumerate(
        [
            [annotate("a-2", None, kind="comment")],
            [annotate("n-1", layer="notes")],
            [annotate("p-1", layer="private")],
            [reply("a-1", "r-1")],
            [set_status("a-1", "resolved")],
            [delete_annotation("a-1")],
            [reply("p-ghost", "r-1")],
        ]
    ):
        answer = await _refused(observer, cast, f"o{k}", *ops)
        assert answer["code"] == "forbidden"


async def test_the_candidates_reply_answers_a_challenge_and_stamps_answered_seq(connect):
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    interviewer, candidate = clients["interviewer"], clients["candidate"]
    raised = await _accepted(interviewer, "i1", annotate("a-1"))
    assert raised["ops"][0]["annotation"]["raised_seq"] == raised["seq"] == 2
    await _accepted(interviewer, "i2", reply("a-1", "r-0", text="Think about retries."))
    assert (await athreads(cast.board))["a-1"]["status"] == "open"

    answered = await _accepted(candidate, "c1", reply("a-1", "r-1", text="A queue absorbs the burst."))
    assert answered["ops"] == [
        {
            "op": "reply",
            "annotation": "a-1",
            "reply": {"id": "r-1", "text": "A queue absorbs the burst.", "seq": 4},
            "status": "answered",
        }
    ]
    assert await interviewer.batch_with("c1") == answered
    thread = (await athreads(cast.board))["a-1"]
    assert (thread["status"], thread["answered_seq"]) == ("answered", 4)

    # Resolve, reopen, answer again: answered once more, at the new seq.
    await _accepted(interviewer, "i3", set_status("a-1", "resolved"))
    await _accepted(interviewer, "i4", set_status("a-1", "reopened"))
    assert (await athreads(cast.board))["a-1"]["status"] == "reopened"
    again = await _accepted(candidate, "c2", reply("a-1", "r-2", text="And a DLQ for poison messages."))
    assert again["ops"][0]["status"] == "answered"
    thread = (await athreads(cast.board))["a-1"]
    assert (thread["status"], thread["answered_seq"]) == ("answered", again["seq"])
    # Resolving twice and reopening what is not resolved are refused.
    assert (await _refused(interviewer, cast, "i5", set_status("a-1", "reopened")))["code"] == "validation_error"
    await _accepted(interviewer, "i6", set_status("a-1", "resolved"))
    assert (await _refused(interviewer, cast, "i7", set_status("a-1", "resolved")))["code"] == "validation_error"


async def test_on_a_review_board_the_owner_answers(connect):
    cast, clients = await _setup(connect, "review", "reviewer", "owner")
    await _accepted(clients["reviewer"], "r1", annotate("a-1", "api-db", kind="trade_off"))
    await _accepted(clients["reviewer"], "r2", reply("a-1", "r-0", text="Why sync?"))
    assert (await athreads(cast.board))["a-1"]["status"] == "open"
    answer = await _accepted(clients["owner"], "o1", reply("a-1", "r-1", text="Latency budget."))
    assert answer["ops"][0]["status"] == "answered"
    assert (await athreads(cast.board))["a-1"]["answered_seq"] == answer["seq"]


# What a client builds from the frames must be what the server stores.


async def test_what_each_client_built_from_its_frames_is_what_a_fresh_welcome_and_the_rows_hold(connect):
    cast, clients = await _setup(connect, "interview", *ROLES)
    views = {}
    for role, client in clients.items():
        views[role] = View()
        views[role].join(client.frames[-1])
    interviewer, candidate, reviewer, owner = (clients[r] for r in ("interviewer", "candidate", "reviewer", "owner"))
    script = [
        (interviewer, [annotate("a-1", "api"), annotate("a-2", None, kind="scaling", text="10x traffic?")]),
        (interviewer, [annotate("p-1", "api", layer="private", kind="comment", text="Hint if stuck: queues")]),
        (
            candidate,
            [
                add("q", type="queue", label="Jobs"),
                annotate("n-1", "q", layer="notes", kind="failure_mode", text="Poison messages"),
            ],
        ),
        (candidate, [reply("a-1", "r-1", text="Retry with backoff.")]),
        (candidate, [edit_text("a-1", "Retry with backoff and jitter.", reply_id="r-1")]),
        (owner, [reply("p-1", "r-1", text="Agreed"), set_status("p-1", "resolved")]),
        (reviewer, [annotate("a-3", "api-db", kind="security", text="TLS?")]),
        (reviewer, [set_status("a-3", "resolved")]),
        (interviewer, [edit_text("p-1", "Hint if stuck: a queue")]),
        (interviewer, [set_status("a-1", "resolved"), edit_text("a-2", "100x traffic?")]),
        (candidate, [{"op": "delete", "id": "api"}]),
        (candidate, [delete_annotation("n-1")]),
        (owner, [delete_annotation("a-3")]),
        (interviewer, [annotate("p-2", None, layer="private", kind="comment", text="Strong on storage")]),
    ]
    for k, (client, ops) in enumerate(script):
        await _accepted(client, f"s{k}", *ops)
    board = await aboard(cast.board)
    for role, client in clients.items():
        await client.drain(0.2)
        for frame in client.frames:
            if frame["type"] == "batch":
                views[role].apply(frame)
        participant = cast.by_role(role).participant
        stored = by_id(await database_sync_to_async(annotations_of)(cast.board.id, participant))
        assert views[role].annotations == stored, f"{role}'s live view differs from the rows"
        welcome = await (await raw(connect, cast.board.id, cast.by_role(role))).recv_type("welcome")
        assert by_id(welcome["annotations"]) == stored, f"{role}'s welcome differs from the rows"
        expected_seqs = {"public": board.seq} | (
            {"private": board.private_seq} if role in ("owner", "interviewer") else {}
        )
        assert views[role].seqs == expected_seqs
    assert set(views["candidate"].annotations) == {"a-1", "a-2"}
    assert set(views["interviewer"].annotations) == {"a-1", "a-2", "p-1", "p-2"}


async def test_editing_a_reply_to_the_same_text_still_marks_it_edited(connect):
    """Clients stamp `edited_at` on every stored edit; the rows (and so every later welcome) must agree."""
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    await _accepted(clients["interviewer"], "i1", annotate("a-1"))
    await _accepted(clients["candidate"], "c1", reply("a-1", "r-1", text="Retries."))
    edit = await _accepted(clients["candidate"], "c2", edit_text("a-1", "Retries.", reply_id="r-1"))
    stored = (await athreads(cast.board))["a-1"]["replies"][0]
    assert stored["edited_at"] == edit["at"]


async def test_a_reply_written_and_edited_in_one_batch_is_stored_as_edited(connect):
    """Found by the annotation state machine: the fold marks such a reply edited, the rows did not."""
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    await _accepted(clients["interviewer"], "i1", annotate("a-1"))
    both = await _accepted(
        clients["candidate"], "c1", reply("a-1", "r-1", text="Retries."), edit_text("a-1", "Retries, capped.", "r-1")
    )
    stored = (await athreads(cast.board))["a-1"]["replies"][0]
    assert (stored["text"], stored["edited_at"]) == ("Retries, capped.", both["at"])


async def test_deleting_and_re_raising_an_id_in_one_batch_starts_a_fresh_thread(connect):
    """As every client applies it: the old thread and its replies are gone, the new one has none."""
    cast, clients = await _setup(connect, "interview", "interviewer", "candidate")
    await _accepted(clients["interviewer"], "i1", annotate("a-1", "api"))
    await _accepted(clients["candidate"], "c1", reply("a-1", "r-1"))
    again = await _accepted(
        clients["interviewer"], "i2", delete_annotation("a-1"), annotate("a-1", "db", text="Start over: the DB?")
    )
    thread = (await athreads(cast.board))["a-1"]
    assert (thread["target"], thread["text"], thread["status"]) == ("db", "Start over: the DB?", "open")
    assert thread["replies"] == []
    assert thread["created_at"] == again["at"]


async def test_annotation_batches_move_the_public_seq_and_nothing_else_of_the_canvas(connect):
    cast, clients = await _setup(connect, "interview", "reviewer", "candidate")
    before = await aboard(cast.board)
    ack = await _accepted(clients["reviewer"], "r1", annotate("a-1", "api"))
    after = await aboard(cast.board)
    assert (ack["seq"], after.seq, after.element_count) == (before.seq + 1, before.seq + 1, before.element_count)
    assert (await clients["candidate"].recv_type("batch")) == ack


@pytest.mark.parametrize("role", ["reviewer", "candidate"])
async def test_a_participant_removed_from_the_board_can_no_longer_annotate(connect, role):
    cast, clients = await _setup(connect, "interview", role)
    member: Member = cast.by_role(role)
    gone = Participant.objects.filter(pk=member.participant.pk)
    await database_sync_to_async(gone.update)(revoked_at=timezone.now())
    layer = "notes" if role == "candidate" else "challenges"
    answer = await _refused(clients[role], cast, "late", annotate("a-1", layer=layer))
    assert answer["code"] == "forbidden"


def test_the_matrix_covers_every_role_and_op():
    names = {op["op"] for cell in CELLS for op in cell.ops("0")}
    assert names == {"annotate", "reply", "set_status", "edit_text", "delete_annotation"}
    assert {role for cell in CELLS for role in cell.allowed} == WRITERS
