"""Rows for interview questions: a team's own questions with every version kept, and the question a board was made from.

Imported by `reviews.models` (Django finds models there). A question's content is
one JSON document in the shape `reviews.questions.parse_question` checks, so the
built-in bank (files) and a team's questions (rows) are the same thing to
everything that reads them. An edit never changes a version: it adds one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whiteboard.models import Board


class Question(models.Model):
    """A team's own question; its content lives in its versions."""

    key = models.CharField(max_length=64, unique=True, help_text="The question's id in the API.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions")
    latest = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        permissions = [("interview", "May interview: read questions in full and write the team's questions")]

    def __str__(self) -> str:
        return f"{self.key} v{self.latest}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="The question as parse_question returns it (without the version).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class BoardQuestion(models.Model):
    """The question (id and version) a board was made from, and a copy of that version.

    The copy keeps the board's interview stable when the team edits or deletes the
    question later. Never in the op log and never in a welcome: the public part is
    served by REST to anyone on the board, the rest only to `read_question` holders.
    """

    board = models.OneToOneField(Board, on_delete=models.CASCADE, primary_key=True, related_name="question")
    question_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    content = models.JSONField()

    def __str__(self) -> str:
        return f"{self.board_id}: {self.question_id} v{self.version}"
