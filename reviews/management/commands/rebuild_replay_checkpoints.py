"""Drop and rebuild replay checkpoints from the op log (they are derived; the log is the truth).

python manage.py rebuild_replay_checkpoints            # every board
python manage.py rebuild_replay_checkpoints <board id> ...
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand

from reviews.replay_queries import checkpoints_rebuild
from whiteboard.models import Board


class Command(BaseCommand):
    help = "Drop and rebuild the replay checkpoints of the given boards (default: all) from their op logs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("boards", nargs="*", help="board ids (default: every board)")

    def handle(self, *args: Any, boards: list[str], **options: Any) -> None:
        ids = [UUID(board) for board in boards] or list(Board.objects.values_list("id", flat=True))
        for board_id in ids:
            count = checkpoints_rebuild(board_id)
            self.stdout.write(f"{board_id}: {count} checkpoints")
