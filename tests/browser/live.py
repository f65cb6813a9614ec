"""A live Daphne server on a free loopback port with its own SQLite database, and Chromium to drive it.

Shared by the browser tests and bench/canvas_fps.py. The server can be stopped
and started again on the same port and database, to test what survives a restart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.loopback import accepts, free_port
from whiteboard.protocol import DAPHNE_LIMITS

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 30.0

# Debian's Chromium, headless; never a Playwright browser download.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LiveServer:
    """One Daphne process (restartable), its database in a temporary directory."""

    def __init__(self, **settings: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bothsides-browser-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = self.dir / "daphne.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
            "DATABASE_URL": f"sqlite:///{self.dir / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "bothsides.settings",
            "DEBUG": "true",
            "BOTHSIDES_HEAD_INTERVAL": "3",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"])

    def _run(self, argv: list[str]) -> str:
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv[:4])} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def seed(self, command: str, **args: Any) -> dict[str, Any]:
        """Run a tests/browser/seed.py command against this server's database."""
        out = self._run([str(BIN / "python"), "-m", "tests.browser.seed", command, json.dumps(args)])
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> None:
        argv = [
            str(BIN / "daphne"),
            *("-b", "127.0.0.1", "-p", str(self.port)),
            *DAPHNE_LIMITS,
            "bothsides.asgi:application",
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while not accepts(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Daphne did not listen within {START_TIMEOUT:.0f}s:\n{self.log_tail()}")
            time.sleep(0.05)

    def stop(self, kill: bool = False) -> None:
        """Stop the server: politely, or with SIGKILL (a crash: sockets drop without a close frame)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        if kill:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    def restart(self, kill: bool = False) -> None:
        self.stop(kill=kill)
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def launch_chromium(playwright: Any, executable: str) -> Any:
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
