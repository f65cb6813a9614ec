"""A hub whose channel layer was away when a board's first socket joined."""

from __future__ import annotations

import logging
import uuid

from tests.whiteboard.test_hub import FakeSocket
from whiteboard.hub import Hub


async def test_leaving_a_board_never_subscribed_does_not_call_the_layer(caplog, monkeypatch):
    hub = Hub()

    async def unreachable() -> str:
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(hub.layer, "new_channel", unreachable)
    board_id, socket = uuid.uuid4(), FakeSocket()
    with caplog.at_level(logging.WARNING, logger="whiteboard.hub"):
        await hub.join(board_id, socket)  # subscribing fails: local delivery only
        assert hub.channel is None
        await hub.leave(board_id, socket)
    messages = [record.getMessage() for record in caplog.records]
    assert any("unreachable" in message for message in messages)
    assert not any("Channel layer call failed" in message for message in messages), messages
