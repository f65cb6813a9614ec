"""Issue 19, defect 3: a client may cause only so much work, in ops and bytes a second, not only batches.

One client sending 500-op batches at the batch rate slowed every other socket
of the process. Each connection now has two more token buckets (vocabulary
`limits`: `ops_per_second`/`ops_burst`, `bytes_per_second`/`bytes_burst`); past
them a batch is refused `rate_limited` (retryable) and nothing is stored, other
frames are dropped, and a socket that keeps pushing is closed 4429. The
consumer's clock is stopped so the buckets never refill: deterministic however
slow the machine is.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, batch
from whiteboard.models import Batch
from whiteboard.vocabulary import LIMITS

pytestmark = pytest.mark.django_db(transaction=True)

OPS_BURST = LIMITS["ops_burst"]
BYTES_BURST = LIMITS["bytes_burst"]
PER_BATCH = LIMITS["ops_per_batch"]


@pytest.fixture
def stopped_clock(monkeypatch):
    monkeypatch.setattr("whiteboard.consumers.time", SimpleNamespace(monotonic=lambda: 1000.0))


async def stored(board) -> int:
    return await database_sync_to_async(Batch.objects.filter(board=board).count)()


async def pair(room, connect):
    sender = await connect(room.board.id, room.candidate)
    other = await connect(room.board.id, room.owner)
    await sender.recv_type("welcome")
    await other.recv_type("welcome")
    return sender, other


def big_batch(batch_id: str, count: int = PER_BATCH, label: str = "") -> dict:
    return batch(batch_id, *(add(f"{batch_id}-{i}", label=label) for i in range(count)))


def test_the_limits_are_in_the_vocabulary_and_leave_room_for_one_largest_message():
    assert LIMITS["ops_per_second"] > 0 and LIMITS["bytes_per_second"] > 0
    assert OPS_BURST >= PER_BATCH  # one full batch always fits an idle bucket
    assert LIMITS["message_bytes"] <= BYTES_BURST


async def test_ops_past_the_budget_are_refused_rate_limited_and_not_stored(room, connect, stopped_clock):
    sender, other = await pair(room, connect)
    fits = OPS_BURST // PER_BATCH
    for i in range(fits + 1):
        await sender.send(big_batch(f"b{i}"))
    replies = [await sender.recv_type_in({"batch", "rejected"}) for _ in range(fits + 1)]
    assert [r["type"] for r in replies] == ["batch"] * fits + ["rejected"]
    assert replies[-1]["code"] == "rate_limited" and replies[-1]["retryable"] is True
    assert replies[-1]["id"] == f"b{fits}"
    assert await stored(room.board) == fits
    # The budget is spent: even a one-op batch waits for it to refill.
    await sender.send(batch("small", add("small")))
    assert (await sender.recv_type("rejected"))["code"] == "rate_limited"
    # Others are not limited by the flooder's budget.
    await other.send(batch("calm", add("calm")))
    while (await other.recv_type("batch"))["id"] != "calm":
        pass


def wordy_batch(batch_id: str, count: int = 20) -> dict:
    text = "x" * LIMITS["text"]
    return batch(batch_id, *(add(f"{batch_id}-{i}", "note", text=text) for i in range(count)))


async def test_bytes_past_the_budget_are_refused_rate_limited(room, connect, stopped_clock):
    sender, _other = await pair(room, connect)
    # Few ops, long texts: the op budget is never the limit here, the byte budget is.
    per_frame = len(json.dumps(wordy_batch("probe")))
    assert per_frame < LIMITS["message_bytes"]
    frames = BYTES_BURST // per_frame + 1
    assert frames * 20 < OPS_BURST
    for i in range(frames):
        await sender.send(wordy_batch(f"b{i}"))
    replies = [await sender.recv_type_in({"batch", "rejected"}, timeout=10) for _ in range(frames)]
    assert [r["type"] for r in replies] == ["batch"] * (frames - 1) + ["rejected"]
    assert replies[-1]["code"] == "rate_limited" and replies[-1]["retryable"] is True
    assert await stored(room.board) == frames - 1


async def test_a_client_that_keeps_pushing_past_its_work_budget_is_closed_4429(room, connect, stopped_clock):
    sender, other = await pair(room, connect)
    # Under the frame rate (240 in a burst), over the work budget: refused 100 times, then closed.
    for i in range(130):
        await sender.send(big_batch(f"p{i}"))
    assert await sender.closed(timeout=10) == 4429
    assert await stored(room.board) <= OPS_BURST // PER_BATCH
    await other.send(batch("after", add("after")))
    while (await other.recv_type("batch"))["id"] != "after":
        pass


@pytest.mark.parametrize("ops", [None, "x", {"op": "add"}, 7])
async def test_a_batch_whose_ops_are_not_a_list_is_refused_for_that_not_a_crash(room, connect, stopped_clock, ops):
    sender, _other = await pair(room, connect)
    await sender.send({"type": "batch", "id": "odd", "ops": ops})
    assert (await sender.recv_type("rejected"))["code"] in ("bad_request", "validation_error")


async def test_an_oversized_batch_is_too_large_not_rate_limited(room, connect, stopped_clock):
    sender, _other = await pair(room, connect)
    await sender.send(big_batch("huge", PER_BATCH + 1))
    assert (await sender.recv_type("rejected"))["code"] == "too_large"
