"""Field checks shared by the annotation, interview, verdict and scorecard rules. Pure.

Each refusal is a `validation_error` with the path of the offending field,
the same vocabulary as the canvas ops in `whiteboard.ops`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import MAX_TEXT, text_field

_text = text_field(MAX_TEXT)


def fail(path: str, message: str) -> SyncError:
    return SyncError(ErrorCode.VALIDATION_ERROR, message, path)


def body(value: Any, path: str) -> str:
    """Text someone wrote: up to MAX_TEXT after NFC, and not empty or only whitespace."""
    text = _text(value, path)
    if not text.strip():
        raise fail(path, "Text cannot be empty.")
    return text


def choice(value: Any, options: Iterable[str], path: str) -> str:
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise fail(path, f"Expected one of: {', '.join(options)}.")
    return value


def required(raw: dict[str, Any], names: Iterable[str], path: str) -> None:
    for name in names:
        if name not in raw:
            raise fail(f"{path}.{name}", "This property is required.")
