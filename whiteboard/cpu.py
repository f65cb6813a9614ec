"""Pure CPU-heavy request work off the serving process: a small pool of worker processes, with a time cap.

Under Daphne each HTTP request runs on a thread of its own (Django's
ThreadSensitiveContext), not on the sockets' database thread; but every thread
of the process shares one GIL with the event loop and the database thread. 12 s
of pure Python in one request (a large import) took every socket's
acknowledgement from 6 ms to 200 ms, since each hop of an ack waits for the GIL.
So the pure steps (parse a file, render an export, analyse a diagram, diff two
canvases, fold a log) run here, in other processes, while the request's thread
only waits (without the GIL); the short database reads and writes stay in the
request. A step that runs past `CPU_TIME_CAP` seconds is refused `too_large`
and its worker is killed, so no input can hold a worker for long.

`run(fn, *args)` needs a module-level `fn` and picklable arguments and result
(plain data: the pure modules' inputs and outputs are). `CPU_WORKERS = 0` runs
the step inline (a management command, or a host that cannot start processes).
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from django.conf import settings

from whiteboard.errors import ErrorCode, SyncError

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_WORKERS = 2
DEFAULT_TIME_CAP = 10.0

_lock = threading.Lock()
_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _option(name: str, default: Any) -> Any:
    return settings.BOTHSIDES.get(name, default)


def _get_pool() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # forkserver: workers start from a clean interpreter, never a fork of a threaded server.
            context = multiprocessing.get_context("forkserver")
            _pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=_option("CPU_WORKERS", DEFAULT_WORKERS), mp_context=context
            )
        return _pool


def _discard(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill a pool's workers (one is stuck past the cap) so the next call starts a fresh pool."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker process; its exception, if any, is raised here."""
    if _option("CPU_WORKERS", DEFAULT_WORKERS) == 0:
        return fn(*args, **kwargs)
    cap = _option("CPU_TIME_CAP", DEFAULT_TIME_CAP)
    pool = _get_pool()
    try:
        future = pool.submit(fn, *args, **kwargs)
    except (BrokenProcessPool, RuntimeError):
        _discard(pool)
        pool = _get_pool()
        future = pool.submit(fn, *args, **kwargs)
    try:
        return future.result(timeout=cap)
    except concurrent.futures.TimeoutError:
        log.warning("%s.%s ran past %s s; its worker is killed", fn.__module__, fn.__qualname__, cap)
        _discard(pool)
        raise SyncError(ErrorCode.TOO_LARGE, f"This took longer than the {cap:g} s allowed; make it smaller.") from None
    except BrokenProcessPool:
        _discard(pool)
        raise SyncError(
            ErrorCode.TOO_LARGE, "This could not be processed (the worker died); make it smaller."
        ) from None
