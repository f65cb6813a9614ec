"""`signals_of` on boards whose log was written through `batch_submit`, like any live board."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reviews.signal_queries import signals_of
from tests.factories import Member, UserFactory, add, arrow, board_with_owner, element, member
from tests.reviews.factories import annotate, reply
from tests.reviews.logs import question, session, update
from whiteboard.models import Board, Participant
from whiteboard.services.batches import batch_submit
from whiteboard.services.boards import board_create

pytestmark = pytest.mark.django_db
BATCH_IDS = itertools.count()


def send(board: Board, who: Member, *raw_ops: dict[str, Any]) -> int:
    batch_id = f"b{next(BATCH_IDS)}"
    committed = batch_submit(
        board_id=board.id, participant_id=who.participant.id, batch_id=batch_id, raw_ops=list(raw_ops)
    )
    return committed.seq


def link(kind: str, item_id: str, seq: int) -> dict[str, Any]:
    return {"type": kind, "id": item_id, "seq": seq}


def test_signals_of_a_stored_interview() -> None:
    board, _owner = board_with_owner()
    interviewer, candidate = member(board, "interviewer"), member(board, "candidate")
    started = send(board, interviewer, session("start"))
    asked = send(board, candidate, question("q1"))
    drawn = send(board, candidate, add("api"), add("db", label=""), arrow("a1", "api", "db"))
    raised = send(board, interviewer, annotate("c1", "api"))
    answered = send(board, candidate, reply("c1", "r1"))
    changed = send(board, candidate, update("api", label="Gateway"))
    send(board, interviewer, annotate("p-1", "db", layer="private", text="Never said what happens when db dies."))
    noted = send(board, candidate, annotate("n1", "db", layer="notes", kind="trade_off", text="SQL for joins."))

    result = signals_of(board.id)

    assert result["start"]["seq"] == started and result["start"]["session"] is True
    assert result["questions_before_first_component"] == 1 and result["drew_before_asking"] is False
    assert 0 <= result["seconds_to_first_question"] <= result["seconds_to_first_component"]
    assert result["failure_modes"] == {"unprompted": 0, "prompted": 1, "already_raised": 0}
    assert result["trade_offs"] == {"unprompted": 1, "prompted": 0, "already_raised": 0}
    assert result["challenges"]["raised"] == result["challenges"]["answered"] == 1
    assert result["challenges"]["open"] == 0
    evidence = result["evidence"]
    assert evidence["questions_before_first_component"] == [
        link("requirement", "q1", asked),
        link("element", "api", drawn),
    ]
    assert evidence["challenges.raised"] == [link("annotation", "c1", raised)]
    assert evidence["trade_offs.unprompted"] == [link("annotation", "n1", noted)]
    # The private note on db is not input: db is still never discussed as a failure mode.
    assert evidence["components_without_failure_mode"] == [link("element", "db", drawn)]
    assert evidence["components_without_labels"] == [link("element", "db", drawn)]
    assert evidence["arrows_without_labels"] == [link("element", "a1", drawn)]
    assert evidence["changed_after_feedback"] == [link("annotation", "c1", answered), link("element", "api", changed)]


def test_template_components_and_revoked_candidates() -> None:
    """A template's boxes are the owner's; a candidate removed afterwards still asked what they asked."""
    board = board_create(owner=UserFactory(), title="Shortener", elements=[element("client", type="client")])
    candidate = member(board, "candidate")
    asked = send(board, candidate, question("q1"))
    drawn = send(board, candidate, add("api"))
    Participant.objects.filter(pk=candidate.participant.id).update(revoked_at=timezone.now())

    result = signals_of(board.id, now=timezone.now() + timedelta(minutes=5))

    assert result["start"]["seq"] == 1 and result["start"]["session"] is False
    assert result["questions_before_first_component"] == 1
    assert result["evidence"]["questions_before_first_component"] == [
        link("requirement", "q1", asked),
        link("element", "api", drawn),
    ]
    assert result["elapsed_seconds"] >= 300
