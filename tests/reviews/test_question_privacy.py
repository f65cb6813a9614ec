"""A question's private parts never reach a candidate, an observer or a reviewer.

The board is made from a question whose facts, reference design, follow-ups, cards
and rubric are full of canaries (texts and ids). Every frame those three roles
receive while the interview runs (the candidate asks, the interviewer reads the
panel, answers by hand and compares with the reference, the candidate draws) is
recorded byte for byte, then every REST response and page they can ask for:
the board, its log, its question, the comparison, the bank, replay, analysis,
exports in every format, signals, scorecards and the report. None may hold a
canary. The owner and the interviewer, meanwhile, do read them.
"""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.factories import add, arrow, batch
from tests.reviews.privacy import OUTSIDERS, READERS, assert_outsiders_clean, pages, record, rest_paths
from tests.reviews.questions_cast import CANARY, ID_CANARY, QuestionCast, rest
from tests.reviews.sockets import RawClient, raw

pytestmark = pytest.mark.django_db(transaction=True)


def entry(entry_id: str, text: str, kind: str = "question") -> dict[str, Any]:
    return {"op": "requirement", "entry": {"id": entry_id, "kind": kind, "text": text}}


def assert_clean(text: str, where: str) -> None:
    assert CANARY not in text, f"{where} holds a private text: {text[:400]}"
    assert ID_CANARY not in text.lower(), f"{where} holds a private id: {text[:400]}"


def record_rest(cast: QuestionCast, role: str, seq: int) -> dict[str, tuple[int, str]]:
    return record(cast.by_role(role), rest_paths(cast.board.id, seq), pages(cast.board.id))


async def test_no_frame_or_response_an_outsider_receives_holds_any_of_the_question_s_private_parts(
    connect, fast_heartbeat
):
    cast = await database_sync_to_async(QuestionCast)()
    clients: dict[str, RawClient] = {}
    for role in (*READERS, *OUTSIDERS):
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        welcome = await clients[role].recv_type("welcome")
        assert welcome["elements"] == [], f"{role}'s welcome holds a diagram"
    candidate, interviewer, owner = clients["candidate"], clients["interviewer"], clients["owner"]

    async def panel() -> dict[str, Any]:
        response = await database_sync_to_async(rest(cast.interviewer).get)(f"/api/boards/{cast.board.id}/question/")
        return response.json()

    assert (await owner.submit(batch("start", {"op": "session", "action": "start"})))["type"] == "batch"
    for k, text in enumerate(["How many miners will use it?", "What latency do alarms need?", "Is there a budget?"]):
        assert (await candidate.submit(batch(f"ask-{k}", entry(f"q{k}", text))))["type"] == "batch"
    suggested = (await panel())["suggestions"]
    assert {key: items[0]["fact"] for key, items in suggested.items()} == {
        "q0": f"{ID_CANARY}-users",
        "q1": f"{ID_CANARY}-latency",
        "q2": f"{ID_CANARY}-budget",
    }
    # Answered by hand, in the interviewer's own words: what goes into the ledger is theirs to say.
    answer = {"op": "answer_requirement", "entry": "q0", "text": "About forty million."}
    assert (await interviewer.submit(batch("answer-0", answer)))["type"] == "batch"
    drawn = [
        add("sensor", type="client", label="Sensor"),
        add("q", type="queue", label="Queue"),
        arrow("s-q", "sensor", "q"),
    ]
    assert (await candidate.submit(batch("draw", *drawn)))["type"] == "batch"
    compared = await database_sync_to_async(rest(cast.interviewer).get)(
        f"/api/boards/{cast.board.id}/question/compare/"
    )
    assert compared.status_code == 200 and CANARY in compared.content.decode()
    assert (await owner.submit(batch("end", {"op": "session", "action": "end"})))["type"] == "batch"
    for client in clients.values():
        await client.drain(0.4)

    seq = cast.board.seq + 10
    await assert_outsiders_clean(connect, cast, clients, assert_clean=assert_clean, record_rest=record_rest, seq=seq)
    # The interviewing side does read the question in full, and the report holds the comparison.
    for role in READERS:
        seen = await database_sync_to_async(record_rest)(cast, role, seq)
        assert CANARY in seen[f"/api/boards/{cast.board.id}/question/"][1], role
        assert CANARY in seen[f"/boards/{cast.board.id}/report/"][1], role
