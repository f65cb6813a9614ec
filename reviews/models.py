"""Annotation threads on a board: the materialised fold of the annotation ops in the op log.

Like `whiteboard.Element`, these rows are state kept so a joining client costs
O(annotations), never O(history); the batches remain the source of truth.
"""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board, Participant


class Layer(models.TextChoices):
    CHALLENGES = "challenges"
    NOTES = "notes"
    PRIVATE = "private"


class Kind(models.TextChoices):
    FAILURE_MODE = "failure_mode", "failure mode?"
    TRADE_OFF = "trade_off", "trade-off?"
    SCALING = "scaling", "scaling?"
    CLARIFY = "clarify", "clarify?"
    SECURITY = "security", "security?"
    COMMENT = "comment", "comment"


class Status(models.TextChoices):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    REOPENED = "reopened"


class Annotation(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="annotations")
    annotation_id = models.CharField(max_length=64)
    layer = models.CharField(max_length=16, choices=Layer.choices)
    target = models.CharField(max_length=64, blank=True, default="", help_text="Element id; empty for the board.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="annotations")
    prompted = models.BooleanField(help_text="Raised as a challenge, rather than written unasked.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    snapshot = models.JSONField(null=True, help_text="The target's meaning when raised; a change makes it outdated.")
    raised_seq = models.PositiveBigIntegerField()
    answered_seq = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "annotation_id"], name="unique_annotation_per_board")]
        indexes = [models.Index(fields=["board", "target"], name="annotation_target")]

    def __str__(self) -> str:
        return f"{self.annotation_id} ({self.kind} on {self.target or 'board'})"


class Reply(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="replies")
    reply_id = models.CharField(max_length=64)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField()
    seq = models.PositiveBigIntegerField(help_text="The public seq of the canvas the reply was made against.")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["annotation", "reply_id"], name="unique_reply_per_annotation")]

    def __str__(self) -> str:
        return f"{self.annotation_id}/{self.reply_id}"
