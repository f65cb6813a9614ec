"""Practice logs in pure code: `Log` on a practice board, with the coach's notices and issue 15's ops.

`decide`, `delete_decision` and `scenario` (issue 15's shapes, /work/issue15-shapes.md) are
stored as given: their op kinds are built elsewhere, and the coach reads them defensively.
`coach_tick` asks the coach at a moment and stores what it says as the coach's batch,
as `reviews.coach_services.coach_step` does on a server.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reviews import coach
from tests.reviews.logs import COACH, PARSERS, ROLES, T0, Log
from whiteboard import ops, roles

ISSUE_15 = ("decide", "delete_decision", "scenario")
ISSUE_15_FIELDS = ("dead_letter", "timeout_ms", "retries", "idempotent", "backup", "familiarity")


def _as_given(raw: dict[str, Any], path: str) -> dict[str, Any]:
    return dict(raw)


class PracticeLog(Log):
    mode = "practice"
    parsers = {**PARSERS, "notice": coach.parse_op, **dict.fromkeys(ISSUE_15, _as_given)}

    def send(self, who: str, *raw_ops: dict[str, Any], t: float | None = None) -> dict[str, Any]:
        """As `Log.send`; issue 15's element fields are stored as given until the vocabulary has them."""
        extra: dict[str, dict[str, Any]] = {}
        plain = []
        for op in raw_ops:
            if op["op"] == "add" and set(op["element"]) & set(ISSUE_15_FIELDS):
                fields = {k: v for k, v in op["element"].items() if k in ISSUE_15_FIELDS}
                extra[op["element"]["id"]] = fields
                op = {**op, "element": {k: v for k, v in op["element"].items() if k not in ISSUE_15_FIELDS}}
            plain.append(op)
        batch = super().send(who, *plain, t=t)
        for op in batch["ops"]:
            if op["op"] == "add" and op["element"]["id"] in extra:
                op["element"].update(extra[op["element"]["id"]])
                self.elements[op["element"]["id"]].update(extra[op["element"]["id"]])
        return batch

    def _others(self, role: str, parsed: list[ops.Op]) -> list[ops.Op]:
        notices = [(i, op) for i, op in enumerate(parsed) if op["op"] == "notice"]
        actor = roles.Actor(participant="", role=role, mode=self.mode)
        return [*coach.check_notices(actor, notices), *(op for op in parsed if op["op"] in ISSUE_15)]


def coach_tick(
    log: PracticeLog, t: float, question: dict[str, Any] | None, rules: coach.Rules, *, finish: bool = False
) -> list[dict[str, Any]]:
    """What the coach decides `t` seconds after T0 (stored as its batch at `t` when it says anything)."""
    decided = coach.decide(log.batches, ROLES, question, rules, T0 + timedelta(seconds=t), finish=finish)
    if decided:
        log.send(COACH, *decided, t=t)
    return decided
