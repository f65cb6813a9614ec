"""Validate and apply canvas ops: the pure heart of live sync.

Plain Python over plain dicts, no Django and no I/O, so the same code decides
what the server stores, what a replay folds, and what the tests model.

Two phases keep the database work small: `parse_ops` checks each op on its own
(shape, types, limits) and normalises it; `apply_ops` then checks it against
the board (references, duplicates, the element cap) using only the elements
the batch refers to, which `referenced_ids` names so the caller can load just
those rows. Joining and updating therefore cost O(touched elements), never
O(board) or O(history).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError

Element = dict[str, Any]
Op = dict[str, Any]

KINDS = vocabulary.KINDS
COMPONENT_TYPES = vocabulary.COMPONENT_TYPES
ARROW_STYLES = vocabulary.ARROW_STYLES
ARROW_SIDES = vocabulary.ARROW_SIDES
CANVAS_OPS = frozenset({"add", "update", "delete"})

ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{1,{vocabulary.LIMITS['id']}}}\Z")
MAX_OPS_PER_BATCH = vocabulary.LIMITS["ops_per_batch"]
MAX_ELEMENTS = vocabulary.LIMITS["elements"]
MAX_LABEL = vocabulary.LIMITS["label"]
MAX_TEXT = vocabulary.LIMITS["text"]
MAX_TECH = vocabulary.LIMITS["tech"]
MAX_REPLICAS = vocabulary.LIMITS["replicas"]
COORD_LIMIT = float(vocabulary.LIMITS["coord"])
MAX_TIMEOUT_MS = vocabulary.LIMITS["timeout_ms"]
MAX_RETRIES = vocabulary.LIMITS["retries"]

# Overrides and isolates let a label read differently from what it stores
# ("Trojan Source"); they have no place in a diagram label.
_BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _fail(path: str, message: str) -> SyncError:
    return SyncError(ErrorCode.VALIDATION_ERROR, message, path)


def check_id(value: Any, path: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise _fail(path, "An id is 1 to 64 characters of letters, digits, '-' or '_'.")
    return value


def check_group_id(value: Any, path: str) -> str:
    """A group a box belongs to: an id, or "" to leave it (`update` cannot remove a key)."""
    return value if value == "" else check_id(value, path)


def text_field(limit: int) -> Callable[[Any, str], str]:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise _fail(path, "Expected text.")
        if "\x00" in value:
            raise _fail(path, "Text may not contain the NUL character.")
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise _fail(path, "Text contains an unpaired surrogate, which is not valid Unicode.")
        if any(ch in _BIDI_CONTROLS for ch in value):
            raise _fail(path, "Text may not contain bidirectional override characters.")
        text = unicodedata.normalize("NFC", value)
        if len(text) > limit:
            raise _fail(path, f"Text is limited to {limit} characters.")
        return text

    return check


def check_number(value: Any, path: str) -> float | int:
    # bool is an int in Python; a client sending `true` for x is a bug, not a 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, "Expected a number.")
    number: float | int = value
    # abs() first: math.isfinite raises OverflowError on an int too big for a float.
    if abs(number) > COORD_LIMIT or not math.isfinite(number):
        raise _fail(path, f"Expected a finite number between -{COORD_LIMIT:g} and {COORD_LIMIT:g}.")
    return number


def _size(value: Any, path: str) -> float | int:
    size = check_number(value, path)
    if size <= 0:
        raise _fail(path, "A size must be greater than zero.")
    return size


def _replicas(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REPLICAS:
        raise _fail(path, f"Replicas is a whole number from 1 to {MAX_REPLICAS}.")
    return value


def _frame_ref(value: Any, path: str) -> str:
    """A box's frame: a frame's id, or "" for none (an update clears membership with it)."""
    return value if value == "" else check_id(value, path)


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "Expected true or false.")
    return value


def _timeout(value: Any, path: str) -> int | None:
    """An arrow's timeout in milliseconds; null clears it (no timeout stated)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TIMEOUT_MS:
        raise _fail(path, f"A timeout is a whole number of milliseconds from 1 to {MAX_TIMEOUT_MS}, or null.")
    return value


def _retries(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        raise _fail(path, f"Retries is a whole number from 0 to {MAX_RETRIES}.")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[Any, str], str]:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str) or value not in options:
            raise _fail(path, f"Expected one of: {', '.join(options)}.")
        return value

    return check


_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "component_type": _choice(COMPONENT_TYPES),
    "arrow_style": _choice(ARROW_STYLES),
    "arrow_side": _choice(ARROW_SIDES),
    "credit": _choice(("", *vocabulary.CREDITS)),
    "group_id": check_group_id,
    "frame_ref": _frame_ref,
    "familiarity": _choice(("", *vocabulary.FAMILIARITIES)),
    "boolean": _boolean,
    "timeout": _timeout,
    "retries": _retries,
    "id": check_id,
    "number": check_number,
    "size": _size,
    "replicas": _replicas,
}


def _check(spec: vocabulary.Field) -> Callable[[Any, str], Any]:
    return text_field(vocabulary.LIMITS[spec.limit]) if spec.limit is not None else _CHECKS[spec.type]


FIELDS: dict[str, dict[str, Callable[[Any, str], Any]]] = {
    kind: {name: _check(spec) for name, spec in fields.items()} for kind, fields in vocabulary.ELEMENT_FIELDS.items()
}
REQUIRED = {
    kind: tuple(name for name, spec in fields.items() if spec.required)
    for kind, fields in vocabulary.ELEMENT_FIELDS.items()
}
DEFAULTS: dict[str, Element] = {
    kind: {name: spec.default for name, spec in fields.items() if not (spec.required or spec.optional)}
    for kind, fields in vocabulary.ELEMENT_FIELDS.items()
}
_ANY_FIELD = {name: check for fields in FIELDS.values() for name, check in fields.items()}
# Component fields that mean something on some types only: name -> those types.
TYPED_FIELDS: dict[str, tuple[str, ...]] = {
    name: spec.types for name, spec in vocabulary.ELEMENT_FIELDS["component"].items() if spec.types
}


def check_typed_fields(component: Element, path: str, changed: Iterable[str] = ()) -> None:
    """Refuse a type-bound field (a dead letter, a backup) set to true on a component of another
    type, so the state never says a service has a dead letter. `changed` names the fields an
    update sets: the error points at the field if it was set, else at the type that changed."""
    for name, types in TYPED_FIELDS.items():
        if component.get(name) is True and component["type"] not in types:
            at = name if name in changed or not changed else "type"
            message = f"Only {', '.join(types)} components can have '{name}'; a {component['type']} cannot"
            raise _fail(f"{path}.{at}", f"{message} (set it to false first, or in the same op).")


def expect_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SyncError(ErrorCode.BAD_REQUEST, "Expected a JSON object.", path)
    return value


def only_keys(value: dict[str, Any], allowed: Iterable[str], path: str) -> None:
    extra = sorted(set(value) - set(allowed))
    if extra:
        raise _fail(f"{path}.{extra[0]}", "Unknown property.")


def parse_element(raw: Any, path: str) -> Element:
    raw = expect_object(raw, path)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in FIELDS:  # a list or object is unhashable: check the type first
        raise _fail(f"{path}.kind", f"Expected one of: {', '.join(KINDS)}.")
    fields = FIELDS[kind]
    only_keys(raw, ["id", "kind", *fields], path)
    for name in REQUIRED[kind]:
        if name not in raw:
            raise _fail(f"{path}.{name}", "This property is required.")
    element: Element = {"id": check_id(raw.get("id"), f"{path}.id"), "kind": kind}
    element.update(DEFAULTS[kind])
    for name, check in fields.items():
        if name in raw:
            element[name] = check(raw[name], f"{path}.{name}")
    if kind == "arrow" and element["source"] == element["target"]:
        raise _fail(f"{path}.target", "An arrow must connect two different components.")
    if kind == "component":
        check_typed_fields(element, path)
    return element


def _parse_props(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    if not raw:
        raise _fail(path, "An update must change at least one property.")
    props = {}
    for name, value in raw.items():
        check = _ANY_FIELD.get(name)
        if check is None:
            raise _fail(f"{path}.{name}", "Unknown or read-only property.")
        props[name] = check(value, f"{path}.{name}")
    return props


def parse_op(raw: Any, path: str, extra: Mapping[str, Callable[[dict[str, Any], str], Op]] | None = None) -> Op:
    """Check one op on its own and return it normalised (defaults filled, text NFC).

    `extra` parses op names other apps register (annotations); see `whiteboard.extensions`.
    """
    raw = expect_object(raw, path)
    name = raw.get("op")
    if name == "add":
        only_keys(raw, ["op", "element"], path)
        return {"op": "add", "element": parse_element(raw.get("element"), f"{path}.element")}
    if name == "update":
        only_keys(raw, ["op", "id", "props"], path)
        element_id = check_id(raw.get("id"), f"{path}.id")
        return {"op": "update", "id": element_id, "props": _parse_props(raw.get("props"), f"{path}.props")}
    if name == "delete":
        only_keys(raw, ["op", "id"], path)
        return {"op": "delete", "id": check_id(raw.get("id"), f"{path}.id")}
    if extra and isinstance(name, str) and name in extra:
        return extra[name](raw, path)
    known = ", ".join(["add", "update", "delete", *sorted(extra or ())])
    raise SyncError(ErrorCode.UNKNOWN_OP, f"Unknown op; expected one of: {known}.", f"{path}.op")


def parse_ops(raw: Any, extra: Mapping[str, Callable[[dict[str, Any], str], Op]] | None = None) -> list[Op]:
    if not isinstance(raw, list):
        raise SyncError(ErrorCode.BAD_REQUEST, "A batch needs a list of ops.", "ops")
    if not raw:
        raise _fail("ops", "A batch needs at least one op.")
    if len(raw) > MAX_OPS_PER_BATCH:
        raise SyncError(ErrorCode.TOO_LARGE, f"A batch holds at most {MAX_OPS_PER_BATCH} ops.", "ops")
    return [parse_op(op, f"ops[{i}]", extra) for i, op in enumerate(raw)]


REFERENCES = ("source", "target", "frame")  # the fields naming another element


def referenced_ids(ops: Iterable[Op]) -> set[str]:
    """Every element id a parsed batch reads; the caller loads these, the arrows touching them and a frame's members."""
    ids: set[str] = set()
    for op in ops:
        if op["op"] not in CANVAS_OPS:
            continue
        fields = op["element"] if op["op"] == "add" else op.get("props", {})
        ids.add(op["element"]["id"] if op["op"] == "add" else op["id"])
        ids.update(fields[name] for name in REFERENCES if fields.get(name))
    return ids


@dataclass(frozen=True)
class Applied:
    """What a batch did: the ops as stored and broadcast, and the element rows it changed."""

    ops: list[Op]
    changed: dict[str, Element]
    deleted: frozenset[str]
    count: int


class _Overlay:
    """The board as the batch sees it: changes so far layered over the loaded elements."""

    def __init__(self, base: Mapping[str, Element]) -> None:
        self.base = base
        self.changes: dict[str, Element | None] = {}

    def get(self, element_id: str) -> Element | None:
        if element_id in self.changes:
            return self.changes[element_id]
        return self.base.get(element_id)

    def arrows_touching(self, element_id: str) -> list[str]:
        ids = set(self.base) | set(self.changes)
        return sorted(
            i
            for i in ids
            if (e := self.get(i)) is not None and e["kind"] == "arrow" and element_id in (e["source"], e["target"])
        )

    def members(self, frame_id: str) -> list[str]:
        """The boxes whose `frame` names this frame."""
        ids = set(self.base) | set(self.changes)
        return sorted(i for i in ids if (e := self.get(i)) is not None and e.get("frame") == frame_id)


def _require(board: _Overlay, element_id: str, path: str) -> Element:
    element = board.get(element_id)
    if element is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No element with id '{element_id}' on this board.", path)
    return element


def _check_endpoints(board: _Overlay, arrow: Element, path: str, ends: Iterable[str] = ("source", "target")) -> None:
    """Check the named ends; an end an update leaves alone is valid, as deletes cascade to arrows."""
    for end in ends:
        target = _require(board, arrow[end], f"{path}.{end}")
        if target["kind"] != "component":
            raise SyncError(ErrorCode.UNKNOWN_REF, "An arrow must connect components.", f"{path}.{end}")
    if arrow["source"] == arrow["target"]:
        raise _fail(f"{path}.target", "An arrow must connect two different components.")


def _check_frame(board: _Overlay, frame_id: str, path: str) -> None:
    """A box's `frame` names a frame on the board ("" is none)."""
    if not frame_id:
        return
    frame = board.get(frame_id)
    if frame is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No frame with id '{frame_id}' on this board.", path)
    if frame["kind"] != "frame":
        raise SyncError(
            ErrorCode.UNKNOWN_REF, f"A box belongs only to a frame; '{frame_id}' is a {frame['kind']}.", path
        )


def apply_ops(elements: Mapping[str, Element], count: int, ops: list[Op]) -> Applied:
    """Apply the canvas ops among parsed ops in order, all or nothing.

    Ops of other kinds (annotations) are skipped: they are not canvas state.

    `elements` must hold every element named by `referenced_ids(ops)` that
    exists, and every arrow touching one of them; `count` is the number of
    live elements on the board before the batch.
    """
    board = _Overlay(elements)
    out: list[Op] = []
    for i, op in enumerate(ops):
        path = f"ops[{i}]"
        if op["op"] not in CANVAS_OPS:
            continue
        if op["op"] == "add":
            element = op["element"]
            if board.get(element["id"]) is not None:
                raise SyncError(
                    ErrorCode.DUPLICATE_ID, f"Element '{element['id']}' already exists.", f"{path}.element.id"
                )
            if element["kind"] == "arrow":
                _check_endpoints(board, element, f"{path}.element")
            if "frame" in element:
                _check_frame(board, element["frame"], f"{path}.element.frame")
            board.changes[element["id"]] = element
            count += 1
            out.append(op)
        elif op["op"] == "update":
            current = _require(board, op["id"], f"{path}.id")
            allowed = FIELDS[current["kind"]]
            for name in op["props"]:
                if name not in allowed:
                    raise _fail(f"{path}.props.{name}", f"A {current['kind']} has no property '{name}'.")
            updated = {**current, **op["props"]}
            if current["kind"] == "component":
                check_typed_fields(updated, f"{path}.props", op["props"])
            if current["kind"] == "arrow":
                _check_endpoints(
                    board, updated, f"{path}.props", [end for end in ("source", "target") if end in op["props"]]
                )
            if "frame" in op["props"]:
                _check_frame(board, op["props"]["frame"], f"{path}.props.frame")
            board.changes[op["id"]] = updated
            out.append(op)
        else:
            current = _require(board, op["id"], f"{path}.id")
            # Cascade here, in the stored batch, so every client and every replay removes the same
            # arrows, and takes the same boxes out of a deleted frame (they stay), without re-deriving them.
            if current["kind"] == "frame":
                for member in board.members(op["id"]):
                    board.changes[member] = {**_require(board, member, path), "frame": ""}
                    out.append({"op": "update", "id": member, "props": {"frame": ""}})
            cascade = board.arrows_touching(op["id"]) if current["kind"] == "component" else []
            for arrow_id in [*cascade, op["id"]]:
                board.changes[arrow_id] = None
                count -= 1
                out.append({"op": "delete", "id": arrow_id})
    if count > MAX_ELEMENTS:
        raise SyncError(ErrorCode.TOO_LARGE, f"A board holds at most {MAX_ELEMENTS} elements.", "ops")
    changed = {k: v for k, v in board.changes.items() if v is not None}
    deleted = frozenset(k for k, v in board.changes.items() if v is None and k in elements)
    return Applied(ops=out, changed=changed, deleted=deleted, count=count)


def fold(batches: Iterable[list[Op]], elements: dict[str, Element] | None = None) -> dict[str, Element]:
    """Replay stored (already normalised) batches onto a state; the live state must equal this."""
    state = {} if elements is None else elements
    for ops in batches:
        applied = apply_ops(state, len(state), ops)
        for element_id in applied.deleted:
            del state[element_id]
        state.update(applied.changed)
    return state
