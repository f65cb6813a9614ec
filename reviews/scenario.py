"""Scenario cards: the interviewer changes the brief mid-interview ("traffic grows 10x"). Pure.

The essay's advice is to start simple and add complexity when asked; a card
is the asking, put in the log so the signals can see what the candidate did
next (`reviews.thinking_signals`, `complexity.adaptation`) and the replay can
show it at its seq. A card comes from the question's private deck or is typed
on the spot; once played it is public, like anything said aloud.

Only those who keep the clock (owner, interviewer) play cards. A card id is
played once per board: the banner, the timeline marker and the adaptation
signal all name a card by its id. The server's checks and a replay's fold are
the same code, so a replay shows exactly the cards people saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from reviews.fields import body, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys, text_field
from whiteboard.protocol import iso
from whiteboard.roles import Actor

Op = dict[str, Any]
Card = dict[str, Any]  # {"id", "text", "title", "seq", "at", "author"} once played

NAMES = frozenset({"scenario"})
PLAYERS = vocabulary.holders("keep_clock")
_title = text_field(vocabulary.LIMITS["label"])


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """Check one `scenario` op on its own: the card's id, its text and an optional title (the shared text rules)."""
    only_keys(raw, ["op", "card"], path)
    required(raw, ["card"], path)
    card = expect_object(raw["card"], f"{path}.card")
    only_keys(card, ["id", "text", "title"], f"{path}.card")
    required(card, ["id", "text"], f"{path}.card")
    parsed: Card = {"id": check_id(card["id"], f"{path}.card.id"), "text": body(card["text"], f"{path}.card.text")}
    title = _title(card.get("title", ""), f"{path}.card.title").strip()
    parsed["title"] = title
    return {"op": "scenario", "card": parsed}


def apply_ops(
    played_ids: Iterable[str], actor: Actor, ops: Sequence[tuple[int, Op]], *, at: datetime, seq: int
) -> list[Card]:
    """The cards these parsed ops play (with their index in the batch), all or nothing; `played_ids`: the board's."""
    seen = set(played_ids)
    cards: list[Card] = []
    for i, op in ops:
        path = f"ops[{i}]"
        if actor.role not in PLAYERS:
            raise SyncError(ErrorCode.FORBIDDEN, "Only the interviewer plays scenario cards.", path)
        card = op["card"]
        if card["id"] in seen:
            raise SyncError(ErrorCode.DUPLICATE_ID, f"Card '{card['id']}' was already played.", f"{path}.card.id")
        seen.add(card["id"])
        cards.append({**card, "seq": seq, "at": at, "author": actor.participant})
    return cards


def fold(batches: Iterable[Mapping[str, Any]], played: list[Card] | None = None) -> list[Card]:
    """Replay stored batches (`seq`, `participant`, `ops`, `at` a datetime) onto the played cards, oldest first.
    Stored ops were checked when accepted; a repeated id (impossible in a stored log) keeps the first."""
    played = [] if played is None else played
    ids = {card["id"] for card in played}
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] == "scenario" and op["card"]["id"] not in ids:
                ids.add(op["card"]["id"])
                played.append({**op["card"], "seq": batch["seq"], "at": batch["at"], "author": batch["participant"]})
    return played


def card_dict(card: Card) -> dict[str, Any]:
    """A played card as clients receive it (`at` as ISO text)."""
    return {**card, "at": iso(card["at"])}
