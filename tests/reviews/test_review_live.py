"""The review workflow as the other people on the board live it, through their sockets.

While a reviewer drafts, nobody else may receive a byte of it: every frame
the other sockets receive is recorded and searched. On submit the drafts and
the verdict land as ONE batch. A verdict op sent straight over the socket
meets the same rules as a REST submit.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.db import database_sync_to_async

from reviews.models import Annotation, PendingComment, Review
from tests.conftest import Client
from tests.factories import batch, member
from tests.reviews.api.helpers import api, cast
from tests.reviews.factories import annotate
from whiteboard.models import Board
from whiteboard.ops import fold
from whiteboard.selectors import elements_of

pytestmark = pytest.mark.django_db(transaction=True)

SECRETS = ("Single point of failure", "Why only one DB", "Cache stampede")


class ReviewRoom:
    """A review board (api -> db, a sticky note) with its owner, two reviewers and an observer."""

    def __init__(self) -> None:
        people = cast("review")
        self.board: Board = people.board
        self.owner = people.owner
        self.reviewer = people.reviewer
        self.observer = people.observer
        self.colleague = member(self.board, "reviewer")


@pytest.fixture
def review_room(transactional_db: None) -> ReviewRoom:
    return ReviewRoom()


async def rest(method: str, who: Any, path: str, body: Any = None) -> Any:
    client = api(who)
    call = getattr(client, method)
    if body is None:
        return await database_sync_to_async(call)(path)
    return await database_sync_to_async(call)(path, body, format="json")


def base(board: Board) -> str:
    return f"/api/boards/{board.id}"


async def publish(room: ReviewRoom, name: str = "v") -> int:
    response = await rest("post", room.owner, f"{base(room.board)}/versions/", {"name": name})
    assert response.status_code == 201, response.content
    return response.json()["id"]


async def record(client: Client, quiet: float = 0.4) -> list[dict[str, Any]]:
    """Every frame that arrives until the socket has been quiet for `quiet` seconds."""
    seen: list[dict[str, Any]] = []
    while not await client.ws.receive_nothing(quiet):
        seen.append(await client.recv())
    return seen


async def opened(connect: Any, room: ReviewRoom, *who: Any) -> list[Client]:
    """Sockets that got their welcome, and whose join chatter has died down."""
    clients = [await connect(room.board.id, w) for w in who]
    for client in clients:
        await client.recv_type("welcome")
    await asyncio.gather(*(record(c) for c in clients))
    return clients


async def head(board: Board) -> int:
    await database_sync_to_async(board.refresh_from_db)()
    return board.seq


async def answer(client: Client, batch_id: str, who: Any) -> dict[str, Any]:
    """The server's reply to this socket's batch: its echo, or its rejection."""
    while True:
        frame = await client.recv_type_in({"batch", "rejected"})
        if frame["id"] == batch_id and (frame["type"] == "rejected" or frame["participant"] == who.id):
            return frame


def verdict(version: int, kind: str = "approve", summary: str = "") -> dict[str, Any]:
    return {"op": "verdict", "version": version, "verdict": kind, "summary": summary}


# Drafting is invisible; submitting lands at once


async def test_drafts_reach_no_socket_and_the_submit_lands_as_one_batch(review_room, connect):
    room, board = review_room, review_room.board
    await publish(room, "v1")
    owner, observer, colleague, reviewer = await opened(
        connect, room, room.owner, room.observer, room.colleague, room.reviewer
    )
    others = (owner, observer, colleague)

    drafted = []
    for text, target in zip(SECRETS, ("api", "db", None), strict=True):
        body = {"target": target, "kind": "failure_mode", "text": f"{text}?"}
        response = await rest("post", room.reviewer, f"{base(board)}/reviews/pending/", body)
        assert response.status_code == 201
        drafted.append(response.json()["id"])
    typo = {"target": "api", "kind": "comment", "text": "Typo"}
    dropped = (await rest("post", room.reviewer, f"{base(board)}/reviews/pending/", typo)).json()
    assert (await rest("delete", room.reviewer, f"{base(board)}/reviews/pending/{dropped['id']}/")).status_code == 204

    # Nothing at all reached anyone else while the reviewer drafted.
    frames = await asyncio.gather(*(record(c) for c in others))
    assert frames == [[], [], []]
    # Nor is it in anything a newcomer, or REST, would read.
    for who in (room.owner, room.observer, room.colleague):
        welcome = await (await connect(board.id, who)).recv_type("welcome")
        listed = (await rest("get", who, f"{base(board)}/annotations/")).json()
        ops = (await rest("get", who, f"{base(board)}/ops/?after=0")).json()
        theirs = (await rest("get", who, f"{base(board)}/reviews/pending/")).json()
        seen = json.dumps([welcome, listed, ops, theirs])
        assert not any(secret in seen for secret in SECRETS), who
        assert not any(annotation_id in seen for annotation_id in drafted)
        assert welcome["annotations"] == []
    await asyncio.gather(*(record(c) for c in (*others, reviewer)))  # the newcomers' joined/left chatter

    before = await head(board)
    response = await rest("post", room.reviewer, f"{base(board)}/reviews/submit/", {"verdict": "request_changes"})
    assert response.status_code == 200
    for client in (*others, reviewer):
        frames = await record(client)
        batches = [f for f in frames if f["type"] == "batch"]
        assert len(batches) == 1, frames  # one batch: the review lands at once
        landed = batches[0]
        assert (landed["seq"], landed["participant"]) == (before + 1, room.reviewer.id)
        assert [op["op"] for op in landed["ops"]] == ["annotate", "annotate", "annotate", "verdict"]
        assert [op["annotation"]["id"] for op in landed["ops"][:3]] == drafted
        assert landed["ops"][3]["verdict"] == "request_changes"
        assert "Typo" not in json.dumps(frames)


async def test_a_fresh_welcome_carries_the_versions_and_the_review_state(review_room, connect):
    room = review_room
    await publish(room, "First cut")
    await rest("post", room.reviewer, f"{base(room.board)}/reviews/submit/", {"verdict": "approve", "summary": "ok"})
    welcome = await (await connect(room.board.id, room.observer)).recv_type("welcome")
    assert [(v["id"], v["name"]) for v in welcome["versions"]] == [(1, "First cut")]
    assert welcome["review"]["state"] == "approved"
    assert [(r["version"], r["verdict"], r["summary"]) for r in welcome["review"]["reviews"]] == [(1, "approve", "ok")]


async def test_open_boards_hear_of_a_new_version_and_a_review_request_at_once(review_room, connect):
    room = review_room
    (observer,) = await opened(connect, room, room.observer)
    await publish(room, "First cut")
    notice = await observer.recv_type("review")
    assert [(v["id"], v["name"]) for v in notice["versions"]] == [(1, "First cut")]
    assert notice["review"]["state"] == "none"
    body = {"version": 1, "reviewers": [room.reviewer.user.get_username()]}
    assert (await rest("post", room.owner, f"{base(room.board)}/reviews/", body)).status_code == 201
    notice = await observer.recv_type("review")
    assert notice["review"]["state"] == "in_review"
    assert [r["reviewer"] for r in notice["review"]["reviews"]] == [room.reviewer.id]


# A verdict op sent over the socket


async def test_a_verdict_over_the_socket_is_a_review_everyone_sees(review_room, connect):
    room = review_room
    await publish(room, "v1")
    reviewer, observer = await opened(connect, room, room.reviewer, room.observer)
    await reviewer.send(batch("v-1", verdict(1, "request_changes", "Add a replica")))
    echoed = await answer(reviewer, "v-1", room.reviewer)
    assert echoed["type"] == "batch"
    assert echoed["ops"] == [verdict(1, "request_changes", "Add a replica")]
    assert (await observer.recv_type("batch"))["ops"] == echoed["ops"]
    listed = (await rest("get", room.owner, f"{base(room.board)}/reviews/")).json()
    assert listed["state"] == "changes_requested"
    assert [(r["reviewer"], r["submitted_seq"]) for r in listed["reviews"]] == [(room.reviewer.id, echoed["seq"])]


async def test_a_verdict_over_the_socket_obeys_the_same_rules(review_room, connect):
    room = review_room
    await publish(room, "v1")
    owner, reviewer, observer = await opened(connect, room, room.owner, room.reviewer, room.observer)
    before = await head(room.board)

    refusals = [
        (owner, room.owner, batch("o-1", verdict(1)), "forbidden", None),
        (observer, room.observer, batch("x-1", verdict(1)), "forbidden", None),
        (reviewer, room.reviewer, batch("r-1", verdict(9)), "unknown_ref", "ops[0].version"),
        (reviewer, room.reviewer, batch("r-2", verdict(1), verdict(1, "comment")), "validation_error", "ops[1]"),
        (
            reviewer,
            room.reviewer,
            batch("r-3", {"op": "verdict", "version": 1, "verdict": "meh"}),
            "validation_error",
            "ops[0].verdict",
        ),
    ]
    for client, who, message, code, path in refusals:
        await client.send(message)
        refused = await answer(client, message["id"], who)
        assert (refused["type"], refused["code"]) == ("rejected", code), refused
        if path is not None:
            assert refused["path"] == path
    assert await head(room.board) == before
    assert not await database_sync_to_async(Review.objects.filter(submitted_at__isnull=False).exists)()

    await reviewer.send(batch("r-4", verdict(1, "comment")))
    assert (await answer(reviewer, "r-4", room.reviewer))["type"] == "batch"
    # The same version twice, by socket or by REST, is refused: one review per reviewer and version.
    await reviewer.send(batch("r-5", verdict(1, "approve")))
    again = await answer(reviewer, "r-5", room.reviewer)
    assert (again["type"], again["code"], again["path"]) == ("rejected", "validation_error", "ops[0].version")
    response = await rest("post", room.reviewer, f"{base(room.board)}/reviews/submit/", {"verdict": "approve"})
    assert response.status_code == 400
    assert await head(room.board) == before + 1
    received = [f for f in await record(observer) if f["type"] in ("batch", "rejected")]
    assert [(f["type"], f["ops"]) for f in received] == [
        ("batch", [verdict(1, "comment")])
    ]  # others' refusals are private
    listed = (await rest("get", room.owner, f"{base(room.board)}/reviews/")).json()
    assert [r["verdict"] for r in listed["reviews"]] == ["comment"]


async def test_a_socket_batch_of_challenges_and_a_verdict_is_one_review(review_room, connect):
    room = review_room
    await publish(room, "v1")
    reviewer, owner = await opened(connect, room, room.reviewer, room.owner)
    message = batch("r-1", annotate("a-1", text="Failover?"), annotate("a-2", "db"), verdict(1, "request_changes"))
    await reviewer.send(message)
    echoed = await answer(reviewer, "r-1", room.reviewer)
    assert [op["op"] for op in echoed["ops"]] == ["annotate", "annotate", "verdict"]
    seen = await owner.recv_type("batch")
    assert seen["seq"] == echoed["seq"]
    listed = (await rest("get", room.owner, f"{base(room.board)}/reviews/")).json()
    assert listed["state"] == "changes_requested"


async def test_a_verdict_over_the_socket_never_silently_throws_drafts_away(review_room, connect):
    room = review_room
    await publish(room, "v1")
    response = await rest(
        "post",
        room.reviewer,
        f"{base(room.board)}/reviews/pending/",
        {"target": "api", "kind": "scaling", "text": "Shard?"},
    )
    assert response.status_code == 201
    (reviewer,) = await opened(connect, room, room.reviewer)
    await reviewer.send(batch("r-1", verdict(1, "comment")))
    await answer(reviewer, "r-1", room.reviewer)
    published = await database_sync_to_async(Annotation.objects.filter(board=room.board, text="Shard?").exists)()
    kept = await database_sync_to_async(PendingComment.objects.filter(text="Shard?").exists)()
    # Either the verdict released the draft with it, or the draft is still the reviewer's to submit later.
    assert published or kept


# Versions live


async def test_a_restore_reaches_every_socket_as_one_batch_that_rebuilds_the_version(review_room, connect):
    room, board = review_room, review_room.board
    await publish(room, "v1")
    v1 = {e["id"]: e for e in await database_sync_to_async(elements_of)(board.id)}
    owner, observer = await opened(connect, room, room.owner, room.observer)
    welcome = await (await connect(board.id, room.reviewer)).recv_type("welcome")
    canvas = {e["id"]: e for e in welcome["elements"]}
    await record(observer)

    await owner.send(
        batch(
            "o-1",
            {"op": "update", "id": "api", "props": {"label": "Gateway"}},
            {"op": "delete", "id": "db"},
            {"op": "add", "element": {"id": "q", "kind": "component", "type": "queue", "x": 5, "y": 5}},
        )
    )
    assert (await answer(owner, "o-1", room.owner))["type"] == "batch"
    response = await rest("post", room.owner, f"{base(board)}/versions/1/restore/")
    assert response.status_code == 200
    frames = await record(observer)
    batches = [f for f in frames if f["type"] == "batch"]
    assert [b["seq"] for b in batches] == [welcome["seq"] + 1, response.json()["seq"]]
    assert response.json()["seq"] == welcome["seq"] + 2
    # A client that only applies what it received ends up looking at v1 again.
    assert fold([b["ops"] for b in batches], canvas) == v1
