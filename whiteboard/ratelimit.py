"""Token buckets for per-connection and per-person limits. Pure: the caller passes the clock."""

from __future__ import annotations


class TokenBucket:
    """`rate` tokens a second, holding at most `burst`; `take` spends `cost` (one by default) if it can.

    `spend` is for work whose size is known only after it was let in (an import, once parsed): it
    always spends, into debt if need be, and `wait` says how long until the debt is paid.
    """

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self, now: float, cost: float = 1) -> bool:
        self._refill(now)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False

    def spend(self, now: float, cost: float) -> None:
        self._refill(now)
        self.tokens -= cost

    def wait(self, now: float) -> float:
        """Seconds until the bucket holds a token again: 0 while it does."""
        self._refill(now)
        return 0.0 if self.tokens > 0 else (1 - self.tokens) / self.rate

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst
