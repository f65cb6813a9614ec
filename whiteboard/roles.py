"""What each role may do on a board. Pure, so the UI, the socket and REST agree.

The capability table is `vocabulary.json` ("roles"), which the front end reads
too; every role set in Python is derived from it here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whiteboard.vocabulary import MODES, ROLE_CAPABILITIES, holders

PRIVATE_READERS = holders("read_private")
INVITABLE = {mode: rules.invitable for mode, rules in MODES.items()}


@dataclass(frozen=True)
class Actor:
    """Who sends a batch, as the pure rules see them."""

    participant: str
    role: str
    mode: str


def can(role: str, capability: str) -> bool:
    """Whether a role has a capability of the table; an unknown role has none."""
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def can_edit_canvas(role: str) -> bool:
    return can(role, "edit_canvas")


def can_write(role: str) -> bool:
    """Send batches at all: canvas ops, or annotation ops for a reviewer. Observers only watch."""
    return can(role, "write")


def can_read_private(role: str) -> bool:
    """Receive the private stream. Everyone else never gets a byte of it."""
    return can(role, "read_private")


def streams_for(role: str) -> tuple[str, ...]:
    return ("public", "private") if can_read_private(role) else ("public",)


def can_write_closed(role: str) -> bool:
    """Change a closed board (an ended interview): the people running it."""
    return can(role, "write_closed")


def can_as(role: str, capability: str, *, mode: str, author: bool) -> bool:
    """A capability of the role, or one the mode grants the board's author (a practising candidate invites)."""
    rules = MODES.get(mode)
    return can(role, capability) or (author and rules is not None and capability in rules.author_capabilities)


def can_invite(role: str, *, mode: str = "", author: bool = False) -> bool:
    return can_as(role, "invite", mode=mode, author=author)


def can_edit_board(role: str, *, mode: str = "", author: bool = False) -> bool:
    """Title and prompt: the people running the session, not the candidate (unless it is their practice)."""
    return can_as(role, "edit_board", mode=mode, author=author)


def can_delete_board(role: str, *, mode: str = "", author: bool = False) -> bool:
    return can_as(role, "delete_board", mode=mode, author=author)


def is_author(participant: Any) -> bool:
    """Whether a participant is the person who made the board (its owner user; never a guest)."""
    return participant.user_id is not None and participant.user_id == participant.board.owner_id
