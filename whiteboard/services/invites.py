"""Invite links: how candidates and observers join without an account.

Only a hash of the token is stored, so a database dump cannot be replayed as
a set of working links; the link itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from whiteboard import broadcast, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Invite, Participant
from whiteboard.services.participants import participant_add


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_create(*, board: Board, by: Participant, role: str, days: int | None = None) -> tuple[Invite, str]:
    """Returns the invite and its secret token (not stored in clear)."""
    if not roles.can_invite(by.role, mode=board.mode, author=roles.is_author(by)):
        raise SyncError(ErrorCode.FORBIDDEN, f"A {by.role} cannot invite people.")
    allowed = roles.INVITABLE[board.mode]
    if role not in allowed:
        raise SyncError(ErrorCode.VALIDATION_ERROR, f"A {board.mode} board invites: {', '.join(allowed)}.", "role")
    lifetime: float = settings.BOTHSIDES["INVITE_DAYS"] if days is None else days
    token = secrets.token_urlsafe(32)
    invite = Invite.objects.create(
        board=board,
        role=role,
        token=token_hash(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    return invite, token


def invite_find(token: str) -> Invite | None:
    """A usable invite for this token: not revoked, not expired, its board still there."""
    return (
        Invite.objects.select_related("board")
        .filter(token=token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def invite_redeem(*, token: str, name: str, user: Any = None) -> Participant:
    invite = invite_find(token)
    if invite is None:
        raise SyncError(ErrorCode.NOT_FOUND, "This invite link has expired or was revoked.")
    account = user if user is not None and user.is_authenticated else None
    return participant_add(board=invite.board, role=invite.role, user=account, name=name, invite=invite)


@transaction.atomic
def invite_revoke(*, invite: Invite, by: Participant) -> None:
    """Revoke the link and everyone who joined through it; their sockets close (4403)."""
    if not roles.can_invite(by.role, mode=invite.board.mode, author=roles.is_author(by)):
        raise SyncError(ErrorCode.FORBIDDEN, f"A {by.role} cannot revoke invites.")
    now = timezone.now()
    invite.revoked_at = now
    invite.save(update_fields=["revoked_at"])
    joined = list(invite.participants.filter(revoked_at__isnull=True).values_list("pk", flat=True))
    invite.participants.filter(pk__in=joined).update(revoked_at=now)
    if joined:
        broadcast.participants_removed(invite.board_id, [str(pk) for pk in joined])
