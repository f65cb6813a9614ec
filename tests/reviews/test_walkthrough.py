"""The project walkthrough: its ledger kinds, a component's credit, and its signals, over the socket and REST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from channels.db import database_sync_to_async

from reviews import interview_signals
from reviews.models import LedgerEntry
from tests.factories import add, batch
from tests.reviews.interview_ops import requirement, start
from tests.reviews.questions_cast import QuestionCast, rest
from whiteboard import ops
from whiteboard.errors import SyncError
from whiteboard.models import Element

pytestmark = pytest.mark.django_db(transaction=True)


def credit(element_id: str, who: str) -> dict:
    return {"op": "update", "id": element_id, "props": {"credit": who}}


def test_credit_is_an_optional_component_field_checked_like_the_others():
    plain = ops.parse_element({"id": "a", "kind": "component", "type": "service", "x": 0, "y": 0}, "e")
    assert "credit" not in plain  # absent until someone says who built it
    assert ops.parse_element({**plain, "credit": "vendor"}, "e")["credit"] == "vendor"
    for bad in ("boss", 1, None):
        with pytest.raises(SyncError) as refused:
            ops.parse_op(credit("a", bad), "ops[0]")
        assert refused.value.path == "ops[0].props.credit"
    assert ops.parse_op(credit("a", ""), "ops[0]")["props"] == {"credit": ""}
    with pytest.raises(SyncError):
        ops.parse_element({"id": "n", "kind": "note", "x": 0, "y": 0, "credit": "me"}, "e")


async def test_a_walkthrough_over_the_socket_then_its_signals_over_rest(connect):
    cast = await database_sync_to_async(QuestionCast)("walkthrough")
    candidate = await connect(cast.board.id, cast.candidate)
    await candidate.recv_type("welcome")
    interviewer = await connect(cast.board.id, cast.interviewer)
    await interviewer.recv_type("welcome")

    async def send(client, batch_id, *sent):
        await client.send(batch(batch_id, *sent))
        while True:
            frame = await client.recv_type_in({"batch", "rejected"})
            if frame["id"] == batch_id:
                return frame

    assert (await send(interviewer, "s", start()))["type"] == "batch"
    drawn = [
        add("api", label="Checkout API", tech="Go", credit="me"),
        add("db", type="database", label="Orders", tech="PostgreSQL", credit="team"),
        add("pay", type="external", label="Payments", tech="Stripe", credit="vendor"),
        add("auth", label="Auth", tech="Go", credit="other_team"),
        add("cache", type="cache", label="Cache", tech="Redis"),
    ]
    assert (await send(candidate, "draw", *drawn))["type"] == "batch"
    assert (await send(candidate, "credit", credit("cache", "me")))["type"] == "batch"
    rejected = await send(candidate, "bad", credit("cache", "the intern"))
    assert (rejected["type"], rejected["path"]) == ("rejected", "ops[0].props.credit")
    story = [
        requirement("c1", "Two engineers and six weeks before Black Friday", kind="constraint", links=["api"]),
        requirement(
            "d1", "Postgres over DynamoDB because the team knew it and we needed joins", kind="decision", links=["db"]
        ),
        requirement("d2", "Redis cache", kind="decision", links=["cache"]),
        requirement("o1", "Checkout p99 went from 2 s to 300 ms", kind="outcome"),
        requirement("h1", "I would split the cache per tenant from day one", kind="hindsight", links=["cache"]),
    ]
    echoed = await send(candidate, "story", *story)
    assert echoed["type"] == "batch" and [op["entry"]["kind"] for op in echoed["ops"]] == [
        "constraint",
        "decision",
        "decision",
        "outcome",
        "hindsight",
    ]
    seen = await interviewer.recv_type("batch")
    while seen["id"] != "story":
        seen = await interviewer.recv_type("batch")
    assert seen["ops"] == echoed["ops"]

    stored = await database_sync_to_async(
        lambda: dict(Element.objects.filter(board=cast.board).values_list("element_id", "data"))
    )()
    assert stored["cache"]["credit"] == "me" and stored["api"]["credit"] == "me"
    kinds = await database_sync_to_async(
        lambda: sorted(LedgerEntry.objects.filter(board=cast.board).values_list("kind", flat=True))
    )()
    assert kinds == ["constraint", "decision", "decision", "hindsight", "outcome"]

    body = (await database_sync_to_async(rest(cast.interviewer).get)(f"/api/boards/{cast.board.id}/signals/")).json()
    story_signals = body["walkthrough"]
    assert story_signals["constraints"] == 1 and story_signals["technologies"] == 4
    assert story_signals["decisions"] == 2 and story_signals["decisions_with_reasons"] == 1
    assert story_signals["outcomes"] == 1 and story_signals["hindsight"] is True
    assert story_signals["credit"] == {
        "components": 5,
        "me": 0.4,
        "team": 0.2,
        "other_team": 0.2,
        "vendor": 0.2,
        "others": 0.4,
        "uncredited": 0.0,
    }
    assert [link["id"] for link in body["evidence"]["walkthrough.decisions_with_reasons"]] == ["d1"]
    assert {link["id"] for link in body["evidence"]["walkthrough.credit"]} == {"api", "db", "pay", "auth", "cache"}
    assert [link["id"] for link in body["evidence"]["walkthrough.hindsight"]] == ["h1"]
    refused = await database_sync_to_async(rest(cast.candidate).get)(f"/api/boards/{cast.board.id}/signals/")
    assert refused.status_code == 403


def test_a_design_board_s_signals_have_no_walkthrough_group():
    cast = QuestionCast("design")
    body = rest(cast.interviewer).get(f"/api/boards/{cast.board.id}/signals/").json()
    assert "walkthrough" not in body


def test_walkthrough_signals_of_an_empty_story_are_zero_and_null_shares():
    at = datetime(2026, 1, 1, tzinfo=UTC)
    result = interview_signals.compute(
        [{"seq": 1, "participant": "i", "ops": [start()], "at": at}], {"i": "interviewer"}, walkthrough=True
    )
    assert result["walkthrough"] == {
        "constraints": 0,
        "technologies": 0,
        "decisions": 0,
        "decisions_with_reasons": 0,
        "outcomes": 0,
        "hindsight": False,
        "credit": {
            "components": 0,
            "me": None,
            "team": None,
            "other_team": None,
            "vendor": None,
            "others": None,
            "uncredited": None,
        },
    }
