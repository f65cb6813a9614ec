"""Add people to boards and track who is connected."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from whiteboard.models import Board, Connection, Participant
from whiteboard.selectors import fresh_since


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())[:80]


@transaction.atomic
def participant_add(*, board: Board, role: str, user: Any = None, name: str = "", invite: Any = None) -> Participant:
    """Give a user (or a named guest) a role on a board.

    A user already on the board keeps their participation and role, so an
    interviewer who opens a candidate link is not demoted by it.
    """
    if user is not None:
        existing = Participant.objects.select_for_update().filter(board=board, user=user).first()
        if existing is not None:
            if existing.revoked_at is not None:
                existing.role, existing.revoked_at, existing.invite = role, None, invite
                existing.save(update_fields=["role", "revoked_at", "invite"])
            return existing
        name = name or display_name(user)
    return Participant.objects.create(board=board, user=user, name=name, role=role, invite=invite)


def connection_open(*, board_id: UUID, participant_id: UUID) -> UUID:
    return Connection.objects.create(board_id=board_id, participant_id=participant_id, seen_at=timezone.now()).id


def connection_close(*, connection_id: UUID) -> bool:
    """Forget a socket; True when it was the participant's last live one on the board."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return True
    connection.delete()
    others = Connection.objects.filter(board_id=connection.board_id, participant_id=connection.participant_id)
    return not others.filter(seen_at__gte=fresh_since()).exists()


def connections_refresh(*, connection_ids: list[UUID]) -> None:
    Connection.objects.filter(pk__in=connection_ids).update(seen_at=timezone.now())


def connections_prune(*, board_id: UUID) -> list[UUID]:
    """Delete stale connection rows; returns who has thereby left the board."""
    stale = Connection.objects.filter(board_id=board_id, seen_at__lt=fresh_since())
    affected = set(stale.values_list("participant_id", flat=True))
    if not affected or not stale.delete()[0]:
        return []
    remaining = Connection.objects.filter(board_id=board_id, participant_id__in=affected)
    return sorted(affected - set(remaining.values_list("participant_id", flat=True)), key=str)
