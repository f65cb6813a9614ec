"""A model of a board client that drives the real socket and checks every frame it reads.

It keeps what a browser tab keeps: the last seq it has seen, the elements, and
the batches it has sent (or queued while offline) with no answer read yet. On
every frame it asserts what the protocol promises: the join frame comes first
and once, batches arrive in seq order without gaps, each batch id is
acknowledged with one seq for ever, a resend gets the original back and
nobody else hears of it, and a refusal carries a code that fits the role.

Each send waits until the server has answered it, but leaves the answer
unread among the frames the client has not looked at yet (`inbox`), as if
still in the socket's buffer. The server thus decides batches one at a time
in the order they were sent, which keeps every run of a hypothesis example
the same, while the client still acts on a stale view and can drop its
connection with answers it never read.

Stored ops are applied blindly, the way a browser applies what the server
says, and not through `whiteboard.ops.fold`: comparing the two then checks
the server's log and its fan-out, not the same code against itself.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from channels.testing import WebsocketCommunicator

from bothsides.asgi import application
from tests.factories import Member
from whiteboard import roles
from whiteboard.errors import SyncError
from whiteboard.ops import fold, parse_ops

ORIGIN = b"http://127.0.0.1:8000"
TIMEOUT = 5  # seconds for any single reply; generous because SQLite fsyncs every batch
# Frames about people rather than the canvas; the model has nothing to check in them.
CHATTER = frozenset({"joined", "left", "presence", "preview", "head"})
# Why an editor's batch may be refused. Anything else (db_unavailable, too_large, ...)
# means the server broke, not that the random batch was wrong.
EDITOR_REFUSALS = frozenset(
    {"validation_error", "unknown_ref", "duplicate_id", "unknown_op", "bad_request", "batch_conflict", "rate_limited"}
)

Ops = list[Any]


def apply_stored(elements: dict[str, dict[str, Any]], stored: Ops) -> None:
    """Apply ops as the server stored them; every op must make sense on the state it lands on."""
    for op in stored:
        if op["op"] == "add":
            assert op["element"]["id"] not in elements, f"stored add of an existing element: {op}"
            elements[op["element"]["id"]] = op["element"]
        elif op["op"] == "update":
            assert op["id"] in elements, f"stored update of a missing element: {op}"
            elements[op["id"]] = {**elements[op["id"]], **op["props"]}
        else:
            assert op["op"] == "delete", f"stored op of unknown kind: {op}"
            assert elements.pop(op["id"], None) is not None, f"stored delete of a missing element: {op}"


class ModelClient:
    def __init__(self, name: str, member: Member, board_id: Any) -> None:
        self.name = name
        self.member = member
        self.role = member.participant.role
        self.path = f"/ws/boards/{board_id}/"
        self.ws: WebsocketCommunicator | None = None
        self.inbox: deque[dict[str, Any]] = deque()  # received on this connection, not read yet
        self.joined = False  # this connection's welcome or catchup has been read
        self.seq: int | None = None
        # Batches up to this seq reached us folded into a welcome, so a resend may
        # legitimately be answered with a seq we never saw as a batch frame.
        self.blind_until = 0
        self.elements: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, Ops] = {}  # sent or queued, no answer seen yet
        self.sent: dict[str, Ops] = {}  # every batch id used, with the ops first sent under it
        self.acked: dict[str, int] = {}  # own batch id -> the seq the server gave it
        self.awaiting: dict[str, int] = {}  # replies owed on this connection, per batch id
        self.conflicts: dict[str, int] = {}  # of those, resends with different ops
        self.batches_made = 0

    def __repr__(self) -> str:
        return f"{self.name}({self.role})"

    @property
    def participant(self) -> str:
        return self.member.id

    @property
    def connected(self) -> bool:
        return self.ws is not None

    def view(self) -> dict[str, dict[str, Any]]:
        """What a browser would show: the confirmed state with the unanswered batches applied on top.

        Only for choosing the next edit, so that a client does not trip over
        its own unacknowledged adds; a batch that would not apply is skipped,
        as the server will refuse it.
        """
        state = dict(self.elements)  # fold replaces changed elements, never edits them in place
        for raw in self.pending.values():
            try:
                fold([parse_ops(raw)], state)
            except SyncError:
                continue
        return state

    # Talking to the server.

    async def connect(self) -> None:
        query = "" if self.seq is None else f"?since={self.seq}"
        headers = [(b"authorization", f"Token {self.member.token}".encode()), (b"origin", ORIGIN)]
        ws = WebsocketCommunicator(application, self.path + query, headers=headers)
        connected, _ = await ws.connect(TIMEOUT)
        assert connected, f"{self} could not connect"
        self.ws, self.joined = ws, False
        # Resend at once, before reading the catch-up, as an eager browser does;
        # the batch ids make it safe whether or not the server already has them.
        for batch_id, ops in self.pending.items():
            await self._send(batch_id, ops)

    async def disconnect(self) -> None:
        assert self.ws is not None
        await self.ws.disconnect(timeout=TIMEOUT)
        # What was never read is lost with the socket, answers included.
        self.ws, self.inbox = None, deque()
        self.awaiting, self.conflicts = {}, {}

    async def submit(self, ops: Ops) -> dict[str, Any] | None:
        """A new batch: sent if online, and its answer returned (still unread); else queued for the next connection."""
        self.batches_made += 1
        batch_id = f"{self.name}-{self.batches_made}"
        self.pending[batch_id] = self.sent[batch_id] = ops
        return await self._send(batch_id, ops) if self.ws is not None else None

    async def resend(self, batch_id: str, *, conflict: bool = False) -> None:
        """Send a used batch id again: the same ops (a retry), or other ops (a client bug)."""
        ops = self.sent[batch_id]
        if conflict:
            ops = [*ops, {"op": "delete", "id": "conflict"}]
            self.conflicts[batch_id] = self.conflicts.get(batch_id, 0) + 1
        await self._send(batch_id, ops)

    async def _send(self, batch_id: str, ops: Ops) -> dict[str, Any]:
        assert self.ws is not None
        await self.ws.send_json_to({"type": "batch", "id": batch_id, "ops": ops})
        self.awaiting[batch_id] = self.awaiting.get(batch_id, 0) + 1
        while True:  # until the answer is in; every earlier send was answered before this one
            frame = await self._receive()
            self.inbox.append(frame)
            mine = frame["type"] == "rejected" or (
                frame["type"] == "batch" and frame["participant"] == self.participant
            )
            if mine and frame["id"] == batch_id:
                return frame

    async def settle(self) -> None:
        """Read until this connection has joined and every batch sent on it has its answer."""
        while not self.joined or self.awaiting:
            await self.read()

    async def catch_up(self, head: int) -> None:
        while self.seq is None or self.seq < head:
            await self.read()

    async def quiet(self) -> None:
        """Read whatever else has arrived or arrives: once caught up with the log, only chatter may."""
        assert self.ws is not None
        while self.inbox or not await self.ws.receive_nothing(timeout=0.02):
            frame = self.inbox.popleft() if self.inbox else await self._receive()
            assert frame["type"] in CHATTER, f"{self} got {frame} after catching up with the log"

    async def read(self) -> None:
        self.handle(self.inbox.popleft() if self.inbox else await self._receive())

    async def _receive(self) -> dict[str, Any]:
        assert self.ws is not None
        try:
            return await self.ws.receive_json_from(TIMEOUT)
        except TimeoutError:
            raise AssertionError(
                f"{self} at seq {self.seq} heard nothing for {TIMEOUT}s; owed {self.awaiting}"
            ) from None

    # What the frames mean.

    def handle(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind in ("welcome", "catchup"):
            assert not self.joined, f"{self} got a second join frame: {frame}"
            self.joined = True
            if kind == "welcome":
                self._welcome(frame)
            else:
                self._catchup(frame)
            return
        assert self.joined, f"{self} got {frame} before its join frame"
        if kind == "batch":
            self._batch(frame)
        elif kind == "rejected":
            self._rejected(frame)
        else:
            assert kind in CHATTER, f"{self} got an unknown frame: {frame}"

    def _welcome(self, frame: dict[str, Any]) -> None:
        self.seq = self.blind_until = frame["seq"]
        self.elements = {element["id"]: element for element in frame["elements"]}

    def _catchup(self, frame: dict[str, Any]) -> None:
        assert self.seq is not None and frame["seq"] >= self.seq, f"{self} at {self.seq} caught up to {frame['seq']}"
        for batch in frame["batches"]:
            self._apply(batch)
        assert self.seq == frame["seq"], f"catchup says seq {frame['seq']} but its batches end at {self.seq}"

    def _batch(self, frame: dict[str, Any]) -> None:
        assert self.seq is not None
        batch_id, mine = frame["id"], frame["participant"] == self.participant
        if frame["seq"] > self.seq:
            if mine:
                _take(self.awaiting, batch_id, f"{self} was not waiting for {frame}")
            self._apply(frame)
            return
        # Only the answer to a resend may repeat a seq, and only to its sender.
        unasked = f"{self} at seq {self.seq} got an old batch it did not resend: {frame}"
        assert mine and self.awaiting.get(batch_id, 0) > self.conflicts.get(batch_id, 0), unasked
        _take(self.awaiting, batch_id, unasked)
        if batch_id in self.acked:
            assert self.acked[batch_id] == frame["seq"], f"{batch_id} was acked as {self.acked[batch_id]}: {frame}"
        else:
            assert batch_id in self.pending and frame["seq"] <= self.blind_until, f"unexpected old batch {frame}"
            del self.pending[batch_id]
            self.acked[batch_id] = frame["seq"]

    def _apply(self, batch: dict[str, Any]) -> None:
        assert self.seq is not None
        assert batch["seq"] == self.seq + 1, f"{self} at seq {self.seq} got seq {batch['seq']}: a gap or reorder"
        apply_stored(self.elements, batch["ops"])
        self.seq = batch["seq"]
        if batch["participant"] == self.participant:
            batch_id = batch["id"]
            assert batch_id in self.pending and batch_id not in self.acked, f"{self} never sent {batch} or had it acked"
            del self.pending[batch_id]
            self.acked[batch_id] = batch["seq"]

    def _rejected(self, frame: dict[str, Any]) -> None:
        batch_id, code = frame["id"], frame["code"]
        if not roles.can_edit_canvas(self.role):
            assert code == "forbidden", f"{self} refused with {code}, not forbidden: {frame}"
        elif batch_id in self.acked:
            assert code == "batch_conflict", f"a resend of acked {batch_id} was refused: {frame}"
            _take(self.conflicts, batch_id, f"{self} sent no conflicting resend of {batch_id}")
        else:
            assert code in EDITOR_REFUSALS, f"{self} refused for a reason no batch should get: {frame}"
        _take(self.awaiting, batch_id, f"{self} was not waiting for an answer to {frame}")
        # A retry still in flight may yet be accepted, so forget the batch only on its last answer.
        if batch_id not in self.awaiting:
            self.pending.pop(batch_id, None)


def _take(counts: dict[str, int], key: str, message: str) -> None:
    """Count one off `counts[key]`, which must be owed."""
    left = counts.get(key, 0)
    assert left > 0, message
    if left == 1:
        del counts[key]
    else:
        counts[key] = left - 1
