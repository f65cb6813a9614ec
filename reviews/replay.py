"""Replay: the board as it was right after any public batch, computed from the op log alone.

Pure, like the folds it drives: `whiteboard.ops.fold` (the canvas),
`reviews.annotations.fold` (the annotations), `reviews.interview.fold` (the
clock, phases and ledger) and `reviews.flows.fold` (the flows) decide the state,
so a replay can never disagree with what the server stored. This module only chooses which batches to fold
and shapes the result.

A batch here is a mapping with `seq`, `participant` (str), `ops` (as stored)
and `at` (an aware datetime: the batch's `created_at`).

Merging the private stream. A private batch has its own seq, so its place on
the public timeline comes from time: **a private batch belongs to the public
seq that was the head when it was committed**. The state at public seq S holds
every private batch whose `at` is earlier than the `at` of public batch S + 1,
and, when S is the head, every private batch. This is the same placement the
protocol gives a private annotation's `raised_seq` ("the public head at that
moment"), and it makes the state at the head equal the live board. Both
streams' `at` are stamped under the board's row lock, so they are in commit
order as long as the server's clock does not step back.
"""

import collections
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from typing import Any

from reviews import annotations, decisions, interview, scenario
from reviews import flows as flow_rules  # `flows` is a field of the snapshot
from whiteboard import ops
from whiteboard.protocol import iso

Batch = Mapping[str, Any]
Marker = dict[str, Any]

# Longer than this with no public batch, and a player may skip the stretch.
IDLE_GAP = timedelta(seconds=30)
LABEL_LENGTH = 80
CHUNK = 100  # public batches folded at a time; see `_Replay`
SESSION_LABELS = {
    "start": "Session started",
    "pause": "Session paused",
    "resume": "Session resumed",
    "end": "Session ended",
}


def _at(batch: Batch) -> datetime:
    at: datetime = batch["at"]
    return at


def _chunks(batches: Iterable[Batch]) -> Iterator[list[Batch]]:
    iterator = iter(batches)
    return iter(lambda: list(itertools.islice(iterator, CHUNK)), [])


@dataclass(frozen=True)
class Snapshot:
    """The folds right after public batch `seq` (at `at`), with every private batch committed
    before it: where a replay may start instead of seq 0 (a checkpoint)."""

    seq: int
    at: datetime | None
    elements: dict[str, ops.Element]
    annotations: dict[str, annotations.Annotation]
    session: interview.Session
    entries: dict[str, interview.Entry]
    flows: dict[str, flow_rules.Flow] = dataclass_field(default_factory=dict)
    scenarios: list[scenario.Card] = dataclass_field(default_factory=list)
    decisions: dict[str, dict[str, Any]] = dataclass_field(default_factory=dict)  # reviews.decisions.Decision by id


def _freeze(value: Any) -> Any:
    """JSON-able, with datetimes tagged so `_thaw` restores them exactly (microseconds, offset)."""
    if isinstance(value, datetime):
        return {"$at": value.isoformat()}
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_freeze(item) for item in value]
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"$at"}:
            return datetime.fromisoformat(value["$at"])
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_thaw(item) for item in value]
    return value


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot as JSON-able data (what a checkpoint row stores); a copy, so folding on is safe.

    The three maps are stored as lists of pairs: their order is the order a replay lists elements,
    annotations and ledger entries in, and PostgreSQL's `jsonb` does not keep the order of keys.
    """
    frozen: dict[str, Any] = _freeze(
        {
            "seq": snapshot.seq,
            "at": snapshot.at,
            "elements": list(snapshot.elements.items()),
            "annotations": list(snapshot.annotations.items()),
            "session": asdict(snapshot.session),
            "entries": list(snapshot.entries.items()),
            "flows": list(snapshot.flows.items()),
            "scenarios": snapshot.scenarios,
            "decisions": list(snapshot.decisions.items()),
        }
    )
    return frozen


def snapshot_from(data: Mapping[str, Any]) -> Snapshot:
    thawed = _thaw(dict(data))
    session = thawed["session"]
    return Snapshot(
        seq=thawed["seq"],
        at=thawed["at"],
        elements=dict(thawed["elements"]),
        annotations=dict(thawed["annotations"]),
        session=interview.Session(**{**session, "phases": tuple(session["phases"])}),
        entries=dict(thawed["entries"]),
        flows=dict(thawed.get("flows", [])),  # checkpoints from before flows hold none
        scenarios=thawed.get("scenarios", []),
        # Checkpoints from before decision records existed have none to hold.
        decisions=dict(thawed.get("decisions", [])),
    )


class _Replay:
    """The three folds run side by side over the log, a chunk at a time.

    Folding chunk by chunk keeps at most CHUNK decoded batches alive instead
    of the whole log, so they die young. Holding a 10,000-batch log at once
    made a replay about 30 % slower, nearly all of it the garbage collector's
    full collections (each one scans the process's whole heap); with chunks of
    1,000 two replays in five still paid for one (about 30 ms), with chunks
    of 100 one in twenty (bench/replay.py, docs/performance.md).
    """

    def __init__(self, private_batches: Iterable[Batch], start: Snapshot | None = None) -> None:
        self.elements: dict[str, ops.Element] = start.elements if start else {}
        self.annotations: dict[str, annotations.Annotation] = start.annotations if start else {}
        self.session = start.session if start else interview.Session()
        self.entries: dict[str, interview.Entry] = start.entries if start else {}
        self.flows: dict[str, flow_rules.Flow] = start.flows if start else {}
        self.scenarios: list[scenario.Card] = start.scenarios if start else []
        self.decisions: dict[str, decisions.Decision] = start.decisions if start else {}
        self.private = collections.deque(private_batches)
        self.at: datetime | None = start.at if start else None
        self.seq = start.seq if start else 0

    def snapshot(self) -> Snapshot:
        """The folds as they stand (shared, not copied: `snapshot_dict` copies)."""
        return Snapshot(
            self.seq,
            self.at,
            self.elements,
            self.annotations,
            self.session,
            self.entries,
            self.flows,
            self.scenarios,
            self.decisions,
        )

    def _private_before(self, moment: datetime | None) -> list[Batch]:
        """Take the private batches committed before `moment` (all of them if None)."""
        taken = []
        while self.private and (moment is None or self.private[0]["at"] < moment):
            taken.append(self.private.popleft())
        return taken

    def fold(self, public: list[Batch]) -> None:
        ops.fold((batch["ops"] for batch in public), self.elements)
        # Merged by time so annotations come out oldest first, as the live list has them.
        private = self._private_before(public[-1]["at"])
        annotations.fold(heapq.merge(public, private, key=_at), self.annotations)
        self.session, _ = interview.fold(public, self.session, self.entries)
        flow_rules.fold(public, self.flows)
        scenario.fold(public, self.scenarios)
        decisions.fold(public, self.decisions)
        self.at = public[-1]["at"]
        self.seq = public[-1]["seq"]

    def finish(self, after: Batch | None) -> None:
        """Fold the private batches made against the last folded seq: the merge rule (module docstring)."""
        annotations.fold(self._private_before(None if after is None else after["at"]), self.annotations)


def _session_dict(session: interview.Session, now: datetime | None) -> dict[str, Any]:
    """The session in the shape the live board sends (`interview_queries.session_dict`),
    `now` being the replayed moment."""
    data = asdict(session)
    for name in ("running_since", "started_at", "ended_at"):
        data[name] = iso(data[name])
    data["phases"] = [{**phase, "at": iso(phase["at"])} for phase in session.phases]
    return {**data, "now": iso(now)}


def _with_derived(
    listed: Iterable[annotations.Annotation], elements: Mapping[str, ops.Element]
) -> list[dict[str, Any]]:
    """`orphaned` and `outdated` against the replayed canvas, as REST responses carry them."""
    return [
        {
            **annotation,
            "orphaned": annotations.orphaned(annotation, elements.get(annotation["target"])),
            "outdated": annotations.outdated(annotation, elements.get(annotation["target"])),
        }
        for annotation in listed
    ]


def state_at(
    public_batches: Iterable[Batch],
    private_batches: Iterable[Batch],
    seq: int,
    *,
    start: Snapshot | None = None,
    every: int = 0,
    keep: Callable[[Snapshot], None] | None = None,
) -> dict[str, Any]:
    """The board right after public batch `seq` (0: before any batch).

    `public_batches` are in seq order from seq 1 (from `start.seq + 1` when
    starting from a checkpoint) and are read only as far as needed: up to
    `seq` and the one after, whose `at` bounds the private batches (module
    docstring). `private_batches` are in seq order (from a checkpoint: those
    committed at or after `start.at`); pass them only for a reader of the
    private layer, and `[]` for everyone else: what is not passed cannot leak.

    With `every` (a multiple of CHUNK) and `keep`, `keep` is handed the
    snapshot at each multiple of `every` folded on the way; it must copy what
    it keeps (`snapshot_dict`) before returning, as the fold goes on.
    """
    assert not every or every % CHUNK == 0, "checkpoints fall on chunk edges"
    replayed, after = _Replay(private_batches, start), None
    for chunk in _chunks(public_batches):
        through = list(itertools.takewhile(lambda batch: batch["seq"] <= seq, chunk))
        if through:
            replayed.fold(through)
            if keep is not None and every and replayed.seq % every == 0:
                keep(replayed.snapshot())
        if len(through) < len(chunk):
            after = chunk[len(through)]
            break
    replayed.finish(after)
    return {
        "seq": seq,
        "at": iso(replayed.at),
        "elements": list(replayed.elements.values()),
        "annotations": _with_derived(replayed.annotations.values(), replayed.elements),
        "requirements": list(replayed.entries.values()),
        "flows": list(replayed.flows.values()),
        "session": _session_dict(replayed.session, replayed.at),
        "scenarios": [scenario.card_dict(card) for card in replayed.scenarios],
        "decisions": list(replayed.decisions.values()),
    }


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _marker(batch: Batch, kind: str, label: str, marked: str | None = None) -> Marker:
    marker: Marker = {"seq": batch["seq"], "at": iso(batch["at"]), "type": kind, "label": label}
    return marker if marked is None else {**marker, "id": marked}


def _ledger_marker(batch: Batch, op: ops.Op) -> Marker | None:
    if op["op"] == "requirement" and op["entry"]["kind"] == "question":
        return _marker(batch, "question", _short(op["entry"]["text"]), op["entry"]["id"])
    if op["op"] == "answer_requirement":
        return _marker(batch, "answer", _short(op["text"]), op["entry"])
    return None


def _clock_marker(batch: Batch, op: ops.Op) -> Marker | None:
    if op["op"] == "session":
        return _marker(batch, "session", SESSION_LABELS[op["action"]])
    if op["op"] == "phase":
        return _marker(batch, "phase", op["phase"].replace("_", " ").capitalize())
    return None


def _scenario_marker(batch: Batch, op: ops.Op) -> Marker | None:
    if op["op"] == "scenario":
        card = op["card"]
        return _marker(batch, "scenario", _short(card.get("title") or card["text"]), card["id"])
    return None


def _annotation_marker(batch: Batch, op: ops.Op, state: Mapping[str, annotations.Annotation]) -> Marker | None:
    """A challenge raised, or a reply that turned its annotation answered (`state` is the one before `op`)."""
    if op["op"] == "annotate" and op["annotation"]["layer"] == "challenges":
        return _marker(batch, "challenge", _short(op["annotation"]["text"]), op["annotation"]["id"])
    if op["op"] == "reply" and op["status"] == "answered":
        before = state.get(op["annotation"])
        if before is not None and before["status"] != "answered":
            return _marker(batch, "answer", _short(op["reply"]["text"]), op["annotation"])
    return None


def _markers(batches: Iterable[Batch]) -> Iterator[Marker]:
    state: dict[str, annotations.Annotation] = {}
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] in annotations.NAMES:
                marker = _annotation_marker(batch, op, state)
                # The annotation states come from the fold itself, one op at a time.
                annotations.fold([{"participant": batch["participant"], "ops": [op]}], state)
            else:
                marker = _ledger_marker(batch, op) or _clock_marker(batch, op) or _scenario_marker(batch, op)
            if marker is not None:
                yield marker


def timeline(public_batches: Iterable[Batch]) -> list[Marker]:
    """Markers for the scrubber, in log order: `{seq, at, type, id?, label}`.

    Types: `session` (start, pause, resume, end), `phase`, `challenge` (an
    annotation in the challenges layer), `question` (a ledger entry of kind
    question), `answer` (a reply that turned its challenge answered, or an
    `answer_requirement`) and `scenario` (a card played: its title, else its
    text, and its card id). Public batches only: the timeline is for everyone,
    and private activity must not show even as a tick on it.
    """
    return list(_markers(public_batches))


def idle_gaps(public_batches: Iterable[Batch]) -> list[dict[str, Any]]:
    """Stretches longer than `IDLE_GAP` with no public batch, for a player to skip.

    Each is `{after_seq, start, end, seconds}`: nothing happened between
    batch `after_seq` (at `start`) and the next one (at `end`).
    """
    return [
        {
            "after_seq": before["seq"],
            "start": iso(before["at"]),
            "end": iso(after["at"]),
            "seconds": round((after["at"] - before["at"]).total_seconds(), 3),
        }
        for before, after in itertools.pairwise(public_batches)
        if after["at"] - before["at"] > IDLE_GAP
    ]
