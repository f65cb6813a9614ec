"""Scenario cards over the real socket and over REST: who may play one, what is refused, stored and broadcast."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from reviews.scenario_models import ScenarioCard
from tests.factories import batch
from tests.reviews.api.helpers import api
from tests.reviews.sockets import Cast, RawClient, raw, seed
from whiteboard.models import Batch, Board

pytestmark = pytest.mark.django_db(transaction=True)


def card(
    card_id: str = "viral", text: str = "One link gets 50,000 redirects a second.", **extra: Any
) -> dict[str, Any]:
    return {"op": "scenario", "card": {"id": card_id, "text": text, **extra}}


def stored(board: Board) -> tuple[int, int, list[str]]:
    fresh = Board.objects.get(pk=board.pk)
    cards = list(ScenarioCard.objects.filter(board=board).values_list("card_id", flat=True))
    return fresh.seq, Batch.objects.filter(board=board).count(), cards


astored = database_sync_to_async(stored)


async def cast_with(connect: Any, *roles: str) -> tuple[Cast, dict[str, RawClient]]:
    cast = await database_sync_to_async(Cast)()
    clients = {}
    for role in roles:
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    return cast, clients


@pytest.mark.parametrize("role", ["owner", "interviewer"])
async def test_the_interviewing_side_plays_a_card_and_everyone_receives_it(connect, role):
    cast, clients = await cast_with(connect, role, "candidate", "observer")
    answer = await clients[role].submit(batch("k", card(title="One link goes viral")))
    assert answer["type"] == "batch"
    assert answer["ops"] == [
        {
            "op": "scenario",
            "card": {"id": "viral", "text": "One link gets 50,000 redirects a second.", "title": "One link goes viral"},
        }
    ]
    for other in ("candidate", "observer"):
        seen = await clients[other].recv_type("batch")
        assert seen["seq"] == answer["seq"] and seen["ops"] == answer["ops"]
    seq, _, cards = await astored(cast.board)
    assert cards == ["viral"] and seq == answer["seq"]


@pytest.mark.parametrize("role", ["candidate", "reviewer"])
async def test_nobody_else_plays_a_card(connect, role):
    cast, clients = await cast_with(connect, role)
    before = await astored(cast.board)
    answer = await clients[role].submit(batch("k", card()))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    assert await astored(cast.board) == before


async def test_an_observer_cannot_write_at_all(connect):
    cast, clients = await cast_with(connect, "observer")
    before = await astored(cast.board)
    answer = await clients["observer"].submit(batch("k", card()))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    assert await astored(cast.board) == before


@pytest.mark.parametrize(
    ("op", "code", "path"),
    [
        ({"op": "scenario"}, "validation_error", "ops[0].card"),
        ({"op": "scenario", "card": "traffic"}, "bad_request", "ops[0].card"),
        ({"op": "scenario", "card": {"id": "k"}}, "validation_error", "ops[0].card.text"),
        ({"op": "scenario", "card": {"id": "k", "text": "   "}}, "validation_error", "ops[0].card.text"),
        ({"op": "scenario", "card": {"id": "k", "text": "x" * 4001}}, "validation_error", "ops[0].card.text"),
        (
            {"op": "scenario", "card": {"id": "k", "text": "ok", "title": "t" * 201}},
            "validation_error",
            "ops[0].card.title",
        ),
        ({"op": "scenario", "card": {"id": "k", "text": "a\u202eb"}}, "validation_error", "ops[0].card.text"),
        ({"op": "scenario", "card": {"id": 7, "text": "ok"}}, "validation_error", "ops[0].card.id"),
        (
            {"op": "scenario", "card": {"id": "k", "text": "ok", "answer": "x"}},
            "validation_error",
            "ops[0].card.answer",
        ),
        ({"op": "scenario", "card": {"id": "k", "text": "ok"}, "seq": 3}, "validation_error", "ops[0].seq"),
    ],
)
async def test_a_malformed_card_is_refused_with_its_path_and_nothing_changes(connect, op, code, path):
    cast, clients = await cast_with(connect, "interviewer")
    before = await astored(cast.board)
    answer = await clients["interviewer"].submit(batch("k", op))
    assert (answer["type"], answer["code"], answer["path"]) == ("rejected", code, path)
    assert await astored(cast.board) == before


async def test_a_card_is_played_once(connect):
    cast, clients = await cast_with(connect, "interviewer")
    await database_sync_to_async(seed)(cast.board, cast.interviewer, card())
    before = await astored(cast.board)
    answer = await clients["interviewer"].submit(batch("k", card(text="Again.")))
    assert (answer["type"], answer["code"], answer["path"]) == ("rejected", "duplicate_id", "ops[0].card.id")
    assert await astored(cast.board) == before


async def test_a_joiner_gets_the_played_cards_in_the_welcome(connect):
    cast = await database_sync_to_async(Cast)()
    played = await database_sync_to_async(seed)(cast.board, cast.interviewer, card(title="Viral"))
    client = await raw(connect, cast.board.id, cast.candidate)
    welcome = await client.recv_type("welcome")
    (shown,) = welcome["scenarios"]
    assert {k: shown[k] for k in ("id", "title", "text", "seq", "author")} == {
        "id": "viral",
        "title": "Viral",
        "text": "One link gets 50,000 redirects a second.",
        "seq": played["seq"],
        "author": str(cast.interviewer.participant.id),
    }
    assert shown["at"] == played["at"]


# --- REST ----------------------------------------------------------------------------------------------


def _rest(cast: Cast, role: str, body: Any) -> Any:
    return api(cast.by_role(role)).post(f"/api/boards/{cast.board.id}/scenarios/", body, format="json")


@pytest.mark.parametrize("role", ["owner", "interviewer"])
def test_rest_plays_a_card_for_the_interviewing_side(role):
    cast = Cast()
    response = _rest(cast, role, {"card": {"id": "region", "text": "The primary region is down."}})
    assert response.status_code == 201, response.json()
    assert response.json()["op"]["card"] == {"id": "region", "text": "The primary region is down.", "title": ""}
    listed = api(cast.candidate).get(f"/api/boards/{cast.board.id}/scenarios/").json()["scenarios"]
    assert [(c["id"], c["seq"]) for c in listed] == [("region", response.json()["seq"])]


@pytest.mark.parametrize("role", ["candidate", "reviewer", "observer"])
def test_rest_refuses_everyone_else(role):
    cast = Cast()
    response = _rest(cast, role, {"card": {"id": "region", "text": "The primary region is down."}})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert stored(cast.board)[2] == []


@pytest.mark.parametrize(
    ("body", "code", "path"),
    [
        ([1, 2], "bad_request", ""),
        ({}, "validation_error", "ops[0].card"),
        ({"card": "region"}, "bad_request", "ops[0].card"),
        ({"card": {"id": "k", "text": ""}}, "validation_error", "ops[0].card.text"),
        ({"card": {"id": "k", "text": "ok"}, "extra": 1}, "validation_error", "ops[0].extra"),
    ],
)
def test_rest_refuses_a_malformed_card_with_its_path(body, code, path):
    cast = Cast()
    response = _rest(cast, "interviewer", body)
    assert response.status_code == 400
    assert (response.json()["code"], response.json().get("path", "")) == (code, path)
    assert stored(cast.board)[2] == []


def test_a_stranger_cannot_read_the_cards():
    cast = Cast()
    response = api().get(f"/api/boards/{cast.board.id}/scenarios/")
    assert response.status_code in (401, 403)
