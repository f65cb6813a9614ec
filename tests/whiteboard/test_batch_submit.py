"""The storage contract: run on SQLite by `make test`, and again on PostgreSQL (`-m storage`)."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from tests.factories import add, arrow, board_with_owner, member
from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Board, Element
from whiteboard.selectors import board_state
from whiteboard.services.batches import batch_submit

pytestmark = [pytest.mark.storage, pytest.mark.django_db(transaction=True)]


def submit(board, who, batch_id, *raw_ops):
    return batch_submit(board_id=board.id, participant_id=who.participant.id, batch_id=batch_id, raw_ops=list(raw_ops))


def materialised(board) -> dict:
    return {row.element_id: row.data for row in Element.objects.filter(board=board)}


def logged(board) -> list[list[dict]]:
    return [b.ops for b in Batch.objects.filter(board=board).order_by("seq")]


def test_each_batch_gets_the_next_seq_and_updates_the_materialised_state():
    board, owner = board_with_owner()
    assert submit(board, owner, "b1", add("api"), add("db")).seq == 1
    assert submit(board, owner, "b2", arrow("a", "api", "db")).seq == 2
    board.refresh_from_db()
    assert (board.seq, board.element_count) == (2, 3)
    assert materialised(board) == ops.fold(logged(board))


def test_a_rejected_batch_takes_no_seq_and_leaves_no_trace():
    board, owner = board_with_owner()
    submit(board, owner, "b1", add("api"))
    with pytest.raises(SyncError):
        submit(board, owner, "b2", {"op": "update", "id": "api", "props": {"x": 5}}, arrow("a", "api", "gone"))
    board.refresh_from_db()
    assert board.seq == 1 and Batch.objects.filter(board=board).count() == 1
    assert materialised(board)["api"]["x"] == 0
    assert submit(board, owner, "b3", add("db")).seq == 2


def test_a_resend_returns_the_original_batch_even_after_the_board_moved_on():
    board, owner = board_with_owner()
    first = submit(board, owner, "b1", add("api"))
    submit(board, owner, "b2", {"op": "delete", "id": "api"})
    again = submit(board, owner, "b1", add("api"))
    assert again.duplicate and again.seq == first.seq and again.message == first.message
    assert Batch.objects.filter(board=board).count() == 2 and materialised(board) == {}


def test_batch_ids_are_scoped_to_their_sender():
    board, owner = board_with_owner()
    candidate = member(board, "candidate")
    submit(board, owner, "same", add("a"))
    assert submit(board, candidate, "same", add("b")).seq == 2


@pytest.mark.parametrize("text", ["\x00", "\ud800", "ok\udfff"])
def test_text_the_database_cannot_store_is_refused_before_it_gets_there(text):
    board, owner = board_with_owner()
    with pytest.raises(SyncError) as caught:
        submit(board, owner, "b1", add("api", label=text))
    assert caught.value.code == ErrorCode.VALIDATION_ERROR


def test_unicode_round_trips_exactly():
    board, owner = board_with_owner()
    label = "خدمة الدفع 🧑‍💻 Zürich"
    submit(board, owner, "b1", add("api", label=label))
    assert materialised(board)["api"]["label"] == label


def test_concurrent_writers_get_unique_gapless_seqs():
    board, owner = board_with_owner()
    writers = [owner] + [member(board, "candidate") for _ in range(3)]
    errors: list[BaseException] = []

    def write(who, n):
        try:
            for i in range(15):
                submit(board, who, f"w{n}-{i}", add(f"w{n}-{i}"))
        except BaseException as error:  # surfaced below with the failing thread's cause
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(who, n)) for n, who in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    seqs = list(Batch.objects.filter(board=board).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 61))
    board.refresh_from_db()
    assert board.seq == 60 and board.element_count == 60
    assert materialised(board) == ops.fold(logged(board))


def test_the_joining_snapshot_is_one_consistent_moment():
    board, owner = board_with_owner()
    submit(board, owner, "b1", add("api"), add("db"))
    snapshot, elements, _ = board_state(board.id)
    assert snapshot.seq == 1 and sorted(e["id"] for e in elements) == ["api", "db"]


def test_deleting_a_board_removes_its_log_and_elements():
    board, owner = board_with_owner()
    submit(board, owner, "b1", add("api"))
    Board.objects.get(pk=board.pk).delete()
    assert not Batch.objects.exists() and not Element.objects.exists()


def test_the_run_uses_the_database_it_was_asked_for():
    asked = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if asked.startswith("postgres") else "sqlite")


def test_a_batch_for_a_deleted_board_is_not_found():
    board, owner = board_with_owner()
    participant_id = owner.participant.id
    board.delete()
    with pytest.raises(SyncError) as caught:
        batch_submit(board_id=board.id, participant_id=participant_id, batch_id="b1", raw_ops=[add("a")])
    assert caught.value.code == ErrorCode.NOT_FOUND


def test_a_group_commits_together_and_a_refused_batch_in_it_rolls_back_alone():
    from whiteboard.services.batches import Submission, batch_submit_group

    board, owner = board_with_owner()
    other, other_owner = board_with_owner()
    submit(board, owner, "b0", add("api"))

    def one(where, who, batch_id, *raw_ops):
        return Submission(where.id, who.participant.id, batch_id, list(raw_ops))

    results = batch_submit_group(
        [
            one(board, owner, "g1", add("db")),
            one(board, owner, "bad", {"op": "update", "id": "api", "props": {"x": 5}}, arrow("a", "api", "gone")),
            one(other, other_owner, "o1", add("web")),
            one(board, owner, "not-ops", "not a list"),
            one(board, owner, "b0", add("api")),  # a resend, inside a group
            one(board, owner, "g2", arrow("a", "api", "db")),
        ]
    )
    assert [getattr(r, "seq", None) for r in results] == [2, None, 1, None, 1, 3]
    assert isinstance(results[1], SyncError) and isinstance(results[3], SyncError)
    assert results[4].duplicate and not results[0].duplicate
    board.refresh_from_db()
    assert (board.seq, board.element_count) == (3, 3)
    assert list(Batch.objects.filter(board=board).order_by("seq").values_list("seq", "client_id")) == [
        (1, "b0"),
        (2, "g1"),
        (3, "g2"),
    ]
    assert materialised(board)["api"]["x"] == 0  # the refused update left no trace
    assert materialised(board) == ops.fold(logged(board))
    assert materialised(other) == ops.fold(logged(other)) and len(materialised(other)) == 1


def test_a_group_announces_its_batches_only_after_it_commits_in_seq_order():
    from whiteboard import broadcast
    from whiteboard.services.batches import Submission, batch_submit_group

    board, owner = board_with_owner()
    announced: list = []
    token = broadcast.collecting.set(announced)
    try:
        batch_submit_group([Submission(board.id, owner.participant.id, f"b{i}", [add(f"e{i}")]) for i in range(5)])
    finally:
        broadcast.collecting.reset(token)
    assert [(b, m["seq"]) for b, m in announced] == [(board.id, seq) for seq in range(1, 6)]
