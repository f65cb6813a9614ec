"""Build users, boards and participants through the same services the app uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from whiteboard.models import Board, Participant
from whiteboard.services.boards import board_create
from whiteboard.services.participants import participant_add


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


@dataclass
class Member:
    """A participant with what a test needs to act as them."""

    participant: Participant
    user: Any
    token: str | None

    @property
    def id(self) -> str:
        return str(self.participant.id)


def board_with_owner(*, mode: str = "interview", title: str = "Design a URL shortener") -> tuple[Board, Member]:
    user = UserFactory()
    board = board_create(owner=user, title=title, prompt="45 minutes.", mode=mode)
    owner = Participant.objects.get(board=board, user=user)
    return board, Member(owner, user, Token.objects.create(user=user).key)


def member(board: Board, role: str, *, guest: bool = False, name: str = "") -> Member:
    """A registered user with an API token, or (guest=True) an invitee without an account."""
    if guest:
        return Member(participant_add(board=board, role=role, name=name or f"guest {role}"), None, None)
    user = UserFactory()
    participant = participant_add(board=board, role=role, user=user)
    return Member(participant, user, Token.objects.create(user=user).key)


def element(element_id: str, kind: str = "component", **props: Any) -> dict[str, Any]:
    if kind == "component":
        return {"id": element_id, "kind": kind, "type": "service", "label": element_id, "x": 0, "y": 0, **props}
    if kind == "note":
        return {"id": element_id, "kind": kind, "text": "", "x": 0, "y": 0, **props}
    return {"id": element_id, "kind": kind, **props}


def add(element_id: str, kind: str = "component", **props: Any) -> dict[str, Any]:
    return {"op": "add", "element": element(element_id, kind, **props)}


def arrow(arrow_id: str, source: str, target: str, **props: Any) -> dict[str, Any]:
    return add(arrow_id, "arrow", source=source, target=target, **props)


def batch(batch_id: str, *ops: dict[str, Any]) -> dict[str, Any]:
    return {"type": "batch", "id": batch_id, "ops": list(ops)}
