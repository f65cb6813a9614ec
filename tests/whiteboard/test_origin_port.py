"""Issue 19, defect 8: a cookie socket's Origin must match in scheme, host *and port*.

A page on another port of the same host is another origin (another app, maybe
someone else's) and must not ride the user's session, as Django's CSRF check
would refuse its POST. The served origin is the Host header's host and port in
the request's scheme; the allowed hosts (ALLOWED_HOSTS) on that scheme and
port, and CSRF_TRUSTED_ORIGINS exactly, are allowed too.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from bothsides.asgi import application
from tests.whiteboard.test_consumer_access import logged_in

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(room, origin: bytes | None, host: bytes = b"127.0.0.1:8000", scheme: str = "ws", extra=()) -> bool:
    cookie = await database_sync_to_async(logged_in)(room.interviewer.user)
    headers = [(b"host", host), (b"cookie", cookie.encode()), *extra]
    if origin is not None:
        headers.append((b"origin", origin))
    ws = WebsocketCommunicator(application, f"/ws/boards/{room.board.id}/", headers=headers)
    ws.scope["scheme"] = scheme
    connected, _ = await ws.connect()
    if connected:
        await ws.disconnect()
    return connected


@pytest.mark.parametrize(
    "origin",
    [
        b"http://127.0.0.1:9999",  # another port of the same host
        b"http://127.0.0.1",  # port 80 is another port too
        b"https://127.0.0.1:8000",  # another scheme
        b"http://localhost:9999",
        b"http://127.0.0.1:8000@evil.example",
        b"http://127.0.0.1:not-a-port",
    ],
)
async def test_a_session_from_another_port_or_scheme_of_an_allowed_host_is_refused(room, origin):
    assert not await opens(room, origin)


@pytest.mark.parametrize("origin", [b"http://127.0.0.1:8000", b"http://localhost:8000", b"HTTP://LOCALHOST:8000"])
async def test_a_session_from_the_served_origin_is_accepted(room, origin):
    assert await opens(room, origin)


async def test_ipv6_hosts_compare_as_allowed_hosts_spell_them(room):
    assert await opens(room, b"http://[::1]:8000", host=b"[::1]:8000")
    assert not await opens(room, b"http://[::1]:8001", host=b"[::1]:8000")


async def test_the_default_port_is_the_schemes(room):
    assert await opens(room, b"http://127.0.0.1", host=b"127.0.0.1")
    assert await opens(room, b"https://127.0.0.1", host=b"127.0.0.1", scheme="wss")
    assert not await opens(room, b"http://127.0.0.1", host=b"127.0.0.1", scheme="wss")


async def test_behind_a_tls_proxy_the_forwarded_scheme_counts(room, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = [(b"x-forwarded-proto", b"https")]
    assert await opens(room, b"https://127.0.0.1", host=b"127.0.0.1", extra=forwarded)
    assert not await opens(room, b"http://127.0.0.1", host=b"127.0.0.1", extra=forwarded)


async def test_csrf_trusted_origins_are_allowed_exactly(room, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com", "https://*.example.org"]
    assert await opens(room, b"https://app.example.com")
    assert await opens(room, b"https://a.example.org")
    assert not await opens(room, b"https://app.example.com:8443")
    assert not await opens(room, b"http://app.example.com")
    assert not await opens(room, b"https://a.example.org:444")
