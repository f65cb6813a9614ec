"""The built-in question bank: one JSON file per question, in a folder per question type.

Loaded and checked once (`reviews.questions.parse_question`), at import: a malformed file
stops the server from starting rather than surfacing in an interview. Built-in questions
never change under a board, so they are all version 1; a new edition gets a new id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from reviews.questions import Question, parse_question

ROOT = Path(__file__).parent
VERSION = 1


def _load() -> dict[str, Question]:
    bank: dict[str, Question] = {}
    for path in sorted(ROOT.glob("*/*.json")):
        question = parse_question(json.loads(path.read_text(encoding="utf-8")), path.stem)
        if question["id"] != path.stem or question["question_type"] != path.parent.name:
            raise ValueError(f"{path}: the file's name and folder must be its id and question_type")
        bank[question["id"]] = {**question, "version": VERSION}
    return bank


BANK: Mapping[str, Question] = MappingProxyType(_load())
