"""A bare Channels relay: the cost of Channels itself, with no app logic.

Each socket joins its board's group and `group_send`s every frame it receives;
the group handler writes the text back out. Served by Daphne or uvicorn with
the in-memory layer or RedisPubSubChannelLayer (env BENCH_LAYER=memory|redis,
BENCH_REDIS_URL), it is the baseline our server is compared with on the same
server and layer. The module configures Django itself, so it needs no project.
"""

from __future__ import annotations

import os
from typing import Any

import django
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.urls import re_path

LAYERS: dict[str, dict[str, Any]] = {
    "memory": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "redis": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")]},
    },
}

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-relay-not-secret",
    ALLOWED_HOSTS=["127.0.0.1"],
    INSTALLED_APPS=["channels"],
    CHANNEL_LAYERS={"default": LAYERS[os.environ.get("BENCH_LAYER", "memory")]},
)
django.setup()


class RelayConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.group = "board." + self.scope["url_route"]["kwargs"]["board_id"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.group_send(self.group, {"type": "relay.message", "text": text_data})

    async def relay_message(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([re_path(r"^ws/boards/(?P<board_id>[0-9a-f-]+)/$", RelayConsumer.as_asgi())])}
)
