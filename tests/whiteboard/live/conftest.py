"""Fixtures for the live tests: databases, server processes and sockets, all torn down whatever happens.

These tests use no pytest-django database: the servers run in their own
processes on their own databases (a temp SQLite file, or a fresh PostgreSQL
database per session), and boards are seeded through the app's services in a
subprocess. A failed test prints the output of every server it used.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.loopback import postgres_database
from tests.services import in_ci, require_postgres, require_redis
from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import Peer, open_peer

LOG_TAIL = 150


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the logs of the test's servers to its failure report, while they are still running."""
    report = yield
    launcher = getattr(item, "funcargs", {}).get("launcher")
    if report.failed and isinstance(launcher, Launcher):
        report.sections.append(("live server output", launcher.logs()))
    return report


class Launcher:
    """Starts the processes one test needs and stops them after it; shows their logs if it failed."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.owned: list[servers.Process] = []
        self.watched: list[servers.Process] = []

    def daphnes(self, env: dict[str, str], *names: str, kind: str = "daphne") -> list[servers.Daphne]:
        """Server processes of one kind (`daphne` or `uvicorn`: both are supported in production)."""
        started = [servers.SERVERS[kind](f"{kind}-{name}", env, self.log_dir) for name in names]
        self.owned += started
        self.watched += started
        servers.start_all(list(started))
        return started

    def redis(self) -> servers.RedisServer:
        if not os.access(servers.REDIS_SERVER, os.X_OK):
            reason = f"{servers.REDIS_SERVER} is not installed (apt-get install redis-server)"
            if in_ci():
                pytest.fail(f"{reason}, and CI must run this test", pytrace=False)
            pytest.skip(reason)
        redis = servers.RedisServer(self.log_dir)
        self.owned.append(redis)
        self.watched.append(redis)
        redis.start()
        return redis

    def watch(self, process: servers.Process) -> None:
        self.watched.append(process)

    def logs(self) -> str:
        return "\n".join(
            f"----- {process.name} (port {process.port}), last {LOG_TAIL} lines -----\n"
            + "\n".join(process.output().splitlines()[-LOG_TAIL:])
            for process in self.watched
        )

    def stop(self) -> None:
        for process in self.owned:
            process.stop()


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    launcher = Launcher(tmp_path)
    yield launcher
    launcher.stop()


@pytest.fixture(scope="session")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = servers.server_env(f"sqlite:///{tmp_path_factory.mktemp('live-sqlite') / 'live.sqlite3'}")
    servers.migrate(env)
    return env


@pytest.fixture(scope="session", params=sorted(servers.SERVERS))
def server_kind(request: pytest.FixtureRequest) -> str:
    """Each test that asks runs under Daphne and again under uvicorn."""
    return request.param


@pytest.fixture(scope="session")
def _sqlite_daphne(
    sqlite_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory, server_kind: str
) -> Iterator[servers.Daphne]:
    daphne = servers.SERVERS[server_kind](
        f"{server_kind}-sqlite", sqlite_env, tmp_path_factory.mktemp(f"live-sqlite-{server_kind}-logs")
    )
    try:
        daphne.start()
        yield daphne
    finally:
        daphne.stop()


@pytest.fixture
def sqlite_server(_sqlite_daphne: servers.Daphne, launcher: Launcher) -> servers.Daphne:
    """One server on SQLite (Daphne, then uvicorn), shared by the single-process tests (each on its own board)."""
    assert _sqlite_daphne.alive(), f"the shared Daphne died:\n{_sqlite_daphne.output()}"
    launcher.watch(_sqlite_daphne)
    return _sqlite_daphne


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated database of our own on the shared PostgreSQL; tests share it, each on its own board."""
    require_postgres()
    with postgres_database("bothsides_live") as url:
        servers.migrate(servers.server_env(url))
        yield url


@pytest.fixture
def shared_redis_url() -> str:
    require_redis()
    return servers.SHARED_REDIS_URL


OpenPeer = Callable[..., Awaitable[Peer]]


@pytest.fixture
async def peers() -> AsyncIterator[OpenPeer]:
    opened: list[Peer] = []

    async def _open(url: str, name: str, **kwargs: Any) -> Peer:
        peer = await open_peer(url, name, **kwargs)
        opened.append(peer)
        return peer

    yield _open
    for peer in opened:
        await peer.close()
