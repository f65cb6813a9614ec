"""Semantic diff between two versions of a diagram, and the ops that turn one into the other. Pure.

A reviewer asks "what changed in the design?", not "which pixels moved", so
the diff compares meaning: what each element is and what it connects to.
Position and size are ignored, except that a restore brings them back too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Element = dict[str, Any]
Op = dict[str, Any]

# The properties a diff reports, per kind. `connections` is derived: the
# components a component is wired to, so a component whose arrows were
# re-pointed shows as changed even though its own fields did not move.
MEANING = {
    "component": ("label", "type", "tech", "replicas", "notes"),
    "arrow": ("label", "source", "target", "style"),
    "note": ("text",),
    "frame": ("label",),
}
LAYOUT = ("x", "y", "w", "h")


def _by_id(elements: Iterable[Element]) -> dict[str, Element]:
    return {element["id"]: element for element in elements}


def connections(elements: Mapping[str, Element]) -> dict[str, list[str]]:
    """For each component, the sorted components it has an arrow to or from."""
    linked: dict[str, set[str]] = {i: set() for i, e in elements.items() if e["kind"] == "component"}
    for element in elements.values():
        if element["kind"] == "arrow":
            linked.setdefault(element["source"], set()).add(element["target"])
            linked.setdefault(element["target"], set()).add(element["source"])
    return {component: sorted(ids) for component, ids in linked.items()}


def _meaning(element: Element, linked: Mapping[str, list[str]]) -> dict[str, Any]:
    fields = {name: element.get(name) for name in MEANING[element["kind"]]}
    if element["kind"] == "component":
        fields["connections"] = linked.get(element["id"], [])
    return fields


def diff(before: Iterable[Element], after: Iterable[Element]) -> dict[str, Any]:
    """`added`, `removed` (whole elements) and `changed` (`id`, `kind`, `fields`, `before`, `after`)."""
    old, new = _by_id(before), _by_id(after)
    old_links, new_links = connections(old), connections(new)
    changed = []
    for element_id in sorted(old.keys() & new.keys()):
        was, now = old[element_id], new[element_id]
        if was["kind"] != now["kind"]:
            continue  # an id reused for another kind of thing: reported below as removed and added
        a, b = _meaning(was, old_links), _meaning(now, new_links)
        fields = [name for name in a if a[name] != b[name]]
        if fields:
            changed.append({"id": element_id, "kind": now["kind"], "fields": fields, "before": a, "after": b})
    replaced = {i for i in old.keys() & new.keys() if old[i]["kind"] != new[i]["kind"]}
    return {
        "added": [new[i] for i in sorted(new.keys() - old.keys() | replaced)],
        "removed": [old[i] for i in sorted(old.keys() - new.keys() | replaced)],
        "changed": changed,
    }


BOXES = ("component", "note")  # what may belong to a frame


def _props(was: Element, target: Element) -> dict[str, Any]:
    names = [*MEANING[target["kind"]], *(LAYOUT if target["kind"] != "arrow" else ())]
    props = {name: target[name] for name in names if name in target and was.get(name) != target[name]}
    # A box's frame comes back too ("" when the version's box was in none), as its position does.
    if target["kind"] in BOXES and was.get("frame", "") != target.get("frame", ""):
        props["frame"] = target.get("frame", "")
    return props


def _gone(now: Mapping[str, Element], goal: Mapping[str, Element]) -> set[str]:
    """What a restore deletes: elements the target lacks, and every arrow that cannot be updated in place
    (its ends move, or a component it touches goes), which is deleted and added again."""
    gone = {i for i in now if i not in goal or goal[i]["kind"] != now[i]["kind"]}
    for i, element in now.items():
        if element["kind"] != "arrow" or i in gone:
            continue
        ends = (element["source"], element["target"])
        if ends != (goal[i]["source"], goal[i]["target"]) or any(end in gone for end in ends):
            gone.add(i)
    return gone


def restore_ops(current: Iterable[Element], target: Iterable[Element]) -> list[Op]:
    """Ops that make `current` equal `target`, to restore a version as a new change in the log.

    Arrows go before the components they touch and come back after them, so
    no op ever names a missing component and the whole restore is one valid batch.
    """
    now, goal = _by_id(current), _by_id(target)
    gone = _gone(now, goal)
    fresh = [i for i in goal if i not in now or i in gone]
    ops: list[Op] = [{"op": "delete", "id": i} for i in sorted(gone, key=lambda i: now[i]["kind"] != "arrow")]
    # Frames before the boxes that may name them, arrows last.
    ops += [{"op": "add", "element": goal[i]} for i in fresh if goal[i]["kind"] == "frame"]
    ops += [{"op": "add", "element": goal[i]} for i in fresh if goal[i]["kind"] in BOXES]
    kept = [i for i in goal if i in now and i not in gone]
    ops += [{"op": "update", "id": i, "props": props} for i in kept if (props := _props(now[i], goal[i]))]
    ops += [{"op": "add", "element": goal[i]} for i in fresh if goal[i]["kind"] == "arrow"]
    return ops
