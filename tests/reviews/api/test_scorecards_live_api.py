"""A candidate's socket never carries scorecard data, whatever the interviewers do with their cards."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from tests.reviews.api.helpers import api
from tests.reviews.api.test_scorecards_api import COMPLETE, url
from tests.reviews.factories import annotate

pytestmark = pytest.mark.django_db(transaction=True)


async def test_scoring_while_the_candidate_is_connected_sends_them_nothing(room, connect):
    candidate = await connect(room.board.id, room.candidate)
    await candidate.recv_type("welcome")

    def score() -> None:
        assert api(room.interviewer).put(url(room.board, "mine/"), COMPLETE, format="json").status_code == 200
        assert api(room.interviewer).post(url(room.board, "mine/submit/")).status_code == 200
        body = {"layer": "challenges", "target": None, "kind": "clarify", "text": "Who are the users?"}
        assert (
            api(room.interviewer).post(f"/api/boards/{room.board.id}/annotations/", body, format="json").status_code
            == 201
        )

    await database_sync_to_async(score)()
    challenge = await candidate.recv_type("batch")  # something public did happen, and arrives
    assert challenge["ops"][0]["op"] == annotate("x")["op"]
    await candidate.nothing(timeout=0.5)
    received = json.dumps(candidate.frames)
    assert "CANARY" not in received and "scorecard" not in received and "hire" not in received
