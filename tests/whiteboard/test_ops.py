"""The pure core: every op is checked on its own, then against the board."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import add, arrow, element
from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError


def apply(state: dict, *raw_ops: dict) -> ops.Applied:
    return ops.apply_ops(state, len(state), ops.parse_ops(list(raw_ops)))


def rejects(code: ErrorCode, raw_ops: list, state: dict | None = None, path: str | None = None) -> SyncError:
    with pytest.raises(SyncError) as caught:
        ops.apply_ops(state or {}, len(state or {}), ops.parse_ops(raw_ops))
    assert caught.value.code == code, caught.value.message
    if path is not None:
        assert caught.value.path == path
    return caught.value


def test_add_fills_defaults_so_every_client_stores_the_same_element():
    applied = apply({}, add("api"))
    assert applied.changed["api"] == {
        "id": "api",
        "kind": "component",
        "type": "service",
        "label": "api",
        "x": 0,
        "y": 0,
        "w": 160,
        "h": 72,
        "tech": "",
        "replicas": 1,
        "notes": "",
    }
    assert applied.count == 1


def test_update_changes_only_the_given_properties():
    state = {"api": apply({}, add("api", label="API", tech="Go")).changed["api"]}
    applied = apply(state, {"op": "update", "id": "api", "props": {"x": 10}})
    assert applied.changed["api"]["x"] == 10
    assert applied.changed["api"]["tech"] == "Go" and applied.changed["api"]["label"] == "API"


def test_deleting_a_component_cascades_to_its_arrows_explicitly():
    state = ops.fold([ops.parse_ops([add("a"), add("b"), add("c"), arrow("ab", "a", "b"), arrow("ca", "c", "a")])])
    applied = apply(state, {"op": "delete", "id": "a"})
    assert applied.ops == [{"op": "delete", "id": "ab"}, {"op": "delete", "id": "ca"}, {"op": "delete", "id": "a"}]
    assert applied.deleted == {"a", "ab", "ca"}
    assert applied.count == 2


def test_a_batch_sees_its_own_earlier_ops():
    applied = apply(
        {}, add("a"), add("b"), arrow("ab", "a", "b"), {"op": "update", "id": "ab", "props": {"label": "HTTP"}}
    )
    assert applied.changed["ab"]["label"] == "HTTP"


def test_an_element_added_and_deleted_in_one_batch_leaves_no_row():
    applied = apply({}, add("a"), {"op": "delete", "id": "a"})
    assert applied.changed == {} and applied.deleted == frozenset() and applied.count == 0


def test_a_deleted_id_may_be_added_again_so_undo_can_restore_it():
    state = ops.fold([ops.parse_ops([add("a")]), ops.parse_ops([{"op": "delete", "id": "a"}])])
    assert apply(state, add("a")).changed["a"]["id"] == "a"


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (add("a", x=float("nan")), "ops[0].element.x"),
        (add("a", x=float("inf")), "ops[0].element.x"),
        (add("a", x=1e6 + 1), "ops[0].element.x"),
        (add("a", x=True), "ops[0].element.x"),
        (add("a", x="10"), "ops[0].element.x"),
        (add("a", w=0), "ops[0].element.w"),
        (add("a", h=-5), "ops[0].element.h"),
        (add("a", replicas=0), "ops[0].element.replicas"),
        (add("a", replicas=2.5), "ops[0].element.replicas"),
        (add("a", replicas=True), "ops[0].element.replicas"),
        (add("a", type="mainframe"), "ops[0].element.type"),
        (add("a", label="x" * 201), "ops[0].element.label"),
        (add("a", notes="x" * 4001), "ops[0].element.notes"),
        (add("a", label="nul\x00here"), "ops[0].element.label"),
        (add("a", label="lone \ud800 surrogate"), "ops[0].element.label"),
        (add("a", label="evil\u202etxt.exe"), "ops[0].element.label"),
        (add("a", label={"a": 1}), "ops[0].element.label"),
        (add("a", author="someone-else"), "ops[0].element.author"),
        (add("a", seq=7), "ops[0].element.seq"),
        ({"op": "add", "element": {**element("a"), "kind": "blob"}}, "ops[0].element.kind"),
        ({"op": "add", "element": {"kind": "component", "type": "service", "x": 0, "y": 0}}, "ops[0].element.id"),
        ({"op": "add", "element": {"id": "a", "kind": "component", "x": 0, "y": 0}}, "ops[0].element.type"),
        (add("../../etc"), "ops[0].element.id"),
        (add("x" * 65), "ops[0].element.id"),
        (add("a", text="note"), "ops[0].element.text"),
        ({"op": "update", "id": "a", "props": {}}, "ops[0].props"),
        ({"op": "update", "id": "a", "props": {"kind": "arrow"}}, "ops[0].props.kind"),
        ({"op": "update", "id": "a", "props": {"id": "b"}}, "ops[0].props.id"),
        ({"op": "delete", "id": 123}, "ops[0].id"),
        ({"op": "delete", "id": "a", "cascade": False}, "ops[0].cascade"),
        (arrow("ab", "a", "a"), "ops[0].element.target"),
        (arrow("ab", "a", "b", style="dotted"), "ops[0].element.style"),
    ],
)
def test_invalid_values_are_rejected_with_the_field_path(raw, path):
    rejects(ErrorCode.VALIDATION_ERROR, [raw], path=path)


def test_labels_up_to_the_limit_are_accepted_and_stored_nfc():
    applied = apply({}, add("a", label="e\u0301" + "x" * 199))
    assert applied.changed["a"]["label"] == "\u00e9" + "x" * 199


@pytest.mark.parametrize("name", ["drop_table", None, "", "x" * 10000])
def test_unknown_ops_are_named_unknown_op(name):
    rejects(ErrorCode.UNKNOWN_OP, [{"op": name, "id": "a"}])


@pytest.mark.parametrize("raw", [[], "ops", None, {"op": "add"}])
def test_a_batch_must_be_a_non_empty_list(raw):
    with pytest.raises(SyncError) as caught:
        ops.parse_ops(raw)
    assert caught.value.code in {ErrorCode.BAD_REQUEST, ErrorCode.VALIDATION_ERROR}


def test_a_batch_holds_at_most_500_ops():
    ops.parse_ops([add(f"c{i}") for i in range(500)])
    with pytest.raises(SyncError) as caught:
        ops.parse_ops([add(f"c{i}") for i in range(501)])
    assert caught.value.code == ErrorCode.TOO_LARGE


def test_a_board_holds_at_most_5000_elements():
    state = {f"c{i}": element(f"c{i}") for i in range(4999)}
    ops.apply_ops(state, 4999, ops.parse_ops([add("last")]))
    with pytest.raises(SyncError) as caught:
        ops.apply_ops(state, 4999, ops.parse_ops([add("one"), add("two")]))
    assert caught.value.code == ErrorCode.TOO_LARGE


def test_an_existing_id_cannot_be_added_again():
    rejects(ErrorCode.DUPLICATE_ID, [add("a")], state={"a": element("a")})
    rejects(ErrorCode.DUPLICATE_ID, [add("a"), add("a")])


@pytest.mark.parametrize(
    "raw",
    [
        [arrow("ab", "a", "missing")],
        [{"op": "update", "id": "missing", "props": {"x": 1}}],
        [{"op": "delete", "id": "missing"}],
        [{"op": "delete", "id": "a"}, {"op": "delete", "id": "a"}],
        [{"op": "delete", "id": "a"}, arrow("ab", "a", "b")],
        [add("n", "note"), arrow("an", "a", "n")],
    ],
)
def test_references_to_missing_or_deleted_elements_are_unknown_ref(raw):
    rejects(ErrorCode.UNKNOWN_REF, raw, state={"a": element("a"), "b": element("b")})


def test_an_arrow_cannot_be_moved_onto_a_missing_component():
    state = ops.fold([ops.parse_ops([add("a"), add("b"), arrow("ab", "a", "b")])])
    rejects(ErrorCode.UNKNOWN_REF, [{"op": "update", "id": "ab", "props": {"target": "zzz"}}], state=state)


def test_a_property_of_another_kind_is_refused_on_update():
    rejects(
        ErrorCode.VALIDATION_ERROR, [{"op": "update", "id": "a", "props": {"text": "hi"}}], state={"a": element("a")}
    )


def test_a_rejected_batch_changes_nothing():
    state = {"a": element("a")}
    before = {k: dict(v) for k, v in state.items()}
    rejects(
        ErrorCode.UNKNOWN_REF, [{"op": "update", "id": "a", "props": {"x": 5}}, {"op": "delete", "id": "nope"}], state
    )
    assert state == before


def test_referenced_ids_names_every_element_a_batch_reads():
    parsed = ops.parse_ops([add("a"), arrow("ab", "a", "b"), {"op": "update", "id": "c", "props": {"target": "d"}}])
    assert ops.referenced_ids(parsed) == {"a", "ab", "b", "c", "d"}


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=12))
def test_folding_adds_and_deletes_never_leaves_a_dangling_arrow(names):
    state: dict = {}
    for i, name in enumerate(names):
        if name in state:
            batch = [{"op": "delete", "id": name}]
        else:
            batch = [add(name)] + [
                arrow(f"{name}{o}{i}", name, o) for o in sorted(state) if state[o]["kind"] == "component"
            ]
        state = ops.fold([ops.parse_ops(batch)], state)
        for item in state.values():
            if item["kind"] == "arrow":
                assert item["source"] in state and item["target"] in state


def test_an_arrow_can_be_relabelled_with_only_the_arrow_loaded():
    """The service loads what a batch names: the arrow, not the components it already joins."""
    arrow_only = {"ab": {"id": "ab", "kind": "arrow", "source": "a", "target": "b", "label": "", "style": "sync"}}
    applied = apply(arrow_only, {"op": "update", "id": "ab", "props": {"label": "reads", "style": "async"}})
    assert applied.changed["ab"]["label"] == "reads" and applied.changed["ab"]["style"] == "async"
