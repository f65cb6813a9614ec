"""Played scenario cards: one row per card, written in the same transaction as the batch that played it."""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board, Participant


class ScenarioCard(models.Model):
    """A card as played: the folded state of the `scenario` op (`reviews.scenario.fold` over the log)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="scenario_cards")
    card_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200, blank=True, default="")
    text = models.TextField()
    seq = models.PositiveIntegerField(help_text="The public seq of the batch that played it.")
    played_at = models.DateTimeField()
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ("seq", "id")
        constraints = [models.UniqueConstraint(fields=["board", "card_id"], name="scenario_card_once_per_board")]

    def __str__(self) -> str:
        return f"card {self.card_id} at seq {self.seq}"
