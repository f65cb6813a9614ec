"""Interview session ops and their rules: the clock, the phases and the ledger.

Pure, like `reviews.annotations`: the server's checks and a replay's fold are
the same code. Times come in as the batch's own timestamp, so the clock a
replay reconstructs is exactly the one people saw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from reviews.fields import body, choice, fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys
from whiteboard.roles import Actor

Op = dict[str, Any]
Entry = dict[str, Any]
Element = dict[str, Any]

NAMES = frozenset({"session", "phase", "requirement", "answer_requirement", "link_requirement"})
ACTIONS = vocabulary.SESSION_ACTIONS
PHASES = vocabulary.PHASES
ENTRY_KINDS = vocabulary.LEDGER_KINDS
DEFAULT_MINUTES = vocabulary.LIMITS["session_default_minutes"]
MAX_MINUTES = vocabulary.LIMITS["session_max_minutes"]
MAX_LINKS = vocabulary.LIMITS["links"]

CLOCK_KEEPERS = vocabulary.holders("keep_clock")  # the clock and the phases are theirs alone
LEDGER_WRITERS = vocabulary.holders("write_ledger")
ANSWERERS = vocabulary.holders("answer")

# Which actions each status allows, and where they lead. `resume` after `end`
# is the interviewer reopening the session.
TRANSITIONS = {
    ("idle", "start"): "running",
    ("running", "pause"): "paused",
    ("paused", "resume"): "running",
    ("ended", "resume"): "running",
    ("running", "end"): "ended",
    ("paused", "end"): "ended",
}


def _links(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_LINKS:
        raise fail(path, f"Links are a list of at most {MAX_LINKS} element ids.")
    links = [check_id(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if len(set(links)) != len(links):
        raise fail(path, "Each element may be linked once.")
    return links


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """Check one session or ledger op on its own and return it normalised."""
    name = raw["op"]
    if name == "session":
        only_keys(raw, ["op", "action", "minutes"], path)
        required(raw, ["action"], path)
        op: Op = {"op": name, "action": choice(raw["action"], ACTIONS, f"{path}.action")}
        if "minutes" in raw:
            minutes = raw["minutes"]
            if op["action"] != "start":
                raise fail(f"{path}.minutes", "The length is set when the session starts.")
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
                raise fail(f"{path}.minutes", f"Minutes is a whole number from 1 to {MAX_MINUTES}.")
            op["minutes"] = minutes
        return op
    if name == "phase":
        only_keys(raw, ["op", "phase"], path)
        required(raw, ["phase"], path)
        return {"op": name, "phase": choice(raw["phase"], PHASES, f"{path}.phase")}
    if name == "requirement":
        only_keys(raw, ["op", "entry"], path)
        required(raw, ["entry"], path)
        entry = expect_object(raw["entry"], f"{path}.entry")
        only_keys(entry, ["id", "kind", "text", "links"], f"{path}.entry")
        required(entry, ["id", "kind", "text"], f"{path}.entry")
        return {
            "op": name,
            "entry": {
                "id": check_id(entry["id"], f"{path}.entry.id"),
                "kind": choice(entry["kind"], ENTRY_KINDS, f"{path}.entry.kind"),
                "text": body(entry["text"], f"{path}.entry.text"),
                "links": _links(entry.get("links", []), f"{path}.entry.links"),
            },
        }
    required(raw, ["entry"], path)
    entry_id = check_id(raw["entry"], f"{path}.entry")
    if name == "answer_requirement":
        only_keys(raw, ["op", "entry", "text"], path)
        required(raw, ["text"], path)
        return {"op": name, "entry": entry_id, "text": body(raw["text"], f"{path}.text")}
    only_keys(raw, ["op", "entry", "links"], path)
    required(raw, ["links"], path)
    return {"op": name, "entry": entry_id, "links": _links(raw["links"], f"{path}.links")}


@dataclass(frozen=True)
class Session:
    """The clock: `elapsed` seconds banked before `running_since`, which is set while running."""

    status: str = "idle"
    minutes: int = DEFAULT_MINUTES
    elapsed: float = 0.0
    running_since: datetime | None = None
    phase: str | None = None
    phases: tuple[dict[str, Any], ...] = ()  # {"phase", "at", "seq"}: every change, for the timeline
    started_at: datetime | None = None
    ended_at: datetime | None = None

    def used(self, now: datetime) -> float:
        """Seconds of interview time used by `now` (pauses do not count)."""
        running = (now - self.running_since).total_seconds() if self.running_since else 0.0
        return self.elapsed + max(0.0, running)


def _session(session: Session, op: Op, at: datetime, seq: int, path: str) -> Session:
    action = op["action"]
    status = TRANSITIONS.get((session.status, action))
    if status is None:
        raise fail(f"{path}.action", f"A {session.status} session cannot {action}.")
    elapsed = session.used(at)
    changed = replace(session, status=status, elapsed=elapsed, running_since=at if status == "running" else None)
    if action == "start":
        first = {"phase": PHASES[0], "at": at, "seq": seq}
        changed = replace(
            changed, minutes=op.get("minutes", DEFAULT_MINUTES), started_at=at, phase=PHASES[0], phases=(first,)
        )
    if status == "ended":
        changed = replace(changed, ended_at=at)
    elif session.status == "ended":
        changed = replace(changed, ended_at=None)
    return changed


def _phase(session: Session, op: Op, at: datetime, seq: int, path: str) -> Session:
    if session.status == "idle":
        raise fail(f"{path}.phase", "Start the session before moving between phases.")
    if op["phase"] == session.phase:
        raise fail(f"{path}.phase", f"The session is already in {op['phase']}.")
    return replace(session, phase=op["phase"], phases=(*session.phases, {"phase": op["phase"], "at": at, "seq": seq}))


@dataclass(frozen=True)
class Applied:
    ops: list[Op]
    session: Session
    changed: dict[str, Entry]


def _check_links(links: list[str], element: Callable[[str], Element | None], path: str) -> None:
    for i, element_id in enumerate(links):
        if element(element_id) is None:
            message = f"No element with id '{element_id}' on this board."
            raise SyncError(ErrorCode.UNKNOWN_REF, message, f"{path}[{i}]")


def _entry(entries: Mapping[str, Entry], changed: Mapping[str, Entry], entry_id: str, path: str) -> Entry:
    entry = changed.get(entry_id) or entries.get(entry_id)
    if entry is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No requirement entry with id '{entry_id}'.", path)
    return entry


def apply_ops(
    session: Session,
    entries: Mapping[str, Entry],
    actor: Actor,
    ops: list[tuple[int, Op]],
    element: Callable[[str], Element | None],
    *,
    at: datetime,
    seq: int,
) -> Applied:
    """Apply parsed session and ledger ops (with their index in the batch) in order, all or nothing.

    `entries` holds the existing ledger entries the ops name; `seq` is the batch's own seq.
    """
    changed: dict[str, Entry] = {}
    for i, op in ops:
        path = f"ops[{i}]"
        name = op["op"]
        if name in ("session", "phase"):
            if actor.mode not in vocabulary.SESSION_MODES:
                raise fail(f"{path}.op", "Only interview and practice boards have a session.")
            if actor.role not in CLOCK_KEEPERS:
                raise SyncError(ErrorCode.FORBIDDEN, "Only the interviewer controls the clock and the phases.", path)
            session = (_session if name == "session" else _phase)(session, op, at, seq, path)
        elif name == "requirement":
            if actor.role not in LEDGER_WRITERS:
                raise SyncError(ErrorCode.FORBIDDEN, f"A {actor.role} cannot add to the requirements ledger.", path)
            entry = op["entry"]
            if entry["id"] in changed or entry["id"] in entries:
                raise SyncError(ErrorCode.DUPLICATE_ID, f"Entry '{entry['id']}' already exists.", f"{path}.entry.id")
            _check_links(entry["links"], element, f"{path}.entry.links")
            changed[entry["id"]] = {**entry, "author": actor.participant, "seq": seq, "answer": None}
        elif name == "answer_requirement":
            if actor.role not in ANSWERERS:
                raise SyncError(ErrorCode.FORBIDDEN, "Only the interviewer answers the requirements ledger.", path)
            entry = _entry(entries, changed, op["entry"], f"{path}.entry")
            answer = {"text": op["text"], "author": actor.participant, "seq": seq}
            changed[entry["id"]] = {**entry, "answer": answer}
        else:
            entry = _entry(entries, changed, op["entry"], f"{path}.entry")
            if actor.role not in ANSWERERS and entry["author"] != actor.participant:
                raise SyncError(ErrorCode.FORBIDDEN, "You can only link your own entries.", path)
            _check_links(op["links"], element, f"{path}.links")
            changed[entry["id"]] = {**entry, "links": op["links"]}
    return Applied(ops=[op for _, op in ops], session=session, changed=changed)


def fold(
    batches: Iterable[Mapping[str, Any]],
    session: Session | None = None,
    entries: dict[str, Entry] | None = None,
) -> tuple[Session, dict[str, Entry]]:
    """Replay stored batches (with `seq`, `participant`, `ops` and `at` as a datetime) onto the
    session and the ledger. Stored ops were checked when accepted; this only re-applies them."""
    session = session or Session()
    entries = {} if entries is None else entries
    for batch in batches:
        seq, at, author = batch["seq"], batch["at"], batch["participant"]
        for op in batch["ops"]:
            name = op["op"]
            if name == "session" and (session.status, op["action"]) in TRANSITIONS:
                session = _session(session, op, at, seq, "")
            elif name == "phase" and session.status != "idle" and op["phase"] != session.phase:
                session = _phase(session, op, at, seq, "")
            elif name == "requirement":
                entries[op["entry"]["id"]] = {**op["entry"], "author": author, "seq": seq, "answer": None}
            elif name == "answer_requirement" and op["entry"] in entries:
                entries[op["entry"]]["answer"] = {"text": op["text"], "author": author, "seq": seq}
            elif name == "link_requirement" and op["entry"] in entries:
                entries[op["entry"]]["links"] = op["links"]
    return session, entries
