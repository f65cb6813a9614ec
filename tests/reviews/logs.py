"""Public op logs built in pure code, through the same rules the server applies.

A `Log` stands in for `whiteboard.services.batches.batch_submit` without the
database: each batch is parsed and checked by `whiteboard.ops`,
`reviews.annotations`, `reviews.interview`, `reviews.scenario`, `reviews.decisions`
and `reviews.flows`, and stored in the shape
`whiteboard.selectors.batch_message` gives (with `at` as a datetime; canvas
ops first, then annotation ops, then session and ledger ops, then cards, decisions and flows). So a
hand-built log in a test is one the server could really have stored, and a
batch it would refuse raises the same `SyncError`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from reviews import annotations, decisions, flows, interview, scenario
from whiteboard import ops, roles
from whiteboard.errors import ErrorCode, SyncError

T0 = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
OWNER, INTERVIEWER, CANDIDATE, REVIEWER, COACH = "u-owner", "u-interviewer", "u-candidate", "u-reviewer", "u-coach"
ROLES = {OWNER: "owner", INTERVIEWER: "interviewer", CANDIDATE: "candidate", REVIEWER: "reviewer", COACH: "coach"}
PARSERS = {
    **dict.fromkeys(annotations.NAMES, annotations.parse_op),
    **dict.fromkeys(interview.NAMES, interview.parse_op),
    **dict.fromkeys(scenario.NAMES, scenario.parse_op),
    **dict.fromkeys(decisions.NAMES, decisions.parse_op),
    **dict.fromkeys(flows.NAMES, flows.parse_op),
}
STEP = 10.0  # seconds between batches unless a test says when


def update(element_id: str, **props: Any) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "props": props}


def delete(element_id: str) -> dict[str, Any]:
    return {"op": "delete", "id": element_id}


def question(entry_id: str, text: str = "How many users?", kind: str = "question") -> dict[str, Any]:
    return {"op": "requirement", "entry": {"id": entry_id, "kind": kind, "text": text}}


def answer_requirement(entry_id: str, text: str = "10M a day.") -> dict[str, Any]:
    return {"op": "answer_requirement", "entry": entry_id, "text": text}


def session(action: str) -> dict[str, Any]:
    return {"op": "session", "action": action}


class Log:
    """One board's public stream, batch by batch; `batches` is what `interview_signals.compute` takes."""

    mode = "interview"
    parsers: dict[str, Any] = PARSERS

    def __init__(self) -> None:
        self.batches: list[dict[str, Any]] = []
        self.elements: dict[str, ops.Element] = {}
        self.threads: dict[str, annotations.Annotation] = {}
        self.session = interview.Session()
        self.entries: dict[str, interview.Entry] = {}
        self.decisions: dict[str, decisions.Decision] = {}
        self.flows: dict[str, flows.Flow] = {}
        self.t = 0.0

    @property
    def seq(self) -> int:
        return len(self.batches)

    def send(self, who: str, *raw_ops: dict[str, Any], t: float | None = None) -> dict[str, Any]:
        """Store a batch from `who` at `t` seconds after T0 (default: STEP after the last), all or nothing."""
        at = T0 + timedelta(seconds=self.t + STEP if t is None else t)
        role = ROLES[who]
        parsed = ops.parse_ops(list(raw_ops), self.parsers)
        self._check_role(role, parsed)
        canvas = ops.apply_ops(self.elements, len(self.elements), parsed)
        element = self._after(canvas)
        notes = self._annotations(who, role, parsed, element)
        planned = self._interview(who, role, parsed, element, at)
        cards = self._scenario(who, role, parsed, at)
        decided = self._decisions(who, role, parsed, element)
        walked = self._flows(who, role, parsed, element, canvas)
        batch = {
            "type": "batch",
            "stream": "public",
            "seq": self.seq + 1,
            "id": f"b{self.seq + 1}",
            "participant": who,
            "ops": canvas.ops + notes.ops + planned.ops + cards + decided.ops + walked.ops + self._others(role, parsed),
            "at": at,
        }
        self._commit(canvas, notes, planned)
        self._commit_records(decided, walked)
        self.batches.append(batch)
        self.t = (at - T0).total_seconds()
        return batch

    def _check_role(self, role: str, parsed: list[ops.Op]) -> None:
        """The role checks `batch_submit` makes before the ops' own rules."""
        if not roles.can_write(role):
            raise SyncError(ErrorCode.FORBIDDEN, "An observer cannot write.")
        if any(op["op"] in ops.CANVAS_OPS for op in parsed) and not roles.can_edit_canvas(role):
            raise SyncError(ErrorCode.FORBIDDEN, f"A {role} cannot change the canvas.")
        if self.session.status == "ended" and not roles.can_write_closed(role):
            raise SyncError(ErrorCode.FORBIDDEN, "This board is closed.")

    def _others(self, role: str, parsed: list[ops.Op]) -> list[ops.Op]:
        """Ops of the kinds a subclass adds (stored after the others); none here."""
        return []

    def _after(self, canvas: ops.Applied) -> Any:
        def element(element_id: str) -> ops.Element | None:
            if element_id in canvas.changed:
                return canvas.changed[element_id]
            return None if element_id in canvas.deleted else self.elements.get(element_id)

        return element

    def _annotations(self, who: str, role: str, parsed: list[ops.Op], element: Any) -> annotations.Applied:
        indexed = [(i, op) for i, op in enumerate(parsed) if op["op"] in annotations.NAMES]
        actor = annotations.Actor(participant=who, role=role, mode=self.mode)
        applied = annotations.apply_ops(self.threads, actor, indexed, element, self.seq + 1)
        if applied.private:
            raise ValueError("A Log is the public stream; private annotations are never signal input.")
        return applied

    def _interview(self, who: str, role: str, parsed: list[ops.Op], element: Any, at: datetime) -> interview.Applied:
        indexed = [(i, op) for i, op in enumerate(parsed) if op["op"] in interview.NAMES]
        actor = interview.Actor(participant=who, role=role, mode=self.mode)
        return interview.apply_ops(self.session, self.entries, actor, indexed, element, at=at, seq=self.seq + 1)

    def _scenario(self, who: str, role: str, parsed: list[ops.Op], at: datetime) -> list[ops.Op]:
        indexed = [(i, op) for i, op in enumerate(parsed) if op["op"] in scenario.NAMES]
        played = scenario.fold(self.batches)
        actor = interview.Actor(participant=who, role=role, mode=self.mode)
        scenario.apply_ops([card["id"] for card in played], actor, indexed, at=at, seq=self.seq + 1)
        return [op for _, op in indexed]

    def _decisions(self, who: str, role: str, parsed: list[ops.Op], element: Any) -> decisions.Applied:
        indexed = [(i, op) for i, op in enumerate(parsed) if op["op"] in decisions.NAMES]
        if not indexed:
            return decisions.Applied(ops=[], changed={}, deleted=frozenset())
        actor = roles.Actor(participant=who, role=role, mode=self.mode)
        return decisions.apply_ops(self.decisions, actor, indexed, element, seq=self.seq + 1)

    def _flows(self, who: str, role: str, parsed: list[ops.Op], element: Any, canvas: ops.Applied) -> flows.Applied:
        indexed = [(i, op) for i, op in enumerate(parsed) if op["op"] in flows.NAMES]
        actor = roles.Actor(participant=who, role=role, mode=self.mode)

        def arrows() -> list[ops.Element]:
            board = {key: element(key) for key in {*self.elements, *canvas.changed}}
            return [e for e in board.values() if e is not None and e["kind"] == "arrow"]

        return flows.apply_ops(self.flows, actor, indexed, element, arrows, seq=self.seq + 1)

    def send_raw(self, who: str, *raw_ops: dict[str, Any], t: float | None = None) -> dict[str, Any]:
        """Store ops of the shapes other topics are adding (docs/protocol.md: decide, flow, new element
        fields) as given, unchecked, so signals that read them can be tested before their rules exist.
        Canvas ops are folded leniently: an `add` must carry a whole element."""
        at = T0 + timedelta(seconds=self.t + STEP if t is None else t)
        for op in raw_ops:
            if op["op"] == "add":
                self.elements[op["element"]["id"]] = op["element"]
            elif op["op"] == "update":
                self.elements[op["id"]] = {**self.elements[op["id"]], **op["props"]}
            elif op["op"] == "delete":
                self.elements.pop(op["id"])
        batch = {
            "type": "batch",
            "stream": "public",
            "seq": self.seq + 1,
            "id": f"b{self.seq + 1}",
            "participant": who,
            "ops": list(raw_ops),
            "at": at,
        }
        self.batches.append(batch)
        self.t = (at - T0).total_seconds()
        return batch

    def _commit(self, canvas: ops.Applied, notes: annotations.Applied, planned: interview.Applied) -> None:
        for element_id in canvas.deleted:
            del self.elements[element_id]
        self.elements.update(canvas.changed)
        for annotation_id in notes.deleted:
            del self.threads[annotation_id]
        self.threads.update(notes.changed)
        self.session = planned.session
        self.entries.update(planned.changed)

    def _commit_records(self, decided: decisions.Applied, walked: flows.Applied) -> None:
        for decision_id in decided.deleted:
            del self.decisions[decision_id]
        self.decisions.update(decided.changed)
        for flow_id in walked.deleted:
            self.flows.pop(flow_id, None)
        self.flows.update(walked.changed)
