"""Who is on the other end of a board socket.

Browsers authenticate with the session cookie, so a cookie-authenticated
socket must come from an allowed Origin (no cross-site WebSocket hijacking).
Scripts and bots present `Authorization: Token <key>`, which a browser cannot
attach to a WebSocket, so such a socket needs no Origin.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

from whiteboard.models import Participant
from whiteboard.selectors import participant_for

GUEST_SESSION_KEY = "bothsides_participants"


def _token_user(header: bytes) -> Any:
    scheme, _, key = header.decode("latin-1").partition(" ")
    if scheme.lower() != "token" or not key.strip():
        return None
    token = Token.objects.select_related("user").filter(key=key.strip()).first()
    return token.user if token is not None and token.user.is_active else None


class BoardAuthMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.browser = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        header = dict(scope.get("headers", [])).get(b"authorization")
        if header is None:
            return await self.browser(scope, receive, send)
        user = await database_sync_to_async(_token_user)(header)
        if user is None:
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner({**scope, "user": user}, receive, send)


def scope_participant(scope: dict[str, Any], board_id: UUID) -> Participant | None:
    """Runs in the database thread: reading the session may query."""
    session = scope.get("session")
    guest_ids = list(session.get(GUEST_SESSION_KEY, [])) if session is not None else []
    return participant_for(board_id, user=scope.get("user", AnonymousUser()), guest_ids=guest_ids)
