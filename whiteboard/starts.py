"""Where a new board starts from: a registry other apps fill, so `whiteboard` imports none of them.

`POST /api/boards/` names a starting point (`question`, or the older `template`);
`whiteboard` asks each registered `Source` to resolve it. The `reviews` app
registers its question bank in `ReviewsConfig.ready`. A source returns a `Start`
(the prompt, the diagram the canvas starts with, and a hook called inside the
board's transaction), `None` when the id is not one of its own, or raises a
`SyncError` to refuse (the caller may not start from it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Element = dict[str, Any]


@dataclass(frozen=True)
class Start:
    prompt: str
    elements: Sequence[Element] = ()
    question_type: str | None = None  # the board's, when the start says it (a question does)
    created: Callable[[Any], None] = field(default=lambda board: None)  # (the new Board), in its transaction


class Source(Protocol):
    def resolve(self, user: Any, key: str) -> Start | None:
        """The start for `key`, None if `key` is not this source's, or a SyncError if `user` may not use it."""

    def listing(self, user: Any) -> list[dict[str, Any]]:
        """What `user` may start from: `id`, `title`, `prompt` and anything else the source says publicly."""


BLANK = {"id": "blank", "title": "Blank board", "prompt": "", "elements": []}
_sources: list[Source] = []


def register(source: Source) -> None:
    _sources.append(source)


def resolve(user: Any, key: str) -> Start | None:
    if key == BLANK["id"]:
        return Start(prompt="")
    for source in _sources:
        start = source.resolve(user, key)
        if start is not None:
            return start
    return None


def listing(user: Any) -> list[dict[str, Any]]:
    return [BLANK, *(item for source in _sources for item in source.listing(user))]
