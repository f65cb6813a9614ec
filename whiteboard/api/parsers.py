"""REST JSON bodies go through the socket's decoder, so both refuse the same documents.

DRF's own JSONParser accepts a key given twice (the last wins) and lets a body
nested tens of thousands deep escape as a RecursionError (a 500). This one
answers `bad_json` for what is not strict JSON and `validation_error` for
nesting beyond `strict_json.MAX_DEPTH`, like any other refused input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]  # not in the stubs

from whiteboard import strict_json
from whiteboard.errors import ErrorCode, SyncError


class StrictJSONParser(JSONParser):
    """application/json, decoded by `whiteboard.strict_json`."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except UnicodeError as error:
            raise ParseError(f"JSON parse error - the body is not {encoding}.") from error
        try:
            return strict_json.loads(text)
        except strict_json.StrictJSONError as error:
            if error.reason == "too_deep":
                raise SyncError(ErrorCode.VALIDATION_ERROR, error.message) from None
            raise ParseError(f"JSON parse error - {error.message}") from None
