"""Decision records: a component's technology choice, the alternatives weighed, its cost, why, and
when to revisit it. Pure: the server's checks and a replay's fold are the same code.

"We should use Kafka" answers nothing until "why not SQS?" is answered too; a decision
record keeps the answer on the component it is about, where the interviewer, the report and
the `decisions` signal can find it. Writing one is designing, so the roles that edit the
canvas write them (candidate, owner, interviewer); reviewers and observers do not.

Ops (docs/protocol.md, "Decisions"):
    {"op": "decide", "decision": {"id", "target", "choice", "alternatives"?, "cost"?, "why"?,
     "revisit_when"?}}: adds one, or replaces the one with the same id (an edit);
    {"op": "delete_decision", "id"}: removes one.
State: decisions by id, each with `author` (participant id) and `seq` of its last write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reviews.fields import fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys, text_field
from whiteboard.roles import Actor

Op = dict[str, Any]
Decision = dict[str, Any]
Element = dict[str, Any]

NAMES = frozenset({"decide", "delete_decision"})
WRITERS = vocabulary.holders("edit_canvas")  # a decision is part of the design
MAX_ALTERNATIVES = vocabulary.LIMITS["alternatives"]
MAX_CHOICE = vocabulary.LIMITS["label"]  # a choice and each alternative are short: a name, not an essay
TEXTS = ("cost", "why", "revisit_when")  # optional prose, "" when not written

_short = text_field(MAX_CHOICE)
_long = text_field(vocabulary.LIMITS["text"])


def _short_text(value: Any, path: str) -> str:
    text = _short(value, path)
    if not text.strip():
        raise fail(path, "Text cannot be empty.")
    return text


def _alternatives(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ALTERNATIVES:
        raise fail(path, f"Alternatives are a list of at most {MAX_ALTERNATIVES} short texts.")
    items = [_short_text(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if len({item.strip().casefold() for item in items}) != len(items):
        raise fail(path, "Each alternative may be named once.")
    return items


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """Check one decision op on its own and return it normalised (every text present, NFC)."""
    if raw["op"] == "delete_decision":
        only_keys(raw, ["op", "id"], path)
        required(raw, ["id"], path)
        return {"op": "delete_decision", "id": check_id(raw["id"], f"{path}.id")}
    only_keys(raw, ["op", "decision"], path)
    required(raw, ["decision"], path)
    where = f"{path}.decision"
    decision = expect_object(raw["decision"], where)
    only_keys(decision, ["id", "target", "choice", "alternatives", *TEXTS], where)
    required(decision, ["id", "target", "choice"], where)
    parsed: Decision = {
        "id": check_id(decision["id"], f"{where}.id"),
        "target": check_id(decision["target"], f"{where}.target"),
        "choice": _short_text(decision["choice"], f"{where}.choice"),
        "alternatives": _alternatives(decision.get("alternatives", []), f"{where}.alternatives"),
    }
    for name in TEXTS:
        parsed[name] = _long(decision.get(name, ""), f"{where}.{name}")
    return {"op": "decide", "decision": parsed}


@dataclass(frozen=True)
class Applied:
    ops: list[Op]
    changed: dict[str, Decision]  # written or rewritten by the batch
    deleted: frozenset[str]  # ids the batch removed that existed before it


def apply_ops(
    decisions: Mapping[str, Decision],
    actor: Actor,
    ops: list[tuple[int, Op]],
    element: Callable[[str], Element | None],
    *,
    seq: int,
) -> Applied:
    """Apply parsed decision ops (with their index in the batch) in order, all or nothing.

    `decisions` holds the existing decisions the ops name; `element` answers for the board as
    the batch's canvas ops left it; `seq` is the batch's own seq.
    """
    if actor.role not in WRITERS:
        raise SyncError(ErrorCode.FORBIDDEN, f"A {actor.role} cannot record decisions.", f"ops[{ops[0][0]}]")
    current: dict[str, Decision | None] = {}

    def find(decision_id: str) -> Decision | None:
        return current[decision_id] if decision_id in current else decisions.get(decision_id)

    for i, op in ops:
        path = f"ops[{i}]"
        if op["op"] == "delete_decision":
            if find(op["id"]) is None:
                raise SyncError(ErrorCode.UNKNOWN_REF, f"No decision with id '{op['id']}'.", f"{path}.id")
            current[op["id"]] = None
            continue
        decision = op["decision"]
        target = element(decision["target"])
        if target is None or target["kind"] != "component":
            message = f"No component with id '{decision['target']}' on this board: a decision is about a component."
            raise SyncError(ErrorCode.UNKNOWN_REF, message, f"{path}.decision.target")
        current[decision["id"]] = {**decision, "author": actor.participant, "seq": seq}
    changed = {key: value for key, value in current.items() if value is not None}
    deleted = frozenset(key for key, value in current.items() if value is None and key in decisions)
    return Applied(ops=[op for _, op in ops], changed=changed, deleted=deleted)


def fold(batches: Iterable[Mapping[str, Any]], decisions: dict[str, Decision] | None = None) -> dict[str, Decision]:
    """Replay stored batches (with `seq`, `participant` and `ops`) onto the decisions. Stored ops
    were checked when accepted; this only re-applies them."""
    state = {} if decisions is None else decisions
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] == "decide":
                state[op["decision"]["id"]] = {**op["decision"], "author": batch["participant"], "seq": batch["seq"]}
            elif op["op"] == "delete_decision":
                state.pop(op["id"], None)
    return state


def on_component(decisions: Iterable[Decision], component_id: str) -> list[Decision]:
    """A component's decisions in the order they were last written."""
    return sorted((d for d in decisions if d["target"] == component_id), key=lambda d: (d["seq"], d["id"]))
