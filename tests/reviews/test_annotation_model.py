"""Random annotation ops from every role, through the real socket: clients, rows and the log always agree.

A hypothesis state machine drives one board per example with a socket for
each role (owner, interviewer, candidate, reviewer, observer). Each step sends
a batch of annotation ops (many of them wrong: a role that may not, an id in
the wrong layer, a thread that is gone or private, bad text), edits the
canvas under the annotations, or drops a socket and resumes it. The server's
answer must be what the pure rules decide on the fold of the stored log, and
after every step:

- each client's view, built only from its own frames by the protocol's
  client rules (`tests.reviews.view`), equals the rows that role may see;
- `reviews.annotations.fold` of the stored log, both streams, equals the rows;
- nobody but the owner and the interviewer ever received a private frame,
  a private id, a private text or a private key.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import sys
from typing import Any

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from bothsides.asgi import application
from reviews import annotations as A
from reviews.annotation_queries import annotations_by_id, annotations_of
from reviews.models import Annotation
from tests.factories import Member
from tests.reviews.sockets import ROLES, Cast, board_row, log
from tests.reviews.view import View, by_id
from whiteboard import extensions
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Element
from whiteboard.ops import parse_ops

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://127.0.0.1:8000"
TIMEOUT = 5
SECRET = "SECRET"  # every text sent on a private id carries it
ANNOTATION_IDS = ("a-0", "a-1", "n-0", "p-0", "p-1")
REPLY_IDS = ("r-0", "r-1")
TARGETS = ("api", "db", "api-db", "sticky", "gone", None)
TEXTS = ("Why?", "Because.", "Cafe\u0301?", "Same")
BAD_TEXTS = ("", "nul\x00", "bidi\u202e")
# Why a batch from a role that may write may be refused; anything else means the server broke.
REFUSALS = frozenset({"validation_error", "unknown_ref", "forbidden", "duplicate_id", "bad_request"})


def _text(draw: st.DrawFn, annotation_id: str) -> str:
    # Hypothesis favours the smallest values, so the rare case is the largest one.
    text = draw(st.sampled_from(BAD_TEXTS) if draw(st.integers(1, 12)) == 12 else st.sampled_from(TEXTS))
    return f"{SECRET} {text}" if A.is_private(annotation_id) and text else text


@st.composite
def annotation_op(draw: st.DrawFn) -> dict[str, Any]:
    annotation_id = draw(st.sampled_from(ANNOTATION_IDS))
    name = draw(
        st.sampled_from(["annotate", "annotate", "reply", "reply", "set_status", "edit_text", "delete_annotation"])
    )
    if name == "annotate":
        # The right layer for the id most of the time; the wrong one now and then.
        natural = "private" if A.is_private(annotation_id) else draw(st.sampled_from(["challenges", "notes"]))
        layer = natural if draw(st.integers(1, 6)) < 6 else draw(st.sampled_from(A.LAYERS))
        annotation = {
            "id": annotation_id,
            "layer": layer,
            "target": draw(st.sampled_from(TARGETS)),
            "kind": draw(st.sampled_from(A.KINDS)),
            "text": _text(draw, annotation_id),
        }
        return {"op": "annotate", "annotation": annotation}
    if name == "reply":
        reply = {"id": draw(st.sampled_from(REPLY_IDS)), "text": _text(draw, annotation_id)}
        return {"op": "reply", "annotation": annotation_id, "reply": reply}
    if name == "set_status":
        return {
            "op": "set_status",
            "annotation": annotation_id,
            "status": draw(st.sampled_from(["resolved", "reopened"])),
        }
    if name == "edit_text":
        op = {"op": "edit_text", "annotation": annotation_id, "text": _text(draw, annotation_id)}
        if draw(st.booleans()):
            op["reply"] = draw(st.sampled_from(REPLY_IDS))
        return op
    return {"op": "delete_annotation", "annotation": annotation_id}


PUBLIC_IDS = ("a-0", "a-1", "a-2", "n-0", "n-1")
PRIVATE_IDS = ("p-0", "p-1", "p-2")
MORE_REPLY_IDS = ("r-0", "r-1", "r-2")


def sensible_ops(draw: st.DrawFn, role: str, me: str, view: dict[str, Any], elements: list[str]) -> list[Any]:
    """One or two ops that make sense to a client with this view: mostly allowed, often not.

    They are drawn from what the sender can see, as a UI would offer them, so
    threads get created, answered, resolved, reopened, edited and deleted; the
    rules (not the generator) decide which of them the role may actually do.
    """
    writable = [layer for layer, writers in A.LAYER_WRITERS.items() if role in writers] or list(A.LAYERS)
    choices = ["annotate"] * 3
    if view:
        choices += ["reply", "reply", "set_status", "edit_text", "delete_annotation", "recreate"]
    choice = draw(st.sampled_from(choices), label="sensible op")
    if choice == "annotate":
        layer = draw(st.sampled_from(writable), label="layer")
        pool = PRIVATE_IDS if layer == "private" else PUBLIC_IDS
        free = [i for i in pool if i not in view] or list(pool)
        annotation_id = draw(st.sampled_from(free), label="id")
        target = draw(st.sampled_from([*elements, None]), label="target")
        annotation = {"id": annotation_id, "layer": layer, "target": target, "kind": draw(st.sampled_from(A.KINDS))}
        return [{"op": "annotate", "annotation": {**annotation, "text": _text(draw, annotation_id)}}]
    mine = sorted(i for i, thread in view.items() if thread["author"] == me)
    annotation_id = draw(st.sampled_from(mine if mine and draw(st.booleans()) else sorted(view)), label="thread")
    thread = view[annotation_id]
    if choice == "reply":
        taken = {reply["id"] for reply in thread["replies"]}
        reply_id = draw(st.sampled_from([i for i in MORE_REPLY_IDS if i not in taken] or list(MORE_REPLY_IDS)))
        return [
            {"op": "reply", "annotation": annotation_id, "reply": {"id": reply_id, "text": _text(draw, annotation_id)}}
        ]
    if choice == "set_status":
        status = "reopened" if thread["status"] == "resolved" else "resolved"
        return [{"op": "set_status", "annotation": annotation_id, "status": status}]
    if choice == "edit_text":
        op = {"op": "edit_text", "annotation": annotation_id, "text": _text(draw, annotation_id)}
        replies = [reply["id"] for reply in thread["replies"]]
        if replies and draw(st.booleans()):
            op["reply"] = draw(st.sampled_from(replies))
        return [op]
    delete = {"op": "delete_annotation", "annotation": annotation_id}
    if choice == "delete_annotation":
        return [delete]
    # Delete a thread and raise one under the same id in the same batch, as an undo-then-redo might.
    annotation = {"id": annotation_id, "layer": thread["layer"], "target": None, "kind": "comment"}
    return [delete, {"op": "annotate", "annotation": {**annotation, "text": _text(draw, annotation_id)}}]


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


class Socket:
    """One role's browser tab: its socket, and the annotations it built from the frames it read."""

    def __init__(self, member: Member, board_id: Any) -> None:
        self.member = member
        self.role = member.participant.role
        self.reader = self.role in A.PRIVATE_READERS
        self.path = f"/ws/boards/{board_id}/"
        self.ws: WebsocketCommunicator | None = None
        self.view = View()
        self.batches = 0

    def __repr__(self) -> str:
        return self.role

    async def connect(self, resume: bool) -> None:
        """Open the socket, fresh or resuming from the seqs the view has reached, and read the join frame."""
        query = ""
        if resume and self.view.seqs:
            query = f"?since={self.view.seqs['public']}"
            if self.reader:
                query += f"&private_since={self.view.seqs['private']}"
        headers = [(b"authorization", f"Token {self.member.token}".encode()), (b"origin", ORIGIN)]
        self.ws = WebsocketCommunicator(application, self.path + query, headers=headers)
        connected, _ = await self.ws.connect(TIMEOUT)
        assert connected, f"{self} could not connect"
        while True:
            frame = await self._receive()
            if frame["type"] in ("welcome", "catchup"):
                assert resume or frame["type"] == "welcome"
                self.view.join(frame)
                return

    async def disconnect(self) -> None:
        if self.ws is not None:
            await self.ws.disconnect(timeout=TIMEOUT)
            self.ws = None

    async def _receive(self) -> dict[str, Any]:
        assert self.ws is not None
        try:
            text = await self.ws.receive_from(TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"{self} heard nothing for {TIMEOUT}s at {self.view.seqs}") from None
        frame = json.loads(text)
        if not self.reader:
            self._check_outsider_frame(frame, text)
        return frame

    def _check_outsider_frame(self, frame: dict[str, Any], text: str) -> None:
        assert SECRET not in text, f"{self} received a private text: {text}"
        assert frame.get("stream", "public") == "public", f"{self} received a private frame: {text}"
        found = strings(frame)
        assert "private_seq" not in found and "private_batches" not in found, f"{self}: {text}"
        if frame["type"] != "rejected":  # a rejection may name the id this client itself sent
            assert not [s for s in found if s.startswith("p-")], f"{self} received a private id: {text}"

    async def read(self) -> dict[str, Any]:
        """The next frame; batches are applied to the view as they are read."""
        frame = await self._receive()
        if frame["type"] == "batch":
            self.view.apply(frame)
        elif frame["type"] in ("welcome", "catchup"):
            raise AssertionError(f"{self} got a second join frame: {frame}")
        return frame

    async def send(self, ops: list[Any]) -> dict[str, Any]:
        """Send a batch and read until its answer: our own batch (the ack) or a rejection."""
        self.batches += 1
        batch_id = f"{self.role}-{self.batches}"
        assert self.ws is not None
        await self.ws.send_json_to({"type": "batch", "id": batch_id, "ops": ops})
        while True:
            frame = await self.read()
            if frame["type"] == "rejected" and frame["id"] == batch_id:
                return frame
            if frame["type"] == "batch" and frame["id"] == batch_id and frame["participant"] == self.member.id:
                return frame

    async def catch_up(self, public: int, private: int) -> None:
        while self.view.seqs["public"] < public or (self.reader and self.view.seqs["private"] < private):
            await self.read()


class AnnotationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        channel_layers.backends = {}  # the in-memory layer binds to the loop that first uses it
        self.loop = asyncio.new_event_loop()
        self.sockets: dict[str, Socket] = {}

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    @initialize(mode=st.sampled_from(["interview", "review"]))
    def open_board(self, mode: str) -> None:
        self.cast = Cast(mode)
        self.board = self.cast.board
        self.sockets = {role: Socket(self.cast.by_role(role), self.board.id) for role in ROLES}
        for socket in self.sockets.values():
            self.run(socket.connect(resume=False))

    # Steps.

    def act(self, role: str, data: st.DataObject) -> None:
        """What a UI would offer this role on what it sees, now and then with a random op beside it."""
        socket = self.sockets[role]
        elements = sorted(e.element_id for e in Element.objects.filter(board=self.board) if e.kind != "note")
        ops = sensible_ops(data.draw, role, socket.member.id, socket.view.annotations, elements)
        if data.draw(st.integers(1, 5), label="add a random op") == 5:
            ops.insert(data.draw(st.integers(0, len(ops))), data.draw(annotation_op(), label="random op"))
        self.send_and_check(socket, ops)

    # Three rules for the same step, so most steps are ones a UI would send.
    act_1 = rule(role=st.sampled_from(ROLES), data=st.data())(act)
    act_2 = rule(role=st.sampled_from(ROLES), data=st.data())(act)
    act_3 = rule(role=st.sampled_from(ROLES), data=st.data())(act)

    @rule(role=st.sampled_from(ROLES), ops=st.lists(annotation_op(), min_size=1, max_size=2))
    def annotate(self, role: str, ops: list[dict[str, Any]]) -> None:
        """Random annotation ops from anyone, mostly wrong in some way."""
        self.send_and_check(self.sockets[role], ops)

    def send_and_check(self, socket: Socket, ops: list[dict[str, Any]]) -> None:
        """The answer must be what the pure rules decide on the fold of the stored log."""
        role = socket.role
        expected = self.decide(socket, ops)
        answer = self.run(socket.send(ops))
        if isinstance(expected, SyncError):
            got = (answer["type"], answer.get("code"), answer.get("path"))
            assert got == ("rejected", expected.code, expected.path), f"{role} {ops}: expected {expected.code}"
        else:
            assert answer["type"] == "batch", f"{role} {ops} should apply, yet: {answer}"
            assert (answer["stream"], answer["ops"]) == ("private" if expected.private else "public", expected.ops)

    def decide(self, socket: Socket, ops: list[dict[str, Any]]) -> A.Applied | SyncError:
        if socket.role == "observer":
            return SyncError(ErrorCode.FORBIDDEN, "An observer can watch the board but not change it.")
        board = board_row(self.board)
        try:
            parsed = parse_ops(copy.deepcopy(ops), extensions.parsers())
            ids = A.referenced_ids(parsed)
            seq = board.seq if any(A.is_private(i) for i in ids) else board.seq + 1
            elements = {e.element_id: e.data for e in Element.objects.filter(board=self.board)}
            actor = A.Actor(participant=socket.member.id, role=socket.role, mode=board.mode)
            return A.apply_ops(self.folded(), actor, list(enumerate(parsed)), elements.get, seq)
        except SyncError as error:
            return error

    def folded(self) -> dict[str, A.Annotation]:
        """The threads the stored log folds to; the two streams never touch the same thread."""
        return A.fold(log(self.board, "public") + log(self.board, "private"))

    @rule(role=st.sampled_from(["owner", "interviewer", "candidate"]), data=st.data())
    def edit_canvas(self, role: str, data: st.DataObject) -> None:
        """Move, relabel, delete or bring back `api`, under the annotations that target it."""
        elements = {e.element_id for e in Element.objects.filter(board=self.board)}
        if "api" in elements:
            op = data.draw(
                st.sampled_from(
                    [
                        {"op": "delete", "id": "api"},
                        {"op": "update", "id": "api", "props": {"x": 99}},
                        {"op": "update", "id": "api", "props": {"label": "Gateway"}},
                    ]
                ),
                label="canvas op",
            )
        else:
            label = data.draw(st.sampled_from(["API", "Gateway"]), label="label")
            element = {"id": "api", "kind": "component", "type": "service", "label": label, "x": 0, "y": 0}
            op = {"op": "add", "element": element}
        answer = self.run(self.sockets[role].send([op]))
        assert answer["type"] == "batch", answer

    @rule(
        role=st.sampled_from(["owner", "interviewer", "candidate"]),
        ops=st.lists(annotation_op(), min_size=1, max_size=2),
    )
    def mixed(self, role: str, ops: list[dict[str, Any]]) -> None:
        """A canvas op riding with annotation ops: fine when public, refused whole when private."""
        element = {"id": "cache", "kind": "component", "type": "cache", "x": 0, "y": 0}
        exists = Element.objects.filter(board=self.board, element_id="cache").exists()
        canvas = {"op": "delete", "id": "cache"} if exists else {"op": "add", "element": element}
        answer = self.run(self.sockets[role].send([canvas, *ops]))
        if answer["type"] == "rejected":
            assert answer["code"] in REFUSALS, answer
        else:
            assert answer["stream"] == "public" and not any(
                A.is_private(i) for i in A.referenced_ids(answer["ops"][1:])
            )

    @rule(role=st.sampled_from(ROLES), resume=st.booleans())
    def reconnect(self, role: str, resume: bool) -> None:
        """Drop a socket, let the others move on a little, and come back resuming or fresh."""
        socket = self.sockets[role]
        self.run(socket.disconnect())
        self.run(socket.connect(resume=resume))

    # After every step.

    @invariant()
    def everyone_agrees(self) -> None:
        if not self.sockets:
            return
        board = board_row(self.board)
        for socket in self.sockets.values():
            self.run(socket.catch_up(board.seq, board.private_seq))
        every_id = set(Annotation.objects.filter(board=self.board).values_list("annotation_id", flat=True))
        stored = annotations_by_id(self.board.id, every_id)
        folded = self.folded()
        assert folded == stored, f"the fold of the log is not what the rows hold: {differences(folded, stored)}"
        for role, socket in self.sockets.items():
            rows = by_id(annotations_of(self.board.id, socket.member.participant))
            view = socket.view.annotations
            assert view == rows, f"{role}'s view is not the rows it may see: {differences(view, rows)}"
            assert set(rows) == {i for i in stored if A.can_read(role, i)}

    def teardown(self) -> None:
        try:
            if self.sockets and sys.exc_info()[1] is None:
                self.run(_settled(self.sockets.values()))
        finally:
            with contextlib.suppress(Exception):
                self.run(_disconnect_all(list(self.sockets.values())))
            self.run(_cancel_the_rest())
            self.loop.close()


def differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """What differs between two sets of threads, field by field: short enough to read in a failure."""
    found = [f"{i}: only on the left" for i in sorted(set(left) - set(right))]
    found += [f"{i}: only on the right" for i in sorted(set(right) - set(left))]
    for i in sorted(set(left) & set(right)):
        for key in sorted(set(left[i]) | set(right[i])):
            if left[i].get(key, "<missing>") != right[i].get(key, "<missing>"):
                found.append(f"{i}.{key}: {left[i].get(key, '<missing>')!r} != {right[i].get(key, '<missing>')!r}")
    return found


async def _settled(sockets: Any) -> None:
    """Once everyone has caught up, nothing but chatter may still arrive."""
    for socket in sockets:
        assert socket.ws is not None
        while not await socket.ws.receive_nothing(0.02):
            frame = await socket.read()
            assert frame["type"] in {"joined", "left", "presence", "head"}, f"{socket} got {frame} after catching up"


async def _disconnect_all(sockets: list[Socket]) -> None:
    await asyncio.gather(*(socket.disconnect() for socket in sockets))


async def _cancel_the_rest() -> None:
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_every_role_sees_exactly_the_rows_it_may_and_the_log_folds_to_them():
    # About 20 s when it passes: each step is a commit and five sockets reading it. Shrinking
    # a failure costs minutes, so it is skipped: a failure prints its (at most 40) steps as run.
    run_state_machine_as_test(
        AnnotationMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=40,
            deadline=None,
            report_multiple_bugs=False,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        ),
    )
