"""An incident board with a member per role and a small shop to debug: what the incident tests share."""

from __future__ import annotations

from typing import Any

from tests.factories import Member, add, arrow, board_with_owner, member
from tests.reviews.sockets import seed
from whiteboard.models import Board

# users -> lb -> api -> db, api -> q -> mailer; the fault hides in the database.
SHOP = [
    add("users", type="client", label="Users"),
    add("lb", type="load_balancer", label="LB"),
    add("api", type="service", label="Checkout API"),
    add("db", type="database", label="Orders DB"),
    add("q", type="queue", label="Mail queue"),
    add("mailer", type="worker", label="Mailer"),
    add("search", type="search", label="Search"),
    arrow("users-lb", "users", "lb"),
    arrow("lb-api", "lb", "api"),
    arrow("api-db", "api", "db"),
    arrow("api-q", "api", "q"),
    arrow("q-mailer", "q", "mailer"),
    arrow("users-search", "users", "search"),
]


def fault(target: str = "db", kind: str = "bad_deploy") -> dict[str, Any]:
    return {"op": "fault", "fault": {"target": target, "kind": kind}}


def open_incident(symptom: str = "Checkout returns HTTP 500") -> dict[str, Any]:
    return {"op": "incident", "action": "open", "symptom": symptom}


def close_incident() -> dict[str, Any]:
    return {"op": "incident", "action": "close"}


def inspect(target: str, signal: str = "metrics") -> dict[str, Any]:
    return {"op": "inspect", "target": target, "signal": signal}


def act(target: str, action: str) -> dict[str, Any]:
    return {"op": "act", "target": target, "action": action}


def hypothesis(hid: str, suspect: str, radius: list[str], kind: str | None = None) -> dict[str, Any]:
    op = {"op": "hypothesis", "id": hid, "suspect": suspect, "blast_radius": radius, "text": f"I think {suspect}"}
    if kind:
        op["kind"] = kind
    return op


class IncidentCast:
    """An interview board of `question_type` incident with the shop drawn and a member in every role."""

    def __init__(self) -> None:
        self.board, self.owner = board_with_owner(title="Checkout is failing")
        Board.objects.filter(pk=self.board.pk).update(question_type="incident")
        self.board.question_type = "incident"
        self.interviewer = member(self.board, "interviewer")
        self.candidate = member(self.board, "candidate")
        self.reviewer = member(self.board, "reviewer")
        self.observer = member(self.board, "observer")
        seed(self.board, self.owner, *SHOP)

    def by_role(self, role: str) -> Member:
        return getattr(self, role)
