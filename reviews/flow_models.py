"""Flows' rows: the materialised fold of the `flow` and `delete_flow` ops, so a welcome costs O(flows)."""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board, Participant


class Flow(models.Model):
    """One flow of a board (`reviews.flows`); listed in the order they were first written."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="flows")
    flow_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    steps = models.JSONField(default=list, help_text="[{element, text}] in order.")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="flows")
    seq = models.PositiveBigIntegerField(help_text="The public seq of its last write.")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["board", "flow_id"], name="unique_flow_per_board")]

    def __str__(self) -> str:
        return f"{self.flow_id} ({self.title})"
