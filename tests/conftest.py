"""Shared fixtures: a board with a member per role, and sockets that always get closed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from bothsides.asgi import application
from reviews import import_budget
from tests.factories import Member, board_with_owner, member

ORIGIN = b"http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Real hashing costs ~0.3 s a user; tests create many users and check no password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> None:
    # The in-memory layer is cached per process; each test gets its own event
    # loop, so it must get its own layer too.
    channel_layers.backends = {}


@pytest.fixture(autouse=True)
def _fresh_import_budgets() -> None:
    # Budgets are per user id, and a rolled-back test hands the next one the same ids.
    import_budget._buckets.clear()


@pytest.fixture
def fast_heartbeat(settings: Any) -> None:
    settings.BOTHSIDES = {**settings.BOTHSIDES, "HEAD_INTERVAL": 0.2, "GAP_WAIT": 0.05}


class Room:
    """One interview board with a registered member for every role."""

    def __init__(self) -> None:
        self.board, self.owner = board_with_owner()
        self.interviewer = member(self.board, "interviewer")
        self.candidate = member(self.board, "candidate")
        self.reviewer = member(self.board, "reviewer")
        self.observer = member(self.board, "observer")

    def by_role(self, role: str) -> Member:
        return getattr(self, role)


@pytest.fixture
def room(transactional_db: None) -> Room:
    return Room()


class Client:
    """A board socket with the helpers consumer tests keep needing."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.frames: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_json_to(message)

    async def send_text(self, text: str) -> None:
        await self.ws.send_to(text_data=text)

    async def recv(self, timeout: float = 2) -> dict[str, Any]:
        frame = await self.ws.receive_json_from(timeout)
        self.frames.append(frame)
        return frame

    async def recv_type(self, kind: str, timeout: float = 2) -> dict[str, Any]:
        """The next frame of this type, skipping presence chatter (joined, left, head, ...)."""
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == kind:
                return frame

    async def recv_type_in(self, kinds: set[str], timeout: float = 2) -> dict[str, Any]:
        while True:
            frame = await self.recv(timeout)
            if frame["type"] in kinds:
                return frame

    async def nothing(self, kind: str | None = None, timeout: float = 0.3) -> None:
        """Assert no frame (of this type) arrives within the timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            if await self.ws.receive_nothing(left):
                return
            frame = await self.recv()
            assert kind is not None and frame["type"] != kind, f"unexpected frame {frame}"

    async def closed(self, timeout: float = 2) -> int:
        while True:
            output = await self.ws.receive_output(timeout)
            if output["type"] == "websocket.close":
                return output.get("code")


Connect = Callable[..., Any]


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    opened: list[WebsocketCommunicator] = []

    async def _connect(
        board_id: Any,
        who: Member | None = None,
        *,
        since: int | None = None,
        private_since: int | None = None,
        cookie: str | None = None,
        origin: bytes | None = ORIGIN,
        expect: bool = True,
    ) -> Client:
        headers = [(b"host", b"127.0.0.1:8000")]
        if who is not None and who.token:
            headers.append((b"authorization", f"Token {who.token}".encode()))
        if cookie is not None:
            headers.append((b"cookie", cookie.encode()))
        if origin is not None:
            headers.append((b"origin", origin))
        query = "&".join(
            f"{name}={value}"
            for name, value in (("since", since), ("private_since", private_since))
            if value is not None
        )
        path = f"/ws/boards/{board_id}/" + (f"?{query}" if query else "")
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect()
        assert connected == expect, f"expected connected={expect}"
        if connected:
            opened.append(communicator)
        return Client(communicator)

    yield _connect
    for communicator in opened:
        with contextlib.suppress(TimeoutError):  # the server closed it already
            await communicator.disconnect()


async def two(
    room: Room, connect: Connect, first: str = "candidate", second: str = "interviewer"
) -> tuple[Client, Client]:
    """Two members of `room`'s board, each past its welcome."""
    a = await connect(room.board.id, room.by_role(first))
    b = await connect(room.board.id, room.by_role(second))
    await a.recv_type("welcome")
    await b.recv_type("welcome")
    return a, b
