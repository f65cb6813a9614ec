"""The wire protocol: decode what clients send, build what the server sends.

Pure (no Django, no I/O). Decoding is strict because one bad frame must never
poison the board for others: `whiteboard.strict_json` refuses NaN, Infinity,
duplicate keys and oversized frames, and a frame may nest at most MAX_DEPTH
levels. Encoding happens once per message and the same text goes to every
socket that may see it. docs/protocol.md describes every message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from whiteboard import strict_json
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import ID_PATTERN, check_id, check_number
from whiteboard.vocabulary import LIMITS, PROTOCOL, daphne_flags

MAX_MESSAGE_BYTES = LIMITS["message_bytes"]
# Daphne caps frames at MAX_MESSAGE_BYTES too, and whole messages (which
# include what the server sends) higher; see vocabulary.daphne_flags.
DAPHNE_LIMITS = daphne_flags()
MAX_DEPTH = LIMITS["depth"]
MAX_SELECTION = LIMITS["selection"]
MAX_LASER_POINTS = LIMITS["laser_points"]
MAX_ZOOM = LIMITS["zoom_max"]
MAX_FLOW_STEPS = LIMITS["flow_steps"]


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return True


def _too_deep() -> SyncError:
    return SyncError(ErrorCode.BAD_REQUEST, f"A message may nest at most {MAX_DEPTH} levels deep.")


def decode(text: str) -> dict[str, Any]:
    """Parse one text frame into a JSON object, or raise SyncError."""
    try:
        value = strict_json.loads(text, max_bytes=MAX_MESSAGE_BYTES)
    except strict_json.StrictJSONError as error:
        if error.reason == "too_large":
            raise SyncError(ErrorCode.TOO_LARGE, f"A message is limited to {MAX_MESSAGE_BYTES} bytes.") from None
        if error.reason == "too_deep":
            raise _too_deep() from None
        raise SyncError(ErrorCode.BAD_JSON, "The message is not valid JSON.") from None
    if not isinstance(value, dict):
        raise SyncError(ErrorCode.BAD_REQUEST, "A message must be a JSON object.")
    # A value nests one level deeper than the brackets holding it, so brackets fewer than MAX_DEPTH
    # deep cannot fail: the walk over every value (1 ms for a full batch) is only for the rest.
    if strict_json.nests_deeper_than(text, MAX_DEPTH - 1) and not _depth_ok(value):
        raise _too_deep()
    return value


def iso(moment: datetime | None) -> str | None:
    """A timestamp as every message carries it: UTC, milliseconds, `Z` (`…T20:31:05.123Z`)."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True)
class BatchMessage:
    id: str
    ops: Any  # checked by ops.parse_ops, which knows the board's rules


@dataclass(frozen=True)
class PresenceMessage:
    cursor: dict[str, float] | None
    selection: list[str]


@dataclass(frozen=True)
class PreviewMessage:
    id: str
    props: dict[str, float]


@dataclass(frozen=True)
class ViewportMessage:
    """Where the sender looks (the flow point at the middle of their view, and the zoom), for followers.

    `lead` asks everyone to follow ("everyone follow me"); `flow` is the step of a flow being presented."""

    x: float
    y: float
    zoom: float
    lead: bool
    flow: dict[str, Any] | None


@dataclass(frozen=True)
class LaserMessage:
    """The laser pointer's latest points (flow coordinates), oldest first."""

    points: list[dict[str, float]]


ClientMessage = BatchMessage | PresenceMessage | PreviewMessage | ViewportMessage | LaserMessage

_PREVIEW_PROPS = frozenset({"x", "y", "w", "h"})


def _only(obj: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Unknown property.", extra[0])


def _point(value: Any, path: str) -> dict[str, float]:
    if not isinstance(value, dict) or set(value) != {"x", "y"}:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Expected {x, y}.", path)
    return {"x": check_number(value["x"], f"{path}.x"), "y": check_number(value["y"], f"{path}.y")}


def _batch(obj: dict[str, Any]) -> BatchMessage:
    _only(obj, {"type", "id", "ops"})
    return BatchMessage(id=check_id(obj.get("id"), "id"), ops=obj.get("ops"))


def _presence(obj: dict[str, Any]) -> PresenceMessage:
    _only(obj, {"type", "cursor", "selection"})
    cursor = obj.get("cursor")
    selection = obj.get("selection", [])
    if not isinstance(selection, list) or len(selection) > MAX_SELECTION:
        raise SyncError(ErrorCode.VALIDATION_ERROR, f"Selection is a list of at most {MAX_SELECTION} ids.", "selection")
    return PresenceMessage(
        cursor=None if cursor is None else _point(cursor, "cursor"),
        selection=[check_id(item, f"selection[{i}]") for i, item in enumerate(selection)],
    )


def _preview(obj: dict[str, Any]) -> PreviewMessage:
    _only(obj, {"type", "id", "props"})
    props = obj.get("props")
    if not isinstance(props, dict) or not props or not set(props) <= _PREVIEW_PROPS:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Preview props are some of x, y, w, h.", "props")
    return PreviewMessage(
        id=check_id(obj.get("id"), "id"),
        props={name: check_number(value, f"props.{name}") for name, value in props.items()},
    )


def _viewport(obj: dict[str, Any]) -> ViewportMessage:
    _only(obj, {"type", "x", "y", "zoom", "lead", "flow"})
    for name in ("x", "y", "zoom"):
        if name not in obj:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "This property is required.", name)
    zoom = check_number(obj["zoom"], "zoom")
    if not 0 < zoom <= MAX_ZOOM:
        raise SyncError(ErrorCode.VALIDATION_ERROR, f"Zoom is a number above 0 and at most {MAX_ZOOM}.", "zoom")
    lead = obj.get("lead", False)
    if not isinstance(lead, bool):
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Expected true or false.", "lead")
    flow = obj.get("flow")
    if flow is not None:
        if not lead:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "Only someone leading presents a flow.", "flow")
        if not isinstance(flow, dict) or set(flow) != {"id", "step"}:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "Expected {id, step}.", "flow")
        step = flow["step"]
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < MAX_FLOW_STEPS:
            message = f"A step is a whole number from 0 to {MAX_FLOW_STEPS - 1}."
            raise SyncError(ErrorCode.VALIDATION_ERROR, message, "flow.step")
        flow = {"id": check_id(flow["id"], "flow.id"), "step": step}
    return ViewportMessage(
        x=check_number(obj["x"], "x"), y=check_number(obj["y"], "y"), zoom=zoom, lead=lead, flow=flow
    )


def _laser(obj: dict[str, Any]) -> LaserMessage:
    _only(obj, {"type", "points"})
    points = obj.get("points")
    if not isinstance(points, list) or not 1 <= len(points) <= MAX_LASER_POINTS:
        message = f"Points are a list of 1 to {MAX_LASER_POINTS} {{x, y}}."
        raise SyncError(ErrorCode.VALIDATION_ERROR, message, "points")
    return LaserMessage(points=[_point(point, f"points[{i}]") for i, point in enumerate(points)])


_PARSERS: dict[str, Callable[[dict[str, Any]], ClientMessage]] = {
    "batch": _batch,
    "presence": _presence,
    "preview": _preview,
    "viewport": _viewport,
    "laser": _laser,
}


def parse_client_message(obj: dict[str, Any]) -> ClientMessage:
    kind = obj.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None  # a list or object cannot even be looked up
    if parser is None:
        raise SyncError(
            ErrorCode.UNKNOWN_OP, "Unknown message type; expected batch, presence, preview, viewport or laser.", "type"
        )
    return parser(obj)


def batch_id_of(obj: dict[str, Any]) -> str | None:
    """The client's batch id if it is well formed, so a rejection can name it."""
    value = obj.get("id")
    return value if isinstance(value, str) and ID_PATTERN.match(value) else None


# Server -> client messages. Each builder returns a dict; `encode` turns it into text once.

# The keys of a `welcome` that whiteboard itself fills; op kinds may add others (`extensions.register`).
WELCOME_KEYS = frozenset({"type", "protocol", "seq", "board", "elements", "you", "participants", "private_seq"})


def welcome(
    *,
    seq: int,
    board: dict[str, Any],
    elements: list[dict[str, Any]],
    extra: dict[str, Any],
    you: dict[str, Any],
    participants: list[dict[str, Any]],
    private_seq: int | None,
) -> dict[str, Any]:
    """The whole board; `extra` is what op kinds add, `private_seq` only for those who read the private stream."""
    message = {"type": "welcome", "protocol": PROTOCOL, "seq": seq, "board": board, "elements": elements, **extra}
    message.update(you=you, participants=participants)
    if private_seq is not None:
        message["private_seq"] = private_seq
    return message


def catchup(
    *,
    seq: int,
    batches: list[dict[str, Any]],
    you: dict[str, Any],
    participants: list[dict[str, Any]],
    private: tuple[int, list[dict[str, Any]]] | None,
) -> dict[str, Any]:
    """The batches a resuming client missed; `private` (its seq and batches) only for private readers."""
    message: dict[str, Any] = {"type": "catchup", "protocol": PROTOCOL}
    if private is not None:
        message["private_seq"], message["private_batches"] = private
    message.update(seq=seq, batches=batches, you=you, participants=participants)
    return message


def batch(
    *, stream: str, seq: int, batch_id: str, participant: str, ops: list[dict[str, Any]], at: datetime
) -> dict[str, Any]:
    return {
        "type": "batch",
        "stream": stream,
        "seq": seq,
        "id": batch_id,
        "participant": participant,
        "ops": ops,
        "at": iso(at),
    }


def board(board: dict[str, Any]) -> dict[str, Any]:
    """The board's title or prompt changed."""
    return {"type": "board", "board": board}


def joined(participant: dict[str, Any]) -> dict[str, Any]:
    return {"type": "joined", "participant": participant}


def left(participant: str) -> dict[str, Any]:
    return {"type": "left", "participant": participant}


def _utf8(text: Any) -> Any:
    """Text that can go out as UTF-8: a path may name a client's key holding a lone surrogate."""
    if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def rejected(batch_id: str | None, error: SyncError) -> dict[str, Any]:
    body = {name: _utf8(value) for name, value in error.as_dict().items()}
    return {"type": "rejected", "id": batch_id, **body}


def head(seq: int, stream: str = "public") -> dict[str, Any]:
    return {"type": "head", "stream": stream, "seq": seq}


def presence(participant: str, message: PresenceMessage) -> dict[str, Any]:
    return {"type": "presence", "participant": participant, "cursor": message.cursor, "selection": message.selection}


def preview(participant: str, element_id: str, props: dict[str, float]) -> dict[str, Any]:
    return {"type": "preview", "participant": participant, "id": element_id, "props": props}


def viewport(participant: str, message: ViewportMessage) -> dict[str, Any]:
    return {
        "type": "viewport",
        "participant": participant,
        "x": message.x,
        "y": message.y,
        "zoom": message.zoom,
        "lead": message.lead,
        "flow": message.flow,
    }


def laser(participant: str, message: LaserMessage) -> dict[str, Any]:
    return {"type": "laser", "participant": participant, "points": message.points}


# Channel-layer messages: server-internal, between the hubs of the processes.
# Each carries the board and, except `board.close`, the encoded text every
# socket gets, so a message is encoded once in the process it started in.


def group_name(board_id: UUID | str) -> str:
    """The layer group every hub with sockets on this board subscribes its channel to."""
    return f"board.{UUID(str(board_id)).hex}"


def layer_batch(board_id: UUID, *, stream: str, seq: int, text: str) -> dict[str, Any]:
    """A committed batch: each hub delivers it to its sockets of that stream, in seq order."""
    return {"type": "board.batch", "board": str(board_id), "stream": stream, "seq": seq, "text": text}


def layer_relay(board_id: UUID, text: str, *, process: str) -> dict[str, Any]:
    """Presence, previews, joins and leaves: every hub but the sender's (which delivered it already)."""
    return {"type": "board.relay", "board": str(board_id), "text": text, "process": process}


def layer_event(board_id: UUID, text: str) -> dict[str, Any]:
    """A public, never-stored message from outside the socket path (board renamed, review news)."""
    return {"type": "board.event", "board": str(board_id), "text": text}


def layer_close(board_id: UUID, *, participants: list[str] | None, code: int) -> dict[str, Any]:
    """Close the sockets of these participants (None: everyone's) with this code."""
    return {"type": "board.close", "board": str(board_id), "participants": participants, "code": code}
