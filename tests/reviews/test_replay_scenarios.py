"""Scenario cards in the replay: each shows from the seq that played it, on the timeline and in the state,
read the same from checkpoints as from the full log."""

from __future__ import annotations

import itertools
from typing import Any
from unittest import mock

import pytest

from reviews import replay, replay_queries
from reviews.replay_queries import state_for, timeline_for
from tests.factories import Member, add, board_with_owner, member
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db


def test_a_card_shows_from_its_seq_on_and_is_a_timeline_marker() -> None:
    board, owner = board_with_owner()
    interviewer, candidate = member(board, "interviewer"), member(board, "candidate")

    ids = itertools.count()

    def send(who: Member, *ops: dict[str, Any]) -> None:
        batch_submit(board_id=board.id, participant_id=who.participant.id, batch_id=f"b{next(ids)}", raw_ops=list(ops))

    send(candidate, add("api"))  # seq 1
    send(interviewer, {"op": "scenario", "card": {"id": "viral", "title": "Goes viral", "text": "10x traffic."}})  # 2
    send(candidate, add("cache", type="cache"))  # seq 3
    send(owner, {"op": "scenario", "card": {"id": "region", "text": "A region is down for two hours."}})  # seq 4
    send(candidate, add("db", type="database"))  # seq 5

    reader = candidate.participant
    with mock.patch.object(replay, "CHUNK", 2), mock.patch.object(replay_queries, "CHECKPOINT_EVERY", 2):
        shown = [[], [], ["viral"], ["viral"], ["viral", "region"], ["viral", "region"]]
        for seq, expected in enumerate(shown):
            state = state_for(board.id, reader, seq)
            assert [card["id"] for card in state["scenarios"]] == expected, seq
            assert state == state_for(board.id, reader, seq, checkpoints=False)  # from a checkpoint too
    (first, second) = state_for(board.id, reader, 5)["scenarios"]
    assert (first["seq"], first["author"], first["title"]) == (2, str(interviewer.participant.id), "Goes viral")
    assert (second["seq"], second["title"]) == (4, "")

    markers = [m for m in timeline_for(board.id)["markers"] if m["type"] == "scenario"]
    assert [(m["seq"], m["label"], m["id"]) for m in markers] == [
        (2, "Goes viral", "viral"),
        (4, "A region is down for two hours.", "region"),
    ]
