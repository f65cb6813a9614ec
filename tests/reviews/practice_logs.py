"""Practice logs in pure code: `Log` on a practice board, with the coach's notices.

Every op, issue 15's `decide`, `scenario` and `flow` and the new element fields
included, goes through the server's own parsers and rules (`tests.reviews.logs`),
so a scripted practice log is exactly what the server would store.
`coach_tick` asks the coach at a moment and stores what it says as the coach's batch,
as `reviews.coach_services.coach_step` does on a server.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reviews import coach
from tests.reviews.logs import COACH, PARSERS, ROLES, T0, Log
from whiteboard import ops, roles


class PracticeLog(Log):
    mode = "practice"
    parsers = {**PARSERS, "notice": coach.parse_op}

    def _others(self, role: str, parsed: list[ops.Op]) -> list[ops.Op]:
        notices = [(i, op) for i, op in enumerate(parsed) if op["op"] == "notice"]
        actor = roles.Actor(participant="", role=role, mode=self.mode)
        return coach.check_notices(actor, notices)


def coach_tick(
    log: PracticeLog, t: float, question: dict[str, Any] | None, rules: coach.Rules, *, finish: bool = False
) -> list[dict[str, Any]]:
    """What the coach decides `t` seconds after T0 (stored as its batch at `t` when it says anything)."""
    decided = coach.decide(log.batches, ROLES, question, rules, T0 + timedelta(seconds=t), finish=finish)
    if decided:
        log.send(COACH, *decided, t=t)
    return decided
