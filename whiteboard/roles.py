"""What each role may do on a board. Pure, so the UI, the socket and REST agree."""

from __future__ import annotations

CANVAS_EDITORS = frozenset({"owner", "interviewer", "candidate"})
WRITERS = frozenset({"owner", "interviewer", "candidate", "reviewer"})
PRIVATE_READERS = frozenset({"owner", "interviewer"})
INVITERS = frozenset({"owner", "interviewer"})
BOARD_EDITORS = frozenset({"owner", "interviewer"})
INVITABLE = {
    "interview": ("interviewer", "candidate", "observer"),
    "review": ("reviewer", "observer"),
}


def can_edit_canvas(role: str) -> bool:
    return role in CANVAS_EDITORS


def can_write(role: str) -> bool:
    """Send batches at all: canvas ops, or annotation ops for a reviewer. Observers only watch."""
    return role in WRITERS


def can_read_private(role: str) -> bool:
    """Receive the private stream. Everyone else never gets a byte of it."""
    return role in PRIVATE_READERS


def streams_for(role: str) -> tuple[str, ...]:
    return ("public", "private") if can_read_private(role) else ("public",)


def can_write_closed(role: str) -> bool:
    """Change a closed board (an ended interview): the people running it."""
    return role in BOARD_EDITORS


def can_invite(role: str) -> bool:
    return role in INVITERS


def can_edit_board(role: str) -> bool:
    """Title and prompt: the people running the session, not the candidate."""
    return role in BOARD_EDITORS


def can_delete_board(role: str) -> bool:
    return role == "owner"
