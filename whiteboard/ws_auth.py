"""Who is on the other end of a board socket.

Browsers authenticate with the session cookie, so a cookie-authenticated
socket must come from an allowed Origin (no cross-site WebSocket hijacking).
Scripts and bots present `Authorization: Token <key>`, which a browser cannot
attach to a WebSocket, so such a socket needs no Origin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

from whiteboard.models import Participant
from whiteboard.selectors import participant_for

GUEST_SESSION_KEY = "bothsides_participants"


def _token_user(header: bytes) -> Any:
    scheme, _, key = header.decode("latin-1").partition(" ")
    if scheme.lower() != "token" or not key.strip():
        return None
    # The user alone: read through its token, the Token would stay cached on it, in the scope,
    # for as long as the socket is open.
    return get_user_model().objects.filter(auth_token__key=key.strip(), is_active=True).first()


DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]  # scheme, host, port: what makes two origins the same


def _origin(url: str) -> Origin | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None or parts.password is not None:
        return None
    if parts.path or parts.query or parts.fragment:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # as ALLOWED_HOSTS spells IPv6
    return scheme, host, DEFAULT_PORTS[scheme] if port is None else port


def _secure(scope: dict[str, Any], headers: dict[bytes, bytes]) -> bool:
    """As Django's `request.is_secure()`: the TLS proxy's header when configured and sent, else the scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        name, value = settings.SECURE_PROXY_SSL_HEADER
        sent = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower().encode("latin-1"))
        if sent is not None:
            return sent.decode("latin-1").split(",", 1)[0].strip() == value
    return scope.get("scheme") in ("wss", "https")


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Scheme, host and port, as Django's CSRF check compares them.

    Allowed: the served origin (the Host header's port in the request's scheme)
    on any of ALLOWED_HOSTS, or exactly one of CSRF_TRUSTED_ORIGINS (`*.` for
    subdomains). A page on another port of an allowed host is another origin.
    """
    headers = dict(scope.get("headers", []))
    sent = headers.get(b"origin")
    origin = _origin(sent.decode("latin-1")) if sent is not None else None
    if origin is None:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in trusted
        allowed = _origin(trusted.replace("://*.", "://", 1))
        if allowed is None or allowed[0] != origin[0] or allowed[2] != origin[2]:
            continue
        if origin[1] == allowed[1] or (wildcard and is_same_domain(origin[1], "." + allowed[1])):
            return True
    scheme = "https" if _secure(scope, headers) else "http"
    host, port = split_domain_port(headers.get(b"host", b"").decode("latin-1"))
    if not host or not validate_host(host, settings.ALLOWED_HOSTS):
        return False
    served_port = int(port) if port.isascii() and port.isdigit() else DEFAULT_PORTS[scheme]
    return origin[0] == scheme and origin[2] == served_port and validate_host(origin[1], settings.ALLOWED_HOSTS)


class OriginValidator:
    """Refuses a cookie socket from any origin but ours (cross-site WebSocket hijacking)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner(scope, receive, send)


class BoardAuthMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.browser = OriginValidator(AuthMiddlewareStack(inner))

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
