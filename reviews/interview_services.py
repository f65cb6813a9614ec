"""Interview session writes: the session/phase/ledger op kind plugged into whiteboard's batches.

The rules are in `reviews.interview` (pure); this loads the session and the
ledger entries a batch names, lets them decide, and writes the rows once the
batch has its seq. Ending the session closes the board to the candidate.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import interview
from reviews.models import InterviewSession, Requirement
from whiteboard import extensions
from whiteboard.models import Batch, Participant
from whiteboard.protocol import iso
from whiteboard.services.boards import board_set_closed


def session_of(board_id: UUID) -> interview.Session:
    row = InterviewSession.objects.filter(board_id=board_id).first()
    if row is None:
        return interview.Session()
    phases = tuple({**p, "at": datetime.fromisoformat(p["at"])} for p in row.phases)
    return interview.Session(
        status=row.status,
        minutes=row.minutes,
        elapsed=row.elapsed,
        running_since=row.running_since,
        phase=row.phase or None,
        phases=phases,
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


def session_dict(session: interview.Session) -> dict[str, Any]:
    data = asdict(session)
    for name in ("running_since", "started_at", "ended_at"):
        data[name] = iso(data[name])
    data["phases"] = [{**p, "at": iso(p["at"])} for p in session.phases]
    return data


def _entry_state(row: Requirement) -> interview.Entry:
    """An entry in the pure form `interview.apply_ops` works on."""
    answer = None
    if row.answered_seq is not None:
        answer = {"text": row.answer, "author": str(row.answered_by_id), "seq": row.answered_seq}
    return {
        "id": row.entry_id,
        "kind": row.kind,
        "text": row.text,
        "links": row.links,
        "author": str(row.author_id),
        "seq": row.seq,
        "answer": answer,
    }


def entry_dict(row: Requirement) -> dict[str, Any]:
    """An entry as clients receive it (docs/protocol.md, "Interview session")."""
    entry = _entry_state(row)
    if entry["answer"] is not None:
        entry["answer"]["at"] = iso(row.answered_at)
    return {**entry, "created_at": iso(row.created_at)}


def entries_by_id(board_id: UUID, ids: set[str]) -> dict[str, interview.Entry]:
    return {row.entry_id: _entry_state(row) for row in Requirement.objects.filter(board_id=board_id, entry_id__in=ids)}


def _write_session(board_id: UUID, before: interview.Session, session: interview.Session) -> None:
    phases = [{**p, "at": p["at"].isoformat()} for p in session.phases]
    fields = {
        "status": session.status,
        "minutes": session.minutes,
        "elapsed": session.elapsed,
        "running_since": session.running_since,
        "phase": session.phase or "",
        "phases": phases,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
    }
    InterviewSession.objects.update_or_create(board_id=board_id, defaults=fields)
    if (before.status == "ended") != (session.status == "ended"):
        board_set_closed(board_id=board_id, closed=session.status == "ended")


def _write_entry(board_id: UUID, entry: interview.Entry, batch: Batch) -> None:
    answer = entry["answer"]
    fields = {
        "kind": entry["kind"],
        "text": entry["text"],
        "links": entry["links"],
        "author_id": UUID(entry["author"]),
        "seq": entry["seq"],
    }
    if answer is not None:
        fields.update(answer=answer["text"], answered_by_id=UUID(answer["author"]), answered_seq=answer["seq"])
        if answer["seq"] == batch.seq:
            fields["answered_at"] = batch.created_at
    Requirement.objects.update_or_create(
        board_id=board_id,
        entry_id=entry["id"],
        defaults=fields,
        create_defaults={**fields, "created_at": batch.created_at},
    )


def _write(board_id: UUID, before: interview.Session, applied: interview.Applied, batch: Batch) -> None:
    if applied.session != before:
        _write_session(board_id, before, applied.session)
    for entry in applied.changed.values():
        _write_entry(board_id, entry, batch)


class InterviewOps:
    """The session and ledger op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = interview.NAMES

    def parse(self, raw: dict[str, Any], path: str) -> interview.Op:
        return interview.parse_op(raw, path)

    def plan(self, context: extensions.Context, ops: list[tuple[int, interview.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        ids = {op["entry"]["id"] if op["op"] == "requirement" else op["entry"] for _, op in ops if "entry" in op}
        before = session_of(board.id)
        actor = interview.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        applied = interview.apply_ops(
            before, entries_by_id(board.id, ids), actor, ops, context.element, at=context.now, seq=board.seq + 1
        )
        return extensions.Planned(
            ops=applied.ops, private=False, commit=lambda batch, _seq: _write(board.id, before, applied, batch)
        )

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        rows = Requirement.objects.filter(board_id=board_id)
        session = {**session_dict(session_of(board_id)), "now": iso(timezone.now())}
        return {"session": session, "requirements": [entry_dict(row) for row in rows]}
