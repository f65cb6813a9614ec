"""The bare durable write: this machine's floor for "acknowledged means durable".

On the variant's own database, with the server's durability settings (SQLite:
WAL and `synchronous=FULL`, as bothsides/settings.py; PostgreSQL: the server's
defaults, `synchronous_commit=on`), time one INSERT of a row shaped like a
batch row (ids, seq, a one-op update's JSON) and its COMMIT, alone: no
server, no socket, no other statement. Runs before the server starts.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from time import perf_counter
from typing import Any
from urllib.parse import urlparse

from bench.stats import summarize

SAMPLES = 200
TABLE = "bench_durable_write"
COLUMNS = (
    "board text, stream text, seq bigint, participant text, client_id text, digest text, ops text, at text"
)
INSERT = f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"


def _row(k: int, board: str, participant: str) -> tuple[Any, ...]:
    ops = json.dumps([{"op": "update", "id": "box1", "props": {"x": k, "y": 40}}])
    return (board, "public", k, participant, f"d{k}", "0" * 64, ops, "2026-12-04 20:00:00.000000")


def _sqlite(path: str, samples: int) -> list[float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({COLUMNS})")
    board, participant, took = uuid.uuid4().hex, uuid.uuid4().hex, []
    try:
        for k in range(samples):
            started = perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _row(k, board, participant))
            db.execute("COMMIT")
            took.append(perf_counter() - started)
    finally:
        db.execute(f"DROP TABLE {TABLE}")
        db.close()
    return took


def _postgres(url: str, samples: int) -> list[float]:
    import psycopg

    board, participant, took = str(uuid.uuid4()), str(uuid.uuid4()), []
    with psycopg.connect(url) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({COLUMNS})")
        db.commit()
        try:
            for k in range(samples):
                started = perf_counter()
                db.execute(INSERT, _row(k, board, participant))
                db.commit()
                took.append(perf_counter() - started)
        finally:
            db.execute(f"DROP TABLE {TABLE}")
            db.commit()
    return took


def measure(database_url: str, samples: int = SAMPLES) -> dict[str, Any]:
    """INSERT + COMMIT latency on the database `database_url` names, in ms."""
    parsed = urlparse(database_url)
    sqlite = parsed.scheme == "sqlite"
    took = _sqlite(parsed.path, samples) if sqlite else _postgres(database_url, samples)
    return {"database": parsed.scheme, **summarize(took)}
