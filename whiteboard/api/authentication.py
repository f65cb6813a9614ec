"""Session authentication that also covers invite guests.

Guests have no account, only participant ids in their session. DRF checks
CSRF only for logged-in users, so guests get the same check here explicitly:
otherwise any site could post on a guest interviewer's behalf.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from whiteboard.ws_auth import GUEST_SESSION_KEY


def guest_ids(request: Request) -> list[str]:
    session = getattr(request._request, "session", None)
    return list(session.get(GUEST_SESSION_KEY, [])) if session is not None else []


class ParticipantSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None and guest_ids(request):
            self.enforce_csrf(request)
        return result


class ParticipantSessionScheme(SessionScheme):
    """Documents the guest-aware session auth in the OpenAPI schema as plain cookie auth."""

    target_class = ParticipantSessionAuthentication  # type: ignore[assignment]  # a class or its dotted path
