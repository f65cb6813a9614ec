"""Interview session reads: the session and the ledger, as the rules and as clients see them.

`reviews.interview` works on plain data; these turn the materialised rows
(`InterviewSession`, `LedgerEntry`) into that data, and into the shapes the
`welcome` and the report send (docs/protocol.md, "Interview session").
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import interview
from reviews.models import InterviewSession, LedgerEntry
from whiteboard.protocol import iso


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


def _entry_state(row: LedgerEntry) -> interview.Entry:
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


def entry_dict(row: LedgerEntry) -> dict[str, Any]:
    """An entry as clients receive it (docs/protocol.md, "Interview session")."""
    entry = _entry_state(row)
    if entry["answer"] is not None:
        entry["answer"]["at"] = iso(row.answered_at)
    return {**entry, "created_at": iso(row.created_at)}


def entries_by_id(board_id: UUID, ids: set[str]) -> dict[str, interview.Entry]:
    return {row.entry_id: _entry_state(row) for row in LedgerEntry.objects.filter(board_id=board_id, entry_id__in=ids)}


def welcome_state(board_id: UUID) -> dict[str, Any]:
    """The session (with the server's `now`, for the clock) and the whole ledger, for a `welcome`."""
    rows = LedgerEntry.objects.filter(board_id=board_id)
    session = {**session_dict(session_of(board_id)), "now": iso(timezone.now())}
    return {"session": session, "requirements": [entry_dict(row) for row in rows]}
