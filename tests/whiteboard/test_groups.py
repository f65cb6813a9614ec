"""Issue 12, grouping: a box's optional `group` field, checked, synced, replayed and exported like any field."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, arrow, batch
from tests.reviews.api.helpers import api, cast, submit
from whiteboard import ops
from whiteboard.errors import SyncError
from whiteboard.models import Batch, Element

BAD_GROUPS = [7, 1.5, True, None, [], {"id": "g"}, "has space", "a" * 65, "\u202eg", "g/1", "ü"]


def _apply(*raw: dict) -> dict:
    state = {"api": ops.parse_element(add("api")["element"], "e"), "db": ops.parse_element(add("db")["element"], "e")}
    applied = ops.apply_ops(state, len(state), ops.parse_ops(list(raw)))
    return {**state, **applied.changed}


@pytest.mark.parametrize("kind", ["component", "note", "frame"])
def test_a_box_of_any_kind_may_join_a_group_and_is_in_none_until_it_does(kind):
    board = _apply(add("b", kind, x=1, y=2), add("c", kind, x=1, y=2, group="grp-1"))
    assert "group" not in board["b"]
    assert board["c"]["group"] == "grp-1"


def test_an_update_sets_the_group_and_an_empty_one_leaves_it():
    board = _apply({"op": "update", "id": "api", "props": {"group": "grp-1"}})
    assert board["api"]["group"] == "grp-1"
    state = {"api": board["api"]}
    left = ops.apply_ops(state, 1, ops.parse_ops([{"op": "update", "id": "api", "props": {"group": ""}}]))
    assert left.changed["api"]["group"] == ""


def test_an_arrow_has_no_group():
    with pytest.raises(SyncError) as error:
        _apply(arrow("a1", "api", "db"), {"op": "update", "id": "a1", "props": {"group": "grp-1"}})
    assert (error.value.code, error.value.path) == ("validation_error", "ops[1].props.group")
    with pytest.raises(SyncError) as error:
        _apply(arrow("a1", "api", "db", group="grp-1"))
    assert error.value.path == "ops[0].element.group"


@pytest.mark.parametrize("value", BAD_GROUPS)
def test_a_group_that_is_not_an_id_is_refused_with_its_path(value):
    with pytest.raises(SyncError) as error:
        ops.parse_ops([{"op": "update", "id": "api", "props": {"group": value}}])
    assert (error.value.code, error.value.path) == ("validation_error", "ops[0].props.group")
    with pytest.raises(SyncError) as error:
        ops.parse_ops([add("n", "note", group=value)])
    assert error.value.path == "ops[0].element.group"


def test_a_replay_folds_grouping_and_ungrouping_to_the_live_state():
    batches = [
        ops.parse_ops([add("a"), add("b", "note")]),
        ops.parse_ops([{"op": "update", "id": i, "props": {"group": "grp-1"}} for i in ("a", "b")]),
        ops.parse_ops([{"op": "update", "id": "a", "props": {"group": ""}}]),
    ]
    state = ops.fold(batches)
    assert (state["a"]["group"], state["b"]["group"]) == ("", "grp-1")


# ---------------------------------------------------------------------------- over the socket


async def _pair(room, connect, role="candidate"):
    sender = await connect(room.board.id, room.by_role(role))
    other = await connect(room.board.id, room.owner)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    return sender, other


@pytest.mark.django_db(transaction=True)
async def test_grouping_reaches_everyone_and_is_stored(room, connect):
    sender, other = await _pair(room, connect)
    await sender.send(batch("b1", add("a"), add("b")))
    await other.recv_type("batch")
    grouped = [{"op": "update", "id": i, "props": {"group": "grp-1"}} for i in ("a", "b")]
    await sender.send(batch("b2", *grouped))
    seen = await other.recv_type("batch")
    while seen["id"] != "b2":
        seen = await other.recv_type("batch")
    assert seen["ops"] == grouped
    rows = await database_sync_to_async(lambda: {r.element_id: r.data.get("group") for r in Element.objects.all()})()
    assert rows == {"a": "grp-1", "b": "grp-1"}
    late = await connect(room.board.id, room.observer)
    welcome = await late.recv_type("welcome")
    assert {e["id"]: e.get("group") for e in welcome["elements"]} == rows


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("value", [7, None, ["g"], "no spaces allowed", "x" * 65])
async def test_a_bad_group_is_rejected_whole_and_the_socket_carries_on(room, connect, value):
    sender, other = await _pair(room, connect)
    await sender.send(batch("bad", add("a"), {"op": "update", "id": "a", "props": {"group": value}}))
    rejected = await sender.recv_type("rejected")
    assert (rejected["id"], rejected["code"], rejected["path"]) == ("bad", "validation_error", "ops[1].props.group")
    await other.nothing("batch")
    assert await database_sync_to_async(Batch.objects.filter(board=room.board).count)() == 0
    await sender.send(batch("ok", add("a", group="grp-1")))
    assert (await other.recv_type("batch"))["id"] == "ok"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["observer", "reviewer"])
async def test_those_who_cannot_edit_cannot_group(room, connect, role):
    owner = await connect(room.board.id, room.owner)
    await owner.recv_type("welcome")
    await owner.send(batch("b1", add("a")))
    await owner.recv_type("batch")
    client = await connect(room.board.id, room.by_role(role))
    await client.recv_type("welcome")
    await client.send(batch("g", {"op": "update", "id": "a", "props": {"group": "grp-1"}}))
    assert (await client.recv_type("rejected"))["code"] == "forbidden"
    await owner.nothing("batch")


# ---------------------------------------------------------------------------- over REST (export, import)


@pytest.mark.django_db
def test_an_export_keeps_groups_and_its_import_restores_them():
    people = cast()
    submit(
        people.board, people.owner, *[{"op": "update", "id": i, "props": {"group": "grp-1"}} for i in ("api", "sticky")]
    )
    exported = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=json").json()
    assert {e["id"]: e.get("group") for e in exported["elements"]}["api"] == "grp-1"
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 201, response.content
    groups = {r.element_id: r.data.get("group") for r in Element.objects.filter(board_id=response.json()["id"])}
    assert groups == {"api": "grp-1", "sticky": "grp-1", "db": None, "api-db": None}


@pytest.mark.django_db
@pytest.mark.parametrize("value", [7, "two words", ["grp"]])
def test_an_import_with_a_bad_group_is_refused_with_its_path(value):
    people = cast()
    exported = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=json").json()
    at = next(i for i, e in enumerate(exported["elements"]) if e["id"] == "api")
    exported["elements"][at]["group"] = value
    before = Element.objects.count()
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == [f"content.elements[{at}].group"]
    assert Element.objects.count() == before
