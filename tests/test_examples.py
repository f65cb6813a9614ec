"""The shared example batches (tests/examples/batches.json), run against the server.

The browser runs the same file against its local checks
(frontend/src/sync/examples.test.ts), so both sides refuse the same batches
with the same code and path: a batch the client lets through is one the
server accepts, and the client never sends what the server would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.factories import board_with_owner, member
from whiteboard.errors import SyncError
from whiteboard.services.batches import batch_submit

EXAMPLES = json.loads((Path(__file__).parent / "examples" / "batches.json").read_text(encoding="utf-8"))["examples"]


def outcome(example: dict[str, Any]) -> Any:
    board, owner = board_with_owner(mode=example["mode"])
    people = {"owner": owner}

    def submit(role: str, batch_id: str, raw_ops: list[Any]) -> None:
        if role not in people:
            people[role] = member(board, role)
        batch_submit(board_id=board.id, participant_id=people[role].participant.id, batch_id=batch_id, raw_ops=raw_ops)

    for i, step in enumerate(example.get("given", [])):
        submit(step["role"], f"given-{i}", step["ops"])
    try:
        submit(example["role"], "example", example["ops"])
    except SyncError as error:
        return {"code": str(error.code), "path": error.path}
    return "accepted"


@pytest.mark.django_db
@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_the_server_says_what_the_example_expects(example):
    assert outcome(example) == example["expect"]


def test_the_examples_have_unique_names():
    names = [example["name"] for example in EXAMPLES]
    assert len(names) == len(set(names))
