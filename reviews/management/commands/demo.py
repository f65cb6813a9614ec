"""Create the demo user, an interview board and a design-review board, and print links to try them.

It lives in `reviews` because the review board needs a published version and the
interview board a question. The interview board starts from the notification-system
question with an empty canvas (the reference design is the interviewer's, in their
panel); the review board has that reference design drawn, to be reviewed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand

from reviews.question_bank import BANK
from reviews.question_services import board_question_record
from reviews.review_services import version_publish
from whiteboard.models import Board, Mode, Participant, Role
from whiteboard.roles import INVITABLE
from whiteboard.services.boards import board_create
from whiteboard.services.invites import invite_create

QUESTION = BANK["notification_system"]
INTERVIEW_TITLE = "Demo interview: notification system"
REVIEW_TITLE = "Demo review: notification system v1"


class Command(BaseCommand):
    help = "Create a demo user, an interview board and a review board, and print their invite links."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username="demo")
        if created:
            user.set_password("demo")
            user.save()
        # The demo user interviews: they see the question's facts, reference and cards.
        user.user_permissions.add(Permission.objects.get(codename="interview", content_type__app_label="reviews"))
        interview = self._board(user, INTERVIEW_TITLE, Mode.INTERVIEW)
        self.stdout.write(
            f"\nSign in as demo / demo, then open the interview board:\n  {base_url}/boards/{interview.id}/\n"
        )
        self._links(interview, base_url, INVITABLE[Mode.INTERVIEW])
        review = self._board(user, REVIEW_TITLE, Mode.REVIEW)
        owner = Participant.objects.get(board=review, role=Role.OWNER)
        if not review.versions.exists():
            version_publish(board_id=review.id, participant=owner, name="v1", note="First cut, ready for review.")
        self.stdout.write(f"A design review with version 1 published:\n  {base_url}/boards/{review.id}/\n")
        self._links(review, base_url, INVITABLE[Mode.REVIEW])

    def _board(self, user: Any, title: str, mode: str) -> Board:
        board = Board.objects.filter(owner=user, title=title).first()
        if board is None:
            if mode == Mode.INTERVIEW:
                board = board_create(owner=user, title=title, prompt=QUESTION["prompt"], mode=mode)
                board_question_record(board=board, question=QUESTION)
            else:
                reference = QUESTION["reference"]["elements"]
                board = board_create(owner=user, title=title, prompt=QUESTION["prompt"], mode=mode, elements=reference)
        return board

    def _links(self, board: Board, base_url: str, roles: tuple[str, ...]) -> None:
        owner = Participant.objects.get(board=board, role=Role.OWNER)
        self.stdout.write("Invite links (each new; valid 7 days):")
        for role in roles:
            _, token = invite_create(board=board, by=owner, role=role)
            self.stdout.write(f"  {role:<12} {base_url}/join/{token}")
        self.stdout.write("")
