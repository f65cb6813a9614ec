"""Interview session writes: the session/phase/ledger op kind plugged into whiteboard's batches.

The rules are in `reviews.interview` (pure); this loads the session and the
ledger entries a batch names (through `reviews.interview_queries`), lets them
decide, and writes the rows once the batch is stored. Ending the session
closes the board to the candidate.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from reviews import interview
from reviews.interview_queries import entries_by_id, session_of, welcome_state
from reviews.models import InterviewSession, LedgerEntry
from whiteboard import extensions
from whiteboard.models import Batch, Participant
from whiteboard.services.boards import board_set_closed


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
    LedgerEntry.objects.update_or_create(
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
    welcome_keys = frozenset({"session", "requirements"})

    def parse(self, raw: dict[str, Any], path: str) -> interview.Op:
        return interview.parse_op(raw, path)

    def is_private(self, op: interview.Op) -> bool:
        return False  # the clock and the ledger are the candidate's to see

    def plan(self, context: extensions.Context, ops: list[tuple[int, interview.Op]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        ids = {op["entry"]["id"] if op["op"] == "requirement" else op["entry"] for _, op in ops if "entry" in op}
        before = session_of(board.id)
        actor = interview.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        applied = interview.apply_ops(
            before, entries_by_id(board.id, ids), actor, ops, context.element, at=context.now, seq=context.seq
        )
        return extensions.Planned(ops=applied.ops, commit=lambda batch: _write(board.id, before, applied, batch))

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return welcome_state(board_id)
