"""Create a board from a file: a BothSides JSON export (with its annotations) or a Mermaid flowchart.

Everything is checked before the board is kept: every problem is reported at
once, and a file with any problem creates nothing (one transaction). What was
understood but left out or changed comes back as the `report`.

The canvas goes through `whiteboard.services.imports` / `board_create` (the
owner's first batches); annotations are replayed as ordinary batches through
`batch_submit`, by stand-in participants for their exported authors (see
`reviews.export_json`), so every rule and the log's fold hold as for live
writes.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from reviews import export_json
from whiteboard import mermaid, ops
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Mode, Participant, Role
from whiteboard.services import imports
from whiteboard.services.batches import batch_submit
from whiteboard.services.boards import board_create
from whiteboard.services.participants import participant_add

FORMATS = ("json", "mermaid")
MAX_MERMAID = 500_000  # characters
Report = list[dict[str, Any]]


def _reject(problems: list[dict[str, Any]]) -> imports.ImportRejected:
    return imports.ImportRejected([{"line": None, **p} if "line" not in p else p for p in problems])


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def _load(content: Any) -> Any:
    """A JSON file given as text is parsed strictly: no NaN or Infinity, no key given twice."""
    if not isinstance(content, str):
        return content
    try:
        return json.loads(
            content,
            parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)),
            object_pairs_hook=_reject_duplicates,
        )
    except RecursionError:
        raise _reject([export_json.problem("content", imports.TOO_DEEP)]) from None
    except ValueError:
        raise _reject([export_json.problem("content", "The file is not valid JSON.")]) from None


def board_import(
    *, owner: Any, format: str, content: Any, title: str = "", mode: str | None = None
) -> tuple[Board, Report]:
    """The new board and the report of what was left out; `ImportRejected` lists every problem."""
    if format == "mermaid":
        return _from_mermaid(owner=owner, content=content, title=title, mode=mode)
    return _from_json(owner=owner, content=content, title=title, mode=mode)


def _from_mermaid(*, owner: Any, content: Any, title: str, mode: str | None) -> tuple[Board, Report]:
    if not isinstance(content, str):
        raise _reject([{"path": "content", "message": "A Mermaid flowchart is sent as text."}])
    if len(content) > MAX_MERMAID:
        raise _reject([{"path": "content", "message": f"A flowchart is limited to {MAX_MERMAID:,} characters."}])
    chart = mermaid.parse(content)
    elements = mermaid.to_elements(chart) if not chart.problems else []
    if chart.problems:
        raise _reject(chart.problems)
    name = (title or chart.title or "Imported flowchart")[:200]
    board = board_create(owner=owner, title=name, mode=mode or Mode.INTERVIEW, elements=elements)
    return board, chart.skipped


def _stand_ins(board: Board, plan: export_json.Plan) -> dict[str | None, Participant]:
    """A participant for each exported author, with their name and role; None is the importer."""
    people: dict[str | None, Participant] = {None: Participant.objects.get(board=board, user=board.owner)}
    used = {step.author for step in plan.steps}
    for author, person in plan.authors.items():
        if author in used:
            people[author] = participant_add(board=board, role=person["role"], name=person["name"])
    return people


def _replay(board: Board, plan: export_json.Plan) -> None:
    people = _stand_ins(board, plan)
    for n, batch in enumerate(export_json.batches(plan.steps, ops.MAX_OPS_PER_BATCH)):
        try:
            batch_submit(
                board_id=board.id,
                participant_id=people[batch[0].author].id,
                batch_id=f"import-{n}",
                raw_ops=[step.op for step in batch],
            )
        except SyncError as error:
            index, rest = _op_index(error.path)
            step = batch[index] if index is not None and index < len(batch) else batch[0]
            message = error.message
            if error.code == ErrorCode.FORBIDDEN:
                role = plan.authors.get(step.author or "", {}).get("role", Role.OWNER)
                message = f"{message} (written by a {role} in the file)"
            raise _reject([export_json.problem(step.path + rest, message)]) from error


def _op_index(path: str | None) -> tuple[int | None, str]:
    """`ops[3].annotation.text` -> (3, '.text'), the op and the field inside the file's object."""
    if not path or not path.startswith("ops["):
        return None, ""
    index, _, rest = path[4:].partition("]")
    for inner in (".annotation", ".reply"):
        if rest.startswith(inner + ".") or rest == inner:
            rest = rest[len(inner) :]
            break
    return (int(index), rest) if index.isdigit() else (None, "")


def _from_json(*, owner: Any, content: Any, title: str, mode: str | None) -> tuple[Board, Report]:
    document = _load(content)
    if isinstance(document, dict) and mode is not None:
        board = document.get("board") if isinstance(document.get("board"), dict) else {}
        document = {**document, "board": {**board, "mode": mode}}
    with transaction.atomic():
        try:
            board = imports.board_import(owner=owner, content=document, title=title)
        except imports.ImportRejected as rejected:
            problems = list(rejected.problems)
            if problems and problems[0].get("path", "").startswith("content.elements"):
                problems += export_json.plan_annotations(document, Mode.INTERVIEW).problems
            raise _reject(problems) from None
        plan = export_json.plan_annotations(document, board.mode)
        if plan.problems:
            raise _reject(plan.problems)
        _replay(board, plan)
        board.refresh_from_db()
    return board, plan.report
