"""Start and stop the processes under test on free loopback ports, and read their RSS and CPU.

Every process is started here and stopped here, by its own pid, whatever
happens in between: `running()` is a context manager and the only way in.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from tests.loopback import accepts
from whiteboard.protocol import DAPHNE_LIMITS

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
PROBLEM_WORDS = ("Traceback", "ERROR", "Error", "WARNING", "Warning", "exception")


@dataclass
class Running:
    """A started process listening on `port`; `log` holds its stdout and stderr."""

    name: str
    port: int
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def process(self) -> psutil.Process:
        return psutil.Process(self.popen.pid)

    def _tree(self) -> list[psutil.Process]:
        return [self.process, *self.process.children(recursive=True)]

    def rss(self) -> int:
        """Resident bytes of the process and any children it forked."""
        return sum(p.memory_info().rss for p in self._tree())

    def cpu_seconds(self) -> float:
        return sum(t.user + t.system for t in (p.cpu_times() for p in self._tree()))

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def alive(self) -> bool:
        return self.popen.poll() is None

    def problems(self, limit: int = 20) -> dict[str, Any]:
        """Tracebacks, errors and warnings the process logged: a bench that provoked them is suspect."""
        lines = self.log.read_text(errors="replace").splitlines()
        flagged = [line for line in lines if any(word in line for word in PROBLEM_WORDS)]
        return {"count": len(flagged), "first": flagged[:limit]}


def _stop(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is not None:
        return
    popen.terminate()
    try:
        popen.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def running(
    name: str, argv: Sequence[str], port: int, env: Mapping[str, str], cwd: Path = ROOT
) -> Iterator[Running]:
    """Start `argv` in `cwd` (the repo root), wait until `port` accepts connections, always stop it after."""
    with tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False) as handle:
        log = Path(handle.name)
    with log.open("wb") as out:
        popen = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Running(name, port, popen, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not accepts(port):
            if not server.alive():
                raise RuntimeError(
                    f"{name} exited with {popen.returncode} before listening:\n{server.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name} did not listen on {port} within {START_TIMEOUT:.0f}s:\n{server.log_tail()}"
                )
            time.sleep(0.05)
        yield server
    finally:
        _stop(popen)
        log.unlink(missing_ok=True)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the settings our server reads, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(extra)
    return env


def served_env(database_url: str, **extra: str) -> dict[str, str]:
    """Our server's environment as deployed: DEBUG off (the relays run so too).

    Under DEBUG every query is kept in the connection's query log (up to 9,000), which measured
    as 12 KiB per socket joined and about a fifth of a batch's CPU, a cost no deployment pays.
    """
    return clean_env(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bothsides.settings",
        DEBUG="false",
        SECRET_KEY="bench-not-secret-" + "x" * 40,
        **extra,
    )


def redis_argv(port: int) -> list[str]:
    return ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]


def relay_websockets_argv(port: int) -> list[str]:
    return [str(VENV_BIN / "python"), "-m", "bench.relay_websockets", "--port", str(port)]


def daphne_argv(app: str, port: int) -> list[str]:
    return [
        str(VENV_BIN / "daphne"),
        *("-b", "127.0.0.1", "-p", str(port)),
        *DAPHNE_LIMITS,
        app,
    ]


def uvicorn_argv(app: str, port: int) -> list[str]:
    return [
        str(VENV_BIN / "uvicorn"),
        *("--host", "127.0.0.1", "--port", str(port)),
        *("--ws-max-size", "262144", "--lifespan", "off", "--log-level", "warning", "--no-access-log"),
        app,
    ]
