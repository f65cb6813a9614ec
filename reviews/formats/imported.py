"""What every importer returns: the canvas it understood, and what it could not or left out. Pure.

An importer never writes: `reviews.import_services` creates the board from an
`Imported` with no problems, and refuses (creating nothing) one with any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Element = dict[str, Any]
# {"message", "line"? (a text format's line), "path"? (where in a JSON file), "id"? (the file's element id)}
Problem = dict[str, Any]


@dataclass(frozen=True)
class Imported:
    elements: list[Element] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # not understood: nothing is created
    report: list[Problem] = field(default_factory=list)  # understood but left out or changed
    title: str = "Imported board"  # what the file calls the board, used unless the importer names it
    prompt: str = ""
    mode: str | None = None  # the file's mode, if it has a valid one
    document: Mapping[str, Any] | None = None  # a BothSides file, whose annotations are replayed after the canvas
