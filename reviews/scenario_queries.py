"""Scenario card reads: the cards played on a board, as the rules and as clients see them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from reviews import scenario
from reviews.scenario_models import ScenarioCard


def _card(row: ScenarioCard) -> scenario.Card:
    return {
        "id": row.card_id,
        "title": row.title,
        "text": row.text,
        "seq": row.seq,
        "at": row.played_at,
        "author": str(row.author_id),
    }


def played(board_id: UUID) -> list[scenario.Card]:
    """The board's played cards, oldest first, in the pure form `reviews.scenario` works on."""
    return [_card(row) for row in ScenarioCard.objects.filter(board_id=board_id).order_by("seq", "id")]


def played_ids(board_id: UUID, ids: set[str]) -> set[str]:
    """Which of `ids` were already played on the board."""
    return set(ScenarioCard.objects.filter(board_id=board_id, card_id__in=ids).values_list("card_id", flat=True))


def welcome_state(board_id: UUID) -> dict[str, Any]:
    """Every played card, for everyone on the board: once played, a card is public."""
    return {"scenarios": [scenario.card_dict(card) for card in played(board_id)]}
