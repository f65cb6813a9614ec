"""Issue 19, "keep it found": structurally hostile frames through the real consumer.

Hypothesis builds every client message and every op kind (canvas, annotation,
interview) in a valid shape, then breaks it: a value of the wrong JSON type at
any path, a key removed or added, nesting far too deep, numbers too big for a
float, odd Unicode (lone surrogates, bidi overrides, NUL, combining marks); and
frames that are not messages at all (any text, binary). Each example opens a
socket as some role, sends a few such frames, each followed by a sentinel, and
checks every frame it gets back:

- an answer is a `rejected` with a known code, or an accepted `batch`; a close
  is one the protocol documents for a misbehaving client (and one Daphne can
  send); every frame is valid UTF-8, as Daphne must encode it;
- the sentinel (a batch refused for having no ops) is answered: the socket
  still works after the bad frame;
- nothing was logged at ERROR (no exception in the server);
- after the socket closes, no connection row and no hub entry is left.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bothsides.asgi import application
from tests.conftest import ORIGIN
from tests.factories import add, arrow, board_with_owner, member
from tests.reviews.factories import annotate
from whiteboard.errors import ErrorCode
from whiteboard.hub import get_hub
from whiteboard.models import Connection
from whiteboard.services.batches import batch_submit

pytestmark = pytest.mark.django_db(transaction=True)

KNOWN_CODES = {str(code) for code in ErrorCode}
# What docs/protocol.md says a client's own frames can end in. All are codes Daphne can send.
CLOSE_CODES = {4400, 4429}
ANSWERS = {"rejected", "batch"}
EXAMPLES = 150  # a few seconds; raise it locally to fuzz harder

# ---------------------------------------------------------------------------- strategies

ODD_TEXT = st.sampled_from(
    [
        "",
        "\ud800",
        "a\udfffb",
        "\u202eevil",
        "\u2066x\u2069",
        "\x00",
        "\ufeff",
        "e\u0301",
        "\U0001d54f\U0001f642",
        "\u2028",
        "x" * 4001,
    ]
)
TEXT = st.text(max_size=12) | ODD_TEXT
NUMBERS = (
    st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 0, -0.0, 1e308, 5e-324, 1e6 + 1])
    | st.floats(allow_nan=True, allow_infinity=True)  # NaN and Infinity are sent as the bare words
)
SCALARS = st.none() | st.booleans() | NUMBERS | TEXT
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6
)


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


DEEP = st.integers(min_value=2, max_value=60).map(nested)
# The wrong JSON type for any field: where a string, a number or an object was expected.
WRONG = st.sampled_from([[], {}, [[]], ["batch"], {"x": 1}, None, True, False, 0, 1.5, -1, "", "\ud800", 10**400])
HOSTILE = st.one_of(WRONG, WRONG, JSON, DEEP)


def templates() -> list[dict[str, Any]]:
    """One valid message per client message type and op kind (and each optional element field)."""
    ops = [
        add("n-new", label="New"),
        {"op": "add", "element": {"id": "note-1", "kind": "note", "x": 1, "y": 2, "text": "hi"}},
        arrow("a-new", "api", "db"),
        {"op": "update", "id": "api", "props": {"x": 10, "label": "API", "replicas": 2}},
        {"op": "delete", "id": "db"},
        annotate("c-new", "api"),
        {"op": "reply", "annotation": "n1", "reply": {"id": "r-new", "text": "because"}},
        {"op": "set_status", "annotation": "n1", "status": "resolved"},
        {"op": "edit_text", "annotation": "n1", "text": "edited"},
        {"op": "delete_annotation", "annotation": "n1"},
        {"op": "session", "action": "start", "minutes": 30},
        {"op": "phase", "phase": "high_level"},
        {"op": "requirement", "entry": {"id": "q-new", "kind": "question", "text": "How many?", "links": ["api"]}},
        {"op": "answer_requirement", "entry": "q-new", "text": "Many."},
        {"op": "link_requirement", "entry": "q-new", "links": ["api"]},
        {"op": "add", "element": {"id": "f-new", "kind": "frame", "label": "us-east-1", "x": 0, "y": 0, "w": 400}},
        {
            "op": "add",
            "element": {**arrow("s-new", "api", "db")["element"], "source_side": "top", "target_side": "top"},
        },
        {"op": "update", "id": "api", "props": {"credit": "team"}},
        {"op": "update", "id": "api", "props": {"group": "group-1"}},
        {"op": "update", "id": "api", "props": {"group": ""}},
        {"op": "add", "element": {"id": "note-g", "kind": "note", "x": 1, "y": 2, "group": "group-1"}},
        {"op": "add", "element": {"id": "f-g", "kind": "frame", "x": 0, "y": 0, "group": "group-1"}},
        {"op": "update", "id": "api", "props": {"frame": ""}},
        {"op": "verdict", "version": 1, "verdict": "approve", "summary": "Looks right."},
        {"op": "fault", "fault": {"target": "db", "kind": "slow"}},
        {"op": "incident", "action": "open", "symptom": "Checkout returns HTTP 500"},
        {"op": "inspect", "target": "api", "signal": "logs"},
        {"op": "act", "target": "api", "action": "restart"},
        {"op": "hypothesis", "id": "h-new", "suspect": "db", "kind": "slow", "blast_radius": ["api"], "text": "DB"},
        {
            "op": "flow",
            "flow": {
                "id": "f-new",
                "title": "Checkout",
                "steps": [{"element": "api", "text": "The API takes the order."}, {"element": "db", "text": "Kept."}],
            },
        },
        {"op": "delete_flow", "id": "f-new"},
        {"op": "scenario", "card": {"id": "k-new", "title": "Goes viral", "text": "Traffic grows 10x for an hour."}},
        {"op": "notice", "notice": {"id": "n-new", "kind": "phase", "text": "Moving on.", "ref": "deep_dive"}},
        {
            "op": "decide",
            "decision": {
                "id": "d-new",
                "target": "api",
                "choice": "Kafka",
                "alternatives": ["SQS", "RabbitMQ"],
                "cost": "more to operate",
                "why": "replay",
                "revisit_when": "if we never replay",
            },
        },
        {"op": "delete_decision", "id": "d-new"},
        {"op": "update", "id": "api-db", "props": {"timeout_ms": 500, "retries": 3, "idempotent": True}},
        {"op": "update", "id": "api-db", "props": {"timeout_ms": None}},
        {"op": "update", "id": "api", "props": {"familiarity": "unknown"}},
        {"op": "update", "id": "db", "props": {"backup": True}},
        {"op": "add", "element": {**add("q-new", type="queue", dead_letter=True)["element"]}},
        {"op": "add", "element": {**add("m-new", type="monitoring")["element"]}},
        {"op": "requirement", "entry": {"id": "u-new", "kind": "unknown", "text": "Not sure about Kafka at scale."}},
    ]
    messages: list[dict[str, Any]] = [{"type": "batch", "id": f"b-{op['op']}", "ops": [op]} for op in ops]
    messages += [
        # A frame, and a box dropped into it, in one batch (the membership is checked against the board).
        {
            "type": "batch",
            "id": "b-frame-member",
            "ops": [
                {"op": "add", "element": {"id": "f-in", "kind": "frame", "label": "az-1", "x": 0, "y": 0}},
                add("n-in", frame="f-in"),
                {"op": "update", "id": "api", "props": {"frame": "f-in", "x": 5}},
            ],
        },
        {"type": "presence", "cursor": {"x": 1, "y": 2}, "selection": ["api"]},
        {"type": "preview", "id": "api", "props": {"x": 3, "y": 4, "w": 100, "h": 50}},
        {"type": "viewport", "x": 1, "y": 2, "zoom": 1.5, "lead": True, "flow": {"id": "f1", "step": 0}},
        {"type": "laser", "points": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]},
    ]
    return messages


TEMPLATES = templates()


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*at, index))


def broken(message: dict[str, Any], path: tuple[Any, ...], how: str, value: Any, key: str = "extra") -> Any:
    if not path:
        return value if how == "replace" else message
    out = copy.deepcopy(message)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[key] = value
    else:
        parent.append(value)
    return out


@st.composite
def mutated(draw: st.DrawFn) -> str:
    message = draw(st.sampled_from(TEMPLATES))
    path = draw(st.sampled_from(list(paths(message))))
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "keep"]))
    value = draw(HOSTILE)
    key = draw(TEXT)  # an unknown key: maybe a lone surrogate, which a rejection names in its path
    return json.dumps(message if how == "keep" else broken(message, path, how, value, key))


FRAMES = st.one_of(
    mutated(),
    mutated(),
    mutated(),
    HOSTILE.map(json.dumps),  # any JSON at the top: a list, a number, a string
    st.text(max_size=40),  # not JSON at all
    st.binary(max_size=40),
)

# ---------------------------------------------------------------------------- the socket


def prepare_board() -> tuple[Any, dict[str, Any]]:
    board, owner = board_with_owner()
    people = {"owner": owner, **{role: member(board, role) for role in ("interviewer", "candidate", "observer")}}
    ops = [add("api"), add("db", type="database"), arrow("api-db", "api", "db"), annotate("n1", "api")]
    batch_submit(board_id=board.id, participant_id=owner.participant.id, batch_id="setup", raw_ops=ops)
    return board, people


async def fuzz_socket(board: Any, who: Any, frames: list[str | bytes]) -> None:
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", ORIGIN), (b"authorization", f"Token {who.token}".encode())]
    ws = WebsocketCommunicator(application, f"/ws/boards/{board.id}/", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    assert json.loads((await ws.receive_output(5))["text"])["type"] == "welcome"
    try:
        for n, frame in enumerate(frames):
            key = "bytes" if isinstance(frame, bytes) else "text"
            await ws.send_input({"type": "websocket.receive", key: frame})  # empty frames too
            sentinel = f"sentinel-{n}"
            await ws.send_to(text_data=json.dumps({"type": "batch", "id": sentinel, "ops": []}))
            if not await answered(ws, frame, sentinel):
                return  # closed with a documented code: nothing more to send
    finally:
        await ws.disconnect()
    assert get_hub().feeds.get(board.id) is None, "the socket is still in the hub"
    rows = await database_sync_to_async(Connection.objects.filter(board=board).count)()
    assert rows == 0, "a connection row outlived its socket"


async def answered(ws: WebsocketCommunicator, frame: str | bytes, sentinel: str) -> bool:
    """Read the frame's answers up to the sentinel's; False if the server closed the socket instead."""
    while True:
        output = await ws.receive_output(5)
        if output["type"] == "websocket.close":
            code = output.get("code")
            assert code in CLOSE_CODES, f"closed {code} after {frame!r}"
            return False
        text = output["text"]
        text.encode("utf-8")  # Daphne must: a lone surrogate here would kill the socket
        answer = json.loads(text)
        assert answer["type"] in ANSWERS, f"{answer} after {frame!r}"
        if answer["type"] == "rejected":
            assert answer["code"] in KNOWN_CODES and answer["message"], answer
            if answer["id"] == sentinel:
                assert answer["code"] in ("validation_error", "forbidden", "rate_limited"), answer
                return True


@pytest.fixture
def cast(transactional_db: None) -> tuple[Any, dict[str, Any]]:
    return prepare_board()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(role=st.sampled_from(["owner", "interviewer", "candidate", "observer"]), frames=st.lists(FRAMES, max_size=5))
def test_no_frame_breaks_the_socket_or_leaves_a_ghost(cast, caplog, role, frames):
    board, people = cast
    caplog.clear()
    channel_layers.backends = {}  # a loop per example, and a layer per loop
    loop = asyncio.new_event_loop()
    try:
        with caplog.at_level(logging.WARNING):
            loop.run_until_complete(fuzz_socket(board, people[role], frames))
    finally:
        loop.run_until_complete(_cancel_the_rest())
        loop.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def _cancel_the_rest() -> None:
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
