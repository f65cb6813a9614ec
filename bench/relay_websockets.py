"""The floor: a broadcast relay in plain `websockets`, with no framework in the way.

Every text frame a client sends on /ws/boards/<id>/ goes to every client on
that path, the sender included, so the load client measures it exactly like
our server. Its numbers say what the machine and the client can do at all.
"""

from __future__ import annotations

import argparse
import asyncio

from websockets.asyncio.server import ServerConnection, broadcast, serve

ROOMS: dict[str, set[ServerConnection]] = {}


async def relay(ws: ServerConnection) -> None:
    path = ws.request.path if ws.request else ""
    if not path.startswith("/ws/boards/"):
        await ws.close(4404, "unknown path")
        return
    room = ROOMS.setdefault(path, set())
    room.add(ws)
    try:
        async for message in ws:
            broadcast(room, message)
    finally:
        room.discard(ws)


async def main(port: int) -> None:
    async with serve(relay, "127.0.0.1", port, compression=None, max_size=262144) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
