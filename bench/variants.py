"""The servers under test, and which bare relay each of ours is compared with.

Ratios only mean something between variants that share a server and a channel
layer, so each of our variants names its baseline here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bench.servers import clean_env, daphne_argv, relay_websockets_argv, served_env, uvicorn_argv

Family = Literal["raw", "relay", "app"]
ServerKind = Literal["websockets", "daphne", "uvicorn"]
Layer = Literal["memory", "redis"]
Database = Literal["none", "sqlite", "postgres"]

RELAY_APP = "bench.relay_channels:application"
OUR_APP = "bothsides.asgi:application"
RAW = "raw-websockets"


@dataclass(frozen=True)
class Variant:
    name: str
    family: Family
    server: ServerKind
    layer: Layer
    database: Database = "none"

    @property
    def ours(self) -> bool:
        return self.family == "app"

    @property
    def uses_redis(self) -> bool:
        return self.layer == "redis" and self.family != "raw"

    @property
    def baseline(self) -> str | None:
        """The bare Channels relay on the same server and layer, for our variants."""
        return f"channels-relay-{self.server}-{self.layer}" if self.ours else None

    def argv(self, port: int) -> list[str]:
        if self.server == "websockets":
            return relay_websockets_argv(port)
        app = OUR_APP if self.ours else RELAY_APP
        return daphne_argv(app, port) if self.server == "daphne" else uvicorn_argv(app, port)

    def env(self, redis_url: str | None, database_url: str | None) -> dict[str, str]:
        """The server's environment: ours reads DATABASE_URL/REDIS_URL (`served_env`), the relay BENCH_*."""
        if self.ours:
            extra = {"REDIS_URL": redis_url} if self.uses_redis and redis_url else {}
            return served_env(database_url or "", **extra)
        return clean_env(BENCH_LAYER=self.layer, BENCH_REDIS_URL=redis_url or "")


VARIANTS = (
    Variant(RAW, "raw", "websockets", "memory"),
    Variant("channels-relay-daphne-memory", "relay", "daphne", "memory"),
    Variant("channels-relay-daphne-redis", "relay", "daphne", "redis"),
    Variant("channels-relay-uvicorn-memory", "relay", "uvicorn", "memory"),
    Variant("channels-relay-uvicorn-redis", "relay", "uvicorn", "redis"),
    Variant("bothsides-daphne-embedded", "app", "daphne", "memory", "sqlite"),
    Variant("bothsides-daphne-pg-redis", "app", "daphne", "redis", "postgres"),
    Variant("bothsides-uvicorn-pg-redis", "app", "uvicorn", "redis", "postgres"),
)
