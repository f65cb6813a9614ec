from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from whiteboard.api.authentication import guest_ids


class IsParticipantOrUser(BasePermission):
    """A logged-in user, a token, or an invite guest; board-level roles are checked per view."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated) or bool(guest_ids(request))
