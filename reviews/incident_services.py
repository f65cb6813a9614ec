"""Incident writes: the fault/incident/inspect/act/hypothesis op kind plugged into whiteboard's batches.

The rules and the simulator are in `reviews.incident` (pure); this loads the
board's incident row (and, for an observation, its elements), lets them
decide, and writes the row once the batch has its seq. A `fault` op is
private: `Planned.private` puts its batch on the private stream, so only
owners and interviewers ever receive it, and `state` shows the fault to them
alone until the close op names it for everyone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from reviews import incident
from reviews.incident_models import IncidentState
from whiteboard import extensions, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Board, Element, Participant
from whiteboard.protocol import iso
from whiteboard.services.batches import batch_submit

INCIDENT_TYPE = "incident"


def state_of(row: IncidentState | None) -> incident.State:
    if row is None:
        return incident.State()
    fault = incident.Fault(row.fault_target, row.fault_kind) if row.fault_target else None
    return incident.State(
        status=row.status,
        fault=fault,
        symptom=row.symptom,
        entry=row.entry,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        actions=tuple(incident.Action(**a) for a in row.actions),
    )


def _write(board_id: UUID, state: incident.State) -> None:
    IncidentState.objects.update_or_create(
        board_id=board_id,
        defaults={
            "status": state.status,
            "fault_target": state.fault.target if state.fault else "",
            "fault_kind": state.fault.kind if state.fault else "",
            "symptom": state.symptom,
            "entry": state.entry,
            "opened_at": state.opened_at,
            "closed_at": state.closed_at,
            "actions": [{"target": a.target, "action": a.action, "minute": a.minute} for a in state.actions],
        },
    )


def incident_dict(state: incident.State, *, private: bool) -> dict[str, Any]:
    """The incident as a participant may see it: the fault only for private readers, or once closed."""
    data: dict[str, Any] = {
        "status": state.status,
        "symptom": state.symptom,
        "entry": state.entry,
        "opened_at": iso(state.opened_at),
        "closed_at": iso(state.closed_at),
    }
    fault = {"target": state.fault.target, "kind": state.fault.kind} if state.fault else None
    if state.status == "closed":
        data["root_cause"] = fault
    if private:
        data["fault"] = fault
    return data


def incident_view(board_id: UUID, participant: Participant) -> dict[str, Any]:
    """The incident as this participant may see it, with the timeline of the last one since it opened
    (the public stream's inspect, act and hypothesis ops, each with its batch's seq, time and author)."""
    from reviews import drill

    row = IncidentState.objects.filter(board_id=board_id).first()
    state = state_of(row)
    private = roles.can_read_private(participant.role)
    data = incident_dict(state, private=private)
    if private and state.fault is not None:
        elements = list(Element.objects.filter(board_id=board_id).values_list("data", flat=True))
        data["blast_radius"] = incident.blast_radius(drill.Graph.build(elements), state.fault.target)
    timeline: list[dict[str, Any]] = []
    if state.opened_at is not None:
        batches = Batch.objects.filter(board_id=board_id, stream="public", created_at__gte=state.opened_at)
        for batch in batches.order_by("seq"):
            for op in batch.ops:
                if op["op"] in ("inspect", "act", "hypothesis"):
                    timeline.append(
                        {**op, "seq": batch.seq, "at": iso(batch.created_at), "participant": str(batch.participant_id)}
                    )
    return {"incident": data, "timeline": timeline}


def incident_apply(*, board_id: UUID, participant: Participant, op: Any) -> dict[str, Any]:
    """One incident op from REST, as a batch of one: same rules, same log, same live delivery. Returns it stored."""
    committed = batch_submit(
        board_id=board_id, participant_id=participant.id, batch_id=f"rest-{uuid.uuid4().hex}", raw_ops=[op]
    )  # announces itself on commit, like a socket's batch
    return {"seq": committed.seq, "stream": committed.stream, "op": committed.message["ops"][0]}


class IncidentOps:
    """The incident op kind, registered with `whiteboard.extensions` by `ReviewsConfig.ready`."""

    names = incident.NAMES
    welcome_keys = frozenset({"incident"})

    def parse(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        return incident.parse_op(raw, path)

    def is_private(self, op: dict[str, Any]) -> bool:
        """The hidden fault travels on the private stream; everything else an incident does is public."""
        return bool(op["op"] == "fault")

    def plan(self, context: extensions.Context, ops: list[tuple[int, dict[str, Any]]]) -> extensions.Planned:
        board, participant = context.board, context.participant
        if board.question_type != INCIDENT_TYPE:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "This is not an incident board.", f"ops[{ops[0][0]}].op")
        before = state_of(IncidentState.objects.filter(board_id=board.id).first())
        actor = roles.Actor(participant=str(participant.id), role=participant.role, mode=board.mode)
        cached: list[Mapping[str, Any]] = []

        def everything() -> list[Mapping[str, Any]]:
            if not cached:
                cached.extend(context.elements())
            return cached

        applied = incident.apply_ops(
            before, actor, ops, context.element, everything, seed=str(board.id), at=context.now
        )
        state = applied.state

        def commit(_batch: Batch) -> None:
            if state != before:
                _write(board.id, state)

        return extensions.Planned(ops=applied.ops, commit=commit)

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        row = IncidentState.objects.filter(board_id=board_id).first()
        if row is None and not _is_incident(board_id):
            return {}
        return {"incident": incident_dict(state_of(row), private=roles.can_read_private(participant.role))}


def _is_incident(board_id: UUID) -> bool:
    return Board.objects.filter(pk=board_id, question_type=INCIDENT_TYPE).exists()


def incident_prepare(*, board: Board, spec: dict[str, Any]) -> None:
    """A board made from an incident question: its default fault hidden (a private batch of the owner's, so the
    log says when) and the symptom ready for the interviewer to open with."""
    from whiteboard.services.batches import batch_submit

    # The owner on an interview board; the coach on a practice board (its author is the candidate).
    owner = Participant.objects.filter(board=board, role__in=incident.RUNNERS).order_by("created_at").first()
    assert owner is not None, "every mode that starts from a question has a participant who runs incidents"
    fault = spec["fault"]
    if fault["target"] in set(board.elements.filter(kind="component").values_list("element_id", flat=True)):
        batch_submit(
            board_id=board.id,
            participant_id=owner.id,
            batch_id="start-fault",
            raw_ops=[{"op": "fault", "fault": fault}],
        )
    IncidentState.objects.update_or_create(
        board_id=board.id, defaults={"symptom": spec["symptom"], "entry": spec.get("entry", "")}
    )
