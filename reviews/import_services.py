"""Create a board from a file in any format the registry can load (`reviews.formats`).

Everything is checked before the board is kept: every problem is reported at
once, and a file with any problem leaves no board. What was understood but left
out or changed comes back as the `report`.

The board, its owner and the stand-in participants for a BothSides file's
exported authors (see `reviews.formats.board_json`) are created in one short
transaction. The canvas then goes in as the owner's first batches and the
file's annotations are replayed as ordinary batches by those stand-ins, so
every rule and the log's fold hold as for live writes.

Those batches are a chain of `IMPORT_CHUNK`-op batches handed to the process's
group committer (`whiteboard.group_commit.submit_from_thread`), one committed
per turn between the sockets' groups, and the board is created on the same
database thread (`run_in_turn`). They used to be one transaction on the
request's thread (issue 19): on SQLite it held the database's one write lock
for the whole import (2,400 elements: 0.3 s of work, seconds on a busy
machine), every board's acknowledgements queued behind it, and the request
thread's ORM work competed with the sockets for the GIL. Now another board's
batch waits for at most one chunk. The price: the board exists, its owner's
only, while it is being filled; a chunk refused part-way (a replayed
annotation the rules refuse) deletes it again, and a process killed
mid-import can leave it partly filled, for its owner to delete.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction

from reviews import import_budget
from reviews.formats import FORMATS, board_json
from whiteboard import cpu
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.group_commit import ChainRefused, run_in_turn, submit_from_thread
from whiteboard.models import Board, Mode, Participant, Role
from whiteboard.services.batches import Submission
from whiteboard.services.boards import board_create, board_delete, element_batches, start_batch_id
from whiteboard.services.participants import participant_add

log = logging.getLogger(__name__)

Report = list[dict[str, Any]]
# Ops per batch an import writes: what another board's batch may wait for behind it, about 13 ms
# of the database thread on the development VM (docs/performance.md, "Fairness"); each batch
# also costs ~1.3 ms of its own, so much smaller chunks would slow imports for little gain.
IMPORT_CHUNK = 200


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
    import_budget.admit(owner.id)
    imported = cpu.run(load, content, **options)  # parsing is pure: off the serving process
    if imported.problems:
        raise ImportRejected(imported.problems)
    report = list(imported.report)
    mode = mode or imported.mode or Mode.INTERVIEW
    plan = None
    if imported.document is not None:
        plan = board_json.plan_annotations(imported.document, mode)
        board_json.plan_flows(imported.document, plan)
        if plan.problems:
            raise ImportRejected(plan.problems)
        report += plan.report
    title = (title or imported.title)[:200]
    board, people = run_in_turn(_create, owner, title, imported.prompt, mode, plan)
    canvas = [
        Submission(board.id, people[None].id, start_batch_id(n), raw_ops)
        for n, raw_ops in enumerate(element_batches(imported.elements, IMPORT_CHUNK))
    ]
    steps = board_json.batches(plan.steps, IMPORT_CHUNK) if plan is not None else []
    replay = [
        Submission(board.id, people[batch[0].author].id, f"import-{n}", [step.op for step in batch])
        for n, batch in enumerate(steps)
    ]
    # The file's decisions, recorded by the importer after the canvas (checked with the file in `load`).
    decided = board_json.decision_ops(imported.document, imported.elements)[0] if imported.document else []
    decisions = [
        Submission(board.id, people[None].id, f"import-decisions-{n}", decided[n : n + IMPORT_CHUNK])
        for n in range(0, len(decided), IMPORT_CHUNK)
    ]
    import_budget.charge(owner.id, sum(len(s.raw_ops) for s in (*canvas, *replay, *decisions)))
    try:
        submit_from_thread([*canvas, *replay, *decisions])
    except ChainRefused as refused:
        run_in_turn(_discard, board)
        replayed = refused.index - len(canvas)
        if not 0 <= replayed < len(replay) or not isinstance(refused.error, SyncError):
            raise refused.error from None
        assert plan is not None  # replayed batches come from the plan
        raise _rejected(plan, steps[replayed], refused.error) from refused.error
    except Exception:  # the database went away, or the server is stopping: leave no half board if we can
        run_in_turn(_discard, board)
        raise
    board.refresh_from_db()
    return board, report


@transaction.atomic
def _create(
    owner: Any, title: str, prompt: str, mode: str, plan: board_json.Plan | None
) -> tuple[Board, dict[str | None, Participant]]:
    """The empty board, its owner, and a stand-in participant for each exported author the file's
    annotations name, with their name and role; None is the importer."""
    board = board_create(owner=owner, title=title, prompt=prompt, mode=mode)
    people: dict[str | None, Participant] = {None: Participant.objects.get(board=board, user=owner)}
    if plan is not None:
        used = {step.author for step in plan.steps}
        for author, person in plan.authors.items():
            if author in used:
                people[author] = participant_add(board=board, role=person["role"], name=person["name"])
    return board, people


def _discard(board: Board) -> None:
    """An import refused part-way leaves no board behind."""
    try:
        board_delete(board=board)
    except DatabaseError:
        log.warning("Could not delete the half-imported board %s", board.id, exc_info=True)


def _rejected(plan: board_json.Plan, batch: list[board_json.Step], error: SyncError) -> ImportRejected:
    """A replayed annotation the rules refused, as a problem at its place in the file."""
    index, rest = _op_index(error.path)
    step = batch[index] if index is not None and index < len(batch) else batch[0]
    message = error.message
    if error.code == ErrorCode.FORBIDDEN:
        role = plan.authors.get(step.author or "", {}).get("role", Role.OWNER)
        message = f"{message} (written by a {role} in the file)"
    return ImportRejected([board_json.problem(step.path + rest, message)])


def _op_index(path: str | None) -> tuple[int | None, str]:
    """`ops[3].annotation.text` -> (3, '.text'), the op and the field inside the file's object."""
    if not path or not path.startswith("ops["):
        return None, ""
    index, _, rest = path[4:].partition("]")
    for inner in (".annotation", ".reply", ".flow"):
        if rest.startswith(inner + ".") or rest == inner:
            rest = rest[len(inner) :]
            break
    return (int(index), rest) if index.isdigit() else (None, "")
