"""Signals of a stored board: load its public log and its participants, then let `reviews.signals` decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import signals
from whiteboard import cpu
from whiteboard.models import Participant
from whiteboard.selectors import batches_after


def _parsed(message: dict[str, Any]) -> dict[str, Any]:
    """A stored batch message with `at` as the datetime `signals.compute` reads."""
    return {**message, "at": datetime.fromisoformat(message["at"])}


def signals_of(board_id: UUID, *, now: datetime | None = None) -> dict[str, Any]:
    """The signals of a board's public stream as it stands; `now` (default: the server clock) ends `elapsed_seconds`.

    Only the public stream is loaded: private annotations are never signal input.
    Participants are read after the batches, so every batch's author is among them;
    revoked ones are included, since what they wrote stays in the log.
    """
    batches = [_parsed(message) for message in batches_after(board_id, 0)]
    roles = {str(p.id): p.role for p in Participant.objects.filter(board_id=board_id).only("id", "role")}
    return cpu.run(signals.compute, batches, roles, now=now or timezone.now())  # pure: off the serving process
