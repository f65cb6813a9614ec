"""A board socket client over real TCP, with every wait bounded.

A pump task reads frames as they arrive into a queue, so a peer that is not
being read from never pushes back on the server, and a test can later ask
what it was sent (e.g. `head` frames) as well as wait for the next frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

OPEN_TIMEOUT = 10.0
WAIT = 5.0


def component(element_id: str, **props: Any) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": "service", "label": element_id, "x": 0, "y": 0, **props}


def add(element_id: str, **props: Any) -> dict[str, Any]:
    return {"op": "add", "element": component(element_id, **props)}


def update(element_id: str, **props: Any) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "props": props}


def batch(batch_id: str, *ops: dict[str, Any]) -> dict[str, Any]:
    return {"type": "batch", "id": batch_id, "ops": list(ops)}


async def until(condition: Callable[[], bool], timeout: float = WAIT, what: str = "condition") -> None:
    """Poll `condition` until it holds; fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"{what} did not hold within {timeout}s")
        await asyncio.sleep(0.05)


class Closed(Exception):
    """The server closed (or dropped) the socket while a frame was awaited."""


class Peer:
    def __init__(self, ws: ClientConnection, name: str) -> None:
        self.ws = ws
        self.name = name
        self.frames: list[dict[str, Any]] = []
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.pump = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        try:
            async for text in self.ws:
                frame = json.loads(text)
                self.frames.append(frame)
                self.queue.put_nowait(frame)
        except ConnectionClosed:
            pass
        finally:
            self.queue.put_nowait(None)  # wakes a waiter: the socket is gone

    async def send(self, message: Mapping[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def recv(self, timeout: float = WAIT) -> dict[str, Any]:
        try:
            frame = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            recent = [str(frame)[:200] for frame in self.frames[-5:]]
            raise TimeoutError(f"{self.name}: no frame within {timeout:.2f}s; the last ones: {recent}") from None
        if frame is None:
            self.queue.put_nowait(None)  # stays closed for the next caller
            raise Closed(f"{self.name}: closed with {self.ws.close_code} {self.ws.close_reason!r}")
        return frame

    async def recv_type(self, *kinds: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next frame of one of these types, skipping the rest (head, presence, joined, left, ...)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self.recv(max(0.0, deadline - loop.time()))
            if frame["type"] in kinds:
                return frame

    async def batches(self, count: int, timeout: float = WAIT) -> list[dict[str, Any]]:
        """The next `count` batch frames, all within `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        return [await self.recv_type("batch", timeout=max(0.0, deadline - loop.time())) for _ in range(count)]

    async def commit(self, message: dict[str, Any], timeout: float = WAIT) -> dict[str, Any]:
        """Send a batch and return its acknowledgement (the broadcast of it); fail on a rejection."""
        await self.send(message)
        while True:
            frame = await self.recv_type("batch", "rejected", timeout=timeout)
            if frame["type"] == "rejected" and frame["id"] in {message["id"], None}:
                raise AssertionError(f"{self.name}: {message['id']} was rejected: {frame}")
            if frame["id"] == message["id"]:
                return frame

    def received(self) -> list[dict[str, Any]]:
        """Every batch frame received so far, in arrival order (whoever consumed them from the queue)."""
        return [frame for frame in self.frames if frame["type"] == "batch"]

    async def closed(self, timeout: float = WAIT) -> int | None:
        """Wait for the socket to end; the close code it ended with (1006: dropped without a close frame)."""
        await asyncio.wait_for(asyncio.shield(self.pump), timeout)
        return self.ws.close_code

    def drop(self) -> None:
        """Cut the TCP connection without a closing handshake, as a lost network or a killed tab does."""
        self.ws.transport.abort()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 2)
        self.pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.pump


async def open_peer(
    url: str,
    name: str,
    *,
    headers: Mapping[str, str] | None = None,
    origin: str | None = None,
) -> Peer:
    ws = await connect(
        url,
        additional_headers=dict(headers or {}),
        origin=origin,  # type: ignore[arg-type]
        max_size=None,
        open_timeout=OPEN_TIMEOUT,
        close_timeout=2,
    )
    return Peer(ws, name)
