"""The app as served, plus a trace of where the fairness bench's probe batches wait (bench only).

`bench/fairness.py --trace FILE` serves `bench.fairness_trace:application`
instead of `bothsides.asgi:application`. It wraps the group committer and the
import service and writes one JSON line per event to $FAIRNESS_TRACE:

- `group`: each group commit on the database thread, its wall time and the
  thread's CPU time (`time.thread_time`), its batches and ops;
- `probe`: each probe batch (id `fp…`) from the committer's queue to its
  sender's wake-up (durable and published);
- `lag`: the event loop late by more than 5 ms for a 5 ms sleep;
- `sched`: every second, each server thread's CPU time and time spent
  runnable but waiting for a CPU (/proc/self/task/*/schedstat), so a loaded
  machine shows as such instead of as a slow server;
- `import`: each import request's wall and CPU time on its thread;
- `gc`: each cyclic garbage collection over 2 ms (it stops every thread).

perf_counter is CLOCK_MONOTONIC, one clock for every process of the machine.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import threading
import time
from typing import Any

from bothsides.asgi import application as served
from reviews import import_services
from reviews.api import exports
from whiteboard import group_commit

LAG_SLEEP = 0.005
_out = open(os.environ["FAIRNESS_TRACE"], "a", buffering=1)  # noqa: SIM115  # the server's lifetime
_lock = threading.Lock()


def emit(event: str, **fields: Any) -> None:
    with _lock:
        _out.write(json.dumps({"ev": event, **fields}) + "\n")


def _traced_commit(commit: Any) -> Any:
    def _commit_queued(self: group_commit.Committer) -> Any:
        t0, cpu0 = time.perf_counter(), time.thread_time()
        group, wakes = commit(self)
        if group:
            emit(
                "group",
                t0=t0,
                t1=time.perf_counter(),
                cpu=time.thread_time() - cpu0,
                batches=len(group),
                ops=sum(w.cost for w in group),
                probes=[w.submission.batch_id for w in group if w.submission.batch_id.startswith("fp")],
            )
        return group, wakes

    return _commit_queued


def _traced_submit(submit: Any) -> Any:
    async def traced(self: group_commit.Committer, submission: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await submit(self, submission)
        finally:
            if submission.batch_id.startswith("fp"):
                emit("probe", id=submission.batch_id, t0=t0, t1=time.perf_counter())

    return traced


def _traced_import(board_import: Any) -> Any:
    def traced(**kwargs: Any) -> Any:
        t0, cpu0 = time.perf_counter(), time.thread_time()
        try:
            return board_import(**kwargs)
        finally:
            emit("import", t0=t0, t1=time.perf_counter(), cpu=time.thread_time() - cpu0)

    return traced


group_commit.Committer._commit_queued = _traced_commit(group_commit.Committer._commit_queued)  # type: ignore[method-assign]
group_commit.Committer.submit = _traced_submit(group_commit.Committer.submit)  # type: ignore[method-assign]
exports.board_import = _traced_import(import_services.board_import)  # type: ignore[attr-defined]


async def _lag() -> None:
    while True:
        start = time.perf_counter()
        await asyncio.sleep(LAG_SLEEP)
        late = time.perf_counter() - start - LAG_SLEEP
        if late > LAG_SLEEP:
            emit("lag", t=start, late=late)


async def _sched() -> None:
    while True:
        names = {thread.native_id: thread.name for thread in threading.enumerate()}
        threads = {}
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/schedstat") as stat:
                    on_cpu, waiting, _ = stat.read().split()
            except OSError:
                continue
            threads[names.get(int(tid), tid)] = [int(on_cpu) / 1e9, int(waiting) / 1e9]
        emit("sched", t=time.perf_counter(), threads=threads)
        await asyncio.sleep(1.0)


_gc_start = [0.0]


def _gc(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_start[0] = time.perf_counter()
    elif (took := time.perf_counter() - _gc_start[0]) > 0.002:
        emit("gc", t=_gc_start[0], took=took, generation=info["generation"], collected=info["collected"])


gc.callbacks.append(_gc)
_started: list[asyncio.Task[None]] = []


async def application(scope: Any, receive: Any, send: Any) -> None:
    if not _started:
        _started.extend([asyncio.create_task(_lag()), asyncio.create_task(_sched())])
    await served(scope, receive, send)
