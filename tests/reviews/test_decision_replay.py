"""Replay shows decisions at the right seq: written, edited, deleted; from checkpoints and from the full fold alike."""

from __future__ import annotations

import pytest

from reviews import replay_queries
from reviews.decision_queries import decision_list
from tests.reviews.decision_ops import decide, delete_decision
from tests.reviews.sockets import Cast, seed

pytestmark = pytest.mark.django_db


def choices(state: dict) -> dict[str, str]:
    return {d["id"]: d["choice"] for d in state["decisions"]}


def test_replay_shows_each_decision_as_it_was_at_every_seq():
    cast = Cast()
    first = seed(cast.board, cast.candidate, decide("d1", "api", choice="Kafka"))["seq"]
    second = seed(cast.board, cast.candidate, decide("d2", "db", choice="Postgres"))["seq"]
    edited = seed(cast.board, cast.interviewer, decide("d1", "api", choice="SQS"))["seq"]
    deleted = seed(cast.board, cast.candidate, delete_decision("d2"))["seq"]
    expected = {
        first - 1: {},
        first: {"d1": "Kafka"},
        second: {"d1": "Kafka", "d2": "Postgres"},
        edited: {"d1": "SQS", "d2": "Postgres"},
        deleted: {"d1": "SQS"},
    }
    for seq, wanted in expected.items():
        for checkpoints in (True, False):
            state = replay_queries.state_for(cast.board.id, cast.observer.participant, seq, checkpoints=checkpoints)
            assert choices(state) == wanted
    head = replay_queries.state_for(cast.board.id, cast.observer.participant, deleted)
    assert head["decisions"] == decision_list(cast.board.id)  # the head is the live board
