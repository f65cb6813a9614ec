"""The wire protocol: decode what clients send, build what the server sends.

Pure (no Django, no I/O). Decoding is strict because one bad frame must never
poison the board for others: no NaN or Infinity (browsers cannot parse them
back), no duplicate keys (parsers disagree on which wins), bounded size and
nesting. Encoding happens once per message and the same text goes to every
socket that may see it. docs/protocol.md describes every message.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import ID_PATTERN, check_id, check_number

MAX_MESSAGE_BYTES = 256 * 1024
# Daphne's --websocket-max-message-size also caps what the server sends, and a
# welcome for a big board is larger than any client message may be. So Daphne
# caps incoming *frames* at MAX_MESSAGE_BYTES (browsers send one frame per
# message), caps whole messages at this, and decode() caps every message.
MAX_SERVER_MESSAGE_BYTES = 64 * 1024 * 1024
DAPHNE_LIMITS = (
    *("--websocket-max-frame-size", str(MAX_MESSAGE_BYTES)),
    *("--websocket-max-message-size", str(MAX_SERVER_MESSAGE_BYTES)),
)
MAX_DEPTH = 8
MAX_SELECTION = 500


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate key")
    return obj


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return True


def decode(text: str) -> dict[str, Any]:
    """Parse one text frame into a JSON object, or raise SyncError."""
    if len(text) > MAX_MESSAGE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise SyncError(ErrorCode.TOO_LARGE, f"A message is limited to {MAX_MESSAGE_BYTES} bytes.")
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except (ValueError, RecursionError):
        raise SyncError(ErrorCode.BAD_JSON, "The message is not valid JSON.") from None
    if not isinstance(value, dict):
        raise SyncError(ErrorCode.BAD_REQUEST, "A message must be a JSON object.")
    if not _depth_ok(value):
        raise SyncError(ErrorCode.BAD_REQUEST, f"A message may nest at most {MAX_DEPTH} levels deep.")
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


ClientMessage = BatchMessage | PresenceMessage | PreviewMessage

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


_PARSERS = {"batch": _batch, "presence": _presence, "preview": _preview}


def parse_client_message(obj: dict[str, Any]) -> ClientMessage:
    kind = obj.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None  # a list or object cannot even be looked up
    if parser is None:
        raise SyncError(ErrorCode.UNKNOWN_OP, "Unknown message type; expected batch, presence or preview.", "type")
    return parser(obj)


def batch_id_of(obj: dict[str, Any]) -> str | None:
    """The client's batch id if it is well formed, so a rejection can name it."""
    value = obj.get("id")
    return value if isinstance(value, str) and ID_PATTERN.match(value) else None


# Server -> client messages. Each builder returns a dict; `encode` turns it into text once.


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
