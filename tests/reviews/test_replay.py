"""Replay: the state at any seq is exactly what the live board was right after that batch.

Random interview sessions are generated in pure code by `Live`, which decides
every batch with the same `apply_ops` functions `batch_submit` calls (the
write path) and records the board after each one. `replay.state_at` gets
there by a different road, the folds of the stored log, so comparing the two
at every seq is a stronger check than comparing `state_at` with a fold of
the first S batches (which is how it is computed). The same sessions then go
through the real `batch_submit`: `state_for` must give the same answers from
the database at every seq, equal the materialised rows at the head, and never
show a candidate the private layer.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import annotations, interview, replay
from reviews.annotation_queries import annotations_by_id
from reviews.interview_queries import entries_by_id, session_dict, session_of
from reviews.replay_queries import state_for, timeline_for
from tests.factories import add, arrow, board_with_owner, member
from tests.reviews.factories import annotate, reply, set_status
from whiteboard import ops, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.selectors import elements_of
from whiteboard.services.batches import batch_submit

START = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PARSERS = dict.fromkeys(annotations.NAMES, annotations.parse_op) | dict.fromkeys(interview.NAMES, interview.parse_op)
DERIVED = ("orphaned", "outdated")


@dataclasses.dataclass(frozen=True)
class Person:
    id: str
    role: str


PEOPLE = (Person("own", "owner"), Person("int", "interviewer"), Person("cand", "candidate"))


@dataclasses.dataclass
class Snapshot:
    elements: dict[str, Any]
    threads: dict[str, Any]
    session: interview.Session
    entries: dict[str, Any]


@dataclasses.dataclass
class Committed:
    who: Person
    raw: list[dict[str, Any]]
    stream: str
    batch: dict[str, Any]


class Live:
    """The server's decisions in pure code, over the whole board: batch_submit's checks and apply_ops calls.

    `snapshots[S]` is the board once public seq S was the head and before
    S + 1 arrived, so it includes the private batches made against S.
    """

    def __init__(self) -> None:
        self.elements: dict[str, Any] = {}
        self.threads: dict[str, Any] = {}
        self.session = interview.Session()
        self.entries: dict[str, Any] = {}
        self.public: list[dict[str, Any]] = []
        self.private: list[dict[str, Any]] = []
        self.log: list[Committed] = []
        self.snapshots = {0: self._snapshot()}

    @property
    def head(self) -> int:
        return len(self.public)

    def _snapshot(self) -> Snapshot:
        return Snapshot(*copy.deepcopy((self.elements, self.threads, self.session, self.entries)))

    def submit(self, who: Person, raw: list[dict[str, Any]], at: datetime) -> bool:
        """Store the batch if the server would; False (and no change) if it would refuse it."""
        try:
            self._commit(who, raw, at)
        except SyncError:
            return False
        self.snapshots[self.head] = self._snapshot()
        return True

    def _check_role(self, who: Person, canvas: bool) -> None:
        closed = self.session.status == "ended" and not roles.can_write_closed(who.role)
        if not roles.can_write(who.role) or (canvas and not roles.can_edit_canvas(who.role)) or closed:
            raise SyncError(ErrorCode.FORBIDDEN, "refused")

    def _commit(self, who: Person, raw: list[dict[str, Any]], at: datetime) -> None:
        parsed = ops.parse_ops(raw, PARSERS)
        canvas = any(op["op"] in ops.CANVAS_OPS for op in parsed)
        self._check_role(who, canvas)
        applied = ops.apply_ops(self.elements, len(self.elements), parsed)
        notes = [(i, op) for i, op in enumerate(parsed) if op["op"] in annotations.NAMES]
        clock = [(i, op) for i, op in enumerate(parsed) if op["op"] in interview.NAMES]
        private = any(annotations.is_private(i) for i in annotations.referenced_ids(op for _, op in notes))
        if private and (canvas or clock):
            raise SyncError(ErrorCode.VALIDATION_ERROR, "mixed")
        element = _after(applied, self.elements)
        seq = self.head + 1
        note_actor = annotations.Actor(participant=who.id, role=who.role, mode="interview")
        noted = annotations.apply_ops(self.threads, note_actor, notes, element, self.head if private else seq)
        clock_actor = interview.Actor(participant=who.id, role=who.role, mode="interview")
        timed = interview.apply_ops(self.session, self.entries, clock_actor, clock, element, at=at, seq=seq)
        # batch_submit stores each op kind's ops grouped, kinds in order of first appearance.
        groups = sorted([(notes, noted.ops), (clock, timed.ops)], key=lambda group: group[0][0][0] if group[0] else 0)
        stored = applied.ops + [op for _, kind_ops in groups for op in kind_ops]
        self._record(who, raw, private, {"participant": who.id, "ops": stored, "at": at})
        self._adopt(applied, noted, timed)

    def _record(self, who: Person, raw: list[dict[str, Any]], private: bool, batch: dict[str, Any]) -> None:
        stream = self.private if private else self.public
        stream.append({"seq": len(stream) + 1, **batch})
        self.log.append(Committed(who, raw, "private" if private else "public", stream[-1]))

    def _adopt(self, applied: ops.Applied, noted: annotations.Applied, timed: interview.Applied) -> None:
        for gone in applied.deleted:
            del self.elements[gone]
        self.elements.update(applied.changed)
        # A thread raised in this batch is a new thread, even over an id deleted earlier in the batch
        # (reviews.annotation_services writes it afresh): it goes last, in the order raised.
        raised = {op["annotation"]["id"]: k for k, op in enumerate(noted.ops) if op["op"] == "annotate"}
        for gone in [*noted.deleted, *raised]:
            self.threads.pop(gone, None)
        self.threads.update(sorted(noted.changed.items(), key=lambda item: raised.get(item[0], -1)))
        self.session = timed.session
        self.entries.update(timed.changed)


def _after(applied: ops.Applied, elements: dict[str, Any]) -> Any:
    """The board after a batch's canvas ops, as batch_submit shows it to the other op kinds."""

    def element(element_id: str) -> dict[str, Any] | None:
        if element_id in applied.changed:
            return applied.changed[element_id]
        return None if element_id in applied.deleted else elements.get(element_id)

    return element


# Few ids, so ops collide with each other and with deletions, and a note may take a deleted component's
# id (orphaning the threads on it); refused batches are simply not stored.
COMPONENTS, ARROWS, NOTES = ("c0", "c1", "c2", "c3", "c4"), ("a0", "a1", "a2"), ("n0", "n1")
THREADS, PRIVATE, REPLIES, ENTRIES = ("t0", "t1", "t2", "t3"), ("p-0", "p-1"), ("r0", "r1", "r2"), ("e0", "e1", "e2")
TEXT = st.sampled_from(["Why?", "Cache it.", "What about hot keys?", "Shard by user id"])
GAPS = st.sampled_from([0.001, 0.4, 3, 31, 600]).map(lambda seconds: timedelta(seconds=seconds))


@st.composite
def canvas_op(draw: st.DrawFn, live: Live) -> dict[str, Any]:
    elements = live.elements
    components = sorted(i for i, e in elements.items() if e["kind"] == "component")
    kinds = [
        "component",
        "note",
        *(["arrow"] if len(components) >= 2 else []),
        *(["update", "delete"] * bool(elements)),
    ]
    kind = draw(st.sampled_from(kinds))
    if kind == "component":
        return add(draw(st.sampled_from(COMPONENTS)), x=draw(st.integers(-99, 99)), label=draw(TEXT))
    if kind == "note":
        return add(draw(st.sampled_from(NOTES + COMPONENTS[:1])), "note", text=draw(TEXT))
    if kind == "arrow":
        source, target = draw(st.permutations(components))[:2]
        return arrow(draw(st.sampled_from(ARROWS)), source, target)
    target = draw(st.sampled_from(sorted(elements)))
    if kind == "delete":
        return {"op": "delete", "id": target}
    changes = {"component": ("label", "x", "replicas"), "note": ("text", "y"), "arrow": ("label", "style")}
    name = draw(st.sampled_from(changes[elements[target]["kind"]]))
    values = {"label": TEXT, "text": TEXT, "x": st.integers(-99, 99), "y": st.integers(-99, 99)}
    values |= {"replicas": st.integers(1, 5), "style": st.sampled_from(ops.ARROW_STYLES)}
    return {"op": "update", "id": target, "props": {name: draw(values[name])}}


@st.composite
def annotation_op(draw: st.DrawFn, live: Live, who: Person, private: bool) -> dict[str, Any]:
    threads = sorted(i for i in live.threads if annotations.is_private(i) == private)
    name = draw(
        st.sampled_from(["annotate", *(["reply", "set_status", "edit_text", "delete_annotation"] * bool(threads))])
    )
    if name == "annotate":
        layers = (
            ["private"] if private else [n for n in ("challenges", "notes") if who.role in annotations.LAYER_WRITERS[n]]
        )
        targets = [None, *sorted(i for i, e in live.elements.items() if e["kind"] != "note")]
        return annotate(
            draw(st.sampled_from(PRIVATE if private else THREADS)),
            draw(st.sampled_from(targets)),
            layer=draw(st.sampled_from(layers)),
            kind=draw(st.sampled_from(annotations.KINDS)),
            text=draw(TEXT),
        )
    thread = draw(st.sampled_from(threads))
    if name == "reply":
        return reply(thread, draw(st.sampled_from(REPLIES)), draw(TEXT))
    if name == "set_status":
        return set_status(thread, draw(st.sampled_from(["resolved", "reopened"])))
    if name == "edit_text":
        replies = [r["id"] for r in live.threads[thread]["replies"]]
        edited = {"op": "edit_text", "annotation": thread, "text": draw(TEXT)}
        return edited | ({"reply": draw(st.sampled_from(replies))} if replies and draw(st.booleans()) else {})
    return {"op": "delete_annotation", "annotation": thread}


@st.composite
def ledger_op(draw: st.DrawFn, live: Live, who: Person) -> dict[str, Any]:
    entries, elements = sorted(live.entries), sorted(live.elements)
    names = ["requirement", *(["answer_requirement", "link_requirement"] * bool(entries))]
    names += ["session", "session", "phase"] if who.role in interview.CLOCK_KEEPERS else []
    name = draw(st.sampled_from(names))
    links = st.lists(st.sampled_from(elements), max_size=2, unique=True) if elements else st.just([])
    if name == "session":
        return {"op": "session", "action": draw(st.sampled_from(interview.ACTIONS))}
    if name == "phase":
        return {"op": "phase", "phase": draw(st.sampled_from(interview.PHASES))}
    if name == "requirement":
        kind = draw(st.sampled_from(interview.ENTRY_KINDS))
        entry = {"id": draw(st.sampled_from(ENTRIES)), "kind": kind, "text": draw(TEXT), "links": draw(links)}
        return {"op": "requirement", "entry": entry}
    entry_id = draw(st.sampled_from(entries))
    if name == "answer_requirement":
        return {"op": "answer_requirement", "entry": entry_id, "text": draw(TEXT)}
    return {"op": "link_requirement", "entry": entry_id, "links": draw(links)}


@st.composite
def raw_batch(draw: st.DrawFn, live: Live, who: Person) -> list[dict[str, Any]]:
    """1 to 3 ops this person might send; a private-layer batch is one op of its own, as it must be."""
    if who.role in annotations.PRIVATE_READERS and draw(st.integers(0, 4)) == 0:
        return [draw(annotation_op(live, who, private=True))]
    makers = [annotation_op(live, who, private=False), ledger_op(live, who)]
    makers += [canvas_op(live)] * roles.can_edit_canvas(who.role)
    return draw(st.lists(st.one_of(makers), min_size=1, max_size=3))


@st.composite
def sessions(draw: st.DrawFn, people: Sequence[Person], most: int = 25) -> Live:
    live, at = Live(), START
    for _ in range(draw(st.integers(1, most))):
        who = draw(st.sampled_from(people))
        at += draw(GAPS)
        live.submit(who, draw(raw_batch(live, who)), at)
    return live


def session_view(session: interview.Session) -> dict[str, Any]:
    """The session as `state_at` reports it, written out by hand."""
    return {
        "status": session.status,
        "minutes": session.minutes,
        "elapsed": session.elapsed,
        "running_since": replay.iso(session.running_since),
        "phase": session.phase,
        "phases": [{**p, "at": replay.iso(p["at"])} for p in session.phases],
        "started_at": replay.iso(session.started_at),
        "ended_at": replay.iso(session.ended_at),
    }


def without_derived(threads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in thread.items() if k not in DERIVED} for thread in threads]


def visible(threads: dict[str, Any], private: bool) -> list[dict[str, Any]]:
    return [thread for i, thread in threads.items() if private or not annotations.is_private(i)]


def assert_is_snapshot(state: dict[str, Any], snapshot: Snapshot, *, private: bool, times: bool = True) -> None:
    """`state` shows the board of `snapshot`, in the same order; `times=False` skips the clock's timestamps."""
    assert state["elements"] == list(snapshot.elements.values())
    assert without_derived(state["annotations"]) == visible(snapshot.threads, private)
    for thread in state["annotations"]:
        target = snapshot.elements.get(thread["target"]) if thread["target"] is not None else {"kind": "board"}
        assert thread["orphaned"] == (target is None or target["kind"] == "note")  # gone, or its id now a note
    assert state["requirements"] == list(snapshot.entries.values())
    expected = session_view(snapshot.session)
    if not times:
        keys = ("status", "minutes", "phase")
        assert {k: state["session"][k] for k in keys} == {k: expected[k] for k in keys}
        return
    assert {k: v for k, v in state["session"].items() if k != "now"} == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(PEOPLE))
def test_the_state_at_any_seq_is_the_live_board_right_after_that_batch(live: Live) -> None:
    for seq, private, chunk in itertools.product(range(live.head + 1), (True, False), (1, 3, replay.CHUNK)):
        with mock.patch.object(replay, "CHUNK", chunk):
            state = replay.state_at(iter(live.public), live.private if private else [], seq)
        assert state["seq"] == seq
        assert state["at"] == (replay.iso(live.public[seq - 1]["at"]) if seq else None)
        assert state["session"]["now"] == state["at"]
        assert_is_snapshot(state, live.snapshots[seq], private=private)


def test_a_private_batch_belongs_to_the_public_seq_that_was_the_head_when_it_was_made() -> None:
    live, interviewer, candidate = Live(), PEOPLE[1], PEOPLE[2]
    at = iter(START + timedelta(seconds=s) for s in range(10))
    assert live.submit(interviewer, [annotate("p-0", None, layer="private", kind="comment")], next(at))
    assert live.submit(candidate, [add("api")], next(at))
    assert live.submit(interviewer, [annotate("p-1", "api", layer="private", kind="comment")], next(at))
    assert live.submit(candidate, [add("db")], next(at))
    assert live.submit(interviewer, [annotate("p-2", "db", layer="private", kind="comment")], next(at))

    def private_ids(seq: int) -> list[str]:
        return [a["id"] for a in replay.state_at(live.public, live.private, seq)["annotations"]]

    assert [private_ids(seq) for seq in (0, 1, 2)] == [["p-0"], ["p-0", "p-1"], ["p-0", "p-1", "p-2"]]
    assert replay.state_at(live.public, [], 2)["annotations"] == []


def test_timeline_marks_session_phases_challenges_questions_and_answers_and_finds_idle_gaps() -> None:
    live, owner, interviewer, candidate = Live(), *PEOPLE
    steps = [
        (0, interviewer, [{"op": "session", "action": "start"}]),
        (5, candidate, [add("api"), add("db"), arrow("a", "api", "db")]),
        (9, candidate, [{"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}}]),
        (12, candidate, [{"op": "requirement", "entry": {"id": "s1", "kind": "assumption", "text": "Reads win."}}]),
        (15, interviewer, [{"op": "answer_requirement", "entry": "q1", "text": "About 10M a day."}]),
        (20, interviewer, [annotate("c1", "api", text="What if the API node dies?")]),
        (21, interviewer, [annotate("p-1", None, layer="private", kind="comment", text="Slow start.")]),
        (25, interviewer, [reply("c1", "r0", "Take your time.")]),
        (30, candidate, [reply("c1", "r1", "A second node behind the balancer.")]),
        (31, candidate, [reply("c1", "r2", "And health checks.")]),
        (100, interviewer, [{"op": "phase", "phase": "deep_dive"}, set_status("c1", "resolved")]),
        (101, interviewer, [set_status("c1", "reopened")]),
        (102, candidate, [reply("c1", "r3", "x" * 100)]),
        (103, owner, [{"op": "session", "action": "end"}]),
    ]
    for seconds, who, raw in steps:
        assert live.submit(who, raw, START + timedelta(seconds=seconds)), raw

    def at(seconds: int) -> str | None:
        return replay.iso(START + timedelta(seconds=seconds))

    assert replay.timeline(live.public) == [
        {"seq": 1, "at": at(0), "type": "session", "label": "Session started"},
        {"seq": 3, "at": at(9), "type": "question", "label": "How many users?", "id": "q1"},
        {"seq": 5, "at": at(15), "type": "answer", "label": "About 10M a day.", "id": "q1"},
        {"seq": 6, "at": at(20), "type": "challenge", "label": "What if the API node dies?", "id": "c1"},
        {"seq": 8, "at": at(30), "type": "answer", "label": "A second node behind the balancer.", "id": "c1"},
        {"seq": 10, "at": at(100), "type": "phase", "label": "Deep dive"},
        {"seq": 12, "at": at(102), "type": "answer", "label": "x" * 79 + "…", "id": "c1"},
        {"seq": 13, "at": at(103), "type": "session", "label": "Session ended"},
    ]
    assert replay.idle_gaps(live.public) == [{"after_seq": 9, "start": at(31), "end": at(100), "seconds": 69.0}]


# The database: the same sessions through the real batch_submit, read back by state_for.


def play(live: Live, people: dict[str, Any]) -> None:
    """Submit every batch `live` stored, as the member it came from; the server must store exactly the same."""
    for k, committed in enumerate(live.log):
        participant = people[committed.who.role].participant
        done = batch_submit(
            board_id=participant.board_id, participant_id=participant.id, batch_id=f"b{k}", raw_ops=committed.raw
        )
        assert (done.stream, done.seq, done.message["ops"]) == (
            committed.stream,
            committed.batch["seq"],
            committed.batch["ops"],
        )


@pytest.mark.storage
@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_state_for_reads_the_same_states_from_the_database_and_the_head_is_the_live_board(data: st.DataObject) -> None:
    board, owner = board_with_owner()
    people = {"owner": owner, "interviewer": member(board, "interviewer"), "candidate": member(board, "candidate")}
    who = [Person(m.id, role) for role, m in people.items()]
    live = data.draw(sessions(who, most=15), label="session")
    play(live, people)
    interviewer, candidate = people["interviewer"].participant, people["candidate"].participant
    for seq in range(live.head + 1):
        with mock.patch.object(replay, "CHUNK", 2):  # the log is read and folded in chunks: cross their edges
            assert_is_snapshot(state_for(board.id, interviewer, seq), live.snapshots[seq], private=True, times=False)
            assert_is_snapshot(state_for(board.id, candidate, seq), live.snapshots[seq], private=False, times=False)
    head = state_for(board.id, interviewer, live.head)
    assert head["elements"] == elements_of(board.id)
    # By id: threads raised in one batch share a created_at, and the rows' tie-break (insertion) is not the log's.
    threads = {thread["id"]: thread for thread in without_derived(head["annotations"])}
    assert threads == annotations_by_id(board.id, set(threads))
    assert head["requirements"] == list(entries_by_id(board.id, set(live.entries)).values())
    assert {k: v for k, v in head["session"].items() if k != "now"} == session_dict(session_of(board.id))
    seen = state_for(board.id, candidate, live.head)["annotations"]
    assert seen == [thread for thread in head["annotations"] if not annotations.is_private(thread["id"])]


@pytest.mark.django_db
@pytest.mark.parametrize("seq", [-1, 2, True, "1"])
def test_a_seq_outside_the_log_is_a_validation_error_on_at(seq: Any) -> None:
    board, owner = board_with_owner()
    batch_submit(board_id=board.id, participant_id=owner.participant.id, batch_id="b1", raw_ops=[add("api")])
    with pytest.raises(SyncError) as refused:
        state_for(board.id, owner.participant, seq)
    assert (refused.value.code, refused.value.path) == (ErrorCode.VALIDATION_ERROR, "at")


@pytest.mark.django_db
def test_the_timeline_is_the_public_stream_only() -> None:
    board, _owner = board_with_owner()
    interviewer = member(board, "interviewer").participant
    for k, raw in enumerate(
        [
            [{"op": "session", "action": "start"}, add("api")],
            [annotate("p-1", None, layer="private", kind="comment", text="Hint given.")],
            [annotate("c1", "api")],
        ]
    ):
        batch_submit(board_id=board.id, participant_id=interviewer.id, batch_id=f"b{k}", raw_ops=raw)
    timeline = timeline_for(board.id)
    assert (timeline["seq"], timeline["gaps"]) == (2, [])
    assert [(m["seq"], m["type"], m.get("id")) for m in timeline["markers"]] == [
        (1, "session", None),
        (2, "challenge", "c1"),
    ]
    assert timeline["start"] == timeline["markers"][0]["at"] and timeline["end"] == timeline["markers"][1]["at"]
