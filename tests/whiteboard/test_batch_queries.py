"""The cost of one batch in queries, asserted so it cannot creep back (storage contract)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add, board_with_owner
from whiteboard.services.batches import batch_submit

pytestmark = [pytest.mark.storage, pytest.mark.django_db(transaction=True)]


def submit(board, who, batch_id, *raw_ops):
    return batch_submit(board_id=board.id, participant_id=who.participant.id, batch_id=batch_id, raw_ops=list(raw_ops))


def statements(board, who, batch_id, *raw_ops) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        submit(board, who, batch_id, *raw_ops)
    # Transaction control (BEGIN, COMMIT) is not a query of the batch's own.
    return [q["sql"] for q in captured.captured_queries if q["sql"].split()[0].upper() not in {"BEGIN", "COMMIT"}]


def test_an_update_batch_costs_four_queries():
    board, owner = board_with_owner()
    submit(board, owner, "b1", add("api"))
    done = statements(board, owner, "b2", {"op": "update", "id": "api", "props": {"x": 5}})
    print(len(done), *done, sep="\n")
    assert len(done) == 4, done


def test_an_add_batch_costs_five_queries():
    board, owner = board_with_owner()
    done = statements(board, owner, "b1", add("api"), add("db"))
    print(len(done), *done, sep="\n")
    assert len(done) == 5, done
