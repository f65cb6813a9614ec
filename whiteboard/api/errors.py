"""Map every API failure to the socket's error shape: {"code", "message", ...}."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from whiteboard.errors import ErrorCode, RateLimited, SyncError

STATUS = {
    ErrorCode.BAD_JSON: 400,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.UNKNOWN_OP: 400,
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.UNKNOWN_REF: 400,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.DUPLICATE_ID: 409,
    ErrorCode.BATCH_CONFLICT: 409,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.DB_UNAVAILABLE: 503,
}

_DRF: list[tuple[type[exceptions.APIException], ErrorCode]] = [
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.FORBIDDEN),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.ParseError, ErrorCode.BAD_JSON),
    (exceptions.Throttled, ErrorCode.RATE_LIMITED),
]


def _first_error(detail: Any, path: str = "") -> tuple[str, str]:
    if isinstance(detail, dict):
        key, value = next(iter(detail.items()))
        return _first_error(value, key if not path else f"{path}.{key}")
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], path)
    return path, str(detail)


def as_sync_error(exc: Exception) -> SyncError | None:
    if isinstance(exc, SyncError):
        return exc
    if isinstance(exc, exceptions.ValidationError):
        path, message = _first_error(exc.detail)
        return SyncError(ErrorCode.VALIDATION_ERROR, message, path or None)
    for kind, code in _DRF:
        if isinstance(exc, kind):
            return SyncError(code, str(exc.detail))
    if isinstance(exc, exceptions.APIException):
        return SyncError(ErrorCode.BAD_REQUEST, str(exc.detail))
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    error = as_sync_error(exc)
    if error is None:
        return drf_exception_handler(exc, context)
    code = STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        code = exc.status_code
    headers = {"Retry-After": str(math.ceil(error.retry_after))} if isinstance(error, RateLimited) else None
    return Response(error.as_dict(), status=code, headers=headers)
