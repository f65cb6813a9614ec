"""The load client: sockets that speak BothSides' wire protocol and timestamp everything.

One asyncio process drives the writer and all readers so every latency is two
`perf_counter` readings in the same clock. The relays only echo, and the
messages are shaped like ours, so the same code measures every variant: for a
relay the writer's "ack" is simply its own frame coming back.

Every loop is bounded by a count and every wait by a timeout.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.stats import summarize
from whiteboard.vocabulary import LIMITS

OPS_PER_SECOND = LIMITS["ops_per_second"]
BYTES_PER_SECOND = LIMITS["bytes_per_second"]

BATCH_TAG = b'"type":"batch"'
REJECTED_TAG = b'"type":"rejected"'
OPEN_TIMEOUT = 15.0
ACK_TIMEOUT = 15.0
CONNECT_CONCURRENCY = 10
STALL_SECONDS = 1.0  # a burst is over once no frame arrived for this long
ELEMENT = "box1"


def encode(message: dict[str, Any]) -> str:
    """Compact JSON, like our server's, so a relay's echo carries the same tags."""
    return json.dumps(message, separators=(",", ":"))


def batch(batch_id: str, ops: list[dict[str, Any]]) -> str:
    return encode({"type": "batch", "id": batch_id, "ops": ops})


def move(element_id: str, x: float, y: float = 40) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "props": {"x": x, "y": y}}


def component(element_id: str, index: int) -> dict[str, Any]:
    element = {"id": element_id, "kind": "component", "type": "service", "label": f"S{index}"}
    return {"op": "add", "element": {**element, "x": (index % 100) * 200, "y": (index // 100) * 100}}


@dataclass(frozen=True)
class Endpoint:
    """Where a board lives and whether its server greets a socket with `welcome`."""

    url: str
    welcome: bool


class Rejected(Exception):
    """The server refused a batch the bench sent; the bench or a rate limit is wrong."""


@dataclass
class Peer:
    """One open socket and what arrived on it, timestamped on arrival by a pump task."""

    ws: ClientConnection
    count_only: bool = False
    previews: dict[float, float] = field(default_factory=dict)
    batches: dict[str, float] = field(default_factory=dict)
    waiters: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    batch_frames: int = 0
    last_batch_at: float = 0.0
    last_send_at: float = 0.0
    welcome_bytes: int = 0
    pump: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.pump = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        try:
            while True:
                data = await self.ws.recv(decode=False)
                now = perf_counter()
                if self.count_only and REJECTED_TAG not in data:
                    if BATCH_TAG in data:
                        self.batch_frames += 1
                        self.last_batch_at = now
                    continue
                self._on_message(json.loads(data), now)
        except ConnectionClosed:
            return

    def _on_message(self, message: dict[str, Any], now: float) -> None:
        kind = message.get("type")
        if kind == "batch":
            batch_id = message.get("id")
            if isinstance(batch_id, str) and batch_id not in self.batches:
                self.batches[batch_id] = now
                waiter = self.waiters.pop(batch_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(now)
        elif kind == "preview":
            x = message.get("props", {}).get("x")
            if isinstance(x, int | float):
                self.previews.setdefault(x, now)
        elif kind == "rejected":
            self.rejected.append(message)
            waiter = self.waiters.pop(str(message.get("id")), None)
            if waiter is not None and not waiter.done():
                waiter.set_exception(Rejected(json.dumps(message)))

    async def send(self, text: str, min_interval: float = 0.0) -> float:
        """Send one frame no sooner than `min_interval` after the previous one; return the send time."""
        delay = self.last_send_at + min_interval - perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        self.last_send_at = perf_counter()
        await self.ws.send(text)
        return self.last_send_at

    async def commit(self, batch_id: str, ops: list[dict[str, Any]], min_interval: float = 0.0) -> float:
        """Send a batch and wait for its echo; return send-to-ack seconds."""
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[batch_id] = waiter
        sent = await self.send(batch(batch_id, ops), min_interval)
        return await asyncio.wait_for(waiter, ACK_TIMEOUT) - sent


async def open_peer(endpoint: Endpoint, token: str | None) -> tuple[Peer, float]:
    """Connect, wait for `welcome` if the server sends one, start the pump; return the peer and the wait."""
    headers = {"Authorization": f"Token {token}"} if token else None
    started = perf_counter()
    ws = await connect(
        endpoint.url,
        additional_headers=headers,
        compression=None,
        max_size=None,
        open_timeout=OPEN_TIMEOUT,
        ping_interval=None,
    )
    welcome = b""
    if endpoint.welcome:
        async with asyncio.timeout(OPEN_TIMEOUT):
            for _ in range(100):
                welcome = await ws.recv(decode=False)
                if json.loads(welcome).get("type") == "welcome":
                    break
            else:
                raise RuntimeError("no welcome within 100 frames")
    elapsed = perf_counter() - started
    peer = Peer(ws, welcome_bytes=len(welcome))
    peer.start()
    return peer, elapsed


async def open_peers(endpoint: Endpoint, tokens: Sequence[str | None]) -> list[Peer]:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(token: str | None) -> Peer:
        async with gate:
            return (await open_peer(endpoint, token))[0]

    return list(await asyncio.gather(*(one(token) for token in tokens)))


async def close_peers(peers: Sequence[Peer]) -> None:
    async def one(peer: Peer) -> None:
        try:
            await asyncio.wait_for(peer.ws.close(), 5)
        except (TimeoutError, ConnectionClosed, OSError):
            peer.ws.transport.abort()
        if peer.pump is not None:
            peer.pump.cancel()

    await asyncio.gather(*(one(peer) for peer in peers))


async def _every(hz: float, count: int, action: Callable[[int], Awaitable[None]]) -> None:
    """Run `action(k)` for k in range(count) on a fixed schedule that does not drift."""
    start = perf_counter()
    for k in range(count):
        delay = start + k / hz - perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await action(k)


async def _settle(done: Callable[[], bool], seconds: float) -> None:
    """Poll `done` every 20 ms for at most `seconds`."""
    for _ in range(int(seconds / 0.02)):
        if done():
            return
        await asyncio.sleep(0.02)


async def steady(
    writer: Peer, readers: Sequence[Peer], tag: str, seconds: float, preview_hz: float, batch_hz: float
) -> dict[str, Any]:
    """One writer drags (previews) and commits batches while readers watch; latencies per kind.

    Batch ids start with `tag`, unique per run, because our server keeps every id.
    """
    preview_sent: dict[int, float] = {}
    batch_sent: dict[str, float] = {}

    async def preview(k: int) -> None:
        text = encode({"type": "preview", "id": ELEMENT, "props": {"x": k, "y": 40}})
        preview_sent[k] = await writer.send(text)

    async def commit(k: int) -> None:
        batch_sent[f"{tag}c{k}"] = await writer.send(batch(f"{tag}c{k}", [move(ELEMENT, k)]))

    await asyncio.gather(
        _every(preview_hz, int(seconds * preview_hz), preview),
        _every(batch_hz, int(seconds * batch_hz), commit),
    )

    last_preview = max(preview_sent, default=None)

    def all_delivered() -> bool:
        batches = all(batch_id in peer.batches for peer in [writer, *readers] for batch_id in batch_sent)
        return batches and all(last_preview is None or last_preview in peer.previews for peer in readers)

    await _settle(all_delivered, 3.0)
    delivery = [r.batches[i] - t for r in readers for i, t in batch_sent.items() if i in r.batches]
    previews = [t - preview_sent[x] for r in readers for x, t in r.previews.items() if x in preview_sent]
    acks = [writer.batches[i] - t for i, t in batch_sent.items() if i in writer.batches]
    expected_deliveries = len(batch_sent) * len(readers)
    return {
        "seconds": seconds,
        "batches_sent": len(batch_sent),
        "previews_sent": len(preview_sent),
        "batch_delivery_ms": summarize(delivery),
        "batch_missing": expected_deliveries - len(delivery),
        "preview_delivery_ms": summarize(previews),
        "preview_seen_fraction": round(len(previews) / max(1, len(preview_sent) * len(readers)), 4),
        "ack_ms": summarize(acks),
        "rejected": len(writer.rejected) + sum(len(r.rejected) for r in readers),
    }


async def saturate(
    writers: Sequence[Peer],
    readers: Sequence[Peer],
    others: Sequence[Peer],
    tag: str,
    per_writer: int,
    on_progress: Callable[[], None],
) -> dict[str, Any]:
    """Every writer sends `per_writer` batches back to back, all at once; count what the readers get.

    `per_writer` stays inside our server's per-socket burst allowance, so the
    burst is refused by nobody and offered to every variant alike. `others` are
    sockets on the board that are neither (the steady-phase writer); they
    receive too, so their frames count in the all-socket figure. `on_progress`
    is called whenever more frames have arrived, so the caller can tell when
    the work ended.
    """
    everyone = [*writers, *readers, *others]
    for peer in everyone:
        peer.count_only, peer.batch_frames, peer.last_batch_at, peer.rejected = True, 0, 0.0, []
    total = per_writer * len(writers)
    started = perf_counter()

    async def burst(index: int, peer: Peer) -> None:
        for k in range(per_writer):
            await peer.send(batch(f"{tag}s{index}x{k}", [move(ELEMENT, k)]))

    await asyncio.gather(*(burst(i, peer) for i, peer in enumerate(writers)))
    sent_for = perf_counter() - started

    def accepted() -> int:
        return total - sum(len(w.rejected) for w in writers)

    progress = {"frames": -1, "at": perf_counter()}

    def done() -> bool:
        frames = sum(p.batch_frames for p in everyone)
        if frames != progress["frames"]:
            progress.update(frames=frames, at=perf_counter())
            on_progress()
        stalled = perf_counter() - progress["at"] > STALL_SECONDS
        return stalled or all(r.batch_frames >= accepted() for r in readers)

    await _settle(done, 60.0)
    last = max((p.last_batch_at for p in everyone), default=started)
    elapsed = max(last - started, sent_for, 1e-9)
    reader_frames = sum(r.batch_frames for r in readers)
    all_frames = sum(p.batch_frames for p in everyone)
    for peer in everyone:
        peer.count_only = False
    return {
        "writers": len(writers),
        "sent": total,
        "rejected": total - accepted(),
        "send_seconds": round(sent_for, 3),
        "elapsed_seconds": round(elapsed, 3),
        "reader_deliveries": reader_frames,
        "reader_expected": accepted() * len(readers),
        "reader_deliveries_per_s": round(reader_frames / elapsed, 1),
        "all_socket_deliveries_per_s": round(all_frames / elapsed, 1),
    }


async def fill(peer: Peer, prefix: str, count: int, per_batch: int, min_interval: float) -> None:
    """Add `count` components named `<prefix><i>` in batches of at most `per_batch` ops.

    Paced under the socket's work limits (ops and bytes a second): a fill is set-up, not load,
    and a refused batch would end the phase.
    """
    for start in range(0, count, per_batch):
        ops = [component(f"{prefix}{i}", i) for i in range(start, min(count, start + per_batch))]
        size = len(json.dumps(ops))
        interval = max(min_interval, 1.1 * len(ops) / OPS_PER_SECOND, 1.1 * size / BYTES_PER_SECOND)
        await peer.commit(f"fill{prefix}{start}", ops, interval)


async def update_cost(
    peers: Sequence[Peer], element_ids: Sequence[str], tag: str, count: int, min_interval: float
) -> list[float]:
    """Sequential single-op updates (send, wait for own ack) spread round-robin over `peers`; seconds each."""
    samples = []
    for k in range(count):
        peer = peers[k % len(peers)]
        element_id = element_ids[k % len(element_ids)]
        samples.append(await peer.commit(f"{tag}u{k}", [move(element_id, k)], min_interval))
    return samples


async def welcome_times(endpoint: Endpoint, token: str, count: int) -> dict[str, Any]:
    """Connect, time until `welcome`, close; `count` times in a row. Also the welcome's size in bytes."""
    samples, size = [], 0
    for _ in range(count):
        peer, elapsed = await open_peer(endpoint, token)
        samples.append(elapsed)
        size = peer.welcome_bytes
        await close_peers([peer])
    return {**summarize(samples), "welcome_bytes": size}
