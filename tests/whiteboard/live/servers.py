"""Real server processes for the live tests: Daphne, a private redis-server, throwaway databases.

The live tests exercise what the in-process consumer tests cannot: Daphne's
own frame limits, real TCP drops, a process killed with SIGKILL, two processes
sharing PostgreSQL and Redis, and Redis going away under them. Everything here
runs in subprocesses with an environment built from scratch, so the server
never sees this test process's settings, and every process is stopped by its
own pid at teardown.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.loopback import accepts, free_port
from whiteboard.protocol import DAPHNE_LIMITS
from whiteboard.vocabulary import uvicorn_flags

ROOT = Path(__file__).resolve().parents[3]
BIN = ROOT / ".venv" / "bin"
REDIS_SERVER = "/usr/bin/redis-server"
MAX_MESSAGE_BYTES = 256 * 1024  # what Daphne is told to accept, as in the Makefile and deployment docs
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
SETUP_TIMEOUT = 120.0
HEAD_INTERVAL = 0.5
GAP_WAIT = 0.1
# The maintenance database, used only to CREATE and DROP our own databases (what `createdb` does).
SHARED_REDIS_URL = "redis://127.0.0.1:6379/7"  # never db 0: that one belongs to whoever else uses the server

# Settings the server reads from the environment: never inherited from the test run.
_SERVER_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "LOG_LEVEL",
    "BOTHSIDES_HEAD_INTERVAL",
    "BOTHSIDES_GAP_WAIT",
)


def server_env(database_url: str, redis_url: str = "", head_interval: float = HEAD_INTERVAL) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in _SERVER_SETTINGS}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bothsides.settings",
        DEBUG="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BOTHSIDES_HEAD_INTERVAL=str(head_interval),
        BOTHSIDES_GAP_WAIT=str(GAP_WAIT),
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Process:
    """A subprocess listening on `port`, its output in `log`; `start` may be called again after `kill`."""

    def __init__(self, name: str, argv: list[str], port: int, env: Mapping[str, str], log: Path) -> None:
        self.name, self.argv, self.port, self.env, self.log = name, argv, port, dict(env), log
        self.popen: subprocess.Popen[bytes] | None = None

    def spawn(self) -> None:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not accepts(self.port):
            if not self.alive():
                raise RuntimeError(f"{self.name} exited before listening on {self.port}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not listening on {self.port} after {START_TIMEOUT}s:\n{self.output()}")
            time.sleep(0.05)

    def start(self) -> None:
        self.spawn()
        self.wait_listening()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no goodbye to clients, no flushing, as when a machine dies."""
        self._signal_and_wait(signal.SIGKILL)

    def stop(self) -> None:
        self._signal_and_wait(signal.SIGTERM)
        if self.alive():
            self.kill()

    def _signal_and_wait(self, signum: int) -> None:
        if not self.alive():
            return
        assert self.popen is not None
        self.popen.send_signal(signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(STOP_TIMEOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Daphne(Process):
    def __init__(self, name: str, env: Mapping[str, str], log_dir: Path) -> None:
        port = free_port()
        argv = [
            str(BIN / "daphne"),
            *("-b", "127.0.0.1", "-p", str(port)),
            *DAPHNE_LIMITS,
            "bothsides.asgi:application",
        ]
        super().__init__(name, argv, port, env, log_dir / f"{name}.log")

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, board_id: str, since: int | None = None, private_since: int | None = None) -> str:
        """The board socket; owners and interviewers resume with `private_since` as well."""
        params = [
            f"{name}={value}"
            for name, value in (("since", since), ("private_since", private_since))
            if value is not None
        ]
        return f"ws://127.0.0.1:{self.port}/ws/boards/{board_id}/" + (f"?{'&'.join(params)}" if params else "")


class Uvicorn(Daphne):
    """The same application under uvicorn, with the flags docs/deploy.md gives."""

    def __init__(self, name: str, env: Mapping[str, str], log_dir: Path) -> None:
        port = free_port()
        argv = [
            str(BIN / "uvicorn"),
            *("--host", "127.0.0.1", "--port", str(port)),
            *uvicorn_flags(),
            "bothsides.asgi:application",
        ]
        Process.__init__(self, name, argv, port, env, log_dir / f"{name}.log")


SERVERS: dict[str, type[Daphne]] = {"daphne": Daphne, "uvicorn": Uvicorn}


class RedisServer(Process):
    """A private redis-server: the outage test kills and restarts it, which the shared one must never suffer."""

    def __init__(self, log_dir: Path) -> None:
        port = free_port()
        argv = [REDIS_SERVER, *("--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")]
        argv += ["--dir", str(log_dir)]
        super().__init__("redis", argv, port, os.environ, log_dir / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def start_all(processes: list[Process]) -> None:
    """Spawn first, then wait: the processes boot in parallel."""
    for process in processes:
        process.spawn()
    for process in processes:
        process.wait_listening()


def django(argv: list[str], env: Mapping[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        [str(BIN / "python"), *argv],
        cwd=ROOT,
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate(env: Mapping[str, str]) -> None:
    django(["manage.py", "migrate", "--noinput", "-v", "0"], env)


@dataclass(frozen=True)
class Member:
    username: str
    token: str
    participant: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


@dataclass(frozen=True)
class Board:
    id: str
    members: dict[str, Member]

    def __getitem__(self, name: str) -> Member:
        return self.members[name]


def seed(env: Mapping[str, str], roles: Mapping[str, str], password: str = "") -> Board:
    """A new board with one registered member per name; the member with role "owner" creates it.

    Goes through the app's own services in a subprocess on the server's
    database, so the servers see exactly what a real sign-up would create.
    Only with `password` do the users get a usable one (hashing costs time).
    """
    spec = {"roles": dict(roles), "password": password, "prefix": uuid.uuid4().hex[:8]}
    out = django(["-m", "tests.whiteboard.live.seed"], env, stdin=json.dumps(spec))
    created: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return Board(created["board"], {name: Member(**fields) for name, fields in created["members"].items()})
