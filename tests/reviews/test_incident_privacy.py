"""An incident's hidden fault never reaches a candidate, an observer or a reviewer before the incident closes.

The interviewer hides a fault, replaces it, opens the incident; the candidate
inspects, acts and guesses; every frame the three outsiders receive is recorded
byte for byte, then every REST response and page they can ask for (the board,
its log, state and timeline for replay, analysis, exports in every format,
signals, the report). None may hold the fault: no `fault` or `root_cause` key,
no `fault` op, not the kind's name. Closing the incident then reveals it to all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.factories import batch
from tests.reviews.incident_cast import IncidentCast, act, close_incident, fault, hypothesis, inspect, open_incident
from tests.reviews.privacy import OUTSIDERS, READERS, assert_outsiders_clean, pages, record, rest_paths
from tests.reviews.sockets import RawClient, raw

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "bad_deploy"  # no observation, action result or text ever spells a kind's name


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in keys(item)}
    return set()


def assert_clean(text: str, where: str) -> None:
    assert KIND not in text, f"{where} names the fault's kind: {text[:400]}"
    assert '"op":"fault"' not in text.replace(" ", ""), f"{where} holds a fault op: {text[:400]}"
    try:
        found = keys(json.loads(text))
    except json.JSONDecodeError:
        found = set()
    assert not found & {"fault", "root_cause"}, f"{where} holds the fault: {text[:400]}"


def record_rest(cast: IncidentCast, role: str, seq: int) -> dict[str, tuple[int, str]]:
    paths = [p for p in rest_paths(cast.board.id, seq) if "question" not in p] + [
        f"/api/boards/{cast.board.id}/incident/"
    ]
    return record(cast.by_role(role), paths, pages(cast.board.id))


async def test_no_frame_or_response_an_outsider_receives_holds_the_fault_before_close(connect, fast_heartbeat):
    cast = await database_sync_to_async(IncidentCast)()
    clients: dict[str, RawClient] = {}
    for role in (*READERS, *OUTSIDERS):
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    interviewer, candidate = clients["interviewer"], clients["candidate"]

    script = [
        (interviewer, fault("mailer", "down")),
        (interviewer, fault("api", KIND)),  # replaced before it opens
        (interviewer, open_incident("Checkout returns HTTP 500")),
        (candidate, inspect("users", "metrics")),
        (candidate, inspect("api", "logs")),
        (candidate, inspect("api", "deploys")),
        (candidate, inspect("users", "traces")),
        (candidate, act("search", "restart")),
        (candidate, hypothesis("h1", "api", ["api", "lb", "users"])),
        (candidate, act("api", "rollback")),
    ]
    for k, (client, op) in enumerate(script):
        answer = await client.submit(batch(f"s{k}", op))
        assert answer["type"] == "batch", answer
    for client in clients.values():
        await client.drain(0.4)

    seq = cast.board.seq + 20
    await assert_outsiders_clean(connect, cast, clients, assert_clean=assert_clean, record_rest=record_rest, seq=seq)
    # The interviewing side does see it, live and in its welcome.
    for role in READERS:
        assert any(KIND in text for text in clients[role].texts), role

    # Closing reveals it to everyone, in the stored close op.
    closed = await interviewer.submit(batch("close", close_incident()))
    assert closed["ops"][0]["root_cause"] == {"target": "api", "kind": KIND}
    for role in OUTSIDERS:
        frame = await clients[role].batch_with("close")
        assert frame["ops"][0]["root_cause"] == {"target": "api", "kind": KIND}
