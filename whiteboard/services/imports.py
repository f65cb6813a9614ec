"""Create a board from an exported one.

Everything is checked before anything is written, and every problem is
reported at once (not just the first), so a person fixing a hand-edited file
sees the whole list.
"""

from __future__ import annotations

import json
from typing import Any

from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Mode
from whiteboard.services.boards import board_create

EXPORT_FORMAT = "bothsides"
EXPORT_VERSION = 1


class ImportRejected(SyncError):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        count = len(problems)
        super().__init__(ErrorCode.VALIDATION_ERROR, f"The file has {count} problem{'s' * (count != 1)}.")
        self.problems = problems

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": self.problems}


def _problem(path: str, message: str) -> dict[str, Any]:
    return {"code": str(ErrorCode.VALIDATION_ERROR), "path": path, "message": message}


MAX_DEPTH = 32  # an export nests 6 levels; far deeper is hostile, and refused before anything walks it
TOO_DEEP = f"The file nests deeper than {MAX_DEPTH} levels; no BothSides export does."


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Iteratively, so a hostile depth cannot exhaust the stack of the check itself."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _document(content: Any) -> dict[str, Any]:
    if isinstance(content, str):
        try:
            content = json.loads(content, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
        except RecursionError:
            raise ImportRejected([_problem("content", TOO_DEEP)]) from None
        except ValueError:
            raise ImportRejected([_problem("content", "The file is not valid JSON.")]) from None
    if too_deep(content):
        raise ImportRejected([_problem("content", TOO_DEEP)])
    if not isinstance(content, dict):
        raise ImportRejected([_problem("content", "Expected an exported BothSides board (a JSON object).")])
    if content.get("format") != EXPORT_FORMAT or content.get("version") != EXPORT_VERSION:
        raise ImportRejected([_problem("content.format", "This is not a BothSides board export (version 1).")])
    return content


def _elements(raw: Any) -> list[ops.Element]:
    if not isinstance(raw, list) or len(raw) > ops.MAX_ELEMENTS:
        raise ImportRejected([_problem("content.elements", f"Expected a list of at most {ops.MAX_ELEMENTS} elements.")])
    problems, parsed = [], []
    for i, element in enumerate(raw):
        try:
            parsed.append(ops.parse_element(element, f"content.elements[{i}]"))
        except SyncError as error:
            problems.append(error.as_dict())
    if not problems:
        ordered = sorted(parsed, key=lambda element: element["kind"] == "arrow")
        try:
            ops.apply_ops({}, 0, [{"op": "add", "element": element} for element in ordered])
        except SyncError as error:
            problems.append(error.as_dict())
    if problems:
        raise ImportRejected(problems)
    return parsed


def board_import(*, owner: Any, content: Any, title: str = "") -> Board:
    document = _document(content)
    board = document.get("board") if isinstance(document.get("board"), dict) else {}
    elements = _elements(document.get("elements", []))
    mode = board.get("mode") if board.get("mode") in Mode.values else Mode.INTERVIEW
    title = (title or str(board.get("title") or "Imported board"))[:200]
    prompt = board.get("prompt") if isinstance(board.get("prompt"), str) else ""
    return board_create(owner=owner, title=title, prompt=prompt, mode=mode, elements=elements)
