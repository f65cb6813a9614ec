"""The one strict JSON decoder: socket frames, REST bodies and imported files all go through `loads`. Pure.

Strict because one bad document must never reach the board or poison it for
others: no NaN or Infinity (browsers cannot parse them back), no number too
large for a float, no key given twice (parsers disagree on which wins), an
optional size cap, and nesting bounded *before* parsing, so a document nested
tens of thousands deep is refused with a reason instead of a RecursionError.

A lone surrogate escape (`"\\ud800"`) is valid JSON and decodes to a string
holding it: the size cap counts it without failing, and the field checks
(`whiteboard.ops`, `reviews.fields`) refuse it with the path of its field.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any, Literal

MAX_DEPTH = 100  # far below Python's recursion limit, far above any document BothSides reads
Reason = Literal["too_large", "not_json", "too_deep"]

# A JSON string, so brackets inside one are not counted as nesting.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class StrictJSONError(ValueError):
    """Why a text was refused: `reason` for the caller to map to its own error code, `message` for people."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate key")
    return obj


@lru_cache(maxsize=1)  # the socket's decode asks twice of the same frame: `loads`, then `nests_deeper_than`
def _nesting(text: str) -> tuple[int, int]:
    """How deep the brackets of `text` outside its strings nest, and how deep they are at its end."""
    depths = list(accumulate(map(_STEP.__getitem__, _NOT_BRACKET.sub("", _STRING.sub("", text)))))
    return (max(depths), depths[-1]) if depths else (0, 0)


def nests_deeper_than(text: str, depth: int) -> bool:
    """Whether brackets outside strings nest more than `depth` deep in `text`, without parsing it."""
    if text.count("[") + text.count("{") <= depth:
        return False  # the common case, at C speed: too few brackets to nest that deep
    return _nesting(text)[0] > depth


def _check_depth(text: str) -> None:
    """Refuse nesting beyond MAX_DEPTH by counting brackets outside strings, without recursing."""
    if nests_deeper_than(text, MAX_DEPTH):
        if _nesting(text)[1] != 0:  # brackets that never close: not JSON at all, whatever its depth
            raise StrictJSONError("not_json", "Not valid JSON: unbalanced brackets.")
        raise StrictJSONError("too_deep", f"JSON may nest at most {MAX_DEPTH} levels deep.")


def loads(text: str, *, max_bytes: int | None = None) -> Any:
    """Parse `text` strictly, or raise `StrictJSONError`; `max_bytes` caps its UTF-8 size."""
    if max_bytes is not None and (len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes):
        raise StrictJSONError("too_large", f"JSON is limited to {max_bytes} bytes.")
    _check_depth(text)
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite_float, object_pairs_hook=_unique_keys
        )
    except ValueError as error:
        raise StrictJSONError("not_json", f"Not valid JSON: {error}") from None
