"""The one error vocabulary shared by the socket and the REST API.

Every refusal carries a machine-readable code and a sentence for people; the
pure core raises `SyncError`, and the edges (consumer, API) only translate it.
The codes, what each means and whether it is retryable are `vocabulary.json`'s
"errors"; the enum names them for Python (a test keeps the two equal).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from whiteboard.vocabulary import ERRORS


class ErrorCode(StrEnum):
    BAD_JSON = "bad_json"
    BAD_REQUEST = "bad_request"
    UNKNOWN_OP = "unknown_op"
    VALIDATION_ERROR = "validation_error"
    UNKNOWN_REF = "unknown_ref"
    FORBIDDEN = "forbidden"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    DUPLICATE_ID = "duplicate_id"
    BATCH_CONFLICT = "batch_conflict"
    DB_UNAVAILABLE = "db_unavailable"


RETRYABLE = frozenset(ErrorCode(code) for code, info in ERRORS.items() if info.retryable)


class SyncError(Exception):
    """A refused message or request; nothing it asked for was applied."""

    def __init__(self, code: ErrorCode, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        # Whatever a subclass's __init__ takes: a refusal raised in a worker process
        # (whiteboard.cpu) comes back whole, with every field it set.
        return (_restore, (type(self), self.args, self.__dict__))

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": str(self.code), "message": self.message}
        if self.path is not None:
            body["path"] = self.path
        body["retryable"] = self.code in RETRYABLE
        return body


class RateLimited(SyncError):
    """Refused for now, not for what was sent: `retry_after` seconds until it would be let in.

    The REST API sends it as the `Retry-After` header beside the usual error body.
    """

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(ErrorCode.RATE_LIMITED, message)
        self.retry_after = retry_after


def _restore(cls: type[SyncError], args: tuple[Any, ...], state: dict[str, Any]) -> SyncError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
