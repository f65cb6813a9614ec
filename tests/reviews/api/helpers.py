"""Acting on a board over REST as one of its members, and reading what the database holds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from rest_framework.test import APIClient

from reviews.models import Annotation, Reply
from tests.factories import Member, add, arrow, board_with_owner, member
from whiteboard.models import Batch, Board, Participant
from whiteboard.services.batches import batch_submit

_batch_ids = itertools.count()


@dataclass
class Cast:
    """A board with a member per role it can have, and a small diagram to annotate."""

    board: Board
    owner: Member
    interviewer: Member | None
    candidate: Member | None
    reviewer: Member
    observer: Member

    def by_role(self, role: str) -> Member:
        return getattr(self, role)


def cast(mode: str = "interview") -> Cast:
    """Components api -> db (arrow api-db) and a sticky note; a review board has no interviewer or candidate."""
    board, owner = board_with_owner(mode=mode)
    interviewing = mode == "interview"
    people = Cast(
        board=board,
        owner=owner,
        interviewer=member(board, "interviewer") if interviewing else None,
        candidate=member(board, "candidate") if interviewing else None,
        reviewer=member(board, "reviewer"),
        observer=member(board, "observer"),
    )
    submit(
        board,
        owner,
        add("api", label="API"),
        add("db", type="database", label="DB"),
        arrow("api-db", "api", "db"),
        add("sticky", "note", text="todo"),
    )
    return people


def submit(board: Board, who: Member, *ops: dict[str, Any]) -> dict[str, Any]:
    """A batch as a socket client would send it; returns the stored batch message."""
    committed = batch_submit(
        board_id=board.id, participant_id=who.participant.id, batch_id=f"t{next(_batch_ids)}", raw_ops=list(ops)
    )
    return committed.message


def as_role(who: Member, role: str) -> None:
    """Change a member's role in place, as if they had been re-invited differently."""
    Participant.objects.filter(pk=who.participant.pk).update(role=role)
    who.participant.refresh_from_db()


def api(who: Member | None = None) -> APIClient:
    client = APIClient()
    if who is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {who.token}")
    return client


def url(board: Board, annotation_id: str | None = None, *, replies: bool = False, reply_id: str | None = None) -> str:
    path = f"/api/boards/{board.id}/annotations/"
    if annotation_id is not None:
        path += f"{annotation_id}/"
    if replies or reply_id is not None:
        path += "replies/"
    if reply_id is not None:
        path += f"{reply_id}/"
    return path


def challenge(**fields: Any) -> dict[str, Any]:
    """A POST body for a challenge on `api`; override any field."""
    return {"layer": "challenges", "target": "api", "kind": "failure_mode", "text": "What if API dies?", **fields}


def stored(board: Board) -> dict[str, Any]:
    """Everything an annotation write could change, to prove a refusal changed nothing."""
    board.refresh_from_db()
    return {
        "annotations": list(Annotation.objects.filter(board=board).order_by("annotation_id").values()),
        "replies": list(Reply.objects.filter(annotation__board=board).order_by("reply_id").values()),
        "batches": Batch.objects.filter(board=board).count(),
        "seq": (board.seq, board.private_seq),
    }


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [thread["id"] for thread in response.json()]
