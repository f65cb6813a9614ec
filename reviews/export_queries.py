"""Gather a board for export, as one reader may see it.

The elements, the annotations and the ledger come from one consistent
snapshot (`whiteboard.selectors.board_state`, which takes the annotations
through `reviews.annotation_queries`), so the private layer is in it only for the
owner and interviewers. Names are those of the people who wrote something
the reader sees.
"""

from typing import Any
from uuid import UUID

from django.utils import timezone

from reviews import annotations
from whiteboard.models import Participant
from whiteboard.selectors import board_state


def export_for(*, board_id: UUID, participant: Participant) -> dict[str, Any]:
    """What every export format formats (`reviews.formats`), as this reader may see it."""
    board, elements, extra = board_state(board_id, participant)
    by_id = {element["id"]: element for element in elements}
    listed = [
        {
            **annotation,
            "orphaned": annotations.orphaned(annotation, by_id.get(annotation["target"])),
            "outdated": annotations.outdated(annotation, by_id.get(annotation["target"])),
        }
        for annotation in extra.get("annotations", [])
    ]
    ledger = extra.get("requirements", [])  # the welcome's key for the ledger
    flows = extra.get("flows", [])
    decided = extra.get("decisions", [])
    authors = {annotation["author"] for annotation in listed} | {r["author"] for t in listed for r in t["replies"]}
    authors |= {entry["author"] for entry in ledger}
    authors |= {entry["answer"]["author"] for entry in ledger if entry.get("answer")}
    authors |= {flow["author"] for flow in flows}
    authors |= {decision["author"] for decision in decided}
    people = Participant.objects.filter(board_id=board_id, pk__in=authors)
    return {
        "board": {"id": str(board.id), "title": board.title, "prompt": board.prompt, "mode": board.mode},
        "elements": elements,
        "annotations": listed,
        "requirements": ledger,
        "flows": flows,
        "scenarios": extra.get("scenarios", []),  # the cards played, public once played
        "decisions": decided,
        "participants": {str(p.id): {"name": p.name, "role": p.role} for p in people},
        "exported_at": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        # The verdicts hook: None until the review model exists, which leaves the section out.
        "reviews": reviews_for_document(board_id=board_id, participant=participant),
    }


def reviews_for_document(*, board_id: UUID, participant: Participant) -> list[dict[str, Any]] | None:
    """HOOK for the review model (verdicts), not built yet: return its submitted reviews the reader may
    see as `[{"reviewer", "verdict", "summary", "submitted_at"}]`. `None` leaves the Verdicts section out
    of the design document; `[]` shows it empty."""
    return None
