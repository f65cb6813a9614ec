"""An import writes through the sockets' group committer, in turns (issue 19), outside any test transaction.

The other import tests run inside pytest-django's transaction, where the import's
batches join that transaction; these run as a server does (`transaction=True`),
so its chunks go through `whiteboard.group_commit` as a chain.
"""

from __future__ import annotations

import pytest

from reviews.import_services import IMPORT_CHUNK
from tests.factories import add
from tests.reviews.api.helpers import api, cast, submit
from tests.reviews.factories import annotate
from whiteboard import ops
from whiteboard.models import Batch, Board, Element

pytestmark = pytest.mark.django_db(transaction=True)

NODES = 700  # 700 components and 699 arrows


def chain(nodes: int) -> str:
    return "flowchart LR\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(nodes - 1)) + "\n"


def test_a_large_import_is_stored_in_chunks_whose_log_folds_to_the_board():
    people = cast()
    body = {"format": "mermaid", "content": chain(NODES)}
    response = api(people.owner).post("/api/boards/import/", body, format="json")
    assert response.status_code == 201, response.content
    board = response.json()["id"]
    log = list(Batch.objects.filter(board_id=board).order_by("seq"))
    assert [b.seq for b in log] == list(range(1, len(log) + 1))
    assert [len(b.ops) for b in log] == [IMPORT_CHUNK] * (len(log) - 1) + [len(log[-1].ops)]
    assert sum(len(b.ops) for b in log) == 2 * NODES - 1
    elements = {e.element_id: e.data for e in Element.objects.filter(board_id=board)}
    assert ops.fold([b.ops for b in log]) == elements and len(elements) == 2 * NODES - 1


def test_an_annotation_refused_part_way_leaves_no_board_behind():
    people = cast()
    submit(people.board, people.owner, add("q", type="queue"))
    submit(people.board, people.interviewer, annotate("a-1", "api", text="What if the API dies?"))
    exported = api(people.owner).get(f"/api/boards/{people.board.id}/export/?format=json").json()
    author = exported["annotations"][0]["author"]
    for person in exported["participants"]:
        if person["id"] == author:
            person["role"] = "observer"  # may not write: its replayed batch is refused after the canvas is stored
    boards = Board.objects.count()
    response = api(people.owner).post("/api/boards/import/", {"format": "json", "content": exported}, format="json")
    assert response.status_code == 400
    (problem,) = response.json()["problems"]
    assert problem["path"] == "content.annotations[0]" and "observer" in problem["message"]
    assert Board.objects.count() == boards
