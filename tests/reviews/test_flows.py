"""The flow rules, pure: shapes, the arrow between consecutive steps, roles, and the fold."""

from __future__ import annotations

from typing import Any

import pytest

from reviews import flows
from whiteboard.errors import SyncError
from whiteboard.roles import Actor

# web -> api -> db, and a worker reading the db (db -> worker); a note and a frame too.
ELEMENTS: dict[str, dict[str, Any]] = {
    "web": {"id": "web", "kind": "component", "type": "client"},
    "api": {"id": "api", "kind": "component", "type": "service"},
    "db": {"id": "db", "kind": "component", "type": "database"},
    "worker": {"id": "worker", "kind": "component", "type": "worker"},
    "sticky": {"id": "sticky", "kind": "note"},
    "zone": {"id": "zone", "kind": "frame"},
    "web-api": {"id": "web-api", "kind": "arrow", "source": "web", "target": "api"},
    "api-db": {"id": "api-db", "kind": "arrow", "source": "api", "target": "db"},
    "db-worker": {"id": "db-worker", "kind": "arrow", "source": "db", "target": "worker"},
}
CANDIDATE = Actor(participant="p-cand", role="candidate", mode="interview")


def flow_op(*elements: str, flow_id: str = "checkout", title: str = "A checkout") -> dict[str, Any]:
    steps = [{"element": e, "text": f"Step at {e}."} for e in elements]
    return flows.parse_op({"op": "flow", "flow": {"id": flow_id, "title": title, "steps": steps}}, "ops[0]")


def apply(*ops: dict[str, Any], actor: Actor = CANDIDATE, existing: dict[str, Any] | None = None) -> flows.Applied:
    return flows.apply_ops(
        existing or {},
        actor,
        list(enumerate(ops)),
        ELEMENTS.get,
        lambda: [e for e in ELEMENTS.values() if e["kind"] == "arrow"],
        seq=7,
    )


def refusal(call: Any) -> SyncError:
    with pytest.raises(SyncError) as caught:
        call()
    return caught.value


def test_a_flow_along_the_arrows_is_folded_with_its_author_and_seq():
    applied = apply(flow_op("web", "api", "db", "worker"))
    flow = applied.changed["checkout"]
    assert [s["element"] for s in flow["steps"]] == ["web", "api", "db", "worker"]
    assert (flow["author"], flow["seq"], flow["title"]) == ("p-cand", 7, "A checkout")


def test_an_arrow_against_the_walk_joins_the_steps_too():
    applied = apply(flow_op("worker", "db", "api"))  # both arrows point the other way
    assert list(applied.changed) == ["checkout"]


def test_a_step_that_skips_an_arrow_is_refused_naming_that_step():
    error = refusal(lambda: apply(flow_op("web", "api", "worker")))  # api and worker are not joined
    assert (error.code, error.path) == ("validation_error", "ops[0].flow.steps[2].element")
    assert "api" in error.message and "worker" in error.message


def test_an_unknown_element_is_unknown_ref_and_a_note_is_not_a_step():
    assert refusal(lambda: apply(flow_op("web", "ghost"))).as_dict()["path"] == "ops[0].flow.steps[1].element"
    assert refusal(lambda: apply(flow_op("web", "ghost"))).code == "unknown_ref"
    error = refusal(lambda: apply(flow_op("sticky")))
    assert (error.code, error.path) == ("validation_error", "ops[0].flow.steps[0].element")
    assert refusal(lambda: apply(flow_op("zone"))).code == "validation_error"


@pytest.mark.parametrize("role", ["observer", "reviewer"])
def test_roles_that_do_not_edit_the_canvas_may_not_write_flows(role):
    actor = Actor(participant="p", role=role, mode="interview")
    assert refusal(lambda: apply(flow_op("web", "api"), actor=actor)).code == "forbidden"
    existing = {"checkout": {"id": "checkout"}}
    delete = {"op": "delete_flow", "id": "checkout"}
    assert refusal(lambda: apply(delete, actor=actor, existing=existing)).code == "forbidden"


@pytest.mark.parametrize("role", ["owner", "interviewer", "candidate"])
def test_the_canvas_editors_write_flows(role):
    assert apply(flow_op("web", "api"), actor=Actor(participant="p", role=role, mode="interview")).changed


def test_the_same_id_again_replaces_the_flow_and_delete_removes_it():
    first = apply(flow_op("web", "api")).changed
    edited = apply(flow_op("api", "db", title="Saving"), existing=first).changed["checkout"]
    assert (edited["title"], [s["element"] for s in edited["steps"]]) == ("Saving", ["api", "db"])
    deleted = apply({"op": "delete_flow", "id": "checkout"}, existing=first)
    assert deleted.deleted == {"checkout"} and not deleted.changed
    assert refusal(lambda: apply({"op": "delete_flow", "id": "nope"})).code == "unknown_ref"


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"op": "flow"}, "ops[0].flow"),
        ({"op": "flow", "flow": []}, "ops[0].flow"),
        ({"op": "flow", "flow": {"id": "f", "title": "T"}}, "ops[0].flow.steps"),
        ({"op": "flow", "flow": {"id": "f", "title": "T", "steps": []}}, "ops[0].flow.steps"),
        ({"op": "flow", "flow": {"id": "f", "title": "T", "steps": "web"}}, "ops[0].flow.steps"),
        (
            {"op": "flow", "flow": {"id": "f", "title": "  ", "steps": [{"element": "web", "text": "x"}]}},
            "ops[0].flow.title",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": 3, "steps": [{"element": "web", "text": "x"}]}},
            "ops[0].flow.title",
        ),
        (
            {"op": "flow", "flow": {"id": "f/1", "title": "T", "steps": [{"element": "web", "text": "x"}]}},
            "ops[0].flow.id",
        ),
        ({"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web"}]}}, "ops[0].flow.steps[0].text"),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": ""}]}},
            "ops[0].flow.steps[0].text",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": ["web"], "text": "x"}]}},
            "ops[0].flow.steps[0].element",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": "\u202eevil"}]}},
            "ops[0].flow.steps[0].text",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": "x", "at": 1}]}},
            "ops[0].flow.steps[0].at",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": "x"}]}, "x": 1},
            "ops[0].x",
        ),
        (
            {"op": "flow", "flow": {"id": "f", "title": "T", "steps": [{"element": "web", "text": "x"}] * 51}},
            "ops[0].flow.steps",
        ),
        ({"op": "delete_flow"}, "ops[0].id"),
        ({"op": "delete_flow", "id": 5}, "ops[0].id"),
    ],
)
def test_every_field_is_checked_with_its_path(raw, path):
    error = refusal(lambda: flows.parse_op(raw, "ops[0]"))
    assert error.path == path, error.as_dict()


def test_a_board_holds_a_bounded_number_of_flows():
    many = {f"f{i}": {"id": f"f{i}"} for i in range(flows.MAX_FLOWS)}
    assert refusal(lambda: apply(flow_op("web", "api", flow_id="one-more"), existing=many)).code == "too_large"
    assert apply(flow_op("web", "api", flow_id="f3"), existing=many).changed  # an edit still fits


def test_the_fold_keeps_each_flows_place_author_and_last_seq():
    op_a, op_b = flow_op("web", "api", flow_id="a"), flow_op("api", "db", flow_id="b")
    log = [
        {"seq": 1, "participant": "p1", "ops": [op_a]},
        {"seq": 2, "participant": "p2", "ops": [op_b]},
        {"seq": 3, "participant": "p3", "ops": [{**op_a, "flow": {**op_a["flow"], "title": "Edited"}}]},
        {"seq": 4, "participant": "p1", "ops": [{"op": "add", "element": {}}]},
    ]
    folded = flows.fold(log)
    assert list(folded) == ["a", "b"]
    assert (folded["a"]["title"], folded["a"]["author"], folded["a"]["seq"]) == ("Edited", "p3", 3)
    assert list(flows.fold([*log, {"seq": 5, "participant": "p1", "ops": [{"op": "delete_flow", "id": "a"}]}])) == ["b"]
