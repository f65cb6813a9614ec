"""Flows: an ordered walk through the diagram (a request's path, a message's life), one plain
sentence per step. Pure: the server's checks and a replay's fold are the same code.

A flow is `{"id", "title", "steps": [{"element", "text"}]}`. Every step names a component;
consecutive steps must be joined by an arrow, in either direction, so a flow can only tell a
story the diagram actually draws. That is checked when the flow is written: an arrow deleted
later leaves the flow as it was (the reader sees the gap; nothing is silently rewritten).
Writers are the roles that edit the canvas; the folded state keeps each flow's `author` and
the `seq` of its last write, as the issue 15 shapes agreed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reviews.fields import body, fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import MAX_LABEL, check_id, expect_object, only_keys, text_field
from whiteboard.roles import Actor

Op = dict[str, Any]
Flow = dict[str, Any]
Element = Mapping[str, Any]

NAMES = frozenset({"flow", "delete_flow"})
WRITERS = vocabulary.holders("edit_canvas")
MAX_FLOWS = vocabulary.LIMITS["flows"]
MAX_STEPS = vocabulary.LIMITS["flow_steps"]

_title = text_field(MAX_LABEL)


def _steps(value: Any, path: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_STEPS:
        raise fail(path, f"Steps are a list of 1 to {MAX_STEPS} steps.")
    steps = []
    for i, raw in enumerate(value):
        step_path = f"{path}[{i}]"
        step = expect_object(raw, step_path)
        only_keys(step, ["element", "text"], step_path)
        required(step, ["element", "text"], step_path)
        steps.append(
            {
                "element": check_id(step["element"], f"{step_path}.element"),
                "text": body(step["text"], f"{step_path}.text"),
            }
        )
    return steps


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """Check one flow op on its own (shape, types, limits) and return it normalised (text NFC)."""
    if raw["op"] == "delete_flow":
        only_keys(raw, ["op", "id"], path)
        required(raw, ["id"], path)
        return {"op": "delete_flow", "id": check_id(raw["id"], f"{path}.id")}
    only_keys(raw, ["op", "flow"], path)
    required(raw, ["flow"], path)
    flow = expect_object(raw["flow"], f"{path}.flow")
    only_keys(flow, ["id", "title", "steps"], f"{path}.flow")
    required(flow, ["id", "title", "steps"], f"{path}.flow")
    title = _title(flow["title"], f"{path}.flow.title")
    if not title.strip():
        raise fail(f"{path}.flow.title", "A flow needs a title.")
    return {
        "op": "flow",
        "flow": {
            "id": check_id(flow["id"], f"{path}.flow.id"),
            "title": title,
            "steps": _steps(flow["steps"], f"{path}.flow.steps"),
        },
    }


def joined(arrows: Iterable[Element]) -> set[frozenset[str]]:
    """The pairs of components an arrow joins, direction ignored."""
    return {frozenset((arrow["source"], arrow["target"])) for arrow in arrows if arrow.get("kind") == "arrow"}


def check_path(
    steps: list[dict[str, str]], element: Callable[[str], Element | None], pairs: set[frozenset[str]], path: str
) -> None:
    """Every step a component on the board, each joined to the one before by an arrow."""
    for i, step in enumerate(steps):
        step_path = f"{path}[{i}].element"
        found = element(step["element"])
        if found is None:
            raise SyncError(ErrorCode.UNKNOWN_REF, f"No element with id '{step['element']}' on this board.", step_path)
        if found.get("kind") != "component":
            raise fail(step_path, "A step is a component (a box), not an arrow, a note or a frame.")
        if i and frozenset((steps[i - 1]["element"], step["element"])) not in pairs:
            before = steps[i - 1]["element"]
            raise fail(step_path, f"No arrow joins '{before}' and '{step['element']}': a flow follows the arrows.")


@dataclass(frozen=True)
class Applied:
    ops: list[Op]
    changed: dict[str, Flow]  # written by this batch (the folded flow)
    deleted: set[str]


def apply_ops(
    flows: Mapping[str, Flow],
    actor: Actor,
    ops: list[tuple[int, Op]],
    element: Callable[[str], Element | None],
    arrows: Callable[[], Iterable[Element]],
    *,
    seq: int,
) -> Applied:
    """Check parsed flow ops (with their index in the batch) in order, all or nothing.

    `flows` holds the board's flows; `element` answers for the board after the batch's canvas
    ops and `arrows` lists its arrows (read only if a flow has two steps or more).
    """
    current = dict(flows)
    changed: dict[str, Flow] = {}
    deleted: set[str] = set()
    pairs: set[frozenset[str]] | None = None
    for i, op in ops:
        path = f"ops[{i}]"
        if actor.role not in WRITERS:
            raise SyncError(ErrorCode.FORBIDDEN, f"A {actor.role} cannot write flows.", path)
        if op["op"] == "delete_flow":
            if op["id"] not in current:
                raise SyncError(ErrorCode.UNKNOWN_REF, f"No flow with id '{op['id']}'.", f"{path}.id")
            del current[op["id"]]
            changed.pop(op["id"], None)
            deleted.add(op["id"])
            continue
        flow = op["flow"]
        if flow["id"] not in current and len(current) >= MAX_FLOWS:
            raise SyncError(ErrorCode.TOO_LARGE, f"A board holds at most {MAX_FLOWS} flows.", f"{path}.flow.id")
        if pairs is None and len(flow["steps"]) > 1:
            pairs = joined(arrows())
        check_path(flow["steps"], element, pairs or set(), f"{path}.flow.steps")
        folded = {**flow, "author": actor.participant, "seq": seq}
        current[flow["id"]] = changed[flow["id"]] = folded
        deleted.discard(flow["id"])
    return Applied(ops=[op for _, op in ops], changed=changed, deleted=deleted)


def fold(batches: Iterable[Mapping[str, Any]], flows: dict[str, Flow] | None = None) -> dict[str, Flow]:
    """The flows after these stored batches (`seq`, `participant`, `ops`), in order; no checks: they were stored."""
    flows = {} if flows is None else flows
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] == "flow":
                flow = op["flow"]
                # An edit keeps the flow's place (first written first), as the stored rows are listed.
                flows[flow["id"]] = {**flow, "author": str(batch["participant"]), "seq": batch["seq"]}
            elif op["op"] == "delete_flow":
                flows.pop(op["id"], None)
    return flows


def steps_joined(flow: Flow, elements: Mapping[str, Element]) -> list[bool]:
    """For each step after the first, whether an arrow still joins it to the one before (the report marks gaps)."""
    pairs = joined(elements.values())
    steps = flow["steps"]
    return [frozenset((steps[i - 1]["element"], steps[i]["element"])) in pairs for i in range(1, len(steps))]


def described(flow: Flow, elements: Mapping[str, Element]) -> dict[str, Any]:
    """A flow for a reader: each step with its component's name (`(deleted)` if gone) and whether an arrow
    still joins it to the step before (`joined`; always true for the first)."""
    joins = [True, *steps_joined(flow, elements)]
    steps = []
    for step, join in zip(flow["steps"], joins, strict=True):
        element = elements.get(step["element"])
        name = (element.get("label") or step["element"]) if element else f"{step['element']} (deleted)"
        steps.append({**step, "name": name, "joined": join})
    return {**flow, "steps": steps}
