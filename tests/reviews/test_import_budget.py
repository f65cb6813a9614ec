"""One person's imports have a budget (issue 19, defect 3: "limit the work a client may cause").

Importing large files in a loop was most of what slowed everyone else on a process: each import's
thousands of ops are validated and committed on the database thread the sockets share. Past
`import_ops_per_minute` ops a minute a person's next import is refused 429 `rate_limited`, with a
`Retry-After`, until the debt is paid; the largest file the element cap allows always goes through
on a fresh budget, and nobody else's budget is touched.
"""

from __future__ import annotations

import math

import pytest

from reviews import import_budget
from tests.reviews.api.helpers import api, cast
from whiteboard.models import Board
from whiteboard.vocabulary import LIMITS

pytestmark = pytest.mark.django_db

PER_MINUTE = LIMITS["import_ops_per_minute"]
NODES = 1300  # 1,300 components and 1,299 arrows: 2,599 ops, so the second import runs into debt


def chain(nodes: int) -> str:
    return "flowchart LR\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(nodes - 1)) + "\n"


def post(user, nodes: int = NODES):
    return api(user).post("/api/boards/import/", {"format": "mermaid", "content": chain(nodes)}, format="json")


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(import_budget, "clock", lambda: now[0])
    return now


def test_past_the_budget_an_import_is_refused_until_the_debt_is_paid(clock):
    people = cast()
    assert post(people.owner).status_code == 201
    assert post(people.owner).status_code == 201  # 2,401 left: let in, and charged all 2,599
    boards = Board.objects.count()
    refused = post(people.owner)
    assert refused.status_code == 429, refused.content
    body = refused.json()
    assert body["code"] == "rate_limited" and body["retryable"] is True
    assert f"{PER_MINUTE:,} elements and annotations a minute" in body["message"]
    debt = 2 * (2 * NODES - 1) - PER_MINUTE
    wait = (debt + 1) / (PER_MINUTE / 60)
    assert refused["Retry-After"] == str(math.ceil(wait))
    assert f"try again in {round(wait)} seconds" in body["message"]
    assert Board.objects.count() == boards, "a refused import left a board"
    clock[0] += wait - 0.5
    assert post(people.owner, 3).status_code == 429, "let in before the debt was paid"
    clock[0] += 0.5
    assert post(people.owner, 3).status_code == 201


def test_one_persons_imports_never_spend_anothers_budget(clock):
    people = cast()
    for _ in range(2):
        post(people.owner)
    assert post(people.owner).status_code == 429
    assert post(people.interviewer).status_code == 201


def test_the_largest_board_the_element_cap_allows_imports_at_once_on_a_fresh_budget(clock):
    people = cast()
    largest = (LIMITS["elements"] + 1) // 2  # components and the arrows between them, at the cap
    response = post(people.owner, largest)
    assert response.status_code == 201, response.content
    assert post(people.owner, 3).status_code == 201  # one op of the budget was left
    assert post(people.owner, 3).status_code == 429
