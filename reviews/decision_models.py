"""Decision records on a board: the materialised fold of the `decide` and `delete_decision` ops.

Kept, like `Annotation` rows, so a joining client costs O(decisions), never O(history); the
batches remain the source of truth (`reviews.decisions.fold` replays them).
"""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board, Participant


class Decision(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="decisions")
    decision_id = models.CharField(max_length=64)
    target = models.CharField(max_length=64, help_text="The component the decision is about.")
    choice = models.CharField(max_length=200)
    alternatives = models.JSONField(default=list, help_text="The options weighed and not taken.")
    cost = models.TextField(blank=True, default="")
    why = models.TextField(blank=True, default="")
    revisit_when = models.TextField(blank=True, default="")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="decisions")
    seq = models.PositiveBigIntegerField(help_text="The public seq of its last write.")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["seq", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "decision_id"], name="unique_decision_per_board")]

    def __str__(self) -> str:
        return f"{self.decision_id} ({self.choice} on {self.target})"
