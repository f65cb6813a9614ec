"""Create a board from a file in any format the registry can load (`reviews.formats`).

Everything is checked before the board is kept: every problem is reported at
once, and a file with any problem creates nothing (one transaction). What was
understood but left out or changed comes back as the `report`.

The canvas goes in through `board_create` (the owner's first batches). A
BothSides file's annotations are then replayed as ordinary batches through
`batch_submit`, by stand-in participants for their exported authors (see
`reviews.formats.board_json`), so every rule and the log's fold hold as for
live writes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from reviews.formats import FORMATS, board_json
from whiteboard import cpu, ops
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Mode, Participant, Role
from whiteboard.services.batches import batch_submit
from whiteboard.services.boards import board_create
from whiteboard.services.participants import participant_add

Report = list[dict[str, Any]]


class ImportRejected(SyncError):
    """A file with problems: nothing was created, and `problems` lists every one."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        count = len(problems)
        super().__init__(ErrorCode.VALIDATION_ERROR, f"The file has {count} problem{'s' * (count != 1)}.")
        self.problems = [{"line": None, **p} if "line" not in p else p for p in problems]

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": self.problems}


def board_import(
    *, owner: Any, format: str, content: Any, title: str = "", mode: str | None = None, page: int | str | None = None
) -> tuple[Board, Report]:
    """The new board and the report of what was left out; `ImportRejected` lists every problem.

    `page` picks a page of a file that has several (draw.io); a file that cannot be read at all
    raises the format's `ImportInvalid` (400, or 413 for size), and nothing is created either way.
    """
    form = FORMATS[format]
    load = form.load
    if load is None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, f"Boards cannot be imported from {format}.", "format")
    options: dict[str, Any] = {}
    if page is not None:
        if "page" not in form.options:
            raise SyncError(ErrorCode.VALIDATION_ERROR, f"A {format} file has no pages to choose from.", "page")
        options["page"] = page
    imported = cpu.run(load, content, **options)  # parsing is pure: off the serving process
    if imported.problems:
        raise ImportRejected(imported.problems)
    report = list(imported.report)
    with transaction.atomic():
        board = board_create(
            owner=owner,
            title=(title or imported.title)[:200],
            prompt=imported.prompt,
            mode=mode or imported.mode or Mode.INTERVIEW,
            elements=imported.elements,
        )
        if imported.document is not None:
            plan = board_json.plan_annotations(imported.document, board.mode)
            if plan.problems:
                raise ImportRejected(plan.problems)
            _replay(board, plan)
            _decide(board, imported.document, imported.elements)
            board.refresh_from_db()
            report += plan.report
    return board, report


def _stand_ins(board: Board, plan: board_json.Plan) -> dict[str | None, Participant]:
    """A participant for each exported author, with their name and role; None is the importer."""
    people: dict[str | None, Participant] = {None: Participant.objects.get(board=board, user=board.owner)}
    used = {step.author for step in plan.steps}
    for author, person in plan.authors.items():
        if author in used:
            people[author] = participant_add(board=board, role=person["role"], name=person["name"])
    return people


def _replay(board: Board, plan: board_json.Plan) -> None:
    people = _stand_ins(board, plan)
    for n, batch in enumerate(board_json.batches(plan.steps, ops.MAX_OPS_PER_BATCH)):
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
            raise ImportRejected([board_json.problem(step.path + rest, message)]) from error


def _decide(board: Board, document: Any, elements: list[ops.Element]) -> None:
    """The file's decisions, recorded by the importer in batches after the canvas (checked in `load`)."""
    decide, _problems = board_json.decision_ops(document, elements)
    owner = Participant.objects.get(board=board, user=board.owner)
    for n in range(0, len(decide), ops.MAX_OPS_PER_BATCH):
        chunk = decide[n : n + ops.MAX_OPS_PER_BATCH]
        batch_submit(board_id=board.id, participant_id=owner.id, batch_id=f"import-decisions-{n}", raw_ops=chunk)


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
