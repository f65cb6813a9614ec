"""The semantic diff between two canvases, and the restore ops that turn one into the other. Pure.

Graphs are built by hand from normalised elements (what the server stores),
so each test says exactly which meaning changed.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.diff import connections, diff, restore_ops
from whiteboard.ops import COMPONENT_TYPES, MAX_OPS_PER_BATCH, apply_ops, fold, parse_element, parse_ops

Element = dict[str, Any]


def comp(element_id: str, **props: Any) -> Element:
    return parse_element({"id": element_id, "kind": "component", "type": "service", "x": 0, "y": 0, **props}, "e")


def link(element_id: str, source: str, target: str, **props: Any) -> Element:
    return parse_element({"id": element_id, "kind": "arrow", "source": source, "target": target, **props}, "e")


def note(element_id: str, **props: Any) -> Element:
    return parse_element({"id": element_id, "kind": "note", "x": 0, "y": 0, **props}, "e")


def by_id(elements: list[Element]) -> dict[str, Element]:
    return {e["id"]: e for e in elements}


def restored(current: list[Element], target: list[Element]) -> dict[str, Element]:
    """Fold the restore ops onto `current` as ONE batch: a refusal raises, as the server would."""
    return fold([restore_ops(current, target)], by_id(current))


def changed(result: dict[str, Any]) -> dict[str, list[str]]:
    return {c["id"]: c["fields"] for c in result["changed"]}


BASE = [
    comp("api", label="API"),
    comp("db", type="database", label="DB"),
    link("api-db", "api", "db"),
    note("sticky", text="todo"),
]


# The diff


def test_the_same_graph_has_no_changes():
    assert diff(BASE, [dict(e) for e in reversed(BASE)]) == {"added": [], "removed": [], "changed": []}


def test_moving_and_resizing_is_not_a_change():
    moved = [
        comp("api", label="API", x=500, y=-40, w=300, h=90),
        comp("db", type="database", label="DB", x=10, y=10),
        link("api-db", "api", "db"),
        note("sticky", text="todo", x=99, y=99, w=400, h=50),
    ]
    assert diff(BASE, moved) == {"added": [], "removed": [], "changed": []}


def test_a_component_renamed_and_reconnected_shows_both_fields_and_the_new_wiring():
    after = [
        comp("api", label="Gateway"),
        comp("db", type="database", label="DB"),
        comp("cache", type="cache", label="Redis"),
        link("api-cache", "api", "cache"),
        note("sticky", text="todo"),
    ]
    result = diff(BASE, after)
    assert [e["id"] for e in result["added"]] == ["api-cache", "cache"]
    assert result["added"][1] == after[2]
    assert [e["id"] for e in result["removed"]] == ["api-db"]
    assert changed(result) == {"api": ["label", "connections"], "db": ["connections"]}
    api = next(c for c in result["changed"] if c["id"] == "api")
    assert api["kind"] == "component"
    assert (api["before"]["label"], api["after"]["label"]) == ("API", "Gateway")
    assert (api["before"]["connections"], api["after"]["connections"]) == (["db"], ["cache"])
    db = next(c for c in result["changed"] if c["id"] == "db")
    assert (db["before"]["connections"], db["after"]["connections"]) == (["api"], [])


def test_an_arrow_repointed_in_place_changes_the_arrow_and_both_ends_wiring():
    before = [*BASE, comp("cache", type="cache")]
    after = [comp("api", label="API"), comp("db", type="database", label="DB"), comp("cache", type="cache")]
    after += [link("api-db", "api", "cache"), note("sticky", text="todo")]
    result = diff(before, after)
    assert result["added"] == [] and result["removed"] == []
    assert changed(result) == {
        "api": ["connections"],
        "api-db": ["target"],
        "cache": ["connections"],
        "db": ["connections"],
    }
    arrow = next(c for c in result["changed"] if c["id"] == "api-db")
    assert (arrow["before"]["target"], arrow["after"]["target"]) == ("db", "cache")


def test_an_arrow_reversed_changes_the_arrow_but_not_who_is_connected():
    after = [comp("api", label="API"), comp("db", type="database", label="DB"), link("api-db", "db", "api")]
    after.append(note("sticky", text="todo"))
    assert changed(diff(BASE, after)) == {"api-db": ["source", "target"]}


def test_each_meaningful_component_property_is_reported_by_name():
    before = [comp("api", label="API")]
    after = [comp("api", label="API", type="worker", tech="Go", replicas=3, notes="stateless")]
    result = diff(before, after)
    assert changed(result) == {"api": ["type", "tech", "replicas", "notes"]}
    entry = result["changed"][0]
    assert (entry["before"]["replicas"], entry["after"]["replicas"]) == (1, 3)
    assert (entry["before"]["type"], entry["after"]["type"]) == ("service", "worker")


def test_arrow_label_and_style_and_note_text_are_changes():
    after = [comp("api", label="API"), comp("db", type="database", label="DB")]
    after += [link("api-db", "api", "db", label="SQL", style="async"), note("sticky", text="done")]
    assert changed(diff(BASE, after)) == {"api-db": ["label", "style"], "sticky": ["text"]}


def test_added_and_removed_are_whole_elements_sorted_by_id():
    before = [comp("b"), comp("a")]
    after = [comp("z", label="Z"), comp("c"), comp("a")]
    result = diff(before, after)
    assert result["added"] == [comp("c"), comp("z", label="Z")]
    assert result["removed"] == [comp("b")]
    assert result["changed"] == []


def test_removing_a_component_and_its_arrow_reports_the_survivor_as_disconnected():
    result = diff(BASE, [comp("api", label="API"), note("sticky", text="todo")])
    assert [e["id"] for e in result["removed"]] == ["api-db", "db"]
    assert changed(result) == {"api": ["connections"]}


def test_an_id_reused_for_another_kind_is_removed_and_added_not_changed():
    before = [comp("x", label="X")]
    after = [note("x", text="X")]
    result = diff(before, after)
    assert result == {"added": [note("x", text="X")], "removed": [comp("x", label="X")], "changed": []}


def test_the_diff_back_is_the_mirror_image():
    after = [comp("api", label="Gateway"), comp("q", type="queue"), link("api-q", "api", "q")]
    forward, back = diff(BASE, after), diff(after, BASE)
    assert forward["added"] == back["removed"] and forward["removed"] == back["added"]
    assert changed(forward) == changed(back)
    for f, b in zip(forward["changed"], back["changed"], strict=True):
        assert (f["before"], f["after"]) == (b["after"], b["before"])


def test_connections_lists_each_neighbour_once_sorted_and_lonely_components_empty():
    elements = by_id([comp("a"), comp("b"), comp("c"), comp("d"), link("1", "a", "c"), link("2", "c", "a")])
    elements.update(by_id([link("3", "b", "a"), note("n")]))
    assert connections(elements) == {"a": ["b", "c"], "b": ["a"], "c": ["a"], "d": []}


def test_the_diff_is_json_as_the_api_sends_it():
    assert json.loads(json.dumps(diff(BASE, [comp("api")]))) == diff(BASE, [comp("api")])


# Restore ops


def test_restoring_an_identical_canvas_needs_no_ops():
    assert restore_ops(BASE, list(reversed(BASE))) == []


def test_restoring_brings_back_position_and_size_too():
    moved = [comp("api", label="API", x=400, w=10), *BASE[1:]]
    ops = restore_ops(moved, BASE)
    assert ops == [{"op": "update", "id": "api", "props": {"x": 0, "w": 160}}]
    assert restored(moved, BASE) == by_id(BASE)


def test_restoring_a_deleted_component_adds_it_before_the_arrows_that_need_it():
    current = [comp("api", label="API"), note("sticky", text="todo")]
    ops = restore_ops(current, BASE)
    assert ops == [{"op": "add", "element": BASE[1]}, {"op": "add", "element": BASE[2]}]
    assert restored(current, BASE) == by_id(BASE)


def test_restoring_deletes_arrows_before_the_components_they_touch():
    target = [comp("api", label="API"), note("sticky", text="todo")]
    ops = restore_ops(BASE, target)
    assert ops == [{"op": "delete", "id": "api-db"}, {"op": "delete", "id": "db"}]
    assert restored(BASE, target) == by_id(target)


def test_restoring_undoes_a_rename_and_a_reconnection_in_one_batch():
    current = [comp("api", label="Gateway"), comp("db", type="database", label="DB"), comp("cache", type="cache")]
    current += [link("api-db", "api", "cache", label="reads"), note("sticky", text="todo")]
    assert restored(current, BASE) == by_id(BASE)
    assert diff(list(restored(current, BASE).values()), BASE) == {"added": [], "removed": [], "changed": []}


def test_restoring_across_a_kind_swap_replaces_the_element():
    current = [note("api", text="was a box"), comp("db", type="database", label="DB"), note("sticky", text="todo")]
    assert restored(current, BASE) == by_id(BASE)
    assert restored(BASE, current) == by_id(current)


def test_restore_ops_are_a_valid_client_batch():
    current = [comp("api", label="Gateway", replicas=4), comp("q", type="queue"), link("api-q", "api", "q")]
    ops = restore_ops(current, BASE)
    # What the server would parse from the wire: the same ops, unchanged by normalisation.
    assert parse_ops(json.loads(json.dumps(ops))) == ops
    applied = apply_ops(by_id(current), len(current), ops)
    assert applied.count == len(BASE)


# Property: restore_ops(A, B) folded onto A is exactly B, as one valid batch.

IDS = [f"e{i}" for i in range(8)]
_text = st.text(alphabet="abcXYZ é", max_size=6)
_coord = st.integers(-1000, 1000)
_size = st.integers(1, 500)


@st.composite
def boards(draw: Any) -> list[Element]:
    """A valid canvas over a shared id pool, so two boards overlap, swap kinds and rewire."""
    kinds = {i: draw(st.sampled_from(["absent", "component", "component", "note", "arrow", "frame"])) for i in IDS}
    components = [i for i, k in kinds.items() if k == "component"]
    regions = ["", *(i for i, k in kinds.items() if k == "frame")]  # what a box's frame may name
    elements = []
    for element_id, kind in kinds.items():
        if kind == "component":
            props = {
                "type": draw(st.sampled_from(COMPONENT_TYPES)),
                "label": draw(_text),
                "tech": draw(_text),
                "replicas": draw(st.integers(1, 5)),
                "notes": draw(_text),
                "x": draw(_coord),
                "y": draw(_coord),
                "w": draw(_size),
                "h": draw(_size),
                "frame": draw(st.sampled_from(regions)),
            }
            elements.append(comp(element_id, **props))
        elif kind == "note":
            text, frame = draw(_text), draw(st.sampled_from(regions))
            elements.append(note(element_id, text=text, x=draw(_coord), y=draw(_coord), w=draw(_size), frame=frame))
        elif kind == "frame":
            box = {"x": draw(_coord), "y": draw(_coord), "w": draw(_size), "h": draw(_size)}
            elements.append(parse_element({"id": element_id, "kind": "frame", "label": draw(_text), **box}, "e"))
        elif kind == "arrow" and len(components) >= 2:
            source, target = draw(st.lists(st.sampled_from(components), min_size=2, max_size=2, unique=True))
            style = draw(st.sampled_from(["sync", "async"]))
            elements.append(link(element_id, source, target, label=draw(_text), style=style))
    return draw(st.permutations(elements))


@settings(max_examples=300, deadline=None)
@given(boards(), boards())
def test_folding_restore_ops_onto_a_gives_exactly_b(a, b):
    ops = restore_ops(a, b)
    # One valid batch: it parses as the server parses a client batch, and applies whole.
    assert 0 < len(ops) <= MAX_OPS_PER_BATCH or by_id(a) == by_id(b)
    if ops:
        assert parse_ops(json.loads(json.dumps(ops))) == ops
    assert fold([ops], by_id(a)) == by_id(b)


@settings(max_examples=200, deadline=None)
@given(boards(), boards())
def test_after_a_restore_the_diff_is_empty_and_the_diff_only_names_real_elements(a, b):
    result = diff(a, b)
    assert {e["id"] for e in result["added"]} <= {e["id"] for e in b}
    assert {e["id"] for e in result["removed"]} <= {e["id"] for e in a}
    assert {c["id"] for c in result["changed"]} <= {e["id"] for e in a} & {e["id"] for e in b}
    assert all(c["fields"] and all(c["before"][f] != c["after"][f] for f in c["fields"]) for c in result["changed"])
    after = list(fold([restore_ops(a, b)], by_id(a)).values())
    assert diff(after, b) == {"added": [], "removed": [], "changed": []}
