"""Annotation ops and their rules: the pure core of the annotation layers.

Plain Python over plain dicts, no Django and no I/O, like `whiteboard.ops`:
the same code decides what the server stores and what a replay folds to, and
docs/protocol.md ("Annotations") is its contract.

Privacy rests on one rule checked here: private annotation ids start with
`p-` and no other id may. An id alone therefore tells which stream it lives
in, a batch can be routed before anything is written, and someone who cannot
read the private layer can never collide with a private id and so learn that
it exists: to them a `p-` id is simply unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reviews.fields import body, choice, fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys
from whiteboard.roles import PRIVATE_READERS, Actor

Op = dict[str, Any]
Annotation = dict[str, Any]  # one annotation as the rules and the wire see it, with its replies
Element = dict[str, Any]

LAYERS = vocabulary.LAYERS
KINDS = vocabulary.ANNOTATION_KINDS
STATUSES = vocabulary.ANNOTATION_STATUSES
NAMES = frozenset({"annotate", "reply", "set_status", "edit_text", "delete_annotation"})
PRIVATE_PREFIX = vocabulary.PRIVATE_PREFIX

# What an annotation is about: the target's meaning, not where it sits. A
# change to any of these after the annotation was raised makes it outdated.
SNAPSHOT_FIELDS = {
    "component": ("type", "label", "tech", "replicas", "notes"),
    "arrow": ("source", "target", "label", "style"),
}
TARGET_KINDS = tuple(SNAPSHOT_FIELDS)

# Who may write in each layer; what each layer means is in docs/protocol.md.
LAYER_WRITERS = {layer: vocabulary.holders(capability) for layer, capability in vocabulary.LAYER_CAPABILITIES.items()}
REPLIERS = vocabulary.holders("reply")
MODERATORS = vocabulary.holders("moderate")  # resolve, reopen or delete anyone's annotation
OWN_STATUS_SETTERS = vocabulary.holders("resolve_own")  # resolve or reopen their own
# The side a challenge is put to: their first reply makes it answered.
CHALLENGED = {mode: rules.challenged for mode, rules in vocabulary.MODES.items()}
OPEN_STATUSES = frozenset({"open", "reopened"})


def _forbidden(path: str, message: str) -> SyncError:
    return SyncError(ErrorCode.FORBIDDEN, message, path)


def is_private(annotation_id: str) -> bool:
    return annotation_id.startswith(PRIVATE_PREFIX)


def can_read(role: str, annotation_id: str) -> bool:
    return not is_private(annotation_id) or role in PRIVATE_READERS


def _parse_annotation(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    only_keys(raw, ["id", "layer", "target", "kind", "text", "version"], path)
    required(raw, ["id", "layer", "kind", "text"], path)
    annotation_id = check_id(raw["id"], f"{path}.id")
    layer = choice(raw["layer"], LAYERS, f"{path}.layer")
    if is_private(annotation_id) != (layer == "private"):
        raise fail(f"{path}.id", f"Ids starting with '{PRIVATE_PREFIX}' are for the private layer, and only they are.")
    target = raw.get("target")
    annotation: dict[str, Any] = {
        "id": annotation_id,
        "layer": layer,
        "target": None if target is None else check_id(target, f"{path}.target"),
        "kind": choice(raw["kind"], KINDS, f"{path}.kind"),
        "text": body(raw["text"], f"{path}.text"),
    }
    if "version" in raw:
        version = raw["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise fail(f"{path}.version", "A version is its number: a whole number from 1.")
        annotation["version"] = version
    return annotation


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """Check one annotation op on its own and return it normalised (text NFC)."""
    name = raw["op"]
    if name == "annotate":
        only_keys(raw, ["op", "annotation"], path)
        required(raw, ["annotation"], path)
        return {"op": name, "annotation": _parse_annotation(raw["annotation"], f"{path}.annotation")}
    required(raw, ["annotation"], path)
    annotation_id = check_id(raw["annotation"], f"{path}.annotation")
    if name == "reply":
        only_keys(raw, ["op", "annotation", "reply"], path)
        required(raw, ["reply"], path)
        reply = expect_object(raw["reply"], f"{path}.reply")
        only_keys(reply, ["id", "text"], f"{path}.reply")
        required(reply, ["id", "text"], f"{path}.reply")
        parsed = {"id": check_id(reply["id"], f"{path}.reply.id"), "text": body(reply["text"], f"{path}.reply.text")}
        return {"op": name, "annotation": annotation_id, "reply": parsed}
    if name == "set_status":
        only_keys(raw, ["op", "annotation", "status"], path)
        required(raw, ["status"], path)
        status = choice(raw["status"], vocabulary.SETTABLE_STATUSES, f"{path}.status")
        return {"op": name, "annotation": annotation_id, "status": status}
    if name == "edit_text":
        only_keys(raw, ["op", "annotation", "reply", "text"], path)
        required(raw, ["text"], path)
        op = {"op": name, "annotation": annotation_id}
        if "reply" in raw:
            op["reply"] = check_id(raw["reply"], f"{path}.reply")
        return {**op, "text": body(raw["text"], f"{path}.text")}
    only_keys(raw, ["op", "annotation"], path)
    return {"op": name, "annotation": annotation_id}


def referenced_ids(ops: Iterable[Op]) -> set[str]:
    """The annotation ids a batch names; the caller loads these annotations."""
    return {op["annotation"]["id"] if op["op"] == "annotate" else op["annotation"] for op in ops}


def _targetable(element: Element | None) -> Element | None:
    return element if element is not None and element["kind"] in TARGET_KINDS else None


def referenced_versions(ops: Iterable[Op]) -> set[int]:
    """The versions a batch's annotations were written on; the caller loads their canvases."""
    return {op["annotation"]["version"] for op in ops if op["op"] == "annotate" and "version" in op["annotation"]}


def snapshot(element: Element | None) -> dict[str, Any] | None:
    element = _targetable(element)
    if element is None:
        return None
    return {"kind": element["kind"], **{name: element.get(name) for name in SNAPSHOT_FIELDS[element["kind"]]}}


def orphaned(annotation: Annotation, element: Element | None) -> bool:
    """The target is gone (deleted, or its id now names a sticky note). The annotation stays
    listed, and recovers if the element returns."""
    return annotation["target"] is not None and _targetable(element) is None


def outdated(annotation: Annotation, element: Element | None) -> bool:
    """The target changed meaning since the annotation was raised, like a review thread on changed lines."""
    element = _targetable(element)
    return element is not None and annotation["snapshot"] is not None and snapshot(element) != annotation["snapshot"]


@dataclass(frozen=True)
class Applied:
    """What the annotation ops of a batch did: the ops as stored, and the annotations they changed."""

    ops: list[Op]
    changed: dict[str, Annotation]
    deleted: frozenset[str]
    private: bool


def _existing(
    annotations: dict[str, Annotation | None], base: Mapping[str, Annotation], actor: Actor, op: Op, path: str
) -> Annotation:
    annotation_id = op["annotation"]
    annotation = annotations[annotation_id] if annotation_id in annotations else base.get(annotation_id)
    if annotation is None or not can_read(actor.role, annotation_id):
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No annotation with id '{annotation_id}' on this board.", path)
    return annotation


def _lookup(
    annotation: Op, element: Callable[[str], Element | None], versions: Mapping[int, Mapping[str, Element]], path: str
) -> Callable[[str], Element | None]:
    """Where the target is looked up: the board now, or the version the annotation was written on.

    A review comment is about the version the reviewer read: its target must
    exist there, and its snapshot is taken there, so an annotation on something the
    author has changed (or deleted) since shows as outdated (or orphaned).
    """
    if "version" not in annotation:
        return element
    version = versions.get(annotation["version"])
    if version is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"This board has no version {annotation['version']}.", f"{path}.version")
    return version.get


def _annotate(
    op: Op,
    actor: Actor,
    element: Callable[[str], Element | None],
    seq: int,
    path: str,
    versions: Mapping[int, Mapping[str, Element]],
) -> Annotation:
    annotation = op["annotation"]
    if actor.role not in LAYER_WRITERS[annotation["layer"]]:
        raise _forbidden(f"{path}.annotation.layer", f"A {actor.role} cannot write in the {annotation['layer']} layer.")
    target = None
    if annotation["target"] is not None:
        target = _lookup(annotation, element, versions, f"{path}.annotation")(annotation["target"])
        if target is None:
            message = f"No element with id '{annotation['target']}' on this board."
            raise SyncError(ErrorCode.UNKNOWN_REF, message, f"{path}.annotation.target")
        if target["kind"] not in TARGET_KINDS:
            raise fail(f"{path}.annotation.target", "An annotation targets a component, an arrow, or the whole board.")
    return {
        **annotation,
        "version": annotation.get("version"),
        "author": actor.participant,
        "prompted": annotation["layer"] == "challenges",
        "snapshot": snapshot(target),
        "status": "open",
        "raised_seq": seq,
        "answered_seq": None,
        "replies": [],
    }


def _stored_annotate(annotation: Annotation) -> Op:
    keys = ("id", "layer", "target", "kind", "text", "version", "prompted", "snapshot", "raised_seq")
    stored = {key: annotation[key] for key in keys}
    if stored["version"] is None:  # only review comments name the version they were written on
        del stored["version"]
    return {"op": "annotate", "annotation": stored}


def _reply(annotation: Annotation, op: Op, actor: Actor, seq: int, path: str) -> tuple[Annotation, Op]:
    if actor.role not in REPLIERS:
        raise _forbidden(path, f"A {actor.role} cannot reply.")
    if any(reply["id"] == op["reply"]["id"] for reply in annotation["replies"]):
        message = f"Reply '{op['reply']['id']}' already exists in this thread."
        raise SyncError(ErrorCode.DUPLICATE_ID, message, f"{path}.reply.id")
    annotation = {
        **annotation,
        "replies": [*annotation["replies"], {**op["reply"], "author": actor.participant, "seq": seq}],
    }
    answering = annotation["layer"] == "challenges" and actor.role == CHALLENGED.get(actor.mode)
    if answering and annotation["status"] in OPEN_STATUSES:
        annotation.update(status="answered", answered_seq=seq)
    stored = {
        "op": "reply",
        "annotation": annotation["id"],
        "reply": {**op["reply"], "seq": seq},
        "status": annotation["status"],
    }
    return annotation, stored


def _set_status(annotation: Annotation, op: Op, actor: Actor, path: str) -> Annotation:
    own = annotation["author"] == actor.participant
    if actor.role not in MODERATORS and not (actor.role in OWN_STATUS_SETTERS and own):
        who = "their own annotations" if actor.role in OWN_STATUS_SETTERS else "annotations"
        raise _forbidden(path, f"A {actor.role} cannot resolve or reopen {who}.")
    if op["status"] == "resolved" and annotation["status"] == "resolved":
        raise fail(f"{path}.status", "This annotation is already resolved.")
    if op["status"] == "reopened" and annotation["status"] != "resolved":
        raise fail(f"{path}.status", "Only a resolved annotation can be reopened.")
    return {**annotation, "status": op["status"]}


def _edit_text(annotation: Annotation, op: Op, actor: Actor, path: str) -> Annotation:
    if "reply" not in op:
        if annotation["author"] != actor.participant:
            raise _forbidden(path, "You can only edit your own text.")
        return {**annotation, "text": op["text"]}
    replies = annotation["replies"]
    index = next((i for i, reply in enumerate(replies) if reply["id"] == op["reply"]), None)
    if index is None:
        raise SyncError(ErrorCode.UNKNOWN_REF, f"No reply with id '{op['reply']}' in this thread.", f"{path}.reply")
    if replies[index]["author"] != actor.participant:
        raise _forbidden(path, "You can only edit your own text.")
    edited = {**replies[index], "text": op["text"], "edited": True}
    return {**annotation, "replies": [*replies[:index], edited, *replies[index + 1 :]]}


def _delete(annotation: Annotation, actor: Actor, path: str) -> None:
    if actor.role not in MODERATORS and annotation["author"] != actor.participant:
        raise _forbidden(path, f"A {actor.role} can only delete their own annotations.")


def apply_ops(
    annotations: Mapping[str, Annotation],
    actor: Actor,
    ops: list[tuple[int, Op]],
    element: Callable[[str], Element | None],
    seq: int,
    versions: Mapping[int, Mapping[str, Element]] | None = None,
) -> Applied:
    """Apply parsed annotation ops (with their index in the batch) in order, all or nothing.

    `annotations` holds every existing annotation named by `referenced_ids`;
    `element` answers for the board after the batch's canvas ops; `seq` is the
    public seq the batch is made against; `versions` holds the canvas of each
    version an annotation names (`referenced_versions`).
    """
    changes: dict[str, Annotation | None] = {}
    out: list[Op] = []
    for i, op in ops:
        path = f"ops[{i}]"
        if op["op"] == "annotate":
            annotation_id = op["annotation"]["id"]
            annotation = _annotate(op, actor, element, seq, path, versions or {})  # layer first: no oracle for `p-` ids
            if changes.get(annotation_id, annotations.get(annotation_id)) is not None:
                message = f"Annotation '{annotation_id}' already exists."
                raise SyncError(ErrorCode.DUPLICATE_ID, message, f"{path}.annotation.id")
            changes[annotation_id] = annotation
            out.append(_stored_annotate(annotation))
            continue
        annotation = _existing(changes, annotations, actor, op, f"{path}.annotation")
        if op["op"] == "reply":
            annotation, stored = _reply(annotation, op, actor, seq, path)
            out.append(stored)
        elif op["op"] == "set_status":
            annotation = _set_status(annotation, op, actor, path)
            out.append(op)
        elif op["op"] == "edit_text":
            annotation = _edit_text(annotation, op, actor, path)
            out.append(op)
        else:
            _delete(annotation, actor, path)
            changes[op["annotation"]] = None
            out.append(op)
            continue
        changes[op["annotation"]] = annotation
    private = {is_private(i) for i in changes}
    if len(private) > 1:
        raise fail("ops", "Private annotations travel in a batch of their own.")
    return Applied(
        ops=out,
        changed={k: v for k, v in changes.items() if v is not None},
        deleted=frozenset(k for k, v in changes.items() if v is None and k in annotations),
        private=private == {True},
    )


def fold(
    batches: Iterable[Mapping[str, Any]], annotations: dict[str, Annotation] | None = None
) -> dict[str, Annotation]:
    """Replay stored batch messages onto annotations; the stored rows must equal this.

    Stored ops were checked when they were accepted, so this only re-applies
    them (as a client does), stamping the author from each batch.
    """
    state = {} if annotations is None else annotations
    for batch in batches:
        for op in batch["ops"]:
            name = op["op"]
            if name not in NAMES:
                continue
            if name == "annotate":
                annotation = op["annotation"]
                state[annotation["id"]] = {
                    "version": None,
                    **annotation,
                    "author": batch["participant"],
                    "status": "open",
                    "answered_seq": None,
                    "replies": [],
                }
                continue
            current = state.get(op["annotation"])
            if current is None:
                continue
            if name == "reply":
                reply = {**op["reply"], "author": batch["participant"]}
                answered = op["status"] == "answered" and current["status"] != "answered"
                current["replies"].append(reply)
                current["answered_seq"] = reply["seq"] if answered else current["answered_seq"]
                current["status"] = op["status"]
            elif name == "set_status":
                current["status"] = op["status"]
            elif name == "edit_text" and "reply" in op:
                for reply in current["replies"]:
                    if reply["id"] == op["reply"]:
                        reply.update(text=op["text"], edited=True)
            elif name == "edit_text":
                current["text"] = op["text"]
            else:
                del state[op["annotation"]]
    return state
