"""Migrate a fresh database and create the users, tokens and boards one server variant is measured on.

Runs as its own process (`python -m bench.board_setup`) with the variant's
DATABASE_URL, because the bench itself never imports Django: the servers under
test own the database. Boards and participants go through our services, as a
real board would; only the history board is inserted straight with the ORM,
since 50,000 batches over the socket would take minutes and measure nothing
the load phases don't. Writes a JSON description to --out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import django


def _digest(raw_ops: Any) -> str:
    return hashlib.sha256(json.dumps(raw_ops, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _history_ops(elements: int, batches: int) -> list[list[dict[str, Any]]]:
    """Add `elements` components 500 at a time, then move them one per batch until `batches` exist."""
    from whiteboard import ops

    adds = [
        {
            "op": "add",
            "element": {
                "id": f"h{i}",
                "kind": "component",
                "type": "service",
                "label": f"H{i}",
                "x": i,
                "y": 0,
            },
        }
        for i in range(elements)
    ]
    history = [adds[i : i + ops.MAX_OPS_PER_BATCH] for i in range(0, elements, ops.MAX_OPS_PER_BATCH)]
    moves = batches - len(history)
    history += [[{"op": "update", "id": f"h{k % elements}", "props": {"x": k, "y": 1}}] for k in range(moves)]
    return [ops.parse_ops(raw) for raw in history]


def _fill_history(board: Any, participant: Any, elements: int, batches: int) -> None:
    from django.db import transaction

    from whiteboard import ops
    from whiteboard.models import Batch, Board, Element

    history = _history_ops(elements, batches)
    state = ops.fold(history)
    with transaction.atomic():
        Batch.objects.bulk_create(
            (
                Batch(
                    board=board,
                    seq=seq,
                    participant=participant,
                    client_id=f"h{seq}",
                    client_digest=_digest(o),
                    ops=o,
                )
                for seq, o in enumerate(history, start=1)
            ),
            batch_size=2000,
        )
        Element.objects.bulk_create(
            [
                Element(board=board, element_id=e["id"], kind=e["kind"], source="", target="", data=e)
                for e in state.values()
            ],
            batch_size=2000,
        )
        Board.objects.filter(pk=board.pk).update(seq=len(history), element_count=len(state))


def setup(
    users: int, load_boards: int, history_elements: int, history_batches: int, tenant_boards: int = 0
) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from whiteboard.services.boards import board_create
    from whiteboard.services.participants import participant_add

    user_model = get_user_model()
    owner = user_model.objects.create_user("bench-owner", password=None)
    people = [user_model.objects.create_user(f"bench-{i}", password=None) for i in range(users)]
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in people]

    def board(title: str, members: list[Any]) -> Any:
        created = board_create(owner=owner, title=title, prompt="bench", mode="interview")
        for user in members:
            participant_add(board=created, user=user, role="candidate")
        return created

    loads = [board(f"load {i}", people) for i in range(load_boards)]
    # Boards per process: one drawer and two watchers each, the first three users.
    tenants = [board(f"interview {i}", people[:3]) for i in range(tenant_boards)]
    small, large = board("cost small", people), board("cost large", people)
    history = board("history", people[:1])
    participant = history.participants.get(user=people[0])
    _fill_history(history, participant, history_elements, history_batches)
    return {
        "tokens": tokens,
        "load_boards": [str(b.id) for b in loads],
        "cost_boards": {"small": str(small.id), "large": str(large.id)},
        "history_board": str(history.id),
        "tenant_boards": [str(b.id) for b in tenants],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--load-boards", type=int, required=True)
    parser.add_argument("--history-elements", type=int, required=True)
    parser.add_argument("--history-batches", type=int, required=True)
    parser.add_argument("--tenant-boards", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bothsides.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    described = setup(
        args.users, args.load_boards, args.history_elements, args.history_batches, args.tenant_boards
    )
    args.out.write_text(json.dumps(described))


if __name__ == "__main__":
    main()
