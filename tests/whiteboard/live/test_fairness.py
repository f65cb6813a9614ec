"""A heavy request on one board does not stop another board's acknowledgements (issue 19).

A 5,000-element import used to write its board in one transaction on the
request's thread; on SQLite that held the database's one write lock until the
whole import was written, so every other board's batches, however small, were
stored only after it. Now the import's batches take turns with the sockets'.

Asserted as an order, never a duration: batches another board's writer sends
while the import is being written are stored *between* the import's first and
last batch (the server stamps every batch `at` as it stores it, on its one
database thread), and so acknowledged before the import's response. On main
before this change none of them was (all were stored after the import's last
batch). How long they wait is measured by bench/fairness.py, not here.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from datetime import datetime

import pytest

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import add, batch

pytestmark = pytest.mark.live

NODES = 2500  # a Mermaid chain: 2,500 components and 2,499 arrows, just under the element cap
IN_FLIGHT = 3  # the writer keeps this many batches sent and not yet acknowledged
IMPORT_TIMEOUT = 120


def mermaid_chain(nodes: int) -> str:
    return "flowchart LR\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(nodes - 1)) + "\n"


def post_import(origin: str, headers: dict[str, str], content: str) -> dict:
    request = urllib.request.Request(
        f"{origin}/api/boards/import/",
        data=json.dumps({"format": "mermaid", "content": content}).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=IMPORT_TIMEOUT) as response:
        assert response.status == 201
        return json.loads(response.read())


def at(frame: dict) -> datetime:
    return datetime.fromisoformat(frame["at"])


async def test_another_board_keeps_being_acknowledged_while_a_large_import_is_written(sqlite_server, peers):
    other = servers.seed(sqlite_server.env, {"owner": "owner", "candidate": "candidate"})
    importer = servers.seed(sqlite_server.env, {"owner": "owner"})["owner"]
    writer = await peers(sqlite_server.ws_url(other.id), "writer", headers=other["candidate"].headers)
    await writer.recv_type("welcome")

    importing = asyncio.create_task(
        asyncio.to_thread(post_import, sqlite_server.origin, importer.headers, mermaid_chain(NODES))
    )
    # What the writer had received (its pump reads frames as they arrive) when the response came.
    received_by_then: list[set[str]] = []
    importing.add_done_callback(lambda _: received_by_then.append({f["id"] for f in writer.received()}))
    acks: list[dict] = []
    sent = 0
    while not importing.done() or sent > len(acks):
        while sent - len(acks) < IN_FLIGHT and not importing.done():
            await writer.send(batch(f"w{sent}", add(f"w{sent}")))
            sent += 1
        frame = await writer.recv_type("batch", "rejected", timeout=IMPORT_TIMEOUT)
        assert frame["type"] == "batch", frame  # nothing refused: the writer stays inside its limits
        acks.append(frame)
        await asyncio.sleep(0.05)  # ~20 batches a second at most, well inside the batch rate limit
    imported = await importing
    assert [a["id"] for a in acks] == [f"w{n}" for n in range(sent)]
    assert [a["seq"] for a in acks] == list(range(1, sent + 1))  # gapless, in order

    # The imported board's log, with the server's stamps, as its owner resuming from 0 gets it.
    reader = await peers(sqlite_server.ws_url(imported["id"], since=0), "importer", headers=importer.headers)
    log = (await reader.recv_type("catchup", timeout=30))["batches"]
    assert sum(len(b["ops"]) for b in log) == 2 * NODES - 1 and len(log) > 1
    first, last = at(log[0]), at(log[-1])
    between = [a for a in acks if first < at(a) < last]
    assert between, (
        f"none of the other board's {len(acks)} batches was stored while the import's {len(log)} were written"
    )
    # Stored before the import's last batch, so published before it: acknowledged before the response.
    assert {a["id"] for a in between} <= received_by_then[0]
