"""Signals over REST: computed from the board's log, for owners and interviewers only."""

from __future__ import annotations

import pytest

from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.factories import annotate, reply

pytestmark = pytest.mark.django_db


def test_the_interviewer_gets_the_counts_with_their_evidence():
    people = cast()
    submit(
        people.board, people.candidate, {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "DAU?"}}
    )
    submit(
        people.board, people.candidate, annotate("n-1", "db", layer="notes", text="If the DB goes down, writes queue.")
    )
    submit(people.board, people.interviewer, annotate("a-1", "api"))
    submit(people.board, people.candidate, reply("a-1", "r-1"))
    submit(people.board, people.interviewer, annotate("a-2", "api", kind="trade_off", text="Why REST?"))

    response = api(people.interviewer).get(f"/api/boards/{people.board.id}/signals/")

    assert response.status_code == 200
    signals = response.json()
    assert (signals["failure_modes"]["prompted"], signals["failure_modes"]["unprompted"]) == (1, 1)
    assert signals["challenges"]["raised"] == 2 and signals["challenges"]["answered"] == 1
    assert signals["challenges"]["open"] == 1
    assert {"type": "annotation", "id": "n-1"}.items() <= signals["evidence"]["failure_modes.unprompted"][0].items()


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
def test_nobody_else_sees_signals(role):
    people = cast()
    response = api(people.by_role(role)).get(f"/api/boards/{people.board.id}/signals/")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_thinking_signals_come_with_the_others_and_their_evidence():
    people = cast()
    submit(people.board, people.interviewer, {"op": "scenario", "card": {"id": "viral", "text": "10x traffic."}})
    submit(people.board, people.candidate, {"op": "update", "id": "api", "props": {"tech": "Go"}})
    submit(people.board, people.interviewer, annotate("a-1", "db"))
    submit(people.board, people.candidate, reply("a-1", "r-1", "It fails over to a replica."))

    signals = api(people.interviewer).get(f"/api/boards/{people.board.id}/signals/").json()

    assert signals["decisions"]["unexplained"] == 1  # api has a technology and no decision
    assert signals["evidence"]["decisions.unexplained"][0]["id"] == "api"
    assert [row["card"] for row in signals["complexity"]["adaptation"]] == ["viral"]
    assert signals["complexity"]["adaptation"][0]["changes"] == 1  # the tech change after the card
    (arc,) = signals["recovery"]["arcs"]
    assert (arc["challenge"], arc["change_seq"]) == ("a-1", None)
    assert [t["text"] for t in signals["communication"]["texts"]] == ["It fails over to a replica."]
    assert signals["communication"]["jargon"] == ["replica"]
