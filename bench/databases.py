"""Throwaway SQLite databases for our server's variants, and migrating and seeding any of them.

PostgreSQL ones come from tests.loopback.postgres_database, shared with the live tests.

Each is created empty, migrated and populated by bench/board_setup.py (one
Django process, so one start-up), and removed afterwards even when the run fails.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from bench.servers import ROOT, VENV_BIN

SETUP_TIMEOUT = 600


@contextlib.contextmanager
def sqlite_url() -> Iterator[str]:
    directory = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    try:
        yield f"sqlite:///{directory / 'bench.sqlite3'}"
    finally:
        for path in directory.iterdir():
            path.unlink()
        directory.rmdir()


def _django(argv: list[str], env: Mapping[str, str]) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "python"), *argv],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bothsides.settings"},
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )


def prepare(env: Mapping[str, str], **setup: int) -> dict[str, Any]:
    """Migrate the database `env` points at and create the boards; return board_setup's description."""
    with tempfile.NamedTemporaryFile(prefix="bench-setup-", suffix=".json") as out:
        flags = [f"--{name.replace('_', '-')}={value}" for name, value in setup.items()]
        _django(["-m", "bench.board_setup", *flags, f"--out={out.name}"], env)
        return dict(json.loads(Path(out.name).read_text()))
