"""The incident drill's row: one per incident board, in the same transaction as the batch that changed it."""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board


class IncidentState(models.Model):
    """The materialised state of an incident board's drill. The fault columns are the private part."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, primary_key=True, related_name="incident")
    status = models.CharField(max_length=8, default="none")
    fault_target = models.CharField(max_length=64, blank=True, default="")
    fault_kind = models.CharField(max_length=16, blank=True, default="")
    symptom = models.TextField(blank=True, default="")
    entry = models.CharField(max_length=64, blank=True, default="")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    actions = models.JSONField(default=list, help_text="[{target, action, minute}] since it opened, in order.")

    def __str__(self) -> str:
        return f"incident {self.board_id} ({self.status})"
