"""What each role may do on a board. Pure, so the UI, the socket and REST agree."""

from __future__ import annotations

CANVAS_EDITORS = frozenset({"owner", "interviewer", "candidate"})
INVITERS = frozenset({"owner", "interviewer"})
BOARD_EDITORS = frozenset({"owner", "interviewer"})
INVITABLE = {
    "interview": ("interviewer", "candidate", "observer"),
    "review": ("reviewer", "observer"),
}


def can_edit_canvas(role: str) -> bool:
    return role in CANVAS_EDITORS


def can_invite(role: str) -> bool:
    return role in INVITERS


def can_edit_board(role: str) -> bool:
    """Title and prompt: the people running the session, not the candidate."""
    return role in BOARD_EDITORS


def can_delete_board(role: str) -> bool:
    return role == "owner"
