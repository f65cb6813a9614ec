"""Reads: who may see a board, and the board as a joining client needs it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from whiteboard import extensions, protocol, roles
from whiteboard.models import Batch, Board, Connection, Element, Participant, Stream
from whiteboard.protocol import iso


def batch_message(batch: Batch) -> dict[str, Any]:
    return protocol.batch(
        stream=batch.stream,
        seq=batch.seq,
        batch_id=batch.client_id,
        participant=str(batch.participant_id),
        ops=batch.ops,
        at=batch.created_at,
    )


def board_dict(board: Board) -> dict[str, Any]:
    return {
        "id": str(board.id),
        "title": board.title,
        "prompt": board.prompt,
        "mode": board.mode,
        "question_type": board.question_type,
        "owner": board.owner.get_username(),
        "seq": board.seq,
        "closed": board.closed,
        "created_at": iso(board.created_at),
        "updated_at": iso(board.updated_at),
    }


def participant_dict(participant: Participant, *, online: bool = False) -> dict[str, Any]:
    return {"id": str(participant.id), "name": participant.name, "role": participant.role, "online": online}


def participant_for(board_id: UUID, *, user: Any, guest_ids: list[str]) -> Participant | None:
    """The caller's active participation in a board, by account or by invite session."""
    active = Participant.objects.select_related("board").filter(board_id=board_id, revoked_at__isnull=True)
    if user is not None and user.is_authenticated:
        found = active.filter(user=user).first()
        if found is not None:
            return found
    if guest_ids:
        return active.filter(pk__in=guest_ids, user__isnull=True).first()
    return None


def participations(*, user: Any, guest_ids: list[str]) -> list[Participant]:
    """The caller's active participations, one per board, most recently changed board first."""
    active = Participant.objects.filter(revoked_at__isnull=True).select_related("board", "board__owner")
    mine = active.filter(pk__in=guest_ids, user__isnull=True)
    if user is not None and user.is_authenticated:
        mine = mine | active.filter(user=user)
    by_board: dict[UUID, Participant] = {}
    for participant in mine.order_by("-board__updated_at", "created_at"):
        by_board.setdefault(participant.board_id, participant)
    return list(by_board.values())


def elements_of(board_id: UUID) -> list[dict[str, Any]]:
    # The data alone, not a model instance per row: half of a 2,000-element welcome's time was
    # building instances only to read one field from each.
    return list(Element.objects.filter(board_id=board_id).values_list("data", flat=True))


def fresh_since() -> datetime:
    """Connection rows not refreshed for three heartbeats belong to a process that is gone."""
    return timezone.now() - timedelta(seconds=3 * settings.BOTHSIDES["HEAD_INTERVAL"])


def online_participant_ids(board_id: UUID) -> set[UUID]:
    live = Connection.objects.filter(board_id=board_id, seen_at__gte=fresh_since())
    return set(live.values_list("participant_id", flat=True))


def participants_of(board_id: UUID) -> list[dict[str, Any]]:
    online = online_participant_ids(board_id)
    return [
        participant_dict(p, online=p.id in online)
        for p in Participant.objects.filter(board_id=board_id, revoked_at__isnull=True)
    ]


State = tuple[Board, list[dict[str, Any]], dict[str, Any]]


def _state(board_id: UUID, participant: Participant | None) -> State:
    board = Board.objects.select_related("owner").get(pk=board_id)
    extra = extensions.state(board_id, participant) if participant is not None else {}
    return board, elements_of(board_id), extra


def board_state(board_id: UUID, participant: Participant | None = None) -> State:
    """The board, its elements and, for a participant, what other apps add for them
    (annotations), all at one pair of seqs, without locking out writers.

    Every write bumps `Board.seq` or `Board.private_seq` in the same transaction
    as its rows, so if both read the same before and after, no write landed in
    between and the state is consistent.
    """
    for _attempt in range(5):
        board, elements, extra = _state(board_id, participant)
        if Board.objects.filter(pk=board_id, seq=board.seq, private_seq=board.private_seq).exists():
            return board, elements, extra
    # A board under a write storm: take the lock briefly rather than spin.
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=board_id).exists()
        return _state(board_id, participant)


def batches_after(
    board_id: UUID, after: int, limit: int | None = None, stream: str = Stream.PUBLIC
) -> list[dict[str, Any]]:
    rows = Batch.objects.filter(board_id=board_id, stream=stream, seq__gt=after).order_by("seq")
    if limit is not None:
        rows = rows[:limit]
    return [batch_message(batch) for batch in rows]


def head_seq(board_id: UUID, stream: str = Stream.PUBLIC) -> int | None:
    field = "private_seq" if stream == Stream.PRIVATE else "seq"
    return Board.objects.filter(pk=board_id).values_list(field, flat=True).first()


CATCHUP_LIMIT = 1000


def _you(participant: Participant) -> dict[str, Any]:
    return {"participant": str(participant.id), "name": participant.name, "role": participant.role}


def _catchup(board_id: UUID, participant: Participant, since: int, private_since: int | None) -> dict[str, Any] | None:
    """The batches a resuming client missed, or None if it is too far behind (or ahead) for that."""
    heads = Board.objects.filter(pk=board_id).values("seq", "private_seq").first()
    if heads is None or not 0 <= heads["seq"] - since <= CATCHUP_LIMIT:
        return None
    private = None
    if roles.can_read_private(participant.role):
        # No private_since: no private position, so the private stream from its start (docs/protocol.md).
        private_since = 0 if private_since is None else private_since
        if not 0 <= heads["private_seq"] - private_since <= CATCHUP_LIMIT:
            return None
        private_batches = batches_after(board_id, private_since, stream=Stream.PRIVATE)
        private = (private_batches[-1]["seq"] if private_batches else private_since, private_batches)
    batches = batches_after(board_id, since)
    return protocol.catchup(
        seq=batches[-1]["seq"] if batches else since,
        batches=batches,
        you=_you(participant),
        participants=participants_of(board_id),
        private=private,
    )


def join_message(
    board_id: UUID, participant: Participant, since: int | None, private_since: int | None = None
) -> dict[str, Any]:
    """What a socket gets first: the batches it missed, or the whole board.

    A client that is far behind (or ahead, after a restore) gets a fresh
    `welcome`: the materialised state costs O(elements), never O(history).
    Only those who may read the private stream hear of it.
    """
    if since is not None:
        catchup = _catchup(board_id, participant, since, private_since)
        if catchup is not None:
            return catchup
    board, elements, extra = board_state(board_id, participant)
    return protocol.welcome(
        seq=board.seq,
        board=board_dict(board),
        elements=elements,
        extra=extra,
        you=_you(participant),
        participants=participants_of(board_id),
        private_seq=board.private_seq if roles.can_read_private(participant.role) else None,
    )
