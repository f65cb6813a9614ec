"""Numbers a client writes as text (query strings, paths, socket parameters): one strict reading.

ASCII digits only. `str.isdigit` accepts `²` (which `int` then refuses) and
`int` accepts `٣`, fullwidth digits, `1_0`, ` 7` and `+7`: none of those is a number on the
wire. At most 18 digits, so every accepted value fits a database integer.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DIGITS = 18
_DIGITS = re.compile(f"[0-9]{{1,{MAX_DIGITS}}}")


def whole_number(text: Any) -> int | None:
    """The number `text` spells in ASCII digits, or None if it is anything else."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    return int(text)
