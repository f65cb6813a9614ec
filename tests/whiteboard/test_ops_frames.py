"""A box's `frame`: stored membership, checked against the board, cleared when its frame is deleted."""

from __future__ import annotations

import pytest

from tests.factories import add, element
from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError


def frame(frame_id: str = "zone", **props: object) -> dict:
    return {"op": "add", "element": element(frame_id, "frame", x=0, y=0, w=480, h=320, **props)}


def board(*raw_ops: dict) -> dict:
    return ops.fold([ops.parse_ops(list(raw_ops))])


def apply(state: dict, *raw_ops: dict) -> ops.Applied:
    return ops.apply_ops(state, len(state), ops.parse_ops(list(raw_ops)))


def refused(state: dict, *raw_ops: dict) -> SyncError:
    with pytest.raises(SyncError) as caught:
        apply(state, *raw_ops)
    return caught.value


def test_a_component_and_a_note_may_be_added_in_a_frame_added_before_them():
    state = board(frame(), add("api", frame="zone"), {"op": "add", "element": element("n", "note", frame="zone")})
    assert state["api"]["frame"] == "zone" and state["n"]["frame"] == "zone"


def test_moving_a_box_out_clears_its_frame_with_an_empty_string():
    state = board(frame(), add("api", frame="zone"))
    applied = apply(state, {"op": "update", "id": "api", "props": {"x": 900, "frame": ""}})
    assert applied.changed["api"]["frame"] == ""


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        (add("api", frame="nowhere"), "ops[0].element.frame", "No frame with id 'nowhere' on this board."),
        (add("api", frame="db"), "ops[0].element.frame", "A box belongs only to a frame; 'db' is a component."),
        ({"op": "update", "id": "db", "props": {"frame": "gone"}}, "ops[0].props.frame", None),
    ],
)
def test_a_frame_that_is_not_a_frame_on_the_board_is_unknown_ref(raw, path, message):
    error = refused(board(add("db")), raw)
    assert (error.code, error.path) == (ErrorCode.UNKNOWN_REF, path)
    assert message is None or error.message == message


@pytest.mark.parametrize("value", [3, None, True, ["zone"], {"id": "zone"}, "has space", "x" * 65, "zone\x00"])
def test_a_frame_of_the_wrong_type_is_a_validation_error(value):
    with pytest.raises(SyncError) as caught:
        ops.parse_ops([add("api", frame=value)])
    assert (caught.value.code, caught.value.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].element.frame")


@pytest.mark.parametrize("kind", ["frame", "arrow"])
def test_only_boxes_belong_to_frames(kind):
    state = board(
        frame(),
        frame("other"),
        add("a"),
        add("b"),
        {"op": "add", "element": element("ab", "arrow", source="a", target="b")},
    )
    target = "other" if kind == "frame" else "ab"
    error = refused(state, {"op": "update", "id": target, "props": {"frame": "zone"}})
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].props.frame")


def test_deleting_a_frame_keeps_its_boxes_and_writes_out_clearing_their_membership():
    state = board(frame(), add("a", frame="zone"), add("b", frame="zone"), add("c"))
    applied = apply(state, {"op": "delete", "id": "zone"})
    assert applied.ops == [
        {"op": "update", "id": "a", "props": {"frame": ""}},
        {"op": "update", "id": "b", "props": {"frame": ""}},
        {"op": "delete", "id": "zone"},
    ]
    assert applied.changed["a"]["frame"] == "" and "c" not in applied.changed
    # The stored batch replays to the same board, and the cascade finds nothing the second time.
    assert ops.fold([applied.ops], dict(state)) == {
        k: v for k, v in {**state, **applied.changed}.items() if k != "zone"
    }


def test_a_box_cannot_join_a_frame_deleted_earlier_in_the_batch():
    error = refused(
        board(frame(), add("a")),
        {"op": "delete", "id": "zone"},
        {"op": "update", "id": "a", "props": {"frame": "zone"}},
    )
    assert (error.code, error.path) == (ErrorCode.UNKNOWN_REF, "ops[1].props.frame")


def test_referenced_ids_names_the_frame_a_box_joins():
    parsed = ops.parse_ops(
        [
            add("a", frame="z1"),
            {"op": "update", "id": "b", "props": {"frame": "z2"}},
            {"op": "update", "id": "c", "props": {"frame": ""}},
        ]
    )
    assert ops.referenced_ids(parsed) == {"a", "z1", "b", "z2", "c"}
