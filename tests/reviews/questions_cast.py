"""A board made from a question full of canaries, with a member per role: what the question tests share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reviews.question_services import question_create
from tests.factories import Member, UserFactory, member
from whiteboard.models import Board, Participant

CANARY = "QSECRET-9d2"  # in every private text of the question
ID_CANARY = "qsecret"  # in every private id


def interviewer_account(**fields: Any) -> Any:
    """An account allowed to interview (the `reviews.interview` permission)."""
    user = UserFactory(**fields)
    user.user_permissions.add(Permission.objects.get(codename="interview", content_type__app_label="reviews"))
    return user


def secret_question(key: str = "canary_question", question_type: str = "design") -> dict[str, Any]:
    c, i = CANARY, ID_CANARY
    return {
        "id": key,
        "title": "Design a canary service",
        "question_type": question_type,
        "prompt": "Design a service that tells miners when the air is bad.",
        "facts": [
            {"id": f"{i}-users", "topic": "scale", "answer": f"{c} 40 million miners", "words": ["miner"]},
            {"id": f"{i}-latency", "topic": "latency", "answer": f"{c} alarms within 2 seconds"},
            {"id": f"{i}-budget", "topic": "budget", "answer": f"{c} 3 dollars a mine a month"},
        ],
        "reference": {
            "shows": f"{c} sensors feed a queue",
            "elements": [
                {"id": f"{i}-sensor", "kind": "component", "type": "client", "label": f"{c} sensor", "x": 0, "y": 0},
                {"id": f"{i}-queue", "kind": "component", "type": "queue", "label": f"{c} queue", "x": 200, "y": 0},
                {"id": f"{i}-arrow", "kind": "arrow", "source": f"{i}-sensor", "target": f"{i}-queue"},
            ],
        },
        "follow_ups": {"deep_dive": [f"{c} what if the queue is down?"], "wrap_up": [f"{c} what do you monitor?"]},
        "cards": [{"id": f"{i}-card", "title": f"{c} a mine floods", "text": f"{c} half the sensors go silent"}],
        "rubric": f"{c} strong answers ask about latency first",
    }


class QuestionCast:
    """A board its interviewing owner made from the canary question, and a member per other role."""

    def __init__(self, question_type: str = "design") -> None:
        self.owner_user = interviewer_account()
        question_create(user=self.owner_user, raw=secret_question(question_type=question_type))
        client = APIClient()
        client.force_authenticate(self.owner_user)
        response = client.post("/api/boards/", {"title": "Canary", "question": "canary_question"}, format="json")
        assert response.status_code == 201, response.content
        self.board = Board.objects.get(pk=response.json()["id"])
        participant = Participant.objects.get(board=self.board, user=self.owner_user)
        self.owner = Member(participant, self.owner_user, Token.objects.create(user=self.owner_user).key)
        self.interviewer = member(self.board, "interviewer")
        self.candidate = member(self.board, "candidate")
        self.reviewer = member(self.board, "reviewer")
        self.observer = member(self.board, "observer")

    def by_role(self, role: str) -> Member:
        return getattr(self, role)


def rest(who: Member | None) -> APIClient:
    client = APIClient()
    if who is not None and who.token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {who.token}")
    return client
