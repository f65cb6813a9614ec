"""Several clients, random batches and reconnects: everyone ends up with the fold of the log.

A hypothesis state machine drives the real socket stack (auth, consumer, hub,
channel layer, batch service, SQLite) in-process, one board and one event loop
per example. Clients send batches valid and invalid from stale views, retry,
resend used ids, drop their connection with answers unread, edit while offline
and come back with `?since=`. Three layers of checks:

- every answer to a new batch is what the pure ops decide on the whole board
  (the server itself only loads the rows a batch names);
- each `ModelClient` checks every frame as it reads it (order, gaps, acks);
- after a drain, and at the end with everyone reconnected, all clients, the
  fold of the stored log and the materialised elements agree.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Coroutine, Iterable
from typing import Any

import pytest
from channels.layers import channel_layers
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from tests.factories import add, arrow, batch, board_with_owner, member
from tests.whiteboard.sync_client import ModelClient
from whiteboard import roles
from whiteboard.errors import SyncError
from whiteboard.models import Batch, Board, Connection, Element
from whiteboard.ops import ARROW_STYLES, COMPONENT_TYPES, apply_ops, fold, parse_ops
from whiteboard.selectors import head_seq

pytestmark = pytest.mark.django_db(transaction=True)

# Few ids, so batches collide: duplicate adds, arrows to deleted or missing elements.
IDS = tuple(f"e{i}" for i in range(10))

coords = st.integers(-2000, 2000) | st.floats(-1e6, 1e6, allow_nan=False)
# No control or format characters: the server refuses NUL and the bidi overrides (BROKEN has a NUL).
labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs")), max_size=12)
VALUES = {
    "x": coords,
    "y": coords,
    "label": labels,
    "text": labels,
    "replicas": st.integers(1, 1000),
    "style": st.sampled_from(ARROW_STYLES),
}
# What an update may change, by kind; an arrow's new source is drawn apart, from the components.
PROPS = {
    "component": ("x", "y", "label", "replicas"),
    "note": ("x", "y", "text"),
    "arrow": ("label", "style", "source"),
}

# Ops no board can accept, whatever is on it: a batch holding one must never be stored.
# (The batch itself stays a list of ops; everything inside may be wrong.)
BROKEN = [
    {"op": "add", "element": {"id": "e1", "kind": "component", "type": "service", "x": 1e7, "y": 0}},
    {"op": "add", "element": {"id": "e1", "kind": "component", "type": "server", "x": 0, "y": 0}},
    {"op": "add", "element": {"id": "e1", "kind": "component", "type": "cache", "x": "12", "y": 0}},
    {"op": "add", "element": {"id": "e1", "kind": "note", "x": 0, "y": None}},
    {"op": "add", "element": {"id": "e1", "kind": "note", "x": 0, "y": 0, "text": "a\x00b"}},
    {"op": "add", "element": {"id": "e1", "kind": "arrow", "source": "e2", "target": "e2"}},
    {"op": "add", "element": {"id": "e 1", "kind": "note", "x": 0, "y": 0}},
    {"op": "add", "element": {"id": "e1", "kind": "component", "type": "cache", "x": 0, "y": 0, "replicas": 0}},
    {"op": "update", "id": "e1", "props": {"replicas": 1001}},
    {"op": "update", "id": "e1", "props": {"label": "x" * 201}},
    {"op": "update", "id": "e1", "props": {"color": "red"}},
    {"op": "update", "id": "e1", "props": {"kind": "note"}},
    {"op": "update", "id": "e1", "props": {}},
    {"op": "update", "id": "e1", "props": [1]},
    {"op": "move", "id": "e1"},
    {"op": "delete"},
    "delete e1",
]


@st.composite
def batch_ops(draw: st.DrawFn, view: dict[str, dict[str, Any]]) -> list[Any]:
    """Up to 5 ops that make sense on `view`, and in a quarter of batches one more that is wrong.

    `view` is the sending client's state, possibly stale, so even the sensible
    ops are refused when they lose a race (an id added twice, an arrow to a
    component someone deleted). Each op is drawn against the ops before it,
    so a batch may add two components and an arrow between them.
    """
    kinds = {element_id: element["kind"] for element_id, element in view.items()}
    ends = {i: (e["source"], e["target"]) for i, e in view.items() if e["kind"] == "arrow"}
    ops: list[Any] = []
    for _ in range(draw(st.integers(1, 5))):
        free = [i for i in IDS if i not in kinds]
        components = sorted(i for i, kind in kinds.items() if kind == "component")
        choices = ["update", "delete"] if kinds else []
        choices += ["component", "note"] if free else []
        choices += ["arrow"] if free and len(components) >= 2 else []
        if not choices:
            break
        choice = draw(st.sampled_from(choices))
        if choice in ("component", "note", "arrow"):
            element: dict[str, Any] = {"id": draw(st.sampled_from(free)), "kind": choice}
            if choice == "arrow":
                element["source"], element["target"] = draw(st.permutations(components))[:2]
                ends[element["id"]] = (element["source"], element["target"])
            else:
                element.update(x=draw(coords), y=draw(coords))
            if choice == "component":
                element["type"] = draw(st.sampled_from(COMPONENT_TYPES))
            kinds[element["id"]] = choice
            ops.append({"op": "add", "element": element})
        elif choice == "update":
            element_id = draw(st.sampled_from(sorted(kinds)))
            names = draw(st.lists(st.sampled_from(PROPS[kinds[element_id]]), min_size=1, max_size=3, unique=True))
            props = {name: draw(VALUES[name]) for name in names if name != "source"}
            if "source" in names:
                others = [c for c in components if c != ends[element_id][1]]
                if not others:
                    continue
                props["source"] = draw(st.sampled_from(others))
                ends[element_id] = (props["source"], ends[element_id][1])
            ops.append({"op": "update", "id": element_id, "props": props})
        else:
            element_id = draw(st.sampled_from(sorted(kinds)))
            for gone in [element_id, *(a for a, (s, t) in ends.items() if element_id in (s, t))]:
                kinds.pop(gone)
                ends.pop(gone, None)
            ops.append({"op": "delete", "id": element_id})
    if draw(st.integers(1, 4)) == 4:
        ops.insert(draw(st.integers(0, len(ops))), draw(st.sampled_from(BROKEN) | st.sampled_from(_misfits(kinds))))
    return ops


def _misfits(kinds: dict[str, str]) -> list[Any]:
    """Well-formed ops that do not fit the board as the batch left it: wrong ids, wrong kinds."""
    existing = sorted(kinds) or ["e0"]
    missing = [i for i in IDS if i not in kinds] or ["e0"]
    notes = sorted(i for i, kind in kinds.items() if kind == "note") or missing
    components = sorted(i for i, kind in kinds.items() if kind == "component") or missing
    return [
        {"op": "add", "element": {"id": existing[0], "kind": "note", "x": 0, "y": 0}},
        {"op": "add", "element": {"id": missing[0], "kind": "arrow", "source": components[0], "target": missing[-1]}},
        {"op": "add", "element": {"id": missing[0], "kind": "arrow", "source": components[0], "target": notes[0]}},
        {"op": "update", "id": missing[0], "props": {"x": 1}},
        {"op": "update", "id": existing[-1], "props": {"replicas": 2, "text": "both"}},
        {"op": "delete", "id": missing[-1]},
    ]


class BoardMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A loop per example, and a channel layer per loop: the in-memory layer
        # binds its queues to the first loop that uses them.
        channel_layers.backends = {}
        self.loop = asyncio.new_event_loop()
        self.clients: list[ModelClient] = []

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    @initialize(roles=st.lists(st.sampled_from(["interviewer", "candidate", "observer"]), min_size=1, max_size=3))
    def open_board(self, roles: list[str]) -> None:
        self.board, owner = board_with_owner()
        members = [owner, *(member(self.board, role) for role in roles)]
        self.clients = [ModelClient(f"c{i}", who, self.board.id) for i, who in enumerate(members)]
        for client in self.clients:
            self.run(client.connect())

    def online(self) -> list[ModelClient]:
        return [client for client in self.clients if client.connected]

    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        """A batch from anyone, online (sent) or offline (queued), observers included."""
        client = data.draw(st.sampled_from(self.clients), label="client")
        self.submit(client, data.draw(batch_ops(client.view()), label="ops"))

    @rule(data=st.data())
    def burst(self, data: st.DataObject) -> None:
        """Every client makes an edit before anyone has read the others': they collide on ids and references."""
        for client in self.clients:
            self.submit(client, data.draw(batch_ops(client.view()), label=f"ops of {client}"))

    def submit(self, client: ModelClient, raw: list[Any]) -> None:
        """Send (or queue) a batch; the server must decide it as the pure ops do on the whole board.

        The server validates against only the rows a batch names and the
        arrows touching them; this holds that shortcut to the full answer.
        """
        state = fold(Batch.objects.filter(board=self.board).order_by("seq").values_list("ops", flat=True))
        answer = self.run(client.submit(raw))
        if answer is None:
            return
        if not roles.can_edit_canvas(client.role):
            assert (answer["type"], answer.get("code")) == ("rejected", "forbidden"), answer
            return
        try:
            applied = apply_ops(state, len(state), parse_ops(raw))
        except SyncError as error:
            assert (answer["type"], answer.get("code"), answer.get("path")) == ("rejected", error.code, error.path)
        else:
            assert answer["type"] == "batch" and answer["ops"] == applied.ops, f"{raw} applies, yet: {answer}"

    @precondition(lambda self: any(c.acked or c.pending for c in self.online()))
    @rule(data=st.data())
    def resend(self, data: st.DataObject) -> None:
        """Send a used id again: a retry of a batch whose answer is unread, or a repeat of an acked one."""
        client = data.draw(st.sampled_from([c for c in self.online() if c.acked or c.pending]), label="client")
        batch_id = data.draw(st.sampled_from(sorted([*client.acked, *client.pending])), label="batch id")
        # Other ops under an acked id must be refused with batch_conflict.
        conflict = batch_id in client.acked and data.draw(st.booleans(), label="conflict")
        self.run(client.resend(batch_id, conflict=conflict))

    @precondition(lambda self: self.online())
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        """Drop a socket, often with batches sent whose answers were never read."""
        self.run(data.draw(st.sampled_from(self.online()), label="client").disconnect())

    @precondition(lambda self: len(self.online()) < len(self.clients))
    @rule(data=st.data())
    def reconnect(self, data: st.DataObject) -> None:
        """Come back with `?since=` and resend whatever has no answer yet."""
        offline = [client for client in self.clients if not client.connected]
        self.run(data.draw(st.sampled_from(offline), label="client").connect())

    @rule()
    def drain(self) -> None:
        """Everyone online reads everything, then all must agree."""
        self.settle()
        self.check()

    def settle(self) -> None:
        """Read until every connected client has read every answer and every batch in the log."""
        head = head_seq(self.board.id)  # final: every send waits for its answer, so nothing is in flight
        for client in self.online():
            self.run(client.settle())
            self.run(client.catch_up(head))

    def check(self) -> None:
        log = list(Batch.objects.filter(board=self.board).order_by("seq"))
        assert [row.seq for row in log] == list(range(1, len(log) + 1)), "seqs are not 1..N"
        state = fold(row.ops for row in log)  # raises if a stored op does not apply
        elements = list(Element.objects.filter(board=self.board))
        assert {e.element_id: e.data for e in elements} == state, "the Element rows are not the fold of the log"
        for e in elements:
            columns = (e.kind, e.source, e.target)
            assert columns == (e.data["kind"], e.data.get("source", ""), e.data.get("target", "")), e
        board = Board.objects.get(pk=self.board.pk)
        assert (board.seq, board.element_count) == (len(log), len(state))
        # A socket that is gone must not leave its participant online.
        assert Connection.objects.filter(board=self.board).count() == len(self.online()), "stale connection rows"
        dangling = [e for e in state.values() if e["kind"] == "arrow" and not {e["source"], e["target"]} <= set(state)]
        assert not dangling, f"arrows to missing elements: {dangling}"

        senders = {client.participant: client for client in self.clients}
        stored: dict[str, dict[str, int]] = {participant: {} for participant in senders}
        for row in log:
            sender = senders[str(row.participant_id)]
            assert row.client_id in sender.sent, f"{row} stored under an id {sender} never used"
            assert not any(op in BROKEN for op in sender.sent[row.client_id]), f"{row} holds an op no board accepts"
            assert row.client_id not in stored[sender.participant], f"{sender}'s {row.client_id} stored twice"
            stored[sender.participant][row.client_id] = row.seq
        for client in self.online():
            assert client.seq == len(log)
            assert client.elements == state, f"{client} does not hold the fold of the log"
            assert not client.pending, f"{client} still waits for {sorted(client.pending)}"
            assert client.acked == stored[client.participant], f"{client} and the log disagree on its batches"

    def teardown(self) -> None:
        # `sys.exc_info` is set while an error propagates: after a failed step the
        # state is not worth checking, and a second error would hide the first.
        try:
            if self.clients and sys.exc_info()[1] is None:
                self.check_everyone()
        finally:
            with contextlib.suppress(Exception) if sys.exc_info()[1] is not None else contextlib.nullcontext():
                self.run(_together(client.disconnect() for client in self.online()))
            self.run(_cancel_the_rest())
            self.loop.close()

    def check_everyone(self) -> None:
        """Bring everyone back, as each browser eventually would, and check the whole log is accounted for."""
        for client in self.clients:
            if not client.connected:
                self.run(client.connect())
        self.settle()
        self.run(_together(client.quiet() for client in self.clients))
        self.check()
        accepted = sum(len(client.acked) for client in self.clients)
        assert Batch.objects.filter(board=self.board).count() == accepted, "stored batches != accepted batch ids"


async def _together(coroutines: Iterable[Coroutine[Any, Any, None]]) -> None:
    await asyncio.gather(*coroutines)


async def _cancel_the_rest() -> None:
    """End what the server left running (the hub's reader and heartbeat) so the loop closes clean."""
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_every_client_holds_the_fold_of_the_log():
    # 20 to 30 s on two cores. An example costs a few tenths of a second (a
    # board, sockets, a commit per batch), so a failure takes minutes to
    # shrink: shrink one bug, not every distinct one found on the way.
    run_state_machine_as_test(
        BoardMachine,
        settings=settings(max_examples=40, stateful_step_count=40, deadline=None, report_multiple_bugs=False),
    )


async def test_an_arrow_on_the_board_can_be_relabelled(room, connect):
    client = await connect(room.board.id, room.owner)
    await client.recv_type("welcome")
    await client.send(batch("b1", add("api"), add("db"), arrow("a1", "api", "db")))
    await client.recv_type("batch")
    await client.send(batch("b2", {"op": "update", "id": "a1", "props": {"label": "reads"}}))
    answer = await client.recv_type_in({"batch", "rejected"})
    assert answer["type"] == "batch", answer
    assert answer["ops"] == [{"op": "update", "id": "a1", "props": {"label": "reads"}}]
