"""How much one person may import: `import_ops_per_minute` ops a minute, as much at once.

An import's parse runs in a worker process, but what it writes (one op per element, annotation,
reply and decision) is validated and committed on the serving process's database thread, taking
turns with every board's batches. One person importing large files in a loop used to be most of
what slowed everyone else on the process (issue 19; docs/performance.md, "Fairness"): 35 imports
of 2,400 elements in 20 s. Each person now has a budget on each process. An import is let in
while any budget remains, and charged its full size once parsed, so the largest file the element
cap allows always goes through at once; the next waits until the debt is paid. A refused import
costs nothing, not even its parse.

Per process and in memory, like the sockets' own budgets: a deployment with several processes
multiplies it by their number, still bounding what any one process does for one person.
"""

from __future__ import annotations

import threading
import time

from whiteboard.errors import RateLimited
from whiteboard.ratelimit import TokenBucket
from whiteboard.vocabulary import LIMITS

PER_MINUTE = LIMITS["import_ops_per_minute"]
# Buckets that have filled up again are forgotten once there are this many people.
REMEMBERED = 10_000

clock = time.monotonic  # a test stops it
_buckets: dict[int, TokenBucket] = {}
_lock = threading.Lock()  # imports run on the server's request threads


def _bucket(user_id: int, now: float) -> TokenBucket:
    bucket = _buckets.get(user_id)
    if bucket is None:
        if len(_buckets) >= REMEMBERED:
            for known in [k for k, b in _buckets.items() if b.full(now)]:
                del _buckets[known]
        bucket = _buckets[user_id] = TokenBucket(PER_MINUTE / 60, PER_MINUTE, now)
    return bucket


def admit(user_id: int) -> None:
    """Refuse (`RateLimited`) while this person's imports have spent their budget."""
    now = clock()
    with _lock:
        wait = _bucket(user_id, now).wait(now)
    if wait:
        seconds = max(1, round(wait))
        raise RateLimited(
            f"Imports are limited to {PER_MINUTE:,} elements and annotations a minute per person; "
            f"try again in {seconds} second{'s' * (seconds != 1)}.",
            wait,
        )


def charge(user_id: int, ops: int) -> None:
    """Spend `ops` of this person's budget (into debt if need be: the import was let in)."""
    now = clock()
    with _lock:
        _bucket(user_id, now).spend(now, ops)
