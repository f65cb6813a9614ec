"""Create the demo user and an interview board, and print links to try it with."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from whiteboard.models import Board, Participant, Role
from whiteboard.prompts import BY_ID
from whiteboard.services.boards import board_create
from whiteboard.services.invites import invite_create

TEMPLATE = BY_ID["notification_system"]


class Command(BaseCommand):
    help = "Create a demo user and interview board and print its invite links."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username="demo")
        if created:
            user.set_password("demo")
            user.save()
        board = Board.objects.filter(owner=user, title="Demo: notification system").first()
        if board is None:
            board = board_create(
                owner=user, title="Demo: notification system", prompt=TEMPLATE["prompt"], elements=TEMPLATE["elements"]
            )
        owner = Participant.objects.get(board=board, role=Role.OWNER)
        self.stdout.write(f"\nSign in as demo / demo, then open the board:\n  {base_url}/boards/{board.id}/\n")
        self.stdout.write("Invite links (each new; valid 7 days):")
        for role in ("interviewer", "candidate", "observer"):
            _, token = invite_create(board=board, by=owner, role=role)
            self.stdout.write(f"  {role:<12} {base_url}/join/{token}")
        self.stdout.write("")
