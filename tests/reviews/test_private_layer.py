"""The interviewers' private layer: to anyone else it does not exist, not even as a gap.

The session test records every frame a candidate, an observer and a reviewer
receive, byte for byte, while the interviewers write private notes full of
canary strings between public edits, and then looks for any trace of them:
an op, an id, a text, a key, a stream name, a hole in the public seq, a
`head`, or the board's `updated_at` moving. The probe tests check that
naming a private id answers exactly as naming one that never existed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async

from reviews.annotation_queries import annotations_of
from tests.factories import add, batch
from tests.reviews.factories import annotate, delete_annotation, edit_text, reply, set_status
from tests.reviews.sockets import Cast, RawClient, aboard, alog, athreads, raw
from tests.reviews.view import View, by_id

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "CANARY-a51f"  # in every private text, and in the private ids below
OUTSIDERS = ("candidate", "observer", "reviewer")
READERS = ("owner", "interviewer")


def private_note(annotation_id: str, target: str | None = "api", text: str = "") -> dict[str, Any]:
    text = text or f"{CANARY} hint: {annotation_id}"
    return annotate(annotation_id, target, layer="private", kind="comment", text=text)


def strings(value: Any) -> list[str]:
    """Every key and string value inside a frame."""
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


def assert_no_trace_of_the_private_layer(client: RawClient, who: str, *, probing: bool = False) -> None:
    """No canary anywhere; and, but in the answers to a prober's own requests, no private word, id or key."""
    assert client.texts, f"{who} received nothing at all"
    for text in client.texts:
        assert CANARY not in text, f"{who} received a canary: {text}"
        if probing and json.loads(text)["type"] == "rejected":
            continue  # it names the id and layer the prober sent; that it says nothing more is checked apart
        assert "private" not in text, f"{who} received the word 'private': {text}"
        assert '"p-' not in text, f"{who} received a private id: {text}"
        frame = json.loads(text)
        found = strings(frame)
        assert not [s for s in found if s.startswith("p-")], f"{who} received a private id: {text}"
        assert "private_seq" not in found and "private_batches" not in found, f"{who}: {text}"
        if "stream" in frame:
            assert frame["stream"] == "public", f"{who} received a frame of another stream: {text}"


def batches_in(frames: list[dict[str, Any]], stream: str | None = None) -> list[dict[str, Any]]:
    return [f for f in frames if f["type"] == "batch" and stream in (None, f["stream"])]


async def _cast_with(connect, roles: tuple[str, ...]) -> tuple[Cast, dict[str, RawClient]]:
    cast = await database_sync_to_async(Cast)("interview")
    clients = {}
    for role in roles:
        clients[role] = await raw(connect, cast.board.id, cast.by_role(role))
        await clients[role].recv_type("welcome")
    return cast, clients


async def test_a_session_of_private_notes_leaves_no_trace_on_anyone_elses_socket(connect, fast_heartbeat):
    cast, clients = await _cast_with(connect, (*READERS, *OUTSIDERS))
    interviewer, owner, candidate, reviewer = (clients[r] for r in ("interviewer", "owner", "candidate", "reviewer"))
    p1, p2, p3, p4 = (f"p-{CANARY}-{k}" for k in range(1, 5))
    script = [
        (interviewer, [private_note(p1)]),
        (candidate, [add("cache", type="cache", label="Cache")]),
        (interviewer, [annotate("a-1", "api", text="What if the cache is cold?")]),
        (interviewer, [reply(p1, f"r-{CANARY}", text=f"{CANARY}: they have not mentioned TTLs")]),
        (candidate, [reply("a-1", "r-1", text="We warm it from the DB.")]),
        (owner, [private_note(p2, None)]),
        (interviewer, [edit_text(p1, f"{CANARY} edited: probe TTLs")]),
        (candidate, [{"op": "update", "id": "api", "props": {"x": 240, "label": "Gateway"}}]),
        (interviewer, [edit_text(p1, f"{CANARY} reply edited", reply_id=f"r-{CANARY}")]),
        (interviewer, [set_status(p1, "resolved")]),
        (reviewer, [annotate("a-2", "api-db", kind="security", text="Is this link encrypted?")]),
        (owner, [set_status(p1, "reopened"), reply(p1, "r-2", text=f"{CANARY} still weak")]),
        (interviewer, [delete_annotation(p2)]),
        (interviewer, [private_note(p3, "cache")]),
        (candidate, [annotate("n-1", "cache", layer="notes", kind="trade_off", text="Stale reads for speed.")]),
        (interviewer, [set_status("a-1", "resolved")]),
    ]
    streams = []
    for k, (client, ops) in enumerate(script):
        answer = await client.submit(batch(f"s{k}", *ops))
        assert answer["type"] == "batch", answer
        streams.append(answer["stream"])
    assert streams[-1] == "public"
    last_public = await candidate.batch_with(f"s{len(script) - 1}")
    welcome_before = await (await raw(connect, cast.board.id, cast.candidate)).recv_type("welcome")

    # The session ends with private work only: it must not move the board as the others see it.
    trailing = [
        [private_note(p4, "db")],
        [reply(p4, "r-1", text=f"{CANARY} last word")],
        [set_status(p4, "resolved")],
        [delete_annotation(p1)],
    ]
    for k, ops in enumerate(trailing):
        answer = await interviewer.submit(batch(f"t{k}", *ops))
        assert (answer["type"], answer["stream"]) == ("batch", "private"), answer
        streams.append("private")

    # Let the heartbeat run: both heads for readers, the public one only for everyone else.
    for role, client in clients.items():
        await client.heads({"public", "private"} if role in READERS else {"public"})
    for client in clients.values():
        await client.drain(0.5)
    board = await aboard(cast.board)
    assert (board.seq, board.private_seq) == (1 + streams.count("public"), streams.count("private"))
    assert [b["seq"] for b in await alog(cast.board, "public")] == list(range(1, board.seq + 1))
    assert [b["seq"] for b in await alog(cast.board, "private")] == list(range(1, board.private_seq + 1))

    # Readers get both streams, each gapless and in order, and the very same frames.
    for role in READERS:
        frames = clients[role].frames
        assert [f["seq"] for f in batches_in(frames, "private")] == list(range(1, board.private_seq + 1)), role
        assert [f["seq"] for f in batches_in(frames, "public")] == list(range(2, board.seq + 1)), role
    assert batches_in(owner.frames) == batches_in(interviewer.frames)

    # Everyone else: no trace, and a public stream without holes where the private batches were.
    for role in OUTSIDERS:
        client = clients[role]
        assert_no_trace_of_the_private_layer(client, role)
        live = batches_in(client.frames)
        assert live == batches_in(owner.frames, "public"), f"{role} saw a different public stream"
        assert [f["seq"] for f in live] == list(range(2, board.seq + 1)), f"{role}'s public seqs have gaps"
        heads = [f for f in client.frames if f["type"] == "head"]
        assert heads and all(f["stream"] == "public" and f["seq"] <= board.seq for f in heads)

    # A reconnect from the very start: a catch-up of the public stream only, equal to what came live.
    again = await raw(connect, cast.board.id, cast.candidate, since=0)
    catchup = await again.recv_type("catchup")
    assert [b["seq"] for b in catchup["batches"]] == list(range(1, board.seq + 1))
    assert catchup["batches"][1:] == batches_in(candidate.frames)
    assert catchup["seq"] == board.seq
    # Asking for the private stream does not get it either.
    asking = await raw(connect, cast.board.id, cast.candidate, since=0, private_since=0)
    assert (await asking.recv_type("catchup"))["batches"] == catchup["batches"]
    # A fresh welcome: the public threads only, on a board unchanged since the last public batch.
    fresh = await raw(connect, cast.board.id, cast.candidate)
    welcome = await fresh.recv_type("welcome")
    for client in (again, asking, fresh):
        await client.drain(0.2)
        assert_no_trace_of_the_private_layer(client, "the candidate, reconnecting")
    assert sorted(a["id"] for a in welcome["annotations"]) == ["a-1", "a-2", "n-1"]
    assert welcome["board"]["updated_at"] == welcome_before["board"]["updated_at"] == last_public["at"]
    assert welcome["board"]["seq"] == welcome["seq"] == board.seq

    # What the candidate built from its frames is what the rows say a candidate may see.
    view = View()
    view.join(next(f for f in candidate.frames if f["type"] == "welcome"))
    for frame in batches_in(candidate.frames):
        view.apply(frame)
    stored = by_id(await database_sync_to_async(annotations_of)(cast.board.id, cast.candidate.participant))
    assert view.annotations == stored == by_id(welcome["annotations"])
    assert set(await athreads(cast.board)) == {"a-1", "a-2", "n-1", p3, p4}


def probes(annotation_id: str) -> list[list[dict[str, Any]]]:
    """Every way an outsider might name a private thread, alone or behind a harmless op."""
    return [
        [reply(annotation_id, "r-9", text="Is anyone there?")],
        [set_status(annotation_id, "resolved")],
        [set_status(annotation_id, "reopened")],
        [edit_text(annotation_id, "guess")],
        [edit_text(annotation_id, "guess", reply_id="r-1")],
        [delete_annotation(annotation_id)],
        [reply("a-1", "r-ok", text="fine"), reply(annotation_id, "r-9")],
        [annotate(annotation_id, "api", layer="private", kind="comment", text="mine now")],
        [annotate(annotation_id, "api", layer="notes", kind="comment", text="mine now")],
        [annotate(annotation_id, "api", layer="challenges", kind="comment", text="mine now")],
    ]


async def _probe(client: RawClient, annotation_id: str, tag: str) -> list[str]:
    """The raw rejection text for each probe; batch ids repeat on purpose, as nothing refused is stored."""
    texts = []
    for k, ops in enumerate(probes(annotation_id)):
        answer = await client.submit(batch(f"probe-{k}", *ops))
        assert answer["type"] == "rejected", f"{tag}: probe {k} was accepted: {answer}"
        texts.append(client.texts[-1])
    return texts


@pytest.mark.parametrize("role", OUTSIDERS)
async def test_naming_a_private_id_answers_exactly_as_naming_one_that_never_existed(connect, role):
    cast, clients = await _cast_with(connect, ("interviewer", role))
    interviewer, outsider = clients["interviewer"], clients[role]
    assert (await interviewer.submit(batch("i0", annotate("a-1", "api"))))["type"] == "batch"
    secret, ghost = "p-secret", "p-nope01"  # the same length, so the messages can be compared byte for byte

    never = await _probe(outsider, secret, "before it existed")
    ghost_never = await _probe(outsider, ghost, "a ghost")
    note = private_note(secret, text=f"{CANARY} do not tell")
    assert (await interviewer.submit(batch("i1", note, reply(secret, "r-1", text=CANARY))))["stream"] == "private"
    exists = await _probe(outsider, secret, "while it exists")
    ghost_now = await _probe(outsider, ghost, "a ghost, while the secret exists")
    assert (await interviewer.submit(batch("i2", delete_annotation(secret))))["stream"] == "private"
    deleted = await _probe(outsider, secret, "after it was deleted")

    assert exists == never == deleted, "a private id answers differently once it exists"
    assert [t.replace(secret, ghost) for t in exists] == ghost_now == ghost_never
    codes = [json.loads(text)["code"] for text in exists]
    if role == "observer":
        assert set(codes) == {"forbidden"}
    else:
        assert codes == ["unknown_ref"] * 7 + ["forbidden", "validation_error", "validation_error"]
        assert json.loads(exists[6])["path"] == "ops[1].annotation"
    await outsider.drain(0.2)
    assert_no_trace_of_the_private_layer(outsider, role, probing=True)
    stored = await athreads(cast.board)
    assert set(stored) == {"a-1"} and stored["a-1"]["replies"] == []  # no probe stored anything


@pytest.mark.parametrize("role", ["candidate", "reviewer"])
async def test_an_outsider_cannot_write_in_the_private_layer(connect, role):
    cast, clients = await _cast_with(connect, (role, "interviewer"))
    answer = await clients[role].submit(batch("b1", private_note("p-mine")))
    assert (answer["type"], answer["code"]) == ("rejected", "forbidden")
    board = await aboard(cast.board)
    assert board.private_seq == 0 and await athreads(cast.board) == {}
    await clients["interviewer"].nothing("batch")


async def test_an_interviewer_resuming_gets_exactly_the_private_batches_missed(connect):
    cast, clients = await _cast_with(connect, ("owner", "candidate"))
    owner, candidate = clients["owner"], clients["candidate"]
    assert (await owner.submit(batch("o0", private_note("p-0"))))["stream"] == "private"
    first = await raw(connect, cast.board.id, cast.interviewer)
    welcome = await first.recv_type("welcome")
    assert (welcome["seq"], welcome["private_seq"]) == (1, 1)
    assert {a["id"] for a in welcome["annotations"]} == {"p-0"}
    await first.ws.disconnect()

    missed = [
        [private_note("p-1")],
        [reply("p-0", "r-1", text=f"{CANARY} yes")],
        [set_status("p-1", "resolved")],
    ]
    for k, ops in enumerate(missed):
        await owner.submit(batch(f"o{k + 1}", *ops))
    await candidate.submit(batch("c1", add("cache")))
    await owner.submit(batch("o9", delete_annotation("p-1")))
    await owner.drain(0.2)

    resumed = await raw(connect, cast.board.id, cast.interviewer, since=1, private_since=1)
    catchup = await resumed.recv_type_in({"catchup", "welcome"})
    assert catchup["type"] == "catchup"
    assert catchup["private_batches"] == batches_in(owner.frames, "private")[1:]
    assert [b["seq"] for b in catchup["private_batches"]] == [2, 3, 4, 5]
    assert catchup["batches"] == batches_in(owner.frames, "public")
    assert (catchup["seq"], catchup["private_seq"]) == (2, 5)
    # Applying the catch-up to what the first welcome held gives what the rows hold now.
    view = View()
    view.join(welcome)
    view.join(catchup)
    stored = by_id(await database_sync_to_async(annotations_of)(cast.board.id, cast.interviewer.participant))
    assert view.annotations == stored and set(stored) == {"p-0"}
    # And the live private stream carries on from there.
    live = await owner.submit(batch("o10", reply("p-0", "r-2", text="later")))
    assert await resumed.batch_with("o10") == live and live["seq"] == 6

    # Up to date, nothing missed: an empty catch-up.
    current = await raw(connect, cast.board.id, cast.interviewer, since=2, private_since=6)
    empty = await current.recv_type_in({"catchup", "welcome"})
    assert (empty["type"], empty["batches"], empty["private_batches"]) == ("catchup", [], [])


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ({"since": 1, "private_since": 9}, "private_since beyond the head"),
        ({"private_since": 1}, "no since"),
    ],
)
async def test_an_interviewer_resuming_without_a_usable_private_since_gets_a_welcome(connect, query, why):
    cast, clients = await _cast_with(connect, ("owner",))
    await clients["owner"].submit(batch("o1", private_note("p-1")))
    await clients["owner"].submit(batch("o2", private_note("p-2")))
    client = await raw(connect, cast.board.id, cast.interviewer, **query)
    first = await client.recv_type_in({"catchup", "welcome"})
    assert first["type"] == "welcome", why
    assert (first["seq"], first["private_seq"]) == (1, 2)
    assert {a["id"] for a in first["annotations"]} == {"p-1", "p-2"}


async def test_a_candidate_resuming_with_a_private_since_gets_the_public_catch_up_only(connect):
    cast, clients = await _cast_with(connect, ("interviewer",))
    await clients["interviewer"].submit(batch("i1", private_note("p-1")))
    await clients["interviewer"].submit(batch("i2", annotate("a-1", "api")))
    client = await raw(connect, cast.board.id, cast.candidate, since=1, private_since=0)
    catchup = await client.recv_type_in({"catchup", "welcome"})
    assert catchup["type"] == "catchup"
    assert [b["id"] for b in catchup["batches"]] == ["i2"]
    assert_no_trace_of_the_private_layer(client, "the candidate")
