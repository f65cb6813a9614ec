"""Reachability of the shared PostgreSQL and Redis, and what to do when they are down.

Outside CI a test that needs a missing service skips with the reason; under CI
(CI=true) it fails, because CI must exercise the scaled-out setup.
Run as `python -m tests.services postgres` to ask from a Makefile.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys

import pytest

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def reachable(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def require(name: str, address: tuple[str, int]) -> None:
    if reachable(address):
        return
    reason = f"{name} is not reachable at {address[0]}:{address[1]}"
    if in_ci():
        pytest.fail(f"{reason}, and CI must run this test", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    require("PostgreSQL", POSTGRES)


def require_redis() -> None:
    require("Redis", REDIS)


def chromium_path() -> str:
    """Debian's Chromium, which the browser tests drive (a Playwright browser download cannot work here)."""
    path = shutil.which("chromium")
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium)"
        if in_ci():
            pytest.fail(f"{reason}, and CI must run the browser tests", pytrace=False)
        pytest.skip(reason)
    return path


if __name__ == "__main__":
    name = sys.argv[1]
    address = {"postgres": POSTGRES, "redis": REDIS}[name]
    if reachable(address):
        sys.exit(0)
    message = f"{name} is not reachable at {address[0]}:{address[1]}"
    if in_ci():
        print(f"FAIL: {message}, and CI must run the {name} tests", file=sys.stderr)
        sys.exit(2)
    print(f"SKIPPED the {name} tests: {message}", file=sys.stderr)
    sys.exit(1)
